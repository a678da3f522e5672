// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites for kftp's reply handling (src/reply.c): framing of single
 * and multi-line replies (RFC 959 section 4.2) however the bytes arrive,
 * the limits, reply codes to errno, and the replies whose text carries data
 * (227 PASV, 229 EPSV, 213 SIZE, 150 with "(N bytes)").
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "proto.h"

/* ---- framing ---- */

struct feed_result {
	int err;		/* the first negative return, else 0 */
	bool done;
	size_t used;		/* bytes consumed up to the end of the reply */
	bool short_read;	/* less than offered consumed without a reply */
};

/*
 * Feed @len bytes of @in to @p: first @first bytes, then pieces of @step
 * bytes (0: all the rest at once), until a reply is complete or an error.
 */
static struct feed_result feed(struct kftp_reply_parser *p, const char *in, size_t len,
			       size_t first, size_t step)
{
	struct feed_result r = {};
	size_t piece = first;
	int n;

	while (r.used < len) {
		if (!piece || piece > len - r.used)
			piece = len - r.used;
		n = kftp_reply_feed(p, in + r.used, piece, &r.done);
		if (n < 0) {
			r.err = n;
			return r;
		}
		r.used += n;
		if (r.done)
			return r;
		if (n != piece) {
			r.short_read = true;
			return r;
		}
		piece = step;
	}
	return r;
}

struct frame_case {
	const char *name;
	const char *in;
	int code;
	unsigned int lines;
	const char *text;
};

static const struct frame_case frame_cases[] = {
	{ "single_crlf", "220 Service ready\r\n", 220, 1, "220 Service ready" },
	{ "single_lf", "220 Service ready\n", 220, 1, "220 Service ready" },
	{ "single_cr", "220 Service ready\r", 220, 1, "220 Service ready" },
	{ "code_only", "200\r\n", 200, 1, "200" },
	{ "code_space", "200 \r\n", 200, 1, "200 " },
	{ "high_bytes", "220 caf\xc3\xa9\r\n", 220, 1, "220 caf\xc3\xa9" },
	{ "multi_rfc959", "220-Welcome\r\n220-second line\r\n220 end\r\n", 220, 3,
	  "220-Welcome" },
	{ "multi_text_lines", "211-Features:\r\n MDTM\r\n SIZE\r\n211 End\r\n", 211, 4,
	  "211-Features:" },
	{ "multi_other_code_inside", "150-a\r\n226 x\r\n150-b\r\n150 end\r\n", 150, 4, "150-a" },
	{ "multi_indented_code", "220-a\r\n 220 b\r\n220 c\r\n", 220, 3, "220-a" },
	{ "multi_code_no_blank", "230-a\r\n2301\r\n230-\r\n230 done\r\n", 230, 4, "230-a" },
	{ "multi_ends_code_only", "230-a\r\n230\r\n", 230, 2, "230-a" },
	{ "multi_empty_lines", "220-a\r\n\r\n\n220 b\r\n", 220, 4, "220-a" },
	{ "multi_lf", "220-a\n220-b\n220 c\n", 220, 3, "220-a" },
	{ "multi_mixed_eol", "220-a\n220-b\r\n220-c\r220 d\r\n", 220, 4, "220-a" },
	{ "multi_first_dash_only", "220-\r\n220 x\r\n", 220, 2, "220-" },
};

