#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# End-to-end tests of kftp.ko: boot Debian's own kernels under QEMU (TCG) with
# a busybox initramfs that runs an FTP server on the guest's loopback, load the
# module there (never on this host) and drive it through /proc/kftp.
#
#   tests/vm.sh check   every test on every kernel (tests/kernels.sh), summary
#                       "N passed, N failed" as the last line
#   tests/vm.sh demo    one visible fetch on the 6.12 kernel (or first of KVERS)
#
# env: KVERS (kernel ABIs), KFTP_CACHE, KFTP_TESTS (space separated guest test
# names to run only those), VM_TIMEOUT (seconds per boot), VM_MEM.
set -euo pipefail

TESTS_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$TESTS_DIR")
OUT=$TESTS_DIR/out
CACHE=${KFTP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kftp}
export DEBIAN_FRONTEND=noninteractive
mkdir -p "$OUT" "$CACHE"

QEMU_PID=
# timeout(1) runs qemu in its own process group: stop it if we are stopped
cleanup() {
	[ -n "$QEMU_PID" ] && kill "$QEMU_PID" 2>/dev/null
	return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "vm.sh: $*" >&2; }
die() { log "$*"; exit 2; }

# apt-get only for what is missing, so a warm machine does not touch the network
need_pkgs() {
	local p missing=()
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	log "installing ${missing[*]}"
	apt-get update -qq >&2
	apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
}

# Debian's busybox-static has neither tcpsvd nor ftpd: build a second static
# busybox from Debian's busybox source, fetched with a private sources.list so
# the host's apt configuration is left alone.  The options list is part of the
# cache key, so changing it rebuilds.
BB_OPTS="STATIC BUSYBOX LONG_OPTS SHOW_USAGE TCPSVD FTPD FEATURE_FTPD_WRITE
FEATURE_FTPD_AUTHENTICATION FEATURE_SHADOWPASSWDS USE_BB_PWD_GRP USE_BB_SHADOW
USE_BB_CRYPT USE_BB_CRYPT_SHA CRYPTPW MKPASSWD"

build_busybox_ftpd() {
	local key src lists opts dir o
	key=$(echo "$BB_OPTS" | sha256sum | cut -c1-12)
	BB_FTPD=$CACHE/guest/busybox-ftpd-$key
	[ -x "$BB_FTPD" ] && return 0
	log "building busybox with tcpsvd+ftpd (once, cached in $CACHE/guest)"
	src=$CACHE/bbsrc
	lists=$src/lists
	mkdir -p "$lists/partial" "$src/cache/archives/partial" "$CACHE/guest"
	printf '%s\n' 'deb-src http://deb.debian.org/debian bookworm main' \
		'deb-src http://deb.debian.org/debian-security bookworm-security main' \
		>"$src/sources.list"
	opts=(-o "Dir::Etc::SourceList=$src/sources.list" -o Dir::Etc::SourceParts=/nonexistent
	      -o "Dir::State::Lists=$lists" -o "Dir::Cache=$src/cache")
	if ! compgen -G "$src/busybox-1.*/Makefile" >/dev/null; then
		apt-get "${opts[@]}" update -qq >&2
		(cd "$src" && apt-get "${opts[@]}" source busybox >&2 2>/dev/null)
	fi
	dir=$(compgen -G "$src/busybox-1.*/Makefile" | head -n1)
	dir=${dir%/Makefile}
	make -C "$dir" -s allnoconfig >/dev/null
	for o in $BB_OPTS; do
		sed -i "s/^# CONFIG_$o is not set/CONFIG_$o=y/" "$dir/.config"
	done
	# oldconfig asks about the new sub-options; accept their defaults
	{ yes '' || :; } | make -C "$dir" oldconfig >/dev/null 2>&1
	for o in $BB_OPTS; do
		grep -q "^CONFIG_$o=y" "$dir/.config" || die "busybox: CONFIG_$o did not stick"
	done
	make -C "$dir" -s -j2 busybox >"$OUT/busybox-build.log" 2>&1 ||
		{ tail -n 30 "$OUT/busybox-build.log" >&2; die "busybox build failed"; }
	# the name must start with "busybox" for `busybox-ftpd APPLET` to work
	cp "$dir/busybox" "$BB_FTPD.tmp"
	mv "$BB_FTPD.tmp" "$BB_FTPD"
}

