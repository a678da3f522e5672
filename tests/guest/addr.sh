# shellcheck shell=dash
# SPDX-License-Identifier: GPL-2.0
# Addresses (issue 12): IPv6 literals and host names end to end, run in the
# guest by check.sh, which sources this file: t_NAME functions in check.sh's
# style, listed in ADDR_TESTS.
#
# Loopback and unique-local addresses only, all on lo: ::1, $A6_ULA and
# $A6_SRC (fd00::/8), and the link-local $A6_LL for a zone.  Two real
# servers listen on [::]: busybox ftpd under tcpsvd -v, which logs every
# peer and, with -vv, every command (it has EPSV but no EPRT), and
# Debian's vsftpd with listen_ipv6=YES (EPSV and EPRT).

A6_BB=2300
A6_VS=2301
A6_ULA=fd00::7
A6_SRC=fd00::8
A6_LL=fe80::7
A6_LOG=/var/log/ftpd6.log

# shellcheck disable=SC2034 # read by check.sh
ADDR_TESTS="a6_bb_passive_loopback a6_bb_passive_ula a6_vs_passive a6_vs_active
a6_active_no_port a6_src a6_zone a6_pool a6_rejected a6_tool_netrc a6_name_v4
a6_name_v6 a6_name_both a6_name_nxdomain a6_name_silent a6_name_no_helper
a6_name_cancel a6_ns_raw_name a6_ns_tool a6_ns_host_only"
# shellcheck disable=SC2034 # checked by check.sh
ADDR_COUNT=20

# the addresses and the two servers, once for any subset of the tests
a6_up() {
	[ -n "$A6_UP" ] && return 0
	ip -6 addr add $A6_ULA/128 dev lo &&
	ip -6 addr add $A6_SRC/128 dev lo &&
	ip -6 addr add $A6_LL/64 dev lo || why "cannot add IPv6 addresses to lo" || return
	busybox-ftpd tcpsvd -vE :: $A6_BB \
		busybox-ftpd ftpd -vvw -a ftp -t 120 /srv 2>>$A6_LOG &
	sed -e 's/^listen=YES/listen=NO/' -e 's/^listen_ipv6=NO/listen_ipv6=YES/' \
		-e '/^listen_address=/d' -e "s/^listen_port=.*/listen_port=$A6_VS/" \
		/etc/vsftpd/test.conf >/etc/vsftpd/addr6.conf
	/usr/sbin/vsftpd /etc/vsftpd/addr6.conf 2>>/var/log/vsftpd6.log &
	wait_port $A6_BB || why "busybox ftpd on [::]:$A6_BB did not start" || return
	wait_port $A6_VS || why "vsftpd on [::]:$A6_VS did not start" || return
	A6_UP=1
}

# a6_get NAME URL-HOST-PORT [OPTION...]: fetch /srv/pub/a6-NAME.bin, check it
a6_get() {
	local name=$1 hp=$2 src=/srv/pub/a6-$1.bin d=$DST/a6-$1.bin
	shift 2
	a6_up || return
	[ -f "$src" ] || mkfile "$src" 70001
	rm -f "$d"
	req "get ftp://$FTP_USER:$FTP_PASS@$hp/pub/a6-$name.bin $d $* wait"
	check_done "$src" "$d" || return
	# the status shows the URL as written, password masked
	[ "$(field URL "$d")" = "ftp://$FTP_USER:***@$hp/pub/a6-$name.bin" ] ||
		why "status URL '$(field URL "$d")'"
}

t_a6_bb_passive_loopback() { a6_get bbl "[::1]:$A6_BB"; }
t_a6_bb_passive_ula() { a6_get bbu "[$A6_ULA]:$A6_BB" mode=passive; }
t_a6_vs_passive() { a6_get vsp "[$A6_ULA]:$A6_VS" mode=passive; }
t_a6_vs_active() { a6_get vsa "[::1]:$A6_VS" mode=active; }

