#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tools/mkdeb.sh [OUTDIR] (make deb): build the Debian packages from
# debian/ with dpkg-buildpackage, in a copy of the tree (its files as git
# lists them, committed or not, else the whole tree but tests/out) under
# OUTDIR (default dist/), so the tree itself stays clean.  Results in
# OUTDIR: kftp-dkms_VERSION_all.deb, kftp_VERSION_ARCH.deb, the source
# package (.dsc, .tar.xz) and the build log.
# Build dependencies (Debian 12): dpkg-dev, debhelper, dh-dkms, gcc, make.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUTDIR=$(mkdir -p "${1:-dist}" && cd "${1:-dist}" && pwd)
export LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive

# shellcheck source=tests/pkgs.sh
. "$ROOT/tests/pkgs.sh"
need_pkgs dpkg-dev debhelper dh-dkms gcc make

# one version: VERSION, dkms.conf and debian/changelog must agree
ver=$(cat VERSION)
conf=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' dkms.conf)
deb=$(dpkg-parsechangelog -S Version)
if [ "$conf" != "$ver" ] || [ "$deb" != "$ver" ]; then
	echo "mkdeb.sh: VERSION $ver, dkms.conf $conf, debian/changelog $deb: must be one" >&2
	exit 1
fi

src=$OUTDIR/kftp-$ver
rm -rf "$src"
mkdir -p "$src"
if git rev-parse --git-dir >/dev/null 2>&1; then
	git ls-files --cached --others --exclude-standard -z |
		while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
		tar --null -T - -cf - | tar -xf - -C "$src"
else
	tar --exclude=./tests/out --exclude=./dist -cf - . | tar -xf - -C "$src"
fi
rm -f "$OUTDIR"/kftp*_"$ver"*
echo "mkdeb.sh: dpkg-buildpackage in $src (log: $OUTDIR/build.log)" >&2
if ! (cd "$src" && dpkg-buildpackage -us -uc -j2) >"$OUTDIR/build.log" 2>&1; then
	tail -n 30 "$OUTDIR/build.log" >&2
	exit 1
fi
rm -rf "$src"
ls "$OUTDIR"/kftp-dkms_"$ver"_all.deb "$OUTDIR"/kftp_"$ver"_*.deb
