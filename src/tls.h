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
 * kftp_tls_release() - release a socket that was given a file
 * @sock: the socket, no longer published
 *
 * Return: true when it had a file, which released it; false: the caller
 * releases it.
 */
bool kftp_tls_release(struct socket *sock);
#else
static inline bool kftp_tls_release(struct socket *sock)
{
	return false;
}
#endif

#endif /* KFTP_TLS_H */
