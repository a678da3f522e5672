#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fetch Debian's kernel packages and unpack them with dpkg -x into the cache
# (never installed on this machine). Prints one line per kernel:
#   ABI KDIR VMLINUZ
# Build against a KDIR with tests/kmake.sh KDIR MAKE-ARGS..., which runs make
# in the sid root for the kernels that need it.
#
# Lines (KLINES, default "5.10 6.1 6.12 7.2 7.3"), each the newest ABI named
# by its suite's meta packages, never a fixed ABI:
#   5.10  Debian 11 bullseye (+security)   linux-headers-amd64
#   6.1   Debian 12 bookworm (+security)   linux-headers-amd64
#   6.12  Debian 12 bookworm (+security)   linux-headers-6.12-amd64
#   7.2   sid (unstable)                   linux-headers-amd64
#   7.3   experimental                     linux-headers-amd64
# KVERS overrides the list with ABIs (such as 6.1.0-41-amd64), looked up in
# every suite.
#
# Cache layout, ${KFTP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kftp}:
#   apt/SUITE/         private apt configurations (sources.list, lists/,
#                      cache/) for bullseye, bookworm, sid and experimental:
#                      the machine's /etc/apt is never used or changed
#   debs/              the downloaded .debs
#   kernels/ABI/       one kernel, dpkg -x'ed: usr/src/linux-headers-ABI is
#                      its KDIR (the flavour Makefile's include and
#                      KBUILD_OUTPUT point into the cache), the kernel is
#                      boot/vmlinuz-ABI or usr/lib/modules/ABI/vmlinuz (7.x);
#                      .toolchain is "host" or "sid-root COMPILER-PACKAGE"
#   sid-root/          a minimal sid (debootstrap --variant=minbase) with
#                      make, the 7.x headers' compiler (gcc-16), sparse and
#                      their kbuild's libraries: 7.x kbuild binaries need
#                      glibc 2.38 and their flags gcc-16.  tests/kmake.sh
#                      bind-mounts kernels/ABI and the M= directory at the
#                      same paths inside it, mounts /proc and chroots;
#                      also ktls-utils, whose tlshd (glibc 2.38 too) the
#                      FTPS tests copy into the guest (tests/lib.sh)
# 5.10's headers name gcc-10: their .kernelvariables is rewritten to the
# host's gcc-12, which builds without a warning.
set -euo pipefail
# the lines make check builds and boots; `tests/kernels.sh lines` prints them
DEFAULT_LINES="5.10 6.1 6.12 7.2 7.3"
[ "${1:-}" = lines ] && { echo "$DEFAULT_LINES"; exit 0; }

CACHE=${KFTP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kftp}
TESTS_DIR=$(cd "$(dirname "$0")" && pwd)
export DEBIAN_FRONTEND=noninteractive
mkdir -p "$CACHE/debs" "$CACHE/kernels" "$CACHE/apt"
CACHE=$(cd "$CACHE" && pwd -P)
# the host's compiler: older compilers named by a tree become this one
HOST_GCC=12
# lists older than this (seconds) are refreshed: sid and experimental move
APT_MAX_AGE=${KFTP_APT_MAX_AGE:-86400}

# shellcheck source=tests/pkgs.sh
. "$TESTS_DIR/pkgs.sh"

log() { echo "kernels.sh: $*" >&2; }
die() { log "$*"; exit 2; }

# One fetch at a time per cache (several test scripts may start at once).
exec 8>"$CACHE/kernels/.lock"
flock 8

suite_sources() {
	local m=http://deb.debian.org/debian s=http://deb.debian.org/debian-security

	case $1 in
	bullseye) printf '%s\n' "deb $m bullseye main" "deb $s bullseye-security main" ;;
	bookworm) printf '%s\n' "deb $m bookworm main" "deb $m bookworm-updates main" \
			"deb $s bookworm-security main" ;;
	trixie) echo "deb $m trixie main" ;;
	sid) echo "deb $m sid main" ;;
	experimental) echo "deb $m experimental main" ;;
	*) die "unknown suite $1" ;;
	esac
}

# apt-get/apt-cache on one suite's private configuration
papt() {
	local tool=$1 s=$2 d=$CACHE/apt/$2
	shift 2
	"$tool" -o "Dir::Etc::SourceList=$d/sources.list" -o "Dir::Etc::SourceParts=$d/empty" \
		-o Dir::Etc::Preferences=/nonexistent -o "Dir::Etc::PreferencesParts=$d/empty" \
		-o APT::Sandbox::User=root \
		-o "Dir::State::Lists=$d/lists" -o "Dir::Cache=$d/cache" \
		-o Acquire::Check-Valid-Until=false -o Acquire::Languages=none "$@"
}

