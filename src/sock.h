/* SPDX-License-Identifier: GPL-2.0 */
/* Kernel sockets with timeouts, cancellable from any task (sock.c). */
#ifndef KFTP_SOCK_H
#define KFTP_SOCK_H

#include "kftp.h"

/* both begin with the family; no struct sockaddr, a flexible one lately */
union kftp_sockaddr {
	struct sockaddr_in v4;
	struct sockaddr_in6 v6;
};

struct kftp_conn {
	struct net *net;
	union kftp_sockaddr peer;	/* the control connection's server */
	union kftp_sockaddr src;	/* local address to bind, if any */
	bool has_src;
	long timeo;			/* jiffies, for every wait */
	struct mutex lock;		/* socket pointers vs kftp_conn_cancel */
	bool cancelled;
	struct socket *ctrl, *data, *listen;
	u64 trace_id;			/* the transfer, in the protocol trace */
};

/**
 * kftp_conn_init() - set up a connection's addresses; no socket yet
 * @c: the connection
 * @net: the network namespace of its sockets
 * @addr: the server
 * @port: the server's control port
 * @src: the local address to bind, family 0: none; an IPv6 one takes
 *	 @addr's zone
 * @timeout_secs: the bound of every wait, in seconds
 */
void kftp_conn_init(struct kftp_conn *c, struct net *net,
		    const struct kftp_addr *addr, u16 port,
		    const struct kftp_addr *src, unsigned int timeout_secs);

/**
 * kftp_conn_open() - connect the control connection
 * @c: the connection, set up by kftp_conn_init()
 *
 * Waits at most the timeout; kftp_conn_cancel() ends the wait.
 *
 * Return: 0, or -errno: -ETIMEDOUT, -ECANCELED when cancelled before the
 * connect began, or the bind's or the connect's.
 */
int kftp_conn_open(struct kftp_conn *c);

/**
 * kftp_conn_cancel() - wake every wait on a connection, fail later ones
 * @c: the connection
 *
 * Safe from any task, but not under kftp_lock: the shutdown takes the
 * sockets' locks (kftp_link_abort_locked() defers it).
 */
void kftp_conn_cancel(struct kftp_conn *c);

/**
 * kftp_conn_close() - release the connection's sockets
 * @c: the connection
 *
 * Safe against a kftp_conn_cancel() at the same time: both take c->lock.
 */
void kftp_conn_close(struct kftp_conn *c);

/**
 * kftp_conn_set_timeout() - a new bound for every later wait
 * @c: the connection
 * @timeout_secs: seconds
 *
 * A reused connection takes the timeout of its new transfer; the control
 * socket's at once.
 */
void kftp_conn_set_timeout(struct kftp_conn *c, unsigned int timeout_secs);
extern const struct kftp_transport_ops kftp_sock_ops;
#if KFTP_HAVE_SEND_PAGES
/**
 * kftp_conn_send_file() - a file's pages on the data connection, no copy
 * @c: the connection, its data socket open
 * @file: the file
 * @pos: where in @file; moves past what was sent
 * @len: the most to send
 *
 * Up to @len bytes: splice_direct_to_actor() takes the page cache's
 * pages, as sendfile() does. Each send waits at most the timeout;
 * kftp_conn_cancel() ends the wait.
 *
 * Return: the bytes sent, 0 at the end of the file, or -errno.
 */
int kftp_conn_send_file(struct kftp_conn *c, struct file *file, loff_t *pos,
			size_t len);
#endif
#if KFTP_HAVE_RECV_DIRECT
/* What kftp_conn_read() took of an skb it cloned, in the clone's cb. */
struct kftp_span {
	unsigned int offset;
	unsigned int len;
};

#define KFTP_SPAN(skb) ((struct kftp_span *)(skb)->cb)

/* Where kftp_conn_read() hands a batch of clones, each with its span. */
typedef int (*kftp_skbs_write_t)(void *arg, struct sk_buff_head *skbs);
/**
 * kftp_conn_read() - up to @len bytes of the data connection to @write
 * @c: the connection, its data socket open
 * @len: the most to take
 * @write: called for each batch taken, the socket unlocked
 * @arg: @write's first argument
 *
 * Waits as a MSG_WAITALL receive does: until @len bytes came, the stream
 * ended or the timeout passed; kftp_conn_cancel() ends the wait. One copy,
 * @write's, and no filesystem I/O under the socket lock.
 *
 * Return: the bytes taken, 0 at the end of the stream, or -errno: @write's
 * first, -EOPNOTSUPP for a socket without read_sock, or the receive's.
 */
int kftp_conn_read(struct kftp_conn *c, size_t len, kftp_skbs_write_t write,
		   void *arg);
#endif

#endif /* KFTP_SOCK_H */
