/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kftp protocol core: request and URL parsing, reply framing and parsing,
 * and the FTP conversation. Plain C on top of this header only, so the same
 * files build into kftp.ko, the KUnit suites and the userspace fuzz harness.
 */
#ifndef KFTP_PROTO_H
#define KFTP_PROTO_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include "kftp_compat.h"
#else
/* userspace (fuzz harness): the few kernel names the core uses */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef long long s64;
#define U16_MAX		((u16)~0U)
#define U64_MAX		((u64)~0ULL)
#define S64_MAX		((s64)(U64_MAX >> 1))
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
static inline void kftp_memzero_explicit(void *s, size_t count)
{
	memset(s, 0, count);
	__asm__ __volatile__("" : : "r"(s) : "memory");
}
#endif

#define KFTP_LINE_MAX		4096	/* request line, without its newline */
#define KFTP_REPLY_LINE_MAX	1024	/* one reply line, without CRLF */
#define KFTP_REPLY_LINES_MAX	64	/* lines in one multi-line reply */
#define KFTP_TIMEOUT_DEFAULT	30
#define KFTP_LIST_MAX_SIZE	(64ULL << 20)	/* list without max_size= */
#define KFTP_TIMEOUT_MAX	3600
#define KFTP_DEADLINE_MAX	604800	/* a week, in seconds */
#define KFTP_RATE_MAX		(4ULL << 30)	/* rate=, bytes per second */
#define KFTP_RETRIES_MAX	20
#define KFTP_SEGMENTS_MAX	16	/* segments=, data connections of a get */
#define KFTP_SHA256_SIZE	32	/* sha256=, bytes of the digest */
/*
 * The one-copy receive holds no buffer: the most one data_read takes when
 * rate= does not pace it, so that the session is returned to once per
 * MiB, not once per buffer.
 */
#define KFTP_DIRECT_READ	(1024 * 1024)
#define KFTP_ANON_USER		"anonymous"
#define KFTP_ANON_PASS		"kftp@"

/* ---- addresses: IPv4 and IPv6, without the socket API's types ---- */

#define KFTP_AF_INET	4
#define KFTP_AF_INET6	6
#define KFTP_ADDR_STRLEN 46	/* INET6_ADDRSTRLEN: the longest text, NUL */
#define KFTP_ZONE_MAX	15	/* an interface name: IFNAMSIZ - 1 */
#define KFTP_HOST_MAX	253	/* a DNS name, without a trailing dot */
#define KFTP_ADDRS_MAX	16	/* addresses of one name tried, at most */

struct kftp_addr {
	u8 family;		/* KFTP_AF_INET or KFTP_AF_INET6; 0: none */
	u8 bytes[16];		/* network order; IPv4 in the first four */
	u32 scope;		/* IPv6 zone: an interface index, 0: none */
};

/**
 * struct kftp_addrs - a host name's addresses, in the order to try them
 * @a: the addresses
 * @n: how many
 */
struct kftp_addrs {
	struct kftp_addr a[KFTP_ADDRS_MAX];
	unsigned int n;
};

static inline bool kftp_addr_equal(const struct kftp_addr *a,
				   const struct kftp_addr *b)
{
	return a->family == b->family && a->scope == b->scope &&
	       !memcmp(a->bytes, b->bytes,
		       a->family == KFTP_AF_INET6 ? 16 : 4);
}

/* fe80::/10, the addresses that need a zone (RFC 4007) */
static inline bool kftp_ipv6_link_local(const u8 bytes[16])
{
	return bytes[0] == 0xfe && (bytes[1] & 0xc0) == 0x80;
}

/**
 * kftp_parse_ipv4() - parse a dotted quad
 * @s: the text, not terminated
 * @len: its length
 * @addr: the address, in network order
 *
 * Four decimal parts of 0..255. Leading zeros are refused: other parsers
 * read them as octal.
 *
 * Return: 0 or -EINVAL.
 */
int kftp_parse_ipv4(const char *s, size_t len, u8 addr[4]);

/**
 * kftp_parse_ipv6() - parse an IPv6 address, RFC 4291 section 2.2 text
 * @s: the text, not terminated; no brackets, no zone
 * @len: its length
 * @addr: the address, in network order
 *
 * Eight groups of one to four hex digits, any case, one "::" for a run of
 * zero groups, the last 32 bits optionally as a dotted quad.
 *
 * Return: 0 or -EINVAL.
 */
int kftp_parse_ipv6(const char *s, size_t len, u8 addr[16]);

