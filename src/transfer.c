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
#include <linux/random.h>
#include <linux/resource.h>
#include <linux/sched.h>
#include <linux/sizes.h>
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
/* the segments of a transfer: never queued behind the transfers */
static struct workqueue_struct *kftp_seg_wq;
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

/* ---- pacing of a stream, get's and put's: min_rate=, rate= ---- */

/* Too slow over the last timeout= seconds for min_rate=? */
static bool below_min_rate(struct kftp_sink *sink, u64 bytes)
{
	struct kftp_transfer *t = sink->t;
	unsigned long window = (unsigned long)t->timeout * HZ;

	if (!t->min_rate || time_before(jiffies, sink->window_start + window))
		return false;
	/* divided, not multiplied: min_rate may be as large as a u64 */
	if (div_u64(bytes - sink->window_bytes, t->timeout) < t->min_rate)
		return true;
	sink->window_start = jiffies;
	sink->window_bytes = bytes;
	return false;
}

/*
 * Sleep @timeout jiffies or until a cancel: every cancel, unload and
 * deadline sets t->cancelled and wakes t->sleep.
 */
static void nap(struct kftp_transfer *t, long timeout)
{
	kftp_wait_until(&t->sleep, READ_ONCE(t->cancelled), jiffies + timeout);
}

/*
 * rate=: a token bucket filled at rate= bytes per second from the moment
 * the stream began, so the average over the transfer is what counts, not
 * each buffer. Ahead of it, the worker sleeps until the bytes since the
 * start are due. The sleep is interruptible (a kernel thread takes no
 * signal: only a wake-up ends it early) and a cancel, an unload and the
 * deadline all set t->cancelled and wake t->sleep.
 */
static int rate_wait(struct kftp_sink *sink, size_t len)
{
	struct kftp_transfer *t = sink->t;
	u64 secs, rem, due_ms;
	s64 ahead_ms;

	sink->rate_bytes += len;
	secs = div64_u64_rem(sink->rate_bytes, t->rate, &rem);
	/* rem < rate <= 4G: no overflow; secs beyond a century: no matter */
	due_ms = min_t(u64, secs, U32_MAX) * MSEC_PER_SEC +
		 div64_u64(rem * MSEC_PER_SEC, t->rate);
	for (;;) {
		ahead_ms = due_ms - ktime_ms_delta(ktime_get(), sink->rate_start);
		if (ahead_ms <= 0 || READ_ONCE(t->cancelled))
			break;
		nap(t, msecs_to_jiffies(min_t(s64, ahead_ms, MSEC_PER_SEC)));
	}
	return READ_ONCE(t->cancelled) ? -ECANCELED : 0;
}

/* A stream (re)starts at @offset: min_rate='s window and rate='s clock too */
static void pace_start(struct kftp_sink *sink, u64 offset)
{
	sink->window_start = jiffies;
	sink->window_bytes = offset;
	sink->rate_start = ktime_get();
	sink->rate_bytes = 0;
}

/* After @n more bytes, counted in t->bytes: min_rate=, then rate= */
static int pace(struct kftp_sink *sink, size_t n)
{
	struct kftp_transfer *t = sink->t;

	if (below_min_rate(sink, atomic64_read(&t->bytes)))
		return -ETIMEDOUT;
	return t->rate ? rate_wait(sink, n) : 0;
}

/* ---- the sink: data into the temporary file ---- */

static int kftp_sink_begin(void *priv, u64 offset, s64 total)
{
	struct kftp_sink *sink = priv;
	struct kftp_transfer *t = sink->t;
	int err;

	/* the stream continues the file, or a resumed one starts over */
	if (offset > t->dest.pos)
		return -EIO;
	if (offset < t->dest.pos) {
		err = kftp_dest_truncate(&t->dest, offset);
		if (err)
			return err;
	}
	/* the digest covers what the file has already */
	if (sink->hash) {
		err = kftp_hash_start(t, t->dest.file, offset);
		if (err)
			return err;
	}
	/* BYTES counts what the file has, a kept part included */
	atomic64_set(&t->bytes, offset);
	mutex_lock(&kftp_lock);
	t->total = total;
	t->state = KFTP_TRANSFERRING;
	mutex_unlock(&kftp_lock);
	pace_start(sink, offset);
	return 0;
}

