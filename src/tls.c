// SPDX-License-Identifier: GPL-2.0
/*
 * TLS on a connection's sockets (RFC 4217): the handshake is net/handshake's
 * upcall to tlshd, which leaves kTLS keys on the socket. Only where the
 * kernel has both (KFTP_HAVE_NET_HANDSHAKE); sock.c's ctrl_tls and
 * data_tls ops call in here.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/net.h>
#include <net/sock.h>

#include "kftp_compat.h"
#include "tls.h"

#if KFTP_HAVE_NET_HANDSHAKE
#include <linux/file.h>
#include <linux/socket.h>
#include <linux/tls.h>
#include <net/handshake.h>

/* TLS record types and the messages kftp looks at (RFC 8446) */
#define KFTP_TLS_ALERT			21
#define KFTP_TLS_HANDSHAKE		22
#define KFTP_TLS_DATA			23
#define KFTP_TLS_NEW_SESSION_TICKET	4
#define KFTP_TLS_KEY_UPDATE		24
#define KFTP_TLS_CLOSE_NOTIFY		0
#define KFTP_TLS_SKIP_MAX		8	/* records skipped by one receive */
#define KFTP_TLS_DRAIN_MAX		65536	/* data read after an upload */

/*
 * A socket given a file for a handshake is the file's to release. A
 * worker's fput() would defer it to a work item, past the end of the
 * transfer that holds the socket's network namespace.
 */
bool kftp_tls_release(struct socket *sock)
{
	if (!sock->file)
		return false;
	if (current->flags & PF_KTHREAD)
		__fput_sync(sock->file);
	else
		fput(sock->file);
	return true;
}

/*
 * net/handshake's done callback, from tlshd's downcall. Under tls_wq's
 * lock, so that the waiter, taking the lock after it saw tls_done, knows
 * the callback has let go of @c.
 */
static void kftp_tls_done(void *data, int status, key_serial_t peerid)
{
	struct kftp_conn *c = data;
	unsigned long flags;

	spin_lock_irqsave(&c->tls_wq.lock, flags);
	c->tls_status = status;
	c->tls_done = true;
	wake_up_locked(&c->tls_wq);
	spin_unlock_irqrestore(&c->tls_wq.lock, flags);
}

static bool tls_finished(struct kftp_conn *c)
{
	bool done;

	spin_lock_irq(&c->tls_wq.lock);
	done = c->tls_done;
	spin_unlock_irq(&c->tls_wq.lock);
	return done;
}

/*
 * tlshd says EACCES for every authentication failure (an untrusted CA, a
 * wrong name), ETIMEDOUT when the server closed, EIO when kTLS could not
 * be set up.
 */
static int tls_errno(int status)
{
	switch (status) {
	case 0:
		return 0;
	case -EACCES:
		return -EKEYREJECTED;
	case -ETIMEDOUT:
		return -ECONNRESET;
	default:
		return -EIO;
	}
}

/* Give *@slot the file net/handshake wants, unless cancelled. */
static int tls_file(struct kftp_conn *c, struct socket **slot)
{
	struct file *file;
	int err = 0;

	mutex_lock(&c->lock);
	if (c->cancelled) {
		err = -ECANCELED;
	} else if (!*slot) {
		err = -ENOTCONN;
	} else if (!(*slot)->file) {
		/* on failure it released the socket */
		file = sock_alloc_file(*slot, 0, NULL);
		if (IS_ERR(file)) {
			*slot = NULL;
			err = PTR_ERR(file);
		}
	}
	mutex_unlock(&c->lock);
	return err;
}

/*
 * The kernel sets no timer on a handshake: wait for it at most the
 * timeout, cancellable as every other wait (kftp_conn_cancel() wakes
 * tls_wq), then cancel it, and when the cancel comes too late wait for
 * the callback, so that none outlives the connection.
 */
