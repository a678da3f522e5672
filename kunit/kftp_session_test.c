// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the whole FTP conversation (src/session.c) over the real
 * kernel-socket transport (src/sock.c: struct kftp_conn, kftp_sock_ops)
 * against the scripted FTP server (kftp_test_server.c): a kthread on
 * 127.0.0.1 that accepts the control connection, checks each command the
 * client sends against its script, answers with canned replies and serves
 * the data connection (passive: it listens; active: it connects back to the
 * EPRT/PORT address). Any command the script does not expect fails the test.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/inet.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/net.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>
#include <linux/skbuff.h>
#include <net/sock.h>

#include "kftp.h"
#include "sock.h"
#include "transfer.h"
#include "stream.h"
#include "kftp_test_server.h"

static const struct ftp_step s_passive[] = {
	SIZE_100K,
	EPSV_OK,
	{ "RETR pub/file.bin", RETR_150, ACT_DATA },
	DONE_226,
	QUIT_221,
	{}
};

static const struct ftp_step s_passive_user[] = {
	{ NULL, "120 Service ready in a moment." },
	{ NULL, "220 ready" },
	{ "USER alice", "331 Password required for alice." },
	{ "PASS p@ss w:rd", "230-Welcome, alice.\r\n230-Be nice.\r\n230 Logged in." },
	{ "TYPE I", "200 Type set to I" },
	{ "SIZE /home/alice/a b.txt", "213 4321" },
	{ "EPSV", "229 Extended Passive Mode OK (!!!{}!)", ACT_EPSV },
	{ "RETR /home/alice/a b.txt", "125 Data connection already open; transfer starting.",
	  ACT_DATA },
	{ NULL, "250 Requested file action okay, completed." },
	QUIT_221,
	{}
};

static const struct ftp_step s_pasv_fallback[] = {
	SIZE_100K,
	{ "EPSV", "500 'EPSV': command not understood." },
	{ "PASV", "227 Entering Passive Mode (127,0,0,1,{}).", ACT_PASV },
	{ "RETR pub/file.bin", RETR_150, ACT_DATA },
	DONE_226,
	QUIT_221,
	{}
};

static const struct ftp_step s_pasv_no_parens[] = {
	SIZE_100K,
	{ "EPSV", "502 Command not implemented." },
	{ "PASV", "227 Entering Passive Mode 127,0,0,1,{}", ACT_PASV },
	{ "RETR pub/file.bin", RETR_150, ACT_DATA },
	DONE_226,
	QUIT_221,
	{}
};

static const struct ftp_step s_active[] = {
	SIZE_100K,
	{ "EPRT |1|127.0.0.1|*", "200 EPRT command successful.", ACT_EPRT },
	{ "RETR pub/file.bin", RETR_150, ACT_DATA },
	DONE_226,
	QUIT_221,
	{}
};

static const struct ftp_step s_active_port[] = {
	SIZE_100K,
	{ "EPRT |1|127.0.0.1|*", "500 'EPRT': command not understood." },
	{ "PORT 127,0,0,1,*", "200 PORT command successful.", ACT_PORT },
	{ "RETR pub/file.bin", RETR_150, ACT_DATA },
	DONE_226,
	QUIT_221,
	{}
};

static const struct ftp_step s_login_530[] = {
	BANNER,
	{ "USER alice", "331 Please specify the password." },
	{ "PASS secret", "530 Login incorrect." },
	QUIT_221,
	{}
};

static const struct ftp_step s_banner_421[] = {
	{ NULL, "421 Too many connections.", ACT_CLOSE },
	{}
};

static const struct ftp_step s_retr_550[] = {
	{ "SIZE missing.bin", "550 Could not get file size." },
	EPSV_OK,
	{ "RETR missing.bin", "550 Failed to open file." },
	QUIT_221,
	{}
};

static const struct ftp_step s_421_size[] = {
	{ "SIZE pub/file.bin", "421 Timeout.", ACT_CLOSE },
	{}
};

static const struct ftp_step s_421_epsv[] = {
	SIZE_100K,
	{ "EPSV", "421 Service not available, closing control connection.", ACT_CLOSE },
	{}
};

static const struct ftp_step s_eof[] = {
	SIZE_100K,
	{ "EPSV", NULL, ACT_CLOSE },
	{}
};

static const struct ftp_step s_short_data[] = {
	SIZE_100K,
	EPSV_OK,
	{ "RETR pub/file.bin", RETR_150, ACT_DATA },
	DONE_226,
	QUIT_221,
	{}
};

static const struct ftp_step s_stall_ctrl[] = {
	BANNER,
	{ "USER anonymous", "331 Please specify the password." },
	{ "PASS kftp@", NULL },
	{}
};

static const struct ftp_step s_stall_data[] = {
	SIZE_100K,
	EPSV_OK,
	{ "RETR pub/file.bin", RETR_150, ACT_HOLD },
	{}
};

static const struct ftp_step s_226_first[] = {
	SIZE_100K,
	EPSV_OK,
	{ "RETR pub/file.bin", RETR_150 },
	{ NULL, "226 Transfer complete.", ACT_DATA },
	QUIT_221,
	{}
};

static const struct ftp_step s_size_from_150[] = {
	{ "SIZE pub/file.bin", "550 SIZE not allowed in ASCII mode." },
	EPSV_OK,
	{ "RETR pub/file.bin", RETR_150, ACT_DATA },
	DONE_226,
	QUIT_221,
	{}
};

static const struct ftp_step s_size_unknown[] = {
	{ "SIZE pub/file.bin", "502 Command not implemented." },
	EPSV_OK,
	{ "RETR pub/file.bin", "150 Here comes the file.", ACT_DATA },
	DONE_226,
	QUIT_221,
	{}
};

static const struct ftp_step s_slow_multiline[] = {
	{ NULL, "220-Welcome\r\n220-to the\r\n220 kftp test server", ACT_SLOW },
	{ "USER bob", "230-No password\r\n 230 needed\r\n230 here.", ACT_SLOW },
	{ "TYPE I", "200 ok", ACT_SLOW },
	{ "SIZE pub/file.bin", "213 100000", ACT_SLOW },
	{ "EPSV", "229 Entering Extended Passive Mode (|||{}|)", ACT_EPSV },
	{ "RETR pub/file.bin", RETR_150, ACT_DATA },
	{ NULL, "226-Transfer\r\n226 complete.", ACT_SLOW },
	QUIT_221,
	{}
};

static const struct ftp_step s_426[] = {
	SIZE_100K,
	EPSV_OK,
	{ "RETR pub/file.bin", RETR_150, ACT_DATA },
	{ NULL, "426 Connection closed; transfer aborted." },
	QUIT_221,
	{}
};

static const struct ftp_step s_425[] = {
	SIZE_100K,
	EPSV_OK,
	{ "RETR pub/file.bin", "425 Can't open data connection." },
	QUIT_221,
	{}
};

static const struct ftp_step s_bad_epsv[] = {
	SIZE_100K,
	{ "EPSV", "229 Entering Extended Passive Mode (|||0|)" },
	QUIT_221,
	{}
};

/*
 * FTPS (RFC 4217): the scripted transport's TLS is a stub that the cases
 * watch, the conversation goes on in the clear.
 */
#define TLS_NAME	"ftp.example.org"
static const struct ftp_step s_tls_login_p[] = {
	BANNER,
	{ "AUTH TLS", "234 Proceed with negotiation." },
	{ "USER alice", "331 Please specify the password." },
	{ "PASS secret", "230 Login successful." },
	{ "PBSZ 0", "200 PBSZ set to 0." },
	{ "PROT P", "200 PROT now Private." },
	{ "TYPE I", "200 Switching to Binary mode." },
	{}
};

static const struct ftp_step s_tls_login_c[] = {
	BANNER,
	{ "AUTH TLS", "234 Proceed with negotiation." },
	{ "USER alice", "331 Please specify the password." },
	{ "PASS secret", "230 Login successful." },
	{ "PBSZ 0", "200 PBSZ set to 0." },
	{ "PROT C", "200 PROT now Clear." },
	{ "TYPE I", "200 Switching to Binary mode." },
	{}
};

static const struct ftp_step s_tls_passive[] = {
	SIZE_100K,
	EPSV_OK,
	{ "RETR pub/file.bin", RETR_150, ACT_DATA },
	DONE_226,
	QUIT_221,
	{}
};

static const struct ftp_step s_tls_active[] = {
	SIZE_100K,
	{ "EPRT |1|127.0.0.1|*", "200 EPRT command successful.", ACT_EPRT },
	{ "RETR pub/file.bin", RETR_150, ACT_DATA },
	DONE_226,
	QUIT_221,
	{}
};

static const struct ftp_step s_tls_control[] = {
	SIZE_100K,
	EPSV_OK,
	{ "RETR pub/file.bin", RETR_150, ACT_DATA },
	DONE_226,
	QUIT_221,
	{}
};

/* ftps://: TLS from the connect, no AUTH */
static const struct ftp_step s_tls_implicit[] = {
	BANNER,
	{ "USER alice", "331 Please specify the password." },
	{ "PASS secret", "230 Login successful." },
	{ "PBSZ 0", "200 PBSZ set to 0." },
	{ "PROT P", "200 PROT now Private." },
	{ "TYPE I", "200 Switching to Binary mode." },
	SIZE_100K,
	EPSV_OK,
	{ "RETR pub/file.bin", RETR_150, ACT_DATA },
	DONE_226,
	QUIT_221,
	{}
};

/* no AUTH: USER is never sent (the script would fail on it) */
static const struct ftp_step s_tls_auth_refused[] = {
	BANNER,
	{ "AUTH TLS", "502 Command not implemented." },
	QUIT_221,
	{}
};

/* a 234 with more behind it in the clear: an injection, never taken */
static const struct ftp_step s_tls_234_clear[] = {
	BANNER,
	{ "AUTH TLS", "234 Proceed.\r\n230 Logged in, says the clear." },
	{}
};

static const struct ftp_step s_tls_handshake[] = {
	BANNER,
	{ "AUTH TLS", "234 Proceed with negotiation." },
	{}
};

static const struct ftp_step s_tls_data_fails[] = {
	SIZE_100K,
	EPSV_OK,
	{ "RETR pub/file.bin", RETR_150 },
	{ NULL, "425 Failed to establish TLS." },
	{}
};

/* vsftpd's default require_ssl_reuse=YES: tlshd resumes no session */
static const struct ftp_step s_tls_reuse[] = {
	SIZE_100K,
	EPSV_OK,
	{ "RETR pub/file.bin", RETR_150 },
	{ NULL, "522 SSL connection failed: session reuse required", ACT_CLOSE },
	{}
};

#define REUSE_TEXT \
	"522 the server requires TLS session reuse on data connections, which kftp's handshake (tlshd) cannot do: set vsftpd require_ssl_reuse=NO or proftpd TLSOptions NoSessionReuseRequired, or use tls=control"

static const struct ftp_step s_type_refused[] = {
	BANNER,
	{ "USER anonymous", "331 Please specify the password." },
	{ "PASS kftp@", "230 Login successful." },
	{ "TYPE I", "504 Command not implemented for that parameter." },
	QUIT_221,
	{}
};

/* two files over one control connection, as a pooled connection does */
static const struct ftp_step s_two_files[] = {
	SIZE_100K,
	EPSV_OK,
	{ "RETR pub/file.bin", RETR_150, ACT_DATA },
	{ NULL, "226-Transfer complete.\r\n226 Bye for now." },
	SIZE_100K,
	{ "EPSV", "500 EPSV? No." },
	{ "PASV", "227 Entering Passive Mode (127,0,0,1,{})", ACT_PASV },
	{ "RETR pub/file.bin", RETR_150 },
	{ NULL, "226 Transfer complete.", ACT_DATA },
	QUIT_221,
	{}
};

static const struct ftp_step s_fail_then_ok[] = {
	{ "SIZE pub/file.bin", "550 No such file." },
	EPSV_OK,
	{ "RETR pub/file.bin", "550 No such file." },
	SIZE_100K,
	EPSV_OK,
	{ "RETR pub/file.bin", RETR_150, ACT_DATA },
	DONE_226,
	QUIT_221,
	{}
};

/* the address in a 227 reply is not used: the data goes to the control peer */
static const struct ftp_step s_pasv_other_host[] = {
	SIZE_100K,
	{ "EPSV", "502 Command not implemented." },
	{ "PASV", "227 Entering Passive Mode (192,0,2,99,{}).", ACT_PASV },
	{ "RETR pub/file.bin", RETR_150, ACT_DATA },
	DONE_226,
	QUIT_221,
	{}
};

/*
 * Up to 8 preliminary replies where RFC 959 has them: 120 before the
 * greeting, 110 restart markers before the end of a RETR.
 */
static const struct ftp_step s_prelim_8[] = {
	{ NULL, "120 a\r\n120 b\r\n120 c\r\n120 d\r\n120 e\r\n120 f\r\n120 g\r\n120 h\r\n"
	  "220 ready" },
	{ "USER bob", "230 No password needed." },
	{ "TYPE I", "200 ok" },
	SIZE_100K,
	EPSV_OK,
	{ "RETR pub/file.bin", RETR_150, ACT_DATA },
	{ NULL, "110 MARK 0 = 50000\r\n110 MARK 0 = 100000\r\n226 Transfer complete." },
	QUIT_221,
	{}
};

