// SPDX-License-Identifier: GPL-2.0
/*
 * File delivery. The destination's directory is resolved when the request
 * is written, in the writer's own filesystem view (its root and mount
 * namespace), and pinned; the worker then only ever creates and renames
 * within that directory, as the writer (see transfer.c). The data goes to
 * a temporary file under an unguessable name, readable by its owner only,
 * which is renamed over the destination only when the transfer succeeded:
 * a failure never clobbers an existing file. With resume the file is
 * .kftp-part-NAME instead, kept on failure for the next get ... resume;
 * no two transfers in progress write one destination (transfer.c), so
 * none writes another's part file.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/namei.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/dcache.h>
#include <linux/skbuff.h>
#include <linux/uio.h>
#include <crypto/hash.h>

#include "kftp_compat.h"
#include "sock.h"
#include "hash.h"
#include "deliver.h"

/* a name collision is a one-in-2^64 event, or someone guessing */
#define KFTP_TMP_TRIES	8

/*
 * mkdirs: make the missing directories of @dir, parents first, as the
 * writer (this runs in its write()) and with its umask, as mkdir -p does.
 */
static int make_dirs(char *dir)
{
	char *p = dir;
	int err;

	while ((p = strchr(p + 1, '/'))) {
		*p = '\0';
		err = kftp_mkdir(dir, 0777);
		*p = '/';
		if (err && err != -EEXIST)
			return err;
	}
	err = kftp_mkdir(dir, 0777);
	return err == -EEXIST ? 0 : err;
}

int kftp_dest_resolve(struct kftp_dest *d, const char *path, bool mkdirs,
		      const char **reason)
{
	const char *base = strrchr(path, '/') + 1;
	struct path dest;
	char *dir;
	int err;

	memset(d, 0, sizeof(*d));
	/* "/f" lives in "/", "/a/f" in "/a" */
	dir = kstrndup(path, max_t(size_t, base - path - 1, 1), GFP_KERNEL);
	if (!dir)
		return -ENOMEM;
	err = kern_path(dir, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &d->dir);
	if (err == -ENOENT && mkdirs) {
		err = make_dirs(dir);
		if (err) {
			kfree(dir);
			*reason = "destination directory cannot be created";
			return err;
		}
		err = kern_path(dir, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &d->dir);
	}
	kfree(dir);
	if (err) {
		*reason = err == -ENOENT ? "destination directory does not exist" :
			  err == -ENOTDIR ? "destination directory is not a directory" :
			  "destination directory cannot be looked up";
		return err;
	}
	/* a rename replaces a symlink, a device node or a FIFO: never do that */
	err = kern_path(path, 0, &dest);
	if (!err) {
		if (!S_ISREG(kftp_d_inode(dest.dentry)->i_mode)) {
			*reason = "destination exists and is not a regular file";
			err = -EINVAL;
		}
		path_put(&dest);
	} else if (err == -ENOENT) {
		err = 0;
	} else {
		*reason = "destination cannot be looked up";
	}
	if (err) {
		path_put(&d->dir);
		return err;
	}
	d->name = base;
	d->mode = 0666 & ~current_umask();
	return 0;
}

void kftp_dest_release(struct kftp_dest *d)
{
	if (d->dir.dentry)
		path_put(&d->dir);
	d->dir.dentry = NULL;
}

int kftp_dest_open(struct kftp_dest *d)
{
	struct file *file = ERR_PTR(-EEXIST);
	char tmp[NAME_MAX + 1];
	unsigned int i;
	u64 r;

	for (i = 0; i < KFTP_TMP_TRIES && PTR_ERR(file) == -EEXIST; i++) {
		get_random_bytes(&r, sizeof(r));
		/* ".kftp-RANDOM-NAME", cut so that it stays within NAME_MAX */
		snprintf(tmp, sizeof(tmp), ".kftp-%016llx-%.200s", r, d->name);
		/*
		 * Owner-only until the commit gives it its final mode;
		 * readable, for sha256= to read back what came out of order.
		 */
		file = kftp_file_open_at(&d->dir, tmp, O_RDWR | O_CREAT |
					 O_EXCL | O_NOFOLLOW | O_LARGEFILE,
					 0600);
	}
	if (IS_ERR(file))
		return PTR_ERR(file);
	d->file = file;
	d->pos = 0;
	return 0;
}

#define KFTP_PART_PREFIX	".kftp-part-"
#define KFTP_PART_DIGEST	16	/* bytes of the name's sha256 shown */

