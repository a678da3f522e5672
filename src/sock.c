// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel TCP sockets for the control and data connections. Every blocking
 * call is bounded by sk_rcvtimeo/sk_sndtimeo, the receives of one control
 * exchange by one timeout in all; kftp_conn_cancel() shuts the
 * sockets down from another task, which wakes any wait at once, as
 * net/ceph/messenger.c and ksmbd do for teardown.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/net.h>
#include <linux/in.h>
#include <linux/pipe_fs_i.h>
#include <linux/splice.h>
#include <linux/tcp.h>
#include <net/ipv6.h>
#include <net/sock.h>

#include "kftp_compat.h"
#include "sock.h"
#include "tls.h"

static void to_sockaddr(union kftp_sockaddr *sa, const struct kftp_addr *a,
			u32 scope, u16 port)
{
	if (a->family == KFTP_AF_INET6) {
		sa->v6.sin6_family = AF_INET6;
		memcpy(&sa->v6.sin6_addr, a->bytes, 16);
		sa->v6.sin6_port = htons(port);
		sa->v6.sin6_scope_id = scope;
	} else {
		sa->v4.sin_family = AF_INET;
		memcpy(&sa->v4.sin_addr, a->bytes, 4);
		sa->v4.sin_port = htons(port);
	}
}

static int sockaddr_len(const union kftp_sockaddr *sa)
{
	return sa->v4.sin_family == AF_INET6 ? sizeof(sa->v6) : sizeof(sa->v4);
}

static u16 sockaddr_port(const union kftp_sockaddr *sa)
{
	return ntohs(sa->v4.sin_family == AF_INET6 ? sa->v6.sin6_port :
			   sa->v4.sin_port);
}

void kftp_conn_init(struct kftp_conn *c, struct net *net,
		    const struct kftp_addr *addr, u16 port,
		    const struct kftp_addr *src, unsigned int timeout_secs)
{
	memset(c, 0, sizeof(*c));
	mutex_init(&c->lock);
	init_waitqueue_head(&c->tls_wq);
	c->net = net;
	to_sockaddr(&c->peer, addr, addr->scope, port);
	if (src->family) {
		c->has_src = true;
		/* a link-local source is on the server's link */
		to_sockaddr(&c->src, src, addr->scope, 0);
	}
	c->timeo = (long)timeout_secs * HZ;
}

/* A timed-out wait says -EAGAIN (recv, send, accept) or -EINPROGRESS (connect). */
static int kftp_sock_errno(int err)
{
	if (err == -EAGAIN || err == -EINPROGRESS)
		return -ETIMEDOUT;
	return err;
}

static void set_timeouts(struct kftp_conn *c, struct socket *sock)
{
	sock->sk->sk_rcvtimeo = c->timeo;
	sock->sk->sk_sndtimeo = c->timeo;
}

/* Publish @sock in *@slot unless the connection was cancelled. */
static int publish(struct kftp_conn *c, struct socket **slot,
		   struct socket *sock)
{
	int err = 0;

	mutex_lock(&c->lock);
	if (c->cancelled)
		err = -ECANCELED;
	else
		*slot = sock;
	mutex_unlock(&c->lock);
	if (err)
		sock_release(sock);
	return err;
}

static void unpublish(struct kftp_conn *c, struct socket **slot)
{
	struct socket *sock;

	mutex_lock(&c->lock);
	sock = *slot;
	*slot = NULL;
	mutex_unlock(&c->lock);
	if (!sock)
		return;
	if (kftp_tls_release(sock))
		return;
	sock_release(sock);
}

static int new_socket(struct kftp_conn *c, struct socket **slot)
{
	struct socket *sock;
	int err;

	err = kftp_sock_create_kern(c->net, c->peer.v4.sin_family, SOCK_STREAM,
				    IPPROTO_TCP, &sock);
	if (err)
		return err;
	set_timeouts(c, sock);
	return publish(c, slot, sock);
}

