// SPDX-License-Identifier: GPL-2.0
/*
 * kftpreq - submit kftp requests the way the tests need them.
 *
 *   kftpreq [-d] [-D] [-n] [-r] [-p] [-k] [-s] [-2 LINE2] [-a LINE2] [-f FILE]
 *	     [LINE]
 *
 * Writes LINE (a newline is appended unless -n or already there), or all of
 * stdin, to FILE (default /proc/kftp/request) in ONE write(2), so a multi-line
 * request reaches the module as a single write.  Prints "ok" and exits 0 on
 * success, else prints the errno name (EINVAL, EACCES, ...) and exits with the
 * errno value.
 *
 *   -d  drop CAP_NET_ADMIN from the bounding, effective, permitted and
 *       inheritable sets first while staying uid 0: the EPERM test.
 *       Uses prctl() and the raw capset syscall, no libcap.
 *   -D  drop CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH the same way: a
 *       writer that reads only what its uid 0 may (the put EACCES test).
 *   -r  open FILE read-write and, after the write, print what read() on
 *       the same open file answers (the IDs, or the reason of a failure).
 *   -a  with -r: then write LINE2 on the same open file and print the
 *       errno (or "ok") and the answer to it too.
 *   -2  two writers: open FILE twice, write LINE on the first and LINE2 on
 *       the second, then print each one's answer, prefixed "1: " and "2: ".
 *   -p  open /proc/kftp/status and read it first, then write; print
 *       "event" once poll() on it reports POLLPRI, "no event" if it has
 *       not within 60 s, "early event" if it did before the write.
 *   -k  keep FILE open at the end: print "held" and wait for a signal,
 *       which ends the process and so closes it (the kept-rows tests).
 *   -s  read /proc/kftp/status 512 bytes per read() and print it; before
 *       every eighth read but the first, write LINE (with "wait": it has
 *       ended before the read) on FILE, opened anew each time.  Prints
 *       "writes N" on stderr at the end.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_INPUT_BYTES (1 << 20)

static int report(int err)
{
	const char *name = strerrorname_np(err);

	if (name)
		printf("%s\n", name);
	else
		printf("E%d\n", err);
	return err;
}

static int drop_cap(int cap)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	unsigned int idx = CAP_TO_INDEX(cap);
	unsigned int mask = CAP_TO_MASK(cap);

	if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0))
		return -1;
	if (syscall(SYS_capget, &hdr, data))
		return -1;
	data[idx].effective &= ~mask;
	data[idx].permitted &= ~mask;
	data[idx].inheritable &= ~mask;
	if (syscall(SYS_capset, &hdr, data))
		return -1;
	/* prove it: a test that thinks it dropped the cap must not pass by luck */
	if (syscall(SYS_capget, &hdr, data))
		return -1;
	if ((data[idx].effective | data[idx].permitted) & mask ||
	    prctl(PR_CAPBSET_READ, cap, 0, 0, 0) != 0 || getuid() != 0) {
		errno = EPROTO;
		return -1;
	}
	return 0;
}

/* print what read() on @fd answers, each line prefixed by @prefix */
static int print_answer(int fd, const char *prefix)
{
	char buf[65536], *line, *nl;
	size_t n = 0;
	ssize_t r;

	while (n < sizeof(buf) - 1 && (r = read(fd, buf + n, sizeof(buf) - 1 - n)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			printf("%sread: %s\n", prefix, strerrorname_np(errno));
			return 125;
		}
		n += r;
	}
	buf[n] = '\0';
	for (line = buf; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl) {
			printf("%s%s (no newline)\n", prefix, line);
			break;
		}
		*nl = '\0';
		printf("%s%s\n", prefix, line);
	}
	return 0;
}

/* -2: two writers on two open files, each reads back its own answer */
static int two_writers(const char *file, const char *a, const char *b)
{
	int fd1 = open(file, O_RDWR), fd2 = open(file, O_RDWR);
	ssize_t r1, r2;
	int e1, e2;

	if (fd1 < 0 || fd2 < 0)
		return report(errno);
	r1 = write(fd1, a, strlen(a));
	e1 = errno;
	r2 = write(fd2, b, strlen(b));
	e2 = errno;
	printf("1: %s\n", r1 < 0 ? strerrorname_np(e1) : "ok");
	print_answer(fd1, "1: ");
	printf("2: %s\n", r2 < 0 ? strerrorname_np(e2) : "ok");
	print_answer(fd2, "2: ");
	return 0;
}

/* -p: has poll() on the status table reported a change within @ms? */
static int status_event(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLPRI };

	return poll(&p, 1, ms) == 1 && (p.revents & POLLPRI);
}

/*
 * -s: the status table in small reads, with a write of @line, that ends a
 * transfer and so changes the table, every 4 KiB of it.
 */
