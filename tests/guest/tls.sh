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
TLS_TESTS="tls_no_upcall tls_servers tls_get_passive tls_get_active tls_put tls_list
tls_control tls_implicit tls_untrusted tls_wrong_name tls_no_auth tls_no_tlshd
tls_netns_tlshd tls_reuse_required tls_trace tls_parallel tls_64m tls_onecopy tls_tlshd_stopped
tls_hs_cancel tls_pool tls_pureftpd
tls_234_garbage tls_234_close tls_no_close_notify tls_ctrl_no_close_notify tls_wire"
# shellcheck disable=SC2034 # checked by check.sh
TLS_COUNT=27

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
# Where the kernel has the upcall, also pure-ftpd on $TLS_PURE, which
# refuses anything in the clear, PROT C included (its TLS mode 3), and
# asks no session reuse of a data connection. tlshd trusts the CA only
# (its x509.truststore) and logs to /var/log/tlshd.log.

TLS_DIR=/kftp/tls
# the certificates' name (TLS_NAME in tests/lib.sh): dnsmasq (a6_dns_up)
# answers it with 127.0.0.1 and ::1
TLS_HOST=tls.kftp.test
TLS_VS=2141
TLS_VS_REUSE=2142
TLS_VS_IMPLICIT=2143
TLS_VS_ROGUE=2144
TLS_PURE=2145
TLSHD_ROOT=/opt/tlshd
TLS_AUTH=$FTP_USER:$FTP_PASS
# a command prefix: the network namespace tls_vsftpd starts a server in
TLS_IN=

# tls_port PORT: 0 once something listens on PORT in $TLS_IN's namespace
tls_port() {
	local i=0
	while [ $i -lt 50 ]; do
		$TLS_IN netstat -ltn 2>/dev/null | grep -q ":$1 " && return 0
		sleep 0.2
		i=$((i + 1))
	done
	return 1
}

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
	$TLS_IN /usr/sbin/vsftpd "$conf" 2>>"/var/log/vsftpd-$name.err" &
	tls_port "$port" ||
		why "vsftpd $name on [::]:$port did not start: $(tr '\n' '|' <"/var/log/vsftpd-$name.err")"
}

