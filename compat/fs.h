/* SPDX-License-Identifier: GPL-2.0 */
/* kftp compat: file writing, locking, rename and unlink. Included by kftp_compat.h. */
#ifndef KFTP_COMPAT_FS_H
#define KFTP_COMPAT_FS_H

#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/security.h>
#include <linux/uaccess.h>

/*
 * 4.14: kernel_write(file, buf, count, &pos), commit e13ec939e96b ("fs: fix
 * kernel_write prototype"). 3.9 to 4.13 took the position by value (export:
 * 7bb307e894d5); before 3.9 only vfs_write() under set_fs(KERNEL_DS), which
 * x86 lost in 5.10 (47058bb54b57) but which those kernels still have.
 */
#ifndef KFTP_HAVE_KERNEL_WRITE_POS
#define KFTP_HAVE_KERNEL_WRITE_POS	KFTP_KERNEL_AT_LEAST(4, 14, 0)
#endif
static inline ssize_t kftp_kernel_write(struct file *file, const void *buf,
					size_t count, loff_t *pos)
{
#if KFTP_HAVE_KERNEL_WRITE_POS
	return kernel_write(file, buf, count, pos);
#elif KFTP_KERNEL_AT_LEAST(3, 9, 0)
	ssize_t ret = kernel_write(file, buf, count, *pos);

	if (ret > 0)
		*pos += ret;
	return ret;
#else
	mm_segment_t old_fs = get_fs();
	ssize_t ret;

	set_fs(KERNEL_DS);
	ret = vfs_write(file, (const char __user *)buf, count, pos);
	set_fs(old_fs);
	return ret;
#endif
}

/*
 * 4.14: kernel_read(file, buf, count, &pos), commit bdd1d2d3d251 ("fs: fix
 * kernel_read prototype"); before, kernel_read(file, pos, buf, count)
 * with the position by value.
 */
#ifndef KFTP_HAVE_KERNEL_READ_POS
#define KFTP_HAVE_KERNEL_READ_POS	KFTP_KERNEL_AT_LEAST(4, 14, 0)
#endif
static inline ssize_t kftp_kernel_read(struct file *file, void *buf,
				       size_t count, loff_t *pos)
{
#if KFTP_HAVE_KERNEL_READ_POS
	return kernel_read(file, buf, count, pos);
#else
	ssize_t ret = kernel_read(file, *pos, buf, count);

	if (ret > 0)
		*pos += ret;
	return ret;
#endif
}

/* 2.6.35: vfs_fsync() lost its dentry argument (version read in SCST's backport.h) */
static inline int kftp_vfs_fsync(struct file *file, int datasync)
{
#if KFTP_KERNEL_AT_LEAST(2, 6, 35)
	return vfs_fsync(file, datasync);
#else
	return vfs_fsync(file, file->f_path.dentry, datasync);
#endif
}

/* 3.9: file_inode(), commit 496ad9aa8ef4 ("new helper: file_inode(file)") */
static inline struct inode *kftp_file_inode(struct file *f)
{
#if KFTP_KERNEL_AT_LEAST(3, 9, 0)
	return file_inode(f);
#else
	return f->f_path.dentry->d_inode;
#endif
}

/*
 * 4.0: d_inode(), commit 155e35d4daa8 ("VFS: Introduce inode-getting helpers
 * for layered/unioned fs environments"); subject and release unverified.
 * The fallback is harmless where d_inode() exists, so a late boundary is safe.
 */
#if KFTP_KERNEL_AT_LEAST(4, 0, 0)
#define kftp_d_inode(dentry)	d_inode(dentry)
#else
#define kftp_d_inode(dentry)	((dentry)->d_inode)
#endif

/*
 * 4.5: inode_lock()/inode_lock_nested() wrap i_mutex, commit 5955102c9984
 * ("wrappers for ->i_mutex access").
 */
#if KFTP_KERNEL_AT_LEAST(4, 5, 0)
#define kftp_inode_lock_nested(inode, class)	inode_lock_nested(inode, class)
#define kftp_inode_unlock(inode)		inode_unlock(inode)
#else
#define kftp_inode_lock_nested(inode, class)	\
	mutex_lock_nested(&(inode)->i_mutex, class)
#define kftp_inode_unlock(inode)		mutex_unlock(&(inode)->i_mutex)
#endif

