// SPDX-License-Identifier: GPL-2.0
/*
 * kbench - the guest-side measuring and limit tools of `make bench`.
 *
 *   kbench run SERVERPID CMD [ARG ...]
 *	Run CMD, print "wall BUSY SERVER" in seconds: wall-clock time, the
 *	guest's busy CPU time (/proc/stat: everything but idle and iowait) and
 *	the CPU time of the server's process tree (utime+stime+cutime+cstime
 *	of SERVERPID and every descendant, so a child that exits and is reaped
 *	in between moves from its own fields to its parent's c-fields and is
 *	counted once).  Client CPU = BUSY - SERVER.  Exit status is CMD's.
 *   kbench cmp SRC DST
 *	Compare two files, or every regular file of directory SRC with the
 *	same name in DST; exit 1 and name the first difference.
 *   kbench serve PORT FILE
 *	Raw TCP limit, server side: on 127.0.0.1:PORT send FILE with
 *	sendfile() to each connection in turn, then close it.
 *   kbench recv PORT DST
 *	Raw TCP limit, client side: connect, read with a 1 MiB buffer, write
 *	DST (created), exit 0 once the peer closes.
 *   kbench splice PORT DST
 *	The best userspace can do, client side: connect, then splice() from
 *	the socket into a pipe of 1 MiB and from the pipe into DST (created):
 *	one copy, from the socket's buffers into the page cache.
 *   kbench reap CMD [ARG ...]
 *	Run a server as CMD under a child subreaper that waits for every
 *	orphaned descendant, so their CPU time lands in its cutime/cstime:
 *	vsftpd's session processes outlive their parent, and init would
 *	otherwise reap them and take their CPU time out of the server's tree.
 *	Measure the server as this process's pid.
 *   kbench stall PORT NBYTES
 *	One-process FTP server for the memory workload: any login, EPSV/PASV,
 *	RETR sends NBYTES and then keeps every socket open; SIZE announces
 *	1 GiB.  One process, no fork per connection, so the kernel memory it
 *	costs is sockets only.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../guest/serve.h"

#define BIG_BUF		(1 << 20)
#define MAX_PROCS	32768
#define MAX_CONNS	1024

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* busy ticks of all CPUs: user nice system [idle iowait] irq softirq steal */
static unsigned long long busy_ticks(void)
{
	unsigned long long v[8] = { 0 };
	FILE *f = fopen("/proc/stat", "r");

	if (!f || fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu",
			 &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) != 8) {
		perror("kbench: /proc/stat");
		exit(2);
	}
	fclose(f);
	return v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
}

