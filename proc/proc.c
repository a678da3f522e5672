// SPDX-License-Identifier: GPL-2.0
/*
 * The procfs front: /proc/kftp/request takes request lines and, as
 * nfsd's transaction files, answers each write() to a read() on the same
 * open file; /proc/kftp/status shows the transfers, one snapshot per
 * read from its start, and poll() says when one changed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/mm.h>
#include <linux/nsproxy.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <net/net_namespace.h>

#include "procfs.h"
#include "kftp.h"
#include "transfer.h"
#include "status.h"
#include "proc.h"

#define KFTP_WRITE_MAX	(1024 * 1024)	/* bytes in one write() */

static struct proc_dir_entry *kftp_proc_dir;

/* What one write() asks for: transfers to start, transfers to cancel. */
struct kftp_batch {
	struct kftp_transfer **t;
	unsigned int *line;		/* the request line of each of t */
	unsigned int n;
	u64 *cancel;
	unsigned int *cancel_line;	/* the request line of each of cancel */
	unsigned int ncancel;
};

/*
 * An open request file: the answer to its last write(), and how far it
 * was read. Not the file position, which a failed write() leaves as it is.
 * And its pin: the rows of the transfers it queued stay in the status
 * table until it is closed, so that its writer reads every outcome.
 */
struct kftp_answer {
	struct mutex lock;	/* text, len, pos: a write and a read may race */
	char *text;
	size_t len;
	loff_t pos;
	struct kftp_pin pin;	/* transfer.c's, under kftp_lock */
};

/*
 * A write() failed, for the reason @fmt says, at request line @line (0:
 * the whole write): into the kernel log as ever, and into the answer.
 */
static __printf(3, 4) void reject(char **answer, unsigned int line,
				  const char *fmt, ...)
{
	va_list ap;
	char *why;

	va_start(ap, fmt);
	why = kvasprintf(GFP_KERNEL, fmt, ap);
	va_end(ap);
	if (!why)
		return;
	if (line) {
		pr_warn("request line %u rejected: %s\n", line, why);
		*answer = kasprintf(GFP_KERNEL, "line %u: %s\n", line, why);
	} else {
		pr_warn("request rejected: %s\n", why);
		*answer = kasprintf(GFP_KERNEL, "%s\n", why);
	}
	kfree(why);
}

/* A failure with no reason of its own: its errno's name. */
static void reject_errno(char **answer, unsigned int line, int err)
{
	const char *name = kftp_errno_name(-err);

	if (name)
		reject(answer, line, "%s", name);
	else
		reject(answer, line, "E%d", -err);
}

/*
 * No place left of max_transfers: with the number of ended transfers that
 * the writer's own open file keeps, which it can free by closing it.
 */
static void reject_busy(char **answer, unsigned int kept)
{
	if (kept)
		reject(answer, 0,
		       "more than max_transfers (%u) in progress or kept, %u kept by this open file",
		       kftp_max_transfers, kept);
	else
		reject(answer, 0,
		       "more than max_transfers (%u) in progress or kept for open request files",
		       kftp_max_transfers);
}

