// SPDX-License-Identifier: GPL-2.0
/*
 * stallftpd - a scripted misbehaving FTP server.
 *
 *   stallftpd PORT NBYTES [MAXCONN]
 *   stallftpd -s SCENARIO [-d DIR] [-g GOFILE] PORT
 *
 * Listens on 127.0.0.1:PORT and serves control connections, one child each.
 *
 * The first form never finishes a download: on RETR it sends NBYTES over the
 * passive data connection, then stalls with every socket open (rmmod, signal
 * and timeout tests).  SIZE announces far more than NBYTES.  Active mode
 * (EPRT/PORT) gets 502.  At most MAXCONN (default 8) connections.  An
 * upload (STOR) is taken the same way: NBYTES of it into the file it names
 * in the current directory, then the server stalls without reading more.
 *
 * The second form is the hostile-server suite's (tests/guest/hostile.sh): it
 * serves the files of DIR in both modes, and SCENARIO decides how it
 * misbehaves, mostly when the file "h.bin" is asked for (see scenarios[]).
 * Where a scenario must hold still while the test looks at the client (a
 * temporary file that grows, say), it waits for GOFILE to exist.  Each
 * session logs what it sees on stderr, one line per event, "S<n> <event>":
 * start, RETR <name>, QUIT, EOF, 421, DECOY, and "data <peer address>".
 * In scenarios resume and resume_norest, the first RETR of h.bin sends
 * half the file and stalls until the client leaves; later ones send the
 * file from the REST offset (resume: 350; resume_norest: REST gets 502).
 * In scenario busy_twice the first two sessions get a 421 greeting.
 * In scenarios greeting_bytes and size_bytes the greeting, or the reply to
 * SIZE h.bin, is a multiline reply that comes one byte a second for ever.
 * In scenario endless, LIST and NLST send LIST_ENDLESS_MAX bytes.
 * STOR NAME takes an upload into DIR/NAME (at most STOR_MAX bytes).
 * MLSD is answered in scenario mlsd only (502 elsewhere, as busybox and
 * vsftpd have none): the facts of DIR's entries, or of DIR/SUB's, and a
 * broken listing for the directory "bad".
 * AUTH TLS is answered 234 in scenarios tls_garbage and tls_close only
 * (502 elsewhere); then, instead of a TLS ServerHello, come bytes that are
 * no TLS record (tls_garbage) or the end of the server's stream (tls_close,
 * a FIN).  The session logs "AUTH", then reads what else the client sends
 * until it leaves, logging "USER" if a USER command comes in the clear.
 *
 * Guest-only test tool: every loop is bounded; children die with the
 * parent (PR_SET_PDEATHSIG) or after STALL_SECS.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "serve.h"

#define STALL_SECS	3600
#define MAX_COMMANDS	200
#define ACCEPT_MS	30000
#define ANNOUNCED_SIZE	(1ULL << 30)
#define HOSTILE_CONNS	64
#define ENDLESS_MAX	(64ULL << 20)	/* "endless" data stops here */
#define LIST_ENDLESS_MAX (65ULL << 20)	/* and an endless listing here */
#define GO_WAIT_MS	20000
#define TRICKLE_BYTES	1000
#define CUT_SIZE	4194304	/* what SIZE says in "cut" and "reset" */
#define CUT_BYTES	100001	/* what comes: the end falls inside an skb */
#define TRICKLE_LINES	60
#define LONG_LINE	2000
#define MANY_LINES	10000
#define GARBAGE_BYTES	4096
#define HOSTILE_NAME	"h.bin"
#define STOR_MAX	(64LL << 20)	/* bytes an upload may have */
#define STOR_RECV_SECS	10		/* a stalled upload ends the session */
#define TLS_READ_MS	10000	/* tls_*: wait for the ClientHello, the client's end */
#define TLS_DRAIN_MAX	(1 << 20)	/* tls_*: bytes read after 234 */

static pid_t parent;

static void __attribute__((format(printf, 2, 3)))
reply(int fd, const char *fmt, ...)
{
	va_list ap;
	int err;

	va_start(ap, fmt);
	err = vsend_reply(fd, fmt, ap);
	va_end(ap);
	if (err)
		_exit(1);
}

/* one CRLF-terminated command into line; 0 on EOF or overlong garbage */
static int get_line(int fd, char *line, size_t size)
{
	size_t n = 0;
	char c;

	while (n < size - 1) {
		if (read(fd, &c, 1) != 1)
			return 0;
		if (c == '\n') {
			if (n && line[n - 1] == '\r')
				n--;
			line[n] = '\0';
			return 1;
		}
		line[n++] = c;
	}
	return 0;
}

static void stall(void)
{
	int i;

	for (i = 0; i < STALL_SECS && getppid() == parent; i++)
		sleep(1);
	_exit(0);
}

static void send_and_stall(int ctl, int lfd, unsigned long long nbytes)
{
	struct pollfd pfd = { .fd = lfd, .events = POLLIN };
	char buf[16384];
	int dfd;

	if (lfd < 0) {
		reply(ctl, "425 Use PASV or EPSV first.");
		return;
	}
	reply(ctl, "150 Opening BINARY mode data connection.");
	if (poll(&pfd, 1, ACCEPT_MS) != 1)
		_exit(1);
	dfd = accept(lfd, NULL, NULL);
	if (dfd < 0)
		_exit(1);
	memset(buf, 'k', sizeof(buf));
	while (nbytes) {
		size_t chunk = nbytes < sizeof(buf) ? nbytes : sizeof(buf);
		ssize_t w = write(dfd, buf, chunk);

		if (w <= 0)
			_exit(1);
		nbytes -= w;
	}
	fprintf(stderr, "stallftpd: data sent, stalling\n");
	stall();
}

