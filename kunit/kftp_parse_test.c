// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites for kftp's URL and request-line parsers (src/url.c and
 * src/request.c), written to the request-line contract:
 *
 *	get URL PATH [mode=passive|active] [src=ADDRESS] [timeout=1..3600]
 *		[deadline=1..604800] [min_rate=BYTES] [max_size=BYTES] [wait]
 *	cancel ID
 *
 * BYTES: 1 or more, with an optional K, M or G suffix (powers of 1024).
 * Good lines are checked field by field; bad lines must give -EINVAL with a
 * reason naming the class of error.
 */
#include <kunit/test.h>
#include <linux/inet.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "proto.h"

#define IP(a, b, c, d)	{ a, b, c, d }

/* ---- kftp_parse_uint ---- */

struct uint_case {
	const char *name;
	const char *s;
	u64 max;
	int ret;
	u64 val;
};

static const struct uint_case uint_cases[] = {
	{ "zero", "0", 10, 0, 0 },
	{ "max", "65535", U16_MAX, 0, 65535 },
	{ "over_max", "65536", U16_MAX, -EINVAL },
	{ "u64_max", "18446744073709551615", U64_MAX, 0, U64_MAX },
	{ "u64_overflow", "18446744073709551616", U64_MAX, -EINVAL },
	{ "21_digits", "000000000000000000001", U64_MAX, -EINVAL },
	{ "leading_zero", "0021", 100, 0, 21 },
	{ "empty", "", 100, -EINVAL },
	{ "plus", "+1", 100, -EINVAL },
	{ "minus", "-1", 100, -EINVAL },
	{ "blank", " 1", 100, -EINVAL },
	{ "trailing_letter", "12a", 100, -EINVAL },
	{ "hex", "0x10", 100, -EINVAL },
	/* "at most @max" holds for every @max, also one below a digit */
	{ "max_1_digit_2", "2", 1, -EINVAL },
	{ "max_3_digit_5", "5", 3, -EINVAL },
	{ "max_0_digit_0", "0", 0, 0, 0 },
};

static void uint_desc(const struct uint_case *c, char *desc)
{
	kftp_strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(uint, uint_cases, uint_desc);

static void kftp_parse_uint_test(struct kunit *test)
{
	const struct uint_case *c = test->param_value;
	u64 val = 12345;

	KUNIT_EXPECT_EQ(test, kftp_parse_uint(c->s, strlen(c->s), c->max, &val), c->ret);
	KUNIT_EXPECT_EQ(test, val, c->ret ? 12345 : c->val);
}

/* ---- kftp_parse_ipv4 ---- */

struct ipv4_case {
	const char *name;
	const char *s;
	bool ok;
	bool pton;		/* in4_pton() takes it */
	u8 addr[4];
};

/*
 * kftp is stricter than the kernel's in4_pton() in one way only: it refuses
 * leading zeros, which inet_aton() and many tools read as octal.
 */
static const struct ipv4_case ipv4_cases[] = {
	{ "plain", "192.0.2.1", true, true, IP(192, 0, 2, 1) },
	{ "zeros", "0.0.0.0", true, true, IP(0, 0, 0, 0) },
	{ "broadcast", "255.255.255.255", true, true, IP(255, 255, 255, 255) },
	{ "loopback", "127.0.0.1", true, true, IP(127, 0, 0, 1) },
	{ "leading_zero", "01.2.3.4", false, true },
	{ "leading_zero_last", "1.2.3.04", false, true },
	{ "double_zero", "1.00.3.4", false, true },
	{ "octal_looking", "010.0.0.1", false, true },
	{ "part_256", "1.2.3.256", false, false },
	{ "part_1000", "1000.2.3.4", false, false },
	{ "three_parts", "1.2.3", false, false },
	{ "two_parts", "1.2", false, false },
	{ "one_number", "16909060", false, false },
	{ "five_parts", "1.2.3.4.5", false, false },
	{ "empty_part", "1..3.4", false, false },
	{ "empty_first", ".2.3.4", false, false },
	{ "trailing_dot", "1.2.3.4.", false, false },
	{ "plus_sign", "+1.2.3.4", false, false },
	{ "minus_sign", "1.-2.3.4", false, false },
	{ "hex", "0x7f.0.0.1", false, false },
	{ "blank", "1.2.3. 4", false, false },
	{ "host_name", "localhost", false, false },
	{ "empty", "", false, false },
};

static void ipv4_desc(const struct ipv4_case *c, char *desc)
{
	kftp_strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ipv4, ipv4_cases, ipv4_desc);

static void kftp_parse_ipv4_test(struct kunit *test)
{
	const struct ipv4_case *c = test->param_value;
	u8 addr[4] = { 0xaa, 0xaa, 0xaa, 0xaa };
	u8 ref[4];
	int ret = kftp_parse_ipv4(c->s, strlen(c->s), addr);
	int pton = in4_pton(c->s, strlen(c->s), ref, -1, NULL);

	KUNIT_EXPECT_EQ(test, pton, c->pton ? 1 : 0);
	if (!c->ok) {
		KUNIT_EXPECT_EQ(test, ret, -EINVAL);
		return;
	}
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, memcmp(addr, c->addr, 4), 0);
	/* what kftp accepts, the kernel's own parser reads the same way */
	if (pton)
		KUNIT_EXPECT_EQ(test, memcmp(addr, ref, 4), 0);
}

/* Only @len bytes are looked at: the address may be followed by ":port". */
static void kftp_parse_ipv4_len_test(struct kunit *test)
{
	u8 addr[4];

	KUNIT_EXPECT_EQ(test, kftp_parse_ipv4("10.1.2.3:21", 8, addr), 0);
	KUNIT_EXPECT_EQ(test, addr[3], 3);
	KUNIT_EXPECT_EQ(test, kftp_parse_ipv4("10.1.2.3:21", 11, addr), -EINVAL);
	KUNIT_EXPECT_EQ(test, kftp_parse_ipv4("10.1.2.3", 6, addr), -EINVAL);
}

/* ---- kftp_parse_ipv6, kftp_parse_addr, kftp_format_addr ---- */

struct ipv6_case {
	const char *name;
	const char *s;
	bool ok;
	const char *text;	/* kftp_format_addr() of it (RFC 5952) */
};

/*
 * Every address taken is checked against the kernel's in6_pton(), which
 * is laxer (a blank ends the address, leading zeros in an IPv4 tail).
 */
static const struct ipv6_case ipv6_cases[] = {
	{ "loopback", "::1", true, "::1" },
	{ "unspecified", "::", true, "::" },
	{ "full", "2001:db8:0:1:2:3:4:5", true, "2001:db8:0:1:2:3:4:5" },
	{ "full_leading_zeros", "2001:0db8:0000:0000:0000:0000:0000:0007", true,
	  "2001:db8::7" },
	{ "upper_case", "2001:DB8::A", true, "2001:db8::a" },
	{ "gap_middle", "2001:db8::7", true, "2001:db8::7" },
	{ "gap_end", "fe80::", true, "fe80::" },
	{ "gap_one_group", "1:2:3:4:5:6::8", true, "1:2:3:4:5:6:0:8" },
	{ "gap_at_start_7", "::2:3:4:5:6:7:8", true, "0:2:3:4:5:6:7:8" },
	{ "gap_at_end_7", "1:2:3:4:5:6:7::", true, "1:2:3:4:5:6:7:0" },
	{ "longest_run", "1:0:0:2:0:0:0:3", true, "1:0:0:2::3" },
	{ "first_of_equal_runs", "1:0:0:2:3:0:0:4", true, "1::2:3:0:0:4" },
	{ "ula", "fd00::7", true, "fd00::7" },
	{ "ipv4_tail", "::ffff:192.0.2.1", true, "::ffff:c000:201" },
	{ "ipv4_tail_full", "1:2:3:4:5:6:1.2.3.4", true, "1:2:3:4:5:6:102:304" },
	{ "ipv4_tail_gap", "64:ff9b::192.0.2.33", true, "64:ff9b::c000:221" },
	{ "empty", "", false },
	{ "one_colon", ":", false },
	{ "three_colons", ":::", false },
	{ "leading_colon", ":1::2", false },
	{ "trailing_colon", "1::2:", false },
	{ "two_gaps", "1::2::3", false },
	{ "nine_groups", "1:2:3:4:5:6:7:8:9", false },
	{ "seven_groups", "1:2:3:4:5:6:7", false },
	{ "gap_and_8_groups", "1:2:3:4::5:6:7:8", false },
	{ "five_digits", "12345::1", false },
	{ "not_hex", "2001:db8::g", false },
	{ "empty_group", "1:2:3:4:5:6:7:", false },
	{ "ipv4_tail_not_last", "::1.2.3.4:5", false },
	{ "ipv4_tail_too_late", "1:2:3:4:5:6:7:1.2.3.4", false },
	{ "ipv4_tail_short", "::1.2.3", false },
	{ "ipv4_tail_leading_zero", "::ffff:1.2.3.04", false },
	{ "ipv4_only", "1.2.3.4", false },
	{ "zone", "fe80::1%eth0", false },
	{ "brackets", "[::1]", false },
	{ "blank", ":: 1", false },
};

static void ipv6_desc(const struct ipv6_case *c, char *desc)
{
	kftp_strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ipv6, ipv6_cases, ipv6_desc);

static void kftp_parse_ipv6_test(struct kunit *test)
{
	const struct ipv6_case *c = test->param_value;
	struct kftp_addr a = { .family = KFTP_AF_INET6 };
	char text[KFTP_ADDR_STRLEN];
	int ret = kftp_parse_ipv6(c->s, strlen(c->s), a.bytes);
	u8 ref[16];

	KUNIT_EXPECT_EQ(test, ret, c->ok ? 0 : -EINVAL);
	if (!c->ok)
		return;
	KUNIT_EXPECT_EQ(test, in6_pton(c->s, strlen(c->s), ref, -1, NULL), 1);
	KUNIT_EXPECT_EQ(test, memcmp(a.bytes, ref, 16), 0);
	kftp_format_addr(&a, text);
	KUNIT_EXPECT_STREQ(test, text, c->text);
	/* the text reads back as the same address */
	KUNIT_EXPECT_EQ(test, in6_pton(text, strlen(text), ref, -1, NULL), 1);
	KUNIT_EXPECT_EQ(test, memcmp(a.bytes, ref, 16), 0);
}

/* kftp_parse_addr: IPv4, IPv6, an IPv4-mapped IPv6 address is IPv4. */
static void kftp_parse_addr_test(struct kunit *test)
{
	static const u8 v6[16] = { 0xfd, [15] = 7 };
	struct kftp_addr a;
	char text[KFTP_ADDR_STRLEN];

	KUNIT_EXPECT_EQ(test, kftp_parse_addr("10.1.2.3", 8, &a), 0);
	KUNIT_EXPECT_EQ(test, a.family, KFTP_AF_INET);
	kftp_format_addr(&a, text);
	KUNIT_EXPECT_STREQ(test, text, "10.1.2.3");
	KUNIT_EXPECT_EQ(test, kftp_parse_addr("fd00::7", 7, &a), 0);
	KUNIT_EXPECT_EQ(test, a.family, KFTP_AF_INET6);
	KUNIT_EXPECT_EQ(test, memcmp(a.bytes, v6, 16), 0);
	KUNIT_EXPECT_EQ(test, kftp_parse_addr("::ffff:10.1.2.3", 15, &a), 0);
	KUNIT_EXPECT_EQ(test, a.family, KFTP_AF_INET);
	kftp_format_addr(&a, text);
	KUNIT_EXPECT_STREQ(test, text, "10.1.2.3");
	KUNIT_EXPECT_EQ(test, kftp_parse_addr("::ffff:a01:203", 14, &a), 0);
	KUNIT_EXPECT_EQ(test, a.family, KFTP_AF_INET);
	KUNIT_EXPECT_EQ(test, a.bytes[3], 3);
	KUNIT_EXPECT_EQ(test, a.bytes[4], 0);
	/* only @len bytes are looked at */
	KUNIT_EXPECT_EQ(test, kftp_parse_addr("::1:2", 3, &a), 0);
	KUNIT_EXPECT_EQ(test, a.bytes[15], 1);
	KUNIT_EXPECT_EQ(test, kftp_parse_addr("localhost", 9, &a), -EINVAL);
	KUNIT_EXPECT_EQ(test, kftp_parse_addr("", 0, &a), -EINVAL);
}

/* ---- kftp_url_parse ---- */

struct url_good {
	const char *name;
	const char *url;
	const char *user;	/* NULL: anonymous */
	const char *pass;	/* NULL: none */
	const char *path;
	u8 addr[16];
	u16 port;
	const char *display;
	bool v6;
	const char *zone;	/* NULL: none */
	const char *host;	/* a name; NULL: an address */
	bool ftps;		/* ftps://: implicit TLS */
};

#define V6	.v6 = true

