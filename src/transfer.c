// SPDX-License-Identifier: GPL-2.0
/*
 * The transfer queue and lifecycle. Each transfer is a work item on an
 * unbound workqueue: it sleeps on the network for most of its life, so it
 * must not hold a per-CPU worker, and the workqueue brings its own
 * concurrency limit and a drain for module unload. A transfer runs with
 * the credentials and in the network namespace of the process that wrote
 * its request.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/mm.h>
#include <linux/nsproxy.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <net/net_namespace.h>

#include "kftp_compat.h"
#include "kftp.h"

LIST_HEAD(kftp_transfers);
/* guards kftp_transfers and the status fields of every transfer */
DEFINE_MUTEX(kftp_lock);

/* under kftp_lock */
static unsigned int kftp_active, kftp_finished;
static u64 kftp_next_id = 1;
static bool kftp_shutting_down;

struct workqueue_struct *kftp_wq;

static void kftp_transfer_free(struct kref *ref)
{
	struct kftp_transfer *t = container_of(ref, struct kftp_transfer, ref);

	kfree(t->reply);
	kfree(t->url);
	kfree(t->path);
	kfree(t->remote);
	kfree(t->user);
	kfree_sensitive(t->pass);
	put_cred(t->cred);
	put_net(t->net);
	kfree(t);
}

void kftp_transfer_put(struct kftp_transfer *t)
{
	kref_put(&t->ref, kftp_transfer_free);
}

/* ---- the sink: data into the temporary file ---- */

struct kftp_sink {
	struct kftp_transfer *t;
	struct kftp_dest dest;
};

static void kftp_sink_begin(void *priv, s64 total)
{
	struct kftp_transfer *t = ((struct kftp_sink *)priv)->t;

	mutex_lock(&kftp_lock);
	t->total = total;
	t->state = KFTP_TRANSFERRING;
	mutex_unlock(&kftp_lock);
}

static int kftp_sink_write(void *priv, const void *buf, size_t len)
{
	struct kftp_sink *sink = priv;
	int err = kftp_dest_write(&sink->dest, buf, len);

	if (!err)
		atomic64_add(len, &sink->t->bytes);
	return err;
}

static const struct kftp_sink_ops kftp_sink_ops = {
	.begin	= kftp_sink_begin,
	.write	= kftp_sink_write,
};

/* Keep a failure's reply for the status table, printable bytes only. */
static void save_reply(struct kftp_transfer *t, const char *text)
{
	char *reply = kstrdup(text, GFP_KERNEL);
	char *p;

	if (!reply)
		return;
	for (p = reply; *p; p++) {
		if (*p < ' ' || *p > '~')
			*p = '?';
	}
	mutex_lock(&kftp_lock);
	t->reply = reply;
	mutex_unlock(&kftp_lock);
}

/* Is the conversation still in step after this error, fit for reuse? */
static bool session_in_step(const struct kftp_session *s, int err)
{
	return !err || (s->reply_failed && err != -ECONNRESET);
}

/* Get a connection, retrieve the file, give the connection back. */
static int kftp_fetch(struct kftp_transfer *t, struct kftp_sink *sink)
{
	struct kftp_retr retr = {
		.path		= t->remote,
		.mode		= t->mode,
		.buf_size	= kftp_buf_size,
		.sink		= &kftp_sink_ops,
		.sink_priv	= sink,
	};
	struct kftp_session *s;
	bool reused, keep, retried = false;
	int err;

again:
	err = kftp_link_get(t, &reused);
	if (!t->link)
		return err;
	s = &t->link->session;
	if (!err) {
		retr.buf = t->link->buf;
		err = kftp_session_retr(s, &retr);
		/* the server may have closed a connection that sat idle */
		if (err && reused && !retried && !s->reply_failed &&
		    !atomic64_read(&t->bytes) && !READ_ONCE(t->cancelled)) {
			kftp_link_put(t, false);
			retried = true;
			goto again;
		}
		keep = session_in_step(s, err);
	} else {
		keep = false;	/* not logged in */
	}
	if (err && s->reply_failed)
		save_reply(t, s->parser.reply.text);
	kftp_link_put(t, keep);
	return err;
}

static int kftp_transfer_run(struct kftp_transfer *t)
{
	struct kftp_sink sink = { .t = t };
	int err;

	/* cancelled while still queued */
	if (READ_ONCE(t->cancelled))
		return -ECANCELED;
	err = kftp_dest_open(&sink.dest, t->path, t->id);
	if (err)
		return err;
	err = kftp_fetch(t, &sink);
	if (READ_ONCE(t->cancelled))
		err = -ECANCELED;
	if (err)
		kftp_dest_abort(&sink.dest);
	else
		err = kftp_dest_commit(&sink.dest);
	return err;
}