static void recv_and_stall(int ctl, int lfd, const char *name,
			   unsigned long long nbytes)
{
	struct pollfd pfd = { .fd = lfd, .events = POLLIN };
	char buf[16384];
	int dfd, fd;

	if (lfd < 0 || strchr(name, '/') || !*name) {
		reply(ctl, "553 Not here.");
		return;
	}
	fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		reply(ctl, "553 Cannot create.");
		return;
	}
	fprintf(stderr, "stallftpd: STOR %s\n", name);
	reply(ctl, "150 Ok to send data.");
	if (poll(&pfd, 1, ACCEPT_MS) != 1)
		_exit(1);
	dfd = accept(lfd, NULL, NULL);
	if (dfd < 0)
		_exit(1);
	while (nbytes) {
		size_t chunk = nbytes < sizeof(buf) ? nbytes : sizeof(buf);
		ssize_t r = read(dfd, buf, chunk);

		if (r <= 0 || write(fd, buf, r) != r)
			_exit(1);
		nbytes -= r;
	}
	close(fd);
	fprintf(stderr, "stallftpd: data received, stalling\n");
	stall();
}

static void session(int ctl, unsigned long long nbytes)
{
	char line[1024];
	unsigned short port;
	int lfd = -1, i;

	reply(ctl, "220 stallftpd ready.");
	for (i = 0; i < MAX_COMMANDS && get_line(ctl, line, sizeof(line)); i++) {
		if (!strncasecmp(line, "USER", 4)) {
			reply(ctl, "331 Password please.");
		} else if (!strncasecmp(line, "PASS", 4)) {
			reply(ctl, "230 Logged in.");
		} else if (!strncasecmp(line, "TYPE", 4)) {
			reply(ctl, "200 Type set.");
		} else if (!strncasecmp(line, "SIZE", 4)) {
			reply(ctl, "213 %llu", ANNOUNCED_SIZE);
		} else if (!strncasecmp(line, "EPSV", 4) || !strncasecmp(line, "PASV", 4)) {
			if (lfd >= 0)
				close(lfd);
			lfd = listen_on(0, 8, &port);
			if (lfd < 0)
				reply(ctl, "425 Cannot listen.");
			else if (!strncasecmp(line, "EPSV", 4))
				reply(ctl, "229 Entering Extended Passive Mode (|||%u|)", port);
			else
				reply(ctl, "227 Entering Passive Mode (127,0,0,1,%u,%u)",
				      port >> 8, port & 255);
		} else if (!strncasecmp(line, "RETR", 4)) {
			send_and_stall(ctl, lfd, nbytes);
		} else if (!strncasecmp(line, "STOR ", 5)) {
			recv_and_stall(ctl, lfd, line + 5, nbytes);
		} else if (!strncasecmp(line, "QUIT", 4)) {
			reply(ctl, "221 Bye.");
			break;
		} else {
			reply(ctl, "502 Command not implemented.");
		}
	}
	_exit(0);
}

/* ---- the hostile server: stallftpd -s SCENARIO ---- */

enum scenario {
	SC_SIZE_OVER,		/* 213 10, then endless data */
	SC_ENDLESS,		/* SIZE refused, then endless data */
	SC_SIZE_BIG,		/* 213 10 MiB (and endless data if asked) */
	SC_TRICKLE,		/* 213 1000, one byte a second */
	SC_GREETING_TRICKLE,	/* a 220- greeting, one line a second */
	SC_FINAL_TRICKLE,	/* the data, then a 226- reply a line a second */
	SC_CONNECT_HANG,	/* a full accept queue: connects never finish */
	SC_EARLY_226,		/* RETR: 226 first, then 150, data, 226 */
	SC_STRAY_110,		/* RETR: 110, then 150, data, 226 */
	SC_STRAY_120,		/* RETR: 120, then 150, data, 226 */
	SC_LONG_LINE,		/* the data, then a 2000-byte final reply line */
	SC_MANY_LINES,		/* the data, then a 10,000-line final reply */
	SC_GARBAGE,		/* the data, then binary garbage as the reply */
	SC_PASV_OTHER,		/* no EPSV; PASV names 127.0.0.2, a decoy */
	SC_ACTIVE_FOREIGN,	/* active: 127.0.0.2 connects first */
	SC_REUSE_421,		/* 421 to the first command after a RETR */
	SC_QUIT_SILENT,		/* QUIT is never answered */
	SC_PASS_ECHO,		/* 530 quoting the password */
	SC_ENOSPC,		/* b.bin held, a.bin's retry releases it */
	SC_NORMAL,		/* no misbehaviour */
	SC_MLSD,		/* no misbehaviour, and MLSD */
	SC_RESUME,		/* h.bin: half, then a stall; REST */
	SC_RESUME_NOREST,	/* the same without REST */
	SC_CUT,			/* 213 4 MiB, REST, CUT_BYTES of data, FIN, 226 */
	SC_RESET,		/* 213 4 MiB, REST, CUT_BYTES of data, then RST */
	SC_SHRINK,		/* h.bin: h8.bin's size and ranges, one reset, then h.bin without SIZE */
	SC_BUSY_TWICE,		/* 421 to the first two sessions */
	SC_GREETING_BYTES,	/* a 220- greeting, one byte a second */
	SC_SIZE_BYTES,		/* SIZE h.bin answered one byte a second */
	SC_TLS_GARBAGE,		/* AUTH TLS: 234, then bytes that are no TLS */
	SC_TLS_CLOSE,		/* AUTH TLS: 234, then the connection closed */
};

