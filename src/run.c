// SPDX-License-Identifier: GPL-2.0
/*
 * A transfer's run, in its writer's context (context.c): a get into its
 * destination, committed or kept for a resume, or a put in a task of its
 * own. Called by its worker (transfer.c), which records the outcome.
 */
#include <linux/fs.h>
#include <linux/sched.h>

#include "kftp_compat.h"
#include "kftp.h"
#include "context.h"
#include "deliver.h"
#include "transfer.h"
#include "attempt.h"
#include "stream.h"
#include "run.h"

/* The transfer itself: a get into its destination, or a put. */
static int run(struct kftp_transfer *t)
{
	struct kftp_stream stream = { .t = t, .pos = &t->dest.pos,
				      .hash = t->hash };
	const char *reason;
	int err;

	/* cancelled while still queued */
	if (READ_ONCE(t->cancelled))
		return -ECANCELED;
	if (t->verb == KFTP_VERB_PUT) {
		/* too big for the request: known before anything is sent */
		if ((u64)i_size_read(kftp_file_inode(t->source)) > t->opts.max_size)
			return -EFBIG;
		/*
		 * A retry sends the file again (with resume: the rest). Once
		 * the server confirmed the file under its name, a cancel
		 * comes too late: the put is done.
		 */
		err = kftp_attempts(t, &stream);
		return err && READ_ONCE(t->cancelled) ? -ECANCELED : err;
	}
	err = t->opts.resume ? kftp_dest_open_part(&t->dest) :
			  kftp_dest_open(&t->dest);
	if (err)
		return err;
	err = kftp_attempts(t, &stream);
	if (READ_ONCE(t->cancelled))
		err = -ECANCELED;
	if (!err && t->hash)
		err = kftp_transfer_check_sha256(t);
	if (err) {
		/* resume: what came is kept, unless too much or not the file */
		if (t->opts.resume && t->dest.pos && err != -EFBIG &&
		    err != -EBADMSG)
			kftp_dest_keep(&t->dest);
		else
			kftp_dest_abort(&t->dest);
		return err;
	}
	err = kftp_dest_commit(&t->dest, &reason);
	if (reason)
		kftp_transfer_save_reply(t, reason);
	return err;
}

static int run_as_writer(struct kftp_transfer *t)
{
	struct kftp_context_saved saved;
	int err;

	kftp_context_enter(t, &saved);
	err = run(t);
	kftp_context_leave(&saved);
	return err;
}

/* A put's own task, and what it returns to the worker that waits for it. */
struct kftp_put_task {
	struct kftp_transfer *t;
	struct completion done;
	int err;
};

static int put_task_fn(void *arg)
{
	struct kftp_put_task *pt = arg;

	pt->err = run_as_writer(pt->t);
	complete(&pt->done);
	return kftp_wait_for_stop();
}

/*
 * A put splices through its task's internal pipe (current->splice_pipe),
 * which that task allocates at its first splice and frees only when it
 * exits. In a shared worker the pipe would outlive the transfer, charged
 * to the first writer and reused by every later upload: a put runs in a
 * task of its own, so its pipe is charged to its writer (the writer's
 * memory cgroup is active there) and freed when the transfer ends.
 */
static int put_task_run(struct kftp_transfer *t)
{
	struct kftp_put_task pt = { .t = t };
	struct task_struct *task;

	init_completion(&pt.done);
	task = kthread_create(put_task_fn, &pt, "kftp-put/%llu", t->id);
	if (IS_ERR(task))
		return PTR_ERR(task);
	wake_up_process(task);
	/* a long put is no hung task; workers get no signals */
	if (wait_for_completion_interruptible(&pt.done))
		wait_for_completion(&pt.done);
	/* past its work, it waits for this: it cannot have exited */
	kthread_stop(task);
	return pt.err;
}

int kftp_run(struct kftp_transfer *t)
{
	return t->verb == KFTP_VERB_PUT ? put_task_run(t) : run_as_writer(t);
}
