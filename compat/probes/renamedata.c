// SPDX-License-Identifier: GPL-2.0
/* struct renamedata without a mount's namespace (5.10.220 backport) */
#include <linux/fs.h>

int kftp_probe(struct inode *dir, struct dentry *d);
int kftp_probe(struct inode *dir, struct dentry *d)
{
	struct renamedata rd = {
		.old_dir = dir,
		.old_dentry = d,
		.new_dir = dir,
		.new_dentry = d,
	};

	return vfs_rename(&rd);
}
