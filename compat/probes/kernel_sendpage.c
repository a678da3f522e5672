// SPDX-License-Identifier: GPL-2.0
/* kernel_sendpage(), until 6.5 (dc97391e6610) */
#include <linux/mm_types.h>
#include <linux/net.h>

int kftp_probe(struct socket *sock, struct page *page);
int kftp_probe(struct socket *sock, struct page *page)
{
	return kernel_sendpage(sock, page, 0, 1, 0);
}
