// SPDX-License-Identifier: GPL-2.0-only
/// Find sprintf(), vsprintf(), strcpy() and strcat() writing into a
/// fixed-size array (a local, a global or a struct member).  None of them
/// knows the size of the destination, so a long host name, user name, path
/// or server reply overflows the array: for kftp that is a remote server
/// (or a user writing to /proc/kftp) corrupting kernel memory.
/// Use snprintf()/scnprintf(), strscpy() or seq_buf/kasprintf() instead
/// (see Documentation/process/deprecated.rst).
///
/// Array types are resolved from the file and from the project's local
/// headers ("..." includes, -I src -I compat -I proc), so struct members
/// declared in src/*.h are seen too.
//
// Confidence: High
// Copyright: (C) 2025 The kftp authors.
// Comments: samples in coccinelle/tests/fixed_buf_string-{pos,neg}.c
// Options: --local-includes --include-headers
// Files: all

virtual report

@r depends on report@
type T;
T[] buf;
identifier f = {sprintf, vsprintf, strcpy, strcat};
position p;
@@
f@p(buf, ...)

@script:python depends on report@
p << r.p;
f << r.f;
buf << r.buf;
@@
fix = {"sprintf": "snprintf()/scnprintf()", "vsprintf": "vsnprintf()/vscnprintf()",
       "strcpy": "strscpy()", "strcat": "strlcat() or scnprintf()"}[f]
coccilib.report.print_report(p[0], "%s() into fixed-size array %s: use %s" % (f, buf, fix))
