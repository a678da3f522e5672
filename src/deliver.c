// SPDX-License-Identifier: GPL-2.0
/*
 * File delivery: the data goes to a temporary file in the destination's
 * directory, which is renamed over the destination only when the transfer
 * succeeded, so a failure never clobbers an existing file. Runs with the
 * writer's credentials (see transfer.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/namei.h>
#include <linux/slab.h>
#include <linux/dcache.h>

#include "kftp_compat.h"
#include "kftp.h"

int kftp_dest_open(struct kftp_dest *d, const char *path, u64 id)
{
	const char *base = strrchr(path, '/') + 1;
	struct file *file;
	char *tmp;

	memset(d, 0, sizeof(*d));
	/* ".kftp-ID-NAME", cut so that it stays within NAME_MAX */
	tmp = kasprintf(GFP_KERNEL, "%.*s.kftp-%llu-%.200s", (int)(base - path),
			path, id, base);
	if (!tmp)
		return -ENOMEM;
	file = filp_open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_LARGEFILE, 0644);
	kfree(tmp);
	if (IS_ERR(file))
		return PTR_ERR(file);
	if (!S_ISREG(file_inode(file)->i_mode)) {
		filp_close(file, NULL);
		return -EINVAL;
	}
	d->file = file;
	/* rename within the directory the file was really created in */
	d->dir.mnt = mntget(file->f_path.mnt);
	d->dir.dentry = dget_parent(file->f_path.dentry);
	d->name = base;
	return 0;
}

int kftp_dest_write(struct kftp_dest *d, const void *buf, size_t len)
{
	while (len) {
		ssize_t n = kernel_write(d->file, buf, len, &d->pos);

		if (n < 0)
			return n;
		if (!n)
			return -EIO;
		buf += n;
		len -= n;
	}
	return 0;
}

static void dest_close(struct kftp_dest *d)
{
	filp_close(d->file, NULL);
	path_put(&d->dir);
	d->file = NULL;
}

/* Is the temporary file still where we created it? (parent locked) */
static bool dest_in_place(struct kftp_dest *d)
{
	struct dentry *dentry = d->file->f_path.dentry;

	return dentry->d_parent == d->dir.dentry && !d_unhashed(dentry);
}

void kftp_dest_abort(struct kftp_dest *d)
{
	struct inode *dir = d_inode(d->dir.dentry);
	struct dentry *dentry = d->file->f_path.dentry;
	int err;

	err = mnt_want_write(d->dir.mnt);
	if (!err) {
		/*
		 * A reference of our own, as do_unlinkat() holds one: with
		 * only the open file's, d_delete() would turn the dentry
		 * negative under the file and its last fput would oops.
		 */
		dget(dentry);
		inode_lock_nested(dir, I_MUTEX_PARENT);
		if (dest_in_place(d))
			err = kftp_vfs_unlink(d->dir.mnt, dir, dentry);
		inode_unlock(dir);
		dput(dentry);
		mnt_drop_write(d->dir.mnt);
	}
	if (err)
		pr_warn("cannot remove temporary file %s: %d\n",
			d->file->f_path.dentry->d_name.name, err);
	dest_close(d);
}

int kftp_dest_commit(struct kftp_dest *d)
{
	struct inode *dir = d_inode(d->dir.dentry);
	struct dentry *target;
	int err;

	err = vfs_fsync(d->file, 0);
	if (err)
		goto abort;
	err = mnt_want_write(d->dir.mnt);
	if (err)
		goto abort;
	inode_lock_nested(dir, I_MUTEX_PARENT);
	target = kftp_lookup(d->name, d->dir.dentry);
	if (IS_ERR(target)) {
		err = PTR_ERR(target);
	} else {
		err = dest_in_place(d) ?
			kftp_vfs_rename(d->dir.mnt, dir, d->file->f_path.dentry,
					target) : -ENOENT;
		dput(target);
	}
	inode_unlock(dir);
	mnt_drop_write(d->dir.mnt);
	if (err)
		goto abort;
	dest_close(d);
	return 0;

abort:
	kftp_dest_abort(d);
	return err;
}
