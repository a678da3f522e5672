// SPDX-License-Identifier: GPL-2.0
/*
 * The transfer queue and lifecycle. Each transfer is a work item on an
 * unbound workqueue: it sleeps on the network for most of its life, so it
 * must not hold a per-CPU worker, and the workqueue brings its own
 * concurrency limit and a drain for module unload. The worker acts in the
 * writer's context (context.c) from start to end.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <net/net_namespace.h>

#include "kftp_compat.h"
#include "kftp.h"
#include "context.h"
#include "resolve.h"
#include "deliver.h"
#include "hash.h"
#include "pool.h"
#include "transfer.h"
#include "segments.h"
#include "run.h"

LIST_HEAD(kftp_transfers);
/* guards kftp_transfers and the status fields of every transfer */
DEFINE_MUTEX(kftp_lock);

/*
 * Under kftp_lock: transfers queued or running; ended ones that an open
 * request file keeps (each still holds its place of max_transfers); ended
 * ones that the history keeps.
 */
static unsigned int kftp_active, kftp_kept, kftp_finished;
/* the status table's changes: a transfer's event is the count at its last */
static u64 kftp_status_event;
DECLARE_WAIT_QUEUE_HEAD(kftp_status_wait);
static u64 kftp_next_id = 1;
static bool kftp_shutting_down;

struct workqueue_struct *kftp_wq;
/* deadlines and the idle reaper: never behind transfers that block */
struct workqueue_struct *kftp_timer_wq;

static void kftp_transfer_free(struct kref *ref)
{
	struct kftp_transfer *t = container_of(ref, struct kftp_transfer, ref);

	kfree(t->reply);
	kfree(t->url);
	kfree(t->path);
	kfree(t->remote);
	kfree(t->user);
	kfree(t->host);
	kftp_kfree_sensitive(t->pass);
	kftp_context_release(t);
	kftp_context_put_net(t);
	kfree(t);
}

void kftp_transfer_put(struct kftp_transfer *t)
{
	kref_put(&t->ref, kftp_transfer_free);
}

/*
 * Sleep @timeout jiffies or until a cancel: every cancel, unload and
 * deadline sets t->cancelled and wakes t->sleep.
 */
void kftp_transfer_nap(struct kftp_transfer *t, long timeout)
{
	kftp_wait_until(&t->sleep, READ_ONCE(t->cancelled), jiffies + timeout);
}

void kftp_transfer_save_reply(struct kftp_transfer *t, const char *text)
{
	char *reply = kstrdup(text, GFP_KERNEL);
	size_t plen = t->pass ? strlen(t->pass) : 0;
	char *p;

	if (!reply)
		return;
	while (plen && (p = strstr(reply, t->pass)))
		memset(p, '*', plen);
	for (p = reply; *p; p++) {
		if (*p < ' ' || *p > '~')
			*p = '?';
	}
	mutex_lock(&kftp_lock);
	swap(t->reply, reply);
	mutex_unlock(&kftp_lock);
	/* an earlier try's */
	kfree(reply);
}

int kftp_transfer_check_sha256(struct kftp_transfer *t)
{
	int err = kftp_hash_check(t);

	if (err == -EBADMSG)
		kftp_transfer_save_reply(t, "sha256 mismatch");
	return err;
}

void kftp_transfer_take_mtime(struct kftp_transfer *t,
			      const struct kftp_session *s)
{
	if (!s->mtime_known)
		return;
	t->dest.has_mtime = true;
	t->dest.mtime.tv_sec = s->mtime;
	t->dest.mtime.tv_nsec = s->mtime_nsec;
}

void kftp_transfer_set_state(struct kftp_transfer *t, enum kftp_state state)
{
	lockdep_assert_held(&kftp_lock);
	t->state = state;
	t->event = ++kftp_status_event;
	wake_up_interruptible_all(&kftp_status_wait);
}

bool kftp_transfers_changed(struct net *net, u64 *seen)
{
	struct kftp_transfer *t;
	bool changed = false;

	mutex_lock(&kftp_lock);
	list_for_each_entry(t, &kftp_transfers, node) {
		if (t->event > *seen && net_eq(t->net, net))
			changed = true;
	}
	*seen = kftp_status_event;
	mutex_unlock(&kftp_lock);
	return changed;
}

u64 kftp_status_event_now(void)
{
	u64 event;

	mutex_lock(&kftp_lock);
	event = kftp_status_event;
	mutex_unlock(&kftp_lock);
	return event;
}

