// SPDX-License-Identifier: GPL-2.0
/* smp_load_acquire() and smp_store_release() on a 1-byte type (4.2) */
#include <linux/kernel.h>
#include <linux/types.h>
#include <asm/barrier.h>

bool kftp_probe(bool *p);
bool kftp_probe(bool *p)
{
	smp_store_release(p, true);	/* compiled, never run */
	return smp_load_acquire(p);	/* compiled, never run */
}
