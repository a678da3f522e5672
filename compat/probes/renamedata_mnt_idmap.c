// SPDX-License-Identifier: GPL-2.0
/* struct renamedata with one mnt_idmap and the parents' dentries (7.x) */
#include <linux/fs.h>

int kftp_probe(struct mnt_idmap *idmap, struct dentry *dir, struct dentry *d);
int kftp_probe(struct mnt_idmap *idmap, struct dentry *dir, struct dentry *d)
{
	struct renamedata rd = {
		.mnt_idmap = idmap,
		.old_parent = dir,
		.old_dentry = d,
		.new_parent = dir,
		.new_dentry = d,
	};

	return vfs_rename(&rd);
}
