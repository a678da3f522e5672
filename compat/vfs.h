/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kftp compat: acting for the writer in the VFS and the memory cgroup:
 * opening relative to a pinned directory, attributes, LSM path hooks,
 * limits, memory accounting and keyed hashing. Included by kftp_compat.h.
 */
#ifndef KFTP_COMPAT_VFS_H
#define KFTP_COMPAT_VFS_H

#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/path.h>
#include <linux/sched.h>
#include <linux/security.h>
#include <linux/slab.h>

/*
 * 5.12: file_open_root() takes a struct path, commit ffb37ca3bd16 ("switch
 * file_open_root() to struct path"); 2.6.39 introduced it with a dentry
 * and a vfsmount, commit 73d049a40fc6 ("open-style analog of
 * vfs_path_lookup()"), without a mode: there a new file is created with
 * mode 0, which only kftp's own open file may write until the commit sets
 * the final mode. The mode came with 378c6520e7d2 ("fs/coredump: prevent
 * fsuid=0 dumps into user-controlled directories") in 4.6, taken into
 * 4.5.1 and 4.4.7, the first stable releases after it (compiled: 4.4.1
 * has none, 4.4.11 and 4.4.155 have it; 3.10.99 and RHEL 7 have none).
 * Probed (FILE_OPEN_ROOT_PATH, _MODE), for the other lines that took it.
 */
#ifndef KFTP_HAVE_FILE_OPEN_ROOT_PATH
#define KFTP_HAVE_FILE_OPEN_ROOT_PATH	KFTP_KERNEL_AT_LEAST(5, 12, 0)
#endif
#ifndef KFTP_HAVE_FILE_OPEN_ROOT_MODE
#define KFTP_HAVE_FILE_OPEN_ROOT_MODE	(KFTP_KERNEL_AT_LEAST(4, 5, 1) || \
		(KFTP_KERNEL_AT_LEAST(4, 4, 7) && !KFTP_KERNEL_AT_LEAST(4, 5, 0)))
#endif
#if KFTP_HAVE_FILE_OPEN_ROOT_PATH
static inline struct file *kftp_file_open_at(const struct path *dir,
					     const char *name, int flags,
					     umode_t mode)
{
	return file_open_root(dir, name, flags, mode);
}
#elif KFTP_HAVE_FILE_OPEN_ROOT_MODE
static inline struct file *kftp_file_open_at(const struct path *dir,
					     const char *name, int flags,
					     umode_t mode)
{
	return file_open_root(dir->dentry, dir->mnt, name, flags, mode);
}
#elif KFTP_KERNEL_AT_LEAST(2, 6, 39)
static inline struct file *kftp_file_open_at(const struct path *dir,
					     const char *name, int flags,
					     umode_t mode)
{
	return file_open_root(dir->dentry, dir->mnt, name, flags);
}
#else
/*
 * Before 2.6.39 nothing opens relative to a directory: look the one name
 * up in the pinned directory under its lock, create it there as nfsd
 * does (vfs_create() checks the directory's permission and the LSM's),
 * and open that dentry, so the writer's root bounds the file as on later
 * kernels. The names are kftp's own single components.
 */
static inline int kftp_open_at_locked(const struct path *dir,
				      struct dentry *dentry, int flags,
				      umode_t mode)
{
	struct inode *inode = dentry->d_inode;
	int err;

	if (!inode) {
		if (!(flags & O_CREAT))
			return -ENOENT;
		err = mnt_want_write(dir->mnt);
		if (err)
			return err;
		err = vfs_create(dir->dentry->d_inode, dentry, mode, NULL);
		mnt_drop_write(dir->mnt);
		return err;
	}
	if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
		return -EEXIST;
	if (S_ISLNK(inode->i_mode))
		return -ELOOP;
	if (S_ISDIR(inode->i_mode))
		return -EISDIR;
	return inode_permission(inode, (flags & O_ACCMODE) == O_RDONLY ?
				MAY_READ : MAY_READ | MAY_WRITE);
}

static inline struct file *kftp_file_open_at(const struct path *dir,
					     const char *name, int flags,
					     umode_t mode)
{
	struct inode *dinode = dir->dentry->d_inode;
	struct dentry *dentry;
	int err;

	mutex_lock_nested(&dinode->i_mutex, I_MUTEX_PARENT);
	dentry = lookup_one_len(name, dir->dentry, strlen(name));
	if (IS_ERR(dentry)) {
		mutex_unlock(&dinode->i_mutex);
		return ERR_CAST(dentry);
	}
	err = kftp_open_at_locked(dir, dentry, flags, mode);
	mutex_unlock(&dinode->i_mutex);
	if (err) {
		dput(dentry);
		return ERR_PTR(err);
	}
	/* dentry_open() takes both references, on failure too */
	return dentry_open(dentry, mntget(dir->mnt), flags & ~(O_CREAT | O_EXCL),
			   current_cred());
}
#endif

