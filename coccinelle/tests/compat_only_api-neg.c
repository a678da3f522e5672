// SPDX-License-Identifier: GPL-2.0
/* Negative sample: the supported replacements, nothing may be reported. */
#include <linux/net.h>
#include <linux/cred.h>

struct kftp_listener {
	int (*accept)(struct kftp_listener *l);
	int (*getname)(struct kftp_listener *l);
};

static int neg_names(struct socket *sock, struct sockaddr *addr,
		     struct socket **newsock)
{
	int ret;

	ret = kernel_getname(sock, addr);
	if (ret < 0)
		return ret;
	return kernel_accept(sock, newsock, 0);
}

static int neg_cred(struct kftp_listener *l)
{
	if (uid_eq(current_euid(), GLOBAL_ROOT_UID))
		return l->accept(l);
	return l->getname(l);
}
