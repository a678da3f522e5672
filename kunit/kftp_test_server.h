/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The scripted in-kernel FTP server of the KUnit suites: a kthread on
 * 127.0.0.1 (or ::1) that checks each command the client sends against its
 * script, answers with canned replies and serves the data connection.
 * struct ftp_server plays one control connection; struct ftpd accepts
 * several on one port, each played by a struct ftp_server of its own.
 */
#ifndef KFTP_TEST_SERVER_H
#define KFTP_TEST_SERVER_H

#include <linux/completion.h>
#include <linux/net.h>
#include <linux/sched.h>

#include "kftp.h"

#define SRV_TIMEOUT	(5 * HZ)	/* every wait of the server */
#define SRV_ENDLESS_MAX	(16 << 20)	/* "endless" data stops here all the same */
#define SRV_LINE_MAX	512
#define SRV_CONNS_MAX	4		/* control connections of one struct ftpd */
#define CLIENT_TIMEOUT	5		/* seconds, unless a case says otherwise */

extern const struct kftp_addr kftp_test_loopback;	/* 127.0.0.1 */
extern const struct kftp_addr kftp_test_src;		/* 127.0.0.3 */
extern const struct kftp_addr kftp_test_loopback6;	/* ::1 */
extern const struct kftp_addr kftp_test_no_src;	/* family 0 */

enum ftp_act {
	ACT_NONE,
	ACT_PASV,	/* before the reply: listen; "{}" in it becomes "p1,p2" */
	ACT_EPSV,	/* before the reply: listen; "{}" in it becomes the port */
	ACT_EPSV_DEAD,	/* the same, but nobody listens there any more */
	ACT_EPRT,	/* the command gives the client's port: |1|127.0.0.1|port|,
			 * or |2|::1|port| on IPv6
			 */
	ACT_PORT,	/* the command gives it as 127,0,0,1,p1,p2 */
	ACT_DATA,	/* after the reply: open the data connection, send, close */
	ACT_HOLD,	/* after the reply: open the data connection, send nothing */
	ACT_FOREIGN,	/* after the reply: connect back from 127.0.0.2 and hold it,
			 * then as ACT_DATA
			 */
	ACT_CLOSE,	/* after the reply: close the control connection */
	ACT_SLOW,	/* send the reply one byte per segment */
	ACT_ENDLESS,	/* after the reply: open the data connection, send until closed */
	ACT_RECV,	/* after the reply: open the data connection, receive to EOF */
	ACT_GATE,	/* before the reply: complete gated, wait for gate */
	ACT_HOOK,	/* after the reply: call hook(hook_arg) in the server's thread */
};

struct ftp_step {
	const char *expect;	/* the command, without CRLF; a final '*' matches any rest */
	const char *reply;	/* sent with CRLF appended; NULL: no reply */
	enum ftp_act act;
};

struct ftp_server {
	const struct ftp_step *script[2];	/* played in turn, each ends with {} */
	unsigned int done_steps;		/* played */
	struct socket *listen, *ctrl, *data_listen, *data;
	u16 port;			/* of the control listener */
	bool v6;			/* on ::1, not 127.0.0.1 */
	struct kftp_addr client_addr;	/* the client's address, src= or loopback */
	u16 client_port;		/* active mode: where to connect */
	const u8 *payload;
	size_t send_off;		/* ACT_DATA sends from this byte */
	size_t send_len;		/* bytes sent by ACT_DATA */
	int data_rcvbuf;		/* of a passive data connection; 0: the default */
	u8 *received;			/* by ACT_RECV */
	size_t recv_size, recv_len;
	unsigned int recvs;		/* data connections ACT_RECV took */
	char rx[SRV_LINE_MAX];
	size_t rx_len;
	char line[SRV_LINE_MAX];
	char out[SRV_LINE_MAX];
	bool eof;			/* the client closed the control connection */
	char error[256];		/* the first thing that went wrong */
	struct task_struct *task;
	struct completion done;
	struct completion gated;	/* ACT_GATE reached */
	struct completion gate;		/* ACT_GATE may go on */
	void (*hook)(void *arg);	/* ACT_HOOK's call */
	void *hook_arg;
};

/*
 * Control connections on one port, accepted in turn: the Nth is played by
 * conns[N]; one more is an error.
 */
struct ftpd {
	struct socket *listen;
	u16 port;
	struct ftp_server conns[SRV_CONNS_MAX];
	unsigned int nconns;		/* scripted */
	unsigned int accepted;		/* under the acceptor, read after stop */
	char error[128];		/* the acceptor's */
	struct task_struct *task;
};

#define BANNER		{ NULL, "220 kftp test server ready." }
#define SIZE_100K	{ "SIZE pub/file.bin", "213 100000" }
#define EPSV_OK		{ "EPSV", "229 Entering Extended Passive Mode (|||{}|)", ACT_EPSV }
#define RETR_150	"150 Opening BINARY mode data connection for pub/file.bin (100000 bytes)."
#define DONE_226	{ NULL, "226 Transfer complete." }
#define QUIT_221	{ "QUIT", "221 Goodbye." }

extern const struct ftp_step kftp_srv_login_anon[];

void kftp_srv_init(struct ftp_server *srv);
void kftp_srv_release(struct socket **sock);
int kftp_srv_listen_on(struct socket **sock, u16 *port, int backlog, bool v6);
int kftp_srv_listen_backlog(struct socket **sock, u16 *port, int backlog);
int kftp_srv_listen(struct socket **sock, u16 *port);
int kftp_srv_thread(void *arg);
unsigned int kftp_srv_script_len(const struct ftp_step *step);

void kftp_ftpd_init(struct ftpd *d);
int kftp_ftpd_start(struct ftpd *d);
void kftp_ftpd_stop(struct ftpd *d);

#endif