static int small_reads(const char *file, const char *line, size_t len)
{
	char chunk[512];
	int sfd, fd, reads = 0, writes = 0;
	ssize_t r;

	sfd = open("/proc/kftp/status", O_RDONLY);
	if (sfd < 0)
		return report(errno);
	for (;;) {
		if (reads && reads % 8 == 0) {
			fd = open(file, O_WRONLY);
			if (fd < 0 || write(fd, line, len) != (ssize_t)len) {
				fprintf(stderr, "kftpreq: write %d: %s\n", writes + 1,
					strerror(errno));
				return 125;
			}
			close(fd);
			writes++;
		}
		r = read(sfd, chunk, sizeof(chunk));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return report(errno);
		if (r == 0)
			break;
		reads++;
		fwrite(chunk, 1, r, stdout);
	}
	fprintf(stderr, "writes %d\n", writes);
	return 0;
}

static char *read_stdin(size_t *len)
{
	char *buf = malloc(MAX_INPUT_BYTES);
	size_t n = 0;
	ssize_t r;

	if (!buf)
		return NULL;
	while (n < MAX_INPUT_BYTES) {
		r = read(STDIN_FILENO, buf + n, MAX_INPUT_BYTES - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return NULL;
		if (r == 0)
			break;
		n += r;
	}
	*len = n;
	return buf;
}

int main(int argc, char **argv)
{
	const char *file = "/proc/kftp/request";
	int drop = 0, drop_dac = 0, newline = 1, answer = 0, watch = 0, opt, fd;
	int hold = 0, small = 0;
	int sfd = -1;
	const char *second = NULL, *again = NULL;
	char sbuf[4096];
	size_t len;
	ssize_t ret;
	char *buf;

	/* a shell starts a background job with SIGINT ignored: let a Ctrl-C's
	 * signal reach the write, as it would on a terminal
	 */
	signal(SIGINT, SIG_DFL);
	while ((opt = getopt(argc, argv, "+dDnrpks2:a:f:")) != -1) {
		switch (opt) {
		case 'd':
			drop = 1;
			break;
		case 'D':
			drop_dac = 1;
			break;
		case 'n':
			newline = 0;
			break;
		case 'r':
			answer = 1;
			break;
		case 'p':
			watch = 1;
			break;
		case 'k':
			hold = 1;
			break;
		case 's':
			small = 1;
			break;
		case '2':
			second = optarg;
			break;
		case 'a':
			again = optarg;
			break;
		case 'f':
			file = optarg;
			break;
		default:
			fprintf(stderr, "usage: kftpreq [-d] [-D] [-n] [-r] [-p] [-k] [-s] [-2 LINE2] [-a LINE2] [-f FILE] [LINE]\n");
			return 125;
		}
	}
	if (second && optind == argc) {
		fprintf(stderr, "kftpreq: -2 needs LINE\n");
		return 125;
	}
	if (argc - optind > 1) {
		fprintf(stderr, "kftpreq: one LINE argument at most (quote it)\n");
		return 125;
	}

	if (optind < argc) {
		len = strlen(argv[optind]);
		buf = malloc(len + 2);
		if (!buf)
			return report(ENOMEM);
		memcpy(buf, argv[optind], len);
		if (newline && (len == 0 || buf[len - 1] != '\n'))
			buf[len++] = '\n';
	} else {
		buf = read_stdin(&len);
		if (!buf)
			return report(errno);
	}

	if (drop && drop_cap(CAP_NET_ADMIN)) {
		fprintf(stderr, "kftpreq: cannot drop CAP_NET_ADMIN: %s\n", strerror(errno));
		return 125;
	}
	if (drop_dac && (drop_cap(CAP_DAC_OVERRIDE) || drop_cap(CAP_DAC_READ_SEARCH))) {
		fprintf(stderr, "kftpreq: cannot drop the DAC capabilities: %s\n",
			strerror(errno));
		return 125;
	}

	if (second) {
		buf[len] = '\0';
		return two_writers(file, buf, second);
	}
	if (small)
		return small_reads(file, buf, len);
	if (watch) {
		sfd = open("/proc/kftp/status", O_RDONLY);
		if (sfd < 0)
			return report(errno);
		while (read(sfd, sbuf, sizeof(sbuf)) > 0)
			;
		if (status_event(sfd, 0)) {
			printf("early event\n");
			return 125;
		}
	}
	fd = open(file, answer ? O_RDWR : O_WRONLY);
	if (fd < 0)
		return report(errno);
	ret = write(fd, buf, len);
	if (ret < 0) {
		int err = report(errno);

		if (answer)
			print_answer(fd, "");
		return err;
	}
	if ((size_t)ret != len) {
		printf("short write %zd of %zu\n", ret, len);
		return 125;
	}
	if (answer) {
		printf("ok\n");
		print_answer(fd, "");
	}
	if (answer && again) {
		ret = write(fd, again, strlen(again));
		printf("%s\n", ret < 0 ? strerrorname_np(errno) : "ok");
		print_answer(fd, "");
	}
	if (hold) {
		printf("held\n");
		fflush(stdout);
		for (;;)
			pause();
	}
	if (close(fd))
		return report(errno);
	if (!answer)
		printf("ok\n");
	if (watch)
		printf("%s\n", status_event(sfd, 60000) ? "event" : "no event");
	return 0;
}
