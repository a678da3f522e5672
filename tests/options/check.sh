#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tests/options/check.sh: README's option list agrees with the parser's
# table (src/options.c, kftp_request_options[]): every option has a bullet
# of its kind (NAME=VALUE, or NAME for a flag), every bullet names an
# option, each choice is written as NAME=CHOICE, and the bullet of a
# number says the table's range ("1 to 3600"). It proves it can fail: a
# README with one bullet gone and one range changed must be refused.
set -euo pipefail
# shellcheck source=tests/options/table.sh
. "$(dirname "$0")/table.sh"

# check README: one line per disagreement, status 1 if any
check() {
	awk -v table="$OUT/table" '
	BEGIN {
		while ((getline l < table) > 0) {
			n = split(l, f, " ")
			kind[f[1]] = f[2]; lo[f[1]] = f[4]; hi[f[1]] = f[5]
			for (i = 6; i <= n; i++) choice[f[1], i - 5] = f[i]
			nchoice[f[1]] = n - 5
		}
	}
	/^## / { inside = ($0 ~ /^## Requests: \/proc\/kftp\/request/) }
	!inside { next }
	/^  - `/ {
		tok = $0; sub(/^  - `/, "", tok); sub(/`.*/, "", tok)
		name = tok; sub(/=.*/, "", name)
		cur = name
		if (!(name in kind)) { print "README names `" tok "`, which the parser does not know"; bad = 1; next }
		seen[name] = 1
		if ((kind[name] == "flag") != (tok !~ /=/)) {
			print "README writes `" tok "`, the parser takes " (kind[name] == "flag" ? "`" name "` alone" : "`" name "=VALUE`"); bad = 1
		}
	}
	/^  - / && !/^  - `/ { cur = "" }
	cur != "" { text[cur] = text[cur] " " $0 }
	{ whole = whole " " $0 }
	END {
		for (name in kind) {
			if (!(name in seen)) { print "the parser takes " name ", README has no bullet for it"; bad = 1; continue }
			if (kind[name] == "uint" && index(text[name], lo[name] " to " hi[name]) == 0) {
				print "README does not give " name "= the range " lo[name] " to " hi[name]; bad = 1
			}
			for (i = 1; i <= nchoice[name]; i++)
				if (index(whole, "`" name "=" choice[name, i] "`") == 0) {
					print "README does not write `" name "=" choice[name, i] "`"; bad = 1
				}
		}
		exit bad
	}' "$1"
}

check "$ROOT/README.md" || { echo "options: README.md and the parser disagree"; exit 1; }
# the known-bad sample: the wait bullet gone, the retries range changed
sed -e '/^  - `wait`/d' -e 's/`retries=N`: 0 to 20/`retries=N`: 0 to 21/' \
	"$ROOT/README.md" >"$OUT/README.bad"
if check "$OUT/README.bad" >"$OUT/bad.out"; then
	echo "options: a README without the wait bullet passed: the check cannot fail"
	exit 1
fi
grep -q 'no bullet for it' "$OUT/bad.out" && grep -q 'range 0 to 20' "$OUT/bad.out" || {
	echo "options: the known-bad README failed for another reason:"; cat "$OUT/bad.out"; exit 1; }
echo "options: README.md agrees with the parser's $(wc -l <"$OUT/table") options (known-bad sample refused)"
