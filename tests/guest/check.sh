# shellcheck shell=dash
# SPDX-License-Identifier: GPL-2.0
# End-to-end tests of kftp.ko, run in the guest by init (busybox sh).
# One function per test: t_NAME returns 0 on success, or calls
# `why "reason"` (which returns 1) and returns that.  Every test checks
# its own result; vmtests=a,b on the kernel command line runs a subset.

REQ=/proc/kftp/request
STATUS=/proc/kftp/status
KO=/kftp/kftp.ko
AUTH=$FTP_USER:$FTP_PASS@127.0.0.1
DST=/tmp/dst
# kftpreq with `wait` must not hang the whole run if the module does
WAIT_MAX=180

why() {
	WHY="$*"
	return 1
}

# kftpreq with a time bound; sets REQ_OUT (ok / errno name) and REQ_RC
req() {
	REQ_OUT=$(timeout "$WAIT_MAX" kftpreq "$@" 2>&1)
	REQ_RC=$?
}

# expect: req must print $1 (ok or an errno name)
req_expect() {
	local want=$1
	shift
	req "$@"
	[ "$REQ_OUT" = "$want" ] || why "expected $want, got '$REQ_OUT' (rc $REQ_RC)"
}

# The status table (kftp(5)): columns are found by their header names, so
# one layout change fails t_load once instead of every test. URL, PATH and
# REPLY escape blanks, quotes, backslashes and control characters as \ooo:
# UNESC decodes them, and rows are matched by the decoded PATH.
STATUS_HEADER='ID VERB STATE BYTES TOTAL RATE ERRNO CONN ADDR TRY URL PATH REPLY STARTED ENDED UID'
UNESC='function unesc(s,  r, i, o) {
	r = ""
	while ((i = index(s, "\\")) > 0) {
		o = substr(s, i + 1, 3)
		r = r substr(s, 1, i - 1) sprintf("%c", substr(o, 1, 1) * 64 + substr(o, 2, 1) * 8 + substr(o, 3, 1))
		s = substr(s, i + 4)
	}
	return r s
}'
rows() {
	tail -n +2 "$STATUS" | grep -c .
}
max_id() {
	tail -n +2 "$STATUS" | awk 'BEGIN { m = 0 } $1 + 0 > m { m = $1 + 0 } END { print m }'
}
col() {	# header NAME -> column number
	head -n 1 "$STATUS" | awk -v n="$1" '{ for (i = 1; i <= NF; i++) if ($i == n) print i }'
}
row_of() {	# the newest row of a PATH
	tail -n +2 "$STATUS" | P=$1 awk -v c="$(col PATH)" "$UNESC"'
		unesc($c) == ENVIRON["P"]' | tail -n 1
}
field() {	# field NAME of the row of PATH, decoded
	row_of "$2" | awk -v c="$(col "$1")" "$UNESC"'{ print unesc($c) }'
}
reply_of() {	# REPLY, decoded
	field REPLY "$1"
}

# one poll per 0.2 s, bounded; 0 once the row of PATH is in state $2
wait_state() {
	local path=$1 want=$2 n=${3:-300} i=0
	while [ $i -lt "$n" ]; do
		[ "$(field STATE "$path")" = "$want" ] && return 0
		sleep 0.2
		i=$((i + 1))
	done
	return 1
}

# moving PATH [POLLS]: 0 once the transfer of PATH is transferring with
# BYTES > 0, polled each 0.2 s, at most POLLS times (default 150)
moving() {
	local n=${2:-150} i=0
	while [ $i -lt "$n" ]; do
		[ "$(field STATE "$1")" = transferring ] && [ "$(field BYTES "$1")" -gt 0 ] 2>/dev/null &&
			return 0
		sleep 0.2
		i=$((i + 1))
	done
	return 1
}

no_temp_left() {	# DIR: kftp's temp files are .kftp-*
	local t
	t=$(ls -a "$1" | grep '^\.kftp-')
	[ -z "$t" ] || why "temp file left in $1: $t"
}

kftp_loaded() {
	lsmod | grep -q '^kftp '
}

ensure_loaded() {
	kftp_loaded && return 0
	insmod "$KO" || return 1
	[ -e "$REQ" ]
}

mkfile() {	# PATH BYTES: random content, readable by the ftp users
	head -c "$2" /dev/urandom >"$1"
	chmod 0644 "$1"
}

# a completed transfer: reply ok, same bytes, status done with BYTES
check_done() {	# SRC DST
	local s=$1 d=$2 size
	[ "$REQ_OUT" = ok ] || why "kftpreq: '$REQ_OUT' (rc $REQ_RC) $(reply_of "$d")" || return
	[ -f "$d" ] || why "$d missing" || return
	[ "$(sha "$d")" = "$(sha "$s")" ] || why "sha256 of $d differs from $s" || return
	size=$(wc -c <"$s")
	[ "$(field STATE "$d")" = 'done' ] || why "status: '$(row_of "$d")'" || return
	[ "$(field BYTES "$d")" = "$size" ] || why "status BYTES $(field BYTES "$d") != $size" || return
	[ "$(field ERRNO "$d")" = - ] || why "status ERRNO of a done transfer: $(field ERRNO "$d")" || return
	no_temp_left "$(dirname "$d")"
}

