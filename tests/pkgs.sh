# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Sourced by the test scripts. need_pkgs PKG...: install the Debian packages
# that are missing; apt-get runs only then, so a warm machine does not touch
# the network.
need_pkgs() {
	local p missing=()

	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "${0##*/}: installing ${missing[*]}" >&2
	# another test script may be installing at the same moment: wait for
	# dpkg's lock instead of failing the gate that asked
	DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 update -qq >&2 &&
		DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -q \
			--no-install-recommends "${missing[@]}" >&2
}