static const char *const scenarios[] = {
	[SC_SIZE_OVER]		= "size_over",
	[SC_ENDLESS]		= "endless",
	[SC_SIZE_BIG]		= "size_big",
	[SC_TRICKLE]		= "trickle",
	[SC_GREETING_TRICKLE]	= "greeting_trickle",
	[SC_FINAL_TRICKLE]	= "final_trickle",
	[SC_CONNECT_HANG]	= "connect_hang",
	[SC_EARLY_226]		= "early_226",
	[SC_STRAY_110]		= "stray_110",
	[SC_STRAY_120]		= "stray_120",
	[SC_LONG_LINE]		= "long_line",
	[SC_MANY_LINES]		= "many_lines",
	[SC_GARBAGE]		= "garbage",
	[SC_PASV_OTHER]		= "pasv_other",
	[SC_ACTIVE_FOREIGN]	= "active_foreign",
	[SC_REUSE_421]		= "reuse_421",
	[SC_QUIT_SILENT]	= "quit_silent",
	[SC_PASS_ECHO]		= "pass_echo",
	[SC_ENOSPC]		= "enospc",
	[SC_NORMAL]		= "normal",
	[SC_MLSD]		= "mlsd",
	[SC_RESUME]		= "resume",
	[SC_RESUME_NOREST]	= "resume_norest",
	[SC_SHRINK]		= "shrink",
	[SC_CUT]		= "cut",
	[SC_RESET]		= "reset",
	[SC_BUSY_TWICE]		= "busy_twice",
	[SC_GREETING_BYTES]	= "greeting_bytes",
	[SC_SIZE_BYTES]		= "size_bytes",
	[SC_TLS_GARBAGE]	= "tls_garbage",
	[SC_TLS_CLOSE]		= "tls_close",
};

static enum scenario sc;
static const char *srv_dir = ".";
static const char *go_file;

/* shared by every session of the server */
struct shared {
	int sessions;
	int a_retrs;		/* SC_ENOSPC: RETR a.bin seen */
	int h_retrs;		/* SC_RESUME*: RETR h.bin seen */
	int shrunk;		/* SC_SHRINK: the range at 0 was reset */
};
static struct shared *shared;

struct sess {
	int id;
	int ctl;
	int lfd;		/* passive listener */
	int decoy;		/* SC_PASV_OTHER: listener on 127.0.0.2 */
	bool active;		/* EPRT/PORT given */
	struct sockaddr_in peer;	/* its address */
	bool retr_done;		/* a RETR ended with 226 */
	long long rest;		/* REST offset for the next RETR */
};

static void __attribute__((format(printf, 2, 3)))
slog(const struct sess *s, const char *fmt, ...)
{
	char head[32];
	va_list ap;

	snprintf(head, sizeof(head), "S%d ", s->id);
	va_start(ap, fmt);
	vlog_line(head, fmt, ap);
	va_end(ap);
}

/* a reply line that may fail: 0, or -1 when the client is gone */
static int __attribute__((format(printf, 2, 3)))
try_reply(int fd, const char *fmt, ...)
{
	va_list ap;
	int err;

	va_start(ap, fmt);
	err = vsend_reply(fd, fmt, ap);
	va_end(ap);
	return err;
}

/* raw bytes on the control connection; errors end nothing */
static void send_raw(int fd, const void *buf, size_t len)
{
	while (len) {
		ssize_t w = write(fd, buf, len);

		if (w <= 0)
			return;
		buf = (const char *)buf + w;
		len -= w;
	}
}

static void msleep(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* hold still until the test creates GOFILE, at most GO_WAIT_MS */
static void wait_go(const struct sess *s)
{
	int i;

	for (i = 0; go_file && i < GO_WAIT_MS / 50; i++) {
		if (!access(go_file, F_OK))
			return;
		msleep(50);
	}
	slog(s, "no go");
}

static void touch(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT, 0644);

	if (fd >= 0)
		close(fd);
}

static bool is_hostile(const char *name)
{
	return !strcmp(name, HOSTILE_NAME);
}

/* the size of DIR/NAME, or -1 */
static long long file_size(const char *name)
{
	char path[1024];
	struct stat st;

	if (strchr(name, '/') || !*name)
		return -1;
	snprintf(path, sizeof(path), "%s/%s", srv_dir, name);
	if (stat(path, &st) || !S_ISREG(st.st_mode))
		return -1;
	return st.st_size;
}

/* connect to the EPRT/PORT address from @src (host order) */
static int connect_back(const struct sess *s, unsigned int src)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(src) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    connect(fd, (const struct sockaddr *)&s->peer, sizeof(s->peer))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* the data connection, passive or active; -1 with a reply sent */
static int open_data(struct sess *s)
{
	struct pollfd pfd[2] = {
		{ .fd = s->lfd, .events = POLLIN },
		{ .fd = s->decoy, .events = POLLIN },
	};
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	int fd, foreign;

	if (s->active) {
		if (sc == SC_ACTIVE_FOREIGN) {
			/* first in the client's accept queue: a stranger */
			foreign = connect_back(s, 0x7f000002);
			if (foreign >= 0) {
				slog(s, "foreign connected");
				send_raw(foreign, "not your data\n", 14);
				/* its end stays open until the session ends */
			}
		}
		fd = connect_back(s, INADDR_LOOPBACK);
		if (fd < 0) {
			reply(s->ctl, "425 Cannot open data connection.");
			return -1;
		}
		slog(s, "data active");
		return fd;
	}
	if (s->lfd < 0) {
		reply(s->ctl, "425 Use PASV or EPSV first.");
		return -1;
	}
	if (poll(pfd, s->decoy >= 0 ? 2 : 1, ACCEPT_MS) < 1) {
		reply(s->ctl, "425 No data connection.");
		return -1;
	}
	if (s->decoy >= 0 && (pfd[1].revents & POLLIN)) {
		fd = accept(s->decoy, NULL, NULL);
		slog(s, "DECOY");
		send_raw(fd, "decoy data, not the file\n", 25);
		return fd;
	}
	fd = accept(s->lfd, (struct sockaddr *)&sa, &len);
	if (fd < 0) {
		reply(s->ctl, "425 Accept failed.");
		return -1;
	}
	slog(s, "data %s", inet_ntoa(sa.sin_addr));
	return fd;
}

