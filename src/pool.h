/* SPDX-License-Identifier: GPL-2.0 */
/* Logged-in control connections, reused (pool.c). */
#ifndef KFTP_POOL_H
#define KFTP_POOL_H

#include "kftp.h"
#include "sock.h"

struct kftp_segment;
struct kftp_transfer;

struct kftp_link {
	struct list_head node;		/* in the pool, under kftp_lock */
	struct kref ref;		/* the pool's, and a pending abort's */
	struct list_head abort_node;	/* in kftp_aborts, under kftp_lock */
	u64 id;
	bool busy;			/* attached to a transfer */
	unsigned long idle_since;	/* jiffies */
	/* what a transfer must match to use this connection */
	struct net *net;		/* no reference: see kftp_links_net_exit */
	struct kftp_addr addr;		/* the address connected */
	char *host;			/* and the name it came from, if any */
	u16 port;
	struct kftp_addr src;		/* family 0: none */
	u64 account;			/* keyed hash of user and password */
	enum kftp_tls tls;		/* TLS, and the name it checks */
	char tls_name[KFTP_HOST_MAX + 1];
	bool connected;			/* the connect succeeded */
	struct kftp_conn conn;
	struct kftp_session session;
	void *buf;			/* kftp_buf_size bytes, NULL until used */
};

/**
 * kftp_link_get() - attach a connection to t->link
 * @t: the transfer, in its worker
 * @reused: set when it is an idle one, logged in already
 *
 * kftp_link_get_to() for t->link.
 *
 * Return: as kftp_link_get_to().
 */
int kftp_link_get(struct kftp_transfer *t, bool *reused);

/**
 * kftp_link_put() - detach t->link: park it for reuse, or close it
 * @t: the transfer
 * @keep: park it, as kftp_link_put_from() says
 */
void kftp_link_put(struct kftp_transfer *t, bool keep);

/**
 * kftp_link_get_to() - attach a connection in *@to rather than t->link
 * @t: the transfer, in its worker
 * @to: &t->link, or a segment's
 * @reused: set when it is an idle one, logged in already
 *
 * An idle connection that matches @t (namespace, server, source address,
 * account), else a new one for kftp_link_login(). While kftp_server_conns
 * of them are busy, waits for one at most t->timeout seconds. Takes
 * kftp_lock.
 *
 * Return: 0, -ECANCELED when @t (or, for a segment's, its segments) was
 * stopped, -ETIMEDOUT, or -ENOMEM.
 */
int kftp_link_get_to(struct kftp_transfer *t, struct kftp_link **to,
		     bool *reused);

/**
 * kftp_link_login() - connect a new connection, and log in
 * @t: the transfer: its user and password
 * @l: the connection kftp_link_get*() attached, not reused
 *
 * On an error @l stays attached, for its reply; the caller puts it either
 * way.
 *
 * Return: 0, or kftp_conn_open()'s or kftp_session_login()'s -errno.
 */
int kftp_link_login(struct kftp_transfer *t, struct kftp_link *l);

/**
 * kftp_link_put_from() - detach *@from: park it for reuse, or close it
 * @t: the transfer
 * @from: &t->link, or a segment's; set to NULL
 * @keep: park it, unless @t was cancelled or kftp_max_transfers are idle
 *	  already; else close it
 *
 * Not under kftp_lock, which it takes: closing may wait for the socket.
 */
void kftp_link_put_from(struct kftp_transfer *t, struct kftp_link **from,
			bool keep);

/**
 * kftp_link_buf() - the connection's data buffer, made on first use
 * @l: the connection
 *
 * kftp_buf_size bytes in l->buf, reused by each transfer on @l: a file
 * received with read_sock needs none.
 *
 * Return: 0 or -ENOMEM.
 */
int kftp_link_buf(struct kftp_link *l);

/**
 * kftp_link_abort_locked() - have kftp_links_abort() cancel @l's sockets
 * @l: the connection
 *
 * Under kftp_lock, where no shutdown may be done: it takes the socket's
 * lock. Holds a reference on @l until then; a second call does nothing.
 */
void kftp_link_abort_locked(struct kftp_link *l);

/**
 * kftp_links_abort() - cancel the sockets of the links marked so
 *
 * Outside kftp_lock, after kftp_link_abort_locked(): kftp_conn_cancel()
 * on each.
 */
void kftp_links_abort(void);

/**
 * kftp_links_wake() - wake the transfers waiting for a connection
 *
 * One was freed, or a cancel: they look again.
 */
void kftp_links_wake(void);

/**
 * kftp_links_init() - choose the key of kftp_account_hash()
 *
 * At load, before any transfer.
 */
void kftp_links_init(void);

/**
 * kftp_links_exit() - stop the idle reaper, close the idle connections
 *
 * Module unload, after every transfer ended: nothing parks a connection
 * any more.
 */
void kftp_links_exit(void);

/**
 * kftp_links_net_exit() - close a namespace's idle connections
 * @net: the namespace, going away
 *
 * Busy ones belong to transfers, which hold @net until they end. Takes
 * kftp_lock.
 *
 * Return: how many were closed.
 */
unsigned int kftp_links_net_exit(struct net *net);

/**
 * kftp_account_hash() - keyed hash of an account
 * @user: the user, NULL for anonymous
 * @pass: the password, or NULL
 *
 * Pooled connections are found by it, so that none keeps a password. No
 * user or password is another account than an empty one.
 *
 * Return: the hash.
 */
u64 kftp_account_hash(const char *user, const char *pass);

#endif /* KFTP_POOL_H */
