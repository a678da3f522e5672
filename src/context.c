// SPDX-License-Identifier: GPL-2.0
/*
 * The writer's context. A transfer acts for the process that wrote its
 * request: with its credentials, in its network namespace, in the
 * directory its root and mounts resolved, within its file size limit and
 * charged to its memory cgroup. All of it is taken in write(), where
 * current is that process, and a worker puts it on for the transfer's
 * whole run, so that the kernel never does what the writer could not.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/netdevice.h>
#include <linux/nsproxy.h>
#include <linux/resource.h>
#include <linux/sched.h>
#include <net/net_namespace.h>

#include "kftp_compat.h"
#include "kftp.h"
#include "context.h"
#include "deliver.h"
#include "hash.h"
#include "transfer.h"

/*
 * The smallest of the limits on the file's size: max_size=, the module's
 * max_size, and for get the writer's RLIMIT_FSIZE (U64_MAX: none). A
 * listing has no SIZE to bound it: without max_size= it is capped, else a
 * server that streams /dev/zero as one fills the writer's filesystem.
 */
static u64 size_limit(const struct kftp_request *req)
{
	unsigned long fsize = kftp_rlimit(RLIMIT_FSIZE);
	u64 limit = req->opts.max_size ? req->opts.max_size :
		    req->verb == KFTP_VERB_LIST ? KFTP_LIST_MAX_SIZE : U64_MAX;

	if (kftp_max_size)
		limit = min_t(u64, limit, kftp_max_size);
	/* put writes no local file */
	if (fsize != RLIM_INFINITY && req->verb != KFTP_VERB_PUT)
		limit = min_t(u64, limit, fsize);
	return limit;
}

/*
 * The writer's credentials, less CAP_SYS_RESOURCE: what the server sends
 * must not fill the blocks a filesystem reserves for root.
 */
static const struct cred *transfer_cred(void)
{
	struct cred *cred = prepare_creds();

	if (cred)
		cap_lower(cred->cap_effective, CAP_SYS_RESOURCE);
	return cred;
}

/*
 * The zone of a link-local address, an interface name, as the index of
 * that interface in the writer's network namespace; 0 when it has none.
 */
static int zone_scope(const struct kftp_url *url, struct net *net,
		      const char **reason)
{
	struct net_device *dev;
	int ifindex = 0;

	if (!url->zone)
		return 0;
	rcu_read_lock();
	dev = kftp_dev_get_by_name_rcu(net, url->zone);
	if (dev)
		ifindex = dev->ifindex;
	rcu_read_unlock();
	if (!ifindex) {
		*reason = "no such interface for the zone in the URL";
		return -ENODEV;
	}
	return ifindex;
}

/*
 * A host name without addr= is resolved by dns_query(), whose upcall runs
 * in the initial namespaces and asks the host's resolver: a writer in
 * another network namespace passes the addresses its own resolver gave.
 */
static int check_host_name(const struct kftp_transfer *t, const char **reason)
{
	if (!t->host || t->opts.addrs.n || net_eq(t->net, &init_net))
		return 0;
	*reason = "host name outside the initial netns: pass the server's address (addr=)";
	return -EINVAL;
}

/*
 * FTPS needs the kernel's TLS handshake upcall (net/handshake, tlshd) and
 * kTLS: KFTP_HAVE_NET_HANDSHAKE requires CONFIG_NET_HANDSHAKE and
 * CONFIG_TLS both (compat/net.h). kftp never falls back to the clear.
 */
static int check_tls(const struct kftp_transfer *t, const char **reason)
{
	if (t->opts.tls == KFTP_TLS_NONE || KFTP_HAVE_NET_HANDSHAKE)
		return 0;
	*reason = "FTPS needs CONFIG_NET_HANDSHAKE and CONFIG_TLS (kTLS)";
	return -EPROTONOSUPPORT;
}

/*
 * put: open the file now, as the writer: what it cannot read fails its
 * write(). O_NONBLOCK so that a FIFO is refused rather than waited on.
 */
static int open_source(struct kftp_transfer *t, const char **reason)
{
	struct file *f = filp_open(t->path, O_RDONLY | O_LARGEFILE |
				   O_NONBLOCK | O_NOCTTY, 0);

	if (IS_ERR(f)) {
		*reason = "cannot open the file to send";
		return PTR_ERR(f);
	}
	if (!S_ISREG(kftp_file_inode(f)->i_mode)) {
		fput(f);
		*reason = "the file to send is not a regular file";
		return -EINVAL;
	}
	t->source = f;
	return 0;
}

int kftp_context_capture(struct kftp_transfer *t,
			 const struct kftp_request *req, const char **reason)
{
	int err;

	t->opts.max_size = size_limit(req);
	t->cred = transfer_cred();
	t->owner = current_euid();
	t->net = get_net(current->nsproxy->net_ns);
	t->net_held = true;
	t->memcg = kftp_get_writer_memcg();
	if (!t->cred)
		return -ENOMEM;
	err = check_host_name(t, reason);
	if (!err)
		err = check_tls(t, reason);
	if (err)
		return err;
	err = zone_scope(&req->url, t->net, reason);
	if (err < 0)
		return err;
	t->addr.scope = err;
	if (t->verb == KFTP_VERB_PUT)
		err = open_source(t, reason);
	else
		err = kftp_dest_resolve(&t->dest, t->path, t->opts.mkdirs,
					reason);
	if (!err && t->opts.has_sha256)
		err = kftp_hash_alloc(t, reason);
	return err;
}

void kftp_context_release(struct kftp_transfer *t)
{
	kftp_dest_release(&t->dest);
	if (t->source)
		fput(t->source);
	t->source = NULL;
	kftp_put_memcg(t->memcg);
	t->memcg = NULL;
	kftp_hash_free(t);
	if (t->cred)
		put_cred(t->cred);
	t->cred = NULL;
}

void kftp_context_put_net(struct kftp_transfer *t)
{
	if (t->net_held)
		put_net(t->net);
	t->net_held = false;
}

void kftp_context_enter(const struct kftp_transfer *t,
			struct kftp_context_saved *saved)
{
	saved->cred = override_creds(t->cred);
	saved->memcg = kftp_set_active_memcg(t->memcg);
}

void kftp_context_leave(const struct kftp_context_saved *saved)
{
	kftp_set_active_memcg(saved->memcg);
	revert_creds(saved->cred);
}
