/* SPDX-License-Identifier: GPL-2.0 */
/* The writer's context, which a transfer acts in (context.c). */
#ifndef KFTP_CONTEXT_H
#define KFTP_CONTEXT_H

#include "kftp.h"

struct kftp_request;
struct kftp_transfer;

/**
 * kftp_context_capture() - take the writer's context for a transfer
 * @t: the transfer being created, its options set
 * @req: the request it comes from
 * @reason: set when the request cannot be carried out by this writer
 *
 * In write(), as the writer: its credentials (less CAP_SYS_RESOURCE), its
 * network namespace, its memory cgroup, its RLIMIT_FSIZE in
 * t->opts.max_size, and what only its view of the filesystem can resolve:
 * put's file, opened; get's destination directory; a zone's interface. A
 * host name without addr= is refused outside the initial network
 * namespace.
 *
 * Return: 0, or -errno (-ENOMEM, or with *@reason set).
 */
int kftp_context_capture(struct kftp_transfer *t,
			 const struct kftp_request *req, const char **reason);

/**
 * kftp_context_release() - let go of what the writer's context pins
 * @t: the transfer, ended or never submitted
 *
 * Its directory, file, memory cgroup and credentials, so that a transfer
 * in the history blocks no unmount and no cgroup removal. The network
 * namespace is let go by kftp_context_put_net().
 */
void kftp_context_release(struct kftp_transfer *t);

/**
 * kftp_context_put_net() - drop the reference on the writer's namespace
 * @t: the transfer: ending, under kftp_lock (the status table reads
 *	t->net), or being freed
 *
 * t->net stays, to be compared by the status table until the namespace's
 * exit forgets it.
 */
void kftp_context_put_net(struct kftp_transfer *t);

/**
 * struct kftp_context_saved - what a worker ran with before kftp_context_enter()
 * @cred: its credentials
 * @memcg: its active memory cgroup
 */
struct kftp_context_saved {
	const struct cred *cred;
	struct mem_cgroup *memcg;
};

/**
 * kftp_context_enter() - a worker acts as the writer of @t
 * @t: the transfer
 * @saved: filled in, for kftp_context_leave()
 *
 * Its credentials for every file and socket, its memory cgroup charged.
 */
void kftp_context_enter(const struct kftp_transfer *t,
			struct kftp_context_saved *saved);

/**
 * kftp_context_leave() - the worker is itself again
 * @saved: from kftp_context_enter()
 */
void kftp_context_leave(const struct kftp_context_saved *saved);

#endif /* KFTP_CONTEXT_H */
