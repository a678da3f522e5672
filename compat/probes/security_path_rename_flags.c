// SPDX-License-Identifier: GPL-2.0
/* security_path_rename() with renameat2()'s flags (3.15, RHEL 7) */
#include <linux/path.h>
#include <linux/security.h>

int kftp_probe(const struct path *dir, struct dentry *d);
int kftp_probe(const struct path *dir, struct dentry *d)
{
	return security_path_rename(dir, d, dir, d, 0);
}
