// SPDX-License-Identifier: GPL-2.0
/* Positive sample: every line marked expect must be reported. */
#include <linux/version.h>	/* expect */
#include <linux/net.h>

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)	/* expect */
#define POS_ACCEPT_ARGS 1
#endif

#if defined(RHEL_RELEASE_CODE)	/* expect */
#define POS_RHEL 1
#endif

static int pos_runtime(void)
{
	return LINUX_VERSION_MAJOR > 5 &&	/* expect */
	       KERNEL_VERSION (6, 1, 0) != 0;	/* expect */
}

/* version tests by another name, built on LINUX_VERSION_CODE in compat/ */
#if SAMPLE_KERNEL_AT_LEAST(6, 10, 0)	/* expect */
#define POS_NEW_ACCEPT 1
#endif