/*
 * .kftp-part-NAME, so that each destination has its own. A NAME too long
 * for that is cut, and two names with the same start must not share a
 * part file: the cut form carries a digest of the whole name instead,
 * .kftp-part~HEX-START, which no .kftp-part-NAME can be ('~', not '-').
 */
static int part_name(const char *name, char *part)
{
	size_t len = strlen(name);
	u8 digest[KFTP_SHA256_SIZE];
	char hex[2 * KFTP_PART_DIGEST + 1];
	unsigned int i;
	int err;

	if (len <= NAME_MAX - (sizeof(KFTP_PART_PREFIX) - 1)) {
		snprintf(part, NAME_MAX + 1, KFTP_PART_PREFIX "%s", name);
		return 0;
	}
	err = kftp_sha256(name, len, digest);
	if (err)
		return err;
	for (i = 0; i < KFTP_PART_DIGEST; i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
	snprintf(part, NAME_MAX + 1, ".kftp-part~%s-%.200s", hex, name);
	return 0;
}

/*
 * The part file has a fixed name, so unlike the temporary file it may be
 * there already, put there by anyone who may write the directory: it is
 * used only if it is a regular file of the writer's with one link (no
 * hard link to someone else's data), never through a symlink
 * (O_NOFOLLOW), and O_NONBLOCK keeps a FIFO put in its place from holding
 * the open.
 */
int kftp_dest_open_part(struct kftp_dest *d)
{
	char part[NAME_MAX + 1];
	struct inode *inode;
	struct file *file;
	int err;

	err = part_name(d->name, part);
	if (err)
		return err;
	/* readable, as the temporary file: sha256= reads the kept part back */
	file = kftp_file_open_at(&d->dir, part, O_RDWR | O_CREAT | O_EXCL |
				 O_NOFOLLOW | O_LARGEFILE, 0600);
	if (PTR_ERR(file) == -EEXIST)
		file = kftp_file_open_at(&d->dir, part, O_RDWR | O_NOFOLLOW |
					 O_NONBLOCK | O_NOCTTY | O_LARGEFILE, 0);
	/* a symlink */
	if (PTR_ERR(file) == -ELOOP)
		return -EEXIST;
	if (IS_ERR(file))
		return PTR_ERR(file);
	inode = kftp_file_inode(file);
	if (!S_ISREG(inode->i_mode) || inode->i_nlink != 1 ||
	    !kftp_uid_eq(inode->i_uid, current_fsuid())) {
		filp_close(file, NULL);
		pr_warn("part file %s is not the writer's own: not resumed\n",
			part);
		return -EEXIST;
	}
	d->file = file;
	d->pos = i_size_read(inode);
	d->kept = d->pos;
	return 0;
}

bool kftp_dest_same(const struct kftp_dest *a, const struct kftp_dest *b)
{
	/* one directory under several mounts (bind mounts) is one dentry */
	return a->dir.dentry == b->dir.dentry && !strcmp(a->name, b->name);
}

int kftp_dest_truncate(struct kftp_dest *d, loff_t pos)
{
	int err = kftp_vfs_truncate(&d->file->f_path, pos);

	if (!err)
		d->pos = pos;
	return err;
}

int kftp_dest_write(struct kftp_dest *d, const void *buf, size_t len,
		    loff_t *pos)
{
	while (len) {
		ssize_t n = kftp_kernel_write(d->file, buf, len, pos);

		if (n < 0)
			return n;
		if (!n)
			return -EIO;
		buf += n;
		len -= n;
	}
	return 0;
}

#if KFTP_HAVE_RECV_DIRECT
/* bio_vecs gathered from an skb, written to the file when full */
struct skb_writer {
	struct kftp_dest *d;
	loff_t *pos;
	struct shash_desc *digest;
	struct bio_vec bv[32];
	unsigned int n;
	size_t len;
};

static int skb_writer_flush(struct skb_writer *w)
{
	struct iov_iter iter;
	ssize_t n;

	iov_iter_bvec(&iter, WRITE, w->bv, w->n, w->len);
	while (iov_iter_count(&iter)) {
		/* a short write advances the iterator; the next one fails */
		n = kftp_vfs_iter_write(w->d->file, &iter, w->pos);
		if (n < 0)
			return n;
		if (!n)
			return -EIO;
	}
	w->n = 0;
	w->len = 0;
	return 0;
}

/* A piece's bytes into the digest, a page at a time (highmem). */
static int skb_writer_hash(struct skb_writer *w, struct page *page,
			   unsigned int off, unsigned int len)
{
	unsigned int in_page, n;
	u8 *va;
	int err;

	while (len) {
		/* a compound page's struct pages are contiguous */
		page += off / PAGE_SIZE;
		in_page = offset_in_page(off);
		n = min_t(unsigned int, len, PAGE_SIZE - in_page);
		va = kftp_kmap_local_page(page);
		err = crypto_shash_update(w->digest, va + in_page, n);
		kftp_kunmap_local(va);
		if (err)
			return err;
		off = in_page + n;
		len -= n;
	}
	return 0;
}

static int skb_writer_add(struct skb_writer *w, struct page *page,
			  unsigned int off, unsigned int len)
{
	int err;

	if (w->digest) {
		err = skb_writer_hash(w, page, off, len);
		if (err)
			return err;
	}
	if (w->n == ARRAY_SIZE(w->bv)) {
		err = skb_writer_flush(w);
		if (err)
			return err;
	}
	w->bv[w->n].bv_page = page;
	w->bv[w->n].bv_offset = off;
	w->bv[w->n].bv_len = len;
	w->n++;
	w->len += len;
	return 0;
}

/*
 * The head (in the direct map), the page fragments, then the skbs of the
 * frag list, as skb_copy_bits() walks them; @len fits in @skb.
 */
static int skb_writer_walk(struct skb_writer *w, const struct sk_buff *skb,
			   unsigned int offset, unsigned int len)
{
	unsigned int head = skb_headlen(skb), n, i;
	struct sk_buff *frag_iter;
	int err;

	if (offset < head) {
		const u8 *p = skb->data + offset;

		n = min(head - offset, len);
		err = skb_writer_add(w, virt_to_page(p), offset_in_page(p), n);
		if (err)
			return err;
		len -= n;
		offset = 0;
	} else {
		offset -= head;
	}
	for (i = 0; len && i < skb_shinfo(skb)->nr_frags; i++) {
		const skb_frag_t *f = &skb_shinfo(skb)->frags[i];
		unsigned int size = skb_frag_size(f);
		struct page *page = skb_frag_page(f);

		if (offset >= size) {
			offset -= size;
			continue;
		}
		/* device memory (net_iov) has no page to copy from */
		if (!page)
			return -EFAULT;
		n = min(size - offset, len);
		err = skb_writer_add(w, page, skb_frag_off(f) + offset, n);
		if (err)
			return err;
		len -= n;
		offset = 0;
	}
	skb_walk_frags(skb, frag_iter) {
		if (!len)
			break;
		if (offset >= frag_iter->len) {
			offset -= frag_iter->len;
			continue;
		}
		n = min(frag_iter->len - offset, len);
		err = skb_writer_walk(w, frag_iter, offset, n);
		if (err)
			return err;
		len -= n;
		offset = 0;
	}
	return len ? -EFAULT : 0;
}

/*
 * One copy, from the skb's pages into the page cache, as splice() does
 * from a pipe: no buffer in between. *@pos counts what was written, also
 * when an error (a short write) stops it.
 */
int kftp_dest_write_data(struct kftp_dest *d, struct kftp_data *data,
			 size_t len, loff_t *pos, struct shash_desc *digest)
{
	struct skb_writer w = { .d = d, .pos = pos, .digest = digest };
	struct sk_buff *skb;
	size_t n;
	int err;

	skb_queue_walk(&data->skbs, skb) {
		n = min_t(size_t, KFTP_SPAN(skb)->len, len);
		if (!n)
			break;
		err = skb_writer_walk(&w, skb, KFTP_SPAN(skb)->offset, n);
		if (err)
			return err;
		len -= n;
	}
	return w.n ? skb_writer_flush(&w) : 0;
}
#endif

static void dest_close(struct kftp_dest *d)
{
	filp_close(d->file, NULL);
	d->file = NULL;
}

void kftp_dest_keep(struct kftp_dest *d)
{
	dest_close(d);
}

/* Is the temporary file still where we created it? (parent locked) */
static bool dest_in_place(struct kftp_dest *d)
{
	struct dentry *dentry = d->file->f_path.dentry;

	return dentry->d_parent == d->dir.dentry && !d_unhashed(dentry);
}

void kftp_dest_abort(struct kftp_dest *d)
{
	struct inode *dir = kftp_d_inode(d->dir.dentry);
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
		kftp_inode_lock_nested(dir, I_MUTEX_PARENT);
		if (dest_in_place(d)) {
			err = security_path_unlink(&d->dir, dentry);
			if (!err)
				err = kftp_vfs_unlink(&d->dir, dentry);
		}
		kftp_inode_unlock(dir);
		dput(dentry);
		mnt_drop_write(d->dir.mnt);
	}
	if (err)
		pr_warn("cannot remove temporary file %pd: %d\n", dentry, err);
	dest_close(d);
}