static const struct url_good url_good_cases[] = {
	{ "anonymous", "ftp://192.0.2.1/pub/file.txt", NULL, NULL, "pub/file.txt",
	  IP(192, 0, 2, 1), 21, "ftp://192.0.2.1/pub/file.txt" },
	{ "user", "ftp://bob@10.0.0.2/f", "bob", NULL, "f", IP(10, 0, 0, 2), 21,
	  "ftp://bob@10.0.0.2/f" },
	{ "user_pass", "ftp://alice:s3cret@10.0.0.2/f", "alice", "s3cret", "f",
	  IP(10, 0, 0, 2), 21, "ftp://alice:***@10.0.0.2/f" },
	{ "user_pass_port", "ftp://alice:s3cret@10.0.0.2:2121/data/x.bin", "alice", "s3cret",
	  "data/x.bin", IP(10, 0, 0, 2), 2121, "ftp://alice:***@10.0.0.2:2121/data/x.bin" },
	{ "empty_pass", "ftp://bob:@1.2.3.4/f", "bob", "", "f", IP(1, 2, 3, 4), 21,
	  "ftp://bob:***@1.2.3.4/f" },
	{ "port_1", "ftp://1.2.3.4:1/f", NULL, NULL, "f", IP(1, 2, 3, 4), 1,
	  "ftp://1.2.3.4:1/f" },
	{ "port_65535", "ftp://1.2.3.4:65535/f", NULL, NULL, "f", IP(1, 2, 3, 4), 65535,
	  "ftp://1.2.3.4:65535/f" },
	{ "scheme_upper", "FTP://1.2.3.4/f", NULL, NULL, "f", IP(1, 2, 3, 4), 21,
	  "ftp://1.2.3.4/f" },
	/* ftps://: implicit TLS, port 990 unless given */
	{ "ftps", "ftps://1.2.3.4/f", NULL, NULL, "f", IP(1, 2, 3, 4), 990,
	  "ftps://1.2.3.4/f", .ftps = true },
	{ "ftps_upper_port_pass", "FtpS://u:pw@[::1]:2990/d/f", "u", "pw", "d/f",
	  { [15] = 1 }, 2990, "ftps://u:***@[::1]:2990/d/f", V6, .ftps = true },
	{ "ftps_name_port_21", "ftps://ftp.example.org:21/f", NULL, NULL, "f", {}, 21,
	  "ftps://ftp.example.org:21/f", .host = "ftp.example.org", .ftps = true },
	{ "scheme_mixed", "fTp://1.2.3.4/f", NULL, NULL, "f", IP(1, 2, 3, 4), 21,
	  "ftp://1.2.3.4/f" },
	{ "deep_path", "ftp://1.2.3.4/a/b/c.tar.gz", NULL, NULL, "a/b/c.tar.gz",
	  IP(1, 2, 3, 4), 21, "ftp://1.2.3.4/a/b/c.tar.gz" },
	{ "absolute_path", "ftp://1.2.3.4//etc/motd", NULL, NULL, "/etc/motd",
	  IP(1, 2, 3, 4), 21, "ftp://1.2.3.4//etc/motd" },
	{ "pct_user_pass", "ftp://us%65r:p%40ss%3Aw%2f@1.2.3.4/f", "user", "p@ss:w/", "f",
	  IP(1, 2, 3, 4), 21, "ftp://us%65r:***@1.2.3.4/f" },
	{ "pct_path", "ftp://1.2.3.4/dir%20name/f%2Fg%25", NULL, NULL, "dir name/f/g%",
	  IP(1, 2, 3, 4), 21, "ftp://1.2.3.4/dir%20name/f%2Fg%25" },
	{ "pct_upper_lower_hex", "ftp://1.2.3.4/%4a%4B", NULL, NULL, "JK", IP(1, 2, 3, 4), 21,
	  "ftp://1.2.3.4/%4a%4B" },
	{ "pct_high_byte", "ftp://1.2.3.4/caf%C3%A9", NULL, NULL, "caf\xc3\xa9",
	  IP(1, 2, 3, 4), 21, "ftp://1.2.3.4/caf%C3%A9" },
	/* the bytes next to the refused ones: blank, '~', 0x80 and 0xfe */
	{ "pct_edges", "ftp://u%20%7e:%80%fe@1.2.3.4/%20%7E%80%FE", "u ~", "\x80\xfe",
	  " ~\x80\xfe", IP(1, 2, 3, 4), 21, "ftp://u%20%7e:***@1.2.3.4/%20%7E%80%FE" },
	{ "colon_in_pass", "ftp://u:a:b@1.2.3.4/f", "u", "a:b", "f", IP(1, 2, 3, 4), 21,
	  "ftp://u:***@1.2.3.4/f" },
	/* RFC 3986 IP-literals, RFC 6874 zones */
	{ "ipv6_loopback", "ftp://[::1]/f", NULL, NULL, "f", { [15] = 1 }, 21,
	  "ftp://[::1]/f", V6 },
	{ "ipv6_port", "ftp://[2001:db8::7]:2121/pub/f", NULL, NULL, "pub/f",
	  { 0x20, 0x01, 0x0d, 0xb8, [15] = 7 }, 2121, "ftp://[2001:db8::7]:2121/pub/f", V6 },
	{ "ipv6_user_pass_port", "ftp://u:pw@[fd00::7]:21/f", "u", "pw", "f",
	  { 0xfd, [15] = 7 }, 21, "ftp://u:***@[fd00::7]:21/f", V6 },
	{ "ipv6_colon_in_pass", "ftp://u:a:b@[::1]/f", "u", "a:b", "f", { [15] = 1 }, 21,
	  "ftp://u:***@[::1]/f", V6 },
	{ "ipv6_zone", "ftp://[fe80::1%25eth0]/f", NULL, NULL, "f",
	  { 0xfe, 0x80, [15] = 1 }, 21, "ftp://[fe80::1%25eth0]/f", V6, .zone = "eth0" },
	{ "ipv6_zone_port", "ftp://[fe80::a%25veth-x.1_2~]:2121/f", NULL, NULL, "f",
	  { 0xfe, 0x80, [15] = 0xa }, 2121, "ftp://[fe80::a%25veth-x.1_2~]:2121/f", V6,
	  .zone = "veth-x.1_2~" },
	{ "ipv6_zone_pct", "ftp://[fe80::1%25%65th0]/f", NULL, NULL, "f",
	  { 0xfe, 0x80, [15] = 1 }, 21, "ftp://[fe80::1%25%65th0]/f", V6, .zone = "eth0" },
	{ "ipv6_zone_15", "ftp://[febf::1%25abcdefghijklmno]/f", NULL, NULL, "f",
	  { 0xfe, 0xbf, [15] = 1 }, 21, "ftp://[febf::1%25abcdefghijklmno]/f", V6,
	  .zone = "abcdefghijklmno" },
	{ "ipv6_ipv4_tail", "ftp://[64:ff9b::1.2.3.4]/f", NULL, NULL, "f",
	  { 0, 0x64, 0xff, 0x9b, [12] = 1, 2, 3, 4 }, 21, "ftp://[64:ff9b::1.2.3.4]/f", V6 },
	/* RFC 1123 names, kept as written */
	{ "name", "ftp://ftp.example.org/pub/f", NULL, NULL, "pub/f", {}, 21,
	  "ftp://ftp.example.org/pub/f", .host = "ftp.example.org" },
	{ "name_port_user", "ftp://u:pw@Files-1.Example.ORG:2121/f", "u", "pw", "f", {}, 2121,
	  "ftp://u:***@Files-1.Example.ORG:2121/f", .host = "Files-1.Example.ORG" },
	{ "name_single_label", "ftp://localhost/f", NULL, NULL, "f", {}, 21, "ftp://localhost/f",
	  .host = "localhost" },
	{ "name_trailing_dot", "ftp://a.example.:99/f", NULL, NULL, "f", {}, 99,
	  "ftp://a.example.:99/f", .host = "a.example." },
	{ "name_3_chars", "ftp://a.b/f", NULL, NULL, "f", {}, 21, "ftp://a.b/f", .host = "a.b" },
	{ "name_digits_first", "ftp://3com.1and1.example/f", NULL, NULL, "f", {}, 21,
	  "ftp://3com.1and1.example/f", .host = "3com.1and1.example" },
	{ "name_digits_label", "ftp://10.0.0.example/f", NULL, NULL, "f", {}, 21,
	  "ftp://10.0.0.example/f", .host = "10.0.0.example" },
	{ "name_label_63", "ftp://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.x/f", NULL, NULL, "f", {}, 21,
	  "ftp://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.x/f", .host = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.x" },
	{ "name_253", "ftp://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc.ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd/f", NULL, NULL, "f", {}, 21,
	  "ftp://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc.ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd/f", .host = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc.ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd" },
	{ "name_253_trailing_dot", "ftp://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc.ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd./f", NULL, NULL, "f", {}, 21,
	  "ftp://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc.ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd./f", .host = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc.ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd." },
	/* IPv4-mapped: an IPv4 server */
	{ "ipv6_mapped", "ftp://[::ffff:1.2.3.4]:99/f", NULL, NULL, "f", IP(1, 2, 3, 4), 99,
	  "ftp://[::ffff:1.2.3.4]:99/f" },
};

static void url_good_desc(const struct url_good *c, char *desc)
{
	kftp_strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(url_good, url_good_cases, url_good_desc);

static void kftp_url_good_test(struct kunit *test)
{
	const struct url_good *c = test->param_value;
	size_t len = strlen(c->url);
	char *url = kunit_kzalloc(test, len + 1, GFP_KERNEL);
	char *display = kunit_kzalloc(test, len + 4, GFP_KERNEL);
	const char *reason = NULL;
	struct kftp_url u;
	int ret;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, url);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, display);
	memcpy(url, c->url, len);
	ret = kftp_url_parse(url, display, len + 4, &u, &reason);
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "reason: %s", reason ? reason : "(none)");

	if (c->user)
		KUNIT_EXPECT_STREQ(test, u.user, c->user);
	else
		KUNIT_EXPECT_PTR_EQ(test, u.user, (char *)NULL);
	if (c->pass)
		KUNIT_EXPECT_STREQ(test, u.pass, c->pass);
	else
		KUNIT_EXPECT_PTR_EQ(test, u.pass, (char *)NULL);
	KUNIT_EXPECT_STREQ(test, u.path, c->path);
	KUNIT_EXPECT_EQ(test, u.addr.family,
			c->host ? 0 : c->v6 ? KFTP_AF_INET6 : KFTP_AF_INET);
	if (c->host)
		KUNIT_EXPECT_STREQ(test, u.host, c->host);
	else
		KUNIT_EXPECT_PTR_EQ(test, u.host, (char *)NULL);
	KUNIT_EXPECT_EQ(test, memcmp(u.addr.bytes, c->addr, 16), 0);
	KUNIT_EXPECT_EQ(test, u.addr.scope, 0);
	if (c->zone)
		KUNIT_EXPECT_STREQ(test, u.zone, c->zone);
	else
		KUNIT_EXPECT_PTR_EQ(test, u.zone, (char *)NULL);
	KUNIT_EXPECT_EQ(test, u.port, c->port);
	KUNIT_EXPECT_EQ(test, u.implicit_tls, c->ftps);
	KUNIT_EXPECT_PTR_EQ(test, u.display, display);
	KUNIT_EXPECT_STREQ(test, display, c->display);
	/* the password never shows */
	if (c->pass && *c->pass)
		KUNIT_EXPECT_PTR_EQ(test, strstr(display, c->pass), (char *)NULL);
}

struct url_bad {
	const char *name;
	const char *url;
	const char *reason;	/* a word the reason must contain */
};

static const struct url_bad url_bad_cases[] = {
	{ "scheme_http", "http://1.2.3.4/f", "ftp://" },
	{ "scheme_one_slash", "ftp:/1.2.3.4/f", "ftp://" },
	{ "scheme_ftpes", "ftpes://1.2.3.4/f", "ftps://" },
	{ "scheme_ftps_one_slash", "ftps:/1.2.3.4/f", "ftps://" },
	{ "scheme_sftp", "sftp://1.2.3.4/f", "ftp://" },
	{ "ftps_no_path", "ftps://1.2.3.4", "remote path" },
	{ "ftps_port_0", "ftps://1.2.3.4:0/f", "port" },
	{ "scheme_only", "ftp:", "ftp://" },
	{ "empty", "", "ftp://" },
	{ "no_path", "ftp://1.2.3.4", "remote path" },
	{ "no_path_port", "ftp://1.2.3.4:21", "remote path" },
	{ "empty_file", "ftp://1.2.3.4/", "remote file" },
	{ "trailing_slash", "ftp://1.2.3.4/dir/", "remote file" },
	{ "decoded_trailing_slash", "ftp://1.2.3.4/dir%2f", "remote file" },
	{ "empty_host", "ftp:///f", "host" },
	{ "name_empty_label", "ftp://a..example/f", "empty label" },
	{ "name_leading_dot", "ftp://.example.org/f", "empty label" },
	{ "name_two_trailing_dots", "ftp://example.org../f", "empty label" },
	{ "name_only_dot", "ftp://./f", "host" },
	{ "name_leading_hyphen", "ftp://-a.example/f", "starts with a hyphen" },
	{ "name_label_leading_hyphen", "ftp://a.-b.example:21/f", "starts with a hyphen" },
	{ "name_trailing_hyphen", "ftp://a-.example/f", "ends with a hyphen" },
	{ "name_last_label_hyphen", "ftp://a.example-/f", "ends with a hyphen" },
	{ "name_label_64", "ftp://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example/f", "longer than 63" },
	{ "name_254", "ftp://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc.dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd/f", "longer than 253" },
	{ "name_254_trailing_dot", "ftp://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc.dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd./f", "longer than 253" },
	{ "name_2_chars", "ftp://ab/f", "shorter than 3" },
	{ "name_numeric_tld", "ftp://a.b.123/f", "bad host" },
	{ "name_percent", "ftp://a%2eb.example/f", "bad host" },
	{ "name_bang", "ftp://a!b.example/f", "bad host" },
	{ "name_port_bad", "ftp://ftp.example.org:0/f", "port" },
	{ "name_port_empty", "ftp://ftp.example.org:/f", "port" },
	{ "ipv6_unbracketed", "ftp://::1/f", "host" },
	{ "ipv6_unbracketed_port", "ftp://2001:db8::1:21/f", "host" },
	{ "ipv6_no_close", "ftp://[::1/f", "without ]" },
	{ "ipv6_no_close_port", "ftp://[::1:21/f", "without ]" },
	{ "ipv6_no_open", "ftp://::1]/f", "host" },
	{ "ipv6_empty", "ftp://[]/f", "IPv6" },
	{ "ipv6_bad", "ftp://[1::2::3]/f", "IPv6" },
	{ "ipv6_ipv4_in_brackets", "ftp://[1.2.3.4]/f", "IPv6" },
	{ "ipv6_nine_groups", "ftp://[1:2:3:4:5:6:7:8:9]/f", "IPv6" },
	{ "ipv6_text_after", "ftp://[::1]x/f", "after ]" },
	{ "ipv6_two_literals", "ftp://[::1][::2]/f", "after ]" },
	{ "ipv6_port_empty", "ftp://[::1]:/f", "port" },
	{ "ipv6_port_0", "ftp://[::1]:0/f", "port" },
	{ "ipv6_port_65536", "ftp://[::1]:65536/f", "port" },
	{ "ipv6_port_in_brackets", "ftp://[::1:21]:x/f", "port" },
	{ "ipv6_zone_raw_percent", "ftp://[fe80::1%eth0]/f", "zone" },
	{ "ipv6_zone_empty", "ftp://[fe80::1%25]/f", "zone" },
	{ "ipv6_zone_16", "ftp://[fe80::1%25abcdefghijklmnop]/f", "zone" },
	{ "ipv6_zone_slash", "ftp://[fe80::1%25a%2fb]/f", "zone" },
	{ "ipv6_zone_colon", "ftp://[fe80::1%25a:b]/f", "zone" },
	{ "ipv6_zone_ctrl", "ftp://[fe80::1%25a%0a]/f", "zone" },
	{ "ipv6_zone_bad_pct", "ftp://[fe80::1%25a%zz]/f", "zone" },
	{ "ipv6_zone_not_link_local", "ftp://[2001:db8::1%25eth0]/f", "not link-local" },
	{ "ipv6_link_local_no_zone", "ftp://[fe80::1]/f", "needs a zone" },
	{ "ipv6_link_local_no_zone_2", "ftp://[febf::1]:21/f", "needs a zone" },
	{ "ipv4_leading_zero", "ftp://127.0.0.01/f", "host" },
	{ "ipv4_256", "ftp://1.2.3.256/f", "host" },
	{ "ipv4_three_parts", "ftp://1.2.3/f", "host" },
	{ "ipv4_five_parts", "ftp://1.2.3.4.5/f", "host" },
	{ "ipv4_trailing_dot", "ftp://1.2.3.4./f", "host" },
	{ "ipv4_empty_part", "ftp://1..3.4/f", "host" },
	{ "ipv4_sign", "ftp://1.2.3.+4/f", "host" },
	{ "host_underscore", "ftp://a_b/f", "host" },
	{ "empty_user", "ftp://@1.2.3.4/f", "user" },
	{ "empty_user_pass", "ftp://:pw@1.2.3.4/f", "user" },
	{ "port_0", "ftp://1.2.3.4:0/f", "port" },
	{ "port_65536", "ftp://1.2.3.4:65536/f", "port" },
	{ "port_huge", "ftp://1.2.3.4:99999999999999999999999/f", "port" },
	{ "port_empty", "ftp://1.2.3.4:/f", "port" },
	{ "port_letters", "ftp://1.2.3.4:ftp/f", "port" },
	{ "port_sign", "ftp://1.2.3.4:+21/f", "port" },
	{ "port_minus", "ftp://1.2.3.4:-21/f", "port" },
	{ "port_trailing", "ftp://1.2.3.4:21x/f", "port" },
	{ "port_two_colons", "ftp://1.2.3.4:21:21/f", "port" },
	{ "pct_truncated", "ftp://1.2.3.4/f%4", "percent" },
	{ "pct_alone", "ftp://1.2.3.4/f%", "percent" },
	{ "pct_not_hex", "ftp://1.2.3.4/f%zz", "percent" },
	{ "pct_half_hex", "ftp://1.2.3.4/f%4g", "percent" },
	{ "pct_in_user", "ftp://u%x1@1.2.3.4/f", "percent" },
	{ "pct_in_pass", "ftp://u:p%@1.2.3.4/f", "percent" },
	{ "pct_nul_path", "ftp://1.2.3.4/f%00", "control byte or 0xff in URL path" },
	{ "pct_cr_path", "ftp://1.2.3.4/f%0d%0aDELE%20x", "control byte or 0xff in URL path" },
	{ "pct_lf_path", "ftp://1.2.3.4/f%0A", "control byte or 0xff in URL path" },
	{ "pct_cr_user", "ftp://u%0D@1.2.3.4/f", "control byte or 0xff in URL user" },
	{ "pct_lf_pass", "ftp://u:p%0a@1.2.3.4/f", "control byte or 0xff in URL password" },
	{ "pct_nul_pass", "ftp://u:p%00x@1.2.3.4/f", "control byte or 0xff in URL password" },
	/* every other control byte, DEL and 0xff (Telnet IAC), in each part */
	{ "pct_01_path", "ftp://1.2.3.4/f%01", "URL path" },
	{ "pct_tab_path", "ftp://1.2.3.4/a%09b", "URL path" },
	{ "pct_esc_path", "ftp://1.2.3.4/%1b[2J", "URL path" },
	{ "pct_1f_path", "ftp://1.2.3.4/f%1F", "URL path" },
	{ "pct_del_path", "ftp://1.2.3.4/f%7f", "URL path" },
	{ "pct_iac_path", "ftp://1.2.3.4/f%ff%f4", "URL path" },
	{ "pct_iac_upper_path", "ftp://1.2.3.4/%FFf", "URL path" },
	{ "pct_tab_user", "ftp://u%09@1.2.3.4/f", "URL user" },
	{ "pct_del_user", "ftp://%7Fu:p@1.2.3.4/f", "URL user" },
	{ "pct_iac_user", "ftp://u%ff@1.2.3.4/f", "URL user" },
	{ "pct_esc_pass", "ftp://u:%1b@1.2.3.4/f", "URL password" },
	{ "pct_del_pass", "ftp://u:p%7F@1.2.3.4/f", "URL password" },
	{ "pct_iac_pass", "ftp://u:p%FFx@1.2.3.4/f", "URL password" },
	{ "raw_cr", "ftp://1.2.3.4/f\rDELE x", "control" },
	{ "raw_lf", "ftp://1.2.3.4/f\nDELE", "control" },
	{ "raw_blank", "ftp://1.2.3.4/a b", "blank" },
	{ "raw_tab", "ftp://1.2.3.4/a\tb", "blank" },
	{ "raw_del", "ftp://1.2.3.4/a\x7f", "control" },
	{ "raw_high_byte", "ftp://1.2.3.4/caf\xc3\xa9", "non-ASCII" },
};

static void url_bad_desc(const struct url_bad *c, char *desc)
{
	kftp_strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(url_bad, url_bad_cases, url_bad_desc);

static void kftp_url_bad_test(struct kunit *test)
{
	const struct url_bad *c = test->param_value;
	size_t len = strlen(c->url);
	char *url = kunit_kzalloc(test, len + 1, GFP_KERNEL);
	char *display = kunit_kzalloc(test, len + 4, GFP_KERNEL);
	const char *reason = NULL;
	struct kftp_url u;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, url);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, display);
	memcpy(url, c->url, len);
	KUNIT_EXPECT_EQ(test, kftp_url_parse(url, display, len + 4, &u, &reason), -EINVAL);
	KUNIT_ASSERT_NOT_NULL(test, reason);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(reason, c->reason),
				  "reason \"%s\" does not mention \"%s\"", reason, c->reason);
}

