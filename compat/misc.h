/* SPDX-License-Identifier: GPL-2.0 */
/* kftp compat: memory, strings, workqueues, printk. Included by kftp_compat.h. */
#ifndef KFTP_COMPAT_MISC_H
#define KFTP_COMPAT_MISC_H

/*
 * Every header whose names are remapped below comes first, so that a
 * remap never renames the kernel's own declaration. pr_*() come with
 * kernel.h: 2.6.32 has no linux/printk.h.
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
#if !KFTP_HAVE_ALLOC_WORKQUEUE
#define WQ_UNBOUND	0
static inline struct workqueue_struct *
kftp_alloc_workqueue(const char *name, unsigned int flags, int max_active)
{
	return create_workqueue(name);
}

#define alloc_workqueue kftp_alloc_workqueue
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
#if !KFTP_HAVE_KVMALLOC
static inline void *kftp_kvmalloc(size_t size, gfp_t flags)
{
	void *p = kmalloc(size, flags | __GFP_NOWARN);

	return p ? p : vmalloc(size);
}

#define kvmalloc kftp_kvmalloc
#endif
#if !KFTP_HAVE_KVFREE
static inline void kftp_kvfree(const void *p)
{
	if (is_vmalloc_addr(p))
		vfree(p);
	else
		kfree(p);
}

#define kvfree kftp_kvfree
#endif

/*
 * 3.18: memzero_explicit(), commit d4c5efdb9777 ("random: add and use
 * memzero_explicit() for clearing data"); also in the 3.2.65, 3.4.106,
 * 3.10.60, 3.12.33, 3.14.24 and 3.17.3 stable releases.
 */
#if !KFTP_KERNEL_AT_LEAST(3, 18, 0)
static inline void kftp_memzero_explicit(void *s, size_t count)
{
	memset(s, 0, count);
	barrier();
}

#define memzero_explicit kftp_memzero_explicit
#endif

/*
 * 5.9: kzfree() renamed kfree_sensitive(), commit 453431a54934 ("mm,
 * treewide: rename kzfree() to kfree_sensitive()").
 */
#if !KFTP_KERNEL_AT_LEAST(5, 9, 0)
#define kfree_sensitive kzfree
#endif

/*
 * 3.9: file_ns_capable(), commit 935d8aabd433 ("Add file_ns_capable() helper
 * function for open-time capability checking"); release unverified, 3.8 is
 * not excluded. The boundary errs late: the fallback is harmless where the
 * function exists, a missing one breaks the build. Before it only the
 * writer can be checked.
 */
#if !KFTP_KERNEL_AT_LEAST(3, 9, 0)
static inline bool kftp_file_ns_capable(const struct file *file,
					struct user_namespace *ns, int cap)
{
	return capable(cap);
}

#define file_ns_capable kftp_file_ns_capable
#endif

/*
 * ktime_to_ms(): absent in 2.6.32.69, present in 3.10.99 (the trees built
 * for docs/compat.md); commit and release between them unverified. The
 * boundary errs late: the remap is harmless where the function exists.
 */
#if !KFTP_KERNEL_AT_LEAST(3, 10, 0)
static inline s64 kftp_ktime_to_ms(const ktime_t kt)
{
	return div_s64(ktime_to_ns(kt), NSEC_PER_MSEC);
}

#define ktime_to_ms kftp_ktime_to_ms
#endif

/*
 * ktime_ms_delta(): absent in 3.10.99, present in 4.4.155 and RHEL 7;
 * commit and release unverified. The boundary errs late: the remap is
 * harmless where the function exists.
 */
#if !KFTP_KERNEL_AT_LEAST(4, 4, 0)
static inline s64 kftp_ktime_ms_delta(const ktime_t later,
				      const ktime_t earlier)
{
	return ktime_to_ms(ktime_sub(later, earlier));
}

#define ktime_ms_delta kftp_ktime_ms_delta
#endif

/*
 * 3.12: div64_u64_rem(), commit eb18cba78c2b ("math64: New separate
 * div64_u64_rem helper"); RHEL 7 backports it, which the kftp_ name
 * does not collide with.
 */
#if !KFTP_KERNEL_AT_LEAST(3, 12, 0)
static inline u64 kftp_div64_u64_rem(u64 dividend, u64 divisor, u64 *rem)
{
	u64 q = div64_u64(dividend, divisor);

	*rem = dividend - q * divisor;
	return q;
}