/* Under kftp_lock: forget the oldest ended transfers beyond the history. */
static void trim_history(void)
{
	struct kftp_transfer *old, *tmp;

	list_for_each_entry_safe(old, tmp, &kftp_transfers, node) {
		if (kftp_finished <= kftp_history)
			break;
		if (old->state < KFTP_DONE || old->pin)
			continue;
		list_del(&old->node);
		kftp_finished--;
		kftp_transfer_put(old);
	}
}

static void kftp_transfer_finish(struct kftp_transfer *t, int err)
{
	mutex_lock(&kftp_lock);
	if (err == -ECANCELED && t->timed_out)
		err = -ETIMEDOUT;
	t->err = -err;
	t->ended = ktime_get();
	t->ended_sec = kftp_real_seconds();
	kftp_transfer_set_state(t, !err ? KFTP_DONE :
				err == -ECANCELED ? KFTP_CANCELLED : KFTP_FAILED);
	kftp_context_put_net(t);
	kftp_active--;
	if (t->pin) {
		/* its writer has not read its outcome yet, maybe */
		t->pin->kept++;
		kftp_kept++;
	} else {
		kftp_finished++;
		trim_history();
	}
	mutex_unlock(&kftp_lock);
	complete_all(&t->done);
}

static void kftp_transfer_work(struct work_struct *work)
{
	struct kftp_transfer *t = container_of(work, struct kftp_transfer, work);
	int err;

	mutex_lock(&kftp_lock);
	t->started_sec = kftp_real_seconds();
	mutex_unlock(&kftp_lock);
	err = kftp_run(t);
	cancel_delayed_work_sync(&t->deadline_work);
	kftp_kfree_sensitive(t->pass);
	t->pass = NULL;
	/* free for another transfer before its directory is let go */
	mutex_lock(&kftp_lock);
	t->dest_held = false;
	mutex_unlock(&kftp_lock);
	kftp_context_release(t);
	kftp_transfer_finish(t, err);
	kftp_transfer_put(t);
}

/*
 * Under kftp_lock: mark @t and wake it. Its sockets are shut down by
 * cancel_unlocked(), since a shutdown may wait for a socket's lock.
 */
static void cancel_locked(struct kftp_transfer *t)
{
	t->cancelled = true;
	if (t->link)
		kftp_link_abort_locked(t->link);
	if (t->segs)
		kftp_segments_stop_locked(t);
	wake_up_all(&t->sleep);
}

/* After cancel_locked(), kftp_lock dropped. */
static void cancel_unlocked(void)
{
	kftp_links_abort();
	kftp_links_wake();
	kftp_resolve_wake();
}

static void kftp_transfer_deadline(struct work_struct *work)
{
	struct kftp_transfer *t = container_of(to_delayed_work(work),
					       struct kftp_transfer,
					       deadline_work);

	mutex_lock(&kftp_lock);
	t->timed_out = true;
	cancel_locked(t);
	mutex_unlock(&kftp_lock);
	cancel_unlocked();
}

struct kftp_transfer *kftp_transfer_create(const struct kftp_request *req,
					   const char **reason)
{
	const struct kftp_url *url = &req->url;
	struct kftp_transfer *t;
	int err;

	/* charged to the writer, as everything a transfer holds */
	t = kzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
	if (!t)
		return ERR_PTR(-ENOMEM);
	kref_init(&t->ref);
	INIT_WORK(&t->work, kftp_transfer_work);
	INIT_DELAYED_WORK(&t->deadline_work, kftp_transfer_deadline);
	init_completion(&t->done);
	init_waitqueue_head(&t->sleep);
	t->total = -1;
	t->verb = req->verb;
	t->opts = req->opts;
	t->kind = req->verb != KFTP_VERB_LIST ? KFTP_RETR_FILE :
		  req->opts.names ? KFTP_RETR_NAMES : KFTP_RETR_LIST;
	t->addr = url->addr;
	t->port = url->port;
	t->attempt = 1;
	t->url = kstrdup(url->display, GFP_KERNEL_ACCOUNT);
	t->path = kstrdup(req->local_path, GFP_KERNEL_ACCOUNT);
	t->remote = kstrdup(url->path, GFP_KERNEL_ACCOUNT);
	t->user = kstrdup(url->user, GFP_KERNEL_ACCOUNT);
	t->host = kstrdup(url->host, GFP_KERNEL_ACCOUNT);
	t->pass = kstrdup(url->pass, GFP_KERNEL_ACCOUNT);
	t->account = kftp_account_hash(url->user, url->pass);
	if (!t->url || !t->path || !t->remote ||
	    (url->user && !t->user) || (url->pass && !t->pass) ||
	    (url->host && !t->host)) {
		kftp_transfer_put(t);
		return ERR_PTR(-ENOMEM);
	}
	err = kftp_context_capture(t, req, reason);
	if (err) {
		kftp_transfer_put(t);
		return ERR_PTR(err);
	}
	return t;
}