/*
 * The display buffer: strlen(url) + 4 bytes always suffice (an empty
 * password becomes "***"), and the masked form is there even when parsing
 * fails later, so an error message never shows the password.
 */
static void kftp_url_display_test(struct kunit *test)
{
	static const char bad[] = "ftp://u:p@1.2.3.4:70000/f";
	static const char empty_pass[] = "ftp://u:@1.2.3.4/f";
	char url[sizeof(bad)];
	char display[sizeof(bad) + 3 + 1];
	const char *reason = NULL;
	struct kftp_url u;

	memcpy(url, bad, sizeof(bad));
	KUNIT_EXPECT_EQ(test, kftp_url_parse(url, display, sizeof(bad) + 3, &u, &reason),
			-EINVAL);
	KUNIT_EXPECT_STREQ(test, display, "ftp://u:***@1.2.3.4:70000/f");

	/* the largest growth, exactly strlen(url) + 4 bytes; one canary byte */
	memcpy(url, empty_pass, sizeof(empty_pass));
	memset(display, 'x', sizeof(display));
	KUNIT_EXPECT_EQ(test, kftp_url_parse(url, display, sizeof(empty_pass) + 3, &u, &reason),
			0);
	KUNIT_EXPECT_STREQ(test, display, "ftp://u:***@1.2.3.4/f");
	KUNIT_EXPECT_EQ(test, display[sizeof(empty_pass) + 3], 'x');
}

/* A directory URL (list): an empty path or a final '/' are allowed. */
static void kftp_url_dir_test(struct kunit *test)
{
	static const char * const good[][2] = {
		{ "ftp://1.2.3.4/", "" },
		{ "ftp://1.2.3.4/pub/", "pub/" },
		{ "ftp://1.2.3.4/pub", "pub" },
		{ "ftp://u:p@1.2.3.4:21/a%20b/", "a b/" },
	};
	char url[64], display[68];
	const char *reason = NULL;
	struct kftp_url u;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(good); i++) {
		kftp_strscpy(url, good[i][0], sizeof(url));
		KUNIT_EXPECT_EQ_MSG(test, kftp_url_parse_dir(url, display, sizeof(display), &u,
							     &reason), 0, "%s", good[i][0]);
		KUNIT_EXPECT_STREQ(test, u.path, good[i][1]);
	}
	/* still a URL: no path at all, a bad byte, a bad host */
	kftp_strscpy(url, "ftp://1.2.3.4", sizeof(url));
	KUNIT_EXPECT_EQ(test, kftp_url_parse_dir(url, display, sizeof(display), &u, &reason),
			-EINVAL);
	kftp_strscpy(url, "ftp://1.2.3.4/a%0a/", sizeof(url));
	KUNIT_EXPECT_EQ(test, kftp_url_parse_dir(url, display, sizeof(display), &u, &reason),
			-EINVAL);
	kftp_strscpy(url, "ftp://1.2.3/a/", sizeof(url));
	KUNIT_EXPECT_EQ(test, kftp_url_parse_dir(url, display, sizeof(display), &u, &reason),
			-EINVAL);
}

static struct kunit_case kftp_url_cases[] = {
	KUNIT_CASE(kftp_url_dir_test),
	KUNIT_CASE_PARAM(kftp_parse_uint_test, uint_gen_params),
	KUNIT_CASE_PARAM(kftp_parse_ipv4_test, ipv4_gen_params),
	KUNIT_CASE(kftp_parse_ipv4_len_test),
	KUNIT_CASE_PARAM(kftp_parse_ipv6_test, ipv6_gen_params),
	KUNIT_CASE(kftp_parse_addr_test),
	KUNIT_CASE_PARAM(kftp_url_good_test, url_good_gen_params),
	KUNIT_CASE_PARAM(kftp_url_bad_test, url_bad_gen_params),
	KUNIT_CASE(kftp_url_display_test),
	{}
};

static struct kunit_suite kftp_url_suite = {
	.name = "kftp_url",
	.test_cases = kftp_url_cases,
};

/* ---- kftp_request_parse ---- */

