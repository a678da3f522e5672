// SPDX-License-Identifier: GPL-2.0
/*
 * The FTP conversation (RFC 959, RFC 2428, RFC 3659) over a transport: the
 * kernel's sockets in kftp.ko, a scripted server in KUnit, a byte buffer in
 * the fuzz harness. Every wait is the transport's, and so is its timeout.
 */
#include "proto.h"
#include "session.h"

void kftp_session_init(struct kftp_session *s,
		       const struct kftp_transport_ops *ops, void *priv)
{
	memset(s, 0, sizeof(*s));
	s->ops = ops;
	s->priv = priv;
	kftp_reply_parser_init(&s->parser);
}

/* Each @secret in the trace line becomes stars (a secret of stars too). */
static void mask(struct kftp_session *s, const char *secret)
{
	size_t len = secret ? strlen(secret) : 0;
	char *p = s->trace;

	while (len && (p = strstr(p, secret))) {
		memset(p, '*', len);
		p += len;
	}
}

/*
 * Show @len bytes of a command or reply to the transport's trace: only
 * printable bytes, and never the password, even if the server echoes it;
 * under TLS not the user name either, while logging in.
 */
static void trace_line(struct kftp_session *s, bool sent, const char *text,
		       size_t len)
{
	size_t i;

	if (!s->ops->trace)
		return;
	if (len >= sizeof(s->trace))
		len = sizeof(s->trace) - 1;
	memcpy(s->trace, text, len);
	s->trace[len] = '\0';
	mask(s, s->secret);
	mask(s, s->secret_user);
	for (i = 0; i < len; i++) {
		if (s->trace[i] < ' ' || s->trace[i] > '~')
			s->trace[i] = '?';
	}
	s->ops->trace(s->priv, sent, s->trace);
	kftp_memzero_explicit(s->trace, len);
}

void kftp_sess_conv_move(struct kftp_session *s, enum kftp_conv to)
{
	if (to > s->conv)
		s->conv = to;
}

void kftp_sess_exchange_begin(struct kftp_session *s)
{
	s->reply_failed = false;
	s->retry_safe = false;
	s->tls_failed = false;
	s->mtime_known = false;
}

void kftp_sess_first_command_failed(struct kftp_session *s, int code)
{
	if (code == 421 || (code < 0 && s->conv == KFTP_CONV_LOST))
		s->retry_safe = true;
}

/* The control connection failed or closed: nothing more can be said. */
static int ctrl_error(struct kftp_session *s, int err)
{
	kftp_sess_conv_move(s, KFTP_CONV_LOST);
	return err;
}

/* Bound the replies that follow, together, by the transport's timeout. */
static void exchange_begins(struct kftp_session *s)
{
	s->ops->ctrl_begin(s->priv);
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

	/* the greeting, or the end of a data transfer: no command before */
	exchange_begins(s);
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
	else if (s->secret_user && !strcmp(verb, "USER"))
		trace_line(s, true, "USER ***", 8);
	else
		trace_line(s, true, s->cmd, len - 2);
	exchange_begins(s);
	err = s->ops->ctrl_send(s->priv, s->cmd, len);
	return err ? ctrl_error(s, err) : 0;
}

int kftp_sess_reply_error(struct kftp_session *s)
{
	s->reply_failed = true;
	return -kftp_reply_errno(s->parser.reply.code);
}

int kftp_sess_command(struct kftp_session *s, const char *verb, const char *arg)
{
	int code = send_command(s, verb, arg);

	if (!code)
		code = read_reply(s);
	if (code > 0 && code < 200)
		return kftp_sess_reply_error(s);
	return code;
}

int kftp_sess_step_end(struct kftp_session *s, int err)
{
	int code = s->parser.reply.code;

	if (err && !(s->reply_failed && code >= 400 && code != 421))
		kftp_sess_conv_move(s, KFTP_CONV_OUT_OF_STEP);
	return err;
}

