/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kftp compat: kernel sockets. Included by kftp_compat.h.
 *
 * kftp does socket I/O with kernel_sendmsg()/kernel_recvmsg() on a kvec:
 * their signatures have not changed since 2.6, while sock_sendmsg() lost
 * its size in 4.1, sock_recvmsg() in 4.7 (2da62906b1e2) and iov_iter_kvec()
 * changed its direction flags in 4.20 (aa563d7bca6e) and 6.2 (de4eda9de2d9).
 * It accepts with kernel_accept(), which hides proto_ops->accept gaining
 * "bool kern" in 4.11 (cdfbabfb2f0c) and struct proto_accept_arg in 6.10
 * (92ef0fd55ac8). Timeouts are sk_rcvtimeo/sk_sndtimeo, set directly, which
 * needs neither kernel_setsockopt() (gone in 5.8) nor sockptr_t (5.9).
 */
#ifndef KFTP_COMPAT_NET_H
#define KFTP_COMPAT_NET_H

#include <linux/net.h>
#include <net/net_namespace.h>
#include <net/sock.h>

/*
 * 4.2: sock_create_kern() takes the network namespace, commit eeb1bd5c40ed
 * ("net: Add a struct net parameter to sock_create_kern"); the same release
 * stopped kernel sockets from holding a reference to it, commit
 * 26abe14379f8, which is why a transfer holds its own. Before 4.2 the
 * socket is made in init_net and moved, as sk_change_net() did, but with
 * a reference on @net, as every pre-4.2 socket holds one: sock_release()
 * then balances it, where sk_change_net() needed sk_release_kernel().
 * __sock_create() would do the same in one step, but 2.6.32 has it static.
 */
#ifndef KFTP_HAVE_SOCK_CREATE_KERN_NET
#define KFTP_HAVE_SOCK_CREATE_KERN_NET	KFTP_KERNEL_AT_LEAST(4, 2, 0)
#endif
static inline int kftp_sock_create_kern(struct net *net, int family, int type,
					int proto, struct socket **res)
{
#if KFTP_HAVE_SOCK_CREATE_KERN_NET
	return sock_create_kern(net, family, type, proto, res);
#else
	int err = sock_create_kern(family, type, proto, res);

	if (!err && net != &init_net) {
		put_net(sock_net((*res)->sk));
		sock_net_set((*res)->sk, get_net(net));
	}
	return err;
#endif
}

/*
 * 6.19: kernel_bind() and kernel_connect() take struct sockaddr_unsized *,
 * commits bf33247a90d3 ("net: Add struct sockaddr_unsized for sockaddr of
 * unknown length"), 0e50474fa514 and 85cb0757d7e1 ("net: Convert
 * proto_ops bind()/connect() callbacks to use sockaddr_unsized"); the
 * release is inferred from net-next in November 2025, 7.2 and 7.3 have
 * it. KFTP_SOCKADDR() casts a caller's address to the type the target's
 * kernel_bind()/kernel_connect() take.
 */
#ifndef KFTP_HAVE_SOCKADDR_UNSIZED
#define KFTP_HAVE_SOCKADDR_UNSIZED	KFTP_KERNEL_AT_LEAST(6, 19, 0)
#endif
#if KFTP_HAVE_SOCKADDR_UNSIZED
#define KFTP_SOCKADDR(addr)	((struct sockaddr_unsized *)(addr))
#else
#define KFTP_SOCKADDR(addr)	((struct sockaddr *)(addr))
#endif

/*
 * 4.17: kernel_getsockname()/kernel_getpeername() return the address length
 * instead of filling an int *, commit 9b2c45d479d0 ("net: make getname()
 * functions return length rather than use int* parameter"). kftp's
 * wrappers return 0 or -errno on every kernel.
 */
#ifndef KFTP_HAVE_GETNAME_RETLEN
#define KFTP_HAVE_GETNAME_RETLEN	KFTP_KERNEL_AT_LEAST(4, 17, 0)
#endif
static inline int kftp_getsockname(struct socket *sock, struct sockaddr *addr)
{
#if KFTP_HAVE_GETNAME_RETLEN
	int ret = kernel_getsockname(sock, addr);
#else
	int len, ret = kernel_getsockname(sock, addr, &len);
#endif
	return ret < 0 ? ret : 0;
}

static inline int kftp_getpeername(struct socket *sock, struct sockaddr *addr)
{
#if KFTP_HAVE_GETNAME_RETLEN
	int ret = kernel_getpeername(sock, addr);
#else
	int len, ret = kernel_getpeername(sock, addr, &len);
#endif
	return ret < 0 ? ret : 0;
}

/*
 * 2.6.33: dev_get_by_name_rcu(), commit 72c9528bab94 ("net: Introduce
 * dev_get_by_name_rcu()"; id unverified). Before it the name list is read
 * under dev_base_lock; unregistering waits for an RCU grace period after
 * unlisting, so the device stays valid under the caller's rcu_read_lock().
 */