struct req_good {
	const char *name;
	const char *line;
	const char *user;
	const char *pass;
	const char *rpath;
	u8 addr[4];
	u16 port;
	const char *local;
	enum kftp_mode mode;
	bool has_src;
	u8 src[16];
	unsigned int timeout;
	bool wait;
	const char *display;
	unsigned int deadline;
	u64 min_rate;
	u64 max_size;
	enum kftp_verb verb;
	bool names;
	bool raw;
	bool mtime;
	bool resume;
	u64 rate;
	unsigned int retries;
	u8 family;
	bool mkdirs;
	unsigned int segments;	/* 0: the default, 1 */
	bool ascii;		/* type=ascii */
	bool sha256;		/* sha256=SHA_EMPTY */
	enum kftp_tls tls;
	const char *tlsname;	/* NULL: "" */
};

#define LIMITS(d, r, m)	.deadline = (d), .min_rate = (r), .max_size = (m)
#define COMMON_OPTIONS	"wait mode=active src=1.1.1.1 timeout=5 deadline=1 min_rate=1 " \
			"max_size=1 rate=1 retries=1 family=4 mkdirs"
/* the digest of no bytes at all */
#define SHA_EMPTY	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define EVERY_OPTION	COMMON_OPTIONS " mtime resume sha256=" SHA_EMPTY
#define EVERY_LIST_OPTION COMMON_OPTIONS " names raw"

static const struct req_good req_good_cases[] = {
	{ "minimal", "get ftp://192.0.2.1/pub/file.txt /tmp/file.txt",
	  NULL, NULL, "pub/file.txt", IP(192, 0, 2, 1), 21, "/tmp/file.txt",
	  KFTP_MODE_PASSIVE, false, {}, 30, false, "ftp://192.0.2.1/pub/file.txt" },
	{ "user_pass_port", "get ftp://alice:s3cret@10.0.0.2:2121/data/x.bin /srv/x.bin",
	  "alice", "s3cret", "data/x.bin", IP(10, 0, 0, 2), 2121, "/srv/x.bin",
	  KFTP_MODE_PASSIVE, false, {}, 30, false,
	  "ftp://alice:***@10.0.0.2:2121/data/x.bin" },
	{ "all_options", "get ftp://1.2.3.4/f /tmp/f mode=active src=10.1.2.3 timeout=3600 wait",
	  NULL, NULL, "f", IP(1, 2, 3, 4), 21, "/tmp/f",
	  KFTP_MODE_ACTIVE, true, IP(10, 1, 2, 3), 3600, true, "ftp://1.2.3.4/f" },
	{ "options_reordered", "get ftp://1.2.3.4/f /f wait timeout=1 src=0.0.0.0 mode=passive",
	  NULL, NULL, "f", IP(1, 2, 3, 4), 21, "/f",
	  KFTP_MODE_PASSIVE, true, IP(0, 0, 0, 0), 1, true, "ftp://1.2.3.4/f" },
	{ "mode_active", "get ftp://1.2.3.4/f /f mode=active",
	  NULL, NULL, "f", IP(1, 2, 3, 4), 21, "/f",
	  KFTP_MODE_ACTIVE, false, {}, 30, false, "ftp://1.2.3.4/f" },
	{ "timeout_only", "get ftp://1.2.3.4/f /f timeout=45",
	  NULL, NULL, "f", IP(1, 2, 3, 4), 21, "/f",
	  KFTP_MODE_PASSIVE, false, {}, 45, false, "ftp://1.2.3.4/f" },
	{ "blanks_and_tabs", " \tget\tftp://1.2.3.4/f  \t /f   wait \t",
	  NULL, NULL, "f", IP(1, 2, 3, 4), 21, "/f",
	  KFTP_MODE_PASSIVE, false, {}, 30, true, "ftp://1.2.3.4/f" },
	{ "quoted_path_blanks", "get ftp://1.2.3.4/f \"/tmp/my file  x\"",
	  NULL, NULL, "f", IP(1, 2, 3, 4), 21, "/tmp/my file  x",
	  KFTP_MODE_PASSIVE, false, {}, 30, false, "ftp://1.2.3.4/f" },
	{ "quoted_escapes", "get \"ftp://1.2.3.4/f\" \"/tmp/a \\\"q\\\" b\\\\c\" \"wait\"",
	  NULL, NULL, "f", IP(1, 2, 3, 4), 21, "/tmp/a \"q\" b\\c",
	  KFTP_MODE_PASSIVE, false, {}, 30, true, "ftp://1.2.3.4/f" },
	{ "quoted_other_backslash", "get ftp://1.2.3.4/f \"/tmp/a\\nb\"",
	  NULL, NULL, "f", IP(1, 2, 3, 4), 21, "/tmp/a\\nb",
	  KFTP_MODE_PASSIVE, false, {}, 30, false, "ftp://1.2.3.4/f" },
	{ "quoted_url_with_quote", "get \"ftp://1.2.3.4/a\\\"b\" /f",
	  NULL, NULL, "a\"b", IP(1, 2, 3, 4), 21, "/f",
	  KFTP_MODE_PASSIVE, false, {}, 30, false, "ftp://1.2.3.4/a\"b" },
	{ "pct_decoded", "get ftp://a%20b:p%40w@1.2.3.4/my%20dir/f%2Bg /f",
	  "a b", "p@w", "my dir/f+g", IP(1, 2, 3, 4), 21, "/f",
	  KFTP_MODE_PASSIVE, false, {}, 30, false, "ftp://a%20b:***@1.2.3.4/my%20dir/f%2Bg" },
	{ "local_dotfiles", "get ftp://1.2.3.4/f /a/..b/.hidden.",
	  NULL, NULL, "f", IP(1, 2, 3, 4), 21, "/a/..b/.hidden.",
	  KFTP_MODE_PASSIVE, false, {}, 30, false, "ftp://1.2.3.4/f" },
	{ "local_utf8", "get ftp://1.2.3.4/f /tmp/caf\xc3\xa9",
	  NULL, NULL, "f", IP(1, 2, 3, 4), 21, "/tmp/caf\xc3\xa9",
	  KFTP_MODE_PASSIVE, false, {}, 30, false, "ftp://1.2.3.4/f" },
	{ "upper_scheme", "get FTP://u@1.2.3.4:65535/F /F",
	  "u", NULL, "F", IP(1, 2, 3, 4), 65535, "/F",
	  KFTP_MODE_PASSIVE, false, {}, 30, false, "ftp://u@1.2.3.4:65535/F" },
	/* deadline=, min_rate= and max_size= */
	{ "every_option", "get ftp://1.2.3.4/f /f " EVERY_OPTION,
	  NULL, NULL, "f", IP(1, 2, 3, 4), 21, "/f",
	  KFTP_MODE_ACTIVE, true, IP(1, 1, 1, 1), 5, true, "ftp://1.2.3.4/f", LIMITS(1, 1, 1),
	  .mtime = true, .resume = true, .rate = 1, .retries = 1, .family = KFTP_AF_INET,
	  .mkdirs = true, .sha256 = true },
	/* type=: with every other option a get may have, within the words */
	{ "every_option_type_binary", "get ftp://1.2.3.4/f /f " EVERY_OPTION " type=binary",
	  NULL, NULL, "f", IP(1, 2, 3, 4), 21, "/f",
	  KFTP_MODE_ACTIVE, true, IP(1, 1, 1, 1), 5, true, "ftp://1.2.3.4/f", LIMITS(1, 1, 1),
	  .mtime = true, .resume = true, .rate = 1, .retries = 1, .family = KFTP_AF_INET,
	  .mkdirs = true, .sha256 = true },
	/* TLS: tls= on ftp://, ftps:// alone or with tls=required */
	{ "every_option_tls", "get ftp://1.2.3.4/f /f " EVERY_OPTION
	  " type=binary tls=required tlsname=files.example.org",
	  NULL, NULL, "f", IP(1, 2, 3, 4), 21, "/f",
	  KFTP_MODE_ACTIVE, true, IP(1, 1, 1, 1), 5, true, "ftp://1.2.3.4/f", LIMITS(1, 1, 1),
	  .mtime = true, .resume = true, .rate = 1, .retries = 1, .family = KFTP_AF_INET,
	  .mkdirs = true, .sha256 = true, .tls = KFTP_TLS_REQUIRED,
	  .tlsname = "files.example.org" },
	{ "tls_control", "put /f ftp://u:p@1.2.3.4/f tls=control",
	  "u", "p", "f", IP(1, 2, 3, 4), 21, "/f",
	  KFTP_MODE_PASSIVE, false, {}, 30, false, "ftp://u:***@1.2.3.4/f",
	  .verb = KFTP_VERB_PUT, .tls = KFTP_TLS_CONTROL },
	{ "ftps", "get ftps://u:p@1.2.3.4/f /f",
	  "u", "p", "f", IP(1, 2, 3, 4), 990, "/f",
	  KFTP_MODE_PASSIVE, false, {}, 30, false, "ftps://u:***@1.2.3.4/f",
	  .tls = KFTP_TLS_IMPLICIT },
	{ "ftps_tls_required_tlsname_dot", "list ftps://1.2.3.4:21/ /f tls=required tlsname=Ftp.Example.ORG.",
	  NULL, NULL, "", IP(1, 2, 3, 4), 21, "/f",
	  KFTP_MODE_PASSIVE, false, {}, 30, false, "ftps://1.2.3.4:21/",
	  .verb = KFTP_VERB_LIST, .tls = KFTP_TLS_IMPLICIT, .tlsname = "Ftp.Example.ORG" },
	{ "tlsname_address", "get ftp://1.2.3.4/f /f tlsname=2001:db8::1 tls=required",
	  NULL, NULL, "f", IP(1, 2, 3, 4), 21, "/f",
	  KFTP_MODE_PASSIVE, false, {}, 30, false, "ftp://1.2.3.4/f",
	  .tls = KFTP_TLS_REQUIRED, .tlsname = "2001:db8::1" },
	{ "type_ascii", "get ftp://1.2.3.4/f /f type=ascii segments=1 retries=2",
	  NULL, NULL, "f", IP(1, 2, 3, 4), 21, "/f",
	  KFTP_MODE_PASSIVE, false, {}, 30, false, "ftp://1.2.3.4/f", .ascii = true,
	  .retries = 2 },
	{ "sha256_upper_case",
	  "get ftp://1.2.3.4/f /f sha256=E3B0C44298FC1C149AFBF4C8996FB92427ae41e4649b934ca495991b7852B855 wait",
	  NULL, NULL, "f", IP(1, 2, 3, 4), 21, "/f",
	  KFTP_MODE_PASSIVE, false, {}, 30, true, "ftp://1.2.3.4/f", .sha256 = true },
	{ "sha256_segments", "get ftp://1.2.3.4/f /f segments=4 \"sha256=" SHA_EMPTY "\"",
	  NULL, NULL, "f", IP(1, 2, 3, 4), 21, "/f",
	  KFTP_MODE_PASSIVE, false, {}, 30, false, "ftp://1.2.3.4/f", .segments = 4,
	  .sha256 = true },
	{ "mkdirs", "get ftp://1.2.3.4/f /a/b/f mkdirs",
	  NULL, NULL, "f", IP(1, 2, 3, 4), 21, "/a/b/f",
	  KFTP_MODE_PASSIVE, false, {}, 30, false, "ftp://1.2.3.4/f", .mkdirs = true },
	{ "retries_max", "get ftp://1.2.3.4/f /f retries=20",
	  NULL, NULL, "f", IP(1, 2, 3, 4), 21, "/f",
	  KFTP_MODE_PASSIVE, false, {}, 30, false, "ftp://1.2.3.4/f", .retries = 20 },
	{ "retries_0_list", "list ftp://1.2.3.4/d /f retries=0",
	  NULL, NULL, "d", IP(1, 2, 3, 4), 21, "/f",
	  KFTP_MODE_PASSIVE, false, {}, 30, false, "ftp://1.2.3.4/d",
	  .verb = KFTP_VERB_LIST },
	{ "rate", "get ftp://1.2.3.4/f /f rate=1M min_rate=1M",
	  NULL, NULL, "f", IP(1, 2, 3, 4), 21, "/f",
	  KFTP_MODE_PASSIVE, false, {}, 30, false, "ftp://1.2.3.4/f", LIMITS(0, 1 << 20, 0),
	  .rate = 1 << 20 },
	{ "rate_max", "list ftp://1.2.3.4/d /f rate=4G",
	  NULL, NULL, "d", IP(1, 2, 3, 4), 21, "/f",
	  KFTP_MODE_PASSIVE, false, {}, 30, false, "ftp://1.2.3.4/d",
	  .verb = KFTP_VERB_LIST, .rate = 4ULL << 30 },
	{ "segments", "get ftp://1.2.3.4/f /f segments=16 mtime min_rate=1 wait",
	  NULL, NULL, "f", IP(1, 2, 3, 4), 21, "/f",
	  KFTP_MODE_PASSIVE, false, {}, 30, true, "ftp://1.2.3.4/f", LIMITS(0, 1, 0),
	  .mtime = true, .segments = 16 },
	{ "segments_1", "get ftp://1.2.3.4/f /f segments=1 resume rate=1",
	  NULL, NULL, "f", IP(1, 2, 3, 4), 21, "/f",
	  KFTP_MODE_PASSIVE, false, {}, 30, false, "ftp://1.2.3.4/f",
	  .resume = true, .rate = 1, .segments = 1 },
	{ "resume", "get ftp://1.2.3.4/f /f resume wait",
	  NULL, NULL, "f", IP(1, 2, 3, 4), 21, "/f",
	  KFTP_MODE_PASSIVE, false, {}, 30, true, "ftp://1.2.3.4/f", .resume = true },
	{ "mtime", "get ftp://1.2.3.4/f /f mtime",
	  NULL, NULL, "f", IP(1, 2, 3, 4), 21, "/f",
	  KFTP_MODE_PASSIVE, false, {}, 30, false, "ftp://1.2.3.4/f", .mtime = true },
	/* list: a directory URL, with or without its final slash */
	{ "list", "list ftp://1.2.3.4/pub/ /tmp/pub.txt",
	  NULL, NULL, "pub/", IP(1, 2, 3, 4), 21, "/tmp/pub.txt",
	  KFTP_MODE_PASSIVE, false, {}, 30, false, "ftp://1.2.3.4/pub/",
	  .verb = KFTP_VERB_LIST },
	{ "list_no_slash", "list ftp://u:p@1.2.3.4/pub /l wait",
	  "u", "p", "pub", IP(1, 2, 3, 4), 21, "/l",
	  KFTP_MODE_PASSIVE, false, {}, 30, true, "ftp://u:***@1.2.3.4/pub",
	  .verb = KFTP_VERB_LIST },
	{ "list_login_dir", "list ftp://1.2.3.4/ /l",
	  NULL, NULL, "", IP(1, 2, 3, 4), 21, "/l",
	  KFTP_MODE_PASSIVE, false, {}, 30, false, "ftp://1.2.3.4/",
	  .verb = KFTP_VERB_LIST },
	{ "list_every_option", "list ftp://1.2.3.4/d /l " EVERY_LIST_OPTION,
	  NULL, NULL, "d", IP(1, 2, 3, 4), 21, "/l",
	  KFTP_MODE_ACTIVE, true, IP(1, 1, 1, 1), 5, true, "ftp://1.2.3.4/d", LIMITS(1, 1, 1),
	  .verb = KFTP_VERB_LIST, .names = true, .raw = true, .rate = 1, .retries = 1,
	  .family = KFTP_AF_INET, .mkdirs = true },
	{ "deadline_max", "get ftp://1.2.3.4/f /f deadline=604800",
	  NULL, NULL, "f", IP(1, 2, 3, 4), 21, "/f",
	  KFTP_MODE_PASSIVE, false, {}, 30, false, "ftp://1.2.3.4/f", LIMITS(604800, 0, 0) },
	{ "limits_reordered", "get ftp://1.2.3.4/f /f max_size=10 wait deadline=1 min_rate=7",
	  NULL, NULL, "f", IP(1, 2, 3, 4), 21, "/f",
	  KFTP_MODE_PASSIVE, false, {}, 30, true, "ftp://1.2.3.4/f", LIMITS(1, 7, 10) },
	{ "suffix_k_m_g", "get ftp://1.2.3.4/f /f min_rate=1K max_size=3G deadline=60",
	  NULL, NULL, "f", IP(1, 2, 3, 4), 21, "/f",
	  KFTP_MODE_PASSIVE, false, {}, 30, false, "ftp://1.2.3.4/f",
	  LIMITS(60, 1024, 3ULL << 30) },
	{ "suffix_m_leading_zeros", "get ftp://1.2.3.4/f /f max_size=0016M deadline=007",
	  NULL, NULL, "f", IP(1, 2, 3, 4), 21, "/f",
	  KFTP_MODE_PASSIVE, false, {}, 30, false, "ftp://1.2.3.4/f", LIMITS(7, 0, 16 << 20) },
	{ "bytes_u64_max", "get ftp://1.2.3.4/f /f max_size=18446744073709551615",
	  NULL, NULL, "f", IP(1, 2, 3, 4), 21, "/f",
	  KFTP_MODE_PASSIVE, false, {}, 30, false, "ftp://1.2.3.4/f", LIMITS(0, 0, U64_MAX) },
	{ "bytes_largest_k", "get ftp://1.2.3.4/f /f min_rate=18014398509481983K",
	  NULL, NULL, "f", IP(1, 2, 3, 4), 21, "/f",
	  KFTP_MODE_PASSIVE, false, {}, 30, false, "ftp://1.2.3.4/f",
	  LIMITS(0, (U64_MAX >> 10) << 10, 0) },
	{ "bytes_largest_g", "get ftp://1.2.3.4/f /f max_size=17179869183G",
	  NULL, NULL, "f", IP(1, 2, 3, 4), 21, "/f",
	  KFTP_MODE_PASSIVE, false, {}, 30, false, "ftp://1.2.3.4/f",
	  LIMITS(0, 0, (U64_MAX >> 30) << 30) },
};

