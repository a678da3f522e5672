#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ci/matrix.yml against the scripts that do the work (run by make check):
# a step says "make-check" exactly when make check runs it on every run.
#
#   build, w1, sparse  tests/kernels.sh's default lines (tests/lint.sh's w1
#                      and sparse gates), and the trees of
#                      ../shared/kernels/MANIFEST named by shared_tree:
#                      (tests/lint.sh's old gate: build and w1; sparse
#                      when the gate runs its sparse pass)
#   vm-e2e             tests/kernels.sh's default lines (tests/vm.sh)
#   kunit              tests/kunit.sh's default lines
# status is make-check when build is. Every line those scripts cover must
# have an entry. Before the real file, the check must reject a copy with
# one step flipped, or it proves nothing. Prints "N passed, N failed".
#
#   tests/matrix.sh [MATRIX]
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
# shellcheck source=tests/pkgs.sh
. tests/pkgs.sh
need_pkgs python3-yaml

MANIFEST=$ROOT/../shared/kernels/MANIFEST
debian_lines=$(tests/kernels.sh lines)
kunit_lines=$(sed -n 's/^KERNELS=\${KFTP_KUNIT_KERNELS:-"\(.*\)"}$/\1/p' tests/kunit.sh)
[ -n "$debian_lines" ] || { echo "matrix: tests/kernels.sh lines printed nothing"; exit 1; }
[ -n "$kunit_lines" ] || { echo "matrix: no KFTP_KUNIT_KERNELS default in tests/kunit.sh"; exit 1; }
old_trees="" old_sparse=""
if ! grep -q '^ALL_GATES=.*\bold\b' tests/lint.sh; then
	echo "matrix: tests/lint.sh has no old gate: no shared tree is built"
elif [ -f "$MANIFEST" ]; then
	old_trees=$(grep -v '^#' "$MANIFEST" | cut -f1 | tr '\n' ' ')
	# the old gate's sparse pass runs on every tree, with the probes on
	sed -n '/^gate_old()/,/^}/p' tests/lint.sh | grep -qw sparse_pass && old_sparse=$old_trees
else
	# as lint's old gate skips then: those entries are not checked
	echo "matrix: $MANIFEST absent: the shared trees' entries are not checked"
	old_trees=-
fi

check() {
	/usr/bin/python3 - "$1" "$debian_lines" "$kunit_lines" "$old_trees" "$old_sparse" <<'PY'
import sys, yaml

path, debian, kunit, old, old_sparse = sys.argv[1], *[a.split() for a in sys.argv[2:]]
doc = yaml.safe_load(open(path))
entries = doc.get("kernels", []) + doc.get("distro_kernels", [])
bad = []
covered = set()
for e in entries:
	line, steps = str(e.get("line")), e.get("steps") or {}
	tree = e.get("shared_tree")
	if tree and old == ["-"]:
		continue
	want = {k: False for k in ("build", "w1", "sparse", "kunit", "vm-e2e")}
	if line in debian:
		want.update(build=True, w1=True, sparse=True, **{"vm-e2e": True})
		covered.add(line)
	if tree in old:
		want.update(build=True, w1=True, sparse=tree in old_sparse)
		covered.add(tree)
	if line in kunit:
		want["kunit"] = True
		covered.add("kunit " + line)
	for step, on in want.items():
		got = steps.get(step, "not-run")
		if on != (got == "make-check"):
			bad.append("%s: %s is '%s', make check %s it" %
				   (line, step, got, "runs" if on else "does not run"))
	if (e.get("status") == "make-check") != want["build"]:
		bad.append("%s: status is '%s'" % (line, e.get("status")))
for l in debian:
	if l not in covered:
		bad.append("%s: no entry, tests/kernels.sh builds and boots it" % l)
for t in old:
	if t not in covered and t != "-":
		bad.append("%s: no entry names this shared_tree" % t)
for l in kunit:
	if "kunit " + l not in covered:
		bad.append("%s: no entry, tests/kunit.sh runs it" % l)
for b in bad:
	print("matrix: " + b)
sys.exit(1 if bad else 0)
PY
}

matrix=${1:-ci/matrix.yml}
pass=0 fail=0
# the known-bad sample: the first vm-e2e step flipped
sample=$(mktemp)
trap 'rm -f "$sample"' EXIT
sed '0,/vm-e2e: make-check/s//vm-e2e: not-run/' "$matrix" >"$sample"
if cmp -s "$matrix" "$sample"; then
	echo "FAIL matrix_selftest: no vm-e2e: make-check step to flip"
	fail=$((fail + 1))
elif check "$sample" >/dev/null; then
	echo "FAIL matrix_selftest: a flipped vm-e2e step went unnoticed"
	fail=$((fail + 1))
else
	echo "PASS matrix_selftest"
	pass=$((pass + 1))
fi
if check "$matrix"; then
	echo "PASS matrix_agrees"
	pass=$((pass + 1))
else
	echo "FAIL matrix_agrees: $matrix disagrees with the scripts"
	fail=$((fail + 1))
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