/* send DIR/NAME on @dfd; with @pause, wait for GOFILE half-way */
static int send_file(struct sess *s, int dfd, const char *name, bool pause)
{
	char path[1024], buf[16384];
	long long size = file_size(name), sent = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", srv_dir, name);
	fd = size < 0 ? -1 : open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	while ((n = read(fd, buf, pause && sent < size / 2 &&
			 sent + (long long)sizeof(buf) > size / 2 ?
			 size / 2 - sent : (long long)sizeof(buf))) > 0) {
		send_raw(dfd, buf, n);
		sent += n;
		if (pause && sent == size / 2)
			wait_go(s);
	}
	close(fd);
	return 0;
}

/* "endless" data: ENDLESS_MAX bytes, then hold until the client leaves */
static void send_endless(int dfd, unsigned long long max)
{
	struct pollfd pfd = { .fd = dfd, .events = POLLIN };
	unsigned long long sent = 0;
	char buf[16384];
	ssize_t w;

	memset(buf, 'e', sizeof(buf));
	while (sent < max) {
		w = write(dfd, buf, sizeof(buf));
		if (w <= 0)
			return;
		sent += w;
	}
	poll(&pfd, 1, 60000);
}

static void trickle(int dfd, unsigned int bytes)
{
	unsigned int i;

	for (i = 0; i < bytes; i++) {
		if (write(dfd, "t", 1) != 1)
			return;
		sleep(1);
	}
}

/* CUT_BYTES of a 4 MiB file, then the end: a FIN, or a RST if @reset */
static void send_cut(int dfd, bool reset)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	static char buf[CUT_BYTES];
	size_t sent = 0;
	ssize_t w;

	memset(buf, 'c', sizeof(buf));
	while (sent < sizeof(buf)) {
		w = write(dfd, buf + sent, sizeof(buf) - sent);
		if (w <= 0)
			break;
		sent += w;
	}
	/* let the bytes leave before the RST overtakes them */
	if (reset) {
		usleep(200000);
		setsockopt(dfd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	}
	close(dfd);
}

/*
 * A multiline reply one byte a second, for as long as a child lives: every
 * line short and well formed, so that only a bound on the whole reply ends
 * it (a bound on each wait never fires).
 */
static void trickle_reply(int ctl, const char *first)
{
	static const char more[] = " still talking\r\n";
	unsigned int i, n;

	for (i = 0; first[i]; i++) {
		if (write(ctl, &first[i], 1) != 1)
			return;
		sleep(1);
	}
	for (n = 0; n < STALL_SECS; n++) {
		if (write(ctl, &more[n % (sizeof(more) - 1)], 1) != 1)
			return;
		sleep(1);
	}
}

/* SC_ENDLESS: a listing that never ends, past the default cap */
static void list_endless(struct sess *s)
{
	int dfd = open_data(s);

	if (dfd < 0)
		return;
	reply(s->ctl, "150 Here comes the directory listing.");
	send_endless(dfd, LIST_ENDLESS_MAX);
	close(dfd);
	reply(s->ctl, "426 Transfer aborted.");
}

/* a final reply the client must refuse: sent after the data */
static void hostile_final(struct sess *s)
{
	static char buf[LONG_LINE + 2], garbage[GARBAGE_BYTES];
	unsigned int i, seed = 12345;

	switch (sc) {
	case SC_LONG_LINE:
		memcpy(buf, "226 ", 4);
		memset(buf + 4, 'L', LONG_LINE - 4);
		memcpy(buf + LONG_LINE, "\r\n", 2);
		send_raw(s->ctl, buf, LONG_LINE + 2);
		break;
	case SC_MANY_LINES:
		reply(s->ctl, "226-Transfer complete, and then some:");
		for (i = 1; i < MANY_LINES - 1; i++) {
			if (try_reply(s->ctl, " line %u", i))
				return;
		}
		reply(s->ctl, "226 Transfer complete.");
		break;
	case SC_GARBAGE:
		for (i = 0; i < GARBAGE_BYTES; i++) {
			seed = seed * 1103515245 + 12345;
			garbage[i] = seed >> 16;
		}
		/* never a reply code at the start */
		garbage[0] = '\xff';
		send_raw(s->ctl, garbage, GARBAGE_BYTES);
		break;
	case SC_FINAL_TRICKLE:
		reply(s->ctl, "226-Transfer complete, slowly:");
		for (i = 0; i < TRICKLE_LINES; i++) {
			sleep(1);
			if (try_reply(s->ctl, " line %u", i))
				return;
		}
		reply(s->ctl, "226 Transfer complete.");
		break;
	default:
		reply(s->ctl, "226 Transfer complete.");
		break;
	}
}

/*
 * DIR/NAME open at @off, the data connection open and 150 sent: 0; or -1,
 * the refusal (550) sent or the data connection lost.
 */