static const u8 sha_empty[KFTP_SHA256_SIZE] = {
	0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8,
	0x99, 0x6f, 0xb9, 0x24, 0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c,
	0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
};

static void req_good_desc(const struct req_good *c, char *desc)
{
	kftp_strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(req_good, req_good_cases, req_good_desc);

static struct kftp_request *alloc_req(struct kunit *test)
{
	struct kftp_request *req = kunit_kzalloc(test, sizeof(*req), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, req);
	/* stale values a previous request could have left */
	req->opts.mode = KFTP_MODE_ACTIVE;
	req->opts.src.family = KFTP_AF_INET6;
	req->opts.family = KFTP_AF_INET6;
	req->opts.timeout = 7;
	req->opts.wait = true;
	req->verb = KFTP_VERB_CANCEL;
	req->cancel_id = 7;
	req->opts.deadline = 7;
	req->opts.min_rate = 7;
	req->opts.max_size = 7;
	req->opts.names = true;
	req->opts.raw = true;
	req->opts.mtime = true;
	req->opts.resume = true;
	req->opts.rate = 7;
	req->opts.retries = 7;
	req->opts.mkdirs = true;
	req->opts.segments = 7;
	req->opts.has_sha256 = true;
	return req;
}

static void kftp_request_good_test(struct kunit *test)
{
	const struct req_good *c = test->param_value;
	struct kftp_request *req = alloc_req(test);
	const char *reason = NULL;
	int ret;

	ret = kftp_request_parse(c->line, strlen(c->line), req, &reason);
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "reason: %s", reason ? reason : "(none)");

	if (c->user)
		KUNIT_EXPECT_STREQ(test, req->url.user, c->user);
	else
		KUNIT_EXPECT_PTR_EQ(test, req->url.user, (char *)NULL);
	if (c->pass)
		KUNIT_EXPECT_STREQ(test, req->url.pass, c->pass);
	else
		KUNIT_EXPECT_PTR_EQ(test, req->url.pass, (char *)NULL);
	KUNIT_EXPECT_STREQ(test, req->url.path, c->rpath);
	KUNIT_EXPECT_EQ(test, req->url.addr.family, KFTP_AF_INET);
	KUNIT_EXPECT_EQ(test, memcmp(req->url.addr.bytes, c->addr, 4), 0);
	KUNIT_EXPECT_EQ(test, req->url.port, c->port);
	KUNIT_EXPECT_STREQ(test, req->url.display, c->display);
	KUNIT_EXPECT_STREQ(test, req->local_path, c->local);
	KUNIT_EXPECT_EQ(test, req->opts.mode, c->mode);
	KUNIT_EXPECT_EQ(test, req->opts.src.family, c->has_src ? KFTP_AF_INET : 0);
	if (c->has_src)
		KUNIT_EXPECT_EQ(test, memcmp(req->opts.src.bytes, c->src, 16), 0);
	KUNIT_EXPECT_EQ(test, req->opts.timeout, c->timeout);
	KUNIT_EXPECT_EQ(test, req->opts.wait, c->wait);
	KUNIT_EXPECT_EQ(test, req->verb, c->verb);
	KUNIT_EXPECT_EQ(test, req->opts.names, c->names);
	KUNIT_EXPECT_EQ(test, req->opts.raw, c->raw);
	KUNIT_EXPECT_EQ(test, req->opts.mtime, c->mtime);
	KUNIT_EXPECT_EQ(test, req->opts.resume, c->resume);
	KUNIT_EXPECT_EQ(test, req->opts.rate, c->rate);
	KUNIT_EXPECT_EQ(test, req->opts.retries, c->retries);
	KUNIT_EXPECT_EQ(test, req->opts.mkdirs, c->mkdirs);
	KUNIT_EXPECT_EQ(test, req->opts.segments, c->segments ? c->segments : 1);
	KUNIT_EXPECT_EQ(test, req->opts.deadline, c->deadline);
	KUNIT_EXPECT_EQ(test, req->opts.min_rate, c->min_rate);
	KUNIT_EXPECT_EQ(test, req->opts.max_size, c->max_size);
	KUNIT_EXPECT_EQ(test, req->opts.family, c->family);
	KUNIT_EXPECT_EQ(test, req->opts.ascii, c->ascii);
	KUNIT_EXPECT_EQ(test, req->opts.has_sha256, c->sha256);
	if (c->sha256)
		KUNIT_EXPECT_EQ(test, memcmp(req->opts.sha256, sha_empty, sizeof(sha_empty)), 0);
	KUNIT_EXPECT_EQ(test, req->opts.tls, c->tls);
	KUNIT_EXPECT_STREQ(test, req->opts.tlsname, c->tlsname ? c->tlsname : "");
	KUNIT_EXPECT_EQ(test, req->url.implicit_tls, c->tls == KFTP_TLS_IMPLICIT);
}

struct req_bad {
	const char *name;
	const char *line;
	size_t len;		/* 0: strlen(line) */
	const char *reason;	/* a word the reason must contain */
};

#define U "ftp://1.2.3.4/f"
#define N "ftp://ftp.example.org/f"
/* addr=: as many as it takes */
#define ADDRS_16 "10.0.0.1,10.0.0.2,10.0.0.3,10.0.0.4,10.0.0.5,10.0.0.6,10.0.0.7," \
		 "10.0.0.8,10.0.0.9,10.0.0.10,10.0.0.11,10.0.0.12,10.0.0.13," \
		 "10.0.0.14,10.0.0.15,10.0.0.16"
/* SHA_EMPTY but its last digit */
#define SHA_63 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85"

