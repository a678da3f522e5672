// SPDX-License-Identifier: GPL-2.0
/*
 * The procfs front: /proc/kftp/request takes request lines, and
 * /proc/kftp/status shows the transfers.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/mm.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "procfs.h"
#include "kftp.h"

#define KFTP_WRITE_MAX	(1024 * 1024)	/* bytes in one write() */

static struct proc_dir_entry *kftp_proc_dir;

/* Parse every line of @buf into a transfer; all or none. */
static int kftp_parse_lines(char *buf, struct kftp_transfer **t,
			    unsigned int max, unsigned int *count)
{
	struct kftp_request *req;
	unsigned int lineno = 0, n = 0;
	char *line, *next;
	int err = 0;

	req = kmalloc(sizeof(*req), GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	for (line = buf; line && !err; line = next) {
		const char *reason = NULL;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		err = kftp_request_parse(line, strlen(line), req, &reason);
		if (err == 1) {
			err = 0;
			continue;
		}
		if (err) {
			pr_warn("request line %u rejected: %s\n", lineno, reason);
			break;
		}
		if (n == max) {
			err = -EBUSY;
			break;
		}
		t[n] = kftp_transfer_create(req);
		if (!t[n])
			err = -ENOMEM;
		else
			n++;
	}
	/* the request held the password */
	kfree_sensitive(req);
	*count = n;
	return err;
}

static ssize_t kftp_request_write(struct file *file, const char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	struct kftp_transfer **t;
	unsigned int n = 0, i;
	char *buf;
	int err, werr;

	/* the opener and the writer both: no confused deputy via an fd */
	if (!file_ns_capable(file, &init_user_ns, CAP_NET_ADMIN) ||
	    !capable(CAP_NET_ADMIN))
		return -EPERM;
	if (count > KFTP_WRITE_MAX) {
		pr_warn("write of %zu bytes rejected: more than %u\n", count,
			KFTP_WRITE_MAX);
		return -EINVAL;
	}
	buf = kvmalloc(count + 1, GFP_KERNEL);
	t = kcalloc(kftp_max_transfers, sizeof(*t), GFP_KERNEL);
	if (!buf || !t) {
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

	err = kftp_parse_lines(buf, t, kftp_max_transfers, &n);
	if (!err)
		err = kftp_transfers_queue(t, n);
	if (err)
		goto out;

	for (i = 0; i < n; i++) {
		if (!t[i]->wait)
			continue;
		werr = kftp_transfer_wait(t[i]);
		if (!err)
			err = werr;
		/* a signal ends the wait for all of them */
		if (werr == -EINTR)
			break;
	}
out:
	for (i = 0; i < n; i++)
		kftp_transfer_put(t[i]);
	kfree(t);
	/* the buffer held passwords */
	if (buf)
		memzero_explicit(buf, count);
	kvfree(buf);
	return err ? err : count;
}

static const char *const kftp_state_names[] = {
	[KFTP_QUEUED]		= "queued",
	[KFTP_CONNECTING]	= "connecting",
	[KFTP_TRANSFERRING]	= "transferring",
	[KFTP_DONE]		= "done",
	[KFTP_FAILED]		= "failed",
	[KFTP_CANCELLED]	= "cancelled",
};

#define KFTP_ERRNO(e) { e, #e }
static const struct {
	int err;
	const char *name;
} kftp_errno_names[] = {
	KFTP_ERRNO(EACCES), KFTP_ERRNO(EADDRINUSE), KFTP_ERRNO(EADDRNOTAVAIL),
	KFTP_ERRNO(EAGAIN), KFTP_ERRNO(ECANCELED), KFTP_ERRNO(ECONNABORTED),
	KFTP_ERRNO(ECONNREFUSED), KFTP_ERRNO(ECONNRESET), KFTP_ERRNO(EDQUOT),
	KFTP_ERRNO(EEXIST), KFTP_ERRNO(EFBIG), KFTP_ERRNO(EHOSTUNREACH),
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
	struct kftp_transfer *t;
	u64 bytes;
	s64 ms;

	if (v == &kftp_transfers) {
		seq_puts(m, "ID STATE BYTES TOTAL RATE ERRNO CONN URL PATH REPLY\n");
		return 0;
	}
	t = list_entry(v, struct kftp_transfer, node);
	bytes = atomic64_read(&t->bytes);
	seq_printf(m, "%llu %s %llu", t->id, kftp_state_names[t->state], bytes);
	if (t->total >= 0)
		seq_printf(m, " %lld", t->total);
	else
		seq_puts(m, " -");
	/* the rate counts from the moment a connection was attached */
	if (!t->conn_id) {
		seq_puts(m, " -");
	} else {
		ms = ktime_to_ms(ktime_sub(t->state >= KFTP_DONE ? t->ended :
					   ktime_get(), t->started));
		seq_printf(m, " %llu", div64_u64(bytes * 1000, max_t(s64, ms, 1)));
	}
	show_errno(m, t->err);
	if (t->conn_id)
		seq_printf(m, " %llu", t->conn_id);
	else
		seq_puts(m, " -");
	seq_printf(m, " %s", t->url);
	if (strpbrk(t->path, " \t\""))
		seq_printf(m, " \"%s\"", t->path);
	else
		seq_printf(m, " %s", t->path);
	seq_printf(m, " %s\n", t->reply ? t->reply : "-");
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
	if (!proc_create("request", 0200, kftp_proc_dir, &kftp_request_ops) ||
	    !proc_create_seq("status", 0400, kftp_proc_dir,
			     &kftp_status_seq_ops)) {
		kftp_proc_exit();
		return -ENOMEM;
	}
	return 0;
}