/* Connect *@slot to @port on the server, from the src= address if any. */
static int connect_to(struct kftp_conn *c, struct socket **slot, u16 port)
{
	union kftp_sockaddr addr = c->peer;
	int err;

	err = new_socket(c, slot);
	if (err)
		return err;
	if (c->has_src) {
		err = kernel_bind(*slot, KFTP_SOCKADDR(&c->src),
				  sockaddr_len(&c->src));
		if (err)
			return err;
	}
	if (addr.v4.sin_family == AF_INET6)
		addr.v6.sin6_port = htons(port);
	else
		addr.v4.sin_port = htons(port);
	err = kernel_connect(*slot, KFTP_SOCKADDR(&addr), sockaddr_len(&addr),
			     0);
	return kftp_sock_errno(err);
}

int kftp_conn_open(struct kftp_conn *c)
{
	return connect_to(c, &c->ctrl, sockaddr_port(&c->peer));
}

/* A reused connection takes the timeout of its new transfer. */
void kftp_conn_set_timeout(struct kftp_conn *c, unsigned int timeout_secs)
{
	c->timeo = (long)timeout_secs * HZ;
	if (c->ctrl)
		set_timeouts(c, c->ctrl);
}

/* Wake whatever waits on @sock: a connect, an accept, a send or a receive. */
static void abort_socket(struct socket *sock)
{
	if (!sock)
		return;
	kernel_sock_shutdown(sock, SHUT_RDWR);
	if ((1 << READ_ONCE(sock->sk->sk_state)) & (TCPF_SYN_SENT | TCPF_SYN_RECV))
		kftp_tcp_abort(sock);
}

void kftp_conn_cancel(struct kftp_conn *c)
{
	mutex_lock(&c->lock);
	c->cancelled = true;
	abort_socket(c->ctrl);
	abort_socket(c->data);
	abort_socket(c->listen);
	mutex_unlock(&c->lock);
	/* a TLS handshake's wait */
	wake_up(&c->tls_wq);
}

void kftp_conn_close(struct kftp_conn *c)
{
	/* after QUIT, if any: the end of the TLS session, never waited on */
	if (c->ctrl_rx.on && c->ctrl && !READ_ONCE(c->cancelled))
		kftp_tls_close_notify(c->ctrl, MSG_DONTWAIT);
	c->ctrl_rx.on = false;
	unpublish(c, &c->data);
	unpublish(c, &c->listen);
	unpublish(c, &c->ctrl);
}

static int send_all(struct socket *sock, const char *buf, size_t len)
{
	while (len) {
		struct kvec iov = { .iov_base = (void *)buf, .iov_len = len };
		struct msghdr msg = { .msg_flags = MSG_NOSIGNAL };
		int n = kernel_sendmsg(sock, &msg, &iov, 1, len);

		if (n < 0)
			return kftp_sock_errno(n);
		if (!n)
			return -ECONNRESET;
		buf += n;
		len -= n;
	}
	return 0;
}

static int recv_some(struct socket *sock, void *buf, size_t len, int flags)
{
	struct kvec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr msg = { };
	int n = kernel_recvmsg(sock, &msg, &iov, 1, len, flags);

	return n < 0 ? kftp_sock_errno(n) : n;
}

static int kftp_ctrl_send(void *priv, const char *buf, size_t len)
{
	struct kftp_conn *c = priv;

	return send_all(c->ctrl, buf, len);
}

static void kftp_ctrl_begin(void *priv)
{
	struct kftp_conn *c = priv;

	c->ctrl_end = jiffies + c->timeo;
}

