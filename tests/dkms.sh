#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The DKMS package proven end to end (run by `make dkmstest`):
#
#   1. `make deb` builds kftp-dkms_VERSION_all.deb and kftp_VERSION_amd64.deb
#      from debian/ with dpkg-buildpackage and Debian 12's dh-dkms;
#   2. a Debian 12 root (debootstrap --variant=minbase, with dkms, gcc and
#      Debian's own linux-image and linux-headers of the 6.1 line that
#      tests/kernels.sh fetched, installed with apt inside it) is made once
#      into an ext4 image in the cache;
#   3. QEMU boots that image as its root filesystem, with the image's own
#      kernel and initramfs, without network; a small disk carries the two
#      .debs, a static busybox ftpd and the test (guest_test below), which
#      installs the .debs with apt (DKMS builds kftp.ko for the running
#      kernel), runs `modprobe kftp`, fetches a file with `kftp get`,
#      checks it, removes the packages with `apt remove` and checks that
#      the module is gone from /lib/modules and from DKMS.
#
# Before the guest, on this machine: `make install` and `make uninstall`
# into a staging INSTALL_MOD_PATH for the same kernel, and modinfo of the
# installed kftp.ko.  Prints "PASS NAME" / "FAIL NAME: why" per step,
# the wall time and "N passed, N failed" last.  The root disk is opened with snapshot=on, so the cached image is
# never changed.
#
# Cache: ${KFTP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kftp}/dkms/: root-ABI/
# (the tree), root-ABI.img (its ext4 image).  Environment: KFTP_CACHE,
# DKMS_KLINE (kernel line, default 6.1), DKMS_ACCEL (QEMU -accel, default
# tcg,thread=single), DKMS_TIMEOUT (seconds for the boot, default 1500).
set -euo pipefail

LOG_TAG=dkms.sh
# shellcheck source=tests/lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"	# ROOT, CACHE, log, build_busybox_ftpd
OUT=$TESTS_DIR/out/dkms
export LC_ALL=C.UTF-8
KLINE=${DKMS_KLINE:-6.1}
MIRROR=http://deb.debian.org/debian
mkdir -p "$OUT" "$CACHE/dkms"

# The init of the root image: mount the test disk and run its script.  Part
# of the image's cache key, so a change rebuilds the image.
STUB='#!/bin/sh
# kftp dkms test: PID 1, from tests/dkms.sh
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /mnt/kftp
mount -o ro /dev/vdb /mnt/kftp && exec /bin/sh /mnt/kftp/test.sh
echo "kftp-guest-init: no test disk" >/dev/ttyS1
echo o >/proc/sysrq-trigger'

# deb_of NAME: the cached .deb of a package (newest version)
deb_of() {
	compgen -G "$CACHE/debs/$1_*.deb" | sort -V | tail -n 1
}

# The Debian 12 root with the kernel $ABI and its headers, as an ext4 image.
build_root() {
	local abi=$1 key dir tmp img debs d p
	key=$(printf '%s\n%s\n' "$abi" "$STUB" | sha256sum | cut -c1-12)
	dir=$CACHE/dkms/root-$abi
	img=$CACHE/dkms/root-$abi.img
	ROOT_IMG=$img
	[ "$(cat "$img.key" 2>/dev/null)" = "$key" ] && [ -f "$img" ] && return 0
	need_pkgs debootstrap e2fsprogs
	if [ "$(cat "$dir/.kftp-key" 2>/dev/null)" != "$key" ]; then
		tmp=$dir.tmp
		rm -rf "$tmp" "$dir"
		log "debootstrap bookworm into $tmp (once)"
		debootstrap --variant=minbase \
			--include=dkms,kmod,initramfs-tools,linux-base,iproute2,procps \
			bookworm "$tmp" "$MIRROR" >"$OUT/debootstrap.log" 2>&1 ||
			{ tail -n 20 "$OUT/debootstrap.log" >&2; return 1; }
		# Debian's kernel and headers, the very .debs the VM tests boot
		debs=()
		for p in linux-image-$abi linux-headers-$abi \
			 "linux-headers-${abi%-amd64}-common"; do
			d=$(deb_of "$p")
			[ -n "$d" ] || { log "no cached $p .deb"; return 1; }
			debs+=("$d")
		done
		d=$(dpkg-deb -f "${debs[1]}" Depends | grep -o 'linux-kbuild-[0-9.]*' | head -n 1)
		debs+=("$(deb_of "$d")")
		mkdir -p "$tmp/tmp/debs"
		cp "${debs[@]}" "$tmp/tmp/debs/"
		echo "deb $MIRROR bookworm main" >"$tmp/etc/apt/sources.list"
		log "installing ${debs[*]##*/} in the root"
		{
			chroot "$tmp" apt-get update -q &&
			chroot "$tmp" sh -c 'apt-get install -y -q --no-install-recommends /tmp/debs/*.deb' &&
			chroot "$tmp" apt-get clean
		} >"$OUT/root-apt.log" 2>&1 || { tail -n 20 "$OUT/root-apt.log" >&2; return 1; }
		rm -rf "$tmp/tmp/debs" "$tmp/var/lib/apt/lists/"*_Packages
		[ -f "$tmp/boot/initrd.img-$abi" ] || { log "no initrd.img in the root"; return 1; }
		printf '%s\n' "$STUB" >"$tmp/usr/local/sbin/kftp-guest-init"
		chmod 0755 "$tmp/usr/local/sbin/kftp-guest-init"
		echo kftp-dkms-test >"$tmp/etc/hostname"
		echo "$key" >"$tmp/.kftp-key"
		mv "$tmp" "$dir"
	fi
	log "making $img"
	rm -f "$img" "$img.key"
	mkfs.ext4 -q -F -L kftproot -d "$dir" "$img.tmp" 3G >"$OUT/mkfs.log" 2>&1 ||
		{ cat "$OUT/mkfs.log" >&2; return 1; }
	mv "$img.tmp" "$img"
	echo "$key" >"$img.key"
}