/**
 * kftp_parse_addr() - parse an IPv4 or IPv6 address
 * @s: the text, not terminated; no brackets, no zone
 * @len: its length
 * @addr: filled in, scope 0
 *
 * ::ffff:a.b.c.d is IPv4 a.b.c.d.
 *
 * Return: 0 or -EINVAL.
 */
int kftp_parse_addr(const char *s, size_t len, struct kftp_addr *addr);

/**
 * kftp_format_addr() - an address as RFC 5952 text, without the zone
 * @addr: the address
 * @buf: KFTP_ADDR_STRLEN bytes
 */
void kftp_format_addr(const struct kftp_addr *addr, char *buf);

/* ---- URLs: ftp[s]://[USER[:PASSWORD]@]HOST[:PORT]/REMOTE-PATH ---- */

#define KFTP_PORT		21
#define KFTP_PORT_IMPLICIT_TLS	990	/* ftps:// (RFC 4217 section 7) */

struct kftp_url {
	char *user;		/* decoded; NULL for anonymous */
	char *pass;		/* decoded; NULL when absent */
	char *path;		/* decoded, relative to the login directory */
	struct kftp_addr addr;	/* family 0 for a name; scope 0: see zone */
	char *zone;		/* decoded IPv6 zone (an interface); NULL: none */
	char *host;		/* a DNS name, as written; NULL: an address */
	u16 port;
	bool implicit_tls;	/* ftps://: TLS before the greeting */
	/* the URL as shown to users: password replaced by "***" */
	char *display;
};

/**
 * kftp_url_parse() - parse and decode the URL of a file, in place
 * @url: the URL; modified, and @out's strings point into it
 * @display: receives the URL with its password masked
 * @display_size: its size: strlen(@url) + 4 bytes always suffice
 * @out: filled in
 * @reason: set on failure
 *
 * Percent-decoded (RFC 3986); HOST is an IPv4 address, an [IPv6] address
 * with a %25ZONE when link-local (RFC 6874), or a DNS name.
 *
 * Return: 0, or -EINVAL with *@reason set.
 */
int kftp_url_parse(char *url, char *display, size_t display_size,
		   struct kftp_url *out, const char **reason);

/**
 * kftp_url_parse_dir() - kftp_url_parse() for a directory (list)
 * @url: the URL; modified, and @out's strings point into it
 * @display: receives the URL with its password masked
 * @display_size: its size: strlen(@url) + 4 bytes always suffice
 * @out: filled in
 * @reason: set on failure
 *
 * The remote path may be empty (the login directory) or end with '/'.
 *
 * Return: 0, or -EINVAL with *@reason set.
 */
int kftp_url_parse_dir(char *url, char *display, size_t display_size,
		       struct kftp_url *out, const char **reason);

/**
 * kftp_check_host_name() - is this a host name kftp takes
 * @s: the name, not terminated
 * @len: its length
 *
 * RFC 1123 labels, 3 to 253 characters, a last label not all digits.
 *
 * Return: NULL, or why @s is not a name.
 */
const char *kftp_check_host_name(const char *s, size_t len);

/**
 * kftp_parse_uint() - parse a decimal number, strictly
 * @s: the digits, not terminated
 * @len: how many
 * @max: the largest value allowed
 * @val: the number
 *
 * Digits only: no sign, no blank, no overflow.
 *
 * Return: 0 or -EINVAL.
 */
int kftp_parse_uint(const char *s, size_t len, u64 max, u64 *val);

/**
 * kftp_hex_digit() - a hex digit's value, either case
 * @c: the character
 *
 * Return: 0 to 15, or -1 when @c is no hex digit.
 */
int kftp_hex_digit(char c);

/* ---- request lines: get|list URL PATH | put PATH URL [OPTION ...] | cancel ID ---- */

enum kftp_verb {
	KFTP_VERB_GET,
	KFTP_VERB_CANCEL,
	KFTP_VERB_LIST,
	KFTP_VERB_PUT,
};

enum kftp_mode {
	KFTP_MODE_PASSIVE,
	KFTP_MODE_ACTIVE,
};

/* A request's options: options.c's kftp_request_options[] describes each. */
enum kftp_option {
	KFTP_OPT_MODE,
	KFTP_OPT_SRC,
	KFTP_OPT_FAMILY,
	KFTP_OPT_TIMEOUT,
	KFTP_OPT_DEADLINE,
	KFTP_OPT_MIN_RATE,
	KFTP_OPT_MAX_SIZE,
	KFTP_OPT_RATE,
	KFTP_OPT_RETRIES,
	KFTP_OPT_WAIT,
	KFTP_OPT_MTIME,
	KFTP_OPT_NAMES,
	KFTP_OPT_MKDIRS,
	KFTP_OPT_RESUME,
	KFTP_OPT_SEGMENTS,
	KFTP_OPT_TYPE,
	KFTP_OPT_SHA256,
	KFTP_OPT_APPEND,
	KFTP_OPT_ATOMIC,
	KFTP_OPT_ADDR,
	KFTP_OPT_RAW,
	KFTP_OPT_TLS,
	KFTP_OPT_TLSNAME,
	KFTP_OPT_COUNT
};