# busybox ftpd has no EPRT: on IPv6 the transfer fails on the 500 and no
# PORT follows (RFC 2428), where IPv4 would fall back to PORT
t_a6_active_no_port() {
	local d=$DST/a6-noport.bin before
	a6_up || return
	mkfile /srv/pub/a6-noport.bin 1000
	before=$(grep -c 'EPRT' $A6_LOG)
	req_expect EOPNOTSUPP "get ftp://$FTP_USER:$FTP_PASS@[::1]:$A6_BB/pub/a6-noport.bin $d mode=active wait" ||
		return
	[ "$(grep -c 'EPRT |2|::1|' $A6_LOG)" -gt "$before" ] ||
		why "ftpd logged no EPRT |2|::1|: $(tail -n 3 $A6_LOG | tr '\n' '|')" || return
	! grep -q 'PORT [0-9]\|PASV' $A6_LOG || why "PORT or PASV sent on IPv6: $(grep 'PORT [0-9]\|PASV' $A6_LOG | head -n 1)" || return
	reply_of "$d" | grep -q '^500' || why "status REPLY '$(reply_of "$d")'" || return
	[ ! -e "$d" ] || why "$d was created"
}

# src= with an IPv6 address: the server sees it (tcpsvd -v logs the peer);
# with the other family it is refused when written
t_a6_src() {
	local before
	a6_up || return
	before=$(grep -c -- "-\[$A6_SRC\]:" $A6_LOG)
	a6_get src "[$A6_ULA]:$A6_BB" src=$A6_SRC || return
	[ "$(grep -c -- "-\[$A6_SRC\]:" $A6_LOG)" -gt "$before" ] ||
		why "ftpd saw no peer $A6_SRC: $(grep start $A6_LOG | tail -n 1)" || return
	# vsftpd checks that EPRT names the control connection's peer
	a6_get srcact "[$A6_ULA]:$A6_VS" src=$A6_SRC mode=active || return
	req_expect EINVAL "get ftp://[::1]:$A6_BB/pub/f0.bin $DST/a6-x.bin src=127.0.0.1"
}

# a link-local address needs its zone, an interface of the writer's
# network namespace (RFC 6874)
t_a6_zone() {
	a6_up || return
	a6_get zone "[$A6_LL%25lo]:$A6_BB" || return
	req_expect EINVAL "get ftp://[$A6_LL]:$A6_BB/pub/f0.bin $DST/a6-x.bin" || return
	req_expect ENODEV "get ftp://[$A6_LL%25kftpnone0]:$A6_BB/pub/f0.bin $DST/a6-x.bin"
}

# one pooled connection per address: two gets to [::1] share one, a get to
# 127.0.0.1 on the same server (dual-stack) takes another
t_a6_pool() {
	local a=$DST/a6-pool-a.bin b=$DST/a6-pool-b.bin c=$DST/a6-pool-c.bin
	a6_up || return
	req "get ftp://$FTP_USER:$FTP_PASS@[::1]:$A6_VS/pub/f1024.bin $a wait"
	check_done /srv/pub/f1024.bin "$a" || return
	req "get ftp://$FTP_USER:$FTP_PASS@[::1]:$A6_VS/pub/f0.bin $b wait"
	check_done /srv/pub/f0.bin "$b" || return
	req "get ftp://$FTP_USER:$FTP_PASS@127.0.0.1:$A6_VS/pub/f0.bin $c wait"
	check_done /srv/pub/f0.bin "$c" || return
	[ "$(field CONN "$a")" = "$(field CONN "$b")" ] ||
		why "CONN $(field CONN "$a") then $(field CONN "$b"): not reused" || return
	[ "$(field CONN "$c")" != "$(field CONN "$a")" ] ||
		why "127.0.0.1 reused the connection to [::1] ($(field CONN "$c"))"
}

