// SPDX-License-Identifier: GPL-2.0
/*
 * The FTP conversation, the get side: RETR of a file or a range of it, a
 * listing (MLSD, LIST, NLST), SIZE and MDTM.
 */
#include "proto.h"
#include "session.h"

/*
 * An MLSD listing is machine-readable only if every line is an entry that
 * RFC 3659 section 7.2 allows, each ended (CR LF, or LF once converted):
 * checked as it streams.
 */
static int check_mlsd(struct kftp_session *s, const char *buf, size_t len)
{
	struct kftp_mlsd_entry e;
	size_t i, n;

	for (i = 0; i < len; i++) {
		if (buf[i] != '\n') {
			/* room for the entry and its CR */
			if (s->line_len == KFTP_MLSD_LINE_MAX + 1)
				return -EPROTO;
			s->line[s->line_len++] = buf[i];
			continue;
		}
		n = s->line_len;
		if (n && s->line[n - 1] == '\r')
			n--;
		if (kftp_parse_mlsd_line(s->line, n, &e))
			return -EPROTO;
		s->line_len = 0;
	}
	return 0;
}

/*
 * Receive the stream into the sink. No more than @limit bytes may come
 * (what SIZE leaves past @start, else max_size, else no limit), and at
 * most one byte past it is asked for: enough to see that the server sends
 * more, whatever it sends.
 */
static int receive_data(struct kftp_session *s, const struct kftp_retr *r,
			s64 size, u64 start, u64 *received)
{
	/* line ends are converted in the buffer: not by data_read */
	bool convert = r->ascii || r->unix_lines;
	bool direct = r->kind == KFTP_RETR_FILE && r->sink->write_data &&
		      s->ops->data_read && !convert;
	struct kftp_ascii ascii = {};
	bool end = false;
	u64 limit = U64_MAX;
	char *buf = r->buf;
	size_t want;
	char probe;
	int n, err;

	if (size >= 0)
		limit = size - start;
	else if (r->max_size)
		limit = r->max_size - start;
	for (;;) {
		/* a segment ends at its limit: what follows is another's */
		if (r->length && *received == limit)
			return 0;
		/* converted: read at buf + 1, room for a CR held back */
		want = direct && r->read_size ? r->read_size :
						r->buf_size - convert;
		if (limit - *received < want)
			want = limit - *received + !r->length;
		if (direct) {
			/* never past the limit: a byte more only to see it */
			if (*received == limit)
				n = s->ops->data_recv(s->priv, &probe, 1);
			else
				n = s->ops->data_read(s->priv,
						      want > limit - *received ?
						      want - 1 : want,
						      r->sink->write_data,
						      r->sink_priv);
			/* PROT P where kTLS has no read_sock: the buffer */
			if (n == -EOPNOTSUPP && s->prot_p && buf) {
				direct = false;
				continue;
			}
			if (n <= 0)
				return n;
			*received += n;
			if (*received > limit)
				return size >= 0 ? -EIO : -EFBIG;
			continue;
		}
		n = s->ops->data_recv(s->priv, buf + convert, want);
		if (n < 0 || (!n && !convert))
			return n;
		/* what counts, for the limit too, is what the file gets */
		if (convert) {
			end = !n;
			n = end ? kftp_ascii_from_net_end(&ascii, buf) :
				  kftp_ascii_from_net(&ascii, buf, buf + 1, n);
		}
		*received += n;
		if (*received > limit)
			return size >= 0 ? -EIO : -EFBIG;
		if (s->mlsd && check_mlsd(s, buf, n))
			return -EPROTO;
		err = n ? r->sink->write(r->sink_priv, buf, n) : 0;
		if (err || end)
			return err;
	}
}

/* MDTM: the file's time where the server tells it; 5xx: it does not. */
static int ask_mdtm(struct kftp_session *s, const char *path)
{
	int code = kftp_sess_command(s, "MDTM", path);

	if (code < 0)
		return code;
	if (code >= 500)
		return 0;
	if (code != 213)
		return kftp_sess_reply_error(s);
	if (kftp_parse_mdtm(s->parser.reply.text, &s->mtime, &s->mtime_nsec)) {
		s->reply_failed = true;
		return -EPROTO;
	}
	s->mtime_known = true;
	return 0;
}