# Fetch a suite's package lists when missing, stale or $2=force.
suite_update() {
	local s=$1 d=$CACHE/apt/$1 st

	mkdir -p "$d/lists/partial" "$d/cache/archives/partial" "$d/empty"
	suite_sources "$s" >"$d/sources.list.new"
	cmp -s "$d/sources.list.new" "$d/sources.list" || rm -f "$d/.updated"
	mv "$d/sources.list.new" "$d/sources.list"
	st=$(stat -c %Y "$d/.updated" 2>/dev/null || echo 0)
	if [ "${2:-}" = force ] || [ $(($(date +%s) - st)) -gt "$APT_MAX_AGE" ]; then
		log "apt-get update for $s (private lists in $d)"
		papt apt-get "$s" update -qq >&2 || return 1
		touch "$d/.updated"
	fi
}

# "SUITE META" of a kernel line
line_suite() {
	case $1 in
	5.10) echo bullseye linux-headers-amd64 ;;
	6.1) echo bookworm linux-headers-amd64 ;;
	6.12) echo bookworm linux-headers-6.12-amd64 ;;
	7.2) echo sid linux-headers-amd64 ;;
	7.3) echo experimental linux-headers-amd64 ;;
	*) die "unknown kernel line $1 (known: 5.10 6.1 6.12 7.2 7.3)" ;;
	esac
}

# Newest ABI of a line: the suite's meta package first; when the suite has
# moved on to another line, the newest headers package of the line.
line_abi() {
	local line=$1 suite meta re dep abi

	read -r suite meta <<<"$(line_suite "$line")"
	re="linux-headers-${line//./\\.}[.-][^ ]*amd64"
	suite_update "$suite" >&2 || die "apt-get update for $suite failed"
	# capture first: `apt-cache ... | grep -m1` trips SIGPIPE under pipefail
	dep=$(papt apt-cache "$suite" depends "$meta" 2>/dev/null || true)
	dep=$(sed -n 's/^ *Depends: //p' <<<"$dep")
	abi=$(grep -xm1 "$re" <<<"$dep" || true)
	if [ -z "$abi" ]; then
		dep=$(papt apt-cache "$suite" pkgnames "linux-headers-$line" 2>/dev/null || true)
		abi=$(grep -x "$re" <<<"$dep" | grep -v -- '-common' | sort -V | tail -n1 || true)
	fi
	[ -n "$abi" ] || die "no $line kernel in $suite ($meta names none)"
	echo "$suite ${abi#linux-headers-}"
}

# the suite whose lists know linux-headers-ABI (for KVERS)
abi_suite() {
	local s

	for s in bookworm bullseye sid experimental; do
		suite_update "$s" >&2 || continue
		papt apt-cache "$s" show --no-all-versions "linux-headers-$1" >/dev/null 2>&1 &&
			{ echo "$s"; return 0; }
	done
	die "no suite has linux-headers-$1"
}

# the version of package $2 that suite $1's lists name
suite_version() {
	papt apt-cache "$1" show --no-all-versions "$2" 2>/dev/null |
		sed -n 's/^Version: //p' | head -n1
}

# one package into debs/ (apt-get download takes one name at a time: with
# several, a name with '+' is sometimes taken for a pattern)
download_once() {
	local s=$1 p=$2 v

	v=$(suite_version "$s" "$p")
	[ -n "$v" ] || return 1
	# the .deb file name has the version without its epoch, ':' escaped
	compgen -G "$CACHE/debs/${p}_${v#*:}_*.deb" >/dev/null && return 0
	(cd "$CACHE/debs" && papt apt-get "$s" -qq download "$p" >&2)
}

# download_once, and again after fresh lists when the suite has moved on
# since they were fetched; dies when the package cannot be had
download() {
	download_once "$1" "$2" || { suite_update "$1" force && download_once "$1" "$2"; } ||
		die "cannot download $2 from $1"
}

# the newest .deb of a package in debs/, or the one of version $2
deb_of() {
	local f v=${2:-}

	f=$(compgen -G "$CACHE/debs/${1}_${v:+${v#*:}_}*.deb" | sort -V | tail -n1)
	[ -n "$f" ] || die "no .deb of $1 in $CACHE/debs"
	echo "$f"
}