#include <linux/netdevice.h>

static inline struct net_device *kftp_dev_get_by_name_rcu(struct net *net,
							  const char *name)
{
#if KFTP_KERNEL_AT_LEAST(2, 6, 33)
	return dev_get_by_name_rcu(net, name);
#else
	struct net_device *dev;

	read_lock(&dev_base_lock);
	dev = __dev_get_by_name(net, name);
	read_unlock(&dev_base_lock);
	return dev;
#endif
}

/*
 * Abort a TCP socket from another task, as sock_diag's SOCK_DESTROY does:
 * tcp_abort() is exported from 4.5, commit c1e64e298b8c ("net: diag:
 * Support destroying TCP sockets."). kftp needs it for a connect in
 * progress, which shutdown() no longer wakes where stable kernels took
 * 4faeee0cf8a5 ("tcp: deny tcp_disconnect() when threads are waiting"):
 * Debian's 5.10.0-46 among them. Before 4.5, shutdown() still does.
 */
#include <net/tcp.h>

static inline void kftp_tcp_abort(struct socket *sock)
{
#if KFTP_KERNEL_AT_LEAST(4, 5, 0)
	tcp_abort(sock->sk, ECANCELED);
#endif
}

/*
 * One copy on receive (sock.c, deliver.c): the data connection is read
 * with proto_ops->read_sock (tcp_read_sock()) and each skb's head and page
 * fragments are written into the file as a bio_vec iov_iter. The newest
 * interface this needs is skb_frag_off(), 5.4, commit 7240b60c98d6
 * ("linux: Add skb_frag_t page_offset accessors"); iov_iter_bvec() took
 * its direction in 4.20, commit aa563d7bca6e. Before 5.4 every transfer
 * takes the buffer path (kernel_recvmsg() and kernel_write()).
 */
#ifndef KFTP_HAVE_RECV_DIRECT
#define KFTP_HAVE_RECV_DIRECT	KFTP_KERNEL_AT_LEAST(5, 4, 0)
#endif

/*
 * Zero-copy upload (sock.c, kftp_conn_send_file()): the file's pages come
 * from splice_direct_to_actor() into the task's internal pipe, as for
 * sendfile(), and __splice_from_pipe() hands each pipe buffer's page to
 * kftp_send_pages(), as nfsd's splice read does (fs/nfsd/vfs.c); both are
 * exported and unchanged since 2.6.23. kftp_send_pages() sends the pages
 * without copying them:
 * 6.5: sendmsg(MSG_SPLICE_PAGES) on a bio_vec iov_iter, commit
 * 270a1c3de47e ("tcp: Support MSG_SPLICE_PAGES"); the same release
 * removed ->sendpage() and kernel_sendpage(), commit dc97391e6610
 * ("sock: Remove ->sendpage*() in favour of sendmsg(MSG_SPLICE_PAGES)").
 * Stable trees took the flag's definition without TCP's use of it
 * (Debian's 6.1 defines it): the version decides, not the name.
 * Before 6.5: kernel_sendpage(), probed (compat/probes/kernel_sendpage.c).
 * A tree with neither (KFTP_HAVE_SEND_PAGES 0): put copies the file
 * through its buffer, kernel_read() and kernel_sendmsg().
 */
#ifndef KFTP_HAVE_KERNEL_SENDPAGE
#define KFTP_HAVE_KERNEL_SENDPAGE	(!KFTP_KERNEL_AT_LEAST(6, 5, 0))
#endif
#ifndef KFTP_HAVE_SEND_PAGES
#define KFTP_HAVE_SEND_PAGES	(KFTP_KERNEL_AT_LEAST(6, 5, 0) || \
				 KFTP_HAVE_KERNEL_SENDPAGE)
#endif

#if KFTP_HAVE_SEND_PAGES
#include <linux/bio.h>
#include <linux/uio.h>

/*
 * kftp_send_pages(): @nr pages of @len bytes in all, each held by the
 * caller, sent whole (a short send goes on with the rest) or -errno/0.
 * From 6.5 one sendmsg(MSG_SPLICE_PAGES) takes a pipe's worth of pages,
 * as splice_to_socket() does (commit 2dc334f1a63a, "splice, net: Use
 * sendmsg(MSG_SPLICE_PAGES) rather than ->sendpage()"): one socket lock
 * and one push decision per batch, not per page. kernel_sendpage() takes
 * one page a call.
 */
#if KFTP_KERNEL_AT_LEAST(6, 5, 0)
#define KFTP_SEND_BATCH		PIPE_DEF_BUFFERS

