// SPDX-License-Identifier: GPL-2.0
/*
 * A transfer's bytes on their way: get's sink (the data connection into
 * the temporary file) and put's source (the local file to the data
 * connection), one struct kftp_stream each. Every byte is counted once in
 * t->bytes and paced in one step: max_size, min_rate=, then rate=.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/math64.h>
#include <linux/sched.h>

#include "kftp_compat.h"
#include "deliver.h"
#include "hash.h"
#include "transfer.h"
#include "stream.h"

/* Too slow over the last timeout= seconds for min_rate=? */
static bool below_min_rate(struct kftp_stream *sink, u64 bytes)
{
	struct kftp_transfer *t = sink->t;
	unsigned long window = (unsigned long)t->opts.timeout * HZ;

	if (!t->opts.min_rate || time_before(jiffies, sink->window_start + window))
		return false;
	/* divided, not multiplied: min_rate may be as large as a u64 */
	if (div_u64(bytes - sink->window_bytes, t->opts.timeout) < t->opts.min_rate)
		return true;
	sink->window_start = jiffies;
	sink->window_bytes = bytes;
	return false;
}

/*
 * rate=: a token bucket filled at rate= bytes per second from the moment
 * the stream began, so the average over the transfer is what counts, not
 * each buffer. Ahead of it, the worker sleeps until the bytes since the
 * start are due. The sleep is interruptible (a kernel thread takes no
 * signal: only a wake-up ends it early) and a cancel, an unload and the
 * deadline all set t->cancelled and wake t->sleep.
 */
static int rate_wait(struct kftp_stream *sink, size_t len)
{
	struct kftp_transfer *t = sink->t;
	u64 secs, rem, due_ms;
	s64 ahead_ms;

	sink->rate_bytes += len;
	secs = kftp_div64_u64_rem(sink->rate_bytes, t->opts.rate, &rem);
	/* rem < rate <= 4G: no overflow; secs beyond a century: no matter */
	due_ms = min_t(u64, secs, U32_MAX) * MSEC_PER_SEC +
		 div64_u64(rem * MSEC_PER_SEC, t->opts.rate);
	for (;;) {
		ahead_ms = due_ms - kftp_ktime_ms_delta(ktime_get(), sink->rate_start);
		if (ahead_ms <= 0 || READ_ONCE(t->cancelled))
			break;
		kftp_transfer_nap(t, msecs_to_jiffies(min_t(s64, ahead_ms, MSEC_PER_SEC)));
	}
	return READ_ONCE(t->cancelled) ? -ECANCELED : 0;
}

void kftp_stream_start(struct kftp_stream *sink, u64 offset)
{
	sink->window_start = jiffies;
	sink->window_bytes = offset;
	sink->rate_start = ktime_get();
	sink->rate_bytes = 0;
}

/* After @n more bytes, counted in t->bytes: min_rate=, then rate= */
static int pace(struct kftp_stream *sink, size_t n)
{
	struct kftp_transfer *t = sink->t;

	if (below_min_rate(sink, atomic64_read(&t->bytes)))
		return -ETIMEDOUT;
	return t->opts.rate ? rate_wait(sink, n) : 0;
}

/* ---- the sink: data into the temporary file ---- */

static int kftp_sink_begin(void *priv, u64 offset, s64 total)
{
	struct kftp_stream *sink = priv;
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
	kftp_transfer_set_state(t, KFTP_TRANSFERRING);
	mutex_unlock(&kftp_lock);
	kftp_stream_start(sink, offset);
	return 0;
}

static int kftp_stream_write(void *priv, const void *buf, size_t len)
{
	struct kftp_stream *sink = priv;
	struct kftp_transfer *t = sink->t;
	int err;

	if (len > t->opts.max_size - *sink->pos)
		return -EFBIG;
	err = kftp_dest_write(&t->dest, buf, len, sink->pos);
	if (!err && sink->hash)
		err = kftp_hash_update(t, buf, len);
	if (err)
		return err;
	atomic64_add(len, &t->bytes);
	return pace(sink, len);
}

/*
 * data_read's actor: a batch of @len bytes into the file, the digest fed
 * in the same walk; counted and paced as kftp_stream_write() does. Called
 * with the socket unlocked, so a write blocked on storage holds no lock a
 * cancel needs.
 */
