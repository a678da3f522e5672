// SPDX-License-Identifier: GPL-2.0
/*
 * The status table's text. A stable format: every row splits on blanks
 * (its text fields escaped as /proc/mounts' are), and columns are only
 * ever added at the end. Separate from proc/ so that KUnit formats rows.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/seq_file.h>

#include "kftp_compat.h"
#include "kftp.h"
#include "status.h"

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
	KFTP_ERRNO(EAGAIN), KFTP_ERRNO(EBADMSG), KFTP_ERRNO(EBUSY),
	KFTP_ERRNO(ECANCELED), KFTP_ERRNO(ECONNABORTED),
	KFTP_ERRNO(ECONNREFUSED), KFTP_ERRNO(ECONNRESET), KFTP_ERRNO(EDQUOT),
	KFTP_ERRNO(EEXIST), KFTP_ERRNO(EFAULT), KFTP_ERRNO(EFBIG),
	KFTP_ERRNO(EHOSTUNREACH), KFTP_ERRNO(EINTR), KFTP_ERRNO(EINVAL),
	KFTP_ERRNO(EIO), KFTP_ERRNO(EISDIR), KFTP_ERRNO(EKEYEXPIRED),
	KFTP_ERRNO(EKEYREJECTED), KFTP_ERRNO(ENAMETOOLONG),
	KFTP_ERRNO(ENETUNREACH), KFTP_ERRNO(ENODEV), KFTP_ERRNO(ENOENT),
	KFTP_ERRNO(ENOMEM), KFTP_ERRNO(ENOSPC), KFTP_ERRNO(ENOTCONN),
	KFTP_ERRNO(ENOTDIR), KFTP_ERRNO(EOPNOTSUPP), KFTP_ERRNO(EPERM),
	KFTP_ERRNO(EPIPE), KFTP_ERRNO(EPROTO), KFTP_ERRNO(EROFS),
	KFTP_ERRNO(ESRCH), KFTP_ERRNO(ETIMEDOUT),
};

const char *kftp_errno_name(int err)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kftp_errno_names); i++) {
		if (kftp_errno_names[i].err == err)
			return kftp_errno_names[i].name;
	}
	return NULL;
}

static void show_errno(struct seq_file *m, int err)
{
	const char *name = kftp_errno_name(err);

	if (!err)
		seq_puts(m, " -");
	else if (name)
		seq_printf(m, " %s", name);
	else
		seq_printf(m, " E%d", err);
}

void kftp_status_escape(struct seq_file *m, const char *s)
{
	unsigned char c;

	if (!s || !*s) {
		seq_putc(m, '-');
		return;
	}
	for (; *s; s++) {
		c = *s;
		if (c <= ' ' || c == 0x7f || c == '\\' || c == '"')
			seq_printf(m, "\\%03o", c);
		else
			seq_putc(m, c);
	}
}

static void show_seconds(struct seq_file *m, s64 sec)
{
	if (sec)
		seq_printf(m, " %lld", sec);
	else
		seq_puts(m, " -");
}

void kftp_status_row(struct seq_file *m, const struct kftp_transfer_status *st,
		     unsigned int uid)
{
	char addr[KFTP_ADDR_STRLEN];

	seq_printf(m, "%llu %s %s %llu", st->id, kftp_verb_names[st->verb],
		   kftp_state_names[st->state], st->bytes);
	if (st->total >= 0)
		seq_printf(m, " %lld", st->total);
	else
		seq_puts(m, " -");
	/* the rate counts from the moment a connection was attached */
	if (st->conn_id)
		seq_printf(m, " %llu", st->rate);
	else
		seq_puts(m, " -");
	show_errno(m, st->err);
	if (st->conn_id) {
		/* the server address the connection went to */
		kftp_format_addr(&st->addr, addr);
		seq_printf(m, " %llu %s", st->conn_id, addr);
	} else {
		seq_puts(m, " - -");
	}
	seq_printf(m, " %u ", st->attempt);
	kftp_status_escape(m, st->url);
	seq_putc(m, ' ');
	kftp_status_escape(m, st->path);
	seq_putc(m, ' ');
	kftp_status_escape(m, st->reply);
	show_seconds(m, st->started);
	show_seconds(m, st->ended);
	seq_printf(m, " %u\n", uid);
}