enum kftp_option_kind {
	KFTP_OPTK_FLAG,		/* NAME alone */
	KFTP_OPTK_UINT,		/* NAME=N, min to max */
	KFTP_OPTK_BYTES,	/* NAME=N with K, M or G, min to max */
	KFTP_OPTK_CHOICE,	/* NAME=one of choices[] */
	KFTP_OPTK_ADDR,		/* NAME=an IPv4 or IPv6 address */
	KFTP_OPTK_SHA256,	/* NAME=64 hex digits */
	KFTP_OPTK_ADDRS,	/* NAME=ADDRESS[,ADDRESS...], none link-local */
	KFTP_OPTK_HOST,		/* NAME=a DNS name or an address */
};

/**
 * struct kftp_option_spec - one request option
 * @name: as written before its "=" (or alone, a flag)
 * @kind: what its value is
 * @verbs: the verbs it applies to, a bit per enum kftp_verb
 * @min: KFTP_OPTK_UINT and KFTP_OPTK_BYTES: the smallest value
 * @max: and the largest
 * @choices: KFTP_OPTK_CHOICE: the values, in the order set_option() reads
 * @excludes: the options it cannot be given with, a bit per enum kftp_option
 * @wrong_verb: the reason for another verb
 * @bad: the reason for a bad value
 * @conflict: the reason for an excluded option
 */
struct kftp_option_spec {
	const char *name;
	enum kftp_option_kind kind;
	unsigned int verbs;
	u64 min, max;
	const char *choices[2];
	unsigned int excludes;
	const char *wrong_verb;
	const char *bad;
	const char *conflict;
};

/* a value as kftp_option_spec's kind reads it */
union kftp_option_value {
	u64 n;			/* a number, or a choice's index */
	struct kftp_addr addr;
	u8 sha256[KFTP_SHA256_SIZE];
	const char *list;	/* KFTP_OPTK_ADDRS: checked, set_option() parses it */
	const char *host;	/* KFTP_OPTK_HOST: checked */
};

extern const struct kftp_option_spec kftp_request_options[KFTP_OPT_COUNT];

/**
 * kftp_request_find_option() - the request option a word names
 * @tok: the word: NAME for a flag, NAME=VALUE for the others
 * @val: set to the VALUE, or NULL for a flag
 *
 * Return: the option's index in kftp_request_options[], or -1 when the
 * word is none (an unknown name, a flag with a value, a value missing).
 */
int kftp_request_find_option(const char *tok, const char **val);

struct kftp_request;

/**
 * kftp_request_parse_option() - one option word of a request line
 * @tok: the word
 * @req: the request being parsed: its verb is known, its option is set
 * @seen: the options given so far, a bit per enum kftp_option; updated
 * @reason: set when the word is refused
 *
 * Known, for this verb, a good value, given once, no option it excludes.
 *
 * Return: 0, or -EINVAL with *@reason set.
 */
int kftp_request_parse_option(const char *tok, struct kftp_request *req,
			      u32 *seen, const char **reason);

/* What TLS a transfer speaks (RFC 4217); there is no opportunistic mode. */
enum kftp_tls {
	KFTP_TLS_NONE,
	KFTP_TLS_REQUIRED,	/* AUTH TLS, PROT P: control and data */
	KFTP_TLS_CONTROL,	/* AUTH TLS, PROT C: the data in the clear */
	KFTP_TLS_IMPLICIT,	/* ftps://: TLS from the connect, PROT P */
};

