// SPDX-License-Identifier: GPL-2.0
/*
 * FTP replies: framing of single and multi-line replies (RFC 959 section
 * 4.2), reply codes to errno, and the replies whose text carries data
 * (227 PASV, 229 EPSV from RFC 2428, 213 SIZE and MDTM from RFC 3659, 150,
 * 350 REST); and the lines of an MLSD listing (RFC 3659 section 7), whose
 * times are MDTM's.
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

/* Days from 1970-01-01 to y-m-d, proleptic Gregorian, from year 1. */
static s64 days_from_civil(unsigned int y, unsigned int m, unsigned int d)
{
	unsigned int era, yoe, doy, doe;

	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (s64)era * 146097 + doe - 719468;
}

static unsigned int digits(const char *s, unsigned int n)
{
	unsigned int v = 0;

	while (n--)
		v = v * 10 + (*s++ - '0');
	return v;
}

/*
 * time-val = 14DIGIT [ "." 1*DIGIT ]: YYYYMMDDHHMMSS, UTC, with a second
 * of 60 for a leap second. Fraction digits past nanoseconds are dropped.
 */
static int parse_time_val(const char *s, size_t len, s64 *sec, u32 *nsec)
{
	static const u8 mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	unsigned int y, mo, d, h, mi, se, i;
	u32 ns = 0, scale = 100000000;

	if (len < 14)
		return -EPROTO;
	for (i = 0; i < 14; i++) {
		if (!is_digit(s[i]))
			return -EPROTO;
	}
	if (len > 14) {
		if (s[14] != '.' || len == 15)
			return -EPROTO;
		for (i = 15; i < len; i++) {
			if (!is_digit(s[i]))
				return -EPROTO;
			ns += (s[i] - '0') * scale;
			scale /= 10;
		}
	}
	y = digits(s, 4);
	mo = digits(s + 4, 2);
	d = digits(s + 6, 2);
	h = digits(s + 8, 2);
	mi = digits(s + 10, 2);
	se = digits(s + 12, 2);
	if (!y || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 ||
	    mi > 59 || se > 60)
		return -EPROTO;
	/* 29 February only in a leap year */
	if (mo == 2 && d == 29 && (y % 4 || (y % 100 == 0 && y % 400)))
		return -EPROTO;
	*sec = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
	*nsec = ns;
	return 0;
}

/* 213 MDTM reply: "213 " and a time-val, nothing else but blanks. */
int kftp_parse_mdtm(const char *text, s64 *sec, u32 *nsec)
{
	const char *s = text + 4;
	size_t n = 0;
	s64 t;
	u32 ns;

	if (strncmp(text, "213 ", 4))
		return -EPROTO;
	while (is_digit(s[n]) || s[n] == '.')
		n++;
	if (parse_time_val(s, n, &t, &ns))
		return -EPROTO;
	for (s += n; *s == ' '; s++)
		;
	if (*s)
		return -EPROTO;
	*sec = t;
	*nsec = ns;
	return 0;
}

/*
 * 350 to REST: servers name the offset in words of their own ("Restart
 * position accepted (1024).", "Restarting at 1024. Send STORE or
 * RETRIEVE"): the first number in the text, if there is one, is it.
 */
int kftp_parse_rest(const char *text, u64 *offset)
{
	const char *s = text + 3;
	size_t n = 0;

	if (strncmp(text, "350", 3))
		return -EPROTO;
	while (*s && !is_digit(*s))
		s++;
	if (!*s)
		return -ENODATA;
	while (is_digit(s[n]))
		n++;
	if (kftp_parse_uint(s, n, (u64)S64_MAX, offset))
		return -EPROTO;
	return 0;
}

static bool fact_is(const char *name, size_t len, const char *want)
{
	size_t i;

	if (len != strlen(want))
		return false;
	for (i = 0; i < len; i++) {
		if ((name[i] | 0x20) != want[i])
			return false;
	}
	return true;
}

/*
 * entry = [facts] SP pathname; facts = 1*(factname "=" value ";"). Fact
 * names are case-insensitive; a value holds no ';' and no blank, a name
 * no CR, LF or NUL. Each of type, size and modify at most once.
 */
int kftp_parse_mlsd_line(const char *line, size_t len,
			 struct kftp_mlsd_entry *e)
{
	const char *end = line + len, *p = line, *name, *eq, *val;
	u64 v;

	memset(e, 0, sizeof(*e));
	e->size = -1;
	while (p < end && *p != ' ') {
		name = p;
		while (p < end && *p != '=' && *p != ';' && *p != ' ')
			p++;
		if (p == end || *p != '=' || p == name)
			return -EPROTO;
		eq = p++;
		val = p;
		while (p < end && *p != ';' && *p != ' ')
			p++;
		if (p == end || *p != ';')
			return -EPROTO;
		if (fact_is(name, eq - name, "type")) {
			if (e->type || p == val)
				return -EPROTO;
			e->type = val;
			e->type_len = p - val;
		} else if (fact_is(name, eq - name, "size")) {
			if (e->size >= 0 ||
			    kftp_parse_uint(val, p - val, (u64)S64_MAX, &v))
				return -EPROTO;
			e->size = v;
		} else if (fact_is(name, eq - name, "modify")) {
			if (e->has_modify ||
			    parse_time_val(val, p - val, &e->modify,
					   &e->modify_nsec))
				return -EPROTO;
			e->has_modify = true;
		}
		p++;
	}
	if (p == end || ++p == end)
		return -EPROTO;
	e->name = p;
	e->name_len = end - p;
	for (; p < end; p++) {
		if (*p == '\r' || *p == '\n' || *p == '\0')
			return -EPROTO;
	}
	return 0;
}