/*
 * protected_regular, as may_create_in_sticky() has it: in a sticky
 * directory that others may write, a file that is neither the writer's nor
 * the directory owner's is not replaced, not even by root, who could
 * otherwise be led to put a download where its owner chose (a link, a
 * name another program trusts). The sysctl is not exported: kftp takes
 * its strictest value, 2, which covers group-writable directories too.
 */
static bool dest_protected(struct kftp_dest *d, struct inode *old)
{
	struct inode *dir = kftp_d_inode(d->dir.dentry);

	if (!(dir->i_mode & S_ISVTX) || !(dir->i_mode & 0022))
		return false;
	return !kftp_owner_is_fsuid(d->dir.mnt, old) &&
	       !kftp_same_owner(d->dir.mnt, old, dir);
}

/*
 * Give the temporary file the attributes the destination will have. The
 * file stays the writer's: giving it to whoever owns the name it replaces
 * would let them change it after sha256= checked it. It keeps the
 * permission bits of a file of the writer's own that it replaces, never a
 * set-id bit (the download was not vetted to run as anyone), else it gets
 * 0666 minus the umask of the writer's write(), as a new file; and the
 * server's modification time when asked for (mtime).
 *
 * No security_path_chmod() before it, as chmod(2) has: that hook is not
 * exported to modules. The file is kftp's own temporary file, created
 * through security_path_mknod() by the writer, and notify_change() still
 * calls security_inode_setattr().
 */
