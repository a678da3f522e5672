// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the protocol core, built from the same files as
 * kftp.ko. The first input byte picks the target:
 *   0: request lines    1: reply framing    2: a whole session
 *   3: IPv6 address text
 *   4: an MLSD entry    5: an MDTM reply    6: a 350 reply to REST
 *   7: a whole session, with listings, MDTM and REST
 *   8: an upload    9: type=ascii's line end conversion
 * Invariants are checked with abort(), so a broken one is a crash.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <strings.h>

#include "../../src/proto.h"

static void check(bool ok)
{
	if (!ok)
		abort();
}

/* No control byte and no 0xff (Telnet IAC) reaches an FTP command. */
static bool clean(const char *s)
{
	for (; s && *s; s++) {
		if ((u8)*s < ' ' || (u8)*s == 0x7f || (u8)*s == 0xff)
			return false;
	}
	return true;
}

/*
 * An address taken is one libc's inet_pton() takes too, with the same
 * bytes, and its text (RFC 5952) reads back to it.
 */
static void check_addr(const struct kftp_addr *a)
{
	char text[KFTP_ADDR_STRLEN];
	u8 back[16];

	check(a->family == KFTP_AF_INET || a->family == KFTP_AF_INET6);
	check(!a->scope);
	kftp_format_addr(a, text);
	check(strlen(text) < sizeof(text));
	if (a->family == KFTP_AF_INET) {
		check(!memcmp(a->bytes + 4, "\0\0\0\0\0\0\0\0\0\0\0\0", 12));
		check(inet_pton(AF_INET, text, back) == 1 && !memcmp(back, a->bytes, 4));
	} else {
		check(inet_pton(AF_INET6, text, back) == 1 && !memcmp(back, a->bytes, 16));
	}
}

/* Every IPv6 text kftp takes, libc takes, and reads as the same bytes. */
static void fuzz_ipv6(const u8 *data, size_t len)
{
	char text[64];
	u8 a[16], b[16];

	if (len >= sizeof(text) || memchr(data, '\0', len))
		return;
	memcpy(text, data, len);
	text[len] = '\0';
	if (kftp_parse_ipv6(text, len, a))
		return;
	check(inet_pton(AF_INET6, text, b) == 1 && !memcmp(a, b, 16));
}

static bool name_chars(const char *s)
{
	for (; *s; s++) {
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '.')
			return false;
	}
	return true;
}

/* The line holds "sha256=" and the 64 hex digits of @digest, in any case. */
static bool has_sha256_text(const u8 *data, size_t len,
			    const u8 digest[KFTP_SHA256_SIZE])
{
	char want[8 + 2 * KFTP_SHA256_SIZE];
	size_t i, n = 7 + 2 * KFTP_SHA256_SIZE;

	memcpy(want, "sha256=", 7);
	for (i = 0; i < KFTP_SHA256_SIZE; i++)
		snprintf(want + 7 + 2 * i, 3, "%02x", digest[i]);
	for (i = 0; i + n <= len; i++) {
		if (!strncasecmp((const char *)data + i, want, n))
			return true;
	}
	return false;
}

