// SPDX-License-Identifier: GPL-2.0
/*
 * One try of a transfer and its retries: a name's addresses in turn, a
 * logged-in connection from the pool, segments=N or one stream, the file
 * over the session, the connection back to the pool; retries= with a
 * doubling wait, and one new connection when a reused one was closed by
 * the server while it sat idle.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "kftp_compat.h"
#include "kftp.h"
#include "deliver.h"
#include "resolve.h"
#include "pool.h"
#include "transfer.h"
#include "attempt.h"
#include "segments.h"
#include "stream.h"

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

/*
 * A failed TLS handshake's REPLY: what tlshd's answer means. Its EACCES
 * covers a certificate refused and a server that answered with no TLS.
 */
static const char *tls_reason(int err)
{
	switch (err) {
	case -EKEYREJECTED:
		return "TLS: refused: the server's certificate (CA or name), or no TLS at all";
	case -ESRCH:
		return "TLS: no tlshd in the writer's network namespace";
	case -ETIMEDOUT:
		return "TLS: the handshake timed out";
	case -ECONNRESET:
		return "TLS: the server closed the connection in the handshake";
	default:
		return "TLS: the handshake failed, or kTLS could not be set up";
	}
}

/* A name's address @i is the one to connect to; the status shows it. */
static void use_addr(struct kftp_transfer *t, unsigned int i)
{
	mutex_lock(&kftp_lock);
	t->addr = t->addrs.a[i];
	mutex_unlock(&kftp_lock);
}

/* A connection attached: the status shows it, and the rate counts from now. */
static void record_link(struct kftp_transfer *t)
{
	mutex_lock(&kftp_lock);
	t->conn_id = t->link->id;
	kftp_transfer_set_state(t, KFTP_CONNECTING);
	t->started = ktime_get();
	mutex_unlock(&kftp_lock);
}

/*
 * A logged-in connection in t->link, from *@next on among a name's
 * addresses while the one tried cannot be reached. On a connect or login
 * error t->link may be set still, for its reply.
 */
static int attach_link(struct kftp_transfer *t, unsigned int *next,
		       bool *reused)
{
	int err;

	for (;;) {
		err = kftp_link_get(t, reused);
		if (!err) {
			record_link(t);
			if (!*reused)
				err = kftp_link_login(t, t->link);
		}
		if (!err || !t->link || !t->host || t->link->connected ||
		    *next >= t->addrs.n || READ_ONCE(t->cancelled))
			return err;
		kftp_link_put(t, false);
		use_addr(t, (*next)++);
	}
}

/* under rate=, an eighth of a second's worth at a time */
static size_t chunk_size(const struct kftp_transfer *t)
{
	if (!t->opts.rate)
		return kftp_buf_size;
	return min_t(u64, kftp_buf_size, max_t(u64, t->opts.rate / 8, 1024));
}

static int store(struct kftp_transfer *t, struct kftp_stream *stream,
		 struct kftp_session *s)
{
	struct kftp_stor stor = {
		.path		= t->remote,
		.mode		= t->opts.mode,
		.buf		= t->link->buf,
		.buf_size	= chunk_size(t),
		.size		= i_size_read(kftp_file_inode(t->source)),
		.source		= kftp_stream_source_ops(t, s->ops),
		.source_priv	= stream,
		.append		= t->opts.append,
		.atomic		= t->opts.atomic,
		.temp_tag	= kftp_get_random_u64(),
		.mkdirs		= t->opts.mkdirs,
		.resume		= t->opts.resume,
		.ascii		= t->opts.ascii,
	};

	return kftp_session_stor(s, &stor);
}

static int retrieve(struct kftp_transfer *t, struct kftp_stream *stream,
		    struct kftp_session *s)
{
	struct kftp_retr retr = {
		.path		= t->remote,
		.mode		= t->opts.mode,
		.buf		= t->link->buf,
		.buf_size	= chunk_size(t),
		/* rate= paces each batch: one read takes no more than a chunk */
		.read_size	= t->opts.rate ? chunk_size(t) : KFTP_DIRECT_READ,
		/* the session stops the stream; 0 (RLIMIT_FSIZE 0) is the sink's */
		.max_size	= t->opts.max_size == U64_MAX ? 0 : t->opts.max_size,
		.sink		= &kftp_stream_sink_ops,
		.sink_priv	= stream,
		.kind		= t->kind,
		.mtime		= t->opts.mtime,
		/* ascii: another try starts over, offsets differ on the wire */
		.offset		= t->opts.ascii ? 0 : t->dest.pos,
		.ascii		= t->opts.ascii,
		.unix_lines	= t->kind != KFTP_RETR_FILE && !t->opts.raw,
	};

	return kftp_session_retr(s, &retr);
}

/*
 * Before a try: the file cut back to what it holds (get), a name's
 * addresses (addr='s, or a lookup's) with the first in use and *@next the
 * one after it. *@again as attempt() sets it.
 */
