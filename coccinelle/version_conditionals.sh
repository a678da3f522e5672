#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# version_conditionals.sh - find kernel version tests outside compat/.
#
# kftp builds against several kernels (Debian 12's 6.1 and 6.12); every
# difference between them belongs in compat/, behind a feature macro or a
# wrapper, so that the rest of the code reads as plain upstream code.  This
# reports LINUX_VERSION_CODE, KERNEL_VERSION(), LINUX_VERSION_MAJOR/
# PATCHLEVEL/SUBLEVEL, distribution codes (RHEL_RELEASE_CODE,
# RHEL_RELEASE_VERSION(), SUSE_PRODUCT_CODE, UBUNTU_VERSION_CODE),
# UTS_RELEASE and #include <linux/version.h> or <generated/utsrelease.h>.
#
# It is a script rather than a semantic patch because Coccinelle does not
# match preprocessor conditions (#if LINUX_VERSION_CODE >= ...), which is
# where nearly all version tests live.  Comments and string literals are
# blanked first (line numbers kept), so a comment mentioning the macros is
# not a finding.
#
# With --compat DIR, macros that DIR's .c/.h files define in terms of
# those (directly or through each other: KFTP_KVER(), KFTP_VERSION_CODE,
# KFTP_KERNEL_AT_LEAST()) are version tests too.  Feature switches named
# *_HAVE_* (KFTP_HAVE_PROC_OPS) are exempt even when compat/ computes them
# from the version: testing a feature is what the rest of the code must do.
#
# Usage: version_conditionals.sh [--compat DIR] FILE...  (tests/lint.sh
# passes --compat compat and every tracked .c/.h outside compat/).  Prints
# "file:line: message" per finding; exits 1 when there is one.
# Samples: coccinelle/tests/version_conditionals-{pos,neg}.c
set -euo pipefail

compat=""
if [ "${1:-}" = --compat ]; then
	compat=${2:?--compat needs a directory}
	shift 2
fi
[ $# -gt 0 ] || exit 0
COMPAT_FILES=""
[ -n "$compat" ] && [ -d "$compat" ] &&
	COMPAT_FILES=$(find "$compat" -name '*.[ch]' -print0 | tr '\0' '\n')
export COMPAT_FILES
exec perl -e '
	my $found = 0;
	my $base = qr{\b(?:LINUX_VERSION_CODE|LINUX_VERSION_MAJOR|LINUX_VERSION_PATCHLEVEL|LINUX_VERSION_SUBLEVEL|KERNEL_VERSION|RHEL_RELEASE_CODE|RHEL_RELEASE_VERSION|SUSE_PRODUCT_CODE|SUSE_PRODUCT|UBUNTU_VERSION_CODE|UTS_RELEASE)\b};
	# compat/ macros built on version tests, to a fixed point
	my %def;
	for my $cf (grep { length } split /\n/, ($ENV{COMPAT_FILES} // "")) {
		open(my $fh, "<", $cf) or next;
		local $/;
		my $t = <$fh>;
		$t =~ s/\\\n/ /g;
		while ($t =~ /^[ \t]*#[ \t]*define[ \t]+(\w+)(.*)$/mg) {
			$def{$1} .= " $2";
		}
	}
	my %ver;
	my $grew = 1;
	while ($grew) {
		$grew = 0;
		for my $m (keys %def) {
			next if $ver{$m} || $m =~ /_HAVE_/;
			my $body = $def{$m};
			if ($body =~ $base || grep { $body =~ /\b\Q$_\E\b/ } keys %ver) {
				$ver{$m} = 1;
				$grew = 1;
			}
		}
	}
	my $derived = join("|", map { quotemeta } sort keys %ver) || "(?!)";
	my $re = qr{
		\b(LINUX_VERSION_CODE|LINUX_VERSION_MAJOR|LINUX_VERSION_PATCHLEVEL|
		   LINUX_VERSION_SUBLEVEL|RHEL_RELEASE_CODE|SUSE_PRODUCT_CODE|
		   UBUNTU_VERSION_CODE|UTS_RELEASE)\b
		| \b(KERNEL_VERSION|RHEL_RELEASE_VERSION|SUSE_PRODUCT)\s*\(
		| \b($derived)\b
		| \#\s*include\s*[<"](linux/version\.h|generated/utsrelease\.h|
				     generated/uapi/linux/version\.h)[>"]
	}x;
	for my $f (@ARGV) {
		open(my $fh, "<", $f) or die "$f: $!\n";
		local $/;
		my $src = <$fh>;
		close($fh);
		# blank comments and string/char literals, keep the newlines;
		# the include is matched on the raw text (its <...> is no string)
		my $code = $src;
		$code =~ s{(/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|\x27(?:\\.|[^\x27\\\n])*\x27)}{
			my $m = $1;
			$m =~ /^["\x27]/ && $m =~ /^"(linux|generated)\// ? $m : ($m =~ s/[^\n]/ /gr)
		}gse;
		my $n = 0;
		for my $line (split /\n/, $code, -1) {
			$n++;
			if ($line =~ $re) {
				my $what = $1 // $2 // $3 // $4;
				$what .= "()" if defined $2;
				print "$f:$n: version conditional outside compat/: $what (move the difference into compat/)\n";
				$found = 1;
			}
		}
	}
	exit $found;
' -- "$@"
