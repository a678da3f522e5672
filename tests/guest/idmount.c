// SPDX-License-Identifier: GPL-2.0
/*
 * idmount SRC DST FSUID: an idmapped bind mount of SRC at DST in which the
 * files SRC's filesystem has as owned by FSUID (and group FSUID) show as
 * root's, and root's new files are stored as FSUID's. The mapping is
 * that of a user namespace made for it (uid_map "FSUID 0 1"), as
 * mount-idmapped does. Exit 0, or 3 when the kernel or the filesystem
 * has no idmapped mounts (ENOSYS, EINVAL), 1 on any other failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* A child in a new user namespace, waiting to be killed; its pid. */
static pid_t userns_child(int *ready)
{
	int p[2];
	pid_t pid;
	char c;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		if (unshare(CLONE_NEWUSER))
			_exit(1);
		c = 1;
		if (write(p[1], &c, 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(p[1]);
	*ready = pid > 0 && read(p[0], &c, 1) == 1;
	close(p[0]);
	return pid;
}

int main(int argc, char **argv)
{
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_IDMAP };
	char path[64], map[64];
	int ready, tree, ns, rc = 1;
	pid_t pid;

	if (argc != 4) {
		fprintf(stderr, "usage: idmount SRC DST FSUID\n");
		return 2;
	}
	pid = userns_child(&ready);
	if (pid < 0 || !ready) {
		perror("idmount: user namespace");
		return 1;
	}
	snprintf(map, sizeof(map), "%s 0 1\n", argv[3]);
	snprintf(path, sizeof(path), "/proc/%d/uid_map", pid);
	if (write_file(path, map))
		goto out;
	snprintf(path, sizeof(path), "/proc/%d/setgroups", pid);
	if (write_file(path, "deny\n"))
		goto out;
	snprintf(path, sizeof(path), "/proc/%d/gid_map", pid);
	if (write_file(path, map))
		goto out;
	snprintf(path, sizeof(path), "/proc/%d/ns/user", pid);
	ns = open(path, O_RDONLY | O_CLOEXEC);
	if (ns < 0)
		goto out;
	attr.userns_fd = ns;
	tree = syscall(SYS_open_tree, AT_FDCWD, argv[1], OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (tree < 0) {
		rc = errno == ENOSYS ? 3 : 1;
		goto out;
	}
	if (syscall(SYS_mount_setattr, tree, "", AT_EMPTY_PATH, &attr, sizeof(attr))) {
		rc = errno == ENOSYS || errno == EINVAL ? 3 : 1;
		goto out;
	}
	if (syscall(SYS_move_mount, tree, "", AT_FDCWD, argv[2], MOVE_MOUNT_F_EMPTY_PATH))
		goto out;
	rc = 0;
out:
	if (rc)
		fprintf(stderr, "idmount: %s\n", strerror(errno));
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return rc;
}
