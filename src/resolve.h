/* SPDX-License-Identifier: GPL-2.0 */
/* Host names, with the kernel's DNS resolver (resolve.c). */
#ifndef KFTP_RESOLVE_H
#define KFTP_RESOLVE_H

#include "kftp.h"

struct kftp_transfer;

/**
 * kftp_resolve() - resolve t->host
 * @t: the transfer, in its worker
 * @out: its addresses
 * @why: set on -ETIMEDOUT and -EHOSTUNREACH, for the status table
 *
 * Waits for the kernel's DNS resolver at most t->opts.timeout seconds,
 * and until a cancel. Keeps the addresses of t->opts.family (else of
 * src='s), IPv6 ones first, each once, at most KFTP_ADDRS_MAX.
 *
 * Return: 0, -ECANCELED, -ETIMEDOUT, -EHOSTUNREACH when the name has no
 * address (of the family asked for), or -ENOMEM.
 */
int kftp_resolve(const struct kftp_transfer *t, struct kftp_addrs *out,
		 const char **why);

/**
 * kftp_resolve_wake() - wake the transfers waiting for a lookup
 *
 * A cancel: they look at t->cancelled.
 */
void kftp_resolve_wake(void);

/**
 * kftp_resolve_init() - make the lookups' workqueue
 *
 * Return: 0 or -ENOMEM.
 */
int kftp_resolve_init(void);

/**
 * kftp_resolve_exit() - destroy the lookups' workqueue
 *
 * After the transfers: waits for the lookups they gave up on, which the
 * upcall's own DNS timeouts end.
 */
void kftp_resolve_exit(void);

#endif /* KFTP_RESOLVE_H */
