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

/**
 * kftp_conn_init() - set up a connection's addresses; no socket yet
 * @c: the connection
 * @net: the network namespace of its sockets
 * @addr: the server
 * @port: the server's control port
 * @src: the local address to bind, family 0: none; an IPv6 one takes
 *	 @addr's zone
 * @timeout_secs: the bound of every wait, in seconds
 */
void kftp_conn_init(struct kftp_conn *c, struct net *net,
		    const struct kftp_addr *addr, u16 port,
		    const struct kftp_addr *src, unsigned int timeout_secs);

/**
 * kftp_conn_open() - connect the control connection
 * @c: the connection, set up by kftp_conn_init()
 *
 * Waits at most the timeout; kftp_conn_cancel() ends the wait.
 *
 * Return: 0, or -errno: -ETIMEDOUT, -ECANCELED when cancelled before the
 * connect began, or the bind's or the connect's.
 */
int kftp_conn_open(struct kftp_conn *c);

/**
 * kftp_conn_cancel() - wake every wait on a connection, fail later ones
 * @c: the connection
 *
 * Safe from any task, but not under kftp_lock: the shutdown takes the
 * sockets' locks (kftp_link_abort_locked() defers it).
 */
void kftp_conn_cancel(struct kftp_conn *c);

/**
 * kftp_conn_close() - release the connection's sockets
 * @c: the connection
 *
 * Safe against a kftp_conn_cancel() at the same time: both take c->lock.
 */
void kftp_conn_close(struct kftp_conn *c);

/**
 * kftp_conn_set_timeout() - a new bound for every later wait
 * @c: the connection
 * @timeout_secs: seconds
 *
 * A reused connection takes the timeout of its new transfer; the control
 * socket's at once.
 */
void kftp_conn_set_timeout(struct kftp_conn *c, unsigned int timeout_secs);
extern const struct kftp_transport_ops kftp_sock_ops;
#if KFTP_HAVE_SEND_PAGES
/**
 * kftp_conn_send_file() - a file's pages on the data connection, no copy
 * @c: the connection, its data socket open
 * @file: the file
 * @pos: where in @file; moves past what was sent
 * @len: the most to send
 *
 * Up to @len bytes: splice_direct_to_actor() takes the page cache's
 * pages, as sendfile() does. Each send waits at most the timeout;
 * kftp_conn_cancel() ends the wait.
 *
 * Return: the bytes sent, 0 at the end of the file, or -errno.
 */
int kftp_conn_send_file(struct kftp_conn *c, struct file *file, loff_t *pos,
			size_t len);
#endif
#if KFTP_HAVE_RECV_DIRECT
/* What kftp_conn_read() took of an skb it cloned, in the clone's cb. */
struct kftp_span {
	unsigned int offset;
	unsigned int len;
};

#define KFTP_SPAN(skb) ((struct kftp_span *)(skb)->cb)

/* Where kftp_conn_read() hands a batch of clones, each with its span. */
typedef int (*kftp_skbs_write_t)(void *arg, struct sk_buff_head *skbs);
/**
 * kftp_conn_read() - up to @len bytes of the data connection to @write
 * @c: the connection, its data socket open
 * @len: the most to take
 * @write: called for each batch taken, the socket unlocked
 * @arg: @write's first argument
 *
 * Waits as a MSG_WAITALL receive does: until @len bytes came, the stream
 * ended or the timeout passed; kftp_conn_cancel() ends the wait. One copy,
 * @write's, and no filesystem I/O under the socket lock.
 *
 * Return: the bytes taken, 0 at the end of the stream, or -errno: @write's
 * first, -EOPNOTSUPP for a socket without read_sock, or the receive's.
 */
int kftp_conn_read(struct kftp_conn *c, size_t len, kftp_skbs_write_t write,
		   void *arg);
#endif

/* ---- resolve.c: host names, with the kernel's DNS resolver ---- */

