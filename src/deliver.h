/* SPDX-License-Identifier: GPL-2.0 */
/* Temporary file, rename over the destination (deliver.c). */
#ifndef KFTP_DELIVER_H
#define KFTP_DELIVER_H

#include "kftp.h"

struct kftp_dest {
	struct path dir;		/* the destination's directory, pinned */
	const char *name;		/* the destination's name in dir */
	umode_t mode;			/* 0666 minus the writer's umask */
	struct file *file;		/* the temporary file, while open */
	loff_t pos;
	loff_t kept;			/* resume: bytes the part file had */
	bool has_mtime;			/* give the file this modification time */
	struct kftp_timespec64 mtime;
};

/**
 * kftp_dest_resolve() - resolve and pin the destination's directory
 * @d: filled in
 * @path: the destination, an absolute path
 * @mkdirs: make the missing directories first, as mkdir -p does
 * @reason: set on failure but -ENOMEM, for the log
 *
 * In the writer's context: its root, mount namespace, credentials and
 * umask. A destination that exists must be a regular file: the rename
 * would replace anything else.
 *
 * Return: 0, or -errno: -EINVAL for a destination that is not a regular
 * file, -ENOMEM, or the lookup's or mkdir's (-ENOENT, -ENOTDIR, ...).
 */
int kftp_dest_resolve(struct kftp_dest *d, const char *path, bool mkdirs,
		      const char **reason);

/**
 * kftp_dest_release() - unpin the destination's directory
 * @d: the destination; a second call does nothing
 */
void kftp_dest_release(struct kftp_dest *d);

/**
 * kftp_dest_open() - create the temporary file
 * @d: the destination, resolved
 *
 * In the worker, as the writer: .kftp-RANDOM-NAME in the directory,
 * created with O_EXCL, its owner's only until kftp_dest_commit().
 *
 * Return: 0 or the open's -errno.
 */
int kftp_dest_open(struct kftp_dest *d);

/**
 * kftp_dest_open_part() - resume: open the part file instead
 * @d: the destination, resolved
 *
 * .kftp-part-NAME, created or kept from an earlier failure (then d->pos
 * and d->kept are its size); for a NAME too long for that,
 * .kftp-part~HEX-START, HEX from the sha256 of the whole NAME.
 *
 * Return: 0, -EEXIST when the name is not a regular file of the writer's
 * with one link (a symlink is not), -EOPNOTSUPP when a long NAME needs a
 * sha256 the kernel lacks, or the open's -errno.
 */
int kftp_dest_open_part(struct kftp_dest *d);

/**
 * kftp_dest_same() - do two destinations name one file?
 * @a: a destination, resolved
 * @b: another
 *
 * The same name in the same directory, through whichever mount or path
 * the writers gave.
 *
 * Return: true when they do.
 */
bool kftp_dest_same(const struct kftp_dest *a, const struct kftp_dest *b);

/**
 * kftp_dest_truncate() - drop what lies past @pos
 * @d: the destination, its file open
 * @pos: the new size, and d->pos
 *
 * A resumed stream starts over there.
 *
 * Return: 0 or vfs_truncate()'s -errno.
 */
int kftp_dest_truncate(struct kftp_dest *d, loff_t pos);

/**
 * kftp_dest_keep() - resume: close the part file and keep it
 * @d: the destination, its part file open
 *
 * For a later get ... resume.
 */
void kftp_dest_keep(struct kftp_dest *d);

/**
 * kftp_dest_write() - bytes from a buffer into the file
 * @d: the destination, its file open
 * @buf: the bytes
 * @len: how many
 * @pos: where, which moves on: &d->pos, or a segment's own position
 *
 * Return: 0, or the write's -errno (-EIO when it writes nothing).
 */
int kftp_dest_write(struct kftp_dest *d, const void *buf, size_t len,
		    loff_t *pos);

struct kftp_data;
struct shash_desc;
#if KFTP_HAVE_RECV_DIRECT
/**
 * kftp_dest_write_data() - data_read's batch into the file, copied once
 * @d: the destination, its file open
 * @data: the batch: clones of skbs, each with its span
 * @len: the most to write, from the first span on
 * @pos: where, which moves on; counts what was written, also on an error
 * @digest: sha256=: fed the same bytes in the same walk; NULL: none
 *
 * From the skbs' pages into the page cache, no buffer in between, the
 * pieces of several skbs gathered into each write.
 *
 * Return: 0, -EFAULT for bytes with no page (device memory), or the
 * write's or the digest's -errno.
 */
int kftp_dest_write_data(struct kftp_dest *d, struct kftp_data *data,
			 size_t len, loff_t *pos, struct shash_desc *digest);
#else
/* sock.c has no data_read before 5.4: nothing calls it */
static inline int kftp_dest_write_data(struct kftp_dest *d,
				       struct kftp_data *data, size_t len,
				       loff_t *pos, struct shash_desc *digest)
{
	return -EOPNOTSUPP;
}
#endif

/**
 * kftp_dest_commit() - flush the file and rename it over the destination
 * @d: the destination, its temporary file open
 * @reason: set for -EACCES from the sticky directory rule, else NULL
 *
 * The file stays the writer's. It takes the permission bits, less the
 * set-id bits, of a file of the writer's that it replaces, else 0666
 * minus the writer's umask; and the server's time when asked for. In a
 * sticky directory that others may write, another user's file (not the
 * directory owner's) is not replaced, as protected_regular=2 has it. On
 * failure the file is removed, as by kftp_dest_abort().
 *
 * Return: 0, or -errno: -ENOENT when the temporary file was moved away,
 * -EISDIR or -EEXIST when a directory or another non-regular file took
 * the destination's name, -EACCES for another user's file in a sticky
 * directory, or that of the fsync, the attributes or the rename.
 */
int kftp_dest_commit(struct kftp_dest *d, const char **reason);

/**
 * kftp_dest_abort() - remove the temporary file
 * @d: the destination, its temporary file open
 *
 * The destination is left untouched. A file that cannot be removed is
 * named in the log; it is closed either way.
 */
void kftp_dest_abort(struct kftp_dest *d);

#endif /* KFTP_DELIVER_H */