static void frame_desc(const struct frame_case *c, char *desc)
{
	kftp_strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(frame, frame_cases, frame_desc);

static void check_frame(struct kunit *test, const struct frame_case *c, size_t first,
			size_t step)
{
	struct kftp_reply_parser *p = test->priv;
	size_t len = strlen(c->in);
	struct feed_result r;
	bool done;

	kftp_reply_parser_init(p);
	r = feed(p, c->in, len, first, step);
	KUNIT_ASSERT_EQ_MSG(test, r.err, 0, "first %zu step %zu", first, step);
	KUNIT_ASSERT_TRUE_MSG(test, r.done, "first %zu step %zu", first, step);
	KUNIT_EXPECT_EQ(test, p->reply.code, c->code);
	KUNIT_EXPECT_EQ(test, p->reply.lines, c->lines);
	KUNIT_EXPECT_STREQ(test, p->reply.text, c->text);
	/* at most the LF of the last CRLF is left, and it makes no reply */
	KUNIT_EXPECT_LE(test, len - r.used, (size_t)1);
	if (r.used < len) {
		KUNIT_EXPECT_EQ(test, c->in[r.used], '\n');
		KUNIT_EXPECT_EQ(test, kftp_reply_feed(p, c->in + r.used, len - r.used, &done),
				(int)(len - r.used));
		KUNIT_EXPECT_FALSE(test, done);
	}
}

/* Whole, byte by byte and split at every position, as TCP may deliver it. */
static void kftp_reply_frame_test(struct kunit *test)
{
	const struct frame_case *c = test->param_value;
	size_t len = strlen(c->in), k;

	check_frame(test, c, len, 0);
	check_frame(test, c, 1, 1);
	for (k = 1; k < len; k++)
		check_frame(test, c, k, 0);
}

struct frame_bad {
	const char *name;
	const char *in;
	size_t len;		/* 0: strlen(in) */
};

static const struct frame_bad frame_bad_cases[] = {
	{ "letters", "abc ready\r\n" },
	{ "two_digits", "22 ready\r\n" },
	{ "two_digits_only", "22\r\n" },
	{ "empty_line", "\r\n220 ready\r\n" },
	{ "first_digit_6", "600 ready\r\n" },
	{ "first_digit_0", "099 ready\r\n" },
	{ "letter_inside", "2a0 ready\r\n" },
	{ "fourth_char", "220x ready\r\n" },
	{ "four_digits", "2200 ready\r\n" },
	{ "leading_blank", " 220 ready\r\n" },
	{ "sign", "+220 ready\r\n" },
	{ "nul_byte", "220 a\0b\r\n", 9 },
	{ "nul_in_multi", "220-a\r\n\0\r\n220 b\r\n", 17 },
};

static void frame_bad_desc(const struct frame_bad *c, char *desc)
{
	kftp_strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(frame_bad, frame_bad_cases, frame_bad_desc);

static void kftp_reply_frame_bad_test(struct kunit *test)
{
	const struct frame_bad *c = test->param_value;
	struct kftp_reply_parser *p = test->priv;
	size_t len = c->len ? c->len : strlen(c->in), k;
	struct feed_result r;

	for (k = 1; k <= len; k++) {
		kftp_reply_parser_init(p);
		r = feed(p, c->in, len, k, k == 1 ? 1 : 0);
		KUNIT_EXPECT_EQ_MSG(test, r.err, -EPROTO, "first %zu", k);
		KUNIT_EXPECT_FALSE(test, r.done);
	}
}

/* Several replies in one read: each feed stops at the end of one reply. */
static void kftp_reply_several_test(struct kunit *test)
{
	static const char in[] = "331 Password required\r\n"
				 "230-Welcome\r\n230-to kftp\r\n230 Logged in\r\n"
				 "200 Type set to I\n"
				 "227 Entering Passive Mode (127,0,0,1,4,1)\r\n";
	static const int codes[] = { 331, 230, 200, 227 };
	static const unsigned int lines[] = { 1, 3, 1, 1 };
	struct kftp_reply_parser *p = test->priv;
	size_t len = sizeof(in) - 1, step, i;
	struct feed_result r;
	size_t off;

	/* at once, and in reads of every size from 1 to 16 bytes */
	for (step = 0; step <= 16; step++) {
		kftp_reply_parser_init(p);
		off = 0;
		for (i = 0; i < ARRAY_SIZE(codes); i++) {
			r = feed(p, in + off, len - off, step, step);
			KUNIT_ASSERT_EQ(test, r.err, 0);
			KUNIT_ASSERT_TRUE_MSG(test, r.done, "reply %zu step %zu", i, step);
			KUNIT_EXPECT_EQ(test, p->reply.code, codes[i]);
			KUNIT_EXPECT_EQ(test, p->reply.lines, lines[i]);
			off += r.used;
		}
		KUNIT_EXPECT_GE(test, off, len - 1);
	}
	/* the text of the last reply is complete */
	KUNIT_EXPECT_STREQ(test, p->reply.text, "227 Entering Passive Mode (127,0,0,1,4,1)");
}

/* A reply line holds up to 1024 bytes; one more is a protocol error. */
static void kftp_reply_long_line_test(struct kunit *test)
{
	struct kftp_reply_parser *p = test->priv;
	char *in = kunit_kmalloc(test, KFTP_REPLY_LINE_MAX + 8, GFP_KERNEL);
	struct feed_result r;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, in);
	memcpy(in, "220 ", 4);
	memset(in + 4, 'x', KFTP_REPLY_LINE_MAX - 4);
	memcpy(in + KFTP_REPLY_LINE_MAX, "\r\n", 2);

	kftp_reply_parser_init(p);
	r = feed(p, in, KFTP_REPLY_LINE_MAX + 2, 1, 1);
	KUNIT_ASSERT_EQ(test, r.err, 0);
	KUNIT_ASSERT_TRUE(test, r.done);
	KUNIT_EXPECT_EQ(test, strlen(p->reply.text), (size_t)KFTP_REPLY_LINE_MAX);
	KUNIT_EXPECT_EQ(test, p->reply.text[KFTP_REPLY_LINE_MAX - 1], 'x');

	in[KFTP_REPLY_LINE_MAX] = 'y';
	memcpy(in + KFTP_REPLY_LINE_MAX + 1, "\r\n", 2);
	kftp_reply_parser_init(p);
	r = feed(p, in, KFTP_REPLY_LINE_MAX + 3, 0, 0);
	KUNIT_EXPECT_EQ(test, r.err, -EPROTO);
	KUNIT_EXPECT_FALSE(test, r.done);

	/* also as a continuation line of a multi-line reply */
	kftp_reply_parser_init(p);
	KUNIT_ASSERT_EQ(test, feed(p, "220-x\r\n", 7, 0, 0).err, 0);
	in[3] = '-';
	r = feed(p, in, KFTP_REPLY_LINE_MAX + 3, 100, 100);
	KUNIT_EXPECT_EQ(test, r.err, -EPROTO);
}

/* Build a reply of @n lines: "211-line 1" ... "211 end". */
static size_t many_lines(char *buf, unsigned int n)
{
	size_t len = 0;
	unsigned int i;

	for (i = 1; i < n; i++)
		len += sprintf(buf + len, "211-line %u\r\n", i);
	len += sprintf(buf + len, "211 end\r\n");
	return len;
}

/* Up to 64 lines in one reply; the 65th is a protocol error. */
static void kftp_reply_many_lines_test(struct kunit *test)
{
	struct kftp_reply_parser *p = test->priv;
	char *in = kunit_kmalloc(test, 20 * (KFTP_REPLY_LINES_MAX + 2), GFP_KERNEL);
	struct feed_result r;
	size_t len;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, in);
	len = many_lines(in, KFTP_REPLY_LINES_MAX);
	kftp_reply_parser_init(p);
	r = feed(p, in, len, 7, 7);
	KUNIT_ASSERT_EQ(test, r.err, 0);
	KUNIT_ASSERT_TRUE(test, r.done);
	KUNIT_EXPECT_EQ(test, p->reply.lines, KFTP_REPLY_LINES_MAX);
	KUNIT_EXPECT_STREQ(test, p->reply.text, "211-line 1");

	len = many_lines(in, KFTP_REPLY_LINES_MAX + 1);
	kftp_reply_parser_init(p);
	r = feed(p, in, len, 0, 0);
	KUNIT_EXPECT_EQ(test, r.err, -EPROTO);
	KUNIT_EXPECT_FALSE(test, r.done);

	/* a server that never ends its reply */
	len = many_lines(in, KFTP_REPLY_LINES_MAX + 2);
	memcpy(in + len - 9, "211-end\r\n", 9);
	kftp_reply_parser_init(p);
	r = feed(p, in, len, 0, 0);
	KUNIT_EXPECT_EQ(test, r.err, -EPROTO);
}

