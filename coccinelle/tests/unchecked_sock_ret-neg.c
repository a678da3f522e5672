// SPDX-License-Identifier: GPL-2.0
/* Negative sample: every return value is checked or returned. */
#include <linux/net.h>
#include <linux/fs.h>

static int neg_checked(struct socket *sock, struct msghdr *msg,
		       struct kvec *vec, struct file *f)
{
	int ret;
	ssize_t n;

	ret = kernel_sendmsg(sock, msg, vec, 1, vec->iov_len);
	if (ret < 0)
		return ret;
	if (kernel_recvmsg(sock, msg, vec, 1, vec->iov_len, 0) <= 0)
		return -EIO;
	n = kernel_write(f, vec->iov_base, vec->iov_len, &f->f_pos);
	if (n != vec->iov_len)
		return n < 0 ? n : -EIO;
	return 0;
}

static int neg_returned(struct net *net, struct socket **sock)
{
	return sock_create_kern(net, AF_INET, SOCK_STREAM, IPPROTO_TCP, sock);
}

static int neg_passed(struct socket *sock, struct msghdr *msg, struct kvec *v)
{
	int ret = kernel_sendmsg(sock, msg, v, 1, v->iov_len);

	return ret == v->iov_len ? 0 : -EIO;
}