get_test() {	# NAME-BYTES MODE
	local src=/srv/pub/$1.bin d=$DST/$1-$2.bin opt=
	[ -f "$src" ] || mkfile "$src" "$(echo "$1" | sed 's/^f//')"
	[ "$2" = active ] && opt=mode=active
	rm -f "$d"
	req "get ftp://$AUTH/pub/$1.bin $d $opt wait"
	check_done "$src" "$d"
}

t_load() {
	insmod "$KO" || why "insmod failed" || return
	[ -e "$REQ" ] && [ -e "$STATUS" ] || why "/proc/kftp entries missing" || return
	# read: the writer's answers (kftp(5))
	[ "$(stat -c %a "$REQ")" = 600 ] || why "request mode $(stat -c %a "$REQ"), not 600" || return
	[ "$(stat -c %a "$STATUS")" = 400 ] || why "status mode $(stat -c %a "$STATUS"), not 400" || return
	[ "$(head -n 1 "$STATUS")" = "$STATUS_HEADER" ] ||
		why "status header: '$(head -n 1 "$STATUS")'"
}

t_get_0_passive() { get_test f0 passive; }
t_get_0_active() { get_test f0 active; }
t_get_1k_passive() { get_test f1024 passive; }
t_get_1k_active() { get_test f1024 active; }
# the big ones are deleted afterwards: the guest's rootfs is RAM
t_get_64m_passive() {
	get_test f67108864 passive
	set -- $?
	rm -f $DST/f67108864-passive.bin
	return "$1"
}
t_get_64m_active() {
	get_test f67108864 active
	set -- $?
	rm -f $DST/f67108864-active.bin
	return "$1"
}

# no USER: anonymous (busybox ftpd answers USER anonymous with 230 at once)
t_get_anonymous() {
	local d=$DST/anon.bin
	mkfile /srv/pub/anon.bin 4096
	req "get ftp://127.0.0.1/pub/anon.bin $d wait"
	check_done /srv/pub/anon.bin "$d"
}

# percent-decoded USER and PASSWORD; a blank in PATH needs double quotes
# in the request, and is \040 in the status table
t_get_percent_quoted() {
	local d="$DST/with blank.bin"
	mkfile /srv/pub/pct.bin 2048
	req "get ftp://$FTP_USER:$(echo "$FTP_PASS" | sed 's/-/%2d/g')@127.0.0.1:21/pub/pct.bin \"$d\" wait"
	[ "$REQ_OUT" = ok ] || why "kftpreq: '$REQ_OUT'" || return
	[ "$(sha "$d")" = "$(sha /srv/pub/pct.bin)" ] || why "content differs" || return
	tail -n +2 "$STATUS" | grep -qF " $DST/with\\040blank.bin " ||
		why "status does not show the escaped PATH: '$(tail -n 1 "$STATUS")'" || return
	[ "$(field STATE "$d")" = done ] || why "no row of '$d' in the status"
}

# src=127.0.0.2: the server (tcpsvd -v) must see the control connection
# coming from 127.0.0.2
t_src_bind() {
	local d=$DST/src.bin before
	mkfile /srv/pub/src.bin 1024
	before=$(grep -c -- '-127\.0\.0\.2:' /var/log/ftpd.log)
	req "get ftp://$AUTH/pub/src.bin $d src=127.0.0.2 wait"
	check_done /srv/pub/src.bin "$d" || return
	[ "$(grep -c -- '-127\.0\.0\.2:' /var/log/ftpd.log)" -gt "$before" ] ||
		why "ftpd saw no peer 127.0.0.2: $(grep start /var/log/ftpd.log | tail -n 1)"
}

# Two transfers in a row to one account share one control connection: the
# same CONN in status, and tcpsvd forks a single session for both. Its own
# src= keeps connections parked by earlier tests out of it.
t_conn_reuse() {
	local a=$DST/reuse-a.bin b=$DST/reuse-b.bin before
	before=$(grep -c ' start ' /var/log/ftpd.log)
	req "get ftp://$AUTH/pub/f1024.bin $a src=127.0.0.3 wait"
	check_done /srv/pub/f1024.bin "$a" || return
	req "get ftp://$AUTH/pub/f0.bin $b src=127.0.0.3 wait"
	check_done /srv/pub/f0.bin "$b" || return
	[ "$(field CONN "$a")" != - ] || why "no CONN for $a: '$(row_of "$a")'" || return
	[ "$(field CONN "$a")" = "$(field CONN "$b")" ] ||
		why "CONN $(field CONN "$a") then $(field CONN "$b"): not reused" || return
	[ "$(grep -c ' start ' /var/log/ftpd.log)" -eq $((before + 1)) ] ||
		why "ftpd sessions: $before before, $(grep -c ' start ' /var/log/ftpd.log) after"
}