/* TLS on the control connection; nothing more is said on a failure. */
static int ctrl_tls(struct kftp_session *s)
{
	int err;

	if (!s->ops->ctrl_tls)
		return -EPROTONOSUPPORT;
	err = s->ops->ctrl_tls(s->priv, s->tls_name);
	s->tls_failed = err != 0;
	return err ? ctrl_error(s, err) : 0;
}

/*
 * AUTH TLS (RFC 4217 section 4): only 234 leads on, to the handshake. Any
 * other answer fails before USER, so nothing secret goes in the clear,
 * and there is no fall-back to it.
 */
static int auth_tls(struct kftp_session *s)
{
	int code = kftp_sess_command(s, "AUTH", "TLS");

	if (code < 0)
		return code;
	if (code != 234) {
		s->reply_failed = true;
		return -EOPNOTSUPP;
	}
	/* the LF of the 234's CR LF may be left, and nothing else */
	if (s->parser.skip_lf && s->rx_off < s->rx_len &&
	    s->rx[s->rx_off] == '\n') {
		s->rx_off++;
		s->parser.skip_lf = false;
	}
	/* bytes after 234 came in the clear: never take them as protected */
	if (s->rx_off != s->rx_len) {
		s->reply_failed = true;
		return ctrl_error(s, -EPROTO);
	}
	return ctrl_tls(s);
}

/* PBSZ 0, then PROT P (the data in TLS too) or PROT C (tls=control). */
static int protect(struct kftp_session *s)
{
	bool p = s->tls != KFTP_TLS_CONTROL;
	int code;

	code = kftp_sess_command(s, "PBSZ", "0");
	if (code < 0)
		return code;
	if (code != 200)
		return kftp_sess_reply_error(s);
	code = kftp_sess_command(s, "PROT", p ? "P" : "C");
	if (code < 0)
		return code;
	if (code != 200)
		return kftp_sess_reply_error(s);
	s->prot_p = p;
	return 0;
}

static int login(struct kftp_session *s, const char *user, const char *pass)
{
	int code;

	/* ftps://: TLS from the connect, before the greeting */
	if (s->tls == KFTP_TLS_IMPLICIT) {
		code = ctrl_tls(s);
		if (code)
			return code;
	}
	code = read_final_reply(s);
	if (code < 0)
		return code;
	if (code != 220)
		return kftp_sess_reply_error(s);
	if (s->tls == KFTP_TLS_REQUIRED || s->tls == KFTP_TLS_CONTROL) {
		code = auth_tls(s);
		if (code)
			return code;
	}

	if (s->tls)
		s->secret_user = user ? user : KFTP_ANON_USER;
	code = kftp_sess_command(s, "USER", user ? user : KFTP_ANON_USER);
	if (code == 331) {
		if (!user)
			pass = KFTP_ANON_PASS;
		s->secret = pass ? pass : "";
		code = kftp_sess_command(s, "PASS", s->secret);
		kftp_memzero_explicit(s->cmd, sizeof(s->cmd));
	}
	if (code < 0)
		return code;
	if (code != 230 && code != 202)
		return kftp_sess_reply_error(s);
	if (s->tls) {
		code = protect(s);
		if (code)
			return code;
	}

	code = kftp_sess_command(s, "TYPE", "I");
	if (code < 0)
		return code;
	return code == 200 ? 0 : kftp_sess_reply_error(s);
}

int kftp_sess_set_type(struct kftp_session *s, bool ascii)
{
	int code;

	if (!ascii && !s->ascii)
		return 0;
	code = kftp_sess_command(s, "TYPE", ascii ? "A" : "I");
	kftp_sess_first_command_failed(s, code);
	if (code < 0)
		return code;
	if (code != 200)
		return kftp_sess_reply_error(s);
	s->ascii = ascii;
	return 0;
}

int kftp_session_login(struct kftp_session *s, const char *user,
		       const char *pass)
{
	int err;

	kftp_sess_exchange_begin(s);
	err = kftp_sess_step_end(s, login(s, user, pass));
	/* the caller wipes the password after this */
	s->secret = NULL;
	s->secret_user = NULL;
	return err;
}