static const struct ftp_step s_prelim_9[] = {
	{ NULL, "120 a\r\n120 b\r\n120 c\r\n120 d\r\n120 e\r\n120 f\r\n120 g\r\n120 h\r\n"
	  "120 i\r\n220 ready" },
	{}
};

/*
 * A 1xx where the command has no preliminary reply: the real reply would be
 * left pending and taken for the answer to the next command.
 */
static const struct ftp_step s_user_1xx[] = {
	BANNER,
	{ "USER bob", "120 Wait a moment.\r\n230 Logged in." },
	{}
};

static const struct ftp_step s_pass_1xx[] = {
	BANNER,
	{ "USER alice", "331 Password required." },
	{ "PASS secret", "150 Checking.\r\n230 Logged in." },
	{}
};

static const struct ftp_step s_type_1xx[] = {
	BANNER,
	{ "USER anonymous", "331 Please specify the password." },
	{ "PASS kftp@", "230 Login successful." },
	{ "TYPE I", "110 MARK\r\n200 ok" },
	{}
};

static const struct ftp_step s_size_1xx[] = {
	{ "SIZE pub/file.bin", "110 Restart marker.\r\n213 100000" },
	{}
};

static const struct ftp_step s_epsv_1xx[] = {
	SIZE_100K,
	{ "EPSV", "150 ok\r\n229 Entering Extended Passive Mode (|||{}|)", ACT_EPSV },
	{}
};

static const struct ftp_step s_pasv_1xx[] = {
	SIZE_100K,
	{ "EPSV", "500 'EPSV': command not understood." },
	{ "PASV", "125 ok\r\n227 Entering Passive Mode (127,0,0,1,{}).", ACT_PASV },
	{}
};

static const struct ftp_step s_eprt_1xx[] = {
	SIZE_100K,
	{ "EPRT |1|127.0.0.1|*", "150 ok\r\n200 EPRT command successful.", ACT_EPRT },
	{}
};

static const struct ftp_step s_port_1xx[] = {
	SIZE_100K,
	{ "EPRT |1|127.0.0.1|*", "500 'EPRT': command not understood." },
	{ "PORT 127,0,0,1,*", "120 ok\r\n200 PORT command successful.", ACT_PORT },
	{}
};

/* RETR: a stray 110 or 120 leaves the 150 and 226 pending */
static const struct ftp_step s_retr_110[] = {
	SIZE_100K,
	EPSV_OK,
	{ "RETR pub/file.bin", "110 MARK 0 = 0\r\n" RETR_150 },
	{}
};

static const struct ftp_step s_retr_120[] = {
	SIZE_100K,
	EPSV_OK,
	{ "RETR pub/file.bin", "120 Service ready in 1 minute.\r\n" RETR_150 },
	{}
};

/* a server that closed an idle connection: the first command meets EOF */
static const struct ftp_step s_eof_size[] = {
	{ "SIZE pub/file.bin", NULL, ACT_CLOSE },
	{}
};

/* SIZE says 10 bytes, the stream never ends */
static const struct ftp_step s_endless_size[] = {
	{ "SIZE pub/file.bin", "213 10" },
	EPSV_OK,
	{ "RETR pub/file.bin", "150 Opening BINARY mode data connection.", ACT_ENDLESS },
	{}
};

/* no SIZE, the stream never ends: only max_size stops it */
static const struct ftp_step s_endless[] = {
	{ "SIZE pub/file.bin", "502 Command not implemented." },
	EPSV_OK,
	{ "RETR pub/file.bin", "150 Here comes the file.", ACT_ENDLESS },
	{}
};

static const struct ftp_step s_size_only[] = {
	SIZE_100K,
	{}
};

/* a server that never answers QUIT must not hold up the teardown */
static const struct ftp_step s_quit_unanswered[] = {
	SIZE_100K,
	EPSV_OK,
	{ "RETR pub/file.bin", RETR_150, ACT_DATA },
	DONE_226,
	{ "QUIT", NULL },
	{}
};

/* the wrong service on the port */
static const struct ftp_step s_ssh_banner[] = {
	{ NULL, "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3" },
	{}
};

static const struct ftp_step s_active_src[] = {
	SIZE_100K,
	{ "EPRT |1|127.0.0.3|*", "200 EPRT command successful.", ACT_EPRT },
	{ "RETR pub/file.bin", RETR_150, ACT_DATA },
	DONE_226,
	QUIT_221,
	{}
};

static const struct ftp_step s_bad_pasv[] = {
	SIZE_100K,
	{ "EPSV", "500 'EPSV': command not understood." },
	{ "PASV", "227 Entering Passive Mode (127,0,0,1,300,1)." },
	QUIT_221,
	{}
};

static const struct ftp_step s_port_refused[] = {
	SIZE_100K,
	{ "EPRT |1|127.0.0.1|*", "500 'EPRT': command not understood.", ACT_EPRT },
	{ "PORT 127,0,0,1,*", "500 Illegal PORT command.", ACT_PORT },
	QUIT_221,
	{}
};

static const struct ftp_step s_eprt_421[] = {
	SIZE_100K,
	{ "EPRT |1|127.0.0.1|*", "421 Service not available.", ACT_CLOSE },
	{}
};

/* the data port in the 229 reply is closed */
static const struct ftp_step s_epsv_closed[] = {
	SIZE_100K,
	{ "EPSV", "229 Entering Extended Passive Mode (|||{}|)", ACT_EPSV_DEAD },
	QUIT_221,
	{}
};

/* active mode: only the server may connect back (RFC 2577) */
static const struct ftp_step s_active_foreign[] = {
	SIZE_100K,
	{ "EPRT |1|127.0.0.1|*", "200 EPRT command successful.", ACT_EPRT },
	{ "RETR pub/file.bin", RETR_150, ACT_FOREIGN },
	DONE_226,
	QUIT_221,
	{}
};

/* IPv6 (RFC 2428): EPSV and EPRT |2|, never PASV or PORT */
static const struct ftp_step s_active6[] = {
	SIZE_100K,
	{ "EPRT |2|::1|*", "200 EPRT command successful.", ACT_EPRT },
	{ "RETR pub/file.bin", RETR_150, ACT_DATA },
	DONE_226,
	QUIT_221,
	{}
};

static const struct ftp_step s_epsv_refused6[] = {
	SIZE_100K,
	{ "EPSV", "500 'EPSV': command not understood." },
	QUIT_221,
	{}
};

static const struct ftp_step s_eprt_refused6[] = {
	SIZE_100K,
	{ "EPRT |2|::1|*", "500 'EPRT': command not understood." },
	QUIT_221,
	{}
};

/* the server's own check: the client sends USER anonymous, not USER bob */
static const struct ftp_step s_unexpected[] = {
	BANNER,
	{ "USER bob", "331 Please specify the password." },
	{}
};

/* listings: MLSD, LIST where MLSD is refused, NLST */
#define LIST_150	"150 Here comes the directory listing."

static const struct ftp_step s_mlsd[] = {
	EPSV_OK,
	{ "MLSD pub", LIST_150, ACT_DATA },
	DONE_226,
	QUIT_221,
	{}
};

static const struct ftp_step s_mlsd_login_dir[] = {
	EPSV_OK,
	{ "MLSD", LIST_150, ACT_DATA },
	DONE_226,
	QUIT_221,
	{}
};

static const struct ftp_step s_mlsd_500_list[] = {
	EPSV_OK,
	{ "MLSD pub", "500 Unknown command." },
	EPSV_OK,
	{ "LIST pub", LIST_150, ACT_DATA },
	DONE_226,
	QUIT_221,
	{}
};

static const struct ftp_step s_mlsd_502_list_active[] = {
	{ "EPRT |1|127.0.0.1|*", "200 EPRT command successful.", ACT_EPRT },
	{ "MLSD pub", "502 Command not implemented." },
	{ "EPRT |1|127.0.0.1|*", "200 EPRT command successful.", ACT_EPRT },
	{ "LIST pub", LIST_150, ACT_DATA },
	DONE_226,
	QUIT_221,
	{}
};

/* only 500 and 502 mean "no MLSD here": not a missing directory */
static const struct ftp_step s_mlsd_550[] = {
	EPSV_OK,
	{ "MLSD pub", "550 No such directory." },
	QUIT_221,
	{}
};

static const struct ftp_step s_nlst[] = {
	EPSV_OK,
	{ "NLST pub", LIST_150, ACT_DATA },
	DONE_226,
	QUIT_221,
	{}
};

static const struct ftp_step s_list_421[] = {
	{ "EPSV", "421 Timeout.", ACT_CLOSE },
	{}
};

/* MDTM: the time when told, nothing when refused, garbage fails */
static const struct ftp_step s_mdtm[] = {
	SIZE_100K,
	{ "MDTM pub/file.bin", "213 20240229123456.5" },
	EPSV_OK,
	{ "RETR pub/file.bin", RETR_150, ACT_DATA },
	DONE_226,
	QUIT_221,
	{}
};

static const struct ftp_step s_mdtm_550[] = {
	SIZE_100K,
	{ "MDTM pub/file.bin", "550 Could not get file modification time." },
	EPSV_OK,
	{ "RETR pub/file.bin", RETR_150, ACT_DATA },
	DONE_226,
	QUIT_221,
	{}
};

static const struct ftp_step s_mdtm_garbage[] = {
	SIZE_100K,
	{ "MDTM pub/file.bin", "213 2024-02-29 12:34:56" },
	QUIT_221,
	{}
};

static const struct ftp_step s_mdtm_450[] = {
	SIZE_100K,
	{ "MDTM pub/file.bin", "450 Busy." },
	QUIT_221,
	{}
};

/* REST: the rest of the file after 350, the whole file when refused */
static const struct ftp_step s_rest[] = {
	SIZE_100K,
	EPSV_OK,
	{ "REST 40000", "350 Restart position accepted (40000)." },
	{ "RETR pub/file.bin", "150 Opening BINARY mode data connection.", ACT_DATA },
	DONE_226,
	QUIT_221,
	{}
};

static const struct ftp_step s_rest_bare[] = {
	SIZE_100K,
	{ "EPRT |1|127.0.0.1|*", "200 EPRT command successful.", ACT_EPRT },
	{ "REST 40000", "350 Ok" },
	{ "RETR pub/file.bin", "150 Ok", ACT_DATA },
	DONE_226,
	QUIT_221,
	{}
};

/* a segment: REST, RETR, the server sends past the range; no SIZE */
static const struct ftp_step s_range[] = {
	EPSV_OK,
	{ "REST 40000", "350 Restart position accepted (40000)." },
	{ "RETR pub/file.bin", "150 Opening BINARY mode data connection.", ACT_DATA },
	DONE_226,
	QUIT_221,
	{}
};

static const struct ftp_step s_range_0[] = {
	EPSV_OK,
	{ "RETR pub/file.bin", RETR_150, ACT_DATA },
	DONE_226,
	QUIT_221,
	{}
};

static const struct ftp_step s_range_refused[] = {
	EPSV_OK,
	{ "REST 40000", "502 REST not implemented." },
	QUIT_221,
	{}
};

static const struct ftp_step s_rest_refused[] = {
	SIZE_100K,
	EPSV_OK,
	{ "REST 40000", "502 REST not implemented." },
	{ "RETR pub/file.bin", RETR_150, ACT_DATA },
	DONE_226,
	QUIT_221,
	{}
};

static const struct ftp_step s_rest_elsewhere[] = {
	SIZE_100K,
	EPSV_OK,
	{ "REST 40000", "350 Restarting at 4000. Send STORE or RETRIEVE." },
	QUIT_221,
	{}
};

static const struct ftp_step s_rest_421[] = {
	SIZE_100K,
	EPSV_OK,
	{ "REST 40000", "421 Timeout.", ACT_CLOSE },
	{}
};

/* ---- the client side ---- */

struct mem_sink {
	u8 *buf;
	size_t size, len;
	s64 total;
	unsigned int begins;
};

static int mem_begin(void *priv, u64 offset, s64 total)
{
	struct mem_sink *m = priv;

	/* a resumed stream continues what the sink has, or replaces it */
	if (offset > m->len)
		return -EIO;
	m->len = offset;
	m->total = total;
	m->begins++;
	return 0;
}

static int mem_write(void *priv, const void *buf, size_t len)
{
	struct mem_sink *m = priv;

	if (len > m->size - m->len)
		return -ENOSPC;
	memcpy(m->buf + m->len, buf, len);
	m->len += len;
	return 0;
}

static const struct kftp_sink_ops mem_sink_ops = {
	.begin = mem_begin,
	.write = mem_write,
};