static int kftp_sink_write(void *priv, const void *buf, size_t len)
{
	struct kftp_sink *sink = priv;
	struct kftp_transfer *t = sink->t;
	int err;

	if (len > t->max_size - *sink->pos)
		return -EFBIG;
	err = kftp_dest_write(&t->dest, buf, len, sink->pos);
	if (!err && sink->hash)
		err = kftp_hash_update(t, buf, len);
	if (err)
		return err;
	atomic64_add(len, &t->bytes);
	return pace(sink, len);
}

#if KFTP_HAVE_RECV_DIRECT
/* An skb's bytes into the file, within max_size; a cancel stops the writes. */
int kftp_sink_actor(void *arg, struct sk_buff *skb, unsigned int offset,
		    size_t len)
{
	struct kftp_sink *sink = arg;
	struct kftp_transfer *t = sink->t;
	loff_t pos = *sink->pos;
	int err = 0, werr;

	/* the data came before a write blocked on storage: not after a cancel */
	if (READ_ONCE(t->cancelled))
		return -ECANCELED;
	if (len > t->max_size - pos) {
		len = t->max_size - pos;
		err = -EFBIG;
	}
	if (!len)
		return err;
	werr = kftp_dest_write_skb(&t->dest, skb, offset, len, sink->pos);
	if (werr)
		err = werr;
	len = *sink->pos - pos;
	/* what reached the file, read where it lies in the skb */
	if (len && sink->hash) {
		werr = kftp_hash_skb(t, skb, offset, len);
		if (werr)
			err = werr;
	}
	atomic64_add(len, &t->bytes);
	return err;
}

static int kftp_sink_recv(void *priv, size_t len)
{
	struct kftp_sink *sink = priv;
	struct kftp_transfer *t = sink->t;
	int n, err;

	if (!sink->read_sock) {
		sink->read_sock = true;
		pr_debug("%llu = data by read_sock, one copy\n", t->id);
	}
	n = kftp_conn_read(&(*sink->link)->conn, len, kftp_sink_actor, sink);
	if (n <= 0)
		return n;
	err = pace(sink, n);
	return err ? err : n;
}
#endif

static const struct kftp_sink_ops kftp_sink_ops = {
	.begin	= kftp_sink_begin,
	.write	= kftp_sink_write,
#if KFTP_HAVE_RECV_DIRECT
	.recv	= kftp_sink_recv,
#endif
};

/* ---- put: the source, the local file as the writer opened it ---- */

static int kftp_source_begin(void *priv, u64 offset)
{
	struct kftp_sink *src = priv;
	struct kftp_transfer *t = src->t;

	/* resume: the digest covers the part the server has */
	if (src->hash) {
		int err = kftp_hash_start(t, t->source, offset);

		if (err)
			return err;
	}
	src->src_pos = offset;
	/* as for get: BYTES counts what the file has, a resumed part too */
	atomic64_set(&t->bytes, offset);
	mutex_lock(&kftp_lock);
	t->total = i_size_read(file_inode(t->source));
	t->state = KFTP_TRANSFERRING;
	mutex_unlock(&kftp_lock);
	pace_start(src, offset);
	return 0;
}