static const struct req_bad req_bad_cases[] = {
	/* verb */
	{ "verb_send", "send " U " /f", 0, "verb" },
	{ "verb_put_upper", "PUT /f " U, 0, "verb" },
	/* put PATH URL */
	{ "put_url_first", "put " U " /f", 0, "ftp://" },
	{ "put_missing_url", "put /f", 0, "missing URL" },
	{ "put_missing_both", "put", 0, "missing local path" },
	{ "put_path_is_dir", "put /tmp/ " U, 0, "does not name a file" },
	{ "put_append_atomic", "put /f " U " append atomic", 0, "exclude" },
	{ "put_atomic_resume", "put /f " U " atomic mkdirs resume", 0, "exclude" },
	{ "put_resume_append", "put /f " U " resume append", 0, "exclude" },
	{ "put_append_twice", "put /f " U " append append", 0, "twice" },
	{ "put_mkdirs_twice", "put /f " U " mkdirs wait mkdirs", 0, "twice" },
	{ "put_option_value", "put /f " U " append=1", 0, "unknown option" },
	{ "get_append", "get " U " /f append", 0, "for put" },
	{ "get_atomic", "get " U " /f atomic", 0, "for put" },
	{ "verb_upper", "GET " U " /f", 0, "verb" },
	{ "verb_prefix", "gets " U " /f", 0, "verb" },
	{ "verb_url_first", U " /f", 0, "verb" },
	/* missing words */
	{ "missing_url", "get", 0, "URL" },
	{ "missing_url_blanks", "  get  ", 0, "URL" },
	{ "missing_path", "get " U, 0, "local path" },
	/* local path */
	{ "path_relative", "get " U " tmp/f", 0, "absolute" },
	{ "path_dot_relative", "get " U " ./f", 0, "absolute" },
	{ "path_empty_quoted", "get " U " \"\"", 0, "absolute" },
	{ "path_root", "get " U " /", 0, "file" },
	{ "path_trailing_slash", "get " U " /tmp/", 0, "file" },
	{ "path_dot", "get " U " /tmp/.", 0, "file" },
	{ "path_dotdot", "get " U " /tmp/..", 0, "file" },
	{ "path_ctrl", "get " U " /tmp/a\001b", 0, "control" },
	{ "path_del", "get " U " /tmp/a\x7f", 0, "control" },
	{ "path_quoted_tab", "get " U " \"/tmp/a\tb\"", 0, "control" },
	{ "path_esc", "get " U " /tmp/\x1b[2J", 0, "control" },
	/* quoting */
	{ "quote_unterminated", "get " U " \"/tmp/f", 0, "quote" },
	{ "quote_escaped_end", "get " U " \"/tmp/f\\\"", 0, "quote" },
	{ "quote_text_after", "get " U " \"/tmp/f\"x", 0, "quote" },
	{ "quote_inside_word", "get " U " /tmp/a\"b\"", 0, "quote" },
	{ "quote_unterminated_opt", "get " U " /f \"wait", 0, "quote" },
	/* URL */
	{ "url_http", "get http://1.2.3.4/f /f", 0, "ftp://" },
	{ "url_no_path", "get ftp://1.2.3.4 /f", 0, "remote path" },
	{ "url_dir", "get ftp://1.2.3.4/pub/ /f", 0, "remote file" },
	{ "url_empty_file", "get ftp://1.2.3.4/ /f", 0, "remote file" },
	{ "url_bad_host_name", "get ftp://example..org/f /f", 0, "empty label" },
	{ "family_5", "get " U " /f family=5", 0, "family" },
	{ "family_empty", "get " U " /f family=", 0, "family" },
	{ "family_inet6", "get " U " /f family=inet6", 0, "family" },
	{ "family_6_ipv4", "get " U " /f family=6", 0, "family" },
	{ "family_4_ipv6", "get ftp://[::1]/f /f family=4", 0, "family" },
	{ "family_6_src_4", "get ftp://ftp.example.org/f /f family=6 src=1.2.3.4", 0, "family" },
	{ "family_4_src_6", "get ftp://ftp.example.org/f /f src=::1 family=4", 0, "family" },
	{ "dup_family", "get ftp://ftp.example.org/f /f family=4 family=4", 0, "twice" },
	{ "url_bad_ipv6", "get ftp://[::1::]:21/f /f", 0, "IPv6" },
	{ "url_bad_ipv4", "get ftp://1.2.3.04/f /f", 0, "host" },
	{ "url_empty_user", "get ftp://@1.2.3.4/f /f", 0, "user" },
	{ "url_quoted_blank", "get \"ftp://1.2.3.4/a b\" /f", 0, "blank" },
	/* port */
	{ "port_0", "get ftp://1.2.3.4:0/f /f", 0, "port" },
	{ "port_65536", "get ftp://1.2.3.4:65536/f /f", 0, "port" },
	{ "port_empty", "get ftp://1.2.3.4:/f /f", 0, "port" },
	{ "port_name", "get ftp://1.2.3.4:ftp/f /f", 0, "port" },
	/* percent-decoding */
	{ "pct_short", "get ftp://1.2.3.4/f%2 /f", 0, "percent" },
	{ "pct_bad_hex", "get ftp://1.2.3.4/f%g1 /f", 0, "percent" },
	{ "pct_nul", "get ftp://1.2.3.4/f%00 /f", 0, "URL path" },
	{ "pct_crlf_path", "get ftp://1.2.3.4/f%0D%0ADELE%20g /f", 0, "URL path" },
	{ "pct_lf_user", "get ftp://u%0a@1.2.3.4/f /f", 0, "URL user" },
	{ "pct_cr_pass", "get ftp://u:p%0d@1.2.3.4/f /f", 0, "URL password" },
	{ "pct_iac_path", "get ftp://1.2.3.4/f%FF%F4 /f", 0, "URL path" },
	{ "pct_esc_user", "get ftp://%1B@1.2.3.4/f /f", 0, "URL user" },
	{ "pct_del_pass", "get ftp://u:%7f@1.2.3.4/f /f", 0, "URL password" },
	/* CR/LF injection in the line itself */
	{ "raw_cr_url", "get ftp://1.2.3.4/f\rDELE /f", 0, "control" },
	{ "raw_lf_url", "get ftp://1.2.3.4/f\nDELE /f", 0, "control" },
	{ "raw_crlf_quoted_url", "get \"ftp://1.2.3.4/f\r\nDELE g\" /f", 0, "control" },
	{ "raw_cr_path", "get " U " /tmp/f\r", 0, "control" },
	{ "raw_lf_path", "get " U " \"/tmp/f\ng\"", 0, "control" },
	{ "raw_cr_option", "get " U " /f wait\r", 0, "option" },
	{ "raw_nul", "get " U " /f\0wait", sizeof("get " U " /f\0wait") - 1, "NUL" },
	/* options */
	{ "opt_unknown", "get " U " /f fast", 0, "unknown option" },
	{ "opt_case", "get " U " /f Wait", 0, "unknown option" },
	{ "opt_no_value", "get " U " /f mode", 0, "unknown option" },
	{ "opt_timeout_no_eq", "get " U " /f timeout", 0, "unknown option" },
	{ "opt_blank_eq", "get " U " /f mode =active", 0, "unknown option" },
	{ "opt_wait_value", "get " U " /f wait=1", 0, "unknown option" },
	{ "mode_upper", "get " U " /f mode=PASSIVE", 0, "mode" },
	{ "mode_empty", "get " U " /f mode=", 0, "mode" },
	{ "mode_port", "get " U " /f mode=port", 0, "mode" },
	{ "src_empty", "get " U " /f src=", 0, "src" },
	{ "src_short", "get " U " /f src=10.0.0", 0, "src" },
	{ "src_leading_zero", "get " U " /f src=10.0.0.01", 0, "src" },
	{ "src_host", "get " U " /f src=localhost", 0, "src" },
	{ "src_bad_ipv6", "get " U " /f src=::1::2", 0, "src" },
	{ "src_bracketed", "get " U " /f src=[::1]", 0, "src" },
	{ "src_zone", "get " U " /f src=fe80::1%eth0", 0, "src" },
	{ "src_ipv6_server_ipv4", "get " U " /f src=::1", 0, "family" },
	{ "src_ipv4_server_ipv6", "get ftp://[::1]/f /f src=127.0.0.1", 0, "family" },
	{ "src_mapped_server_ipv6", "get ftp://[::1]/f /f src=::ffff:1.2.3.4", 0, "family" },
	{ "timeout_0", "get " U " /f timeout=0", 0, "timeout" },
	{ "timeout_3601", "get " U " /f timeout=3601", 0, "timeout" },
	{ "timeout_empty", "get " U " /f timeout=", 0, "timeout" },
	{ "timeout_negative", "get " U " /f timeout=-1", 0, "timeout" },
	{ "timeout_fraction", "get " U " /f timeout=1.5", 0, "timeout" },
	{ "timeout_huge", "get " U " /f timeout=18446744073709551617", 0, "timeout" },
	{ "dup_wait", "get " U " /f wait wait", 0, "twice" },
	{ "dup_mode", "get " U " /f mode=active mode=passive", 0, "twice" },
	{ "dup_src", "get " U " /f src=1.1.1.1 src=2.2.2.2", 0, "twice" },
	{ "dup_timeout", "get " U " /f timeout=5 timeout=5", 0, "twice" },
	/* deadline= */
	{ "deadline_0", "get " U " /f deadline=0", 0, "deadline" },
	{ "deadline_604801", "get " U " /f deadline=604801", 0, "deadline" },
	{ "deadline_empty", "get " U " /f deadline=", 0, "deadline" },
	{ "deadline_negative", "get " U " /f deadline=-5", 0, "deadline" },
	{ "deadline_suffix", "get " U " /f deadline=1K", 0, "deadline" },
	{ "deadline_fraction", "get " U " /f deadline=0.5", 0, "deadline" },
	{ "deadline_huge", "get " U " /f deadline=18446744073709551617", 0, "deadline" },
	{ "deadline_no_eq", "get " U " /f deadline", 0, "unknown option" },
	/* min_rate= and max_size= */
	{ "min_rate_0", "get " U " /f min_rate=0", 0, "min_rate" },
	{ "min_rate_0k", "get " U " /f min_rate=0K", 0, "min_rate" },
	{ "min_rate_empty", "get " U " /f min_rate=", 0, "min_rate" },
	{ "min_rate_suffix_only", "get " U " /f min_rate=K", 0, "min_rate" },
	{ "min_rate_lower_k", "get " U " /f min_rate=1k", 0, "min_rate" },
	{ "min_rate_two_suffixes", "get " U " /f min_rate=1KM", 0, "min_rate" },
	{ "min_rate_t", "get " U " /f min_rate=1T", 0, "min_rate" },
	{ "min_rate_unit_word", "get " U " /f min_rate=1KB", 0, "min_rate" },
	{ "min_rate_negative", "get " U " /f min_rate=-1", 0, "min_rate" },
	{ "min_rate_overflow", "get " U " /f min_rate=18446744073709551616", 0, "min_rate" },
	{ "min_rate_overflow_k", "get " U " /f min_rate=18014398509481984K", 0, "min_rate" },
	{ "max_size_0", "get " U " /f max_size=0", 0, "max_size" },
	{ "max_size_empty", "get " U " /f max_size=", 0, "max_size" },
	{ "max_size_fraction", "get " U " /f max_size=1.5M", 0, "max_size" },
	{ "max_size_hex", "get " U " /f max_size=0x10", 0, "max_size" },
	{ "max_size_plus", "get " U " /f max_size=+1", 0, "max_size" },
	{ "max_size_suffix_first", "get " U " /f max_size=M1", 0, "max_size" },
	{ "max_size_overflow_m", "get " U " /f max_size=17592186044416M", 0, "max_size" },
	{ "max_size_overflow_g", "get " U " /f max_size=17179869184G", 0, "max_size" },
	{ "max_size_21_digits", "get " U " /f max_size=000000000000000000001", 0, "max_size" },
	{ "max_size_upper_name", "get " U " /f MAX_SIZE=1", 0, "unknown option" },
	{ "dup_deadline", "get " U " /f deadline=5 deadline=6", 0, "twice" },
	{ "dup_min_rate", "get " U " /f min_rate=1 min_rate=1", 0, "twice" },
	{ "dup_max_size", "get " U " /f max_size=1K max_size=2K", 0, "twice" },
	{ "too_many_words", "get " U " /f " EVERY_OPTION " a b c d e f", 0, "too many" },
	{ "every_option_and_one", "get " U " /f " EVERY_OPTION " a", 0, "unknown option" },
	{ "every_option_type_and_one", "get " U " /f " EVERY_OPTION " type=binary a", 0,
	  "unknown option" },
	{ "list_too_many_words", "list " U " /f " EVERY_LIST_OPTION " a b c d e f g h", 0,
	  "too many" },
	/* TLS: two modes, a name or an address, never without TLS */
	{ "tls_empty", "get " U " /f tls=", 0, "tls must" },
	{ "tls_implicit", "get " U " /f tls=implicit", 0, "tls must" },
	{ "tls_upper", "get " U " /f tls=Required", 0, "tls must" },
	{ "tls_flag", "get " U " /f tls", 0, "unknown option" },
	{ "tls_twice", "get " U " /f tls=required tls=control", 0, "twice" },
	{ "tls_control_ftps", "get ftps://1.2.3.4/f /f tls=control", 0, "tls=control" },
	{ "tlsname_no_tls", "get " U " /f tlsname=a.example", 0, "tlsname is for" },
	{ "tlsname_empty", "get " U " /f tls=required tlsname=", 0, "tlsname must" },
	{ "tlsname_bad", "get " U " /f tls=required tlsname=a_b.example", 0, "tlsname must" },
	{ "tlsname_brackets", "get " U " /f tls=required tlsname=[::1]", 0, "tlsname must" },
	{ "tlsname_zone", "get " U " /f tls=required tlsname=fe80::1%eth0", 0, "tlsname must" },
	{ "tlsname_254",
	  "get ftp://1.2.3.4/f /f tls=required tlsname=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc.dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd",
	  0, "tlsname must" },
	/* addr=: addresses only, for a name, of the family asked for */
	{ "addr_url_address", "get " U " /f addr=1.2.3.4", 0, "names its host" },
	{ "addr_empty", "get " N " /f addr=", 0, "addr must" },
	{ "addr_empty_item", "get " N " /f addr=1.2.3.4,,5.6.7.8", 0, "addr must" },
	{ "addr_trailing_comma", "get " N " /f addr=1.2.3.4,", 0, "addr must" },
	{ "addr_leading_comma", "get " N " /f addr=,1.2.3.4", 0, "addr must" },
	{ "addr_name", "get " N " /f addr=ftp.example.org", 0, "addr must" },
	{ "addr_port", "get " N " /f addr=1.2.3.4:21", 0, "addr must" },
	{ "addr_brackets", "get " N " /f addr=[2001:db8::7]", 0, "addr must" },
	{ "addr_zone", "get " N " /f addr=fe80::1%eth0", 0, "addr must" },
	{ "addr_link_local", "get " N " /f addr=1.2.3.4,fe80::1", 0, "addr must" },
	{ "addr_17", "get " N " /f addr=" ADDRS_16 ",10.0.0.17", 0, "addr must" },
	{ "addr_twice", "get " N " /f addr=1.2.3.4 addr=5.6.7.8", 0, "twice" },
	{ "addr_family_none_left", "get " N " /f addr=1.2.3.4 family=6", 0, "no address" },
	{ "addr_src_none_left", "get " N " /f src=10.0.0.1 addr=2001:db8::7", 0, "no address" },
	{ "addr_put_url_address", "put /f " U " addr=1.2.3.4", 0, "names its host" },
	/* options of one verb only */
	{ "get_names", "get " U " /f names", 0, "list only" },
	{ "get_raw", "get " U " /f raw", 0, "list only" },
	{ "put_raw", "put /f " U " raw", 0, "list only" },
	{ "list_mtime", "list " U " /f mtime", 0, "get only" },
	{ "dup_mtime", "get " U " /f mtime mtime", 0, "twice" },
	{ "list_resume", "list " U " /f resume", 0, "get and put" },
	{ "segments_0", "get " U " /f segments=0", 0, "segments must be 1 to 16" },
	{ "segments_17", "get " U " /f segments=17", 0, "segments must be 1 to 16" },
	{ "segments_empty", "get " U " /f segments=", 0, "segments must be 1 to 16" },
	{ "segments_sign", "get " U " /f segments=+2", 0, "segments must be 1 to 16" },
	{ "segments_list", "list " U " /f segments=2", 0, "get only" },
	{ "segments_resume", "get " U " /f segments=2 resume", 0, "segments and resume" },
	{ "segments_rate", "get " U " /f rate=1M segments=4", 0, "segments and rate" },
	{ "dup_segments", "get " U " /f segments=2 segments=2", 0, "twice" },
	{ "dup_resume", "get " U " /f resume wait resume", 0, "twice" },
	{ "resume_value", "get " U " /f resume=1", 0, "unknown option" },
	/* type= */
	{ "type_ebcdic", "get " U " /f type=ebcdic", 0, "type must be ascii or binary" },
	{ "type_letter", "get " U " /f type=A", 0, "type must be ascii or binary" },
	{ "type_upper", "get " U " /f type=ASCII", 0, "type must be ascii or binary" },
	{ "type_empty", "put /f " U " type=", 0, "type must be ascii or binary" },
	{ "type_no_eq", "get " U " /f type", 0, "unknown option" },
	{ "dup_type", "get " U " /f type=ascii type=binary", 0, "twice" },
	{ "type_list", "list " U " /f type=ascii", 0, "get and put" },
	{ "type_ascii_resume", "get " U " /f resume type=ascii", 0,
	  "type=ascii and resume" },
	{ "type_ascii_put_resume", "put /f " U " type=ascii resume", 0,
	  "type=ascii and resume" },
	{ "type_ascii_segments", "get " U " /f type=ascii segments=4", 0,
	  "type=ascii and segments" },
	/* rate= */
	{ "rate_0", "get " U " /f rate=0", 0, "rate" },
	{ "rate_empty", "list " U " /f rate=", 0, "rate" },
	{ "rate_over_4g", "get " U " /f rate=4194305K", 0, "rate" },
	{ "rate_5g", "get " U " /f rate=5G", 0, "rate" },
	{ "rate_lower_k", "get " U " /f rate=1k", 0, "rate" },
	{ "rate_below_min_rate", "get " U " /f min_rate=2M rate=1M", 0, "below min_rate" },
	{ "dup_rate", "get " U " /f rate=1 rate=2", 0, "twice" },
	{ "rate_no_eq", "get " U " /f rate", 0, "unknown option" },
	/* retries= */
	{ "retries_21", "get " U " /f retries=21", 0, "retries" },
	{ "retries_negative", "get " U " /f retries=-1", 0, "retries" },
	{ "retries_empty", "list " U " /f retries=", 0, "retries" },
	{ "retries_suffix", "get " U " /f retries=1K", 0, "retries" },
	{ "retries_huge", "get " U " /f retries=18446744073709551617", 0, "retries" },
	{ "dup_retries", "get " U " /f retries=1 retries=1", 0, "twice" },
	{ "dup_mkdirs", "get " U " /f mkdirs mkdirs", 0, "twice" },
	{ "mkdirs_value", "get " U " /f mkdirs=1", 0, "unknown option" },
	{ "dup_names", "list " U " /f names names", 0, "twice" },
	{ "dup_raw", "list " U " /f raw raw", 0, "twice" },
	{ "mtime_value", "get " U " /f mtime=1", 0, "unknown option" },
	/* sha256= */
	{ "sha256_63", "get " U " /f sha256=" SHA_63, 0, "64 hex digits" },
	{ "sha256_65", "put /f " U " sha256=" SHA_63 "55", 0, "64 hex digits" },
	{ "sha256_empty", "get " U " /f sha256=", 0, "64 hex digits" },
	{ "sha256_not_hex", "get " U " /f sha256=" SHA_63 "g", 0, "64 hex digits" },
	{ "sha256_blank", "get " U " /f \"sha256=" SHA_63 " \"", 0, "64 hex digits" },
	{ "sha256_0x", "get " U " /f sha256=0x" SHA_63, 0, "64 hex digits" },
	{ "sha256_no_value", "get " U " /f sha256", 0, "unknown option" },
	{ "sha256_upper_name", "get " U " /f SHA256=" SHA_63 "5", 0, "unknown option" },
	{ "sha256_list", "list " U " /f sha256=" SHA_63 "5", 0, "get and put" },
	{ "dup_sha256", "get " U " /f sha256=" SHA_63 "5 sha256=" SHA_63 "5", 0, "twice" },
	{ "names_value", "list " U " /f names=1", 0, "unknown option" },
	{ "raw_value", "list " U " /f raw=1", 0, "unknown option" },
	/* list */
	{ "list_upper", "LIST " U " /f", 0, "verb" },
	{ "list_missing_path", "list " U, 0, "local path" },
	{ "list_no_url_path", "list ftp://1.2.3.4 /f", 0, "remote path" },
	{ "list_path_dir", "list " U " /tmp/", 0, "file" },
	{ "list_pct_crlf", "list ftp://1.2.3.4/d%0d%0aDELE%20x/ /f", 0, "URL path" },
	/* cancel ID */
	{ "cancel_no_id", "cancel", 0, "missing transfer ID" },
	{ "cancel_no_id_blanks", " cancel \t ", 0, "missing transfer ID" },
	{ "cancel_0", "cancel 0", 0, "bad transfer ID" },
	{ "cancel_negative", "cancel -1", 0, "bad transfer ID" },
	{ "cancel_plus", "cancel +1", 0, "bad transfer ID" },
	{ "cancel_letters", "cancel one", 0, "bad transfer ID" },
	{ "cancel_hex", "cancel 0x1", 0, "bad transfer ID" },
	{ "cancel_fraction", "cancel 1.0", 0, "bad transfer ID" },
	{ "cancel_empty_quoted", "cancel \"\"", 0, "bad transfer ID" },
	{ "cancel_overflow", "cancel 18446744073709551616", 0, "bad transfer ID" },
	{ "cancel_url", "cancel " U, 0, "bad transfer ID" },
	{ "cancel_two_ids", "cancel 1 2", 0, "text after" },
	{ "cancel_wait", "cancel 1 wait", 0, "text after" },
	{ "cancel_upper", "CANCEL 1", 0, "verb" },
	{ "cancel_prefix", "cancels 1", 0, "verb" },
	{ "cancel_unterminated", "cancel \"1", 0, "quote" },
};

