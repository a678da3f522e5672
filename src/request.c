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

/* BYTES: digits and an optional K, M or G suffix; at least 1, no overflow. */
static int parse_bytes(const char *s, u64 *val)
{
	static const char suffix[] = "KMG";
	size_t len = strlen(s);
	const char *unit = len ? strchr(suffix, s[len - 1]) : NULL;
	unsigned int shift = 0;
	u64 v;

	if (unit) {
		shift = 10 * (unit - suffix + 1);
		len--;
	}
	if (kftp_parse_uint(s, len, U64_MAX >> shift, &v) || !v)
		return -EINVAL;
	*val = v << shift;
	return 0;
}

/* sha256=: exactly 64 hex digits, either case, into 32 bytes */
static int parse_sha256(const char *s, u8 digest[KFTP_SHA256_SIZE])
{
	int hi, lo;
	size_t i;

	if (strlen(s) != 2 * KFTP_SHA256_SIZE)
		return -EINVAL;
	for (i = 0; i < KFTP_SHA256_SIZE; i++) {
		hi = kftp_hex_digit(s[2 * i]);
		lo = kftp_hex_digit(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		digest[i] = hi << 4 | lo;
	}
	return 0;
}

/*
 * addr=: up to KFTP_ADDRS_MAX addresses, comma-separated, into @addrs
 * unless NULL (a check only). No link-local one: it would need a zone.
 */
static int parse_addrs(const char *s, struct kftp_addr *addrs,
		       unsigned int *n)
{
	struct kftp_addr a;
	const char *end;

	for (*n = 0; ; s = end + 1) {
		end = strchr(s, ',');
		if (!end)
			end = s + strlen(s);
		if (*n == KFTP_ADDRS_MAX || kftp_parse_addr(s, end - s, &a) ||
		    (a.family == KFTP_AF_INET6 && kftp_ipv6_link_local(a.bytes)))
			return -EINVAL;
		if (addrs)
			addrs[*n] = a;
		++*n;
		if (!*end)
			return 0;
	}
}

#define VERB(v)		(1U << KFTP_VERB_##v)
#define OPT_BIT(o)	(1U << (o))
#define ANY_VERB	(VERB(GET) | VERB(LIST) | VERB(PUT))

/*
 * A request's options, in the manner of the kernel's fs_parameter_spec: a
 * name, the kind of value and its range, the verbs it applies to, and the
 * options it excludes. parse_option() finds and checks a token here; the
 * switch in set_option() stores the value. README's option list is checked
 * against this table (tests/options.sh, through kftp_request_options[]).
 */
const struct kftp_option_spec kftp_request_options[KFTP_OPT_COUNT] = {
	[KFTP_OPT_MODE] = { .name = "mode", .kind = KFTP_OPTK_CHOICE,
		.verbs = ANY_VERB,
		.choices = { "passive", "active" },
		.bad = "mode must be passive or active" },
	[KFTP_OPT_SRC] = { .name = "src", .kind = KFTP_OPTK_ADDR,
		.verbs = ANY_VERB,
		.bad = "src must be an IPv4 or IPv6 address" },
	[KFTP_OPT_FAMILY] = { .name = "family", .kind = KFTP_OPTK_CHOICE,
		.verbs = ANY_VERB,
		.choices = { "4", "6" }, .bad = "family must be 4 or 6" },
	[KFTP_OPT_TIMEOUT] = { .name = "timeout", .kind = KFTP_OPTK_UINT,
		.verbs = ANY_VERB,
		.min = 1, .max = KFTP_TIMEOUT_MAX,
		.bad = "timeout must be 1 to 3600 seconds" },
	[KFTP_OPT_DEADLINE] = { .name = "deadline", .kind = KFTP_OPTK_UINT,
		.verbs = ANY_VERB,
		.min = 1, .max = KFTP_DEADLINE_MAX,
		.bad = "deadline must be 1 to 604800 seconds" },
	[KFTP_OPT_MIN_RATE] = { .name = "min_rate", .kind = KFTP_OPTK_BYTES,
		.verbs = ANY_VERB,
		.min = 1, .max = U64_MAX,
		.bad = "min_rate must be at least 1 byte/s (suffix K, M or G)" },
	[KFTP_OPT_MAX_SIZE] = { .name = "max_size", .kind = KFTP_OPTK_BYTES,
		.verbs = ANY_VERB,
		.min = 1, .max = U64_MAX,
		.bad = "max_size must be at least 1 byte (suffix K, M or G)" },
	[KFTP_OPT_RATE] = { .name = "rate", .kind = KFTP_OPTK_BYTES,
		.verbs = ANY_VERB,
		.min = 1, .max = KFTP_RATE_MAX,
		.bad = "rate must be 1 byte/s to 4G (suffix K, M or G)" },
	[KFTP_OPT_RETRIES] = { .name = "retries", .kind = KFTP_OPTK_UINT,
		.verbs = ANY_VERB,
		.min = 0, .max = KFTP_RETRIES_MAX,
		.bad = "retries must be 0 to 20" },
	[KFTP_OPT_WAIT] = { .name = "wait", .kind = KFTP_OPTK_FLAG,
		.verbs = ANY_VERB },
	[KFTP_OPT_MTIME] = { .name = "mtime", .kind = KFTP_OPTK_FLAG,
		.verbs = VERB(GET),
		.wrong_verb = "mtime is for get only" },
	[KFTP_OPT_NAMES] = { .name = "names", .kind = KFTP_OPTK_FLAG,
		.verbs = VERB(LIST),
		.wrong_verb = "names is for list only" },
	[KFTP_OPT_MKDIRS] = { .name = "mkdirs", .kind = KFTP_OPTK_FLAG,
		.verbs = ANY_VERB },
	[KFTP_OPT_RESUME] = { .name = "resume", .kind = KFTP_OPTK_FLAG,
		.verbs = VERB(GET) | VERB(PUT),
		.wrong_verb = "resume is for get and put",
		.excludes = OPT_BIT(KFTP_OPT_APPEND) | OPT_BIT(KFTP_OPT_ATOMIC),
		.conflict = "append, atomic and resume exclude each other" },
	[KFTP_OPT_SEGMENTS] = { .name = "segments", .kind = KFTP_OPTK_UINT,
		.verbs = VERB(GET),
		.min = 1, .max = KFTP_SEGMENTS_MAX,
		.wrong_verb = "segments is for get only",
		.bad = "segments must be 1 to 16" },
	[KFTP_OPT_TYPE] = { .name = "type", .kind = KFTP_OPTK_CHOICE,
		.verbs = VERB(GET) | VERB(PUT),
		.choices = { "binary", "ascii" },
		.wrong_verb = "type is for get and put",
		.bad = "type must be ascii or binary" },
	[KFTP_OPT_SHA256] = { .name = "sha256", .kind = KFTP_OPTK_SHA256,
		.verbs = VERB(GET) | VERB(PUT),
		.wrong_verb = "sha256 is for get and put",
		.bad = "sha256 must be 64 hex digits" },
	/* each names another first command for the same upload */
	[KFTP_OPT_APPEND] = { .name = "append", .kind = KFTP_OPTK_FLAG,
		.verbs = VERB(PUT),
		.wrong_verb = "append and atomic are for put",
		.excludes = OPT_BIT(KFTP_OPT_ATOMIC) | OPT_BIT(KFTP_OPT_RESUME),
		.conflict = "append, atomic and resume exclude each other" },
	[KFTP_OPT_ATOMIC] = { .name = "atomic", .kind = KFTP_OPTK_FLAG,
		.verbs = VERB(PUT),
		.wrong_verb = "append and atomic are for put",
		.excludes = OPT_BIT(KFTP_OPT_APPEND) | OPT_BIT(KFTP_OPT_RESUME),
		.conflict = "append, atomic and resume exclude each other" },
	[KFTP_OPT_ADDR] = { .name = "addr", .kind = KFTP_OPTK_ADDRS,
		.verbs = ANY_VERB,
		.bad = "addr must be 1 to 16 comma-separated addresses, none link-local" },
	[KFTP_OPT_RAW] = { .name = "raw", .kind = KFTP_OPTK_FLAG,
		.verbs = VERB(LIST),
		.wrong_verb = "raw is for list only" },
	[KFTP_OPT_TLS] = { .name = "tls", .kind = KFTP_OPTK_CHOICE,
		.verbs = ANY_VERB,
		.choices = { "required", "control" },
		.bad = "tls must be required or control" },
	[KFTP_OPT_TLSNAME] = { .name = "tlsname", .kind = KFTP_OPTK_HOST,
		.verbs = ANY_VERB,
		.bad = "tlsname must be a host name or an address" },
};

int kftp_request_find_option(const char *tok, const char **val)
{
	const struct kftp_option_spec *o;
	size_t len;
	int i;

	for (i = 0; i < KFTP_OPT_COUNT; i++) {
		o = &kftp_request_options[i];
		len = strlen(o->name);
		if (strncmp(tok, o->name, len))
			continue;
		if (o->kind == KFTP_OPTK_FLAG ? !tok[len] : tok[len] == '=') {
			*val = o->kind == KFTP_OPTK_FLAG ? NULL : tok + len + 1;
			return i;
		}
	}
	return -1;
}

/* Check @val against @o: its number, its choice's index, its address. */
static int check_value(const struct kftp_option_spec *o, const char *val,
		       union kftp_option_value *v)
{
	struct kftp_addr a;
	unsigned int i, n;

	switch (o->kind) {
	case KFTP_OPTK_FLAG:
		return 0;
	case KFTP_OPTK_UINT:
		return kftp_parse_uint(val, strlen(val), o->max, &v->n) ||
		       v->n < o->min ? -EINVAL : 0;
	case KFTP_OPTK_BYTES:
		return parse_bytes(val, &v->n) || v->n < o->min ||
		       v->n > o->max ? -EINVAL : 0;
	case KFTP_OPTK_CHOICE:
		for (i = 0; i < ARRAY_SIZE(o->choices) && o->choices[i]; i++) {
			if (!strcmp(val, o->choices[i])) {
				v->n = i;
				return 0;
			}
		}
		return -EINVAL;
	case KFTP_OPTK_ADDR:
		return kftp_parse_addr(val, strlen(val), &v->addr);
	case KFTP_OPTK_SHA256:
		return parse_sha256(val, v->sha256);
	case KFTP_OPTK_ADDRS:
		v->list = val;
		return parse_addrs(val, NULL, &n);
	case KFTP_OPTK_HOST:
		v->host = val;
		return kftp_parse_addr(val, strlen(val), &a) &&
		       kftp_check_host_name(val, strlen(val)) ? -EINVAL : 0;
	}
	return -EINVAL;
}

static void set_option(struct kftp_request *req, enum kftp_option opt,
		       const union kftp_option_value *v)
{
	static const u8 families[] = { KFTP_AF_INET, KFTP_AF_INET6 };
	size_t len;

	switch (opt) {
	case KFTP_OPT_MODE:
		req->opts.mode = v->n ? KFTP_MODE_ACTIVE : KFTP_MODE_PASSIVE;
		break;
	case KFTP_OPT_SRC:
		req->opts.src = v->addr;
		break;
	case KFTP_OPT_FAMILY:
		req->opts.family = families[v->n];
		break;
	case KFTP_OPT_TIMEOUT:
		req->opts.timeout = v->n;
		break;
	case KFTP_OPT_DEADLINE:
		req->opts.deadline = v->n;
		break;
	case KFTP_OPT_MIN_RATE:
		req->opts.min_rate = v->n;
		break;
	case KFTP_OPT_MAX_SIZE:
		req->opts.max_size = v->n;
		break;
	case KFTP_OPT_RATE:
		req->opts.rate = v->n;
		break;
	case KFTP_OPT_RETRIES:
		req->opts.retries = v->n;
		break;
	case KFTP_OPT_WAIT:
		req->opts.wait = true;
		break;
	case KFTP_OPT_MTIME:
		req->opts.mtime = true;
		break;
	case KFTP_OPT_NAMES:
		req->opts.names = true;
		break;
	case KFTP_OPT_RAW:
		req->opts.raw = true;
		break;
	case KFTP_OPT_MKDIRS:
		req->opts.mkdirs = true;
		break;
	case KFTP_OPT_RESUME:
		req->opts.resume = true;
		break;
	case KFTP_OPT_SEGMENTS:
		req->opts.segments = v->n;
		break;
	case KFTP_OPT_TYPE:
		req->opts.ascii = v->n;
		break;
	case KFTP_OPT_SHA256:
		memcpy(req->opts.sha256, v->sha256, sizeof(req->opts.sha256));
		req->opts.has_sha256 = true;
		break;
	case KFTP_OPT_APPEND:
		req->opts.append = true;
		break;
	case KFTP_OPT_ATOMIC:
		req->opts.atomic = true;
		break;
	case KFTP_OPT_ADDR:
		parse_addrs(v->list, req->opts.addrs.a, &req->opts.addrs.n);
		break;
	case KFTP_OPT_TLS:
		req->opts.tls = v->n ? KFTP_TLS_CONTROL : KFTP_TLS_REQUIRED;
		break;
	case KFTP_OPT_TLSNAME:
		/* SNI takes no trailing dot (RFC 6066 section 3) */
		len = strlen(v->host);
		if (v->host[len - 1] == '.')
			len--;
		memcpy(req->opts.tlsname, v->host, len);
		req->opts.tlsname[len] = '\0';
		break;
	case KFTP_OPT_COUNT:
		break;
	}
}

/* One option token: known, for this verb, a good value, once, no conflict. */
static int parse_option(const char *tok, struct kftp_request *req,
			u32 *seen, const char **reason)
{
	const struct kftp_option_spec *o;
	union kftp_option_value v;
	const char *val;
	int opt;

	opt = kftp_request_find_option(tok, &val);
	if (opt < 0) {
		*reason = "unknown option";
		return -EINVAL;
	}
	o = &kftp_request_options[opt];
	if (!(o->verbs & (1U << req->verb))) {
		*reason = o->wrong_verb;
		return -EINVAL;
	}
	if (check_value(o, val, &v)) {
		*reason = o->bad;
		return -EINVAL;
	}
	if (*seen & OPT_BIT(opt)) {
		*reason = "option given twice";
		return -EINVAL;
	}
	if (*seen & o->excludes) {
		*reason = o->conflict;
		return -EINVAL;
	}
	*seen |= OPT_BIT(opt);
	set_option(req, opt, &v);
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
		if (parse_option(tok[i], req, &seen, reason))
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
