// SPDX-License-Identifier: GPL-2.0
/* vfs_unlink(dir, dentry, &delegated) (3.13) */
#include <linux/fs.h>

int kftp_probe(struct inode *dir, struct dentry *d);
int kftp_probe(struct inode *dir, struct dentry *d)
{
	return vfs_unlink(dir, d, NULL);
}
