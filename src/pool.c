// SPDX-License-Identifier: GPL-2.0
/*
 * Logged-in control connections, kept for reuse. A transfer to a server
 * and account that another transfer has just used skips the connect,
 * greeting, login and TYPE round trips, and the server forks no new
 * session. At most kftp_server_conns connections per server and account
 * exist at once: further transfers wait for one of them, which is what
 * turns a burst of requests into reuse. Idle connections are closed after
 * KFTP_IDLE_SECS, and at most kftp_max_transfers of them are kept in all,
 * since each may hold a data buffer. A connection keeps no password: it is
 * found by a keyed hash of the account. It holds no reference on its
 * network namespace either, as kernel sockets do not: a namespace that
 * goes away closes its idle connections (kftp_links_net_exit).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include <net/net_namespace.h>

#include "kftp_compat.h"
#include "kftp.h"
#include "sock.h"
#include "pool.h"
#include "transfer.h"

/* KUnit's kernel shortens it, so that its suite sees the reaper at work */
#ifndef KFTP_IDLE_SECS
#define KFTP_IDLE_SECS	15
#endif

/* under kftp_lock */
static LIST_HEAD(kftp_links);
static u64 kftp_next_link_id = 1;
/* links whose sockets a cancel shuts down once kftp_lock is dropped */
static LIST_HEAD(kftp_aborts);

/* waiters for a connection; the generation changes whenever one may be free */
static DECLARE_WAIT_QUEUE_HEAD(kftp_link_wait);
static atomic_t kftp_link_gen = ATOMIC_INIT(0);
static void kftp_links_reap(struct work_struct *work);
static DECLARE_DELAYED_WORK(kftp_reaper, kftp_links_reap);

/* QUIT is sent, not waited for, and must not wait for send room either */
#define KFTP_QUIT_SECS	1

static kftp_siphash_key_t kftp_account_key;

u64 kftp_account_hash(const char *user, const char *pass)
{
	/* anonymous, user, and user with password are three accounts */
	char mark[2] = { user ? 'u' : '-', pass ? 'p' : '-' };
	kftp_siphash_key_t key = kftp_account_key;
	u64 h;

	h = kftp_siphash(mark, sizeof(mark), &key);
	key.key[1] ^= h;
	if (user)
		h = kftp_siphash(user, strlen(user) + 1, &key);
	key.key[1] ^= h;
	if (pass)
		h = kftp_siphash(pass, strlen(pass) + 1, &key);
	return h;
}

/*
 * The name TLS checks the server's certificate against, and sends as SNI:
 * tlsname=, else the URL's host, else the address as text; without a
 * trailing dot. Empty without TLS.
 */
static void tls_name(const struct kftp_transfer *t, char *name)
{
	size_t len;

	name[0] = '\0';
	if (t->opts.tls == KFTP_TLS_NONE)
		return;
	if (t->opts.tlsname[0] || t->host)
		snprintf(name, KFTP_HOST_MAX + 1, "%s",
			 t->opts.tlsname[0] ? t->opts.tlsname : t->host);
	else
		kftp_format_addr(&t->addr, name);
	len = strlen(name);
	if (len && name[len - 1] == '.')
		name[len - 1] = '\0';
}

/*
 * Can @l serve @t: same namespace, server (the address connected, and the
 * name it came from), source address, account, TLS mode and TLS name? A
 * plain connection and a TLS one are never shared.
 */
static bool link_matches(const struct kftp_link *l,
			 const struct kftp_transfer *t)
{
	char name[KFTP_HOST_MAX + 1];

	if (!(net_eq(l->net, t->net) && kftp_addr_equal(&l->addr, &t->addr) &&
	      !l->host == !t->host && (!l->host || !strcasecmp(l->host, t->host)) &&
	      l->port == t->port && kftp_addr_equal(&l->src, &t->opts.src) &&
	      l->account == t->account && l->tls == t->opts.tls))
		return false;
	tls_name(t, name);
	return !strcasecmp(l->tls_name, name);
}