static void fuzz_request(const u8 *data, size_t len)
{
	static struct kftp_request req;
	const struct kftp_options *o = &req.opts;
	const char *reason = NULL;
	unsigned int i;
	int err;

	err = kftp_request_parse((const char *)data, len, &req, &reason);
	if (err < 0) {
		check(err == -EINVAL && reason);
		return;
	}
	if (err == 1)
		return;
	if (req.verb == KFTP_VERB_CANCEL) {
		check(req.cancel_id >= 1 && !req.local_path && !req.url.path);
		return;
	}
	check((req.verb == KFTP_VERB_GET || req.verb == KFTP_VERB_LIST ||
	       req.verb == KFTP_VERB_PUT) && !req.cancel_id);
	check(req.local_path[0] == '/');
	/* get names a file; list may name the login directory */
	check(req.verb == KFTP_VERB_LIST || req.url.path[0]);
	check(!o->names || req.verb == KFTP_VERB_LIST);
	check(!o->mtime || req.verb == KFTP_VERB_GET);
	check(!o->resume || req.verb != KFTP_VERB_LIST);
	check(!(o->append || o->atomic) || req.verb == KFTP_VERB_PUT);
	check(o->append + o->atomic + o->resume <= 1);
	check(!o->has_sha256 || (req.verb != KFTP_VERB_LIST &&
				 has_sha256_text(data, len, o->sha256)));
	check(o->retries <= KFTP_RETRIES_MAX);
	check(o->segments >= 1 && o->segments <= KFTP_SEGMENTS_MAX);
	check(o->segments == 1 ||
	      (req.verb == KFTP_VERB_GET && !o->resume && !o->rate));
	/* type=ascii: offsets differ on the wire, so no resume, one stream */
	check(!o->ascii || (req.verb != KFTP_VERB_LIST && !o->resume &&
			    o->segments == 1));
	check(o->rate <= KFTP_RATE_MAX && (!o->rate || o->rate >= o->min_rate));
	check(o->timeout >= 1 && o->timeout <= KFTP_TIMEOUT_MAX);
	check(o->deadline <= KFTP_DEADLINE_MAX);
	check(clean(req.url.path) && clean(req.url.user) && clean(req.url.pass));
	if (req.url.host) {
		/* a name: letters, digits, hyphens and dots, 253 at most */
		check(!req.url.addr.family && !req.url.zone);
		check(strlen(req.url.host) >= 3 && strlen(req.url.host) <= KFTP_HOST_MAX + 1);
		check(name_chars(req.url.host));
		check(req.url.host[0] != '-' && req.url.host[0] != '.' &&
		      !strstr(req.url.host, "..") && !strstr(req.url.host, "-.") &&
		      !strstr(req.url.host, ".-"));
	} else {
		check_addr(&req.url.addr);
	}
	check(!o->family || o->family == KFTP_AF_INET || o->family == KFTP_AF_INET6);
	check(!o->family || !req.url.addr.family || o->family == req.url.addr.family);
	check(!o->family || !o->src.family || o->family == o->src.family);
	check(!o->src.family || !req.url.addr.family || o->src.family == req.url.addr.family);
	if (o->src.family)
		check_addr(&o->src);
	/* addr=: a name's addresses, none link-local, of the family asked */
	check(o->addrs.n <= KFTP_ADDRS_MAX && (!o->addrs.n || req.url.host));
	for (i = 0; i < o->addrs.n; i++) {
		check_addr(&o->addrs.a[i]);
		check(!(o->addrs.a[i].family == KFTP_AF_INET6 &&
			kftp_ipv6_link_local(o->addrs.a[i].bytes)));
		check(!o->family || o->addrs.a[i].family == o->family);
		check(!o->src.family || o->addrs.a[i].family == o->src.family);
	}
	/* a zone, only on a link-local address, is a short interface name */
	check(!req.url.zone || (req.url.addr.family == KFTP_AF_INET6 &&
				kftp_ipv6_link_local(req.url.addr.bytes) &&
				strlen(req.url.zone) >= 1 &&
				strlen(req.url.zone) <= KFTP_ZONE_MAX &&
				!strpbrk(req.url.zone, "%/: ")));
	check(strlen(req.display) < sizeof(req.display) - 1);
	/* ftps:// is implicit TLS; tlsname= only with TLS, no trailing dot */
	check(req.url.implicit_tls == (o->tls == KFTP_TLS_IMPLICIT));
	check(req.url.implicit_tls == !strncmp(req.display, "ftps://", 7));
	check(!o->tlsname[0] || o->tls != KFTP_TLS_NONE);
	check(strlen(o->tlsname) <= KFTP_HOST_MAX &&
	      (!o->tlsname[0] || o->tlsname[strlen(o->tlsname) - 1] != '.'));
}

/*
 * The size parsers' contract, checked with libc's strtoull(): 1 to 20
 * decimal digits, at most S64_MAX.  SIZE: "ddd " first, only blanks after.
 * 150: the digits after the last '(', then " bytes)".
 */
