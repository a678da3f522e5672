// SPDX-License-Identifier: GPL-2.0
/* kernel_bind() takes struct sockaddr_unsized * (7.x) */
#include <linux/net.h>
#include <linux/socket.h>

int kftp_probe(struct socket *sock, struct sockaddr_unsized *addr);
int kftp_probe(struct socket *sock, struct sockaddr_unsized *addr)
{
	return kernel_bind(sock, addr, 0);
}
