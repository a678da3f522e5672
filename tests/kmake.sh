#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tests/kmake.sh KDIR MAKE-ARGS...: `make -C KDIR MAKE-ARGS...` for a kernel
# from tests/kernels.sh.  A kernel whose .toolchain says sid-root (7.x: gcc-16,
# kbuild binaries linked against glibc 2.38) is built in $KFTP_CACHE/sid-root:
# in a private mount namespace, /proc, /dev, the kernel's tree and the M=
# directory are mounted at their own paths inside the root, then make runs
# there under chroot, so paths and output are the same as on the host.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 KDIR MAKE-ARGS..." >&2; exit 2; }
CACHE=${KFTP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kftp}
CACHE=$(cd "$CACHE" && pwd -P)
kdir=$(cd "$1" && pwd -P)
shift
root=${kdir%/usr/src/*}
tc=host
[ -f "$root/.toolchain" ] && read -r tc _ <"$root/.toolchain"
[ "$tc" = sid-root ] || exec make -C "$kdir" "$@"

sr=$CACHE/sid-root
[ -e "$sr/.kftp-debootstrapped" ] || { echo "$0: no $sr: run tests/kernels.sh" >&2; exit 2; }
m=""
for a in "$@"; do
	case $a in M=*) m=${a#M=} ;; esac
done
[ -z "$m" ] || m=$(cd "$m" && pwd -P)
exec unshare -m --propagation private bash -c '
	set -e
	sr=$1 root=$2 m=$3 kdir=$4
	shift 4
	mount -t proc proc "$sr/proc"
	mount --rbind /dev "$sr/dev"
	for d in "$root" $m; do
		mkdir -p "$sr$d"
		mount --bind "$d" "$sr$d"
	done
	cd "$sr$kdir"
	exec chroot "$sr" /usr/bin/env -i HOME=/root LC_ALL=C.UTF-8 \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		make -C "$kdir" "$@"' _ "$sr" "$root" "$m" "$kdir" "$@"