static int kftp_source_read(void *priv, void *buf, size_t len)
{
	struct kftp_sink *src = priv;
	struct kftp_transfer *t = src->t;
	ssize_t n;
	int err;

	n = kernel_read(t->source, buf, len, &src->src_pos);
	if (n <= 0)
		return n;
	/* the bytes as the file has them */
	if (src->hash) {
		err = kftp_hash_update(t, buf, n);
		if (err)
			return err;
	}
	/* the file grew past max_size while it was sent */
	if (src->src_pos > t->max_size)
		return -EFBIG;
	atomic64_add(n, &t->bytes);
	err = pace(src, n);
	return err ? err : n;
}

static int check_sha256(struct kftp_transfer *t);

/* sha256=: the file sent is the file meant, checked before any rename */
static int kftp_source_end(void *priv)
{
	struct kftp_sink *src = priv;

	return src->hash ? check_sha256(src->t) : 0;
}

static const struct kftp_source_ops kftp_source_ops = {
	.begin	= kftp_source_begin,
	.read	= kftp_source_read,
	.end	= kftp_source_end,
};

#if KFTP_HAVE_SEND_PAGES
/*
 * Zero copy: up to @len bytes of the file, its page-cache pages, straight
 * to the data connection; never past max_size, paced as read's.
 */
static int kftp_source_send(void *priv, size_t len)
{
	struct kftp_sink *src = priv;
	struct kftp_transfer *t = src->t;
	u64 pos = src->src_pos;
	int n, err;

	if (!src->spliced) {
		src->spliced = true;
		pr_debug("%llu = data by splice, zero copy\n", t->id);
	}
	/* the file grew past max_size while it was sent */
	if (pos >= t->max_size)
		return i_size_read(file_inode(t->source)) > pos ? -EFBIG : 0;
	len = min_t(u64, len, t->max_size - pos);
	n = kftp_conn_send_file(&(*src->link)->conn, t->source, &src->src_pos,
				len);
	if (n <= 0)
		return n;
	atomic64_add(n, &t->bytes);
	err = pace(src, n);
	return err ? err : n;
}

static const struct kftp_source_ops kftp_source_splice_ops = {
	.begin	= kftp_source_begin,
	.send	= kftp_source_send,
};
#endif

/*
 * put's source: the file's pages go to the socket where the file can be
 * spliced; through the buffer (kernel_read()) where it cannot, and where
 * the bytes must be seen or changed on their way (type=ascii).
 */
static const struct kftp_source_ops *source_ops(const struct kftp_transfer *t)
{
#if KFTP_HAVE_SEND_PAGES
	/* the bytes must be seen: converted (ascii), or hashed (sha256=) */
	if (t->source && t->source->f_op->splice_read && !t->ascii && !t->hash)
		return &kftp_source_splice_ops;
#endif
	return &kftp_source_ops;
}

/*
 * Keep a failure's reply for the status table, printable bytes only, with
 * the password masked should the server echo it.
 */
static void save_reply(struct kftp_transfer *t, const char *text)
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

/* sha256=: -EBADMSG, never retried, when the digest is another */
static int check_sha256(struct kftp_transfer *t)
{
	int err = kftp_hash_check(t);

	if (err == -EBADMSG)
		save_reply(t, "sha256 mismatch");
	return err;
}

/*
 * Worth another try (retries=)? A 4xx reply, 421 included; a connection
 * reset, refused or timed out. Not a 5xx, a protocol error, a local error
 * or a cancel.
 */
static bool transient(const struct kftp_session *s, int err)
{
	int code = s ? s->parser.reply.code : 0;

	if (s && s->reply_failed)
		return code >= 400 && code < 500;
	return err == -ECONNRESET || err == -ETIMEDOUT || err == -ECONNREFUSED;
}

/* ---- segments: ranges of one file, each over a connection of its own ---- */

#define KFTP_SEGMENT_MIN	SZ_1M		/* smaller ranges: one stream */

struct kftp_segment {
	struct work_struct work;
	struct completion done;
	struct kftp_sink sink;
	struct kftp_link *link;		/* under kftp_lock, for cancel */
	loff_t pos;			/* the next byte of its range */
	u64 offset, length;
	int err;
};