#define KFTP_ADDRS_MAX	16	/* addresses of one name tried, at most */

struct kftp_transfer;
/**
 * kftp_resolve() - resolve t->host into t->addrs
 * @t: the transfer, in its worker
 * @why: set on -ETIMEDOUT and -EHOSTUNREACH, for the status table
 *
 * Waits for the kernel's DNS resolver at most t->timeout seconds, and
 * until a cancel. Keeps the addresses of t->family (else of src='s), IPv6
 * ones first, each once, at most KFTP_ADDRS_MAX.
 *
 * Return: 0, -ECANCELED, -ETIMEDOUT, -EHOSTUNREACH when the name has no
 * address (of the family asked for), or -ENOMEM.
 */
int kftp_resolve(struct kftp_transfer *t, const char **why);

/**
 * kftp_resolve_wake() - wake the transfers waiting for a lookup
 *
 * A cancel: they look at t->cancelled.
 */
void kftp_resolve_wake(void);

/**
 * kftp_resolve_init() - make the lookups' workqueue
 *
 * Return: 0 or -ENOMEM.
 */
int kftp_resolve_init(void);

/**
 * kftp_resolve_exit() - destroy the lookups' workqueue
 *
 * After the transfers: waits for the lookups they gave up on, which the
 * upcall's own DNS timeouts end.
 */
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

/**
 * kftp_dest_resolve() - resolve and pin the destination's directory
 * @d: filled in
 * @path: the destination, an absolute path
 * @mkdirs: make the missing directories first, as mkdir -p does
 * @reason: set on failure but -ENOMEM, for the log
 *
 * In the writer's context: its root, mount namespace, credentials and
 * umask. A destination that exists must be a regular file: the rename
 * would replace anything else.
 *
 * Return: 0, or -errno: -EINVAL for a destination that is not a regular
 * file, -ENOMEM, or the lookup's or mkdir's (-ENOENT, -ENOTDIR, ...).
 */
int kftp_dest_resolve(struct kftp_dest *d, const char *path, bool mkdirs,
		      const char **reason);

/**
 * kftp_dest_release() - unpin the destination's directory
 * @d: the destination; a second call does nothing
 */
void kftp_dest_release(struct kftp_dest *d);

/**
 * kftp_dest_open() - create the temporary file
 * @d: the destination, resolved
 *
 * In the worker, as the writer: .kftp-RANDOM-NAME in the directory,
 * created with O_EXCL, its owner's only until kftp_dest_commit().
 *
 * Return: 0 or the open's -errno.
 */
int kftp_dest_open(struct kftp_dest *d);

/**
 * kftp_dest_open_part() - resume: open the part file instead
 * @d: the destination, resolved
 *
 * .kftp-part-NAME, created or kept from an earlier failure (then d->pos
 * and d->kept are its size).
 *
 * Return: 0, -EEXIST when the name is not a regular file of the writer's
 * with one link (a symlink is not), or the open's -errno.
 */
int kftp_dest_open_part(struct kftp_dest *d);

/**
 * kftp_dest_truncate() - drop what lies past @pos
 * @d: the destination, its file open
 * @pos: the new size, and d->pos
 *
 * A resumed stream starts over there.
 *
 * Return: 0 or vfs_truncate()'s -errno.
 */
int kftp_dest_truncate(struct kftp_dest *d, loff_t pos);

/**
 * kftp_dest_keep() - resume: close the part file and keep it
 * @d: the destination, its part file open
 *
 * For a later get ... resume.
 */
void kftp_dest_keep(struct kftp_dest *d);

/**
 * kftp_dest_write() - bytes from a buffer into the file
 * @d: the destination, its file open
 * @buf: the bytes
 * @len: how many
 * @pos: where, which moves on: &d->pos, or a segment's own position
 *
 * Return: 0, or the write's -errno (-EIO when it writes nothing).
 */