static int serve_open(struct sess *s, const char *name, long long off,
		      int *fd, int *dfd)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s", srv_dir, name);
	*fd = open(path, O_RDONLY);
	if (*fd < 0 || lseek(*fd, off, SEEK_SET) != off) {
		if (*fd >= 0)
			close(*fd);
		reply(s->ctl, "550 No such file.");
		return -1;
	}
	*dfd = open_data(s);
	if (*dfd < 0) {
		close(*fd);
		return -1;
	}
	reply(s->ctl, "150 Opening BINARY mode data connection.");
	return 0;
}

/* SC_RESUME*: bytes from @off of DIR/NAME; the first time half, then wait */
static void retr_resume(struct sess *s, const char *name)
{
	struct pollfd pfd = { .events = POLLIN };
	long long size = file_size(name), off = s->rest, end = size;
	char buf[16384];
	ssize_t n;
	int fd, dfd;

	s->rest = 0;
	if (__atomic_add_fetch(&shared->h_retrs, 1, __ATOMIC_SEQ_CST) == 1)
		end = size / 2;
	if (off > size) {
		reply(s->ctl, "550 No such file.");
		return;
	}
	if (serve_open(s, name, off, &fd, &dfd))
		return;
	while (off < end && (n = read(fd, buf, end - off < (long long)sizeof(buf) ?
				      end - off : (long long)sizeof(buf))) > 0) {
		send_raw(dfd, buf, n);
		off += n;
	}
	close(fd);
	if (end < size) {
		/* stalled: hold the data connection until the client gives up */
		slog(s, "stall at %lld", off);
		pfd.fd = dfd;
		poll(&pfd, 1, 60000);
		close(dfd);
		try_reply(s->ctl, "426 Transfer aborted.");
		return;
	}
	close(dfd);
	reply(s->ctl, "226 Transfer complete.");
}

/*
 * SC_SHRINK, the stale tail of a failed try with segments: the first try
 * sees h8.bin's size and gets its ranges from REST, but the range at 0
 * is reset after a second, once the others have written theirs; from
 * then on SIZE is refused and h.bin comes whole, much shorter.
 */
static void retr_shrink(struct sess *s)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	bool first = !__atomic_load_n(&shared->shrunk, __ATOMIC_SEQ_CST);
	long long off = s->rest;
	bool cut = false;
	char buf[65536];
	int fd, dfd;
	ssize_t n;

	s->rest = 0;
	if (serve_open(s, first ? "h8.bin" : HOSTILE_NAME, off, &fd, &dfd))
		return;
	while (!cut && (n = read(fd, buf, first && !off ? 65536 : sizeof(buf))) > 0) {
		cut = write(dfd, buf, n) != n;
		if (first && !off && !cut) {
			sleep(1);
			slog(s, "range reset");
			setsockopt(dfd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
			__atomic_store_n(&shared->shrunk, 1, __ATOMIC_SEQ_CST);
			cut = true;
		}
	}
	close(fd);
	close(dfd);
	reply(s->ctl, cut ? "426 Transfer aborted." : "226 Transfer complete.");
}

static void retr(struct sess *s, const char *name)
{
	bool hostile = is_hostile(name);
	int dfd, n;

	slog(s, "RETR %s", name);
	if (hostile && (sc == SC_RESUME || sc == SC_RESUME_NOREST)) {
		retr_resume(s, name);
		return;
	}
	if (hostile && sc == SC_SHRINK) {
		retr_shrink(s);
		return;
	}
	if (file_size(name) < 0 && !(hostile && (sc == SC_SIZE_OVER || sc == SC_ENDLESS ||
						 sc == SC_SIZE_BIG || sc == SC_TRICKLE ||
						 sc == SC_CUT || sc == SC_RESET))) {
		reply(s->ctl, "550 No such file.");
		return;
	}
	if (sc == SC_ENOSPC && name[0] == 'w')
		sleep(1);	/* overlap the warm-up transfers */
	if (sc == SC_ENOSPC && !strcmp(name, "a.bin")) {
		n = __atomic_add_fetch(&shared->a_retrs, 1, __ATOMIC_SEQ_CST);
		if (n > 1) {
			/* a retry: free the space b.bin holds, then serve it */
			slog(s, "a.bin retried");
			if (go_file)
				touch(go_file);
			sleep(1);
		}
	}
	if (hostile) {
		switch (sc) {
		case SC_EARLY_226:
			reply(s->ctl, "226 Transfer complete.");
			break;
		case SC_STRAY_110:
			reply(s->ctl, "110 MARK 0 = 0");
			break;
		case SC_STRAY_120:
			reply(s->ctl, "120 Service ready in 1 minute.");
			break;
		default:
			break;
		}
	}
	dfd = open_data(s);
	if (dfd < 0)
		return;
	reply(s->ctl, "150 Opening BINARY mode data connection.");
	if (hostile && (sc == SC_SIZE_OVER || sc == SC_ENDLESS || sc == SC_SIZE_BIG)) {
		send_endless(dfd, ENDLESS_MAX);
		close(dfd);
		reply(s->ctl, "426 Transfer aborted.");
		return;
	}
	if (hostile && (sc == SC_CUT || sc == SC_RESET)) {
		send_cut(dfd, sc == SC_RESET);
		reply(s->ctl, "226 Transfer complete.");
		return;
	}
	if (hostile && sc == SC_TRICKLE) {
		trickle(dfd, TRICKLE_BYTES);
		close(dfd);
		reply(s->ctl, "226 Transfer complete.");
		return;
	}
	send_file(s, dfd, name, hostile && sc == SC_PASV_OTHER);
	close(dfd);
	if (sc == SC_ENOSPC && !strcmp(name, "b.bin")) {
		/* b.bin holds its space until released, then fails */
		wait_go(s);
		reply(s->ctl, "426 Transfer aborted.");
		return;
	}
	if (hostile && (sc == SC_LONG_LINE || sc == SC_MANY_LINES || sc == SC_GARBAGE)) {
		/* the temporary file is complete: the test looks at it now */
		wait_go(s);
		hostile_final(s);
		return;
	}
	if (hostile && sc == SC_FINAL_TRICKLE) {
		hostile_final(s);
		return;
	}
	reply(s->ctl, "226 Transfer complete.");
	s->retr_done = true;
}

