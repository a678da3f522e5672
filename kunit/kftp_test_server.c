// SPDX-License-Identifier: GPL-2.0
/*
 * The scripted FTP server the KUnit suites talk to (kftp_test_server.h).
 * Every socket has send and receive timeouts, so a failing test never
 * hangs on it.
 */
#include <linux/delay.h>
#include <linux/inet.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include "kftp_compat.h"
#include "kftp_test_server.h"

const struct kftp_addr kftp_test_loopback = { KFTP_AF_INET, { 127, 0, 0, 1 } };
const struct kftp_addr kftp_test_src = { KFTP_AF_INET, { 127, 0, 0, 3 } };
const struct kftp_addr kftp_test_loopback6 = { KFTP_AF_INET6, { [15] = 1 } };
const struct kftp_addr kftp_test_no_src;

const struct ftp_step kftp_srv_login_anon[] = {
	BANNER,
	{ "USER anonymous", "331 Please specify the password." },
	{ "PASS kftp@", "230 Login successful." },
	{ "TYPE I", "200 Switching to Binary mode." },
	{}
};

static __printf(2, 3) void srv_fail(struct ftp_server *srv, const char *fmt, ...)
{
	va_list ap;

	if (srv->error[0])
		return;
	va_start(ap, fmt);
	vsnprintf(srv->error, sizeof(srv->error), fmt, ap);
	va_end(ap);
}

void kftp_srv_init(struct ftp_server *srv)
{
	init_completion(&srv->done);
	init_completion(&srv->gated);
	init_completion(&srv->gate);
}

void kftp_srv_release(struct socket **sock)
{
	if (*sock) {
		sock_release(*sock);
		*sock = NULL;
	}
}

union srv_sockaddr {
	struct sockaddr_in v4;
	struct sockaddr_in6 v6;
};

static int srv_sockaddr(union srv_sockaddr *sa, const struct kftp_addr *a, u16 port)
{
	memset(sa, 0, sizeof(*sa));
	if (a->family == KFTP_AF_INET6) {
		sa->v6.sin6_family = AF_INET6;
		memcpy(&sa->v6.sin6_addr, a->bytes, 16);
		sa->v6.sin6_port = htons(port);
		return sizeof(sa->v6);
	}
	sa->v4.sin_family = AF_INET;
	memcpy(&sa->v4.sin_addr, a->bytes, 4);
	sa->v4.sin_port = htons(port);
	return sizeof(sa->v4);
}

static int srv_socket(struct socket **sock, bool v6)
{
	int err = sock_create_kern(&init_net, v6 ? AF_INET6 : AF_INET, SOCK_STREAM,
				   IPPROTO_TCP, sock);

	if (err)
		return err;
	(*sock)->sk->sk_rcvtimeo = SRV_TIMEOUT;
	(*sock)->sk->sk_sndtimeo = SRV_TIMEOUT;
	return 0;
}

/* Listen on 127.0.0.1 (or ::1) at a port of the kernel's choice. */
int kftp_srv_listen_on(struct socket **sock, u16 *port, int backlog, bool v6)
{
	union srv_sockaddr addr;
	int len = srv_sockaddr(&addr, v6 ? &kftp_test_loopback6 : &kftp_test_loopback, 0);
	int err;

	err = srv_socket(sock, v6);
	if (err)
		return err;
	err = kernel_bind(*sock, KFTP_SOCKADDR(&addr), len);
	if (!err)
		err = kernel_listen(*sock, backlog);
	if (!err)
		err = kernel_getsockname(*sock, (struct sockaddr *)&addr);
	if (err < 0) {
		kftp_srv_release(sock);
		return err;
	}
	*port = ntohs(v6 ? addr.v6.sin6_port : addr.v4.sin_port);
	return 0;
}

int kftp_srv_listen_backlog(struct socket **sock, u16 *port, int backlog)
{
	return kftp_srv_listen_on(sock, port, backlog, false);
}

int kftp_srv_listen(struct socket **sock, u16 *port)
{
	return kftp_srv_listen_backlog(sock, port, 4);
}