fetch_kernel() {
	local suite=$1 abi=$2 root=$CACHE/kernels/$2 show img kbuild common gcc n p pkgs
	[ -e "$root/.done" ] && return 0
	log "fetching $abi from $suite"
	show=$(papt apt-cache "$suite" show --no-all-versions "linux-headers-$abi")
	show=$(grep -m1 '^Depends:' <<<"$show")
	kbuild=$(grep -o 'linux-kbuild-[^ ,]*' <<<"$show")
	common=$(grep -o 'linux-headers-[^ ,]*-common' <<<"$show")
	# gcc-16-for-host (7.x), linux-compiler-gcc-10-x86 (5.10), ...
	gcc=$(grep -o '[a-z-]*gcc-[0-9]*[^ ,]*' <<<"$show" | head -n1)
	# 7.x: linux-image-ABI is a meta package, the kernel is in linux-binary-ABI
	img=linux-image-$abi
	show=$(papt apt-cache "$suite" show --no-all-versions "$img")
	grep -q "^Depends:.*linux-binary-$abi" <<<"$show" && img=linux-binary-$abi
	pkgs="$img linux-headers-$abi $common $kbuild"
	for p in $pkgs; do
		download "$suite" "$p"
	done
	rm -rf "$root"
	mkdir -p "$root"
	for p in $pkgs; do
		dpkg -x "$(deb_of "$p")" "$root"
	done
	# the flavour Makefile names the -common tree (and on 7.x its own
	# output) by absolute path
	sed -i -e "s#^include /usr/src/#include $root/usr/src/#" \
		-e "s#^KBUILD_OUTPUT=/usr/src/#KBUILD_OUTPUT=$root/usr/src/#" \
		"$root/usr/src/linux-headers-$abi/Makefile"
	n=$(grep -o 'gcc-[0-9]*' <<<"$gcc" | head -n1 | cut -d- -f2)
	[ -n "$n" ] || die "linux-headers-$abi names no compiler"
	if [ "$n" -gt "$HOST_GCC" ]; then
		# gcc-16-for-host (x86_64-linux-gnu-gcc-16) and the kbuild's
		# libraries, in the sid root
		echo "sid-root $gcc $(dpkg-deb -f "$(deb_of "$kbuild")" Depends |
			sed 's/([^)]*)//g; s/|[^,]*//g; s/,/ /g')" >"$root/.toolchain"
	else
		[ "$n" -lt "$HOST_GCC" ] &&
			sed -i "s/gcc-$n\$/gcc-$HOST_GCC/" "$root/usr/src/linux-headers-$abi/.kernelvariables"
		echo host >"$root/.toolchain"
	fi
	touch "$root/.done"
}

# The sid root, with at least the packages PKG...
SIDROOT=$CACHE/sid-root
sid_root() {
	local p missing=() tmp=$CACHE/sid-root.tmp

	if [ ! -e "$SIDROOT/.kftp-debootstrapped" ]; then
		need_pkgs debootstrap
		log "debootstrap --variant=minbase sid into $SIDROOT (once)"
		rm -rf "$tmp"
		flock /tmp/kftp-heavy.lock debootstrap --variant=minbase \
			--include=make,sparse,pahole,libc6-dev sid "$tmp" \
			http://deb.debian.org/debian >"$CACHE/sid-root.log" 2>&1 ||
			{ tail -n 20 "$CACHE/sid-root.log" >&2; die "debootstrap failed"; }
		suite_sources sid >"$tmp/etc/apt/sources.list"
		suite_sources experimental >>"$tmp/etc/apt/sources.list"
		echo 'Acquire::Check-Valid-Until "false";' >"$tmp/etc/apt/apt.conf.d/99kftp"
		rm -rf "$SIDROOT"
		mv "$tmp" "$SIDROOT"
		touch "$SIDROOT/.kftp-debootstrapped"
	fi
	for p in "$@"; do
		grep -qxF "$p" "$SIDROOT/.kftp-pkgs" 2>/dev/null || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	log "installing ${missing[*]} in $SIDROOT"
	cp /etc/resolv.conf "$SIDROOT/etc/resolv.conf"
	sid_run sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q --no-install-recommends "$@"' _ "${missing[@]}" \
		>>"$CACHE/sid-root.log" 2>&1 ||
		{ tail -n 20 "$CACHE/sid-root.log" >&2; die "apt-get install in the sid root failed"; }
	printf '%s\n' "${missing[@]}" >>"$SIDROOT/.kftp-pkgs"
}

