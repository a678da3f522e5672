// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the connection pool (src/pool.c) as transfers use it:
 * a logged-in connection reused by the next transfer to the same server
 * and account, the server_conns limit that makes a transfer wait for one,
 * and the reaper that closes what sat idle. The server counts the control
 * connections, hence the logins, it sees.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/vmalloc.h>
#include <net/net_namespace.h>

#include "kftp.h"
#include "pool.h"
#include "transfer.h"
#include "kftp_test_server.h"
#include "kftp_test_xfer.h"

/* pool.c's own, where kunit/Kbuild does not shorten it (lint's builds) */
#ifndef KFTP_IDLE_SECS
#define KFTP_IDLE_SECS	15
#endif

#define DIR	"/kftp-kunit-pool"
#define SIZE	100000

struct pool_ctx {
	struct ftpd d;
	struct kftp_transfer *t[2];
	unsigned int server_conns;	/* the module's, put back at the end */
	u8 *payload;
};

/* a file, then the same file again on the same connection */
static const struct ftp_step get_twice[] = {
	SIZE_100K,
	EPSV_OK,
	{ "RETR pub/file.bin", RETR_150, ACT_DATA },
	DONE_226,
	SIZE_100K,
	EPSV_OK,
	{ "RETR pub/file.bin", RETR_150, ACT_DATA },
	DONE_226,
	{}
};

/* the same, the first SIZE held until the test opens the gate */
static const struct ftp_step get_twice_gated[] = {
	{ "SIZE pub/file.bin", "213 100000", ACT_GATE },
	EPSV_OK,
	{ "RETR pub/file.bin", RETR_150, ACT_DATA },
	DONE_226,
	SIZE_100K,
	EPSV_OK,
	{ "RETR pub/file.bin", RETR_150, ACT_DATA },
	DONE_226,
	{}
};

/* a file, then the reaper's QUIT */
static const struct ftp_step get_quit[] = {
	SIZE_100K,
	EPSV_OK,
	{ "RETR pub/file.bin", RETR_150, ACT_DATA },
	DONE_226,
	QUIT_221,
	{}
};

static int kftp_pool_suite_init(struct kunit_suite *suite)
{
	return kftp_test_core_up();
}

static int kftp_pool_test_init(struct kunit *test)
{
	struct pool_ctx *x = kunit_kzalloc(test, sizeof(*x), GFP_KERNEL);
	unsigned int i;

	if (!x)
		return -ENOMEM;
	kftp_ftpd_init(&x->d);
	test->priv = x;
	x->server_conns = kftp_server_conns;
	x->payload = vmalloc(SIZE);
	if (!x->payload)
		return -ENOMEM;
	kftp_test_fill(x->payload, SIZE);
	for (i = 0; i < ARRAY_SIZE(x->d.conns); i++) {
		x->d.conns[i].script[0] = kftp_srv_login_anon;
		x->d.conns[i].payload = x->payload;
		x->d.conns[i].send_len = SIZE;
	}
	return 0;
}

static void kftp_pool_test_exit(struct kunit *test)
{
	struct pool_ctx *x = test->priv;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(x->t); i++)
		kftp_test_end(&x->t[i]);
	kftp_links_net_exit(&init_net);
	complete_all(&x->d.conns[0].gate);
	kftp_ftpd_stop(&x->d);
	kftp_server_conns = x->server_conns;
	vfree(x->payload);
}

static struct kftp_transfer *pool_get(struct kunit *test, const char *name)
{
	struct pool_ctx *x = test->priv;

	return kftp_test_submit(test, "get ftp://127.0.0.1:%u/pub/file.bin " DIR "/%s mkdirs timeout=5",
				x->d.port, name);
}

/* @t ended within @ms with the file, on connection *@conn_id. */
static void pool_done(struct kunit *test, struct kftp_transfer *t,
		      const char *name, unsigned int ms, u64 *conn_id)
{
	struct pool_ctx *x = test->priv;
	struct kftp_transfer_status st;
	char path[64];

	KUNIT_ASSERT_TRUE_MSG(test, kftp_test_wait_end(t, ms),
			      "%s did not end within %u ms", name, ms);
	kftp_test_status(t, &st);
	KUNIT_EXPECT_EQ(test, st.state, KFTP_DONE);
	KUNIT_EXPECT_EQ(test, st.err, 0);
	*conn_id = st.conn_id;
	snprintf(path, sizeof(path), DIR "/%s", name);
	kftp_test_expect_file(test, path, x->payload, SIZE);
}