/*
 * 6.16: lookup_one_len() became lookup_noperm() taking a struct qstr,
 * commit fa6fe07d1536 ("VFS: rename lookup_one_len family to lookup_noperm
 * and remove permission check"); vfs_rename() checks permissions itself.
 * Compiled here only against 6.1 and 6.12.
 */
#ifndef KFTP_HAVE_LOOKUP_NOPERM
#define KFTP_HAVE_LOOKUP_NOPERM	KFTP_KERNEL_AT_LEAST(6, 16, 0)
#endif
static inline struct dentry *kftp_lookup(const char *name, struct dentry *dir)
{
#if KFTP_HAVE_LOOKUP_NOPERM
	struct qstr q = QSTR_INIT(name, strlen(name));

	return lookup_noperm(&q, dir);
#else
	return lookup_one_len(name, dir, strlen(name));
#endif
}

/*
 * vfs_rename() and vfs_unlink(), newest form first; Kbuild probes each
 * switch (compat/probes/), the version tests are the fallback:
 *  3.13: a struct inode **delegated_inode argument, commits 8e6d782cab50
 *        ("locks: break delegations on rename") and b21996e36c8e ("locks:
 *        break delegations on unlink"); RHEL 7's 3.10.0 has it;
 *  3.15: vfs_rename() takes flags, commit 520c8b165052 ("vfs: add renameat2
 *        syscall"); RHEL 7's 3.10.0 has it;
 *  5.12: struct renamedata, commit 9fe61450972d ("namei: introduce struct
 *        renamedata"), and the mount's user namespace, commit 549c7297717c
 *        ("fs: make helpers idmap mount aware"); 5.10.220 backports
 *        renamedata alone, without the user namespaces;
 *  6.3:  the mount's idmap instead, commit abf08576afe3 ("fs: port vfs_*()
 *        helpers to struct mnt_idmap");
 *  6.17: the parents' dentries instead of their inodes, commit
 *        bc9241367aac ("VFS: change old_dir and new_dir in struct
 *        renamedata to dentrys");
 *  6.18: one mnt_idmap, commit d7fb2c410240 ("VFS: unify old_mnt_idmap and
 *        new_mnt_idmap in renamedata");
 *  6.19: struct delegated_inode * replaces struct inode **, commit
 *        6976ed2dd0d5 ("filelock: add struct delegated_inode").
 * The three releases are inferred from the vfs branches and pull requests
 * that carried them; 7.2 and 7.3 have all three.
 * kftp renames within one directory, @dir, whose inode lock the caller
 * holds, and needs neither delegation breaking nor flags: NULL suits both
 * delegation types.
 */
#ifndef KFTP_HAVE_RENAMEDATA_MNT_IDMAP
#define KFTP_HAVE_RENAMEDATA_MNT_IDMAP	KFTP_KERNEL_AT_LEAST(6, 18, 0)
#endif
#ifndef KFTP_HAVE_RENAMEDATA_PARENT
#define KFTP_HAVE_RENAMEDATA_PARENT	KFTP_KERNEL_AT_LEAST(6, 17, 0)
#endif
#ifndef KFTP_HAVE_RENAMEDATA_IDMAP
#define KFTP_HAVE_RENAMEDATA_IDMAP	KFTP_KERNEL_AT_LEAST(6, 3, 0)
#endif
#ifndef KFTP_HAVE_RENAMEDATA_USERNS
#define KFTP_HAVE_RENAMEDATA_USERNS	KFTP_KERNEL_AT_LEAST(5, 12, 0)
#endif
#ifndef KFTP_HAVE_RENAMEDATA
#define KFTP_HAVE_RENAMEDATA	(KFTP_KERNEL_AT_LEAST(5, 10, 220) && \
				 !KFTP_KERNEL_AT_LEAST(5, 11, 0))