# malformed literals fail at write time, nothing queued
t_a6_rejected() {
	local d=$DST/a6-bad.bin
	BAD=
	reject "two ::" "get ftp://[1::2::3]:$A6_BB/pub/f0.bin $d"
	reject "no ]" "get ftp://[::1:$A6_BB/pub/f0.bin $d"
	reject "unbracketed" "get ftp://::1/pub/f0.bin $d"
	reject "zone not link-local" "get ftp://[::1%25lo]/pub/f0.bin $d"
	reject "raw % zone" "get ftp://[$A6_LL%lo]/pub/f0.bin $d"
	reject "src= IPv6, server IPv4" "get ftp://127.0.0.1/pub/f0.bin $d src=::1"
	[ ! -e "$d" ] || BAD="$BAD; $d was created"
	[ -z "$BAD" ] || why "${BAD#; }"
}

# the kftp command finds an IPv6 server in netrc without its brackets
t_a6_tool_netrc() {
	local d=$DST/a6-tool.bin
	a6_up || return
	mkfile /srv/pub/a6-tool.bin 5000
	rm -f $d
	printf 'machine 127.0.0.1 login x password y\nmachine ::1 login %s password %s\n' \
		"$FTP_USER" "$FTP_PASS" >/tmp/netrc6
	tool --netrc-file /tmp/netrc6 get "ftp://[::1]:$A6_BB/pub/a6-tool.bin" $d
	tool_rc 0 || return
	[ "$(sha $d)" = "$(sha /srv/pub/a6-tool.bin)" ] || why "$d differs"
}

# ---- host names: the kernel's DNS resolver against dnsmasq ----
#
# dnsmasq on 127.0.0.1:53 answers for kftp.test only (anything else there
# is NXDOMAIN) and asks nobody else; /etc/resolv.conf points the upcall
# (request-key, key.dns_resolver) at it with a 3 s timeout and one try.

A6_DNS_LOG=/var/log/dnsmasq.log

a6_dns_up() {
	[ -n "$A6_DNS" ] && return 0
	a6_up || return
	printf 'nameserver 127.0.0.1\noptions timeout:3 attempts:1\n' >/etc/resolv.conf
	grep -q '^hosts:' /etc/nsswitch.conf 2>/dev/null || echo 'hosts: files dns' >>/etc/nsswitch.conf
	mkdir -p /etc/request-key.d /var/run
	cat >/etc/dnsmasq.conf <<-EOF
	port=53
	listen-address=127.0.0.1
	bind-interfaces
	no-resolv
	no-hosts
	user=root
	group=root
	pid-file=/var/run/dnsmasq.pid
	local=/kftp.test/
	host-record=v4.kftp.test,127.0.0.1
	host-record=v6.kftp.test,$A6_ULA
	host-record=both.kftp.test,127.0.0.1,$A6_ULA
	host-record=slow.kftp.test,127.0.0.1
	host-record=helper.kftp.test,127.0.0.1
	host-record=$TLS_HOST,127.0.0.1,::1
	log-queries
	log-facility=$A6_DNS_LOG
	EOF
	dnsmasq -C /etc/dnsmasq.conf 2>>$A6_DNS_LOG ||
		why "dnsmasq did not start: $(tail -n 3 $A6_DNS_LOG | tr '\n' '|')" || return
	A6_DNS=1
}

# a6_name_get NAME HOST:PORT WANT-ADDR [OPTION...]: fetch, check, and
# check the address the status table says was used
a6_name_get() {
	local name=$1 hp=$2 want=$3 d=$DST/a6-$1.bin
	shift 3
	a6_dns_up || return
	a6_get "$name" "$hp" "$@" || return
	[ "$(field ADDR "$d")" = "$want" ] ||
		why "ADDR '$(field ADDR "$d")', expected $want" || return
	grep -q "query\[A*\] ${hp%%:*} from 127.0.0.1" $A6_DNS_LOG ||
		why "dnsmasq was not asked for ${hp%%:*}"
}

t_a6_name_v4() { a6_name_get nv4 "v4.kftp.test:$A6_BB" 127.0.0.1; }
t_a6_name_v6() { a6_name_get nv6 "v6.kftp.test:$A6_VS" $A6_ULA mode=active; }
# both: IPv6 first; family=4 takes IPv4; an IPv6 server that refuses (vsftpd
# on $VS_PORT listens on 127.0.0.1 only) leaves the IPv4 one
t_a6_name_both() {
	a6_name_get nb6 "both.kftp.test:$A6_BB" $A6_ULA || return
	a6_name_get nb4 "both.kftp.test:$A6_BB" 127.0.0.1 family=4 || return
	a6_name_get nbf "both.kftp.test:$VS_PORT" 127.0.0.1
}

