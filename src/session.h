/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The FTP conversation's common steps, shared by session.c (login, data
 * connections), session_get.c and session_put.c. Plain C: proto.h only.
 */
#ifndef KFTP_SESSION_H
#define KFTP_SESSION_H

#include "proto.h"

/**
 * kftp_sess_conv_move() - the conversation moves on, never back
 * @s: the session
 * @to: in step, out of step or lost
 *
 * A session starts in step (zeroed), and only a new connection starts a
 * new one.
 */
void kftp_sess_conv_move(struct kftp_session *s, enum kftp_conv to);

/**
 * kftp_sess_exchange_begin() - a login, a transfer or a SIZE starts
 * @s: the session
 *
 * Its outcome (reply_failed, retry_safe, mtime_known) is its own.
 */
void kftp_sess_exchange_begin(struct kftp_session *s);

/**
 * kftp_sess_first_command_failed() - may the transfer start again?
 * @s: the session
 * @code: what the transfer's first command got: a reply's code, or -errno
 *
 * A control connection lost before any answer, or 421, means the server
 * has seen nothing of the transfer, which may start again on a new
 * connection: retry_safe is set then.
 */
void kftp_sess_first_command_failed(struct kftp_session *s, int code);

/**
 * kftp_sess_reply_error() - the step failed on the reply just read
 * @s: the session
 *
 * The reply is kept for the status table (reply_failed).
 *
 * Return: the reply's -errno (kftp_reply_errno()).
 */
int kftp_sess_reply_error(struct kftp_session *s);

/**
 * kftp_sess_command() - a command with no preliminary reply, and its reply
 * @s: the session
 * @verb: USER, PASS, TYPE, SIZE, EPSV, PASV, EPRT, PORT (RFC 959 section
 *	5.4), MDTM, REST (RFC 3659) and the like
 * @arg: its argument, or NULL
 *
 * A 1xx is out of step: the real reply would still be pending and be taken
 * for the answer to the next command.
 *
 * Return: the reply's code, or -errno (a 1xx: the reply's).
 */
int kftp_sess_command(struct kftp_session *s, const char *verb,
		      const char *arg);

/**
 * kftp_sess_step_end() - is the conversation still in step after a step?
 * @s: the session
 * @err: the step's result
 *
 * Only success and a server's final refusal leave it in step: nothing is
 * pending then. 421 ends the session, and any other failure may leave a
 * reply or data unread.
 *
 * Return: @err.
 */
int kftp_sess_step_end(struct kftp_session *s, int err);

/**
 * kftp_sess_set_type() - TYPE A or TYPE I, when it changes
 * @s: the session
 * @ascii: type=ascii
 *
 * TYPE A before each ascii transfer, TYPE I before the next binary one on
 * the connection. When sent, it is the transfer's first command, as SIZE
 * may be.
 *
 * Return: 0, or -errno: a refusal fails the transfer, since the data
 * would not be what was asked for.
 */
int kftp_sess_set_type(struct kftp_session *s, bool ascii);

/**
 * kftp_sess_open_data() - the data connection, before its command
 * @s: the session
 * @mode: passive (EPSV, then PASV) or active (EPRT or PORT)
 *
 * Return: 0 or -errno.
 */
int kftp_sess_open_data(struct kftp_session *s, enum kftp_mode mode);

/**
 * kftp_sess_start_data() - a command that opens the data stream
 * @s: the session
 * @mode: the data connection's, as opened
 * @verb: RETR, STOR, APPE, MLSD, LIST, NLST
 * @arg: its argument, or NULL
 * @fallback: a 500 or 502 is left to the caller (MLSD, then LIST)
 *
 * Its first reply must be 125 or 150 (any other, 110 or 120 too, fails,
 * and a 150 may be pending). In active mode the server then connects.
 * Under PROT P the data connection's TLS handshake follows.
 *
 * Return: 0, -EAGAIN with the reply left unjudged for @fallback, or
 * -errno.
 */
int kftp_sess_start_data(struct kftp_session *s, enum kftp_mode mode,
			 const char *verb, const char *arg, bool fallback);

/**
 * kftp_sess_end_data() - the server's final word on the data
 * @s: the session
 *
 * Return: 0 for 226 or 250, else -errno.
 */
int kftp_sess_end_data(struct kftp_session *s);

/**
 * kftp_sess_data_failed() - a PROT P data connection failed: why?
 * @s: the session
 * @err: the failure: the data handshake's, or the receive's
 *
 * A server that requires TLS session reuse (vsftpd's default) refuses the
 * data connection after the handshake: 522 on the control connection,
 * which it then closes. When the failure looks like it (-EIO: the stream
 * ended without close_notify; -ECONNRESET), the final reply is read, and
 * a 522 about reuse is told as the cause, with the server setting that
 * allows kftp in.
 *
 * Return: the 522's kftp_reply_errno() (s->reply_failed set, the session
 * lost), else @err.
 */
int kftp_sess_data_failed(struct kftp_session *s, int err);

/**
 * kftp_sess_ask_rest() - REST, right before the command, as RFC 959 wants
 * @s: the session
 * @offset: where the data should start
 * @start: @offset once the server agreed, 0 when it refused
 *
 * Return: 0 or -errno.
 */
int kftp_sess_ask_rest(struct kftp_session *s, u64 offset, u64 *start);

/**
 * kftp_sess_ask_size() - SIZE of a remote file
 * @s: the session
 * @path: the file
 * @size: its size, -1 when the server does not tell
 *
 * The transfer's first command: a reused connection that the server closed
 * while idle, or its 421, leaves the transfer safe to retry on a fresh one.
 *
 * Return: 0 or -errno.
 */
int kftp_sess_ask_size(struct kftp_session *s, const char *path, s64 *size);

#endif