#endif
#ifndef KFTP_HAVE_VFS_RENAME_FLAGS
#define KFTP_HAVE_VFS_RENAME_FLAGS	KFTP_KERNEL_AT_LEAST(3, 15, 0)
#endif
#ifndef KFTP_HAVE_VFS_RENAME_DELEG
#define KFTP_HAVE_VFS_RENAME_DELEG	KFTP_KERNEL_AT_LEAST(3, 13, 0)
#endif
#ifndef KFTP_HAVE_VFS_UNLINK_IDMAP
#define KFTP_HAVE_VFS_UNLINK_IDMAP	KFTP_KERNEL_AT_LEAST(5, 12, 0)
#endif
#ifndef KFTP_HAVE_VFS_UNLINK_DELEG
#define KFTP_HAVE_VFS_UNLINK_DELEG	KFTP_KERNEL_AT_LEAST(3, 13, 0)
#endif
/* 6.3, abf08576afe3 above: the idmap that replaced the user namespace */
#ifndef KFTP_HAVE_MNT_IDMAP
#define KFTP_HAVE_MNT_IDMAP	KFTP_KERNEL_AT_LEAST(6, 3, 0)
#endif
#if KFTP_HAVE_MNT_IDMAP
#define KFTP_MNT_IDMAP(mnt)	mnt_idmap(mnt)
#else
#define KFTP_MNT_IDMAP(mnt)	mnt_user_ns(mnt)
#endif

/*
 * A file's owner as the mount @mnt shows it, which on an idmapped mount
 * is not i_uid, for comparing with the writer's fsuid or another file's
 * owner as the VFS compares them (may_create_in_sticky(),
 * inode_owner_or_capable()):
 *  5.12: i_uid_into_mnt(), with idmapped mounts (the series of commit
 *        2f221d6f7b88 above; the helper's own id unverified);
 *  6.0:  i_uid_into_vfsuid() and vfsuid_t, turned back into a kuid_t by
 *        vfsuid_into_kuid() (release from the vfs branch; id unverified);
 *  6.3:  the mount's idmap, commit abf08576afe3 above.
 * 6.1's headers have both 5.12's and 6.0's helpers, 6.12's only 6.0's.
 * An owner the mount cannot show is the invalid uid.
 */
#if KFTP_KERNEL_AT_LEAST(6, 0, 0)
static inline kuid_t kftp_mapped_owner(struct vfsmount *mnt,
				       const struct inode *inode)
{
	return vfsuid_into_kuid(i_uid_into_vfsuid(KFTP_MNT_IDMAP(mnt), inode));
}
#elif KFTP_KERNEL_AT_LEAST(5, 12, 0)
static inline kuid_t kftp_mapped_owner(struct vfsmount *mnt,
				       const struct inode *inode)
{
	return i_uid_into_mnt(mnt_user_ns(mnt), inode);
}
#else
/* a macro: i_uid is a uid_t before 3.5 and a kuid_t after */
#define kftp_mapped_owner(mnt, inode)	((void)(mnt), (inode)->i_uid)
#endif

static inline bool kftp_owner_is_fsuid(struct vfsmount *mnt,
				       const struct inode *inode)
{
	return kftp_uid_eq(kftp_mapped_owner(mnt, inode), current_fsuid());
}

/* An owner the mount cannot show is nobody's: not even the same. */
static inline bool kftp_same_owner(struct vfsmount *mnt,
				   const struct inode *a,
				   const struct inode *b)
{
	return kftp_uid_valid(kftp_mapped_owner(mnt, a)) &&
	       kftp_uid_eq(kftp_mapped_owner(mnt, a), kftp_mapped_owner(mnt, b));
}

static inline int kftp_vfs_rename(const struct path *dir, struct dentry *old,
				  struct dentry *new)
{
#if KFTP_HAVE_RENAMEDATA_MNT_IDMAP
	struct renamedata rd = {
		.mnt_idmap = mnt_idmap(dir->mnt),
		.old_parent = dir->dentry,
		.old_dentry = old,
		.new_parent = dir->dentry,
		.new_dentry = new,
	};

	return vfs_rename(&rd);
#elif KFTP_HAVE_RENAMEDATA_PARENT
	struct renamedata rd = {
		.old_mnt_idmap = mnt_idmap(dir->mnt),
		.old_parent = dir->dentry,
		.old_dentry = old,
		.new_mnt_idmap = mnt_idmap(dir->mnt),
		.new_parent = dir->dentry,
		.new_dentry = new,
	};

	return vfs_rename(&rd);
#elif KFTP_HAVE_RENAMEDATA_IDMAP
	struct renamedata rd = {
		.old_mnt_idmap = mnt_idmap(dir->mnt),
		.old_dir = kftp_d_inode(dir->dentry),
		.old_dentry = old,
		.new_mnt_idmap = mnt_idmap(dir->mnt),
		.new_dir = kftp_d_inode(dir->dentry),
		.new_dentry = new,
	};

