// SPDX-License-Identifier: GPL-2.0
/*
 * The transfer queue and lifecycle. Each transfer is a work item on an
 * unbound workqueue: it sleeps on the network for most of its life, so it
 * must not hold a per-CPU worker, and the workqueue brings its own
 * concurrency limit and a drain for module unload. A transfer runs with
 * the credentials and in the network namespace of the process that wrote
 * its request, in the directory that process's root resolved, within its
 * file size limit, and charged to its memory cgroup.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/netdevice.h>
#include <linux/nsproxy.h>
#include <linux/resource.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <net/net_namespace.h>

#include "kftp_compat.h"
#include "kftp.h"
#include "resolve.h"
#include "deliver.h"
#include "hash.h"
#include "pool.h"
#include "transfer.h"
#include "attempt.h"
#include "segments.h"
#include "stream.h"

LIST_HEAD(kftp_transfers);
/* guards kftp_transfers and the status fields of every transfer */
DEFINE_MUTEX(kftp_lock);

/* under kftp_lock */
static unsigned int kftp_active, kftp_finished;
static u64 kftp_next_id = 1;
static bool kftp_shutting_down;

struct workqueue_struct *kftp_wq;
/* deadlines and the idle reaper: never behind transfers that block */
struct workqueue_struct *kftp_timer_wq;

/*
 * What a finished transfer must not keep while it sits in the history: the
 * writer's directory (its filesystem could not be unmounted), memory
 * cgroup (a removed cgroup could not be freed) and credentials. The
 * network namespace is let go in kftp_transfer_finish().
 */
static void release_writer_context(struct kftp_transfer *t)
{
	kftp_dest_release(&t->dest);
	if (t->source)
		fput(t->source);
	t->source = NULL;
	kftp_put_memcg(t->memcg);
	t->memcg = NULL;
	kftp_hash_free(t);
	if (t->cred)
		put_cred(t->cred);
	t->cred = NULL;
}

