#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run kftp's KUnit suites (kunit/) on User Mode Linux with the kernel's own
# tools/testing/kunit/kunit.py, once per kernel line on Debian's
# linux-source-LINE: 6.1 and 6.12 (Debian 12) and 7.2 (sid). The project is
# linked into each tree as drivers/misc/kftp_kunit/ (symlinks to kunit/,
# src/ and compat/ plus one guarded line in drivers/misc/Kconfig and
# Makefile), so the suites build the very source files that go into kftp.ko.
#
#   tests/kunit.sh [kunit.py run args]    e.g. tests/kunit.sh 'kftp_reply*'
#
# Env: KFTP_CACHE (source trees and UML build dirs; never the repository),
#      KFTP_KUNIT_KERNELS (default "6.1 6.12 7.2"), JOBS (default 2),
#      KFTP_KUNIT_DEBUG (default 6.12: the line built with KASAN, lockdep,
#      debug objects and kmemleak; any report they print fails the run;
#      "" for none).
# linux-source-LINE comes from the host's apt when it knows the package,
# else (7.2) from the line's suite through tests/kernels.sh's private apt
# lists (`tests/kernels.sh source LINE`). The UML kernels are built with
# the host's gcc-12 (7.2 only needs gcc 8).
# Prints kunit.py's summary per kernel and, as the very last line,
# "N passed, N failed" summed over the kernels. Exits 1 when a test fails or
# crashes, or when a kernel gives no results (build or boot failure).
set -euo pipefail

PROJ=$(cd "$(dirname "$0")/.." && pwd -P)
CACHE=${KFTP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kftp}
KERNELS=${KFTP_KUNIT_KERNELS:-"6.1 6.12 7.2"}
DEBUG_LINE=${KFTP_KUNIT_DEBUG-6.12}
# what the debug line's kernel adds to kunit/.kunitconfig
DEBUG_CONFIG="DEBUG_KERNEL KASAN PROVE_LOCKING DEBUG_ATOMIC_SLEEP DEBUG_OBJECTS
DEBUG_OBJECTS_FREE DEBUG_OBJECTS_TIMERS DEBUG_OBJECTS_WORK"
# what those print when they find something, in the kernel's log
DEBUG_REPORTS='BUG: KASAN|WARNING: possible|inconsistent lock state|ODEBUG:|BUG: sleeping function|BUG: workqueue|WARNING: CPU'

JOBS=${JOBS:-2}
NAME=kftp_kunit
export DEBIAN_FRONTEND=noninteractive

mkdir -p "$CACHE/kunit"
CACHE=$(cd "$CACHE" && pwd -P)
W=$CACHE/kunit


# shellcheck source=tests/pkgs.sh
. "$PROJ/tests/pkgs.sh"

pkgs="build-essential flex bison bc python3 xz-utils"
declare -A TARBALL
for k in $KERNELS; do
	if dpkg-query -W "linux-source-$k" >/dev/null 2>&1 ||
	   apt-cache show "linux-source-$k" >/dev/null 2>&1; then
		pkgs="$pkgs linux-source-$k"
		TARBALL[$k]=/usr/src/linux-source-$k.tar.xz
	fi
done
# shellcheck disable=SC2086
need_pkgs $pkgs
for k in $KERNELS; do
	[ -n "${TARBALL[$k]:-}" ] && continue
	TARBALL[$k]=$("$PROJ/tests/kernels.sh" source "$k")
done

# Unpack once; the stamp (the tarball's name and time) marks a complete
# unpack of that very tarball.
unpack() {
	local k=$1 dst=$W/linux-source-$1 tb=${TARBALL[$1]} stamp

	stamp="$tb $(stat -c %Y "$tb")"
	# (an empty stamp: an unpack of /usr/src's tarball by an older kunit.sh)
	if [ -f "$dst/.kftp-unpacked" ] &&
	   { [ "$(cat "$dst/.kftp-unpacked")" = "$stamp" ] ||
	     { [ ! -s "$dst/.kftp-unpacked" ] && [ "${tb#/usr/src/}" != "$tb" ]; }; }; then
		return 0
	fi
	echo "kunit: unpacking $tb" >&2
	rm -rf "$dst" "$W/tmp-$k" "$W/build-$k"
	mkdir -p "$W/tmp-$k"
	tar -C "$W/tmp-$k" -xf "$tb"
	mv "$W/tmp-$k/linux-source-$k" "$dst"
	rmdir "$W/tmp-$k"
	echo "$stamp" >"$dst/.kftp-unpacked"
}

