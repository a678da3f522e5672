// SPDX-License-Identifier: GPL-2.0
/*
 * ftp:// URLs: RFC 1738 section 3.2 syntax, RFC 3986 percent-encoding.
 */
#include "proto.h"

/* Strict decimal: digits only, no sign, no overflow, at most @max. */
int kftp_parse_uint(const char *s, size_t len, u64 max, u64 *val)
{
	u64 v = 0;
	size_t i;

	if (!len || len > 20)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		unsigned int d = (unsigned char)s[i] - '0';

		if (d > 9 || d > max || v > (max - d) / 10)
			return -EINVAL;
		v = v * 10 + d;
	}
	*val = v;
	return 0;
}

/*
 * Dotted quad, four decimal parts of 0..255. Leading zeros are refused
 * because other parsers read them as octal.
 */
int kftp_parse_ipv4(const char *s, size_t len, u8 addr[4])
{
	const char *end = s + len;
	int part;

	for (part = 0; part < 4; part++) {
		const char *dot = memchr(s, '.', end - s);
		size_t n = (part < 3 ? dot : end) - s;
		u64 v;

		if ((part < 3 && !dot) || (n > 1 && s[0] == '0') ||
		    kftp_parse_uint(s, n, 255, &v))
			return -EINVAL;
		addr[part] = v;
		s += n + 1;
	}
	return 0;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Decode %XX in place. Control bytes and 0xff (Telnet IAC, RFC 854) are
 * refused: CR, LF or NUL would cut or split the FTP command the string
 * ends up in, and the others may be read as Telnet commands or terminal
 * escapes by the server.
 */
static int percent_decode(char *s, const char *what, const char **reason)
{
	char *out = s;

	while (*s) {
		u8 c = *s++;

		if (c == '%') {
			int hi = hex_digit(s[0]);
			int lo = hi < 0 ? -1 : hex_digit(s[1]);

			if (lo < 0) {
				*reason = "bad percent-encoding in URL";
				return -EINVAL;
			}
			c = hi << 4 | lo;
			s += 2;
		}
		if (c < ' ' || c == 0x7f || c == 0xff) {
			*reason = what;
			return -EINVAL;
		}
		*out++ = c;
	}
	*out = '\0';
	return 0;
}

static bool is_host_name(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '.'))
			return false;
	}
	return len > 0;
}

static int parse_host_port(char *hp, struct kftp_url *out,
			   const char **reason)
{
	char *colon = strchr(hp, ':');
	size_t host_len = colon ? (size_t)(colon - hp) : strlen(hp);
	u64 port = 21;

	if (hp[0] == '[') {
		*reason = "IPv6 addresses are not supported yet";
		return -EINVAL;
	}
	if (kftp_parse_ipv4(hp, host_len, out->addr)) {
		*reason = is_host_name(hp, host_len) ?
			"host names are not supported yet, use an IPv4 address" :
			"bad host in URL";
		return -EINVAL;
	}
	if (colon && (kftp_parse_uint(colon + 1, strlen(colon + 1), U16_MAX,
				      &port) || !port)) {
		*reason = "bad port in URL";
		return -EINVAL;
	}
	out->port = port;
	return 0;
}

int kftp_url_parse(char *url, char *display, size_t display_size,
		   struct kftp_url *out, const char **reason)
{
	static const char scheme[] = "ftp://";
	char *auth, *slash, *at, *colon;
	size_t i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < sizeof(scheme) - 1; i++) {
		if ((url[i] | 0x20) != scheme[i]) {
			*reason = "URL must start with ftp://";
			return -EINVAL;
		}
	}
	for (i = 0; url[i]; i++) {
		if (url[i] <= ' ' || url[i] > '~') {
			*reason = "URL has a blank, control or non-ASCII byte";
			return -EINVAL;
		}
	}
	auth = url + sizeof(scheme) - 1;
	slash = strchr(auth, '/');
	if (!slash) {
		*reason = "URL has no remote path";
		return -EINVAL;
	}
	*slash = '\0';
	at = strrchr(auth, '@');
	colon = at ? memchr(auth, ':', at - auth) : NULL;

	/* the display form keeps everything but the password */
	if (colon)
		snprintf(display, display_size, "ftp://%.*s:***%s/%s",
			 (int)(colon - auth), auth, at, slash + 1);
	else
		snprintf(display, display_size, "ftp://%s/%s", auth, slash + 1);
	out->display = display;

	if (at) {
		*at = '\0';
		if (colon) {
			*colon = '\0';
			out->pass = colon + 1;
		}
		out->user = auth;
		if (!*out->user) {
			*reason = "URL has an empty user name";
			return -EINVAL;
		}
		if (percent_decode(out->user, "control byte or 0xff in URL user",
				   reason))
			return -EINVAL;
		if (out->pass &&
		    percent_decode(out->pass,
				   "control byte or 0xff in URL password", reason))
			return -EINVAL;
	}
	if (parse_host_port(at ? at + 1 : auth, out, reason))
		return -EINVAL;

	out->path = slash + 1;
	if (percent_decode(out->path, "control byte or 0xff in URL path",
			   reason))
		return -EINVAL;
	if (!*out->path || out->path[strlen(out->path) - 1] == '/') {
		*reason = "URL does not name a remote file";
		return -EINVAL;
	}
	return 0;
}
