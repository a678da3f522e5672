// SPDX-License-Identifier: GPL-2.0
/*
 * kftp - start and follow kftp transfers from the command line.
 *
 *	kftp [FLAG ...] URL ...
 *	kftp [FLAG ...] -T FILE URL
 *	kftp [FLAG ...] -i FILE
 *	kftp [FLAG ...] get URL [PATH] [OPTION ...]
 *	kftp [FLAG ...] put PATH URL [OPTION ...]
 *	kftp [FLAG ...] list URL [PATH] [OPTION ...]
 *	kftp cancel ID
 *	kftp status [ID]
 *
 * The command speaks only the module's interface, /proc/kftp/request and
 * /proc/kftp/status (kftp(5)).  Its flags (flags[]) stand for request
 * options, and each line is checked by the module's own parser (check.c)
 * before it is written.  The lines go out in one write, without "wait",
 * on the request file opened for reading too: the module answers with
 * each line's transfer ID, or with its reason for refusing the write.
 * The command follows exactly those IDs in the status table, which it
 * reads again when poll() on it reports a change (POLLPRI), and shows
 * their progress (progress.c).  It keeps the request file open until the
 * last has ended: the module keeps their rows until then.
 *
 * Ctrl-C (SIGINT), SIGTERM and SIGHUP cancel the transfers: "cancel ID"
 * for each that has not ended, then the command waits for their end.
 *
 * Exit status: see exit_code() and kftp(1).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "tool.h"

#define KFTP_LINE_MAX	4096
#define ADDRS_MAX	16	/* addr=: the module takes as many */
#define STATUS_MAX	(4 << 20)
#define NOTE_SECS	10	/* off a terminal: a line this often */

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
static char netrc_home[PATH_MAX];
/* set by the handler; read after calls the compiler cannot see through */
static sig_atomic_t got_signal;
static sig_atomic_t got_winch;
static int width;		/* of the terminal, 0: to be asked */

