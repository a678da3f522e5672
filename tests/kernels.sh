#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fetch Debian's kernel packages and unpack them with dpkg -x into the cache
# (never installed on this machine). Prints one line per kernel:
#   ABI KDIR VMLINUZ
# KVERS overrides the list (ABIs such as 6.1.0-41-amd64); default: the newest
# 6.1 and 6.12 amd64 builds named by Debian 12's meta packages.
set -euo pipefail
CACHE=${KFTP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kftp}
export DEBIAN_FRONTEND=noninteractive
mkdir -p "$CACHE/debs" "$CACHE/kernels"

# shellcheck source=tests/pkgs.sh
. "$(dirname "$0")/pkgs.sh"

default_kvers() {
	local d61 d612 k61 k612
	# capture first: `apt-cache ... | grep -m1` trips SIGPIPE under pipefail
	# (a machine whose package lists were never fetched knows neither)
	d61=$(apt-cache depends linux-headers-amd64 2>/dev/null || true)
	d612=$(apt-cache depends linux-headers-6.12-amd64 2>/dev/null || true)
	if ! grep -q 'linux-headers-6\.1\.' <<<"$d61" ||
	   ! grep -q 'linux-headers-6\.12' <<<"$d612"; then
		apt-get update -qq >&2
		d61=$(apt-cache depends linux-headers-amd64)
		d612=$(apt-cache depends linux-headers-6.12-amd64)
	fi
	k61=$(grep -om1 'linux-headers-6\.1\.0-[0-9]*-amd64' <<<"$d61")
	k612=$(grep -om1 'linux-headers-6\.12\.[^ ]*-amd64' <<<"$d612")
	echo "${k61#linux-headers-} ${k612#linux-headers-}"
}

fetch_kernel() {
	local abi=$1 root=$CACHE/kernels/$1 show kbuild p
	[ -e "$root/.done" ] && return 0
	show=$(apt-cache show "linux-headers-$abi")
	kbuild=$(grep -m1 '^Depends:' <<<"$show" | grep -o 'linux-kbuild-[^ ,]*')
	(cd "$CACHE/debs" && apt-get download "linux-image-$abi" "linux-headers-$abi" \
		"linux-headers-${abi%-amd64}-common" "$kbuild" >&2 2>/dev/null)
	rm -rf "$root"
	mkdir -p "$root"
	for p in "linux-image-$abi" "linux-headers-$abi" "linux-headers-${abi%-amd64}-common" "$kbuild"; do
		dpkg -x "$CACHE"/debs/"${p}"_*.deb "$root"
	done
	# the flavour Makefile includes the -common tree by absolute path
	sed -i "s#^include /usr/src/#include $root/usr/src/#" "$root/usr/src/linux-headers-$abi/Makefile"
	touch "$root/.done"
}

need_pkgs make gcc-12 libc6-dev pahole libelf1 libssl3 dpkg-dev xz-utils
KVERS=${KVERS:-$(default_kvers)}
for abi in $KVERS; do
	fetch_kernel "$abi"
	echo "$abi $CACHE/kernels/$abi/usr/src/linux-headers-$abi $CACHE/kernels/$abi/boot/vmlinuz-$abi"
done
