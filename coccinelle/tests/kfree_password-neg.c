// SPDX-License-Identifier: GPL-2.0
/* Negative sample: secrets are wiped, other buffers are plain kfree(). */
#include <linux/slab.h>
#include <linux/string.h>

struct neg_session {
	char *user;
	char *pass;
	char *passive_addr;
	size_t pass_len;
};

static void neg_free(struct neg_session *s, char *cmd)
{
	kfree_sensitive(s->pass);
	memzero_explicit(cmd, strlen(cmd));
	kfree(cmd);
	kfree(s->user);
	kfree(s->passive_addr);
}

static int neg_command(struct neg_session *s)
{
	char *cmd = kasprintf(GFP_KERNEL, "USER %s\r\n", s->user);

	if (!cmd)
		return -ENOMEM;
	kfree(cmd);
	cmd = kasprintf(GFP_KERNEL, "PASS %s\r\n", s->pass);
	if (!cmd)
		return -ENOMEM;
	kfree_sensitive(cmd);
	return 0;
}

static void neg_compat(struct neg_session *s, char *buf, size_t len)
{
	kftp_strscpy(buf, s->pass, len);
	kftp_memzero_explicit(buf, len);
	kftp_kvfree(buf);
	kftp_kfree_sensitive(s->pass);
}
