#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check: every stage, each to its end even when one before it failed,
# then one line per stage (verdict, counts, seconds) and, last, the sum
# "N passed, N failed".
#
# A stage's counts are its own closing "N passed, N failed" line; a stage
# without one (lint, man) counts as one test. A stage that exits non-zero
# counts one failure more when its own line shows none, so a runner that
# died cannot read as green.
#
# vmtest and dkmstest run side by side: each guest is one TCG thread, and
# vm.sh's last round of boots would leave a core idle. dkmstest's output
# is held back in tests/out/check-dkmstest.log and shown when it ends.
#
#   tests/check.sh [STAGE...]   (default: every stage, in order)
set -uo pipefail

cd "$(dirname "$0")/.." || exit 2
OUT=tests/out
mkdir -p "$OUT"
STAGES=${*:-"lint matrix fuzz kunit vmtest man dkmstest"}
declare -A RC SECS
summary=()
tp=0 tf=0

# the counts of one finished stage, from its log
tally() {
	local s=$1 log=$2 line p=1 f=0
	line=$(grep -aE '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
	if [ -n "$line" ]; then
		p=${line%% passed*}
		f=${line#*passed, }
		f=${f%% failed*}
		[ "${RC[$s]}" -ne 0 ] && [ "$f" -eq 0 ] && f=1
	elif [ "${RC[$s]}" -ne 0 ]; then
		p=0 f=1
	fi
	tp=$((tp + p))
	tf=$((tf + f))
	summary+=("check: $s: $([ "${RC[$s]}" -eq 0 ] && echo PASS || echo FAIL), $p passed, $f failed (${SECS[$s]}s)")
}

# one stage in the foreground, its output shown and kept
run() {
	local s=$1 start=$SECONDS
	echo "check: === $s ==="
	make --no-print-directory "$s" </dev/null 2>&1 | tee "$OUT/check-$s.log"
	RC[$s]=${PIPESTATUS[0]}
	SECS[$s]=$((SECONDS - start))
	tally "$s" "$OUT/check-$s.log"
}

bg_pid=
for s in $STAGES; do
	if [ "$s" = dkmstest ] && [[ " $STAGES " == *" vmtest "* ]]; then
		continue
	fi
	if [ "$s" = vmtest ] && [[ " $STAGES " == *" dkmstest "* ]]; then
		echo "check: === dkmstest (in the background, beside vmtest) ==="
		dk_start=$SECONDS
		make --no-print-directory dkmstest </dev/null >"$OUT/check-dkmstest.log" 2>&1 &
		bg_pid=$!
	fi
	run "$s"
	if [ -n "$bg_pid" ]; then
		wait "$bg_pid"
		RC[dkmstest]=$?
		SECS[dkmstest]=$((SECONDS - dk_start))
		bg_pid=
		echo "check: === dkmstest ==="
		cat "$OUT/check-dkmstest.log"
		tally dkmstest "$OUT/check-dkmstest.log"
	fi
done

printf '%s\n' "${summary[@]}"
echo "check: ${SECONDS}s in all"
echo "$tp passed, $tf failed"
[ "$tf" -eq 0 ]