static inline int kftp_send_pages(struct socket *sock, struct bio_vec *bv,
				  unsigned int nr, size_t len, bool more)
{
	struct msghdr msg = {
		.msg_flags = MSG_NOSIGNAL | MSG_SPLICE_PAGES |
			     (more ? MSG_MORE : 0),
	};
	int n;

	iov_iter_bvec(&msg.msg_iter, ITER_SOURCE, bv, nr, len);
	while (msg_data_left(&msg)) {
		n = sock_sendmsg(sock, &msg);
		if (n <= 0)
			return n;
	}
	return len;
}
#else
#define KFTP_SEND_BATCH		1

static inline int kftp_send_pages(struct socket *sock, struct bio_vec *bv,
				  unsigned int nr, size_t len, bool more)
{
	int flags = MSG_NOSIGNAL | (more ? MSG_MORE : 0);
	size_t done = 0;
	int n;

	while (done < len) {
		n = kernel_sendpage(sock, bv->bv_page, bv->bv_offset + done,
				    len - done, flags);
		if (n <= 0)
			return n;
		done += n;
	}
	return len;
}
#endif
#endif

/*
 * The kernel's DNS resolver (net/dns_resolver, 2.6.37): dns_query()
 * lost nothing and gained two arguments.
 * 5.3: the network namespace whose key domain caches the answer, commit
 * a58946c158a0 ("keys: Pass the network namespace into request_key
 * mechanism"); before it the dns_resolver cache is one for all namespaces.
 * 5.2: "invalidate", so that a used key (a cached answer) is dropped at
 * once, from "dns_resolver: Allow used keys to be invalidated" (David
 * Howells, the afs-fixes-20190516 pull). kftp resolves again for each new
 * connection and never wants a stale answer: it invalidates where it can.
 * The expiry (time_t, later time64_t) is not asked for. Without
 * CONFIG_DNS_RESOLVER a name fails with -EOPNOTSUPP: "no DNS resolver".
 */
/* built in or a module; IS_ENABLED() only came in 3.1 */
#ifdef CONFIG_DNS_RESOLVER
#define KFTP_HAVE_DNS_RESOLVER	1
#endif
#ifdef CONFIG_DNS_RESOLVER_MODULE
#define KFTP_HAVE_DNS_RESOLVER	1
#endif

#ifdef KFTP_HAVE_DNS_RESOLVER
#include <linux/dns_resolver.h>

static inline int kftp_dns_query(struct net *net, const char *name,
				 size_t len, const char *options, char **result)
{
#if KFTP_KERNEL_AT_LEAST(5, 3, 0)
	return dns_query(net, NULL, name, len, options, result, NULL, true);
#elif KFTP_KERNEL_AT_LEAST(5, 2, 0)
	return dns_query(NULL, name, len, options, result, NULL, true);
#else
	return dns_query(NULL, name, len, options, result, NULL);
#endif
}
#else
static inline int kftp_dns_query(struct net *net, const char *name,
				 size_t len, const char *options, char **result)
{
	return -EOPNOTSUPP;
}
#endif

/*
 * The TLS handshake upcall: net/handshake hands a connected socket to
 * tlshd, which installs kTLS keys on it. tls_client_hello_anon() and
 * tls_handshake_cancel() came in 6.4, commit 2fd5532044a8 ("net/handshake:
 * Add a kernel API for requesting a TLSv1.3 handshake"), ta_peername in
 * 6.5; both need CONFIG_NET_HANDSHAKE and kTLS (CONFIG_TLS). Probed
 * (compat/probes/net_handshake.c), since distributions backport it and
 * configure it off (Debian's 6.1 has neither).
 */
#ifndef KFTP_HAVE_NET_HANDSHAKE
#if KFTP_KERNEL_AT_LEAST(6, 5, 0) && defined(CONFIG_NET_HANDSHAKE) && \
	(defined(CONFIG_TLS) || defined(CONFIG_TLS_MODULE))
#define KFTP_HAVE_NET_HANDSHAKE	1
#else
#define KFTP_HAVE_NET_HANDSHAKE	0
#endif
#endif

/*
 * One copy on a kTLS socket (sock.c): from 6.6, commit 662fbcec32f4
 * ("net/tls: implement ->read_sock()"), a socket with kTLS receive keys
 * reads its decrypted records with tls_sw_read_sock(); before, kTLS copies
 * TCP's proto_ops whole and read_sock is tcp_read_sock(), which would
 * hand over the records as they came, encrypted. Tested at run time: tls.ko
 * is built apart and a backport would not show in the version.
 */
#if KFTP_HAVE_NET_HANDSHAKE && KFTP_HAVE_RECV_DIRECT
static inline bool kftp_tls_has_read_sock(const struct socket *sock)
{
	return sock->ops->read_sock && sock->ops->read_sock != tcp_read_sock;
}
#endif

#endif /* KFTP_COMPAT_NET_H */
