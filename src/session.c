// SPDX-License-Identifier: GPL-2.0
/*
 * The FTP conversation (RFC 959, RFC 2428, RFC 3659) over a transport: the
 * kernel's sockets in kftp.ko, a scripted server in KUnit, a byte buffer in
 * the fuzz harness. Every wait is the transport's, and so is its timeout.
 */
#include "proto.h"

void kftp_session_init(struct kftp_session *s,
		       const struct kftp_transport_ops *ops, void *priv)
{
	memset(s, 0, sizeof(*s));
	s->ops = ops;
	s->priv = priv;
	kftp_reply_parser_init(&s->parser);
}

/*
 * Show @len bytes of a command or reply to the transport's trace: only
 * printable bytes, and never the password, even if the server echoes it.
 */
static void trace_line(struct kftp_session *s, bool sent, const char *text,
		       size_t len)
{
	size_t i, plen = s->secret ? strlen(s->secret) : 0;
	char *p;

	if (!s->ops->trace)
		return;
	if (len >= sizeof(s->trace))
		len = sizeof(s->trace) - 1;
	memcpy(s->trace, text, len);
	s->trace[len] = '\0';
	while (plen && (p = strstr(s->trace, s->secret)))
		memset(p, '*', plen);
	for (i = 0; i < len; i++) {
		if (s->trace[i] < ' ' || s->trace[i] > '~')
			s->trace[i] = '?';
	}
	s->ops->trace(s->priv, sent, s->trace);
	memzero_explicit(s->trace, len);
}

/*
 * In step, out of step, lost: never back. A session starts in step
 * (zeroed), and only a new connection starts a new one.
 */
static void conv_move(struct kftp_session *s, enum kftp_conv to)
{
	if (to > s->conv)
		s->conv = to;
}

/* A login, a transfer or a SIZE starts: its outcome is its own. */
static void exchange_begin(struct kftp_session *s)
{
	s->reply_failed = false;
	s->retry_safe = false;
	s->mtime_known = false;
}

/*
 * The first command of a transfer got @code (a reply's, or -errno): a
 * control connection lost before any answer, or 421, means the server has
 * seen nothing of the transfer, which may start again on a new connection.
 */
static void first_command_failed(struct kftp_session *s, int code)
{
	if (code == 421 || (code < 0 && s->conv == KFTP_CONV_LOST))
		s->retry_safe = true;
}

/* The control connection failed or closed: nothing more can be said. */
static int ctrl_error(struct kftp_session *s, int err)
{
	conv_move(s, KFTP_CONV_LOST);
	return err;
}

/* Read one whole reply; returns its code or -errno. */
static int read_reply(struct kftp_session *s)
{
	bool done;
	int n;

	for (;;) {
		if (s->rx_off == s->rx_len) {
			n = s->ops->ctrl_recv(s->priv, s->rx, sizeof(s->rx));
			if (n <= 0)
				return ctrl_error(s, n ? n : -ECONNRESET);
			s->rx_off = 0;
			s->rx_len = n;
		}
		n = kftp_reply_feed(&s->parser, s->rx + s->rx_off,
				    s->rx_len - s->rx_off, &done);
		if (n < 0)
			return n;
		s->rx_off += n;
		if (done) {
			s->replies++;
			trace_line(s, false, s->parser.reply.text,
				   strlen(s->parser.reply.text));
			return s->parser.reply.code;
		}
	}
}

/*
 * Read replies up to the first that is not preliminary (1xx), where RFC 959
 * allows them: 120 before the greeting, 110 markers before the end of RETR.
 */
static int read_final_reply(struct kftp_session *s)
{
	int i, code;

	for (i = 0; i <= KFTP_PRELIM_MAX; i++) {
		code = read_reply(s);
		if (code < 0 || code >= 200)
			return code;
	}
	return -EPROTO;
}

