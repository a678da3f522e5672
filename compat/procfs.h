/* SPDX-License-Identifier: GPL-2.0 */
/* kftp compat: procfs. Included by proc/proc.c only, for its static objects. */
#ifndef KFTP_COMPAT_PROCFS_H
#define KFTP_COMPAT_PROCFS_H

#include <linux/fs.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

#include "kftp_compat.h"

/*
 * 2.6.35: noop_llseek(); commit ae6afc3f5cf5 ("vfs: introduce noop_llseek()")
 * unverified. Before it a NULL llseek, which moves a position that the
 * request file's read and write do not use: equivalent.
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
#define KFTP_PROC_TXN_OPS(name, open_fn, read_fn, write_fn, release_fn) \
	const struct proc_ops name = {					\
		.proc_open	= open_fn,				\
		.proc_read	= read_fn,				\
		.proc_write	= write_fn,				\
		.proc_lseek	= kftp_noop_llseek,			\
		.proc_release	= release_fn,				\
	}
#define KFTP_PROC_SEQ_POLL_OPS(name, open_fn, release_fn, poll_fn)	\
	const struct proc_ops name = {					\
		.proc_open	= open_fn,				\
		.proc_read	= seq_read,				\
		.proc_lseek	= seq_lseek,				\
		.proc_release	= release_fn,				\
		.proc_poll	= poll_fn,				\
	}
#else
#define KFTP_PROC_TXN_OPS(name, open_fn, read_fn, write_fn, release_fn) \
	const struct file_operations name = {				\
		.owner		= THIS_MODULE,				\
		.open		= open_fn,				\
		.read		= read_fn,				\
		.write		= write_fn,				\
		.llseek		= kftp_noop_llseek,			\
		.release	= release_fn,				\
	}
#define KFTP_PROC_SEQ_POLL_OPS(name, open_fn, release_fn, poll_fn)	\
	const struct file_operations name = {				\
		.owner		= THIS_MODULE,				\
		.open		= open_fn,				\
		.read		= seq_read,				\
		.llseek		= seq_lseek,				\
		.release	= release_fn,				\
		.poll		= poll_fn,				\
	}
#endif

/*
 * 4.16: ->poll() returns __poll_t and the masks are the EPOLL* ones,
 * commit a9a08845e9ac ("vfs: do bulk POLL* -> EPOLL* replacement"); the
 * type came in 4.15 with commit 8ced390c2b18 ("define __poll_t, annotate
 * constants") (ids unverified). Before, an unsigned int of POLL* bits.
 * KFTP_POLL_EVENT is what /proc/self/mounts reports for a change.
 */
#if KFTP_KERNEL_AT_LEAST(4, 16, 0)
#define kftp_poll_t		__poll_t
#define KFTP_POLL_READ		(EPOLLIN | EPOLLRDNORM)
#define KFTP_POLL_EVENT		(EPOLLERR | EPOLLPRI)
#else
#define kftp_poll_t		unsigned int
#define KFTP_POLL_READ		(POLLIN | POLLRDNORM)
#define KFTP_POLL_EVENT		(POLLERR | POLLPRI)
#endif

#endif /* KFTP_COMPAT_PROCFS_H */
