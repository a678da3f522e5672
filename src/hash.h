/* SPDX-License-Identifier: GPL-2.0 */
/* sha256=, the file's digest (hash.c). */
#ifndef KFTP_HASH_H
#define KFTP_HASH_H

#include "kftp.h"

struct kftp_transfer;

/**
 * kftp_hash_alloc() - t->hash, for the digest t->opts.sha256
 * @t: the transfer
 * @reason: set when the kernel's crypto API has no sha256
 *
 * In the writer's context, charged to its memory cgroup.
 *
 * Return: 0, -EOPNOTSUPP (or crypto_alloc_shash()'s -errno) with *@reason
 * set, or -ENOMEM.
 */
int kftp_hash_alloc(struct kftp_transfer *t, const char **reason);

/**
 * kftp_sha256() - the sha256 digest of a few bytes
 * @data: the bytes
 * @len: how many
 * @out: the digest, KFTP_SHA256_SIZE bytes
 *
 * Return: 0, -EOPNOTSUPP when the kernel's crypto API has no sha256,
 * -ENOMEM, or the hash's -errno.
 */
int kftp_sha256(const void *data, size_t len, u8 *out);

/**
 * kftp_hash_free() - free t->hash, if any
 * @t: the transfer
 */
void kftp_hash_free(struct kftp_transfer *t);

/**
 * kftp_hash_start() - start over with the first @len bytes of @file
 * @t: the transfer, t->hash set
 * @file: the file, read back
 * @len: how many of its bytes
 *
 * For what the stream does not carry in order: the part a resumed
 * transfer had, a file that came in segments. A cancel stops the reads.
 *
 * Return: 0, -ECANCELED, -EIO when the file is shorter than @len, -ENOMEM,
 * or the read's or the hash's -errno.
 */
int kftp_hash_start(struct kftp_transfer *t, struct file *file, loff_t len);

/**
 * kftp_hash_update() - feed bytes to the digest
 * @t: the transfer, t->hash set
 * @buf: the bytes
 * @len: how many
 *
 * Return: 0 or crypto_shash_update()'s -errno.
 */
int kftp_hash_update(struct kftp_transfer *t, const void *buf, size_t len);

/**
 * kftp_hash_check() - is the digest of what was fed sha256=?
 * @t: the transfer, t->hash set
 *
 * Ends the digest: nothing more may be fed.
 *
 * Return: 0 when it is, -EBADMSG when not, or the hash's -errno.
 */
int kftp_hash_check(struct kftp_transfer *t);

#endif /* KFTP_HASH_H */
