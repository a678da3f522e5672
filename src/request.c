// SPDX-License-Identifier: GPL-2.0
/*
 * Request lines written to /proc/kftp/request:
 *
 *	get URL PATH [mode=passive|active] [src=ADDRESS] [family=4|6]
 *		[timeout=SECONDS] [deadline=SECONDS] [min_rate=BYTES]
 *		[max_size=BYTES] [wait] [rate=BYTES] [retries=N] [mtime] [resume]
 *		[mkdirs] [segments=N] [type=ascii|binary] [sha256=HEX]
 *		[addr=ADDRESS[,ADDRESS...]] [tls=required|control]
 *		[tlsname=NAME]
 *	list URL PATH [the same options but mtime, resume, segments, type,
 *		sha256] [names] [raw]
 *	put PATH URL [the options of get] [append | atomic | resume] [mkdirs]
 *	cancel ID
 *
 * BYTES is a decimal number with an optional K, M or G suffix (powers of
 * 1024). Tokens are separated by blanks; a token in double quotes may hold
 * blanks, with \" and \\ as the only escapes.
 */
#include "proto.h"

#define KFTP_TOKENS_MAX	22	/* verb, URL, PATH, 18 options, one extra */

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Split @s in place; returns the number of tokens or -EINVAL. */
static int tokenize(char *s, char **tok, const char **reason)
{
	int n = 0;

	for (;;) {
		char *out;

		while (is_blank(*s))
			s++;
		if (!*s)
			return n;
		if (n == KFTP_TOKENS_MAX) {
			*reason = "too many words in request";
			return -EINVAL;
		}
		tok[n++] = s;
		out = s;
		if (*s == '"') {
			for (s++; *s != '"'; *out++ = *s++) {
				if (!*s) {
					*reason = "unterminated quote";
					return -EINVAL;
				}
				if (*s == '\\' && (s[1] == '"' || s[1] == '\\'))
					s++;
			}
			s++;
			if (*s && !is_blank(*s)) {
				*reason = "text after a closing quote";
				return -EINVAL;
			}
		} else {
			for (; *s && !is_blank(*s); *out++ = *s++) {
				if (*s == '"') {
					*reason = "quote inside a word";
					return -EINVAL;
				}
			}
		}
		if (*s)
			s++;
		*out = '\0';
	}
}

static int check_local_path(const char *path, const char **reason)
{
	const char *base = strrchr(path, '/');
	const char *p;

	if (path[0] != '/') {
		*reason = "local path must be absolute";
		return -EINVAL;
	}
	for (p = path; *p; p++) {
		if ((unsigned char)*p < ' ' || *p == 0x7f) {
			*reason = "control character in local path";
			return -EINVAL;
		}
	}
	base++;
	if (!*base || !strcmp(base, ".") || !strcmp(base, "..")) {
		*reason = "local path does not name a file";
		return -EINVAL;
	}
	return 0;
}

/*
 * addr= names the addresses of the URL's host name, which the writer
 * resolved; those of another family than family= or src='s are dropped,
 * as a lookup's would be.
 */
static int check_addrs(struct kftp_request *req, const char **reason)
{
	struct kftp_options *o = &req->opts;
	u8 family = o->family ? o->family : o->src.family;
	unsigned int i, n = 0;

	if (!o->addrs.n)
		return 0;
	if (!req->url.host) {
		*reason = "addr is for a URL that names its host";
		return -EINVAL;
	}
	for (i = 0; i < o->addrs.n; i++) {
		if (!family || o->addrs.a[i].family == family)
			o->addrs.a[n++] = o->addrs.a[i];
	}
	o->addrs.n = n;
	if (!n) {
		*reason = "no address in addr is of the family of family or src";
		return -EINVAL;
	}
	return 0;
}

/*
 * src= and family= agree with each other and with an address in the URL;
 * a name's addresses are chosen by them (check_addrs(), kftp_resolve()).
 */
static int check_families(const struct kftp_request *req, const char **reason)
{
	u8 server = req->url.addr.family;

	if (req->opts.src.family && server && req->opts.src.family != server) {
		*reason = "src and the server are not the same address family";
		return -EINVAL;
	}
	if (req->opts.family && server && req->opts.family != server) {
		*reason = "family does not match the address in the URL";
		return -EINVAL;
	}
	if (req->opts.family && req->opts.src.family && req->opts.family != req->opts.src.family) {
		*reason = "family does not match the src address";
		return -EINVAL;
	}
	return 0;
}

/*
 * ftps:// is TLS from the connect and PROT P (what curl and lftp mean by
 * it); tls= asks for AUTH TLS on an ftp:// URL. tlsname= names what TLS
 * checks, so it needs TLS.
 */
