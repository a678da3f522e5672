#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# End-to-end tests of kftp.ko: boot Debian's own kernels under QEMU (TCG) with
# a busybox initramfs that runs an FTP server on the guest's loopback, load the
# module there (never on this host) and drive it through /proc/kftp.
#
#   tests/vm.sh check   every test on every kernel (tests/kernels.sh: 5.10, 6.1,
#                       6.12, 7.2, 7.3), "[ABI] N passed, N failed (Ts)" per
#                       kernel, and the sum "N passed, N failed" as the last line
#   tests/vm.sh demo    one visible fetch on the 6.12 kernel (or first of KVERS)
#
# env: KVERS (kernel ABIs), KLINES (kernel lines), KFTP_CACHE, KFTP_TESTS
# (space separated guest test names to run only those), VM_TIMEOUT (seconds
# per boot), VM_MEM, VM_JOBS (guests booted at once in check mode, default 2).
set -euo pipefail

TESTS_DIR=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib.sh
. "$TESTS_DIR/lib.sh"

# One boot of the check mode, in the background: its verdict goes to
# $OUT/rc-ABI. Its own traps: a subshell does not inherit them; and not
# its siblings' pids, which its cleanup would kill.
boot_check() {
	local abi=$1 vmlinuz=$2 rc=0
	BOOT_PIDS=
	trap cleanup EXIT
	trap 'exit 130' INT TERM
	SECONDS=0
	run_vm "$abi" "$vmlinuz" check "${VM_TIMEOUT:-1500}" || rc=$?
	echo "$rc $SECONDS" >"$OUT/rc-$abi"
}

cmd_check() {
	local abi kdir vmlinuz rc secs p f tp=0 tf=0 res built="" n=0 start
	prepare
	# every module and initramfs first, with both cores
	while read -r abi kdir vmlinuz; do
		log "[$abi] building kftp.ko"
		if ! build_module "$abi" "$kdir"; then
			echo "[$abi] FAIL build: kftp.ko did not build"
			echo "[$abi] 0 passed, 1 failed"
			tf=$((tf + 1))
			continue
		fi
		mk_initrd "$abi" "$OUT/build-$abi/kftp.ko"
		built+="$abi $vmlinuz"$'\n'
	done <<<"$KERNELS"
	# then the boots, VM_JOBS at a time: TCG runs a guest on one host
	# thread (run_vm), so two guests use both cores of this machine
	start=$SECONDS
	while read -r abi vmlinuz; do
		[ -n "$abi" ] || continue
		if [ "$n" -ge "${VM_JOBS:-2}" ]; then
			wait -n || true
			n=$((n - 1))
		fi
		log "[$abi] booting (console: $OUT/console-$abi.log)"
		rm -f "$OUT/rc-$abi"
		boot_check "$abi" "$vmlinuz" &
		BOOT_PIDS+=" $!"
		n=$((n + 1))
	done <<<"$built"
	wait
	BOOT_PIDS=
	while read -r abi vmlinuz; do
		[ -n "$abi" ] || continue
		read -r rc secs <"$OUT/rc-$abi" 2>/dev/null || { rc=125 secs=?; }
		res=$OUT/report-$abi.txt
		p=$(grep -c '^PASS ' "$res" || true)
		f=$(grep -c '^FAIL ' "$res" || true)
		# the guest's own summary must agree, else it died part-way
		if ! grep -qx "$p passed, $f failed" "$res" || [ "$rc" -gt 1 ] ||
		   { [ "$rc" -eq 0 ] && [ "$f" -ne 0 ]; } || { [ "$rc" -eq 1 ] && [ "$f" -eq 0 ]; }; then
			echo "[$abi] FAIL guest: no consistent verdict (qemu rc=$rc)"
			f=$((f + 1))
			fail_tail "$abi" "guest did not report"
		elif [ "$f" -ne 0 ]; then
			fail_tail "$abi" "$f test(s) failed"
		fi
		echo "[$abi] $p passed, $f failed (${secs}s)"
		tp=$((tp + p))
		tf=$((tf + f))
	done <<<"$built"
	echo "vm.sh: boots took $((SECONDS - start))s, ${VM_JOBS:-2} at a time"
	echo "$tp passed, $tf failed"
	[ "$tf" -eq 0 ]
}

cmd_demo() {
	local abi kdir vmlinuz rc=0
	# fetch 6.12 alone (not the sid root of 7.x) unless told otherwise
	[ -n "${KVERS:-}" ] || export KLINES=${KLINES:-6.12}
	prepare
	# 6.12 unless KVERS picked the kernels: then the first of them
	if [ -n "${KVERS:-}" ]; then
		read -r abi kdir vmlinuz <<<"$(head -n1 <<<"$KERNELS")"
	else
		read -r abi kdir vmlinuz <<<"$(grep '^6\.12\.' <<<"$KERNELS" | head -n1)"
	fi
	[ -n "${abi:-}" ] || die "no kernel for the demo"
	log "[$abi] building kftp.ko"
	build_module "$abi" "$kdir" || die "kftp.ko did not build"
	mk_initrd "$abi" "$OUT/build-$abi/kftp.ko"
	log "[$abi] booting under QEMU/TCG (console: $OUT/console-$abi.log)"
	run_vm "$abi" "$vmlinuz" demo "${VM_TIMEOUT:-300}" || rc=$?
	if [ "$rc" -ne 0 ]; then
		fail_tail "$abi" "demo failed (rc=$rc)"
		exit 1
	fi
}

# infrastructure smoke test without the module: boot, ftpd, logins
cmd_selftest() {
	local abi kdir vmlinuz rc
	prepare
	while read -r abi kdir vmlinuz; do
		mk_initrd "$abi" ""
		rc=0
		run_vm "$abi" "$vmlinuz" selftest "${VM_TIMEOUT:-300}" || rc=$?
		[ "$rc" -eq 0 ] || { fail_tail "$abi" "selftest rc=$rc"; exit 1; }
	done <<<"$KERNELS"
}

case "${1:-}" in
check) cmd_check ;;
demo) cmd_demo ;;
selftest) cmd_selftest ;;
*) echo "usage: $0 check|demo|selftest" >&2; exit 2 ;;
esac