/* Each wait gets what is left of the exchange's timeout, not all of it. */
static int kftp_ctrl_recv(void *priv, char *buf, size_t len)
{
	struct kftp_conn *c = priv;
	long left = (long)(c->ctrl_end - jiffies);

	if (left <= 0)
		return -ETIMEDOUT;
	c->ctrl->sk->sk_rcvtimeo = left;
	if (c->ctrl_rx.on)
		return kftp_sock_errno(kftp_tls_recv(c->ctrl, &c->ctrl_rx, buf,
						     len, 0));
	return recv_some(c->ctrl, buf, len, 0);
}

static int kftp_data_connect(void *priv, u16 port)
{
	struct kftp_conn *c = priv;

	return connect_to(c, &c->data, port);
}

static int kftp_data_listen(void *priv, struct kftp_addr *addr, u16 *port)
{
	struct kftp_conn *c = priv;
	union kftp_sockaddr local = { };
	int err;

	/* listen on the address the server already reaches us at */
	err = kftp_getsockname(c->ctrl, (struct sockaddr *)&local);
	if (err)
		return err;
	err = new_socket(c, &c->listen);
	if (err)
		return err;
	memset(addr, 0, sizeof(*addr));
	if (local.v4.sin_family == AF_INET6) {
		local.v6.sin6_port = 0;
		addr->family = KFTP_AF_INET6;
		memcpy(addr->bytes, &local.v6.sin6_addr, 16);
	} else {
		local.v4.sin_port = 0;
		addr->family = KFTP_AF_INET;
		memcpy(addr->bytes, &local.v4.sin_addr, 4);
	}
	err = kernel_bind(c->listen, KFTP_SOCKADDR(&local), sockaddr_len(&local));
	if (!err)
		err = kernel_listen(c->listen, 1);
	if (!err)
		err = kftp_getsockname(c->listen, (struct sockaddr *)&local);
	if (err)
		return err;
	*port = sockaddr_port(&local);
	return 0;
}

/* The same host as the control connection's server? */
static bool is_server(const struct kftp_conn *c, const union kftp_sockaddr *a)
{
	if (a->v4.sin_family != c->peer.v4.sin_family)
		return false;
	if (a->v4.sin_family == AF_INET6)
		return ipv6_addr_equal(&a->v6.sin6_addr, &c->peer.v6.sin6_addr);
	return a->v4.sin_addr.s_addr == c->peer.v4.sin_addr.s_addr;
}

/*
 * Only the server may connect back (RFC 2577): anyone who saw the EPRT
 * could race it, so a foreign peer is dropped and the wait goes on, for
 * the timeout in all.
 */
static int kftp_data_accept(void *priv)
{
	struct kftp_conn *c = priv;
	unsigned long end = jiffies + c->timeo;
	union kftp_sockaddr peer;
	struct socket *sock;
	int err;

	for (;;) {
		c->listen->sk->sk_rcvtimeo = max_t(long, end - jiffies, 1);
		err = kernel_accept(c->listen, &sock, 0);
		if (err)
			return kftp_sock_errno(err);
		/* a peer gone already is no more the server than a stranger */
		if (!kftp_getpeername(sock, (struct sockaddr *)&peer) && is_server(c, &peer))
			break;
		sock_release(sock);
		if (time_after_eq(jiffies, end))
			return -ETIMEDOUT;
	}
	unpublish(c, &c->listen);
	set_timeouts(c, sock);
	return publish(c, &c->data, sock);
}

static int kftp_data_recv(void *priv, void *buf, size_t len)
{
	struct kftp_conn *c = priv;

	/* fill the whole buffer per call: fewer, larger file writes */
	if (c->data_rx.on)
		return kftp_sock_errno(kftp_tls_recv(c->data, &c->data_rx, buf,
						     len, MSG_WAITALL));
	return recv_some(c->data, buf, len, MSG_WAITALL);
}

#if KFTP_HAVE_RECV_DIRECT
/*
 * tcp_read_sock()'s actor, under the socket lock: keep a clone of the skb
 * (its data shared, not copied), as strparser does, and write it once the
 * lock is released. A write may block on storage for good (a frozen or
 * hung filesystem), and a cancel's shutdown needs this lock.
 */
