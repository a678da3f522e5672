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
TLS_TESTS="tls_no_upcall tls_servers"
# shellcheck disable=SC2034 # checked by check.sh
TLS_COUNT=2

# ---- the guest's FTPS set-up ----
#
# From the host (tests/lib.sh add_tls): /kftp/tls with a CA (ca.pem), the
# server's certificate for $TLS_HOST, 127.0.0.1 and ::1 (server.pem,
# server.key) and a rogue CA's for the same names (rogue.pem, rogue.key),
# made fresh by each run; curl; and on a kernel with the upcall, tlshd
# (Debian's ktls-utils from sid) in a root of its own, $TLSHD_ROOT, and
# tls.ko with the crypto modules kTLS needs in /kftp/tlsmods.
#
# Four vsftpd instances with TLS, each on [::] (IPv4 too), each logging
# the protocol (PASS masked) to /var/log/vsftpd-NAME.log:
#   main      $TLS_VS           require_ssl_reuse=NO: tlshd has no TLS
#                               session resumption, so PROT P data needs it
#   reuse     $TLS_VS_REUSE     vsftpd's default, require_ssl_reuse=YES
#   implicit  $TLS_VS_IMPLICIT  implicit TLS (ftps://), require_ssl_reuse=NO
#   rogue     $TLS_VS_ROGUE     the rogue CA's certificate
# tlshd trusts the CA only (its x509.truststore) and logs to
# /var/log/tlshd.log.

TLS_DIR=/kftp/tls
# the certificates' name (TLS_NAME in tests/lib.sh): dnsmasq (a6_dns_up)
# answers it with 127.0.0.1 and ::1
TLS_HOST=tls.kftp.test
TLS_VS=2141
TLS_VS_REUSE=2142
TLS_VS_IMPLICIT=2143
TLS_VS_ROGUE=2144
TLSHD_ROOT=/opt/tlshd
TLS_AUTH=$FTP_USER:$FTP_PASS

# tls_vsftpd NAME PORT CERT [OPTION...]: vsftpd with TLS on [::]:PORT,
# with test.conf's users and paths and the certificate CERT. Logins need
# TLS (force_local_logins_ssl), data may go either way (PROT C is
# tls=control); an upload must end with close_notify (strict_ssl_read_eof).
tls_vsftpd() {
	local name=$1 port=$2 cert=$3 conf=/etc/vsftpd/tls-$1.conf
	shift 3
	sed -e 's/^listen=YES/listen=NO/' -e 's/^listen_ipv6=NO/listen_ipv6=YES/' \
		-e '/^listen_address=/d' -e "s/^listen_port=.*/listen_port=$port/" \
		-e '/^xferlog_enable=/d' /etc/vsftpd/test.conf >"$conf"
	cat >>"$conf" <<-EOF
	xferlog_enable=YES
	xferlog_std_format=NO
	log_ftp_protocol=YES
	vsftpd_log_file=/var/log/vsftpd-$name.log
	ssl_enable=YES
	ssl_sslv2=NO
	ssl_sslv3=NO
	ssl_ciphers=HIGH
	rsa_cert_file=$TLS_DIR/$cert.pem
	rsa_private_key_file=$TLS_DIR/$cert.key
	allow_anon_ssl=YES
	force_local_logins_ssl=YES
	force_local_data_ssl=NO
	strict_ssl_read_eof=YES
	debug_ssl=YES
	EOF
	printf '%s\n' "$@" >>"$conf"
	/usr/sbin/vsftpd "$conf" 2>>"/var/log/vsftpd-$name.err" &
	wait_port "$port" ||
		why "vsftpd $name on [::]:$port did not start: $(tr '\n' '|' <"/var/log/vsftpd-$name.err")"
}

# tlshd's root: its configuration (the CA as its only trust), /proc, /dev
tlshd_root() {
	[ -n "$TLSHD_ROOT_UP" ] && return 0
	[ -x $TLSHD_ROOT/usr/sbin/tlshd ] || why "no tlshd in this guest" || return
	cp $TLS_DIR/ca.pem $TLSHD_ROOT/etc/tlshd/ca.pem
	cat >$TLSHD_ROOT/etc/tlshd/config <<-EOF
	[debug]
	loglevel=1
	tls=0
	nl=0

	[authenticate.client]
	x509.truststore=/etc/tlshd/ca.pem
	EOF
	mount -t proc proc $TLSHD_ROOT/proc && mount -o bind /dev $TLSHD_ROOT/dev ||
		why "cannot mount /proc and /dev in $TLSHD_ROOT" || return
	TLSHD_ROOT_UP=1
}

