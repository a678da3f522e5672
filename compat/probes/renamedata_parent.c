// SPDX-License-Identifier: GPL-2.0
/* struct renamedata with two idmaps and the parents' dentries */
#include <linux/fs.h>

int kftp_probe(struct mnt_idmap *idmap, struct dentry *dir, struct dentry *d);
int kftp_probe(struct mnt_idmap *idmap, struct dentry *dir, struct dentry *d)
{
	struct renamedata rd = {
		.old_mnt_idmap = idmap,
		.old_parent = dir,
		.old_dentry = d,
		.new_mnt_idmap = idmap,
		.new_parent = dir,
		.new_dentry = d,
	};

	return vfs_rename(&rd);
}