/* Parse every line of @buf into @b; all or none. */
static int kftp_parse_lines(char *buf, struct kftp_batch *b, char **answer)
{
	const char *reason = NULL;
	struct kftp_request *req;
	unsigned int lineno = 0;
	char *line, *next;
	int err = 0;

	req = kmalloc(sizeof(*req), GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	for (line = buf; line && !err; line = next) {
		struct kftp_transfer *t;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		err = kftp_request_parse(line, strlen(line), req, &reason);
		if (err == 1) {
			err = 0;
			continue;
		}
		if (err)
			break;
		if (b->n + b->ncancel == kftp_max_transfers) {
			reason = "more lines than max_transfers";
			err = -EBUSY;
			break;
		}
		if (req->verb == KFTP_VERB_CANCEL) {
			b->cancel_line[b->ncancel] = lineno;
			b->cancel[b->ncancel++] = req->cancel_id;
			continue;
		}
		t = kftp_transfer_create(req, &reason);
		if (IS_ERR(t)) {
			err = PTR_ERR(t);
			break;
		}
		b->line[b->n] = lineno;
		b->t[b->n++] = t;
	}
	if (err && reason)
		reject(answer, lineno, "%s", reason);
	else if (err)
		reject_errno(answer, lineno, err);
	/* the request held the password */
	kftp_kfree_sensitive(req);
	return err;
}

/*
 * The answer to a write that queued @b: each line's transfer ID, or
 * "cancelled ID", in line order.
 */
static char *kftp_batch_answer(const struct kftp_batch *b)
{
	/* "cancelled " and a u64 in decimal, and a newline */
	size_t size = (b->n + b->ncancel) * 32 + 1, len = 0;
	unsigned int i = 0, j = 0;
	char *text = kmalloc(size, GFP_KERNEL);

	if (!text)
		return NULL;
	text[0] = '\0';
	while (i < b->n || j < b->ncancel) {
		if (j == b->ncancel ||
		    (i < b->n && b->line[i] < b->cancel_line[j]))
			len += scnprintf(text + len, size - len, "%llu\n",
					 b->t[i++]->id);
		else
			len += scnprintf(text + len, size - len,
					 "cancelled %llu\n", b->cancel[j++]);
	}
	return text;
}

/* Wait for the "wait" transfers; a signal cancels every one of them. */
static int kftp_wait_batch(struct kftp_batch *b)
{
	unsigned int i;
	int err = 0, werr;

	for (i = 0; i < b->n; i++) {
		if (!b->t[i]->opts.wait)
			continue;
		if (err == -EINTR) {
			kftp_transfer_cancel(b->t[i]);
			continue;
		}
		werr = kftp_transfer_wait(b->t[i]);
		if (!err || werr == -EINTR)
			err = werr;
	}
	return err;
}

/* Parse, queue (pinned by @pin), wait; *@answer set to the answer. */
static int kftp_request_do(const char __user *ubuf, size_t count,
			   struct kftp_pin *pin, char **answer)
{
	struct kftp_batch b = { };
	unsigned int i, busy;
	u64 bad;
	char *buf;
	int err;

	if (count > KFTP_WRITE_MAX) {
		reject(answer, 0, "write of %zu bytes: more than %u", count,
		       KFTP_WRITE_MAX);
		return -EINVAL;
	}
	buf = kftp_kvmalloc(count + 1, GFP_KERNEL_ACCOUNT);
	b.t = kcalloc(kftp_max_transfers, sizeof(*b.t), GFP_KERNEL_ACCOUNT);
	b.line = kcalloc(kftp_max_transfers, sizeof(*b.line),
			 GFP_KERNEL_ACCOUNT);
	b.cancel = kcalloc(kftp_max_transfers, sizeof(*b.cancel),
			   GFP_KERNEL_ACCOUNT);
	b.cancel_line = kcalloc(kftp_max_transfers, sizeof(*b.cancel_line),
				GFP_KERNEL_ACCOUNT);
	if (!buf || !b.t || !b.line || !b.cancel || !b.cancel_line) {
		err = -ENOMEM;
		goto out;
	}
	if (copy_from_user(buf, ubuf, count)) {
		err = -EFAULT;
		goto out;
	}
	buf[count] = '\0';
	if (memchr(buf, '\0', count)) {
		reject(answer, 0, "NUL byte");
		err = -EINVAL;
		goto out;
	}

	err = kftp_parse_lines(buf, &b, answer);
	if (err)
		goto out;
	err = kftp_transfers_submit(b.t, b.n, b.cancel, b.ncancel,
				    current->nsproxy->net_ns, pin, &bad, &busy);
	if (err == -ENOENT) {
		for (i = 0; b.cancel[i] != bad; i++)
			;
		reject(answer, b.cancel_line[i], "no transfer %llu in progress",
		       bad);
	} else if (err == -EBUSY && busy < b.n) {
		reject(answer, b.line[busy],
		       "another transfer in progress writes that file");
	} else if (err == -EBUSY) {
		reject_busy(answer, kftp_pin_kept(pin));
	} else if (err == -ENODEV) {
		reject(answer, 0, "the module is unloading");
	}
	if (err)
		goto out;
	/* queued: the IDs, even should a wait fail (the table has why) */
	*answer = kftp_batch_answer(&b);
	err = kftp_wait_batch(&b);
out:
	for (i = 0; i < b.n; i++)
		kftp_transfer_put(b.t[i]);
	kfree(b.t);
	kfree(b.line);
	kfree(b.cancel);
	kfree(b.cancel_line);
	/* the buffer held passwords */
	if (buf)
		kftp_memzero_explicit(buf, count);
	kftp_kvfree(buf);
	return err;
}

static int kftp_request_open(struct inode *inode, struct file *file)
{
	struct kftp_answer *a = kzalloc(sizeof(*a), GFP_KERNEL);

	if (!a)
		return -ENOMEM;
	mutex_init(&a->lock);
	file->private_data = a;
	return 0;
}

static int kftp_request_release(struct inode *inode, struct file *file)
{
	struct kftp_answer *a = file->private_data;

	kftp_transfers_unpin(&a->pin);
	kfree(a->text);
	kfree(a);
	return 0;
}

static ssize_t kftp_request_write(struct file *file, const char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	struct kftp_answer *a = file->private_data;
	char *answer = NULL;
	int err;

	/* the opener and the writer both: no confused deputy via an fd */
	if (!kftp_file_ns_capable(file, &init_user_ns, CAP_NET_ADMIN) ||
	    !capable(CAP_NET_ADMIN)) {
		answer = kstrdup("CAP_NET_ADMIN needed, by the opener and the writer\n",
				 GFP_KERNEL);
		err = -EPERM;
	} else {
		err = kftp_request_do(ubuf, count, &a->pin, &answer);
	}
	if (err && !answer)
		reject_errno(&answer, 0, err);
	/* the answer replaces the last; the next read takes it from its start */
	mutex_lock(&a->lock);
	kfree(a->text);
	a->text = answer;
	a->len = answer ? strlen(answer) : 0;
	a->pos = 0;
	mutex_unlock(&a->lock);
	return err ? err : count;
}

static ssize_t kftp_request_read(struct file *file, char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	struct kftp_answer *a = file->private_data;
	ssize_t ret;

	mutex_lock(&a->lock);
	ret = simple_read_from_buffer(ubuf, count, &a->pos, a->text, a->len);
	mutex_unlock(&a->lock);
	return ret;
}

/*
 * The status table, built whole under kftp_lock by one show(): seq_file
 * calls it again, with a larger buffer, until it fits, so a read from the
 * start is one snapshot however long the table. The history and
 * max_transfers bound its rows.
 */
static int kftp_status_show(struct seq_file *m, void *v)
{
	struct kftp_transfer_status st;
	struct kftp_transfer *t;

	seq_puts(m, KFTP_STATUS_HEADER);
	mutex_lock(&kftp_lock);
	list_for_each_entry(t, &kftp_transfers, node) {
		if (kftp_transfer_status(t, current->nsproxy->net_ns, &st))
			kftp_status_row(m, &st, kftp_seq_uid(m, t->owner));
	}
	mutex_unlock(&kftp_lock);
	return 0;
}

/* An open status file: the last change its poll() reported. */
struct kftp_status_reader {
	u64 seen;
};

static int kftp_status_open(struct inode *inode, struct file *file)
{
	struct kftp_status_reader *r = kzalloc(sizeof(*r), GFP_KERNEL);
	int err;

	if (!r)
		return -ENOMEM;
	r->seen = kftp_status_event_now();
	err = single_open(file, kftp_status_show, r);
	if (err)
		kfree(r);
	return err;
}

static int kftp_status_release(struct inode *inode, struct file *file)
{
	kfree(((struct seq_file *)file->private_data)->private);
	return single_release(inode, file);
}

/* As /proc/self/mounts: readable always, POLLERR|POLLPRI on a change. */
static kftp_poll_t kftp_status_poll(struct file *file, poll_table *wait)
{
	struct kftp_status_reader *r =
		((struct seq_file *)file->private_data)->private;
	kftp_poll_t ret = KFTP_POLL_READ;

	poll_wait(file, &kftp_status_wait, wait);
	if (kftp_transfers_changed(current->nsproxy->net_ns, &r->seen))
		ret |= KFTP_POLL_EVENT;
	return ret;
}

static KFTP_PROC_SEQ_POLL_OPS(kftp_status_ops, kftp_status_open,
			      kftp_status_release, kftp_status_poll);
static KFTP_PROC_TXN_OPS(kftp_request_ops, kftp_request_open,
			 kftp_request_read, kftp_request_write,
			 kftp_request_release);

/* entry by entry: proc_remove() of a whole subtree only came in 3.10 */
void kftp_proc_exit(void)
{
	remove_proc_entry("status", kftp_proc_dir);
	remove_proc_entry("request", kftp_proc_dir);
	remove_proc_entry("kftp", NULL);
}

int kftp_proc_init(void)
{
	kftp_proc_dir = proc_mkdir("kftp", NULL);
	if (!kftp_proc_dir)
		return -ENOMEM;
	/* read: the writer's own answers, on its own open file */
	if (!proc_create("request", 0600, kftp_proc_dir, &kftp_request_ops))
		goto no_request;
	if (!proc_create("status", 0400, kftp_proc_dir, &kftp_status_ops))
		goto no_status;
	return 0;

no_status:
	remove_proc_entry("request", kftp_proc_dir);
no_request:
	remove_proc_entry("kftp", NULL);
	return -ENOMEM;
}
