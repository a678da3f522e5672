// SPDX-License-Identifier: GPL-2.0
/* vfs_unlink(idmap or user namespace, dir, dentry, delegated) (5.12) */
#include <linux/fs.h>

int kftp_probe(struct inode *dir, struct dentry *d);
int kftp_probe(struct inode *dir, struct dentry *d)
{
	return vfs_unlink(NULL, dir, d, NULL);
}
