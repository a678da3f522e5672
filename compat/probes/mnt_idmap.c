// SPDX-License-Identifier: GPL-2.0
/* mnt_idmap() instead of mnt_user_ns() (6.3) */
#include <linux/mount.h>

struct mnt_idmap *kftp_probe(struct vfsmount *mnt);
struct mnt_idmap *kftp_probe(struct vfsmount *mnt)
{
	return mnt_idmap(mnt);
}
