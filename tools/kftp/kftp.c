// SPDX-License-Identifier: GPL-2.0
/*
 * kftp - start and follow kftp transfers from the command line.
 *
 *	kftp [-q] [--netrc FILE] get URL PATH [OPTION ...]
 *	kftp [-q] [--netrc FILE] put PATH URL [OPTION ...]
 *	kftp [-q] [--netrc FILE] list URL PATH [OPTION ...]
 *	kftp cancel ID
 *	kftp status [ID]
 *
 * The command speaks only the module's interface, /proc/kftp/request and
 * /proc/kftp/status (kftp(4)).  A transfer is submitted with "wait" by a
 * child process: its write(2) returns when the transfer ends, with the
 * transfer's errno, so the outcome never depends on the status table's
 * history.  Meanwhile the parent finds the transfer's row in the status
 * table and shows its progress.
 *
 * Finding the row: the ID is not returned by the write, so the parent
 * notes the highest ID in the table before the write and then takes the
 * lowest ID above it whose URL (as the table shows it, password masked)
 * and PATH are its own.  Another writer can only be mistaken for us if it
 * submits the same URL and PATH in the same instant, an identical
 * transfer: the exit status is still our own (it comes from our write),
 * only the progress shown and the ID that Ctrl-C cancels may be the
 * twin's.  A request with a password is told apart from the twin's only
 * by the user name, as the table masks passwords.
 *
 * Ctrl-C (SIGINT), SIGTERM and SIGHUP cancel the transfer: "cancel ID"
 * once its ID is known; before that, the child is sent SIGTERM, and the
 * module cancels the transfer of a "wait" writer that a signal
 * interrupts.  The child ignores SIGINT so that the terminal's Ctrl-C
 * reaches the parent only.
 *
 * Exit status: see exit_code() and kftp(1).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#define KFTP_LINE_MAX	4096
#define ADDRS_MAX	16	/* addr=: the module takes as many */
#define STATUS_MAX	(4 << 20)
#define POLL_MS		100

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* exit codes, documented in kftp(1) */
enum {
	EX_OK = 0,
	EX_OTHER = 1,
	EX_USAGE = 2,
	EX_REJECTED = 3,	/* the module refused the line (EINVAL, ENOENT of cancel) */
	EX_NOMODULE = 4,	/* no /proc/kftp: the module is not loaded */
	EX_PERM = 5,		/* EPERM, or the proc file cannot be opened */
	EX_BUSY = 6,		/* EBUSY: the queue is full */
	EX_CONNECT = 7,		/* ECONNREFUSED, ENETUNREACH, EHOSTUNREACH, ... */
	EX_CONNLOST = 8,	/* ECONNRESET, ECONNABORTED, ENOTCONN */
	EX_LOGIN = 9,		/* EACCES: 530/532 */
	EX_REMOTE = 10,		/* ENOENT: 550, no such remote file */
	EX_TIMEOUT = 11,	/* ETIMEDOUT */
	EX_PROTO = 12,		/* EPROTO, EOPNOTSUPP, EIO, EAGAIN */
	EX_FBIG = 13,		/* EFBIG */
	EX_LOCAL = 14,		/* a local file error */
	EX_CANCELLED = 15,	/* ECANCELED by someone else */
	EX_NOMEM = 16,		/* ENOMEM */
	EX_BADMSG = 17,		/* EBADMSG: not the sha256= asked for */
	EX_SIGNAL = 128,	/* + the signal that made us cancel */
};

struct row {
	unsigned long long id;
	char state[16];
	long long bytes;
	long long total;	/* -1: unknown */
	long long rate;		/* -1: unknown */
	char err[32];
	char reply[512];
};

static const char *req_file = "/proc/kftp/request";
static const char *status_file = "/proc/kftp/status";
static int quiet;
/* set by the handler; read after calls the compiler cannot see through */
static sig_atomic_t got_signal;