struct session_case {
	const char *name;
	bool anon;		/* the script starts with kftp_srv_login_anon */
	const struct ftp_step *script;
	const char *user;
	const char *pass;
	const char *path;
	enum kftp_mode mode;
	unsigned int timeout;	/* client, seconds; 0: CLIENT_TIMEOUT */
	int login;		/* expected from kftp_session_login */
	int retr;		/* expected from kftp_session_retr */
	int retr_direct;	/* instead, when kftp.ko's actor reads */
	bool reply_failed;
	const char *reply;	/* the reply text a failure was on */
	bool quit;		/* the client says QUIT at the end */
	size_t size;		/* of the file on the server */
	size_t sent;		/* bytes it sends; 0: size */
	bool size_unknown;	/* begin() hears -1, not the size */
	unsigned int cancel_ms;	/* kftp_conn_cancel() this long after the start */
	bool again;		/* a second RETR of the same file on the same session */
	bool src;		/* the client binds to kftp_test_src (the src= option) */
	bool v6;		/* server and client on ::1 */
	int retr2;		/* expected from it */
	const char *srv_error;	/* the server must fail with this */
	u64 max_size;		/* struct kftp_retr's */
	size_t room;		/* the sink takes this much; 0: size + 1 */
	size_t recv_max;	/* at most this many data bytes asked for and read */
	bool retry_safe;	/* expected after the last call */
	bool reusable;		/* expected after the last call, before QUIT */
	enum kftp_retr_kind kind;
	const char *text;	/* the file is this text, not random bytes */
	bool unix_lines;	/* a listing's CR LF into LF */
	const char *expect;	/* what the sink gets, if not the file's bytes */
	bool mlsd;		/* expected: the listing is MLSD's */
	unsigned int entries;	/* MLSD: the entries it must parse into */
	bool mtime;		/* ask MDTM */
	s64 mtime_sec;		/* expected, with mtime_nsec; 0: not known */
	u32 mtime_nsec;
	u64 offset;		/* the sink has this much of the file already */
	u64 length;		/* a segment: this many bytes from offset */
	size_t send_off;	/* the server sends from this byte */
	const struct ftp_step *login_script;	/* played before script */
	enum kftp_tls tls;	/* the session's, with the name TLS_NAME */
	int ctrl_tls;		/* what the control handshake says */
	int data_tls;		/* what each data handshake says */
	/* 1 + the replies read before the control or data handshake; 0: none */
	unsigned int ctrl_tls_at;
	unsigned int data_tls_at;
};

struct session_ctx {
	/* the TLS stubs: calls, 1 + s.replies at the last, the name given */
	unsigned int ctrl_tls_calls, data_tls_calls;
	unsigned int ctrl_tls_at, data_tls_at;
	bool accepted;			/* active: the server connected */
	bool accepted_at_tls;		/* before the data handshake */
	bool tls_names_ok;		/* every handshake was given TLS_NAME */
	int ctrl_tls_err, data_tls_err;	/* what the stubs return */
	unsigned int data_ends;		/* data_end() calls */
	struct ftp_server srv;
	struct kftp_conn conn;
	bool conn_inited;
	struct delayed_work cancel;
	struct kftp_session s;
	struct mem_sink sink;
	u8 *payload;
	void *rbuf;
	size_t data_asked;	/* the most asked of one data_recv(), data_read() */
	size_t data_read;	/* bytes they returned */
	bool direct;		/* the sink reads the socket (read_sock) */
	/* direct: kftp.ko's actor into a file, for a transfer of ours */
	struct kftp_transfer *kt;
	struct kftp_stream ksink;
	struct file *file;
};

#if KFTP_HAVE_RECV_DIRECT
/*
 * kftp.ko's own data_read actor writes the batch into the file from where
 * the memory sink ends, within max_size (the sink's room); what it wrote,
 * also before an error, is read back into the memory sink for the checks.
 */
static int mem_write_data(void *priv, struct kftp_data *data, size_t len)
{
	struct session_ctx *x = container_of(priv, struct session_ctx, sink);
	loff_t start = x->sink.len, pos = start;
	size_t got;
	int err;

	x->kt->dest.pos = start;
	err = kftp_stream_write_data(&x->ksink, data, len);
	got = x->kt->dest.pos - start;
	if (got && kftp_kernel_read(x->file, x->sink.buf + start, got, &pos) != got)
		return -EIO;
	x->sink.len += got;
	return err;
}

static const struct kftp_sink_ops mem_direct_ops = {
	.begin = mem_begin,
	.write = mem_write,
	.write_data = mem_write_data,
};
#endif

/* kftp_sock_ops, watching what the session asks of the data connection */
static int test_ctrl_send(void *priv, const char *buf, size_t len)
{
	return kftp_sock_ops.ctrl_send(&((struct session_ctx *)priv)->conn, buf, len);
}

static void test_ctrl_begin(void *priv)
{
	kftp_sock_ops.ctrl_begin(&((struct session_ctx *)priv)->conn);
}

static int test_ctrl_recv(void *priv, char *buf, size_t len)
{
	return kftp_sock_ops.ctrl_recv(&((struct session_ctx *)priv)->conn, buf, len);
}

static int test_data_connect(void *priv, u16 port)
{
	return kftp_sock_ops.data_connect(&((struct session_ctx *)priv)->conn, port);
}

static int test_data_listen(void *priv, struct kftp_addr *addr, u16 *port)
{
	return kftp_sock_ops.data_listen(&((struct session_ctx *)priv)->conn, addr, port);
}

static int test_data_accept(void *priv)
{
	struct session_ctx *x = priv;
	int err = kftp_sock_ops.data_accept(&x->conn);

	x->accepted = !err;
	return err;
}

static int test_ctrl_tls(void *priv, const char *name)
{
	struct session_ctx *x = priv;

	x->ctrl_tls_calls++;
	x->ctrl_tls_at = x->s.replies + 1;
	x->tls_names_ok = !strcmp(name, TLS_NAME);
	return x->ctrl_tls_err;
}

static int test_data_tls(void *priv, const char *name)
{
	struct session_ctx *x = priv;

	x->data_tls_calls++;
	x->data_tls_at = x->s.replies + 1;
	x->accepted_at_tls = x->accepted;
	x->tls_names_ok &= !strcmp(name, TLS_NAME);
	return x->data_tls_err;
}

/* kftp.ko's sends close_notify on a TLS data connection, nothing else */
static int test_data_end(void *priv)
{
	((struct session_ctx *)priv)->data_ends++;
	return 0;
}

static int test_data_recv(void *priv, void *buf, size_t len)
{
	struct session_ctx *x = priv;
	int n = kftp_sock_ops.data_recv(&x->conn, buf, len);

	x->data_asked = max(x->data_asked, len);
	if (n > 0)
		x->data_read += n;
	return n;
}

#if KFTP_HAVE_RECV_DIRECT
static int test_data_read(void *priv, size_t len, kftp_data_write_t write,
			  void *arg)
{
	struct session_ctx *x = priv;
	int n = kftp_sock_ops.data_read(&x->conn, len, write, arg);

	x->data_asked = max(x->data_asked, len);
	if (n > 0)
		x->data_read += n;
	return n;
}
#endif

static int test_data_send(void *priv, const void *buf, size_t len)
{
	return kftp_sock_ops.data_send(&((struct session_ctx *)priv)->conn, buf, len);
}

#if KFTP_HAVE_SEND_PAGES
static int test_data_send_file(void *priv, struct file *file, loff_t *pos,
			       size_t len)
{
	return kftp_sock_ops.data_send_file(&((struct session_ctx *)priv)->conn,
					    file, pos, len);
}
#endif

static void test_data_close(void *priv)
{
	kftp_sock_ops.data_close(&((struct session_ctx *)priv)->conn);
}

static const struct kftp_transport_ops test_ops = {
	.ctrl_send	= test_ctrl_send,
	.ctrl_begin	= test_ctrl_begin,
	.ctrl_recv	= test_ctrl_recv,
	.data_connect	= test_data_connect,
	.data_listen	= test_data_listen,
	.data_accept	= test_data_accept,
	.data_recv	= test_data_recv,
#if KFTP_HAVE_RECV_DIRECT
	.data_read	= test_data_read,
#endif
	.data_send	= test_data_send,
#if KFTP_HAVE_SEND_PAGES
	.data_send_file	= test_data_send_file,
#endif
	.data_close	= test_data_close,
	.ctrl_tls	= test_ctrl_tls,
	.data_tls	= test_data_tls,
	.data_end	= test_data_end,
};

#define RBUF_SIZE	4096

static int kftp_session_suite_init(struct kunit_suite *suite)
{
	int err;

	/* UML boots with lo down; the tests need 127.0.0.1 */
	rtnl_lock();
	err = dev_open(init_net.loopback_dev, NULL);
	rtnl_unlock();
	return err;
}

static void kftp_test_cancel_fn(struct work_struct *work)
{
	struct session_ctx *x = container_of(to_delayed_work(work), struct session_ctx, cancel);

	kftp_conn_cancel(&x->conn);
}

static int kftp_session_test_init(struct kunit *test)
{
	struct session_ctx *x = kunit_kzalloc(test, sizeof(*x), GFP_KERNEL);

	if (!x)
		return -ENOMEM;
	kftp_srv_init(&x->srv);
	INIT_DELAYED_WORK(&x->cancel, kftp_test_cancel_fn);
	test->priv = x;
	return 0;
}

static void kftp_session_test_exit(struct kunit *test)
{
	struct session_ctx *x = test->priv;

	cancel_delayed_work_sync(&x->cancel);
	if (x->file)
		fput(x->file);
	if (x->conn_inited)
		kftp_conn_close(&x->conn);
	if (x->srv.task) {
		wait_for_completion_timeout(&x->srv.done, 4 * SRV_TIMEOUT);
		kthread_stop(x->srv.task);
		x->srv.task = NULL;
	}
	kftp_srv_release(&x->srv.listen);
}

static void fill_payload(u8 *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (i * 2654435761u) >> 24;
}

/*
 * The listing received parses back, entry by entry, into @entries; each
 * line ends in CR LF, or in LF alone when @unix_lines.
 */
static void check_mlsd(struct kunit *test, const char *p, size_t len,
		       unsigned int entries, bool unix_lines)
{
	struct kftp_mlsd_entry e;
	unsigned int n = 0;
	const char *lf;

	while (len && (lf = memchr(p, '\n', len))) {
		KUNIT_ASSERT_TRUE(test, lf > p && (lf[-1] == '\r') != unix_lines);
		KUNIT_EXPECT_EQ(test, kftp_parse_mlsd_line(p, lf - !unix_lines - p, &e), 0);
		n++;
		len -= lf + 1 - p;
		p = lf + 1;
	}
	KUNIT_EXPECT_EQ(test, len, 0);
	KUNIT_EXPECT_EQ(test, n, entries);
}

static void run_session(struct kunit *test, const struct session_case *c)
{
	struct session_ctx *x = test->priv;
	struct ftp_server *srv = &x->srv;
	size_t size = c->text ? strlen(c->text) : c->size;
	size_t sent = c->sent ? c->sent : size - c->send_off;
	size_t room = c->room ? c->room : max_t(size_t, size, c->offset) + 1;
	struct kftp_retr r = {
		.path = c->path ? c->path : "pub/file.bin",
		.mode = c->mode,
		.sink = &mem_sink_ops,
		.sink_priv = &x->sink,
		.buf_size = RBUF_SIZE,
		.max_size = c->max_size,
		.kind = c->kind,
		.offset = c->offset,
		.mtime = c->mtime,
		.length = c->length,
		.unix_lines = c->unix_lines,
	};
	int retr_want = x->direct && c->retr_direct ? c->retr_direct : c->retr;
	ktime_t quit_start;
	int err;

	x->payload = kunit_kmalloc(test, size + 1, GFP_KERNEL);
	x->sink.buf = kunit_kmalloc(test, room, GFP_KERNEL);
	x->rbuf = kunit_kmalloc(test, RBUF_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, x->payload);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, x->sink.buf);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, x->rbuf);
	if (c->text)
		memcpy(x->payload, c->text, size + 1);
	else
		fill_payload(x->payload, size + 1);
	x->sink.size = room;
	x->sink.total = -2;
	/* a part kept from before: the file's bytes, and junk past its end */
	memset(x->sink.buf, 0xaa, c->offset);
	memcpy(x->sink.buf, x->payload, min_t(size_t, c->offset, size));
	x->sink.len = c->offset;
	r.buf = x->rbuf;
#if KFTP_HAVE_RECV_DIRECT
	if (x->direct) {
		r.sink = &mem_direct_ops;
		x->kt->opts.max_size = room;
	}
