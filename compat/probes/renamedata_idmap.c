// SPDX-License-Identifier: GPL-2.0
/* struct renamedata with two idmaps and the parents' inodes (6.3) */
#include <linux/fs.h>

int kftp_probe(struct mnt_idmap *idmap, struct inode *dir, struct dentry *d);
int kftp_probe(struct mnt_idmap *idmap, struct inode *dir, struct dentry *d)
{
	struct renamedata rd = {
		.old_mnt_idmap = idmap,
		.old_dir = dir,
		.old_dentry = d,
		.new_mnt_idmap = idmap,
		.new_dir = dir,
		.new_dentry = d,
	};

	return vfs_rename(&rd);
}