int kftp_dest_write(struct kftp_dest *d, const void *buf, size_t len,
		    loff_t *pos);
#if KFTP_HAVE_RECV_DIRECT
/**
 * kftp_dest_write_skbs() - skbs' bytes into the file, copied once
 * @d: the destination, its file open
 * @skbs: clones from kftp_conn_read(), each with its span (KFTP_SPAN())
 * @len: the most to write, from the first span on
 * @pos: where, which moves on; counts what was written, also on an error
 *
 * From the skbs' pages into the page cache, no buffer in between, the
 * pieces of several skbs gathered into each write.
 *
 * Return: 0, -EFAULT for bytes with no page (device memory), or the
 * write's -errno.
 */
int kftp_dest_write_skbs(struct kftp_dest *d, struct sk_buff_head *skbs,
			 size_t len, loff_t *pos);
#endif

/**
 * kftp_dest_commit() - flush the file and rename it over the destination
 * @d: the destination, its temporary file open
 *
 * The file takes the mode, owner and group of the one it replaces (else
 * 0666 minus the writer's umask), and the server's time when asked for.
 * On failure it is removed, as by kftp_dest_abort().
 *
 * Return: 0, or -errno: -ENOENT when the temporary file was moved away,
 * -EISDIR or -EEXIST when a directory or another non-regular file took
 * the destination's name, or that of the fsync, the attributes or the
 * rename.
 */
int kftp_dest_commit(struct kftp_dest *d);

/**
 * kftp_dest_abort() - remove the temporary file
 * @d: the destination, its temporary file open
 *
 * The destination is left untouched. A file that cannot be removed is
 * named in the log; it is closed either way.
 */
void kftp_dest_abort(struct kftp_dest *d);

/* ---- hash.c: sha256=, the file's digest ---- */

struct kftp_transfer;
/**
 * kftp_hash_alloc() - t->hash, for the digest @sha256
 * @t: the transfer
 * @sha256: the digest the file must have, KFTP_SHA256_SIZE bytes
 * @reason: set when the kernel's crypto API has no sha256
 *
 * In the writer's context, charged to its memory cgroup.
 *
 * Return: 0, -EOPNOTSUPP (or crypto_alloc_shash()'s -errno) with *@reason
 * set, or -ENOMEM.
 */
int kftp_hash_alloc(struct kftp_transfer *t, const u8 *sha256,
		    const char **reason);

/**
 * kftp_hash_free() - free t->hash, if any
 * @t: the transfer
 */
void kftp_hash_free(struct kftp_transfer *t);

/**
 * kftp_hash_start() - start over with the first @len bytes of @file
 * @t: the transfer, t->hash set
 * @file: the file, read back
 * @len: how many of its bytes
 *
 * For what the stream does not carry in order: the part a resumed
 * transfer had, a file that came in segments. A cancel stops the reads.
 *
 * Return: 0, -ECANCELED, -EIO when the file is shorter than @len, -ENOMEM,
 * or the read's or the hash's -errno.
 */
int kftp_hash_start(struct kftp_transfer *t, struct file *file, loff_t len);

/**
 * kftp_hash_update() - feed bytes to the digest
 * @t: the transfer, t->hash set
 * @buf: the bytes
 * @len: how many
 *
 * Return: 0 or crypto_shash_update()'s -errno.
 */
int kftp_hash_update(struct kftp_transfer *t, const void *buf, size_t len);
#if KFTP_HAVE_RECV_DIRECT
/**
 * kftp_hash_skb() - feed an skb's bytes, where they lie: no copy
 * @t: the transfer, t->hash set
 * @skb: the skb
 * @offset: where the bytes start in @skb
 * @len: how many
 *
 * Return: 0, -EFAULT for bytes that cannot be mapped (device memory), or
 * the hash's -errno.
 */
int kftp_hash_skb(struct kftp_transfer *t, struct sk_buff *skb,
		  unsigned int offset, size_t len);
#endif