/* A range starts where it was told to, among the file's own bytes. */
static int kftp_segment_begin(void *priv, u64 offset, s64 total)
{
	struct kftp_sink *sink = priv;

	if (offset != *sink->pos)
		return -EIO;
	sink->window_start = jiffies;
	sink->window_bytes = atomic64_read(&sink->t->bytes);
	return 0;
}

static const struct kftp_sink_ops kftp_segment_ops = {
	.begin	= kftp_segment_begin,
	.write	= kftp_sink_write,
#if KFTP_HAVE_RECV_DIRECT
	.recv	= kftp_sink_recv,
#endif
};

/* Under kftp_lock: stop the segments, as a cancel does, but only them. */
static void stop_segments_locked(struct kftp_transfer *t)
{
	unsigned int i;

	t->segs_stopped = true;
	/* the first range's: the transfer's, closed after the ranges anyway */
	if (t->link)
		kftp_link_abort_locked(t->link);
	for (i = 0; i < t->nsegs; i++) {
		if (t->segs[i].link)
			kftp_link_abort_locked(t->segs[i].link);
	}
}

/*
 * The first range to fail decides for all: its -errno (and the server's
 * reply), or 1, one stream, when the server refused a login or REST. The
 * others are stopped: what they say after that is not the cause.
 */
static void segment_failed(struct kftp_transfer *t, int err, bool one_stream,
			   struct kftp_session *s)
{
	bool first;

	mutex_lock(&kftp_lock);
	first = !t->segs_stopped;
	if (first) {
		t->segs_err = one_stream ? 1 : err;
		stop_segments_locked(t);
	}
	mutex_unlock(&kftp_lock);
	kftp_links_abort();
	if (first && !one_stream && s && s->reply_failed)
		save_reply(t, s->parser.reply.text);
}

/*
 * One range: REST, RETR, its bytes into the file at its offset. The first
 * runs on the transfer's connection, the others each on one of their own.
 */
static int kftp_segment_fetch(struct kftp_transfer *t, struct kftp_segment *g,
			      struct kftp_link **link)
{
	struct kftp_retr retr = {
		.path		= t->remote,
		.mode		= t->mode,
		.buf_size	= kftp_buf_size,
		.sink		= &kftp_segment_ops,
		.sink_priv	= &g->sink,
		.kind		= KFTP_RETR_FILE,
		.offset		= g->offset,
		.length		= g->length,
	};
	struct kftp_session *s = &(*link)->session;
	int err;

	g->sink.link = link;
	g->sink.pos = &g->pos;
	g->pos = g->offset;
	err = KFTP_HAVE_RECV_DIRECT ? 0 : kftp_link_buf(*link);
	if (!err) {
		retr.buf = (*link)->buf;
		err = kftp_session_retr(s, &retr);
	}
	/* -ESPIPE: REST refused, the file comes in one stream */
	if (err)
		segment_failed(t, err, err == -ESPIPE, s);
	return err;
}

static void kftp_segment_work(struct work_struct *work)
{
	struct kftp_segment *g = container_of(work, struct kftp_segment, work);
	struct kftp_transfer *t = g->sink.t;
	const struct cred *old_cred;
	struct mem_cgroup *old_memcg;
	bool reused;
	int err;

	old_cred = override_creds(t->cred);
	old_memcg = kftp_set_active_memcg(t->memcg);
	err = kftp_link_get_to(t, &g->link, &reused);
	/* a second login refused, or no slot in time: one stream */
	if (err)
		segment_failed(t, err, err != -ECANCELED, NULL);
	else
		err = kftp_segment_fetch(t, g, &g->link);
	if (g->link)
		kftp_link_put_from(t, &g->link, false);
	kftp_set_active_memcg(old_memcg);
	revert_creds(old_cred);
	g->err = err;
	complete(&g->done);
}

