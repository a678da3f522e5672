// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for type=ascii's line end conversion (src/ascii.c): each
 * sample whole, split in two at every point, and a byte at a time, in the
 * buffer layouts the session uses; every buffer exactly as large as the
 * API says, so that KASAN sees an overrun.
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "proto.h"

struct ascii_case {
	const char *name;
	const char *in;
	const char *out;
	size_t in_len, out_len;	/* with a NUL in them; 0: strlen() */
};

/* the data connection's bytes, and what the file gets */
static const struct ascii_case from_net_cases[] = {
	{ "empty", "", "" },
	{ "no_cr", "abc\ndef", "abc\ndef" },
	{ "crlf", "a\r\nb\r\n", "a\nb\n" },
	{ "crlf_only", "\r\n\r\n", "\n\n" },
	{ "lone_cr_kept", "a\rb", "a\rb" },
	{ "cr_cr_lf", "a\r\r\nb", "a\r\nb" },
	{ "crs", "\r\r\r", "\r\r\r" },
	{ "cr_at_end_flushed", "abc\r", "abc\r" },
	{ "lf_cr", "\n\r", "\n\r" },
	{ "binary", "\0\xff\r\n\x80\r\0", "\0\xff\n\x80\r\0", 7, 6 },
	{ "lines", "one\r\ntwo\r\n\r\nthree\rfour\r\n", "one\ntwo\n\nthree\rfour\n" },
};

/* the file's bytes, and what the data connection carries */
static const struct ascii_case to_net_cases[] = {
	{ "empty", "", "" },
	{ "no_lf", "abc", "abc" },
	{ "lf", "a\nb\n", "a\r\nb\r\n" },
	{ "lf_only", "\n\n", "\r\n\r\n" },
	{ "crlf_kept", "a\r\nb", "a\r\nb" },
	{ "lone_cr_kept", "a\rb\r", "a\rb\r" },
	{ "cr_cr_lf", "\r\r\n", "\r\r\n" },
	{ "lf_crlf_lf", "\n\r\n\n", "\r\n\r\n\r\n" },
	{ "binary", "\0\n\xff\r\n", "\0\r\n\xff\r\n", 5, 6 },
	{ "lines", "one\ntwo\n\nthree\rfour\r\n", "one\r\ntwo\r\n\r\nthree\rfour\r\n" },
};

static void ascii_desc(const struct ascii_case *c, char *desc)
{
	kftp_strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(from_net, from_net_cases, ascii_desc);
KUNIT_ARRAY_PARAM(to_net, to_net_cases, ascii_desc);

/*
 * Incoming, as receive_data() does it: @len bytes read at buf + 1 of a
 * buffer of @len + 1, converted into buf, appended to @out.
 */
static size_t from_net_chunk(struct kunit *test, struct kftp_ascii *st,
			     const char *in, size_t len, char *out)
{
	char *buf = kunit_kmalloc(test, len + 1, GFP_KERNEL);
	size_t n;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	memcpy(buf + 1, in, len);
	n = kftp_ascii_from_net(st, buf, buf + 1, len);
	KUNIT_EXPECT_LE(test, n, len + 1);
	memcpy(out, buf, n);
	kunit_kfree(test, buf);
	return n;
}

/* The end of the stream, into a buffer of one byte. */
static size_t from_net_end(struct kunit *test, struct kftp_ascii *st, char *out)
{
	char *buf = kunit_kmalloc(test, 1, GFP_KERNEL);
	size_t n;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	n = kftp_ascii_from_net_end(st, buf);
	KUNIT_EXPECT_LE(test, n, 1);
	memcpy(out, buf, n);
	kunit_kfree(test, buf);
	KUNIT_EXPECT_FALSE(test, st->cr);
	return n;
}

static void kftp_ascii_from_net_test(struct kunit *test)
{
	const struct ascii_case *c = test->param_value;
	size_t il = c->in_len ? c->in_len : strlen(c->in);
	size_t ol = c->out_len ? c->out_len : strlen(c->out);
	char *out = kunit_kzalloc(test, il + 1, GFP_KERNEL);
	struct kftp_ascii st;
	size_t split, i, n;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, out);
	/* whole, into a buffer of its own */
	memset(&st, 0, sizeof(st));
	n = kftp_ascii_from_net(&st, out, c->in, il);
	n += kftp_ascii_from_net_end(&st, out + n);
	KUNIT_EXPECT_EQ(test, n, ol);
	KUNIT_EXPECT_EQ(test, memcmp(out, c->out, ol), 0);
	/* in two, at every point: a CR LF split between them too */
	for (split = 0; split <= il; split++) {
		memset(&st, 0, sizeof(st));
		n = from_net_chunk(test, &st, c->in, split, out);
		n += from_net_chunk(test, &st, c->in + split, il - split,
				    out + n);
		n += from_net_end(test, &st, out + n);
		KUNIT_EXPECT_EQ_MSG(test, n, ol, "split at %zu", split);
		KUNIT_EXPECT_EQ_MSG(test, memcmp(out, c->out, ol), 0,
				    "split at %zu", split);
	}
	/* a byte at a time */
	memset(&st, 0, sizeof(st));
	for (i = 0, n = 0; i < il; i++)
		n += from_net_chunk(test, &st, c->in + i, 1, out + n);
	n += from_net_end(test, &st, out + n);
	KUNIT_EXPECT_EQ(test, n, ol);
	KUNIT_EXPECT_EQ(test, memcmp(out, c->out, ol), 0);
}