/* The parser keeps no state from one reply into the next but the framing. */
static void kftp_reply_state_test(struct kunit *test)
{
	struct kftp_reply_parser *p = test->priv;
	struct feed_result r;

	kftp_reply_parser_init(p);
	/* a multi-line reply of another code than the one before it */
	r = feed(p, "150-a\r\n150 b\r", 13, 0, 0);
	KUNIT_ASSERT_TRUE(test, r.done);
	r = feed(p, "\n226-c\r\n150 d\r\n226 e\r\n", 22, 0, 0);
	KUNIT_ASSERT_EQ(test, r.err, 0);
	KUNIT_ASSERT_TRUE(test, r.done);
	KUNIT_EXPECT_EQ(test, p->reply.code, 226);
	KUNIT_EXPECT_EQ(test, p->reply.lines, 3);
	KUNIT_EXPECT_STREQ(test, p->reply.text, "226-c");
	/* a bare LF after a completed CRLF reply is an empty line: an error */
	r = feed(p, "\n\n", 2, 0, 0);
	KUNIT_EXPECT_EQ(test, r.err, -EPROTO);
}

static int kftp_reply_init(struct kunit *test)
{
	test->priv = kunit_kzalloc(test, sizeof(struct kftp_reply_parser), GFP_KERNEL);
	return test->priv ? 0 : -ENOMEM;
}

