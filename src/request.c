// SPDX-License-Identifier: GPL-2.0
/*
 * Request lines written to /proc/kftp/request:
 *
 *	get URL PATH [mode=passive|active] [src=ADDRESS] [family=4|6]
 *		[timeout=SECONDS] [deadline=SECONDS] [min_rate=BYTES]
 *		[max_size=BYTES] [wait] [rate=BYTES] [retries=N] [mtime] [resume]
 *		[mkdirs] [segments=N] [type=ascii|binary] [sha256=HEX]
 *	list URL PATH [the same options but mtime, resume, segments, type,
 *		sha256] [names]
 *	put PATH URL [the options of get] [append | atomic | resume] [mkdirs]
 *	cancel ID
 *
 * BYTES is a decimal number with an optional K, M or G suffix (powers of
 * 1024). Tokens are separated by blanks; a token in double quotes may hold
 * blanks, with \" and \\ as the only escapes.
 */
#include "proto.h"

#define KFTP_TOKENS_MAX	19	/* verb, URL, PATH, 15 options, one extra */

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

/* Returns the value of "name=value" when @tok has that name, else NULL. */
static const char *option_value(const char *tok, const char *name)
{
	size_t len = strlen(name);

	if (strncmp(tok, name, len) || tok[len] != '=')
		return NULL;
	return tok + len + 1;
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

static int parse_option(const char *tok, struct kftp_request *req,
			unsigned int *seen, const char **reason)
{
	enum {
		SEEN_MODE = 1, SEEN_SRC = 2, SEEN_TIMEOUT = 4, SEEN_WAIT = 8,
		SEEN_DEADLINE = 16, SEEN_MIN_RATE = 32, SEEN_MAX_SIZE = 64,
		SEEN_NAMES = 128, SEEN_MTIME = 256, SEEN_RESUME = 512,
		SEEN_RATE = 1024, SEEN_RETRIES = 2048, SEEN_FAMILY = 4096,
		SEEN_MKDIRS = 8192, SEEN_SEGMENTS = 16384, SEEN_APPEND = 32768,
		SEEN_ATOMIC = 65536, SEEN_TYPE = 131072, SEEN_SHA256 = 262144,
	};
	const char *mode = option_value(tok, "mode");
	const char *src = option_value(tok, "src");
	const char *timeout = option_value(tok, "timeout");
	const char *deadline = option_value(tok, "deadline");
	const char *min_rate = option_value(tok, "min_rate");
	const char *max_size = option_value(tok, "max_size");
	const char *rate = option_value(tok, "rate");
	const char *retries = option_value(tok, "retries");
	const char *family = option_value(tok, "family");
	const char *segments = option_value(tok, "segments");
	const char *type = option_value(tok, "type");
	const char *sha256 = option_value(tok, "sha256");
	unsigned int bit;
	u64 secs;

	if (!strcmp(tok, "wait")) {
		bit = SEEN_WAIT;
		req->wait = true;
	} else if (!strcmp(tok, "names")) {
		bit = SEEN_NAMES;
		req->names = true;
		if (req->verb != KFTP_VERB_LIST) {
			*reason = "names is for list only";
			return -EINVAL;
		}
	} else if (!strcmp(tok, "mtime")) {
		bit = SEEN_MTIME;
		req->mtime = true;
		if (req->verb != KFTP_VERB_GET) {
			*reason = "mtime is for get only";
			return -EINVAL;
		}
	} else if (!strcmp(tok, "mkdirs")) {
		bit = SEEN_MKDIRS;
		req->mkdirs = true;
	} else if (!strcmp(tok, "resume")) {
		bit = SEEN_RESUME;
		req->resume = true;
		if (req->verb == KFTP_VERB_LIST) {
			*reason = "resume is for get and put";
			return -EINVAL;
		}
	} else if (!strcmp(tok, "append")) {
		bit = SEEN_APPEND;
		req->append = true;
	} else if (!strcmp(tok, "atomic")) {
		bit = SEEN_ATOMIC;
		req->atomic = true;
	} else if (mode) {
		bit = SEEN_MODE;
		if (!strcmp(mode, "passive")) {
			req->mode = KFTP_MODE_PASSIVE;
		} else if (!strcmp(mode, "active")) {
			req->mode = KFTP_MODE_ACTIVE;
		} else {
			*reason = "mode must be passive or active";
			return -EINVAL;
		}
	} else if (src) {
		bit = SEEN_SRC;
		if (kftp_parse_addr(src, strlen(src), &req->src)) {
			*reason = "src must be an IPv4 or IPv6 address";
			return -EINVAL;
		}
	} else if (family) {
		bit = SEEN_FAMILY;
		if (!strcmp(family, "4")) {
			req->family = KFTP_AF_INET;
		} else if (!strcmp(family, "6")) {
			req->family = KFTP_AF_INET6;
		} else {
			*reason = "family must be 4 or 6";
			return -EINVAL;
		}
	} else if (timeout) {
		bit = SEEN_TIMEOUT;
		if (kftp_parse_uint(timeout, strlen(timeout), KFTP_TIMEOUT_MAX,
				    &secs) || !secs) {
			*reason = "timeout must be 1 to 3600 seconds";
			return -EINVAL;
		}
		req->timeout = secs;
	} else if (deadline) {
		bit = SEEN_DEADLINE;
		if (kftp_parse_uint(deadline, strlen(deadline),
				    KFTP_DEADLINE_MAX, &secs) || !secs) {
			*reason = "deadline must be 1 to 604800 seconds";
			return -EINVAL;
		}
		req->deadline = secs;
	} else if (min_rate) {
		bit = SEEN_MIN_RATE;
		if (parse_bytes(min_rate, &req->min_rate)) {
			*reason = "min_rate must be at least 1 byte/s (suffix K, M or G)";
			return -EINVAL;
		}
	} else if (max_size) {
		bit = SEEN_MAX_SIZE;
		if (parse_bytes(max_size, &req->max_size)) {
			*reason = "max_size must be at least 1 byte (suffix K, M or G)";
			return -EINVAL;
		}
	} else if (retries) {
		bit = SEEN_RETRIES;
		if (kftp_parse_uint(retries, strlen(retries), KFTP_RETRIES_MAX,
				    &secs)) {
			*reason = "retries must be 0 to 20";
			return -EINVAL;
		}
		req->retries = secs;
	} else if (rate) {
		bit = SEEN_RATE;
		if (parse_bytes(rate, &req->rate) || req->rate > KFTP_RATE_MAX) {
			*reason = "rate must be 1 byte/s to 4G (suffix K, M or G)";
			return -EINVAL;
		}
	} else if (segments) {
		bit = SEEN_SEGMENTS;
		if (req->verb != KFTP_VERB_GET) {
			*reason = "segments is for get only";
			return -EINVAL;
		}
		if (kftp_parse_uint(segments, strlen(segments),
				    KFTP_SEGMENTS_MAX, &secs) || !secs) {
			*reason = "segments must be 1 to 16";
			return -EINVAL;
		}
		req->segments = secs;
	} else if (type) {
		bit = SEEN_TYPE;
		if (req->verb == KFTP_VERB_LIST) {
			*reason = "type is for get and put";
			return -EINVAL;
		}
		if (!strcmp(type, "ascii")) {
			req->ascii = true;
		} else if (strcmp(type, "binary")) {
			*reason = "type must be ascii or binary";
			return -EINVAL;
		}
	} else if (sha256) {
		bit = SEEN_SHA256;
		if (req->verb == KFTP_VERB_LIST) {
			*reason = "sha256 is for get and put";
			return -EINVAL;
		}
		if (parse_sha256(sha256, req->sha256)) {
			*reason = "sha256 must be 64 hex digits";
			return -EINVAL;
		}
		req->has_sha256 = true;
	} else {
		*reason = "unknown option";
		return -EINVAL;
	}
	if (*seen & bit) {
		*reason = "option given twice";
		return -EINVAL;
	}
	if ((bit & (SEEN_APPEND | SEEN_ATOMIC)) && req->verb != KFTP_VERB_PUT) {
		*reason = "append and atomic are for put";
		return -EINVAL;
	}
	/* each names another first command for the same upload */
	if ((bit & (SEEN_APPEND | SEEN_ATOMIC | SEEN_RESUME)) &&
	    (*seen & (SEEN_APPEND | SEEN_ATOMIC | SEEN_RESUME))) {
		*reason = "append, atomic and resume exclude each other";
		return -EINVAL;
	}
	*seen |= bit;
	return 0;
}

/*
 * src= and family= agree with each other and with an address in the URL;
 * a name's addresses are chosen by them when it is resolved.
 */
static int check_families(const struct kftp_request *req, const char **reason)
{
	u8 server = req->url.addr.family;

	if (req->src.family && server && req->src.family != server) {
		*reason = "src and the server are not the same address family";
		return -EINVAL;
	}
	if (req->family && server && req->family != server) {
		*reason = "family does not match the address in the URL";
		return -EINVAL;
	}
	if (req->family && req->src.family && req->family != req->src.family) {
		*reason = "family does not match the src address";
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

int kftp_request_parse(const char *line, size_t len, struct kftp_request *req,
		       const char **reason)
{
	char *tok[KFTP_TOKENS_MAX];
	unsigned int seen = 0;
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
	req->verb = KFTP_VERB_GET;
	req->cancel_id = 0;
	memset(&req->url, 0, sizeof(req->url));
	req->local_path = NULL;
	req->mode = KFTP_MODE_PASSIVE;
	memset(&req->src, 0, sizeof(req->src));
	req->family = 0;
	req->timeout = KFTP_TIMEOUT_DEFAULT;
	req->deadline = 0;
	req->min_rate = 0;
	req->max_size = 0;
	req->wait = false;
	req->names = false;
	req->mtime = false;
	req->append = false;
	req->atomic = false;
	req->resume = false;
	req->rate = 0;
	req->retries = 0;
	req->mkdirs = false;
	req->segments = 1;
	req->ascii = false;
	req->has_sha256 = false;

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
	if (req->segments > 1 && (req->resume || req->rate)) {
		*reason = req->resume ? "segments and resume cannot be combined" :
			  "segments and rate cannot be combined";
		return -EINVAL;
	}
	/* an offset in the file is not one in the CR LF form on the wire */
	if (req->ascii && (req->resume || req->segments > 1)) {
		*reason = req->resume ? "type=ascii and resume cannot be combined" :
			  "type=ascii and segments cannot be combined";
		return -EINVAL;
	}
	/* capped below the rate it must keep: it could only time out */
	if (req->rate && req->rate < req->min_rate) {
		*reason = "rate is below min_rate";
		return -EINVAL;
	}
	return check_families(req, reason);
}