/* Connections must come from the client's address (src= when it has one). */
/* Accepted sockets inherit it: a small window makes a sender block soon. */
static void srv_set_rcvbuf(struct socket *sock, int size)
{
	struct sock *sk = sock->sk;

	lock_sock(sk);
	sk->sk_userlocks |= SOCK_RCVBUF_LOCK;
	WRITE_ONCE(sk->sk_rcvbuf, size);
	release_sock(sk);
}

static int srv_check_peer(struct ftp_server *srv, struct socket *sock, const char *what)
{
	const struct kftp_addr *want = &srv->client_addr;
	union srv_sockaddr peer;
	int err = kernel_getpeername(sock, (struct sockaddr *)&peer);

	if (err < 0)
		return err;
	if (peer.v4.sin_family == AF_INET6 && want->family == KFTP_AF_INET6 &&
	    !memcmp(&peer.v6.sin6_addr, want->bytes, 16))
		return 0;
	if (peer.v4.sin_family == AF_INET && want->family == KFTP_AF_INET &&
	    !memcmp(&peer.v4.sin_addr, want->bytes, 4))
		return 0;
	if (peer.v4.sin_family == AF_INET6)
		srv_fail(srv, "%s connection from %pI6c", what, &peer.v6.sin6_addr);
	else
		srv_fail(srv, "%s connection from %pI4", what, &peer.v4.sin_addr);
	return -EPERM;
}

static int srv_accept(struct socket *listen, struct socket **sock)
{
	int err = kernel_accept(listen, sock, 0);

	if (err)
		return err;
	(*sock)->sk->sk_rcvtimeo = SRV_TIMEOUT;
	(*sock)->sk->sk_sndtimeo = SRV_TIMEOUT;
	return 0;
}

static int srv_send(struct socket *sock, const void *buf, size_t len)
{
	while (len) {
		struct kvec iov = { .iov_base = (void *)buf, .iov_len = len };
		struct msghdr msg = { .msg_flags = MSG_NOSIGNAL };
		int n = kernel_sendmsg(sock, &msg, &iov, 1, len);

		if (n <= 0)
			return n ? n : -EPIPE;
		buf += n;
		len -= n;
	}
	return 0;
}

/* Read one command line into srv->line; 0, -ENODATA at EOF, or -errno. */
static int srv_read_line(struct ftp_server *srv)
{
	for (;;) {
		char *lf = memchr(srv->rx, '\n', srv->rx_len);
		struct kvec iov;
		struct msghdr msg = {};
		size_t n;
		int got;

		if (lf) {
			n = lf - srv->rx;
			memcpy(srv->line, srv->rx, n);
			if (n && srv->line[n - 1] == '\r')
				n--;
			srv->line[n] = '\0';
			srv->rx_len -= lf + 1 - srv->rx;
			memmove(srv->rx, lf + 1, srv->rx_len);
			return 0;
		}
		if (srv->rx_len == sizeof(srv->rx))
			return -E2BIG;
		iov.iov_base = srv->rx + srv->rx_len;
		iov.iov_len = sizeof(srv->rx) - srv->rx_len;
		got = kernel_recvmsg(srv->ctrl, &msg, &iov, 1, iov.iov_len, 0);
		if (got < 0)
			return got;
		if (!got)
			return -ENODATA;
		srv->rx_len += got;
	}
}

static bool srv_match(const char *expect, const char *line)
{
	size_t n = strlen(expect);

	if (n && expect[n - 1] == '*')
		return !strncmp(expect, line, n - 1);
	return !strcmp(expect, line);
}

/* The reply of @step with "{}" replaced by the data port, and CRLF. */
static size_t srv_format(struct ftp_server *srv, const struct ftp_step *step, u16 port)
{
	const char *mark = strstr(step->reply, "{}");
	size_t len;

	if (!mark || (step->act != ACT_PASV && step->act != ACT_EPSV &&
		      step->act != ACT_EPSV_DEAD))
		return scnprintf(srv->out, sizeof(srv->out), "%s\r\n", step->reply);
	len = scnprintf(srv->out, sizeof(srv->out), "%.*s", (int)(mark - step->reply),
			step->reply);
	if (step->act == ACT_PASV)
		len += scnprintf(srv->out + len, sizeof(srv->out) - len, "%u,%u",
				 port >> 8, port & 0xff);
	else
		len += scnprintf(srv->out + len, sizeof(srv->out) - len, "%u", port);
	len += scnprintf(srv->out + len, sizeof(srv->out) - len, "%s\r\n", mark + 2);
	return len;
}

