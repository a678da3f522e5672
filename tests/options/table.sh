# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# Sourced by the tests in tests/options: builds dump.c with the parser
# (src/request.c, options.c and what they call) and prints the parser's option table
# into $OUT/table, one option per line.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=$ROOT/tests/out/options
mkdir -p "$OUT"
gcc -Wall -Wextra -Wno-unused-parameter -I"$ROOT/src" -o "$OUT/dump" \
	"$ROOT/tests/options/dump.c" "$ROOT/src/request.c" "$ROOT/src/options.c" \
	"$ROOT/src/url.c" "$ROOT/src/reply.c"
"$OUT/dump" >"$OUT/table"