#endif

	srv->v6 = c->v6;
	srv->client_addr = c->v6 ? kftp_test_loopback6 :
			   c->src ? kftp_test_src : kftp_test_loopback;
	srv->script[0] = c->anon ? kftp_srv_login_anon : c->login_script;
	srv->script[1] = c->script;
	srv->payload = x->payload;
	srv->send_off = c->send_off;
	srv->send_len = sent;
	KUNIT_ASSERT_EQ(test, kftp_srv_listen_on(&srv->listen, &srv->port, 4, c->v6), 0);
	srv->task = kthread_run(kftp_srv_thread, srv, "kftp-test-ftpd");
	if (IS_ERR(srv->task)) {
		err = PTR_ERR(srv->task);
		srv->task = NULL;
		KUNIT_ASSERT_EQ(test, err, 0);
	}

	kftp_conn_init(&x->conn, &init_net,
		       c->v6 ? &kftp_test_loopback6 : &kftp_test_loopback, srv->port,
		       c->src ? &kftp_test_src : &kftp_test_no_src,
		       c->timeout ? c->timeout : CLIENT_TIMEOUT);
	x->conn_inited = true;
	KUNIT_ASSERT_EQ(test, kftp_conn_open(&x->conn), 0);
	kftp_session_init(&x->s, &test_ops, x);
	x->s.ipv6 = c->v6;
	x->ctrl_tls_err = c->ctrl_tls;
	x->data_tls_err = c->data_tls;
	x->s.tls = c->tls;
	x->s.tls_name = TLS_NAME;
	if (c->cancel_ms)
		schedule_delayed_work(&x->cancel, msecs_to_jiffies(c->cancel_ms));

	err = kftp_session_login(&x->s, c->user, c->pass);
	KUNIT_EXPECT_EQ(test, err, c->login);
	if (!err) {
		err = kftp_session_retr(&x->s, &r);
		KUNIT_EXPECT_EQ(test, err, retr_want);
	}
	if (c->again && err == retr_want) {
		/* the control connection is reused: the parser and buffers too */
		x->sink.len = 0;
		x->sink.begins = 0;
		x->sink.total = -2;
		err = kftp_session_retr(&x->s, &r);
		KUNIT_EXPECT_EQ(test, err, c->retr2);
	}
	cancel_delayed_work_sync(&x->cancel);
	/* TLS: each handshake where RFC 4217 puts it, with the name */
	KUNIT_EXPECT_EQ(test, x->ctrl_tls_calls, c->ctrl_tls_at ? 1U : 0U);
	KUNIT_EXPECT_EQ(test, x->ctrl_tls_at, c->ctrl_tls_at);
	KUNIT_EXPECT_EQ(test, x->data_tls_calls, c->data_tls_at ? 1U : 0U);
	KUNIT_EXPECT_EQ(test, x->data_tls_at, c->data_tls_at);
	if (c->ctrl_tls_at)
		KUNIT_EXPECT_TRUE(test, x->tls_names_ok);
	if (c->data_tls_at && c->mode == KFTP_MODE_ACTIVE)
		KUNIT_EXPECT_TRUE(test, x->accepted_at_tls);
	if (!c->login && c->tls)
		KUNIT_EXPECT_EQ(test, x->s.prot_p, c->tls != KFTP_TLS_CONTROL);
	KUNIT_EXPECT_EQ(test, x->s.tls_failed,
			(c->ctrl_tls_at && c->ctrl_tls) || (c->data_tls_at && c->data_tls));
	/* reply_failed and the reply text are about the last step */
	KUNIT_EXPECT_EQ(test, x->s.reply_failed, c->reply_failed);
	if (c->reply)
		KUNIT_EXPECT_STREQ(test, x->s.parser.reply.text, c->reply);
	KUNIT_EXPECT_EQ(test, x->s.retry_safe, c->retry_safe);
	KUNIT_EXPECT_EQ(test, kftp_session_reusable(&x->s), c->reusable);
	KUNIT_EXPECT_EQ(test, x->s.mlsd, c->mlsd);
	KUNIT_EXPECT_EQ(test, x->s.mtime_known, c->mtime_sec != 0);
	if (c->mtime_sec) {
		KUNIT_EXPECT_EQ(test, x->s.mtime, c->mtime_sec);
		KUNIT_EXPECT_EQ(test, x->s.mtime_nsec, c->mtime_nsec);
	}
	if (c->recv_max) {
		/* whatever the server sends, the session reads a bounded amount */
		KUNIT_EXPECT_LE(test, x->data_asked, c->recv_max);
		KUNIT_EXPECT_LE(test, x->data_read, c->recv_max);
		KUNIT_EXPECT_LT(test, x->sink.len, c->recv_max);
	}
	if (c->quit) {
		/* QUIT does not wait for 221 */
		quit_start = ktime_get();
		kftp_session_quit(&x->s);
		KUNIT_EXPECT_LT(test, kftp_ktime_ms_delta(ktime_get(), quit_start), 1000);
		KUNIT_EXPECT_FALSE(test, kftp_session_reusable(&x->s));
	}
	kftp_conn_close(&x->conn);

	KUNIT_EXPECT_GT(test, wait_for_completion_timeout(&srv->done, 4 * SRV_TIMEOUT), 0UL);
	if (c->srv_error) {
		KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(srv->error, c->srv_error),
					  "server: \"%s\"", srv->error);
		return;
	}
	KUNIT_EXPECT_STREQ(test, srv->error, "");
	KUNIT_EXPECT_EQ(test, srv->done_steps,
			kftp_srv_script_len(srv->script[0]) + kftp_srv_script_len(srv->script[1]));

	if (!c->login && !(c->again ? c->retr2 : retr_want)) {
		/* every byte, once, in order; a segment's up to its end */
		size_t want = c->expect ? strlen(c->expect) :
			      c->length ? c->offset + c->length : size;

		KUNIT_EXPECT_EQ(test, x->sink.begins, 1U);
		KUNIT_EXPECT_EQ(test, x->sink.total, c->size_unknown ? -1 : (s64)size);
		KUNIT_EXPECT_EQ(test, x->sink.len, want);
		KUNIT_EXPECT_EQ(test, memcmp(x->sink.buf, c->expect ?: (char *)x->payload,
					     want), 0);
		if (c->mlsd)
			check_mlsd(test, (const char *)x->sink.buf, x->sink.len, c->entries,
				   c->unix_lines);
	}
}

#define OK(n)	.size = (n), .quit = true, .reusable = true

#define MLSD_TEXT "type=cdir;modify=20240101000000; .\r\n" \
	"type=file;size=1024;modify=20240229123456.123;UNIX.mode=0644; f1024.bin\r\n" \
	"Type=dir;Modify=19991231235960;Perm=el; sub dir\r\n" \
	" no facts\r\n"
#define MLSD_LINES "type=cdir;modify=20240101000000; .\n" \
	"type=file;size=1024;modify=20240229123456.123;UNIX.mode=0644; f1024.bin\n" \
	"Type=dir;Modify=19991231235960;Perm=el; sub dir\n" \
	" no facts\n"
#define LIST_TEXT "-rw-r--r--    1 0        0            1024 Feb 29 12:34 f1024.bin\r\n"

