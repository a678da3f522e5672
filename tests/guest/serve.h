/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pieces shared by the guest's small test servers (tests/guest/stallftpd.c,
 * tests/bench/kbench.c): a listening socket on 127.0.0.1 and FTP reply
 * lines. Userspace, static binaries.
 */
#ifndef KFTP_GUEST_SERVE_H
#define KFTP_GUEST_SERVE_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

/*
 * Listen on @addr:@port (host order; port 0: any); *@bound gets the port.
 * -1 on error.
 */
static int listen_on_addr(unsigned int addr, unsigned short port, int backlog,
			  unsigned short *bound)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	socklen_t len = sizeof(sa);
	int fd, one = 1;

	sa.sin_addr.s_addr = htonl(addr);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, backlog) ||
	    getsockname(fd, (struct sockaddr *)&sa, &len)) {
		close(fd);
		return -1;
	}
	if (bound)
		*bound = ntohs(sa.sin_port);
	return fd;
}

/* Listen on 127.0.0.1:@port (0: any); *@bound gets the port. -1 on error. */
static inline int listen_on(unsigned short port, int backlog,
			    unsigned short *bound)
{
	return listen_on_addr(INADDR_LOOPBACK, port, backlog, bound);
}

/* Send one reply line, CRLF added, cut to 256 bytes. 0, or -1 on error. */
static inline int __attribute__((format(printf, 2, 0)))
vsend_reply(int fd, const char *fmt, va_list ap)
{
	char buf[256];
	int n = vsnprintf(buf, sizeof(buf) - 2, fmt, ap);

	if (n < 0 || n > (int)sizeof(buf) - 3)
		n = sizeof(buf) - 3;
	buf[n++] = '\r';
	buf[n++] = '\n';
	return write(fd, buf, n) == n ? 0 : -1;
}

/* One log line on stderr: @head, then the message, cut to 256 bytes. */
static inline void __attribute__((format(printf, 2, 0)))
vlog_line(const char *head, const char *fmt, va_list ap)
{
	char buf[256];
	int n;

	n = snprintf(buf, sizeof(buf), "%s", head);
	n += vsnprintf(buf + n, sizeof(buf) - n - 1, fmt, ap);
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	if (write(STDERR_FILENO, buf, n) != n)
		return;
}

#endif /* KFTP_GUEST_SERVE_H */