/**
 * struct kftp_options - what a request asks of its transfer
 * @mode: passive or active data connections
 * @src: the local address to connect from; family 0: none
 * @family: family=: KFTP_AF_INET(6) only; 0: either
 * @timeout: seconds any one wait may take
 * @deadline: seconds for the whole transfer, 0: none
 * @min_rate: bytes/s over the timeout window, 0: none
 * @max_size: bytes, 0: none (a transfer's: its bound, U64_MAX: none)
 * @rate: bytes/s over the transfer, 0: no cap
 * @retries: more tries after a transient failure
 * @wait: the write() returns when the transfer ends
 * @names: list: NLST
 * @raw: list: the server's line ends, not LF
 * @mtime: get: the file's time from MDTM
 * @resume: get: keep a failure's data, continue it; put: send what is
 *	missing
 * @mkdirs: get, list: make PATH's missing directories; put: MKD the
 *	remote's
 * @append: put: APPE
 * @atomic: put: a temporary name, renamed after 226
 * @segments: get: ranges over connections of their own
 * @ascii: type=ascii: TYPE A, line ends converted
 * @has_sha256: get, put: the file's digest must be @sha256
 * @sha256: that digest
 * @addrs: addr=: the addresses of the URL's host name, of @family or
 *	@src's family only; none: the name is resolved
 * @tls: tls= or ftps://
 * @tlsname: tlsname=: the name for SNI and the certificate check; empty:
 *	the URL's host, as written or as address text
 *
 * The parsed request and its transfer share it: the transfer takes it
 * whole, so that an option is added in one place.
 */
struct kftp_options {
	enum kftp_mode mode;
	struct kftp_addr src;
	u8 family;
	unsigned int timeout;
	unsigned int deadline;
	u64 min_rate;
	u64 max_size;
	u64 rate;
	unsigned int retries;
	bool wait;
	bool names;
	bool raw;
	bool mtime;
	bool resume;
	bool mkdirs;
	bool append;
	bool atomic;
	unsigned int segments;
	bool ascii;
	bool has_sha256;
	u8 sha256[KFTP_SHA256_SIZE];
	struct kftp_addrs addrs;
	enum kftp_tls tls;
	char tlsname[KFTP_HOST_MAX + 1];
};

struct kftp_request {
	enum kftp_verb verb;
	u64 cancel_id;		/* cancel: the transfer, from 1 */
	/* get, list and put: the fields below */
	struct kftp_url url;
	char *local_path;	/* get: the destination, put: the source */
	struct kftp_options opts;
	/* storage the fields above point into */
	char buf[KFTP_LINE_MAX + 1];
	char display[KFTP_LINE_MAX + 5];
};

/**
 * kftp_request_parse() - parse one request line
 * @line: the line, without its newline
 * @len: its length
 * @req: filled in; its strings point into its own buffers
 * @reason: set on failure
 *
 * Return: 0, 1 when the line is blank (nothing to do), or -EINVAL with
 * *@reason set.
 */
int kftp_request_parse(const char *line, size_t len, struct kftp_request *req,
		       const char **reason);

/* ---- replies (RFC 959 section 4.2) ---- */

struct kftp_reply {
	int code;
	unsigned int lines;
	/* the first line, code included, for parsing and for status */
	char text[KFTP_REPLY_LINE_MAX + 1];
};

struct kftp_reply_parser {
	struct kftp_reply reply;
	char line[KFTP_REPLY_LINE_MAX + 1];
	size_t line_len;
	bool in_reply;		/* first line seen, waiting for the last */
	bool skip_lf;
};

/**
 * kftp_reply_parser_init() - a parser, ready for its first reply
 * @p: the parser
 */
void kftp_reply_parser_init(struct kftp_reply_parser *p);

/**
 * kftp_reply_feed() - feed bytes of the control connection to the parser
 * @p: the parser
 * @data: the bytes
 * @len: how many
 * @done: set once a whole reply is in p->reply
 *
 * Lines end with CR LF, CR or LF. Bytes after the reply are not consumed.
 *
 * Return: the number of bytes consumed, or -EPROTO on a protocol error.
 */
int kftp_reply_feed(struct kftp_reply_parser *p, const char *data, size_t len,
		    bool *done);

/**
 * kftp_reply_errno() - the errno a failed step's reply code stands for
 * @code: the reply code
 *
 * README.md has the table: other 4xx are EAGAIN (transient), other 5xx
 * EIO, a positive reply where it makes no sense EPROTO.
 *
 * Return: the errno, positive.
 */
int kftp_reply_errno(int code);

/**
 * kftp_parse_pasv() - the port of a 227 reply to PASV
 * @text: the reply's first line, code included
 * @port: the port, not 0
 *
 * Six numbers, "h1,h2,h3,h4,p1,p2", with or without parentheses. Only the
 * port is used: the data connection goes to the control connection's peer
 * (RFC 2577).
 *
 * Return: 0 or -EPROTO.
 */
int kftp_parse_pasv(const char *text, u16 *port);

/**
 * kftp_parse_epsv() - the port of a 229 reply to EPSV
 * @text: the reply's first line, code included
 * @port: the port, not 0
 *
 * "(|||port|)", with any delimiter of 33..126 but a digit (RFC 2428).
 *
 * Return: 0 or -EPROTO.
 */
