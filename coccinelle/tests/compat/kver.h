/* SPDX-License-Identifier: GPL-2.0 */
/* Sample compat/ header for version_conditionals.sh --compat. */
#include <linux/version.h>

#define SAMPLE_KVER(a, b, c)	(((a) << 24) + ((b) << 16) + (c))
#define SAMPLE_VERSION_CODE	SAMPLE_KVER(LINUX_VERSION_CODE >> 16,	\
					    (LINUX_VERSION_CODE >> 8) & 0xff, \
					    LINUX_VERSION_CODE & 0xff)
#define SAMPLE_KERNEL_AT_LEAST(a, b, c) \
	(SAMPLE_VERSION_CODE >= SAMPLE_KVER(a, b, c))
#define SAMPLE_HAVE_PROC_OPS	SAMPLE_KERNEL_AT_LEAST(5, 6, 0)
#define SAMPLE_BUF_LEN		64
