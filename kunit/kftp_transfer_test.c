// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for a transfer's life above the session (src/transfer.c,
 * attempt.c, segments.c): retries= and their waits, a name's addresses in
 * turn, segments=N falling back to one stream, a cancel at every step of a
 * get and of a put (and one too late for a put), an upload's splice pipe,
 * and deadline=. Each case writes a request line as /proc/kftp/request
 * takes it and plays it against scripted FTP servers (kftp_test_server.c)
 * that accept the client's control connections in turn, each with its own
 * script.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/key.h>
#include <linux/ktime.h>
#include <linux/net.h>
#include <linux/sched/signal.h>
#include <linux/sizes.h>
#include <linux/vmalloc.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include "kftp.h"
#include "pool.h"
#include "transfer.h"
#include "kftp_test_server.h"
#include "kftp_test_xfer.h"

#define DIR		"/kftp-kunit-transfer"
#define PUT_SRC		"/kftp-kunit-put.bin"
#define PUT_SIZE	SZ_4M		/* more than the sockets hold on their way */
#define SEG_SIZE	SZ_2M		/* two ranges of the 1 MiB that segments= needs */
#define CANCEL_MS	1500		/* a cancel ends a transfer within this, busy host or not */

struct xfer_ctx {
	struct ftpd d;
	struct kftp_transfer *t;
	struct socket *stall;		/* a listener that takes no connection */
	struct socket *fill[4];		/* the connections that fill its queue */
	struct key *key;		/* a host name's addresses */
	u8 *payload;
	enum kftp_state cancelled_in;	/* the state a server's hook cancelled in */
};

static const struct ftp_step login_530[] = {
	BANNER,
	{ "USER anonymous", "331 Please specify the password." },
	{ "PASS kftp@", "530 Login incorrect." },
	{}
};

static const struct ftp_step busy_421[] = {
	{ NULL, "421 Too many users, try later." },
	{}
};

static const struct ftp_step get_100k[] = {
	SIZE_100K,
	EPSV_OK,
	{ "RETR pub/file.bin", RETR_150, ACT_DATA },
	DONE_226,
	{}
};

static int kftp_transfer_suite_init(struct kunit_suite *suite)
{
	return kftp_test_core_up();
}

static int kftp_transfer_test_init(struct kunit *test)
{
	struct xfer_ctx *x = kunit_kzalloc(test, sizeof(*x), GFP_KERNEL);

	if (!x)
		return -ENOMEM;
	kftp_ftpd_init(&x->d);
	test->priv = x;
	return 0;
}

static void kftp_transfer_test_exit(struct kunit *test)
{
	struct xfer_ctx *x = test->priv;
	unsigned int i;

	kftp_test_end(&x->t);
	/* parked connections: the servers wait for them to close */
	kftp_links_net_exit(&init_net);
	for (i = 0; i < ARRAY_SIZE(x->d.conns); i++)
		complete_all(&x->d.conns[i].gate);
	kftp_ftpd_stop(&x->d);
	for (i = 0; i < ARRAY_SIZE(x->fill); i++)
		kftp_srv_release(&x->fill[i]);
	kftp_srv_release(&x->stall);
	if (x->key) {
		key_invalidate(x->key);
		key_put(x->key);
	}
	vfree(x->payload);
}

/* The servers were started with @n connections scripted, each played whole. */
static void xfer_start(struct kunit *test, unsigned int n)
{
	struct xfer_ctx *x = test->priv;

	x->d.nconns = n;
	KUNIT_ASSERT_EQ(test, kftp_ftpd_start(&x->d), 0);
}

/* The steps of a connection's scripts. */
static unsigned int conn_steps(const struct ftp_server *srv)
{
	return kftp_srv_script_len(srv->script[0]) + kftp_srv_script_len(srv->script[1]);
}

/* Wait at most @ms for server connection @i to have played @steps steps. */
static bool wait_steps(struct ftpd *d, unsigned int i, unsigned int steps,
		       unsigned int ms)
{
	unsigned long end = jiffies + msecs_to_jiffies(ms);

	while (READ_ONCE(d->accepted) <= i ||
	       READ_ONCE(d->conns[i].done_steps) < steps) {
		if (time_after(jiffies, end))
			return false;
		usleep_range(5000, 10000);
	}
	return true;
}