# a name that does not exist: EHOSTUNREACH and a REPLY that says so
t_a6_name_nxdomain() {
	local d=$DST/a6-nx.bin
	a6_dns_up || return
	req_expect EHOSTUNREACH "get ftp://nosuch.kftp.test:$A6_BB/pub/f0.bin $d wait" || return
	reply_of "$d" | grep -q 'did not resolve' || why "REPLY '$(reply_of "$d")'" || return
	[ "$(field ADDR "$d")" = - ] || why "ADDR '$(field ADDR "$d")'" || return
	[ ! -e "$d" ] || why "$d was created"
}

# a DNS server that does not answer (dnsmasq stopped): the wait ends at
# timeout=1, and the abandoned upcall ends by itself (3 s, resolv.conf)
t_a6_name_silent() {
	local d=$DST/a6-silent.bin t0 t1 pid
	a6_dns_up || return
	pid=$(cat /var/run/dnsmasq.pid)
	kill -STOP "$pid"
	t0=$(cut -d. -f1 /proc/uptime)
	req "get ftp://slow.kftp.test:$A6_BB/pub/f0.bin $d timeout=1 wait"
	t1=$(cut -d. -f1 /proc/uptime)
	kill -CONT "$pid"
	[ "$REQ_OUT" = ETIMEDOUT ] || why "expected ETIMEDOUT, got '$REQ_OUT'" || return
	[ $((t1 - t0)) -le 2 ] || why "took $((t1 - t0)) s with timeout=1" || return
	reply_of "$d" | grep -q 'no answer' || why "REPLY '$(reply_of "$d")'"
}

# no request-key program (keyutils not installed): a clear reason at once
# (the kernel then caches the failure for the name: a name of its own)
t_a6_name_no_helper() {
	local d=$DST/a6-nohelper.bin
	a6_dns_up || return
	mv /sbin/request-key /sbin/request-key.off
	req "get ftp://helper.kftp.test:$A6_BB/pub/f0.bin $d timeout=5 wait"
	mv /sbin/request-key.off /sbin/request-key
	[ "$REQ_OUT" = EHOSTUNREACH ] || why "expected EHOSTUNREACH, got '$REQ_OUT'" || return
	reply_of "$d" | grep -q 'request-key upcall' || why "REPLY '$(reply_of "$d")'"
}