static const struct session_case session_cases[] = {
	/* successful transfers: every byte arrives */
	{ "passive_epsv", .anon = true, .script = s_passive, OK(100000) },
	{ "passive_user_prelim_multiline", .script = s_passive_user, .user = "alice",
	  .pass = "p@ss w:rd", .path = "/home/alice/a b.txt", OK(4321) },
	{ "epsv_refused_pasv", .anon = true, .script = s_pasv_fallback, OK(100000) },
	{ "epsv_502_pasv_no_parens", .anon = true, .script = s_pasv_no_parens, OK(100000) },
	{ "active_eprt", .anon = true, .script = s_active, .mode = KFTP_MODE_ACTIVE,
	  OK(100000) },
	{ "active_eprt_refused_port", .anon = true, .script = s_active_port,
	  .mode = KFTP_MODE_ACTIVE, OK(100000) },
	{ "226_before_data", .anon = true, .script = s_226_first, OK(100000) },
	{ "size_from_150", .anon = true, .script = s_size_from_150, OK(100000) },
	{ "size_unknown", .anon = true, .script = s_size_unknown, OK(777), .size_unknown = true },
	{ "empty_file", .anon = true, .script = s_size_unknown, OK(0), .size_unknown = true },
	{ "slow_multiline_no_pass", .script = s_slow_multiline, .user = "bob", OK(100000) },
	/* FTPS: AUTH TLS, USER/PASS, PBSZ 0, PROT; the data handshake after 150 */
	{ "tls_required_passive", .login_script = s_tls_login_p,
	  .script = s_tls_passive, .user = "alice", .pass = "secret",
	  .tls = KFTP_TLS_REQUIRED, .ctrl_tls_at = 3, .data_tls_at = 11, OK(100000) },
	{ "tls_required_active", .login_script = s_tls_login_p,
	  .script = s_tls_active, .user = "alice", .pass = "secret",
	  .tls = KFTP_TLS_REQUIRED, .mode = KFTP_MODE_ACTIVE, .ctrl_tls_at = 3,
	  .data_tls_at = 11, OK(100000) },
	{ "tls_control_clear_data", .login_script = s_tls_login_c,
	  .script = s_tls_control, .user = "alice", .pass = "secret",
	  .tls = KFTP_TLS_CONTROL, .ctrl_tls_at = 3, OK(100000) },
	{ "tls_implicit_before_greeting", .script = s_tls_implicit, .user = "alice",
	  .pass = "secret", .tls = KFTP_TLS_IMPLICIT, .ctrl_tls_at = 1,
	  .data_tls_at = 10, OK(100000) },
	{ "tls_auth_refused", .script = s_tls_auth_refused, .user = "alice",
	  .pass = "secret", .tls = KFTP_TLS_REQUIRED, .login = -EOPNOTSUPP,
	  .reply_failed = true, .reply = "502 Command not implemented.",
	  .quit = true, .reusable = true },
	{ "tls_234_then_clear", .script = s_tls_234_clear, .user = "alice",
	  .pass = "secret", .tls = KFTP_TLS_REQUIRED, .login = -EPROTO,
	  .reply_failed = true, .reply = "234 Proceed." },
	{ "tls_handshake_fails", .script = s_tls_handshake, .user = "alice",
	  .pass = "secret", .tls = KFTP_TLS_CONTROL, .ctrl_tls = -EKEYREJECTED,
	  .login = -EKEYREJECTED, .ctrl_tls_at = 3 },
	{ "tls_data_handshake_fails", .login_script = s_tls_login_p,
	  .script = s_tls_data_fails, .user = "alice", .pass = "secret",
	  .tls = KFTP_TLS_REQUIRED, .data_tls = -EKEYREJECTED, .retr = -EKEYREJECTED,
	  .ctrl_tls_at = 3, .data_tls_at = 11 },
	{ "tls_reuse_required", .login_script = s_tls_login_p,
	  .script = s_tls_reuse, .user = "alice", .pass = "secret",
	  .tls = KFTP_TLS_REQUIRED, .data_tls = -ECONNRESET, .retr = -EIO,
	  .reply_failed = true, .reply = REUSE_TEXT, .ctrl_tls_at = 3, .data_tls_at = 11 },
	/* failures: the errno, and the reply it came with */
	{ "login_530", .script = s_login_530, .user = "alice", .pass = "secret",
	  .login = -EACCES, .reply_failed = true, .reply = "530 Login incorrect.",
	  .quit = true, .reusable = true },
	{ "banner_421", .script = s_banner_421, .login = -ECONNRESET, .reply_failed = true,
	  .reply = "421 Too many connections." },
	{ "type_504", .script = s_type_refused, .login = -EOPNOTSUPP, .reply_failed = true,
	  .reply = "504 Command not implemented for that parameter.", .quit = true,
	  .reusable = true },
	{ "retr_550", .anon = true, .script = s_retr_550, .path = "missing.bin",
	  .retr = -ENOENT, .reply_failed = true, .reply = "550 Failed to open file.",
	  .quit = true, .reusable = true },
	/* a server that ended an idle session: the first command may be retried */
	{ "421_at_size", .anon = true, .script = s_421_size, .retr = -ECONNRESET,
	  .reply_failed = true, .reply = "421 Timeout.", .retry_safe = true },
	{ "eof_at_size", .anon = true, .script = s_eof_size, .retr = -ECONNRESET,
	  .retry_safe = true },
	{ "421_at_epsv", .anon = true, .script = s_421_epsv, .retr = -ECONNRESET,
	  .reply_failed = true,
	  .reply = "421 Service not available, closing control connection." },
	{ "ctrl_closed", .anon = true, .script = s_eof, .retr = -ECONNRESET },
	{ "data_closed_early", .anon = true, .script = s_short_data, .retr = -EIO,
	  .quit = true, .size = 100000, .sent = 60000 },
	{ "426_aborted", .anon = true, .script = s_426, .retr = -ECONNABORTED,
	  .reply_failed = true, .reply = "426 Connection closed; transfer aborted.",
	  .quit = true, .size = 100000, .reusable = true },
	{ "425_no_data", .anon = true, .script = s_425, .retr = -ENOTCONN,
	  .reply_failed = true, .reply = "425 Can't open data connection.", .quit = true,
	  .reusable = true },
	{ "bad_epsv_reply", .anon = true, .script = s_bad_epsv, .retr = -EPROTO,
	  .reply_failed = true, .reply = "229 Entering Extended Passive Mode (|||0|)",
	  .quit = true },
	/* a server that stalls: the client's timeout ends the wait */
	{ "stall_ctrl", .script = s_stall_ctrl, .timeout = 1, .login = -ETIMEDOUT },
	{ "stall_data", .anon = true, .script = s_stall_data, .timeout = 1,
	  .retr = -ETIMEDOUT, .size = 100000 },
	{ "two_files_one_session", .anon = true, .script = s_two_files, .again = true,
	  OK(100000) },
	{ "failed_then_ok_one_session", .anon = true, .script = s_fail_then_ok,
	  .again = true, .retr = -ENOENT, OK(100000) },
	{ "pasv_address_ignored", .anon = true, .script = s_pasv_other_host, OK(100000) },
	{ "prelim_8_then_final", .script = s_prelim_8, .user = "bob", OK(100000) },
	{ "prelim_9_refused", .script = s_prelim_9, .login = -EPROTO },
	{ "ssh_banner", .script = s_ssh_banner, .login = -EPROTO },
	{ "data_longer_than_size", .anon = true, .script = s_short_data, .retr = -EIO,
	  .quit = true, .size = 100000, .sent = 100001, .recv_max = 100001 },
	{ "passive_src", .anon = true, .script = s_passive, .src = true, OK(100000) },
	{ "active_src", .anon = true, .script = s_active_src, .src = true,
	  .mode = KFTP_MODE_ACTIVE, OK(100000) },
	{ "bad_pasv_reply", .anon = true, .script = s_bad_pasv, .retr = -EPROTO,
	  .reply_failed = true, .reply = "227 Entering Passive Mode (127,0,0,1,300,1).",
	  .quit = true },
	{ "active_port_refused", .anon = true, .script = s_port_refused,
	  .mode = KFTP_MODE_ACTIVE, .retr = -EOPNOTSUPP, .reply_failed = true,
	  .reply = "500 Illegal PORT command.", .quit = true, .reusable = true },
	{ "active_eprt_421", .anon = true, .script = s_eprt_421, .mode = KFTP_MODE_ACTIVE,
	  .retr = -ECONNRESET, .reply_failed = true, .reply = "421 Service not available." },
	{ "epsv_port_closed", .anon = true, .script = s_epsv_closed, .retr = -ECONNREFUSED,
	  .quit = true },
	/* RFC 2577: a foreign peer is dropped, the server's connection taken */
	{ "active_foreign_peer", .script = s_active_foreign, .anon = true,
	  .mode = KFTP_MODE_ACTIVE, .quit = true, .reusable = true, .size = 100000 },
	/*
	 * kftp_conn_cancel() from another task ends a wait long before its
	 * timeout: its shutdown reads as the end of the control connection
	 * (the transfer, which set t->cancelled, reports -ECANCELED)
	 */
	{ "cancel_ctrl_wait", .script = s_stall_ctrl, .timeout = 30, .cancel_ms = 300,
	  .login = -ECONNRESET },
	{ "cancel_data_wait", .anon = true, .script = s_stall_data, .timeout = 30,
	  .cancel_ms = 300, .retr = -ECONNRESET, .size = 100000 },
	/* a 1xx to a command that has none: out of step, never reused */
	{ "user_120", .script = s_user_1xx, .user = "bob", .login = -EPROTO,
	  .reply_failed = true, .reply = "120 Wait a moment." },
	{ "pass_150", .script = s_pass_1xx, .user = "alice", .pass = "secret",
	  .login = -EPROTO, .reply_failed = true, .reply = "150 Checking." },
	{ "type_110", .script = s_type_1xx, .login = -EPROTO,
	  .reply_failed = true, .reply = "110 MARK" },
	{ "size_110", .anon = true, .script = s_size_1xx, .retr = -EPROTO,
	  .reply_failed = true, .reply = "110 Restart marker." },
	{ "epsv_150", .anon = true, .script = s_epsv_1xx, .retr = -EPROTO,
	  .reply_failed = true, .reply = "150 ok" },
	{ "pasv_125", .anon = true, .script = s_pasv_1xx, .retr = -EPROTO,
	  .reply_failed = true, .reply = "125 ok" },
	{ "eprt_150", .anon = true, .script = s_eprt_1xx, .mode = KFTP_MODE_ACTIVE,
	  .retr = -EPROTO, .reply_failed = true, .reply = "150 ok" },
	{ "port_120", .anon = true, .script = s_port_1xx, .mode = KFTP_MODE_ACTIVE,
	  .retr = -EPROTO, .reply_failed = true, .reply = "120 ok" },
	{ "retr_stray_110", .anon = true, .script = s_retr_110, .retr = -EPROTO,
	  .reply_failed = true, .reply = "110 MARK 0 = 0" },
	{ "retr_stray_120", .anon = true, .script = s_retr_120, .retr = -EPROTO,
	  .reply_failed = true, .reply = "120 Service ready in 1 minute." },
	/* the server does not decide how much is written */
	{ "endless_after_size", .anon = true, .script = s_endless_size, .retr = -EIO,
	  .size = 10, .room = 1 << 20, .recv_max = 11 },
	{ "endless_max_size", .anon = true, .script = s_endless, .retr = -EFBIG,
	  .size = 10, .room = 1 << 20, .max_size = 1000, .recv_max = 1001 },
	{ "endless_size_and_max_size", .anon = true, .script = s_endless_size, .retr = -EIO,
	  .size = 10, .room = 1 << 20, .max_size = 1000, .recv_max = 11 },
	{ "max_size_exact", .anon = true, .script = s_size_unknown, OK(1000),
	  .size_unknown = true, .max_size = 1000, .recv_max = 1001 },
	{ "max_size_one_over", .anon = true, .script = s_size_unknown, .retr = -EFBIG,
	  .quit = true, .size = 1001, .max_size = 1000, .recv_max = 1001 },
	{ "max_size_equals_size", .anon = true, .script = s_passive, OK(100000),
	  .max_size = 100000 },
	/*
	 * the sink fills up in the middle of the stream (of an skb, read_sock:
	 * kftp.ko's actor stops at max_size, which is the room there)
	 */
	{ "sink_full_mid_stream", .anon = true, .script = s_short_data, .retr = -ENOSPC,
	  .retr_direct = -EFBIG, .quit = true, .size = 100000, .room = 50001 },
	{ "size_over_max_size", .anon = true, .script = s_size_only, .retr = -EFBIG,
	  .max_size = 99999, .recv_max = 1 },
	/* teardown never waits on the server */
	{ "quit_unanswered", .anon = true, .script = s_quit_unanswered, OK(100000) },
	/* IPv6: the same conversation over ::1, EPRT |2|, no PASV or PORT */
	{ "passive_epsv_ipv6", .anon = true, .script = s_passive, .v6 = true, OK(100000) },
	{ "active_eprt_ipv6", .anon = true, .script = s_active6, .v6 = true,
	  .mode = KFTP_MODE_ACTIVE, OK(100000) },
	{ "epsv_refused_no_pasv_ipv6", .anon = true, .script = s_epsv_refused6, .v6 = true,
	  .retr = -EOPNOTSUPP, .reply_failed = true,
	  .reply = "500 'EPSV': command not understood.", .quit = true, .reusable = true },
	{ "eprt_refused_no_port_ipv6", .anon = true, .script = s_eprt_refused6, .v6 = true,
	  .mode = KFTP_MODE_ACTIVE, .retr = -EOPNOTSUPP, .reply_failed = true,
	  .reply = "500 'EPRT': command not understood.", .quit = true, .reusable = true },
	/* listings */
	{ "mlsd", .anon = true, .script = s_mlsd, .path = "pub", .kind = KFTP_RETR_LIST,
	  .text = MLSD_TEXT, .mlsd = true, .entries = 4, .size_unknown = true, OK(0) },
	{ "mlsd_login_dir", .anon = true, .script = s_mlsd_login_dir, .path = "",
	  .kind = KFTP_RETR_LIST, .text = MLSD_TEXT, .mlsd = true, .entries = 4,
	  .size_unknown = true, OK(0) },
	{ "mlsd_500_list", .anon = true, .script = s_mlsd_500_list, .path = "pub",
	  .kind = KFTP_RETR_LIST, .text = LIST_TEXT, .size_unknown = true, OK(0) },
	{ "mlsd_502_list_active", .anon = true, .script = s_mlsd_502_list_active,
	  .path = "pub", .kind = KFTP_RETR_LIST, .mode = KFTP_MODE_ACTIVE, .text = LIST_TEXT,
	  .size_unknown = true, OK(0) },
	{ "mlsd_550", .anon = true, .script = s_mlsd_550, .path = "pub", .kind = KFTP_RETR_LIST,
	  .retr = -ENOENT, .reply_failed = true, .reply = "550 No such directory.",
	  .mlsd = true, .quit = true, .reusable = true },
	{ "mlsd_bad_entry", .anon = true, .script = s_mlsd, .path = "pub",
	  .kind = KFTP_RETR_LIST, .text = "type=file;size=1; a\r\nsize=x; b\r\n",
	  .retr = -EPROTO, .mlsd = true, .quit = true },
	{ "mlsd_cut_short", .anon = true, .script = s_mlsd, .path = "pub",
	  .kind = KFTP_RETR_LIST, .text = "type=file;size=1; a\r\ntype=file; b",
	  .retr = -EPROTO, .mlsd = true, .quit = true },
	{ "nlst", .anon = true, .script = s_nlst, .path = "pub", .kind = KFTP_RETR_NAMES,
	  .text = "a.bin\r\nb.bin\r\n", .size_unknown = true, OK(0) },
	/* Unix text lines: CR LF into LF, a lone CR kept, MLSD still checked */
	{ "mlsd_unix_lines", .anon = true, .script = s_mlsd, .path = "pub",
	  .kind = KFTP_RETR_LIST, .text = MLSD_TEXT, .unix_lines = true, .expect = MLSD_LINES,
	  .mlsd = true, .entries = 4, .size_unknown = true, OK(0) },
	{ "nlst_unix_lines", .anon = true, .script = s_nlst, .path = "pub",
	  .kind = KFTP_RETR_NAMES, .text = "a\rb.bin\r\nc.bin\r\n", .unix_lines = true,
	  .expect = "a\rb.bin\nc.bin\n", .size_unknown = true, OK(0) },
	{ "mlsd_unix_lines_bad_entry", .anon = true, .script = s_mlsd, .path = "pub",
	  .kind = KFTP_RETR_LIST, .text = "type=file;size=1; a\r\nsize=x; b\r\n",
	  .unix_lines = true, .retr = -EPROTO, .mlsd = true, .quit = true },
	{ "list_421_first", .anon = true, .script = s_list_421, .path = "pub",
	  .kind = KFTP_RETR_LIST, .retr = -ECONNRESET, .reply_failed = true,
	  .reply = "421 Timeout.", .retry_safe = true },
	/* MDTM */
	{ "mdtm", .anon = true, .script = s_mdtm, .mtime = true, .mtime_sec = 1709210096,
	  .mtime_nsec = 500000000, OK(100000) },
	{ "mdtm_550", .anon = true, .script = s_mdtm_550, .mtime = true, OK(100000) },
	{ "mdtm_garbage", .anon = true, .script = s_mdtm_garbage, .mtime = true,
	  .retr = -EPROTO, .reply_failed = true, .reply = "213 2024-02-29 12:34:56",
	  .quit = true },
	{ "mdtm_450", .anon = true, .script = s_mdtm_450, .mtime = true, .retr = -EAGAIN,
	  .reply_failed = true, .reply = "450 Busy.", .quit = true, .reusable = true },
	/* REST */
	{ "rest_350", .anon = true, .script = s_rest, .offset = 40000, .send_off = 40000,
	  OK(100000) },
	{ "rest_350_bare_active", .anon = true, .script = s_rest_bare,
	  .mode = KFTP_MODE_ACTIVE, .offset = 40000, .send_off = 40000, OK(100000) },
	{ "rest_refused_from_0", .anon = true, .script = s_rest_refused, .offset = 40000,
	  OK(100000) },
	{ "rest_elsewhere", .anon = true, .script = s_rest_elsewhere, .offset = 40000,
	  .retr = -EPROTO, .reply_failed = true,
	  .reply = "350 Restarting at 4000. Send STORE or RETRIEVE.", .quit = true,
	  .size = 100000 },
	{ "rest_421", .anon = true, .script = s_rest_421, .offset = 40000,
	  .retr = -ECONNRESET, .reply_failed = true, .reply = "421 Timeout.",
	  .size = 100000 },
	{ "rest_whole_file_kept", .anon = true, .script = s_size_only, .offset = 100000,
	  .size = 100000, .reusable = true },
	{ "rest_file_now_shorter", .anon = true, .script = s_passive, .offset = 150000,
	  OK(100000) },
	/* segments: a range, never more, and a connection never reused */
	{ "range_middle", .anon = true, .script = s_range, .offset = 40000, .length = 30000,
	  .send_off = 40000, .size = 100000, .size_unknown = true, .quit = true },
	{ "range_from_0", .anon = true, .script = s_range_0, .length = 30000, .sent = 60000,
	  .size = 100000, .size_unknown = true, .quit = true },
	{ "range_short", .anon = true, .script = s_range, .offset = 40000, .length = 30000,
	  .send_off = 40000, .sent = 10000, .size = 100000, .retr = -EIO, .quit = true },
	{ "range_rest_refused", .anon = true, .script = s_range_refused, .offset = 40000,
	  .length = 30000, .size = 100000, .retr = -ESPIPE, .quit = true },
	/* the server itself: a command it does not expect fails the test */
	{ "server_catches_unexpected", .script = s_unexpected, .login = -ECONNRESET,
	  .srv_error = "unexpected command \"USER anonymous\"" },
};

