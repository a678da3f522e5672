// SPDX-License-Identifier: GPL-2.0
/*
 * The FTP conversation, the put side: STOR or APPE, with resume, mkdirs and
 * an atomic upload under a temporary name.
 */
#include "proto.h"
#include "session.h"

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
		code = kftp_sess_command(s, "MKD", s->path);
		if (code < 0)
			return code;
		if (code != 257 && code != 550 && code != 521)
			return kftp_sess_reply_error(s);
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
	int code = kftp_sess_command(s, "SIZE", path);

	if (code < 0)
		return code;
	if (code == 421)
		return kftp_sess_reply_error(s);
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
			n = w->source->send(w->source_priv, w->buf_size,
					    s->ops->data_send_file, s->priv);
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

	err = kftp_sess_open_data(s, w->mode);
	if (!err && offset) {
		err = kftp_sess_ask_rest(s, offset, &start);
		if (!err && !start)
			verb = "APPE";
	}
	if (!err)
		err = kftp_sess_start_data(s, w->mode, verb, target, false);
	if (err) {
		s->ops->data_close(s->priv);
		return err;
	}
	*accepted = true;
	err = w->source->begin(w->source_priv, offset);
	if (!err)
		err = send_data(s, w, offset, &sent);
	/* TLS: close_notify, else the server may take the end for a cut */
	if (!err && s->ops->data_end)
		err = s->ops->data_end(s->priv);
	/* the end of the data is the end of the connection */
	s->ops->data_close(s->priv);
	/* a server that stalls would not answer either */
	if (err == -ETIMEDOUT || err == -ECANCELED)
		return err;
	code = kftp_sess_end_data(s);
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
	code = kftp_sess_command(s, "DELE", s->path);
	/* no answer, or 1xx: a reply may still come */
	if (code < 200)
		kftp_sess_conv_move(s, KFTP_CONV_OUT_OF_STEP);
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
		code = kftp_sess_command(s, "RNFR", target);
		if (code == 350)
			code = kftp_sess_command(s, "RNTO", w->path);
		if (code < 0)
			err = code;
		else if (code != 250)
			err = kftp_sess_reply_error(s);
	}
	if (err && w->atomic && accepted)
		delete_temp(s);
	return err;
}

int kftp_session_stor(struct kftp_session *s, const struct kftp_stor *w)
{
	unsigned int replies = s->replies;
	int err;

	kftp_sess_exchange_begin(s);
	err = kftp_sess_set_type(s, w->ascii);
	if (!err)
		err = stor(s, w);
	/*
	 * As for RETR: a reused connection that the server closed while it
	 * sat idle, before it answered anything of this upload but a 421.
	 */
	if (err && s->replies - replies <= 1)
		kftp_sess_first_command_failed(s, s->replies == replies ? err :
					s->parser.reply.code);
	return kftp_sess_step_end(s, err);
}
