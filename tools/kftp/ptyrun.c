// SPDX-License-Identifier: GPL-2.0
/*
 * ptyrun - run a command on a pseudo-terminal and keep what it printed.
 *
 *	ptyrun OUTFILE COMMAND [ARG ...]
 *
 * The tests of kftp(1) (tests/guest/tool.sh) use it where script(1) is not
 * at hand: the guest's busybox has no script applet.  COMMAND runs in a
 * session of its own with the pty's slave as its controlling terminal and
 * as its stdin, stdout and stderr; everything it writes goes to OUTFILE.
 * SIGUSR1 to ptyrun types Ctrl-C on the terminal: the line discipline then
 * sends SIGINT to COMMAND's foreground process group, as a person's
 * Ctrl-C would.  The terminal has PTYRUN_COLS columns (default 80);
 * SIGUSR2 halves them, which sends COMMAND a SIGWINCH, and writes the line
 * "[ptyrun: N columns]" to OUTFILE first.  ptyrun exits with COMMAND's
 * exit status, or 128 plus the signal that killed it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static sig_atomic_t want_intr, want_narrow;

static void on_usr1(int sig)
{
	want_intr = 1;
}

static void on_usr2(int sig)
{
	want_narrow = 1;
}

static int child(const char *slave, char **argv)
{
	int fd;

	setsid();
	fd = open(slave, O_RDWR);
	if (fd < 0 || ioctl(fd, TIOCSCTTY, 0))
		_exit(126);
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
	/* as on a fresh terminal: a shell's "&" ignored these */
	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	signal(SIGUSR1, SIG_DFL);
	signal(SIGUSR2, SIG_DFL);
	execvp(argv[0], argv);
	_exit(127);
}

int main(int argc, char **argv)
{
	struct winsize ws = { .ws_row = 24, .ws_col = 80 };
	struct sigaction sa = { .sa_handler = on_usr1 }, sa2 = { .sa_handler = on_usr2 };
	int master, out, status;
	char buf[4096], *slave;
	struct pollfd p;
	ssize_t n;
	pid_t pid;

	if (argc < 3) {
		fprintf(stderr, "usage: ptyrun OUTFILE COMMAND [ARG ...]\n");
		return 2;
	}
	out = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	master = posix_openpt(O_RDWR | O_NOCTTY);
	if (out < 0 || master < 0 || grantpt(master) || unlockpt(master)) {
		perror("ptyrun");
		return 2;
	}
	if (getenv("PTYRUN_COLS"))
		ws.ws_col = atoi(getenv("PTYRUN_COLS"));
	slave = ptsname(master);
	if (!slave || ioctl(master, TIOCSWINSZ, &ws)) {
		perror("ptyrun");
		return 2;
	}
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa2, NULL);
	pid = fork();
	if (pid < 0) {
		perror("ptyrun: fork");
		return 2;
	}
	if (pid == 0)
		return child(slave, argv + 2);

	p.fd = master;
	p.events = POLLIN;
	for (;;) {
		if (want_intr) {
			want_intr = 0;
			if (write(master, "\003", 1) != 1)
				perror("ptyrun: write");
		}
		if (want_narrow) {
			char mark[64];
			int len;

			want_narrow = 0;
			ws.ws_col /= 2;
			len = snprintf(mark, sizeof(mark), "\n[ptyrun: %d columns]\n", ws.ws_col);
			if (write(out, mark, len) != len || ioctl(master, TIOCSWINSZ, &ws))
				perror("ptyrun: resize");
		}
		if (poll(&p, 1, 100) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (!(p.revents & (POLLIN | POLLHUP)))
			continue;
		n = read(master, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;	/* EIO: every slave descriptor is closed */
		if (write(out, buf, n) != n)
			break;
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return 2;
	}
	close(out);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
