// SPDX-License-Identifier: GPL-2.0
/* struct renamedata with two user namespaces (5.12) */
#include <linux/fs.h>

int kftp_probe(struct user_namespace *ns, struct inode *dir, struct dentry *d);
int kftp_probe(struct user_namespace *ns, struct inode *dir, struct dentry *d)
{
	struct renamedata rd = {
		.old_mnt_userns = ns,
		.old_dir = dir,
		.old_dentry = d,
		.new_mnt_userns = ns,
		.new_dir = dir,
		.new_dentry = d,
	};

	return vfs_rename(&rd);
}
