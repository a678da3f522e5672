// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the status table's text (src/status.c): a row in every
 * state, with every escape case in URL, PATH and REPLY, is split on
 * blanks into as many fields as the header names, and each field is read
 * back as a reader of kftp(5) would: decoded, equal to what went in.
 */
#include <kunit/test.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "status.h"

#define ROW_MAX		4096
#define FIELDS_MAX	32

/* the header's names, as kftp(5) lists them */
static const char *const columns[] = {
	"ID", "VERB", "STATE", "BYTES", "TOTAL", "RATE", "ERRNO", "CONN",
	"ADDR", "TRY", "URL", "PATH", "REPLY", "STARTED", "ENDED", "UID",
};

static const char *const states[] = {
	[KFTP_QUEUED]		= "queued",
	[KFTP_CONNECTING]	= "connecting",
	[KFTP_TRANSFERRING]	= "transferring",
	[KFTP_WAITING]		= "waiting",
	[KFTP_DONE]		= "done",
	[KFTP_FAILED]		= "failed",
	[KFTP_CANCELLED]	= "cancelled",
};

struct escape_case {
	const char *in;
	const char *out;
};

static const struct escape_case escapes[] = {
	{ NULL, "-" },
	{ "", "-" },
	{ "plain/name.bin", "plain/name.bin" },
	{ "a b", "a\\040b" },
	{ "a\tb\nc", "a\\011b\\012c" },
	{ "q\"uote", "q\\042uote" },
	{ "back\\slash", "back\\134slash" },
	{ "\x01\x1f\x7f", "\\001\\037\\177" },
	{ "caf\xc3\xa9", "caf\xc3\xa9" },	/* UTF-8 as it is */
	{ "-", "-" },
};

struct status_ctx {
	struct seq_file m;
	char *fields[FIELDS_MAX];
};

static int status_init(struct kunit *test)
{
	struct status_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, c);
	c->m.buf = kunit_kzalloc(test, ROW_MAX, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c->m.buf);
	c->m.size = ROW_MAX;
	test->priv = c;
	return 0;
}

