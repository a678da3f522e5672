/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every file of kftp's kernel side shares: main.c's module parameters
 * and the workers' waits. Each .c file others call has a header of its own
 * (sock.h, pool.h, deliver.h, ...); the protocol core is in proto.h.
 */
#ifndef KFTP_H
#define KFTP_H

#include <linux/completion.h>
#include <linux/jiffies.h>
#include <linux/kref.h>
#include <linux/kthread.h>
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

/*
 * In a kthread whose work is done: wait for kthread_stop(), by which its
 * creator reaps it, so that it never exits with module code still to run.
 */
static inline int kftp_wait_for_stop(void)
{
	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

#endif /* KFTP_H */
