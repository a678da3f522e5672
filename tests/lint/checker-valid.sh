#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# scripts/checker-valid.sh for kernel trees whose Makefile calls it but
# whose headers package lacks it (Debian's 7.x): tests/lint/checker-valid.sh
# is copied there by tests/lint.sh, into the cached tree only.
#
# kbuild runs "checker-valid.sh CHECK CHECKFLAGS..." and runs the checker
# only when it prints 1.  The checker must exist and must parse
# __typeof_unqual__, which compiler_types.h uses under __CHECKER__ from
# 6.15 on; sparse exits 0 on errors, so its output is read instead.
command -v "$1" >/dev/null 2>&1 || { echo 0; exit 0; }
t=$(mktemp --suffix=.c) || { echo 0; exit 0; }
printf '%s\n' 'int kftp_unqual(const int *p);' 'int kftp_unqual(const int *p)' '{' \
	'	__typeof_unqual__(*p) v = *p;' '' '	return v;' '}' >"$t"
if "$@" "$t" 2>&1 | grep -q 'error'; then echo 0; else echo 1; fi
rm -f "$t"