/* ticks of the process tree rooted at root */
static unsigned long long tree_ticks(int root)
{
	static int pid[MAX_PROCS], ppid[MAX_PROCS];
	static unsigned long long ticks[MAX_PROCS];
	static char in[MAX_PROCS];
	unsigned long long sum = 0;
	struct dirent *d;
	int n = 0, i, changed;
	DIR *dir;

	if (root <= 0)
		return 0;
	dir = opendir("/proc");
	while (dir && (d = readdir(dir)) && n < MAX_PROCS) {
		char path[300], buf[1024], *p;
		unsigned long long ut, st, cut, cst;
		int pp;
		FILE *f;

		if (!isdigit((unsigned char)d->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", d->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (!fgets(buf, sizeof(buf), f)) {
			fclose(f);
			continue;
		}
		fclose(f);
		/* comm may hold blanks and parentheses: parse after the last ')' */
		p = strrchr(buf, ')');
		if (!p || sscanf(p + 2, "%*c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %llu %llu",
				 &pp, &ut, &st, &cut, &cst) != 5)
			continue;
		pid[n] = atoi(d->d_name);
		ppid[n] = pp;
		ticks[n] = ut + st + cut + cst;
		in[n] = pid[n] == root;
		n++;
	}
	if (dir)
		closedir(dir);
	do {
		changed = 0;
		for (i = 0; i < n; i++) {
			int j;

			if (in[i])
				continue;
			for (j = 0; j < n; j++) {
				if (in[j] && pid[j] == ppid[i]) {
					in[i] = 1;
					changed = 1;
					break;
				}
			}
		}
	} while (changed);
	for (i = 0; i < n; i++)
		if (in[i])
			sum += ticks[i];
	return sum;
}

static int cmd_run(int argc, char **argv)
{
	long hz = sysconf(_SC_CLK_TCK);
	unsigned long long b0, b1, s0, s1;
	int server = atoi(argv[0]), status;
	double t0, t1;
	pid_t child;

	if (argc < 2)
		return 2;
	s0 = tree_ticks(server);
	b0 = busy_ticks();
	t0 = now();
	child = fork();
	if (child == 0) {
		execvp(argv[1], argv + 1);
		perror("kbench: exec");
		_exit(127);
	}
	if (child < 0 || waitpid(child, &status, 0) != child)
		return 2;
	t1 = now();
	b1 = busy_ticks();
	s1 = tree_ticks(server);
	printf("%.6f %.3f %.3f\n", t1 - t0, (double)(b1 - b0) / hz,
	       s1 >= s0 ? (double)(s1 - s0) / hz : 0.0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static int cmp_file(const char *a, const char *b)
{
	static char *x, *y;
	int fa, fb, ret = 1;

	if (!x && (!(x = malloc(BIG_BUF)) || !(y = malloc(BIG_BUF))))
		return 2;
	fa = open(a, O_RDONLY);
	fb = open(b, O_RDONLY);
	if (fa < 0 || fb < 0) {
		fprintf(stderr, "kbench: cmp: cannot open %s\n", fa < 0 ? a : b);
		goto out;
	}
	for (;;) {
		ssize_t n = read(fa, x, BIG_BUF), m = 0, r;

		while (m < n && (r = read(fb, y + m, n - m)) > 0)
			m += r;
		if (n < 0 || m != n || memcmp(x, y, n)) {
			fprintf(stderr, "kbench: cmp: %s and %s differ\n", a, b);
			goto out;
		}
		if (n == 0) {
			ret = read(fb, y, 1) == 0 ? 0 : 1;
			if (ret)
				fprintf(stderr, "kbench: cmp: %s is longer than %s\n", b, a);
			break;
		}
	}
out:
	if (fa >= 0)
		close(fa);
	if (fb >= 0)
		close(fb);
	return ret;
}

static int cmd_cmp(const char *a, const char *b)
{
	struct stat st;
	struct dirent *d;
	DIR *dir;
	int n = 0;

	if (stat(a, &st))
		return 2;
	if (!S_ISDIR(st.st_mode))
		return cmp_file(a, b);
	dir = opendir(a);
	while (dir && (d = readdir(dir))) {
		char pa[4352], pb[4352];

		if (d->d_type != DT_REG)
			continue;
		snprintf(pa, sizeof(pa), "%s/%s", a, d->d_name);
		snprintf(pb, sizeof(pb), "%s/%s", b, d->d_name);
		if (cmp_file(pa, pb))
			return 1;
		n++;
	}
	if (dir)
		closedir(dir);
	return n ? 0 : 1;
}

static int cmd_serve(unsigned short port, const char *file)
{
	int lfd = listen_on(port, 128, NULL);

	if (lfd < 0) {
		perror("kbench: serve: listen");
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	for (;;) {
		int cfd = accept(lfd, NULL, NULL), fd;
		struct stat st;
		off_t off = 0;

		if (cfd < 0)
			continue;
		fd = open(file, O_RDONLY);
		if (fd >= 0 && !fstat(fd, &st))
			while (off < st.st_size &&
			       sendfile(cfd, fd, &off, st.st_size - off) > 0)
				;
		if (fd >= 0)
			close(fd);
		close(cfd);
	}
}

static int cmd_recv(unsigned short port, const char *dst)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	char *buf = malloc(BIG_BUF);
	int fd, out;
	ssize_t n;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (!buf || fd < 0 || out < 0 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("kbench: recv");
		return 1;
	}
	while ((n = recv(fd, buf, BIG_BUF, MSG_WAITALL)) > 0)
		if (write(out, buf, n) != n) {
			perror("kbench: recv: write");
			return 1;
		}
	return n < 0 || close(out);
}

static int cmd_splice(unsigned short port, const char *dst)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd, out, p[2];
	ssize_t n, m;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || out < 0 || pipe(p) ||
	    connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("kbench: splice");
		return 1;
	}
	/* as large as recv's buffer; the default 64 KiB if refused */
	fcntl(p[1], F_SETPIPE_SZ, BIG_BUF);
	while ((n = splice(fd, NULL, p[1], NULL, BIG_BUF, SPLICE_F_MOVE)) > 0) {
		while (n > 0) {
			m = splice(p[0], NULL, out, NULL, n, SPLICE_F_MOVE);
			if (m <= 0) {
				perror("kbench: splice: write");
				return 1;
			}
			n -= m;
		}
	}
	if (n < 0)
		perror("kbench: splice: read");
	return n < 0 || close(out);
}

/* the stall server: one struct per control connection */
struct sconn {
	int ctl, lfd, dfd;
	size_t len;
	char line[512];
};

/* replies of the stall server: a failed write shows at the next read */
static void __attribute__((format(printf, 2, 3)))
sreply(int fd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsend_reply(fd, fmt, ap);
	va_end(ap);
}

static void scommand(struct sconn *c, unsigned long long nbytes)
{
	static char data[65536];
	const char *l = c->line;
	unsigned short port;

	if (!strncasecmp(l, "USER", 4)) {
		sreply(c->ctl, "331 Password please.");
	} else if (!strncasecmp(l, "PASS", 4)) {
		sreply(c->ctl, "230 Logged in.");
	} else if (!strncasecmp(l, "TYPE", 4)) {
		sreply(c->ctl, "200 Type set.");
	} else if (!strncasecmp(l, "SIZE", 4)) {
		sreply(c->ctl, "213 %llu", 1ULL << 30);
	} else if (!strncasecmp(l, "EPSV", 4) || !strncasecmp(l, "PASV", 4)) {
		if (c->lfd >= 0)
			close(c->lfd);
		c->lfd = listen_on(0, 128, &port);
		if (c->lfd < 0)
			sreply(c->ctl, "425 Cannot listen.");
		else if (!strncasecmp(l, "EPSV", 4))
			sreply(c->ctl, "229 Entering Extended Passive Mode (|||%u|)", port);
		else
			sreply(c->ctl, "227 Entering Passive Mode (127,0,0,1,%u,%u)",
			       port >> 8, port & 255);
	} else if (!strncasecmp(l, "RETR", 4) && c->lfd >= 0 && c->dfd < 0) {
		struct pollfd p = { .fd = c->lfd, .events = POLLIN };

		sreply(c->ctl, "150 Opening BINARY mode data connection.");
		if (poll(&p, 1, 30000) != 1)
			return;
		c->dfd = accept(c->lfd, NULL, NULL);
		close(c->lfd);
		c->lfd = -1;
		while (c->dfd >= 0 && nbytes) {
			size_t n = nbytes < sizeof(data) ? nbytes : sizeof(data);
			ssize_t w = write(c->dfd, data, n);

			if (w <= 0)
				break;
			nbytes -= w;
		}
	} else {
		sreply(c->ctl, "502 Command not implemented.");
	}
}

static int cmd_stall(unsigned short port, unsigned long long nbytes)
{
	static struct sconn conns[MAX_CONNS];
	static struct pollfd pfd[MAX_CONNS + 1];
	int lfd = listen_on(port, 128, NULL), n = 0, i;

	if (lfd < 0) {
		perror("kbench: stall: listen");
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	for (;;) {
		pfd[0] = (struct pollfd){ .fd = lfd, .events = POLLIN };
		for (i = 0; i < n; i++)
			pfd[i + 1] = (struct pollfd){ .fd = conns[i].ctl, .events = POLLIN };
		/* a closed connection has ctl -1, which poll() skips */
		if (poll(pfd, n + 1, -1) < 0)
			continue;
		if ((pfd[0].revents & POLLIN) && n < MAX_CONNS) {
			int fd = accept(lfd, NULL, NULL);

			if (fd >= 0) {
				/* a partial line must not block the others */
				fcntl(fd, F_SETFL, O_NONBLOCK);
				conns[n] = (struct sconn){ .ctl = fd, .lfd = -1, .dfd = -1 };
				sreply(fd, "220 kbench stall ready.");
				n++;
			}
		}
		for (i = 0; i < n; i++) {
			struct sconn *c = &conns[i];
			char ch;

			if (!(pfd[i + 1].revents & (POLLIN | POLLHUP)) || c->ctl < 0)
				continue;
			/* commands arrive in lockstep: a byte at a time is enough */
			for (;;) {
				ssize_t r = read(c->ctl, &ch, 1);

				if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
					close(c->ctl);
					c->ctl = -1;
				}
				if (r != 1)
					break;
				if (ch == '\n') {
					c->line[c->len && c->line[c->len - 1] == '\r' ?
						c->len - 1 : c->len] = '\0';
					c->len = 0;
					scommand(c, nbytes);
					break;
				}
				if (c->len < sizeof(c->line) - 1)
					c->line[c->len++] = ch;
			}
		}
	}
}

static int cmd_reap(char **argv)
{
	pid_t child;

	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)) {
		perror("kbench: reap");
		return 1;
	}
	child = fork();
	if (child == 0) {
		execvp(argv[0], argv);
		perror("kbench: exec");
		_exit(127);
	}
	/* until the server and every orphan it left are gone */
	while (child > 0 && (wait(NULL) > 0 || errno == EINTR))
		;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "run"))
		return cmd_run(argc - 2, argv + 2);
	if (argc >= 3 && !strcmp(argv[1], "reap"))
		return cmd_reap(argv + 2);
	if (argc == 4 && !strcmp(argv[1], "cmp"))
		return cmd_cmp(argv[2], argv[3]);
	if (argc == 4 && !strcmp(argv[1], "serve"))
		return cmd_serve(atoi(argv[2]), argv[3]);
	if (argc == 4 && !strcmp(argv[1], "recv"))
		return cmd_recv(atoi(argv[2]), argv[3]);
	if (argc == 4 && !strcmp(argv[1], "splice"))
		return cmd_splice(atoi(argv[2]), argv[3]);
	if (argc == 4 && !strcmp(argv[1], "stall"))
		return cmd_stall(atoi(argv[2]), strtoull(argv[3], NULL, 10));
	fprintf(stderr, "usage: kbench run SERVERPID CMD...|cmp A B|serve PORT FILE|"
		"recv PORT DST|splice PORT DST|reap CMD...|stall PORT NBYTES\n");
	return 2;
}