# small static helpers run in the guest, built from tests/guest/*.c
build_helpers() {
	local h
	mkdir -p "$OUT/guest"
	for h in kftpreq stallftpd; do
		if [ ! -x "$OUT/guest/$h" ] || [ "$TESTS_DIR/guest/$h.c" -nt "$OUT/guest/$h" ]; then
			gcc -static -O2 -Wall -Werror -o "$OUT/guest/$h" "$TESTS_DIR/guest/$h.c"
		fi
	done
}

# per-kernel copy of the sources so two kernels never share objects
build_module() {
	local abi=$1 kdir=$2 b=$OUT/build-$1
	[ -e "$ROOT/Kbuild" ] || die "no Kbuild in $ROOT"
	mkdir -p "$b"
	rm -rf "$b/src" "$b/proc" "$b/compat" "$b/Kbuild"
	cp -a "$ROOT/Kbuild" "$ROOT/src" "$ROOT/proc" "$ROOT/compat" "$b/"
	if ! make -s -C "$kdir" M="$b" -j2 modules >"$OUT/module-$abi.log" 2>&1; then
		tail -n 40 "$OUT/module-$abi.log" >&2
		log "[$abi] module build failed (full log: $OUT/module-$abi.log)"
		return 1
	fi
	[ -f "$b/kftp.ko" ] || { log "[$abi] no kftp.ko produced"; return 1; }
}

mk_initrd() {
	local abi=$1 ko=$2 d
	d=$OUT/initramfs-$abi
	rm -rf "$d"
	mkdir -p "$d/bin" "$d/kftp"
	cp /bin/busybox "$d/bin/busybox"
	cp "$BB_FTPD" "$d/bin/busybox-ftpd"
	cp "$OUT/guest/kftpreq" "$OUT/guest/stallftpd" "$d/bin/"
	cp "$TESTS_DIR/guest/init" "$d/init"
	cp "$TESTS_DIR"/guest/*.sh "$d/kftp/"
	[ -n "$ko" ] && cp "$ko" "$d/kftp/kftp.ko"
	chmod 0755 "$d/init" "$d"/bin/*
	(cd "$d" && find . | cpio -o -H newc --quiet) | gzip -1 >"$OUT/initrd-$abi.gz"
	rm -rf "$d"
}

# Boot one kernel.  The guest's test program writes its report to ttyS1 (a
# file here) so kernel messages on the console cannot tear result lines; the
# console (ttyS0) is kept whole in $OUT/console-$abi.log.
# Returns the guest's verdict: 0 pass, 1 fail, 124 timeout, 125 no verdict.
run_vm() {
	local abi=$1 vmlinuz=$2 mode=$3 tmo=$4 con res qpid rc
	local tl=${KFTP_TESTS:-}

	tl=${tl// /,}
	con=$OUT/console-$abi.log
	res=$OUT/report-$abi.txt
	: >"$res"
	timeout "$tmo" qemu-system-x86_64 -accel tcg -m "${VM_MEM:-1G}" -smp 2 \
		-nographic -no-reboot \
		-serial mon:stdio -serial "file:$res" \
		-kernel "$vmlinuz" -initrd "$OUT/initrd-$abi.gz" \
		-append "console=ttyS0 panic=-1 vmtest=$mode vmtests=$tl" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		</dev/null >"$con" 2>&1 &
	qpid=$!
	QEMU_PID=$qpid
	# live report, prefixed with the kernel for check mode
	if [ "$mode" = demo ]; then
		tail -n +1 -s 0.5 -f --pid="$qpid" "$res"
	else
		tail -n +1 -s 0.5 -f --pid="$qpid" "$res" | sed -u "s/^/[$abi] /"
	fi
	rc=0
	wait "$qpid" || rc=$?
	QEMU_PID=
	[ "$rc" -eq 124 ] && return 124
	# isa-debug-exit: qemu exits with (value << 1) | 1
	[ $((rc & 1)) -eq 1 ] && return $((rc >> 1))
	return 125
}

fail_tail() {
	local abi=$1 why=$2
	log "[$abi] $why; last console lines ($OUT/console-$abi.log):"
	tail -n 40 "$OUT/console-$abi.log" | sed 's/^/    /' >&2
}

prepare() {
	need_pkgs qemu-system-x86 busybox-static cpio gzip gcc libc6-dev make \
		dpkg-dev bzip2 xz-utils coreutils
	build_busybox_ftpd
	build_helpers
	KERNELS=$("$TESTS_DIR/kernels.sh")
	[ -n "$KERNELS" ] || die "tests/kernels.sh listed no kernel"
}

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
