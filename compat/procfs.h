/* SPDX-License-Identifier: GPL-2.0 */
/* kftp compat: procfs. Included by proc/proc.c only, for its static objects. */
#ifndef KFTP_COMPAT_PROCFS_H
#define KFTP_COMPAT_PROCFS_H

#include <linux/fs.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

#include "kftp_compat.h"

/*
 * 2.6.35: noop_llseek(); commit ae6afc3f5cf5 ("vfs: introduce noop_llseek()")
 * unverified. Before it a NULL llseek, which for a write-only proc file is
 * equivalent.
 */
#if KFTP_KERNEL_AT_LEAST(2, 6, 35)
#define kftp_noop_llseek	noop_llseek
#else
#define kftp_noop_llseek	NULL
#endif

/*
 * 5.6: procfs takes struct proc_ops instead of struct file_operations,
 * commit d56c0d45f0e2 ("proc: decouple proc from VFS with "struct
 * proc_ops""). RHEL 8 backports it to 4.18 in some minor releases
 * (4.18.0-147 and -240 have none): probed (KFTP_HAVE_PROC_OPS), the
 * version test only where no probe ran.
 */
#ifndef KFTP_HAVE_PROC_OPS
#define KFTP_HAVE_PROC_OPS	KFTP_KERNEL_AT_LEAST(5, 6, 0)
#endif
#if KFTP_HAVE_PROC_OPS
#define KFTP_PROC_WRITE_OPS(name, fn)				\
	const struct proc_ops name = {					\
		.proc_write	= fn,				\
		.proc_lseek	= kftp_noop_llseek,				\
	}
#else
#define KFTP_PROC_WRITE_OPS(name, fn)				\
	const struct file_operations name = {				\
		.owner		= THIS_MODULE,				\
		.write		= fn,				\
		.llseek		= kftp_noop_llseek,				\
	}
#endif

/*
 * 4.18: proc_create_seq(), commit fddda2b7b521 ("proc: introduce
 * proc_create_seq{,_data}"; subject unverified; release unverified:
 * absent in 4.15, present in 4.18, 4.16 and 4.17 not read). Before it a
 * seq_file is opened by hand, with the seq_operations passed as the
 * entry's data: PDE_DATA() from 3.10 (d9dda78bad87, "procfs: new helper -
 * PDE_DATA(inode)"), PDE()->data before.
 */
#if KFTP_KERNEL_AT_LEAST(4, 18, 0)
#define kftp_proc_create_seq(name, mode, parent, ops)			\
	proc_create_seq(name, mode, parent, ops)
#else
static int kftp_seq_open(struct inode *inode, struct file *file)
{
#if KFTP_KERNEL_AT_LEAST(3, 10, 0)
	return seq_open(file, PDE_DATA(inode));
#else
	return seq_open(file, PDE(inode)->data);
#endif
}

static const struct file_operations kftp_seq_fops = {
	.owner		= THIS_MODULE,
	.open		= kftp_seq_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.release	= seq_release,
};

#define kftp_proc_create_seq(name, mode, parent, ops)			\
	proc_create_data(name, mode, parent, &kftp_seq_fops, (void *)(ops))
#endif

#endif /* KFTP_COMPAT_PROCFS_H */
