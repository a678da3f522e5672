/* SPDX-License-Identifier: GPL-2.0 */
/* TLS on a connection's sockets: the handshake, kTLS records (tls.c). */
#ifndef KFTP_TLS_H
#define KFTP_TLS_H

#include "kftp_compat.h"
#include "sock.h"

#if KFTP_HAVE_NET_HANDSHAKE
/**
 * kftp_tls_handshake() - TLS on one of a connection's sockets, by tlshd
 * @c: the connection
 * @slot: its socket: &c->ctrl or &c->data
 * @name: what the server's certificate must name, also sent as SNI
 *
 * Waits at most the connection's timeout; kftp_conn_cancel() ends the
 * wait. No handshake callback runs on @c after it returns.
 *
 * Return: 0, or -errno: -EKEYREJECTED (the certificate), -ESRCH (no tlshd
 * in the socket's network namespace), -ETIMEDOUT, -ECONNRESET (the server
 * closed), -EIO (kTLS could not be set up), -ECANCELED.
 */
int kftp_tls_handshake(struct kftp_conn *c, struct socket **slot,
		       const char *name);

/**
 * kftp_tls_recv() - receive application data from a kTLS socket
 * @sock: the socket, after its handshake
 * @rx: its receive state, zeroed with the handshake
 * @buf: where the data goes
 * @len: at most this many bytes
 * @flags: kernel_recvmsg()'s (MSG_WAITALL)
 *
 * recvmsg() on kTLS needs a control-message buffer for the record type, or
 * a record other than data fails it. NewSessionTicket records are skipped
 * (at most 8 a call), close_notify ends the stream; any other alert, and a
 * KeyUpdate, which kTLS cannot follow, are errors.
 *
 * Return: the bytes received, 0 after close_notify, or -errno: -EIO when
 * the stream ended without close_notify (a truncation), -ECONNRESET for
 * an alert, -EKEYEXPIRED for a KeyUpdate, -EPROTO for another record, or
 * the socket's.
 */
int kftp_tls_recv(struct socket *sock, struct kftp_tls_rx *rx, void *buf,
		  size_t len, int flags);

/**
 * kftp_tls_next() - wait for a kTLS socket's next data record
 * @sock: the socket, after its handshake, not locked
 * @rx: its receive state
 *
 * For read_sock, which never waits and stops at a record other than data:
 * a recvmsg() with MSG_PEEK waits for the next record (within
 * sk_rcvtimeo; a shutdown wakes it) and leaves it decrypted at the head
 * of the queue, where read_sock takes it next. Records other than data
 * before it are taken as kftp_tls_recv() takes them.
 *
 * Return: 1 when a data record is there, 0 after close_notify, or -errno
 * as kftp_tls_recv()'s (-EAGAIN when the wait timed out).
 */
int kftp_tls_next(struct socket *sock, struct kftp_tls_rx *rx);

/**
 * kftp_tls_close_notify() - end a kTLS socket's sending side, as TLS says
 * @sock: the socket, after its handshake
 * @flags: MSG_DONTWAIT, or 0 to wait as long as sk_sndtimeo allows
 *
 * Return: 0 or -errno.
 */
int kftp_tls_close_notify(struct socket *sock, int flags);

/**
 * kftp_tls_ctrl() - kftp_sock_ops' ctrl_tls: TLS on the control connection
 * @priv: the struct kftp_conn
 * @name: as for kftp_tls_handshake()
 *
 * From a successful handshake on, the control receives go through
 * kftp_tls_recv(), and kftp_conn_close() sends close_notify.
 *
 * Return: as kftp_tls_handshake().
 */
int kftp_tls_ctrl(void *priv, const char *name);

/**
 * kftp_tls_data() - kftp_sock_ops' data_tls: TLS on the data connection
 * @priv: the struct kftp_conn
 * @name: as for kftp_tls_handshake()
 *
 * From a successful handshake on, until the data connection is closed, its
 * receives go through kftp_tls_recv().
 *
 * Return: as kftp_tls_handshake().
 */
int kftp_tls_data(void *priv, const char *name);

/**
 * kftp_tls_data_end() - kftp_sock_ops' data_end: an upload is all sent
 * @priv: the struct kftp_conn
 *
 * On a TLS data connection: close_notify, the sending side shut down, and
 * what the server still sends read up to its end (at most 64 KiB of data,
 * each read within the receive timeout, none after a cancel), so that the
 * close sends no reset. Nothing on a plain one.
 *
 * Return: 0, or kftp_tls_close_notify()'s -errno.
 */
int kftp_tls_data_end(void *priv);

/**
 * kftp_tls_release() - release a socket that was given a file
 * @sock: the socket, no longer published
 *
 * Return: true when it had a file, which released it; false: the caller
 * releases it.
 */
bool kftp_tls_release(struct socket *sock);
#else
/* no TLS: rx->on is never set, no socket is given a file */
static inline int kftp_tls_recv(struct socket *sock, struct kftp_tls_rx *rx,
				void *buf, size_t len, int flags)
{
	return -EOPNOTSUPP;
}

static inline int kftp_tls_close_notify(struct socket *sock, int flags)
{
	return -EOPNOTSUPP;
}

static inline bool kftp_tls_release(struct socket *sock)
{
	return false;
}
#endif

#endif /* KFTP_TLS_H */