/* Wake transfers waiting for a connection: one was freed, or a cancel. */
void kftp_links_wake(void)
{
	atomic_inc(&kftp_link_gen);
	wake_up_all(&kftp_link_wait);
}

static void link_release(struct kref *ref)
{
	struct kftp_link *l = container_of(ref, struct kftp_link, ref);

	kftp_conn_close(&l->conn);
	kftp_kvfree(l->buf);
	kfree(l->host);
	/* the session's buffers held the password */
	kftp_kfree_sensitive(l);
}

/* Outside kftp_lock: closing a socket may wait for it. */
static void link_free(struct kftp_link *l)
{
	kref_put(&l->ref, link_release);
}

void kftp_link_abort_locked(struct kftp_link *l)
{
	if (!list_empty(&l->abort_node))
		return;
	kref_get(&l->ref);
	list_add_tail(&l->abort_node, &kftp_aborts);
}

/*
 * A shutdown takes the socket's lock: never under kftp_lock, which status
 * reads, other transfers and netns exit need. The reference keeps @l while
 * its transfer lets go of it.
 */
void kftp_links_abort(void)
{
	struct kftp_link *l;

	for (;;) {
		l = NULL;
		mutex_lock(&kftp_lock);
		if (!list_empty(&kftp_aborts)) {
			l = list_first_entry(&kftp_aborts, struct kftp_link,
					     abort_node);
			list_del_init(&l->abort_node);
		}
		mutex_unlock(&kftp_lock);
		if (!l)
			return;
		kftp_conn_cancel(&l->conn);
		link_free(l);
	}
}

/* In the worker, charged to the writer's memory cgroup (transfer.c). */
static struct kftp_link *link_alloc(const struct kftp_transfer *t)
{
	struct kftp_link *l = kzalloc(sizeof(*l), GFP_KERNEL_ACCOUNT);

	if (!l)
		return NULL;
	kref_init(&l->ref);
	INIT_LIST_HEAD(&l->abort_node);
	l->addr = t->addr;
	l->port = t->port;
	l->src = t->opts.src;
	l->account = t->account;
	l->tls = t->opts.tls;
	tls_name(t, l->tls_name);
	l->host = kstrdup(t->host, GFP_KERNEL_ACCOUNT);
	if (t->host && !l->host) {
		kfree(l);
		return NULL;
	}
	l->net = t->net;
	kftp_conn_init(&l->conn, l->net, &t->addr, t->port, &t->opts.src,
		       t->opts.timeout);
	return l;
}

/*
 * The connection's data buffer, made on first use and then reused by each
 * transfer on it: a file received with read_sock needs none.
 */
int kftp_link_buf(struct kftp_link *l)
{
	if (!l->buf)
		l->buf = kftp_kvmalloc(kftp_buf_size, GFP_KERNEL_ACCOUNT);
	return l->buf ? 0 : -ENOMEM;
}

/*
 * Under kftp_lock: an idle connection for @t, or a free slot for a new one
 * (*slot set), or neither.
 */
static struct kftp_link *find_link(const struct kftp_transfer *t, bool *slot)
{
	struct kftp_link *l;
	unsigned int n = 0;

	*slot = false;
	list_for_each_entry(l, &kftp_links, node) {
		if (!link_matches(l, t))
			continue;
		if (!l->busy)
			return l;
		n++;
	}
	*slot = n < kftp_server_conns;
	return NULL;
}

/*
 * Under kftp_lock: is the wait for *@slot over? A segment's (a slot other
 * than t->link) also when the segments were stopped.
 */
static bool stopped(const struct kftp_transfer *t, struct kftp_link **slot)
{
	return t->cancelled || (slot != &t->link && t->segs_stopped);
}

