/* SPDX-License-Identifier: GPL-2.0 */
/* A transfer's bytes on their way: get's sink and put's source (stream.c). */
#ifndef KFTP_STREAM_H
#define KFTP_STREAM_H

#include "transfer.h"

/**
 * struct kftp_stream - one stream of a transfer's bytes, owned by its worker
 * @t: the transfer
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

/* segments=: a range of the file at its own offset, on its own connection */
extern const struct kftp_sink_ops kftp_stream_range_ops;

/**
 * kftp_stream_source_ops() - put's source for a transfer
 * @t: the transfer, its file opened
 * @ops: the transport it is sent over
 *
 * The file's pages go to the socket where the transport sends files and
 * the file can be spliced; through the buffer (kernel_read()) where not,
 * and where the bytes must be seen or changed on their way (type=ascii,
 * sha256=).
 *
 * Return: the source ops, whose priv is a struct kftp_stream.
 */
const struct kftp_source_ops *
kftp_stream_source_ops(const struct kftp_transfer *t,
		       const struct kftp_transport_ops *ops);

/**
 * kftp_stream_needs_buffer() - does the transfer's data pass a buffer?
 * @t: the transfer
 * @ops: the transport it goes over
 *
 * Not a file received by the transport's data_read, nor a file it sends
 * by data_send_file: those go between socket and page cache directly.
 *
 * Return: true when the session needs kftp_buf_size bytes of buffer.
 */
bool kftp_stream_needs_buffer(const struct kftp_transfer *t,
			      const struct kftp_transport_ops *ops);

/**
 * kftp_stream_start() - a stream (re)starts
 * @sink: the stream
 * @offset: the bytes t->bytes counts already
 *
 * Restarts min_rate='s window and rate='s clock.
 */
void kftp_stream_start(struct kftp_stream *sink, u64 offset);

/**
 * kftp_stream_write_data() - data_read's batch into the file, counted, paced
 * @priv: the struct kftp_stream
 * @data: the batch, as the transport holds it
 * @len: its bytes
 *
 * One copy, into the page cache; the digest is fed in the same walk. The
 * sink ops' write_data; the KUnit suite drives it too.
 *
 * Return: 0, -EFBIG past max_size (what fits is written), -ETIMEDOUT
 * below min_rate=, -ECANCELED once the transfer is cancelled, or the
 * write's or the digest's -errno.
 */
int kftp_stream_write_data(void *priv, struct kftp_data *data, size_t len);

#endif
