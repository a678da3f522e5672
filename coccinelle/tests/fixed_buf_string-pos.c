// SPDX-License-Identifier: GPL-2.0
/* Positive sample: every line marked expect must be reported. */
#include <linux/kernel.h>
#include <linux/string.h>
#include "fixed_buf_string-pos.h"

static char pos_path[256];

static void pos_fill(struct pos_conn *c, const char *host, u16 port,
		     const char *fmt, va_list ap)
{
	char cmd[32];
	u8 raw[16];

	sprintf(cmd, "PORT %s,%u\r\n", host, port);	/* expect */
	strcpy(c->host, host);				/* expect */
	strcat(pos_path, host);				/* expect */
	sprintf(raw, "%u", port);			/* expect */
}
