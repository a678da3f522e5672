// SPDX-License-Identifier: GPL-2.0
/*
 * A request line's options (request.c splits the line): the table of
 * every option, in the manner of the kernel's fs_parameter_spec, and the
 * parser of one option word against it. Plain C on proto.h, as request.c:
 * built into kftp.ko, KUnit, the fuzz harness and the kftp command.
 */
#include "proto.h"

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
 * against this table (tests/options/check.sh, through kftp_request_options[]).
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

/* SNI takes no trailing dot (RFC 6066 section 3) */
static void set_tlsname(struct kftp_request *req, const char *host)
{
	size_t len = strlen(host);

	if (host[len - 1] == '.')
		len--;
	memcpy(req->opts.tlsname, host, len);
	req->opts.tlsname[len] = '\0';
}

static void set_option(struct kftp_request *req, enum kftp_option opt,
		       const union kftp_option_value *v)
{
	static const u8 families[] = { KFTP_AF_INET, KFTP_AF_INET6 };

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
		set_tlsname(req, v->host);
		break;
	case KFTP_OPT_COUNT:
		break;
	}
}

int kftp_request_parse_option(const char *tok, struct kftp_request *req,
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
