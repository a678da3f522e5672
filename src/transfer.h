/* SPDX-License-Identifier: GPL-2.0 */
/* The queue, the workers and their lifecycle (transfer.c). */
#ifndef KFTP_TRANSFER_H
#define KFTP_TRANSFER_H

#include "kftp.h"
#include "deliver.h"
#include "resolve.h"

struct kftp_link;
struct kftp_segment;

/**
 * struct kftp_pin - an open request file's hold on the rows it queued
 * @kept: its transfers that ended and are kept in the status table, each
 *	  still holding its place of max_transfers; under kftp_lock
 *
 * Embedded in proc.c's open request file; transfer.c writes it.
 */
struct kftp_pin {
	unsigned int kept;
};

enum kftp_state {
	KFTP_QUEUED,
	KFTP_CONNECTING,
	KFTP_TRANSFERRING,
	KFTP_WAITING,			/* retries=: until the next try */
	KFTP_DONE,
	KFTP_FAILED,
	KFTP_CANCELLED,
};

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
	s64 started_sec, ended_sec;	/* since the epoch, 0: not yet */
	u64 event;			/* kftp_status_event of its last change */
	u64 conn_id;			/* the control connection used, 0: none */
	struct kftp_pin *pin;		/* the open request file that keeps its row */
	bool cancelled;
	bool timed_out;			/* the deadline passed */
	struct kftp_link *link;		/* while it has one */
	atomic64_t bytes;
	/* the request: read-only once submitted, but opts.max_size's bound */
	enum kftp_verb verb;		/* get or put */
	struct kftp_options opts;
	enum kftp_retr_kind kind;	/* get: FILE; list: LIST or NAMES */
	char *url;			/* password masked */
	char *path;
	char *remote;
	char *user;
	char *pass;			/* wiped once a connection is logged in */
	u64 account;			/* kftp_account_hash(user, pass) */
	struct kftp_addr addr;		/* the zone resolved to its scope */
	char *host;			/* the URL's name; NULL: addr */
	struct kftp_addrs addrs;	/* host's (opts.addrs or a lookup's), attempt.c's */
	u16 port;
	unsigned int attempt;		/* the try, from 1; under kftp_lock */
	wait_queue_head_t sleep;	/* rate= and retries= waits; a cancel wakes them */
	/* segments running, under kftp_lock (cancel reaches their links) */
	struct kftp_segment *segs;
	unsigned int nsegs;
	bool segs_stopped;		/* one failed: the others end, none starts */
	int segs_err;			/* the first failure's -errno */
	bool segs_one_stream;		/* the first failure: a login or REST refused */
	/* the writer's context, captured when the request was written */
	const struct cred *cred;	/* for the file */
	kftp_kuid_t owner;		/* the writer's euid, for the status table */
	struct net *net;		/* for the sockets; NULL: gone */
	bool net_held;			/* a reference, until the end */
	struct mem_cgroup *memcg;	/* charged for buffers and page cache */
	struct kftp_dest dest;		/* get: directory resolved from its root */
	/* get, list: dest is taken, until it is let go; under kftp_lock */
	bool dest_held;
	struct file *source;		/* put: the file, opened by the writer */
	struct shash_desc *hash;	/* sha256=: the digest so far, NULL: none */
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
 * @started: when a worker took it from the queue, seconds since the epoch;
 *	     0: not yet
 * @ended: when it ended, the same; 0: not yet
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
	s64 started, ended;
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

/**
 * kftp_transfer_set_state() - a transfer moves on, and the status says so
 * @t: the transfer
 * @state: its new state
 *
 * Under kftp_lock. Wakes the pollers of the status table.
 */
void kftp_transfer_set_state(struct kftp_transfer *t, enum kftp_state state);

/**
 * kftp_transfers_changed() - did a transfer of @net change since *@seen?
 * @net: the reader's network namespace
 * @seen: the event the reader saw last; set to the newest
 *
 * Not under kftp_lock, which it takes. A new transfer, a state change
 * and a transfer's end are changes.
 *
 * Return: true if one of @net's transfers changed since *@seen.
 */
bool kftp_transfers_changed(struct net *net, u64 *seen);

/**
 * kftp_status_event_now() - the newest event, for a reader that opens
 *
 * Return: the event counter, read under kftp_lock.
 */
u64 kftp_status_event_now(void);

extern struct list_head kftp_transfers;	/* oldest first */
extern wait_queue_head_t kftp_status_wait;	/* woken on every change */
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
 * @pin: the writer's open request file, which keeps their rows until
 *	 kftp_transfers_unpin(); NULL: none, the history alone keeps them
 * @bad: with -ENOENT, the ID that is not in progress
 * @busy: with -EBUSY, the index in @t of a get or list whose destination
 *	  one in progress, or one before it in @t, writes; @n when it is
 *	  max_transfers that would be exceeded
 *
 * Each transfer queued gets its ID, a reference for the list and one for
 * its worker; its deadline= is armed. No two gets or lists in progress
 * write one destination: they would share its part file. A transfer holds
 * its place of max_transfers until it ended and @pin let it go.
 *
 * Return: 0, -EBUSY when max_transfers would be exceeded or a destination
 * is taken, -ENOENT for an ID that is not in progress, -ENODEV while
 * unloading.
 */
int kftp_transfers_submit(struct kftp_transfer **t, unsigned int n,
			  const u64 *cancel, unsigned int ncancel,
			  struct net *net, struct kftp_pin *pin, u64 *bad,
			  unsigned int *busy);

/**
 * kftp_transfers_unpin() - an open request file lets its rows go
 * @pin: the file's pin; no transfer refers to it after this
 *
 * Its transfers that ended join the history, which is trimmed to
 * history rows again, and free their places of max_transfers. Not under
 * kftp_lock, which it takes.
 */
void kftp_transfers_unpin(struct kftp_pin *pin);

/**
 * kftp_pin_kept() - how many ended transfers an open request file keeps
 * @pin: the file's pin
 *
 * Not under kftp_lock, which it takes.
 *
 * Return: @pin's kept count.
 */
unsigned int kftp_pin_kept(struct kftp_pin *pin);

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

#endif /* KFTP_TRANSFER_H */