t_bad_password() {
	local d=$DST/badpw.bin
	req_expect EACCES "get ftp://$FTP_USER:Xyzzy-wrong@127.0.0.1/pub/f1024.bin $d wait" || return
	[ "$REQ_RC" -eq 13 ] || why "exit status $REQ_RC, not 13" || return
	[ "$(field STATE "$d")" = failed ] || why "status: '$(row_of "$d")'" || return
	[ "$(field ERRNO "$d")" = EACCES ] || why "status ERRNO $(field ERRNO "$d")" || return
	reply_of "$d" | grep -q '^530 ' || why "status REPLY '$(reply_of "$d")', not the 530" || return
	[ ! -e "$d" ] || why "$d was created" || return
	no_temp_left $DST
}

t_missing_remote() {
	local d=$DST/keep.bin before
	mkfile "$d" 3000
	before=$(sha "$d")
	req_expect ENOENT "get ftp://$AUTH/pub/no-such-file.bin $d wait" || return
	[ "$(sha "$d")" = "$before" ] || why "existing $d was changed" || return
	[ "$(field STATE "$d")" = failed ] && [ "$(field ERRNO "$d")" = ENOENT ] ||
		why "status: '$(row_of "$d")'" || return
	reply_of "$d" | grep -q '^550' || why "status REPLY '$(reply_of "$d")'" || return
	no_temp_left $DST
}

t_refused() {
	local d=$DST/refused.bin
	netstat -ltn | grep -q ':2129 ' && { why "something listens on 2129"; return; }
	req_expect ECONNREFUSED "get ftp://$AUTH:2129/pub/f1024.bin $d wait" || return
	[ "$(field ERRNO "$d")" = ECONNREFUSED ] || why "status: '$(row_of "$d")'" || return
	[ ! -e "$d" ] || why "$d was created"
}

# A line that must be rejected: EINVAL, nothing queued, a "kftp: " reason in
# dmesg.  Appends to BAD on failure.
reject() {	# DESCRIPTION, then kftpreq arguments
	local what=$1 r0 m0 k0 k1
	shift
	r0=$(rows)
	m0=$(max_id)
	k0=$(dmesg | grep -c 'kftp: ')
	req "$@"
	k1=$(dmesg | grep -c 'kftp: ')
	if [ "$REQ_OUT" != EINVAL ]; then
		BAD="$BAD; $what: $REQ_OUT"
	elif [ "$(rows)" != "$r0" ] || [ "$(max_id)" != "$m0" ]; then
		BAD="$BAD; $what: queued something"
	elif [ "$k1" -le "$k0" ]; then
		BAD="$BAD; $what: no 'kftp: ' reason in dmesg"
	fi
}

t_malformed() {
	local ok="ftp://127.0.0.1/pub/f1024.bin" d=$DST/bad.bin long
	BAD=
	reject "unknown verb" "send $ok $d"
	reject "missing PATH" "get $ok"
	reject "missing URL" "get"
	reject "relative PATH" "get $ok tmp/dst/bad.bin"
	reject "no ftp:// scheme" "get 127.0.0.1/pub/f1024.bin $d"
	reject "http:// scheme" "get http://127.0.0.1/pub/f1024.bin $d"
	reject "bad host name" "get ftp://local..host/pub/f1024.bin $d"
	reject "bad IPv6 literal" "get ftp://[::1::]/pub/f1024.bin $d"
	reject "bad IPv4" "get ftp://127.0.0.256/pub/f1024.bin $d"
	reject "port 0" "get ftp://127.0.0.1:0/pub/f1024.bin $d"
	reject "port 65536" "get ftp://127.0.0.1:65536/pub/f1024.bin $d"
	reject "port letters" "get ftp://127.0.0.1:ftp/pub/f1024.bin $d"
	reject "unknown option" "get $ok $d colour=blue"
	reject "timeout=0" "get $ok $d timeout=0"
	reject "timeout=3601" "get $ok $d timeout=3601"
	reject "mode=foo" "get $ok $d mode=foo"
	reject "src= not an address" "get $ok $d src=localhost"
	reject "CRLF in path" "get ftp://127.0.0.1/pub/f1024.bin%0d%0aDELE%20f1024.bin $d"
	reject "LF in path" "get ftp://127.0.0.1/pub/x%0aDELE%20f1024.bin $d"
	reject "CRLF in user" "get ftp://u%0d%0aSITE%20x:pw@127.0.0.1/pub/f1024.bin $d"
	reject "CRLF in password" "get ftp://u:pw%0d%0aDELE%20x@127.0.0.1/pub/f1024.bin $d"
	long=$(head -c 4200 /dev/zero | tr '\0' a)
	reject "overlong line" "get ftp://127.0.0.1/pub/$long $d"
	# second line bad: the good first line must not be queued either
	reject "multi-line, second bad" "get $ok $DST/ml1.bin
get $ok tmp/relative"
	sleep 1
	[ ! -e $DST/ml1.bin ] || BAD="$BAD; multi-line: first line was fetched"
	[ ! -e "$d" ] || BAD="$BAD; $d was created"
	[ -z "$BAD" ] || why "${BAD#; }"
}

t_no_cap_net_admin() {
	local d=$DST/nocap.bin m0
	m0=$(max_id)
	req_expect EPERM -d "get ftp://127.0.0.1/pub/f1024.bin $d wait" || return
	[ "$(max_id)" = "$m0" ] || why "something was queued" || return
	[ ! -e "$d" ] || why "$d was created"
}