/* Every scripted connection came and played its script whole; no other. */
static void xfer_servers_ok(struct kunit *test)
{
	struct xfer_ctx *x = test->priv;
	struct ftp_server *srv;
	unsigned int i;

	kftp_links_net_exit(&init_net);
	kftp_ftpd_stop(&x->d);
	KUNIT_EXPECT_STREQ(test, x->d.error, "");
	KUNIT_EXPECT_EQ(test, x->d.accepted, x->d.nconns);
	for (i = 0; i < x->d.accepted; i++) {
		srv = &x->d.conns[i];
		KUNIT_EXPECT_STREQ_MSG(test, srv->error, "", "connection %u", i + 1);
		KUNIT_EXPECT_EQ_MSG(test, srv->done_steps, conn_steps(srv),
				    "connection %u", i + 1);
	}
}

/* conns[@i] logs in anonymously, then plays @script. */
static void xfer_script(struct kunit *test, unsigned int i,
			const struct ftp_step *script)
{
	struct xfer_ctx *x = test->priv;

	x->d.conns[i].script[0] = kftp_srv_login_anon;
	x->d.conns[i].script[1] = script;
}

static void xfer_payload(struct kunit *test, size_t size)
{
	struct xfer_ctx *x = test->priv;
	unsigned int i;

	x->payload = vmalloc(size);
	KUNIT_ASSERT_NOT_NULL(test, x->payload);
	kftp_test_fill(x->payload, size);
	for (i = 0; i < ARRAY_SIZE(x->d.conns); i++) {
		x->d.conns[i].payload = x->payload;
		x->d.conns[i].send_len = size;
	}
}

/* Wait for @t's end, at most @ms; its status then. */
static void xfer_end(struct kunit *test, struct kftp_transfer *t,
		     unsigned int ms, struct kftp_transfer_status *st)
{
	KUNIT_ASSERT_TRUE_MSG(test, kftp_test_wait_end(t, ms),
			      "the transfer did not end within %u ms", ms);
	kftp_test_status(t, st);
}

/* The destination directory @dir is empty: no file, no temporary file. */
static void expect_no_file(struct kunit *test, const char *dir)
{
	KUNIT_EXPECT_EQ(test, kftp_test_dir_entries(dir), 0);
}

/*
 * retries=2: the first two connections are refused with 421 (transient);
 * the third try, after waits of 1 and 2 seconds, gets the file.
 */
static void kftp_transfer_retries_test(struct kunit *test)
{
	struct xfer_ctx *x = test->priv;
	struct kftp_transfer_status st;
	ktime_t start;
	s64 ms;

	xfer_payload(test, 100000);
	x->d.conns[0].script[0] = busy_421;
	x->d.conns[1].script[0] = busy_421;
	xfer_script(test, 2, get_100k);
	xfer_start(test, 3);
	start = ktime_get();
	x->t = kftp_test_submit(test, "get ftp://127.0.0.1:%u/pub/file.bin " DIR "/retries mkdirs timeout=2 retries=2",
				x->d.port);
	xfer_end(test, x->t, XFER_END_MS, &st);
	ms = ktime_ms_delta(ktime_get(), start);
	KUNIT_EXPECT_EQ(test, st.state, KFTP_DONE);
	KUNIT_EXPECT_EQ(test, st.err, 0);
	KUNIT_EXPECT_EQ(test, st.attempt, 3U);
	/* 1 s, then 2 s: doubled */
	KUNIT_EXPECT_GE(test, ms, 3000 - 50);
	KUNIT_EXPECT_LT(test, ms, 3000 + CANCEL_MS);
	kftp_test_expect_file(test, DIR "/retries", x->payload, 100000);
	xfer_servers_ok(test);
}

/* retries=1 spent: two tries, the second's reply, and no third connection. */
static void kftp_transfer_retries_spent_test(struct kunit *test)
{
	struct xfer_ctx *x = test->priv;
	struct kftp_transfer_status st;

	x->d.conns[0].script[0] = busy_421;
	x->d.conns[1].script[0] = busy_421;
	xfer_start(test, 2);
	x->t = kftp_test_submit(test, "get ftp://127.0.0.1:%u/pub/file.bin " DIR "/spent/f mkdirs timeout=2 retries=1",
				x->d.port);
	xfer_end(test, x->t, XFER_END_MS, &st);
	KUNIT_EXPECT_EQ(test, st.state, KFTP_FAILED);
	KUNIT_EXPECT_EQ(test, st.err, kftp_reply_errno(421));
	KUNIT_EXPECT_EQ(test, st.attempt, 2U);
	mutex_lock(&kftp_lock);
	KUNIT_EXPECT_STREQ(test, x->t->reply, "421 Too many users, try later.");
	mutex_unlock(&kftp_lock);
	expect_no_file(test, DIR "/spent");
	xfer_servers_ok(test);
}