static struct kunit_case kftp_reply_cases[] = {
	KUNIT_CASE_PARAM(kftp_reply_frame_test, frame_gen_params),
	KUNIT_CASE_PARAM(kftp_reply_frame_bad_test, frame_bad_gen_params),
	KUNIT_CASE(kftp_reply_several_test),
	KUNIT_CASE(kftp_reply_long_line_test),
	KUNIT_CASE(kftp_reply_many_lines_test),
	KUNIT_CASE(kftp_reply_state_test),
	{}
};

static struct kunit_suite kftp_reply_suite = {
	.name = "kftp_reply",
	.init = kftp_reply_init,
	.test_cases = kftp_reply_cases,
};

/* ---- replies that carry data ---- */

struct data_case {
	const char *name;
	const char *text;
	int ret;
	u64 val;
};

static void data_desc(const struct data_case *c, char *desc)
{
	kftp_strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

static const struct data_case pasv_cases[] = {
	{ "parens", "227 Entering Passive Mode (192,168,1,2,4,1).", 0, 1025 },
	{ "parens_no_dot", "227 Entering Passive Mode (127,0,0,1,195,80)", 0, 50000 },
	{ "no_parens", "227 Entering Passive Mode 10,0,0,1,78,32", 0, 20000 },
	{ "equals", "227 =10,0,0,1,0,21", 0, 21 },
	{ "text_after", "227 Entering Passive Mode (10,0,0,1,19,137). Have fun!", 0, 5001 },
	{ "period_before", "227 Entering passive mode. 10,0,0,1,4,0 ", 0, 1024 },
	{ "port_max", "227 (0,0,0,0,255,255)", 0, 65535 },
	{ "port_1", "227 ok (10,0,0,1,0,1)", 0, 1 },
	{ "byte_256", "227 Entering Passive Mode (256,0,0,1,4,1)", -EPROTO },
	{ "p1_256", "227 Entering Passive Mode (10,0,0,1,256,1)", -EPROTO },
	{ "p2_999", "227 Entering Passive Mode (10,0,0,1,4,999)", -EPROTO },
	{ "p2_4_digits", "227 Entering Passive Mode (10,0,0,1,4,1000)", -EPROTO },
	{ "five_numbers", "227 Entering Passive Mode (10,0,0,1,4)", -EPROTO },
	{ "four_numbers", "227 Entering Passive Mode (10,0,0,1)", -EPROTO },
	{ "no_numbers", "227 Entering Passive Mode", -EPROTO },
	{ "code_only", "227", -EPROTO },
	{ "empty_number", "227 (10,0,,1,4,1)", -EPROTO },
	{ "minus", "227 (10,0,0,1,-4,1)", -EPROTO },
	{ "port_0", "227 Entering Passive Mode (10,0,0,1,0,0)", -EPROTO },
};

KUNIT_ARRAY_PARAM(pasv, pasv_cases, data_desc);

static void kftp_parse_pasv_test(struct kunit *test)
{
	const struct data_case *c = test->param_value;
	u16 port = 7;

	KUNIT_EXPECT_EQ(test, kftp_parse_pasv(c->text, &port), c->ret);
	KUNIT_EXPECT_EQ(test, port, c->ret ? 7 : c->val);
}

static const struct data_case epsv_cases[] = {
	{ "pipes", "229 Entering Extended Passive Mode (|||50000|)", 0, 50000 },
	{ "pipes_dot", "229 Entering Extended Passive Mode (|||6446|).", 0, 6446 },
	{ "bang", "229 EPSV ok (!!!1025!)", 0, 1025 },
	{ "hash", "229 (###21#)", 0, 21 },
	{ "tilde_max", "229 (~~~65535~)", 0, 65535 },
	{ "text_after", "229 Extended Passive (|||1|) now", 0, 1 },
	{ "port_65536", "229 Entering Extended Passive Mode (|||65536|)", -EPROTO },
	{ "port_huge", "229 (|||99999999999999999999999|)", -EPROTO },
	{ "port_0", "229 (|||0|)", -EPROTO },
	{ "port_empty", "229 (||||)", -EPROTO },
	{ "port_sign", "229 (|||+21|)", -EPROTO },
	{ "port_junk", "229 (|||21a|)", -EPROTO },
	{ "mixed_delims", "229 (|!|21|)", -EPROTO },
	{ "wrong_end_delim", "229 (|||21!)", -EPROTO },
	{ "no_close_paren", "229 (|||21|", -EPROTO },
	{ "no_parens", "229 Entering Extended Passive Mode |||21|", -EPROTO },
	{ "with_address", "229 (|1|10.0.0.1|21|)", -EPROTO },
	{ "blank_delim", "229 (   21 )", -EPROTO },
	{ "digit_delim", "229 (11121)", -EPROTO },
	{ "truncated", "229 (|", -EPROTO },
};

KUNIT_ARRAY_PARAM(epsv, epsv_cases, data_desc);

static void kftp_parse_epsv_test(struct kunit *test)
{
	const struct data_case *c = test->param_value;
	u16 port = 7;

	KUNIT_EXPECT_EQ(test, kftp_parse_epsv(c->text, &port), c->ret);
	KUNIT_EXPECT_EQ(test, port, c->ret ? 7 : c->val);
}

static const struct data_case size_cases[] = {
	{ "plain", "213 1234", 0, 1234 },
	{ "zero", "213 0", 0, 0 },
	{ "trailing_blanks", "213 1234   ", 0, 1234 },
	{ "s64_max", "213 9223372036854775807", 0, S64_MAX },
	{ "over_s64_max", "213 9223372036854775808", -EPROTO },
	{ "junk", "213 12a", -EPROTO },
	{ "unit", "213 1234 bytes", -EPROTO },
	{ "trailing_dot", "213 1234.", -EPROTO },
	{ "empty", "213 ", -EPROTO },
	{ "code_only", "213", -EPROTO },
	{ "dash", "213-1234", -EPROTO },
	{ "negative", "213 -1", -EPROTO },
	{ "plus", "213 +1", -EPROTO },
	{ "hex", "213 0x10", -EPROTO },
};

KUNIT_ARRAY_PARAM(size, size_cases, data_desc);

static void kftp_parse_size_test(struct kunit *test)
{
	const struct data_case *c = test->param_value;
	u64 size = 7;

	KUNIT_EXPECT_EQ(test, kftp_parse_size(c->text, &size), c->ret);
	/* on failure *size is unspecified (it may hold the digits read) */
	if (!c->ret)
		KUNIT_EXPECT_EQ(test, size, c->val);
}

static const struct data_case size150_cases[] = {
	{ "vsftpd", "150 Opening BINARY mode data connection for f.bin (1234 bytes).", 0,
	  1234 },
	{ "no_dot", "150 Opening BINARY mode data connection for /pub/x (0 bytes)", 0, 0 },
	{ "parens_in_name", "150 Opening data connection for a(1).txt (77 bytes).", 0, 77 },
	{ "large", "150 ok (9223372036854775807 bytes)", 0, S64_MAX },
	{ "no_size", "150 Here comes the directory listing.", -EPROTO },
	{ "no_size_paren_name", "150 Opening data connection for (x).", -EPROTO },
	{ "size_not_last", "150 (12 bytes) for f (ascii)", -EPROTO },
	{ "no_close", "150 ok (1234 bytes", -EPROTO },
	{ "no_unit", "150 ok (1234)", -EPROTO },
	{ "no_number", "150 ok (bytes)", -EPROTO },
	{ "blank_number", "150 ok ( bytes)", -EPROTO },
	{ "unit_case", "150 ok (12 Bytes)", -EPROTO },
	{ "two_blanks", "150 ok (12  bytes)", -EPROTO },
	{ "overflow", "150 ok (9223372036854775808 bytes)", -EPROTO },
	{ "negative", "150 ok (-1 bytes)", -EPROTO },
};

KUNIT_ARRAY_PARAM(size150, size150_cases, data_desc);

static void kftp_parse_150_size_test(struct kunit *test)
{
	const struct data_case *c = test->param_value;
	u64 size = 7;

	KUNIT_EXPECT_EQ(test, kftp_parse_150_size(c->text, &size), c->ret);
	KUNIT_EXPECT_EQ(test, size, c->ret ? 7 : c->val);
}

struct errno_case {
	int code;
	int err;
};

static const struct errno_case errno_cases[] = {
	/* the table */
	{ 421, ECONNRESET }, { 425, ENOTCONN }, { 426, ECONNABORTED },
	{ 500, EOPNOTSUPP }, { 501, EOPNOTSUPP }, { 502, EOPNOTSUPP }, { 504, EOPNOTSUPP },
	{ 530, EACCES }, { 532, EACCES }, { 550, ENOENT },
	/* the 4xx and 5xx defaults, at the edges and around the table's rows */
	{ 400, EAGAIN }, { 420, EAGAIN }, { 450, EAGAIN }, { 451, EAGAIN }, { 452, EAGAIN },
	{ 499, EAGAIN }, { 503, EIO }, { 531, EIO }, { 551, EIO }, { 552, EIO }, { 553, EIO },
	{ 599, EIO },
	/* positive replies where a failure was expected */
	{ 110, EPROTO }, { 150, EPROTO }, { 200, EPROTO }, { 226, EPROTO }, { 331, EPROTO },
	{ 399, EPROTO }, { 600, EPROTO }, { 0, EPROTO },
};

static void errno_desc(const struct errno_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "code_%d", c->code);
}