	return vfs_rename(&rd);
#elif KFTP_HAVE_RENAMEDATA_USERNS
	struct renamedata rd = {
		.old_mnt_userns = mnt_user_ns(dir->mnt),
		.old_dir = kftp_d_inode(dir->dentry),
		.old_dentry = old,
		.new_mnt_userns = mnt_user_ns(dir->mnt),
		.new_dir = kftp_d_inode(dir->dentry),
		.new_dentry = new,
	};

	return vfs_rename(&rd);
#elif KFTP_HAVE_RENAMEDATA
	struct renamedata rd = {
		.old_dir = kftp_d_inode(dir->dentry),
		.old_dentry = old,
		.new_dir = kftp_d_inode(dir->dentry),
		.new_dentry = new,
	};

	return vfs_rename(&rd);
#elif KFTP_HAVE_VFS_RENAME_FLAGS
	struct inode *inode = kftp_d_inode(dir->dentry);

	return vfs_rename(inode, old, inode, new, NULL, 0);
#elif KFTP_HAVE_VFS_RENAME_DELEG
	struct inode *inode = kftp_d_inode(dir->dentry);

	return vfs_rename(inode, old, inode, new, NULL);
#else
	struct inode *inode = kftp_d_inode(dir->dentry);

	return vfs_rename(inode, old, inode, new);
#endif
}

static inline int kftp_vfs_unlink(const struct path *dir, struct dentry *dentry)
{
	struct inode *inode = kftp_d_inode(dir->dentry);

#if KFTP_HAVE_VFS_UNLINK_IDMAP
	return vfs_unlink(KFTP_MNT_IDMAP(dir->mnt), inode, dentry, NULL);
#elif KFTP_HAVE_VFS_UNLINK_DELEG
	return vfs_unlink(inode, dentry, NULL);
#else
	return vfs_unlink(inode, dentry);
#endif
}

/*
 * mkdirs: one directory, as mkdir(2) makes it, in the caller's context:
 *  5.12: vfs_mkdir() takes the mount's user namespace, commit 549c7297717c
 *        ("fs: make helpers idmap mount aware"); 6.3 its idmap, commit
 *        abf08576afe3 (KFTP_MNT_IDMAP() covers both);
 *  6.15: vfs_mkdir() returns the dentry it made, commit c54b386969a5
 *        ("VFS: Change vfs_mkdir() to return the dentry."; id unverified);
 *  6.18: kern_path_create() and done_path_create() are renamed
 *        start_creating_path() and end_creating_path() (NeilBrown's VFS
 *        series; commit id unverified);
 *  6.19: a struct delegated_inode * argument, with commit 6976ed2dd0d5
 *        ("filelock: add struct delegated_inode").
 * The releases are inferred as for kftp_vfs_rename(); 7.2 and 7.3 have all.
 * The umask applies unless the parent has POSIX ACLs, as do_mkdirat()
 * does; an existing name gives -EEXIST, whatever it is.
 */
#ifndef KFTP_HAVE_START_CREATING_PATH
#define KFTP_HAVE_START_CREATING_PATH	KFTP_KERNEL_AT_LEAST(6, 18, 0)
#endif
#ifndef KFTP_HAVE_VFS_MKDIR_DENTRY
#define KFTP_HAVE_VFS_MKDIR_DENTRY	KFTP_KERNEL_AT_LEAST(6, 15, 0)
#endif
#ifndef KFTP_HAVE_VFS_MKDIR_DELEG
#define KFTP_HAVE_VFS_MKDIR_DELEG	KFTP_KERNEL_AT_LEAST(6, 19, 0)
#endif
/*
 * 3.6: done_path_create(), and kern_path_create() takes write access to
 * the mount itself (commit unverified); 3.1: kern_path_create() with an
 * is_dir argument, commit dae6ad8f3752 ("new helpers:
 * kern_path_create/user_path_create"); before it, sys_mkdirat() looked
 * the parent up with path_lookup() (AT_FDCWD only) and called
 * lookup_create(). The fallbacks do what sys_mkdirat() did then.
 */
#if KFTP_KERNEL_AT_LEAST(3, 6, 0)
#define kftp_kern_path_create(dfd, name, path, flags)	\
	kern_path_create(dfd, name, path, flags)
#define kftp_done_path_create(path, dentry)	done_path_create(path, dentry)
#else
static inline void kftp_unlock_path_create(struct path *path,
					   struct dentry *dentry)
{
	dput(dentry);
	mutex_unlock(&kftp_d_inode(path->dentry)->i_mutex);
	path_put(path);
}

