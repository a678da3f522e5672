/* SPDX-License-Identifier: GPL-2.0 */
/* kftp compat: memory, strings, workqueues, printk. Included by kftp_compat.h. */
#ifndef KFTP_COMPAT_MISC_H
#define KFTP_COMPAT_MISC_H

/*
 * Every header whose interfaces are wrapped below comes first. pr_*() come
 * with kernel.h: 2.6.32 has no linux/printk.h.
 */
#include <linux/capability.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/time.h>
#include <linux/user_namespace.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

/*
 * 4.11 moved rlimit() and the signal helpers to linux/sched/signal.h,
 * commit 3f07c0144132 ("sched/headers: Prepare for new header dependencies
 * before moving code to <linux/sched/signal.h>"); 4.14.67 no longer gets
 * them through other headers.
 */
#if KFTP_KERNEL_AT_LEAST(4, 11, 0)
#include <linux/sched/signal.h>
#else
#include <linux/sched.h>
#endif

/*
 * pr_warn() next to pr_warning(), commit fc62f2f19edf ("kernel.h: add
 * pr_warn for symmetry to dev_warn, netdev_warn"); first release
 * unverified (2.6.35 or later). A name test, so the release does not matter.
 * Kept under the kernel's own name, as backports and lttng-modules add a
 * missing standard macro: it only exists where the kernel has none, so it
 * never replaces or redirects a kernel definition, and pr_warn() expands
 * to the same printk(KERN_WARNING pr_fmt(...)) as the pr_warning() it
 * names. The same holds for the other #ifndef name tests in compat/
 * (U16_MAX and the like, READ_ONCE, GFP_KERNEL_ACCOUNT).
 */
#ifndef pr_warn
#define pr_warn pr_warning
#endif

/*
 * 2.6.36: alloc_workqueue() and WQ_UNBOUND, commit d320c03830b1
 * ("workqueue: s/__create_workqueue()/alloc_workqueue()/, and add system
 * workqueues"). Before it a multithreaded workqueue is the nearest form.
 */
#ifndef KFTP_HAVE_ALLOC_WORKQUEUE
#define KFTP_HAVE_ALLOC_WORKQUEUE	KFTP_KERNEL_AT_LEAST(2, 6, 36)
#endif
/*
 * Macros, not functions: @name stays the literal format the kernel checks,
 * and where the kernel's are macros with a static lockdep key (until
 * workqueues took dynamic keys, 5.1; commit unverified) each call site
 * keeps its own class, which a wrapper function would merge into one.
 */
#if KFTP_HAVE_ALLOC_WORKQUEUE
#define KFTP_WQ_UNBOUND	WQ_UNBOUND
#define kftp_alloc_workqueue(name, flags, max_active)			\
	alloc_workqueue(name, flags, max_active)
#else
#define KFTP_WQ_UNBOUND	0
#define kftp_alloc_workqueue(name, flags, max_active)			\
	({ (void)(flags); (void)(max_active); create_workqueue(name); })
#endif

/*
 * 3.15: kvfree(), commit 39f1f78d53b9 ("nick kvfree() from apparmor"),
 * also in 3.12.41 stable; 4.12: kvmalloc(), commit a7c3e901a46f ("mm:
 * introduce kv[mz]alloc helpers"). RHEL 7's 3.10.0 has both, so both are
 * probed. The fallbacks are kftp_ functions, so a backport that the
 * switches miss does not collide with them.
 */
#ifndef KFTP_HAVE_KVMALLOC
#define KFTP_HAVE_KVMALLOC	KFTP_KERNEL_AT_LEAST(4, 12, 0)
#endif
#ifndef KFTP_HAVE_KVFREE
#define KFTP_HAVE_KVFREE	KFTP_KERNEL_AT_LEAST(3, 15, 0)
#endif
#if KFTP_HAVE_KVMALLOC
/* a macro: allocation profiling (6.10; release unverified) sees the caller */
#define kftp_kvmalloc(size, flags)	kvmalloc(size, flags)
#else
static inline void *kftp_kvmalloc(size_t size, gfp_t flags)
{
	void *p = kmalloc(size, flags | __GFP_NOWARN);

	return p ? p : vmalloc(size);
}
#endif