# tlshd_listens PID: 0 once tlshd PID waits for the kernel's requests:
# one of its sockets is a generic netlink one (protocol 16) that has
# joined a multicast group, the handshake family's (/proc/PID/net/netlink
# lists the sockets of PID's network namespace, with their inodes)
tlshd_listens() {
	local f l ino=' '
	for f in /proc/"$1"/fd/*; do
		l=$(readlink "$f")
		case $l in socket:*) ino="$ino$(echo "$l" | tr -dc 0-9) " ;; esac
	done
	awk -v ino="$ino" 'NR > 1 && $2 == 16 && $4 != "00000000" && index(ino, " " $10 " ") { ok = 1 }
		END { exit !ok }' "/proc/$1/net/netlink" 2>/dev/null
}

# tlshd_start: tlshd, chrooted, in this network namespace: the kernel
# hands a socket's handshake to a tlshd of the socket's own namespace.
# TLSHD_PID is its pid; 0 once it listens.
tlshd_start() {
	local log=/var/log/tlshd.log i=0
	tlshd_root || return
	chroot $TLSHD_ROOT /usr/sbin/tlshd -s -c /etc/tlshd/config 2>>"$log" &
	TLSHD_PID=$!
	until tlshd_listens $TLSHD_PID; do
		kill -0 $TLSHD_PID 2>/dev/null && [ $i -lt 100 ] ||
			why "tlshd did not start: $(tail -n 3 "$log" | tr '\n' '|')" || return
		sleep 0.1
		i=$((i + 1))
	done
}

# tls.ko and the crypto modules, in their order: no modprobe here
tls_modules() {
	local m
	while read -r m; do
		insmod "/kftp/tlsmods/$m.ko" 2>/dev/null || grep -q "^$m " /proc/modules ||
			why "insmod $m.ko failed" || return
	done </kftp/tlsmods/order
}

# the servers, the name, and on a kernel with the upcall tlshd and kTLS:
# once for any subset of the tests
tls_up() {
	[ -n "$TLS_UP" ] && return 0
	a6_dns_up || return
	tls_vsftpd main $TLS_VS server require_ssl_reuse=NO || return
	tls_vsftpd reuse $TLS_VS_REUSE server || return
	tls_vsftpd implicit $TLS_VS_IMPLICIT server require_ssl_reuse=NO implicit_ssl=YES || return
	tls_vsftpd rogue $TLS_VS_ROGUE rogue require_ssl_reuse=NO || return
	if ! tls_kernel_lacks_upcall; then
		tls_modules || return
		tlshd_start || return
	fi
	TLS_UP=1
}

# curl_tls NAME URL DEST [CURL-OPTION...]: a userspace TLS 1.3 transfer
# that trusts the CA only; CURL_ERR has its complaint
curl_tls() {
	local name=$1 url=$2 d=$3
	shift 3
	rm -f "$d"
	CURL_ERR=$(timeout 60 curl -sS --tlsv1.3 --cacert $TLS_DIR/ca.pem -o "$d" "$@" "$url" 2>&1) ||
		why "curl, $name: $CURL_ERR"
}

# The infrastructure itself, before kftp: with curl, PROT P transfers
# (sha256 checked) from the main, reuse-requiring (curl resumes the TLS
# session) and implicit servers by the certificates' name, an upload, and
# the rogue server refused; tlshd listening where the kernel has the upcall
t_tls_servers() {
	local d=$DST/tls-curl.bin u=ftp://$TLS_AUTH@$TLS_HOST
	tls_up || return
	curl_tls main "$u:$TLS_VS/pub/f1024.bin" "$d" --ssl-reqd || return
	[ "$(sha "$d")" = "$(sha /srv/pub/f1024.bin)" ] || why "main: $d differs" || return
	curl_tls reuse "$u:$TLS_VS_REUSE/pub/p1.bin" "$d" --ssl-reqd || return
	[ "$(sha "$d")" = "$(sha /srv/pub/p1.bin)" ] || why "reuse: $d differs" || return
	curl_tls implicit "ftps://$TLS_AUTH@$TLS_HOST:$TLS_VS_IMPLICIT/pub/p2.bin" "$d" || return
	[ "$(sha "$d")" = "$(sha /srv/pub/p2.bin)" ] || why "implicit: $d differs" || return
	mkdir -p /srv/up
	chown "$FTP_USER:$FTP_USER" /srv/up
	rm -f /srv/up/tls-curl.bin
	curl_tls upload "$u:$TLS_VS/up/tls-curl.bin" "$d" --ssl-reqd -T /srv/pub/p3.bin || return
	[ "$(sha /srv/up/tls-curl.bin)" = "$(sha /srv/pub/p3.bin)" ] || why "upload differs" || return
	grep -q '"PROT P"' /var/log/vsftpd-main.log || why "main: no PROT P in its log" || return
	! curl_tls rogue "$u:$TLS_VS_ROGUE/pub/f1024.bin" "$d" --ssl-reqd ||
		why "curl trusted the rogue CA's certificate" || return
	echo "$CURL_ERR" | grep -qi 'certificate' || why "rogue: curl said '$CURL_ERR'" || return
	tls_kernel_lacks_upcall && return 0
	kill -0 "$TLSHD_PID" 2>/dev/null || why "tlshd is gone: $(tail -n 3 /var/log/tlshd.log | tr '\n' '|')"
}

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
