/* SPDX-License-Identifier: GPL-2.0 */
/* One try of a transfer, and its retries (attempt.c). */
#ifndef KFTP_ATTEMPT_H
#define KFTP_ATTEMPT_H

#include "transfer.h"
#include "stream.h"

/**
 * kftp_attempts() - try a transfer until it succeeds or fails for good
 * @t: the transfer, in its worker, with the writer's credentials
 * @stream: its stream of bytes
 *
 * Tries until one succeeds, fails for good, or retries= are spent. A try
 * continues the file where the last one left it (REST of what the
 * temporary or part file has); a listing starts over.
 *
 * Return: 0, -ECANCELED when cancelled while it waited to try again, or
 * the last try's -errno.
 */
int kftp_attempts(struct kftp_transfer *t, struct kftp_stream *stream);

#endif