/* STOR NAME: the upload into DIR/NAME, then 226 */
static void stor(struct sess *s, const char *name)
{
	struct timeval tv = { .tv_sec = STOR_RECV_SECS };
	char path[1024], buf[16384];
	long long got = 0;
	int fd, dfd;
	ssize_t n;

	slog(s, "STOR %s", name);
	if (strchr(name, '/') || !*name) {
		reply(s->ctl, "553 Not here.");
		return;
	}
	snprintf(path, sizeof(path), "%s/%s", srv_dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		reply(s->ctl, "553 Cannot create.");
		return;
	}
	dfd = open_data(s);
	if (dfd < 0) {
		close(fd);
		return;
	}
	setsockopt(dfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	reply(s->ctl, "150 Ok to send data.");
	while (got < STOR_MAX && (n = read(dfd, buf, sizeof(buf))) > 0) {
		if (write(fd, buf, n) != n)
			break;
		got += n;
	}
	close(fd);
	close(dfd);
	slog(s, "stored %lld", got);
	reply(s->ctl, "226 Transfer complete.");
}

/* MLSD [SUB]: one entry per line, RFC 3659 section 7 */
static void mlsd(struct sess *s, const char *sub)
{
	char dir[1024], path[2048], when[32];
	struct dirent *de;
	struct stat st;
	DIR *d;
	int dfd;

	slog(s, "MLSD %s", sub);
	if (strchr(sub, '/') || !strcmp(sub, "..")) {
		reply(s->ctl, "550 No such directory.");
		return;
	}
	snprintf(dir, sizeof(dir), "%s/%s", srv_dir, sub);
	d = strcmp(sub, "bad") ? opendir(dir) : NULL;
	if (!d && strcmp(sub, "bad")) {
		reply(s->ctl, "550 No such directory.");
		return;
	}
	dfd = open_data(s);
	if (dfd < 0) {
		if (d)
			closedir(d);
		return;
	}
	reply(s->ctl, "150 Here comes the directory listing.");
	if (!d) {
		/* a size that is no number */
		dprintf(dfd, "type=file;size=12x; broken\r\n");
		close(dfd);
		reply(s->ctl, "226 Directory send OK.");
		return;
	}
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (lstat(path, &st))
			continue;
		strftime(when, sizeof(when), "%Y%m%d%H%M%S", gmtime(&st.st_mtime));
		dprintf(dfd, "type=%s;size=%lld;modify=%s;UNIX.mode=0%o; %s\r\n",
			S_ISDIR(st.st_mode) ? "dir" : S_ISREG(st.st_mode) ? "file" :
			"OS.unix=other", (long long)st.st_size, when,
			(unsigned int)(st.st_mode & 07777), de->d_name);
	}
	closedir(d);
	close(dfd);
	reply(s->ctl, "226 Directory send OK.");
}

static void passive(struct sess *s, bool epsv)
{
	unsigned short port;

	if (s->lfd >= 0)
		close(s->lfd);
	if (s->decoy >= 0)
		close(s->decoy);
	s->lfd = listen_on(0, 8, &port);
	s->decoy = -1;
	s->active = false;
	if (s->lfd < 0) {
		reply(s->ctl, "425 Cannot listen.");
		return;
	}
	if (sc == SC_PASV_OTHER) {
		/* the same port on the host the reply names */
		s->decoy = listen_on_addr(0x7f000002, port, 8, NULL);
		reply(s->ctl, "227 Entering Passive Mode (127,0,0,2,%u,%u)",
		      port >> 8, port & 255);
		return;
	}
	if (epsv)
		reply(s->ctl, "229 Entering Extended Passive Mode (|||%u|)", port);
	else
		reply(s->ctl, "227 Entering Passive Mode (127,0,0,1,%u,%u)",
		      port >> 8, port & 255);
}

static void active(struct sess *s, const char *arg, bool eprt)
{
	unsigned int a[4], p[2], port;
	char addr[32];

	memset(&s->peer, 0, sizeof(s->peer));
	s->peer.sin_family = AF_INET;
	if (eprt) {
		if (sscanf(arg, "|1|%31[0-9.]|%u|", addr, &port) != 2 ||
		    !inet_aton(addr, &s->peer.sin_addr) || port > 65535) {
			reply(s->ctl, "501 Bad EPRT.");
			return;
		}
	} else {
		if (sscanf(arg, "%u,%u,%u,%u,%u,%u", &a[0], &a[1], &a[2], &a[3],
			   &p[0], &p[1]) != 6) {
			reply(s->ctl, "501 Bad PORT.");
			return;
		}
		s->peer.sin_addr.s_addr = htonl(a[0] << 24 | a[1] << 16 | a[2] << 8 | a[3]);
		port = p[0] << 8 | p[1];
	}
	s->peer.sin_port = htons(port);
	s->active = true;
	reply(s->ctl, "200 OK.");
}

