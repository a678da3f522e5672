// SPDX-License-Identifier: GPL-2.0
/*
 * The TLS handshake upcall (net/handshake, 6.4; ta_peername 6.5) and kTLS
 * in the target's config: a tree may carry the header without either.
 */
#include <linux/kconfig.h>
#include <linux/key.h>
#include <linux/net.h>
#include <net/handshake.h>

#if !IS_ENABLED(CONFIG_NET_HANDSHAKE) || !IS_ENABLED(CONFIG_TLS)
#error "no net/handshake or no kTLS in this kernel's config"
#endif

int kftp_probe(struct tls_handshake_args *args);
int kftp_probe(struct tls_handshake_args *args)
{
	args->ta_peername = "kftp";
	if (tls_handshake_cancel(args->ta_sock->sk))
		return 0;
	return tls_client_hello_anon(args, GFP_KERNEL);
}