static void msg(const char *fmt, ...)
{
	va_list ap;

	fputs("kftp: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int help(void)
{
	fputs("usage: kftp [-q] [--netrc FILE] get URL PATH [OPTION ...]\n"
	      "       kftp [-q] [--netrc FILE] put PATH URL [OPTION ...]\n"
	      "       kftp [-q] [--netrc FILE] list URL PATH [OPTION ...]\n"
	      "       kftp cancel ID\n"
	      "       kftp status [ID]\n"
	      "OPTION: mode=passive|active src=IPV4 timeout=S deadline=S min_rate=B max_size=B\n",
	      stderr);
	return EX_USAGE;
}

/* The exit code of an errno that a transfer ended with. */
static int exit_code(int err)
{
	switch (err) {
	case 0:
		return EX_OK;
	case ECONNREFUSED:
	case ENETUNREACH:
	case EHOSTUNREACH:
	case EADDRNOTAVAIL:
		return EX_CONNECT;
	case ECONNRESET:
	case ECONNABORTED:
	case ENOTCONN:
	case EPIPE:
		return EX_CONNLOST;
	case EACCES:
		return EX_LOGIN;
	case ENOENT:
		return EX_REMOTE;
	case ETIMEDOUT:
		return EX_TIMEOUT;
	case EPROTO:
	case EOPNOTSUPP:
	case EIO:
	case EAGAIN:
		return EX_PROTO;
	case EFBIG:
		return EX_FBIG;
	case ENOSPC:
	case EDQUOT:
	case EROFS:
	case EISDIR:
	case EEXIST:
	case ENOTDIR:
	case EPERM:
	case ENAMETOOLONG:
	case ELOOP:
	case EXDEV:
		return EX_LOCAL;
	case ECANCELED:
	case EINTR:
		return EX_CANCELLED;
	case EBUSY:
		return EX_BUSY;
	case ENOMEM:
		return EX_NOMEM;
	case EBADMSG:
		return EX_BADMSG;
	case EINVAL:
		return EX_REJECTED;
	default:
		return EX_OTHER;
	}
}

/* errno names as the status table prints them (and kftp(4) lists them) */
static const struct {
	const char *name;
	int err;
} errnos[] = {
	{ "EPERM", EPERM }, { "ENOENT", ENOENT }, { "EINTR", EINTR },
	{ "EIO", EIO }, { "EAGAIN", EAGAIN }, { "ENOMEM", ENOMEM },
	{ "EACCES", EACCES }, { "EBUSY", EBUSY }, { "EEXIST", EEXIST },
	{ "EXDEV", EXDEV }, { "ENOTDIR", ENOTDIR }, { "EISDIR", EISDIR },
	{ "EINVAL", EINVAL }, { "EFBIG", EFBIG }, { "ENOSPC", ENOSPC },
	{ "EROFS", EROFS }, { "EPIPE", EPIPE }, { "ENAMETOOLONG", ENAMETOOLONG },
	{ "ELOOP", ELOOP }, { "EPROTO", EPROTO }, { "EOPNOTSUPP", EOPNOTSUPP },
	{ "EADDRNOTAVAIL", EADDRNOTAVAIL }, { "ENETUNREACH", ENETUNREACH },
	{ "ECONNABORTED", ECONNABORTED }, { "ECONNRESET", ECONNRESET },
	{ "ENOTCONN", ENOTCONN }, { "ETIMEDOUT", ETIMEDOUT },
	{ "ECONNREFUSED", ECONNREFUSED }, { "EHOSTUNREACH", EHOSTUNREACH },
	{ "ECANCELED", ECANCELED }, { "EDQUOT", EDQUOT }, { "EBADMSG", EBADMSG },
};

static int errno_of(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(errnos); i++)
		if (!strcmp(errnos[i].name, name))
			return errnos[i].err;
	if (name[0] == 'E' && isdigit((unsigned char)name[1]))
		return atoi(name + 1);
	return -1;
}

static const char *errno_name(int err)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(errnos); i++)
		if (errnos[i].err == err)
			return errnos[i].name;
	return "E?";
}

/* ---- the request line ---- */

struct buf {
	char s[KFTP_LINE_MAX + 1];
	size_t len;
	int overflow;
};

static void put_char(struct buf *b, char c)
{
	if (b->len < KFTP_LINE_MAX)
		b->s[b->len++] = c;
	else
		b->overflow = 1;
	b->s[b->len] = '\0';
}

static void put_str(struct buf *b, const char *s)
{
	while (*s)
		put_char(b, *s++);
}

/* RFC 3986: everything but the unreserved characters is percent-encoded */
static void put_encoded(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = *s;

		if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
			put_char(b, c);
		} else {
			put_char(b, '%');
			put_char(b, hex[c >> 4]);
			put_char(b, hex[c & 15]);
		}
	}
}

/* PATH as the request grammar wants it: double quotes when it has a blank */
static void put_path(struct buf *b, const char *path)
{
	if (!strpbrk(path, " \t\"")) {
		put_str(b, path);
		return;
	}
	put_char(b, '"');
	for (; *path; path++) {
		if (*path == '"' || *path == '\\')
			put_char(b, '\\');
		put_char(b, *path);
	}
	put_char(b, '"');
}

/* PATH as the status table shows it */
static void show_path(struct buf *b, const char *path)
{
	int q = !!strpbrk(path, " \t\"");

	if (q)
		put_char(b, '"');
	put_str(b, path);
	if (q)
		put_char(b, '"');
}

