// SPDX-License-Identifier: GPL-2.0
/* kvfree() (3.15) */
#include <linux/mm.h>
#include <linux/slab.h>

void kftp_probe(void *p);
void kftp_probe(void *p)
{
	kvfree(p);
}
