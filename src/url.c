// SPDX-License-Identifier: GPL-2.0
/*
 * ftp:// URLs: RFC 1738 section 3.2 syntax, RFC 3986 percent-encoding;
 * ftps:// (implicit TLS) is the same but for its default port.
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

/* A hex digit's value, either case, or -1 */
int kftp_hex_digit(char c)
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
 * RFC 4291 section 2.2 text: eight groups of one to four hex digits, one
 * "::" for one or more groups of zeros, the last 32 bits optionally as a
 * dotted quad. Any case, leading zeros within the four digits allowed.
 */
int kftp_parse_ipv6(const char *s, size_t len, u8 addr[16])
{
	const char *end = s + len, *p;
	int n = 0, gap = -1;
	unsigned int v;
	u8 tmp[16];
	int d;

	if (len >= 2 && s[0] == ':' && s[1] == ':') {
		gap = 0;
		s += 2;
	} else if (len && s[0] == ':') {
		return -EINVAL;
	}
	while (s < end || gap < 0) {
		for (p = s, v = 0; p < end && p - s < 5 &&
		     (d = kftp_hex_digit(*p)) >= 0; p++)
			v = v << 4 | d;
		if (p < end && *p == '.') {
			/* the dotted quad ends the address */
			if (n > 12 || kftp_parse_ipv4(s, end - s, tmp + n))
				return -EINVAL;
			n += 4;
			break;
		}
		if (p == s || p - s > 4 || n > 14)
			return -EINVAL;
		tmp[n++] = v >> 8;
		tmp[n++] = v;
		if (p == end)
			break;
		if (*p++ != ':' || p == end)
			return -EINVAL;
		if (*p == ':') {
			if (gap >= 0)
				return -EINVAL;
			gap = n;
			p++;
		}
		s = p;
	}
	if (gap < 0 ? n != 16 : n > 14)
		return -EINVAL;
	if (gap < 0)
		gap = n;
	memset(addr, 0, 16);
	memcpy(addr, tmp, gap);
	memcpy(addr + 16 - (n - gap), tmp + gap, n - gap);
	return 0;
}

/*
 * An IPv4-mapped address (RFC 4291 section 2.5.5.2) reaches an IPv4 server
 * over IPv4: it takes PASV and PORT, and is pooled with the IPv4 form.
 */
static void unmap_ipv4(struct kftp_addr *addr)
{
	static const u8 mapped[12] = { [10] = 0xff, [11] = 0xff };

	if (!memcmp(addr->bytes, mapped, sizeof(mapped))) {
		memmove(addr->bytes, addr->bytes + 12, 4);
		memset(addr->bytes + 4, 0, 12);
		addr->family = KFTP_AF_INET;
	}
}

int kftp_parse_addr(const char *s, size_t len, struct kftp_addr *addr)
{
	memset(addr, 0, sizeof(*addr));
	if (!kftp_parse_ipv4(s, len, addr->bytes)) {
		addr->family = KFTP_AF_INET;
		return 0;
	}
	if (kftp_parse_ipv6(s, len, addr->bytes))
		return -EINVAL;
	addr->family = KFTP_AF_INET6;
	unmap_ipv4(addr);
	return 0;
}

/*
 * RFC 5952 section 4: lower case, the longest run of two or more zero
 * groups (the first of equal runs) as "::".
 */