static int ref_digits(const char *s, size_t n, u64 *v)
{
	unsigned long long r;
	char *end;

	if (!n || n > 20)
		return -1;
	errno = 0;
	r = strtoull(s, &end, 10);
	if (errno || end != s + n || r > (unsigned long long)S64_MAX)
		return -1;
	*v = r;
	return 0;
}

static void check_size_parsers(const char *text)
{
	const char *s, *p;
	size_t n;
	u64 v, r;
	int ok;

	/* SIZE */
	ok = 0;
	if (strlen(text) >= 4 && text[3] == ' ') {
		s = text + 4;
		n = strspn(s, "0123456789");
		ok = !ref_digits(s, n, &r) && !s[n + strspn(s + n, " ")];
	}
	if (kftp_parse_size(text, &v))
		check(!ok);
	else
		check(ok && v == r);
	/* 150 */
	p = strrchr(text, '(');
	ok = 0;
	if (p) {
		p++;
		n = strspn(p, "0123456789");
		ok = !strncmp(p + n, " bytes)", 7) && !ref_digits(p, n, &r);
	}
	if (kftp_parse_150_size(text, &v))
		check(!ok);
	else
		check(ok && v == r);
}

/* The input in chunks whose sizes come from the input itself. */
static void fuzz_reply(const u8 *data, size_t len)
{
	struct kftp_reply_parser p;
	size_t off = 0;
	bool done;
	int n;

	kftp_reply_parser_init(&p);
	while (off < len) {
		size_t chunk = 1 + data[off] % 64;

		if (chunk > len - off)
			chunk = len - off;
		n = kftp_reply_feed(&p, (const char *)data + off, chunk, &done);
		if (n < 0) {
			check(n == -EPROTO);
			return;
		}
		check((size_t)n <= chunk && (n || !chunk));
		if (done) {
			u16 port;

			check(p.reply.code >= 100 && p.reply.code <= 599);
			check(p.reply.lines >= 1 &&
			      p.reply.lines <= KFTP_REPLY_LINES_MAX);
			check(strlen(p.reply.text) <= KFTP_REPLY_LINE_MAX);
			if (!kftp_parse_pasv(p.reply.text, &port) ||
			    !kftp_parse_epsv(p.reply.text, &port))
				check(port != 0);
			check_size_parsers(p.reply.text);
			check(kftp_reply_errno(p.reply.code) > 0);
		}
		off += n ? (size_t)n : chunk;
	}
}

/* ---- a session whose server is the input ---- */

struct fake {
	const u8 *data;
	size_t len, off;
	unsigned int data_chunks;
	bool data_open;
	u64 sunk;
	u64 data_read;		/* what data_recv() returned */
	unsigned int recvs;	/* ctrl_recv() calls */
	bool exchange;		/* ctrl_begin() bounded the replies */
	bool ipv6;		/* an IPv6 control connection */
	u64 offset;		/* what the sink has already */
	bool begun;
	u64 sent;		/* what data_send() took */
	u64 pos;		/* put: the source's next byte */
	u64 from;		/* put: where begin() put it */
	unsigned int begins;	/* put: source begin() calls */
	bool ascii;		/* type=ascii */
	bool end_fails;		/* put: end() says the file was not right */
	unsigned int ends;	/* put: source end() calls */
	enum kftp_tls tls;	/* the session's */
	bool ctrl_tls;		/* the control connection is TLS */
	bool prot_p;		/* PROT P was sent */
	bool data_tls;		/* the data connection open is TLS */
	const char *user;	/* while logging in: the user, or NULL */
	const char *pass;	/* and the password */
	bool user_sent, pass_sent;	/* the replies from then on echo them */
};