/* A stream that ends only when the client closes it; send errors are expected. */
static void srv_send_endless(struct ftp_server *srv)
{
	static const u8 zeros[4096];
	size_t sent;

	for (sent = 0; sent < SRV_ENDLESS_MAX; sent += sizeof(zeros)) {
		if (srv_send(srv->data, zeros, sizeof(zeros)))
			break;
	}
	kftp_srv_release(&srv->data);
}

/* An upload: everything up to EOF, which must fit in srv->received. */
static int srv_recv_data(struct ftp_server *srv)
{
	for (;;) {
		struct kvec iov = { .iov_base = srv->received + srv->recv_len,
				    .iov_len = srv->recv_size - srv->recv_len };
		struct msghdr msg = {};
		int n;

		if (!iov.iov_len)
			return -EFBIG;
		n = kernel_recvmsg(srv->data, &msg, &iov, 1, iov.iov_len, 0);
		if (n <= 0)
			return n;
		srv->recv_len += n;
	}
}

static int srv_open_data(struct ftp_server *srv, bool foreign)
{
	static const struct kftp_addr other = { KFTP_AF_INET, { 127, 0, 0, 2 } };
	union srv_sockaddr addr;
	int len, err;

	if (srv->data_listen) {
		err = srv_accept(srv->data_listen, &srv->data);
		kftp_srv_release(&srv->data_listen);
		return err ? err : srv_check_peer(srv, srv->data, "data");
	}
	if (!srv->client_port)
		return -ENOTCONN;
	err = srv_socket(&srv->data, srv->v6);
	if (!err && foreign) {
		/* another host than the server the client talks to */
		len = srv_sockaddr(&addr, &other, 0);
		err = kernel_bind(srv->data, KFTP_SOCKADDR(&addr), len);
	}
	len = srv_sockaddr(&addr, &srv->client_addr, srv->client_port);
	if (!err)
		err = kernel_connect(srv->data, KFTP_SOCKADDR(&addr), len, 0);
	return err;
}

/* The client's data port from "EPRT |2|ADDR|port|" (RFC 2428): ADDR is its own. */
static int srv_client_port6(struct ftp_server *srv)
{
	const char *arg = srv->line + strlen("EPRT |2|");
	const char *end;
	unsigned int p;
	u8 a[16];

	if (strncmp(srv->line, "EPRT |2|", 8) || !in6_pton(arg, -1, a, '|', &end) ||
	    *end != '|' || sscanf(end, "|%u|", &p) != 1 || !p || p > U16_MAX ||
	    memcmp(a, srv->client_addr.bytes, 16))
		return -EINVAL;
	srv->client_port = p;
	return 0;
}

/* The client's data port from "EPRT |1|a.b.c.d|port|" or "PORT a,b,c,d,p1,p2". */
static int srv_client_port(struct ftp_server *srv, enum ftp_act act)
{
	const u8 *want = srv->client_addr.bytes;
	unsigned int a[4], p[2];

	if (srv->v6)
		return srv_client_port6(srv);
	if (act == ACT_EPRT) {
		if (sscanf(srv->line, "EPRT |1|%u.%u.%u.%u|%u|", &a[0], &a[1], &a[2], &a[3],
			   &p[0]) != 5)
			return -EINVAL;
	} else {
		if (sscanf(srv->line, "PORT %u,%u,%u,%u,%u,%u", &a[0], &a[1], &a[2], &a[3],
			   &p[0], &p[1]) != 6 || p[0] > 255 || p[1] > 255)
			return -EINVAL;
		p[0] = p[0] << 8 | p[1];
	}
	if (a[0] != want[0] || a[1] != want[1] || a[2] != want[2] || a[3] != want[3] ||
	    !p[0] || p[0] > U16_MAX)
		return -EINVAL;
	srv->client_port = p[0];
	return 0;
}

