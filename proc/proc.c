// SPDX-License-Identifier: GPL-2.0
/*
 * The procfs front: /proc/kftp/request takes request lines, and
 * /proc/kftp/status shows the transfers.
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
#include "proc.h"

#define KFTP_WRITE_MAX	(1024 * 1024)	/* bytes in one write() */

static struct proc_dir_entry *kftp_proc_dir;

/* What one write() asks for: transfers to start, transfers to cancel. */
struct kftp_batch {
	struct kftp_transfer **t;
	unsigned int *line;		/* the request line of each of t */
	unsigned int n;
	u64 *cancel;
	unsigned int ncancel;
};

/* Parse every line of @buf into @b; all or none. */
static int kftp_parse_lines(char *buf, struct kftp_batch *b)
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
			err = -EBUSY;
			break;
		}
		if (req->verb == KFTP_VERB_CANCEL) {
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
		pr_warn("request line %u rejected: %s\n", lineno, reason);
	/* the request held the password */
	kftp_kfree_sensitive(req);
	return err;
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

static ssize_t kftp_request_write(struct file *file, const char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	struct kftp_batch b = { };
	unsigned int i, busy;
	u64 bad;
	char *buf;
	int err;

	/* the opener and the writer both: no confused deputy via an fd */
	if (!kftp_file_ns_capable(file, &init_user_ns, CAP_NET_ADMIN) ||
	    !capable(CAP_NET_ADMIN))
		return -EPERM;
	if (count > KFTP_WRITE_MAX) {
		pr_warn("write of %zu bytes rejected: more than %u\n", count,
			KFTP_WRITE_MAX);
		return -EINVAL;
	}
	buf = kftp_kvmalloc(count + 1, GFP_KERNEL_ACCOUNT);
	b.t = kcalloc(kftp_max_transfers, sizeof(*b.t), GFP_KERNEL_ACCOUNT);
	b.line = kcalloc(kftp_max_transfers, sizeof(*b.line),
			 GFP_KERNEL_ACCOUNT);
	b.cancel = kcalloc(kftp_max_transfers, sizeof(*b.cancel),
			   GFP_KERNEL_ACCOUNT);
	if (!buf || !b.t || !b.line || !b.cancel) {
		err = -ENOMEM;
		goto out;
	}
	if (copy_from_user(buf, ubuf, count)) {
		err = -EFAULT;
		goto out;
	}
	buf[count] = '\0';
	if (memchr(buf, '\0', count)) {
		pr_warn("request rejected: NUL byte\n");
		err = -EINVAL;
		goto out;
	}

	err = kftp_parse_lines(buf, &b);
	if (err)
		goto out;
	err = kftp_transfers_submit(b.t, b.n, b.cancel, b.ncancel,
				    current->nsproxy->net_ns, &bad, &busy);
	if (err == -ENOENT)
		pr_warn("cancel rejected: no transfer %llu in progress\n", bad);
	if (err == -EBUSY && busy < b.n)
		pr_warn("request line %u rejected: another transfer in progress writes that file\n",
			b.line[busy]);
	else if (err == -EBUSY)
		pr_warn("request rejected: more than max_transfers (%u) in progress\n",
			kftp_max_transfers);
	if (!err)
		err = kftp_wait_batch(&b);
out:
	for (i = 0; i < b.n; i++)
		kftp_transfer_put(b.t[i]);
	kfree(b.t);
	kfree(b.line);
	kfree(b.cancel);
	/* the buffer held passwords */
	if (buf)
		kftp_memzero_explicit(buf, count);
	kftp_kvfree(buf);
	return err ? err : count;
}

static const char *const kftp_state_names[] = {
	[KFTP_QUEUED]		= "queued",
	[KFTP_CONNECTING]	= "connecting",
	[KFTP_TRANSFERRING]	= "transferring",
	[KFTP_WAITING]		= "waiting",
	[KFTP_DONE]		= "done",
	[KFTP_FAILED]		= "failed",
	[KFTP_CANCELLED]	= "cancelled",
};

static const char *const kftp_verb_names[] = {
	[KFTP_VERB_GET]		= "get",
	[KFTP_VERB_PUT]		= "put",
	[KFTP_VERB_LIST]	= "list",
};

#define KFTP_ERRNO(e) { e, #e }
static const struct {
	int err;
	const char *name;
} kftp_errno_names[] = {
	KFTP_ERRNO(EACCES), KFTP_ERRNO(EADDRINUSE), KFTP_ERRNO(EADDRNOTAVAIL),
	KFTP_ERRNO(EAGAIN), KFTP_ERRNO(EBADMSG), KFTP_ERRNO(ECANCELED),
	KFTP_ERRNO(ECONNABORTED), KFTP_ERRNO(ECONNREFUSED),
	KFTP_ERRNO(ECONNRESET), KFTP_ERRNO(EDQUOT), KFTP_ERRNO(EEXIST),
	KFTP_ERRNO(EFBIG), KFTP_ERRNO(EHOSTUNREACH),
	KFTP_ERRNO(EINTR), KFTP_ERRNO(EINVAL), KFTP_ERRNO(EIO),
	KFTP_ERRNO(EISDIR), KFTP_ERRNO(ENAMETOOLONG), KFTP_ERRNO(ENETUNREACH),
	KFTP_ERRNO(ENOENT), KFTP_ERRNO(ENOMEM), KFTP_ERRNO(ENOSPC),
	KFTP_ERRNO(ENOTCONN), KFTP_ERRNO(ENOTDIR), KFTP_ERRNO(EOPNOTSUPP),
	KFTP_ERRNO(EPERM), KFTP_ERRNO(EPIPE), KFTP_ERRNO(EPROTO),
	KFTP_ERRNO(EROFS), KFTP_ERRNO(ETIMEDOUT),
};

static void show_errno(struct seq_file *m, int err)
{
	size_t i;

	if (!err) {
		seq_puts(m, " -");
		return;
	}
	for (i = 0; i < ARRAY_SIZE(kftp_errno_names); i++) {
		if (kftp_errno_names[i].err == err) {
			seq_printf(m, " %s", kftp_errno_names[i].name);
			return;
		}
	}
	seq_printf(m, " E%d", err);
}

static void *kftp_status_start(struct seq_file *m, loff_t *pos)
{
	mutex_lock(&kftp_lock);
	return seq_list_start_head(&kftp_transfers, *pos);
}

static void *kftp_status_next(struct seq_file *m, void *v, loff_t *pos)
{
	return seq_list_next(v, &kftp_transfers, pos);
}

static void kftp_status_stop(struct seq_file *m, void *v)
{
	mutex_unlock(&kftp_lock);
}

static int kftp_status_show(struct seq_file *m, void *v)
{
	struct kftp_transfer_status st;
	char addr[KFTP_ADDR_STRLEN];

	if (v == &kftp_transfers) {
		seq_puts(m, "ID VERB STATE BYTES TOTAL RATE ERRNO CONN ADDR TRY URL PATH REPLY\n");
		return 0;
	}
	if (!kftp_transfer_status(list_entry(v, struct kftp_transfer, node),
				  current->nsproxy->net_ns, &st))
		return 0;
	seq_printf(m, "%llu %s %s %llu", st.id, kftp_verb_names[st.verb],
		   kftp_state_names[st.state], st.bytes);
	if (st.total >= 0)
		seq_printf(m, " %lld", st.total);
	else
		seq_puts(m, " -");
	/* the rate counts from the moment a connection was attached */
	if (st.conn_id)
		seq_printf(m, " %llu", st.rate);
	else
		seq_puts(m, " -");
	show_errno(m, st.err);
	if (st.conn_id) {
		/* the server address the connection went to */
		kftp_format_addr(&st.addr, addr);
		seq_printf(m, " %llu %s", st.conn_id, addr);
	} else {
		seq_puts(m, " - -");
	}
	seq_printf(m, " %u %s", st.attempt, st.url);
	if (strpbrk(st.path, " \t\""))
		seq_printf(m, " \"%s\"", st.path);
	else
		seq_printf(m, " %s", st.path);
	seq_printf(m, " %s\n", st.reply ? st.reply : "-");
	return 0;
}

static const struct seq_operations kftp_status_seq_ops = {
	.start	= kftp_status_start,
	.next	= kftp_status_next,
	.stop	= kftp_status_stop,
	.show	= kftp_status_show,
};

static KFTP_PROC_WRITE_OPS(kftp_request_ops, kftp_request_write);

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
	if (!proc_create("request", 0200, kftp_proc_dir, &kftp_request_ops))
		goto no_request;
	if (!kftp_proc_create_seq("status", 0400, kftp_proc_dir,
				  &kftp_status_seq_ops))
		goto no_status;
	return 0;

no_status:
	remove_proc_entry("request", kftp_proc_dir);
no_request:
	remove_proc_entry("kftp", NULL);
	return -ENOMEM;
}