static int fake_ctrl_send(void *priv, const char *buf, size_t len)
{
	struct fake *f = priv;

	check(len >= 2 && buf[len - 2] == '\r' && buf[len - 1] == '\n');
	check(!memchr(buf, '\n', len - 1));
	/* TLS: nothing but AUTH TLS (and QUIT) in the clear, the login never */
	if (f->tls && !f->ctrl_tls)
		check((f->tls != KFTP_TLS_IMPLICIT && !strncmp(buf, "AUTH TLS\r", 9)) ||
		      !strncmp(buf, "QUIT\r", 5));
	if (!strncmp(buf, "PROT P", 6))
		f->prot_p = true;
	/* PASV and PORT say IPv4 addresses: never on IPv6 (RFC 2428) */
	if (f->ipv6)
		check(strncmp(buf, "PASV", 4) && strncmp(buf, "PORT", 4) &&
		      strncmp(buf, "EPRT |1|", 8));
	else
		check(strncmp(buf, "EPRT |2|", 8));
	/* ascii: neither SIZE nor REST of a RETR, they count other bytes */
	if (f->ascii)
		check(strncmp(buf, "SIZE", 4) && strncmp(buf, "REST", 4));
	/* a file that failed end()'s check never gets its name */
	if (f->end_fails && f->ends)
		check(strncmp(buf, "RNFR", 4) && strncmp(buf, "RNTO", 4));
	return 0;
}

static int fake_ctrl_recv(void *priv, char *buf, size_t len)
{
	struct fake *f = priv;
	size_t n = f->len - f->off;

	if (n > len)
		n = len;
	if (n > 97)
		n = 97;
	/* a receive outside an exchange would wait without a bound */
	check(f->exchange);
	/* ftps://: not even the greeting in the clear */
	check(f->tls != KFTP_TLS_IMPLICIT || f->ctrl_tls);
	f->recvs++;
	memcpy(buf, f->data + f->off, n);
	f->off += n;
	return n;
}

static void fake_ctrl_begin(void *priv)
{
	((struct fake *)priv)->exchange = true;
}

static int fake_data_connect(void *priv, u16 port)
{
	struct fake *f = priv;

	check(port != 0);
	f->data_open = true;
	return 0;
}

static int fake_data_listen(void *priv, struct kftp_addr *addr, u16 *port)
{
	struct fake *f = priv;

	memset(addr, 0, sizeof(*addr));
	addr->family = f->ipv6 ? KFTP_AF_INET6 : KFTP_AF_INET;
	if (f->ipv6)
		addr->bytes[15] = 1;
	else
		memcpy(addr->bytes, "\x7f\0\0\1", 4);
	*port = 2121;
	f->data_open = true;
	return 0;
}

static int fake_data_accept(void *priv)
{
	return 0;
}

static int fake_data_recv(void *priv, void *buf, size_t len)
{
	struct fake *f = priv;

	check(f->data_open && len && (!f->prot_p || f->data_tls));
	if (!f->data_chunks)
		return 0;
	f->data_chunks--;
	memset(buf, 'x', len);
	f->data_read += len;
	return len;
}

static int fake_data_send(void *priv, const void *buf, size_t len)
{
	struct fake *f = priv;

	check(f->data_open && len && (!f->prot_p || f->data_tls));
	f->sent += len;
	return 0;
}

static void fake_data_close(void *priv)
{
	struct fake *f = priv;

	f->data_open = false;
	f->data_tls = false;
}

/* TLS on either connection: a no-op that the checks above watch */
static int fake_ctrl_tls(void *priv, const char *name)
{
	struct fake *f = priv;

	check(name && *name && f->tls && !f->ctrl_tls);
	f->ctrl_tls = true;
	return 0;
}

static int fake_data_tls(void *priv, const char *name)
{
	struct fake *f = priv;

	check(name && *name && f->ctrl_tls && f->prot_p && f->data_open);
	f->data_tls = true;
	return 0;
}

/*
 * While logging in, from the command on: never the password, under TLS
 * not the user either.
 */
static void fake_trace(void *priv, bool sent, const char *line)
{
	struct fake *f = priv;

	check(strlen(line) <= KFTP_LINE_MAX + 15);
	if (!f->user)
		return;
	if (sent && !strncmp(line, "USER", 4))
		f->user_sent = true;
	if (sent && !strncmp(line, "PASS", 4))
		f->pass_sent = true;
	if (f->pass_sent)
		check(!strstr(line, f->pass));
	if (f->user_sent && f->tls)
		check(!strstr(line, f->user));
}