/* A 5xx is final: retries= does not try again. */
static void kftp_transfer_retries_permanent_test(struct kunit *test)
{
	struct xfer_ctx *x = test->priv;
	struct kftp_transfer_status st;

	x->d.conns[0].script[0] = login_530;
	xfer_start(test, 1);
	x->t = kftp_test_submit(test, "get ftp://127.0.0.1:%u/pub/file.bin " DIR "/permanent/f mkdirs timeout=2 retries=2",
				x->d.port);
	xfer_end(test, x->t, XFER_END_MS, &st);
	KUNIT_EXPECT_EQ(test, st.state, KFTP_FAILED);
	KUNIT_EXPECT_EQ(test, st.err, kftp_reply_errno(530));
	KUNIT_EXPECT_EQ(test, st.attempt, 1U);
	expect_no_file(test, DIR "/permanent");
	xfer_servers_ok(test);
}

/*
 * The answer of the kernel's DNS resolver for @name, as key.dns_resolver
 * would instantiate it: put in the resolver's own keyring, where
 * dns_query() finds it without an upcall (UML has no userspace for one).
 */
static void xfer_dns_answer(struct kunit *test, const char *name, const char *addrs)
{
	struct xfer_ctx *x = test->priv;
	key_ref_t ref;

	ref = key_create_or_update(make_key_ref(dns_resolver_cache->thread_keyring, true),
				   "dns_resolver", name, addrs, strlen(addrs) + 1,
				   (KEY_POS_ALL & ~KEY_POS_SETATTR) | KEY_USR_VIEW,
				   KEY_ALLOC_NOT_IN_QUOTA);
	KUNIT_ASSERT_FALSE(test, IS_ERR(ref));
	x->key = key_ref_to_ptr(ref);
}

static bool addr_is(const struct kftp_addr *a, u8 last)
{
	const struct kftp_addr want = { KFTP_AF_INET, { 127, 0, 0, last } };

	return kftp_addr_equal(a, &want);
}

/*
 * A name with two addresses: the first refuses (nobody listens on
 * 127.0.0.2), the transfer moves on to the second.
 */
static void kftp_transfer_addrs_refused_test(struct kunit *test)
{
	struct xfer_ctx *x = test->priv;
	struct kftp_transfer_status st;

	xfer_payload(test, 100000);
	xfer_script(test, 0, get_100k);
	xfer_start(test, 1);
	xfer_dns_answer(test, "rotate.kftp.test", "127.0.0.2,127.0.0.1");
	x->t = kftp_test_submit(test, "get ftp://rotate.kftp.test:%u/pub/file.bin " DIR "/rotate mkdirs timeout=2",
				x->d.port);
	xfer_end(test, x->t, XFER_END_MS, &st);
	KUNIT_EXPECT_EQ(test, st.state, KFTP_DONE);
	KUNIT_EXPECT_EQ(test, st.err, 0);
	KUNIT_EXPECT_TRUE(test, addr_is(&st.addr, 1));
	kftp_test_expect_file(test, DIR "/rotate", x->payload, 100000);
	xfer_servers_ok(test);
}

/*
 * A failure after the connect (the login refused) is that server's: the
 * next address is not tried.
 */
static void kftp_transfer_addrs_login_failed_test(struct kunit *test)
{
	struct xfer_ctx *x = test->priv;
	struct kftp_transfer_status st;

	x->d.conns[0].script[0] = login_530;
	xfer_start(test, 1);
	xfer_dns_answer(test, "norotate.kftp.test", "127.0.0.1,127.0.0.2");
	x->t = kftp_test_submit(test, "get ftp://norotate.kftp.test:%u/pub/file.bin " DIR "/norotate/f mkdirs timeout=2",
				x->d.port);
	xfer_end(test, x->t, XFER_END_MS, &st);
	KUNIT_EXPECT_EQ(test, st.state, KFTP_FAILED);
	KUNIT_EXPECT_EQ(test, st.err, kftp_reply_errno(530));
	KUNIT_EXPECT_TRUE(test, addr_is(&st.addr, 1));
	expect_no_file(test, DIR "/norotate");
	xfer_servers_ok(test);
}