NPASS=0
NFAIL=0
pass() { echo "PASS $1"; NPASS=$((NPASS + 1)); }
fail() { echo "FAIL $1: $2"; NFAIL=$((NFAIL + 1)); }
finish() {
	echo "dkms.sh: ${SECONDS}s"
	echo "$NPASS passed, $NFAIL failed"
	[ "$NFAIL" -eq 0 ]
	exit
}

# make install / uninstall into a staging tree for KDIR, and modinfo
host_install() {
	local kdir=$1 abi=$2 b=$OUT/install st=$OUT/install-root ko p why=
	rm -rf "$b" "$st"
	mkdir -p "$b"
	cp -a "$ROOT/Makefile" "$ROOT/Kbuild" "$ROOT/VERSION" "$ROOT/src" "$ROOT/proc" \
		"$ROOT/compat" "$b/"
	if ! make -C "$b" -s -j2 KDIR="$kdir" INSTALL_MOD_PATH="$st" install \
		>"$OUT/install.log" 2>&1; then
		tail -n 20 "$OUT/install.log" >&2
		fail make_install "make install failed ($OUT/install.log)"
		return
	fi
	ko=$st/lib/modules/$abi/extra/kftp.ko
	[ -f "$ko" ] || why="no $ko"
	[ -z "$why" ] && [ "$(modinfo -F version "$ko")" = "$(cat "$ROOT/VERSION")" ] ||
		why=${why:-"version '$(modinfo -F version "$ko")'"}
	for p in license author description srcversion vermagic; do
		[ -n "$why" ] || [ -n "$(modinfo -F $p "$ko")" ] || why="no $p in modinfo"
	done
	[ -n "$why" ] || [ "$(modinfo -F vermagic "$ko" | cut -d' ' -f1)" = "$abi" ] ||
		why="vermagic $(modinfo -F vermagic "$ko")"
	# every parameter has a description: "name:text (type)"
	for p in max_transfers history buf_size server_conns max_size; do
		[ -n "$why" ] || modinfo -F parm "$ko" | grep -Eq "^$p:[^ (].* \([a-z]+\)$" ||
			why="parameter $p has no description"
	done
	[ -n "$why" ] || [ "$(modinfo -F parm "$ko" | grep -c .)" -eq 5 ] ||
		why="$(modinfo -F parm "$ko" | grep -c .) parameters, expected 5"
	if [ -n "$why" ]; then fail make_install "$why"; else pass make_install; fi
	if make -C "$b" -s KDIR="$kdir" INSTALL_MOD_PATH="$st" uninstall >>"$OUT/install.log" 2>&1 &&
	   [ -z "$(find "$st" -name 'kftp.ko*')" ]; then
		pass make_uninstall
	else
		fail make_uninstall "kftp.ko still in $st"
	fi
}