static const struct kftp_transport_ops fake_ops = {
	.trace		= fake_trace,
	.ctrl_tls	= fake_ctrl_tls,
	.data_tls	= fake_data_tls,
	.ctrl_send	= fake_ctrl_send,
	.ctrl_recv	= fake_ctrl_recv,
	.ctrl_begin	= fake_ctrl_begin,
	.data_connect	= fake_data_connect,
	.data_listen	= fake_data_listen,
	.data_accept	= fake_data_accept,
	.data_recv	= fake_data_recv,
	.data_send	= fake_data_send,
	.data_close	= fake_data_close,
};

static int sink_begin(void *priv, u64 offset, s64 total)
{
	struct fake *f = priv;

	/* the stream starts from 0 or where the sink's part ends */
	check(!offset || offset == f->offset);
	check(!f->begun);
	f->begun = true;
	return 0;
}

static int sink_write(void *priv, const void *buf, size_t len)
{
	((struct fake *)priv)->sunk += len;
	return 0;
}

static const struct kftp_sink_ops fake_sink = {
	.begin	= sink_begin,
	.write	= sink_write,
};

static void fuzz_session(const u8 *data, size_t len, bool ext,
			 enum kftp_tls tls)
{
	static struct kftp_session s;
	static char buf[512];
	struct fake f = { .data = data + 1, .len = len ? len - 1 : 0 };
	struct kftp_retr r = {
		.path = "pub/file",
		.buf = buf,
		.buf_size = sizeof(buf),
		.sink = &fake_sink,
		.sink_priv = &f,
	};
	int err;

	static const u64 max_sizes[] = { 0, 1, 512, 1000 };
	static const u64 offsets[] = { 0, 1, 1536, 4096 };
	unsigned int recvs;
	bool logged_in;

	if (!len)
		return;
	r.mode = data[0] & 1 ? KFTP_MODE_ACTIVE : KFTP_MODE_PASSIVE;
	f.data_chunks = data[0] >> 1 & 7;
	r.max_size = max_sizes[data[0] >> 4 & 3];
	f.ipv6 = data[0] & 0x80;
	/* target 7: a second byte for listings, MDTM and REST */
	if (ext && len > 1) {
		r.kind = data[1] % 3;
		r.mtime = data[1] & 4;
		f.offset = r.kind == KFTP_RETR_FILE ? offsets[data[1] >> 3 & 3] : 0;
		r.offset = f.offset;
		r.path = data[1] & 0x20 ? "" : "pub";
		/* a segment of a file: 700 bytes from the offset */
		if (r.kind == KFTP_RETR_FILE && data[1] & 0x40)
			r.length = 700;
		/* type=ascii: from the start of the file, whole */
		r.ascii = r.kind == KFTP_RETR_FILE && data[1] & 0x80 &&
			  !r.offset && !r.length;
		f.ascii = r.ascii;
		/* a listing's line ends, as the transfer asks unless raw */
		r.unix_lines = r.kind != KFTP_RETR_FILE && data[1] & 0x80;
		f.data++;
		f.len--;
	}
	kftp_session_init(&s, &fake_ops, &f);
	s.ipv6 = f.ipv6;
	s.tls = tls;
	f.tls = tls;
	s.tls_name = "ftp.example.org";
	f.user = data[0] & 0x40 ? "user" : KFTP_ANON_USER;
	f.pass = data[0] & 0x40 ? "pw" : KFTP_ANON_PASS;
	err = kftp_session_login(&s, data[0] & 0x40 ? "user" : NULL, "pw");
	f.user = NULL;
	logged_in = !err;
	/* TLS: logged in only over it, with PROT P unless tls=control */
	if (logged_in && tls)
		check(f.ctrl_tls && s.prot_p == (tls != KFTP_TLS_CONTROL));
	if (!err)
		err = kftp_session_retr(&s, &r);
	check(err <= 0);
	check(!f.data_open);
	/* success: the sink heard of the stream, and MDTM only if asked */
	check(err || f.begun);
	check(!s.mtime_known || r.mtime);
	check(!s.mlsd || r.kind == KFTP_RETR_LIST);
	/* an MLSD listing delivered is whole lines ('x' data never is) */
	if (!err && s.mlsd)
		check(!f.sunk);
	check(!err || f.sunk <= 8 * sizeof(buf));
	if (s.reply_failed)
		check(s.parser.reply.code >= 100);
	/* never more than max_size + 1 bytes asked for, none of them sunk */
	if (r.max_size) {
		check(f.sunk <= r.max_size && f.data_read <= r.max_size + 1);
		check(f.data_read <= r.max_size || err == -EFBIG || err == -EIO);
	}
	/* a segment: never a byte past it, all of it or a failure, no reuse */
	if (r.length && logged_in) {
		check(f.sunk <= r.length && f.data_read <= r.length);
		check(err || f.sunk == r.length);
		check(!kftp_session_reusable(&s));
	}
	/* a retry is safe only when nothing reached the sink */
	if (s.retry_safe)
		check(err && !f.sunk && !kftp_session_reusable(&s));
	/* reusable: success, or a clean negative reply */
	if (kftp_session_reusable(&s))
		check(!err || (s.reply_failed && s.parser.reply.code >= 400 &&
			       s.parser.reply.code != 421));
	/* QUIT never waits for a reply */
	recvs = f.recvs;
	kftp_session_quit(&s);
	check(f.recvs == recvs && !kftp_session_reusable(&s));
}

