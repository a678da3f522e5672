/* SPDX-License-Identifier: GPL-2.0 */
/* A transfer's run in its writer's context (run.c). */
#ifndef KFTP_RUN_H
#define KFTP_RUN_H

#include "transfer.h"

/**
 * kftp_run() - run a transfer as its writer, to its end
 * @t: the transfer, taken from the queue by its worker
 *
 * In the writer's context from start to end: a get opens its destination
 * (the part file with resume), tries, checks sha256= and commits the file,
 * or keeps a resume's part, or removes it; a put runs in a kthread of its
 * own, for its splice pipe's sake, which the worker waits for.
 *
 * Return: 0, or the -errno the transfer ends with (-ECANCELED when it was
 * cancelled).
 */
int kftp_run(struct kftp_transfer *t);

#endif /* KFTP_RUN_H */