/* Under kftp_lock: make @l busy with @t in *@slot, unless stopped. */
static int attach(struct kftp_transfer *t, struct kftp_link *l,
		  struct kftp_link **slot)
{
	if (stopped(t, slot))
		return -ECANCELED;
	l->busy = true;
	l->conn.trace_id = t->id;
	*slot = l;
	return 0;
}

/*
 * Under kftp_lock, which it may drop and retake: wait for an idle
 * connection for @t or a free slot, for at most the transfer's timeout
 * (*timed_out set then).
 */
static struct kftp_link *wait_link(struct kftp_transfer *t,
				   struct kftp_link **to, bool *slot,
				   bool *timed_out)
{
	unsigned long end = jiffies + (unsigned long)t->opts.timeout * HZ;
	struct kftp_link *l;
	int gen;

	for (;;) {
		gen = atomic_read(&kftp_link_gen);
		l = find_link(t, slot);
		*timed_out = time_after_eq(jiffies, end);
		if (l || *slot || stopped(t, to) || *timed_out)
			return l;
		mutex_unlock(&kftp_lock);
		/* kftp_links_wake() moves the generation on: look again */
		kftp_wait_until(&kftp_link_wait,
				atomic_read(&kftp_link_gen) != gen, end);
		mutex_lock(&kftp_lock);
	}
}

/*
 * Attach a connection to @t in *@to (t->link, or a segment's): an idle one
 * that matches, logged in (*@reused), or a new one for kftp_link_login().
 */
int kftp_link_get_to(struct kftp_transfer *t, struct kftp_link **to,
		     bool *reused)
{
	struct kftp_link *l, *fresh = NULL;
	bool slot, timed_out;
	int err;

	mutex_lock(&kftp_lock);
	for (;;) {
		l = wait_link(t, to, &slot, &timed_out);
		if (l || !slot || fresh)
			break;
		/* allocate unlocked, then look again: the slot may be gone */
		mutex_unlock(&kftp_lock);
		fresh = link_alloc(t);
		mutex_lock(&kftp_lock);
		if (!fresh)
			break;
	}
	if (l) {
		err = attach(t, l, to);
	} else if (fresh && slot) {
		/* (a wait that timed out or was cancelled has no slot) */
		fresh->id = kftp_next_link_id++;
		err = attach(t, fresh, to);
		if (!err)
			list_add(&fresh->node, &kftp_links);
	} else {
		err = stopped(t, to) ? -ECANCELED :
		      timed_out && !slot ? -ETIMEDOUT : -ENOMEM;
	}
	mutex_unlock(&kftp_lock);
	if (fresh && (l || err)) {
		link_free(fresh);
		fresh = NULL;
	}
	if (err)
		return err;
	*reused = l;
	if (l)
		kftp_conn_set_timeout(&l->conn, t->opts.timeout);
	return 0;
}

/*
 * Connect @l, attached to @t and new, and log in. On an error it stays
 * attached, for its reply; the caller puts it either way.
 */
int kftp_link_login(struct kftp_transfer *t, struct kftp_link *l)
{
	int err;

	err = kftp_conn_open(&l->conn);
	if (err)
		return err;
	l->connected = true;
	kftp_session_init(&l->session, &kftp_sock_ops, &l->conn);
	l->session.ipv6 = t->addr.family == KFTP_AF_INET6;
	l->session.tls = l->tls;
	l->session.tls_name = l->tls_name;
	return kftp_session_login(&l->session, t->user, t->pass);
}

/* Under kftp_lock. */
static unsigned int idle_links(void)
{
	struct kftp_link *l;
	unsigned int n = 0;

	list_for_each_entry(l, &kftp_links, node)
		n += !l->busy;
	return n;
}

int kftp_link_get(struct kftp_transfer *t, bool *reused)
{
	return kftp_link_get_to(t, &t->link, reused);
}

