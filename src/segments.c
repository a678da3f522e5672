// SPDX-License-Identifier: GPL-2.0
/*
 * segments=N: one file in N ranges at once, each over a connection of its
 * own, into the file at their offsets; the first range runs in the
 * transfer's worker on its connection, the others on a workqueue of their
 * own, so that they never queue behind the transfers that wait for them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/math64.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "kftp_compat.h"
#include "kftp.h"
#include "context.h"
#include "deliver.h"
#include "hash.h"
#include "pool.h"
#include "transfer.h"
#include "segments.h"
#include "stream.h"

static struct workqueue_struct *kftp_seg_wq;

#define KFTP_SEGMENT_MIN	SZ_1M		/* smaller ranges: one stream */

struct kftp_segment {
	struct work_struct work;
	struct completion done;
	struct kftp_stream sink;
	struct kftp_link *link;		/* under kftp_lock, for cancel */
	loff_t pos;			/* the next byte of its range */
	u64 offset, length;
	int err;
};

void kftp_segments_stop_locked(struct kftp_transfer *t)
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
 * reply), or one stream, when the server refused a login or REST. The
 * others are stopped: what they say after that is not the cause.
 */
static void segment_failed(struct kftp_transfer *t, int err, bool one_stream,
			   struct kftp_session *s)
{
	bool first;

	mutex_lock(&kftp_lock);
	first = !t->segs_stopped;
	if (first) {
		t->segs_err = err;
		t->segs_one_stream = one_stream;
		kftp_segments_stop_locked(t);
	}
	mutex_unlock(&kftp_lock);
	kftp_links_abort();
	if (first && !one_stream && s && s->reply_failed)
		kftp_transfer_save_reply(t, s->parser.reply.text);
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
		.mode		= t->opts.mode,
		.buf_size	= kftp_buf_size,
		.sink		= &kftp_stream_range_ops,
		.sink_priv	= &g->sink,
		.kind		= KFTP_RETR_FILE,
		.offset		= g->offset,
		.length		= g->length,
	};
	struct kftp_session *s = &(*link)->session;
	int err;

	g->sink.pos = &g->pos;
	g->pos = g->offset;
	/* PROT P: kTLS records need the receive that sees their types */
	err = s->ops->data_read && !s->prot_p ? 0 : kftp_link_buf(*link);
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
	struct kftp_context_saved saved;
	bool reused;
	int err;

	kftp_context_enter(t, &saved);
	err = kftp_link_get_to(t, &g->link, &reused);
	if (!err && !reused)
		err = kftp_link_login(t, g->link);
	/* a second login refused, or no slot in time: one stream */
	if (err)
		segment_failed(t, err, err != -ECANCELED, NULL);
	else
		err = kftp_segment_fetch(t, g, &g->link);
	if (g->link)
		kftp_link_put_from(t, &g->link, false);
	kftp_context_leave(&saved);
	g->err = err;
	complete(&g->done);
}

/*
 * N ranges of SIZE bytes, or NULL when the file should come in one stream
 * (no SIZE, too big, too small for N, N < 2); *err set when it cannot.
 */
static struct kftp_segment *plan(struct kftp_transfer *t,
				 struct kftp_session *s, unsigned int *n,
				 int *err)
{
	struct kftp_segment *segs;
	unsigned int i;
	s64 size;
	u64 len;

	*err = 0;
	/* no more than the connections a server may have at once */
	*n = min(t->opts.segments, kftp_server_conns);
	/* SIZE's errors are told by the one stream's SIZE */
	if (kftp_session_stat(s, t->remote, t->opts.mtime, &size) || size < 0 ||
	    (u64)size > t->opts.max_size || (u64)size < (u64)*n * KFTP_SEGMENT_MIN ||
	    *n < 2)
		return NULL;
	kftp_transfer_take_mtime(t, s);
	segs = kcalloc(*n, sizeof(*segs), GFP_KERNEL_ACCOUNT);
	if (!segs) {
		*err = -ENOMEM;
		return NULL;
	}
	len = div_u64(size, *n);
	for (i = 0; i < *n; i++) {
		segs[i].offset = i * len;
		segs[i].length = i == *n - 1 ? size - i * len : len;
		segs[i].sink.t = t;
		init_completion(&segs[i].done);
		INIT_WORK(&segs[i].work, kftp_segment_work);
	}
	mutex_lock(&kftp_lock);
	t->total = size;
	kftp_transfer_set_state(t, KFTP_TRANSFERRING);
	/* what an earlier try wrote is written again */
	atomic64_set(&t->bytes, 0);
	t->segs = segs;
	t->nsegs = *n;
	t->segs_err = 0;
	t->segs_one_stream = false;
	/* cancelled since: the segments start stopped */
	t->segs_stopped = t->cancelled;
	mutex_unlock(&kftp_lock);
	pr_debug("%llu = %u segments of %llu bytes\n", t->id, *n, len);
	return segs;
}

/* The ranges at once, the first in this worker; the first failure's errno. */
static int run(struct kftp_transfer *t, struct kftp_segment *segs,
	       unsigned int n, bool *one_stream)
{
	unsigned int i;
	int err;

	for (i = 1; i < n; i++)
		queue_work(kftp_seg_wq, &segs[i].work);
	segs[0].err = kftp_segment_fetch(t, &segs[0], &t->link);
	/* interruptible: a long wait is not a hung task; workers take no signal */
	for (i = 1; i < n; i++) {
		while (wait_for_completion_interruptible(&segs[i].done))
			;
	}
	mutex_lock(&kftp_lock);
	err = t->segs_err;
	*one_stream = t->segs_one_stream;
	t->segs = NULL;
	t->nsegs = 0;
	mutex_unlock(&kftp_lock);
	/* a range ended by a cancel, which decides nothing */
	for (i = 0; i < n && !err && !*one_stream; i++)
		err = segs[i].err ? -ECANCELED : 0;
	return err;
}

int kftp_segments_fetch(struct kftp_transfer *t, struct kftp_session *s,
			bool *one_stream)
{
	struct kftp_segment *segs;
	unsigned int n;
	int err;

	*one_stream = false;
	segs = plan(t, s, &n, &err);
	if (!segs) {
		*one_stream = !err;
		return err;
	}
	err = run(t, segs, n, one_stream);
	kfree(segs);
	if (*one_stream) {
		pr_debug("%llu = one stream: a login or REST refused\n", t->id);
		/* start over in one stream, into an empty file */
		atomic64_set(&t->bytes, 0);
		err = kftp_dest_truncate(&t->dest, 0);
		if (err)
			*one_stream = false;
		return err;
	}
	if (err)
		return err;
	/* every range came whole: the file is SIZE long */
	t->dest.pos = t->total;
	/* the ranges came out of order: the digest reads the file back */
	return t->hash ? kftp_hash_start(t, t->dest.file, t->total) : 0;
}

int kftp_segments_init(void)
{
	kftp_seg_wq = kftp_alloc_workqueue("kftp_seg", KFTP_WQ_UNBOUND, 0);
	return kftp_seg_wq ? 0 : -ENOMEM;
}

void kftp_segments_exit(void)
{
	destroy_workqueue(kftp_seg_wq);
}
