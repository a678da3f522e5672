// SPDX-License-Identifier: GPL-2.0
/* Positive sample: every line marked expect must be reported. */
#include <linux/net.h>
#include <linux/fs.h>

static void pos_dropped(struct socket *sock, struct msghdr *msg,
			struct kvec *vec, struct file *f)
{
	kernel_sendmsg(sock, msg, vec, 1, vec->iov_len);	/* expect */
	(void)kernel_recvmsg(sock, msg, vec, 1, vec->iov_len, 0);	/* expect */
	kernel_write(f, vec->iov_base, vec->iov_len, &f->f_pos);	/* expect */
}

static struct socket *pos_unread(struct net *net)
{
	struct socket *sock = NULL;
	int err;

	err = sock_create_kern(net, AF_INET, SOCK_STREAM, IPPROTO_TCP, &sock);	/* expect */
	return sock;
}

static int pos_overwritten(struct socket *sock, struct msghdr *msg,
			   struct kvec *vec)
{
	int ret;

	ret = kernel_sendmsg(sock, msg, vec, 1, vec->iov_len);	/* expect */
	ret = kernel_recvmsg(sock, msg, vec, 1, vec->iov_len, 0);
	return ret;
}

static void pos_unread_decl(struct file *f, const void *buf, size_t len)
{
	ssize_t n = kernel_write(f, buf, len, &f->f_pos);	/* expect */
}