KUNIT_ARRAY_PARAM(reply_errno, errno_cases, errno_desc);

static void kftp_reply_errno_test(struct kunit *test)
{
	const struct errno_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, kftp_reply_errno(c->code), c->err);
}

/* ---- MDTM: YYYYMMDDHHMMSS[.sss], UTC ---- */

struct mdtm_case {
	const char *name;
	const char *text;
	int ret;
	s64 sec;
	u32 nsec;
};

static const struct mdtm_case mdtm_cases[] = {
	{ "epoch", "213 19700101000000", 0, 0, 0 },
	{ "fraction", "213 20240229123456.5", 0, 1709210096, 500000000 },
	{ "leap_day_2000", "213 20000229000000", 0, 951782400, 0 },
	{ "leap_second", "213 19991231235960", 0, 946684800, 0 },
	{ "year_1", "213 00010101000000", 0, -62135596800LL, 0 },
	{ "year_9999", "213 99991231235959", 0, 253402300799LL, 0 },
	{ "before_1970", "213 19690101000000", 0, -31536000, 0 },
	{ "nanoseconds_cut", "213 20240101000000.123456789123", 0, 1704067200, 123456789 },
	{ "trailing_blank", "213 20240101000000 ", 0, 1704067200, 0 },
	{ "year_0", "213 00000101000000", -EPROTO },
	{ "13_digits", "213 2024022912345", -EPROTO },
	{ "15_digits_y2k_bug", "213 191000101000000", -EPROTO },
	{ "month_13", "213 20241301000000", -EPROTO },
	{ "month_0", "213 20240001000000", -EPROTO },
	{ "day_0", "213 20240100000000", -EPROTO },
	{ "april_31", "213 20240431000000", -EPROTO },
	{ "feb_29_2100", "213 21000229000000", -EPROTO },
	{ "feb_29_2023", "213 20230229000000", -EPROTO },
	{ "hour_24", "213 20240101240000", -EPROTO },
	{ "minute_60", "213 20240101006000", -EPROTO },
	{ "second_61", "213 20240101000061", -EPROTO },
	{ "dot_only", "213 20240101000000.", -EPROTO },
	{ "two_dots", "213 20240101000000.1.2", -EPROTO },
	{ "text_after", "213 20240101000000 UTC", -EPROTO },
	{ "dashes", "213 2024-02-29 12:34:56", -EPROTO },
	{ "two_blanks", "213  20240101000000", -EPROTO },
	{ "550", "550 Could not get file modification time.", -EPROTO },
	{ "dash", "213-20240101000000", -EPROTO },
	{ "empty", "213 ", -EPROTO },
};