/* the text so far, NUL-terminated, and the buffer emptied for the next */
static char *take(struct kunit *test, struct seq_file *m)
{
	char *s;

	KUNIT_ASSERT_LT(test, m->count, m->size);
	s = kunit_kzalloc(test, m->count + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	memcpy(s, m->buf, m->count);
	m->count = 0;
	return s;
}

/* decode \ooo in place, as a reader does */
static void unescape(char *s)
{
	char *o = s;

	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*o++ = (s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0');
			s += 4;
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
}

/* split @line (a row, its newline ending it) on blanks */
static int split_row(struct kunit *test, char *line, char **f)
{
	int n = 0;
	char *w;

	KUNIT_ASSERT_GT(test, strlen(line), 0);
	KUNIT_ASSERT_EQ(test, line[strlen(line) - 1], '\n');
	line[strlen(line) - 1] = '\0';
	while ((w = strsep(&line, " ")) && n < FIELDS_MAX) {
		/* one blank between fields, none empty */
		KUNIT_EXPECT_GT(test, strlen(w), 0);
		f[n++] = w;
	}
	return n;
}

static void kftp_status_header_test(struct kunit *test)
{
	struct status_ctx *c = test->priv;
	char *h = kunit_kzalloc(test, sizeof(KFTP_STATUS_HEADER), GFP_KERNEL);
	int i, n;

	KUNIT_ASSERT_NOT_NULL(test, h);
	memcpy(h, KFTP_STATUS_HEADER, sizeof(KFTP_STATUS_HEADER));
	n = split_row(test, h, c->fields);
	KUNIT_ASSERT_EQ(test, n, (int)ARRAY_SIZE(columns));
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_STREQ(test, c->fields[i], columns[i]);
}

static void kftp_status_escape_test(struct kunit *test)
{
	struct status_ctx *c = test->priv;
	size_t i;
	char *s;

	for (i = 0; i < ARRAY_SIZE(escapes); i++) {
		kftp_status_escape(&c->m, escapes[i].in);
		s = take(test, &c->m);
		KUNIT_EXPECT_STREQ(test, s, escapes[i].out);
		/* no blank, control character or DEL is left */
		KUNIT_EXPECT_NULL(test, strpbrk(s, " \t\n\x01\x1f\x7f\""));
		unescape(s);
		if (escapes[i].in && *escapes[i].in)
			KUNIT_EXPECT_STREQ(test, s, escapes[i].in);
	}
}

static void kftp_status_row_test(struct kunit *test)
{
	struct status_ctx *c = test->priv;
	struct kftp_transfer_status st = { };
	unsigned int state, e;
	char *row, **f = c->fields;
	char want[24];

	for (state = KFTP_QUEUED; state <= KFTP_CANCELLED; state++) {
		for (e = 0; e < ARRAY_SIZE(escapes); e++) {
			const struct escape_case *u = &escapes[e];
			const struct escape_case *p = &escapes[(e + 3) % ARRAY_SIZE(escapes)];
			const struct escape_case *r = &escapes[(e + 5) % ARRAY_SIZE(escapes)];
			bool ended = state >= KFTP_DONE;

			memset(&st, 0, sizeof(st));
			st.id = 1000 + state;
			st.verb = KFTP_VERB_LIST;
			st.state = state;
			st.bytes = 42;
			st.total = state == KFTP_QUEUED ? -1 : 4096;
			st.conn_id = state == KFTP_QUEUED ? 0 : 7;
			st.addr.family = KFTP_AF_INET;
			memcpy(st.addr.bytes, "\x7f\0\0\x01", 4);
			st.rate = 99;
			st.err = state == KFTP_FAILED ? ENOENT : 0;
			st.attempt = 2;
			st.url = u->in;
			st.path = p->in;
			st.reply = r->in;
			st.started = state == KFTP_QUEUED ? 0 : 1700000000;
			st.ended = ended ? 1700000009 : 0;
			kftp_status_row(&c->m, &st, 65534);
			row = take(test, &c->m);
			KUNIT_ASSERT_EQ(test, split_row(test, row, f),
					(int)ARRAY_SIZE(columns));
			snprintf(want, sizeof(want), "%u", 1000 + state);
			KUNIT_EXPECT_STREQ(test, f[0], want);
			KUNIT_EXPECT_STREQ(test, f[1], "list");
			KUNIT_EXPECT_STREQ(test, f[2], states[state]);
			KUNIT_EXPECT_STREQ(test, f[3], "42");
			KUNIT_EXPECT_STREQ(test, f[4], state == KFTP_QUEUED ? "-" : "4096");
			KUNIT_EXPECT_STREQ(test, f[5], state == KFTP_QUEUED ? "-" : "99");
			KUNIT_EXPECT_STREQ(test, f[6], state == KFTP_FAILED ? "ENOENT" : "-");
			KUNIT_EXPECT_STREQ(test, f[7], state == KFTP_QUEUED ? "-" : "7");
			KUNIT_EXPECT_STREQ(test, f[8], state == KFTP_QUEUED ? "-" : "127.0.0.1");
			KUNIT_EXPECT_STREQ(test, f[9], "2");
			KUNIT_EXPECT_STREQ(test, f[10], u->out);
			KUNIT_EXPECT_STREQ(test, f[11], p->out);
			KUNIT_EXPECT_STREQ(test, f[12], r->out);
			KUNIT_EXPECT_STREQ(test, f[13], state == KFTP_QUEUED ? "-" : "1700000000");
			KUNIT_EXPECT_STREQ(test, f[14], ended ? "1700000009" : "-");
			KUNIT_EXPECT_STREQ(test, f[15], "65534");
		}
	}
}

static struct kunit_case kftp_status_cases[] = {
	KUNIT_CASE(kftp_status_header_test),
	KUNIT_CASE(kftp_status_escape_test),
	KUNIT_CASE(kftp_status_row_test),
	{}
};

static struct kunit_suite kftp_status_suite = {
	.name = "kftp_status",
	.init = status_init,
	.test_cases = kftp_status_cases,
};

kunit_test_suite(kftp_status_suite);

MODULE_LICENSE("GPL");