int kftp_tls_handshake(struct kftp_conn *c, struct socket **slot,
		       const char *name)
{
	struct tls_handshake_args args = {
		.ta_done = kftp_tls_done,
		.ta_data = c,
		/* else tlshd reverse-resolves the address */
		.ta_peername = name,
	};
	unsigned long end = jiffies + c->timeo, next;
	int err;

	err = tls_file(c, slot);
	if (err)
		return err;
	args.ta_sock = *slot;
	c->tls_done = false;
	for (;;) {
		args.ta_timeout_ms = jiffies_to_msecs(max_t(long, end - jiffies, 1));
		err = tls_client_hello_anon(&args, GFP_KERNEL);
		/* -EAGAIN: the namespace's pending handshakes are capped */
		if (err != -EAGAIN)
			break;
		next = jiffies + HZ / 10;
		kftp_wait_until(&c->tls_wq, READ_ONCE(c->cancelled),
				time_after(next, end) ? end : next);
		if (READ_ONCE(c->cancelled))
			return -ECANCELED;
		if (time_after_eq(jiffies, end))
			return -ETIMEDOUT;
	}
	/* -ESRCH: no tlshd listens in the socket's namespace */
	if (err)
		return err;
	kftp_wait_until(&c->tls_wq,
			READ_ONCE(c->tls_done) || READ_ONCE(c->cancelled), end);
	if (!tls_finished(c)) {
		if (tls_handshake_cancel(args.ta_sock->sk))
			return READ_ONCE(c->cancelled) ? -ECANCELED : -ETIMEDOUT;
		/*
		 * Too late to cancel: handshake_complete() has taken the
		 * request and runs kftp_tls_done() now, without waiting on
		 * anything, so this wait is short.
		 */
		wait_event(c->tls_wq, tls_finished(c));
	}
	if (READ_ONCE(c->cancelled))
		return -ECANCELED;
	return tls_errno(c->tls_status);
}

/*
 * A whole record other than data: 0 to skip it (a NewSessionTicket, which
 * tlshd cannot use), 1 for close_notify, or -errno.
 */
static int record_done(struct kftp_tls_rx *rx)
{
	unsigned int got = rx->got;

	rx->got = 0;
	if (rx->type == KFTP_TLS_ALERT) {
		if (got == 2 && rx->head[1] == KFTP_TLS_CLOSE_NOTIFY) {
			rx->closed = true;
			return 1;
		}
		pr_debug("TLS alert %u/%u from the server\n", rx->head[0],
			 got == 2 ? rx->head[1] : 256);
		return -ECONNRESET;
	}
	if (rx->type != KFTP_TLS_HANDSHAKE || !got)
		return -EPROTO;
	if (rx->head[0] == KFTP_TLS_NEW_SESSION_TICKET)
		return 0;
	if (rx->head[0] == KFTP_TLS_KEY_UPDATE) {
		pr_warn_ratelimited("the server sent a TLS KeyUpdate, which kTLS cannot follow\n");
		return -EKEYEXPIRED;
	}
	return -EPROTO;
}

/*
 * One recvmsg() with the control-message buffer: the bytes, the record
 * type in *@type, whether the record ended in *@eor. No record at all: the
 * stream ended without close_notify (a truncation).
 */
static int recv_record(struct socket *sock, void *buf, size_t len, int flags,
		       u8 *type, bool *eor)
{
	union {
		struct cmsghdr cmsg;
		u8 buf[CMSG_SPACE(sizeof(u8))];
	} u;
	struct msghdr msg = {
		.msg_control	= &u,
		.msg_controllen	= sizeof(u),
	};
	struct kvec iov = { .iov_base = buf, .iov_len = len };
	int n;

	n = kernel_recvmsg(sock, &msg, &iov, 1, len, flags);
	if (n < 0)
		return n;
	if (msg.msg_controllen == sizeof(u))
		return n ? -EPROTO : -EIO;
	if (u.cmsg.cmsg_level != SOL_TLS ||
	    u.cmsg.cmsg_type != TLS_GET_RECORD_TYPE)
		return -EPROTO;
	*type = *(u8 *)CMSG_DATA(&u.cmsg);
	*eor = msg.msg_flags & MSG_EOR;
	return n;
}

/*
 * @n bytes of a record other than data, of type @type: 0 while it is not
 * whole (@eor), then record_done()'s verdict.
 */
static int other_record(struct kftp_tls_rx *rx, u8 type, const u8 *buf,
			int n, bool eor)
{
	if (rx->got && type != rx->type)
		return -EPROTO;
	rx->type = type;
	memcpy(rx->head + rx->got, buf, min_t(size_t, n, 2 - rx->got));
	rx->got += min_t(size_t, n, 2 - rx->got);
	return eor ? record_done(rx) : 0;
}

