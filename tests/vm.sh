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
# per boot), VM_MEM.
set -euo pipefail

TESTS_DIR=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib.sh
. "$TESTS_DIR/lib.sh"

cmd_check() {
	local abi kdir vmlinuz rc p f tp=0 tf=0 res
	prepare
	while read -r abi kdir vmlinuz; do
		log "[$abi] building kftp.ko"
		if ! build_module "$abi" "$kdir"; then
			echo "[$abi] FAIL build: kftp.ko did not build"
			echo "[$abi] 0 passed, 1 failed"
			tf=$((tf + 1))
			continue
		fi
		mk_initrd "$abi" "$OUT/build-$abi/kftp.ko"
		log "[$abi] booting (console: $OUT/console-$abi.log)"
		SECONDS=0
		rc=0
		run_vm "$abi" "$vmlinuz" check "${VM_TIMEOUT:-1500}" || rc=$?
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
		echo "[$abi] $p passed, $f failed (${SECONDS}s)"
		tp=$((tp + p))
		tf=$((tf + f))
	done <<<"$KERNELS"
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