int kftp_parse_epsv(const char *text, u16 *port);

/**
 * kftp_parse_size() - the size in a 213 reply to SIZE
 * @text: the reply's first line, code included
 * @size: the size, at most S64_MAX
 *
 * "213 " and decimal digits, then nothing but blanks.
 *
 * Return: 0 or -EPROTO.
 */
int kftp_parse_size(const char *text, u64 *size);

/**
 * kftp_parse_150_size() - the size a 150 reply may tell
 * @text: the reply's first line, code included
 * @size: the size, at most S64_MAX
 *
 * "150 Opening BINARY mode data connection for f (1234 bytes)."
 *
 * Return: 0, or -EPROTO when the text tells no size.
 */
int kftp_parse_150_size(const char *text, u64 *size);

/**
 * kftp_parse_mdtm() - the time in a 213 reply to MDTM
 * @text: the reply's first line, code included
 * @sec: seconds since 1970
 * @nsec: nanoseconds, from the fraction if any
 *
 * "213 YYYYMMDDHHMMSS[.sss]", UTC (RFC 3659 section 3), then nothing but
 * blanks.
 *
 * Return: 0 or -EPROTO.
 */
int kftp_parse_mdtm(const char *text, s64 *sec, u32 *nsec);

/**
 * kftp_parse_rest() - the offset a 350 reply to REST names
 * @text: the reply's first line, code included
 * @offset: the first number in the text
 *
 * Servers word it as they like: "Restart position accepted (1024).".
 *
 * Return: 0, -ENODATA when the reply names no offset, or -EPROTO.
 */
int kftp_parse_rest(const char *text, u64 *offset);

/* ---- MLSD listings (RFC 3659 section 7) ---- */

#define KFTP_MLSD_LINE_MAX	4096	/* one entry, without CRLF */

struct kftp_mlsd_entry {
	const char *name;	/* in the line, not terminated */
	size_t name_len;
	const char *type;	/* the type fact, or NULL */
	size_t type_len;
	s64 size;		/* the size fact, or -1 */
	bool has_modify;
	s64 modify;		/* the modify fact, seconds since 1970 UTC */
	u32 modify_nsec;
};

/**
 * kftp_parse_mlsd_line() - parse one entry line of an MLSD listing
 * @line: "fact=value;...; name", without its CRLF
 * @len: its length
 * @e: filled in; its strings point into @line
 *
 * Facts other than type, size and modify are checked for syntax only.
 *
 * Return: 0 or -EPROTO.
 */
int kftp_parse_mlsd_line(const char *line, size_t len,
			 struct kftp_mlsd_entry *e);

/* ---- type=ascii: CR LF on the data connection, LF in the file ---- */

struct kftp_ascii {
	bool cr;		/* the last byte seen was a CR */
};

/**
 * kftp_ascii_from_net() - incoming (get): CR LF into LF
 * @st: the stream's state, zeroed at its start
 * @out: at most @len + 1 bytes (a CR held back by the last call comes
 *	 first); may be @in - 1, so that the data read at buf + 1 is
 *	 converted into buf
 * @in: the bytes from the data connection
 * @len: how many
 *
 * A CR not followed by LF stays. A CR at the end is held back until the
 * next byte tells what it is.
 *
 * Return: the bytes written.
 */
size_t kftp_ascii_from_net(struct kftp_ascii *st, char *out, const char *in,
			   size_t len);

/**
 * kftp_ascii_from_net_end() - the end of an incoming stream
 * @st: the stream's state
 * @out: where the CR held back goes, if any
 *
 * Return: the bytes written, 0 or 1.
 */
size_t kftp_ascii_from_net_end(struct kftp_ascii *st, char *out);

/**
 * kftp_ascii_to_net() - outgoing (put): LF into CR LF
 * @st: the stream's state, zeroed at its start
 * @out: at most 2 * @len bytes; may lie @len or more bytes before @in in
 *	 the same buffer: each byte is read before the ones it gives are
 *	 written
 * @in: the bytes of the file
 * @len: how many
 *
 * The LF of a CR LF already in the file is sent as it is (as vsftpd 3,
 * proftpd and curl 8 do).
 *
 * Return: the bytes written.
 */
size_t kftp_ascii_to_net(struct kftp_ascii *st, char *out, const char *in,
			 size_t len);

/* ---- the FTP conversation over a transport ---- */

/*
 * Data as a transport holds it (kftp.ko: socket buffers), which only the
 * transport and the writer of a sink know how to walk; kftp_data_write_t
 * gets @len bytes of it, and returns 0 or -errno.
 */