int kftp_stream_write_data(void *priv, struct kftp_data *data, size_t len)
{
	struct kftp_stream *sink = priv;
	struct kftp_transfer *t = sink->t;
	loff_t pos = *sink->pos;
	int err = 0, werr;

	if (!sink->read_sock) {
		sink->read_sock = true;
		pr_debug("%llu = data by read_sock, one copy\n", t->id);
	}
	/* the data came before a write blocked on storage: not after a cancel */
	if (READ_ONCE(t->cancelled))
		return -ECANCELED;
	if (len > t->opts.max_size - pos) {
		len = t->opts.max_size - pos;
		err = -EFBIG;
	}
	if (!len)
		return err;
	werr = kftp_dest_write_data(&t->dest, data, len, sink->pos,
				    sink->hash ? t->hash : NULL);
	atomic64_add(*sink->pos - pos, &t->bytes);
	if (werr || err)
		return werr ? werr : err;
	return pace(sink, len);
}

const struct kftp_sink_ops kftp_stream_sink_ops = {
	.begin		= kftp_sink_begin,
	.write		= kftp_stream_write,
	.write_data	= kftp_stream_write_data,
};

/* segments=: a range starts where it was told to, in the file's bytes */
static int kftp_range_begin(void *priv, u64 offset, s64 total)
{
	struct kftp_stream *sink = priv;

	if (offset != *sink->pos)
		return -EIO;
	/* min_rate= over all ranges: t->bytes counts them all */
	kftp_stream_start(sink, atomic64_read(&sink->t->bytes));
	return 0;
}

const struct kftp_sink_ops kftp_stream_range_ops = {
	.begin		= kftp_range_begin,
	.write		= kftp_stream_write,
	.write_data	= kftp_stream_write_data,
};

bool kftp_stream_needs_buffer(const struct kftp_transfer *t,
			      const struct kftp_transport_ops *ops)
{
	if (t->verb == KFTP_VERB_PUT)
		return !kftp_stream_source_ops(t, ops)->send;
	/*
	 * PROT P: where kTLS has no read_sock, the data goes through the
	 * receive that sees the records' types, into the buffer
	 */
	return !ops->data_read || t->kind != KFTP_RETR_FILE || t->opts.ascii ||
	       t->opts.tls == KFTP_TLS_REQUIRED || t->opts.tls == KFTP_TLS_IMPLICIT;
}

/* ---- put: the source, the local file as the writer opened it ---- */

static int kftp_source_begin(void *priv, u64 offset)
{
	struct kftp_stream *src = priv;
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
	t->total = i_size_read(kftp_file_inode(t->source));
	kftp_transfer_set_state(t, KFTP_TRANSFERRING);
	mutex_unlock(&kftp_lock);
	kftp_stream_start(src, offset);
	return 0;
}

static int kftp_source_read(void *priv, void *buf, size_t len)
{
	struct kftp_stream *src = priv;
	struct kftp_transfer *t = src->t;
	ssize_t n;
	int err;

	n = kftp_kernel_read(t->source, buf, len, &src->src_pos);
	if (n <= 0)
		return n;
	/* the bytes as the file has them */
	if (src->hash) {
		err = kftp_hash_update(t, buf, n);
		if (err)
			return err;
	}
	/* the file grew past max_size while it was sent */
	if (src->src_pos > t->opts.max_size)
		return -EFBIG;
	atomic64_add(n, &t->bytes);
	err = pace(src, n);
	return err ? err : n;
}

/* sha256=: the file sent is the file meant, checked before any rename */
static int kftp_source_end(void *priv)
{
	struct kftp_stream *src = priv;

	return src->hash ? kftp_transfer_check_sha256(src->t) : 0;
}

static const struct kftp_source_ops kftp_source_ops = {
	.begin	= kftp_source_begin,
	.read	= kftp_source_read,
	.end	= kftp_source_end,
};

/*
 * Zero copy: up to @len bytes of the file, its page-cache pages, straight
 * to the data connection by the transport's @send_file; never past
 * max_size, paced as read's.
 */
static int kftp_source_send(void *priv, size_t len, kftp_send_file_t send_file,
			    void *tpriv)
{
	struct kftp_stream *src = priv;
	struct kftp_transfer *t = src->t;
	u64 pos = src->src_pos;
	int n, err;

	if (!src->spliced) {
		src->spliced = true;
		pr_debug("%llu = data by splice, zero copy\n", t->id);
	}
	/* the file grew past max_size while it was sent */
	if (pos >= t->opts.max_size)
		return i_size_read(kftp_file_inode(t->source)) > pos ? -EFBIG : 0;
	len = min_t(u64, len, t->opts.max_size - pos);
	n = send_file(tpriv, t->source, &src->src_pos, len);
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

const struct kftp_source_ops *
kftp_stream_source_ops(const struct kftp_transfer *t,
		       const struct kftp_transport_ops *ops)
{
	/* the bytes must be seen: converted (ascii), or hashed (sha256=) */
	if (ops->data_send_file && t->source &&
	    t->source->f_op->splice_read && !t->opts.ascii && !t->hash)
		return &kftp_source_splice_ops;
	return &kftp_source_ops;
}
