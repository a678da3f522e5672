// SPDX-License-Identifier: GPL-2.0
/* kernel_getsockname() returns the length (4.17) */
#include <linux/net.h>
#include <linux/socket.h>

int kftp_probe(struct socket *sock, struct sockaddr *addr);
int kftp_probe(struct socket *sock, struct sockaddr *addr)
{
	return kernel_getsockname(sock, addr);
}
