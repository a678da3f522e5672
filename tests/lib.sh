# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Building blocks shared by tests/vm.sh and tests/bench.sh: packages, the
# static busybox with tcpsvd+ftpd, Debian's vsftpd, the guest helpers,
# kftp.ko per kernel, the initramfs and one QEMU boot.  Sourced; the caller sets -euo pipefail.
#
# Hooks for the caller: LOG_TAG (log prefix), initrd_extra DIR (a function
# that adds files to the initramfs tree before it is packed), VM_APPEND
# (more kernel command line), VM_MEM.

TESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$TESTS_DIR")
OUT=$TESTS_DIR/out
CACHE=${KFTP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kftp}
export DEBIAN_FRONTEND=noninteractive
mkdir -p "$OUT" "$CACHE"

QEMU_PID=
BOOT_PIDS=
# timeout(1) runs qemu in its own process group: stop it if we are stopped,
# and the boots running in the background (vm.sh check)
cleanup() {
	[ -n "$QEMU_PID" ] && kill "$QEMU_PID" 2>/dev/null
	# shellcheck disable=SC2086
	[ -n "$BOOT_PIDS" ] && kill $BOOT_PIDS 2>/dev/null
	return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "${LOG_TAG:-vm.sh}: $*" >&2; }
die() { log "$*"; exit 2; }

# shellcheck source=tests/pkgs.sh
. "$TESTS_DIR/pkgs.sh"

# Debian's busybox-static has neither tcpsvd nor ftpd: build a second static
# busybox from Debian's busybox source, fetched with a private sources.list so
# the host's apt configuration is left alone.  The options list is part of the
# cache key, so changing it rebuilds.
BB_OPTS="STATIC BUSYBOX LONG_OPTS SHOW_USAGE TCPSVD FTPD FEATURE_FTPD_WRITE
FEATURE_FTPD_AUTHENTICATION FEATURE_SHADOWPASSWDS USE_BB_PWD_GRP USE_BB_SHADOW
USE_BB_CRYPT USE_BB_CRYPT_SHA CRYPTPW MKPASSWD FEATURE_IPV6"

build_busybox_ftpd() {
	local key src lists opts dir o
	key=$(echo "$BB_OPTS" | sha256sum | cut -c1-12)
	BB_FTPD=$CACHE/guest/busybox-ftpd-$key
	[ -x "$BB_FTPD" ] && return 0
	# vm.sh and dkms.sh may start at once (tests/check.sh): one builds
	mkdir -p "$CACHE/guest"
	exec 7>"$CACHE/guest/.lock"
	flock 7
	[ -x "$BB_FTPD" ] && { exec 7>&-; return 0; }
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
	exec 7>&-
}

# small static helpers run in the guest, built from tests/guest/*.c
build_helpers() {
	local h
	mkdir -p "$OUT/guest"
	for h in kftpreq stallftpd idmount tlsrelay wirecap; do
		if [ ! -x "$OUT/guest/$h" ] || [ "$TESTS_DIR/guest/$h.c" -nt "$OUT/guest/$h" ] ||
		   [ "$TESTS_DIR/guest/serve.h" -nt "$OUT/guest/$h" ]; then
			gcc -static -O2 -Wall -Werror -o "$OUT/guest/$h" "$TESTS_DIR/guest/$h.c"
		fi
	done
	gcc -static -O2 -Wall -Werror -DKFTP_TOOL_VERSION='"test"' -o "$OUT/guest/ptyrun" "$ROOT/tools/kftp/ptyrun.c"
	# the command has the module's request parser built in
	gcc -static -O2 -Wall -Werror -Wno-unused-parameter -I"$ROOT/src" -DKFTP_TOOL_VERSION='"test"' \
		-o "$OUT/guest/kftp" "$ROOT/tools/kftp/kftp.c" "$ROOT/tools/kftp/check.c" "$ROOT/tools/kftp/progress.c" \
		"$ROOT/src/request.c" "$ROOT/src/options.c" "$ROOT/src/url.c"
}