#define SIZE_2M		{ "SIZE pub/file.bin", "213 2097152" }
#define RETR_2M_150	"150 Opening BINARY mode data connection for pub/file.bin."

/* the first range, on the transfer's connection: sent on until the cut */
static const struct ftp_step seg_first[] = {
	SIZE_2M,
	EPSV_OK,
	{ "RETR pub/file.bin", RETR_2M_150, ACT_ENDLESS },
	{}
};

/* the second range, on a connection of its own: REST refused when let */
static const struct ftp_step seg_second[] = {
	EPSV_OK,
	{ "REST 1048576", "502 REST not implemented.", ACT_GATE },
	{}
};

/* then the whole file, in one stream on a new connection */
static const struct ftp_step seg_whole[] = {
	SIZE_2M,
	EPSV_OK,
	{ "RETR pub/file.bin", RETR_2M_150, ACT_DATA },
	DONE_226,
	{}
};

/*
 * segments=2 against a server that refuses REST: the ranges stop, the file
 * comes whole in one stream, and is right.
 */
static void kftp_transfer_segments_fallback_test(struct kunit *test)
{
	struct xfer_ctx *x = test->priv;
	struct kftp_transfer_status st;

	xfer_payload(test, SEG_SIZE);
	xfer_script(test, 0, seg_first);
	xfer_script(test, 1, seg_second);
	xfer_script(test, 2, seg_whole);
	xfer_start(test, 3);
	x->t = kftp_test_submit(test, "get ftp://127.0.0.1:%u/pub/file.bin " DIR "/segments mkdirs timeout=2 segments=2",
				x->d.port);
	/* the refusal after the first range came whole: the same run each time */
	KUNIT_ASSERT_TRUE(test, wait_steps(&x->d, 0, conn_steps(&x->d.conns[0]), 2000));
	complete_all(&x->d.conns[1].gate);
	xfer_end(test, x->t, XFER_END_MS, &st);
	KUNIT_EXPECT_EQ(test, st.state, KFTP_DONE);
	KUNIT_EXPECT_EQ(test, st.err, 0);
	KUNIT_EXPECT_EQ(test, st.bytes, (u64)SEG_SIZE);
	kftp_test_expect_file(test, DIR "/segments", x->payload, SEG_SIZE);
	xfer_servers_ok(test);
}

/* ---- a cancel at every step ---- */

enum cancel_step {
	CANCEL_CONNECT,		/* the server never answers the SYN */
	CANCEL_LOGIN,		/* connected, no greeting comes */
	CANCEL_DATA_WAIT,	/* active mode: the server never connects back */
	CANCEL_TRANSFER,	/* the data connection is open, nothing moves */
	CANCEL_RETRY_WAIT,	/* retries=: the 2 s before the third try */
};

struct cancel_case {
	const char *name;
	bool put;
	enum cancel_step step;
};

static const struct cancel_case cancel_cases[] = {
	{ "get_connect", false, CANCEL_CONNECT },
	{ "get_login", false, CANCEL_LOGIN },
	{ "get_data_wait", false, CANCEL_DATA_WAIT },
	{ "get_transfer", false, CANCEL_TRANSFER },
	{ "get_retry_wait", false, CANCEL_RETRY_WAIT },
	{ "put_connect", true, CANCEL_CONNECT },
	{ "put_login", true, CANCEL_LOGIN },
	{ "put_data_wait", true, CANCEL_DATA_WAIT },
	{ "put_transfer", true, CANCEL_TRANSFER },
	{ "put_retry_wait", true, CANCEL_RETRY_WAIT },
};