/*
 * segments=N: SIZE, then N ranges at once, the first on t->link, each of
 * the others on a connection of its own, into the file at their offsets.
 * Returns 1 when the file must come in one stream instead (no SIZE, too
 * small, no REST, no second login; the file is emptied), else 0 or -errno.
 * The caller puts t->link, which a range leaves out of step.
 */
static int kftp_fetch_ranges(struct kftp_transfer *t, struct kftp_session *s)
{
	/* no more than the connections a server may have at once */
	unsigned int i, n = min(t->segments, kftp_server_conns);
	struct kftp_segment *segs;
	s64 size;
	u64 len;
	int err;

	/* SIZE's errors are told by the one stream's SIZE */
	if (kftp_session_stat(s, t->remote, t->mtime, &size) || size < 0 ||
	    (u64)size > t->max_size || (u64)size < (u64)n * KFTP_SEGMENT_MIN ||
	    n < 2)
		return 1;
	if (s->mtime_known) {
		t->dest.has_mtime = true;
		t->dest.mtime.tv_sec = s->mtime;
		t->dest.mtime.tv_nsec = s->mtime_nsec;
	}
	segs = kcalloc(n, sizeof(*segs), GFP_KERNEL_ACCOUNT);
	if (!segs)
		return -ENOMEM;
	len = div_u64(size, n);
	for (i = 0; i < n; i++) {
		segs[i].offset = i * len;
		segs[i].length = i == n - 1 ? size - i * len : len;
		segs[i].sink.t = t;
		init_completion(&segs[i].done);
		INIT_WORK(&segs[i].work, kftp_segment_work);
	}
	mutex_lock(&kftp_lock);
	t->total = size;
	t->state = KFTP_TRANSFERRING;
	/* what an earlier try wrote is written again */
	atomic64_set(&t->bytes, 0);
	t->segs = segs;
	t->nsegs = n;
	t->segs_err = 0;
	/* cancelled since: the segments start stopped */
	t->segs_stopped = t->cancelled;
	mutex_unlock(&kftp_lock);
	pr_debug("%llu = %u segments of %llu bytes\n", t->id, n, len);
	for (i = 1; i < n; i++)
		queue_work(kftp_seg_wq, &segs[i].work);
	segs[0].sink.t = t;
	segs[0].err = kftp_segment_fetch(t, &segs[0], &t->link);
	/* interruptible: a long wait is not a hung task; workers take no signal */
	for (i = 1; i < n; i++) {
		while (wait_for_completion_interruptible(&segs[i].done))
			;
	}
	mutex_lock(&kftp_lock);
	err = t->segs_err;
	t->segs = NULL;
	t->nsegs = 0;
	mutex_unlock(&kftp_lock);
	/* a range ended by a cancel, which decides nothing */
	for (i = 0; i < n && !err; i++)
		err = segs[i].err ? -ECANCELED : 0;
	kfree(segs);
	if (err == 1) {
		pr_debug("%llu = one stream: a login or REST refused\n", t->id);
		/* start over in one stream, into an empty file */
		atomic64_set(&t->bytes, 0);
		err = kftp_dest_truncate(&t->dest, 0);
		return err ? err : 1;
	}
	if (err)
		return err;
	/* every range came whole: the file is SIZE long */
	t->dest.pos = size;
	/* the ranges came out of order: the digest reads the file back */
	return t->hash ? kftp_hash_start(t, t->dest.file, size) : 0;
}

/*
 * One try: get a connection, retrieve or send the file, give the
 * connection back.
 * *again is set when the failure is worth another try.
 */
