/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kftp kernel side: sockets, file delivery, the transfer queue and the
 * procfs front. The protocol core is in proto.h.
 */
#ifndef KFTP_H
#define KFTP_H

#include <linux/completion.h>
#include <linux/jiffies.h>
#include <linux/kref.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/net.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/path.h>
#include <linux/sched.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "proto.h"

struct file;
struct mem_cgroup;
struct shash_desc;
struct sk_buff;

/* module parameters (main.c) */
extern unsigned int kftp_max_transfers;
extern unsigned int kftp_history;
extern unsigned int kftp_buf_size;
extern unsigned int kftp_server_conns;
extern unsigned long kftp_max_size;

/*
 * In a worker: sleep on @wq until @cond or until jiffies reach @end,
 * testing @cond after each wake-up; whoever makes @cond true wakes @wq.
 * Interruptible only so that a long wait is not taken for a hung task:
 * workers get no signals. Spelled out because the __ret of
 * wait_event_interruptible_timeout() shadows the caller's (sparse, up to
 * 6.1).
 */
#define kftp_wait_until(wq, cond, end)					\
do {									\
	wait_queue_head_t *__kftp_wq = (wq);				\
	unsigned long __kftp_end = (end);				\
	DEFINE_WAIT(__kftp_wait);					\
	long __kftp_left;						\
									\
	for (;;) {							\
		prepare_to_wait(__kftp_wq, &__kftp_wait,		\
				TASK_INTERRUPTIBLE);			\
		__kftp_left = (long)(__kftp_end - jiffies);		\
		if ((cond) || __kftp_left <= 0)				\
			break;						\
		schedule_timeout(__kftp_left);				\
	}								\
	finish_wait(__kftp_wq, &__kftp_wait);				\
} while (0)

/* ---- sock.c: kernel sockets with timeouts, cancellable from any task ---- */

/* both begin with the family; no struct sockaddr, a flexible one lately */
union kftp_sockaddr {
	struct sockaddr_in v4;
	struct sockaddr_in6 v6;
};

struct kftp_conn {
	struct net *net;
	union kftp_sockaddr peer;	/* the control connection's server */
	union kftp_sockaddr src;	/* local address to bind, if any */
	bool has_src;
	long timeo;			/* jiffies, for every wait */
	struct mutex lock;		/* socket pointers vs kftp_conn_cancel */
	bool cancelled;
	struct socket *ctrl, *data, *listen;
	u64 trace_id;			/* the transfer, in the protocol trace */
};

/* @src family 0: none; an IPv6 @src takes @addr's zone */
void kftp_conn_init(struct kftp_conn *c, struct net *net,
		    const struct kftp_addr *addr, u16 port,
		    const struct kftp_addr *src, unsigned int timeout_secs);
int kftp_conn_open(struct kftp_conn *c);
/* Wake every wait on @c and make later ones fail; safe from any task. */
void kftp_conn_cancel(struct kftp_conn *c);
void kftp_conn_close(struct kftp_conn *c);
void kftp_conn_set_timeout(struct kftp_conn *c, unsigned int timeout_secs);
extern const struct kftp_transport_ops kftp_sock_ops;
#if KFTP_HAVE_SEND_PAGES
/* Up to @len bytes of @file from *@pos, its pages, on the data connection. */
int kftp_conn_send_file(struct kftp_conn *c, struct file *file, loff_t *pos,
			size_t len);
#endif
#if KFTP_HAVE_RECV_DIRECT
/* Where kftp_conn_read() hands each skb's bytes: 0 or -errno. */
typedef int (*kftp_skb_write_t)(void *arg, struct sk_buff *skb,
				unsigned int offset, size_t len);
/* Up to @len bytes of the data connection to @write, socket unlocked. */
int kftp_conn_read(struct kftp_conn *c, size_t len, kftp_skb_write_t write,
		   void *arg);
#endif

/* ---- resolve.c: host names, with the kernel's DNS resolver ---- */

#define KFTP_ADDRS_MAX	16	/* addresses of one name tried, at most */

struct kftp_transfer;
/*
 * In the worker: resolve t->host into t->addrs, for at most t->timeout
 * and until a cancel. -errno with *why set for the status table.
 */