/*
 * Outgoing, as send_data() does it: @len bytes read into the second half
 * of a buffer of 2 * @len (+ 1 when @odd), converted into all of it.
 */
static size_t to_net_chunk(struct kunit *test, struct kftp_ascii *st,
			   const char *in, size_t len, bool odd, char *out)
{
	size_t size = 2 * len + odd, n;
	char *buf = kunit_kmalloc(test, size ? size : 1, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	memcpy(buf + size / 2, in, len);
	n = kftp_ascii_to_net(st, buf, buf + size / 2, len);
	KUNIT_EXPECT_LE(test, n, 2 * len);
	memcpy(out, buf, n);
	kunit_kfree(test, buf);
	return n;
}

static void kftp_ascii_to_net_test(struct kunit *test)
{
	const struct ascii_case *c = test->param_value;
	size_t il = c->in_len ? c->in_len : strlen(c->in);
	size_t ol = c->out_len ? c->out_len : strlen(c->out);
	char *out = kunit_kzalloc(test, 2 * il + 1, GFP_KERNEL);
	struct kftp_ascii st;
	size_t split, i, n;
	unsigned int odd;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, out);
	memset(&st, 0, sizeof(st));
	n = kftp_ascii_to_net(&st, out, c->in, il);
	KUNIT_EXPECT_EQ(test, n, ol);
	KUNIT_EXPECT_EQ(test, memcmp(out, c->out, ol), 0);
	for (split = 0; split <= il; split++) {
		for (odd = 0; odd < 2; odd++) {
			memset(&st, 0, sizeof(st));
			n = to_net_chunk(test, &st, c->in, split, odd, out);
			n += to_net_chunk(test, &st, c->in + split,
					  il - split, odd, out + n);
			KUNIT_EXPECT_EQ_MSG(test, n, ol, "split at %zu",
					    split);
			KUNIT_EXPECT_EQ_MSG(test, memcmp(out, c->out, ol), 0,
					    "split at %zu", split);
		}
	}
	memset(&st, 0, sizeof(st));
	for (i = 0, n = 0; i < il; i++)
		n += to_net_chunk(test, &st, c->in + i, 1, false, out + n);
	KUNIT_EXPECT_EQ(test, n, ol);
	KUNIT_EXPECT_EQ(test, memcmp(out, c->out, ol), 0);
}

/* A file without CR goes out and comes back byte for byte. */
static void kftp_ascii_round_trip_test(struct kunit *test)
{
	static const char file[] = "\nshort\n\nlines\x01\xff\n\n\nand no end";
	size_t len = sizeof(file) - 1, n, m;
	char *net = kunit_kmalloc(test, 2 * len, GFP_KERNEL);
	char *back = kunit_kmalloc(test, 2 * len + 1, GFP_KERNEL);
	struct kftp_ascii out = {}, in = {};

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, net);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, back);
	n = kftp_ascii_to_net(&out, net, file, len);
	/* one CR for each of the six LFs */
	KUNIT_EXPECT_EQ(test, n, len + 6);
	m = kftp_ascii_from_net(&in, back, net, n);
	m += kftp_ascii_from_net_end(&in, back + m);
	KUNIT_EXPECT_EQ(test, m, len);
	KUNIT_EXPECT_EQ(test, memcmp(back, file, len), 0);
}

static struct kunit_case kftp_ascii_cases[] = {
	KUNIT_CASE_PARAM(kftp_ascii_from_net_test, from_net_gen_params),
	KUNIT_CASE_PARAM(kftp_ascii_to_net_test, to_net_gen_params),
	KUNIT_CASE(kftp_ascii_round_trip_test),
	{}
};

static struct kunit_suite kftp_ascii_suite = {
	.name = "kftp_ascii",
	.test_cases = kftp_ascii_cases,
};

kunit_test_suite(kftp_ascii_suite);

MODULE_LICENSE("GPL");