static int srv_step(struct ftp_server *srv, const struct ftp_step *step)
{
	struct socket *foreign = NULL;
	u16 port = 0;
	size_t len, i;
	int err = 0;

	if (step->expect) {
		err = srv_read_line(srv);
		if (err) {
			srv_fail(srv, "step %u: waiting for \"%s\": error %d", srv->done_steps,
				 step->expect, err);
			return err;
		}
		if (!srv_match(step->expect, srv->line)) {
			srv_fail(srv, "step %u: unexpected command \"%s\", expected \"%s\"",
				 srv->done_steps, srv->line, step->expect);
			return -EPROTO;
		}
	}
	switch (step->act) {
	case ACT_PASV:
	case ACT_EPSV:
	case ACT_EPSV_DEAD:
		kftp_srv_release(&srv->data_listen);
		err = kftp_srv_listen_on(&srv->data_listen, &port, 4, srv->v6);
		if (!err && srv->data_rcvbuf)
			srv_set_rcvbuf(srv->data_listen, srv->data_rcvbuf);
		if (step->act == ACT_EPSV_DEAD)
			kftp_srv_release(&srv->data_listen);
		break;
	case ACT_EPRT:
	case ACT_PORT:
		err = srv_client_port(srv, step->act);
		break;
	default:
		err = 0;
	}
	if (err) {
		srv_fail(srv, "step %u: setting up for \"%s\": error %d", srv->done_steps,
			 srv->line, err);
		return err;
	}
	if (step->act == ACT_GATE) {
		complete_all(&srv->gated);
		if (!wait_for_completion_timeout(&srv->gate, SRV_TIMEOUT)) {
			srv_fail(srv, "step %u: the gate stayed shut", srv->done_steps);
			return -ETIMEDOUT;
		}
	}
	if (step->reply) {
		len = srv_format(srv, step, port);
		if (step->act == ACT_SLOW) {
			for (i = 0, err = 0; i < len && !err; i++) {
				err = srv_send(srv->ctrl, srv->out + i, 1);
				usleep_range(200, 400);
			}
		} else {
			err = srv_send(srv->ctrl, srv->out, len);
		}
		/* the client does not wait for 221: it may be gone already */
		if (!strcmp(srv->line, "QUIT") && (err == -EPIPE || err == -ECONNRESET))
			err = 0;
		if (err) {
			srv_fail(srv, "step %u: sending \"%s\": error %d", srv->done_steps,
				 step->reply, err);
			return err;
		}
	}
	switch (step->act) {
	case ACT_DATA:
	case ACT_HOLD:
	case ACT_FOREIGN:
		/* a peer that races the server to the client's port comes first */
		if (step->act == ACT_FOREIGN) {
			err = srv_open_data(srv, true);
			foreign = srv->data;
			srv->data = NULL;
		}
		if (!err)
			err = srv_open_data(srv, false);
		if (!err && step->act != ACT_HOLD) {
			err = srv_send(srv->data, srv->payload + srv->send_off,
				       srv->send_len);
			kftp_srv_release(&srv->data);
		}
		kftp_srv_release(&foreign);
		if (err)
			srv_fail(srv, "step %u: data connection: error %d", srv->done_steps, err);
		break;
	case ACT_RECV:
		srv->recvs++;
		err = srv_open_data(srv, false);
		if (!err)
			err = srv_recv_data(srv);
		kftp_srv_release(&srv->data);
		if (err)
			srv_fail(srv, "step %u: receiving data: error %d", srv->done_steps, err);
		break;
	case ACT_ENDLESS:
		err = srv_open_data(srv, false);
		if (err)
			srv_fail(srv, "step %u: data connection: error %d", srv->done_steps, err);
		else
			srv_send_endless(srv);
		break;
	case ACT_CLOSE:
		kftp_srv_release(&srv->ctrl);
		break;
	case ACT_HOOK:
		srv->hook(srv->hook_arg);
		break;
	default:
		break;
	}
	return err;
}

static bool step_end(const struct ftp_step *step)
{
	return !step->expect && !step->reply && step->act == ACT_NONE;
}

unsigned int kftp_srv_script_len(const struct ftp_step *step)
{
	unsigned int n = 0;

	while (step && !step_end(step++))
		n++;
	return n;
}