/* The parsers of RFC 3659's replies and listings, on a NUL-terminated copy. */
static void fuzz_rfc3659(int target, const u8 *data, size_t len)
{
	static char text[KFTP_MLSD_LINE_MAX + 1];
	struct kftp_mlsd_entry e;
	u64 offset;
	s64 sec;
	u32 nsec;

	if (len > KFTP_MLSD_LINE_MAX)
		len = KFTP_MLSD_LINE_MAX;
	memcpy(text, data, len);
	text[len] = '\0';
	switch (target) {
	case 4:
		if (kftp_parse_mlsd_line(text, len, &e))
			return;
		check(e.name > text && e.name_len && e.name + e.name_len == text + len);
		check(!memchr(e.name, '\r', e.name_len) && !memchr(e.name, '\n', e.name_len));
		check(!e.type || (e.type > text && e.type + e.type_len < e.name));
		check(e.size >= -1);
		check(!e.has_modify || e.modify_nsec < 1000000000);
		break;
	case 5:
		if (kftp_parse_mdtm(text, &sec, &nsec))
			return;
		/* years 1 to 9999 */
		check(sec >= -62135596800LL && sec <= 253402300800LL);
		check(nsec < 1000000000);
		break;
	default:
		if (!kftp_parse_rest(text, &offset))
			check(offset <= (u64)S64_MAX);
		break;
	}
}

#define SOURCE_SIZE	1500

static int source_begin(void *priv, u64 offset)
{
	struct fake *f = priv;

	check(offset <= SOURCE_SIZE);
	f->pos = offset;
	f->from = offset;
	f->begins++;
	return 0;
}

/* the file: lines of 15 'y' and an LF */
static bool source_lf(u64 pos)
{
	return pos % 16 == 15;
}

static int source_read(void *priv, void *buf, size_t len)
{
	struct fake *f = priv;
	size_t i;

	if (len > SOURCE_SIZE - f->pos)
		len = SOURCE_SIZE - f->pos;
	for (i = 0; i < len; i++)
		((char *)buf)[i] = source_lf(f->pos + i) ? '\n' : 'y';
	f->pos += len;
	return len;
}

/* after the whole file, once */
static int source_end(void *priv)
{
	struct fake *f = priv;

	check(f->begins == 1 && f->pos == SOURCE_SIZE && !f->ends);
	f->ends++;
	return f->end_fails ? -EBADMSG : 0;
}

static const struct kftp_source_ops fake_source = {
	.begin	= source_begin,
	.read	= source_read,
	.end	= source_end,
};