/* Under kftp_lock: the transfer @id of @net that has not ended. */
static struct kftp_transfer *find_active(u64 id, struct net *net)
{
	struct kftp_transfer *t;

	list_for_each_entry(t, &kftp_transfers, node) {
		if (t->id == id && net_eq(t->net, net) &&
		    t->state < KFTP_DONE && !t->cancelled)
			return t;
	}
	return NULL;
}

/*
 * Under kftp_lock: is @t[@i]'s destination one that a get or list in
 * progress writes, or one before it in @t? Any namespace's: the file is
 * one.
 */
static bool dest_taken(struct kftp_transfer **t, unsigned int i)
{
	struct kftp_transfer *o;
	unsigned int j;

	if (t[i]->verb == KFTP_VERB_PUT)
		return false;
	list_for_each_entry(o, &kftp_transfers, node) {
		if (o->dest_held && kftp_dest_same(&o->dest, &t[i]->dest))
			return true;
	}
	for (j = 0; j < i; j++) {
		if (t[j]->verb != KFTP_VERB_PUT &&
		    kftp_dest_same(&t[j]->dest, &t[i]->dest))
			return true;
	}
	return false;
}

int kftp_transfers_submit(struct kftp_transfer **t, unsigned int n,
			  const u64 *cancel, unsigned int ncancel,
			  struct net *net, struct kftp_pin *pin, u64 *bad,
			  unsigned int *busy)
{
	struct kftp_transfer *c;
	unsigned int i;

	mutex_lock(&kftp_lock);
	if (kftp_shutting_down) {
		mutex_unlock(&kftp_lock);
		return -ENODEV;
	}
	if (kftp_active + kftp_kept + n > kftp_max_transfers) {
		mutex_unlock(&kftp_lock);
		*busy = n;
		return -EBUSY;
	}
	for (i = 0; i < n; i++) {
		if (dest_taken(t, i)) {
			mutex_unlock(&kftp_lock);
			*busy = i;
			return -EBUSY;
		}
	}
	for (i = 0; i < ncancel; i++) {
		if (!find_active(cancel[i], net)) {
			mutex_unlock(&kftp_lock);
			*bad = cancel[i];
			return -ENOENT;
		}
	}
	for (i = 0; i < ncancel; i++) {
		c = find_active(cancel[i], net);
		/* NULL for an ID named twice */
		if (c)
			cancel_locked(c);
	}
	for (i = 0; i < n; i++) {
		t[i]->id = kftp_next_id++;
		t[i]->dest_held = t[i]->verb != KFTP_VERB_PUT;
		t[i]->pin = pin;
		kref_get(&t[i]->ref);		/* the list's */
		list_add_tail(&t[i]->node, &kftp_transfers);
		kftp_transfer_set_state(t[i], KFTP_QUEUED);
		kftp_active++;
		/*
		 * Armed before the work is queued: the worker cancels it
		 * before it lets go of the transfer, and must find it armed.
		 */
		if (t[i]->opts.deadline)
			queue_delayed_work(kftp_timer_wq, &t[i]->deadline_work,
					   (unsigned long)t[i]->opts.deadline * HZ);
		kref_get(&t[i]->ref);		/* the worker's */
		queue_work(kftp_wq, &t[i]->work);
	}
	mutex_unlock(&kftp_lock);
	if (ncancel)
		cancel_unlocked();
	return 0;
}

void kftp_transfers_unpin(struct kftp_pin *pin)
{
	struct kftp_transfer *t;

	mutex_lock(&kftp_lock);
	list_for_each_entry(t, &kftp_transfers, node) {
		if (t->pin != pin)
			continue;
		t->pin = NULL;
		if (t->state >= KFTP_DONE) {
			kftp_kept--;
			kftp_finished++;
		}
	}
	pin->kept = 0;
	trim_history();
	mutex_unlock(&kftp_lock);
}