#define div64_u64_rem kftp_div64_u64_rem
#endif

/*
 * 3.5: kuid_t and uid_eq(), commit 7a4e7408c5ca ("userns: Add kuid_t and
 * kgid_t and associated infrastructure in uidgid.h"; id unverified).
 */
#if !KFTP_KERNEL_AT_LEAST(3, 5, 0)
static inline bool kftp_uid_eq(uid_t left, uid_t right)
{
	return left == right;
}

#define uid_eq kftp_uid_eq
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
 * strscpy() backported, so it is probed (STRSCPY). The wrapper is harmless
 * where the kernel's takes no __must_check: the boundary errs late.
 */
#ifndef KFTP_HAVE_STRSCPY
#define KFTP_HAVE_STRSCPY	KFTP_KERNEL_AT_LEAST(4, 3, 0)
#endif
#if !KFTP_KERNEL_AT_LEAST(4, 16, 0)
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

#define strscpy kftp_strscpy
#endif

/*
 * strchrnul(), commit 11d200e95f3e ("lib: add glibc style strchrnul()
 * variant"), March 2014: release unverified (absent in 3.10.99, present
 * in 4.4.155 and RHEL 7). The boundary errs late: the remap is harmless
 * where the function exists.
 */
#if !KFTP_KERNEL_AT_LEAST(4, 0, 0)
static inline char *kftp_strchrnul(const char *s, int c)
{
	while (*s && *s != (char)c)
		s++;
	return (char *)s;
}

#define strchrnul kftp_strchrnul
#endif

/*
 * 4.11: get_random_u64(), commit c440408cf690 ("random: convert
 * get_random_int/long into get_random_u32/u64"). The fallback is a kftp_
 * function, so a backport does not collide with it.
 */
#if !KFTP_KERNEL_AT_LEAST(4, 11, 0)
static inline u64 kftp_get_random_u64(void)
{
	u64 v;

	get_random_bytes(&v, sizeof(v));
	return v;
}

#define get_random_u64 kftp_get_random_u64
#endif

/*
 * 3.17: struct timespec64, commit 361a3bf00582 ("time64: Add time64.h
 * header and define struct timespec64"). Until 4.18 a 64-bit kernel
 * defines it as struct timespec, as this does before 3.17, so the mtime
 * kftp keeps fits struct iattr, whose times became timespec64 only with
 * 95582b008388 ("vfs: change inode times to use struct timespec64").
 * 32-bit kernels from 3.17 to 4.17, where the two differ, are not covered.
 */
#if !KFTP_KERNEL_AT_LEAST(3, 17, 0)
#define timespec64 timespec
#endif

/*
 * 3.14: smp_load_acquire() and smp_store_release(), commit 47933ad41a86
 * ("arch: Introduce smp_load_acquire(), smp_store_release()"); RHEL 7 has
 * them backported. Name tests; the fallbacks are the full-barrier forms
 * that commit gave architectures without lighter ones: the barrier orders
 * the store after what preceded it, and the load before what follows.
 *
 * Until 4.2 they took only int- and long-sized objects: their
 * compiletime_assert_atomic_type() (__native_word()) rejects kftp's bool
 * flags, commit 536fa402221f ("compiler: Allow 1- and 2-byte
 * smp_load_acquire() and smp_store_release()"; the id unverified, the
 * subject seen in a stable backport list; the release unverified: 3.16.0
 * rejects a bool, 4.4.155 and RHEL 7 take it). Probed
 * (KFTP_HAVE_SMP_ACQUIRE_BYTE); the version test errs late, the fallback
 * being correct everywhere.
 */
#ifndef KFTP_HAVE_SMP_ACQUIRE_BYTE
#define KFTP_HAVE_SMP_ACQUIRE_BYTE	KFTP_KERNEL_AT_LEAST(4, 4, 0)
#endif
#if !KFTP_HAVE_SMP_ACQUIRE_BYTE
#undef smp_store_release
#undef smp_load_acquire
#endif
#ifndef smp_store_release	/* the release: no store before it moves after */
#define smp_store_release(p, v)						\
	do {								\
		smp_mb();	/* what precedes, before the store */	\
		ACCESS_ONCE(*(p)) = (v);				\
	} while (0)
#endif
#ifndef smp_load_acquire	/* the acquire: no load after it moves before */
#define smp_load_acquire(p)						\
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
