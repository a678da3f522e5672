// SPDX-License-Identifier: GPL-2.0
/*
 * Host names, resolved with the kernel's DNS resolver (net/dns_resolver):
 * dns_query() and its request-key upcall to keyutils' key.dns_resolver, as
 * CIFS, NFS and AFS use it. The upcall waits on a userspace program and
 * has no timeout of its own, so each lookup is a work item of its own: the
 * transfer waits for it at most its timeout= and wakes on a cancel; a
 * lookup it gave up on ends by itself (the program's own DNS timeouts, from
 * /etc/resolv.conf, bound it), and unload waits for that. The upcall asks
 * the host's resolver, so only a writer in the initial network namespace
 * gets here (context.c); any other passes the addresses with addr=.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kref.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>

#include "kftp_compat.h"
#include "kftp.h"
#include "resolve.h"
#include "transfer.h"

struct kftp_lookup {
	struct kref ref;		/* the transfer's and the work's */
	struct work_struct work;
	struct net *net;		/* whose key domain caches the answer */
	char name[KFTP_HOST_MAX + 2];
	const char *options;
	char *result;			/* "ADDR,ADDR,...", from dns_query() */
	int err;
	bool done;
};

/* lookups, unbound: each sleeps on userspace for most of its life */
static struct workqueue_struct *kftp_dns_wq;
/* a lookup's end and every cancel wake the transfers waiting for one */
static DECLARE_WAIT_QUEUE_HEAD(kftp_lookup_wait);

static void lookup_free(struct kref *ref)
{
	struct kftp_lookup *l = container_of(ref, struct kftp_lookup, ref);

	kfree(l->result);
	put_net(l->net);
	kfree(l);
}

static void lookup_work(struct work_struct *work)
{
	struct kftp_lookup *l = container_of(work, struct kftp_lookup, work);
	int n;

	n = kftp_dns_query(l->net, l->name, strlen(l->name), l->options,
			   &l->result);
	l->err = min(n, 0);
	pr_debug("lookup of %s: %d\n", l->name, n);
	/* the result before the flag, for the waiter that reads it */
	kftp_smp_store_release(&l->done, true);
	wake_up_all(&kftp_lookup_wait);
	kref_put(&l->ref, lookup_free);
}

/*
 * Keep the addresses of @list ("ADDR,ADDR,..."), of @family if not 0,
 * IPv6 ones first (as RFC 6724 prefers them), each once, in @out.
 */
static void take_addrs(struct kftp_addrs *out, const char *list, u8 family)
{
	struct kftp_addr a;
	const char *p, *end;
	static const u8 order[] = { KFTP_AF_INET6, KFTP_AF_INET };
	unsigned int pass, i;

	out->n = 0;
	for (pass = 0; pass < ARRAY_SIZE(order); pass++) {
		for (p = list; *p; p = *end ? end + 1 : end) {
			end = kftp_strchrnul(p, ',');
			if (kftp_parse_addr(p, end - p, &a) ||
			    (family && a.family != family) ||
			    a.family != order[pass])
				continue;
			for (i = 0; i < out->n; i++) {
				if (kftp_addr_equal(&out->a[i], &a))
					break;
			}
			if (i == out->n && out->n < KFTP_ADDRS_MAX)
				out->a[out->n++] = a;
		}
	}
}

/*
 * Why a lookup failed, for the status table. No /sbin/request-key is
 * ENOENT (from the usermode helper), an upcall that made no key ENOKEY. A
 * rejected key carries what key.dns_resolver said, but keyutils up to
 * 1.6.3 passes the resolver's h_errno as an errno (NO_DATA, 4, reads as
 * EINTR; TRY_AGAIN, 2, as ENOENT), so the rest are not told apart.
 */
static const char *lookup_failed(int err)
{
	switch (err) {
	case -ENOKEY:
	case -ENOENT:
		return "host name did not resolve: no answer from the request-key upcall";
	case -EOPNOTSUPP:
		return "no DNS resolver in this kernel (CONFIG_DNS_RESOLVER)";
	default:
		return "host name did not resolve: no such name or no address";
	}
}

static bool lookup_done(struct kftp_lookup *l)
{
	/* pairs with the release in lookup_work(): l->err and l->result */
	return kftp_smp_load_acquire(&l->done);
}

/* Wait for the lookup, a cancel or the timeout. */
static void lookup_wait(struct kftp_lookup *l, const struct kftp_transfer *t)
{
	kftp_wait_until(&kftp_lookup_wait,
			lookup_done(l) || READ_ONCE(t->cancelled),
			jiffies + (unsigned long)t->opts.timeout * HZ);
}

int kftp_resolve(const struct kftp_transfer *t, struct kftp_addrs *out,
		 const char **why)
{
	static const char *const options[] = {
		[0] = "list",
		[KFTP_AF_INET] = "ipv4 list",
		[KFTP_AF_INET6] = "ipv6 list",
	};
	u8 family = t->opts.family ? t->opts.family : t->opts.src.family;
	struct kftp_lookup *l;
	bool done;
	int err;

	l = kzalloc(sizeof(*l), GFP_KERNEL_ACCOUNT);
	if (!l)
		return -ENOMEM;
	kref_init(&l->ref);
	kref_get(&l->ref);			/* the work's */
	INIT_WORK(&l->work, lookup_work);
	l->net = get_net(t->net);
	kftp_strscpy(l->name, t->host, sizeof(l->name));
	l->options = options[family];
	queue_work(kftp_dns_wq, &l->work);

	lookup_wait(l, t);
	done = lookup_done(l);
	if (READ_ONCE(t->cancelled)) {
		err = -ECANCELED;
	} else if (!done) {
		*why = "host name did not resolve: no answer from the resolver within timeout=";
		err = -ETIMEDOUT;
	} else if (l->err) {
		*why = lookup_failed(l->err);
		err = -EHOSTUNREACH;
	} else {
		take_addrs(out, l->result, family);
		*why = "host name has no address of the family asked for";
		err = out->n ? 0 : -EHOSTUNREACH;
	}
	kref_put(&l->ref, lookup_free);
	return err;
}

void kftp_resolve_wake(void)
{
	wake_up_all(&kftp_lookup_wait);
}

int kftp_resolve_init(void)
{
	kftp_dns_wq = kftp_alloc_workqueue("kftp_dns", KFTP_WQ_UNBOUND, 0);
	return kftp_dns_wq ? 0 : -ENOMEM;
}

/* After the transfers: waits for the lookups they gave up on. */
void kftp_resolve_exit(void)
{
	destroy_workqueue(kftp_dns_wq);
}
