// SPDX-License-Identifier: GPL-2.0
/*
 * Request lines written to /proc/kftp/request:
 *
 *	get URL PATH [mode=passive|active] [src=IPV4] [timeout=SECONDS] [wait]
 *
 * Tokens are separated by blanks; a token in double quotes may hold blanks,
 * with \" and \\ as the only escapes.
 */
#include "proto.h"

#define KFTP_TOKENS_MAX	8	/* verb, URL, PATH, four options, one extra */

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

static int parse_option(const char *tok, struct kftp_request *req,
			unsigned int *seen, const char **reason)
{
	enum { SEEN_MODE = 1, SEEN_SRC = 2, SEEN_TIMEOUT = 4, SEEN_WAIT = 8 };
	const char *mode = option_value(tok, "mode");
	const char *src = option_value(tok, "src");
	const char *timeout = option_value(tok, "timeout");
	unsigned int bit;
	u64 secs;

	if (!strcmp(tok, "wait")) {
		bit = SEEN_WAIT;
		req->wait = true;
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
		req->has_src = true;
		if (kftp_parse_ipv4(src, strlen(src), req->src)) {
			*reason = "src must be an IPv4 address";
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
	} else {
		*reason = "unknown option";
		return -EINVAL;
	}
	if (*seen & bit) {
		*reason = "option given twice";
		return -EINVAL;
	}
	*seen |= bit;
	return 0;
}

int kftp_request_parse(const char *line, size_t len, struct kftp_request *req,
		       const char **reason)
{
	char *tok[KFTP_TOKENS_MAX];
	unsigned int seen = 0;
	int n, i;

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
	req->mode = KFTP_MODE_PASSIVE;
	req->has_src = false;
	req->timeout = KFTP_TIMEOUT_DEFAULT;
	req->wait = false;

	n = tokenize(req->buf, tok, reason);
	if (n <= 0)
		return n ? n : 1;
	if (strcmp(tok[0], "get")) {
		*reason = "unknown verb, expected get";
		return -EINVAL;
	}
	if (n < 2) {
		*reason = "missing URL";
		return -EINVAL;
	}
	if (n < 3) {
		*reason = "missing local path";
		return -EINVAL;
	}
	if (kftp_url_parse(tok[1], req->display, sizeof(req->display),
			   &req->url, reason))
		return -EINVAL;
	if (check_local_path(tok[2], reason))
		return -EINVAL;
	req->local_path = tok[2];
	for (i = 3; i < n; i++) {
		if (parse_option(tok[i], req, &seen, reason))
			return -EINVAL;
	}
	return 0;
}