static int dest_set_attrs(struct kftp_dest *d, struct inode *old)
{
	struct dentry *dentry = d->file->f_path.dentry;
	struct inode *inode = kftp_d_inode(dentry);
	struct iattr ia = { .ia_valid = ATTR_MODE | ATTR_CTIME };
	umode_t mode = d->mode;
	int err;

	if (old && kftp_owner_is_fsuid(d->dir.mnt, old))
		mode = old->i_mode & 0777;
	kftp_inode_lock_nested(inode, I_MUTEX_NORMAL);
	ia.ia_mode = mode | (inode->i_mode & ~S_IALLUGO);
	if (d->has_mtime) {
		ia.ia_valid |= ATTR_MTIME | ATTR_MTIME_SET;
		ia.ia_mtime = d->mtime;
	}
	err = kftp_notify_change(d->dir.mnt, dentry, &ia);
	kftp_inode_unlock(inode);
	return err;
}

int kftp_dest_commit(struct kftp_dest *d, const char **reason)
{
	struct inode *dir = kftp_d_inode(d->dir.dentry);
	struct dentry *target;
	struct inode *old;
	int err;

	*reason = NULL;
	/* exactly what the transfer wrote and sha256= covered, not a byte more */
	if (i_size_read(kftp_file_inode(d->file)) != d->pos) {
		err = kftp_dest_truncate(d, d->pos);
		if (err)
			goto abort;
	}
	err = kftp_vfs_fsync(d->file, 0);
	if (err)
		goto abort;
	err = mnt_want_write(d->dir.mnt);
	if (err)
		goto abort;
	kftp_inode_lock_nested(dir, I_MUTEX_PARENT);
	target = kftp_lookup(d->name, d->dir.dentry);
	if (IS_ERR(target)) {
		err = PTR_ERR(target);
		goto unlock;
	}
	old = kftp_d_inode(target);
	if (!dest_in_place(d)) {
		err = -ENOENT;
	/* replaced by something else since the request was written */
	} else if (old && !S_ISREG(old->i_mode)) {
		err = S_ISDIR(old->i_mode) ? -EISDIR : -EEXIST;
	} else if (old && dest_protected(d, old)) {
		*reason = "the destination is another user's file in a sticky directory";
		err = -EACCES;
	}
	if (!err)
		err = dest_set_attrs(d, old);
	if (!err)
		err = kftp_security_path_rename(&d->dir, d->file->f_path.dentry,
						target);
	if (!err)
		err = kftp_vfs_rename(&d->dir, d->file->f_path.dentry, target);
	dput(target);
unlock:
	kftp_inode_unlock(dir);
	mnt_drop_write(d->dir.mnt);
	if (err)
		goto abort;
	dest_close(d);
	return 0;

abort:
	kftp_dest_abort(d);
	return err;
}
