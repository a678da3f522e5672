// SPDX-License-Identifier: GPL-2.0
/*
 * FTP replies: framing of single and multi-line replies (RFC 959 section
 * 4.2), reply codes to errno, and the replies whose text carries data
 * (227 PASV, 229 EPSV from RFC 2428, 213 SIZE from RFC 3659, 150).
 */
#include "proto.h"

void kftp_reply_parser_init(struct kftp_reply_parser *p)
{
	memset(p, 0, sizeof(*p));
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* "ddd" with a first digit of 1 to 5; returns the code or -1. */
static int reply_code(const char *l, size_t n)
{
	if (n < 3 || l[0] < '1' || l[0] > '5' || !is_digit(l[1]) ||
	    !is_digit(l[2]))
		return -1;
	return (l[0] - '0') * 100 + (l[1] - '0') * 10 + (l[2] - '0');
}

/* One whole line is in p->line. */
static int reply_line(struct kftp_reply_parser *p, bool *done)
{
	struct kftp_reply *r = &p->reply;
	const char *l = p->line;
	size_t n = p->line_len;
	int code = reply_code(l, n);

	if (!p->in_reply) {
		if (code < 0 || (n > 3 && l[3] != ' ' && l[3] != '-'))
			return -EPROTO;
		r->code = code;
		r->lines = 1;
		memcpy(r->text, l, n);
		r->text[n] = '\0';
		if (n > 3 && l[3] == '-')
			p->in_reply = true;
		else
			*done = true;
		return 0;
	}
	if (++r->lines > KFTP_REPLY_LINES_MAX)
		return -EPROTO;
	/* only "ddd " with the first line's code ends a multi-line reply */
	if (code == r->code && (n == 3 || l[3] == ' ')) {
		p->in_reply = false;
		*done = true;
	}
	return 0;
}

int kftp_reply_feed(struct kftp_reply_parser *p, const char *data, size_t len,
		    bool *done)
{
	size_t i;
	int err;

	*done = false;
	for (i = 0; i < len; i++) {
		char c = data[i];

		/* the LF of a CRLF whose CR ended the previous line */
		if (p->skip_lf) {
			p->skip_lf = false;
			if (c == '\n')
				continue;
		}
		if (c == '\r' || c == '\n') {
			p->skip_lf = c == '\r';
			p->line[p->line_len] = '\0';
			err = reply_line(p, done);
			p->line_len = 0;
			if (err)
				return err;
			if (*done)
				return i + 1;
			continue;
		}
		if (c == '\0' || p->line_len == KFTP_REPLY_LINE_MAX)
			return -EPROTO;
		p->line[p->line_len++] = c;
	}
	return len;
}

/* Reply codes to errno, first match wins (README.md documents it). */
static const struct {
	int first, last;
	int err;
} kftp_reply_errnos[] = {
	{ 421, 421, ECONNRESET },	/* closing the control connection */
	{ 425, 425, ENOTCONN },		/* cannot open the data connection */
	{ 426, 426, ECONNABORTED },	/* data connection closed, aborted */
	{ 500, 502, EOPNOTSUPP },	/* not understood, bad arguments, */
	{ 504, 504, EOPNOTSUPP },	/* or not implemented */
	{ 530, 530, EACCES },		/* not logged in */
	{ 532, 532, EACCES },		/* need an account */
	{ 550, 550, ENOENT },		/* file unavailable */
	{ 400, 499, EAGAIN },		/* other transient failures */
	{ 500, 599, EIO },		/* other permanent failures */
	/* last: anything else, a positive reply where it makes no sense */
	{ 100, 399, EPROTO },
};

/* The errno, positive, that a failed step's reply code stands for. */
int kftp_reply_errno(int code)
{
	size_t i, last = ARRAY_SIZE(kftp_reply_errnos) - 1;

	for (i = 0; i < last; i++) {
		if (code >= kftp_reply_errnos[i].first &&
		    code <= kftp_reply_errnos[i].last)
			break;
	}
	return kftp_reply_errnos[i].err;
}

/* Parse up to three digits at *s into a number of 0..255. */
static int parse_byte(const char **s, unsigned int *val)
{
	const char *p = *s;
	unsigned int v = 0;

	while (is_digit(*p) && p - *s < 3)
		v = v * 10 + (*p++ - '0');
	if (p == *s || is_digit(*p) || v > 255)
		return -EPROTO;
	*s = p;
	*val = v;
	return 0;
}

/*
 * 227 Entering Passive Mode (h1,h2,h3,h4,p1,p2): the six numbers start at
 * the first digit after the code, with or without parentheses. Only the
 * port is used: the data connection goes to the control connection's peer
 * (RFC 2577).
 */
int kftp_parse_pasv(const char *text, u16 *port)
{
	const char *s = text + 3;
	unsigned int v[6];
	int i;

	while (*s && !is_digit(*s))
		s++;
	for (i = 0; i < 6; i++) {
		if (i && *s++ != ',')
			return -EPROTO;
		if (parse_byte(&s, &v[i]))
			return -EPROTO;
	}
	if (!(v[4] | v[5]))
		return -EPROTO;
	*port = v[4] << 8 | v[5];
	return 0;
}

/* 229 Entering Extended Passive Mode (|||port|), any delimiter of 33..126. */
int kftp_parse_epsv(const char *text, u16 *port)
{
	const char *s = strchr(text, '(');
	const char *end;
	char d;
	u64 v;

	if (!s)
		return -EPROTO;
	d = s[1];
	if (d < 33 || d > 126 || is_digit(d) || s[2] != d || s[3] != d)
		return -EPROTO;
	s += 4;
	end = strchr(s, d);
	if (!end || end[1] != ')' ||
	    kftp_parse_uint(s, end - s, U16_MAX, &v) || !v)
		return -EPROTO;
	*port = v;
	return 0;
}

/* 213 SIZE reply: "213 " then decimal digits, nothing else but blanks. */
int kftp_parse_size(const char *text, u64 *size)
{
	const char *s = text + 4;
	size_t n = 0;

	if (text[3] != ' ')
		return -EPROTO;
	while (is_digit(s[n]))
		n++;
	if (kftp_parse_uint(s, n, (u64)S64_MAX, size))
		return -EPROTO;
	for (s += n; *s == ' '; s++)
		;
	return *s ? -EPROTO : 0;
}

/* "150 Opening BINARY mode data connection for f (1234 bytes)." */
int kftp_parse_150_size(const char *text, u64 *size)
{
	const char *s = strrchr(text, '(');
	size_t n = 0;

	if (!s)
		return -EPROTO;
	s++;
	while (is_digit(s[n]))
		n++;
	if (strncmp(s + n, " bytes)", 7) ||
	    kftp_parse_uint(s, n, (u64)S64_MAX, size))
		return -EPROTO;
	return 0;
}
