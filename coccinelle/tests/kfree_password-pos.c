// SPDX-License-Identifier: GPL-2.0
/* Positive sample: every line marked expect must be reported. */
#include <linux/slab.h>
#include <linux/string.h>

struct pos_url {
	char *user;
	char *password;
};

struct pos_session {
	struct pos_url url;
	char *pass;
};

static void pos_named(struct pos_session *s, char *pw)
{
	kfree(s->pass);		/* expect */
	kfree(s->url.password);	/* expect */
	kfree(pw);		/* expect */
}

static int pos_command(struct pos_session *s)
{
	char *cmd;

	cmd = kasprintf(GFP_KERNEL, "PASS %s\r\n", s->url.user);
	if (!cmd)
		return -ENOMEM;
	kfree(cmd);		/* expect */
	return 0;
}

static void pos_copy(struct pos_session *s, char *buf, size_t len)
{
	char *tmp = kmalloc(len, GFP_KERNEL);

	if (!tmp)
		return;
	strscpy(tmp, s->pass, len);
	kfree(tmp);		/* expect */
}

static void pos_decl(struct pos_session *s)
{
	char *copy = kstrdup(s->pass, GFP_KERNEL);

	kvfree(copy);		/* expect */
}

static void pos_compat(struct pos_session *s, char *buf, size_t len)
{
	kftp_strscpy(buf, s->pass, len);
	kftp_kvfree(buf);	/* expect */
	kftp_kvfree(s->pass);	/* expect */
}
