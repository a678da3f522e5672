# shellcheck shell=dash
# SPDX-License-Identifier: GPL-2.0
# Guest infrastructure check without the module: ftpd logins (good password,
# bad password, anonymous), stallftpd and kftpreq.  busybox sh.

st_ok=0
st_bad=0
st() {	# name, then the command that must succeed
	local name=$1
	shift
	if "$@"; then
		say "PASS $name"
		st_ok=$((st_ok + 1))
	else
		say "FAIL $name"
		st_bad=$((st_bad + 1))
	fi
}

st_login_good() {
	ftpget -u "$FTP_USER" -p "$FTP_PASS" 127.0.0.1 /tmp/a.bin pub/a.bin &&
		[ "$(sha /tmp/a.bin)" = "$(sha /srv/pub/a.bin)" ]
}

st_login_bad() {
	local out
	out=$(ftpget -u "$FTP_USER" -p wrong 127.0.0.1 /tmp/b.bin pub/a.bin 2>&1)
	say "  bad login: $out"
	! [ -s /tmp/b.bin ] && echo "$out" | grep -q 530
}

st_anonymous() {
	ftpget -u anonymous -p kftp@ 127.0.0.1 /tmp/c.bin pub/a.bin &&
		[ "$(sha /tmp/c.bin)" = "$(sha /srv/pub/a.bin)" ]
}

st_src_logged() {
	grep -q -- '-127\.0\.0\.1:' /var/log/ftpd.log
}

st_stallftpd() {
	local pid n
	stallftpd 2100 4096 2 2>/dev/null &
	pid=$!
	wait_port 2100 || return 1
	timeout 3 ftpget -P 2100 127.0.0.1 /tmp/s.bin big.bin
	n=$(wc -c </tmp/s.bin)
	kill "$pid"
	[ "$n" -eq 4096 ]
}

st_kftpreq() {
	[ "$(kftpreq -f /proc/kftp/request x)" = ENOENT ] &&
		[ "$(kftpreq -d -f /dev/null x)" = ok ] &&
		[ "$(kftpreq -f /dev/full x)" = ENOSPC ]
}

main() {
	head -c 1024 /dev/urandom >/srv/pub/a.bin
	chmod 0644 /srv/pub/a.bin
	st login_good st_login_good
	st login_bad st_login_bad
	st anonymous st_anonymous
	st tcpsvd_logs_peer st_src_logged
	st stallftpd st_stallftpd
	st kftpreq st_kftpreq
	say "ftpd log:"
	while read -r l; do say "  $l"; done </var/log/ftpd.log
	say "$st_ok passed, $st_bad failed"
	[ "$st_bad" -eq 0 ]
}