int kftp_resolve(struct kftp_transfer *t, const char **why);
/* A cancel: the transfers waiting for a lookup look at t->cancelled. */
void kftp_resolve_wake(void);
int kftp_resolve_init(void);
void kftp_resolve_exit(void);

/* ---- deliver.c: temporary file, rename over the destination ---- */

struct kftp_dest {
	struct path dir;		/* the destination's directory, pinned */
	const char *name;		/* the destination's name in dir */
	umode_t mode;			/* of a new file: 0666 minus the umask */
	struct file *file;		/* the temporary file, while open */
	loff_t pos;
	loff_t kept;			/* resume: bytes the part file had */
	bool has_mtime;			/* give the file this modification time */
	struct timespec64 mtime;
};

/*
 * In the writer's context: resolve and pin @path's directory (with
 * @mkdirs, made first where missing), refuse a destination that is not a
 * regular file. -errno with *reason set.
 */
int kftp_dest_resolve(struct kftp_dest *d, const char *path, bool mkdirs,
		      const char **reason);
void kftp_dest_release(struct kftp_dest *d);
/* In the worker, as the writer: create the temporary file. */
int kftp_dest_open(struct kftp_dest *d);
/*
 * resume: open the part file .kftp-part-NAME instead, created or kept from
 * an earlier failure (then d->pos and d->kept are its size). -EEXIST when
 * the name is not a regular file of the writer's with one link.
 */
int kftp_dest_open_part(struct kftp_dest *d);
/* Drop what lies past @pos (a resumed stream starts over there). */
int kftp_dest_truncate(struct kftp_dest *d, loff_t pos);
/* resume: close the part file and keep it for a later get ... resume. */
void kftp_dest_keep(struct kftp_dest *d);
/* at *@pos, which moves on: pos, or a segment's own position */
int kftp_dest_write(struct kftp_dest *d, const void *buf, size_t len,
		    loff_t *pos);
#if KFTP_HAVE_RECV_DIRECT
/* @len bytes of @skb from @offset, copied once; *@pos counts what was written */
int kftp_dest_write_skb(struct kftp_dest *d, const struct sk_buff *skb,
			unsigned int offset, size_t len, loff_t *pos);
#endif
/* Flush and rename over the destination; on failure as kftp_dest_abort. */
int kftp_dest_commit(struct kftp_dest *d);
/* Remove the temporary file; the destination is left untouched. */
void kftp_dest_abort(struct kftp_dest *d);

/* ---- hash.c: sha256=, the file's digest ---- */

struct kftp_transfer;
/* In the writer's context: t->hash for the digest @sha256. */
int kftp_hash_alloc(struct kftp_transfer *t, const u8 *sha256,
		    const char **reason);
void kftp_hash_free(struct kftp_transfer *t);
/* Start over with the first @len bytes of @file, read back. */
int kftp_hash_start(struct kftp_transfer *t, struct file *file, loff_t len);
int kftp_hash_update(struct kftp_transfer *t, const void *buf, size_t len);
#if KFTP_HAVE_RECV_DIRECT
/* @len bytes of @skb from @offset, where they lie: no copy */
int kftp_hash_skb(struct kftp_transfer *t, struct sk_buff *skb,
		  unsigned int offset, size_t len);
#endif
/* The digest of what was fed: 0 when it is sha256=, else -EBADMSG. */
int kftp_hash_check(struct kftp_transfer *t);

/* ---- transfer.c: the queue, the workers and their lifecycle ---- */

enum kftp_state {
	KFTP_QUEUED,
	KFTP_CONNECTING,
	KFTP_TRANSFERRING,
	KFTP_WAITING,			/* retries=: until the next try */
	KFTP_DONE,
	KFTP_FAILED,
	KFTP_CANCELLED,
};

/* ---- pool.c: logged-in control connections, reused ---- */

struct kftp_link {
	struct list_head node;		/* in the pool, under kftp_lock */
	struct kref ref;		/* the pool's, and a pending abort's */
	struct list_head abort_node;	/* in kftp_aborts, under kftp_lock */
	u64 id;
	bool busy;			/* attached to a transfer */
	unsigned long idle_since;	/* jiffies */
	/* what a transfer must match to use this connection */
	struct net *net;		/* no reference: see kftp_links_net_exit */
	struct kftp_addr addr;		/* the address connected */
	char *host;			/* and the name it came from, if any */
	u16 port;
	struct kftp_addr src;		/* family 0: none */
	u64 account;			/* keyed hash of user and password */
	bool connected;			/* the connect succeeded */
	struct kftp_conn conn;
	struct kftp_session session;
	void *buf;			/* kftp_buf_size bytes, NULL until used */
};

