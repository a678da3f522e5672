// SPDX-License-Identifier: GPL-2.0
/*
 * sha256=: the digest of the file, computed with the kernel crypto API as
 * the data streams (get: as it is written, put: as it is read), so that no
 * byte is read twice. What the stream does not carry in order is read back
 * from the file: the part a resumed transfer already had, and a file that
 * came in segments, whose ranges arrive out of order.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/hash.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "kftp_compat.h"
#include "hash.h"
#include "transfer.h"

#define KFTP_HASH_CHUNK		SZ_64K	/* read back at a time */

int kftp_hash_alloc(struct kftp_transfer *t, const char **reason)
{
	struct crypto_shash *tfm = crypto_alloc_shash("sha256", 0, 0);

	if (IS_ERR(tfm)) {
		*reason = "no sha256 in the kernel's crypto API";
		return PTR_ERR(tfm) == -ENOENT ? -EOPNOTSUPP : PTR_ERR(tfm);
	}
	/* the descriptor, its algorithm's state in its flexible __ctx */
	t->hash = kzalloc(offsetof(struct shash_desc, __ctx) +
			  crypto_shash_descsize(tfm), GFP_KERNEL_ACCOUNT);
	if (!t->hash) {
		crypto_free_shash(tfm);
		return -ENOMEM;
	}
	t->hash->tfm = tfm;
	return 0;
}

int kftp_sha256(const void *data, size_t len, u8 *out)
{
	struct crypto_shash *tfm = crypto_alloc_shash("sha256", 0, 0);
	struct shash_desc *desc;
	int err;

	if (IS_ERR(tfm))
		return PTR_ERR(tfm) == -ENOENT ? -EOPNOTSUPP : PTR_ERR(tfm);
	desc = kzalloc(offsetof(struct shash_desc, __ctx) +
		       crypto_shash_descsize(tfm), GFP_KERNEL);
	if (!desc) {
		crypto_free_shash(tfm);
		return -ENOMEM;
	}
	desc->tfm = tfm;
	err = crypto_shash_digest(desc, data, len, out);
	kfree(desc);
	crypto_free_shash(tfm);
	return err;
}

void kftp_hash_free(struct kftp_transfer *t)
{
	if (!t->hash)
		return;
	crypto_free_shash(t->hash->tfm);
	kfree(t->hash);
	t->hash = NULL;
}

int kftp_hash_start(struct kftp_transfer *t, struct file *file, loff_t len)
{
	loff_t pos = 0;
	ssize_t n;
	void *buf;
	int err;

	err = crypto_shash_init(t->hash);
	if (err || !len)
		return err;
	buf = kftp_kvmalloc(KFTP_HASH_CHUNK, GFP_KERNEL_ACCOUNT);
	if (!buf)
		return -ENOMEM;
	while (pos < len) {
		/* 64 MiB read back: a cancel must not wait for all of it */
		if (READ_ONCE(t->cancelled)) {
			err = -ECANCELED;
			break;
		}
		n = kftp_kernel_read(file, buf, min_t(loff_t, len - pos,
						      KFTP_HASH_CHUNK), &pos);
		if (n <= 0) {
			/* shorter than it was: changed under us */
			err = n ? n : -EIO;
			break;
		}
		err = crypto_shash_update(t->hash, buf, n);
		if (err)
			break;
	}
	kftp_kvfree(buf);
	return err;
}

int kftp_hash_update(struct kftp_transfer *t, const void *buf, size_t len)
{
	return crypto_shash_update(t->hash, buf, len);
}

int kftp_hash_check(struct kftp_transfer *t)
{
	u8 digest[KFTP_SHA256_SIZE];
	int err;

	err = crypto_shash_final(t->hash, digest);
	if (err)
		return err;
	return memcmp(digest, t->opts.sha256, sizeof(digest)) ? -EBADMSG : 0;
}