static int take_skb(read_descriptor_t *desc, struct sk_buff *skb,
		    unsigned int offset, size_t len)
{
	struct kftp_data *taken = desc->arg.data;
	struct sk_buff *clone;

	len = min_t(size_t, len, desc->count);
	clone = skb_clone(skb, GFP_KERNEL);
	if (!clone) {
		desc->error = -ENOMEM;
		return 0;
	}
	KFTP_SPAN(clone)->offset = offset;
	KFTP_SPAN(clone)->len = len;
	__skb_queue_tail(&taken->skbs, clone);
	taken->len += len;
	desc->count -= len;
	return len;
}

/* Hand what take_skb() kept to @write, then let go of it. */
static int write_taken(struct kftp_data *taken, kftp_data_write_t write,
		       void *arg)
{
	struct sk_buff *skb;
	int err;

	err = taken->len ? write(arg, taken, taken->len) : 0;
	while ((skb = __skb_dequeue(&taken->skbs)))
		consume_skb(skb);
	taken->len = 0;
	return err;
}

/*
 * Under the socket lock, nothing new taken: stop waiting, and why? As
 * tcp_recvmsg(): what came is returned, an error next time.
 */
static bool read_stops(struct sock *sk, size_t done, long timeo, int *err)
{
	if (done)
		return sk->sk_err || sk->sk_state == TCP_CLOSE ||
		       (sk->sk_shutdown & RCV_SHUTDOWN) || !timeo ||
		       signal_pending(current);
	if (sock_flag(sk, SOCK_DONE))
		return true;
	if (sk->sk_err)
		*err = sock_error(sk);
	else if (sk->sk_shutdown & RCV_SHUTDOWN)
		return true;
	else if (sk->sk_state == TCP_CLOSE)
		*err = -ENOTCONN;
	else if (!timeo)
		*err = -ETIMEDOUT;
	else if (signal_pending(current))
		*err = sock_intr_errno(timeo);
	else
		return false;
	return true;
}

#if KFTP_HAVE_NET_HANDSHAKE
/*
 * kftp_data_read() on a kTLS socket. Its read_sock, tls_sw_read_sock(),
 * hands over decrypted records; it runs under the socket lock, as
 * tcp_read_sock() does (it takes only kTLS's own reader mark), but never
 * waits (-EAGAIN) and stops at a record other than data (-EINVAL), which
 * it leaves queued. kftp_tls_next() then waits with the socket unlocked
 * (its recvmsg() takes the lock) and takes the records other than data:
 * session tickets are skipped, close_notify ends the stream, an end
 * without it is -EIO. The waits of one call share the receive timeout,
 * as sk_wait_data()'s do.
 */
static int tls_data_read(struct kftp_conn *c, size_t len,
			 kftp_data_write_t write, void *arg)
{
	struct socket *sock = c->data;
	struct sock *sk = sock->sk;
	struct kftp_data taken = { .len = 0 };
	read_descriptor_t desc = { .count = len, .arg.data = &taken };
	long timeo = c->timeo;
	unsigned long start;
	bool ready = false;
	size_t done = 0;
	int n, err;

	if (!kftp_tls_has_read_sock(sock))
		return -EOPNOTSUPP;
	__skb_queue_head_init(&taken.skbs);
	while (!c->data_rx.closed) {
		lock_sock(sk);
		n = sock->ops->read_sock(sk, &desc, take_skb);
		release_sock(sk);
		err = write_taken(&taken, write, arg);
		if (err || desc.error)
			return err ? err : desc.error;
		if (n > 0) {
			done += n;
			ready = false;
			if (!desc.count)
				break;
			continue;
		}
		/* it would not take the data record: one read_sock cannot skip */
		if (ready)
			return -EPROTO;
		/* 0 is the end: kftp_tls_next() says whether close_notify came */
		if (n && n != -EAGAIN && n != -EINVAL)
			return n;
		if (timeo <= 0) {
			if (done)
				break;
			return -ETIMEDOUT;
		}
		sk->sk_rcvtimeo = timeo;
		start = jiffies;
		err = kftp_tls_next(sock, &c->data_rx);
		timeo -= (long)(jiffies - start);
		sk->sk_rcvtimeo = c->timeo;
		ready = err > 0;
		/* as tcp_recvmsg(): what came is returned, the timeout next */
		if (err == -EAGAIN && done)
			break;
		if (err < 0)
			return kftp_sock_errno(err);
	}
	return done;
}
#endif