void kftp_format_addr(const struct kftp_addr *addr, char *buf)
{
	const u8 *b = addr->bytes;
	int i, run, best = -1, best_len = 1;
	size_t len = 0;

	if (addr->family != KFTP_AF_INET6) {
		snprintf(buf, KFTP_ADDR_STRLEN, "%u.%u.%u.%u", b[0], b[1], b[2],
			 b[3]);
		return;
	}
	for (i = 0; i < 8; i += run ? run : 1) {
		for (run = 0; i + run < 8 && !b[2 * (i + run)] &&
		     !b[2 * (i + run) + 1]; run++)
			;
		if (run > best_len) {
			best = i;
			best_len = run;
		}
	}
	for (i = 0; i < 8; i++) {
		if (i == best) {
			len += snprintf(buf + len, KFTP_ADDR_STRLEN - len, "::");
			i += best_len - 1;
			continue;
		}
		len += snprintf(buf + len, KFTP_ADDR_STRLEN - len, "%s%x",
				i && i != best + best_len ? ":" : "",
				b[2 * i] << 8 | b[2 * i + 1]);
	}
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
			int hi = kftp_hex_digit(s[0]);
			int lo = hi < 0 ? -1 : kftp_hex_digit(s[1]);

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

/*
 * A host name (RFC 1123 section 2.1, RFC 1035 section 2.3.4): labels of 1
 * to 63 letters, digits and hyphens, neither starting nor ending with a
 * hyphen, at most 253 characters in all, one trailing dot allowed. A last
 * label of digits only would be a mistyped IPv4 address (RFC 3696 section
 * 2). dns_query() takes no name under 3 characters.
 */
const char *kftp_check_host_name(const char *s, size_t len)
{
	size_t i, label = 0;
	bool digits = true;

	if (len && s[len - 1] == '.')
		len--;
	if (!len)
		return "bad host in URL";
	for (i = 0; i <= len; i++) {
		char c = i < len ? s[i] : '.';

		if (c == '.') {
			if (!label)
				return "empty label in URL host name";
			if (s[i - 1] == '-')
				return "URL host name label ends with a hyphen";
			label = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-'))
			return "bad host in URL";
		if (!label++) {
			if (c == '-')
				return "URL host name label starts with a hyphen";
			digits = true;
		}
		if (label > 63)
			return "URL host name label longer than 63 characters";
		digits = digits && c != '-' && c <= '9';
	}
	if (digits)
		return "bad host in URL";
	if (len > KFTP_HOST_MAX)
		return "URL host name longer than 253 characters";
	if (len < 3)
		return "URL host name shorter than 3 characters";
	return NULL;
}

/*
 * RFC 6874: the zone of a link-local address, "%25" and an interface
 * name, decoded in place. Only the bytes Linux interface names commonly
 * hold: the name becomes an interface index in the writer's namespace.
 */
static int parse_zone(char *zone, const char **reason)
{
	size_t i, len;

	if (strncmp(zone, "%25", 3) ||
	    percent_decode(zone + 3, "control byte in URL zone", reason))
		goto bad;
	len = strlen(zone + 3);
	memmove(zone, zone + 3, len + 1);
	if (!len || len > KFTP_ZONE_MAX)
		goto bad;
	for (i = 0; i < len; i++) {
		char c = zone[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		      c == '_' || c == '~'))
			goto bad;
	}
	return 0;
bad:
	*reason = "bad zone in URL, expected %25 and an interface name";
	return -EINVAL;
}

/* [IPV6] or [IPV6%25ZONE]; *@hp moves past the "]". */
static int parse_ip_literal(char **hp, struct kftp_url *out,
			    const char **reason)
{
	char *close = strchr(*hp, ']');
	char *zone;
	bool link_local;

	if (!close) {
		*reason = "URL host has [ without ]";
		return -EINVAL;
	}
	*close = '\0';
	zone = strchr(*hp + 1, '%');
	if (kftp_parse_ipv6(*hp + 1, (zone ? zone : close) - (*hp + 1),
			    out->addr.bytes)) {
		*reason = "bad IPv6 address in URL";
		return -EINVAL;
	}
	out->addr.family = KFTP_AF_INET6;
	link_local = kftp_ipv6_link_local(out->addr.bytes);
	if (zone) {
		if (parse_zone(zone, reason))
			return -EINVAL;
		if (!link_local) {
			*reason = "URL has a zone for an address that is not link-local";
			return -EINVAL;
		}
		out->zone = zone;
	} else if (link_local) {
		*reason = "link-local address in URL needs a zone (%25IFNAME)";
		return -EINVAL;
	}
	unmap_ipv4(&out->addr);
	*hp = close + 1;
	return 0;
}

static int parse_host_port(char *hp, struct kftp_url *out,
			   const char **reason)
{
	char *colon;
	size_t host_len;
	u64 port = out->implicit_tls ? KFTP_PORT_IMPLICIT_TLS : KFTP_PORT;
	u8 v4[4];

	if (hp[0] == '[') {
		if (parse_ip_literal(&hp, out, reason))
			return -EINVAL;
		if (*hp && *hp != ':') {
			*reason = "text after ] in URL host";
			return -EINVAL;
		}
		colon = *hp ? hp : NULL;
	} else {
		colon = strchr(hp, ':');
		host_len = colon ? (size_t)(colon - hp) : strlen(hp);
		if (!kftp_parse_ipv4(hp, host_len, v4)) {
			memcpy(out->addr.bytes, v4, sizeof(v4));
			out->addr.family = KFTP_AF_INET;
		} else {
			*reason = kftp_check_host_name(hp, host_len);
			if (*reason)
				return -EINVAL;
			out->host = hp;
		}
	}
	if (colon && (kftp_parse_uint(colon + 1, strlen(colon + 1), U16_MAX,
				      &port) || !port)) {
		*reason = "bad port in URL";
		return -EINVAL;
	}
	if (colon)
		*colon = '\0';
	out->port = port;
	return 0;
}

/* ftp:// or ftps://, any case; the length of the scheme, 0: neither */
static size_t parse_scheme(const char *url, struct kftp_url *out)
{
	static const char ftp[] = "ftp://", ftps[] = "ftps://";
	const char *s = ftp;
	size_t i;

	if ((url[0] | 0x20) == 'f' && (url[1] | 0x20) == 't' &&
	    (url[2] | 0x20) == 'p' && (url[3] | 0x20) == 's') {
		s = ftps;
		out->implicit_tls = true;
	}
	for (i = 0; s[i]; i++) {
		if ((url[i] | 0x20) != s[i])
			return 0;
	}
	return i;
}

static int url_parse(char *url, char *display, size_t display_size,
		     struct kftp_url *out, bool dir, const char **reason)
{
	char *auth, *slash, *at, *colon;
	const char *scheme;
	size_t i;

	memset(out, 0, sizeof(*out));
	i = parse_scheme(url, out);
	if (!i) {
		*reason = "URL must start with ftp:// or ftps://";
		return -EINVAL;
	}
	scheme = out->implicit_tls ? "ftps" : "ftp";
	auth = url + i;
	for (i = 0; url[i]; i++) {
		if (url[i] <= ' ' || url[i] > '~') {
			*reason = "URL has a blank, control or non-ASCII byte";
			return -EINVAL;
		}
	}
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
		snprintf(display, display_size, "%s://%.*s:***%s/%s", scheme,
			 (int)(colon - auth), auth, at, slash + 1);
	else
		snprintf(display, display_size, "%s://%s/%s", scheme, auth,
			 slash + 1);
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
	if (!dir && (!*out->path || out->path[strlen(out->path) - 1] == '/')) {
		*reason = "URL does not name a remote file";
		return -EINVAL;
	}
	return 0;
}

int kftp_url_parse(char *url, char *display, size_t display_size,
		   struct kftp_url *out, const char **reason)
{
	return url_parse(url, display, display_size, out, false, reason);
}

int kftp_url_parse_dir(char *url, char *display, size_t display_size,
		       struct kftp_url *out, const char **reason)
{
	return url_parse(url, display, display_size, out, true, reason);
}