/* Connection 1 played its whole script, and no other came. */
static void pool_server_ok(struct kunit *test)
{
	struct pool_ctx *x = test->priv;
	struct ftp_server *srv = &x->d.conns[0];

	KUNIT_EXPECT_STREQ(test, x->d.error, "");
	KUNIT_EXPECT_EQ(test, x->d.accepted, 1U);
	KUNIT_EXPECT_STREQ(test, srv->error, "");
	KUNIT_EXPECT_EQ(test, srv->done_steps,
			kftp_srv_script_len(srv->script[0]) +
			kftp_srv_script_len(srv->script[1]));
}

/*
 * A second transfer to the same server and account takes the connection
 * the first left logged in: the server sees one login, and the second
 * transfer's commands on it.
 */
static void kftp_pool_reuse_test(struct kunit *test)
{
	struct pool_ctx *x = test->priv;
	u64 id1, id2;

	x->d.conns[0].script[1] = get_twice;
	x->d.nconns = 1;
	KUNIT_ASSERT_EQ(test, kftp_ftpd_start(&x->d), 0);
	x->t[0] = pool_get(test, "reuse1");
	pool_done(test, x->t[0], "reuse1", XFER_END_MS, &id1);
	x->t[1] = pool_get(test, "reuse2");
	pool_done(test, x->t[1], "reuse2", XFER_END_MS, &id2);
	KUNIT_EXPECT_EQ(test, id1, id2);
	kftp_links_net_exit(&init_net);
	kftp_ftpd_stop(&x->d);
	pool_server_ok(test);
}

/*
 * server_conns=1: while the first transfer holds the one connection, a
 * second to the same server waits (no connection, still queued) and then
 * takes that connection over.
 */
static void kftp_pool_server_conns_test(struct kunit *test)
{
	struct pool_ctx *x = test->priv;
	struct kftp_transfer_status st;
	u64 id1, id2;

	kftp_server_conns = 1;
	x->d.conns[0].script[1] = get_twice_gated;
	x->d.nconns = 1;
	KUNIT_ASSERT_EQ(test, kftp_ftpd_start(&x->d), 0);
	x->t[0] = pool_get(test, "conns1");
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&x->d.conns[0].gated,
							    SRV_TIMEOUT));
	x->t[1] = pool_get(test, "conns2");
	/* what a second connection would take: a connect and a greeting */
	msleep(500);
	KUNIT_EXPECT_EQ(test, READ_ONCE(x->d.accepted), 1U);
	kftp_test_status(x->t[1], &st);
	KUNIT_EXPECT_EQ(test, st.state, KFTP_QUEUED);
	KUNIT_EXPECT_EQ(test, st.conn_id, 0ULL);
	complete_all(&x->d.conns[0].gate);
	pool_done(test, x->t[0], "conns1", XFER_END_MS, &id1);
	pool_done(test, x->t[1], "conns2", XFER_END_MS, &id2);
	KUNIT_EXPECT_EQ(test, id1, id2);
	kftp_links_net_exit(&init_net);
	kftp_ftpd_stop(&x->d);
	pool_server_ok(test);
}

/*
 * A connection left idle is kept for KFTP_IDLE_SECS (shortened for KUnit
 * in kunit/Kbuild), then the reaper says QUIT and closes it.
 */
static void kftp_pool_idle_reaper_test(struct kunit *test)
{
	struct pool_ctx *x = test->priv;
	struct ftp_server *srv = &x->d.conns[0];
	u64 id;

	srv->script[1] = get_quit;
	x->d.nconns = 1;
	KUNIT_ASSERT_EQ(test, kftp_ftpd_start(&x->d), 0);
	x->t[0] = pool_get(test, "idle");
	pool_done(test, x->t[0], "idle", XFER_END_MS, &id);
	/* kept while it is young */
	msleep(KFTP_IDLE_SECS * MSEC_PER_SEC / 2);
	KUNIT_EXPECT_FALSE(test, completion_done(&srv->done));
	/* closed, with QUIT, soon after */
	KUNIT_EXPECT_GT(test, wait_for_completion_timeout(&srv->done,
							  (KFTP_IDLE_SECS / 2 + 2) * HZ), 0UL);
	KUNIT_EXPECT_TRUE(test, srv->eof);
	kftp_ftpd_stop(&x->d);
	pool_server_ok(test);
}

static struct kunit_case kftp_pool_cases[] = {
	KUNIT_CASE(kftp_pool_reuse_test),
	KUNIT_CASE(kftp_pool_server_conns_test),
	KFTP_CASE_SLOW(kftp_pool_idle_reaper_test),
	{}
};

static struct kunit_suite kftp_pool_suite = {
	.name = "kftp_pool",
	.suite_init = kftp_pool_suite_init,
	.init = kftp_pool_test_init,
	.exit = kftp_pool_test_exit,
	.test_cases = kftp_pool_cases,
};

kunit_test_suite(kftp_pool_suite);

MODULE_LICENSE("GPL");
