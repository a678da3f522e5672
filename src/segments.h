/* SPDX-License-Identifier: GPL-2.0 */
/* segments=N: one file in ranges over several connections (segments.c). */
#ifndef KFTP_SEGMENTS_H
#define KFTP_SEGMENTS_H

#include "transfer.h"

/**
 * kftp_segments_fetch() - a file in t->segments ranges at once
 * @t: the transfer, its temporary file open
 * @s: the session of t->link, logged in
 * @one_stream: set when the file must come in one stream instead
 *
 * SIZE, then the ranges, the first on t->link, each of the others on a
 * connection of its own, into the file at their offsets. The file must
 * come in one stream when the server gives no SIZE, the file is too small
 * for the ranges, or the server refuses REST or a second login; the file
 * is emptied then. The caller puts t->link, which a range leaves out of
 * step.
 *
 * Return: 0 (also with *@one_stream), or -errno.
 */
int kftp_segments_fetch(struct kftp_transfer *t, struct kftp_session *s,
			bool *one_stream);

/**
 * kftp_segments_stop_locked() - stop the ranges running, as a cancel does
 * @t: the transfer
 *
 * Under kftp_lock. Their connections are shut down by kftp_links_abort()
 * once kftp_lock is dropped.
 */
void kftp_segments_stop_locked(struct kftp_transfer *t);

/**
 * kftp_segments_init() - make the ranges' workqueue
 *
 * Return: 0 or -ENOMEM.
 */
int kftp_segments_init(void);

/**
 * kftp_segments_exit() - destroy the ranges' workqueue
 *
 * After the transfers, whose workers wait for their ranges.
 */
void kftp_segments_exit(void);

#endif
