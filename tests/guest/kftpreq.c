// SPDX-License-Identifier: GPL-2.0
/*
 * kftpreq - submit kftp requests the way the tests need them.
 *
 *   kftpreq [-d] [-D] [-n] [-f FILE] [LINE]
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
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
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
	int drop = 0, drop_dac = 0, newline = 1, opt, fd;
	size_t len;
	ssize_t ret;
	char *buf;

	/* a shell starts a background job with SIGINT ignored: let a Ctrl-C's
	 * signal reach the write, as it would on a terminal
	 */
	signal(SIGINT, SIG_DFL);
	while ((opt = getopt(argc, argv, "+dDnf:")) != -1) {
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
		case 'f':
			file = optarg;
			break;
		default:
			fprintf(stderr, "usage: kftpreq [-d] [-D] [-n] [-f FILE] [LINE]\n");
			return 125;
		}
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

	fd = open(file, O_WRONLY);
	if (fd < 0)
		return report(errno);
	ret = write(fd, buf, len);
	if (ret < 0)
		return report(errno);
	if ((size_t)ret != len) {
		printf("short write %zd of %zu\n", ret, len);
		return 125;
	}
	if (close(fd))
		return report(errno);
	printf("ok\n");
	return 0;
}