struct kftp_data;
typedef int (*kftp_data_write_t)(void *arg, struct kftp_data *data,
				 size_t len);

/*
 * A transport's send of up to @len bytes of @file from *@pos on the data
 * connection, its pages without a copy; *@pos moves past what was sent.
 * The bytes sent, 0 at the end of the file, or -errno.
 */
struct file;
typedef int (*kftp_send_file_t)(void *priv, struct file *file,
				long long *pos, size_t len);

struct kftp_transport_ops {
	/* control connection: send all of @len, or receive up to @len (0: EOF) */
	int (*ctrl_send)(void *priv, const char *buf, size_t len);
	int (*ctrl_recv)(void *priv, char *buf, size_t len);
	/*
	 * An exchange begins, a command and its reply or the replies
	 * awaited without one; until the next call, the ctrl_recv() calls
	 * wait at most the timeout in all, so that a server cannot stretch a
	 * reply by sending it a byte at a time. The session calls it before
	 * its first ctrl_recv().
	 */
	void (*ctrl_begin)(void *priv);
	/* passive: connect to the control connection's peer at @port */
	int (*data_connect)(void *priv, u16 port);
	/* active: listen next to the control connection's local address */
	int (*data_listen)(void *priv, struct kftp_addr *addr, u16 *port);
	int (*data_accept)(void *priv);
	/* receive up to @len bytes of data; 0 at the end of the stream */
	int (*data_recv)(void *priv, void *buf, size_t len);
	/*
	 * Optional: take up to @len bytes of data as the transport holds
	 * them and hand them, a batch at a time, to @write, which puts
	 * them where they go. The bytes taken (0: the end of the stream)
	 * or -errno, @write's first; -EOPNOTSUPP, before anything is
	 * taken, where this connection cannot (PROT P on a kTLS without
	 * read_sock): the session then reads with data_recv.
	 */
	int (*data_read)(void *priv, size_t len, kftp_data_write_t write,
			 void *arg);
	/* send all of @len bytes of data */
	int (*data_send)(void *priv, const void *buf, size_t len);
	/* Optional: see kftp_send_file_t */
	kftp_send_file_t data_send_file;
	void (*data_close)(void *priv);
	/*
	 * Optional, where the kernel has its TLS handshake upcall: TLS on
	 * the control or the data connection (RFC 4217), the server's
	 * certificate checked against @name; the connection's later sends
	 * and receives are protected. 0 or -errno: -EKEYREJECTED (the
	 * certificate), -ESRCH (no tlshd), -ETIMEDOUT, -ECONNRESET (the
	 * server closed), -EIO (kTLS could not be set up), -ECANCELED.
	 */
	int (*ctrl_tls)(void *priv, const char *name);
	int (*data_tls)(void *priv, const char *name);
	/*
	 * Optional: an upload's data is all sent. A TLS data connection says
	 * so (close_notify) before it is closed: a server that reads to the
	 * end of the TLS stream (vsftpd's strict_ssl_read_eof) takes its end
	 * without one for a cut. 0 or -errno.
	 */
	int (*data_end)(void *priv);
	/*
	 * Optional: a command sent or the first line of a reply received,
	 * printable, without CRLF and with the password masked.
	 */
	void (*trace)(void *priv, bool sent, const char *line);
};

struct kftp_sink_ops {
	/*
	 * The data stream starts at byte @offset of the file (0, or where a
	 * resumed transfer continues: the sink drops what lies past it);
	 * @total is the file's size when known, else -1.
	 */
	int (*begin)(void *priv, u64 offset, s64 total);
	int (*write)(void *priv, const void *buf, size_t len);
	/*
	 * Optional, for a file: the transport's data_read hands the data
	 * to it, which writes it into the file without the buffer. With
	 * both, kftp_retr.buf is not used for a file, unless
	 * kftp_retr.ascii.
	 */
	kftp_data_write_t write_data;
};

/* put: the local file, read while it is sent */
struct kftp_source_ops {
	/*
	 * The upload starts at byte @offset of the file (@offset: the size,
	 * when the server has all of it already). 0 or -errno.
	 */
	int (*begin)(void *priv, u64 offset);
	/* up to @len bytes into @buf; 0 at the end of the file */
	int (*read)(void *priv, void *buf, size_t len);
	/*
	 * Optional: send up to @len bytes of the file on the data
	 * connection itself, by the transport's @send_file (its
	 * data_send_file, with @tpriv). Returns the bytes sent (0: the end
	 * of the file) or -errno. With it, read and kftp_stor.buf are not
	 * used.
	 */
	int (*send)(void *priv, size_t len, kftp_send_file_t send_file,
		    void *tpriv);
	/*
	 * Optional: the server has the file (226, and its SIZE where it
	 * answers), not yet under its final name (atomic). 0, or -errno to
	 * fail the upload: the file was not what it should have been.
	 */
	int (*end)(void *priv);
};

