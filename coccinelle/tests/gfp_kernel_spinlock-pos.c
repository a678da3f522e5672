// SPDX-License-Identifier: GPL-2.0
/* Positive sample: every line marked expect must be reported. */
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

struct pos_sess {
	spinlock_t lock;
	rwlock_t rw;
	char *reply;
};

static int pos_alloc(struct pos_sess *s, const char *txt, size_t len)
{
	unsigned long flags;

	spin_lock(&s->lock);
	s->reply = kmalloc(len, GFP_KERNEL);			/* expect */
	spin_unlock(&s->lock);

	spin_lock_irqsave(&s->lock, flags);
	if (len > 16)
		s->reply = kstrdup(txt, GFP_KERNEL | __GFP_ZERO);	/* expect */
	spin_unlock_irqrestore(&s->lock, flags);

	write_lock_bh(&s->rw);
	s->reply = kasprintf(GFP_NOFS, "%s", txt);		/* expect */
	write_unlock_bh(&s->rw);
	return s->reply ? 0 : -ENOMEM;
}