static void size(struct sess *s, const char *name)
{
	long long n = file_size(name);

	if (is_hostile(name)) {
		switch (sc) {
		case SC_SIZE_OVER:
			reply(s->ctl, "213 10");
			return;
		case SC_ENDLESS:
			reply(s->ctl, "502 SIZE not implemented.");
			return;
		case SC_SIZE_BIG:
			reply(s->ctl, "213 10485760");
			return;
		case SC_TRICKLE:
			reply(s->ctl, "213 %u", TRICKLE_BYTES);
			return;
		case SC_CUT:
		case SC_RESET:
			reply(s->ctl, "213 %u", CUT_SIZE);
			return;
		case SC_SHRINK:
			if (__atomic_load_n(&shared->shrunk, __ATOMIC_SEQ_CST))
				reply(s->ctl, "502 SIZE not implemented.");
			else
				reply(s->ctl, "213 %lld", file_size("h8.bin"));
			return;
		case SC_SIZE_BYTES:
			trickle_reply(s->ctl, "213-Size, slowly:\r\n");
			_exit(0);
		default:
			break;
		}
	}
	if (n < 0)
		reply(s->ctl, "550 No such file.");
	else
		reply(s->ctl, "213 %lld", n);
}

static void greeting(struct sess *s)
{
	int i;

	if (sc == SC_BUSY_TWICE && s->id <= 2) {
		slog(s, "421 busy");
		reply(s->ctl, "421 Too many connections, try later.");
		_exit(0);
	}
	if (sc == SC_GREETING_BYTES) {
		trickle_reply(s->ctl, "220-stallftpd, one byte a second:\r\n");
		_exit(0);
	}
	if (sc != SC_GREETING_TRICKLE) {
		reply(s->ctl, "220 stallftpd ready.");
		return;
	}
	reply(s->ctl, "220-stallftpd, slowly:");
	for (i = 0; i < TRICKLE_LINES; i++) {
		sleep(1);
		if (try_reply(s->ctl, " line %d", i))
			_exit(0);
	}
	reply(s->ctl, "220 stallftpd ready.");
}

/*
 * The client's bytes after 234, until it leaves (at most TLS_DRAIN_MAX,
 * TLS_READ_MS of silence): "USER" logged if a USER command is among them.
 * A command would start a line; a match inside the ClientHello's random
 * bytes is possible but 1 in 2^32 per position.
 */
static void tls_drain(const struct sess *s)
{
	struct pollfd pfd = { .fd = s->ctl, .events = POLLIN };
	char buf[4096];
	size_t kept = 0, total = 0;
	bool user = false;
	ssize_t n;

	while (total < TLS_DRAIN_MAX && poll(&pfd, 1, TLS_READ_MS) == 1) {
		n = read(s->ctl, buf + kept, sizeof(buf) - kept);
		if (n <= 0)
			break;
		total += n;
		kept += n;
		if (memmem(buf, kept, "USER ", 5))
			user = true;
		/* keep a tail that may be the start of "USER " */
		if (kept > 4) {
			memmove(buf, buf + kept - 4, 4);
			kept = 4;
		}
	}
	if (user)
		slog(s, "USER");
	slog(s, "EOF after %zu bytes", total);
}

/* AUTH TLS: 234, then no TLS: garbage, or the end of the server's stream */
static void auth_tls(struct sess *s)
{
	struct pollfd pfd = { .fd = s->ctl, .events = POLLIN };
	static char garbage[GARBAGE_BYTES];
	unsigned int i, seed = 4217;
	char hello[4096];

	slog(s, "AUTH");
	reply(s->ctl, "234 Proceed with negotiation.");
	/* the handshake begun: the ClientHello is in */
	if (poll(&pfd, 1, TLS_READ_MS) == 1 && read(s->ctl, hello, sizeof(hello)) > 0)
		slog(s, "ClientHello");
	if (sc == SC_TLS_CLOSE) {
		/* the client sees the end; a USER after it is still read */
		shutdown(s->ctl, SHUT_WR);
		slog(s, "close");
	} else {
		for (i = 0; i < GARBAGE_BYTES; i++) {
			seed = seed * 1103515245 + 12345;
			garbage[i] = seed >> 16;
		}
		/* a TLS record starts with a type 20..24: never one here */
		garbage[0] = '\xff';
		send_raw(s->ctl, garbage, GARBAGE_BYTES);
		slog(s, "garbage");
	}
	tls_drain(s);
	_exit(0);
}

