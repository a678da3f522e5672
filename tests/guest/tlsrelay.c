// SPDX-License-Identifier: GPL-2.0
/*
 * tlsrelay - a TCP relay that can drop a TLS server's close_notify.
 *
 *   tlsrelay ADDR LPORT:TPORT[:nocn]...
 *
 * Listens on ADDR:LPORT and relays each connection to 127.0.0.1:TPORT,
 * one child each.  With ":nocn" the connection is TLS from its first byte
 * (an FTPS data connection) and the relay plays the attacker who cuts the
 * stream where only TLS can tell: it forwards the server's records whole
 * up to the first that can only be an encrypted alert (TLS 1.3: outer
 * type 23 and 19 bytes, a 2-byte alert, its inner type and a 16-byte tag;
 * every handshake record is longer, and so is every data record of more
 * than 2 bytes), its close_notify; that one and all after it it drops,
 * and ends the stream to the client there (FIN).  The client's bytes pass
 * as they are.  Each connection logs "R<n> LPORT ..." on stderr: its
 * start, "drop" when it cuts, "server end" when the server's stream ends
 * (passed on as a FIN), and its end.
 *
 * Guest-only test tool: every loop is bounded; children die with the
 * parent (PR_SET_PDEATHSIG), an idle connection after IDLE_MS.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "serve.h"

#define MAX_PORTS	4
#define MAX_CONNS	64
#define IDLE_MS		30000
#define LIFE_SECS	600
#define STALL_SECS	3600
#define REC_HEAD	5
#define REC_MAX		(16384 + 256)	/* TLS 1.3's largest ciphertext */
#define ALERT_LEN	19		/* an encrypted 2-byte alert */
#define TLS_APPDATA	23

struct relay {
	unsigned short lport, tport;
	bool nocn;
	int lfd;
};

struct pump {
	unsigned char buf[REC_HEAD + REC_MAX];
	size_t len;
	bool raw;		/* no records to look at: pass it all */
	bool cut;		/* the client's stream is ended */
};

static int id;
static unsigned short lport;

static void __attribute__((format(printf, 1, 2))) rlog(const char *fmt, ...)
{
	char head[32];
	va_list ap;

	snprintf(head, sizeof(head), "R%d %u ", id, lport);
	va_start(ap, fmt);
	vlog_line(head, fmt, ap);
	va_end(ap);
}

static int send_all(int fd, const void *buf, size_t len)
{
	while (len) {
		ssize_t w = send(fd, buf, len, MSG_NOSIGNAL);

		if (w <= 0)
			return -1;
		buf = (const char *)buf + w;
		len -= w;
	}
	return 0;
}

/* the server's bytes in p->buf: forward whole records, cut at an alert */
static int server_records(struct pump *p, int cfd)
{
	size_t rlen;

	while (!p->raw && !p->cut && p->len >= REC_HEAD) {
		rlen = (size_t)p->buf[3] << 8 | p->buf[4];
		if (p->buf[0] < 20 || p->buf[0] > 24 || rlen > REC_MAX) {
			p->raw = true;
			break;
		}
		if (p->len < REC_HEAD + rlen)
			return 0;
		if (p->buf[0] == TLS_APPDATA && rlen == ALERT_LEN) {
			rlog("drop");
			shutdown(cfd, SHUT_WR);
			p->cut = true;
		} else if (send_all(cfd, p->buf, REC_HEAD + rlen)) {
			return -1;
		}
		p->len -= REC_HEAD + rlen;
		memmove(p->buf, p->buf + REC_HEAD + rlen, p->len);
	}
	if (p->cut)
		p->len = 0;
	if (p->raw && p->len) {
		if (send_all(cfd, p->buf, p->len))
			return -1;
		p->len = 0;
	}
	return 0;
}