# where a password could leak: the status table, every other readable
# file of kftp's in /proc and /sys, and the kernel log
leak_of() {	# WORD: print the first line that has it
	local f
	for f in /proc/kftp/* /sys/module/kftp/parameters/*; do
		[ "$f" = "$REQ" ] && continue
		grep -s -- "$1" "$f" | sed "s|^|$f: |"
	done | head -n 1
	dmesg | grep -- "$1" | sed 's/^/dmesg: /' | head -n 1
}

# The password must not leak where a real server saw it: a wrong one
# refused at login (530) on both servers, the right one on a transfer that
# fails after login (550), each with its error path and its reason in
# dmesg and the status table.
t_password_hidden() {
	local srv port d bad=Xyzzy-leak-7c2e u leak
	for srv in bb vs; do
		port=21
		[ $srv = vs ] && port=$VS_PORT
		d=$DST/leak-$srv.bin
		req "get ftp://$FTP_USER:$bad@127.0.0.1:$port/pub/f1024.bin $d wait"
		[ "$REQ_OUT" = EACCES ] && reply_of "$d" | grep -q '^530 ' ||
			why "$srv: wrong password: '$REQ_OUT', '$(row_of "$d")'" || return
		u=$(field URL "$d")
		[ "$u" = "ftp://$FTP_USER:***@127.0.0.1:$port/pub/f1024.bin" ] ||
			why "$srv: URL '$u'" || return
		d=$DST/leak-$srv-missing.bin
		req "get ftp://$AUTH:$port/pub/no-such-file.bin $d wait"
		[ "$REQ_OUT" = ENOENT ] && reply_of "$d" | grep -q '^550 ' ||
			why "$srv: missing file: '$REQ_OUT', '$(row_of "$d")'" || return
	done
	for u in "$bad" "$FTP_PASS" Xyzzy; do
		leak=$(leak_of "$u")
		[ -z "$leak" ] || why "password: $leak" || return
	done
}

# dynamic debug's protocol trace: every command and reply with the
# transfer's ID, and never the password, not even one the server echoes
# (stallftpd -s pass_echo, from hostile.sh)
t_trace() {
	local d=$DST/trace.bin ctl=/sys/kernel/debug/dynamic_debug/control id
	grep -q ' /sys/kernel/debug ' /proc/mounts || mount -t debugfs none /sys/kernel/debug
	[ -w $ctl ] || { why "no dynamic debug control"; return; }
	echo 'module kftp +p' >$ctl
	# a source address of its own: a new connection, which logs in
	req "get ftp://$AUTH/pub/f1024.bin $d src=127.0.0.5 wait"
	hsetup 2231
	hserve pass_echo || { echo 'module kftp -p' >$ctl; return 1; }
	req "get $HURL/h.bin $HD timeout=5 wait"
	hstop
	echo 'module kftp -p' >$ctl
	id=$(field ID "$d")
	dmesg | grep -q "kftp: $id > PASS \*\*\*\$" || { why "no masked PASS of $id"; return; }
	dmesg | grep -q "kftp: $id > RETR pub/f1024.bin\$" || { why "no RETR of $id"; return; }
	dmesg | grep -q "kftp: $id < 226" || { why "no 226 of $id"; return; }
	id=$(field ID "$HD")
	dmesg | grep -q "kftp: $id < 530 .*\*\*\*" || { why "no masked 530 of $id"; return; }
	for p in "$FTP_PASS" "$HX_PASS"; do
		dmesg | grep -q -- "$p" || continue
		why "password in the trace: $(dmesg | grep -- "$p" | head -n 1)"
		return
	done
}

# Slab in kB with the page, dentry and inode caches dropped; with an
# argument, only the caches whose names start with it
slab_kb() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	if [ -z "${1:-}" ]; then
		awk '/^Slab:/ { print $2 }' /proc/meminfo
		return
	fi
	tail -n +3 /proc/slabinfo |
		awk -v p="$1" 'index($1, p) == 1 { b += $2 * $4 } END { print int(b / 1024) }'
}

# soak: 1,000 transfers one after another, then 64 in one write, every
# file right, and what kftp allocates (kmalloc caches) back where it was
# once the module is unloaded. The Slab total is only reported: the FTP
# server's processes and TIME_WAIT sockets make it move by megabytes.
t_soak() {
	local i=1 s0 s1 k0 k1 lines='' src=/srv/pub/soak.bin n
	mkfile $src 4096
	rm -rf $DST/soak
	mkdir -p $DST/soak
	rmmod kftp || why "rmmod before the soak failed" || return
	s0=$(slab_kb)
	k0=$(slab_kb kmalloc-)
	insmod $KO || why "insmod failed" || return
	while [ $i -le 1000 ]; do
		req "get ftp://$AUTH/pub/soak.bin $DST/soak/q$i.bin wait"
		[ "$REQ_OUT" = ok ] || why "transfer $i of 1000: $REQ_OUT" || return
		i=$((i + 1))
	done
	i=1
	while [ $i -le 64 ]; do
		lines="${lines}get ftp://$AUTH/pub/soak.bin $DST/soak/p$i.bin wait
"
		i=$((i + 1))
	done
	req -n "$lines"
	[ "$REQ_OUT" = ok ] || why "64 at once: $REQ_OUT" || return
	n=$(sha256sum $DST/soak/*.bin | grep -c "^$(sha $src) ")
	[ "$n" -eq 1064 ] || why "$((1064 - n)) of 1064 files differ" || return
	no_temp_left $DST/soak || return
	rm -rf $DST/soak
	rmmod kftp || why "rmmod after the soak failed" || return
	s1=$(slab_kb)
	k1=$(slab_kb kmalloc-)
	say "soak: Slab $s0 -> $s1 kB, kmalloc caches $k0 -> $k1 kB (before insmod, after 1064 transfers and rmmod)"
	# a struct kftp_transfer (512 B) leaked per transfer would be 532 kB
	[ $((k1 - k0)) -le 384 ] || why "kmalloc caches grew by $((k1 - k0)) kB"
}

# "pN:STATE" of the newest row of each of $DST/p1.bin..p8.bin, one read
# of the status table
parallel_states() {
	awk -v s="$(col STATE)" -v p="$(col PATH)" -v d=$DST '
		NR > 1 { st[$p] = $s }
		END {
			for (i = 1; i <= 8; i++) {
				f = d "/p" i ".bin"
				print "p" i ":" (f in st ? st[f] : "none")
			}
		}' "$STATUS"
}

# 8 transfers in one write, no wait: all must complete and match.  The
# eight are polled together, at most 120 s in all, and a failed or
# cancelled one is final: on a kernel where every transfer fails this
# test ends in seconds instead of 8 x 120 s (past the boot's timeout)
t_parallel_one_write() {
	local i lines='' bad='' end
	for i in 1 2 3 4 5 6 7 8; do
		rm -f $DST/p$i.bin
		lines="${lines}get ftp://$AUTH/pub/p$i.bin $DST/p$i.bin
"
	done
	req -n "$lines"
	[ "$REQ_OUT" = ok ] || why "kftpreq: $REQ_OUT" || return
	end=$(($(cut -d. -f1 /proc/uptime) + 120))
	while parallel_states | grep -Evq ':(done|failed|cancelled)$' &&
	      [ "$(cut -d. -f1 /proc/uptime)" -lt $end ]; do
		sleep 0.2
	done
	bad=$(parallel_states | grep -v ':done$' | tr '\n' ' ' | sed 's/ $//')
	[ -z "$bad" ] || why "not done: $bad" || return
	for i in 1 2 3 4 5 6 7 8; do
		[ "$(sha $DST/p$i.bin)" = "$(sha /srv/pub/p$i.bin)" ] || bad="$bad p$i"
	done
	[ -z "$bad" ] || why "sha256 differs:$bad" || return
	no_temp_left $DST
}

# 8 concurrent writers, each with wait
t_parallel_writers() {
	local i bad='' pids=''
	for i in 1 2 3 4 5 6 7 8; do
		rm -f $DST/w$i.bin /tmp/w$i.out
		timeout "$WAIT_MAX" kftpreq "get ftp://$AUTH/pub/p$i.bin $DST/w$i.bin wait" \
			>/tmp/w$i.out 2>&1 &
		pids="$pids $!"
	done
	# only these: a bare `wait` would also wait for the ftpd
	for i in $pids; do
		wait "$i"
	done
	for i in 1 2 3 4 5 6 7 8; do
		[ "$(cat /tmp/w$i.out)" = ok ] || bad="$bad w$i:$(cat /tmp/w$i.out)"
		[ "$(sha $DST/w$i.bin)" = "$(sha /srv/pub/p$i.bin)" ] || bad="$bad w$i:sha"
	done
	[ -z "$bad" ] || why "$bad"
}

# a stalled server: timeout=2 must give ETIMEDOUT, no file, no temp file
t_timeout() {
	local d=/tmp/tmo/big.bin pid t0 t1
	mkdir -p /tmp/tmo
	stallftpd 2101 65536 4 2>/dev/null &
	pid=$!
	wait_port 2101 || { kill $pid; why "stallftpd did not start"; return; }
	t0=$(cut -d. -f1 /proc/uptime)
	req "get ftp://127.0.0.1:2101/big.bin $d timeout=2 wait"
	t1=$(cut -d. -f1 /proc/uptime)
	kill $pid
	[ "$REQ_OUT" = ETIMEDOUT ] || why "expected ETIMEDOUT, got $REQ_OUT after $((t1 - t0))s" || return
	[ $((t1 - t0)) -le 30 ] || why "took $((t1 - t0))s for timeout=2" || return
	[ "$(field ERRNO "$d")" = ETIMEDOUT ] || why "status: '$(row_of "$d")'" || return
	[ ! -e "$d" ] || why "$d was created" || return
	no_temp_left /tmp/tmo
}

# a signal to a writer blocked in "wait" ends the write and cancels the
# transfer: status cancelled/ECANCELED, no file, no temp file
t_signal_cancel() {
	local d=/tmp/sig/big.bin pid wpid
	mkdir -p /tmp/sig
	stallftpd 2102 1048576 4 2>/dev/null &
	pid=$!
	wait_port 2102 || { kill $pid; why "stallftpd did not start"; return; }
	kftpreq "get ftp://127.0.0.1:2102/big.bin $d timeout=600 wait" >/tmp/sig.out 2>&1 &
	wpid=$!
	# a signal before the first byte would test another path
	if ! moving "$d"; then
		kill -KILL $wpid
		kill $pid
		why "never transferring with BYTES > 0: '$(row_of "$d")'"
		return
	fi
	kill -TERM $wpid
	exits_within 10 $wpid
	kill $pid
	! kill -0 $wpid 2>/dev/null || { kill -KILL $wpid; why "writer still blocked 10 s after SIGTERM"; return; }
	wait_state "$d" cancelled 50 || why "status: '$(row_of "$d")'" || return
	[ "$(field ERRNO "$d")" = ECANCELED ] || why "status ERRNO $(field ERRNO "$d")" || return
	[ ! -e "$d" ] || why "$d was created" || return
	no_temp_left /tmp/sig
}

# exits_within SECS PID: did PID end within SECS (polled each 0.1 s)?
exits_within() {
	local n=$(($1 * 10)) i=0
	while [ $i -lt $n ] && kill -0 "$2" 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
	! kill -0 "$2" 2>/dev/null
}

# bounded SECS CMD...: did CMD end within SECS? A task blocked in the
# kernel ignores timeout's signal, so CMD runs in the background and is
# left behind if it does not end (its caller thaws what blocked it).
bounded() {
	local secs=$1
	shift
	"$@" >/dev/null 2>&1 &
	exits_within "$secs" $!
}

FRZ=/tmp/frz
# An ext4 (the ext2 that busybox makes, by the ext4 driver) on a loop
# device, at $FRZ: a filesystem fsfreeze can freeze, which tmpfs is not
frz_mount() {
	local m
	for m in $(cat /kftp/mods/order); do
		insmod "/kftp/mods/$m.ko" 2>/dev/null || grep -q "^$m " /proc/modules ||
			why "insmod $m.ko failed" || return
	done
	mkdir -p $FRZ /tmp/frzimg
	mount -t tmpfs -o size=40m tmpfs /tmp/frzimg || why "no tmpfs for the image" || return
	dd if=/dev/zero of=/tmp/frzimg/img bs=1M count=32 2>/dev/null &&
		FRZ_DEV=$(losetup -f) && losetup "$FRZ_DEV" /tmp/frzimg/img ||
		why "no loop device" || return
	mke2fs "$FRZ_DEV" >/dev/null 2>&1 || why "mke2fs failed" || return
	mount -t ext4 "$FRZ_DEV" $FRZ || why "cannot mount the ext4 image" || return
	chmod 0777 $FRZ
}

frz_umount() {
	fsfreeze --unfreeze $FRZ 2>/dev/null
	umount $FRZ
	[ -z "${FRZ_DEV:-}" ] || losetup -d "$FRZ_DEV"
	umount /tmp/frzimg
}

# A network namespace with a transfer of its own in the history goes away
# within 5 s: kftp's pernet exit (under kftp_lock) says so in the trace
frz_netns_exit() {
	local ctl=/sys/kernel/debug/dynamic_debug/control i=0 n0
	grep -q ' /sys/kernel/debug ' /proc/mounts || mount -t debugfs none /sys/kernel/debug
	[ -w $ctl ] || { why "no dynamic debug control"; return; }
	n0=$(dmesg | grep -c 'kftp: network namespace gone: 1 finished')
	echo 'module kftp +p' >$ctl
	# lo is down in the new namespace: the transfer fails at its connect
	unshare -n kftpreq "get ftp://127.0.0.1:2121/pub/f1024.bin $DST/ns.bin wait timeout=2" \
		>/dev/null 2>&1
	while [ $i -lt 25 ] &&
	      [ "$(dmesg | grep -c 'kftp: network namespace gone: 1 finished')" = "$n0" ]; do
		sleep 0.2
		i=$((i + 1))
	done
	echo 'module kftp -p' >$ctl
	[ $i -lt 25 ] || why "a namespace's exit still waits 5 s after its last process"
}

# A destination write blocked on storage (a frozen filesystem) blocks
# nothing else: cancel returns at once; the status table, a transfer into
# tmpfs, a signal to a "wait" writer and a network namespace's exit each
# finish within 5 s; after the thaw the transfer ends cancelled and leaves
# no file. rmmod is not among them: it waits for that write, which runs in
# kftp.ko's code (docs/design.md, Lock rules).
t_freeze_cancel() {
	local d=$FRZ/big.bin i=0 b0 b1 id wpid
	frz_mount || { frz_umount; return 1; }
	mkfile /srv/pub/frz.bin 8388608
	req "get ftp://$AUTH/pub/frz.bin $d rate=262144 timeout=120"
	[ "$REQ_OUT" = ok ] || { frz_umount; why "request: $REQ_OUT"; return; }
	moving "$d" || { frz_umount; why "never transferring with BYTES > 0: '$(row_of "$d")'"; return; }
	fsfreeze --freeze $FRZ || { frz_umount; why "fsfreeze --freeze failed"; return; }
	# frozen once BYTES stands still: the worker waits in a file write
	b0=$(field BYTES "$d")
	i=0
	while [ $i -lt 20 ]; do
		sleep 1
		b1=$(field BYTES "$d")
		[ "$b1" = "$b0" ] && break
		b0=$b1
		i=$((i + 1))
	done
	[ $i -lt 20 ] || { frz_umount; why "BYTES still moving 20 s after the freeze"; return; }
	id=$(field ID "$d")
	bounded 2 kftpreq "cancel $id" || { frz_umount; why "cancel took more than 2 s"; return; }
	bounded 5 cat $STATUS || { frz_umount; why "reading the status took more than 5 s"; return; }
	bounded 5 kftpreq "get ftp://$AUTH/pub/f1024.bin $DST/frz2.bin wait timeout=5" ||
		{ frz_umount; why "a transfer into tmpfs took more than 5 s"; return; }
	req "get ftp://$AUTH/pub/f1024.bin $DST/frz3.bin wait"
	check_done /srv/pub/f1024.bin $DST/frz3.bin || { frz_umount; return 1; }
	# a "wait" writer whose transfer cannot create its file yet
	kftpreq "get ftp://$AUTH/pub/f1024.bin $FRZ/w.bin wait" >/dev/null 2>&1 &
	wpid=$!
	sleep 1
	kill -INT $wpid
	exits_within 5 $wpid || { kill -KILL $wpid; frz_umount; why "a wait writer still blocked 5 s after SIGINT"; return; }
	frz_netns_exit || { frz_umount; return 1; }
	fsfreeze --unfreeze $FRZ || { frz_umount; why "fsfreeze --unfreeze failed"; return; }
	wait_state "$d" cancelled 50 || { frz_umount; why "after the thaw: '$(row_of "$d")'"; return; }
	wait_state $FRZ/w.bin cancelled 50 || { frz_umount; why "the wait writer's: '$(row_of $FRZ/w.bin)'"; return; }
	[ ! -e "$d" ] && [ ! -e $FRZ/w.bin ] || { frz_umount; why "a file was created"; return; }
	no_temp_left $FRZ || { frz_umount; return 1; }
	frz_umount || why "cannot unmount the ext4 image"
}

# rmmod while the server with PID stalls a transfer: rmmod must succeed
# within 5 s; the server is stopped either way
rmmod_stalled() {
	local pid=$1 t0 t1 rc
	t0=$(cut -d' ' -f1 /proc/uptime)
	timeout 20 rmmod kftp
	rc=$?
	t1=$(cut -d' ' -f1 /proc/uptime)
	kill $pid
	[ $rc -eq 0 ] || why "rmmod failed (rc $rc)" || return
	awk -v a="$t0" -v b="$t1" 'BEGIN { exit !(b - a <= 5) }' ||
		why "rmmod took $t0 -> $t1 s"
}

# rmmod with a transfer in flight must cancel it promptly and clean up
t_rmmod_inflight() {
	local d=/tmp/stall/big.bin pid
	mkdir -p /tmp/stall
	ensure_loaded || { why "kftp not loaded"; return; }
	stallftpd 2100 1048576 4 2>/dev/null &
	pid=$!
	wait_port 2100 || { kill $pid; why "stallftpd did not start"; return; }
	req "get ftp://127.0.0.1:2100/big.bin $d timeout=600"
	[ "$REQ_OUT" = ok ] || { kill $pid; why "request: $REQ_OUT"; return; }
	if ! moving "$d"; then
		kill $pid
		why "never transferring with BYTES > 0: '$(row_of "$d")'"
		return
	fi
	ls -a /tmp/stall | grep -q '^\.kftp-' || { kill $pid; why "no .kftp- temp file while transferring"; return; }
	rmmod_stalled $pid || return
	! kftp_loaded || why "kftp still in lsmod" || return
	[ ! -e /proc/kftp ] || why "/proc/kftp still there" || return
	[ ! -e "$d" ] || why "$d was created" || return
	no_temp_left /tmp/stall || return
	# later tests need the module again
	insmod "$KO" || why "insmod after rmmod failed"
}

# a clean unload and reload with nothing in flight
t_reload() {
	ensure_loaded || { why "not loaded"; return; }
	rmmod kftp || why "rmmod failed" || return
	insmod "$KO" || why "insmod failed" || return
	req "get ftp://$AUTH/pub/f1024.bin $DST/reload.bin wait"
	check_done /srv/pub/f1024.bin $DST/reload.bin
}

KERNEL_TROUBLE='WARNING|BUG|Oops|general protection|refcount_t|KASAN|list_del corruption|sleeping function called'

kernel_trouble() {
	dmesg | grep -E "$KERNEL_TROUBLE"
}

t_dmesg_clean() {
	local hits
	hits=$(kernel_trouble)
	[ -z "$hits" ] || why "$(echo "$hits" | head -n 3 | tr '\n' '|')"
}

# shellcheck source=tests/guest/hostile.sh
. /kftp/hostile.sh
# shellcheck source=tests/guest/tool.sh
. /kftp/tool.sh
# shellcheck source=tests/guest/put.sh
. /kftp/put.sh
# shellcheck source=tests/guest/addr.sh
. /kftp/addr.sh
# shellcheck source=tests/guest/getx.sh
. /kftp/getx.sh
# shellcheck source=tests/guest/perf.sh
. /kftp/perf.sh
# shellcheck source=tests/guest/ascii.sh
. /kftp/ascii.sh
# shellcheck source=tests/guest/sha.sh
. /kftp/sha.sh
# shellcheck source=tests/guest/knobs.sh
. /kftp/knobs.sh
# shellcheck source=tests/guest/tls.sh
. /kftp/tls.sh
# shellcheck source=tests/guest/iface.sh
. /kftp/iface.sh

CHECK_TESTS="load get_0_passive get_0_active get_1k_passive get_1k_active
get_64m_passive get_64m_active get_anonymous get_percent_quoted src_bind
conn_reuse bad_password missing_remote refused malformed no_cap_net_admin
password_hidden trace parallel_one_write parallel_writers timeout signal_cancel
freeze_cancel
rmmod_inflight
reload soak"
# Each suite declares its count by hand: a name lost from a list, or a
# list lost from ALL_TESTS, fails the full run instead of shrinking it.
# shellcheck disable=SC2034 # read through eval
CHECK_COUNT=26
SUITES="CHECK HOSTILE TOOL PUT ADDR GETX PERF ASCII SHA KNOB TLS IFACE"
ALL_TESTS="$CHECK_TESTS $HOSTILE_TESTS $TOOL_TESTS $PUT_TESTS $ADDR_TESTS $GETX_TESTS $PERF_TESTS $ASCII_TESTS $SHA_TESTS $KNOB_TESTS $TLS_TESTS $IFACE_TESTS dmesg_clean"

# inputs shared by several tests, so any subset can run
fixtures() {
	local i
	mkfile /srv/pub/f0.bin 0
	mkfile /srv/pub/f1024.bin 1024
	for i in 1 2 3 4 5 6 7 8; do
		mkfile /srv/pub/p$i.bin $((1048576 + i * 4099))
	done
}

# FAIL lines for the suites that ran fewer (or other) tests than they declare
check_counts() {	# RAN: the names that ran, blank separated
	local s list want have ran t
	for s in $SUITES; do
		eval "list=\$${s}_TESTS want=\${${s}_COUNT:-}"
		have=$(echo $list | wc -w)
		ran=0
		for t in $list; do
			case " $1 " in *" $t "*) ran=$((ran + 1)) ;; esac
		done
		[ "$have" = "$want" ] && [ "$ran" = "$want" ] && continue
		say "FAIL suite_$s: ran $ran of its $have listed tests, declares '$want'"
		nfail=$((nfail + 1))
	done
}

main() {
	local t sel npass=0 nfail=0 t0 k0 ran=
	sel=$(sed -n 's/.*vmtests=\([^ ]*\).*/\1/p' /proc/cmdline | tr , ' ')
	mkdir -p $DST
	fixtures
	echo 7 >/proc/sys/kernel/printk
	say "kernel $(uname -r)"
	# a name that is no test (a typo in KFTP_TESTS) fails, not skips
	for t in $sel; do
		case " $(echo $ALL_TESTS) " in *" $t "*) continue ;; esac
		say "FAIL $t: no such test"
		nfail=$((nfail + 1))
	done
	for t in $ALL_TESTS; do
		# a subset still loads the module first and checks dmesg last
		if [ -n "$sel" ] && [ "$t" != load ] && [ "$t" != dmesg_clean ] &&
		   ! echo " $sel " | grep -q " $t "; then
			continue
		fi
		WHY="no reason given"
		ran="$ran $t"
		t0=$(cut -d' ' -f1 /proc/uptime)
		echo "kftp-test: >>> $t" >/dev/console
		k0=$(kernel_trouble | wc -l)
		# a test during which the kernel complained failed, whatever it saw
		if { [ "$t" = load ] || ensure_loaded || why "kftp.ko not loaded"; } && "t_$t" &&
		   { [ "$(kernel_trouble | wc -l)" -le "$k0" ] ||
		     why "kernel: $(kernel_trouble | tail -n +$((k0 + 1)) | head -n 2 | tr '\n' '|')"; }; then
			say "PASS $t"
			npass=$((npass + 1))
		else
			say "FAIL $t: $WHY"
			nfail=$((nfail + 1))
		fi
		echo "kftp-test: <<< $t took $(awk -v a="$t0" -v b="$(cut -d' ' -f1 /proc/uptime)" \
			'BEGIN { printf "%.1f", b - a }')s" >/dev/console
	done
	[ -n "$sel" ] || check_counts "$ran"
	if [ -r "$STATUS" ]; then
		say "status at the end:"
		while read -r l; do say "  $l"; done <"$STATUS"
	fi
	say "$npass passed, $nfail failed"
	[ "$nfail" -eq 0 ]
}