/* Detach *@from: park it for reuse if @keep, else close it. */
void kftp_link_put_from(struct kftp_transfer *t, struct kftp_link **from,
			bool keep)
{
	struct kftp_link *l = *from;

	mutex_lock(&kftp_lock);
	*from = NULL;
	keep = keep && !t->cancelled && idle_links() < kftp_max_transfers;
	if (keep) {
		l->busy = false;
		l->idle_since = jiffies;
	} else {
		list_del(&l->node);
	}
	mutex_unlock(&kftp_lock);
	kftp_links_wake();
	if (keep) {
		queue_delayed_work(kftp_timer_wq, &kftp_reaper, KFTP_IDLE_SECS * HZ);
		return;
	}
	link_free(l);
}

void kftp_link_put(struct kftp_transfer *t, bool keep)
{
	kftp_link_put_from(t, &t->link, keep);
}

/* Under kftp_lock: move the idle links older than @age to @out. */
static void take_idle(struct list_head *out, unsigned long age)
{
	struct kftp_link *l, *tmp;

	list_for_each_entry_safe(l, tmp, &kftp_links, node) {
		if (!l->busy && time_after_eq(jiffies, l->idle_since + age))
			list_move(&l->node, out);
	}
}

static void close_links(struct list_head *links, bool quit)
{
	struct kftp_link *l, *tmp;

	list_for_each_entry_safe(l, tmp, links, node) {
		list_del(&l->node);
		if (quit) {
			kftp_conn_set_timeout(&l->conn, KFTP_QUIT_SECS);
			kftp_session_quit(&l->session);
		}
		link_free(l);
	}
}

/*
 * Under kftp_lock: when the next idle connection expires, in jiffies from
 * now; false when none is idle.
 */
static bool next_expiry(unsigned long *delay)
{
	unsigned long end, first = 0;
	struct kftp_link *l;
	bool any = false;

	list_for_each_entry(l, &kftp_links, node) {
		end = l->idle_since + KFTP_IDLE_SECS * HZ;
		if (!l->busy && (!any || time_before(end, first))) {
			first = end;
			any = true;
		}
	}
	*delay = time_after(first, jiffies) ? first - jiffies : 0;
	return any;
}

/* Close what sat idle for KFTP_IDLE_SECS, then wake up for the next one. */
static void kftp_links_reap(struct work_struct *work)
{
	unsigned long delay;
	LIST_HEAD(expired);
	bool idle_left;

	mutex_lock(&kftp_lock);
	take_idle(&expired, KFTP_IDLE_SECS * HZ);
	idle_left = next_expiry(&delay);
	mutex_unlock(&kftp_lock);
	close_links(&expired, true);
	if (idle_left)
		queue_delayed_work(kftp_timer_wq, &kftp_reaper, delay);
}

/*
 * A namespace going away: close its idle connections, return how many.
 * Busy ones belong to transfers, which hold the namespace until they end;
 * none is parked after this, since only a transfer parks one.
 */
unsigned int kftp_links_net_exit(struct net *net)
{
	struct kftp_link *l, *tmp;
	unsigned int n = 0;
	LIST_HEAD(gone);

	mutex_lock(&kftp_lock);
	list_for_each_entry_safe(l, tmp, &kftp_links, node) {
		if (!l->busy && net_eq(l->net, net)) {
			list_move(&l->node, &gone);
			n++;
		}
	}
	mutex_unlock(&kftp_lock);
	close_links(&gone, false);
	/* a reaper pass may hold links of @net it took before: let it end */
	flush_work(&kftp_reaper.work);
	return n;
}

void kftp_links_init(void)
{
	get_random_bytes(&kftp_account_key, sizeof(kftp_account_key));
}

/*
 * Module unload, after every transfer ended (kftp_wq flushed, so nothing
 * parks a connection any more): stop the reaper, close what is idle.
 */
void kftp_links_exit(void)
{
	LIST_HEAD(idle);

	cancel_delayed_work_sync(&kftp_reaper);
	mutex_lock(&kftp_lock);
	take_idle(&idle, 0);
	mutex_unlock(&kftp_lock);
	close_links(&idle, false);
}