/*
 * notify_change(): 3.13 added the delegated inode, commit 27ac0ffeac80
 * ("locks: break delegations on any attribute modification"); 5.12 the
 * mount's user namespace, commit 2f221d6f7b88 ("attr: handle idmapped
 * mounts"); 6.3 its idmap, commit abf08576afe3 ("fs: port vfs_*() helpers
 * to struct mnt_idmap"). kftp changes a file nobody else has open, so it
 * needs no delegation breaking. The caller holds the inode's lock. The
 * delegation argument is probed (NOTIFY_CHANGE_DELEG): RHEL 7 has it.
 */
#ifndef KFTP_HAVE_NOTIFY_CHANGE_DELEG
#define KFTP_HAVE_NOTIFY_CHANGE_DELEG	KFTP_KERNEL_AT_LEAST(3, 13, 0)
#endif
static inline int kftp_notify_change(struct vfsmount *mnt,
				     struct dentry *dentry, struct iattr *attr)
{
#if KFTP_KERNEL_AT_LEAST(6, 3, 0)
	return notify_change(mnt_idmap(mnt), dentry, attr, NULL);
#elif KFTP_KERNEL_AT_LEAST(5, 12, 0)
	return notify_change(mnt_user_ns(mnt), dentry, attr, NULL);
#elif KFTP_HAVE_NOTIFY_CHANGE_DELEG
	return notify_change(dentry, attr, NULL);
#else
	return notify_change(dentry, attr);
#endif
}

/*
 * vfs_truncate(): 3.8 (as third-party compat code has it; commit
 * unverified). Before it, what do_truncate() did for ftruncate(2), on
 * kftp's own temporary file, open for writing: no LSM path hook, no
 * set-id bits to drop.
 */
#if KFTP_KERNEL_AT_LEAST(3, 8, 0)
/* a macro: the path became const after 3.8, and struct file's f_path in 7.x */
#define kftp_vfs_truncate(path, length)	vfs_truncate(path, length)
#else
static inline long kftp_vfs_truncate(const struct path *path, loff_t length)
{
	struct iattr ia = {
		.ia_valid = ATTR_SIZE | ATTR_MTIME | ATTR_CTIME,
		.ia_size = length,
	};
	struct inode *inode = kftp_d_inode(path->dentry);
	int err;

	if (length < 0)
		return -EINVAL;
	mutex_lock(&inode->i_mutex);
	err = kftp_notify_change(path->mnt, path->dentry, &ia);
	mutex_unlock(&inode->i_mutex);
	return err;
}
#endif

/*
 * The LSM path hooks that do_unlinkat() and do_renameat2() call before
 * vfs_unlink() and vfs_rename() (AppArmor, TOMOYO, Landlock): 2.6.29,
 * commit be6d3e56a6b9 ("introduce new LSM hooks where vfsmount is
 * available"); the rename hook took renameat2()'s flags in 3.15 (commit
 * 0b3974eb04c4, "security: add flags to rename hooks"; id unverified).
 * Both are stubs returning 0 without CONFIG_SECURITY_PATH. The flags are
 * probed (SECURITY_PATH_RENAME_FLAGS): RHEL 7 has them.
 */
#ifndef KFTP_HAVE_SECURITY_PATH_RENAME_FLAGS
#define KFTP_HAVE_SECURITY_PATH_RENAME_FLAGS	KFTP_KERNEL_AT_LEAST(3, 15, 0)
#endif
static inline int kftp_security_path_rename(struct path *dir,
					    struct dentry *old,
					    struct dentry *new)
{
#if KFTP_HAVE_SECURITY_PATH_RENAME_FLAGS
	return security_path_rename(dir, old, dir, new, 0);
#else
	return security_path_rename(dir, old, dir, new);
#endif
}

/*
 * 2.6.33: rlimit(), commit 3e10e716abf3 ("resource: add helpers for
 * fetching rlimits").
 */
static inline unsigned long kftp_rlimit(unsigned int limit)
{
#if KFTP_KERNEL_AT_LEAST(2, 6, 33)
	return rlimit(limit);
#else
	return ACCESS_ONCE(current->signal->rlim[limit].rlim_cur);
#endif
}