static inline void kftp_kvfree(const void *p)
{
#if KFTP_HAVE_KVFREE
	kvfree(p);
#else
	if (is_vmalloc_addr(p))
		vfree(p);
	else
		kfree(p);
#endif
}

/*
 * 3.18: memzero_explicit(), commit d4c5efdb9777 ("random: add and use
 * memzero_explicit() for clearing data"); also in the 3.2.65, 3.4.106,
 * 3.10.60, 3.12.33, 3.14.24 and 3.17.3 stable releases.
 */
static inline void kftp_memzero_explicit(void *s, size_t count)
{
#if KFTP_KERNEL_AT_LEAST(3, 18, 0)
	memzero_explicit(s, count);
#else
	memset(s, 0, count);
	barrier();
#endif
}

/*
 * 5.9: kzfree() renamed kfree_sensitive(), commit 453431a54934 ("mm,
 * treewide: rename kzfree() to kfree_sensitive()").
 */
static inline void kftp_kfree_sensitive(const void *p)
{
#if KFTP_KERNEL_AT_LEAST(5, 9, 0)
	kfree_sensitive(p);
#else
	kzfree(p);
#endif
}

/*
 * 3.9: file_ns_capable(), commit 935d8aabd433 ("Add file_ns_capable() helper
 * function for open-time capability checking"); release unverified, 3.8 is
 * not excluded. The boundary errs late: the fallback is harmless where the
 * function exists, a missing one breaks the build. Before it only the
 * writer can be checked.
 */
static inline bool kftp_file_ns_capable(const struct file *file,
					struct user_namespace *ns, int cap)
{
#if KFTP_KERNEL_AT_LEAST(3, 9, 0)
	return file_ns_capable(file, ns, cap);
#else
	return capable(cap);
#endif
}

/*
 * ktime_to_ms(): absent in 2.6.32.69, present in 3.10.99 (the trees built
 * for docs/compat.md); commit and release between them unverified. The
 * boundary errs late: the fallback is harmless where the function exists.
 */
static inline s64 kftp_ktime_to_ms(const ktime_t kt)
{
#if KFTP_KERNEL_AT_LEAST(3, 10, 0)
	return ktime_to_ms(kt);
#else
	return div_s64(ktime_to_ns(kt), NSEC_PER_MSEC);
#endif
}

/*
 * ktime_ms_delta(): absent in 3.10.99, present in 4.4.155 and RHEL 7;
 * commit and release unverified. The boundary errs late: the fallback is
 * harmless where the function exists.
 */
static inline s64 kftp_ktime_ms_delta(const ktime_t later,
				      const ktime_t earlier)
{
#if KFTP_KERNEL_AT_LEAST(4, 4, 0)
	return ktime_ms_delta(later, earlier);
#else
	return kftp_ktime_to_ms(ktime_sub(later, earlier));
#endif
}

/*
 * 3.12: div64_u64_rem(), commit eb18cba78c2b ("math64: New separate
 * div64_u64_rem helper"); RHEL 7 backports it, which the kftp_ name
 * does not collide with.
 */
static inline u64 kftp_div64_u64_rem(u64 dividend, u64 divisor, u64 *rem)
{
#if KFTP_KERNEL_AT_LEAST(3, 12, 0)
	return div64_u64_rem(dividend, divisor, rem);
#else
	u64 q = div64_u64(dividend, divisor);

	*rem = dividend - q * divisor;
	return q;
#endif
}

/*
 * 3.5: kuid_t and uid_eq(), commit 7a4e7408c5ca ("userns: Add kuid_t and
 * kgid_t and associated infrastructure in uidgid.h"; id unverified).
 */
#if KFTP_KERNEL_AT_LEAST(3, 5, 0)
static inline bool kftp_uid_eq(kuid_t left, kuid_t right)
{
	return uid_eq(left, right);
}