struct kftp_transfer;
struct kftp_segment;

int kftp_link_get(struct kftp_transfer *t, bool *reused);
void kftp_link_put(struct kftp_transfer *t, bool keep);
/* The same for a segment's connection, in *@to rather than t->link. */
int kftp_link_get_to(struct kftp_transfer *t, struct kftp_link **to,
		     bool *reused);
/* Connect a new connection kftp_link_get*() attached, and log in. */
int kftp_link_login(struct kftp_transfer *t, struct kftp_link *l);
void kftp_link_put_from(struct kftp_transfer *t, struct kftp_link **from,
			bool keep);
int kftp_link_buf(struct kftp_link *l);
/* Under kftp_lock: have kftp_links_abort() cancel @l's sockets. */
void kftp_link_abort_locked(struct kftp_link *l);
/* Outside kftp_lock: cancel the sockets of the links marked so. */
void kftp_links_abort(void);
void kftp_links_wake(void);
void kftp_links_init(void);
void kftp_links_exit(void);
unsigned int kftp_links_net_exit(struct net *net);
/* Keyed hash of an account, so that no pooled connection keeps a password. */
u64 kftp_account_hash(const char *user, const char *pass);

struct kftp_transfer {
	struct list_head node;		/* in kftp_transfers */
	struct kref ref;
	struct work_struct work;
	struct delayed_work deadline_work;
	struct completion done;
	u64 id;
	/* written under kftp_lock, read by the status table */
	enum kftp_state state;
	s64 total;			/* -1 when unknown */
	int err;			/* positive errno of a failure */
	char *reply;			/* the server reply a failure came with */
	ktime_t started, ended;
	u64 conn_id;			/* the control connection used, 0: none */
	bool cancelled;
	bool timed_out;			/* the deadline passed */
	struct kftp_link *link;		/* while it has one */
	atomic64_t bytes;
	/* the request */
	enum kftp_verb verb;		/* get or put */
	char *url;			/* password masked */
	char *path;
	char *remote;
	char *user;
	char *pass;			/* wiped once a connection is logged in */
	u64 account;			/* kftp_account_hash(user, pass) */
	struct kftp_addr addr;		/* the zone resolved to its scope */
	char *host;			/* a name to resolve; NULL: addr */
	u8 family;			/* family=, 0: either */
	struct kftp_addr addrs[KFTP_ADDRS_MAX];	/* host's, in order */
	unsigned int naddrs;
	u16 port;
	struct kftp_addr src;		/* family 0: none */
	unsigned int timeout;		/* seconds */
	unsigned int deadline;		/* seconds, 0: none */
	u64 min_rate;			/* bytes per second, 0: none */
	u64 rate;			/* bytes per second at most, 0: no cap */
	unsigned int retries;		/* tries after the first, at most */
	unsigned int attempt;		/* the try, from 1; under kftp_lock */
	wait_queue_head_t sleep;	/* rate= and retries= waits; a cancel wakes them */
	u64 max_size;			/* bytes, U64_MAX: no limit */
	enum kftp_mode mode;
	bool wait;
	enum kftp_retr_kind kind;	/* get: FILE; list: LIST or NAMES */
	bool mtime;			/* get: MDTM's time for the file */
	/* get: a part file, kept on failure; put: send what is missing */
	bool resume;
	bool append, atomic, mkdirs;	/* put's options */
	unsigned int segments;		/* get: ranges over connections, 1: one stream */
	bool ascii;			/* type=ascii: line ends converted */
	/* segments running, under kftp_lock (cancel reaches their links) */
	struct kftp_segment *segs;
	unsigned int nsegs;
	bool segs_stopped;		/* one failed: the others end, none starts */
	int segs_err;			/* the first failure's -errno */
	bool segs_one_stream;		/* the first failure: a login or REST refused */
	/* the writer's context, captured when the request was written */
	const struct cred *cred;	/* for the file */
	struct net *net;		/* for the sockets; NULL: gone */
	bool net_held;			/* a reference, until the end */
	struct mem_cgroup *memcg;	/* charged for buffers and page cache */
	struct kftp_dest dest;		/* get: directory resolved from its root */
	struct file *source;		/* put: the file, opened by the writer */
	/* sha256=: the digest so far (NULL: none), and the one it must be */
	struct shash_desc *hash;
	u8 sha256[KFTP_SHA256_SIZE];
};