static int open_passive(struct kftp_session *s)
{
	const char *text = s->parser.reply.text;
	u16 port;
	int code;

	code = kftp_sess_command(s, "EPSV", NULL);
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
			return kftp_sess_reply_error(s);
		code = kftp_sess_command(s, "PASV", NULL);
		if (code < 0)
			return code;
		if (code != 227)
			return kftp_sess_reply_error(s);
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
	code = kftp_sess_command(s, "EPRT", arg);
	/* PORT is IPv4 only */
	if (code >= 500 && !ipv6) {
		snprintf(arg, sizeof(arg), "%u,%u,%u,%u,%u,%u", b[0], b[1],
			 b[2], b[3], port >> 8, port & 0xff);
		code = kftp_sess_command(s, "PORT", arg);
	}
	if (code < 0)
		return code;
	return code == 200 ? 0 : kftp_sess_reply_error(s);
}

int kftp_sess_open_data(struct kftp_session *s, enum kftp_mode mode)
{
	return mode == KFTP_MODE_ACTIVE ? open_active(s) : open_passive(s);
}

int kftp_sess_start_data(struct kftp_session *s, enum kftp_mode mode,
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
		return kftp_sess_reply_error(s);
	if (mode == KFTP_MODE_ACTIVE) {
		code = s->ops->data_accept(s->priv);
		if (code)
			return code;
	}
	if (!s->prot_p)
		return 0;
	/* PROT P: TLS on the data connection once it is there */
	if (!s->ops->data_tls)
		return -EPROTONOSUPPORT;
	code = s->ops->data_tls(s->priv, s->tls_name);
	s->tls_failed = code != 0;
	return code ? kftp_sess_data_failed(s, code) : 0;
}

/*
 * A server that wants the data connection to resume the control
 * connection's TLS session refuses it after the handshake, and tlshd
 * resumes none: vsftpd says "522 SSL connection failed: session reuse
 * required" and closes the session. Say what to change on the server.
 */
static bool reuse_refused(struct kftp_session *s)
{
	struct kftp_reply *r = &s->parser.reply;

	if (!s->prot_p || r->code != 522 || !strstr(r->text, "reuse"))
		return false;
	snprintf(r->text, sizeof(r->text), "%s",
		 "522 the server requires TLS session reuse on data connections, which kftp's handshake (tlshd) cannot do: set vsftpd require_ssl_reuse=NO or proftpd TLSOptions NoSessionReuseRequired, or use tls=control");
	kftp_sess_conv_move(s, KFTP_CONV_LOST);
	return true;
}

int kftp_sess_end_data(struct kftp_session *s)
{
	int code = read_final_reply(s);

	if (code < 0)
		return code;
	if (code == 226 || code == 250)
		return 0;
	reuse_refused(s);
	return kftp_sess_reply_error(s);
}

int kftp_sess_data_failed(struct kftp_session *s, int err)
{
	int code;

	/* what a refusal after the handshake looks like from here */
	if (!s->prot_p || (err != -EIO && err != -ECONNRESET))
		return err;
	code = read_final_reply(s);
	if (code < 0 || !reuse_refused(s))
		return err;
	return kftp_sess_reply_error(s);
}

int kftp_sess_ask_rest(struct kftp_session *s, u64 offset, u64 *start)
{
	char arg[24];
	u64 named;
	int code, err;

	snprintf(arg, sizeof(arg), "%llu", offset);
	code = kftp_sess_command(s, "REST", arg);
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
		return kftp_sess_reply_error(s);
	*start = 0;
	return 0;
}

int kftp_sess_ask_size(struct kftp_session *s, const char *path, s64 *size)
{
	int code;
	u64 val;

	*size = -1;
	code = kftp_sess_command(s, "SIZE", path);
	kftp_sess_first_command_failed(s, code);
	if (code < 0)
		return code;
	if (code == 421)
		return kftp_sess_reply_error(s);
	if (code == 213 && !kftp_parse_size(s->parser.reply.text, &val) &&
	    val <= S64_MAX)
		*size = val;
	return 0;
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
	kftp_sess_conv_move(s, KFTP_CONV_OUT_OF_STEP);
}