/* zero copy: the source sends by itself, a short send at a time */
static int source_send(void *priv, size_t len, kftp_send_file_t send_file,
		       void *tpriv)
{
	struct fake *f = priv;

	check(f->data_open);
	if (len > 700)
		len = 700;
	if (len > SOURCE_SIZE - f->pos)
		len = SOURCE_SIZE - f->pos;
	f->pos += len;
	f->sent += len;
	return len;
}

static const struct kftp_source_ops fake_send_source = {
	.begin	= source_begin,
	.send	= source_send,
	.end	= source_end,
};

/* put: whatever the server answers to MKD, SIZE, REST, STOR, RNFR, DELE */
static void fuzz_stor(const u8 *data, size_t len, enum kftp_tls tls)
{
	static struct kftp_session s;
	static char buf[512];
	struct fake f = { .data = data + 1, .len = len ? len - 1 : 0 };
	struct kftp_stor w = {
		.path = "a//b/file",
		.buf = buf,
		.buf_size = sizeof(buf),
		.source = &fake_source,
		.source_priv = &f,
		.size = SOURCE_SIZE,
		.temp_tag = 0xfeed,
	};
	unsigned int recvs;
	u64 lfs = 0, i;
	int err;

	if (!len)
		return;
	w.mode = data[0] & 1 ? KFTP_MODE_ACTIVE : KFTP_MODE_PASSIVE;
	w.mkdirs = data[0] & 2;
	/* at most one of append, atomic and resume, as the grammar allows */
	w.append = (data[0] >> 2 & 3) == 1;
	w.atomic = (data[0] >> 2 & 3) == 2;
	w.resume = (data[0] >> 2 & 3) == 3;
	if (data[0] & 0x80) {
		/* the send op needs no buffer */
		w.source = &fake_send_source;
		w.buf = NULL;
	}
	/* ascii: through the buffer, never the send op */
	w.ascii = data[0] & 0x10 && !w.resume && !w.source->send;
	f.end_fails = data[0] & 0x20;
	kftp_session_init(&s, &fake_ops, &f);
	s.tls = tls;
	f.tls = tls;
	s.tls_name = "192.0.2.7";
	f.user = data[0] & 0x40 ? "user" : KFTP_ANON_USER;
	f.pass = data[0] & 0x40 ? "pw" : KFTP_ANON_PASS;
	err = kftp_session_login(&s, data[0] & 0x40 ? "user" : NULL, "pw");
	f.user = NULL;
	if (!err)
		err = kftp_session_stor(&s, &w);
	check(err <= 0);
	check(!f.data_open && f.begins <= 1);
	/* what was read from the offset on was sent, once; ascii: CR LF */
	for (i = f.from; w.ascii && i < f.pos; i++)
		lfs += source_lf(i);
	check(f.begins ? f.sent == f.pos - f.from + lfs : !f.sent);
	check(f.pos <= SOURCE_SIZE);
	/* success is checked by end(); its failure is the upload's */
	check(err || f.ends == 1);
	check(!f.ends || !f.end_fails || err == -EBADMSG);
	if (s.reply_failed)
		check(s.parser.reply.code >= 100);
	if (s.retry_safe)
		check(err && !f.sent && !kftp_session_reusable(&s));
	if (kftp_session_reusable(&s))
		check(!err || (s.reply_failed && s.parser.reply.code >= 400 &&
			       s.parser.reply.code != 421));
	recvs = f.recvs;
	kftp_session_quit(&s);
	check(f.recvs == recvs && !kftp_session_reusable(&s));
}

/* A copy in a buffer of its own, exactly as long, for ASan. */
static char *dup_bytes(const void *p, size_t len)
{
	char *q = malloc(len ? len : 1);

	check(q);
	memcpy(q, p, len);
	return q;
}

/* Chunk sizes from the input itself, 1 to 64. */
static size_t chunk_at(const u8 *data, size_t len, size_t off)
{
	size_t chunk = 1 + data[off] % 64;

	if (chunk > len - off)
		chunk = len - off;
	return chunk;
}