static int begin(struct kftp_transfer *t, unsigned int *next, bool *again)
{
	const char *why;
	int err;

	/*
	 * A failed try with segments wrote its ranges past the file's
	 * known end, which no later try overwrites: cut them off.
	 */
	if (t->verb != KFTP_VERB_PUT) {
		err = kftp_dest_truncate(&t->dest, t->dest.pos);
		if (err) {
			*again = false;
			return err;
		}
	}
	if (t->host && t->opts.addrs.n) {
		/* addr=: the writer resolved the name */
		t->addrs = t->opts.addrs;
	} else if (t->host) {
		err = kftp_resolve(t, &t->addrs, &why);
		if (err) {
			if (err != -ECANCELED)
				kftp_transfer_save_reply(t, why);
			/* a lookup without an answer may get one next time */
			*again = transient(NULL, err);
			return err;
		}
	}
	if (t->host)
		use_addr(t, (*next)++);
	return 0;
}

/*
 * One try: resolve a name (unless addr= gave its addresses), get a
 * connection, retrieve or send the file, give the connection back. *@again
 * is set when the failure is worth another try.
 */
static int attempt(struct kftp_transfer *t, struct kftp_stream *stream,
		   bool *again)
{
	bool reused, keep = false, retried = false, one_stream;
	bool ranges = t->opts.segments > 1;
	struct kftp_session *s;
	unsigned int next = 0;
	int err;

	err = begin(t, &next, again);
	if (err)
		return err;
	for (;;) {
		err = attach_link(t, &next, &reused);
		if (!t->link) {
			*again = transient(NULL, err);
			return err;
		}
		s = &t->link->session;
		if (!err && ranges) {
			ranges = false;
			err = kftp_segments_fetch(t, s, &one_stream);
			if (!one_stream) {
				/* a range cut its stream: never reused */
				*again = err && transient(NULL, err);
				kftp_link_put(t, false);
				return err;
			}
			/* one stream, on this connection if it can carry it */
			if (!kftp_session_reusable(s)) {
				kftp_link_put(t, false);
				continue;
			}
		}
		/* segments keep the password for their logins, until the end */
		if (!err && !reused && t->attempt > t->opts.retries && t->opts.segments == 1) {
			/* logged in at the last try: nothing logs in again */
			kftp_kfree_sensitive(t->pass);
			t->pass = NULL;
		}
		if (!err && kftp_stream_needs_buffer(t, s->ops))
			err = kftp_link_buf(t->link);
		/* not logged in, or no buffer */
		if (err)
			break;
		err = t->verb == KFTP_VERB_PUT ? store(t, stream, s) :
						 retrieve(t, stream, s);
		/*
		 * The server closed a connection that sat idle (EOF or 421 to
		 * the first command): start again on a new one. Never after
		 * data reached the file (put: before the server answered).
		 */
		if (err && reused && !retried && s->retry_safe &&
		    t->dest.pos == t->dest.kept && !READ_ONCE(t->cancelled)) {
			kftp_link_put(t, false);
			retried = true;
			continue;
		}
		keep = kftp_session_reusable(s);
		if (!err)
			kftp_transfer_take_mtime(t, s);
		break;
	}
	if (err && s->reply_failed)
		kftp_transfer_save_reply(t, s->parser.reply.text);
	else if (err && s->tls_failed && err != -ECANCELED)
		kftp_transfer_save_reply(t, tls_reason(err));
	*again = err && transient(s, err);
	kftp_link_put(t, keep);
	return err;
}

/*
 * retries=: wait 1, 2, 4, ... seconds, at most 60, before try @attempt +
 * 1, as a stream's rate= waits do: a cancel of any kind ends it.
 */
static int retry_wait(struct kftp_transfer *t)
{
	unsigned int doublings = min(t->attempt - 1, 6U);
	unsigned long delay = min(1UL << doublings, 60UL) * HZ;

	mutex_lock(&kftp_lock);
	kftp_transfer_set_state(t, KFTP_WAITING);
	mutex_unlock(&kftp_lock);
	kftp_transfer_nap(t, delay);
	if (READ_ONCE(t->cancelled))
		return -ECANCELED;
	mutex_lock(&kftp_lock);
	t->attempt++;
	kftp_transfer_set_state(t, KFTP_CONNECTING);
	/* the new try's failure, if any, is the one to show */
	kfree(t->reply);
	t->reply = NULL;
	mutex_unlock(&kftp_lock);
	return 0;
}

int kftp_attempts(struct kftp_transfer *t, struct kftp_stream *stream)
{
	bool again;
	int err;

	for (;;) {
		err = attempt(t, stream, &again);
		if (!again || t->attempt > t->opts.retries || READ_ONCE(t->cancelled))
			return err;
		if (retry_wait(t))
			return -ECANCELED;
	}
}