int kftp_tls_recv(struct socket *sock, struct kftp_tls_rx *rx, void *buf,
		  size_t len, int flags)
{
	unsigned int skipped = 0;
	bool eor;
	u8 type;
	int n;

	while (!rx->closed) {
		n = recv_record(sock, buf, len, flags, &type, &eor);
		if (n < 0)
			return n;
		/* none: an empty data record, then the end of the stream */
		if (type == KFTP_TLS_DATA && !rx->got)
			return n ? n : -EIO;
		n = other_record(rx, type, buf, n, eor);
		if (n)
			return n > 0 ? 0 : n;
		if (eor && ++skipped == KFTP_TLS_SKIP_MAX)
			return -EPROTO;
	}
	return 0;
}

int kftp_tls_next(struct socket *sock, struct kftp_tls_rx *rx)
{
	unsigned int skipped = 0;
	u8 head[64], type;
	bool eor;
	int n;

	while (!rx->closed) {
		/* waits, and leaves the record decrypted at the queue's head */
		n = recv_record(sock, head, 1, MSG_PEEK, &type, &eor);
		if (n < 0)
			return n;
		if (type == KFTP_TLS_DATA)
			return n ? 1 : -EIO;
		/* the record alone: recvmsg() stops at the end of one not data */
		do {
			n = recv_record(sock, head, sizeof(head), 0, &type,
					&eor);
			if (n < 0)
				return n;
			if (type == KFTP_TLS_DATA)
				return -EPROTO;
			n = other_record(rx, type, head, n, eor);
		} while (!n && !eor);
		if (n)
			return n > 0 ? 0 : n;
		if (++skipped == KFTP_TLS_SKIP_MAX)
			return -EPROTO;
	}
	return 0;
}

int kftp_tls_close_notify(struct socket *sock, int flags)
{
	static const u8 alert[2] = { 1, KFTP_TLS_CLOSE_NOTIFY };	/* warning */
	union {
		struct cmsghdr cmsg;
		u8 buf[CMSG_SPACE(sizeof(u8))];
	} u = { };
	struct kvec iov = { .iov_base = (void *)alert, .iov_len = 2 };
	struct msghdr msg = {
		.msg_control	= &u,
		.msg_controllen	= sizeof(u),
		.msg_flags	= MSG_NOSIGNAL | flags,
	};
	int n;

	u.cmsg.cmsg_len = CMSG_LEN(sizeof(u8));
	u.cmsg.cmsg_level = SOL_TLS;
	u.cmsg.cmsg_type = TLS_SET_RECORD_TYPE;
	*(u8 *)CMSG_DATA(&u.cmsg) = KFTP_TLS_ALERT;
	n = kernel_sendmsg(sock, &msg, &iov, 1, 2);
	/* a send that timed out says -EAGAIN */
	if (n < 0)
		return n == -EAGAIN ? -ETIMEDOUT : n;
	return n == 2 ? 0 : -EIO;
}

/* From a handshake that worked on, @sock's receives go through @rx. */
static int tls_start(struct kftp_conn *c, struct socket **slot,
		     struct kftp_tls_rx *rx, const char *name)
{
	int err;

	memset(rx, 0, sizeof(*rx));
	err = kftp_tls_handshake(c, slot, name);
	rx->on = !err;
	return err;
}

int kftp_tls_ctrl(void *priv, const char *name)
{
	struct kftp_conn *c = priv;

	return tls_start(c, &c->ctrl, &c->ctrl_rx, name);
}

int kftp_tls_data(void *priv, const char *name)
{
	struct kftp_conn *c = priv;

	return tls_start(c, &c->data, &c->data_rx, name);
}

/*
 * close_notify before the close: vsftpd's strict_ssl_read_eof wants it.
 * Then read to the server's end: a close with records unread (its session
 * tickets) sends a reset, which can reach the server before it has read
 * the last of the upload. A server owes nothing more after an upload, so
 * the read stops after KFTP_TLS_DRAIN_MAX bytes of data, at a cancel, or
 * at the receive timeout.
 */
int kftp_tls_data_end(void *priv)
{
	struct kftp_conn *c = priv;
	size_t drained = 0;
	char buf[256];
	int err, n;

	if (!c->data_rx.on)
		return 0;
	err = kftp_tls_close_notify(c->data, 0);
	if (err)
		return err;
	/* the server may have closed already: nothing left to drain */
	if (kernel_sock_shutdown(c->data, SHUT_WR))
		return 0;
	while (drained < KFTP_TLS_DRAIN_MAX && !READ_ONCE(c->cancelled)) {
		n = kftp_tls_recv(c->data, &c->data_rx, buf, sizeof(buf), 0);
		if (n <= 0)
			break;
		drained += n;
	}
	return 0;
}
#endif