static void kftp_transfer_free(struct kref *ref)
{
	struct kftp_transfer *t = container_of(ref, struct kftp_transfer, ref);

	kfree(t->reply);
	kfree(t->url);
	kfree(t->path);
	kfree(t->remote);
	kfree(t->user);
	kfree(t->host);
	kfree_sensitive(t->pass);
	release_writer_context(t);
	if (t->net_held)
		put_net(t->net);
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

static int kftp_transfer_run(struct kftp_transfer *t)
{
	struct kftp_stream stream = { .t = t, .link = &t->link,
				      .pos = &t->dest.pos, .hash = t->hash };
	int err;

	/* cancelled while still queued */
	if (READ_ONCE(t->cancelled))
		return -ECANCELED;
	if (t->verb == KFTP_VERB_PUT) {
		/* too big for the request: known before anything is sent */
		if ((u64)i_size_read(file_inode(t->source)) > t->max_size)
			return -EFBIG;
		/* a retry sends the file again (with resume: the rest) */
		err = kftp_attempts(t, &stream);
		return READ_ONCE(t->cancelled) ? -ECANCELED : err;
	}
	err = t->resume ? kftp_dest_open_part(&t->dest) :
			  kftp_dest_open(&t->dest);
	if (err)
		return err;
	err = kftp_attempts(t, &stream);
	if (READ_ONCE(t->cancelled))
		err = -ECANCELED;
	if (!err && t->hash)
		err = kftp_transfer_check_sha256(t);
	if (!err)
		err = kftp_dest_commit(&t->dest);
	/* resume: what came is kept, unless too much or not the file */
	else if (t->resume && t->dest.pos && err != -EFBIG && err != -EBADMSG)
		kftp_dest_keep(&t->dest);
	else
		kftp_dest_abort(&t->dest);
	return err;
}

static void kftp_transfer_finish(struct kftp_transfer *t, int err)
{
	struct kftp_transfer *old, *tmp;

	mutex_lock(&kftp_lock);
	if (err == -ECANCELED && t->timed_out)
		err = -ETIMEDOUT;
	t->err = -err;
	t->state = !err ? KFTP_DONE :
		   err == -ECANCELED ? KFTP_CANCELLED : KFTP_FAILED;
	t->ended = ktime_get();
	/* kept only to be compared: kftp_net_exit() forgets it */
	put_net(t->net);
	t->net_held = false;
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
	struct mem_cgroup *old_memcg;
	int err;

	old_cred = override_creds(t->cred);
	old_memcg = kftp_set_active_memcg(t->memcg);
	err = kftp_transfer_run(t);
	kftp_set_active_memcg(old_memcg);
	revert_creds(old_cred);
	cancel_delayed_work_sync(&t->deadline_work);
	kfree_sensitive(t->pass);
	t->pass = NULL;
	release_writer_context(t);
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

/*
 * The smallest of the limits on the file's size: max_size=, the module's
 * max_size, and for get the writer's RLIMIT_FSIZE (U64_MAX: none).
 */
static u64 size_limit(const struct kftp_request *req)
{
	unsigned long fsize = rlimit(RLIMIT_FSIZE);
	u64 limit = req->max_size ? req->max_size : U64_MAX;

	if (kftp_max_size)
		limit = min_t(u64, limit, kftp_max_size);
	/* put writes no local file */
	if (fsize != RLIM_INFINITY && req->verb != KFTP_VERB_PUT)
		limit = min_t(u64, limit, fsize);
	return limit;
}

/*
 * The writer's credentials, less CAP_SYS_RESOURCE: what the server sends
 * must not fill the blocks a filesystem reserves for root.
 */
static const struct cred *transfer_cred(void)
{
	struct cred *cred = prepare_creds();

	if (cred)
		cap_lower(cred->cap_effective, CAP_SYS_RESOURCE);
	return cred;
}

/*
 * The zone of a link-local address, an interface name, as the index of
 * that interface in the writer's network namespace; 0 when it has none.
 */
static int zone_scope(const struct kftp_url *url, struct net *net,
		      const char **reason)
{
	struct net_device *dev;
	int ifindex = 0;

	if (!url->zone)
		return 0;
	rcu_read_lock();
	dev = dev_get_by_name_rcu(net, url->zone);
	if (dev)
		ifindex = dev->ifindex;
	rcu_read_unlock();
	if (!ifindex) {
		*reason = "no such interface for the zone in the URL";
		return -ENODEV;
	}
	return ifindex;
}

/*
 * put: open the file now, as the writer: what it cannot read fails its
 * write(). O_NONBLOCK so that a FIFO is refused rather than waited on.
 */
static int open_source(struct kftp_transfer *t, const char **reason)
{
	struct file *f = filp_open(t->path, O_RDONLY | O_LARGEFILE |
				   O_NONBLOCK | O_NOCTTY, 0);

	if (IS_ERR(f)) {
		*reason = "cannot open the file to send";
		return PTR_ERR(f);
	}
	if (!S_ISREG(file_inode(f)->i_mode)) {
		fput(f);
		*reason = "the file to send is not a regular file";
		return -EINVAL;
	}
	t->source = f;
	return 0;
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
	t->append = req->append;
	t->atomic = req->atomic;
	t->mkdirs = req->mkdirs;
	t->mode = req->mode;
	t->wait = req->wait;
	t->addr = url->addr;
	t->kind = req->verb != KFTP_VERB_LIST ? KFTP_RETR_FILE :
		  req->names ? KFTP_RETR_NAMES : KFTP_RETR_LIST;
	t->mtime = req->mtime;
	t->resume = req->resume;
	t->family = req->family;
	t->segments = req->segments;
	t->ascii = req->ascii;
	t->port = url->port;
	t->src = req->src;
	t->timeout = req->timeout;
	t->deadline = req->deadline;
	t->min_rate = req->min_rate;
	t->rate = req->rate;
	t->retries = req->retries;
	t->attempt = 1;
	t->max_size = size_limit(req);
	t->url = kstrdup(url->display, GFP_KERNEL_ACCOUNT);
	t->path = kstrdup(req->local_path, GFP_KERNEL_ACCOUNT);
	t->remote = kstrdup(url->path, GFP_KERNEL_ACCOUNT);
	t->user = kstrdup(url->user, GFP_KERNEL_ACCOUNT);
	t->host = kstrdup(url->host, GFP_KERNEL_ACCOUNT);
	t->pass = kstrdup(url->pass, GFP_KERNEL_ACCOUNT);
	t->account = kftp_account_hash(url->user, url->pass);
	t->cred = transfer_cred();
	t->net = get_net(current->nsproxy->net_ns);
	t->net_held = true;
	t->memcg = kftp_get_writer_memcg();
	if (!t->url || !t->path || !t->remote || !t->cred ||
	    (url->user && !t->user) || (url->pass && !t->pass) ||
	    (url->host && !t->host)) {
		kftp_transfer_put(t);
		return ERR_PTR(-ENOMEM);
	}
	err = zone_scope(url, t->net, reason);
	if (err < 0) {
		kftp_transfer_put(t);
		return ERR_PTR(err);
	}
	t->addr.scope = err;
	if (t->verb == KFTP_VERB_PUT)
		err = open_source(t, reason);
	else
		err = kftp_dest_resolve(&t->dest, t->path, req->mkdirs, reason);
	if (!err && req->has_sha256)
		err = kftp_hash_alloc(t, req->sha256, reason);
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

int kftp_transfers_submit(struct kftp_transfer **t, unsigned int n,
			  const u64 *cancel, unsigned int ncancel,
			  struct net *net, u64 *bad)
{
	struct kftp_transfer *c;
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
		kref_get(&t[i]->ref);		/* the list's */
		list_add_tail(&t[i]->node, &kftp_transfers);
		kftp_active++;
		/*
		 * Armed before the work is queued: the worker cancels it
		 * before it lets go of the transfer, and must find it armed.
		 */
		if (t[i]->deadline)
			queue_delayed_work(kftp_timer_wq, &t[i]->deadline_work,
					   (unsigned long)t[i]->deadline * HZ);
		kref_get(&t[i]->ref);		/* the worker's */
		queue_work(kftp_wq, &t[i]->work);
	}
	mutex_unlock(&kftp_lock);
	if (ncancel)
		cancel_unlocked();
	return 0;
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
		ms = ktime_to_ms(ktime_sub(t->state >= KFTP_DONE ? t->ended :
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

	kftp_wq = alloc_workqueue("kftp", WQ_UNBOUND, 0);
	if (!kftp_wq)
		return -ENOMEM;
	kftp_timer_wq = alloc_workqueue("kftp_timer", WQ_UNBOUND, 0);
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