static void hostile_session(int ctl, int id)
{
	struct sess s = { .id = id, .ctl = ctl, .lfd = -1, .decoy = -1 };
	struct timeval tv = { .tv_sec = 10 };
	char line[1024], *arg;
	int i;

	/* a client that stops reading must not hold a child forever */
	setsockopt(ctl, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	slog(&s, "start");
	greeting(&s);
	for (i = 0; i < MAX_COMMANDS; i++) {
		if (!get_line(ctl, line, sizeof(line))) {
			slog(&s, "EOF");
			break;
		}
		arg = strchr(line, ' ');
		arg = arg ? arg + 1 : line + strlen(line);
		if (sc == SC_REUSE_421 && s.retr_done) {
			/* what vsftpd says to a connection idle too long */
			slog(&s, "421");
			reply(ctl, "421 Timeout.");
			break;
		}
		if (!strncasecmp(line, "USER", 4)) {
			if (sc == SC_TLS_GARBAGE || sc == SC_TLS_CLOSE)
				slog(&s, "USER");
			reply(ctl, "331 Password please.");
		} else if (!strncasecmp(line, "AUTH TLS", 8) &&
			   (sc == SC_TLS_GARBAGE || sc == SC_TLS_CLOSE)) {
			auth_tls(&s);
		} else if (!strncasecmp(line, "PASS", 4)) {
			if (sc == SC_PASS_ECHO)
				reply(ctl, "530 Login incorrect, password %s rejected.", arg);
			else
				reply(ctl, "230 Logged in.");
		} else if (!strncasecmp(line, "TYPE", 4)) {
			reply(ctl, "200 Type set.");
		} else if (!strncasecmp(line, "SIZE", 4)) {
			size(&s, arg);
		} else if (!strncasecmp(line, "EPSV", 4)) {
			if (sc == SC_PASV_OTHER)
				reply(ctl, "502 EPSV not implemented.");
			else
				passive(&s, true);
		} else if (!strncasecmp(line, "PASV", 4)) {
			passive(&s, false);
		} else if (!strncasecmp(line, "EPRT", 4)) {
			active(&s, arg, true);
		} else if (!strncasecmp(line, "PORT", 4)) {
			active(&s, arg, false);
		} else if (!strncasecmp(line, "RETR", 4)) {
			retr(&s, arg);
		} else if (!strncasecmp(line, "STOR", 4)) {
			stor(&s, arg);
		} else if (!strncasecmp(line, "REST", 4) &&
			   (sc == SC_RESUME || sc == SC_CUT || sc == SC_RESET ||
			    sc == SC_SHRINK)) {
			s.rest = atoll(arg);
			slog(&s, "REST %lld", s.rest);
			reply(ctl, "350 Restart position accepted (%lld).", s.rest);
		} else if (!strncasecmp(line, "REST", 4) && sc == SC_RESUME_NOREST) {
			slog(&s, "REST refused");
			reply(ctl, "502 REST not implemented.");
		} else if (!strncasecmp(line, "MLSD", 4) && sc == SC_MLSD) {
			mlsd(&s, arg);
		} else if ((!strncasecmp(line, "LIST", 4) ||
			    !strncasecmp(line, "NLST", 4)) && sc == SC_ENDLESS) {
			list_endless(&s);
		} else if (!strncasecmp(line, "QUIT", 4)) {
			slog(&s, "QUIT");
			if (sc != SC_QUIT_SILENT) {
				reply(ctl, "221 Bye.");
				break;
			}
		} else {
			reply(ctl, "502 Command not implemented.");
		}
	}
	_exit(0);
}

/* a listener whose accept queue is full: every connect to it hangs */
static int connect_hang(int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int lfd = listen_on(port, 0, NULL), fd, i;

	if (lfd < 0) {
		perror("stallftpd: listen");
		return 1;
	}
	/* backlog 0 holds one connection: ours; later SYNs are dropped */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("stallftpd: connect");
		return 1;
	}
	fprintf(stderr, "stallftpd: accept queue of %d full\n", port);
	for (i = 0; i < STALL_SECS; i++)
		sleep(1);
	return 0;
}

static int hostile_main(int port)
{
	int lfd, cfd, i, id;

	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED)
		return 1;
	if (sc == SC_CONNECT_HANG)
		return connect_hang(port);
	lfd = listen_on(port, 8, NULL);
	if (lfd < 0) {
		perror("stallftpd: listen");
		return 1;
	}
	fprintf(stderr, "stallftpd: %s on 127.0.0.1:%d\n", scenarios[sc], port);
	for (i = 0; i < HOSTILE_CONNS; i++) {
		cfd = accept(lfd, NULL, NULL);
		if (cfd < 0) {
			if (errno == EINTR)
				continue;
			return 1;
		}
		id = __atomic_add_fetch(&shared->sessions, 1, __ATOMIC_SEQ_CST);
		if (fork() == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() != parent)
				_exit(0);
			close(lfd);
			hostile_session(cfd, id);
		}
		close(cfd);
	}
	for (i = 0; i < STALL_SECS; i++)
		sleep(1);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: stallftpd PORT NBYTES [MAXCONN]\n"
		"       stallftpd -s SCENARIO [-d DIR] [-g GOFILE] PORT\n");
	return 2;
}

int main(int argc, char **argv)
{
	unsigned long long nbytes;
	int lfd, cfd, maxconn = 8, i, opt;
	const char *scen = NULL;

	while ((opt = getopt(argc, argv, "+s:d:g:")) != -1) {
		switch (opt) {
		case 's':
			scen = optarg;
			break;
		case 'd':
			srv_dir = optarg;
			break;
		case 'g':
			go_file = optarg;
			break;
		default:
			return usage();
		}
	}
	signal(SIGPIPE, SIG_IGN);
	signal(SIGCHLD, SIG_IGN);	/* no zombies */
	parent = getpid();
	if (scen) {
		if (argc - optind != 1)
			return usage();
		for (i = 0; i < (int)(sizeof(scenarios) / sizeof(scenarios[0])); i++)
			if (!strcmp(scen, scenarios[i]))
				break;
		if (i == (int)(sizeof(scenarios) / sizeof(scenarios[0]))) {
			fprintf(stderr, "stallftpd: unknown scenario %s\n", scen);
			return 2;
		}
		sc = i;
		return hostile_main(atoi(argv[optind]));
	}
	argc -= optind - 1;
	argv += optind - 1;
	if (argc < 3 || argc > 4)
		return usage();
	nbytes = strtoull(argv[2], NULL, 10);
	if (argc == 4)
		maxconn = atoi(argv[3]);
	lfd = listen_on(atoi(argv[1]), 8, NULL);
	if (lfd < 0) {
		perror("stallftpd: listen");
		return 1;
	}
	fprintf(stderr, "stallftpd: listening on 127.0.0.1:%s\n", argv[1]);
	for (i = 0; i < maxconn; i++) {
		cfd = accept(lfd, NULL, NULL);
		if (cfd < 0) {
			if (errno == EINTR)
				continue;
			return 1;
		}
		if (fork() == 0) {
			close(lfd);
			session(cfd, nbytes);
		}
		close(cfd);
	}
	/* keep the stalled children's parent alive until killed */
	for (i = 0; i < STALL_SECS; i++)
		sleep(1);
	return 0;
}