static int send_command(struct kftp_session *s, const char *verb,
			const char *arg)
{
	int len, err;

	if (arg && strpbrk(arg, "\r\n"))
		return -EINVAL;
	if (arg)
		len = snprintf(s->cmd, sizeof(s->cmd), "%s %s\r\n", verb, arg);
	else
		len = snprintf(s->cmd, sizeof(s->cmd), "%s\r\n", verb);
	if (len >= (int)sizeof(s->cmd))
		return -EINVAL;
	if (s->secret && !strcmp(verb, "PASS"))
		trace_line(s, true, "PASS ***", 8);
	else
		trace_line(s, true, s->cmd, len - 2);
	err = s->ops->ctrl_send(s->priv, s->cmd, len);
	return err ? ctrl_error(s, err) : 0;
}

/* The step failed on the reply just read: keep it for the status table. */
static int reply_error(struct kftp_session *s)
{
	s->reply_failed = true;
	return -kftp_reply_errno(s->parser.reply.code);
}

/*
 * Send a command that has no preliminary reply (RFC 959 section 5.4:
 * USER, PASS, TYPE, SIZE, EPSV, PASV, EPRT, PORT; RFC 3659: MDTM, REST)
 * and return the code of its reply or -errno. A 1xx is out of step: the
 * real reply would still be pending and be taken for the answer to the
 * next command.
 */
static int command(struct kftp_session *s, const char *verb, const char *arg)
{
	int code = send_command(s, verb, arg);

	if (!code)
		code = read_reply(s);
	if (code > 0 && code < 200)
		return reply_error(s);
	return code;
}

/*
 * Only success and a server's final refusal leave the conversation in step:
 * nothing is pending then. 421 ends the session, and any other failure may
 * leave a reply or data unread.
 */
static int step_end(struct kftp_session *s, int err)
{
	int code = s->parser.reply.code;

	if (err && !(s->reply_failed && code >= 400 && code != 421))
		conv_move(s, KFTP_CONV_OUT_OF_STEP);
	return err;
}

static int login(struct kftp_session *s, const char *user, const char *pass)
{
	int code;

	code = read_final_reply(s);
	if (code < 0)
		return code;
	if (code != 220)
		return reply_error(s);

	code = command(s, "USER", user ? user : KFTP_ANON_USER);
	if (code == 331) {
		if (!user)
			pass = KFTP_ANON_PASS;
		s->secret = pass ? pass : "";
		code = command(s, "PASS", s->secret);
		memzero_explicit(s->cmd, sizeof(s->cmd));
	}
	if (code < 0)
		return code;
	if (code != 230 && code != 202)
		return reply_error(s);

	code = command(s, "TYPE", "I");
	if (code < 0)
		return code;
	return code == 200 ? 0 : reply_error(s);
}

/*
 * type=ascii: TYPE A before each such transfer, TYPE I before the next
 * binary one on the connection. When sent, it is the transfer's first
 * command: a connection the server closed while it sat idle may be
 * retried, as for SIZE. A refusal fails the transfer: the data would not
 * be what was asked for.
 */
static int set_type(struct kftp_session *s, bool ascii)
{
	int code;

	if (!ascii && !s->ascii)
		return 0;
	code = command(s, "TYPE", ascii ? "A" : "I");
	first_command_failed(s, code);
	if (code < 0)
		return code;
	if (code != 200)
		return reply_error(s);
	s->ascii = ascii;
	return 0;
}

int kftp_session_login(struct kftp_session *s, const char *user,
		       const char *pass)
{
	int err;

	exchange_begin(s);
	err = step_end(s, login(s, user, pass));
	/* the caller wipes the password after this */
	s->secret = NULL;
	return err;
}

static int open_passive(struct kftp_session *s)
{
	const char *text = s->parser.reply.text;
	u16 port;
	int code;

	code = command(s, "EPSV", NULL);
	if (code < 0)
		return code;
	if (code == 229) {
		if (kftp_parse_epsv(text, &port))
			goto bad_reply;
	} else {
		/*
		 * 421 ends the session; any other refusal means "try PASV",
		 * which cannot say an IPv6 address (RFC 2428 section 1).
		 */
		if (code < 500 || s->ipv6)
			return reply_error(s);
		code = command(s, "PASV", NULL);
		if (code < 0)
			return code;
		if (code != 227)
			return reply_error(s);
		if (kftp_parse_pasv(text, &port))
			goto bad_reply;
	}
	return s->ops->data_connect(s->priv, port);

bad_reply:
	s->reply_failed = true;
	return -EPROTO;
}