static void session_desc(const struct session_case *c, char *desc)
{
	kftp_strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(session, session_cases, session_desc);

static void kftp_session_test(struct kunit *test)
{
	const struct session_case *c = test->param_value;
	ktime_t start = ktime_get();
	s64 ms;

	run_session(test, c);
	ms = kftp_ktime_ms_delta(ktime_get(), start);
	/* a stall ends by the client's timeout, not the server's */
	if (c->cancel_ms)
		KUNIT_EXPECT_LT(test, ms, (s64)c->cancel_ms + 2 * MSEC_PER_SEC);
	else if (c->timeout)
		KUNIT_EXPECT_LT(test, ms, (s64)(c->timeout + 2) * MSEC_PER_SEC);
	if (c->login == -ETIMEDOUT || c->retr == -ETIMEDOUT)
		KUNIT_EXPECT_GE(test, ms, (s64)c->timeout * MSEC_PER_SEC - 100);
}

#if KFTP_HAVE_RECV_DIRECT
/*
 * The same conversations with a file's data taken by the transport's
 * data_read (tcp_read_sock()) and written by kftp.ko's actor: the waits,
 * timeouts, cancels, the limits and a sink that fills up in the middle of
 * an skb.
 */
static void kftp_session_direct_test(struct kunit *test)
{
	struct session_ctx *x = test->priv;

	x->direct = true;
	x->kt = kunit_kzalloc(test, sizeof(*x->kt), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, x->kt);
	/* UML's rootfs, as kftp.ko writes a file: through the page cache */
	x->file = filp_open("/kftp-kunit.bin", O_RDWR | O_CREAT | O_TRUNC | O_LARGEFILE, 0600);
	if (IS_ERR(x->file)) {
		KUNIT_ASSERT_EQ(test, PTR_ERR(x->file), 0);
		x->file = NULL;
	}
	x->kt->dest.file = x->file;
	x->ksink.t = x->kt;
	x->ksink.pos = &x->kt->dest.pos;
	kftp_session_test(test);
}
#endif

/* Nobody listens: the connect fails at once with ECONNREFUSED. */
static void kftp_session_refused_test(struct kunit *test)
{
	struct session_ctx *x = test->priv;
	struct socket *sock = NULL;
	u16 port;

	/* a port that was just free and is free again */
	KUNIT_ASSERT_EQ(test, kftp_srv_listen(&sock, &port), 0);
	kftp_srv_release(&sock);
	kftp_conn_init(&x->conn, &init_net, &kftp_test_loopback, port, &kftp_test_no_src,
		       CLIENT_TIMEOUT);
	x->conn_inited = true;
	KUNIT_EXPECT_EQ(test, kftp_conn_open(&x->conn), -ECONNREFUSED);
}

/*
 * A server that never answers the SYN (its accept queue is full, so the
 * SYNs are dropped): the connect ends with ETIMEDOUT after the timeout.
 */
static void kftp_session_connect_timeout_test(struct kunit *test)
{
	struct kftp_conn *conns = kunit_kcalloc(test, 4, sizeof(*conns), GFP_KERNEL);
	struct socket *sock = NULL;
	ktime_t start = 0;
	int i, n, err = 0;
	u16 port;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, conns);
	KUNIT_ASSERT_EQ(test, kftp_srv_listen_backlog(&sock, &port, 0), 0);
	for (n = 0; n < 4 && !err; n++) {
		kftp_conn_init(&conns[n], &init_net, &kftp_test_loopback, port,
			       &kftp_test_no_src, 1);
		start = ktime_get();
		err = kftp_conn_open(&conns[n]);
	}
	KUNIT_EXPECT_EQ(test, err, -ETIMEDOUT);
	KUNIT_EXPECT_GE(test, kftp_ktime_ms_delta(ktime_get(), start), 900);
	KUNIT_EXPECT_LT(test, kftp_ktime_ms_delta(ktime_get(), start), 3000);
	for (i = 0; i < n; i++)
		kftp_conn_close(&conns[i]);
	kftp_srv_release(&sock);
}

/* After kftp_conn_cancel(), no new connection is made. */
static void kftp_session_cancelled_open_test(struct kunit *test)
{
	struct session_ctx *x = test->priv;
	u16 port;

	KUNIT_ASSERT_EQ(test, kftp_srv_listen(&x->srv.listen, &port), 0);
	kftp_conn_init(&x->conn, &init_net, &kftp_test_loopback, port, &kftp_test_no_src,
		       CLIENT_TIMEOUT);
	x->conn_inited = true;
	kftp_conn_cancel(&x->conn);
	KUNIT_EXPECT_EQ(test, kftp_conn_open(&x->conn), -ECANCELED);
}

/* ---- uploads: kftp_session_stor() ---- */

#define TAG		0x0123456789abcdefULL
#define TEMP		"pub/.kftp-0123456789abcdef-up.bin"
#define STOR_150	"150 Ok to send data."

static const struct ftp_step p_stor[] = {
	EPSV_OK,
	{ "STOR pub/up.bin", STOR_150, ACT_RECV },
	DONE_226,
	{ "SIZE pub/up.bin", "213 100000" },
	QUIT_221,
	{}
};

static const struct ftp_step p_stor_active[] = {
	{ "EPRT |1|127.0.0.1|*", "200 EPRT command successful.", ACT_EPRT },
	{ "STOR pub/up.bin", STOR_150, ACT_RECV },
	DONE_226,
	{ "SIZE pub/up.bin", "213 100000" },
	QUIT_221,
	{}
};

static const struct ftp_step p_stor_no_size[] = {
	EPSV_OK,
	{ "STOR pub/up.bin", STOR_150, ACT_RECV },
	DONE_226,
	{ "SIZE pub/up.bin", "502 Command not implemented." },
	QUIT_221,
	{}
};

static const struct ftp_step p_stor_size_short[] = {
	EPSV_OK,
	{ "STOR pub/up.bin", STOR_150, ACT_RECV },
	DONE_226,
	{ "SIZE pub/up.bin", "213 99999" },
	QUIT_221,
	{}
};

static const struct ftp_step p_stor_553[] = {
	EPSV_OK,
	{ "STOR pub/up.bin", "553 Could not create file." },
	QUIT_221,
	{}
};

static const struct ftp_step p_stor_552_after_data[] = {
	EPSV_OK,
	{ "STOR pub/up.bin", STOR_150, ACT_RECV },
	{ NULL, "552 Quota exceeded." },
	QUIT_221,
	{}
};

/* an idle pooled connection the server had closed: safe to retry */
static const struct ftp_step p_stor_421_first[] = {
	{ "EPSV", "421 Timeout.", ACT_CLOSE },
	{}
};

static const struct ftp_step p_appe[] = {
	{ "SIZE pub/up.bin", "213 3000" },
	EPSV_OK,
	{ "APPE pub/up.bin", STOR_150, ACT_RECV },
	DONE_226,
	{ "SIZE pub/up.bin", "213 103000" },
	QUIT_221,
	{}
};

/* no size before: nothing to compare after */
static const struct ftp_step p_appe_new_file[] = {
	{ "SIZE pub/up.bin", "550 No such file." },
	EPSV_OK,
	{ "APPE pub/up.bin", STOR_150, ACT_RECV },
	DONE_226,
	QUIT_221,
	{}
};

/* REST right before STOR, after EPSV (RFC 959) */
static const struct ftp_step p_resume_rest[] = {
	{ "SIZE pub/up.bin", "213 40000" },
	EPSV_OK,
	{ "REST 40000", "350 Restart position accepted (40000)." },
	{ "STOR pub/up.bin", STOR_150, ACT_RECV },
	DONE_226,
	{ "SIZE pub/up.bin", "213 100000" },
	QUIT_221,
	{}
};

static const struct ftp_step p_resume_rest_refused[] = {
	{ "SIZE pub/up.bin", "213 40000" },
	EPSV_OK,
	{ "REST 40000", "502 REST not implemented." },
	{ "APPE pub/up.bin", STOR_150, ACT_RECV },
	DONE_226,
	{ "SIZE pub/up.bin", "213 100000" },
	QUIT_221,
	{}
};

static const struct ftp_step p_resume_complete[] = {
	{ "SIZE pub/up.bin", "213 100000" },
	QUIT_221,
	{}
};

static const struct ftp_step p_resume_longer[] = {
	{ "SIZE pub/up.bin", "213 200000" },
	EPSV_OK,
	{ "STOR pub/up.bin", STOR_150, ACT_RECV },
	DONE_226,
	{ "SIZE pub/up.bin", "213 100000" },
	QUIT_221,
	{}
};

static const struct ftp_step p_resume_absent[] = {
	{ "SIZE pub/up.bin", "550 No such file." },
	EPSV_OK,
	{ "STOR pub/up.bin", STOR_150, ACT_RECV },
	DONE_226,
	{ "SIZE pub/up.bin", "213 100000" },
	QUIT_221,
	{}
};

static const struct ftp_step p_mkdirs[] = {
	{ "MKD /a", "257 \"/a\" created." },
	{ "MKD /a/b", "550 Create directory operation failed." },
	{ "MKD /a/b//c", "521 \"/a/b//c\" directory already exists." },
	EPSV_OK,
	{ "STOR /a/b//c/up.bin", STOR_150, ACT_RECV },
	DONE_226,
	{ "SIZE /a/b//c/up.bin", "213 100000" },
	QUIT_221,
	{}
};

static const struct ftp_step p_mkdirs_refused[] = {
	{ "MKD a", "257 \"a\" created." },
	{ "MKD a/b", "530 Not logged in." },
	QUIT_221,
	{}
};

static const struct ftp_step p_atomic[] = {
	EPSV_OK,
	{ "STOR " TEMP, STOR_150, ACT_RECV },
	DONE_226,
	{ "SIZE " TEMP, "213 100000" },
	{ "RNFR " TEMP, "350 Ready for RNTO." },
	{ "RNTO pub/up.bin", "250 Rename successful." },
	QUIT_221,
	{}
};

static const struct ftp_step p_atomic_rnto_refused[] = {
	EPSV_OK,
	{ "STOR " TEMP, STOR_150, ACT_RECV },
	DONE_226,
	{ "SIZE " TEMP, "213 100000" },
	{ "RNFR " TEMP, "350 Ready for RNTO." },
	{ "RNTO pub/up.bin", "553 Rename failed." },
	{ "DELE " TEMP, "250 Delete operation successful." },
	QUIT_221,
	{}
};

static const struct ftp_step p_atomic_rnfr_refused[] = {
	EPSV_OK,
	{ "STOR " TEMP, STOR_150, ACT_RECV },
	DONE_226,
	{ "SIZE " TEMP, "213 100000" },
	{ "RNFR " TEMP, "550 RNFR command failed." },
	{ "DELE " TEMP, "250 Delete operation successful." },
	QUIT_221,
	{}
};

static const struct ftp_step p_atomic_size_short[] = {
	EPSV_OK,
	{ "STOR " TEMP, STOR_150, ACT_RECV },
	DONE_226,
	{ "SIZE " TEMP, "213 99999" },
	{ "DELE " TEMP, "250 Delete operation successful." },
	QUIT_221,
	{}
};

static const struct ftp_step p_atomic_452[] = {
	EPSV_OK,
	{ "STOR " TEMP, STOR_150, ACT_RECV },
	{ NULL, "452 Insufficient storage space." },
	{ "DELE " TEMP, "550 Delete operation failed." },
	QUIT_221,
	{}
};

/* STOR refused: the temporary name was never made, nothing to delete */
static const struct ftp_step p_atomic_stor_refused[] = {
	EPSV_OK,
	{ "STOR " TEMP, "553 Could not create file." },
	QUIT_221,
	{}
};

static const struct ftp_step p_mkdirs_atomic[] = {
	{ "MKD pub", "550 Create directory operation failed." },
	EPSV_OK,
	{ "STOR " TEMP, STOR_150, ACT_RECV },
	DONE_226,
	{ "SIZE " TEMP, "213 100000" },
	{ "RNFR " TEMP, "350 Ready for RNTO." },
	{ "RNTO pub/up.bin", "250 Rename successful." },
	QUIT_221,
	{}
};

/* the file ends before its size: the data connection closes early */
static const struct ftp_step p_stor_cut[] = {
	EPSV_OK,
	{ "STOR pub/up.bin", STOR_150, ACT_RECV },
	DONE_226,
	QUIT_221,
	{}
};

static const struct ftp_step p_stor_0[] = {
	EPSV_OK,
	{ "STOR pub/up.bin", STOR_150, ACT_RECV },
	DONE_226,
	{ "SIZE pub/up.bin", "213 0" },
	QUIT_221,
	{}
};

/* end() fails (sha256=: the file changed): no RNFR, the temporary name goes */
static const struct ftp_step p_atomic_end_fails[] = {
	EPSV_OK,
	{ "STOR " TEMP, STOR_150, ACT_RECV },
	DONE_226,
	{ "SIZE " TEMP, "213 100000" },
	{ "DELE " TEMP, "250 Delete operation successful." },
	QUIT_221,
	{}
};

struct put_case {
	const char *name;
	const struct ftp_step *script;
	const char *path;	/* remote; NULL: pub/up.bin */
	enum kftp_mode mode;
	bool append, atomic, mkdirs, resume;
	int err;		/* expected from kftp_session_stor */
	size_t offset;		/* the server gets the file from here */
	bool nothing;		/* and gets no data connection at all */
	bool reply_failed;
	const char *reply;	/* the reply a failure was on */
	bool reusable;
	bool retry_safe;
	bool quit;		/* the client says QUIT at the end */
	bool send;		/* the source sends the file itself (zero copy) */
	bool splice;		/* and by data_send_file, from a real file */
	bool zero;		/* the file is empty */
	size_t cut;		/* the file ends here, before its size */
	size_t chunk;		/* send: at most this much per call */
	size_t fail_at;		/* send: -EIO once this much was sent */
	size_t sent;		/* the server gets this much; 0: to the end */
	bool end;		/* the source has end(), which returns end_err */
	int end_err;
	bool prot_p;		/* as if PROT P was agreed: a data handshake */
	unsigned int data_tls_at;	/* 1 + the replies read before it */
};

#define PUT_SIZE	100000