# per-kernel copy of the sources so two kernels never share objects
build_module() {
	local abi=$1 kdir=$2 b=$OUT/build-$1
	[ -e "$ROOT/Kbuild" ] || die "no Kbuild in $ROOT"
	mkdir -p "$b"
	rm -rf "$b/src" "$b/proc" "$b/compat" "$b/Kbuild"
	cp -a "$ROOT/Kbuild" "$ROOT/src" "$ROOT/proc" "$ROOT/compat" "$b/"
	# kmake.sh: in the sid root for the kernels that need it (7.x)
	if ! "$TESTS_DIR/kmake.sh" "$kdir" -s M="$b" -j2 modules >"$OUT/module-$abi.log" 2>&1; then
		tail -n 40 "$OUT/module-$abi.log" >&2
		log "[$abi] module build failed (full log: $OUT/module-$abi.log)"
		return 1
	fi
	[ -f "$b/kftp.ko" ] || { log "[$abi] no kftp.ko produced"; return 1; }
}

# The guest's dynamic programs, vsftpd with its PAM modules, dnsmasq,
# request-key and key.dns_resolver, curl (GUEST_PKGS, a caller may add more),
# and every library they load come from Debian 12's .debs, unpacked into
# one tree: never from what this machine happens to have installed, which
# a fresh one lacks (libwrap0). glibc is the one exception (kernels.sh
# closure): the host's loader must come with the host's libc.
GUEST_PKGS=${GUEST_PKGS:-"vsftpd libpam-modules dnsmasq-base keyutils curl pure-ftpd"}
fetch_guest_root() {
	local debs deb

	# keyed on the packages and on the closure's rule, which decides the rest
	GROOT=$CACHE/guestroot-$({ echo "$GUEST_PKGS"
		sed -n '/^if \[ "${1:-}" = closure \]/,/^fi$/p' "$TESTS_DIR/kernels.sh"; } |
		sha256sum | cut -c1-12)
	[ -e "$GROOT/.done" ] && return 0
	log "unpacking $GUEST_PKGS and their libraries into $GROOT (once)"
	# shellcheck disable=SC2086
	debs=$("$TESTS_DIR/kernels.sh" closure bookworm $GUEST_PKGS) ||
		die "cannot fetch $GUEST_PKGS"
	rm -rf "$GROOT"
	mkdir -p "$GROOT"
	for deb in $debs; do
		dpkg -x "$deb" "$GROOT"
	done
	touch "$GROOT/.done"
}

