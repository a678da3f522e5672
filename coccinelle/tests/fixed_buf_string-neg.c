// SPDX-License-Identifier: GPL-2.0
/* Negative sample: bounded copies, and heap destinations. */
#include <linux/kernel.h>
#include <linux/string.h>
#include "fixed_buf_string-pos.h"

static void neg_fill(struct pos_conn *c, const char *host, u16 port)
{
	char cmd[32];

	snprintf(cmd, sizeof(cmd), "PORT %s,%u\r\n", host, port);
	strscpy(c->host, host, sizeof(c->host));
	scnprintf(c->host, sizeof(c->host), "%s", cmd);
	strcpy(c->reply, host);	/* a heap pointer: the size is the caller's business */
}