static inline struct dentry *kftp_kern_path_create(int dfd, const char *name,
						   struct path *path,
						   unsigned int flags)
{
	struct dentry *dentry;
#if !KFTP_KERNEL_AT_LEAST(3, 1, 0)
	struct nameidata nd;
#endif
	int err;

#if KFTP_KERNEL_AT_LEAST(3, 1, 0)
	dentry = kern_path_create(dfd, name, path, flags & LOOKUP_DIRECTORY);
	if (IS_ERR(dentry))
		return dentry;
#else
	err = path_lookup(name, LOOKUP_PARENT, &nd);
	if (err)
		return ERR_PTR(err);
	*path = nd.path;
	dentry = lookup_create(&nd, flags & LOOKUP_DIRECTORY);
	if (IS_ERR(dentry)) {
		mutex_unlock(&kftp_d_inode(path->dentry)->i_mutex);
		path_put(path);
		return dentry;
	}
#endif
	err = mnt_want_write(path->mnt);
	if (err) {
		kftp_unlock_path_create(path, dentry);
		return ERR_PTR(err);
	}
	return dentry;
}

static inline void kftp_done_path_create(struct path *path,
					 struct dentry *dentry)
{
	mnt_drop_write(path->mnt);
	kftp_unlock_path_create(path, dentry);
}
#endif

static inline int kftp_mkdir(const char *name, umode_t mode)
{
	struct dentry *dentry;
	struct path parent;
	struct inode *dir;
	int err;

#if KFTP_HAVE_START_CREATING_PATH
	dentry = start_creating_path(AT_FDCWD, name, &parent, LOOKUP_DIRECTORY);
#else
	dentry = kftp_kern_path_create(AT_FDCWD, name, &parent,
				       LOOKUP_DIRECTORY);
#endif
	if (IS_ERR(dentry))
		return PTR_ERR(dentry);
	dir = kftp_d_inode(parent.dentry);
	if (!IS_POSIXACL(dir))
		mode &= ~current_umask();
	err = security_path_mkdir(&parent, dentry, mode);
	if (!err) {
#if KFTP_HAVE_VFS_MKDIR_DELEG
		dentry = vfs_mkdir(KFTP_MNT_IDMAP(parent.mnt), dir, dentry, mode,
				   NULL);
#elif KFTP_HAVE_VFS_MKDIR_DENTRY
		dentry = vfs_mkdir(KFTP_MNT_IDMAP(parent.mnt), dir, dentry, mode);
#elif KFTP_KERNEL_AT_LEAST(5, 12, 0)
		err = vfs_mkdir(KFTP_MNT_IDMAP(parent.mnt), dir, dentry, mode);
#else
		err = vfs_mkdir(dir, dentry, mode);
#endif
#if KFTP_HAVE_VFS_MKDIR_DENTRY
		if (IS_ERR(dentry))
			err = PTR_ERR(dentry);
#endif
	}
#if KFTP_HAVE_START_CREATING_PATH
	end_creating_path(&parent, dentry);
#else
	kftp_done_path_create(&parent, dentry);
#endif
	return err;
}

/*
 * 6.8: vfs_iter_write() takes the superblock's freeze protection itself,
 * commit 269aed7014b3 ("fs: move file_start_write() into
 * vfs_iter_write()"); before, its callers took it. A backport cannot be
 * seen from the signature: KFTP_HAVE_ITER_WRITE_STARTS=1 forces it.
 */
#ifndef KFTP_HAVE_ITER_WRITE_STARTS
#define KFTP_HAVE_ITER_WRITE_STARTS	KFTP_KERNEL_AT_LEAST(6, 8, 0)
#endif
#if KFTP_HAVE_RECV_DIRECT
#include <linux/uio.h>

static inline ssize_t kftp_vfs_iter_write(struct file *file,
					  struct iov_iter *iter, loff_t *pos)
{
#if KFTP_HAVE_ITER_WRITE_STARTS
	return vfs_iter_write(file, iter, pos, 0);
#else
	ssize_t n;

	file_start_write(file);
	n = vfs_iter_write(file, iter, pos, 0);
	file_end_write(file);
	return n;
#endif
}
#endif

#endif /* KFTP_COMPAT_FS_H */