static void srv_play(struct ftp_server *srv)
{
	const struct ftp_step *step;
	size_t i;
	int err;

	/* a struct ftpd's connection comes accepted */
	if (!srv->ctrl) {
		err = srv_accept(srv->listen, &srv->ctrl);
		kftp_srv_release(&srv->listen);
		if (err) {
			srv_fail(srv, "accepting the control connection: error %d", err);
			return;
		}
	}
	if (srv_check_peer(srv, srv->ctrl, "control"))
		return;
	for (i = 0; i < ARRAY_SIZE(srv->script); i++) {
		for (step = srv->script[i]; step && !step_end(step); step++) {
			if (!srv->ctrl) {
				srv_fail(srv, "step %u: the control connection is closed",
					 srv->done_steps);
				return;
			}
			if (srv_step(srv, step))
				return;
			srv->done_steps++;
		}
	}
	if (!srv->ctrl)
		return;
	/* the script is over: the client must only close the connection */
	err = srv_read_line(srv);
	if (!err)
		srv_fail(srv, "unexpected command \"%s\" after the script", srv->line);
	else if (err == -ENODATA || err == -ECONNRESET)
		srv->eof = true;	/* a reset: the client left a reply unread */
	else
		srv_fail(srv, "waiting for the client to close: error %d", err);
}

int kftp_srv_thread(void *arg)
{
	struct ftp_server *srv = arg;

	srv_play(srv);
	kftp_srv_release(&srv->data);
	kftp_srv_release(&srv->data_listen);
	kftp_srv_release(&srv->ctrl);
	kftp_srv_release(&srv->listen);
	complete_all(&srv->done);
	return kftp_wait_for_stop();
}

static int ftpd_thread(void *arg)
{
	struct ftpd *d = arg;
	struct ftp_server *srv;
	struct socket *sock;
	int err;

	while (!kthread_should_stop()) {
		err = srv_accept(d->listen, &sock);
		/* the receive timeout: look again; anything else: the stop */
		if (err == -EAGAIN)
			continue;
		if (err)
			break;
		if (d->accepted == d->nconns) {
			if (!d->error[0])
				snprintf(d->error, sizeof(d->error),
					 "unexpected control connection %u",
					 d->accepted + 1);
			kftp_srv_release(&sock);
			continue;
		}
		srv = &d->conns[d->accepted];
		srv->ctrl = sock;
		/* a test may watch it while connections come */
		WRITE_ONCE(d->accepted, d->accepted + 1);
		srv->task = kthread_run(kftp_srv_thread, srv, "kftp-test-ftpd");
		if (IS_ERR(srv->task)) {
			srv_fail(srv, "no thread: error %ld", PTR_ERR(srv->task));
			srv->task = NULL;
			kftp_srv_release(&srv->ctrl);
			complete_all(&srv->done);
		}
	}
	return kftp_wait_for_stop();
}

/* Before the scripts are set: connections from 127.0.0.1. */
void kftp_ftpd_init(struct ftpd *d)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(d->conns); i++) {
		kftp_srv_init(&d->conns[i]);
		d->conns[i].client_addr = kftp_test_loopback;
	}
}

/*
 * Listen on 127.0.0.1 and accept d->nconns control connections, each
 * played by its struct ftp_server's scripts as it comes.
 */
int kftp_ftpd_start(struct ftpd *d)
{
	int err;

	err = kftp_srv_listen(&d->listen, &d->port);
	if (err)
		return err;
	d->task = kthread_run(ftpd_thread, d, "kftp-test-ftpd");
	if (IS_ERR(d->task)) {
		err = PTR_ERR(d->task);
		d->task = NULL;
		kftp_srv_release(&d->listen);
	}
	return err;
}

/*
 * Stop accepting, wait for every connection's script to end (each is
 * bounded by the server's timeouts), and stop their threads.
 */
void kftp_ftpd_stop(struct ftpd *d)
{
	struct ftp_server *srv;
	unsigned int i;

	if (d->task) {
		/* wakes the accept */
		kernel_sock_shutdown(d->listen, SHUT_RDWR);
		kthread_stop(d->task);
		d->task = NULL;
	}
	kftp_srv_release(&d->listen);
	for (i = 0; i < d->accepted; i++) {
		srv = &d->conns[i];
		if (!srv->task)
			continue;
		if (!wait_for_completion_timeout(&srv->done, 4 * SRV_TIMEOUT))
			srv_fail(srv, "the script did not end");
		kthread_stop(srv->task);
		srv->task = NULL;
	}
}
