// SPDX-License-Identifier: GPL-2.0-only
/// Find kernel interfaces that kftp may only touch from compat/: set_fs()
/// and get_fs() (removed in 5.18, the address-limit games they allowed are
/// exactly what kernel_sendmsg()/kernel_recvmsg() replace), sys_call_table
/// (not exported, and hooking it is never acceptable), current->uid and
/// current->euid (gone since 2.6.29: credentials live in current_cred()),
/// and a direct call through struct proto_ops ->accept or ->getname (their
/// signatures changed between 6.1 and 6.12, so only compat/ may call them,
/// everyone else goes through kernel_accept()/kernel_getname() or the
/// compat/ wrappers).
///
/// tests/lint.sh runs this rule only over files outside compat/.
//
// Confidence: High
// Copyright: (C) 2025 The kftp authors.
// Comments: samples in coccinelle/tests/compat_only_api-{pos,neg}.c
// Options: --no-includes --include-headers
// Files: outside compat/

virtual report

@fs depends on report@
position p;
@@
(
set_fs@p(...)
|
get_fs@p()
|
force_uaccess_begin@p()
)

@sct depends on report@
identifier sys_call_table =~ "^sys_call_table$|^ia32_sys_call_table$";
position p;
@@
sys_call_table@p

@uid depends on report@
symbol current;
identifier fld = {uid, euid, suid, fsuid, gid, egid};
position p;
@@
current->fld@p

@ops depends on report@
expression E;
identifier op = {accept, getname};
const struct proto_ops *o;
position p;
@@
(
E->ops->op@p(...)
|
o->op@p(...)
)

@script:python depends on report@
p << fs.p;
@@
coccilib.report.print_report(p[0], "set_fs()/get_fs() outside compat/: use kernel_sendmsg()/kernel_recvmsg()/kernel_read()/kernel_write()")

@script:python depends on report@
p << sct.p;
@@
coccilib.report.print_report(p[0], "sys_call_table must never be touched")

@script:python depends on report@
p << uid.p;
f << uid.fld;
@@
coccilib.report.print_report(p[0], "current->%s outside compat/: use current_cred()/current_uid()/current_euid()" % f)

@script:python depends on report@
p << ops.p;
f << ops.op;
@@
coccilib.report.print_report(p[0], "direct proto_ops ->%s() call outside compat/: use kernel_%s() or the compat/ wrapper" % (f, f))
