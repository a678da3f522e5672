/* SPDX-License-Identifier: GPL-2.0 */
/* The status table's text: its header and rows (status.c). */
#ifndef KFTP_STATUS_H
#define KFTP_STATUS_H

#include <linux/seq_file.h>

#include "transfer.h"

/*
 * The columns, in their order: new ones only ever go at the end (kftp(5)
 * promises it, and tests/man/columns.sh holds the page to this line).
 */
#define KFTP_STATUS_HEADER \
	"ID VERB STATE BYTES TOTAL RATE ERRNO CONN ADDR TRY URL PATH REPLY STARTED ENDED UID\n"

/**
 * kftp_errno_name() - "ENOENT" for ENOENT
 * @err: a positive errno
 *
 * Return: its name, or NULL for one the table does not know.
 */
const char *kftp_errno_name(int err);

/**
 * kftp_status_escape() - one field, as /proc/mounts escapes its fields
 * @m: the table
 * @s: the text, or NULL
 *
 * A blank, a control character, DEL, a backslash or a double quote
 * becomes \ooo (three octal digits), so that a row splits on blanks; an
 * empty or NULL text is "-".
 */
void kftp_status_escape(struct seq_file *m, const char *s);

/**
 * kftp_status_row() - one transfer's row, newline included
 * @m: the table
 * @st: the transfer, as kftp_transfer_status() filled it
 * @uid: its writer's euid as the reader's user namespace sees it
 */
void kftp_status_row(struct seq_file *m, const struct kftp_transfer_status *st,
		     unsigned int uid);

#endif /* KFTP_STATUS_H */