static void cancel_desc(const struct cancel_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(cancel, cancel_cases, cancel_desc);

#define STOR_150	"150 Ok to send data."

static const struct ftp_step get_active[] = {
	SIZE_100K,
	{ "EPRT |1|127.0.0.1|*", "200 EPRT command successful.", ACT_EPRT },
	{ "RETR pub/file.bin", RETR_150 },
	{}
};

static const struct ftp_step put_active[] = {
	{ "EPRT |1|127.0.0.1|*", "200 EPRT command successful.", ACT_EPRT },
	{ "STOR pub/up.bin", STOR_150 },
	{}
};

static const struct ftp_step get_hold[] = {
	SIZE_100K,
	EPSV_OK,
	{ "RETR pub/file.bin", RETR_150, ACT_HOLD },
	{}
};

static const struct ftp_step put_hold[] = {
	EPSV_OK,
	{ "STOR pub/up.bin", STOR_150, ACT_HOLD },
	{}
};

/*
 * A listener whose accept queue is full, so that a connect to it waits for
 * an answer to its SYN: connections are made until one is not answered.
 */
static void stall_listener(struct kunit *test, u16 *port)
{
	struct xfer_ctx *x = test->priv;
	struct sockaddr_in sa = { .sin_family = AF_INET };
	unsigned int i;
	int err = 0;

	KUNIT_ASSERT_EQ(test, kftp_srv_listen_backlog(&x->stall, port, 0), 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons(*port);
	for (i = 0; i < ARRAY_SIZE(x->fill) && err != -EINPROGRESS; i++) {
		KUNIT_ASSERT_EQ(test, sock_create_kern(&init_net, AF_INET, SOCK_STREAM,
						       IPPROTO_TCP, &x->fill[i]), 0);
		x->fill[i]->sk->sk_sndtimeo = HZ / 5;
		err = kernel_connect(x->fill[i], KFTP_SOCKADDR(&sa), sizeof(sa), 0);
		KUNIT_ASSERT_TRUE_MSG(test, !err || err == -EINPROGRESS, "connect: %d", err);
	}
	KUNIT_ASSERT_EQ(test, err, -EINPROGRESS);
}

/*
 * A cancel at each step of a get and of a put ends the transfer cancelled
 * at once, with no file left behind: each step waits on something (a
 * socket, a wait between tries) that the cancel must wake, since the
 * server would hold it there for longer than the test lasts.
 */
static void kftp_transfer_cancel_test(struct kunit *test)
{
	const struct cancel_case *c = test->param_value;
	struct xfer_ctx *x = test->priv;
	struct kftp_transfer_status st;
	char dir[64], line[160];
	const char *mode = "";
	ktime_t start;
	u16 port;

	snprintf(dir, sizeof(dir), DIR "/cancel-%s", c->name);
	if (c->put) {
		xfer_payload(test, PUT_SIZE);
		KUNIT_ASSERT_EQ(test, kftp_test_write_file(PUT_SRC, x->payload, PUT_SIZE), 0);
	}
	switch (c->step) {
	case CANCEL_CONNECT:
		stall_listener(test, &port);
		break;
	case CANCEL_LOGIN:
		xfer_start(test, 1);
		break;
	case CANCEL_DATA_WAIT:
		mode = " mode=active";
		xfer_script(test, 0, c->put ? put_active : get_active);
		xfer_start(test, 1);
		break;
	case CANCEL_TRANSFER:
		xfer_script(test, 0, c->put ? put_hold : get_hold);
		/* a small window: the put's sends block soon */
		x->d.conns[0].data_rcvbuf = SZ_16K;
		xfer_start(test, 1);
		break;
	case CANCEL_RETRY_WAIT:
		x->d.conns[0].script[0] = busy_421;
		x->d.conns[1].script[0] = busy_421;
		xfer_start(test, 2);
		break;
	}
	if (c->step != CANCEL_CONNECT)
		port = x->d.port;
	/* timeout=10: a wait that no cancel cuts short is seen */
	if (c->put)
		snprintf(line, sizeof(line), "put " PUT_SRC " ftp://127.0.0.1:%u/pub/up.bin timeout=10 retries=2%s",
			 port, mode);
	else
		snprintf(line, sizeof(line), "get ftp://127.0.0.1:%u/pub/file.bin %s/f mkdirs timeout=10 retries=2%s",
			 port, dir, mode);
	x->t = kftp_test_submit(test, "%s", line);

	switch (c->step) {
	case CANCEL_CONNECT:
		KUNIT_ASSERT_TRUE(test, kftp_test_wait_state(x->t, KFTP_CONNECTING, 2000));
		/* into the connect: its SYN goes unanswered */
		msleep(100);
		break;
	case CANCEL_LOGIN:
		/* connected: the greeting never comes */
		KUNIT_ASSERT_TRUE(test, wait_steps(&x->d, 0, 0, 2000));
		KUNIT_ASSERT_TRUE(test, kftp_test_wait_state(x->t, KFTP_CONNECTING, 2000));
		break;
	case CANCEL_DATA_WAIT:
		/* 150 sent: the client waits for the server to connect back */
		KUNIT_ASSERT_TRUE(test, wait_steps(&x->d, 0, conn_steps(&x->d.conns[0]), 2000));
		break;
	case CANCEL_TRANSFER:
		KUNIT_ASSERT_TRUE(test, kftp_test_wait_state(x->t, KFTP_TRANSFERRING, 2000));
		break;
	case CANCEL_RETRY_WAIT:
		/* the second try refused: the wait after it is the longer one */
		KUNIT_ASSERT_TRUE(test, wait_steps(&x->d, 1, 1, 3000));
		KUNIT_ASSERT_TRUE(test, kftp_test_wait_state(x->t, KFTP_WAITING, 2000));
		break;
	}
	start = ktime_get();
	kftp_transfer_cancel(x->t);
	xfer_end(test, x->t, XFER_END_MS, &st);
	KUNIT_EXPECT_LT(test, ktime_ms_delta(ktime_get(), start), CANCEL_MS);
	KUNIT_EXPECT_EQ(test, st.state, KFTP_CANCELLED);
	KUNIT_EXPECT_EQ(test, st.err, ECANCELED);
	if (!c->put)
		expect_no_file(test, dir);
	if (c->step != CANCEL_CONNECT)
		xfer_servers_ok(test);
}

/* ---- a cancel after the server confirmed the upload ---- */

#define LATE_SIZE	SZ_64K

/* PUT_SRC of @size bytes, and room for all of them at the first server. */
static void put_file(struct kunit *test, size_t size)
{
	struct xfer_ctx *x = test->priv;
	struct ftp_server *srv = &x->d.conns[0];

	xfer_payload(test, size);
	KUNIT_ASSERT_EQ(test, kftp_test_write_file(PUT_SRC, x->payload, size), 0);
	/* a byte more, to see the end */
	srv->received = kunit_kzalloc(test, size + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, srv->received);
	srv->recv_size = size + 1;
}

static const struct ftp_step put_atomic_late_cancel[] = {
	EPSV_OK,
	{ "STOR pub/.kftp-*", STOR_150, ACT_RECV },
	DONE_226,
	{ "SIZE pub/.kftp-*", "502 Command not implemented." },
	{ "RNFR pub/.kftp-*", "350 Ready for RNTO." },
	{ "RNTO pub/up.bin", "250 Rename successful.", ACT_HOOK },
	{}
};

/*
 * Runs in the server's thread right after the 250 went out, before the
 * client read it: UML runs one task at a time and never preempts.
 */
static void cancel_after_reply(void *arg)
{
	struct xfer_ctx *x = arg;
	struct kftp_transfer_status st;

	kftp_test_status(x->t, &st);
	x->cancelled_in = st.state;
	kftp_transfer_cancel(x->t);
}

/*
 * A cancel that lands once RNTO was answered 250 comes too late: the file
 * is in place under its name, so the put is reported done.
 */
static void kftp_transfer_cancel_after_rename_test(struct kunit *test)
{
	struct xfer_ctx *x = test->priv;
	struct kftp_transfer_status st;
	struct ftp_server *srv = &x->d.conns[0];

	put_file(test, LATE_SIZE);
	srv->hook = cancel_after_reply;
	srv->hook_arg = x;
	x->cancelled_in = KFTP_DONE;
	xfer_script(test, 0, put_atomic_late_cancel);
	xfer_start(test, 1);
	x->t = kftp_test_submit(test, "put " PUT_SRC " ftp://127.0.0.1:%u/pub/up.bin atomic timeout=10",
				x->d.port);
	xfer_end(test, x->t, XFER_END_MS, &st);
	/* the hook ran while the transfer still went on */
	KUNIT_EXPECT_EQ(test, x->cancelled_in, KFTP_TRANSFERRING);
	KUNIT_EXPECT_EQ(test, st.state, KFTP_DONE);
	KUNIT_EXPECT_EQ(test, st.err, 0);
	KUNIT_EXPECT_EQ(test, srv->recv_len, LATE_SIZE);
	KUNIT_EXPECT_EQ(test, memcmp(srv->received, x->payload, LATE_SIZE), 0);
	xfer_servers_ok(test);
}

/* ---- the splice pipe of an upload ---- */

static const struct ftp_step put_plain[] = {
	EPSV_OK,
	{ "STOR pub/up.bin", STOR_150, ACT_RECV },
	DONE_226,
	{ "SIZE pub/up.bin", "502 Command not implemented." },
	{}
};

/* Workqueue workers that hold a splice pipe: one left by a put. */
static unsigned int workers_with_pipe(void)
{
	struct task_struct *p;
	unsigned int n = 0;

	rcu_read_lock();
	for_each_process(p)
		if ((p->flags & PF_WQ_WORKER) && READ_ONCE(p->splice_pipe))
			n++;
	rcu_read_unlock();
	return n;
}

/*
 * A spliced put leaves no pipe in a shared worker, where it would stay
 * charged to this writer and serve the next writers' uploads: the put's
 * own task holds it and frees it at the end.
 */
static void kftp_transfer_put_pipe_test(struct kunit *test)
{
	struct xfer_ctx *x = test->priv;
	struct kftp_transfer_status st;
	struct ftp_server *srv = &x->d.conns[0];

	KUNIT_ASSERT_EQ_MSG(test, workers_with_pipe(), 0,
			    "a worker holds a splice pipe before the put");
	put_file(test, LATE_SIZE);
	xfer_script(test, 0, put_plain);
	xfer_start(test, 1);
	x->t = kftp_test_submit(test, "put " PUT_SRC " ftp://127.0.0.1:%u/pub/up.bin timeout=10",
				x->d.port);
	xfer_end(test, x->t, XFER_END_MS, &st);
	KUNIT_EXPECT_EQ(test, st.state, KFTP_DONE);
	KUNIT_EXPECT_EQ(test, srv->recv_len, LATE_SIZE);
	KUNIT_EXPECT_EQ(test, workers_with_pipe(), 0);
	xfer_servers_ok(test);
}

/*
 * deadline=2 on a transfer whose server stalls the data: it ends
 * ETIMEDOUT at the deadline, well before timeout=10 would end it.
 */
static void kftp_transfer_deadline_test(struct kunit *test)
{
	struct xfer_ctx *x = test->priv;
	struct kftp_transfer_status st;
	ktime_t start;
	s64 ms;

	xfer_script(test, 0, get_hold);
	xfer_start(test, 1);
	start = ktime_get();
	x->t = kftp_test_submit(test, "get ftp://127.0.0.1:%u/pub/file.bin " DIR "/deadline/f mkdirs timeout=10 deadline=2",
				x->d.port);
	KUNIT_ASSERT_TRUE(test, kftp_test_wait_state(x->t, KFTP_TRANSFERRING, 2000));
	xfer_end(test, x->t, XFER_END_MS, &st);
	ms = ktime_ms_delta(ktime_get(), start);
	KUNIT_EXPECT_EQ(test, st.state, KFTP_FAILED);
	KUNIT_EXPECT_EQ(test, st.err, ETIMEDOUT);
	KUNIT_EXPECT_GE(test, ms, 2000 - 50);
	KUNIT_EXPECT_LT(test, ms, 2000 + CANCEL_MS);
	expect_no_file(test, DIR "/deadline");
	xfer_servers_ok(test);
}

static struct kunit_case kftp_transfer_cases[] = {
	KFTP_CASE_SLOW(kftp_transfer_retries_test),
	KFTP_CASE_SLOW(kftp_transfer_retries_spent_test),
	KUNIT_CASE(kftp_transfer_retries_permanent_test),
	KUNIT_CASE(kftp_transfer_addrs_refused_test),
	KUNIT_CASE(kftp_transfer_addrs_login_failed_test),
	KUNIT_CASE(kftp_transfer_segments_fallback_test),
	KUNIT_CASE_PARAM(kftp_transfer_cancel_test, cancel_gen_params),
	KUNIT_CASE(kftp_transfer_cancel_after_rename_test),
	KUNIT_CASE(kftp_transfer_put_pipe_test),
	KFTP_CASE_SLOW(kftp_transfer_deadline_test),
	{}
};

static struct kunit_suite kftp_transfer_suite = {
	.name = "kftp_transfer",
	.suite_init = kftp_transfer_suite_init,
	.init = kftp_transfer_test_init,
	.exit = kftp_transfer_test_exit,
	.test_cases = kftp_transfer_cases,
};

kunit_test_suite(kftp_transfer_suite);

MODULE_LICENSE("GPL");
