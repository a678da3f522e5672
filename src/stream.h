/* SPDX-License-Identifier: GPL-2.0 */
/* A transfer's bytes on their way: get's sink and put's source (stream.c). */
#ifndef KFTP_STREAM_H
#define KFTP_STREAM_H

#include "pool.h"
#include "transfer.h"

/**
 * struct kftp_stream - one stream of a transfer's bytes, owned by its worker
 * @t: the transfer
 * @link: the connection the data goes over: &t->link, or a segment's
 * @pos: get: where the data goes in the file (t->dest.pos, a segment's)
 * @window_start: min_rate=: when the current timeout= window began
 * @window_bytes: min_rate=: t->bytes then
 * @rate_start: rate=: when the stream began
 * @rate_bytes: rate=: the bytes since
 * @read_sock: traced once: the data came by read_sock
 * @spliced: traced once: put sent the file's pages
 * @src_pos: put: the next byte of the file
 * @hash: sha256=: this stream feeds t->hash
 */
struct kftp_stream {
	struct kftp_transfer *t;
	struct kftp_link **link;
	loff_t *pos;
	unsigned long window_start;
	u64 window_bytes;
	ktime_t rate_start;
	u64 rate_bytes;
	bool read_sock;
	bool spliced;
	loff_t src_pos;
	bool hash;
};

/* get's sink: one stream into the temporary file */
extern const struct kftp_sink_ops kftp_stream_sink_ops;

/**
 * kftp_stream_source_ops() - put's source for a transfer
 * @t: the transfer, its file opened
 *
 * The file's pages go to the socket where the file can be spliced; through
 * the buffer (kernel_read()) where it cannot, and where the bytes must be
 * seen or changed on their way (type=ascii, sha256=).
 *
 * Return: the source ops, whose priv is a struct kftp_stream.
 */
const struct kftp_source_ops *
kftp_stream_source_ops(const struct kftp_transfer *t);

/**
 * kftp_stream_start() - a stream (re)starts
 * @sink: the stream
 * @offset: the bytes t->bytes counts already
 *
 * Restarts min_rate='s window and rate='s clock.
 */
void kftp_stream_start(struct kftp_stream *sink, u64 offset);

/**
 * kftp_stream_write() - bytes from a buffer into the file, counted and paced
 * @priv: the struct kftp_stream
 * @buf: the bytes
 * @len: how many
 *
 * Return: 0, -EFBIG past max_size, -ETIMEDOUT below min_rate=,
 * -ECANCELED, or the write's -errno.
 */
int kftp_stream_write(void *priv, const void *buf, size_t len);

#if KFTP_HAVE_RECV_DIRECT
/**
 * kftp_stream_recv() - up to @len bytes from the data socket into the file
 * @priv: the struct kftp_stream
 * @len: the most to take
 *
 * One copy, by kftp_conn_read(), then counted and paced.
 *
 * Return: the bytes taken, 0 at the end of the stream, or -errno.
 */
int kftp_stream_recv(void *priv, size_t len);

/**
 * kftp_stream_actor() - skbs' bytes into the file, within max_size
 * @arg: the struct kftp_stream
 * @skbs: the clones kftp_conn_read() took, each with its span
 *
 * Called with the socket unlocked; the KUnit suite drives it too.
 *
 * Return: 0, -EFBIG past max_size, -ECANCELED once the transfer is
 * cancelled, or the write's or the digest's -errno.
 */
int kftp_stream_actor(void *arg, struct sk_buff_head *skbs);
#endif

#endif