static int open_active(struct kftp_session *s)
{
	char text[KFTP_ADDR_STRLEN], arg[KFTP_ADDR_STRLEN + 16];
	struct kftp_addr a;
	const u8 *b = a.bytes;
	bool ipv6;
	u16 port;
	int code, err;

	/* on the control connection's local address, so of its family */
	err = s->ops->data_listen(s->priv, &a, &port);
	if (err)
		return err;
	ipv6 = a.family == KFTP_AF_INET6;
	kftp_format_addr(&a, text);
	snprintf(arg, sizeof(arg), "|%u|%s|%u|", ipv6 ? 2 : 1, text, port);
	code = command(s, "EPRT", arg);
	/* PORT is IPv4 only */
	if (code >= 500 && !ipv6) {
		snprintf(arg, sizeof(arg), "%u,%u,%u,%u,%u,%u", b[0], b[1],
			 b[2], b[3], port >> 8, port & 0xff);
		code = command(s, "PORT", arg);
	}
	if (code < 0)
		return code;
	return code == 200 ? 0 : reply_error(s);
}

/*
 * An MLSD listing is machine-readable only if every line is an entry that
 * RFC 3659 section 7.2 allows, CRLF-terminated: checked as it streams.
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
	/* read_sock cannot convert: ascii takes the buffer */
	bool direct = r->kind == KFTP_RETR_FILE && r->sink->recv && !r->ascii;
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
		/* ascii: read at buf + 1, room for a CR held back */
		want = r->buf_size - r->ascii;
		if (limit - *received < want)
			want = limit - *received + !r->length;
		if (direct) {
			/* never past the limit: a byte more only to see it */
			if (*received == limit)
				n = s->ops->data_recv(s->priv, &probe, 1);
			else
				n = r->sink->recv(r->sink_priv,
						  want > limit - *received ?
						  want - 1 : want);
			if (n <= 0)
				return n;
			*received += n;
			if (*received > limit)
				return size >= 0 ? -EIO : -EFBIG;
			continue;
		}
		n = s->ops->data_recv(s->priv, buf + r->ascii, want);
		if (n < 0 || (!n && !r->ascii))
			return n;
		/* what counts, for the limit too, is what the file gets */
		if (r->ascii) {
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

static int open_data(struct kftp_session *s, enum kftp_mode mode)
{
	return mode == KFTP_MODE_ACTIVE ? open_active(s) : open_passive(s);
}

/*
 * A command that opens the data stream: its first reply must be 125 or
 * 150 (any other, 110 or 120 too, fails, and a 150 may be pending). In
 * active mode the server then connects. Returns 0 or -errno; -EAGAIN with
 * the reply left unjudged when @fallback and the server says 500 or 502.
 */
static int start_data(struct kftp_session *s, enum kftp_mode mode,
		      const char *verb, const char *arg, bool fallback)
{
	int code = send_command(s, verb, arg);

	if (!code)
		code = read_reply(s);
	if (code < 0)
		return code;
	if (fallback && (code == 500 || code == 502))
		return -EAGAIN;
	if (code != 125 && code != 150)
		return reply_error(s);
	return mode == KFTP_MODE_ACTIVE ? s->ops->data_accept(s->priv) : 0;
}

/* The data has come: the server's final word on it. */
static int end_data(struct kftp_session *s)
{
	int code = read_final_reply(s);

	if (code < 0)
		return code;
	return code == 226 || code == 250 ? 0 : reply_error(s);
}

/* MDTM: the file's time where the server tells it; 5xx: it does not. */
static int ask_mdtm(struct kftp_session *s, const char *path)
{
	int code = command(s, "MDTM", path);

	if (code < 0)
		return code;
	if (code >= 500)
		return 0;
	if (code != 213)
		return reply_error(s);
	if (kftp_parse_mdtm(s->parser.reply.text, &s->mtime, &s->mtime_nsec)) {
		s->reply_failed = true;
		return -EPROTO;
	}
	s->mtime_known = true;
	return 0;
}

/*
 * REST @offset, right before RETR as RFC 959 wants: *start is @offset
 * once the server agreed, 0 when it refused (the file comes whole).
 */
static int ask_rest(struct kftp_session *s, u64 offset, u64 *start)
{
	char arg[24];
	u64 named;
	int code, err;

	snprintf(arg, sizeof(arg), "%llu", offset);
	code = command(s, "REST", arg);
	if (code < 0)
		return code;
	if (code == 350) {
		err = kftp_parse_rest(s->parser.reply.text, &named);
		if (err == -EPROTO || (!err && named != offset)) {
			s->reply_failed = true;
			return -EPROTO;
		}
		*start = offset;
		return 0;
	}
	/* 421 ends the session; any other refusal: start over */
	if (code < 400 || code == 421)
		return reply_error(s);
	*start = 0;
	return 0;
}

/*
 * SIZE of @path into *@size, -1 when the server does not tell. A reused
 * connection that the server closed while idle, or its 421, leaves the
 * transfer safe to retry on a fresh one.
 */
static int ask_size(struct kftp_session *s, const char *path, s64 *size)
{
	int code;
	u64 val;

	*size = -1;
	code = command(s, "SIZE", path);
	first_command_failed(s, code);
	if (code < 0)
		return code;
	if (code == 421)
		return reply_error(s);
	if (code == 213 && !kftp_parse_size(s->parser.reply.text, &val) &&
	    val <= S64_MAX)
		*size = val;
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
		err = ask_size(s, r->path, &size);
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

	err = open_data(s, r->mode);
	if (!err && start)
		err = ask_rest(s, start, &start);
	if (!err)
		err = start_data(s, r->mode, "RETR", r->path, false);
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
		return err;
	err = end_data(s);
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
	err = open_data(s, r->mode);
	if (!err && r->offset) {
		err = ask_rest(s, r->offset, &start);
		if (!err && start != r->offset)
			err = -ESPIPE;
	}
	if (!err)
		err = start_data(s, r->mode, "RETR", r->path, false);
	if (!err)
		err = r->sink->begin(r->sink_priv, start, -1);
	if (!err)
		err = receive_data(s, r, start + r->length, start, &received);
	s->ops->data_close(s->priv);
	conv_move(s, KFTP_CONV_OUT_OF_STEP);
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
	code = set_type(s, false);
	if (code)
		return code;
	code = ask_size(s, path, size);
	if (code)
		return code;
	return mtime ? ask_mdtm(s, path) : 0;
}

int kftp_session_stat(struct kftp_session *s, const char *path, bool mtime,
		      s64 *size)
{
	exchange_begin(s);
	return step_end(s, stat_file(s, path, mtime, size));
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

	err = open_data(s, r->mode);
	if (err) {
		/* as SIZE for a file: the server has seen nothing of it */
		first_command_failed(s, s->reply_failed ?
					s->parser.reply.code : err);
		goto out;
	}
	if (r->kind == KFTP_RETR_NAMES) {
		err = start_data(s, r->mode, "NLST", arg, false);
	} else {
		s->mlsd = true;
		err = start_data(s, r->mode, "MLSD", arg, true);
		if (err == -EAGAIN) {
			s->mlsd = false;
			s->ops->data_close(s->priv);
			err = open_data(s, r->mode);
			if (!err)
				err = start_data(s, r->mode, "LIST", arg, false);
		}
	}
	if (err)
		goto out;
	err = r->sink->begin(r->sink_priv, 0, -1);
	if (!err)
		err = receive_data(s, r, -1, 0, &received);
	s->ops->data_close(s->priv);
	/* a listing cut short: its last line has no end */
	if (!err && s->line_len)
		err = -EPROTO;
	return err ? err : end_data(s);

out:
	s->ops->data_close(s->priv);
	return err;
}

int kftp_session_retr(struct kftp_session *s, const struct kftp_retr *r)
{
	int err;

	exchange_begin(s);
	s->mlsd = false;
	s->line_len = 0;
	err = set_type(s, r->ascii);
	if (err)
		return step_end(s, err);
	if (r->kind != KFTP_RETR_FILE)
		return step_end(s, list(s, r));
	return step_end(s, r->length ? retr_range(s, r) : retr(s, r));
}

/*
 * mkdirs: MKD each parent of @path, one level at a time. 257 made it;
 * 550 and 521 (RFC 959's "exists", and what servers say for one that
 * does) are not errors: a real refusal fails the STOR that follows.
 */
static int make_dirs(struct kftp_session *s, const char *path)
{
	const char *slash;
	size_t len;
	int code;

	for (slash = strchr(path, '/'); slash; slash = strchr(slash + 1, '/')) {
		len = slash - path;
		/* the root, and the empty name of a doubled slash */
		if (!len || path[len - 1] == '/')
			continue;
		memcpy(s->path, path, len);
		s->path[len] = '\0';
		code = command(s, "MKD", s->path);
		if (code < 0)
			return code;
		if (code != 257 && code != 550 && code != 521)
			return reply_error(s);
	}
	return 0;
}

/* atomic: ".kftp-<16 hex>-NAME" beside the remote file, in s->path */
static void temp_name(struct kftp_session *s, const struct kftp_stor *w)
{
	const char *base = strrchr(w->path, '/');
	int dir = base ? base + 1 - w->path : 0;

	snprintf(s->path, sizeof(s->path), "%.*s.kftp-%016llx-%s", dir,
		 w->path, (unsigned long long)w->temp_tag, w->path + dir);
}

/* SIZE of @path: 1 and *@size when the server says 213, 0 when not. */
static int remote_size(struct kftp_session *s, const char *path, u64 *size)
{
	int code = command(s, "SIZE", path);

	if (code < 0)
		return code;
	if (code == 421)
		return reply_error(s);
	return code == 213 && !kftp_parse_size(s->parser.reply.text, size);
}

/*
 * Send the file from @offset to its end, through the buffer or by the
 * source itself. A file that ends before the size it had when the upload
 * began was cut while it was sent: -EIO, whatever the server answers.
 * *@sent counts the file's bytes (ascii: before the conversion).
 */
static int send_data(struct kftp_session *s, const struct kftp_stor *w,
		     u64 offset, u64 *sent)
{
	/* ascii: half a buffer of the file, converted into all of it */
	size_t half = w->ascii ? w->buf_size / 2 : 0;
	struct kftp_ascii ascii = {};
	char *buf = w->buf;
	int n, len, err;

	for (;;) {
		if (w->source->send) {
			n = w->source->send(w->source_priv, w->buf_size);
		} else {
			n = w->source->read(w->source_priv, buf + half,
					    half ? half : w->buf_size);
			len = n;
			if (half && n > 0)
				len = kftp_ascii_to_net(&ascii, buf, buf + half,
							n);
			err = n > 0 ? s->ops->data_send(s->priv, buf, len) : 0;
			if (err)
				return err;
		}
		if (n < 0)
			return n;
		if (!n)
			return offset + *sent < w->size ? -EIO : 0;
		*sent += n;
	}
}

/*
 * The upload proper, to @target, from byte @offset of the file (REST
 * @offset, or APPE when the server refuses REST). 0 once the server has
 * every byte, as its 226 and its SIZE (when it answers) say; @before is
 * the remote size before, -1 when unknown. *@accepted once the server
 * took the STOR or APPE.
 */
static int upload(struct kftp_session *s, const struct kftp_stor *w,
		  const char *verb, const char *target, u64 offset, s64 before,
		  bool *accepted)
{
	u64 sent = 0, size, start = 0;
	int code, err;

	err = open_data(s, w->mode);
	if (!err && offset) {
		err = ask_rest(s, offset, &start);
		if (!err && !start)
			verb = "APPE";
	}
	if (!err)
		err = start_data(s, w->mode, verb, target, false);
	if (err) {
		s->ops->data_close(s->priv);
		return err;
	}
	*accepted = true;
	err = w->source->begin(w->source_priv, offset);
	if (!err)
		err = send_data(s, w, offset, &sent);
	/* the end of the data is the end of the connection */
	s->ops->data_close(s->priv);
	/* a server that stalls would not answer either */
	if (err == -ETIMEDOUT || err == -ECANCELED)
		return err;
	code = end_data(s);
	/* the server's reason (552, 426) explains a cut connection best */
	if (code && (s->reply_failed || !err))
		return code;
	if (err)
		return err;
	/* APPE to a file of unknown size, or ascii: nothing to compare */
	if (before < 0 || w->ascii)
		return 0;
	code = remote_size(s, target, &size);
	if (code < 0)
		return code;
	/* a data connection cut short is only caught by the count */
	if (code && size != (u64)before + sent)
		return -EIO;
	return 0;
}

/* atomic, on failure: remove the temporary name, keep the failure's reply */
static void delete_temp(struct kftp_session *s)
{
	bool failed = s->reply_failed;
	int code;

	if (s->conv == KFTP_CONV_LOST)
		return;
	s->failed = s->parser.reply;
	code = command(s, "DELE", s->path);
	/* no answer, or 1xx: a reply may still come */
	if (code < 200)
		conv_move(s, KFTP_CONV_OUT_OF_STEP);
	s->parser.reply = s->failed;
	s->reply_failed = failed;
}

static int stor(struct kftp_session *s, const struct kftp_stor *w)
{
	const char *verb = w->append ? "APPE" : "STOR";
	const char *target = w->path;
	bool accepted = false;
	u64 offset = 0, size;
	s64 before = 0;
	int code, err;

	if (w->mkdirs) {
		err = make_dirs(s, w->path);
		if (err)
			return err;
	}
	if (w->append || w->resume) {
		code = remote_size(s, w->path, &size);
		if (code < 0)
			return code;
		before = code ? (s64)size : -1;
		/* no SIZE (or no file yet): all of it */
		if (w->resume && (!code || size > w->size))
			before = 0;
	}
	if (w->resume && before) {
		/* as long already: nothing to send, the file is checked */
		if ((u64)before == w->size) {
			err = w->source->begin(w->source_priv, before);
			if (!err && w->source->end)
				err = w->source->end(w->source_priv);
			return err;
		}
		offset = before;
	}
	if (w->atomic) {
		temp_name(s, w);
		target = s->path;
	}
	err = upload(s, w, verb, target, offset, before, &accepted);
	/* before RNFR: a file that fails the check never gets its name */
	if (!err && w->source->end)
		err = w->source->end(w->source_priv);
	if (!err && w->atomic) {
		code = command(s, "RNFR", target);
		if (code == 350)
			code = command(s, "RNTO", w->path);
		if (code < 0)
			err = code;
		else if (code != 250)
			err = reply_error(s);
	}
	if (err && w->atomic && accepted)
		delete_temp(s);
	return err;
}

int kftp_session_stor(struct kftp_session *s, const struct kftp_stor *w)
{
	unsigned int replies = s->replies;
	int err;

	exchange_begin(s);
	err = set_type(s, w->ascii);
	if (!err)
		err = stor(s, w);
	/*
	 * As for RETR: a reused connection that the server closed while it
	 * sat idle, before it answered anything of this upload but a 421.
	 */
	if (err && s->replies - replies <= 1)
		first_command_failed(s, s->replies == replies ? err :
					s->parser.reply.code);
	return step_end(s, err);
}

bool kftp_session_reusable(const struct kftp_session *s)
{
	return s->conv == KFTP_CONV_IN_STEP;
}

void kftp_session_quit(struct kftp_session *s)
{
	/*
	 * The outcome is known and the connection is closed next: waiting
	 * for 221 would only let a silent server hold up the teardown.
	 */
	send_command(s, "QUIT", NULL);
	conv_move(s, KFTP_CONV_OUT_OF_STEP);
}