# a command in the sid root, /proc mounted, in a private mount namespace
sid_run() {
	unshare -m --propagation private sh -c \
		'mount -t proc proc "$0/proc" && exec chroot "$0" "$@"' "$SIDROOT" "$@"
}

# `tests/kernels.sh source LINE`: the line's linux-source-LINE.tar.xz from
# its suite, unpacked from the .deb into src/LINE/ (for KUnit on a line the
# host's apt does not know); prints the tarball's path
source_tarball() {
	local line=$1 suite meta d=$CACHE/src/$1 p=linux-source-$1

	read -r suite meta <<<"$(line_suite "$line")"
	suite_update "$suite" || die "apt-get update for $suite failed"
	download "$suite" "$p"
	if [ "$(cat "$d/.deb" 2>/dev/null)" != "$(deb_of "$p")" ]; then
		rm -rf "$d"
		mkdir -p "$d"
		dpkg -x "$(deb_of "$p")" "$d"
		deb_of "$p" >"$d/.deb"
	fi
	echo "$d/usr/src/$p.tar.xz"
}

need_pkgs make gcc-12 libc6-dev pahole libelf1 libssl3 dpkg-dev xz-utils
if [ "${1:-}" = source ]; then
	source_tarball "$2"
	exit 0
fi
# `tests/kernels.sh deb SUITE PACKAGE`: the suite's .deb of the package in
# debs/, downloaded with the suite's private configuration; prints its path
if [ "${1:-}" = deb ]; then
	suite_update "$2" || die "apt-get update for $2 failed"
	download "$2" "$3"
	deb_of "$3" "$(suite_version "$2" "$3")"
	exit 0
fi
# `tests/kernels.sh closure SUITE PACKAGE...`: the packages' .debs and those
# of every library package they depend on, directly or not, downloaded with
# the suite's private configuration; prints their paths. A library package
# is lib* or zlib1g. libc6 is left out: the guest runs the host's loader,
# which must come with the host's libc.
if [ "${1:-}" = closure ]; then
	s=$2
	shift 2
	suite_update "$s" || die "apt-get update for $s failed"
	deps=$(papt apt-cache "$s" depends --recurse --no-recommends --no-suggests \
		--no-conflicts --no-breaks --no-replaces --no-enhances "$@") ||
		die "apt-cache depends $* failed in $s"
	deps=$(grep -E '^(lib[^ <>]*|zlib1g)$' <<<"$deps" | grep -Evx 'libc6|.*-perl|libperl.*' || true)
	for p in $(printf '%s\n' "$@" $deps | awk '!seen[$0]++'); do
		download "$s" "$p"
		deb_of "$p"
	done
	exit 0
fi
# `tests/kernels.sh sid-closure PACKAGE PROGRAM...`: the sid root with
# PACKAGE installed, for a program that needs sid's glibc (tlshd, from
# ktls-utils, for the FTPS tests); prints the root's path, then each
# PROGRAM and every library it loads, the loader and libc included, as
# paths inside the root
if [ "${1:-}" = sid-closure ]; then
	sid_root "$2"
	echo "$SIDROOT"
	shift 2
	for f in "$@"; do
		libs=$(sid_run ldd "$f") || die "ldd $f in $SIDROOT failed"
		grep -q 'not found' <<<"$libs" && die "ldd $f in $SIDROOT: $(grep 'not found' <<<"$libs")"
		echo "$f"
		grep -o '/[^ ]*' <<<"$libs"
	done
	exit 0
fi
if [ -n "${KVERS:-}" ]; then
	list=""
	for abi in $KVERS; do
		list+="$(abi_suite "$abi") $abi"$'\n'
	done
else
	list=""
	for line in ${KLINES:-$DEFAULT_LINES}; do
		list+="$(line_abi "$line")"$'\n'
	done
fi
while read -r suite abi; do
	[ -n "$abi" ] || continue
	fetch_kernel "$suite" "$abi"
	root=$CACHE/kernels/$abi
	tc=host pkgs=""
	# (trees unpacked before .toolchain existed are all host-built)
	[ -f "$root/.toolchain" ] && read -r tc pkgs <"$root/.toolchain"
	# shellcheck disable=SC2086
	[ "$tc" = sid-root ] && sid_root $pkgs
	vmlinuz=$root/boot/vmlinuz-$abi
	[ -e "$vmlinuz" ] || vmlinuz=$root/usr/lib/modules/$abi/vmlinuz
	echo "$abi $root/usr/src/linux-headers-$abi $vmlinuz"
done <<<"$list"