/* ---- URL, password, netrc ---- */

struct url {
	char host[256];		/* HOST[:PORT] as written */
	char hostname[256];	/* HOST alone, for netrc */
	char user[256];		/* as written, still encoded; "" if none */
	char rest[KFTP_LINE_MAX];	/* "/REMOTE-PATH" */
	int has_pass;
	char pass_enc[KFTP_LINE_MAX];	/* as written, encoded */
};

static int split_url(const char *s, struct url *u)
{
	const char *auth, *slash, *at, *colon;
	size_t n;

	memset(u, 0, sizeof(*u));
	if (strncasecmp(s, "ftp://", 6))
		return -1;
	auth = s + 6;
	slash = strchr(auth, '/');
	if (!slash || strlen(slash) >= sizeof(u->rest))
		return -1;
	memcpy(u->rest, slash, strlen(slash) + 1);
	at = memrchr(auth, '@', slash - auth);
	if (at) {
		colon = memchr(auth, ':', at - auth);
		n = (colon ? colon : at) - auth;
		if (n >= sizeof(u->user))
			return -1;
		memcpy(u->user, auth, n);
		if (colon) {
			u->has_pass = 1;
			n = at - colon - 1;
			if (n >= sizeof(u->pass_enc))
				return -1;
			memcpy(u->pass_enc, colon + 1, n);
		}
		auth = at + 1;
	}
	n = slash - auth;
	if (n >= sizeof(u->host))
		return -1;
	memcpy(u->host, auth, n);
	/* netrc names an IPv6 server without its brackets, as curl does */
	if (auth[0] == '[') {
		colon = memchr(auth, ']', n);
		if (!colon)
			return -1;
		memcpy(u->hostname, auth + 1, colon - auth - 1);
		return 0;
	}
	memcpy(u->hostname, auth, n);
	colon = strchr(u->hostname, ':');
	if (colon)
		u->hostname[colon - u->hostname] = '\0';
	return 0;
}