static void req_bad_desc(const struct req_bad *c, char *desc)
{
	kftp_strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(req_bad, req_bad_cases, req_bad_desc);

static void kftp_request_bad_test(struct kunit *test)
{
	const struct req_bad *c = test->param_value;
	struct kftp_request *req = alloc_req(test);
	size_t len = c->len ? c->len : strlen(c->line);
	const char *reason = NULL;

	KUNIT_EXPECT_EQ(test, kftp_request_parse(c->line, len, req, &reason), -EINVAL);
	KUNIT_ASSERT_NOT_NULL(test, reason);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(reason, c->reason),
				  "reason \"%s\" does not mention \"%s\"", reason, c->reason);
}

struct cancel_case {
	const char *name;
	const char *line;
	u64 id;
};

static const struct cancel_case cancel_cases[] = {
	{ "one", "cancel 1", 1 },
	{ "blanks_tabs", " \tcancel\t 42 \t", 42 },
	{ "quoted", "cancel \"7\"", 7 },
	{ "leading_zeros", "cancel 0009", 9 },
	{ "u64_max", "cancel 18446744073709551615", U64_MAX },
};

static void cancel_desc(const struct cancel_case *c, char *desc)
{
	kftp_strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(cancel, cancel_cases, cancel_desc);

static void kftp_request_cancel_test(struct kunit *test)
{
	const struct cancel_case *c = test->param_value;
	struct kftp_request *req = alloc_req(test);
	const char *reason = NULL;
	int ret;

	req->verb = KFTP_VERB_GET;
	ret = kftp_request_parse(c->line, strlen(c->line), req, &reason);
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "reason: %s", reason ? reason : "(none)");
	KUNIT_EXPECT_EQ(test, req->verb, KFTP_VERB_CANCEL);
	KUNIT_EXPECT_EQ(test, req->cancel_id, c->id);
	/* nothing of a get is left for a careless caller to act on */
	KUNIT_EXPECT_PTR_EQ(test, req->local_path, (char *)NULL);
	KUNIT_EXPECT_PTR_EQ(test, req->url.pass, (char *)NULL);
}

static void kftp_request_blank_test(struct kunit *test)
{
	static const char * const blank[] = { "", " ", "\t", " \t \t  " };
	struct kftp_request *req = alloc_req(test);
	const char *reason;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(blank); i++) {
		reason = NULL;
		KUNIT_EXPECT_EQ_MSG(test, kftp_request_parse(blank[i], strlen(blank[i]), req,
							     &reason), 1, "line %zu", i);
	}
	/* @len is honoured: the text after it is not part of the line */
	KUNIT_EXPECT_EQ(test, kftp_request_parse("  get " U " /f", 2, req, &reason), 1);
}

/* Lines of up to 4096 bytes are parsed; longer ones refused whatever they hold. */
static void kftp_request_long_test(struct kunit *test)
{
	static const char head[] = "get ftp://1.2.3.4/";
	struct kftp_request *req = alloc_req(test);
	char *line = kunit_kzalloc(test, KFTP_LINE_MAX + 2, GFP_KERNEL);
	const char *reason = NULL;
	size_t path_len = KFTP_LINE_MAX - (sizeof(head) - 1) - 3;
	int ret;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, line);
	/* "get ftp://1.2.3.4/aaa...a /f", exactly KFTP_LINE_MAX bytes */
	memcpy(line, head, sizeof(head) - 1);
	memset(line + sizeof(head) - 1, 'a', path_len);
	memcpy(line + sizeof(head) - 1 + path_len, " /f", 3);
	KUNIT_ASSERT_EQ(test, strlen(line), (size_t)KFTP_LINE_MAX);
	ret = kftp_request_parse(line, KFTP_LINE_MAX, req, &reason);
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "reason: %s", reason ? reason : "(none)");
	KUNIT_EXPECT_EQ(test, strlen(req->url.path), path_len);
	KUNIT_EXPECT_EQ(test, strlen(req->url.display), strlen("ftp://1.2.3.4/") + path_len);
	KUNIT_EXPECT_STREQ(test, req->local_path, "/f");

	/* one byte more: refused */
	memcpy(line + KFTP_LINE_MAX - 1, "fg", 2);
	reason = NULL;
	KUNIT_EXPECT_EQ(test, kftp_request_parse(line, KFTP_LINE_MAX + 1, req, &reason), -EINVAL);
	KUNIT_ASSERT_NOT_NULL(test, reason);
	KUNIT_EXPECT_NOT_NULL(test, strstr(reason, "longer"));

	/* a long password is masked within the display buffer */
	memset(line, 0, KFTP_LINE_MAX + 2);
	memcpy(line, "get ftp://u:", 12);
	memset(line + 12, 'p', KFTP_LINE_MAX - 12 - strlen("@1.2.3.4/f /f"));
	strcat(line, "@1.2.3.4/f /f");
	KUNIT_ASSERT_EQ(test, strlen(line), (size_t)KFTP_LINE_MAX);
	KUNIT_ASSERT_EQ(test, kftp_request_parse(line, KFTP_LINE_MAX, req, &reason), 0);
	KUNIT_EXPECT_STREQ(test, req->url.display, "ftp://u:***@1.2.3.4/f");
	KUNIT_EXPECT_EQ(test, strlen(req->url.pass), KFTP_LINE_MAX - 12 - strlen("@1.2.3.4/f /f"));
}

/* A name: family= and src= of either family, checked when it resolves. */
static void kftp_request_name_test(struct kunit *test)
{
	static const char line6[] = "get ftp://Ftp.Example.org:21/f /f family=6 src=fd00::8";
	static const char line4[] = "get ftp://ftp.example.org./f /f src=10.0.0.1";
	struct kftp_request *req = alloc_req(test);
	const char *reason = NULL;

	KUNIT_ASSERT_EQ(test, kftp_request_parse(line6, strlen(line6), req, &reason), 0);
	KUNIT_EXPECT_STREQ(test, req->url.host, "Ftp.Example.org");
	KUNIT_EXPECT_EQ(test, req->url.addr.family, 0);
	KUNIT_EXPECT_EQ(test, req->opts.family, KFTP_AF_INET6);
	KUNIT_EXPECT_EQ(test, req->opts.src.family, KFTP_AF_INET6);
	KUNIT_EXPECT_STREQ(test, req->url.display, "ftp://Ftp.Example.org:21/f");
	KUNIT_ASSERT_EQ(test, kftp_request_parse(line4, strlen(line4), req, &reason), 0);
	KUNIT_EXPECT_STREQ(test, req->url.host, "ftp.example.org.");
	KUNIT_EXPECT_EQ(test, req->opts.family, 0);
	KUNIT_EXPECT_EQ(test, req->opts.src.family, KFTP_AF_INET);
}

