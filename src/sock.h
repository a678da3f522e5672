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

/*
 * The receive side of a kTLS socket (tls.c): records other than data come
 * one per recvmsg(), maybe in parts. The worker's alone, as the socket.
 */
struct kftp_tls_rx {
	bool on;		/* the socket is TLS */
	bool closed;		/* close_notify came: the stream ended */
	u8 type;		/* a record other than data, in parts: its type */
	u8 head[2];		/* its first bytes */
	unsigned int got;	/* how many of them came, at most 2 */
};

struct kftp_conn {
	struct net *net;
	union kftp_sockaddr peer;	/* the control connection's server */
	union kftp_sockaddr src;	/* local address to bind, if any */
	bool has_src;
	long timeo;			/* jiffies, for every wait */
	unsigned long ctrl_end;		/* jiffies: the exchange's replies end */
	struct mutex lock;		/* socket pointers vs kftp_conn_cancel */
	bool cancelled;
	struct socket *ctrl, *data, *listen;
	u64 trace_id;			/* the transfer, in the protocol trace */
	/* a TLS handshake's end, or a cancel; tls_* under its lock */
	wait_queue_head_t tls_wq;
	bool tls_done;			/* the handshake's callback ran */
	int tls_status;			/* and what it said */
	struct kftp_tls_rx ctrl_rx, data_rx;	/* the worker's */
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
/*
 * Kernel TCP sockets as the session's transport. data_read is there from
 * 5.4 (read_sock, one copy into the file) and data_send_file where pages
 * can be sent (splice, no copy); else NULL, and the buffer is used.
 */
extern const struct kftp_transport_ops kftp_sock_ops;

#if KFTP_HAVE_RECV_DIRECT
/* What data_read took of an skb it cloned, in the clone's cb. */
struct kftp_span {
	unsigned int offset;
	unsigned int len;
};

#define KFTP_SPAN(skb) ((struct kftp_span *)(skb)->cb)

/**
 * struct kftp_data - a batch that data_read hands to its writer
 * @skbs: clones of the skbs taken, each with its struct kftp_span
 * @len: the bytes of all their spans
 */
struct kftp_data {
	struct sk_buff_head skbs;
	size_t len;
};
#endif

#endif /* KFTP_SOCK_H */