static int kftp_fetch(struct kftp_transfer *t, struct kftp_sink *sink,
		      bool *again)
{
	/* under rate=, an eighth of a second's worth at a time */
	size_t buf_size = t->rate ? min_t(u64, kftp_buf_size,
					  max_t(u64, t->rate / 8, 1024)) :
			  kftp_buf_size;
	struct kftp_stor stor = {
		.path		= t->remote,
		.mode		= t->mode,
		.buf_size	= buf_size,
		.source		= source_ops(t),
		.source_priv	= sink,
		.append		= t->append,
		.atomic		= t->atomic,
		.temp_tag	= get_random_u64(),
		.mkdirs		= t->mkdirs,
		.resume		= t->resume,
		.ascii		= t->ascii,
	};
	struct kftp_retr retr = {
		.path		= t->remote,
		.mode		= t->mode,
		.buf_size	= buf_size,
		/* the session stops the stream; 0 (RLIMIT_FSIZE 0) is the sink's */
		.max_size	= t->max_size == U64_MAX ? 0 : t->max_size,
		.sink		= &kftp_sink_ops,
		.sink_priv	= sink,
		.kind		= t->kind,
		.mtime		= t->mtime,
		/* ascii: another try starts over, offsets differ on the wire */
		.offset		= t->ascii ? 0 : t->dest.pos,
		.ascii		= t->ascii,
	};
	struct kftp_session *s;
	bool reused, keep, retried = false, ranges = t->segments > 1;
	unsigned int next = 0;
	const char *why;
	int err;

	if (t->host) {
		err = kftp_resolve(t, &why);
		if (err) {
			if (err != -ECANCELED)
				save_reply(t, why);
			/* a lookup without an answer may get one next time */
			*again = transient(NULL, err);
			return err;
		}
	}
next_addr:
	/* a name's addresses in turn (the status table shows the one used) */
	if (t->host) {
		mutex_lock(&kftp_lock);
		t->addr = t->addrs[next++];
		mutex_unlock(&kftp_lock);
	}
again:
	err = kftp_link_get(t, &reused);
	if (!t->link) {
		*again = transient(NULL, err);
		return err;
	}
	s = &t->link->session;
	/* a name's address that could not be reached: the next one */
	if (err && t->host && !t->link->connected && next < t->naddrs &&
	    !READ_ONCE(t->cancelled)) {
		kftp_link_put(t, false);
		goto next_addr;
	}
	if (!err && ranges) {
		ranges = false;
		err = kftp_fetch_ranges(t, s);
		if (err <= 0) {
			/* a range cut its stream: never reused */
			*again = err && transient(NULL, err);
			kftp_link_put(t, false);
			return err;
		}
		err = 0;
		/* one stream, on this connection if it can carry it */
		if (!kftp_session_reusable(s)) {
			kftp_link_put(t, false);
			goto again;
		}
	}
	/* segments keep the password for their logins, until the end */
	if (!err && !reused && t->attempt > t->retries && t->segments == 1) {
		/* logged in at the last try: nothing logs in again */
		kfree_sensitive(t->pass);
		t->pass = NULL;
	}
	/* a file received with read_sock or spliced needs no buffer */
	if (!err && (t->verb == KFTP_VERB_PUT ? !stor.source->send :
		     !KFTP_HAVE_RECV_DIRECT || t->kind != KFTP_RETR_FILE ||
		     t->ascii))
		err = kftp_link_buf(t->link);
	if (!err) {
		if (t->verb == KFTP_VERB_PUT) {
			stor.buf = t->link->buf;
			stor.size = i_size_read(file_inode(t->source));
			err = kftp_session_stor(s, &stor);
		} else {
			retr.buf = t->link->buf;
			err = kftp_session_retr(s, &retr);
		}
		/*
		 * The server closed a connection that sat idle (EOF or 421 to
		 * the first command): start again on a new one. Never after
		 * data reached the file (put: before the server answered).
		 */
		if (err && reused && !retried && s->retry_safe &&
		    t->dest.pos == t->dest.kept && !READ_ONCE(t->cancelled)) {
			kftp_link_put(t, false);
			retried = true;
			goto again;
		}
		keep = kftp_session_reusable(s);
		if (!err && s->mtime_known) {
			t->dest.has_mtime = true;
			t->dest.mtime.tv_sec = s->mtime;
			t->dest.mtime.tv_nsec = s->mtime_nsec;
		}
	} else {
		keep = false;	/* not logged in */
	}
	if (err && s->reply_failed)
		save_reply(t, s->parser.reply.text);
	*again = err && transient(s, err);
	kftp_link_put(t, keep);
	return err;
}