# The libraries a program of the guest root needs, and the loader, into
# the initramfs tree DIR at the paths the loader looks in. Any library
# but glibc's that resolves outside the guest root is an error: it would
# work here and fail on a machine without it.
GLIBC_RE='^(ld-linux-x86-64\.so\.2|lib(c|m|dl|pthread|rt|resolv|util|anl|mvec|nsl)\.so\.[0-9]+)$'
copy_libs() {
	local d=$1 f=$2 lib libs

	libs=$(LD_LIBRARY_PATH=$GROOT/lib/x86_64-linux-gnu:$GROOT/usr/lib/x86_64-linux-gnu ldd "$f") ||
		die "ldd $f failed"
	grep -q 'not found' <<<"$libs" && die "ldd $f: a library is missing: $(grep 'not found' <<<"$libs")"
	for lib in $(grep -o '/[^ ]*' <<<"$libs"); do
		if [ "${lib#"$GROOT"/}" != "$lib" ]; then
			mkdir -p "$d$(dirname "${lib#"$GROOT"}")"
			cp -L "$lib" "$d${lib#"$GROOT"}"
		elif [[ $(basename "$lib") =~ $GLIBC_RE ]]; then
			mkdir -p "$d$(dirname "$lib")"
			cp -L "$lib" "$d$lib"
		else
			die "ldd $f: $lib comes from this machine, not from the guest root"
		fi
	done
}

# a program of the guest root into the initramfs tree DIR as /opt/bench/bin/NAME
copy_dyn() {
	mkdir -p "$1/opt/bench/bin"
	cp -L "$GROOT$2" "$1/opt/bench/bin/"
	copy_libs "$1" "$GROOT$2"
}

# vsftpd as /usr/sbin/vsftpd, with the PAM modules that check local
# users against /etc/shadow (the guest's pam.d names them by path)
PAM_DIR=/lib/x86_64-linux-gnu/security
add_vsftpd() {
	local d=$1 m
	mkdir -p "$d/usr/sbin" "$d$PAM_DIR"
	cp "$GROOT/usr/sbin/vsftpd" "$d/usr/sbin/"
	copy_libs "$d" "$GROOT/usr/sbin/vsftpd"
	for m in pam_unix.so pam_permit.so; do
		cp -L "$GROOT$PAM_DIR/$m" "$d$PAM_DIR/"
		copy_libs "$d" "$GROOT$PAM_DIR/$m"
	done
}

# dnsmasq (the guest's DNS server), request-key and key.dns_resolver (the
# kernel's DNS upcall) into the initramfs tree DIR
add_dns() {
	local d=$1 f
	mkdir -p "$d/usr/sbin" "$d/sbin" "$d/etc"
	cp "$GROOT/usr/sbin/dnsmasq" "$d/usr/sbin/"
	cp "$GROOT/sbin/request-key" "$GROOT/sbin/key.dns_resolver" "$d/sbin/"
	cp "$GROOT/etc/request-key.conf" "$d/etc/"
	for f in usr/sbin/dnsmasq sbin/request-key sbin/key.dns_resolver; do
		copy_libs "$d" "$GROOT/$f"
	done
}

# The file of module NAME of kernel ABI: from the kernel's package, or on
# 7.x from linux-modules-ABI, fetched once and kept in the kernel's root;
# 1 if the kernel has no such module.
kmod_file() {
	local abi=$1 name=$2 root=$CACHE/kernels/$1 alt=${2//_/-} m deb s
	# looked for in linux-modules-ABI before and not there: not again
	[ -e "$root/.kmod-absent-$name" ] && return 1
	m=$(find "$root" \( -name "$name.ko*" -o -name "$alt.ko*" \) | head -n1)
	if [ -z "$m" ]; then
		for s in sid experimental bookworm bullseye; do
			deb=$("$TESTS_DIR/kernels.sh" deb "$s" "linux-modules-$abi" 2>/dev/null) && break
		done
		if [ -z "$deb" ]; then
			# no linux-modules-ABI: before 7.x the image package has
			# every module, so the kernel has no such module (or has
			# it built in)
			[ -d "$root/lib/modules/$abi/kernel" ] || die "no linux-modules-$abi for $name.ko"
			: >"$root/.kmod-absent-$name"
			return 1
		fi
		# one of the two spellings is not in the archive: tar says so
		dpkg-deb --fsys-tarfile "$deb" |
			tar -x -C "$root" --wildcards "*/$name.ko*" "*/$alt.ko*" 2>/dev/null || :
		m=$(find "$root" \( -name "$name.ko*" -o -name "$alt.ko*" \) | head -n1)
		[ -n "$m" ] || { : >"$root/.kmod-absent-$name"; return 1; }
	fi
	echo "$m"
}

kmod_unpack() {	# SRC DEST: DEST is SRC uncompressed
	case $1 in
	*.xz) xz -dc "$1" >"$2" ;;
	*.zst) zstd -qdc "$1" >"$2" ;;
	*) cp "$1" "$2" ;;
	esac
}

# The kernel's dns_resolver.ko as /kftp/dns_resolver.ko: the guest loads it
# before kftp.ko, which needs its dns_query().
add_dns_resolver() {
	local m
	m=$(kmod_file "$2" dns_resolver) || die "$2 has no dns_resolver.ko"
	kmod_unpack "$m" "$1/kftp/dns_resolver.ko"
}