static void mdtm_desc(const struct mdtm_case *c, char *desc)
{
	kftp_strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(mdtm, mdtm_cases, mdtm_desc);

static void kftp_parse_mdtm_test(struct kunit *test)
{
	const struct mdtm_case *c = test->param_value;
	s64 sec = 7;
	u32 nsec = 7;

	KUNIT_EXPECT_EQ(test, kftp_parse_mdtm(c->text, &sec, &nsec), c->ret);
	KUNIT_EXPECT_EQ(test, sec, c->ret ? 7 : c->sec);
	KUNIT_EXPECT_EQ(test, nsec, c->ret ? 7 : c->nsec);
}

/* ---- 350 to REST ---- */

static const struct data_case rest_cases[] = {
	{ "vsftpd", "350 Restart position accepted (1024).", 0, 1024 },
	{ "proftpd", "350 Restarting at 1024. Send STORE or RETRIEVE to initiate transfer",
	  0, 1024 },
	{ "zero", "350 Restarting at 0", 0, 0 },
	{ "s64_max", "350 Restarting at 9223372036854775807.", 0, S64_MAX },
	{ "no_number", "350 Ok", -ENODATA },
	{ "code_only", "350", -ENODATA },
	{ "over_s64_max", "350 Restarting at 9223372036854775808.", -EPROTO },
	{ "not_350", "502 REST not implemented (1024).", -EPROTO },
	{ "21_digits", "350 at 100000000000000000000", -EPROTO },
};

KUNIT_ARRAY_PARAM(rest, rest_cases, data_desc);

static void kftp_parse_rest_test(struct kunit *test)
{
	const struct data_case *c = test->param_value;
	u64 offset = 7;

	KUNIT_EXPECT_EQ(test, kftp_parse_rest(c->text, &offset), c->ret);
	if (!c->ret)
		KUNIT_EXPECT_EQ(test, offset, c->val);
}

/* ---- MLSD entries (RFC 3659 section 7.2) ---- */

struct mlsd_case {
	const char *name;
	const char *line;
	int ret;
	const char *file;	/* the name */
	const char *type;	/* NULL: none */
	s64 size;
	s64 modify;		/* 0: none */
	u32 modify_nsec;
};

static const struct mlsd_case mlsd_cases[] = {
	{ "file", "type=file;size=1024;modify=20240229123456; f1024.bin", 0, "f1024.bin",
	  "file", 1024, 1709210096 },
	{ "rfc_example", "Type=cdir;Perm=el;Unique=keVO1+ZF4; test", 0, "test", "cdir", -1 },
	{ "case_and_unknown_facts", "SIZE=0;MODIFY=20240229123456.25;UNIX.mode=0644; e", 0,
	  "e", NULL, 0, 1709210096, 250000000 },
	{ "no_facts", " lonely", 0, "lonely", NULL, -1 },
	{ "blank_in_name", "type=file; a b  c", 0, "a b  c", "file", -1 },
	{ "semicolon_in_name", "type=file; a;b=c", 0, "a;b=c", "file", -1 },
	{ "os_type", "type=OS.unix=slink:/x;size=1; l", 0, "l", "OS.unix=slink:/x", 1 },
	{ "empty_value_ok", "perm=;type=dir; d", 0, "d", "dir", -1 },
	{ "no_name", "type=file; ", -EPROTO },
	{ "no_blank", "type=file;name", -EPROTO },
	{ "no_semicolon", "type=file f", -EPROTO },
	{ "no_equals", "type; f", -EPROTO },
	{ "empty_fact_name", "=x; f", -EPROTO },
	{ "empty_type", "type=; f", -EPROTO },
	{ "two_types", "type=file;type=dir; f", -EPROTO },
	{ "two_sizes", "size=1;size=1; f", -EPROTO },
	{ "size_not_number", "size=1k; f", -EPROTO },
	{ "size_negative", "size=-1; f", -EPROTO },
	{ "size_overflow", "size=9223372036854775808; f", -EPROTO },
	{ "modify_bad", "modify=20241301000000; f", -EPROTO },
	{ "modify_short", "modify=2024; f", -EPROTO },
	{ "cr_in_name", "type=file; a\rb", -EPROTO },
	{ "empty", "", -EPROTO },
	{ "blank_only", " ", -EPROTO },
};

static void mlsd_desc(const struct mlsd_case *c, char *desc)
{
	kftp_strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(mlsd, mlsd_cases, mlsd_desc);

static void kftp_parse_mlsd_test(struct kunit *test)
{
	const struct mlsd_case *c = test->param_value;
	struct kftp_mlsd_entry e;

	KUNIT_ASSERT_EQ(test, kftp_parse_mlsd_line(c->line, strlen(c->line), &e), c->ret);
	if (c->ret)
		return;
	KUNIT_ASSERT_EQ(test, e.name_len, strlen(c->file));
	KUNIT_EXPECT_EQ(test, memcmp(e.name, c->file, e.name_len), 0);
	if (c->type) {
		KUNIT_ASSERT_EQ(test, e.type_len, strlen(c->type));
		KUNIT_EXPECT_EQ(test, memcmp(e.type, c->type, e.type_len), 0);
	} else {
		KUNIT_EXPECT_PTR_EQ(test, e.type, (const char *)NULL);
	}
	KUNIT_EXPECT_EQ(test, e.size, c->size);
	KUNIT_EXPECT_EQ(test, e.has_modify, c->modify != 0);
	KUNIT_EXPECT_EQ(test, e.modify, c->modify);
	KUNIT_EXPECT_EQ(test, e.modify_nsec, c->modify_nsec);
}

/* The entry ends where @len says, not at a NUL. */
static void kftp_parse_mlsd_len_test(struct kunit *test)
{
	static const char line[] = "type=file;size=3; abc; and more";
	struct kftp_mlsd_entry e;

	KUNIT_ASSERT_EQ(test, kftp_parse_mlsd_line(line, 21, &e), 0);
	KUNIT_EXPECT_EQ(test, e.name_len, 3);
	KUNIT_EXPECT_EQ(test, memcmp(e.name, "abc", 3), 0);
	KUNIT_EXPECT_EQ(test, kftp_parse_mlsd_line(line, 17, &e), -EPROTO);
	KUNIT_EXPECT_EQ(test, kftp_parse_mlsd_line(line, 9, &e), -EPROTO);
}

static struct kunit_case kftp_reply_data_cases[] = {
	KUNIT_CASE_PARAM(kftp_parse_pasv_test, pasv_gen_params),
	KUNIT_CASE_PARAM(kftp_parse_epsv_test, epsv_gen_params),
	KUNIT_CASE_PARAM(kftp_parse_size_test, size_gen_params),
	KUNIT_CASE_PARAM(kftp_parse_150_size_test, size150_gen_params),
	KUNIT_CASE_PARAM(kftp_reply_errno_test, reply_errno_gen_params),
	KUNIT_CASE_PARAM(kftp_parse_mdtm_test, mdtm_gen_params),
	KUNIT_CASE_PARAM(kftp_parse_rest_test, rest_gen_params),
	KUNIT_CASE_PARAM(kftp_parse_mlsd_test, mlsd_gen_params),
	KUNIT_CASE(kftp_parse_mlsd_len_test),
	{}
};

static struct kunit_suite kftp_reply_data_suite = {
	.name = "kftp_reply_data",
	.test_cases = kftp_reply_data_cases,
};

kunit_test_suites(&kftp_reply_suite, &kftp_reply_data_suite);

MODULE_LICENSE("GPL");