/*
 * 4.5: GFP_KERNEL_ACCOUNT, commit a9bb7e620efd ("memcg: only account kmem
 * allocations marked as __GFP_ACCOUNT"); before it kernel memory was not
 * charged by flag.
 */
#ifndef GFP_KERNEL_ACCOUNT
#define GFP_KERNEL_ACCOUNT GFP_KERNEL
#endif

/*
 * set_active_memcg() charges what a kernel thread allocates, page cache
 * included, to a given memory cgroup: 5.10, commit b87d8cefe43c ("mm,
 * memcg: rework remote charging API to support nesting"; id unverified).
 * The inline reads the per-CPU int_active_memcg, exported for modules only
 * in 5.14, commit c74d40e8b5e2 ("loop: charge i/o to mem and blk cg"; as
 * NVIDIA's conftest records it): Debian's 5.10 lacks the export. Before
 * it a transfer's buffers and pages are charged to the root cgroup.
 */
#ifndef KFTP_HAVE_SET_ACTIVE_MEMCG
#define KFTP_HAVE_SET_ACTIVE_MEMCG	KFTP_KERNEL_AT_LEAST(5, 14, 0)
#endif
#if KFTP_HAVE_SET_ACTIVE_MEMCG
#include <linux/memcontrol.h>
#include <linux/sched/mm.h>

static inline struct mem_cgroup *kftp_get_writer_memcg(void)
{
	return get_mem_cgroup_from_mm(current->mm);
}

static inline void kftp_put_memcg(struct mem_cgroup *memcg)
{
	mem_cgroup_put(memcg);
}

#define kftp_set_active_memcg set_active_memcg
#else
static inline struct mem_cgroup *kftp_get_writer_memcg(void)
{
	return NULL;
}

static inline void kftp_put_memcg(struct mem_cgroup *memcg)
{
}

static inline struct mem_cgroup *kftp_set_active_memcg(struct mem_cgroup *m)
{
	return NULL;
}
#endif

/*
 * 4.11: siphash(), commit 2c956a60778c ("siphash: add cryptographically
 * secure PRF"). Before it, SipHash-2-4 here: the pool keys accounts on it.
 * Probed (SIPHASH): 4.9.229 and RHEL 7 have it backported. The fallback
 * takes a name of its own, so it cannot clash with a backported siphash()
 * that some other header declares when the probes are off.
 */
#ifndef KFTP_HAVE_SIPHASH
#define KFTP_HAVE_SIPHASH	KFTP_KERNEL_AT_LEAST(4, 11, 0)
#endif
#if KFTP_HAVE_SIPHASH
#include <linux/siphash.h>

#define kftp_siphash_key_t	siphash_key_t
#define kftp_siphash(data, len, key)	siphash(data, len, key)
#else
#include <asm/unaligned.h>

struct kftp_siphash_key {
	u64 key[2];
};

#define kftp_siphash_key_t	struct kftp_siphash_key

static inline u64 kftp_rol64(u64 v, unsigned int n)
{
	return (v << n) | (v >> (64 - n));
}

static inline void kftp_sipround(u64 v[4])
{
	v[0] += v[1];
	v[1] = kftp_rol64(v[1], 13) ^ v[0];
	v[0] = kftp_rol64(v[0], 32);
	v[2] += v[3];
	v[3] = kftp_rol64(v[3], 16) ^ v[2];
	v[0] += v[3];
	v[3] = kftp_rol64(v[3], 21) ^ v[0];
	v[2] += v[1];
	v[1] = kftp_rol64(v[1], 17) ^ v[2];
	v[2] = kftp_rol64(v[2], 32);
}

static inline u64 kftp_siphash(const void *data, size_t len,
			       const kftp_siphash_key_t *key)
{
	u64 v[4] = {
		0x736f6d6570736575ULL ^ key->key[0],
		0x646f72616e646f6dULL ^ key->key[1],
		0x6c7967656e657261ULL ^ key->key[0],
		0x7465646279746573ULL ^ key->key[1],
	};
	u64 b = (u64)len << 56, m;
	const u8 *p = data;
	size_t i;

	for (; len >= 8; len -= 8, p += 8) {
		m = get_unaligned_le64(p);
		v[3] ^= m;
		kftp_sipround(v);
		kftp_sipround(v);
		v[0] ^= m;
	}
	for (i = 0; i < len; i++)
		b |= (u64)p[i] << (8 * i);
	v[3] ^= b;
	kftp_sipround(v);
	kftp_sipround(v);
	v[0] ^= b;
	v[2] ^= 0xff;
	for (i = 0; i < 4; i++)
		kftp_sipround(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}
#endif

#endif /* KFTP_COMPAT_VFS_H */