/**
 * kftp_transfer_nap() - sleep, unless the transfer is cancelled
 * @t: the transfer
 * @timeout: jiffies
 *
 * Every cancel, unload and deadline sets t->cancelled and wakes t->sleep.
 */
void kftp_transfer_nap(struct kftp_transfer *t, long timeout);

/**
 * kftp_transfer_save_reply() - keep a failure's reply for the status table
 * @t: the transfer
 * @text: the reply, or a reason of kftp's own
 *
 * Printable bytes only, with the password masked should the server echo
 * it; an earlier try's reply is dropped.
 */
void kftp_transfer_save_reply(struct kftp_transfer *t, const char *text);

/**
 * kftp_transfer_check_sha256() - is the digest of the bytes sha256='s?
 * @t: the transfer, its digest complete
 *
 * Return: 0, or -EBADMSG (never retried), with "sha256 mismatch" as the
 * reply, when it is another.
 */
int kftp_transfer_check_sha256(struct kftp_transfer *t);

/**
 * kftp_transfer_take_mtime() - the file gets the server's time, if it said
 * @t: the transfer
 * @s: the session that asked MDTM
 */
void kftp_transfer_take_mtime(struct kftp_transfer *t,
			      const struct kftp_session *s);

/**
 * struct kftp_transfer_status - a transfer as the status table shows it
 * @id: its ID
 * @verb: get or put
 * @state: where it is
 * @bytes: the file's bytes so far
 * @total: the file's size, -1 when unknown
 * @rate: bytes per second since a connection was attached, 0 before
 * @err: positive errno of a failure, 0: none
 * @conn_id: the control connection used, 0: none yet
 * @addr: the server address that connection went to
 * @attempt: the try, from 1
 * @url: the URL, password masked
 * @path: the local file
 * @reply: the server reply a failure came with, or NULL
 *
 * The strings are the transfer's own: valid while kftp_lock is held.
 */
struct kftp_transfer_status {
	u64 id;
	enum kftp_verb verb;
	enum kftp_state state;
	u64 bytes;
	s64 total;
	u64 rate;
	int err;
	u64 conn_id;
	struct kftp_addr addr;
	unsigned int attempt;
	const char *url;
	const char *path;
	const char *reply;
};

/**
 * kftp_transfer_status() - what the status table shows of a transfer
 * @t: the transfer, on kftp_transfers
 * @net: the reader's network namespace
 * @st: filled in
 *
 * Under kftp_lock, which the status table's seq_file holds from its start
 * to its stop.
 *
 * Return: false for a transfer of another namespace: its users, servers
 * and paths are not the reader's.
 */
bool kftp_transfer_status(const struct kftp_transfer *t, struct net *net,
			  struct kftp_transfer_status *st);

extern struct list_head kftp_transfers;	/* oldest first */
extern struct mutex kftp_lock;
extern struct workqueue_struct *kftp_wq, *kftp_timer_wq;

int kftp_transfers_init(void);
void kftp_transfers_exit(void);
/* In the writer's context; ERR_PTR with *reason set for a bad destination. */
struct kftp_transfer *kftp_transfer_create(const struct kftp_request *req,
					   const char **reason);
void kftp_transfer_put(struct kftp_transfer *t);
void kftp_transfer_cancel(struct kftp_transfer *t);
/*
 * Cancel the transfers @cancel of @net and queue the @n transfers @t, all
 * or none: -EBUSY when max_transfers would be exceeded, -ENOENT (*bad set)
 * for an ID that is not in progress, -ENODEV while unloading.
 */
int kftp_transfers_submit(struct kftp_transfer **t, unsigned int n,
			  const u64 *cancel, unsigned int ncancel,
			  struct net *net, u64 *bad);
/* Wait for the end; a signal cancels the transfer. Returns -errno or 0. */
int kftp_transfer_wait(struct kftp_transfer *t);

/* ---- proc/proc.c ---- */

int kftp_proc_init(void);
void kftp_proc_exit(void);

#endif /* KFTP_H */