/*
 * Take up to @len bytes of data straight from the receive queue
 * (tcp_read_sock()), waiting as kftp_data_recv() does with MSG_WAITALL:
 * until @len bytes came, the stream ended, or the receive timeout passed;
 * kftp_conn_cancel()'s shutdown wakes the wait. Each batch taken is handed
 * to @write with the socket unlocked, while more arrives: one
 * copy, from the skbs' pages to wherever @write puts them, and no
 * filesystem I/O under the socket lock. At most @len bytes of skbs are
 * held. Returns the bytes taken, 0 at the end of the stream, or -errno:
 * @write's first. A kTLS socket is read by tls_data_read().
 */
static int kftp_data_read(void *priv, size_t len, kftp_data_write_t write,
			  void *arg)
{
	struct kftp_conn *c = priv;
	struct socket *sock = c->data;
	struct sock *sk = sock->sk;
	struct kftp_data taken = { .len = 0 };
	read_descriptor_t desc = { .count = len, .arg.data = &taken };
	size_t done = 0;
	long timeo;
	int n, err = 0, werr;

	BUILD_BUG_ON(sizeof(struct kftp_span) >
		     sizeof(((struct sk_buff *)NULL)->cb));
#if KFTP_HAVE_NET_HANDSHAKE
	if (c->data_rx.on)
		return tls_data_read(c, len, write, arg);
#endif
	if (!sock->ops->read_sock)
		return -EOPNOTSUPP;
	__skb_queue_head_init(&taken.skbs);
	lock_sock(sk);
	timeo = sock_rcvtimeo(sk, false);
	for (;;) {
		n = sock->ops->read_sock(sk, &desc, take_skb);
		if (desc.error || n < 0) {
			err = desc.error ? desc.error : n;
			break;
		}
		done += n;
		if (!desc.count)
			break;
		if (n) {
			release_sock(sk);
			werr = write_taken(&taken, write, arg);
			if (werr)
				return werr;
			lock_sock(sk);
			continue;
		}
		if (read_stops(sk, done, timeo, &err))
			break;
		sk_wait_data(sk, &timeo, NULL);
	}
	release_sock(sk);
	werr = write_taken(&taken, write, arg);
	return werr ? werr : err ? err : done;
}
#endif

#if KFTP_HAVE_SEND_PAGES
struct send_file {
	struct socket *sock;
	int err;	/* splice_direct_to_actor() returns a count past it */
	/* pages taken from the pipe and not sent yet, each with a reference */
	unsigned int nr;
	size_t bytes;
	struct bio_vec bv[KFTP_SEND_BATCH];
};

static int send_batch(struct send_file *sf, bool more)
{
	unsigned int i;
	int n;

	if (!sf->nr)
		return 0;
	n = kftp_send_pages(sf->sock, sf->bv, sf->nr, sf->bytes, more);
	for (i = 0; i < sf->nr; i++)
		put_page(sf->bv[i].bv_page);
	sf->nr = 0;
	sf->bytes = 0;
	if (n > 0)
		return 0;
	sf->err = n ? kftp_sock_errno(n) : -ECONNRESET;
	return sf->err;
}

/*
 * __splice_from_pipe()'s actor: one pipe buffer's page into the batch,
 * which goes to the socket when full; the pipe drops its own reference
 * once the buffer is taken.
 */
