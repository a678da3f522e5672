// SPDX-License-Identifier: GPL-2.0-only
/// Find kfree()/kvfree()/kftp_kvfree() of a buffer that held a password (or
/// another secret) without memzero_explicit() first.  kfree() leaves the bytes in
/// the slab object, where the next owner of that memory, a slab debugging
/// dump or a crash dump can read them; kfree_sensitive()/kvfree_sensitive()
/// wipe the object before freeing it (and, unlike memset(), the wipe cannot
/// be optimised away).
///
/// A buffer "held a password" when the freed expression is named like one
/// (pass, passwd, password, passphrase, pw, pwd, secret, as a whole word
/// or between underscores, so "passive" and "bypass" do not count), or when
/// it was filled from one: assigned from kstrdup()/kstrndup()/kmemdup()/
/// kmemdup_nul()/kasprintf() with such an argument (this includes the
/// "PASS %s\r\n" command format), or written by snprintf()/scnprintf()/
/// sprintf()/strscpy()/strcpy()/strcat()/strncpy()/memcpy() with one.
/// A kfree() preceded by memzero_explicit() of the same buffer is fine.
/// kftp calls the compat/ wrappers kftp_kvfree(), kftp_memzero_explicit()
/// and kftp_strscpy(): each counts as the kernel function it wraps.
//
// Confidence: Moderate (name based)
// Copyright: (C) 2025 The kftp authors.
// Comments: samples in coccinelle/tests/kfree_password-{pos,neg}.c
// Options: --no-includes --include-headers
// Files: all

virtual report

@initialize:python@
@@
import re
_SECRET = re.compile(r"(?<![a-z0-9])(pass(w(or)?d|phrase)?|pwd?|secret)(?![a-z])",
		     re.IGNORECASE)

def is_secret(s):
	return _SECRET.search(s) is not None

def wipe_hint(fr):
	# what the report suggests, in the names src/ calls
	if fr == "kfree":
		return "kftp_kfree_sensitive() or kftp_memzero_explicit() first"
	return "kvfree_sensitive() or kftp_memzero_explicit() first"

@wiped depends on report@
expression B;
identifier wipe = {memzero_explicit, kftp_memzero_explicit};
identifier fr = {kfree, kvfree, kftp_kvfree};
position p;
@@
wipe(B, ...);
...
fr@p(B);

@named depends on report@
expression P : script:python () { is_secret(P) };
identifier fr = {kfree, kvfree, kftp_kvfree};
position p != wiped.p;
@@
fr@p(P)

@copied depends on report exists@
expression P : script:python () { is_secret(P) };
identifier cp = {kstrdup, kstrndup, kmemdup, kmemdup_nul, kasprintf};
identifier fill = {snprintf, scnprintf, sprintf, strscpy, kftp_strscpy,
		   strcpy, strcat, strncpy, memcpy};
identifier fr = {kfree, kvfree, kftp_kvfree};
expression B, E, R;
identifier x;
type T;
position p != {wiped.p, named.p};
@@
(
B = cp(..., P, ...);
|
T x = cp(..., P, ...);
|
fill(B, ..., P, ...);
|
R = fill(B, ..., P, ...);
)
... when != B = E
    when != x = E
fr@p(\(B\|x\));

@script:python depends on report@
p << named.p;
fr << named.fr;
@@
coccilib.report.print_report(p[0], "%s() of a password buffer: use %s" % (fr, wipe_hint(fr)))

@script:python depends on report@
p << copied.p;
fr << copied.fr;
@@
coccilib.report.print_report(p[0], "%s() of a buffer that held a password: use %s" % (fr, wipe_hint(fr)))