# Idempotent glue. When the tree was last linked to another checkout, drop
# the glue's objects: make only compares times and would keep stale ones.
glue() {
	local ksrc=$1 build=$2 g=$1/drivers/misc/$NAME kc mk

	if [ "$(cat "$g/.kftp-proj" 2>/dev/null)" != "$PROJ" ]; then
		rm -rf "$build/drivers/misc/$NAME"
		mkdir -p "$g"
		echo "$PROJ" > "$g/.kftp-proj"
	fi
	ln -sfn "$PROJ/src" "$g/src"
	ln -sfn "$PROJ/compat" "$g/compat"
	ln -sfn "$PROJ/kunit" "$g/kunit"
	ln -sfn "$PROJ/kunit/Kconfig" "$g/Kconfig"
	ln -sfn "$PROJ/kunit/Kbuild" "$g/Kbuild"
	kc="source \"drivers/misc/$NAME/Kconfig\""
	mk="obj-y += $NAME/"
	grep -qxF "$kc" "$ksrc/drivers/misc/Kconfig" || echo "$kc" >> "$ksrc/drivers/misc/Kconfig"
	grep -qxF "$mk" "$ksrc/drivers/misc/Makefile" || echo "$mk" >> "$ksrc/drivers/misc/Makefile"
}

total_pass=0
total_fail=0
status=0
summaries=()

for k in $KERNELS; do
	ksrc=$W/linux-source-$k
	build=$W/build-$k
	log=$W/run-$k.log

	# one run at a time per kernel line: the tree and build dir are shared
	exec 9>"$W/.lock-$k"
	if ! flock -n 9; then
		echo "kunit: waiting for another kunit run on $W/linux-source-$k" >&2
		flock 9
	fi
	unpack "$k"
	glue "$ksrc" "$build"
	echo "kunit: linux-source-$k: kunit.py run (log: $log)"
	start=$(date +%s)
	rm -f "$log.rc"
	extra=()
	if [ "$k" = "$DEBUG_LINE" ]; then
		for c in $DEBUG_CONFIG; do
			extra+=(--kconfig_add "CONFIG_$c=y")
		done
		echo "kunit: linux-source-$k: with" $DEBUG_CONFIG
	fi
	{
		python3 "$ksrc/tools/testing/kunit/kunit.py" run \
			--kunitconfig="$PROJ/kunit" --build_dir="$build" \
			--jobs="$JOBS" --timeout=300 "${extra[@]}" "$@" < /dev/null 2>&1
		echo $? > "$log.rc"
	} | tee "$log" | grep -E '^\[[0-9:]+\] (Testing complete|Elapsed time)' || true
	rc=$(cat "$log.rc" 2>/dev/null || echo 1)
	# Strip the timestamps and colours kunit.py adds, keep the summary.
	sum=$(sed -e 's/\x1b\[[0-9;]*m//g' -e 's/^\[[0-9:]*\] //' "$log" |
	      grep -E '^Testing complete\. ' | tail -n 1 || true)
	if [ -z "$sum" ]; then
		echo "kunit: linux-source-$k: no test results (rc $rc); last lines of $log:" >&2
		tail -n 40 "$log" >&2
		status=1
		summaries+=("linux-source-$k: no test results")
		continue
	fi
	# "Ran 90 tests: passed: 88, failed: 1, crashed: 1" (fields absent if 0)
	pass=$(sed -n 's/.*passed: \([0-9]*\).*/\1/p' <<<"$sum")
	fail=0
	for f in failed crashed errors; do
		n=$(sed -n "s/.*$f: \\([0-9]*\\).*/\\1/p" <<<"$sum")
		fail=$((fail + ${n:-0}))
	done
	pass=${pass:-0}
	if [ "$k" = "$DEBUG_LINE" ]; then
		# kunit.py keeps the whole kernel log in the build directory
		# (UML's virt-pci warns at boot that no virtio device is set up)
		reports=$(grep -E "$DEBUG_REPORTS" "$build/test.log" |
			  grep -v 'arch/um/drivers/virt-pci\.c' || true)
		if [ -n "$reports" ]; then
			echo "kunit: linux-source-$k: debug reports in $build/test.log:" >&2
			head -n 20 <<<"$reports" >&2
			fail=$((fail + 1))
		fi
		sum="$sum; debug reports: $(grep -c . <<<"$reports" || true)"
	fi
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
	[ "$rc" -eq 0 ] && [ "$fail" -eq 0 ] || status=1
	summaries+=("linux-source-$k: $sum ($(($(date +%s) - start)) s, kunit.py rc $rc)")
done

for s in "${summaries[@]}"; do
	echo "kunit: $s"
done
echo "$total_pass passed, $total_fail failed"
exit $status
