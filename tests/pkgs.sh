# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Sourced by the test scripts. need_pkgs PKG...: install the Debian packages
# that are missing; apt-get runs only then, so a warm machine does not touch
# the network.
pkgs_missing() {
	local p

	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			echo "$p"
	done
}

need_pkgs() {
	local missing

	mapfile -t missing < <(pkgs_missing "$@")
	[ ${#missing[@]} -eq 0 ] && return 0
	# make check runs vmtest and dkmstest side by side: DPkg::Lock::Timeout
	# waits for dpkg's lock but not for the lists lock apt-get update takes,
	# so the scripts take turns on a lock of their own and look again once
	# they hold it
	(
		flock -w 1800 9 || { echo "${0##*/}: apt lock busy" >&2; exit 1; }
		mapfile -t missing < <(pkgs_missing "$@")
		[ ${#missing[@]} -eq 0 ] && exit 0
		echo "${0##*/}: installing ${missing[*]}" >&2
		DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 update -qq >&2 &&
			DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -q \
				--no-install-recommends "${missing[@]}" >&2
	) 9>/run/lock/kftp-apt.lock
}
