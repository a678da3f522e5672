// SPDX-License-Identifier: GPL-2.0
/* Negative sample: feature tests only; the names below sit in comments
 * and strings: LINUX_VERSION_CODE, KERNEL_VERSION(6, 1, 0).
 */
#include <linux/net.h>
#include "kftp_compat.h"

#ifdef KFTP_HAVE_PROTO_ACCEPT_ARG	/* not LINUX_VERSION_CODE */
#define NEG_ACCEPT_ARGS 1
#endif

static const char neg_msg[] = "built without KERNEL_VERSION( checks";
static const char neg_q = '"';	/* a quote char must not confuse the lexer */
static int neg_my_kernel_version_code;

static int neg_runtime(void) // LINUX_VERSION_CODE in a line comment
{
	return neg_my_kernel_version_code + sizeof(neg_msg) + neg_q;
}

/* feature switches computed in compat/ are what the code should test */
#if SAMPLE_HAVE_PROC_OPS
static char neg_buf[SAMPLE_BUF_LEN];
#endif
