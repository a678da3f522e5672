// SPDX-License-Identifier: GPL-2.0
/* Positive sample: every construct here must be reported. */
#include <linux/net.h>
#include <linux/sched.h>
#include <linux/uaccess.h>

extern void *sys_call_table[];

static int pos_setfs(struct socket *sock, struct sockaddr *addr)
{
	mm_segment_t old = get_fs();	/* expect */
	int ret;

	set_fs(KERNEL_DS);	/* expect */
	ret = sock->ops->getname(sock, addr, 0);	/* expect */
	set_fs(old);	/* expect */
	return ret;
}

static int pos_accept(struct socket *sock, struct socket *newsock)
{
	const struct proto_ops *ops = sock->ops;

	return ops->accept(sock, newsock, 0, true);	/* expect */
}

static int pos_uid(void)
{
	if (current->euid == 0)	/* expect */
		return current->uid;	/* expect */
	return sys_call_table[0] != NULL;	/* expect */
}
