// SPDX-License-Identifier: GPL-2.0
/* Negative sample: allocations before the lock, or atomic ones under it. */
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

struct neg_sess {
	spinlock_t lock;
	char *reply;
};

static int neg_alloc(struct neg_sess *s, const char *txt, size_t len)
{
	char *buf = kmalloc(len, GFP_KERNEL);
	char *old;

	if (!buf)
		return -ENOMEM;
	spin_lock(&s->lock);
	old = s->reply;
	s->reply = buf;
	spin_unlock(&s->lock);
	kfree(old);

	spin_lock_bh(&s->lock);
	s->reply = kstrdup(txt, GFP_ATOMIC);
	spin_unlock_bh(&s->lock);
	buf = kstrdup(txt, GFP_KERNEL);
	kfree(buf);
	return 0;
}
