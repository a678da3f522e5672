#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tests/options/tool.sh: the kftp command passes every request option.
# For each row of the parser's table (src/options.c, printed by dump.c)
# it runs the command with that option's flag and --dry-run, and checks
# that the line it would write has the option's token. A row without a
# flag below fails, so a new request option needs its flag in the same
# change. It proves it can fail: a command built without one flag must
# be refused.
set -euo pipefail
# shellcheck source=tests/options/table.sh
. "$(dirname "$0")/table.sh"

build() {	# OUTPUT KFTP.C: the command, as tools/kftp/Makefile builds it
	gcc -std=gnu11 -Wall -Wextra -Wno-sign-compare -Wno-unused-parameter \
		-I"$ROOT/tools/kftp" -I"$ROOT/src" -DKFTP_TOOL_VERSION='"test"' -o "$1" "$2" \
		"$ROOT/tools/kftp/check.c" "$ROOT/tools/kftp/progress.c" "$ROOT/src/request.c" "$ROOT/src/options.c" "$ROOT/src/url.c"
}

SHA=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
# NAME: the flags that stand for it, then the token the line must have
flags_of() {
	case $1 in
	mode)		echo "-P - | mode=active" ;;
	src)		echo "--interface 192.0.2.1 | src=192.0.2.1" ;;
	family)		echo "-4 | family=4" ;;
	timeout)	echo "--connect-timeout 7 | timeout=7" ;;
	deadline)	echo "-m 60 | deadline=60" ;;
	min_rate)	echo "--min-rate 1K | min_rate=1K" ;;
	max_size)	echo "--max-filesize 2M | max_size=2M" ;;
	rate)		echo "--limit-rate 5M | rate=5M" ;;
	retries)	echo "--retry 3 | retries=3" ;;
	mtime)		echo "-R | mtime" ;;
	names)		echo "-l | names" ;;
	raw)		echo "--raw | raw" ;;
	tls)		echo "--tls | tls=required" ;;
	tlsname)	echo "--tls --tlsname ftp.example.org | tlsname=ftp.example.org" ;;
	mkdirs)		echo "--create-dirs | mkdirs" ;;
	resume)		echo "-C - | resume" ;;
	segments)	echo "--segments 4 | segments=4" ;;
	type)		echo "--ascii | type=ascii" ;;
	sha256)		echo "--sha256 $SHA | sha256=$SHA" ;;
	append)		echo "--append | append" ;;
	atomic)		echo "--atomic | atomic" ;;
	addr)		echo "@localhost | addr=127.0.0.1" ;;	# a host name, resolved
	*)		return 1 ;;
	esac
}

# check KFTP: one line per option the command does not pass, status 1 if any
check() {
	local kftp=$1 name verbs spec flags token host line bad=0
	printf 'hi\n' >"$OUT/up.txt"
	while read -r name _ verbs _; do
		# the command waits itself, with poll() on the status file
		[ "$name" = wait ] && continue
		spec=$(flags_of "$name") || { echo "the parser takes $name, the command has no flag for it"; bad=1; continue; }
		flags=${spec% | *}
		token=${spec#* | }
		host=192.0.2.7
		[ "${flags#@}" != "$flags" ] && { host=${flags#@}; flags=; }
		# shellcheck disable=SC2086 # the flags are words
		case ${verbs%%,*} in
		get)  line=$("$kftp" --dry-run $flags "ftp://$host/f.bin" -o "$OUT/f.bin" 2>&1) ;;
		list) line=$("$kftp" --dry-run $flags list "ftp://$host/d/" "$OUT/d.txt" 2>&1) ;;
		put)  line=$("$kftp" --dry-run $flags -T "$OUT/up.txt" "ftp://$host/up/" 2>&1) ;;
		esac || { echo "$name: kftp ${flags:-(no flag)} failed: $line"; bad=1; continue; }
		case " $line " in
		*" $token "*) ;;
		*) echo "$name: kftp $flags wrote '$line', without $token"; bad=1 ;;
		esac
	done <"$OUT/table"
	return $bad
}

build "$OUT/kftp" "$ROOT/tools/kftp/kftp.c"
check "$OUT/kftp" || { echo "options: the kftp command does not pass every request option"; exit 1; }
# the known-bad command: --retry has no effect
sed 's/"retries="/"retry="/' "$ROOT/tools/kftp/kftp.c" >"$OUT/kftp-bad.c"
build "$OUT/kftp.bad" "$OUT/kftp-bad.c"
if check "$OUT/kftp.bad" >"$OUT/tool-bad.out"; then
	echo "options: a command without --retry passed: the check cannot fail"
	exit 1
fi
grep -q '^retries: ' "$OUT/tool-bad.out" || {
	echo "options: the known-bad command failed for another reason:"; cat "$OUT/tool-bad.out"; exit 1; }
echo "options: the kftp command passes the parser's $(wc -l <"$OUT/table") options (known-bad command refused)"