# The test that the guest runs as PID 1 (from the root image's stub), with
# the test disk at /mnt/kftp.  Its report goes to ttyS1; its verdict to
# isa-debug-exit.
guest_test() {
	cat <<'GUEST'
#!/bin/sh
# kftp dkms test, run by tests/dkms.sh in a Debian 12 guest as PID 1
T=/mnt/kftp
exec 3>/dev/ttyS1
np=0 nf=0
say() { echo "$*" >&3; echo "kftp-dkms: $*" >/dev/console; }
ok() { say "PASS $1"; np=$((np + 1)); }
ko() { say "FAIL $1: $2"; nf=$((nf + 1)); }
verdict() {
	say "$np passed, $nf failed"
	sync
	rc=$([ "$nf" -eq 0 ] && echo 0 || echo 1)
	printf "\\$(printf '%03o' "$rc")" | dd of=/dev/port bs=1 seek=244 count=1 2>/dev/null
	echo o >/proc/sysrq-trigger
	sleep 10
}
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
mkdir -p /dev/pts && mount -t devpts devpts /dev/pts
ip link set lo up
kver=$(uname -r)
say "kernel $kver"

# 1. apt installs both packages; kftp-dkms's postinst has DKMS build and
#    install kftp.ko for the running kernel (no network: all is local)
t0=$(cut -d. -f1 /proc/uptime)
installed=0
if apt-get install -y $T/kftp-dkms_*_all.deb $T/kftp_*_amd64.deb \
	>/tmp/apt-install.log 2>&1; then
	ok apt_install
	installed=1
else
	ko apt_install "apt-get install failed: $(tail -n 3 /tmp/apt-install.log | tr '\n' '|')"
fi
say "apt install with the DKMS build took $(($(cut -d. -f1 /proc/uptime) - t0))s"
cat /tmp/apt-install.log >/dev/console
st=$(dkms status -m kftp -k "$kver" 2>&1)
if echo "$st" | grep -q "kftp/$(cat $T/VERSION), $kver, x86_64: installed" &&
   [ -f "/lib/modules/$kver/updates/dkms/kftp.ko" ]; then
	ok dkms_installed
else
	ko dkms_installed "dkms status: '$st'; $(ls /lib/modules/$kver/updates/dkms 2>&1)"
fi

# 2. modprobe finds it (depmod ran) and it is the packaged version
if modprobe kftp && [ -w /proc/kftp/request ] &&
   [ "$(cat /sys/module/kftp/version)" = "$(cat $T/VERSION)" ]; then
	ok modprobe
else
	ko modprobe "modprobe kftp: $(lsmod | grep kftp), $(dmesg | tail -n 2 | tr '\n' '|')"
fi

# 3. a transfer with the packaged kftp command, from busybox ftpd
mkdir -p /srv/pub
head -c 1048577 /dev/urandom >/srv/pub/f.bin
chmod 0755 /srv /srv/pub
chmod 0644 /srv/pub/f.bin
$T/busybox-ftpd tcpsvd -E 127.0.0.1 21 $T/busybox-ftpd ftpd -a nobody /srv 2>/tmp/ftpd.log &
sleep 1
out=$(kftp get ftp://127.0.0.1/pub/f.bin /tmp/f.bin 2>&1)
rc=$?
if [ "$rc" -eq 0 ] && cmp -s /srv/pub/f.bin /tmp/f.bin &&
   echo "$out" | grep -q 'done: 1048577 bytes'; then
	ok kftp_get
else
	ko kftp_get "kftp exit $rc: '$out'; $(tail -n 2 /proc/kftp/status | tr '\n' '|')"
fi
if [ -f /usr/share/man/man1/kftp.1.gz ] && [ -f /usr/share/man/man5/kftp.5.gz ]; then
	ok man_pages
else
	ko man_pages "kftp.1.gz or kftp.5.gz missing"
fi

# 3b. the boot-time example is there, and loads nothing until edited;
#     the resolver's upcall and tlshd (FTPS) are recommended
conf=/etc/modules-load.d/kftp.conf
if [ -f "$conf" ] && grep -qx '#kftp' "$conf" && ! grep -qv '^#' "$conf" &&
   dpkg-query -W -f='${Recommends}' kftp-dkms | grep -qw keyutils &&
   dpkg-query -W -f='${Recommends}' kftp-dkms | grep -qw ktls-utils; then
	ok modules_load_example
else
	ko modules_load_example "$(cat "$conf" 2>&1 | tr '\n' '|'); recommends: $(dpkg-query -W -f='${Recommends}' kftp-dkms)"
fi

# 4. apt remove takes the module out of /lib/modules and DKMS
rmmod kftp
if apt-get remove -y kftp-dkms kftp >/tmp/apt-remove.log 2>&1; then
	ok apt_remove
else
	ko apt_remove "$(tail -n 3 /tmp/apt-remove.log | tr '\n' '|')"
fi
cat /tmp/apt-remove.log >/dev/console
left=$(find /lib/modules -name 'kftp.ko*'; ls -d /usr/src/kftp-* /var/lib/dkms/kftp \
	/usr/bin/kftp 2>/dev/null; dkms status -m kftp 2>&1)
if [ "$installed" -eq 0 ]; then
	ko removed "nothing was installed"
elif [ -z "$left" ] && ! modprobe -n kftp 2>/dev/null; then
	ok removed
else
	ko removed "left behind: $(echo "$left" | tr '\n' ' ')"
fi
verdict
GUEST
}

guest_run() {
	local abi=$1 root=$CACHE/dkms/root-$1 t=$OUT/testdisk accel rc=0 qpid res=$OUT/report.txt
	rm -rf "$t" "$OUT/test.img"
	mkdir -p "$t"
	guest_test >"$t/test.sh"
	cp "$DEB_DIR"/kftp-dkms_*_all.deb "$DEB_DIR"/kftp_*_amd64.deb "$ROOT/VERSION" "$t/"
	cp "$BB_FTPD" "$t/busybox-ftpd"
	mkfs.ext4 -q -F -L kftptest -d "$t" "$OUT/test.img" 64M >"$OUT/mkfs-test.log" 2>&1 ||
		{ fail boot "mkfs.ext4 of the test disk"; return; }
	# TCG, single-threaded as tests/lib.sh explains; KVM (DKMS_ACCEL=kvm)
	# where the host has a working one: this machine's nested KVM hangs
	# the guest kernel before its first console line
	accel=${DKMS_ACCEL:-tcg,thread=single}
	log "booting Debian 12 with $abi (accel $accel, console: $OUT/console.log)"
	: >"$res"
	timeout "${DKMS_TIMEOUT:-1500}" qemu-system-x86_64 -machine q35 -accel "$accel" \
		-m 2G -smp 2 -nographic -no-reboot -nic none \
		-serial mon:stdio -serial "file:$res" \
		-kernel "$root/boot/vmlinuz-$abi" -initrd "$root/boot/initrd.img-$abi" \
		-append "root=LABEL=kftproot rw console=ttyS0 panic=-1 init=/usr/local/sbin/kftp-guest-init" \
		-drive "file=$ROOT_IMG,format=raw,if=virtio,snapshot=on" \
		-drive "file=$OUT/test.img,format=raw,if=virtio,readonly=on" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		</dev/null >"$OUT/console.log" 2>&1 &
	qpid=$!
	QEMU_PID=$qpid
	tail -n +1 -s 0.5 -f --pid="$qpid" "$res" | sed -u '/^[0-9]* passed, [0-9]* failed$/d'
	wait "$qpid" || rc=$?
	QEMU_PID=
	# ttyS1 is not raw in the guest: CR LF line ends
	tr -d '\r' <"$res" >"$res.tmp" && mv "$res.tmp" "$res"
	GUEST_P=$(grep -c '^PASS ' "$res" || true)
	GUEST_F=$(grep -c '^FAIL ' "$res" || true)
	NPASS=$((NPASS + GUEST_P))
	NFAIL=$((NFAIL + GUEST_F))
	# the guest's verdict: qemu exits with (rc << 1) | 1
	if ! grep -qx "$GUEST_P passed, $GUEST_F failed" "$res" || [ $((rc & 1)) -ne 1 ] ||
	   [ "$GUEST_P" -lt 7 ]; then
		fail guest "no complete verdict (qemu rc=$rc); last console lines:"
		tail -n 30 "$OUT/console.log" | sed 's/^/    /'
	fi
}

main() {
	local abi kdir
	SECONDS=0
	need_pkgs qemu-system-x86 e2fsprogs kmod debootstrap
	read -r abi kdir _ <<<"$("$TESTS_DIR/kernels.sh" </dev/null |
		awk -v l="$KLINE" 'index($1, l ".") == 1' | head -n 1)"
	[ -n "${abi:-}" ] || { fail kernel "no $KLINE kernel from tests/kernels.sh"; finish; }
	log "kernel $abi"
	host_install "$kdir" "$abi"
	DEB_DIR=$OUT/deb
	if "$ROOT/tools/mkdeb.sh" "$DEB_DIR" >"$OUT/mkdeb.log" 2>&1; then
		pass make_deb
	else
		tail -n 20 "$OUT/mkdeb.log"
		fail make_deb "tools/mkdeb.sh failed ($OUT/mkdeb.log)"
		finish
	fi
	build_busybox_ftpd
	# the root: debootstrap and apt, once; the boot: one at a time
	if ! (flock 9 && build_root "$abi") 9>/tmp/kftp-heavy.lock; then
		fail root "building the Debian 12 root failed"
		finish
	fi
	ROOT_IMG=$CACHE/dkms/root-$abi.img
	rm -f "$OUT/counts"
	(flock 9 && guest_run "$abi" && echo "$NPASS $NFAIL" >"$OUT/counts") 9>/tmp/kftp-heavy.lock
	read -r NPASS NFAIL <"$OUT/counts" || fail guest "no counts"
	finish
}

case "${1:-}" in
root)	# only the cached root image
	read -r abi _ <<<"$("$TESTS_DIR/kernels.sh" </dev/null |
		awk -v l="$KLINE" 'index($1, l ".") == 1' | head -n 1)"
	(flock 9 && build_root "$abi") 9>/tmp/kftp-heavy.lock
	;;
"") main ;;
*) echo "usage: $0 [root]" >&2; exit 2 ;;
esac
