// SPDX-License-Identifier: GPL-2.0
/* kvmalloc() (4.12) */
#include <linux/mm.h>
#include <linux/slab.h>

void *kftp_probe(size_t size);
void *kftp_probe(size_t size)
{
	return kvmalloc(size, GFP_KERNEL);
}
