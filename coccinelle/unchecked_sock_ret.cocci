// SPDX-License-Identifier: GPL-2.0-only
/// Find calls to kernel_sendmsg(), kernel_recvmsg(), kernel_write() and
/// sock_create_kern() whose return value is never looked at: the value is
/// dropped (call used as a statement or cast to void), or stored in a local
/// that no later statement reads before it is overwritten or the function
/// ends.  A short send, a failed receive or a socket that was never created
/// then goes unnoticed, which for an FTP client means a truncated or
/// corrupted transfer reported as success, or a NULL socket dereference.
///
/// Every value must be compared (errors are negative, short counts are
/// positive and smaller than asked for) or passed on to the caller.
//
// Confidence: High
// Copyright: (C) 2025 The kftp authors.
// Comments: samples in coccinelle/tests/unchecked_sock_ret-{pos,neg}.c
// Options: --no-includes --include-headers
// Files: all

virtual report

@dropped depends on report@
identifier f = {kernel_sendmsg, kernel_recvmsg, kernel_write, sock_create_kern};
position p;
@@
(
f@p(...);
|
 (void)f@p(...);
)

@unread depends on report@
identifier f = {kernel_sendmsg, kernel_recvmsg, kernel_write, sock_create_kern};
local idexpression x;
position p;
@@
x = f@p(...);
... when != x

@unread_decl depends on report@
identifier f = {kernel_sendmsg, kernel_recvmsg, kernel_write, sock_create_kern};
identifier x;
type T;
position p;
@@
T x = f@p(...);
... when != x

@overwritten depends on report@
identifier f = {kernel_sendmsg, kernel_recvmsg, kernel_write, sock_create_kern};
local idexpression x;
expression E;
position p;
@@
x = f@p(...);
... when != x
x = E;

@script:python depends on report@
p << dropped.p;
f << dropped.f;
@@
coccilib.report.print_report(p[0], "return value of %s() is dropped" % f)

@script:python depends on report@
p << unread.p;
f << unread.f;
@@
coccilib.report.print_report(p[0], "return value of %s() is stored but never checked" % f)

@script:python depends on report@
p << unread_decl.p;
f << unread_decl.f;
@@
coccilib.report.print_report(p[0], "return value of %s() is stored but never checked" % f)

@script:python depends on report@
p << overwritten.p;
f << overwritten.f;
@@
coccilib.report.print_report(p[0], "return value of %s() is overwritten before it is checked" % f)