static void relay_conn(int cfd, const struct relay *r)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(r->tport),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	static struct pump p;
	struct pollfd pfd[2];
	char buf[16384];
	bool c_eof = false, s_eof = false;
	time_t end = time(NULL) + LIFE_SECS;
	int sfd;
	ssize_t n;

	lport = r->lport;
	p.raw = !r->nocn;
	sfd = socket(AF_INET, SOCK_STREAM, 0);
	if (sfd < 0 || connect(sfd, (struct sockaddr *)&sa, sizeof(sa))) {
		rlog("cannot connect to %u", r->tport);
		_exit(1);
	}
	rlog("start");
	while (!(c_eof && s_eof) && time(NULL) < end) {
		pfd[0] = (struct pollfd){ .fd = c_eof ? -1 : cfd, .events = POLLIN };
		pfd[1] = (struct pollfd){ .fd = s_eof ? -1 : sfd, .events = POLLIN };
		if (poll(pfd, 2, IDLE_MS) < 1) {
			rlog("idle");
			break;
		}
		if (pfd[0].revents) {
			n = read(cfd, buf, sizeof(buf));
			if (n <= 0) {
				c_eof = true;
				shutdown(sfd, SHUT_WR);
			} else if (send_all(sfd, buf, n)) {
				break;
			}
		}
		if (pfd[1].revents) {
			n = read(sfd, p.buf + p.len, sizeof(p.buf) - p.len);
			if (n <= 0) {
				s_eof = true;
				rlog("server end");
				/* a record cut short by the server goes as it is */
				if (p.len && !p.cut && send_all(cfd, p.buf, p.len))
					break;
				shutdown(cfd, SHUT_WR);
				continue;
			}
			p.len += n;
			if (server_records(&p, cfd))
				break;
		}
	}
	rlog("end");
	_exit(0);
}

static int usage(void)
{
	fprintf(stderr, "usage: tlsrelay ADDR LPORT:TPORT[:nocn]...\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct relay r[MAX_PORTS];
	struct pollfd pfd[MAX_PORTS];
	struct in_addr addr;
	unsigned int lp, tp;
	int n = argc - 2, i, k, cfd, conns = 0;
	time_t end = time(NULL) + STALL_SECS;
	pid_t parent = getpid();
	char mode[8];

	if (n < 1 || n > MAX_PORTS || !inet_aton(argv[1], &addr))
		return usage();
	signal(SIGCHLD, SIG_IGN);	/* no zombies */
	for (i = 0; i < n; i++) {
		mode[0] = '\0';
		if (sscanf(argv[i + 2], "%u:%u:%7s", &lp, &tp, mode) < 2 ||
		    !lp || lp > 65535 || !tp || tp > 65535 ||
		    (mode[0] && strcmp(mode, "nocn")))
			return usage();
		r[i] = (struct relay){ .lport = lp, .tport = tp, .nocn = mode[0] != '\0' };
		r[i].lfd = listen_on_addr(ntohl(addr.s_addr), lp, 8, NULL);
		if (r[i].lfd < 0) {
			perror("tlsrelay: listen");
			return 1;
		}
		pfd[i] = (struct pollfd){ .fd = r[i].lfd, .events = POLLIN };
	}
	fprintf(stderr, "tlsrelay: listening on %s\n", argv[1]);
	while (conns < MAX_CONNS && time(NULL) < end) {
		k = poll(pfd, n, 1000);
		if (k < 0 && errno != EINTR)
			return 1;
		for (i = 0; k > 0 && i < n; i++) {
			if (!(pfd[i].revents & POLLIN))
				continue;
			cfd = accept(r[i].lfd, NULL, NULL);
			if (cfd < 0)
				continue;
			id = ++conns;
			if (fork() == 0) {
				prctl(PR_SET_PDEATHSIG, SIGKILL);
				if (getppid() != parent)
					_exit(0);
				for (k = 0; k < n; k++)
					close(r[k].lfd);
				relay_conn(cfd, &r[i]);
			}
			close(cfd);
		}
	}
	/* keep the children's parent alive until killed */
	while (time(NULL) < end)
		sleep(1);
	return 0;
}