static int hexval(int c)
{
	if (isdigit(c))
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static void decode(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (*s == '%' && hexval((unsigned char)s[1]) >= 0 &&
		    hexval((unsigned char)s[2]) >= 0) {
			*o++ = hexval((unsigned char)s[1]) * 16 + hexval((unsigned char)s[2]);
			s += 2;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

/* One netrc token; returns 0 at the end of the file. */
static int netrc_token(FILE *f, char *tok, size_t size)
{
	size_t n = 0;
	int c;

	do
		c = getc(f);
	while (c != EOF && isspace(c));
	if (c == EOF)
		return 0;
	if (c == '"') {
		while ((c = getc(f)) != EOF && c != '"') {
			if (c == '\\') {
				c = getc(f);
				if (c == EOF)
					break;
			}
			if (n + 1 < size)
				tok[n++] = c;
		}
	} else {
		do {
			if (n + 1 < size)
				tok[n++] = c;
		} while ((c = getc(f)) != EOF && !isspace(c));
	}
	tok[n] = '\0';
	return 1;
}

/*
 * The login and password of HOST in a netrc file (the first "machine HOST"
 * entry, else "default"), as ftp(1) and curl read it.  @user in: the URL's
 * user or ""; an entry for another login is skipped.
 */
static int netrc_lookup(const char *file, const char *host, char *user, size_t usize,
			char *pass, size_t psize)
{
	char tok[1024], login[1024] = "", pw[1024] = "";
	int in = 0, found = 0, have_pw = 0;
	FILE *f = fopen(file, "r");

	if (!f)
		return -1;
	while (!found && netrc_token(f, tok, sizeof(tok))) {
		if (!strcmp(tok, "machine") || !strcmp(tok, "default")) {
			if (in && have_pw && (!*user || !strcmp(user, login)))
				found = 1;
			if (found)
				break;
			in = !strcmp(tok, "default");
			if (!in && netrc_token(f, tok, sizeof(tok)))
				in = !strcmp(tok, host);
			login[0] = '\0';
			pw[0] = '\0';
			have_pw = 0;
		} else if (!strcmp(tok, "login") && netrc_token(f, tok, sizeof(tok))) {
			snprintf(login, sizeof(login), "%s", tok);
		} else if (!strcmp(tok, "password") && netrc_token(f, tok, sizeof(tok))) {
			snprintf(pw, sizeof(pw), "%s", tok);
			have_pw = 1;
		} else if (!strcmp(tok, "macdef")) {
			/* a macro runs to the next empty line */
			int c, prev = 0;

			while ((c = getc(f)) != EOF && !(c == '\n' && prev == '\n'))
				prev = c;
		}
	}
	if (!found && in && have_pw && (!*user || !strcmp(user, login)))
		found = 1;
	fclose(f);
	explicit_bzero(tok, sizeof(tok));
	if (found) {
		if (!*user)
			snprintf(user, usize, "%s", login);
		snprintf(pass, psize, "%s", pw);
	}
	explicit_bzero(pw, sizeof(pw));
	return found ? 0 : 1;
}

/* Ask for the password on the terminal, without echo. */
static int prompt_password(const char *user, const char *host, char *pass, size_t size)
{
	struct termios old, t;
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
	char prompt[600];
	ssize_t n = 0, r;
	char c;

	if (fd < 0)
		return -1;
	if (tcgetattr(fd, &old)) {
		close(fd);
		return -1;
	}
	snprintf(prompt, sizeof(prompt), "Password for %s@%s: ", user, host);
	if (write(fd, prompt, strlen(prompt)) < 0) {
		close(fd);
		return -1;
	}
	t = old;
	t.c_lflag &= ~(ECHO | ECHONL);
	t.c_lflag |= ICANON;
	tcsetattr(fd, TCSAFLUSH, &t);
	while ((r = read(fd, &c, 1)) == 1 && c != '\n') {
		if ((size_t)n + 1 < size)
			pass[n++] = c;
	}
	pass[n] = '\0';
	tcsetattr(fd, TCSAFLUSH, &old);
	if (write(fd, "\n", 1) < 0)
		r = -1;
	close(fd);
	return r < 0 ? -1 : 0;
}

/*
 * The URL to write: the password from the URL, else from --netrc, else
 * asked on the terminal when the URL names a user and one is there.
 * Sets @display to the URL as the status table will show it, and @name
 * to its host when that is a name rather than an address.
 */
static int make_url(const char *arg, const char *netrc, struct buf *out, struct buf *display,
		    char *name)
{
	struct url u;
	char user[256], pass[1024] = "";
	const char *r;
	int have = 0;

	if (split_url(arg, &u)) {
		msg("not an ftp:// URL with a remote path: %s", arg);
		return EX_USAGE;
	}
	if (u.host[0] == '[' || inet_pton(AF_INET, u.hostname, &(struct in_addr){ 0 }) == 1)
		name[0] = '\0';
	else
		memcpy(name, u.hostname, sizeof(u.hostname));
	snprintf(user, sizeof(user), "%s", u.user);
	decode(user);
	if (!u.has_pass && netrc) {
		int r = netrc_lookup(netrc, u.hostname, user, sizeof(user), pass, sizeof(pass));

		if (r < 0) {
			msg("cannot read %s: %s", netrc, strerror(errno));
			return EX_USAGE;
		}
		have = r == 0;
	}
	if (!u.has_pass && !have && *user && isatty(STDIN_FILENO)) {
		if (prompt_password(user, u.host, pass, sizeof(pass)) == 0)
			have = 1;
	}

	put_str(out, "ftp://");
	put_str(display, "ftp://");
	if (u.has_pass || have || *user) {
		/* the user as written, or encoded from netrc */
		struct buf who = { .len = 0 };

		if (*u.user)
			put_str(&who, u.user);
		else
			put_encoded(&who, user);
		put_str(out, who.s);
		put_str(display, who.s);
	}
	if (u.has_pass) {
		put_char(out, ':');
		put_str(out, u.pass_enc);
		put_str(display, ":***");
	} else if (have) {
		put_char(out, ':');
		put_encoded(out, pass);
		put_str(display, ":***");
	}
	explicit_bzero(pass, sizeof(pass));
	if (u.has_pass || have || *user) {
		put_char(out, '@');
		put_char(display, '@');
	}
	put_str(out, u.host);
	put_str(display, u.host);
	/* a blank or non-ASCII byte in the remote path: percent-encoded */
	for (r = u.rest; *r; r++) {
		char one[2] = { *r, '\0' };

		if ((unsigned char)*r <= ' ' || (unsigned char)*r > '~') {
			put_encoded(out, one);
			put_encoded(display, one);
		} else {
			put_char(out, *r);
			put_char(display, *r);
		}
	}
	return EX_OK;
}

/*
 * " addr=ADDR,...": @name resolved here, with getaddrinfo() in our own
 * namespaces (resolv.conf, nsswitch.conf, /etc/hosts), in the order it
 * gives.  The module never resolves a name that comes with addr=, and
 * outside the initial network namespace it resolves none: its resolver
 * would answer with the host's DNS.  @family: src='s, else AF_UNSPEC.
 */
static int resolve(const char *name, int family, struct buf *line)
{
	struct addrinfo hints = { .ai_family = family, .ai_socktype = SOCK_STREAM };
	struct addrinfo *res, *ai;
	char seen[ADDRS_MAX][INET6_ADDRSTRLEN], a[INET6_ADDRSTRLEN];
	int err, n = 0, i;

	err = getaddrinfo(name, NULL, &hints, &res);
	if (err) {
		msg("%s: the name does not resolve: %s", name,
		    err == EAI_SYSTEM ? strerror(errno) : gai_strerror(err));
		return EX_CONNECT;
	}
	for (ai = res; ai && n < ADDRS_MAX; ai = ai->ai_next) {
		const void *p;

		if (ai->ai_family == AF_INET) {
			p = &((struct sockaddr_in *)ai->ai_addr)->sin_addr;
		} else if (ai->ai_family == AF_INET6) {
			const struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ai->ai_addr;

			/* a link-local address needs a zone, which addr= cannot say */
			if (IN6_IS_ADDR_LINKLOCAL(&s6->sin6_addr))
				continue;
			p = &s6->sin6_addr;
		} else {
			continue;
		}
		inet_ntop(ai->ai_family, p, a, sizeof(a));
		for (i = 0; i < n && strcmp(seen[i], a); i++)
			;
		if (i < n)
			continue;
		strcpy(seen[n++], a);
		put_str(line, n == 1 ? " addr=" : ",");
		put_str(line, a);
	}
	freeaddrinfo(res);
	if (!n) {
		msg("%s: the name does not resolve to an address kftp can use", name);
		return EX_CONNECT;
	}
	return EX_OK;
}

/* ---- the status table ---- */

static char *read_status(void)
{
	static char *buf;
	size_t n = 0;
	ssize_t r;
	int fd;

	if (!buf)
		buf = malloc(STATUS_MAX + 1);
	if (!buf)
		return NULL;
	fd = open(status_file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	while (n < STATUS_MAX && (r = read(fd, buf + n, STATUS_MAX - n)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			close(fd);
			return NULL;
		}
		n += r;
	}
	close(fd);
	buf[n] = '\0';
	return buf;
}

/* next blank-separated word of *s, NUL-terminated in place */
static char *word(char **s)
{
	char *w;

	while (**s == ' ')
		(*s)++;
	w = *s;
	while (**s && **s != ' ')
		(*s)++;
	if (**s)
		*(*s)++ = '\0';
	return w;
}

static long long num(const char *s)
{
	return isdigit((unsigned char)*s) ? strtoll(s, NULL, 10) : -1;
}

/*
 * Parse one row (modified in place).  @rest is set to what follows TRY:
 * "URL PATH REPLY".
 */
static int parse_row(char *line, struct row *r, char **rest)
{
	char *id, *bytes, *total, *rate, *err, *state;

	id = word(&line);
	word(&line);	/* VERB */
	state = word(&line);
	bytes = word(&line);
	total = word(&line);
	rate = word(&line);
	err = word(&line);
	word(&line);	/* CONN */
	word(&line);	/* ADDR */
	word(&line);	/* TRY */
	if (!isdigit((unsigned char)*id) || !*err)
		return -1;
	memset(r, 0, sizeof(*r));
	r->id = strtoull(id, NULL, 10);
	snprintf(r->state, sizeof(r->state), "%s", state);
	r->bytes = num(bytes);
	r->total = num(total);
	r->rate = num(rate);
	snprintf(r->err, sizeof(r->err), "%s", err);
	*rest = line;
	return 0;
}

/*
 * Scan the table.  @max: the highest ID seen.  With @want (the expected
 * "URL PATH " text) find the lowest ID above @after whose row starts so
 * there; with @id the row of that ID.  Returns 1 when found.
 */
static int scan(const char *want, unsigned long long after, unsigned long long id,
		unsigned long long *max, struct row *out)
{
	char *t = read_status(), *line, *next, *rest;
	struct row r;
	int found = 0;

	if (max)
		*max = 0;
	if (!t)
		return -1;
	line = strchr(t, '\n');	/* skip the header */
	for (line = line ? line + 1 : t + strlen(t); *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		else
			next = line + strlen(line);
		if (parse_row(line, &r, &rest))
			continue;
		if (max && r.id > *max)
			*max = r.id;
		if (id && r.id != id)
			continue;
		if (want && (r.id <= after || strncmp(rest, want, strlen(want))))
			continue;
		if (found && r.id > out->id)
			continue;
		rest += want ? strlen(want) : 0;
		*out = r;
		snprintf(out->reply, sizeof(out->reply), "%s", rest);
		found = 1;
	}
	return found;
}

static int finished(const struct row *r)
{
	return !strcmp(r->state, "done") || !strcmp(r->state, "failed") ||
	       !strcmp(r->state, "cancelled");
}

/* ---- progress ---- */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *human(long long v, char *s, size_t size)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double d = v;
	int i = 0;

	while (d >= 1024 && i < 4) {
		d /= 1024;
		i++;
	}
	if (i == 0)
		snprintf(s, size, "%lld B", v);
	else
		snprintf(s, size, "%.1f %s", d, unit[i]);
	return s;
}

static void eta(long long secs, char *s, size_t size)
{
	if (secs < 0)
		snprintf(s, size, "--:--");
	else if (secs >= 3600)
		snprintf(s, size, "%lld:%02lld:%02lld", secs / 3600, secs / 60 % 60, secs % 60);
	else
		snprintf(s, size, "%02lld:%02lld", secs / 60, secs % 60);
}

/*
 * One progress line, redrawn in place:
 *   fw.bin [#######>            ]  37%  12.0 MiB / 32.0 MiB  4.1 MiB/s  ETA 00:05
 */
static void draw(const char *name, const struct row *r, int final)
{
	char b[32], t[32], rt[32], e[32], bar[23];
	long long rate = r->rate > 0 ? r->rate : 0;
	int pct = -1, i, fill;

	human(r->bytes > 0 ? r->bytes : 0, b, sizeof(b));
	if (r->total > 0)
		pct = (int)(r->bytes * 100 / r->total);
	else if (r->total == 0 && final)
		pct = 100;
	human(rate, rt, sizeof(rt));
	eta(rate > 0 && r->total >= r->bytes ? (r->total - r->bytes + rate - 1) / rate : -1,
	    e, sizeof(e));
	bar[0] = '[';
	fill = pct >= 0 ? pct * 20 / 100 : 0;
	for (i = 0; i < 20; i++)
		bar[i + 1] = i < fill ? '#' : (i == fill && pct >= 0 && pct < 100 ? '>' : ' ');
	bar[21] = ']';
	bar[22] = '\0';
	if (pct >= 0)
		fprintf(stderr, "\r%-16.16s %s %3d%%  %s / %s  %s/s  ETA %s\033[K", name, bar,
			pct, b, human(r->total, t, sizeof(t)), rt, e);
	else
		fprintf(stderr, "\r%-16.16s %-12s  %s  %s/s\033[K", name, r->state, b, rt);
	if (final)
		fputc('\n', stderr);
	fflush(stderr);
}

static void on_signal(int sig)
{
	got_signal = sig;
}

static int write_line(const char *line, size_t len)
{
	int fd = open(req_file, O_WRONLY | O_CLOEXEC);
	ssize_t r;

	if (fd < 0)
		return -errno;
	r = write(fd, line, len);
	if (r < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	close(fd);
	return r == (ssize_t)len ? 0 : -EIO;
}

static int open_error(int err)
{
	if (err == ENOENT || err == ENODEV) {
		msg("%s: the kftp module is not loaded (modprobe kftp)", req_file);
		return EX_NOMODULE;
	}
	msg("%s: %s", req_file, strerror(err));
	return err == EACCES || err == EPERM ? EX_PERM : EX_OTHER;
}

/* errors of the write itself, before any transfer existed */
static int write_refused(int err)
{
	switch (err) {
	case EINVAL:
		msg("the module refused the request: %s (dmesg has the reason)", strerror(err));
		return EX_REJECTED;
	case EPERM:
		msg("not permitted: writing a request needs CAP_NET_ADMIN");
		return EX_PERM;
	case EBUSY:
		msg("the module's queue is full (max_transfers)");
		return EX_BUSY;
	case ENODEV:
		return open_error(err);
	default:
		return 0;
	}
}

/*
 * Submit @line (with "wait") and follow transfer @want ("URL PATH ").
 */
static int run_transfer(const char *line, const char *want, const char *name)
{
	int tty = isatty(STDERR_FILENO), status, err = 0, have = 0, cancel_sent = 0, rc;
	unsigned long long before = 0;
	struct sigaction sa;
	double t0 = now(), last = 0;
	struct row r;
	pid_t pid;

	if (access(req_file, F_OK))
		return open_error(errno);
	if (scan(NULL, 0, 0, &before, &r) < 0)
		before = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		msg("fork: %s", strerror(errno));
		return EX_OTHER;
	}
	if (pid == 0) {
		signal(SIGINT, SIG_IGN);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		err = write_line(line, strlen(line));
		_exit(err < 0 ? -err : 0);
	}

	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);

		if (w == pid)
			break;
		if (scan(want, before, have ? r.id : 0, NULL, &r) == 1)
			have = 1;
		if (got_signal && !cancel_sent) {
			char c[64];

			cancel_sent = 1;
			if (!have ||
			    write_line(c, snprintf(c, sizeof(c), "cancel %llu\n", r.id)) < 0)
				kill(pid, SIGTERM);
		}
		if (have && tty && !quiet && now() - last >= 0.2) {
			draw(name, &r, 0);
			last = now();
		}
		usleep(POLL_MS * 1000);
	}

	if (WIFEXITED(status))
		err = WEXITSTATUS(status);
	else
		err = ECANCELED;
	if (scan(want, before, have ? r.id : 0, NULL, &r) == 1)
		have = 1;
	if (have && finished(&r) && strcmp(r.err, "-"))
		err = errno_of(r.err) > 0 ? errno_of(r.err) : err;
	else if (have && !strcmp(r.state, "done"))
		err = 0;

	if (!have && err) {
		/* no row: the module refused the line, or history is 0 */
		rc = write_refused(err);
		if (rc)
			return rc;
	}
	if (got_signal) {
		if (!quiet) {
			if (have && tty)
				draw(name, &r, 1);
			if (have)
				msg("transfer %llu cancelled", r.id);
			else
				msg("cancelled");
		}
		return EX_SIGNAL + got_signal;
	}
	if (!quiet && have && tty)
		draw(name, &r, 1);
	if (err) {
		if (have)
			msg("transfer %llu failed: %s (%s)%s%s", r.id, errno_name(err),
			    strerror(err), strcmp(r.reply, "-") ? ": " : "",
			    strcmp(r.reply, "-") ? r.reply : "");
		else
			msg("transfer failed: %s (%s)", errno_name(err), strerror(err));
		return exit_code(err);
	}
	if (!quiet && !tty) {
		double s = now() - t0;
		char b[32], rt[32];

		if (have)
			fprintf(stderr,
				"kftp: transfer %llu done: %lld bytes (%s) in %.1f s, %s/s, %s\n",
				r.id, r.bytes, human(r.bytes, b, sizeof(b)), s,
				human(r.rate > 0 ? r.rate : 0, rt, sizeof(rt)), name);
		else
			fprintf(stderr, "kftp: done in %.1f s, %s\n", s, name);
	}
	return EX_OK;
}

/* ---- verbs ---- */

static int abs_path(const char *p, char *out, size_t size)
{
	char cwd[PATH_MAX];

	if (p[0] == '/') {
		if (strlen(p) >= size)
			return -1;
		memcpy(out, p, strlen(p) + 1);
		return 0;
	}
	if (!getcwd(cwd, sizeof(cwd)))
		return -1;
	if ((size_t)snprintf(out, size, "%s/%s", cwd, p) >= size)
		return -1;
	return 0;
}

static int valid_option(const char *o)
{
	static const char *const names[] = {
		"mode=", "src=", "timeout=", "deadline=", "min_rate=", "max_size=",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (!strncmp(o, names[i], strlen(names[i])))
			return 1;
	return 0;
}

static int transfer(const char *verb, const char *url, const char *path,
		    char **opts, int nopts, const char *netrc)
{
	struct buf line = { .len = 0 }, want = { .len = 0 }, disp = { .len = 0 };
	char full[PATH_MAX], name[256];
	int i, rc, family = AF_UNSPEC;
	const char *p;

	if (abs_path(path, full, sizeof(full))) {
		msg("%s: path too long", path);
		return EX_USAGE;
	}
	for (p = full; *p; p++) {
		if ((unsigned char)*p < ' ' || *p == 0x7f) {
			msg("a control character in PATH cannot be written in a request");
			return EX_USAGE;
		}
	}
	if (strcmp(verb, "put")) {
		/* the module would say ENOENT, which reads as a remote error */
		struct stat st;
		char *slash = strrchr(full, '/');

		*slash = '\0';
		errno = 0;
		if (stat(*full ? full : "/", &st) || !S_ISDIR(st.st_mode)) {
			msg("%s: %s", *full ? full : "/",
			    errno ? strerror(errno) : "not a directory");
			return EX_LOCAL;
		}
		*slash = '/';
	}
	for (i = 0; i < nopts; i++) {
		if (!valid_option(opts[i]) || strpbrk(opts[i], " \t\"\n")) {
			msg("unknown option %s", opts[i]);
			return EX_USAGE;
		}
		/* the server's addresses must be of src='s family */
		if (!strncmp(opts[i], "src=", 4))
			family = strchr(opts[i], ':') ? AF_INET6 : AF_INET;
	}
	put_str(&line, verb);
	put_char(&line, ' ');
	if (!strcmp(verb, "put")) {
		put_path(&line, full);
		put_char(&line, ' ');
	}
	rc = make_url(url, netrc, &line, &disp, name);
	if (rc)
		return rc;
	if (strcmp(verb, "put")) {
		put_char(&line, ' ');
		put_path(&line, full);
	}
	for (i = 0; i < nopts; i++) {
		put_char(&line, ' ');
		put_str(&line, opts[i]);
	}
	rc = *name ? resolve(name, family, &line) : EX_OK;
	if (rc) {
		explicit_bzero(line.s, sizeof(line.s));
		return rc;
	}
	put_str(&line, " wait\n");
	if (line.overflow) {
		explicit_bzero(line.s, sizeof(line.s));
		msg("the request is longer than %d bytes", KFTP_LINE_MAX);
		return EX_USAGE;
	}
	put_str(&want, disp.s);
	put_char(&want, ' ');
	show_path(&want, full);
	put_char(&want, ' ');
	p = strrchr(full, '/');
	rc = run_transfer(line.s, want.s, p ? p + 1 : full);
	explicit_bzero(line.s, sizeof(line.s));
	return rc;
}

static int parse_id(const char *s, unsigned long long *id)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	*id = strtoull(s, &end, 10);
	return *end || errno || !*id ? -1 : 0;
}

static int do_cancel(const char *arg)
{
	unsigned long long id;
	char c[64];
	int n, err;

	if (parse_id(arg, &id)) {
		msg("not a transfer ID: %s", arg);
		return EX_USAGE;
	}
	if (access(req_file, F_OK))
		return open_error(errno);
	n = snprintf(c, sizeof(c), "cancel %llu\n", id);
	err = write_line(c, n);
	if (!err)
		return EX_OK;
	if (err == -ENOENT) {
		msg("no transfer %llu in progress", id);
		return EX_REJECTED;
	}
	n = write_refused(-err);
	return n ? n : open_error(-err);
}

static int do_status(const char *arg)
{
	unsigned long long id = 0;
	char *t, *nl;
	struct row r;
	int n;

	if (arg && parse_id(arg, &id)) {
		msg("not a transfer ID: %s", arg);
		return EX_USAGE;
	}
	t = read_status();
	if (!t)
		return open_error(errno);
	if (!id) {
		fputs(t, stdout);
		return EX_OK;
	}
	nl = strchr(t, '\n');
	if (!nl)
		return EX_OTHER;
	fwrite(t, 1, nl + 1 - t, stdout);
	n = scan(NULL, 0, id, NULL, &r);
	if (n != 1) {
		msg("no transfer %llu in the status table", id);
		return EX_REJECTED;
	}
	/* print the row as the module wrote it */
	t = read_status();
	for (nl = t ? strchr(t, '\n') : NULL; nl && nl[1]; nl = strchr(nl + 1, '\n')) {
		if (strtoull(nl + 1, NULL, 10) == id) {
			char *e = strchr(nl + 1, '\n');

			fwrite(nl + 1, 1, e ? e - nl : (long)strlen(nl + 1), stdout);
			return finished(&r) && strcmp(r.state, "done") ? exit_code(errno_of(r.err))
								       : EX_OK;
		}
	}
	return EX_REJECTED;
}

int main(int argc, char **argv)
{
	const char *netrc = NULL, *verb;
	char *args[16];
	int i, n = 0;

	if (getenv("KFTP_PROC")) {
		/* tests: another directory than /proc/kftp */
		static char rq[PATH_MAX], st[PATH_MAX];

		snprintf(rq, sizeof(rq), "%s/request", getenv("KFTP_PROC"));
		snprintf(st, sizeof(st), "%s/status", getenv("KFTP_PROC"));
		req_file = rq;
		status_file = st;
	}
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet")) {
			quiet = 1;
		} else if (!strcmp(argv[i], "--netrc") && i + 1 < argc) {
			netrc = argv[++i];
		} else if (!strncmp(argv[i], "--netrc=", 8)) {
			netrc = argv[i] + 8;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			help();
			return EX_OK;
		} else if (!strcmp(argv[i], "--version")) {
			printf("kftp %s\n", KFTP_TOOL_VERSION);
			return EX_OK;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			msg("unknown flag %s", argv[i]);
			return help();
		} else if (n < (int)ARRAY_SIZE(args)) {
			args[n++] = argv[i];
		} else {
			return help();
		}
	}
	if (!n)
		return help();
	verb = args[0];
	if (!strcmp(verb, "get") || !strcmp(verb, "list")) {
		if (n < 3)
			return help();
		return transfer(verb, args[1], args[2], args + 3, n - 3, netrc);
	}
	if (!strcmp(verb, "put")) {
		if (n < 3)
			return help();
		return transfer(verb, args[2], args[1], args + 3, n - 3, netrc);
	}
	if (!strcmp(verb, "cancel") && n == 2)
		return do_cancel(args[1]);
	if (!strcmp(verb, "status") && n <= 2)
		return do_status(n == 2 ? args[1] : NULL);
	return help();
}