/*
 * type=ascii. Split anywhere, the output is the same; in the layouts the
 * session uses (incoming: read at buf + 1, converted into buf; outgoing:
 * half a buffer converted into all of it), every buffer exactly as large
 * as the API says. Data without CR goes out and comes back as it was.
 */
static void fuzz_ascii(const u8 *data, size_t len)
{
	struct kftp_ascii st = {}, st2 = {};
	char *in = dup_bytes(data, len);
	char *out = malloc(2 * len + 1), *buf, *back;
	size_t n, m, k, off, chunk, i, lfs = 0;

	check(out);
	/* incoming, whole: never longer, and no CR is lost but a line end's */
	n = kftp_ascii_from_net(&st, out, in, len);
	n += kftp_ascii_from_net_end(&st, out + n);
	check(n <= len && !st.cr);
	for (i = 0; i < len; i++)
		lfs += data[i] == '\n' && i && data[i - 1] == '\r';
	check(n == len - lfs);
	/* incoming, in chunks, in place */
	for (off = 0, m = 0; off < len; off += chunk) {
		chunk = chunk_at(data, len, off);
		buf = malloc(chunk + 1);
		check(buf);
		memcpy(buf + 1, data + off, chunk);
		k = kftp_ascii_from_net(&st2, buf, buf + 1, chunk);
		check(m + k <= n && !memcmp(buf, out + m, k));
		m += k;
		free(buf);
	}
	buf = malloc(1);
	check(buf);
	k = kftp_ascii_from_net_end(&st2, buf);
	check(m + k == n && (!k || buf[0] == out[m]));
	free(buf);

	/* outgoing, whole: one CR more for each LF not after a CR */
	memset(&st, 0, sizeof(st));
	n = kftp_ascii_to_net(&st, out, in, len);
	for (i = 0, lfs = 0; i < len; i++)
		lfs += data[i] == '\n' && !(i && data[i - 1] == '\r');
	check(n == len + lfs);
	/* outgoing, in chunks, half a buffer into all of it */
	memset(&st2, 0, sizeof(st2));
	for (off = 0, m = 0; off < len; off += chunk) {
		chunk = chunk_at(data, len, off);
		/* an odd buffer: the half read is rounded down */
		k = 2 * chunk + (data[off] & 1);
		buf = malloc(k);
		check(buf);
		memcpy(buf + k / 2, data + off, chunk);
		k = kftp_ascii_to_net(&st2, buf, buf + k / 2, chunk);
		check(m + k <= n && !memcmp(buf, out + m, k));
		m += k;
		free(buf);
	}
	check(m == n);

	/* no CR in the file: there and back is the identity */
	for (i = 0; i < len; i++) {
		if (in[i] == '\r')
			in[i] = 'x';
	}
	memset(&st, 0, sizeof(st));
	n = kftp_ascii_to_net(&st, out, in, len);
	back = malloc(n + 1);
	check(back);
	memset(&st, 0, sizeof(st));
	m = kftp_ascii_from_net(&st, back, out, n);
	m += kftp_ascii_from_net_end(&st, back + m);
	check(m == len && !memcmp(back, in, len));
	free(back);
	free(out);
	free(in);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t len)
{
	/* the sessions' TLS (none, required, control, implicit): data[0] / 10 */
	enum kftp_tls tls;

	if (!len)
		return 0;
	tls = data[0] / 10 % 4;
	switch (data[0] % 10) {
	case 0:
		fuzz_request(data + 1, len - 1);
		break;
	case 1:
		fuzz_reply(data + 1, len - 1);
		break;
	case 2:
		fuzz_session(data + 1, len - 1, false, tls);
		break;
	case 3:
		fuzz_ipv6(data + 1, len - 1);
		break;
	case 4:
	case 5:
	case 6:
		fuzz_rfc3659(data[0] % 10, data + 1, len - 1);
		break;
	case 7:
		fuzz_session(data + 1, len - 1, true, tls);
		break;
	case 8:
		fuzz_stor(data + 1, len - 1, tls);
		break;
	default:
		fuzz_ascii(data + 1, len - 1);
		break;
	}
	return 0;
}