static int send_pipe_buf(struct pipe_inode_info *pipe, struct pipe_buffer *buf,
			 struct splice_desc *sd)
{
	struct send_file *sf = sd->u.data;
	struct bio_vec *bv = &sf->bv[sf->nr++];
	bool more;

	get_page(buf->page);
	bv->bv_page = buf->page;
	bv->bv_offset = buf->offset;
	bv->bv_len = sd->len;
	sf->bytes += sd->len;
	/* MSG_MORE up to the last buffer of the call, then a push */
	more = sd->len < sd->total_len || (sd->flags & SPLICE_F_MORE);
	if (sf->nr == ARRAY_SIZE(sf->bv) && send_batch(sf, more))
		return sf->err;
	return sd->len;
}

static int send_pipe(struct pipe_inode_info *pipe, struct splice_desc *sd)
{
	struct send_file *sf = sd->u.data;
	int n = __splice_from_pipe(pipe, sd, send_pipe_buf);

	if (send_batch(sf, sd->flags & SPLICE_F_MORE))
		return sf->err;
	return n;
}

/*
 * Send up to @len bytes of @file from *@pos on the data connection, the
 * pages of its page cache without a copy: splice_direct_to_actor() fills
 * the task's internal pipe from the file (through its ->splice_read and
 * the security hook, as sendfile() does) and its pages go to the socket
 * a batch at a time, as nfsd and splice_to_socket() do. Every send waits at most sk_sndtimeo, and
 * kftp_conn_cancel()'s shutdown wakes it. Returns the bytes sent (0 at the
 * end of the file) or -errno; *@pos moves past what was sent.
 */
static int kftp_data_send_file(void *priv, struct file *file, loff_t *pos,
			       size_t len)
{
	struct kftp_conn *c = priv;
	struct send_file sf = { .sock = c->data };
	struct splice_desc sd = {
		.total_len	= len,
		.pos		= *pos,
		.u.data		= &sf,
	};
	ssize_t n;

	n = splice_direct_to_actor(file, &sd, send_pipe);
	if (sf.err)
		return sf.err;
	if (n > 0)
		*pos += n;
	return n;
}
#endif

static int kftp_data_send(void *priv, const void *buf, size_t len)
{
	struct kftp_conn *c = priv;

	return send_all(c->data, buf, len);
}

static void kftp_data_close(void *priv)
{
	struct kftp_conn *c = priv;

	memset(&c->data_rx, 0, sizeof(c->data_rx));
	unpublish(c, &c->data);
	unpublish(c, &c->listen);
}

/* The protocol trace: echo 'module kftp +p' > .../dynamic_debug/control */
static void kftp_trace(void *priv, bool sent, const char *line)
{
	struct kftp_conn *c = priv;

	pr_debug("%llu %s %s\n", c->trace_id, sent ? ">" : "<", line);
}

const struct kftp_transport_ops kftp_sock_ops = {
	.ctrl_send	= kftp_ctrl_send,
	.ctrl_recv	= kftp_ctrl_recv,
	.ctrl_begin	= kftp_ctrl_begin,
	.data_connect	= kftp_data_connect,
	.data_listen	= kftp_data_listen,
	.data_accept	= kftp_data_accept,
	.data_recv	= kftp_data_recv,
#if KFTP_HAVE_RECV_DIRECT
	.data_read	= kftp_data_read,
#endif
	.data_send	= kftp_data_send,
#if KFTP_HAVE_SEND_PAGES
	.data_send_file	= kftp_data_send_file,
#endif
	.data_close	= kftp_data_close,
#if KFTP_HAVE_NET_HANDSHAKE
	.ctrl_tls	= kftp_tls_ctrl,
	.data_tls	= kftp_tls_data,
	.data_end	= kftp_tls_data_end,
#endif
	.trace		= kftp_trace,
};