static void kftp_transfer_finish(struct kftp_transfer *t, int err)
{
	struct kftp_transfer *old, *tmp;

	mutex_lock(&kftp_lock);
	t->err = -err;
	t->state = !err ? KFTP_DONE :
		   err == -ECANCELED ? KFTP_CANCELLED : KFTP_FAILED;
	t->ended = ktime_get();
	kftp_active--;
	kftp_finished++;
	/* forget the oldest finished transfers beyond the history size */
	list_for_each_entry_safe(old, tmp, &kftp_transfers, node) {
		if (kftp_finished <= kftp_history)
			break;
		if (old->state < KFTP_DONE)
			continue;
		list_del(&old->node);
		kftp_finished--;
		kftp_transfer_put(old);
	}
	mutex_unlock(&kftp_lock);
	complete_all(&t->done);
}

static void kftp_transfer_work(struct work_struct *work)
{
	struct kftp_transfer *t = container_of(work, struct kftp_transfer, work);
	const struct cred *old_cred;
	int err;

	old_cred = override_creds(t->cred);
	err = kftp_transfer_run(t);
	revert_creds(old_cred);
	kfree_sensitive(t->pass);
	t->pass = NULL;
	kftp_transfer_finish(t, err);
	kftp_transfer_put(t);
}

struct kftp_transfer *kftp_transfer_create(const struct kftp_request *req)
{
	const struct kftp_url *url = &req->url;
	struct kftp_transfer *t;

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return NULL;
	kref_init(&t->ref);
	INIT_WORK(&t->work, kftp_transfer_work);
	init_completion(&t->done);
	t->total = -1;
	t->mode = req->mode;
	t->wait = req->wait;
	memcpy(t->addr, url->addr, 4);
	t->port = url->port;
	t->has_src = req->has_src;
	memcpy(t->src, req->src, 4);
	t->timeout = req->timeout;
	t->url = kstrdup(url->display, GFP_KERNEL);
	t->path = kstrdup(req->local_path, GFP_KERNEL);
	t->remote = kstrdup(url->path, GFP_KERNEL);
	t->user = kstrdup(url->user, GFP_KERNEL);
	t->pass = kstrdup(url->pass, GFP_KERNEL);
	t->cred = get_current_cred();
	t->net = get_net(current->nsproxy->net_ns);
	if (!t->url || !t->path || !t->remote ||
	    (url->user && !t->user) || (url->pass && !t->pass)) {
		kftp_transfer_put(t);
		return NULL;
	}
	return t;
}

int kftp_transfers_queue(struct kftp_transfer **t, unsigned int n)
{
	unsigned int i;

	mutex_lock(&kftp_lock);
	if (kftp_shutting_down) {
		mutex_unlock(&kftp_lock);
		return -ENODEV;
	}
	if (kftp_active + n > kftp_max_transfers) {
		mutex_unlock(&kftp_lock);
		return -EBUSY;
	}
	for (i = 0; i < n; i++) {
		t[i]->id = kftp_next_id++;
		kref_get(&t[i]->ref);		/* the list's */
		list_add_tail(&t[i]->node, &kftp_transfers);
		kftp_active++;
		kref_get(&t[i]->ref);		/* the worker's */
		queue_work(kftp_wq, &t[i]->work);
	}
	mutex_unlock(&kftp_lock);
	return 0;
}

/* Under kftp_lock. */
static void cancel_locked(struct kftp_transfer *t)
{
	t->cancelled = true;
	if (t->link)
		kftp_conn_cancel(&t->link->conn);
}

void kftp_transfer_cancel(struct kftp_transfer *t)
{
	mutex_lock(&kftp_lock);
	cancel_locked(t);
	mutex_unlock(&kftp_lock);
	kftp_links_wake();
}

int kftp_transfer_wait(struct kftp_transfer *t)
{
	if (wait_for_completion_interruptible(&t->done)) {
		kftp_transfer_cancel(t);
		wait_for_completion(&t->done);
		return -EINTR;
	}
	return -t->err;
}

int kftp_transfers_init(void)
{
	kftp_wq = alloc_workqueue("kftp", WQ_UNBOUND, 0);
	return kftp_wq ? 0 : -ENOMEM;
}

/* Cancel what runs, wait for the workers, free everything. */
void kftp_transfers_exit(void)
{
	struct kftp_transfer *t, *tmp;

	mutex_lock(&kftp_lock);
	kftp_shutting_down = true;
	list_for_each_entry(t, &kftp_transfers, node)
		cancel_locked(t);
	mutex_unlock(&kftp_lock);
	kftp_links_wake();

	/* the workers end, then nothing parks a connection any more */
	flush_workqueue(kftp_wq);
	kftp_links_exit();
	destroy_workqueue(kftp_wq);

	mutex_lock(&kftp_lock);
	list_for_each_entry_safe(t, tmp, &kftp_transfers, node) {
		list_del(&t->node);
		kftp_transfer_put(t);
	}
	mutex_unlock(&kftp_lock);
}