static const struct put_case put_cases[] = {
	{ "stor_passive", p_stor, .reusable = true, .quit = true },
	/* PROT P: the data handshake after 150, then data_end (close_notify) */
	{ "stor_prot_p", p_stor, .prot_p = true, .data_tls_at = 7, .reusable = true,
	  .quit = true },
	{ "stor_prot_p_active", p_stor_active, .mode = KFTP_MODE_ACTIVE, .prot_p = true,
	  .data_tls_at = 7, .reusable = true, .quit = true },
	{ "stor_active", p_stor_active, .mode = KFTP_MODE_ACTIVE, .reusable = true,
	  .quit = true },
	{ "stor_size_unanswered", p_stor_no_size, .reusable = true, .quit = true },
	{ "stor_size_mismatch", p_stor_size_short, .err = -EIO, .quit = true },
	{ "stor_553", p_stor_553, .err = -EIO, .nothing = true, .reply_failed = true,
	  .reply = "553 Could not create file.", .reusable = true, .quit = true },
	{ "stor_552_after_data", p_stor_552_after_data, .err = -EIO, .reply_failed = true,
	  .reply = "552 Quota exceeded.", .reusable = true, .quit = true },
	{ "stor_421_first", p_stor_421_first, .err = -ECONNRESET, .nothing = true,
	  .reply_failed = true, .reply = "421 Timeout.", .retry_safe = true },
	{ "appe", p_appe, .append = true, .reusable = true, .quit = true },
	{ "appe_new_file", p_appe_new_file, .append = true, .reusable = true, .quit = true },
	{ "resume_rest_stor", p_resume_rest, .resume = true, .offset = 40000,
	  .reusable = true, .quit = true },
	{ "resume_rest_refused_appe", p_resume_rest_refused, .resume = true,
	  .offset = 40000, .reusable = true, .quit = true },
	{ "resume_complete", p_resume_complete, .resume = true, .nothing = true,
	  .reusable = true, .quit = true },
	{ "resume_remote_longer", p_resume_longer, .resume = true, .reusable = true,
	  .quit = true },
	{ "resume_remote_absent", p_resume_absent, .resume = true, .reusable = true,
	  .quit = true },
	{ "mkdirs_550_521_tolerated", p_mkdirs, .path = "/a/b//c/up.bin", .mkdirs = true,
	  .reusable = true, .quit = true },
	{ "mkdirs_530_fails", p_mkdirs_refused, .path = "a/b/up.bin", .mkdirs = true,
	  .err = -EACCES, .nothing = true, .reply_failed = true,
	  .reply = "530 Not logged in.", .reusable = true, .quit = true },
	{ "atomic", p_atomic, .atomic = true, .reusable = true, .quit = true },
	{ "atomic_rnto_refused_dele", p_atomic_rnto_refused, .atomic = true, .err = -EIO,
	  .reply_failed = true, .reply = "553 Rename failed.", .reusable = true,
	  .quit = true },
	{ "atomic_rnfr_refused_dele", p_atomic_rnfr_refused, .atomic = true,
	  .err = -ENOENT, .reply_failed = true, .reply = "550 RNFR command failed.",
	  .reusable = true, .quit = true },
	{ "atomic_size_mismatch_dele", p_atomic_size_short, .atomic = true, .err = -EIO,
	  .quit = true },
	{ "atomic_452_dele", p_atomic_452, .atomic = true, .err = -EAGAIN,
	  .reply_failed = true, .reply = "452 Insufficient storage space.",
	  .reusable = true, .quit = true },
	{ "atomic_stor_refused", p_atomic_stor_refused, .atomic = true, .err = -EIO,
	  .nothing = true, .reply_failed = true, .reply = "553 Could not create file.",
	  .reusable = true, .quit = true },
	{ "mkdirs_atomic", p_mkdirs_atomic, .mkdirs = true, .atomic = true,
	  .reusable = true, .quit = true },
	{ "stor_0_bytes", p_stor_0, .zero = true, .reusable = true, .quit = true },
	{ "stor_file_cut", p_stor_cut, .cut = 60000, .err = -EIO, .sent = 60000,
	  .quit = true },
	/* the source's send op: the file's pages to the socket */
	{ "send_whole", p_stor, .send = true, .reusable = true, .quit = true },
	{ "send_active", p_stor_active, .send = true, .mode = KFTP_MODE_ACTIVE,
	  .reusable = true, .quit = true },
	{ "send_short_sends", p_stor, .send = true, .chunk = 1000, .reusable = true,
	  .quit = true },
	{ "send_resume_rest", p_resume_rest, .send = true, .resume = true,
	  .offset = 40000, .reusable = true, .quit = true },
	{ "send_error_midway", p_stor_cut, .send = true, .fail_at = 50000, .err = -EIO,
	  .sent = 50000, .quit = true },
	{ "send_file_cut", p_stor_cut, .send = true, .cut = 60000, .err = -EIO,
	  .sent = 60000, .quit = true },
	{ "send_0_bytes", p_stor_0, .send = true, .zero = true, .reusable = true,
	  .quit = true },
#if KFTP_HAVE_SEND_PAGES
	/* data_send_file: the page cache's pages to the socket */
	{ "splice_whole", p_stor, .send = true, .splice = true, .reusable = true,
	  .quit = true },
	{ "splice_active", p_stor_active, .send = true, .splice = true,
	  .mode = KFTP_MODE_ACTIVE, .reusable = true, .quit = true },
	{ "splice_resume_rest", p_resume_rest, .send = true, .splice = true,
	  .resume = true, .offset = 40000, .reusable = true, .quit = true },
	{ "splice_file_cut", p_stor_cut, .send = true, .splice = true, .cut = 60000,
	  .err = -EIO, .sent = 60000, .quit = true },
	{ "splice_0_bytes", p_stor_0, .send = true, .splice = true, .zero = true,
	  .reusable = true, .quit = true },
#endif
	{ "end_ok", p_stor, .end = true, .reusable = true, .quit = true },
	{ "end_fails", p_stor, .end = true, .end_err = -EBADMSG, .err = -EBADMSG,
	  .quit = true },
	{ "atomic_end_ok", p_atomic, .atomic = true, .end = true, .reusable = true,
	  .quit = true },
	{ "atomic_end_fails_dele_no_rnfr", p_atomic_end_fails, .atomic = true, .end = true,
	  .end_err = -EBADMSG, .err = -EBADMSG, .quit = true },
	{ "resume_complete_end_ok", p_resume_complete, .resume = true, .nothing = true,
	  .end = true, .reusable = true, .quit = true },
	{ "resume_complete_end_fails", p_resume_complete, .resume = true, .nothing = true,
	  .end = true, .end_err = -EBADMSG, .err = -EBADMSG, .quit = true },
	{ "resume_rest_end_fails", p_resume_rest, .resume = true, .offset = 40000,
	  .end = true, .end_err = -EBADMSG, .err = -EBADMSG, .quit = true },
};

static void put_desc(const struct put_case *c, char *desc)
{
	kftp_strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(put, put_cases, put_desc);

/* the local file, from memory */
struct mem_source {
	const u8 *buf;
	size_t size, pos;
	unsigned int begins;
	/* send: the data connection, and the case's limits */
	struct kftp_conn *conn;
	struct file *file;	/* splice: the file, with buf's bytes */
	size_t chunk, fail_at, asked;
	unsigned int sends;
	unsigned int ends;
	size_t end_pos;		/* where the file was read to at end() */
	int end_err;
};

static int mem_source_begin(void *priv, u64 offset)
{
	struct mem_source *m = priv;

	m->pos = offset;
	m->begins++;
	return 0;
}

static int mem_source_read(void *priv, void *buf, size_t len)
{
	struct mem_source *m = priv;

	len = min(len, m->size - m->pos);
	memcpy(buf, m->buf + m->pos, len);
	m->pos += len;
	return len;
}

static int mem_source_end(void *priv)
{
	struct mem_source *m = priv;

	m->ends++;
	m->end_pos = m->pos;
	return m->end_err;
}

static const struct kftp_source_ops mem_source_ops = {
	.begin = mem_source_begin,
	.read = mem_source_read,
};

/* as kftp.ko's send op, from memory: short sends, an error mid-way */
static int mem_source_send(void *priv, size_t len, kftp_send_file_t send_file,
			   void *tpriv)
{
	struct mem_source *m = priv;
	int err;

	m->asked = max(m->asked, len);
	if (m->fail_at && m->pos >= m->fail_at)
		return -EIO;
	len = min(len, m->size - m->pos);
	if (m->chunk)
		len = min(len, m->chunk);
	if (m->fail_at)
		len = min(len, m->fail_at - m->pos);
	if (!len)
		return 0;
	err = kftp_sock_ops.data_send(m->conn, m->buf + m->pos, len);
	if (err)
		return err;
	m->pos += len;
	m->sends++;
	return len;
}

static const struct kftp_source_ops mem_send_ops = {
	.begin = mem_source_begin,
	.send = mem_source_send,
};

#if KFTP_HAVE_SEND_PAGES
/*
 * kftp.ko's send: the pages of a file on the root filesystem, by the
 * transport's data_send_file (splice)
 */
static int file_source_send(void *priv, size_t len, kftp_send_file_t send_file,
			    void *tpriv)
{
	struct mem_source *m = priv;
	loff_t pos = m->pos;
	int n;

	m->asked = max(m->asked, len);
	n = send_file(tpriv, m->file, &pos, len);
	if (n > 0) {
		m->pos = pos;
		m->sends++;
	}
	return n;
}

static const struct kftp_source_ops file_send_ops = {
	.begin = mem_source_begin,
	.send = file_source_send,
};

static struct file *put_file(const u8 *buf, size_t len)
{
	struct file *f = filp_open("/kftp-put-test.bin",
				   O_RDWR | O_CREAT | O_TRUNC | O_LARGEFILE, 0600);
	loff_t pos = 0;
	ssize_t n;

	if (IS_ERR(f))
		return f;
	n = len ? kftp_kernel_write(f, buf, len, &pos) : 0;
	if (n != len) {
		fput(f);
		return ERR_PTR(n < 0 ? n : -EIO);
	}
	return f;
}
#endif

static const struct kftp_source_ops mem_source_end_ops = {
	.begin = mem_source_begin,
	.read = mem_source_read,
	.end = mem_source_end,
};

static void kftp_session_put_test(struct kunit *test)
{
	const struct put_case *c = test->param_value;
	struct session_ctx *x = test->priv;
	struct ftp_server *srv = &x->srv;
	size_t size = c->zero ? 0 : PUT_SIZE;
	size_t sent = c->sent ? c->sent : size - c->offset;
	struct mem_source src = {
		.size = c->cut ? c->cut : size,
		.conn = &x->conn,
		.chunk = c->chunk,
		.fail_at = c->fail_at,
		.end_err = c->end_err,
	};
	struct kftp_stor w = {
		.path = c->path ? c->path : "pub/up.bin",
		.mode = c->mode,
		.buf_size = RBUF_SIZE,
		.source = c->send ? &mem_send_ops :
			  c->end ? &mem_source_end_ops : &mem_source_ops,
		.source_priv = &src,
		.size = size,
		.append = c->append,
		.atomic = c->atomic,
		.temp_tag = TAG,
		.mkdirs = c->mkdirs,
		.resume = c->resume,
	};
	int err;

	x->payload = kunit_kmalloc(test, PUT_SIZE, GFP_KERNEL);
	x->rbuf = kunit_kmalloc(test, RBUF_SIZE, GFP_KERNEL);
	srv->received = kunit_kzalloc(test, PUT_SIZE + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, x->payload);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, x->rbuf);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, srv->received);
	fill_payload(x->payload, PUT_SIZE);
	src.buf = x->payload;
#if KFTP_HAVE_SEND_PAGES
	if (c->splice) {
		src.file = put_file(x->payload, src.size);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, src.file);
		w.source = &file_send_ops;
	}
#endif
	/* the send op needs no buffer: none to touch */
	w.buf = c->send ? NULL : x->rbuf;
	srv->recv_size = PUT_SIZE + 1;

	srv->client_addr = kftp_test_loopback;
	srv->script[0] = kftp_srv_login_anon;
	srv->script[1] = c->script;
	KUNIT_ASSERT_EQ(test, kftp_srv_listen(&srv->listen, &srv->port), 0);
	srv->task = kthread_run(kftp_srv_thread, srv, "kftp-test-ftpd");
	if (IS_ERR(srv->task)) {
		err = PTR_ERR(srv->task);
		srv->task = NULL;
		KUNIT_ASSERT_EQ(test, err, 0);
	}
	kftp_conn_init(&x->conn, &init_net, &kftp_test_loopback, srv->port, &kftp_test_no_src,
		       CLIENT_TIMEOUT);
	x->conn_inited = true;
	KUNIT_ASSERT_EQ(test, kftp_conn_open(&x->conn), 0);
	kftp_session_init(&x->s, &test_ops, x);
	KUNIT_ASSERT_EQ(test, kftp_session_login(&x->s, NULL, NULL), 0);
	x->s.prot_p = c->prot_p;
	x->s.tls_name = TLS_NAME;

	err = kftp_session_stor(&x->s, &w);
#if KFTP_HAVE_SEND_PAGES
	if (src.file)
		fput(src.file);