/*
 * addr=: a name's addresses as the writer resolved them, in their order,
 * those of family= or src='s family only; the URL keeps the name.
 */
static void kftp_request_addr_test(struct kunit *test)
{
	static const char line[] =
		"get ftp://u:pw@Ftp.Example.org:2121/f /f addr=192.0.2.7,2001:db8::7,::ffff:192.0.2.8";
	static const char line4[] = "list ftp://ftp.example.org/ /f addr=2001:db8::7,192.0.2.7 family=4";
	static const char line6[] = "put /f ftp://ftp.example.org/f src=2001:db8::1 addr=192.0.2.7,2001:db8::7";
	static const char line16[] = "get " N " /f addr=" ADDRS_16;
	static const char none[] = "get " N " /f";
	static const u8 v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 7 };
	static const u8 a[4] = { 192, 0, 2, 7 }, b[4] = { 192, 0, 2, 8 };
	struct kftp_request *req = alloc_req(test);
	const char *reason = NULL;

	KUNIT_ASSERT_EQ_MSG(test, kftp_request_parse(line, strlen(line), req, &reason), 0,
			    "reason: %s", reason);
	KUNIT_EXPECT_STREQ(test, req->url.host, "Ftp.Example.org");
	KUNIT_EXPECT_EQ(test, req->url.addr.family, 0);
	KUNIT_EXPECT_STREQ(test, req->url.display, "ftp://u:***@Ftp.Example.org:2121/f");
	KUNIT_ASSERT_EQ(test, req->opts.addrs.n, 3);
	KUNIT_EXPECT_EQ(test, req->opts.addrs.a[0].family, KFTP_AF_INET);
	KUNIT_EXPECT_EQ(test, memcmp(req->opts.addrs.a[0].bytes, a, 4), 0);
	KUNIT_EXPECT_EQ(test, req->opts.addrs.a[1].family, KFTP_AF_INET6);
	KUNIT_EXPECT_EQ(test, memcmp(req->opts.addrs.a[1].bytes, v6, 16), 0);
	KUNIT_EXPECT_EQ(test, req->opts.addrs.a[1].scope, 0);
	/* IPv4-mapped: the IPv4 address, as in a URL */
	KUNIT_EXPECT_EQ(test, req->opts.addrs.a[2].family, KFTP_AF_INET);
	KUNIT_EXPECT_EQ(test, memcmp(req->opts.addrs.a[2].bytes, b, 4), 0);

	/* family= after addr= still drops the IPv6 one */
	KUNIT_ASSERT_EQ(test, kftp_request_parse(line4, strlen(line4), req, &reason), 0);
	KUNIT_ASSERT_EQ(test, req->opts.addrs.n, 1);
	KUNIT_EXPECT_EQ(test, req->opts.addrs.a[0].family, KFTP_AF_INET);
	KUNIT_EXPECT_EQ(test, memcmp(req->opts.addrs.a[0].bytes, a, 4), 0);

	/* and src='s family, before it */
	KUNIT_ASSERT_EQ(test, kftp_request_parse(line6, strlen(line6), req, &reason), 0);
	KUNIT_ASSERT_EQ(test, req->opts.addrs.n, 1);
	KUNIT_EXPECT_EQ(test, memcmp(req->opts.addrs.a[0].bytes, v6, 16), 0);

	KUNIT_ASSERT_EQ(test, kftp_request_parse(line16, strlen(line16), req, &reason), 0);
	KUNIT_ASSERT_EQ(test, req->opts.addrs.n, KFTP_ADDRS_MAX);
	KUNIT_EXPECT_EQ(test, req->opts.addrs.a[KFTP_ADDRS_MAX - 1].bytes[3], 16);

	/* nothing kept for the next request */
	KUNIT_ASSERT_EQ(test, kftp_request_parse(none, strlen(none), req, &reason), 0);
	KUNIT_EXPECT_EQ(test, req->opts.addrs.n, 0);
}

/* An IPv6 server, an IPv6 src= address. */
static void kftp_request_ipv6_test(struct kunit *test)
{
	static const char line[] = "get ftp://u:pw@[fd00::7]:2121/f /f src=fd00::8 mode=active";
	static const u8 server[16] = { 0xfd, [15] = 7 }, src[16] = { 0xfd, [15] = 8 };
	struct kftp_request *req = alloc_req(test);
	const char *reason = NULL;

	KUNIT_ASSERT_EQ(test, kftp_request_parse(line, strlen(line), req, &reason), 0);
	KUNIT_EXPECT_EQ(test, req->url.addr.family, KFTP_AF_INET6);
	KUNIT_EXPECT_EQ(test, memcmp(req->url.addr.bytes, server, 16), 0);
	KUNIT_EXPECT_EQ(test, req->url.port, 2121);
	KUNIT_EXPECT_EQ(test, req->opts.src.family, KFTP_AF_INET6);
	KUNIT_EXPECT_EQ(test, memcmp(req->opts.src.bytes, src, 16), 0);
	KUNIT_EXPECT_EQ(test, req->opts.mode, KFTP_MODE_ACTIVE);
	KUNIT_EXPECT_STREQ(test, req->url.display, "ftp://u:***@[fd00::7]:2121/f");
}

/* A request reuses nothing from the one parsed before it. */
static void kftp_request_reuse_test(struct kunit *test)
{
	static const char first[] = "get ftp://u:p@1.2.3.4:99/a /a " EVERY_OPTION;
	static const char second[] = "get ftp://5.6.7.8/b /b";
	static const char cancel[] = "cancel 5";
	struct kftp_request *req = alloc_req(test);
	const char *reason = NULL;

	KUNIT_ASSERT_EQ(test, kftp_request_parse(first, strlen(first), req, &reason), 0);
	KUNIT_ASSERT_EQ(test, kftp_request_parse(cancel, strlen(cancel), req, &reason), 0);
	KUNIT_EXPECT_EQ(test, req->verb, KFTP_VERB_CANCEL);
	KUNIT_EXPECT_EQ(test, req->cancel_id, 5);
	KUNIT_ASSERT_EQ(test, kftp_request_parse(second, strlen(second), req, &reason), 0);
	KUNIT_EXPECT_EQ(test, req->verb, KFTP_VERB_GET);
	KUNIT_EXPECT_EQ(test, req->cancel_id, 0);
	KUNIT_EXPECT_EQ(test, req->opts.deadline, 0);
	KUNIT_EXPECT_EQ(test, req->opts.min_rate, 0);
	KUNIT_EXPECT_EQ(test, req->opts.max_size, 0);
	KUNIT_EXPECT_FALSE(test, req->opts.mtime);
	KUNIT_EXPECT_FALSE(test, req->opts.names);
	KUNIT_EXPECT_FALSE(test, req->opts.raw);
	KUNIT_EXPECT_FALSE(test, req->opts.resume);
	KUNIT_EXPECT_EQ(test, req->opts.rate, 0);
	KUNIT_EXPECT_EQ(test, req->opts.retries, 0);
	KUNIT_EXPECT_FALSE(test, req->opts.mkdirs);
	KUNIT_EXPECT_FALSE(test, req->opts.has_sha256);
	KUNIT_EXPECT_PTR_EQ(test, req->url.user, (char *)NULL);
	KUNIT_EXPECT_PTR_EQ(test, req->url.pass, (char *)NULL);
	KUNIT_EXPECT_EQ(test, req->url.port, 21);
	KUNIT_EXPECT_EQ(test, req->opts.mode, KFTP_MODE_PASSIVE);
	KUNIT_EXPECT_EQ(test, req->opts.src.family, 0);
	KUNIT_EXPECT_EQ(test, req->opts.family, 0);
	KUNIT_EXPECT_PTR_EQ(test, req->url.host, (char *)NULL);
	KUNIT_EXPECT_FALSE(test, req->opts.wait);
	KUNIT_EXPECT_EQ(test, req->opts.timeout, KFTP_TIMEOUT_DEFAULT);
	KUNIT_EXPECT_STREQ(test, req->local_path, "/b");
}

/* put PATH URL, and its options */
struct put_req {
	const char *name;
	const char *line;
	const char *local;
	const char *rpath;
	bool append, atomic, mkdirs, resume, wait, ascii;
	enum kftp_mode mode;
	bool sha256;		/* sha256=SHA_EMPTY */
};

static const struct put_req put_req_cases[] = {
	{ "put_minimal", "put /tmp/a.bin ftp://1.2.3.4/up/a.bin", "/tmp/a.bin", "up/a.bin" },
	{ "put_append", "put /a ftp://1.2.3.4/b append", "/a", "b", .append = true },
	{ "put_atomic_mkdirs", "put /a ftp://1.2.3.4/x/y/b mkdirs atomic wait", "/a", "x/y/b",
	  .atomic = true, .mkdirs = true, .wait = true },
	{ "put_resume", "put \"/my file\" ftp://1.2.3.4/b resume mode=active", "/my file", "b",
	  .resume = true, .mode = KFTP_MODE_ACTIVE },
	{ "put_every_option", "put /a ftp://1.2.3.4/b " COMMON_OPTIONS " append sha256="
	  SHA_EMPTY, "/a", "b", .append = true, .mkdirs = true, .wait = true,
	  .mode = KFTP_MODE_ACTIVE, .sha256 = true },
	{ "put_ascii_atomic", "put /a ftp://1.2.3.4/b atomic type=ascii", "/a", "b",
	  .atomic = true, .ascii = true },
	{ "put_binary_resume", "put /a ftp://1.2.3.4/b type=binary resume", "/a", "b",
	  .resume = true },
	{ "put_sha256_atomic", "put /a ftp://1.2.3.4/b sha256=" SHA_EMPTY " atomic", "/a", "b",
	  .atomic = true, .sha256 = true },
};

static void put_req_desc(const struct put_req *c, char *desc)
{
	kftp_strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(put_req, put_req_cases, put_req_desc);

static void kftp_request_put_test(struct kunit *test)
{
	const struct put_req *c = test->param_value;
	struct kftp_request *req = alloc_req(test);
	const char *reason = NULL;
	int ret;

	/* stale flags a previous request could have left */
	req->opts.append = true;
	req->opts.atomic = true;
	req->opts.mkdirs = true;
	req->opts.resume = true;
	req->opts.ascii = true;
	req->opts.has_sha256 = true;
	req->opts.tls = KFTP_TLS_CONTROL;
	req->opts.tlsname[0] = 'x';
	req->url.implicit_tls = true;
	ret = kftp_request_parse(c->line, strlen(c->line), req, &reason);
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "reason: %s", reason ? reason : "(none)");
	KUNIT_EXPECT_EQ(test, req->verb, KFTP_VERB_PUT);
	KUNIT_EXPECT_STREQ(test, req->local_path, c->local);
	KUNIT_EXPECT_STREQ(test, req->url.path, c->rpath);
	KUNIT_EXPECT_EQ(test, req->opts.append, c->append);
	KUNIT_EXPECT_EQ(test, req->opts.atomic, c->atomic);
	KUNIT_EXPECT_EQ(test, req->opts.mkdirs, c->mkdirs);
	KUNIT_EXPECT_EQ(test, req->opts.resume, c->resume);
	KUNIT_EXPECT_EQ(test, req->opts.wait, c->wait);
	KUNIT_EXPECT_EQ(test, req->opts.mode, c->mode);
	KUNIT_EXPECT_EQ(test, req->opts.ascii, c->ascii);
	KUNIT_EXPECT_EQ(test, req->opts.has_sha256, c->sha256);
	if (c->sha256)
		KUNIT_EXPECT_EQ(test, memcmp(req->opts.sha256, sha_empty, sizeof(sha_empty)), 0);
	KUNIT_EXPECT_EQ(test, req->opts.tls, KFTP_TLS_NONE);
	KUNIT_EXPECT_STREQ(test, req->opts.tlsname, "");
	KUNIT_EXPECT_FALSE(test, req->url.implicit_tls);
}

static struct kunit_case kftp_request_cases[] = {
	KUNIT_CASE_PARAM(kftp_request_put_test, put_req_gen_params),
	KUNIT_CASE_PARAM(kftp_request_good_test, req_good_gen_params),
	KUNIT_CASE_PARAM(kftp_request_bad_test, req_bad_gen_params),
	KUNIT_CASE_PARAM(kftp_request_cancel_test, cancel_gen_params),
	KUNIT_CASE(kftp_request_blank_test),
	KUNIT_CASE(kftp_request_long_test),
	KUNIT_CASE(kftp_request_reuse_test),
	KUNIT_CASE(kftp_request_ipv6_test),
	KUNIT_CASE(kftp_request_name_test),
	KUNIT_CASE(kftp_request_addr_test),
	{}
};

static struct kunit_suite kftp_request_suite = {
	.name = "kftp_request",
	.test_cases = kftp_request_cases,
};

kunit_test_suites(&kftp_url_suite, &kftp_request_suite);

MODULE_LICENSE("GPL");