static inline bool kftp_uid_valid(kuid_t uid)
{
	return uid_valid(uid);
}
#else
static inline bool kftp_uid_eq(uid_t left, uid_t right)
{
	return left == right;
}

static inline bool kftp_uid_valid(uid_t uid)
{
	return uid != (uid_t)-1;
}
#endif

/*
 * 3.5: from_kuid_munged() and seq_user_ns(), with kuid_t (above) and
 * commit 33d6dce60757 ("userns: Add seq_user_ns"? subject and id
 * unverified): a uid as a reader's user namespace sees it. Before, one
 * namespace: the uid itself.
 */
#if KFTP_KERNEL_AT_LEAST(3, 5, 0)
#define kftp_kuid_t		kuid_t
#define kftp_seq_uid(m, uid)	from_kuid_munged(seq_user_ns(m), uid)
#else
#define kftp_kuid_t		uid_t
#define kftp_seq_uid(m, uid)	((void)(m), (uid))
#endif

/*
 * 3.19: ktime_get_real_seconds(), commit dbe7aa622db9 ("timekeeping:
 * Provide y2038 safe accessor to the seconds portion of CLOCK_REALTIME";
 * id unverified). Before it get_seconds(), an unsigned long.
 */
#if KFTP_KERNEL_AT_LEAST(3, 19, 0)
#define kftp_real_seconds()	((s64)ktime_get_real_seconds())
#else
#define kftp_real_seconds()	((s64)get_seconds())
#endif

/*
 * U16_MAX, U32_MAX, U64_MAX and S64_MAX in kernel.h: first release
 * unverified (U32_MAX, U64_MAX: absent in 2.6.32.69, present in 3.10.99);
 * name tests.
 */
#ifndef U16_MAX
#define U16_MAX		((u16)~0U)
#endif
#ifndef U32_MAX
#define U32_MAX		((u32)~0U)
#endif
#ifndef U64_MAX
#define U64_MAX		((u64)~0ULL)
#endif
#ifndef S64_MAX
#define S64_MAX		((s64)(~0ULL >> 1))
#endif

/*
 * 4.3: strscpy(), commit 30035e45753b ("string: provide strscpy()"),
 * __must_check until commit 08a77676f9c5 ("string: drop __must_check from
 * strscpy() and restore strscpy() usages in cgroup"), 4.16 (release
 * unverified; 4.9.229 and 4.14.67 carry it, 4.4.155 does not). RHEL 7 has
 * strscpy() backported, so it is probed (STRSCPY). kftp_strscpy() returns
 * the kernel's result, which meets the __must_check, and copies by hand
 * where there is no strscpy().
 */
#ifndef KFTP_HAVE_STRSCPY
#define KFTP_HAVE_STRSCPY	KFTP_KERNEL_AT_LEAST(4, 3, 0)
#endif
static inline ssize_t kftp_strscpy(char *dest, const char *src, size_t count)
{
#if KFTP_HAVE_STRSCPY
	return strscpy(dest, src, count);
#else
	size_t len;

	if (!count)
		return -E2BIG;
	len = strnlen(src, count);
	if (len == count) {
		memcpy(dest, src, count - 1);
		dest[count - 1] = '\0';
		return -E2BIG;
	}
	memcpy(dest, src, len + 1);
	return len;
#endif
}

/*
 * strchrnul(), commit 11d200e95f3e ("lib: add glibc style strchrnul()
 * variant"), March 2014: release unverified (absent in 3.10.99, present
 * in 4.4.155 and RHEL 7). The boundary errs late: the fallback is harmless
 * where the function exists.
 */
static inline char *kftp_strchrnul(const char *s, int c)
{
#if KFTP_KERNEL_AT_LEAST(4, 0, 0)
	return strchrnul(s, c);
#else
	while (*s && *s != (char)c)
		s++;
	return (char *)s;
#endif
}

/*
 * 4.11: get_random_u64(), commit c440408cf690 ("random: convert
 * get_random_int/long into get_random_u32/u64"). The fallback is a kftp_
 * function, so a backport does not collide with it.
 */