#endif
	KUNIT_EXPECT_EQ(test, err, c->err);
	/* PROT P: a data handshake after 150 (and the accept) */
	KUNIT_EXPECT_EQ(test, x->data_tls_calls, c->prot_p ? 1U : 0U);
	KUNIT_EXPECT_EQ(test, x->data_tls_at, c->data_tls_at);
	if (c->prot_p && c->mode == KFTP_MODE_ACTIVE)
		KUNIT_EXPECT_TRUE(test, x->accepted_at_tls);
	/* every byte sent: data_end, once */
	if (!c->err)
		KUNIT_EXPECT_EQ(test, x->data_ends, c->nothing ? 0U : 1U);
	KUNIT_EXPECT_EQ(test, x->s.reply_failed, c->reply_failed);
	if (c->reply)
		KUNIT_EXPECT_STREQ(test, x->s.parser.reply.text, c->reply);
	KUNIT_EXPECT_EQ(test, x->s.retry_safe, c->retry_safe);
	KUNIT_EXPECT_EQ(test, kftp_session_reusable(&x->s), c->reusable);
	if (c->quit)
		kftp_session_quit(&x->s);
	kftp_conn_close(&x->conn);

	KUNIT_EXPECT_GT(test, wait_for_completion_timeout(&srv->done, 4 * SRV_TIMEOUT), 0UL);
	KUNIT_EXPECT_STREQ(test, srv->error, "");
	KUNIT_EXPECT_EQ(test, srv->done_steps,
			kftp_srv_script_len(srv->script[0]) + kftp_srv_script_len(srv->script[1]));
	/* end() once the server had every byte, or when nothing was to be sent */
	if (c->end && (!c->err || c->end_err)) {
		KUNIT_EXPECT_EQ(test, src.ends, 1U);
		KUNIT_EXPECT_EQ(test, src.end_pos, (size_t)PUT_SIZE);
	} else {
		KUNIT_EXPECT_EQ(test, src.ends, 0U);
	}
	if (c->nothing) {
		KUNIT_EXPECT_EQ(test, srv->recvs, 0U);
		/* resume of a whole file: begin() at its end, for end() to check */
		KUNIT_EXPECT_EQ(test, src.begins, c->resume ? 1U : 0U);
		KUNIT_EXPECT_EQ(test, src.pos, c->resume ? (size_t)PUT_SIZE : 0);
		return;
	}
	/* one data connection, the file from the offset on, every byte once */
	KUNIT_EXPECT_EQ(test, srv->recvs, 1U);
	KUNIT_EXPECT_EQ(test, src.begins, 1U);
	KUNIT_EXPECT_EQ(test, srv->recv_len, sent);
	KUNIT_EXPECT_EQ(test, memcmp(srv->received, x->payload + c->offset, sent), 0);
	if (!c->send)
		return;
	/* a buffer's worth asked each time, short sends taken as they come */
	KUNIT_EXPECT_EQ(test, src.asked, (size_t)RBUF_SIZE);
	if (c->chunk)
		KUNIT_EXPECT_EQ(test, src.sends, (unsigned int)DIV_ROUND_UP(sent, c->chunk));
}

/* ---- type=ascii ---- */

#define TYPE_A		{ "TYPE A", "200 Switching to ASCII mode." }
#define RETR_TXT_150	"150 Opening ASCII mode data connection for pub/f.txt (99 bytes)."

static const struct ftp_step a_get[] = {
	TYPE_A,
	EPSV_OK,
	{ "RETR pub/f.txt", RETR_TXT_150, ACT_DATA },
	DONE_226,
	QUIT_221,
	{}
};

/* the connection goes back to TYPE I for a binary transfer */
static const struct ftp_step a_get_then_binary[] = {
	TYPE_A,
	EPSV_OK,
	{ "RETR pub/f.txt", RETR_TXT_150, ACT_DATA },
	DONE_226,
	{ "TYPE I", "200 Switching to Binary mode." },
	{ "SIZE pub/f.txt", "550 Could not get file size." },
	EPSV_OK,
	{ "RETR pub/f.txt", "150 Here comes the file.", ACT_DATA },
	DONE_226,
	QUIT_221,
	{}
};

/* refused: the transfer fails on that reply, no RETR in binary instead */
static const struct ftp_step a_type_504[] = {
	{ "TYPE A", "504 Command not implemented for that parameter." },
	QUIT_221,
	{}
};

static const struct ftp_step a_type_421[] = {
	{ "TYPE A", "421 Timeout.", ACT_CLOSE },
	{}
};

/* put: CR LF on the wire, and no SIZE after 226 (it counts the file's form) */
static const struct ftp_step a_put[] = {
	TYPE_A,
	EPSV_OK,
	{ "STOR pub/up.txt", STOR_150, ACT_RECV },
	DONE_226,
	QUIT_221,
	{}
};

static const struct ftp_step a_put_active[] = {
	TYPE_A,
	{ "EPRT |1|127.0.0.1|*", "200 EPRT command successful.", ACT_EPRT },
	{ "STOR pub/up.txt", STOR_150, ACT_RECV },
	DONE_226,
	QUIT_221,
	{}
};

struct ascii_session_case {
	const char *name;
	const struct ftp_step *script;
	bool put;
	enum kftp_mode mode;
	bool binary_after;	/* a binary get of the same file follows */
	int max_size;		/* get: the local text's length plus this; 0: none */
	int err;
	bool reply_failed;
	const char *reply;
	bool retry_safe;
	bool reusable;
	bool quit;
	bool nothing;		/* no data connection */
};

static const struct ascii_session_case ascii_session_cases[] = {
	{ "get_type_a", a_get, .reusable = true, .quit = true },
	{ "get_then_binary_type_i", a_get_then_binary, .binary_after = true,
	  .reusable = true, .quit = true },
	/* max_size counts the bytes of the file, not those on the wire */
	{ "get_max_size_exact", a_get, .max_size = 1, .reusable = true, .quit = true },
	{ "get_max_size_one_over", a_get, .max_size = -1, .err = -EFBIG, .quit = true },
	{ "get_type_a_504", a_type_504, .err = -EOPNOTSUPP, .reply_failed = true,
	  .reply = "504 Command not implemented for that parameter.", .reusable = true,
	  .quit = true, .nothing = true },
	{ "get_type_a_421_first", a_type_421, .err = -ECONNRESET, .reply_failed = true,
	  .reply = "421 Timeout.", .retry_safe = true, .nothing = true },
	{ "put_type_a", a_put, .put = true, .reusable = true, .quit = true },
	{ "put_type_a_active", a_put_active, .put = true, .mode = KFTP_MODE_ACTIVE,
	  .reusable = true, .quit = true },
	{ "put_type_a_504", a_type_504, .put = true, .err = -EOPNOTSUPP,
	  .reply_failed = true, .reply = "504 Command not implemented for that parameter.",
	  .reusable = true, .quit = true, .nothing = true },
};

static void ascii_session_desc(const struct ascii_session_case *c, char *desc)
{
	kftp_strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ascii_session, ascii_session_cases, ascii_session_desc);

#define ASCII_TEXT_MIN	12000	/* several RBUF_SIZE buffers */

/*
 * Short lines as the file has them and as the data connection carries
 * them, built line by line rather than by the converter under test: LF
 * on one side and CR LF on the other; every seventh line ends in CR LF in
 * the file already (on the wire: CR CR LF for get, CR LF as it is for
 * put); every eleventh has a lone CR in it; a lone CR ends the text.
 */
static void ascii_text(struct kunit *test, bool put, char **local, size_t *llen,
		       char **net, size_t *nlen)
{
	size_t room = ASCII_TEXT_MIN + 64, l = 0, n = 0, len;
	char line[32];
	unsigned int i;

	*local = kunit_kmalloc(test, room, GFP_KERNEL);
	*net = kunit_kmalloc(test, room, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, *local);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, *net);
	for (i = 0; n < ASCII_TEXT_MIN; i++) {
		len = scnprintf(line, sizeof(line), "line %u%s", i, i % 11 ? "" : "\r.");
		memcpy(*local + l, line, len);
		memcpy(*net + n, line, len);
		l += len;
		n += len;
		if (i % 7 == 0) {
			(*local)[l++] = '\r';
			if (!put)
				(*net)[n++] = '\r';
		}
		memcpy(*local + l, "\n", 1);
		memcpy(*net + n, "\r\n", 2);
		l += 1;
		n += 2;
	}
	(*local)[l++] = '\r';
	(*net)[n++] = '\r';
	*llen = l;
	*nlen = n;
}

static void kftp_session_ascii_test(struct kunit *test)
{
	const struct ascii_session_case *c = test->param_value;
	struct session_ctx *x = test->priv;
	struct ftp_server *srv = &x->srv;
	struct mem_source src = {};
	char *local, *net;
	size_t llen, nlen;
	struct kftp_retr r = {
		.path = "pub/f.txt",
		.mode = c->mode,
		.sink = &mem_sink_ops,
		.sink_priv = &x->sink,
		.buf_size = RBUF_SIZE,
		.kind = KFTP_RETR_FILE,
		.ascii = true,
	};
	struct kftp_stor w = {
		.path = "pub/up.txt",
		.mode = c->mode,
		.buf_size = RBUF_SIZE,
		.source = &mem_source_ops,
		.source_priv = &src,
		.ascii = true,
	};
	int err;

	ascii_text(test, c->put, &local, &llen, &net, &nlen);
	x->rbuf = kunit_kmalloc(test, RBUF_SIZE, GFP_KERNEL);
	x->sink.buf = kunit_kmalloc(test, nlen + 1, GFP_KERNEL);
	srv->received = kunit_kzalloc(test, nlen + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, x->rbuf);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, x->sink.buf);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, srv->received);
	x->sink.size = nlen + 1;
	x->sink.total = -2;
	r.buf = x->rbuf;
	if (c->max_size)
		r.max_size = llen + c->max_size - (c->max_size > 0);
	src.buf = local;
	src.size = llen;
	w.buf = x->rbuf;
	w.size = llen;
	srv->payload = net;
	srv->send_len = nlen;
	srv->recv_size = nlen + 1;

	srv->client_addr = kftp_test_loopback;
	srv->script[0] = kftp_srv_login_anon;
	srv->script[1] = c->script;
	KUNIT_ASSERT_EQ(test, kftp_srv_listen(&srv->listen, &srv->port), 0);
	srv->task = kthread_run(kftp_srv_thread, srv, "kftp-test-ftpd");
	if (IS_ERR(srv->task)) {
		err = PTR_ERR(srv->task);
		srv->task = NULL;
		KUNIT_ASSERT_EQ(test, err, 0);
	}
	kftp_conn_init(&x->conn, &init_net, &kftp_test_loopback, srv->port, &kftp_test_no_src,
		       CLIENT_TIMEOUT);
	x->conn_inited = true;
	KUNIT_ASSERT_EQ(test, kftp_conn_open(&x->conn), 0);
	kftp_session_init(&x->s, &test_ops, x);
	KUNIT_ASSERT_EQ(test, kftp_session_login(&x->s, NULL, NULL), 0);

	err = c->put ? kftp_session_stor(&x->s, &w) : kftp_session_retr(&x->s, &r);
	KUNIT_EXPECT_EQ(test, err, c->err);
	if (!err && !c->put) {
		/* the file's own bytes, and no size from SIZE or 150 */
		KUNIT_EXPECT_EQ(test, x->sink.total, -1);
		KUNIT_EXPECT_EQ(test, x->sink.len, llen);
		KUNIT_EXPECT_EQ(test, memcmp(x->sink.buf, local, llen), 0);
	}
	if (c->binary_after) {
		/* the same file in binary: the wire's bytes, untouched */
		x->sink.len = 0;
		r.ascii = false;
		KUNIT_EXPECT_EQ(test, kftp_session_retr(&x->s, &r), 0);
		KUNIT_EXPECT_EQ(test, x->sink.len, nlen);
		KUNIT_EXPECT_EQ(test, memcmp(x->sink.buf, net, nlen), 0);
	}
	KUNIT_EXPECT_EQ(test, x->s.reply_failed, c->reply_failed);
	if (c->reply)
		KUNIT_EXPECT_STREQ(test, x->s.parser.reply.text, c->reply);
	KUNIT_EXPECT_EQ(test, x->s.retry_safe, c->retry_safe);
	KUNIT_EXPECT_EQ(test, kftp_session_reusable(&x->s), c->reusable);
	if (c->quit)
		kftp_session_quit(&x->s);
	kftp_conn_close(&x->conn);

	KUNIT_EXPECT_GT(test, wait_for_completion_timeout(&srv->done, 4 * SRV_TIMEOUT), 0UL);
	KUNIT_EXPECT_STREQ(test, srv->error, "");
	KUNIT_EXPECT_EQ(test, srv->done_steps,
			kftp_srv_script_len(srv->script[0]) + kftp_srv_script_len(srv->script[1]));
	if (c->nothing) {
		KUNIT_EXPECT_EQ(test, srv->recvs, 0U);
		KUNIT_EXPECT_EQ(test, src.begins, 0U);
		KUNIT_EXPECT_EQ(test, x->sink.begins, 0U);
	} else if (c->put) {
		/* the server got CR LF line ends, every byte once */
		KUNIT_EXPECT_EQ(test, srv->recvs, 1U);
		KUNIT_EXPECT_EQ(test, srv->recv_len, nlen);
		KUNIT_EXPECT_EQ(test, memcmp(srv->received, net, nlen), 0);
	}
}

static struct kunit_case kftp_session_cases[] = {
	KUNIT_CASE_PARAM(kftp_session_test, session_gen_params),
#if KFTP_HAVE_RECV_DIRECT
	KUNIT_CASE_PARAM(kftp_session_direct_test, session_gen_params),
#endif
	KUNIT_CASE_PARAM(kftp_session_put_test, put_gen_params),
	KUNIT_CASE_PARAM(kftp_session_ascii_test, ascii_session_gen_params),
	KUNIT_CASE(kftp_session_refused_test),
	KUNIT_CASE(kftp_session_connect_timeout_test),
	KUNIT_CASE(kftp_session_cancelled_open_test),
	{}
};

static struct kunit_suite kftp_session_suite = {
	.name = "kftp_session",
	.suite_init = kftp_session_suite_init,
	.init = kftp_session_test_init,
	.exit = kftp_session_test_exit,
	.test_cases = kftp_session_cases,
};

kunit_test_suite(kftp_session_suite);

MODULE_LICENSE("GPL");