/**
 * kftp_hash_check() - is the digest of what was fed sha256=?
 * @t: the transfer, t->hash set
 *
 * Ends the digest: nothing more may be fed.
 *
 * Return: 0 when it is, -EBADMSG when not, or the hash's -errno.
 */
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

/**
 * kftp_link_get() - attach a connection to t->link
 * @t: the transfer, in its worker
 * @reused: set when it is an idle one, logged in already
 *
 * kftp_link_get_to() for t->link.
 *
 * Return: as kftp_link_get_to().
 */
int kftp_link_get(struct kftp_transfer *t, bool *reused);

/**
 * kftp_link_put() - detach t->link: park it for reuse, or close it
 * @t: the transfer
 * @keep: park it, as kftp_link_put_from() says
 */
void kftp_link_put(struct kftp_transfer *t, bool keep);

/**
 * kftp_link_get_to() - attach a connection in *@to rather than t->link
 * @t: the transfer, in its worker
 * @to: &t->link, or a segment's
 * @reused: set when it is an idle one, logged in already
 *
 * An idle connection that matches @t (namespace, server, source address,
 * account), else a new one for kftp_link_login(). While kftp_server_conns
 * of them are busy, waits for one at most t->timeout seconds. Takes
 * kftp_lock.
 *
 * Return: 0, -ECANCELED when @t (or, for a segment's, its segments) was
 * stopped, -ETIMEDOUT, or -ENOMEM.
 */
int kftp_link_get_to(struct kftp_transfer *t, struct kftp_link **to,
		     bool *reused);

/**
 * kftp_link_login() - connect a new connection, and log in
 * @t: the transfer: its user and password
 * @l: the connection kftp_link_get*() attached, not reused
 *
 * On an error @l stays attached, for its reply; the caller puts it either
 * way.
 *
 * Return: 0, or kftp_conn_open()'s or kftp_session_login()'s -errno.
 */
int kftp_link_login(struct kftp_transfer *t, struct kftp_link *l);

/**
 * kftp_link_put_from() - detach *@from: park it for reuse, or close it
 * @t: the transfer
 * @from: &t->link, or a segment's; set to NULL
 * @keep: park it, unless @t was cancelled or kftp_max_transfers are idle
 *	  already; else close it
 *
 * Not under kftp_lock, which it takes: closing may wait for the socket.
 */
void kftp_link_put_from(struct kftp_transfer *t, struct kftp_link **from,
			bool keep);

/**
 * kftp_link_buf() - the connection's data buffer, made on first use
 * @l: the connection
 *
 * kftp_buf_size bytes in l->buf, reused by each transfer on @l: a file
 * received with read_sock needs none.
 *
 * Return: 0 or -ENOMEM.
 */
int kftp_link_buf(struct kftp_link *l);

/**
 * kftp_link_abort_locked() - have kftp_links_abort() cancel @l's sockets
 * @l: the connection
 *
 * Under kftp_lock, where no shutdown may be done: it takes the socket's
 * lock. Holds a reference on @l until then; a second call does nothing.
 */
void kftp_link_abort_locked(struct kftp_link *l);

/**
 * kftp_links_abort() - cancel the sockets of the links marked so
 *
 * Outside kftp_lock, after kftp_link_abort_locked(): kftp_conn_cancel()
 * on each.
 */
void kftp_links_abort(void);

/**
 * kftp_links_wake() - wake the transfers waiting for a connection
 *
 * One was freed, or a cancel: they look again.
 */
void kftp_links_wake(void);

/**
 * kftp_links_init() - choose the key of kftp_account_hash()
 *
 * At load, before any transfer.
 */
void kftp_links_init(void);

/**
 * kftp_links_exit() - stop the idle reaper, close the idle connections
 *
 * Module unload, after every transfer ended: nothing parks a connection
 * any more.
 */
void kftp_links_exit(void);

