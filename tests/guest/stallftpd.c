// SPDX-License-Identifier: GPL-2.0
/*
 * stallftpd - an FTP server that never finishes a download.
 *
 *   stallftpd PORT NBYTES [MAXCONN]
 *
 * Listens on 127.0.0.1:PORT and serves up to MAXCONN (default 8) control
 * connections, one child each.  On RETR it sends NBYTES over the passive data
 * connection, then stalls with every socket open: the client sees a transfer
 * that is in flight and never completes (rmmod and timeout tests).  SIZE
 * announces far more than NBYTES.  Active mode (EPRT/PORT) gets 502.
 * Guest-only test tool: every loop is bounded, children exit when the
 * parent is gone or after STALL_SECS.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "serve.h"

#define STALL_SECS	3600
#define MAX_COMMANDS	200
#define ACCEPT_MS	30000
#define ANNOUNCED_SIZE	(1ULL << 30)

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
		} else if (!strncasecmp(line, "QUIT", 4)) {
			reply(ctl, "221 Bye.");
			break;
		} else {
			reply(ctl, "502 Command not implemented.");
		}
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	unsigned long long nbytes;
	int lfd, cfd, maxconn = 8, i;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: stallftpd PORT NBYTES [MAXCONN]\n");
		return 2;
	}
	nbytes = strtoull(argv[2], NULL, 10);
	if (argc == 4)
		maxconn = atoi(argv[3]);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGCHLD, SIG_IGN);	/* no zombies */
	parent = getpid();
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
