/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kftp compatibility layer: every kernel-version difference kftp meets is
 * hidden here, so src/ and proc/ read like current mainline code. Each
 * entry names the first kernel with the new form and the upstream commit.
 */
#ifndef KFTP_COMPAT_H
#define KFTP_COMPAT_H

#include <linux/version.h>
#include <linux/fs.h>
#include <linux/mount.h>

/*
 * 6.3: vfs_rename() and vfs_unlink() take the mount's idmap rather than
 * its user namespace: commit abf08576afe3 ("fs: port vfs_*() helpers to
 * struct mnt_idmap"). 5.12 added the user namespace argument and struct
 * renamedata: commits 6521f8917082 ("namei: prepare for idmapped mounts")
 * and 9fe61450972d ("namei: introduce struct renamedata").
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
static inline int kftp_vfs_rename(struct vfsmount *mnt, struct inode *dir,
				  struct dentry *old, struct dentry *new)
{
	struct renamedata rd = {
		.old_mnt_idmap = mnt_idmap(mnt),
		.old_dir = dir,
		.old_dentry = old,
		.new_mnt_idmap = mnt_idmap(mnt),
		.new_dir = dir,
		.new_dentry = new,
	};

	return vfs_rename(&rd);
}

static inline int kftp_vfs_unlink(struct vfsmount *mnt, struct inode *dir,
				  struct dentry *dentry)
{
	return vfs_unlink(mnt_idmap(mnt), dir, dentry, NULL);
}
#else
static inline int kftp_vfs_rename(struct vfsmount *mnt, struct inode *dir,
				  struct dentry *old, struct dentry *new)
{
	struct renamedata rd = {
		.old_mnt_userns = mnt_user_ns(mnt),
		.old_dir = dir,
		.old_dentry = old,
		.new_mnt_userns = mnt_user_ns(mnt),
		.new_dir = dir,
		.new_dentry = new,
	};

	return vfs_rename(&rd);
}

static inline int kftp_vfs_unlink(struct vfsmount *mnt, struct inode *dir,
				  struct dentry *dentry)
{
	return vfs_unlink(mnt_user_ns(mnt), dir, dentry, NULL);
}
#endif

#endif /* KFTP_COMPAT_H */