static int check_tls(struct kftp_request *req, const char **reason)
{
	struct kftp_options *o = &req->opts;

	if (req->url.implicit_tls) {
		if (o->tls == KFTP_TLS_CONTROL) {
			*reason = "ftps:// protects the data: tls=control is for ftp://";
			return -EINVAL;
		}
		o->tls = KFTP_TLS_IMPLICIT;
	}
	if (o->tlsname[0] && o->tls == KFTP_TLS_NONE) {
		*reason = "tlsname is for tls= or ftps://";
		return -EINVAL;
	}
	return 0;
}

/* cancel ID: one decimal transfer number from 1, nothing after it. */
static int parse_cancel(char **tok, int n, struct kftp_request *req,
			const char **reason)
{
	if (n < 2) {
		*reason = "missing transfer ID to cancel";
		return -EINVAL;
	}
	if (kftp_parse_uint(tok[1], strlen(tok[1]), U64_MAX, &req->cancel_id) ||
	    !req->cancel_id) {
		*reason = "bad transfer ID to cancel, expected a number from 1";
		return -EINVAL;
	}
	if (n > 2) {
		*reason = "text after the transfer ID to cancel";
		return -EINVAL;
	}
	req->verb = KFTP_VERB_CANCEL;
	return 0;
}

/* What a request is without options: a get, passive, timeout=30. */
static void set_defaults(struct kftp_request *req)
{
	req->verb = KFTP_VERB_GET;
	req->cancel_id = 0;
	memset(&req->url, 0, sizeof(req->url));
	req->local_path = NULL;
	memset(&req->opts, 0, sizeof(req->opts));
	req->opts.mode = KFTP_MODE_PASSIVE;
	req->opts.timeout = KFTP_TIMEOUT_DEFAULT;
	req->opts.segments = 1;
}

int kftp_request_parse(const char *line, size_t len, struct kftp_request *req,
		       const char **reason)
{
	char *tok[KFTP_TOKENS_MAX];
	u32 seen = 0;
	int n, i, url = 1;

	if (len > KFTP_LINE_MAX) {
		*reason = "line longer than 4096 bytes";
		return -EINVAL;
	}
	if (memchr(line, '\0', len)) {
		*reason = "NUL byte in request";
		return -EINVAL;
	}
	memcpy(req->buf, line, len);
	req->buf[len] = '\0';
	set_defaults(req);

	n = tokenize(req->buf, tok, reason);
	if (n <= 0)
		return n ? n : 1;
	if (!strcmp(tok[0], "cancel"))
		return parse_cancel(tok, n, req, reason);
	if (!strcmp(tok[0], "list")) {
		req->verb = KFTP_VERB_LIST;
	} else if (!strcmp(tok[0], "put")) {
		req->verb = KFTP_VERB_PUT;
		/* put PATH URL: the order of cp */
		url = 2;
	} else if (strcmp(tok[0], "get")) {
		*reason = "unknown verb, expected get, put, list or cancel";
		return -EINVAL;
	}
	if (n < 2) {
		*reason = url == 1 ? "missing URL" : "missing local path";
		return -EINVAL;
	}
	if (n < 3) {
		*reason = url == 1 ? "missing local path" : "missing URL";
		return -EINVAL;
	}
	if ((req->verb == KFTP_VERB_LIST ? kftp_url_parse_dir : kftp_url_parse)
	    (tok[url], req->display, sizeof(req->display), &req->url, reason))
		return -EINVAL;
	if (check_local_path(tok[3 - url], reason))
		return -EINVAL;
	req->local_path = tok[3 - url];
	for (i = 3; i < n; i++) {
		if (kftp_request_parse_option(tok[i], req, &seen, reason))
			return -EINVAL;
	}
	/* a part file continues one stream; rate= caps one stream */
	if (req->opts.segments > 1 && (req->opts.resume || req->opts.rate)) {
		*reason = req->opts.resume ? "segments and resume cannot be combined" :
			  "segments and rate cannot be combined";
		return -EINVAL;
	}
	/* an offset in the file is not one in the CR LF form on the wire */
	if (req->opts.ascii && (req->opts.resume || req->opts.segments > 1)) {
		*reason = req->opts.resume ? "type=ascii and resume cannot be combined" :
			  "type=ascii and segments cannot be combined";
		return -EINVAL;
	}
	/* capped below the rate it must keep: it could only time out */
	if (req->opts.rate && req->opts.rate < req->opts.min_rate) {
		*reason = "rate is below min_rate";
		return -EINVAL;
	}
	if (check_families(req, reason) || check_tls(req, reason))
		return -EINVAL;
	return check_addrs(req, reason);
}