#define KFTP_PRELIM_MAX	8	/* 1xx replies tolerated before the final one */
/* put ... atomic: ".kftp-<16 hex>-" before the name */
#define KFTP_TEMP_PREFIX_LEN	23

/* The conversation on a control connection, as kftp_session_reusable() sees it. */
enum kftp_conv {
	KFTP_CONV_IN_STEP,	/* nothing pending: it may carry another transfer */
	KFTP_CONV_OUT_OF_STEP,	/* a reply or data may be pending */
	KFTP_CONV_LOST,		/* the control connection failed or closed */
};

struct kftp_session {
	const struct kftp_transport_ops *ops;
	void *priv;
	struct kftp_reply_parser parser;
	char rx[512];
	size_t rx_off, rx_len;
	char cmd[KFTP_LINE_MAX + 16];
	char trace[KFTP_LINE_MAX + 16];	/* a line for ops->trace */
	const char *secret;	/* the password, while logging in */
	const char *secret_user;	/* TLS: the user, while logging in */
	/* the last exchange's outcome, reset by exchange_begin() */
	/* it failed on parser.reply (kept for the status table) */
	bool reply_failed;
	/*
	 * its first command met a closed or failed control connection, or
	 * 421: the server has seen nothing of this transfer, so it may start
	 * again on a new connection
	 */
	bool retry_safe;
	/* it failed in a TLS handshake, with the handshake's errno */
	bool tls_failed;
	enum kftp_conv conv;	/* moves only forward: conv_move() */
	/* set by the caller: an IPv6 control connection never sends PASV */
	bool ipv6;
	/*
	 * set by the caller before login: TLS (RFC 4217), and the name the
	 * server's certificate must bear (SNI too)
	 */
	enum kftp_tls tls;
	const char *tls_name;
	bool prot_p;		/* PROT P agreed: each data connection is TLS */
	bool ascii;		/* the server is in TYPE A */
	/* what the last kftp_session_retr() learnt */
	bool mtime_known;
	s64 mtime;		/* seconds since 1970, UTC */
	u32 mtime_nsec;
	bool mlsd;		/* the listing is MLSD's */
	/* an MLSD line being checked */
	char line[KFTP_MLSD_LINE_MAX + 1];
	size_t line_len;
	unsigned int replies;	/* replies read, ever */
	/* put: a directory to create, or the temporary name */
	char path[KFTP_LINE_MAX + KFTP_TEMP_PREFIX_LEN + 1];
	/* a failure's reply, kept across the DELE of a temporary name */
	struct kftp_reply failed;
};

enum kftp_retr_kind {
	KFTP_RETR_FILE,		/* RETR */
	KFTP_RETR_LIST,		/* MLSD, or LIST where MLSD is refused */
	KFTP_RETR_NAMES,	/* NLST */
};

struct kftp_retr {
	const char *path;
	enum kftp_mode mode;
	void *buf;		/* data buffer */
	size_t buf_size;
	/* the most one data_read takes (the one-copy path); 0: buf_size */
	size_t read_size;
	const struct kftp_sink_ops *sink;
	void *sink_priv;
	u64 max_size;		/* bytes, 0: none; more fails with -EFBIG */
	enum kftp_retr_kind kind;
	/*
	 * FILE: bytes the sink has already (REST); if the server refuses
	 * REST, or the file is now shorter, it starts over from 0.
	 */
	u64 offset;
	bool mtime;		/* FILE: ask MDTM; a refusal is not an error */
	/*
	 * FILE: a segment, only this many bytes from @offset (0: to the
	 * end). REST must be accepted, else -ESPIPE; the data connection is
	 * closed after them while the server still sends, so the connection
	 * is not reused.
	 */
	u64 length;
	/*
	 * TYPE A, and CR LF into LF on the way in: the sink and max_size see
	 * the converted bytes. SIZE is not asked (it counts the other form);
	 * @offset and @length must be 0.
	 */
	bool ascii;
	/*
	 * A listing: CR LF into LF on the way in, as for ascii, without
	 * TYPE A (a listing's type is the server's): Unix text lines.
	 */
	bool unix_lines;
};