# Modules NAME... and those they depend on (their .modinfo's depends=),
# uncompressed in /kftp/mods (/kftp/$KMODS_DIR if set), each after its
# dependencies in its order file: the guest has no modules.dep to
# modprobe with. A NAME given as ?NAME is left out where the kernel has
# no such module.
add_kmods() {
	local d=$1 abi=$2 name deps m md=$1/kftp/${KMODS_DIR:-mods}
	shift 2
	mkdir -p "$md"
	for name in "$@"; do
		m=$(kmod_file "$abi" "${name#\?}") || {
			[ "${name#\?}" != "$name" ] || die "$abi has no $name.ko"
			continue
		}
		name=${name#\?}
		[ -f "$md/$name.ko" ] && continue
		kmod_unpack "$m" "$md/$name.ko"
		deps=$(tr '\0' '\n' <"$md/$name.ko" | sed -n 's/^depends=//p' | tr ',' ' ')
		# shellcheck disable=SC2086 # a list of names
		[ -z "$deps" ] || add_kmods "$d" "$abi" $deps
		echo "$name" >>"$md/order"
	done
}

# ---- FTPS (issue 21): tlshd, kTLS and the test certificates ----

# The name the test server certificate is issued for, beside 127.0.0.1
# and ::1; the guest's dnsmasq answers it (TLS_HOST in tests/guest/tls.sh)
TLS_NAME=tls.kftp.test

# A CA and a server certificate it signs, and a rogue CA that signs one
# for the same names, made fresh by each run into $OUT/tls (never the
# cache, never git): the initramfs carries them as /kftp/tls
mk_tls_certs() {
	local t=$OUT/tls n ca
	rm -rf "$t"
	mkdir -p "$t"
	printf '%s\n' "subjectAltName=DNS:$TLS_NAME,IP:127.0.0.1,IP:::1" \
		basicConstraints=critical,CA:FALSE extendedKeyUsage=serverAuth >"$t/server.ext"
	for n in ca rogue-ca; do
		openssl req -x509 -newkey rsa:2048 -nodes -days 3 -subj "/CN=kftp test $n" \
			-addext basicConstraints=critical,CA:TRUE \
			-addext keyUsage=critical,keyCertSign,cRLSign \
			-keyout "$t/$n.key" -out "$t/$n.pem" 2>>"$t/openssl.log" ||
			die "openssl: no $n (see $t/openssl.log)"
	done
	for n in server rogue; do
		ca=ca
		[ $n = rogue ] && ca=rogue-ca
		{ openssl req -newkey rsa:2048 -nodes -subj "/CN=$TLS_NAME" \
			-keyout "$t/$n.key" -out "$t/$n.csr" 2>>"$t/openssl.log" &&
			openssl x509 -req -in "$t/$n.csr" -CA "$t/$ca.pem" -CAkey "$t/$ca.key" \
				-CAcreateserial -days 3 -sha256 -extfile "$t/server.ext" \
				-out "$t/$n.pem" 2>>"$t/openssl.log"; } ||
			die "openssl: no $n certificate (see $t/openssl.log)"
	done
	rm -f "$t"/*.csr "$t"/*.srl "$t/server.ext" "$t/ca.key" "$t/rogue-ca.key" "$t/openssl.log"
}

# 0 when kernel ABI has the TLS handshake upcall and kTLS, which FTPS needs
kernel_has_tls() {
	local cfg=$CACHE/kernels/$1/usr/src/linux-headers-$1/.config
	grep -qx 'CONFIG_NET_HANDSHAKE=y' "$cfg" && grep -qE '^CONFIG_TLS=[ym]$' "$cfg"
}

# tlshd (Debian's ktls-utils) needs a newer glibc than Debian 12's: it
# comes from the sid root with its libraries, sid's loader and libc, into
# /opt/tlshd, a root of its own the guest chroots into. The list is asked
# for once per run.
#
# sid's tlshd (1.4) also sets kTLS's record size limit, and fails every
# handshake on a kernel without that option (TLS_TX_MAX_PAYLOAD_LEN,
# Linux 6.19): such a kernel gets Debian 13's tlshd (1.0), which does not,
# on the same libraries (their sonames are the same, sid's are newer).
TLSHD_FILES=
add_tlshd() {
	local r=$1/opt/tlshd abi=$2 root f deb d=$CACHE/tlshd-trixie libs
	if [ -z "$TLSHD_FILES" ]; then
		TLSHD_FILES=$("$TESTS_DIR/kernels.sh" sid-closure ktls-utils /usr/sbin/tlshd) ||
			die "no tlshd from the sid root"
	fi
	root=$(head -n 1 <<<"$TLSHD_FILES")
	for f in $(tail -n +2 <<<"$TLSHD_FILES"); do
		mkdir -p "$r$(dirname "$f")"
		cp -L "$root$f" "$r$f"
	done
	mkdir -p "$r/etc/tlshd" "$r/proc" "$r/dev" "$r/tmp"
	grep -qs TLS_TX_MAX_PAYLOAD_LEN "$CACHE/kernels/$abi"/usr/src/linux-headers-*-common/include/uapi/linux/tls.h &&
		return 0
	deb=$("$TESTS_DIR/kernels.sh" deb trixie ktls-utils) || die "no ktls-utils from trixie"
	if [ "$(cat "$d/.deb" 2>/dev/null)" != "$deb" ]; then
		rm -rf "$d"
		mkdir -p "$d"
		dpkg -x "$deb" "$d"
		echo "$deb" >"$d/.deb"
		libs=$("$root/lib64/ld-linux-x86-64.so.2" --library-path "$root/usr/lib/x86_64-linux-gnu" \
			--list "$d/usr/sbin/tlshd") || die "trixie's tlshd does not load with sid's libraries"
		! grep -q 'not found' <<<"$libs" ||
			die "trixie's tlshd: $(grep 'not found' <<<"$libs") in the sid root"
	fi
	cp "$d/usr/sbin/tlshd" "$r/usr/sbin/tlshd"
}

# kTLS's AEADs for TLS 1.3 (tlshd offers AES-GCM and ChaCha20-Poly1305)
# and the crypto templates and algorithms they are made of, which the
# kernel would ask modprobe for: loaded by the guest from /kftp/tlsmods
TLS_KMODS="tls ?gcm ?ghash_generic ?ctr ?chacha20poly1305 ?chacha_generic ?chacha ?poly1305_generic"

# FTPS in the initramfs tree DIR: the certificates and curl (the
# userspace client that checks the guest's TLS servers) for every kernel;
# tlshd, the modules and pure-ftpd (a second TLS server) for a kernel that
# has the upcall
add_tls() {
	local d=$1 abi=$2
	cp -a "$OUT/tls" "$d/kftp/tls"
	mkdir -p "$d/usr/bin"
	cp -L "$GROOT/usr/bin/curl" "$d/usr/bin/"
	copy_libs "$d" "$GROOT/usr/bin/curl"
	kernel_has_tls "$abi" || return 0
	# shellcheck disable=SC2086 # a list of names
	KMODS_DIR=tlsmods add_kmods "$d" "$abi" $TLS_KMODS
	add_tlshd "$d" "$abi"
	cp "$GROOT/usr/sbin/pure-ftpd" "$d/usr/sbin/"
	copy_libs "$d" "$GROOT/usr/sbin/pure-ftpd"
}

mk_initrd() {
	local abi=$1 ko=$2 d
	d=$OUT/initramfs-$abi
	rm -rf "$d"
	mkdir -p "$d/bin" "$d/kftp"
	cp /bin/busybox "$d/bin/busybox"
	cp "$BB_FTPD" "$d/bin/busybox-ftpd"
	cp "$OUT/guest/kftpreq" "$OUT/guest/stallftpd" "$OUT/guest/idmount" "$OUT/guest/tlsrelay" \
		"$OUT/guest/wirecap" "$d/bin/"
	cp "$OUT/guest/kftp" "$OUT/guest/ptyrun" "$d/bin/"
	add_vsftpd "$d"
	add_dns "$d"
	add_dns_resolver "$d" "$abi"
	# an ext4 on a loop device, for the test that freezes a destination;
	# ext4 asks for crc32c by name before 7.x (a library since)
	add_kmods "$d" "$abi" loop ext4 ?crc32c_generic
	add_tls "$d" "$abi"
	cp "$TESTS_DIR/guest/init" "$d/init"
	cp "$TESTS_DIR"/guest/*.sh "$d/kftp/"
	[ -n "$ko" ] && cp "$ko" "$d/kftp/kftp.ko"
	chmod 0755 "$d/init" "$d"/bin/*
	if declare -F initrd_extra >/dev/null; then initrd_extra "$d"; fi
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
	# Single-threaded TCG by default: with one host thread per vCPU, the
	# guest kernel's own code patching (text_poke_bp() flipping the crng
	# static key at "crng init done") races a vCPU running that code and
	# oopses on the transient int3, seen here in urandom_read_iter().
	# oops=panic: a guest that oopsed rarely gets to its verdict, so it
	# stops at once (panic=-1, -no-reboot) instead of at the time-out.
	timeout "$tmo" qemu-system-x86_64 -accel "${VM_ACCEL:-tcg,thread=single}" \
		-m "${VM_MEM:-1G}" -smp 2 \
		-nographic -no-reboot \
		-serial mon:stdio -serial "file:$res" \
		-kernel "$vmlinuz" -initrd "$OUT/initrd-$abi.gz" \
		-append "console=ttyS0 panic=-1 oops=panic vmtest=$mode vmtests=$tl${VM_APPEND:+ $VM_APPEND}" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		</dev/null >"$con" 2>&1 &
	qpid=$!
	QEMU_PID=$qpid
	# live report, prefixed with the kernel for check mode
	if [ "$mode" = demo ]; then
		tail -n +1 -s 0.5 -f --pid="$qpid" "$res"
	elif [ "$mode" = bench ]; then
		# measurements stay in the report file; show the rest
		tail -n +1 -s 0.5 -f --pid="$qpid" "$res" | sed -u "/^R /d; s/^/[$abi] /"
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
		dpkg-dev bzip2 xz-utils coreutils openssl
	build_busybox_ftpd
	build_helpers
	fetch_guest_root
	mk_tls_certs
	KERNELS=$("$TESTS_DIR/kernels.sh")
	[ -n "$KERNELS" ] || die "tests/kernels.sh listed no kernel"
}