static int retr(struct kftp_session *s, const struct kftp_retr *r)
{
	const char *text = s->parser.reply.text;
	s64 size = -1, total;
	u64 val, received = 0, start;
	int err;

	/* ascii: SIZE counts the bytes of the other form of the file */
	if (!r->ascii) {
		err = kftp_sess_ask_size(s, r->path, &size);
		if (err)
			return err;
	}
	/* too big for the request: known before any data flows */
	if (r->max_size && size >= 0 && (u64)size > r->max_size)
		return -EFBIG;
	if (r->mtime) {
		err = ask_mdtm(s, r->path);
		if (err)
			return err;
	}
	/* the part kept is longer than the file: it changed, start over */
	start = size >= 0 && r->offset > (u64)size ? 0 : r->offset;
	if (r->max_size && start > r->max_size)
		return -EFBIG;
	/* the part kept is the whole file */
	if (start && size >= 0 && (u64)size == start)
		return r->sink->begin(r->sink_priv, start, size);

	err = kftp_sess_open_data(s, r->mode);
	if (!err && start)
		err = kftp_sess_ask_rest(s, start, &start);
	if (!err)
		err = kftp_sess_start_data(s, r->mode, "RETR", r->path, false);
	if (err)
		goto out;
	total = size;
	if (total < 0 && !start && !r->ascii &&
	    !kftp_parse_150_size(text, &val))
		total = val;
	err = r->sink->begin(r->sink_priv, start, total);
	if (!err)
		err = receive_data(s, r, size, start, &received);
	s->ops->data_close(s->priv);
	if (err)
		return kftp_sess_data_failed(s, err);
	err = kftp_sess_end_data(s);
	/* a data connection closed early is only caught by the count */
	if (!err && size >= 0 && start + received != (u64)size)
		return -EIO;
	return err;

out:
	s->ops->data_close(s->priv);
	return err;
}

/*
 * A segment: r->length bytes from r->offset. The data connection is closed
 * once they came, while the server still sends: its reply to RETR (226,
 * or 426 for the cut) may come late, so the connection is left out of
 * step and never reused, rather than waited on.
 */
static int retr_range(struct kftp_session *s, const struct kftp_retr *r)
{
	u64 received = 0, start = 0;
	int err;

	if (r->max_size && (r->offset > r->max_size ||
			    r->length > r->max_size - r->offset))
		return -EFBIG;
	err = kftp_sess_open_data(s, r->mode);
	if (!err && r->offset) {
		err = kftp_sess_ask_rest(s, r->offset, &start);
		if (!err && start != r->offset)
			err = -ESPIPE;
	}
	if (!err)
		err = kftp_sess_start_data(s, r->mode, "RETR", r->path, false);
	if (!err)
		err = r->sink->begin(r->sink_priv, start, -1);
	if (!err)
		err = receive_data(s, r, start + r->length, start, &received);
	s->ops->data_close(s->priv);
	kftp_sess_conv_move(s, KFTP_CONV_OUT_OF_STEP);
	/* a data connection closed early is only caught by the count */
	if (!err && received != r->length)
		err = -EIO;
	return err;
}

static int stat_file(struct kftp_session *s, const char *path, bool mtime,
		     s64 *size)
{
	int code;

	*size = -1;
	/* SIZE counts the bytes of TYPE I */
	code = kftp_sess_set_type(s, false);
	if (code)
		return code;
	code = kftp_sess_ask_size(s, path, size);
	if (code)
		return code;
	return mtime ? ask_mdtm(s, path) : 0;
}

int kftp_session_stat(struct kftp_session *s, const char *path, bool mtime,
		      s64 *size)
{
	kftp_sess_exchange_begin(s);
	return kftp_sess_step_end(s, stat_file(s, path, mtime, size));
}

/*
 * A listing: MLSD, or LIST from a server without it (RFC 3659 section 7),
 * or NLST. The data connection of a refused MLSD is given up and a new one
 * opened for LIST: servers differ in what they do with the first.
 */
static int list(struct kftp_session *s, const struct kftp_retr *r)
{
	const char *arg = *r->path ? r->path : NULL;
	u64 received = 0;
	int err;

	err = kftp_sess_open_data(s, r->mode);
	if (err) {
		/* as SIZE for a file: the server has seen nothing of it */
		kftp_sess_first_command_failed(s, s->reply_failed ?
					s->parser.reply.code : err);
		goto out;
	}
	if (r->kind == KFTP_RETR_NAMES) {
		err = kftp_sess_start_data(s, r->mode, "NLST", arg, false);
	} else {
		s->mlsd = true;
		err = kftp_sess_start_data(s, r->mode, "MLSD", arg, true);
		if (err == -EAGAIN) {
			s->mlsd = false;
			s->ops->data_close(s->priv);
			err = kftp_sess_open_data(s, r->mode);
			if (!err)
				err = kftp_sess_start_data(s, r->mode, "LIST", arg, false);
		}
	}
	if (err)
		goto out;
	err = r->sink->begin(r->sink_priv, 0, -1);
	if (!err)
		err = receive_data(s, r, -1, 0, &received);
	s->ops->data_close(s->priv);
	if (err)
		return kftp_sess_data_failed(s, err);
	/* a listing cut short: its last line has no end */
	if (!err && s->line_len)
		err = -EPROTO;
	return err ? err : kftp_sess_end_data(s);

out:
	s->ops->data_close(s->priv);
	return err;
}

int kftp_session_retr(struct kftp_session *s, const struct kftp_retr *r)
{
	int err;

	kftp_sess_exchange_begin(s);
	s->mlsd = false;
	s->line_len = 0;
	err = kftp_sess_set_type(s, r->ascii);
	if (err)
		return kftp_sess_step_end(s, err);
	if (r->kind != KFTP_RETR_FILE)
		return kftp_sess_step_end(s, list(s, r));
	return kftp_sess_step_end(s, r->length ? retr_range(s, r) : retr(s, r));
}