static inline u64 kftp_get_random_u64(void)
{
#if KFTP_KERNEL_AT_LEAST(4, 11, 0)
	return get_random_u64();
#else
	u64 v;

	get_random_bytes(&v, sizeof(v));
	return v;
#endif
}

/*
 * 3.17: struct timespec64, commit 361a3bf00582 ("time64: Add time64.h
 * header and define struct timespec64"). Until 4.18 a 64-bit kernel
 * defines it as struct timespec, as struct kftp_timespec64 is before
 * 3.17: the mtime kftp keeps fits struct iattr, whose times became
 * timespec64 only with 95582b008388 ("vfs: change inode times to use
 * struct timespec64").
 * 32-bit kernels from 3.17 to 4.17, where the two differ, are not covered.
 */
#if KFTP_KERNEL_AT_LEAST(3, 17, 0)
#define kftp_timespec64	timespec64	/* struct kftp_timespec64 */
#else
#define kftp_timespec64	timespec
#endif

/*
 * 3.14: smp_load_acquire() and smp_store_release(), commit 47933ad41a86
 * ("arch: Introduce smp_load_acquire(), smp_store_release()"); RHEL 7 has
 * them backported. The fallbacks are the full-barrier forms
 * that commit gave architectures without lighter ones: the barrier orders
 * the store after what preceded it, and the load before what follows.
 *
 * Until 4.2 they took only int- and long-sized objects: their
 * compiletime_assert_atomic_type() (__native_word()) rejects kftp's bool
 * flags, commit 536fa402221f ("compiler: Allow 1- and 2-byte
 * smp_load_acquire() and smp_store_release()"; the id unverified, the
 * subject seen in a stable backport list; the release unverified: 3.16.0
 * rejects a bool, 4.4.155 and RHEL 7 take it). Probed
 * (KFTP_HAVE_SMP_ACQUIRE_BYTE, 0 also where neither exists); the version
 * test errs late, the fallback being correct everywhere.
 */
#ifndef KFTP_HAVE_SMP_ACQUIRE_BYTE
#define KFTP_HAVE_SMP_ACQUIRE_BYTE	KFTP_KERNEL_AT_LEAST(4, 4, 0)
#endif
#if KFTP_HAVE_SMP_ACQUIRE_BYTE
#define kftp_smp_store_release(p, v)	smp_store_release(p, v) /* the kernel's */
#define kftp_smp_load_acquire(p)	smp_load_acquire(p) /* the kernel's */
#else
/* the release: no store before it moves after */
#define kftp_smp_store_release(p, v)					\
	do {								\
		smp_mb();	/* what precedes, before the store */	\
		ACCESS_ONCE(*(p)) = (v);				\
	} while (0)
/* the acquire: no load after it moves before */
#define kftp_smp_load_acquire(p)					\
	({								\
		typeof(p) ___p = (p);					\
		typeof(*___p) ___v = ACCESS_ONCE(*___p);		\
		smp_mb();	/* the load, before what follows */	\
		___v;							\
	})
#endif

/* 3.19: READ_ONCE(), commit 230fa253df63 ("kernel: Provide READ_ONCE and ASSIGN_ONCE") */
#ifndef READ_ONCE
#define READ_ONCE(x) ACCESS_ONCE(x)
#endif

/*
 * kmap_local_page(), a mapping that may sleep and is the task's own: 5.11,
 * commit f3ba3c710ac5 ("mm/highmem: Provide kmap_local*"). Before it,
 * kmap_atomic(): only the read_sock path (5.4 on) expands these.
 */
#if KFTP_KERNEL_AT_LEAST(5, 11, 0)
#define kftp_kmap_local_page(page)	kmap_local_page(page)
#define kftp_kunmap_local(addr)		kunmap_local(addr)
#else
#define kftp_kmap_local_page(page)	kmap_atomic(page)
#define kftp_kunmap_local(addr)		kunmap_atomic(addr)
#endif

#endif /* KFTP_COMPAT_MISC_H */