# 0 once a question waits, unread, at a DNS server on 127.0.0.1:53
dns_asked() {
	local i=0
	while [ $i -lt 50 ]; do
		awk 'NR > 1 && $2 ~ /^0100007F:0035$/ && $5 !~ /:00000000$/ { n++ }
		     END { exit !n }' /proc/net/udp && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# a lookup stuck on a silent DNS server: cancel ends its transfer at once;
# rmmod returns once the upcall gives up (3 s, resolv.conf), never hangs
t_a6_name_cancel() {
	local d=$DST/a6-cancel.bin pid t0 t1
	a6_dns_up || return
	pid=$(cat /var/run/dnsmasq.pid)
	kill -STOP "$pid"
	req "get ftp://cancel.kftp.test:$A6_BB/pub/f0.bin $d timeout=30"
	# the lookup is in progress: its question waits at the stopped server
	# and the transfer has no address yet
	if ! dns_asked || [ "$(field ADDR "$d")" != - ] ||
	   [ "$(field STATE "$d")" != queued ]; then
		kill -CONT "$pid"
		why "no lookup in progress: '$(row_of "$d")'"
		return
	fi
	req "cancel $(max_id)"
	if ! wait_state "$d" cancelled 10; then
		kill -CONT "$pid"
		why "not cancelled within 2 s: '$(row_of "$d")'"
		return
	fi
	# its question is still unread: wait for this transfer's own
	kill -CONT "$pid"
	sleep 0.5
	kill -STOP "$pid"
	req "get ftp://rmmod.kftp.test:$A6_BB/pub/f0.bin $d timeout=30"
	dns_asked || { kill -CONT "$pid"; why "rmmod: no lookup in progress: '$(row_of "$d")'"; return; }
	t0=$(cut -d. -f1 /proc/uptime)
	rmmod kftp
	t1=$(cut -d. -f1 /proc/uptime)
	kill -CONT "$pid"
	insmod "$KO" || why "insmod after rmmod failed" || return
	[ $((t1 - t0)) -le 5 ] || why "rmmod took $((t1 - t0)) s"
}

# ---- host names in a network namespace of its own (issue 20) ----
#
# $A6_NS as `ip netns add` makes it, a namespace held by a file in
# /var/run/netns (busybox has no `ip netns`); a6_ns runs a command in it
# and, in a mount namespace of its own, with /etc/netns/$A6_NS/resolv.conf
# bind-mounted over /etc/resolv.conf, as `ip netns exec` does.  Inside: lo
# only, a dnsmasq on 127.0.0.1:53 that knows ns.kftp.test and nothing else
# of kftp.test, and busybox ftpd on port 21.  The host's dnsmasq knows
# v4.kftp.test as 127.0.0.1: an address that reaches that ftpd as well, so
# a name the host's resolver answered would work there.

A6_NS=kftpns
A6_NS_DNS_LOG=/var/log/dnsmasq-ns.log

a6_ns() {
	nsenter -n/var/run/netns/$A6_NS unshare -m sh -c \
		"mount --bind /etc/netns/$A6_NS/resolv.conf /etc/resolv.conf && exec \"\$@\"" sh "$@"
}

a6_ns_up() {
	local i=0
	[ -n "$A6_NS_UP" ] && return 0
	a6_dns_up || return
	mkdir -p /var/run/netns /etc/netns/$A6_NS
	: >/var/run/netns/$A6_NS
	unshare --net=/var/run/netns/$A6_NS true || why "cannot make the network namespace" || return
	printf 'nameserver 127.0.0.1\noptions timeout:3 attempts:1\n' >/etc/netns/$A6_NS/resolv.conf
	a6_ns ip link set lo up || why "no lo in the namespace" || return
	sed -e "s|^pid-file=.*|pid-file=/var/run/dnsmasq-ns.pid|" \
		-e "s|^log-facility=.*|log-facility=$A6_NS_DNS_LOG|" -e '/^host-record=/d' \
		/etc/dnsmasq.conf >/etc/netns/$A6_NS/dnsmasq.conf
	echo 'host-record=ns.kftp.test,127.0.0.1' >>/etc/netns/$A6_NS/dnsmasq.conf
	a6_ns dnsmasq -C /etc/netns/$A6_NS/dnsmasq.conf 2>>$A6_NS_DNS_LOG ||
		why "dnsmasq in the namespace did not start: $(tail -n 3 $A6_NS_DNS_LOG | tr '\n' '|')" || return
	a6_ns busybox-ftpd tcpsvd -vE 0.0.0.0 21 \
		busybox-ftpd ftpd -vw -a ftp -t 120 /srv 2>>/var/log/ftpd-ns.log &
	until a6_ns netstat -ltn | grep -q ':21 '; do
		[ $i -lt 50 ] || why "ftpd in the namespace did not start" || return
		sleep 0.2
		i=$((i + 1))
	done
	mkfile /srv/pub/a6-ns.bin 33333
	A6_NS_UP=1
}

# a6_ns_field NAME PATH: field NAME of PATH's row, as the namespace sees it
a6_ns_field() {
	local s=$STATUS v
	a6_ns cat "$s" >/tmp/ns-status
	STATUS=/tmp/ns-status
	v=$(field "$1" "$2")
	STATUS=$s
	echo "$v"
}

# a6_ns_dns_asked LOG NAME: how many times LOG's dnsmasq was asked for NAME
a6_ns_dns_asked() {
	grep -c "query\[A*\] $2 from" "$1"
}

# a host name written to /proc from inside the namespace: EINVAL with a
# reason that says to pass an address, and no resolver asked
t_a6_ns_raw_name() {
	local d=$DST/a6-nsraw.bin h0 n0
	a6_ns_up || return
	h0=$(a6_ns_dns_asked $A6_DNS_LOG ns.kftp.test)
	n0=$(a6_ns_dns_asked $A6_NS_DNS_LOG ns.kftp.test)
	REQ_OUT=$(a6_ns timeout "$WAIT_MAX" kftpreq "get ftp://$FTP_USER:$FTP_PASS@ns.kftp.test/pub/a6-ns.bin $d wait" 2>&1)
	[ "$REQ_OUT" = EINVAL ] || why "expected EINVAL, got '$REQ_OUT'" || return
	dmesg | grep -q 'kftp: request line 1 rejected: .*pass the server.s address' ||
		why "no reason in dmesg: '$(dmesg | grep 'kftp: ' | tail -n 1)'" || return
	[ "$(a6_ns_dns_asked $A6_DNS_LOG ns.kftp.test)" = "$h0" ] &&
		[ "$(a6_ns_dns_asked $A6_NS_DNS_LOG ns.kftp.test)" = "$n0" ] ||
		why "a resolver was asked for ns.kftp.test" || return
	[ ! -e "$d" ] || why "$d was created"
}

# the kftp command in the namespace resolves the name there, through the
# namespace's resolv.conf, and the status shows the name it was given
t_a6_ns_tool() {
	local d=$DST/a6-nstool.bin n0
	a6_ns_up || return
	rm -f "$d"
	n0=$(a6_ns_dns_asked $A6_NS_DNS_LOG ns.kftp.test)
	TOOL_ERR=$(a6_ns timeout "$WAIT_MAX" kftp get "ftp://$FTP_USER:$FTP_PASS@ns.kftp.test/pub/a6-ns.bin" "$d" 2>&1)
	TOOL_RC=$?
	tool_rc 0 || return
	[ "$(sha "$d")" = "$(sha /srv/pub/a6-ns.bin)" ] || why "$d differs" || return
	[ "$(a6_ns_dns_asked $A6_NS_DNS_LOG ns.kftp.test)" -gt "$n0" ] ||
		why "the namespace's dnsmasq was not asked for ns.kftp.test" || return
	[ "$(a6_ns_field URL "$d")" = "ftp://$FTP_USER:***@ns.kftp.test/pub/a6-ns.bin" ] ||
		why "status URL '$(a6_ns_field URL "$d")'" || return
	[ "$(a6_ns_field ADDR "$d")" = 127.0.0.1 ] || why "ADDR '$(a6_ns_field ADDR "$d")'"
}

# a name only the host's DNS knows never resolves in the namespace: not
# written raw (the host's resolver would answer), nor by the kftp command
t_a6_ns_host_only() {
	local d=$DST/a6-nshost.bin h0
	a6_ns_up || return
	rm -f "$d"
	h0=$(a6_ns_dns_asked $A6_DNS_LOG v4.kftp.test)
	REQ_OUT=$(a6_ns timeout "$WAIT_MAX" kftpreq "get ftp://$FTP_USER:$FTP_PASS@v4.kftp.test/pub/a6-ns.bin $d wait" 2>&1)
	[ "$REQ_OUT" = EINVAL ] || why "raw: expected EINVAL, got '$REQ_OUT'" || return
	TOOL_ERR=$(a6_ns timeout "$WAIT_MAX" kftp get "ftp://$FTP_USER:$FTP_PASS@v4.kftp.test/pub/a6-ns.bin" "$d" 2>&1)
	TOOL_RC=$?
	tool_rc 7 || return
	echo "$TOOL_ERR" | grep -q 'v4.kftp.test: .*resolve' || why "kftp said '$TOOL_ERR'" || return
	[ "$(a6_ns_dns_asked $A6_DNS_LOG v4.kftp.test)" = "$h0" ] ||
		why "the host's dnsmasq was asked for v4.kftp.test" || return
	[ ! -e "$d" ] || why "$d was created"
}