# pure-ftpd on [::]:$TLS_PURE (IPv4 too): local users (the same
# /etc/shadow) chrooted to their home /srv, no anonymous logins, TLS on
# both connections or nothing, transfers logged to /var/log/pure-ftpd.log
tls_pureftpd() {
	/usr/sbin/pure-ftpd -S ",$TLS_PURE" -Y 3 -2 "$TLS_DIR/server.pem,$TLS_DIR/server.key" \
		-l unix -A -E -H -f none -p 30200:30299 -O clf:/var/log/pure-ftpd.log \
		2>>/var/log/pure-ftpd.err &
	tls_port "$TLS_PURE" ||
		why "pure-ftpd on [::]:$TLS_PURE did not start: $(tr '\n' '|' </var/log/pure-ftpd.err)"
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

# tlshd_start [NS]: tlshd, chrooted, in the network namespace NS
# (/var/run/netns/NS) or this one: the kernel hands a socket's handshake
# to a tlshd of the socket's own namespace. TLSHD_PID is its pid; 0 once
# it listens.
tlshd_start() {
	local log=/var/log/tlshd${1:+-$1}.log i=0
	tlshd_root || return
	if [ -n "${1:-}" ]; then
		nsenter -n/var/run/netns/"$1" chroot $TLSHD_ROOT /usr/sbin/tlshd -s \
			-c /etc/tlshd/config 2>>"$log" &
	else
		chroot $TLSHD_ROOT /usr/sbin/tlshd -s -c /etc/tlshd/config 2>>"$log" &
	fi
	TLSHD_PID=$!
	until tlshd_listens $TLSHD_PID; do
		kill -0 $TLSHD_PID 2>/dev/null && [ $i -lt 100 ] ||
			why "tlshd${1:+ in $1} did not start: $(tail -n 3 "$log" | tr '\n' '|')" || return
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
		tls_pureftpd || return
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

# ---- kftp over TLS: tls=, tlsname=, ftps:// ----
#
# Each test needs the upcall; on a kernel without it, it checks instead
# that its own first request line is refused (tls_refused).

# tls_log NAME: vsftpd NAME's protocol log
tls_log() {
	echo "/var/log/vsftpd-$1.log"
}

# tls_count NAME PATTERN: lines of vsftpd NAME's log with PATTERN (the log
# is made at its first connection)
tls_count() {
	touch "$(tls_log "$1")"
	grep -c -- "$2" "$(tls_log "$1")"
}

# tls_get NAME BYTES HOST:PORT OPTION...: /srv/pub/tls-BYTES.bin from the
# main server into $DST/tls-NAME.bin with OPTION..., sha256 of both ends,
# and the server's own record of the download
tls_get() {
	local name=$1 src=/srv/pub/tls-$2.bin d=$DST/tls-$1.bin hp=$3 n0
	shift 3
	[ -f "$src" ] || mkfile "$src" "${src##*tls-}"
	rm -f "$d"
	n0=$(tls_count main "OK DOWNLOAD: .*\"/pub/${src##*/}\"")
	req "get ftp://$TLS_AUTH@$hp/pub/${src##*/} $d $* wait"
	check_done "$src" "$d" || { WHY="$hp $*: $WHY"; return 1; }
	[ "$(tls_count main "OK DOWNLOAD: .*\"/pub/${src##*/}\"")" -gt "$n0" ] ||
		why "$hp $*: the server logged no download of ${src##*/}"
}

# tls_put NAME BYTES HOST:PORT OPTION...: an upload to the main server's
# /srv/up/tls-NAME.bin, sha256 checked there
tls_put() {
	local name=$1 src=$PSRC/tls-$2.bin hp=$3
	shift 3
	put_fixtures
	[ -f "$src" ] || mkfile "$src" "${src##*tls-}"
	rm -f "$UP/tls-$name.bin"
	req "put $src ftp://$TLS_AUTH@$hp/up/tls-$name.bin $* wait"
	check_put "$src" "$UP/tls-$name.bin" || { WHY="$hp $*: $WHY"; return 1; }
}

# tls_test LINE DEST: 0 when the kernel has the upcall and the test goes
# on; else 1, with TLS_RC the verdict of LINE's refusal (tls_refused)
tls_test() {
	tls_kernel_lacks_upcall || { tls_up; TLS_RC=$?; [ $TLS_RC -eq 0 ]; return; }
	tls_refused "$1" "$2"
	TLS_RC=$?
	return 1
}

t_tls_get_passive() {
	tls_test "get ftp://$TLS_AUTH@$TLS_HOST:$TLS_VS/pub/f1024.bin $DST/tls-r.bin tls=required wait" \
		"$DST/tls-r.bin" || return $TLS_RC
	# by name: ::1 first
	tls_get pn 1024 "$TLS_HOST:$TLS_VS" tls=required || return
	tls_get p4 1024 "127.0.0.1:$TLS_VS" tls=required mode=passive || return
	tls_get p0 0 "127.0.0.1:$TLS_VS" tls=required
}

t_tls_get_active() {
	tls_test "get ftp://$TLS_AUTH@127.0.0.1:$TLS_VS/pub/f1024.bin $DST/tls-r.bin tls=required mode=active wait" \
		"$DST/tls-r.bin" || return $TLS_RC
	tls_get a4 1024 "127.0.0.1:$TLS_VS" tls=required mode=active || return
	tls_get a6 1024 "[::1]:$TLS_VS" tls=required mode=active
}

t_tls_put() {
	tls_test "put /srv/pub/f1024.bin ftp://$TLS_AUTH@127.0.0.1:$TLS_VS/up/tls-r.bin tls=required" \
		/srv/pub/f1024.bin || return $TLS_RC
	tls_put pp 1024 "$TLS_HOST:$TLS_VS" tls=required mode=passive || return
	tls_put pa 1024 "127.0.0.1:$TLS_VS" tls=required mode=active || return
	tls_put p0 0 "127.0.0.1:$TLS_VS" tls=required
}

# names (NLST) over TLS, against the directory itself
t_tls_list() {
	local d=$DST/tls-list.txt
	tls_test "list ftp://$TLS_AUTH@127.0.0.1:$TLS_VS/pub/ $d tls=required wait" "$d" || return $TLS_RC
	rm -rf /srv/tlsl
	mkdir -p /srv/tlsl/sub
	mkfile /srv/tlsl/a.bin 100
	mkfile /srv/tlsl/b.txt 0
	chmod 0755 /srv/tlsl /srv/tlsl/sub
	req "list ftp://$TLS_AUTH@$TLS_HOST:$TLS_VS/tlsl/ $d names tls=required wait"
	[ "$REQ_OUT" = ok ] || why "kftpreq: '$REQ_OUT' $(row_of "$d")" || return
	[ "$(field STATE "$d")" = 'done' ] || why "status: '$(row_of "$d")'" || return
	# vsftpd names them as NLST's argument does: tlsl/a.bin
	[ "$(sed 's|.*/||' "$d" | sort | tr '\n' ' ')" = "a.bin b.txt sub " ] ||
		why "listing: $(tr '\n' '|' <"$d")"
}

# tls=control: the login under TLS (the server refuses it in the clear),
# PROT C, the data in the clear
t_tls_control() {
	local c0
	tls_test "get ftp://$TLS_AUTH@127.0.0.1:$TLS_VS/pub/f1024.bin $DST/tls-r.bin tls=control wait" \
		"$DST/tls-r.bin" || return $TLS_RC
	c0=$(tls_count main '"PROT C"')
	tls_get c1 1024 "127.0.0.1:$TLS_VS" tls=control || return
	tls_put c1 1024 "$TLS_HOST:$TLS_VS" tls=control || return
	[ "$(tls_count main '"PROT C"')" -gt "$c0" ] || why "the server saw no PROT C"
}

# ftps://: TLS before the greeting (the implicit server), PROT P
t_tls_implicit() {
	local src=/srv/pub/f1024.bin d=$DST/tls-implicit.bin u p0
	u=ftps://$TLS_AUTH@$TLS_HOST:$TLS_VS_IMPLICIT/pub/f1024.bin
	tls_test "get $u $d wait" "$d" || return $TLS_RC
	rm -f "$d"
	p0=$(tls_count implicit '"PROT P"')
	req "get $u $d wait"
	check_done $src "$d" || return
	[ "$(tls_count implicit '"PROT P"')" -gt "$p0" ] || why "the server saw no PROT P"
}

# tls_rejected SERVER URL DEST OPTION...: EKEYREJECTED, no USER at
# SERVER, DEST as it was
tls_rejected() {
	local srv=$1 u=$2 d=$3 n0 before
	shift 3
	echo keep >"$d"
	before=$(sha "$d")
	n0=$(tls_count "$srv" '"USER ')
	req "get $u $d $* wait"
	[ "$REQ_OUT" = EKEYREJECTED ] || why "expected EKEYREJECTED, got '$REQ_OUT': $(reply_of "$d")" || return
	[ "$(field ERRNO "$d")" = EKEYREJECTED ] || why "status: '$(row_of "$d")'" || return
	[ "$(tls_count "$srv" '"USER ')" = "$n0" ] || why "USER sent: $(grep '"USER ' "$(tls_log "$srv")" | tail -n 1)" || return
	[ "$(sha "$d")" = "$before" ] || why "$d changed" || return
	no_temp_left "$(dirname "$d")"
}

# a certificate from a CA that tlshd does not trust
t_tls_untrusted() {
	local d=$DST/tls-untrusted.bin
	tls_test "get ftp://$TLS_AUTH@$TLS_HOST:$TLS_VS_ROGUE/pub/f1024.bin $d tls=required wait" \
		"$d" || return $TLS_RC
	tls_rejected rogue "ftp://$TLS_AUTH@$TLS_HOST:$TLS_VS_ROGUE/pub/f1024.bin" "$d" tls=required
}

# a trusted certificate for other names: the URL's host name (v4.kftp.test,
# 127.0.0.1 too), then tlsname=
t_tls_wrong_name() {
	local d=$DST/tls-wrongname.bin
	tls_test "get ftp://$TLS_AUTH@v4.kftp.test:$TLS_VS/pub/f1024.bin $d tls=required wait" \
		"$d" || return $TLS_RC
	tls_rejected main "ftp://$TLS_AUTH@v4.kftp.test:$TLS_VS/pub/f1024.bin" "$d" tls=required || return
	tls_rejected main "ftps://$TLS_AUTH@127.0.0.1:$TLS_VS_IMPLICIT/pub/f1024.bin" "$d" \
		tlsname=other.kftp.test
}

# busybox ftpd has no AUTH: EOPNOTSUPP, and no USER after the refusal
# (its -vv log on $A6_BB has every command)
t_tls_no_auth() {
	local d=$DST/tls-noauth.bin n0 a0
	tls_test "get ftp://$TLS_AUTH@127.0.0.1:$A6_BB/pub/f1024.bin $d tls=required wait" \
		"$d" || return $TLS_RC
	rm -f "$d"
	a6_up || return
	a0=$(grep -c ': AUTH TLS$' "$A6_LOG")
	n0=$(grep -c ': USER ' "$A6_LOG")
	req "get ftp://$TLS_AUTH@127.0.0.1:$A6_BB/pub/f1024.bin $d tls=required wait"
	[ "$REQ_OUT" = EOPNOTSUPP ] || why "expected EOPNOTSUPP, got '$REQ_OUT': $(reply_of "$d")" || return
	[ "$(grep -c ': AUTH TLS$' "$A6_LOG")" -gt "$a0" ] || why "ftpd logged no AUTH TLS" || return
	[ "$(grep -c ': USER ' "$A6_LOG")" = "$n0" ] || why "USER sent in the clear" || return
	[ ! -e "$d" ] || why "$d was created"
}

# $TLS_NS: a network namespace with lo, the main server's twin and no
# tlshd, until a test starts one there
TLS_NS=kftptls
tls_ns_up() {
	[ -n "$TLS_NS_UP" ] && return 0
	tls_up || return
	mkdir -p /var/run/netns
	: >/var/run/netns/$TLS_NS
	unshare --net=/var/run/netns/$TLS_NS true || why "cannot make the network namespace" || return
	TLS_IN="nsenter -n/var/run/netns/$TLS_NS"
	$TLS_IN ip link set lo up || { TLS_IN=; why "no lo in the namespace"; return; }
	tls_vsftpd ns $TLS_VS server require_ssl_reuse=NO
	set -- $?
	TLS_IN=
	[ "$1" -eq 0 ] || return 1
	TLS_NS_UP=1
}

# tls_ns_field NAME PATH: field NAME of PATH's row as $TLS_NS sees the
# status table (a transfer is listed in its writer's namespace only)
tls_ns_field() {
	local s=$STATUS v
	nsenter -n/var/run/netns/$TLS_NS cat "$s" >/tmp/tls-ns-status
	STATUS=/tmp/tls-ns-status
	v=$(field "$1" "$2")
	STATUS=$s
	echo "$v"
}

# no tlshd in the writer's network namespace: ESRCH at once, no USER
t_tls_no_tlshd() {
	local d=$DST/tls-notlshd.bin u n0 t0 t1
	u="ftp://$TLS_AUTH@127.0.0.1:$TLS_VS/pub/f1024.bin"
	tls_test "get $u $d tls=required wait" "$d" || return $TLS_RC
	tls_ns_up || return
	rm -f "$d"
	n0=$(tls_count ns '"USER ')
	t0=$(cut -d. -f1 /proc/uptime)
	REQ_OUT=$(nsenter -n/var/run/netns/$TLS_NS timeout "$WAIT_MAX" kftpreq "get $u $d tls=required wait" 2>&1)
	t1=$(cut -d. -f1 /proc/uptime)
	[ "$REQ_OUT" = ESRCH ] || why "expected ESRCH, got '$REQ_OUT': $(tls_ns_field REPLY "$d")" || return
	[ $((t1 - t0)) -le 3 ] || why "ESRCH after $((t1 - t0)) s" || return
	tls_ns_field REPLY "$d" | grep -q tlshd || why "REPLY '$(tls_ns_field REPLY "$d")'" || return
	[ "$(tls_count ns '"USER ')" = "$n0" ] || why "USER sent" || return
	[ ! -e "$d" ] || why "$d was created"
}

# the same, once a tlshd runs in that namespace: the transfer goes through
t_tls_netns_tlshd() {
	local d=$DST/tls-nstlshd.bin u=ftp://$TLS_AUTH@127.0.0.1:$TLS_VS/pub/f1024.bin
	tls_test "get $u $d tls=required wait" "$d" || return $TLS_RC
	tls_ns_up || return
	rm -f "$d"
	set -- "$TLSHD_PID"
	tlshd_start $TLS_NS || return
	REQ_OUT=$(nsenter -n/var/run/netns/$TLS_NS timeout "$WAIT_MAX" kftpreq "get $u $d tls=required wait" 2>&1)
	kill "$TLSHD_PID"
	TLSHD_PID=$1
	[ "$REQ_OUT" = ok ] || why "kftpreq: '$REQ_OUT' $(tls_ns_field REPLY "$d")" || return
	[ "$(sha "$d")" = "$(sha /srv/pub/f1024.bin)" ] || why "$d differs" || return
	[ "$(tls_ns_field STATE "$d")" = 'done' ] || why "status STATE '$(tls_ns_field STATE "$d")'"
}

# tls_trace on|off: dynamic debug's protocol trace of kftp. On, it first
# marks the kernel's log: IDs start again at 1 with each load of the
# module, so an ID names a transfer only among the lines after the mark.
tls_trace() {
	local ctl=/sys/kernel/debug/dynamic_debug/control
	grep -q ' /sys/kernel/debug ' /proc/mounts || mount -t debugfs none /sys/kernel/debug
	[ -w $ctl ] || why "no dynamic debug control" || return
	if [ "$1" = on ]; then
		TLS_MARK="kftp-test: trace from $(cut -d' ' -f1 /proc/uptime)"
		echo "$TLS_MARK" >/dev/kmsg
		echo 'module kftp +p' >$ctl
	else
		echo 'module kftp -p' >$ctl
	fi
}

# tls_lines ID: transfer ID's protocol trace since tls_trace on, one
# "> CMD" or "< REPLY" a line
tls_lines() {
	dmesg | awk -v m="$TLS_MARK" 'index($0, m) { on = 1 } on' |
		sed -n "s/.*kftp: $1 \\([<>] .*\\)/\\1/p"
}

# The reuse-requiring server refuses PROT P data, which tlshd cannot
# give it: a REPLY that names the cause, and the connection is not kept
# for the next transfer, whose trace starts with a greeting of its own
t_tls_reuse_required() {
	local u=ftp://$TLS_AUTH@127.0.0.1:$TLS_VS_REUSE/pub/f1024.bin d=$DST/tls-reuse.bin
	local d2=$DST/tls-reuse2.bin first
	tls_test "get $u $d tls=required wait" "$d" || return $TLS_RC
	rm -f "$d" "$d2"
	tls_trace on || return
	req "get $u $d tls=required wait"
	set -- "$REQ_OUT"
	req "get $u $d2 tls=required wait"
	tls_trace off
	[ "$1" != ok ] || why "the transfer succeeded" || return
	[ "$(field STATE "$d")" = failed ] || why "status: '$(row_of "$d")'" || return
	reply_of "$d" | grep -qi 'reuse' || why "REPLY '$(reply_of "$d")' names no session reuse" || return
	[ ! -e "$d" ] || why "$d was created" || return
	no_temp_left "$DST" || return
	[ "$(field STATE "$d2")" = failed ] || why "second: '$(row_of "$d2")'" || return
	first=$(tls_lines "$(field ID "$d2")" | head -n 1)
	echo "$first" | grep -q '^< 220' || why "the second transfer's trace starts with '$first'"
}

# The protocol trace of a tls=required transfer on a connection of its
# own (src=): AUTH TLS before USER, PROT P, PASS masked, and the
# password nowhere in the kernel's log
t_tls_trace() {
	local d=$DST/tls-trace.bin u=ftp://$TLS_AUTH@127.0.0.1:$TLS_VS/pub/f1024.bin t=/tmp/tls-trace.txt
	tls_test "get $u $d tls=required wait" "$d" || return $TLS_RC
	rm -f "$d"
	tls_trace on || return
	req "get $u $d tls=required src=127.0.0.6 wait"
	tls_trace off
	check_done /srv/pub/f1024.bin "$d" || return
	tls_lines "$(field ID "$d")" >$t
	grep -q '^> AUTH TLS$' $t || why "no AUTH TLS: $(tr '\n' '|' <$t)" || return
	[ "$(grep -n '^> AUTH TLS$' $t | cut -d: -f1)" -lt "$(grep -n '^> USER ' $t | cut -d: -f1)" ] ||
		why "USER before AUTH TLS: $(tr '\n' '|' <$t)" || return
	grep -q '^> PROT P$' $t || why "no PROT P: $(tr '\n' '|' <$t)" || return
	grep -q '^> PASS \*\*\*$' $t || why "no masked PASS: $(tr '\n' '|' <$t)" || return
	! dmesg | grep -q -- "$FTP_PASS" || why "password in the kernel log: $(dmesg | grep -- "$FTP_PASS" | head -n 1)"
}

# 8 TLS transfers in one write: 8 connections, more handshakes at once
# than a namespace may have pending (3 in 1 GiB), all done and right
t_tls_parallel() {
	local i lines='' bad='' end u=ftp://$TLS_AUTH@127.0.0.1:$TLS_VS/pub
	tls_test "get $u/p1.bin $DST/tls-r.bin tls=required wait" "$DST/tls-r.bin" || return $TLS_RC
	for i in 1 2 3 4 5 6 7 8; do
		rm -f "$DST/tp$i.bin"
		lines="${lines}get $u/p$i.bin $DST/tp$i.bin tls=required src=127.0.1.$i
"
	done
	req -n "$lines"
	[ "$REQ_OUT" = ok ] || why "kftpreq: $REQ_OUT" || return
	end=$(($(cut -d. -f1 /proc/uptime) + 150))
	for i in 1 2 3 4 5 6 7 8; do
		while ! field STATE "$DST/tp$i.bin" | grep -Eq '^(done|failed|cancelled)$' &&
		      [ "$(cut -d. -f1 /proc/uptime)" -lt $end ]; do
			sleep 0.2
		done
		[ "$(field STATE "$DST/tp$i.bin")" = 'done' ] &&
			[ "$(sha "$DST/tp$i.bin")" = "$(sha /srv/pub/p$i.bin)" ] ||
			bad="$bad tp$i:$(field STATE "$DST/tp$i.bin"):$(reply_of "$DST/tp$i.bin")"
	done
	[ -z "$bad" ] || why "$bad"
}

# 64 MiB each way over TLS: records across many skbs on receive, pages
# spliced into kTLS on send; deleted afterwards (the rootfs is RAM)
t_tls_64m() {
	local src=/srv/pub/tls-64m.bin d=$DST/tls-64m.bin
	tls_test "get ftp://$TLS_AUTH@127.0.0.1:$TLS_VS/pub/tls-64m.bin $d tls=required wait" \
		"$d" || return $TLS_RC
	mkfile $src 67108864
	rm -f "$d"
	req "get ftp://$TLS_AUTH@127.0.0.1:$TLS_VS/pub/tls-64m.bin $d tls=required wait"
	check_done $src "$d"
	set -- $?
	rm -f "$d"
	[ "$1" -eq 0 ] || { rm -f $src; return 1; }
	put_fixtures
	rm -f "$UP/tls-64m.bin"
	mv $src "$PSRC/tls-64m.bin"
	req "put $PSRC/tls-64m.bin ftp://$TLS_AUTH@[::1]:$TLS_VS/up/tls-64m.bin tls=required wait"
	check_put "$PSRC/tls-64m.bin" "$UP/tls-64m.bin"
	set -- $?
	rm -f "$PSRC/tls-64m.bin" "$UP/tls-64m.bin"
	return "$1"
}

# tls_onecopy_get NAME BYTES OPTION...: a tls=required get of BYTES on a
# connection of its own, traced: PROT P, and the data by read_sock, one
# copy (kTLS's read_sock, from 6.6), the file right
tls_onecopy_get() {
	local src=/srv/pub/tls-oc$2.bin d=$DST/tls-oc-$1.bin id
	shift
	[ -f "$src" ] || mkfile "$src" "$1"
	shift
	rm -f "$d"
	tls_trace on || return
	req "get ftp://$TLS_AUTH@127.0.0.1:$TLS_VS/pub/${src##*/} $d tls=required $* wait"
	tls_trace off
	check_done "$src" "$d" || { WHY="$*: $WHY"; return 1; }
	id=$(field ID "$d")
	tls_lines "$id" | grep -q '^> PROT P$' || why "$*: no PROT P in the trace of $id" || return
	dmesg | awk -v m="$TLS_MARK" 'index($0, m) { on = 1 } on' |
		grep -q "kftp: $id = data by read_sock, one copy\$" ||
		why "$*: the trace of $id does not show the read_sock path"
}

# PROT P downloads read kTLS's records straight into the page cache:
# many records (8 MiB and a byte), with the session tickets before them
# and close_notify after; active mode paced by rate=
t_tls_onecopy() {
	local d=$DST/tls-oc-r.bin
	tls_test "get ftp://$TLS_AUTH@127.0.0.1:$TLS_VS/pub/f1024.bin $d tls=required wait" \
		"$d" || return $TLS_RC
	tls_onecopy_get big 8388609 src=127.0.0.12 || return
	tls_onecopy_get rate 1048577 src=127.0.0.13 mode=active rate=2M || return
	rm -f "$DST/tls-oc-big.bin"
}

# tls_hs_pending N0: 0 once the main server has answered more than N0
# AUTH TLS commands: with tlshd stopped, the handshake is then pending
tls_hs_pending() {
	local i=0
	while [ "$(tls_count main '"AUTH TLS"')" -le "$1" ]; do
		[ $i -lt 100 ] || return 1
		sleep 0.2
		i=$((i + 1))
	done
}

# tlshd stopped (SIGSTOP): nobody takes the handshake, timeout=2 ends it
# with ETIMEDOUT and its reason; tlshd works again once continued
t_tls_tlshd_stopped() {
	local d=$DST/tls-stopped.bin u=ftp://$TLS_AUTH@127.0.0.1:$TLS_VS/pub/f1024.bin t0 t1
	tls_test "get $u $d tls=required timeout=2 wait" "$d" || return $TLS_RC
	rm -f "$d"
	kill -STOP "$TLSHD_PID"
	t0=$(cut -d. -f1 /proc/uptime)
	req "get $u $d tls=required src=127.0.0.7 timeout=2 wait"
	t1=$(cut -d. -f1 /proc/uptime)
	kill -CONT "$TLSHD_PID"
	[ "$REQ_OUT" = ETIMEDOUT ] || why "expected ETIMEDOUT, got '$REQ_OUT': $(reply_of "$d")" || return
	[ $((t1 - t0)) -le 10 ] || why "took $((t1 - t0)) s with timeout=2" || return
	reply_of "$d" | grep -q 'TLS' || why "REPLY '$(reply_of "$d")'" || return
	[ ! -e "$d" ] || why "$d was created" || return
	req "get $u $d tls=required src=127.0.0.7 wait"
	check_done /srv/pub/f1024.bin "$d"
}

# cancel, then rmmod, while a handshake waits for a stopped tlshd: each
# returns at once and leaves no file; tlshd works again once continued
t_tls_hs_cancel() {
	local d=$DST/tls-hscancel.bin u=ftp://$TLS_AUTH@127.0.0.1:$TLS_VS/pub/f1024.bin n0 t0 t1
	tls_test "get $u $d tls=required wait" "$d" || return $TLS_RC
	rm -f "$d"
	kill -STOP "$TLSHD_PID"
	n0=$(tls_count main '"AUTH TLS"')
	req "get $u $d tls=required src=127.0.0.8 timeout=60"
	tls_hs_pending "$n0" || { kill -CONT "$TLSHD_PID"; why "no AUTH TLS: '$(row_of "$d")'"; return; }
	req "cancel $(field ID "$d")"
	wait_state "$d" cancelled 10 || { kill -CONT "$TLSHD_PID"; why "not cancelled within 2 s: '$(row_of "$d")'"; return; }
	n0=$(tls_count main '"AUTH TLS"')
	req "get $u $d tls=required src=127.0.0.9 timeout=60"
	tls_hs_pending "$n0" || { kill -CONT "$TLSHD_PID"; why "rmmod: no AUTH TLS: '$(row_of "$d")'"; return; }
	t0=$(cut -d' ' -f1 /proc/uptime)
	timeout 20 rmmod kftp
	set -- $?
	t1=$(cut -d' ' -f1 /proc/uptime)
	kill -CONT "$TLSHD_PID"
	[ "$1" -eq 0 ] || why "rmmod failed (rc $1)" || return
	awk -v a="$t0" -v b="$t1" 'BEGIN { exit !(b - a <= 5) }' || why "rmmod took $t0 -> $t1 s" || return
	insmod "$KO" || why "insmod after rmmod failed" || return
	[ ! -e "$d" ] || why "$d was created" || return
	no_temp_left "$DST" || return
	req "get $u $d tls=required src=127.0.0.9 wait"
	check_done /srv/pub/f1024.bin "$d"
}

# The pool keeps TLS and plain connections apart, and TLS modes apart:
# anonymous transfers (the server allows them in the clear) from one
# source address, plain, tls=required twice, tls=control; only the two
# tls=required ones share a connection
t_tls_pool() {
	local u=ftp://127.0.0.1:$TLS_VS/pub/f1024.bin d=$DST/tls-pool c
	tls_test "get $u $d-r.bin tls=required src=127.0.0.10 wait" "$d-r.bin" || return $TLS_RC
	for c in plain req1 req2 ctl; do
		rm -f "$d-$c.bin"
	done
	req "get $u $d-plain.bin src=127.0.0.10 wait"
	check_done /srv/pub/f1024.bin "$d-plain.bin" || return
	req "get $u $d-req1.bin tls=required src=127.0.0.10 wait"
	check_done /srv/pub/f1024.bin "$d-req1.bin" || return
	req "get $u $d-req2.bin tls=required src=127.0.0.10 wait"
	check_done /srv/pub/f1024.bin "$d-req2.bin" || return
	req "get $u $d-ctl.bin tls=control src=127.0.0.10 wait"
	check_done /srv/pub/f1024.bin "$d-ctl.bin" || return
	set -- "$(field CONN "$d-plain.bin")" "$(field CONN "$d-req1.bin")" \
		"$(field CONN "$d-req2.bin")" "$(field CONN "$d-ctl.bin")"
	[ "$2" = "$3" ] || why "tls=required twice: CONN $2 then $3, not reused" || return
	[ "$1" != "$2" ] || why "plain and tls=required share CONN $1" || return
	[ "$4" != "$2" ] || why "tls=control and tls=required share CONN $4" || return
	[ "$4" != "$1" ] || why "tls=control and plain share CONN $4"
}

# A second server's TLS: pure-ftpd, which takes TLS on both connections
# only, so what it serves went under PROT P. A get and a put of 1 KiB and
# 1 MiB, passive, by name, sha256 checked; tls=control (PROT C) refused,
# with the server's reply, and the destination kept.
t_tls_pureftpd() {
	local hp=$TLS_HOST:$TLS_PURE n d=$DST/tls-pure-ctl.bin
	tls_test "get ftp://$TLS_AUTH@$hp/pub/f1024.bin $DST/tls-r.bin tls=required wait" \
		"$DST/tls-r.bin" || return $TLS_RC
	put_fixtures
	for n in 1024 1048576; do
		[ -f /srv/pub/tls-$n.bin ] || mkfile /srv/pub/tls-$n.bin $n
		rm -f "$DST/tls-pure-$n.bin"
		req "get ftp://$TLS_AUTH@$hp/pub/tls-$n.bin $DST/tls-pure-$n.bin tls=required wait"
		check_done /srv/pub/tls-$n.bin "$DST/tls-pure-$n.bin" || { WHY="get $n: $WHY"; return 1; }
		[ -f "$PSRC/tls-$n.bin" ] || mkfile "$PSRC/tls-$n.bin" $n
		rm -f "$UP/tls-pure-$n.bin"
		req "put $PSRC/tls-$n.bin ftp://$TLS_AUTH@$hp/up/tls-pure-$n.bin tls=required wait"
		check_put "$PSRC/tls-$n.bin" "$UP/tls-pure-$n.bin" || { WHY="put $n: $WHY"; return 1; }
	done
	grep -q "/pub/tls-1048576.bin" /var/log/pure-ftpd.log ||
		why "pure-ftpd logged no download: $(tail -n 3 /var/log/pure-ftpd.log | tr '\n' '|')" || return
	echo kept >"$d"
	req "get ftp://$TLS_AUTH@$hp/pub/tls-1024.bin $d tls=control wait"
	[ "$(field STATE "$d")" = failed ] || why "tls=control: '$(row_of "$d")'" || return
	reply_of "$d" | grep -q '^5' || why "tls=control: no 5xx reply: '$(row_of "$d")'" || return
	[ "$(cat "$d")" = kept ] || why "tls=control: $d was changed"
}

# ---- hostile FTPS servers ----

# tls_234 SCENARIO PORT ERRNO WHY: stallftpd -s SCENARIO answers AUTH TLS
# with 234, then speaks no TLS: the transfer fails with ERRNO and a REPLY
# that says TLS and matches the extended regular expression WHY, no USER
# comes (stallftpd logs one in the clear, after the handshake too), and
# the existing destination stays as it was
tls_234() {
	hsetup "$2"
	tls_test "get $HURL/h.bin $HD tls=required wait" "$HD" || return $TLS_RC
	hserve "$1" || return
	req "get $HURL/h.bin $HD tls=required timeout=5 wait"
	hstop
	grep -q '^S1 AUTH$' "$HX/log" || why "no AUTH TLS: $(tr '\n' '|' <"$HX/log")" || return
	! grep -q ' USER$' "$HX/log" || why "USER sent: $(tr '\n' '|' <"$HX/log")" || return
	h_failed "$3" || return
	reply_of "$HD" | grep -q '^TLS: ' || why "REPLY '$(reply_of "$HD")'" || return
	reply_of "$HD" | grep -qiE "$4" || why "REPLY '$(reply_of "$HD")' does not say '$4'"
}

# 234, then bytes that are no TLS record: tlshd says EACCES for this as
# for every failure it calls authentication, so EKEYREJECTED (issue 21's
# list); but the REPLY must not name the certificate as the one cause
t_tls_234_garbage() {
	tls_234 tls_garbage 2251 EKEYREJECTED 'no TLS|not TLS'
}

# 234, then the server closes: ECONNRESET, "the server closed"
t_tls_234_close() {
	tls_234 tls_close 2252 ECONNRESET 'closed'
}

# The truncation attack: tlsrelay on $TLS_RELAY_ADDR relays the control
# connection to $TLS_VS_RELAY, a vsftpd whose only passive port is
# $TLS_RELAY_DATA and whose PASV names the relay, and relays that data
# port too, where it can drop the server's close_notify
TLS_VS_RELAY=2146
TLS_RELAY_ADDR=127.0.0.20
TLS_RELAY_CTL=2147
TLS_RELAY_DATA=2148
TLS_RELAY_LOG=/var/log/tlsrelay.log

# tls_relay [nocn]: the relay, its data port dropping close_notify with
# nocn; TLS_RELAY_PID, and TLS_RELAY_VS_PID the vsftpd behind it
tls_relay() {
	if [ -z "$TLS_RELAY_UP" ]; then
		tls_vsftpd relay $TLS_VS_RELAY server require_ssl_reuse=NO \
			pasv_min_port=$TLS_RELAY_DATA pasv_max_port=$TLS_RELAY_DATA \
			pasv_address=$TLS_RELAY_ADDR pasv_promiscuous=YES || return
		TLS_RELAY_VS_PID=$!
		TLS_RELAY_UP=1
	fi
	tlsrelay $TLS_RELAY_ADDR $TLS_RELAY_CTL:$TLS_VS_RELAY \
		"$TLS_RELAY_DATA:$TLS_RELAY_DATA${1:+:$1}" 2>>$TLS_RELAY_LOG &
	TLS_RELAY_PID=$!
	tls_port $TLS_RELAY_CTL && return
	tls_relay_stop
	why "tlsrelay did not start: $(tr '\n' '|' <$TLS_RELAY_LOG)"
}

tls_relay_stop() {
	kill "$TLS_RELAY_PID" 2>/dev/null
	wait "$TLS_RELAY_PID" 2>/dev/null
}

# A download whose data connection ends without the server's close_notify
# fails with EIO, and the existing destination stays as it was. Through
# the relay without the drop, the same download is done: the relay itself
# is sound, and the EIO is the missing close_notify's.
t_tls_no_close_notify() {
	local u=ftp://$TLS_AUTH@$TLS_RELAY_ADDR:$TLS_RELAY_CTL/pub/tls-cn.bin d=$DST/tls-cn.bin
	local o="tls=required tlsname=$TLS_HOST timeout=10" before
	tls_test "get $u $d $o wait" "$d" || return $TLS_RC
	[ -f /srv/pub/tls-cn.bin ] || mkfile /srv/pub/tls-cn.bin 100001
	rm -f "$d"
	: >$TLS_RELAY_LOG
	tls_relay || return
	req "get $u $d $o src=127.0.0.21 wait"
	tls_relay_stop
	check_done /srv/pub/tls-cn.bin "$d" || { WHY="relayed: $WHY"; return 1; }
	! grep -q ' drop$' $TLS_RELAY_LOG || why "dropped: $(tr '\n' '|' <$TLS_RELAY_LOG)" || return
	echo keep >"$d"
	before=$(sha "$d")
	: >$TLS_RELAY_LOG
	tls_relay nocn || return
	req "get $u $d $o src=127.0.0.22 wait"
	tls_relay_stop
	grep -q "^R[0-9]* $TLS_RELAY_DATA drop$" $TLS_RELAY_LOG ||
		why "no close_notify dropped: $(tr '\n' '|' <$TLS_RELAY_LOG)" || return
	[ "$REQ_OUT" = EIO ] || why "expected EIO, got '$REQ_OUT': '$(row_of "$d")'" || return
	[ "$(field STATE "$d")" = failed ] && [ "$(field ERRNO "$d")" = EIO ] ||
		why "status: '$(row_of "$d")'" || return
	[ "$(sha "$d")" = "$before" ] || why "$d changed" || return
	no_temp_left "$DST"
}

# tls_vs_sessions PID: the processes of vsftpd PID's sessions, its
# children and theirs
tls_vs_sessions() {
	local c
	# shellcheck disable=SC2013 # pids, blank-separated
	for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
		echo "$c"
		cat /proc/"$c"/task/*/children 2>/dev/null
	done
}

# close_notify is not required on a control connection: a parked
# tls=required connection whose server goes without one (its vsftpd
# session killed; the relay passes the FIN on) gives way to a new
# connection, and the next download is done
t_tls_ctrl_no_close_notify() {
	local u=ftp://$TLS_AUTH@$TLS_RELAY_ADDR:$TLS_RELAY_CTL/pub/tls-cn.bin d=$DST/tls-ccn.bin
	local o="tls=required tlsname=$TLS_HOST timeout=10 src=127.0.0.23" c1 i=0
	tls_test "get $u $d $o wait" "$d" || return $TLS_RC
	[ -f /srv/pub/tls-cn.bin ] || mkfile /srv/pub/tls-cn.bin 100001
	rm -f "$d"
	: >$TLS_RELAY_LOG
	tls_relay || return
	req "get $u $d $o wait"
	check_done /srv/pub/tls-cn.bin "$d" || { tls_relay_stop; WHY="first: $WHY"; return 1; }
	c1=$(field CONN "$d")
	set -- "$(tls_vs_sessions "$TLS_RELAY_VS_PID")"
	[ -n "$1" ] || { tls_relay_stop; why "no vsftpd session parked"; return; }
	# shellcheck disable=SC2086 # a list of pids
	kill -KILL $1
	until grep -q "^R[0-9]* $TLS_RELAY_CTL server end$" $TLS_RELAY_LOG; do
		if [ $i -ge 50 ]; then
			tls_relay_stop
			why "the session did not end: $(tr '\n' '|' <$TLS_RELAY_LOG)"
			return
		fi
		sleep 0.1
		i=$((i + 1))
	done
	rm -f "$d"
	req "get $u $d $o wait"
	tls_relay_stop
	check_done /srv/pub/tls-cn.bin "$d" || return
	[ "$(field CONN "$d")" != "$c1" ] || why "CONN $c1 again, on a connection that was gone"
}

# tls_capture FILE LINE: what crosses lo while kftpreq LINE runs, into FILE
tls_capture() {
	local i=0 pid
	rm -f "$1" "$1.log"
	wirecap "$1" 67108864 120 2>"$1.log" &
	pid=$!
	until grep -q ready "$1.log" 2>/dev/null; do
		if [ $i -ge 50 ] || ! kill -0 $pid 2>/dev/null; then
			kill $pid 2>/dev/null
			why "wirecap did not start: $(cat "$1.log")"
			return
		fi
		sleep 0.1
		i=$((i + 1))
	done
	req "$2"
	kill -TERM $pid
	wait $pid
}

# tls_wire_has FILE STRING: STRING is among FILE's bytes
tls_wire_has() {
	LC_ALL=C grep -aqF -- "$2" "$1"
}

# The wire shows no secret after AUTH TLS: a tls=required download
# captured on lo has AUTH TLS in it, and neither the user name, the
# password nor the file's bytes (a pattern found nowhere else). The same
# download in the clear (busybox ftpd), captured the same way, shows all
# three: the capture sees them when they are there.
t_tls_wire() {
	local f=/srv/pub/tls-wire.bin d=$DST/tls-wire.bin c=/tmp/tls-wire sample=wire-sample-Qz7Jx
	local s
	tls_test "get ftp://$TLS_AUTH@127.0.0.1:$TLS_VS/pub/tls-wire.bin $d tls=required wait" \
		"$d" || return $TLS_RC
	yes "kftp-$sample" | head -c 65536 >$f
	chmod 0644 $f
	rm -f "$d"
	tls_capture $c.plain "get ftp://$AUTH/pub/tls-wire.bin $d src=127.0.0.11 wait" || return
	check_done $f "$d" || { WHY="in the clear: $WHY"; return 1; }
	for s in "$FTP_USER" "$FTP_PASS" "$sample"; do
		tls_wire_has $c.plain "$s" ||
			why "in the clear: '$s' not captured ($(cat $c.plain.log))" || return
	done
	rm -f "$d"
	tls_capture $c.tls "get ftp://$TLS_AUTH@127.0.0.1:$TLS_VS/pub/tls-wire.bin $d tls=required src=127.0.0.12 wait" || return
	check_done $f "$d" || return
	tls_wire_has $c.tls 'AUTH TLS' || why "no AUTH TLS captured ($(cat $c.tls.log))" || return
	# the file went by, encrypted
	[ "$(wc -c <$c.tls)" -gt 65536 ] || why "$(wc -c <$c.tls) bytes captured" || return
	for s in "$FTP_USER" "$FTP_PASS" "$sample"; do
		! tls_wire_has $c.tls "$s" || why "'$s' on the wire of a tls=required transfer" || return
	done
}
