#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tests/man/columns.sh: the status table's columns as the module writes
# them (KFTP_STATUS_HEADER, src/status.h) are the ones kftp(5) documents,
# in its example's header line and in its list of columns, in that order,
# and the ones the guest tests expect (STATUS_HEADER, tests/guest/check.sh).
# It proves it can fail: a page with two columns swapped must be refused.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PAGE=$ROOT/docs/man/kftp.5

module=$(sed -n '/^#define KFTP_STATUS_HEADER/,/\\n"$/p' "$ROOT/src/status.h" |
	sed -n 's/^[[:space:]]*"\(.*\)\\n"$/\1/p')
tests=$(sed -n "s/^STATUS_HEADER='\(.*\)'$/\1/p" "$ROOT/tests/guest/check.sh")

# PAGE -> "EXAMPLE HEADER|LISTED COLUMNS": the STATUS section's .EX line that
# starts with ID, and each ".TP" / ".B NAME" entry of the section
page_columns() {
	awk '/^\.SH / { inside = ($2 == "STATUS") }
		!inside { next }
		/^ID / && !hdr { hdr = $0 }
		tp && /^\.B [A-Z]+$/ { list = list (list ? " " : "") $2 }
		{ tp = ($0 == ".TP") }
		END { print hdr "|" list }' "$1"
}

check() {	# PAGE: one line per disagreement, status 1 if any
	local got hdr list bad=0
	got=$(page_columns "$1")
	hdr=${got%%|*}
	list=${got#*|}
	[ -n "$module" ] || { echo "no KFTP_STATUS_HEADER in src/status.h"; return 1; }
	[ "$hdr" = "$module" ] || { echo "kftp(5) header '$hdr' is not the module's '$module'"; bad=1; }
	[ "$list" = "$module" ] || { echo "kftp(5) lists '$list', the module writes '$module'"; bad=1; }
	[ "$tests" = "$module" ] || { echo "check.sh expects '$tests', the module writes '$module'"; bad=1; }
	return $bad
}

check "$PAGE"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
# the known-bad sample: URL and PATH swapped in the list of columns
awk '/^\.B URL$/ { print ".B PATH"; next } /^\.B PATH$/ { print ".B URL"; next } { print }' \
	"$PAGE" >"$tmp"
if check "$tmp" >/dev/null; then
	echo "columns: a page with URL and PATH swapped was not refused"
	exit 1
fi
echo "columns: kftp(5) documents the module's $(echo "$module" | wc -w) status columns (known-bad sample refused)"