struct kftp_stor {
	const char *path;	/* the remote file */
	enum kftp_mode mode;
	void *buf;		/* data buffer */
	size_t buf_size;
	const struct kftp_source_ops *source;
	void *source_priv;
	/* of the local file; a file that ends before it fails with -EIO */
	u64 size;
	bool append;		/* APPE instead of STOR */
	/* STOR to a temporary name, then RNFR/RNTO; DELE it on failure */
	bool atomic;
	u64 temp_tag;		/* atomic: the temporary name's hex */
	bool mkdirs;		/* MKD each missing parent, one level at a time */
	/*
	 * SIZE of the remote file: if shorter, send the rest with REST and
	 * STOR, or APPE when REST is refused; if as long, send nothing
	 */
	bool resume;
	/*
	 * TYPE A, and LF into CR LF on the way out: the source is read half a
	 * buffer at a time, and SIZE after 226 is not compared (it counts the
	 * other form). Not with @resume, nor with a source that has send.
	 */
	bool ascii;
};

/**
 * kftp_session_init() - a session on a new control connection
 * @s: the session; zeroed, so in step
 * @ops: the transport
 * @priv: the transport's first argument
 *
 * The caller sets s->ipv6 for an IPv6 control connection, s->tls and
 * s->tls_name for TLS.
 */
void kftp_session_init(struct kftp_session *s,
		       const struct kftp_transport_ops *ops, void *priv);

/**
 * kftp_session_login() - read the greeting, log in, set TYPE I
 * @s: the session, its control connection connected
 * @user: the user, NULL for anonymous
 * @pass: the password, or NULL; the caller wipes it after this
 *
 * With s->tls, in RFC 4217's order: TLS on the control connection (for
 * ftps://, before the greeting; else AUTH TLS after it), USER and PASS,
 * PBSZ 0 and PROT P (PROT C for tls=control). Nothing is sent in the
 * clear after a failed AUTH TLS or handshake.
 *
 * Return: 0, or -errno: a refusal's kftp_reply_errno() (s->reply_failed
 * set), -EOPNOTSUPP when AUTH TLS is not answered 234 (s->reply_failed
 * set), -EPROTONOSUPPORT for TLS without ctrl_tls, the handshake's,
 * -EPROTO, or the transport's.
 */
int kftp_session_login(struct kftp_session *s, const char *user,
		       const char *pass);

/**
 * kftp_session_retr() - retrieve a file, a range of it, or a listing
 * @s: the session, logged in
 * @r: what to retrieve, and the sink it goes to
 *
 * A file: SIZE (unless ascii), MDTM when asked, REST, RETR; it must end
 * where SIZE said.
 * A listing: MLSD, LIST where MLSD is refused, or NLST. s->reply_failed,
 * s->retry_safe and the MDTM time tell more about the outcome.
 *
 * Return: 0, or -errno: -EFBIG past r->max_size, -EIO when the file does
 * not end where SIZE said, -ESPIPE when a range's REST is refused,
 * -EPROTO, a refusal's kftp_reply_errno(), the transport's or the sink's.
 */
int kftp_session_retr(struct kftp_session *s, const struct kftp_retr *r);

/**
 * kftp_session_stat() - SIZE of a remote file, and MDTM when asked
 * @s: the session, logged in
 * @path: the remote file
 * @mtime: ask MDTM too (s->mtime_known)
 * @size: the size, -1 when the server does not tell it
 *
 * What a segmented get needs before it splits the file.
 *
 * Return: 0, or -errno as for kftp_session_retr().
 */
int kftp_session_stat(struct kftp_session *s, const char *path, bool mtime,
		      s64 *size);

/**
 * kftp_session_stor() - upload a file
 * @s: the session, logged in
 * @w: what to send, where, and the source it comes from
 *
 * After 226 the server's SIZE, when it answers, must match what was sent.
 *
 * Return: 0, or -errno: -EIO when SIZE does not match or the file ends
 * before its size, -EPROTO, a refusal's kftp_reply_errno(), the
 * transport's or the source's.
 */
int kftp_session_stor(struct kftp_session *s, const struct kftp_stor *w);

/**
 * kftp_session_reusable() - may the connection carry another transfer?
 * @s: the session
 *
 * Return: true only after success or a server's clean refusal; never with
 * a reply pending, after 421 or once the control connection failed.
 */
bool kftp_session_reusable(const struct kftp_session *s);

/**
 * kftp_session_quit() - send QUIT, without waiting for the reply
 * @s: the session
 *
 * The reply is not awaited, so teardown never waits for a silent server.
 * The session is not reusable after it.
 */
void kftp_session_quit(struct kftp_session *s);

#endif /* KFTP_PROTO_H */
