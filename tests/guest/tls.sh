# shellcheck shell=dash
# SPDX-License-Identifier: GPL-2.0
# FTPS (issue 21): tls=, tlsname= and ftps://, run in the guest by
# check.sh, which sources this file: t_NAME functions in check.sh's style,
# listed in TLS_TESTS.
#
# Debian's 5.10 and 6.1 have no TLS handshake upcall (CONFIG_NET_HANDSHAKE,
# from 6.4; kftp needs 6.5's ta_peername): there a TLS request fails its
# write() with EPROTONOSUPPORT and says why. The kernel's version tells
# the test which case it is in, so that a compile probe that misses the
# API on 6.12 or 7.x, or one that finds it where it is not, fails.

# shellcheck disable=SC2034 # read by check.sh
TLS_TESTS="tls_no_upcall"
# shellcheck disable=SC2034 # checked by check.sh
TLS_COUNT=1

TLS_NO_UPCALL='FTPS needs CONFIG_NET_HANDSHAKE and CONFIG_TLS (kTLS)'

# 0 when the running kernel predates the upcall kftp uses (6.5)
tls_kernel_lacks_upcall() {
	local v
	v=$(uname -r | awk -F. '{ print $1 * 1000 + $2 }')
	[ "$v" -lt 6005 ]
}

# the newest "kftp: " reason in dmesg
last_reason() {
	dmesg | grep 'kftp: request line' | tail -n 1 | sed 's/.*rejected: //'
}

# tls_refused LINE DEST: EPROTONOSUPPORT, the reason, nothing queued, DEST
# as it was
tls_refused() {
	local r0 m0 before
	r0=$(rows)
	m0=$(max_id)
	before=$(sha "$2")
	req "$1"
	[ "$REQ_OUT" = EPROTONOSUPPORT ] || why "'$1': expected EPROTONOSUPPORT, got '$REQ_OUT'" || return
	[ "$(last_reason)" = "$TLS_NO_UPCALL" ] || why "'$1': reason '$(last_reason)'" || return
	[ "$(rows)" = "$r0" ] && [ "$(max_id)" = "$m0" ] || why "'$1': queued something" || return
	[ "$(sha "$2")" = "$before" ] || why "'$1': $2 changed"
}

t_tls_no_upcall() {
	local u=ftp://$AUTH d=$DST/tls-none.bin
	echo keep >"$d"
	if tls_kernel_lacks_upcall; then
		tls_refused "get $u/pub/f1024.bin $d tls=required wait" "$d" || return
		tls_refused "put /srv/pub/f1024.bin $u/pub/tls-none.bin tls=control" \
			/srv/pub/f1024.bin || return
		tls_refused "list ftps://$AUTH/pub/ $d tlsname=127.0.0.1" "$d"
		return
	fi
	# a kernel with the upcall: whatever becomes of the request, the
	# module must not say the kernel lacks it
	req "get $u/pub/f1024.bin $d tls=required wait"
	[ "$(last_reason)" != "$TLS_NO_UPCALL" ] ||
		why "kernel $(uname -r) has net/handshake, the module says: $(last_reason)"
}
