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
#include <net/handshake.h>

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
		wait_event(c->tls_wq, tls_finished(c));
	}
	if (READ_ONCE(c->cancelled))
		return -ECANCELED;
	return tls_errno(c->tls_status);
}
#endif