static void msg(const char *fmt, ...)
{
	va_list ap;

	fputs("kftp: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
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

/* errno names as the status table prints them (and kftp(5) lists them) */
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
	{ "EKEYREJECTED", EKEYREJECTED }, { "EKEYEXPIRED", EKEYEXPIRED },
	{ "ESRCH", ESRCH },
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

/* one transfer: its request line and how it shows in the status table */
struct job {
	const char *verb;
	struct buf line;	/* the request line, with the password */
	struct buf disp;	/* the URL as the status table shows it */
	char path[PATH_MAX];
	const char *name;	/* PATH's last part, for the progress */
	int zone;		/* the URL has an IPv6 zone */
	int json;
	/* run_jobs(): what became of it */
	unsigned long long id;	/* the module's answer to the write */
	struct row row;
	int have;		/* its row was seen */
	unsigned int pass;	/* the last refresh() that saw its row */
	int ended;
	int err;		/* -1: its row went unseen, the outcome is not known */
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
 * The URL to write: the user and password of -u (@userpass), else the
 * URL's; a missing password from the netrc file, else asked on the
 * terminal.  A user without a password is an error off a terminal: an
 * empty password would only be refused by the server.  Sets @display to
 * the URL as the status table will show it, @name to its host when that
 * is a name rather than an address, @zone when it has an IPv6 zone.
 */
static int make_url(const char *arg, const char *netrc, const char *userpass,
		    struct buf *out, struct buf *display, char *name, int *zone)
{
	struct url u;
	char user[256], pass[1024] = "";
	const char *r;
	int have = 0;

	if (split_url(arg, &u)) {
		msg("not an ftp:// URL with a remote path: %s", arg);
		return EX_USAGE;
	}
	*zone = u.host[0] == '[' && strchr(u.host, '%');
	if (u.host[0] == '[' || inet_pton(AF_INET, u.hostname, &(struct in_addr){ 0 }) == 1)
		name[0] = '\0';
	else
		memcpy(name, u.hostname, sizeof(u.hostname));
	if (userpass) {
		/* -u USER[:PASSWORD], both as typed: encoded below */
		const char *colon = strchr(userpass, ':');
		size_t n = colon ? (size_t)(colon - userpass) : strlen(userpass);

		if (!n || n >= sizeof(user)) {
			msg("-u: no user name");
			return EX_USAGE;
		}
		memcpy(user, userpass, n);
		user[n] = '\0';
		u.user[0] = '\0';
		u.has_pass = 0;
		if (colon) {
			snprintf(pass, sizeof(pass), "%s", colon + 1);
			have = 1;
		}
	} else {
		snprintf(user, sizeof(user), "%s", u.user);
		decode(user);
	}
	if (!u.has_pass && !have && netrc) {
		int r = netrc_lookup(netrc, u.hostname, user, sizeof(user), pass, sizeof(pass));

		if (r < 0) {
			msg("cannot read %s: %s", netrc, strerror(errno));
			return EX_USAGE;
		}
		have = r == 0;
	}
	if (!u.has_pass && !have && *user) {
		/* asked once for each user and host of a batch */
		static char asked[600], answer[1024];
		char key[600];

		snprintf(key, sizeof(key), "%s@%s", user, u.host);
		if (!strcmp(key, asked)) {
			memcpy(pass, answer, sizeof(pass));
		} else if (!isatty(STDIN_FILENO)) {
			msg("no password for %s: give it with -u, --netrc or on a terminal", user);
			return EX_USAGE;
		} else if (prompt_password(user, u.host, pass, sizeof(pass))) {
			msg("cannot read the password from the terminal");
			return EX_USAGE;
		} else {
			memcpy(asked, key, sizeof(asked));
			memcpy(answer, pass, sizeof(answer));
		}
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

/* The whole table, read from the start of @fd: one snapshot (kftp(5)). */
static char *read_table(int fd)
{
	static char *buf;
	size_t n = 0;
	ssize_t r;

	if (!buf)
		buf = malloc(STATUS_MAX + 1);
	if (!buf || lseek(fd, 0, SEEK_SET) < 0)
		return NULL;
	while (n < STATUS_MAX && (r = read(fd, buf + n, STATUS_MAX - n)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return NULL;
		n += r;
	}
	buf[n] = '\0';
	return buf;
}

static char *read_status(void)
{
	int fd = open(status_file, O_RDONLY | O_CLOEXEC);
	char *t;

	if (fd < 0)
		return NULL;
	t = read_table(fd);
	close(fd);
	return t;
}

/*
 * next blank-separated word of *s, NUL-terminated in place, its \ooo
 * escapes decoded (kftp(5)); "-" stays "-"
 */
static char *word(char **s)
{
	char *w, *o;

	while (**s == ' ')
		(*s)++;
	w = o = *s;
	while (**s && **s != ' ') {
		if (**s == '\\' && isdigit((unsigned char)(*s)[1]) &&
		    isdigit((unsigned char)(*s)[2]) && isdigit((unsigned char)(*s)[3])) {
			*o++ = ((*s)[1] - '0') * 64 + ((*s)[2] - '0') * 8 + ((*s)[3] - '0');
			*s += 4;
		} else {
			*o++ = *(*s)++;
		}
	}
	if (**s)
		(*s)++;
	*o = '\0';
	return w;
}

static long long num(const char *s)
{
	return isdigit((unsigned char)*s) ? strtoll(s, NULL, 10) : -1;
}

/* Parse one row (modified in place), by the columns of kftp(5). */
static int parse_row(char *line, struct row *r)
{
	char *id, *bytes, *total, *rate, *err, *state;
	int i;

	id = word(&line);
	word(&line);	/* VERB */
	state = word(&line);
	bytes = word(&line);
	total = word(&line);
	rate = word(&line);
	err = word(&line);
	for (i = 0; i < 5; i++)
		word(&line);	/* CONN ADDR TRY URL PATH */
	if (!isdigit((unsigned char)*id) || !*err)
		return -1;
	memset(r, 0, sizeof(*r));
	r->id = strtoull(id, NULL, 10);
	snprintf(r->state, sizeof(r->state), "%s", state);
	r->bytes = num(bytes);
	r->total = num(total);
	r->rate = num(rate);
	snprintf(r->err, sizeof(r->err), "%s", err);
	/* REPLY; STARTED ENDED UID follow */
	snprintf(r->reply, sizeof(r->reply), "%s", word(&line));
	return 0;
}

/*
 * Calls @fn for each row of table @t (modified in place); stops when it
 * returns nonzero, and returns that.
 */
static int each_row(char *t, int (*fn)(struct row *r, void *arg), void *arg)
{
	char *line, *next;
	struct row r;
	int ret;

	line = strchr(t, '\n');	/* skip the header */
	for (line = line ? line + 1 : t + strlen(t); *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		else
			next = line + strlen(line);
		if (parse_row(line, &r))
			continue;
		ret = fn(&r, arg);
		if (ret)
			return ret;
	}
	return 0;
}

static int row_of_id(struct row *r, void *arg)
{
	struct row *out = arg;

	if (r->id != out->id)
		return 0;
	*out = *r;
	return 1;
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

/*
 * One progress line, redrawn in place in the terminal's width (asked
 * again after a SIGWINCH): the current rate while the transfer runs, the
 * average when it ends.
 */
static void draw(const char *name, const struct row *r, const struct rate *rt, int final)
{
	struct progress p = {
		.state = r->state, .bytes = r->bytes, .total = r->total,
		.rate = final || !rt || rt->now < 0 ? r->rate : rt->now, .final = final,
	};
	char line[2048];

	if (!width || got_winch) {
		got_winch = 0;
		width = term_width(STDERR_FILENO);
	}
	progress_line(line, sizeof(line), width, name, &p);
	fprintf(stderr, "\r%s\033[K", line);
	if (final)
		fputc('\n', stderr);
	fflush(stderr);
}

/* Off a terminal: a line every NOTE_SECS for a long transfer. */
static void note(const char *name, const struct row *r, const struct rate *rt)
{
	char b[32], t[32], rs[32];
	long long rate = rt->now >= 0 ? rt->now : r->rate;

	human(r->bytes > 0 ? r->bytes : 0, b, sizeof(b));
	human(rate > 0 ? rate : 0, rs, sizeof(rs));
	if (r->total > 0)
		fprintf(stderr, "kftp: transfer %llu: %s of %s (%lld%%), %s/s, %s\n", r->id, b,
			human(r->total, t, sizeof(t)), r->bytes * 100 / r->total, rs, name);
	else
		fprintf(stderr, "kftp: transfer %llu: %s, %s, %s/s, %s\n", r->id, r->state, b, rs,
			name);
}

static void on_winch(int sig)
{
	got_winch = 1;
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

/* open(2) of the request file failed: the module or the writer's rights */
static int open_error(int err)
{
	if (err == ENOENT || err == ENODEV) {
		msg("%s: the kftp module is not loaded (modprobe kftp)", req_file);
		return EX_NOMODULE;
	}
	msg("%s: %s", req_file, strerror(err));
	if (err == EACCES || err == EPERM) {
		msg("writing a request needs root's rights on the file and CAP_NET_ADMIN");
		return EX_PERM;
	}
	return EX_OTHER;
}

/*
 * Errors of the write itself, before any transfer existed: the line, the
 * writer's rights, the queue, or the local file the module opens at once
 * (put's source, get's destination directory) in the writer's context.
 * @why: the module's read-back reason ("line 2: bad port in URL").
 */
static int write_refused(int err, const char *verb, int zone, const char *why)
{
	switch (err) {
	case EPERM:
		msg("not permitted: writing a request needs CAP_NET_ADMIN");
		return EX_PERM;
	case EBUSY:
		msg("the module's queue is full (max_transfers), or a transfer in progress writes that file: %s",
		    why);
		return EX_BUSY;
	case ENOMEM:
		msg("the module is out of memory");
		return EX_NOMEM;
	case ENODEV:
		if (zone) {
			msg("no such network interface for the zone in the URL: %s", why);
			return EX_REJECTED;
		}
		msg("the kftp module is being unloaded");
		return EX_NOMODULE;
	case ENOENT:
	case EACCES:
	case ENOTDIR:
	case EISDIR:
	case EROFS:
	case ELOOP:
	case ENAMETOOLONG:
	case ENXIO:
		msg("%s: %s (%s)", strcmp(verb, "put") ? "the local destination" : "the local file to send",
		    strerror(err), why);
		return EX_LOCAL;
	default:
		msg("the module refused the request: %s (%s)", why, errno_name(err));
		return err == EINVAL ? EX_REJECTED : exit_code(err);
	}
}

/* ---- --json ---- */

static void json_str(const char *key, const char *s)
{
	printf("\"%s\":\"", key);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < ' ' || c == 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void json_num(const char *key, long long v)
{
	if (v < 0)
		printf(",\"%s\":null", key);
	else
		printf(",\"%s\":%lld", key, v);
}

/*
 * One object, one line, when the transfer ends; see kftp(1) JSON OUTPUT.
 * @r is NULL when the transfer's row left the table before kftp saw it
 * end: its state is "unknown".
 */
static void json_result(const struct job *j, const struct row *r, int err, double secs)
{
	printf("{\"id\":%llu,", j->id);
	json_str("verb", j->verb);
	putchar(',');
	json_str("url", j->disp.s);
	putchar(',');
	json_str("path", j->path);
	putchar(',');
	json_str("state", r ? r->state : "unknown");
	if (err) {
		putchar(',');
		json_str("errno", errno_name(err));
	} else {
		printf(",\"errno\":null");
	}
	json_num("bytes", r ? r->bytes : -1);
	json_num("total", r ? r->total : -1);
	printf(",\"seconds\":%.3f", secs);
	json_num("rate", r ? r->rate : -1);
	if (r && strcmp(r->reply, "-")) {
		putchar(',');
		json_str("reply", r->reply);
	} else {
		printf(",\"reply\":null");
	}
	printf("}\n");
	fflush(stdout);
}

/* ---- submitting and following ---- */

/*
 * The request file is opened for reading and writing: the module answers
 * the write with the transfers' IDs, or with its reason for refusing it
 * (kftp(5)).  Each job's line goes out in one write, without "wait":
 * kftp waits itself, with poll() on the status file, which is opened
 * before the write so that its first poll() reports every change after.
 * The request file stays open in *@request_fd until every outcome was
 * read: while it is, the module keeps the rows of its transfers.
 */
static int submit(struct job **js, int n, int *status_fd, int *request_fd)
{
	size_t len = 0, size = 256 + 24 * (size_t)n, got = 0;
	char *all, *answer, *p, *end;
	int fd, sfd, i, err = 0, zone = 0, rc;
	ssize_t w;

	fd = open(req_file, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return open_error(errno);
	sfd = open(status_file, O_RDONLY | O_CLOEXEC);
	if (sfd < 0) {
		rc = open_error(errno);
		close(fd);
		return rc;
	}
	for (i = 0; i < n; i++)
		len += js[i]->line.len;
	all = malloc(len + 1);
	answer = malloc(size);
	if (!all || !answer) {
		free(all);
		free(answer);
		close(fd);
		close(sfd);
		return EX_NOMEM;
	}
	for (len = 0, i = 0; i < n; i++) {
		memcpy(all + len, js[i]->line.s, js[i]->line.len);
		len += js[i]->line.len;
	}
	do
		w = write(fd, all, len);
	while (w < 0 && errno == EINTR);
	if (w < 0)
		err = errno;
	else if (w != (ssize_t)len)
		err = EIO;
	explicit_bzero(all, len);
	free(all);
	while (got < size - 1 && (w = read(fd, answer + got, size - 1 - got)) != 0) {
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			break;
		got += w;
	}
	answer[got] = '\0';
	if (err) {
		close(fd);
		close(sfd);
		p = strchr(answer, '\n');
		if (p)
			*p = '\0';
		for (i = 0; i < n; i++)
			zone |= js[i]->zone;
		rc = write_refused(err, js[0]->verb, zone, *answer ? answer : strerror(err));
		free(answer);
		return rc;
	}
	/* one ID a line, in line order */
	for (p = answer, i = 0; i < n; i++, p = end + 1) {
		errno = 0;
		js[i]->id = strtoull(p, &end, 10);
		if (end == p || *end != '\n' || errno || !js[i]->id)
			break;
		js[i]->row.id = js[i]->id;
	}
	free(answer);
	if (i < n) {
		/* queued, but which ID is whose is not known: cancel none */
		msg("the module's answer has no ID for request %d", i + 1);
		close(fd);
		close(sfd);
		return EX_OTHER;
	}
	*status_fd = sfd;
	*request_fd = fd;
	return EX_OK;
}

/* the run's jobs, for refresh() */
struct run {
	struct job **js;
	int n;
	int single;	/* one transfer: its own bar, no summary */
	int tty;
	double t0;
	unsigned int pass;
};

/*
 * A transfer has ended: its line, its JSON object.  @gone: its row left
 * the table before kftp saw it end (the module was unloaded: it keeps the
 * rows while kftp's request file is open), and its outcome is not known.
 */
static void end_job(const struct run *run, struct job *j, int gone)
{
	struct row *r = gone ? NULL : &j->row;
	double secs = now() - run->t0;
	char b[32], rt[32];

	j->ended = 1;
	if (gone)
		j->err = -1;
	else if (strcmp(r->err, "-"))
		j->err = errno_of(r->err) > 0 ? errno_of(r->err) : EIO;
	else if (strcmp(r->state, "done"))
		j->err = ECANCELED;
	if (j->json)
		json_result(j, r, j->err > 0 ? j->err : 0, secs);
	/* -q: errors only */
	if (quiet && (!j->err || (got_signal && j->err == ECANCELED)))
		return;
	if (!quiet && run->tty && run->single && r)
		draw(j->name, r, NULL, 1);
	else if (!quiet && run->tty)
		fputs("\r\033[K", stderr);
	if (gone)
		msg("transfer %llu ended, how is not known: its row left the status table before kftp read it (was the module unloaded?), %s",
		    j->id, j->name);
	else if (got_signal && j->err == ECANCELED)
		msg("transfer %llu cancelled", j->id);
	else if (j->err)
		msg("transfer %llu failed: %s (%s)%s%s, %s", j->id, errno_name(j->err),
		    strerror(j->err), strcmp(r->reply, "-") ? ": " : "",
		    strcmp(r->reply, "-") ? r->reply : "", j->name);
	else if (!run->tty || !run->single)
		fprintf(stderr, "kftp: transfer %llu done: %lld bytes (%s) in %.1f s, %s/s, %s\n",
			r->id, r->bytes, human(r->bytes, b, sizeof(b)), secs,
			human(r->rate > 0 ? r->rate : 0, rt, sizeof(rt)), j->name);
}

/* a row of the table: its job's, when it has one that has not ended */
static int take_row(struct row *r, void *arg)
{
	struct run *run = arg;
	int i;

	for (i = 0; i < run->n; i++) {
		struct job *j = run->js[i];

		if (j->id != r->id || j->ended)
			continue;
		j->row = *r;
		j->have = 1;
		j->pass = run->pass;
		break;
	}
	return 0;
}

/* Read the table on @sfd: the jobs' rows; the ones that ended are ended. */
static void refresh(struct run *run, int sfd)
{
	char *t = read_table(sfd);
	int i;

	if (!t)
		return;
	run->pass++;
	each_row(t, take_row, run);
	for (i = 0; i < run->n; i++) {
		struct job *j = run->js[i];

		if (j->ended)
			continue;
		/* a queued transfer only leaves the table after it ended */
		if (j->pass != run->pass)
			end_job(run, j, 1);
		else if (finished(&j->row))
			end_job(run, j, 0);
	}
}

/*
 * "cancel ID" for each transfer not seen to end, one write each: an ID
 * that ended meanwhile fails alone (ENOENT).
 */
static void cancel_jobs(const struct run *run)
{
	char c[64];
	int i;

	for (i = 0; i < run->n; i++)
		if (!run->js[i]->ended)
			write_line(c, snprintf(c, sizeof(c), "cancel %llu\n", run->js[i]->id));
}

/* The run as one progress: bytes and sizes summed, ended of all. */
static void batch_progress(const struct run *run, struct progress *p, int *ended)
{
	int i;

	memset(p, 0, sizeof(*p));
	p->state = "transferring";
	*ended = 0;
	for (i = 0; i < run->n; i++) {
		const struct job *j = run->js[i];

		*ended += j->ended;
		if (!j->have)
			continue;
		p->bytes += j->row.bytes > 0 ? j->row.bytes : 0;
		if (p->total >= 0)
			p->total = j->row.total >= 0 ? p->total + j->row.total : -1;
	}
}

/* On a terminal, the bar: the transfer's, or the run's. */
static void show(const struct run *run, struct rate *rt, struct progress *p, int ended)
{
	struct job *j = run->js[0];
	char line[2048], name[64];

	if (run->single) {
		if (j->have && !j->ended)
			draw(j->name, &j->row, rt, 0);
		return;
	}
	if (!width || got_winch) {
		got_winch = 0;
		width = term_width(STDERR_FILENO);
	}
	snprintf(name, sizeof(name), "%d of %d ended", ended, run->n);
	progress_line(line, sizeof(line), width, name, p);
	fprintf(stderr, "\r%s\033[K", line);
	fflush(stderr);
}

/* Off a terminal, every NOTE_SECS: the transfer, or the run. */
static void notes(const struct run *run, struct rate *rt, struct progress *p, int ended)
{
	char b[32], r2[32];

	if (run->single) {
		if (run->js[0]->have && !run->js[0]->ended)
			note(run->js[0]->name, &run->js[0]->row, rt);
		return;
	}
	fprintf(stderr, "kftp: %d of %d ended, %s, %s/s\n", ended, run->n,
		human(p->bytes, b, sizeof(b)), human(p->rate > 0 ? p->rate : 0, r2, sizeof(r2)));
}

/*
 * Submit the jobs' lines and follow exactly the IDs the module answered:
 * the table is read again when poll() reports a change (POLLPRI), and, to
 * redraw the progress, every 0.2 s on a terminal or NOTE_SECS off one.
 * Ctrl-C (SIGINT), SIGTERM and SIGHUP cancel the transfers not yet ended,
 * whose end is then awaited.  The exit status is that of the first
 * request that failed.
 */
static int run_jobs(struct job **js, int n)
{
	struct run run = { .js = js, .n = n, .single = n == 1,
			   .tty = isatty(STDERR_FILENO), .t0 = now() };
	double noted = run.t0, last = 0;
	int sfd = -1, fd = -1, rc, i, ended, cancel_sent = 0;
	struct rate rt = { .now = -1 };
	struct sigaction sa;
	struct progress p;
	char b[32], r2[32];

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_winch;
	sigaction(SIGWINCH, &sa, NULL);

	rc = submit(js, n, &sfd, &fd);
	if (rc)
		return rc;
	for (;;) {
		struct pollfd pfd = { .fd = sfd, .events = POLLPRI };
		int timeout = -1;

		refresh(&run, sfd);
		if (got_signal && !cancel_sent) {
			cancel_sent = 1;
			cancel_jobs(&run);
		}
		batch_progress(&run, &p, &ended);
		if (ended == n)
			break;
		if (run.single && js[0]->have && !strcmp(js[0]->row.state, "transferring"))
			rate_sample(&rt, js[0]->row.bytes, now());
		else if (!run.single)
			rate_sample(&rt, p.bytes, now());
		p.rate = rt.now;
		if (run.tty && !quiet && (now() - last >= 0.2 || got_winch)) {
			show(&run, &rt, &p, ended);
			last = now();
		}
		if (!run.tty && !quiet && now() - noted >= NOTE_SECS) {
			notes(&run, &rt, &p, ended);
			noted = now();
		}
		if (run.tty && !quiet)
			timeout = 200;
		else if (!quiet)
			timeout = noted + NOTE_SECS > now() ?
				  (noted + NOTE_SECS - now()) * 1000 + 1 : 0;
		/* a signal ends the wait too (EINTR) */
		poll(&pfd, 1, timeout);
	}
	close(sfd);
	/* every outcome read: the module may forget the rows */
	close(fd);

	for (rc = EX_OK, i = 0; i < n && !rc; i++)
		rc = js[i]->err < 0 ? EX_OTHER : js[i]->err ? exit_code(js[i]->err) : EX_OK;
	if (!quiet && !run.single) {
		double s = now() - run.t0;

		for (ended = 0, i = 0; i < n; i++)
			ended += !js[i]->err;
		fprintf(stderr, "kftp: %d transfers: %d done, %d failed, %lld bytes (%s) in %.1f s, %s/s\n",
			n, ended, n - ended, p.bytes, human(p.bytes, b, sizeof(b)), s,
			human(s > 0 ? (long long)(p.bytes / s) : 0, r2, sizeof(r2)));
	}
	if (got_signal)
		return EX_SIGNAL + got_signal;
	return rc;
}

/* ---- the command line ---- */

/* flags that are not request options */
enum {
	F_TOKEN,	/* a request option: struct flag's token */
	F_QUIET, F_HELP, F_VERSION, F_NETRC, F_NETRC_FILE, F_USER, F_UPLOAD,
	F_OUTPUT, F_REMOTE_NAME, F_DRY_RUN, F_JSON, F_CONTINUE_AT, F_FTP_PORT, F_INPUT,
};

/*
 * The command's flags, as curl and wget spell them.  @token: the request
 * option a flag stands for ("retries=" takes the flag's argument); kftp(1)
 * and tests/options/tool.sh list them.
 */
static const struct flag {
	char short_name;
	const char *long_name;
	int has_arg;
	int what;
	const char *token;
} flags[] = {
	{ 'q', "quiet", 0, F_QUIET, NULL },
	{ 's', "silent", 0, F_QUIET, NULL },
	{ 'h', "help", 0, F_HELP, NULL },
	{ 'V', "version", 0, F_VERSION, NULL },
	{ 'n', "netrc", 0, F_NETRC, NULL },
	{ 0, "netrc-file", 1, F_NETRC_FILE, NULL },
	{ 'u', "user", 1, F_USER, NULL },
	{ 'T', "upload-file", 1, F_UPLOAD, NULL },
	{ 'o', "output", 1, F_OUTPUT, NULL },
	{ 'O', "remote-name", 0, F_REMOTE_NAME, NULL },
	{ 0, "dry-run", 0, F_DRY_RUN, NULL },
	{ 'i', "input-file", 1, F_INPUT, NULL },
	{ 0, "json", 0, F_JSON, NULL },
	{ 'C', "continue-at", 1, F_CONTINUE_AT, NULL },
	{ 0, "continue", 0, F_TOKEN, "resume" },
	{ 'P', "ftp-port", 1, F_FTP_PORT, NULL },
	{ 0, "ftp-pasv", 0, F_TOKEN, "mode=passive" },
	{ 0, "interface", 1, F_TOKEN, "src=" },
	{ '4', "ipv4", 0, F_TOKEN, "family=4" },
	{ '6', "ipv6", 0, F_TOKEN, "family=6" },
	{ 0, "connect-timeout", 1, F_TOKEN, "timeout=" },
	{ 'm', "max-time", 1, F_TOKEN, "deadline=" },
	{ 0, "min-rate", 1, F_TOKEN, "min_rate=" },
	{ 0, "max-filesize", 1, F_TOKEN, "max_size=" },
	{ 0, "limit-rate", 1, F_TOKEN, "rate=" },
	{ 0, "retry", 1, F_TOKEN, "retries=" },
	{ 'R', "remote-time", 0, F_TOKEN, "mtime" },
	{ 'l', "list-only", 0, F_TOKEN, "names" },
	{ 0, "raw", 0, F_TOKEN, "raw" },
	{ 0, "create-dirs", 0, F_TOKEN, "mkdirs" },
	{ 0, "segments", 1, F_TOKEN, "segments=" },
	{ 'B', "ascii", 0, F_TOKEN, "type=ascii" },
	{ 0, "sha256", 1, F_TOKEN, "sha256=" },
	{ 'a', "append", 0, F_TOKEN, "append" },
	{ 0, "atomic", 0, F_TOKEN, "atomic" },
	{ 0, "tls", 0, F_TOKEN, "tls=required" },
	{ 0, "ssl-reqd", 0, F_TOKEN, "tls=required" },
	{ 0, "tls-control", 0, F_TOKEN, "tls=control" },
	{ 0, "tlsname", 1, F_TOKEN, "tlsname=" },
};

struct cmd {
	int dry_run;
	int json;
	int remote_name;
	const char *netrc;
	const char *user;
	const char *upload;
	const char *output;
	const char *input;	/* -i: a file of requests, "-" for stdin */
	struct buf opts;	/* " TOKEN ..." of the flags, then of the words */
	char *args[64];
	int nargs;
};

static int help(FILE *f)
{
	fputs("usage: kftp [FLAG ...] URL ...             download to the remote name\n"
	      "       kftp [FLAG ...] -i FILE             the requests of FILE, one a line\n"
	      "       kftp [FLAG ...] -T FILE URL         upload\n"
	      "       kftp [FLAG ...] get URL [PATH] [OPTION ...]\n"
	      "       kftp [FLAG ...] put PATH URL [OPTION ...]\n"
	      "       kftp [FLAG ...] list URL [PATH] [OPTION ...]\n"
	      "       kftp cancel ID\n"
	      "       kftp status [ID]\n"
	      "flags:\n"
	      "  -o, --output PATH      write to PATH (a directory: PATH/remote name)\n"
	      "  -O, --remote-name      write to the remote name in the current directory\n"
	      "  -T, --upload-file FILE upload FILE to URL (a URL ending in / gets FILE's name)\n"
	      "  -i, --input-file FILE  one request a line (- for stdin), all in one write\n"
	      "  -u, --user USER[:PASS] log in as USER (asks for PASS on a terminal)\n"
	      "  -n, --netrc            passwords from ~/.netrc\n"
	      "      --netrc-file FILE  passwords from FILE\n"
	      "  -C -, --continue       resume a partial file (resume)\n"
	      "      --retry N          retries=N\n"
	      "      --limit-rate B     rate=B (suffix K, M or G)\n"
	      "  -4, -6                 family=4, family=6\n"
	      "      --interface ADDR   src=ADDR\n"
	      "  -P, --ftp-port -|ADDR  mode=active (src=ADDR)\n"
	      "      --ftp-pasv         mode=passive\n"
	      "      --connect-timeout S  timeout=S\n"
	      "  -m, --max-time S       deadline=S\n"
	      "      --min-rate B       min_rate=B\n"
	      "      --max-filesize B   max_size=B\n"
	      "  -R, --remote-time      mtime\n"
	      "      --create-dirs      mkdirs\n"
	      "  -a, --append           append (put)\n"
	      "      --atomic           atomic (put)\n"
	      "      --sha256 HEX       sha256=HEX\n"
	      "  -B, --ascii            type=ascii\n"
	      "      --segments N       segments=N (get)\n"
	      "  -l, --list-only        names (list)\n"
	      "      --raw              raw: the listing's bytes as sent (list)\n"
	      "      --tls, --ssl-reqd  tls=required: AUTH TLS, data encrypted too\n"
	      "      --tls-control      tls=control: AUTH TLS, data in the clear\n"
	      "      --tlsname NAME     tlsname=NAME: the certificate's name\n"
	      "      --json             one JSON object per transfer on stdout\n"
	      "      --dry-run          print the request line, write nothing\n"
	      "  -q, -s, --quiet        no progress\n"
	      "  -h, --help             this help\n"
	      "  -V, --version          the version\n"
	      "OPTION: a request option as kftp(5) writes it, e.g. retries=3\n",
	      f);
	return f == stdout ? EX_OK : EX_USAGE;
}

static void add_token(struct cmd *c, const char *token, const char *arg)
{
	put_char(&c->opts, ' ');
	put_str(&c->opts, token);
	if (arg)
		put_str(&c->opts, arg);
}

/* One flag; returns -1 to go on, else the exit status. */
static int take_flag(struct cmd *c, const struct flag *f, const char *arg)
{
	switch (f->what) {
	case F_TOKEN:
		add_token(c, f->token, f->has_arg ? arg : NULL);
		break;
	case F_QUIET:
		quiet = 1;
		break;
	case F_HELP:
		return help(stdout);
	case F_VERSION:
		printf("kftp %s\n", KFTP_TOOL_VERSION);
		return EX_OK;
	case F_NETRC:
		if (!getenv("HOME")) {
			msg("--netrc: HOME is not set");
			return EX_USAGE;
		}
		snprintf(netrc_home, sizeof(netrc_home), "%s/.netrc", getenv("HOME"));
		c->netrc = netrc_home;
		break;
	case F_NETRC_FILE:
		c->netrc = arg;
		break;
	case F_USER:
		c->user = arg;
		break;
	case F_UPLOAD:
		c->upload = arg;
		break;
	case F_OUTPUT:
		c->output = arg;
		break;
	case F_REMOTE_NAME:
		c->remote_name = 1;
		break;
	case F_DRY_RUN:
		c->dry_run = 1;
		break;
	case F_JSON:
		c->json = 1;
		break;
	case F_INPUT:
		c->input = arg;
		break;
	case F_CONTINUE_AT:
		/* curl's -C OFFSET: the module finds the offset itself */
		if (strcmp(arg, "-")) {
			msg("-C takes only \"-\": the offset is the local file's size");
			return EX_USAGE;
		}
		add_token(c, "resume", NULL);
		break;
	case F_FTP_PORT:
		add_token(c, "mode=active", NULL);
		if (strcmp(arg, "-"))
			add_token(c, "src=", arg);
		break;
	}
	return -1;
}

static int parse_args(int argc, char **argv, struct cmd *c)
{
	int i, rc, words_only = 0;
	size_t k;

	for (i = 1; i < argc; i++) {
		char *a = argv[i];
		const struct flag *f = NULL;
		const char *arg = NULL;

		if (words_only || a[0] != '-' || !a[1]) {
			if (c->nargs == (int)ARRAY_SIZE(c->args)) {
				msg("too many arguments");
				return EX_USAGE;
			}
			c->args[c->nargs++] = a;
			continue;
		}
		if (!strcmp(a, "--")) {
			words_only = 1;
			continue;
		}
		if (a[1] == '-') {
			const char *eq = strchr(a + 2, '=');
			size_t n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);

			for (k = 0; k < ARRAY_SIZE(flags); k++)
				if (strlen(flags[k].long_name) == n &&
				    !strncmp(flags[k].long_name, a + 2, n))
					f = &flags[k];
			if (!f || (eq && !f->has_arg)) {
				msg("unknown flag %s (kftp -h lists them)", a);
				return EX_USAGE;
			}
			arg = eq ? eq + 1 : NULL;
			if (f->has_arg && !arg) {
				if (++i == argc) {
					msg("%s needs an argument", a);
					return EX_USAGE;
				}
				arg = argv[i];
			}
			rc = take_flag(c, f, arg);
			if (rc >= 0)
				return rc;
			continue;
		}
		/* -abc: short flags, the last one may take the rest or the next word */
		for (a++; *a; a++) {
			for (f = NULL, k = 0; k < ARRAY_SIZE(flags); k++)
				if (flags[k].short_name == *a)
					f = &flags[k];
			if (!f) {
				msg("unknown flag -%c (kftp -h lists them)", *a);
				return EX_USAGE;
			}
			arg = NULL;
			if (f->has_arg) {
				if (a[1]) {
					arg = a + 1;
				} else if (++i < argc) {
					arg = argv[i];
				} else {
					msg("-%c needs an argument", *a);
					return EX_USAGE;
				}
			}
			rc = take_flag(c, f, arg);
			if (rc >= 0)
				return rc;
			if (arg)
				break;
		}
	}
	return -1;
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

static int is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

/* The remote file's name, the last part of the URL's path, decoded. */
static int remote_name(const char *url, char *out, size_t size)
{
	const char *q = strrchr(url, '/');

	if (!q || strlen(q + 1) >= size)
		return -1;
	snprintf(out, size, "%s", q + 1);
	decode(out);
	if (!*out || !strcmp(out, ".") || !strcmp(out, "..") || strchr(out, '/'))
		return -1;
	return 0;
}

/*
 * The local path of a get or list: -o PATH or PATH, a directory meaning
 * PATH/the remote name; without one, the remote name in the current
 * directory.  Made absolute in @full.
 */
static int local_path(const char *url, const char *path, char *full, size_t size)
{
	char rn[NAME_MAX + 1], joined[PATH_MAX];
	struct stat st;
	size_t n = path ? strlen(path) : 0;

	if (path && !(n && path[n - 1] == '/') && (stat(path, &st) || !S_ISDIR(st.st_mode)))
		return abs_path(path, full, size) ? EX_USAGE : EX_OK;
	if (remote_name(url, rn, sizeof(rn))) {
		msg("%s names no file: give a PATH (-o PATH)", url);
		return EX_USAGE;
	}
	if (!path)
		return abs_path(rn, full, size) ? EX_USAGE : EX_OK;
	if ((size_t)snprintf(joined, sizeof(joined), "%s%s%s", path,
			     path[n - 1] == '/' ? "" : "/", rn) >= sizeof(joined))
		return EX_USAGE;
	return abs_path(joined, full, size) ? EX_USAGE : EX_OK;
}

/*
 * Build one transfer's request line into @j and check it with the module's
 * parser; with --dry-run print it (password masked) instead.  @path: the
 * local file; @url: as given; @opts: the request options, " TOKEN ...".
 */
static int prepare(const char *verb, const char *url, const char *path,
		   const struct cmd *c, const char *opts, struct job *j)
{
	struct buf dl = { .len = 0 };
	char full[PATH_MAX], name[256], urlbuf[KFTP_LINE_MAX + 1];
	const char *reason, *p;
	int rc, family = AF_UNSPEC;

	memset(j, 0, sizeof(*j));
	/* not @verb: a word of -i's line, which the next line overwrites */
	j->verb = !strcmp(verb, "put") ? "put" : !strcmp(verb, "list") ? "list" : "get";
	j->json = c->json;
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
	if (!strcmp(verb, "put")) {
		struct stat st;
		size_t n = strlen(url);

		/* the module would say ENOENT, which reads as a remote error */
		if (stat(full, &st)) {
			msg("%s: %s", full, strerror(errno));
			return EX_LOCAL;
		}
		/* a URL ending in / gets the file's name, as curl -T does */
		if (n && url[n - 1] == '/') {
			struct buf u = { .len = 0 };

			put_str(&u, url);
			put_encoded(&u, strrchr(full, '/') + 1);
			if (u.overflow)
				return EX_USAGE;
			memcpy(urlbuf, u.s, u.len + 1);
			url = urlbuf;
		}
	} else {
		/* the module would say ENOENT, which reads as a remote error */
		struct stat st;
		char *slash = strrchr(full, '/');

		*slash = '\0';
		errno = 0;
		if (!strstr(opts, " mkdirs") &&
		    (stat(*full ? full : "/", &st) || !S_ISDIR(st.st_mode))) {
			msg("%s: %s", *full ? full : "/",
			    errno ? strerror(errno) : "not a directory");
			return EX_LOCAL;
		}
		*slash = '/';
	}
	snprintf(j->path, sizeof(j->path), "%s", full);
	/* the server's addresses must be of the family asked for */
	if (strstr(opts, " family=4"))
		family = AF_INET;
	else if (strstr(opts, " family=6"))
		family = AF_INET6;
	else if ((p = strstr(opts, " src=")))
		family = strchr(strtok(strdupa(p + 5), " "), ':') ? AF_INET6 : AF_INET;
	put_str(&j->line, verb);
	put_char(&j->line, ' ');
	if (!strcmp(verb, "put")) {
		put_path(&j->line, full);
		put_char(&j->line, ' ');
	}
	put_str(&dl, j->line.s);
	rc = make_url(url, c->netrc, c->user, &j->line, &j->disp, name, &j->zone);
	if (rc)
		return rc;
	put_str(&dl, j->disp.s);
	if (strcmp(verb, "put")) {
		put_char(&j->line, ' ');
		put_path(&j->line, full);
		put_char(&dl, ' ');
		put_path(&dl, full);
	}
	put_str(&j->line, opts);
	put_str(&dl, opts);
	rc = *name ? resolve(name, family, &j->line) : EX_OK;
	if (!rc && *name)
		put_str(&dl, strstr(j->line.s, " addr="));
	if (rc) {
		explicit_bzero(j->line.s, sizeof(j->line.s));
		return rc;
	}
	if (j->line.overflow) {
		explicit_bzero(j->line.s, sizeof(j->line.s));
		msg("the request is longer than %d bytes", KFTP_LINE_MAX);
		return EX_USAGE;
	}
	if (check_line(j->line.s, j->line.len, &reason)) {
		explicit_bzero(j->line.s, sizeof(j->line.s));
		msg("the request is refused: %s", reason);
		return EX_REJECTED;
	}
	if (c->dry_run) {
		explicit_bzero(j->line.s, sizeof(j->line.s));
		printf("%s\n", dl.s);
		return EX_OK;
	}
	put_char(&j->line, '\n');
	j->name = strrchr(j->path, '/') + 1;
	return EX_OK;
}

/* One request, run at once (or printed, with --dry-run). */
static int transfer(const char *verb, const char *url, const char *path,
		    const struct cmd *c, const char *opts)
{
	static struct job j;
	struct job *jp[] = { &j };
	int rc = prepare(verb, url, path, c, opts, &j);

	if (!rc && !c->dry_run)
		rc = run_jobs(jp, 1);
	explicit_bzero(j.line.s, sizeof(j.line.s));
	return rc;
}

/* list URL without PATH: the listing goes to a private directory, then stdout */
static int list_to_stdout(const char *url, const struct cmd *c, const char *opts)
{
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char dir[PATH_MAX], file[PATH_MAX + 16], b[65536];
	int rc, fd;
	ssize_t n;

	if ((size_t)snprintf(dir, sizeof(dir), "%s/kftp-list.XXXXXX", tmp) >= sizeof(dir) ||
	    !mkdtemp(dir)) {
		msg("cannot make a directory in %s: %s", tmp, strerror(errno));
		return EX_LOCAL;
	}
	snprintf(file, sizeof(file), "%s/listing", dir);
	rc = transfer("list", url, file, c, opts);
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		while (!rc && (n = read(fd, b, sizeof(b))) > 0)
			if (fwrite(b, 1, n, stdout) != (size_t)n)
				rc = EX_LOCAL;
		close(fd);
		unlink(file);
	}
	rmdir(dir);
	if (fflush(stdout))
		rc = rc ? rc : EX_LOCAL;
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
	if (err == -EACCES)
		return open_error(-err);
	n = write_refused(-err, "cancel", 0, strerror(-err));
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
	r.id = id;
	n = each_row(t, row_of_id, &r);
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

/*
 * One request from its words, as on the command line after the flags:
 * "get URL [PATH] [OPTION ...]", "put PATH URL [OPTION ...]",
 * "list URL [PATH] [OPTION ...]", or the URL form "URL [OPTION ...]" (a
 * get, a list for a URL ending in /, a put of -T's file).  After the URL
 * of get and list, a word the parser does not know as a request option is
 * PATH.  @j: the job to prepare for a batch; NULL to run it at once.
 */
static int request_words(const struct cmd *c, char **w, int n, struct job *j)
{
	const char *verb = w[0], *url, *path = c->output;
	struct buf opts = c->opts;
	char full[PATH_MAX];
	int i, rc;

	if (!strcmp(verb, "put")) {
		if (n < 3)
			return help(stderr);
		path = w[1];
		url = w[2];
		i = 3;
	} else if (!strcmp(verb, "get") || !strcmp(verb, "list")) {
		if (n < 2)
			return help(stderr);
		url = w[1];
		i = 2;
		if (n > 2 && !is_request_option(w[2])) {
			if (path) {
				msg("PATH given twice: %s and -o %s", w[2], path);
				return EX_USAGE;
			}
			path = w[i++];
		}
	} else if (!strncasecmp(verb, "ftp://", 6)) {
		url = verb;
		i = 1;
		verb = c->upload ? "put" : strstr(c->opts.s, " names") ||
			url[strlen(url) - 1] == '/' ? "list" : "get";
		if (c->upload)
			path = c->upload;
	} else {
		msg("unknown verb %s", verb);
		return help(stderr);
	}
	for (; i < n; i++) {
		if (!is_request_option(w[i])) {
			msg("unknown option %s", w[i]);
			return EX_USAGE;
		}
		put_char(&opts, ' ');
		put_str(&opts, w[i]);
	}
	if (!strcmp(verb, "put"))
		return j ? prepare(verb, url, path, c, opts.s, j) : transfer(verb, url, path, c, opts.s);
	if (!strcmp(verb, "list") && !path && !j && !c->remote_name && !c->dry_run)
		return list_to_stdout(url, c, opts.s);
	if (!strcmp(verb, "list") && !path) {
		msg("a listing goes to stdout only alone, without --dry-run or -O: give a PATH");
		return EX_USAGE;
	}
	if (j && path && c->output == path && !is_dir(path)) {
		msg("with several requests, -o names a directory: %s", path);
		return EX_USAGE;
	}
	rc = local_path(url, path, full, sizeof(full));
	if (rc)
		return rc;
	return j ? prepare(verb, url, full, c, opts.s, j) : transfer(verb, url, full, c, opts.s);
}

static struct job **jobs;
static int njobs;

static int add_job(const struct cmd *c, char **w, int n)
{
	struct job **more = realloc(jobs, (njobs + 1) * sizeof(*jobs));

	if (!more)
		return EX_NOMEM;
	jobs = more;
	jobs[njobs] = malloc(sizeof(**jobs));
	if (!jobs[njobs])
		return EX_NOMEM;
	return request_words(c, w, n, jobs[njobs++]);
}

/* -i FILE: one request a line, its words split at blanks; # comments */
static int read_requests(const struct cmd *c, const char *file)
{
	FILE *f = strcmp(file, "-") ? fopen(file, "r") : stdin;
	char *line = NULL, *w[64], *save;
	size_t size = 0;
	int n, rc = EX_OK, lineno = 0;

	if (!f) {
		msg("%s: %s", file, strerror(errno));
		return EX_USAGE;
	}
	while (!rc && getline(&line, &size, f) > 0) {
		lineno++;
		n = 0;
		for (w[0] = strtok_r(line, " \t\r\n", &save); w[n] && n < (int)ARRAY_SIZE(w) - 1;
		     w[++n] = strtok_r(NULL, " \t\r\n", &save))
			;
		if (!n || w[0][0] == '#')
			continue;
		rc = add_job(c, w, n);
		if (rc)
			msg("%s: line %d is not taken", file, lineno);
	}
	if (line)
		explicit_bzero(line, size);
	free(line);
	if (f != stdin)
		fclose(f);
	return rc;
}

int main(int argc, char **argv)
{
	static struct cmd c;
	const char *verb;
	int rc, i;

	if (getenv("KFTP_PROC")) {
		/* tests: another directory than /proc/kftp */
		static char rq[PATH_MAX], st[PATH_MAX];

		snprintf(rq, sizeof(rq), "%s/request", getenv("KFTP_PROC"));
		snprintf(st, sizeof(st), "%s/status", getenv("KFTP_PROC"));
		req_file = rq;
		status_file = st;
	}
	rc = parse_args(argc, argv, &c);
	if (rc >= 0)
		return rc;
	if (!c.nargs && !c.input)
		return help(stderr);
	verb = c.nargs ? c.args[0] : "";
	if (!strcmp(verb, "cancel") && c.nargs == 2)
		return do_cancel(c.args[1]);
	if (!strcmp(verb, "status") && c.nargs <= 2)
		return do_status(c.nargs == 2 ? c.args[1] : NULL);
	if (c.upload && (c.nargs != 1 || c.input)) {
		msg("-T FILE takes one URL: kftp -T FILE URL");
		return EX_USAGE;
	}
	if (!c.input && (c.nargs == 1 || strncasecmp(verb, "ftp://", 6)))
		return request_words(&c, c.args, c.nargs, NULL);
	/* several requests, one write: the URLs, then the lines of -i */
	for (rc = EX_OK, i = 0; i < c.nargs && !rc; i++)
		rc = strncasecmp(c.args[i], "ftp://", 6) ?
		     (msg("several requests: each word is a URL, not %s", c.args[i]), EX_USAGE) :
		     add_job(&c, c.args + i, 1);
	if (!rc && c.input)
		rc = read_requests(&c, c.input);
	if (rc || c.dry_run)
		return rc;
	if (!njobs) {
		msg("no request");
		return EX_USAGE;
	}
	rc = run_jobs(jobs, njobs);
	for (i = 0; i < njobs; i++)
		explicit_bzero(jobs[i]->line.s, sizeof(jobs[i]->line.s));
	return rc;
}