unsigned int kftp_pin_kept(struct kftp_pin *pin)
{
	unsigned int kept;

	mutex_lock(&kftp_lock);
	kept = pin->kept;
	mutex_unlock(&kftp_lock);
	return kept;
}

void kftp_transfer_cancel(struct kftp_transfer *t)
{
	mutex_lock(&kftp_lock);
	cancel_locked(t);
	mutex_unlock(&kftp_lock);
	cancel_unlocked();
}

bool kftp_transfer_status(const struct kftp_transfer *t, struct net *net,
			  struct kftp_transfer_status *st)
{
	s64 ms;

	if (!net_eq(t->net, net))
		return false;
	st->id = t->id;
	st->verb = t->verb;
	st->state = t->state;
	st->bytes = atomic64_read(&t->bytes);
	st->total = t->total;
	st->rate = 0;
	if (t->conn_id) {
		ms = kftp_ktime_to_ms(ktime_sub(t->state >= KFTP_DONE ? t->ended :
						ktime_get(), t->started));
		st->rate = div64_u64(st->bytes * 1000, max_t(s64, ms, 1));
	}
	st->err = t->err;
	st->conn_id = t->conn_id;
	st->addr = t->addr;
	st->attempt = t->attempt;
	st->url = t->url;
	st->path = t->path;
	st->reply = t->reply;
	st->started = t->started_sec;
	st->ended = t->ended_sec;
	return true;
}

int kftp_transfer_wait(struct kftp_transfer *t)
{
	/*
	 * A worker stuck on storage must not make the writer unkillable:
	 * cancel and go; the worker holds its own reference and cleans up.
	 */
	if (wait_for_completion_interruptible(&t->done)) {
		kftp_transfer_cancel(t);
		return -EINTR;
	}
	return -t->err;
}

/*
 * A network namespace goes away: finished transfers of it (which hold no
 * reference) forget it, so that no reader of a later namespace at the same
 * address sees them, and its idle connections are closed.
 */
static void kftp_net_exit(struct net *net)
{
	struct kftp_transfer *t;
	unsigned int forgotten = 0, closed;

	mutex_lock(&kftp_lock);
	list_for_each_entry(t, &kftp_transfers, node) {
		if (t->net == net) {
			t->net = NULL;
			forgotten++;
		}
	}
	mutex_unlock(&kftp_lock);
	closed = kftp_links_net_exit(net);
	if (forgotten || closed)
		pr_debug("network namespace gone: %u finished transfer(s) forgotten, %u idle connection(s) closed\n",
			 forgotten, closed);
}

static struct pernet_operations kftp_net_ops = {
	.exit = kftp_net_exit,
};

int kftp_transfers_init(void)
{
	int err;

	kftp_wq = kftp_alloc_workqueue("kftp", KFTP_WQ_UNBOUND, 0);
	if (!kftp_wq)
		return -ENOMEM;
	kftp_timer_wq = kftp_alloc_workqueue("kftp_timer", KFTP_WQ_UNBOUND, 0);
	if (!kftp_timer_wq) {
		err = -ENOMEM;
		goto no_timer_wq;
	}
	err = kftp_resolve_init();
	if (err)
		goto no_dns_wq;
	err = kftp_segments_init();
	if (err)
		goto no_seg_wq;
	kftp_links_init();
	err = register_pernet_subsys(&kftp_net_ops);
	if (!err)
		return 0;
	kftp_segments_exit();
no_seg_wq:
	kftp_resolve_exit();
no_dns_wq:
	destroy_workqueue(kftp_timer_wq);
no_timer_wq:
	destroy_workqueue(kftp_wq);
	return err;
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
	cancel_unlocked();

	/* the workers end (after their segments), then nothing parks a connection */
	flush_workqueue(kftp_wq);
	kftp_links_exit();
	unregister_pernet_subsys(&kftp_net_ops);
	destroy_workqueue(kftp_wq);
	/* lookups the transfers gave up on: userspace ends them */
	kftp_resolve_exit();
	kftp_segments_exit();
	/* every deadline was cancelled by its worker, the reaper by links_exit */
	destroy_workqueue(kftp_timer_wq);

	mutex_lock(&kftp_lock);
	list_for_each_entry_safe(t, tmp, &kftp_transfers, node) {
		list_del(&t->node);
		kftp_transfer_put(t);
	}
	mutex_unlock(&kftp_lock);
}