/*
 * retries=: wait 1, 2, 4, ... seconds, at most 60, before try @attempt +
 * 1, as kftp_sink's rate= waits do: a cancel of any kind ends it.
 */
static int retry_wait(struct kftp_transfer *t)
{
	unsigned int doublings = min(t->attempt - 1, 6U);
	unsigned long delay = min(1UL << doublings, 60UL) * HZ;

	mutex_lock(&kftp_lock);
	t->state = KFTP_WAITING;
	mutex_unlock(&kftp_lock);
	nap(t, delay);
	if (READ_ONCE(t->cancelled))
		return -ECANCELED;
	mutex_lock(&kftp_lock);
	t->attempt++;
	t->state = KFTP_CONNECTING;
	/* the new try's failure, if any, is the one to show */
	kfree(t->reply);
	t->reply = NULL;
	mutex_unlock(&kftp_lock);
	return 0;
}

/*
 * Tries until one succeeds, fails for good, or retries= are spent. A try
 * continues the file where the last one left it (REST of what the
 * temporary or part file has); a listing starts over.
 */
static int kftp_tries(struct kftp_transfer *t, struct kftp_sink *sink)
{
	bool again;
	int err;

	for (;;) {
		err = kftp_fetch(t, sink, &again);
		if (!again || t->attempt > t->retries || READ_ONCE(t->cancelled))
			return err;
		if (retry_wait(t))
			return -ECANCELED;
	}
}

static int kftp_transfer_run(struct kftp_transfer *t)
{
	struct kftp_sink sink = { .t = t, .link = &t->link, .pos = &t->dest.pos,
				  .hash = t->hash };
	int err;

	/* cancelled while still queued */
	if (READ_ONCE(t->cancelled))
		return -ECANCELED;
	if (t->verb == KFTP_VERB_PUT) {
		/* too big for the request: known before anything is sent */
		if ((u64)i_size_read(file_inode(t->source)) > t->max_size)
			return -EFBIG;
		/* a retry sends the file again (with resume: the rest) */
		err = kftp_tries(t, &sink);
		return READ_ONCE(t->cancelled) ? -ECANCELED : err;
	}
	err = t->resume ? kftp_dest_open_part(&t->dest) :
			  kftp_dest_open(&t->dest);
	if (err)
		return err;
	err = kftp_tries(t, &sink);
	if (READ_ONCE(t->cancelled))
		err = -ECANCELED;
	if (!err && t->hash)
		err = check_sha256(t);
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
		stop_segments_locked(t);
	wake_up_all(&t->sleep);
}

/* After cancel_locked(), kftp_lock dropped. */
static void cancel_unlocked(void)
{
	kftp_links_abort();
	kftp_links_wake();
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
	kftp_seg_wq = alloc_workqueue("kftp_seg", WQ_UNBOUND, 0);
	if (!kftp_seg_wq) {
		err = -ENOMEM;
		goto no_seg_wq;
	}
	kftp_links_init();
	err = register_pernet_subsys(&kftp_net_ops);
	if (!err)
		return 0;
	destroy_workqueue(kftp_seg_wq);
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
	destroy_workqueue(kftp_seg_wq);
	/* every deadline was cancelled by its worker, the reaper by links_exit */
	destroy_workqueue(kftp_timer_wq);

	mutex_lock(&kftp_lock);
	list_for_each_entry_safe(t, tmp, &kftp_transfers, node) {
		list_del(&t->node);
		kftp_transfer_put(t);
	}
	mutex_unlock(&kftp_lock);
}