/**
 * kftp_links_net_exit() - close a namespace's idle connections
 * @net: the namespace, going away
 *
 * Busy ones belong to transfers, which hold @net until they end. Takes
 * kftp_lock.
 *
 * Return: how many were closed.
 */
unsigned int kftp_links_net_exit(struct net *net);

/**
 * kftp_account_hash() - keyed hash of an account
 * @user: the user, NULL for anonymous
 * @pass: the password, or NULL
 *
 * Pooled connections are found by it, so that none keeps a password. No
 * user or password is another account than an empty one.
 *
 * Return: the hash.
 */
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

/**
 * kftp_transfers_init() - the workqueues, lookups, segments and pool
 *
 * Module load, before the procfs front.
 *
 * Return: 0 or -errno (-ENOMEM).
 */
int kftp_transfers_init(void);

/**
 * kftp_transfers_exit() - cancel what runs, wait for the workers, free all
 *
 * Module unload, or a load that failed after kftp_transfers_init().
 * Requests get -ENODEV from then on.
 */
void kftp_transfers_exit(void);

/**
 * kftp_transfer_create() - a transfer for a request, not queued yet
 * @req: the request, parsed
 * @reason: set for a bad destination or source, an unknown zone, no sha256
 *
 * In the writer's context: the transfer takes its credentials (less
 * CAP_SYS_RESOURCE), network namespace, memory cgroup and RLIMIT_FSIZE;
 * get resolves the destination's directory, put opens the file.
 *
 * Return: the transfer, with a reference for the caller, or an ERR_PTR():
 * -ENOMEM, or another -errno with *@reason set.
 */
struct kftp_transfer *kftp_transfer_create(const struct kftp_request *req,
					   const char **reason);

/**
 * kftp_transfer_put() - drop a reference to a transfer
 * @t: the transfer; the last reference frees it
 */
void kftp_transfer_put(struct kftp_transfer *t);

/**
 * kftp_transfer_cancel() - cancel a transfer, from any task
 * @t: the transfer
 *
 * Sets t->cancelled and wakes whatever it waits on: a connection, a
 * lookup, a socket, rate= or retries=. Not under kftp_lock, which it
 * takes.
 */
void kftp_transfer_cancel(struct kftp_transfer *t);

/**
 * kftp_transfers_submit() - cancel transfers and queue others, all or none
 * @t: the transfers to queue
 * @n: how many
 * @cancel: the IDs of the transfers to cancel
 * @ncancel: how many
 * @net: the writer's namespace: only its transfers can be cancelled
 * @bad: with -ENOENT, the ID that is not in progress
 *
 * Each transfer queued gets its ID, a reference for the list and one for
 * its worker; its deadline= is armed.
 *
 * Return: 0, -EBUSY when max_transfers would be exceeded, -ENOENT for an
 * ID that is not in progress, -ENODEV while unloading.
 */
int kftp_transfers_submit(struct kftp_transfer **t, unsigned int n,
			  const u64 *cancel, unsigned int ncancel,
			  struct net *net, u64 *bad);

/**
 * kftp_transfer_wait() - wait for a transfer to end
 * @t: the transfer, queued
 *
 * A signal cancels it: a worker stuck on storage must not make the writer
 * unkillable.
 *
 * Return: 0, the transfer's -errno, or -EINTR after a signal.
 */
int kftp_transfer_wait(struct kftp_transfer *t);

/* ---- proc/proc.c ---- */

/**
 * kftp_proc_init() - create /proc/kftp/request and /proc/kftp/status
 *
 * Module load, after kftp_transfers_init().
 *
 * Return: 0 or -ENOMEM.
 */
int kftp_proc_init(void);

/**
 * kftp_proc_exit() - remove /proc/kftp
 *
 * Module unload, after kftp_transfers_exit(): the removal waits for the
 * writers blocked in "wait", which the cancel ended.
 */
void kftp_proc_exit(void);

#endif /* KFTP_H */
