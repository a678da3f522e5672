# shellcheck shell=dash
# SPDX-License-Identifier: GPL-2.0
# The hostile-server suite and the writer-context tests (issue 10), run in
# the guest by check.sh, which sources this file: t_NAME functions in
# check.sh's style, listed in HOSTILE_TESTS.
#
# Each h_ test starts `stallftpd -s SCENARIO` on a port of its own (so no
# pooled connection crosses tests) and fetches from it into a directory of
# its own, over an existing destination that must stay byte-identical when
# the transfer fails.  A failure must end in its errno in the status table
# with no temporary file left.  Where a scenario holds still with the
# temporary file open, the test also checks that file: .kftp-<16 hex>-NAME,
# mode 0600, so that "no temporary file left" is about a file that existed.
# Each w_ test is about the writer's context: its root and mount namespace,
# umask, limits, signals, network namespace.

HX_USER=hxuser
HX_PASS=Hx-Secret-7d1c

# shellcheck disable=SC2034 # read by check.sh
HOSTILE_TESTS="h_size_overflow h_endless_max_size h_max_size_param
h_max_size_announced h_rlimit_fsize h_deadline_trickle h_min_rate_trickle
h_deadline_greeting h_deadline_connect h_deadline_final_reply h_early_226
h_stray_110 h_stray_120 h_long_line h_many_lines h_garbage h_pasv_other_host
h_active_foreign h_reuse_421 h_quit_silent h_pass_echo h_enospc_two
h_dest_devnode h_dest_directory h_dest_fifo h_dest_symlink h_dest_no_parent
h_dest_parent_notdir h_control_bytes h_cancel h_cancel_unknown
h_greeting_bytes h_size_bytes h_list_endless
w_sigkill_all w_sigterm_all w_status_netns w_netns_freed w_chroot w_mount_ns w_umask
w_replace_other w_replace_setid w_replace_idmapped w_sticky_foreign"
# shellcheck disable=SC2034 # checked by check.sh
HOSTILE_COUNT=45

# ---- helpers ----

# hsetup PORT: a fresh $HX (srv/ the server's files, d/ the destinations),
# an existing destination $HD with known content, and the URL base $HURL
hsetup() {
	HPORT=$1
	HX=/tmp/hx-$1
	HPID=
	rm -rf "$HX"
	mkdir -p "$HX/srv" "$HX/d"
	mkfile "$HX/srv/ok.bin" 4096
	mkfile "$HX/srv/h.bin" 100000
	HD=$HX/d/h.bin
	mkfile "$HD" 777
	HD_SHA=$(sha "$HD")
	HURL="ftp://$HX_USER:$HX_PASS@127.0.0.1:$1"
}

# hserve SCENARIO: stallftpd -s on $HPORT, its log in $HX/log
hserve() {
	stallftpd -s "$1" -d "$HX/srv" -g "$HX/go" "$HPORT" 2>>"$HX/log" &
	HPID=$!
	wait_port "$HPORT" || { hstop; why "stallftpd -s $1 did not start"; }
}

# stop the server (its sessions die with it)
hstop() {
	[ -n "$HPID" ] || return 0
	kill "$HPID" 2>/dev/null
	wait "$HPID" 2>/dev/null
	HPID=
	return 0
}

uptime_s() {
	cut -d' ' -f1 /proc/uptime
}

# elapsed T0 MAX: 0 if no more than MAX seconds passed since T0
elapsed_le() {
	awk -v a="$1" -v b="$(uptime_s)" -v m="$2" 'BEGIN { exit !(b - a <= m) }'
}
since() {
	awk -v a="$1" -v b="$(uptime_s)" 'BEGIN { printf "%.1f", b - a }'
}

# the process has exited (gone, or a zombie not yet reaped)
gone() {
	[ ! -e "/proc/$1/stat" ] || grep -q '^[0-9]* ([^)]*) Z' "/proc/$1/stat" 2>/dev/null
}

# a background writer: bg_req LINE ... bg_wait sets REQ_OUT
bg_req() {
	timeout "$WAIT_MAX" kftpreq "$1" >"$HX/out" 2>&1 &
	BG_PID=$!
}
bg_wait() {
	wait "$BG_PID"
	REQ_RC=$?
	REQ_OUT=$(cat "$HX/out")
}

# the transfer to PATH failed with ERRNO (REQ_OUT from a `wait` request);
# an existing destination is byte-identical, no temporary file is left
h_failed() {	# ERRNO [PATH]
	local e=$1 d=${2:-$HD}
	[ "$REQ_OUT" = "$e" ] || why "expected $e, got '$REQ_OUT': '$(row_of "$d")'" || return
	[ "$(field STATE "$d")" = failed ] && [ "$(field ERRNO "$d")" = "$e" ] ||
		why "status: '$(row_of "$d")'" || return
	h_untouched "$d"
}

h_untouched() {	# [PATH]
	local d=${1:-$HD}
	if [ "$d" = "$HD" ]; then
		[ "$(sha "$d")" = "$HD_SHA" ] || why "existing $d was changed" || return
	fi
	no_temp_left "$(dirname "$d")"
}

# While the transfer into DIR stands still: exactly one temporary file,
# .kftp-<16 hex>-NAME, mode 0600.
temp_check() {	# DIR NAME
	local i=0 t=
	while [ $i -lt 100 ]; do
		t=$(ls -a "$1" | grep '^\.kftp-')
		[ -n "$t" ] && break
		sleep 0.1
		i=$((i + 1))
	done
	[ -n "$t" ] || why "no temporary file in $1 while the transfer stood still" || return
	[ "$(echo "$t" | wc -l)" -eq 1 ] || why "temporary files: $(echo "$t" | tr '\n' ' ')" || return
	echo "$t" | grep -qE "^\\.kftp-[0-9a-f]{16}-$2\$" ||
		why "temporary file '$t' is not named .kftp-<16 hex>-$2" || return
	[ "$(stat -c %a "$1/$t")" = 600 ] ||
		why "temporary file $t has mode $(stat -c %a "$1/$t"), not 600"
}

# A scenario that holds the transfer until $HX/go exists: check the
# temporary file meanwhile, then let it go; sets REQ_OUT.
held_transfer() {	# LINE
	local rc
	bg_req "$1"
	temp_check "$HX/d" h.bin
	rc=$?
	touch "$HX/go"
	bg_wait
	return $rc
}

# the next transfer from the same server works (a connection left out of
# step must not have been reused)
next_works() {
	local d=$HX/d/next.bin
	req "get $HURL/ok.bin $d timeout=5 wait"
	[ "$REQ_OUT" = ok ] && [ "$(sha "$d")" = "$(sha "$HX/srv/ok.bin")" ] ||
		why "the next transfer from the server: '$REQ_OUT' $(row_of "$d")"
}

# a write refused at write() time: errno, a "request line N rejected" reason
# in dmesg, nothing queued
write_refused() {	# ERRNO LINE-NUMBER kftpreq-arguments
	local e=$1 n=$2 m0 k0
	shift 2
	m0=$(max_id)
	k0=$(dmesg | grep -c "kftp: request line $n rejected: ")
	req "$@"
	[ "$REQ_OUT" = "$e" ] || why "write: expected $e, got '$REQ_OUT'" || return
	[ "$(max_id)" = "$m0" ] || why "something was queued: '$(tail -n 1 "$STATUS")'" || return
	[ "$(dmesg | grep -c "kftp: request line $n rejected: ")" -gt "$k0" ] ||
		why "no 'kftp: request line $n rejected: ' reason in dmesg"
}

# ---- the server decides how much is written ----

# SIZE caps the stream: 213 10 and endless data fail with EIO at once,
# having taken no more than 11 bytes
t_h_size_overflow() {
	local t0
	hsetup 2201
	hserve size_over || return
	t0=$(uptime_s)
	req "get $HURL/h.bin $HD timeout=10 wait"
	hstop
	h_failed EIO || return
	elapsed_le "$t0" 5 || why "EIO after $(since "$t0") s, not at once" || return
	[ "$(field BYTES "$HD")" -le 10 ] || why "BYTES $(field BYTES "$HD") past SIZE 10"
}

# no SIZE, endless data, max_size=64K: EFBIG, no more than 64 KiB written
t_h_endless_max_size() {
	hsetup 2202
	hserve endless || return
	req "get $HURL/h.bin $HD timeout=10 max_size=64K wait"
	hstop
	h_failed EFBIG || return
	[ "$(field BYTES "$HD")" -le 65536 ] || why "BYTES $(field BYTES "$HD") past max_size" || return
	[ "$(field TOTAL "$HD")" = - ] || why "TOTAL $(field TOTAL "$HD") with SIZE refused, not -"
}

# a listing is capped at 64 MiB unless max_size= says otherwise: endless
# LIST data fails with EFBIG, and no file is left
t_h_list_endless() {
	local d
	hsetup 2236
	d=$HX/d/l.txt
	hserve endless || return
	req "list $HURL/ $d timeout=10 wait"
	hstop
	h_failed EFBIG "$d" || return
	[ ! -e "$d" ] || why "$d was left" || return
	[ "$(field BYTES "$d")" -le 67108864 ] || why "BYTES $(field BYTES "$d") past 64 MiB" || return
	[ "$(field TOTAL "$d")" = - ] || why "TOTAL $(field TOTAL "$d") of a listing, not -"
}

# the module parameter max_size, writable at run time, does the same
t_h_max_size_param() {
	local p=/sys/module/kftp/parameters/max_size
	hsetup 2203
	[ -w $p ] || { why "no writable $p"; return; }
	hserve endless || return
	echo 65536 >$p
	req "get $HURL/h.bin $HD timeout=10 wait"
	echo 0 >$p
	h_failed EFBIG || { hstop; return 1; }
	[ "$(field BYTES "$HD")" -le 65536 ] || { hstop; why "BYTES $(field BYTES "$HD") past max_size"; return; }
	# and 0 is no limit again
	req "get $HURL/ok.bin $HX/d/ok.bin wait"
	hstop
	[ "$REQ_OUT" = ok ] || why "with max_size back at 0: '$REQ_OUT'"
}

# SIZE announces more than max_size=1M: EFBIG before RETR is sent
t_h_max_size_announced() {
	hsetup 2204
	hserve size_big || return
	req "get $HURL/h.bin $HD timeout=10 max_size=1M wait"
	hstop
	h_failed EFBIG || return
	! grep -q 'RETR' "$HX/log" || why "RETR was sent: $(grep RETR "$HX/log")"
}

# the writer's RLIMIT_FSIZE (ulimit -f, 512-byte blocks): 1 MiB, a file
# of 2 MiB fails with EFBIG
t_h_rlimit_fsize() {
	hsetup 2205
	mkfile "$HX/srv/big.bin" 2097152
	hserve normal || return
	HD=$HX/d/big.bin
	cp "$HX/srv/ok.bin" "$HD"
	HD_SHA=$(sha "$HD")
	REQ_OUT=$(ulimit -f 2048 && timeout "$WAIT_MAX" kftpreq \
		"get $HURL/big.bin $HD timeout=10 wait" 2>&1)
	hstop
	h_failed EFBIG
}

# ---- deadlines: no server holds a transfer for ever ----

# h_times_out PORT SCENARIO OPTIONS MAX: the transfer from `stallftpd -s
# SCENARIO` with OPTIONS ends in ETIMEDOUT within MAX seconds
h_times_out() {
	local t0
	hsetup "$1"
	hserve "$2" || return
	t0=$(uptime_s)
	req "get $HURL/h.bin $HD $3 wait"
	hstop
	h_failed ETIMEDOUT || return
	elapsed_le "$t0" "$4" || why "$3 took $(since "$t0") s"
}

# one byte a second with timeout=2: deadline=3 ends it with ETIMEDOUT
t_h_deadline_trickle() {
	h_times_out 2206 trickle "timeout=2 deadline=3" 8
}

# the same with min_rate=100 (bytes/s over the 2 s timeout window)
t_h_min_rate_trickle() {
	h_times_out 2207 trickle "timeout=2 min_rate=100" 8
}

# deadline while logging in: a 220- greeting, a line a second
t_h_deadline_greeting() {
	h_times_out 2208 greeting_trickle "timeout=2 deadline=3" 8
}

# deadline while connecting: a full accept queue, timeout=60 deadline=2
t_h_deadline_connect() {
	h_times_out 2209 connect_hang "timeout=60 deadline=2" 7
}

# deadline after the data: the 226 comes a line a second
t_h_deadline_final_reply() {
	h_times_out 2210 final_trickle "timeout=2 deadline=3" 8
}

# timeout= bounds a whole reply, not each byte of it: a greeting that
# comes one byte a second fails within about 2x timeout=2 (deadline=12
# only bounds the test)
t_h_greeting_bytes() {
	h_times_out 2234 greeting_bytes "timeout=2 deadline=12" 5
}

# and each command's exchange: the same for the reply to SIZE
t_h_size_bytes() {
	h_times_out 2235 size_bytes "timeout=2 deadline=12" 5
}

# ---- replies out of step ----

# h_out_of_step PORT SCENARIO [REPLY]: the transfer fails with EPROTO (its
# REPLY column starting with REPLY, if given) and the next transfer to the
# server works: the connection was not reused with replies pending
h_out_of_step() {
	hsetup "$1"
	hserve "$2" || return
	req "get $HURL/h.bin $HD timeout=5 wait"
	h_failed EPROTO || { hstop; return 1; }
	if [ -n "${3:-}" ] && ! reply_of "$HD" | grep -q "^$3 "; then
		hstop
		why "status REPLY '$(reply_of "$HD")'"
		return
	fi
	next_works
	set -- $?
	hstop
	return "$1"
}

# 226 answers RETR before the 150 and the data
t_h_early_226() {
	h_out_of_step 2211 early_226
}

# a stray 110 before the 150
t_h_stray_110() {
	h_out_of_step 2212 stray_110 110
}

# a stray 120 before the 150
t_h_stray_120() {
	h_out_of_step 2213 stray_120
}

# ---- malformed replies after the data (the temporary file is complete) ----

# a final reply line of 2000 bytes (over the 1 KiB limit)
t_h_long_line() {
	hsetup 2214
	hserve long_line || return
	held_transfer "get $HURL/h.bin $HD timeout=5 wait"
	set -- $?
	hstop
	[ "$1" -eq 0 ] || return 1
	h_failed EPROTO
}

# a final reply of 10,000 lines (over the 64-line limit)
t_h_many_lines() {
	hsetup 2215
	hserve many_lines || return
	held_transfer "get $HURL/h.bin $HD timeout=5 wait"
	set -- $?
	hstop
	[ "$1" -eq 0 ] || return 1
	h_failed EPROTO
}

# binary garbage as the final reply
t_h_garbage() {
	hsetup 2216
	hserve garbage || return
	held_transfer "get $HURL/h.bin $HD timeout=5 wait"
	set -- $?
	hstop
	[ "$1" -eq 0 ] || return 1
	h_failed EPROTO || return
	! reply_of "$HD" | LC_ALL=C grep -q '[^ -~]' || why "status REPLY has non-printable bytes"
}

# ---- data connections ----

# EPSV refused, PASV names 127.0.0.2 where a decoy listens: the data must
# come from the control connection's peer, 127.0.0.1
t_h_pasv_other_host() {
	hsetup 2217
	hserve pasv_other || return
	held_transfer "get $HURL/h.bin $HD timeout=5 wait"
	set -- $?
	hstop
	[ "$1" -eq 0 ] || return 1
	! grep -q DECOY "$HX/log" || why "the data connection went to the PASV reply's host" || return
	grep -q 'data 127.0.0.1$' "$HX/log" || why "no data connection to 127.0.0.1: $(tr '\n' '|' <"$HX/log")" || return
	check_done "$HX/srv/h.bin" "$HD"
}

# active mode: 127.0.0.2 connects to the EPRT port first; it is dropped
# and the server's own connection brings the file
t_h_active_foreign() {
	hsetup 2218
	hserve active_foreign || return
	req "get $HURL/h.bin $HD mode=active timeout=5 wait"
	hstop
	grep -q 'foreign connected' "$HX/log" || why "the foreign peer did not connect: $(tr '\n' '|' <"$HX/log")" || return
	check_done "$HX/srv/h.bin" "$HD"
}

# ---- pooled connections ----

# the server answers 421 to the first command on an idle pooled connection:
# the transfer starts again on a new connection and succeeds
t_h_reuse_421() {
	local a c1 c2
	hsetup 2219
	a=$HX/d/a.bin
	hserve reuse_421 || return
	req "get $HURL/ok.bin $a timeout=5 wait"
	check_done "$HX/srv/ok.bin" "$a" || { hstop; return 1; }
	req "get $HURL/h.bin $HD timeout=5 wait"
	hstop
	grep -q '421' "$HX/log" || why "the server sent no 421: $(tr '\n' '|' <"$HX/log")" || return
	check_done "$HX/srv/h.bin" "$HD" || return
	c1=$(field CONN "$a")
	c2=$(field CONN "$HD")
	[ "$c1" != "$c2" ] || why "CONN $c1 for both: not a new connection"
}

# QUIT never answered.  An idle connection is closed 15 s after use, each
# on its own clock: S1 parked, S2 (another account) parked 5 s later; the
# server must see QUIT then EOF on each 13 to 19 s after its transfer.
# Then rmmod with an idle connection (S3) returns within 2 s: neither the
# transfers' timeout=60 nor a silent server may hold it up.
t_h_quit_silent() {
	local a b c t1 t2 e1= e2= i=0 rc
	hsetup 2220
	a=$HX/d/a.bin
	b=$HX/d/b.bin
	c=$HX/d/c.bin
	hserve quit_silent || return
	req "get $HURL/ok.bin $a timeout=60 wait"
	t1=$(uptime_s)
	check_done "$HX/srv/ok.bin" "$a" || { hstop; return 1; }
	sleep 5
	req "get ftp://hx2:$HX_PASS@127.0.0.1:$HPORT/ok.bin $b timeout=60 wait"
	t2=$(uptime_s)
	check_done "$HX/srv/ok.bin" "$b" || { hstop; return 1; }
	while [ $i -lt 125 ] && { [ -z "$e1" ] || [ -z "$e2" ]; }; do
		[ -z "$e1" ] && grep -q '^S1 EOF' "$HX/log" && e1=$(since "$t1")
		[ -z "$e2" ] && grep -q '^S2 EOF' "$HX/log" && e2=$(since "$t2")
		sleep 0.2
		i=$((i + 1))
	done
	BAD=
	for i in "1 $e1" "2 $e2"; do
		set -- $i
		if [ -z "$2" ]; then
			BAD="$BAD; S$1 still open 25 s after use"
		elif ! awk -v t="$2" 'BEGIN { exit !(t >= 13 && t <= 19) }'; then
			BAD="$BAD; S$1 closed $2 s after use, not 15"
		elif ! grep -q "^S$1 QUIT" "$HX/log"; then
			BAD="$BAD; no QUIT on S$1 before the close"
		fi
	done
	# an idle connection, then unload
	req "get $HURL/ok.bin $c timeout=60 wait"
	[ "$REQ_OUT" = ok ] || BAD="$BAD; transfer on S3: '$REQ_OUT'"
	t1=$(uptime_s)
	timeout 20 rmmod kftp
	rc=$?
	set -- "$(since "$t1")"
	hstop
	[ $rc -eq 0 ] || BAD="$BAD; rmmod failed (rc $rc) after $1 s"
	awk -v t="$1" 'BEGIN { exit !(t <= 2) }' || BAD="$BAD; rmmod took $1 s"
	kftp_loaded || insmod "$KO" || BAD="$BAD; insmod after rmmod failed"
	[ -z "$BAD" ] || why "${BAD#; } (server: $(tr '\n' '|' <"$HX/log"))"
}

# ---- secrets ----

# a 530 that quotes the password: REPLY shows *** instead
t_h_pass_echo() {
	hsetup 2221
	hserve pass_echo || return
	req "get $HURL/h.bin $HD timeout=5 wait"
	hstop
	h_failed EACCES || return
	reply_of "$HD" | grep -q '^530 ' || why "REPLY '$(reply_of "$HD")'" || return
	! grep -q "$HX_PASS" "$STATUS" || why "password in status: $(grep "$HX_PASS" "$STATUS")" || return
	reply_of "$HD" | grep -qF '***' || why "REPLY '$(reply_of "$HD")' without ***" || return
	! dmesg | grep -q "$HX_PASS" || why "password in dmesg"
}

# decoded control bytes and 0xff in user, password and path: EINVAL at
# write time
t_h_control_bytes() {
	local d=/tmp/hx-ctl/x.bin b
	mkdir -p /tmp/hx-ctl
	BAD=
	for b in 01 1b 7f ff; do
		reject "%$b in user" "get ftp://u%${b}x:pw@127.0.0.1/pub/f1024.bin $d"
		reject "%$b in password" "get ftp://u:p%${b}w@127.0.0.1/pub/f1024.bin $d"
		reject "%$b in path" "get ftp://127.0.0.1/pub/f%${b}1024.bin $d"
	done
	[ -z "$BAD" ] || why "${BAD#; }"
}

# ---- local storage ----

# ENOSPC on a 256 KiB tmpfs with two transfers at once on reused
# connections: b.bin (200 KiB) is held complete but unconfirmed, a.bin
# (100 KiB) runs out of space.  A retry of a.bin after its write error
# would append to the partial file once b.bin's space is freed: whatever
# is delivered must be whole.
t_h_enospc_two() {
	local f a b rc i=0
	hsetup 2222
	f=$HX/full
	mkfile "$HX/srv/a.bin" 102400
	mkfile "$HX/srv/b.bin" 204800
	mkfile "$HX/srv/w1.bin" 1024
	mkfile "$HX/srv/w2.bin" 1024
	a=$f/a.bin
	b=$f/b.bin
	mkdir -p "$f"
	mount -t tmpfs -o size=256k tmpfs "$f" || { why "cannot mount a tmpfs"; return; }
	hserve enospc || { umount "$f"; return 1; }
	# two connections to pool (the server holds each RETR w* a second)
	req "get $HURL/w1.bin $HX/d/w1.bin timeout=10 wait
get $HURL/w2.bin $HX/d/w2.bin timeout=10 wait"
	rc=0
	[ "$REQ_OUT" = ok ] || { why "warm-up: '$REQ_OUT'"; rc=1; }
	if [ $rc -eq 0 ]; then
		req "get $HURL/b.bin $b timeout=30"
		while [ $i -lt 100 ] && [ "$(field BYTES "$b")" != 204800 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		[ "$(field BYTES "$b")" = 204800 ] || { why "b.bin never held: '$(row_of "$b")'"; rc=1; }
	fi
	if [ $rc -eq 0 ]; then
		req "get $HURL/a.bin $a timeout=30 wait"
		touch "$HX/go"
		wait_state "$b" failed 100
	fi
	touch "$HX/go"
	hstop
	if [ $rc -eq 0 ]; then
		if [ -e "$a" ]; then
			[ "$(sha "$a")" = "$(sha "$HX/srv/a.bin")" ] ||
				{ why "a.bin delivered corrupt: $(wc -c <"$a") bytes of 102400 ($REQ_OUT)"; rc=1; }
			# delivered only by a retry after the write error, else
			# the filesystem never filled and the test saw nothing
			[ $rc -ne 0 ] || grep -q 'a.bin retried' "$HX/log" ||
				{ why "a.bin delivered at its first try: no ENOSPC happened"; rc=1; }
		elif [ "$REQ_OUT" != ENOSPC ] || [ "$(field ERRNO "$a")" != ENOSPC ]; then
			why "a.bin: '$REQ_OUT', status '$(row_of "$a")'"
			rc=1
		fi
	fi
	if [ $rc -eq 0 ] && [ -e "$b" ]; then
		why "b.bin delivered though its server failed it: '$(row_of "$b")'"
		rc=1
	fi
	[ $rc -ne 0 ] || no_temp_left "$f" || rc=1
	umount "$f"
	return $rc
}

# ---- the destination, resolved at write time ----

# a device node (a /dev/null of its own) must not be replaced by a file
t_h_dest_devnode() {
	hsetup 2223
	mknod "$HX/d/null" c 1 3
	write_refused EINVAL 1 "get $HURL/ok.bin $HX/d/null timeout=5" || return
	[ -c "$HX/d/null" ] || why "$HX/d/null is no longer a character device"
}

t_h_dest_directory() {
	hsetup 2224
	mkdir "$HX/d/adir"
	write_refused EINVAL 1 "get $HURL/ok.bin $HX/d/adir timeout=5" || return
	[ -d "$HX/d/adir" ] || why "$HX/d/adir is no longer a directory"
}

t_h_dest_fifo() {
	hsetup 2225
	mkfifo "$HX/d/fifo"
	write_refused EINVAL 1 "get $HURL/ok.bin $HX/d/fifo timeout=5" || return
	[ -p "$HX/d/fifo" ] || why "$HX/d/fifo is no longer a FIFO"
}

t_h_dest_symlink() {
	hsetup 2226
	ln -s h.bin "$HX/d/link"
	write_refused EINVAL 1 "get $HURL/ok.bin $HX/d/link timeout=5" || return
	[ -L "$HX/d/link" ] || why "$HX/d/link is no longer a symlink" || return
	h_untouched
}

# a missing parent: ENOENT at write time, for line 2 of the write (line 1
# is not queued either)
t_h_dest_no_parent() {
	hsetup 2227
	write_refused ENOENT 2 "get $HURL/ok.bin $HX/d/one.bin timeout=5
get $HURL/ok.bin $HX/d/nodir/f.bin timeout=5" || return
	sleep 0.5
	[ ! -e "$HX/d/one.bin" ] || why "line 1 was fetched"
}

t_h_dest_parent_notdir() {
	hsetup 2228
	write_refused ENOTDIR 1 "get $HURL/ok.bin $HX/d/h.bin/f.bin timeout=5" || return
	h_untouched
}

# ---- cancel ID ----

t_h_cancel() {
	local id
	hsetup 2229
	stallftpd 2229 1048576 4 2>/dev/null &
	HPID=$!
	wait_port 2229 || { hstop; why "stallftpd did not start"; return; }
	req "get $HURL/big.bin $HD timeout=60"
	[ "$REQ_OUT" = ok ] || { hstop; why "request: $REQ_OUT"; return; }
	# the cancel must meet a transfer that has data in flight
	moving "$HD" 100 || { hstop; why "never transferring with BYTES > 0: '$(row_of "$HD")'"; return; }
	id=$(field ID "$HD")
	req "cancel $id"
	[ "$REQ_OUT" = ok ] || { hstop; why "cancel $id: '$REQ_OUT'"; return; }
	wait_state "$HD" cancelled 50
	hstop
	[ "$(field STATE "$HD")" = cancelled ] && [ "$(field ERRNO "$HD")" = ECANCELED ] ||
		why "after cancel $id: '$(row_of "$HD")'" || return
	h_untouched
}

# an unknown ID and a finished one: ENOENT, with a reason in dmesg
t_h_cancel_unknown() {
	local d id k0 i
	hsetup 2230
	d=$HX/d/done.bin
	req "get ftp://$AUTH/pub/f1024.bin $d wait"
	[ "$REQ_OUT" = ok ] || { why "transfer: '$REQ_OUT'"; return; }
	id=$(field ID "$d")
	for i in 999999 "$id"; do
		k0=$(dmesg | grep -c 'kftp: ')
		req "cancel $i"
		[ "$REQ_OUT" = ENOENT ] || why "cancel $i: '$REQ_OUT', not ENOENT" || return
		[ "$(dmesg | grep -c 'kftp: ')" -gt "$k0" ] || why "cancel $i: no reason in dmesg" || return
	done
	[ "$(field STATE "$d")" = 'done' ] || why "the finished transfer is now '$(row_of "$d")'"
}

# ---- the writer ----

# SIGKILL to a `wait` writer of two transfers, one in a connect that never
# completes, one receiving from a stalled server: the writer is gone at
# once and both transfers end cancelled
t_w_sigkill_all() {
	local a b pid wpid i=0
	hsetup 2231
	a=$HX/d/a.bin
	b=$HX/d/b.bin
	hserve connect_hang || return
	stallftpd 2232 1048576 4 2>/dev/null &
	pid=$!
	wait_port 2232 || { kill $pid; hstop; why "stallftpd did not start"; return; }
	kftpreq "get $HURL/h.bin $a timeout=600 wait
get ftp://127.0.0.1:2232/big.bin $b timeout=600 wait" >/dev/null 2>&1 &
	wpid=$!
	wait_state "$b" transferring 100
	sleep 0.5
	set -- "$(uptime_s)"
	kill -KILL $wpid
	while [ $i -lt 20 ] && ! gone $wpid; do
		sleep 0.1
		i=$((i + 1))
	done
	set -- "$(since "$1")"
	wait_state "$a" cancelled 25
	wait_state "$b" cancelled 25
	kill $pid
	hstop
	gone $wpid || why "writer not gone $1 s after SIGKILL" || return
	[ "$(field STATE "$a")" = cancelled ] && [ "$(field ERRNO "$a")" = ECANCELED ] ||
		why "connecting transfer: '$(row_of "$a")'" || return
	[ "$(field STATE "$b")" = cancelled ] && [ "$(field ERRNO "$b")" = ECANCELED ] ||
		why "receiving transfer: '$(row_of "$b")'" || return
	no_temp_left "$HX/d"
}

# SIGTERM to a `wait` writer of two receiving transfers cancels both
t_w_sigterm_all() {
	local a b wpid i=0
	hsetup 2233
	a=$HX/d/a.bin
	b=$HX/d/b.bin
	stallftpd 2233 1048576 4 2>/dev/null &
	HPID=$!
	wait_port 2233 || { hstop; why "stallftpd did not start"; return; }
	kftpreq "get ftp://127.0.0.1:2233/big.bin $a timeout=600 wait
get ftp://127.0.0.1:2233/big.bin $b timeout=600 wait" >/dev/null 2>&1 &
	wpid=$!
	wait_state "$a" transferring 100
	wait_state "$b" transferring 100
	kill -TERM $wpid
	while [ $i -lt 20 ] && ! gone $wpid; do
		sleep 0.1
		i=$((i + 1))
	done
	wait_state "$a" cancelled 25
	wait_state "$b" cancelled 25
	hstop
	gone $wpid || why "writer not gone 2 s after SIGTERM" || return
	[ "$(field STATE "$a")" = cancelled ] || why "first transfer: '$(row_of "$a")'" || return
	[ "$(field STATE "$b")" = cancelled ] && [ "$(field ERRNO "$b")" = ECANCELED ] ||
		why "second transfer: '$(row_of "$b")'" || return
	no_temp_left "$HX/d"
}

# a reader in another network namespace sees the header and no row
t_w_status_netns() {
	local out
	req "get ftp://$AUTH/pub/f1024.bin /tmp/netns.bin wait"
	[ "$(rows)" -gt 0 ] || why "no row in the status table to hide" || return
	out=$(unshare -n cat "$STATUS") || why "unshare -n failed" || return
	[ "$out" = "$STATUS_HEADER" ] ||
		why "another netns reads: $(echo "$out" | head -n 3 | tr '\n' '|')"
}

# a namespace whose last process exits goes away at once, though kftp has
# a finished transfer of it in the status table and an idle connection to
# its server in the pool (they held it until the history or the idle
# timeout let go): kftp's pernet exit says so in the protocol trace
t_w_netns_freed() {
	local ctl=/sys/kernel/debug/dynamic_debug/control i=0 out
	grep -q ' /sys/kernel/debug ' /proc/mounts || mount -t debugfs none /sys/kernel/debug
	[ -w $ctl ] || { why "no dynamic debug control"; return; }
	hsetup 2241
	echo 'module kftp +p' >$ctl
	out=$(unshare -n sh -c "
		ip link set lo up
		stallftpd -s normal -d $HX/srv 2241 2>/dev/null &
		p=\$!
		. /kftp/lib.sh
		wait_port 2241 || { kill \$p; echo no server; exit 1; }
		kftpreq 'get $HURL/ok.bin $HX/d/ok.bin wait' 2>&1
		kill \$p
		wait \$p 2>/dev/null" 2>&1)
	# the very line: freeze_cancel leaves one of its own before this test
	while [ $i -lt 25 ] &&
	      ! dmesg | grep -q 'kftp: network namespace gone: 1 finished transfer(s) forgotten, 1 idle'; do
		sleep 0.2
		i=$((i + 1))
	done
	echo 'module kftp -p' >$ctl
	[ "$out" = ok ] || why "transfer in the namespace: '$out'" || return
	[ "$(sha "$HX/d/ok.bin")" = "$(sha "$HX/srv/ok.bin")" ] || why "ok.bin differs" || return
	dmesg | grep -q 'kftp: network namespace gone: 1 finished transfer(s) forgotten, 1 idle connection(s) closed' ||
		why "namespace not gone 5 s after its last process: '$(dmesg | grep 'namespace gone' | tail -n 1)'"
}

# a chrooted writer: /out/c.bin is in its root, and nowhere else
t_w_chroot() {
	local j=/tmp/jail rc
	rm -rf $j /out
	mkdir -p $j/bin $j/proc $j/out /out
	cp "$(which kftpreq)" $j/bin/
	mount -t proc proc $j/proc || { why "cannot mount proc in the jail"; return; }
	REQ_OUT=$(timeout "$WAIT_MAX" chroot $j /bin/kftpreq "get ftp://$AUTH/pub/f1024.bin /out/c.bin wait" 2>&1)
	umount $j/proc
	rc=0
	[ "$REQ_OUT" = ok ] || { why "chrooted writer: '$REQ_OUT'"; rc=1; }
	[ $rc -ne 0 ] || [ ! -e /out/c.bin ] || { why "written outside the chroot, /out/c.bin"; rc=1; }
	[ $rc -ne 0 ] || [ "$(sha $j/out/c.bin)" = "$(sha /srv/pub/f1024.bin)" ] ||
		{ why "$j/out/c.bin missing or wrong"; rc=1; }
	rm -rf /out
	return $rc
}

# a writer in its own mount namespace with a private tmpfs on /mnt/ns
t_w_mount_ns() {
	local out
	mkdir -p /mnt/ns
	rm -f /mnt/ns/m.bin
	out=$(timeout "$WAIT_MAX" unshare -m sh -c "mount -t tmpfs tmpfs /mnt/ns &&
		kftpreq 'get ftp://$AUTH/pub/f1024.bin /mnt/ns/m.bin wait' &&
		sha256sum /mnt/ns/m.bin" 2>&1)
	if [ -e /mnt/ns/m.bin ]; then
		rm -f /mnt/ns/m.bin
		why "written outside the writer's mount namespace: /mnt/ns/m.bin"
		return
	fi
	echo "$out" | grep -q "^$(sha /srv/pub/f1024.bin) " ||
		why "in the namespace: $(echo "$out" | tr '\n' '|')"
}

# a new file gets 0666 minus the writer's umask
t_w_umask() {
	local d=/tmp/umask-d m
	mkdir -p $d
	rm -f $d/u027.bin $d/u0.bin
	REQ_OUT=$(umask 027 && timeout "$WAIT_MAX" kftpreq "get ftp://$AUTH/pub/f1024.bin $d/u027.bin wait" 2>&1)
	[ "$REQ_OUT" = ok ] || why "umask 027: '$REQ_OUT'" || return
	REQ_OUT=$(umask 0 && timeout "$WAIT_MAX" kftpreq "get ftp://$AUTH/pub/f1024.bin $d/u0.bin wait" 2>&1)
	[ "$REQ_OUT" = ok ] || why "umask 0: '$REQ_OUT'" || return
	m=$(stat -c %a $d/u027.bin)
	[ "$m" = 640 ] || why "umask 027: mode $m, not 640" || return
	m=$(stat -c %a $d/u0.bin)
	[ "$m" = 666 ] || why "umask 0: mode $m, not 666"
}

# replace_as UMASK PATH: root's get of f1024.bin over PATH, with UMASK
replace_as() {
	REQ_OUT=$(umask "$1" && timeout "$WAIT_MAX" \
		kftpreq "get ftp://$AUTH/pub/f1024.bin $2 wait" 2>&1)
	check_done /srv/pub/f1024.bin "$2"
}

# another user's file is not handed back to them: the download is the
# writer's (root's), with 0666 minus the writer's umask; the writer's own
# file keeps its permission bits
t_w_replace_other() {
	local dir=/tmp/replace-d a
	rm -rf $dir
	mkdir -p $dir
	mkfile $dir/r.bin 100
	chown 1000:1001 $dir/r.bin
	chmod 0666 $dir/r.bin
	replace_as 027 $dir/r.bin || return
	a=$(stat -c '%a %u %g' $dir/r.bin)
	[ "$a" = '640 0 0' ] || why "another's file replaced: mode owner group '$a', not '640 0 0'" || return
	mkfile $dir/o.bin 100
	chmod 0604 $dir/o.bin
	replace_as 027 $dir/o.bin || return
	a=$(stat -c '%a %u %g' $dir/o.bin)
	[ "$a" = '604 0 0' ] || why "own file replaced: mode owner group '$a', not '604 0 0'"
}

# Through an idmapped mount the owner is the one the mount shows: a file
# stored as uid 1000's that the mount shows as root's is the (root)
# writer's own and keeps its permission bits; its replacement is stored
# as 1000's again. Idmapped tmpfs came with 6.3: before, idmount says the
# kernel has none (exit 3), and i_uid is the only owner there is.
t_w_replace_idmapped() {
	local src=/tmp/idm-src mnt=/tmp/idm a rc
	umount $mnt 2>/dev/null
	rm -rf $src $mnt
	mkdir -p $src $mnt
	mount -t tmpfs tmpfs $src || why "cannot mount a tmpfs" || return
	# the directory too is root's through the mount
	chown 1000:1000 $src
	chmod 0755 $src
	mkfile $src/r.bin 100
	chown 1000:1000 $src/r.bin
	chmod 0604 $src/r.bin
	idmount $src $mnt 1000 2>/tmp/idmount.err
	rc=$?
	if [ $rc -eq 3 ]; then
		umount $src
		[ "$(uname -r | awk -F. '{ print $1 * 1000 + $2 }')" -lt 6003 ] ||
			why "no idmapped tmpfs on $(uname -r): $(cat /tmp/idmount.err)"
		return
	fi
	[ $rc -eq 0 ] || { umount $src; why "idmount: exit $rc, $(cat /tmp/idmount.err)"; return; }
	a=$(stat -c '%u %g' $mnt/r.bin)
	[ "$a" = '0 0' ] || { umount $mnt $src; why "the mount shows owner '$a', not '0 0'"; return; }
	replace_as 027 $mnt/r.bin
	rc=$?
	a="$(stat -c '%a %u %g' $mnt/r.bin) / $(stat -c '%a %u %g' $src/r.bin)"
	umount $mnt
	umount $src
	[ $rc -eq 0 ] || return
	[ "$a" = '604 0 0 / 604 1000 1000' ] ||
		why "replaced through the idmapped mount: '$a', not '604 0 0 / 604 1000 1000'"
}

# no set-id bit survives a replace, even of the writer's own file
t_w_replace_setid() {
	local dir=/tmp/setid-d a
	rm -rf $dir
	mkdir -p $dir
	mkfile $dir/u.bin 100
	chmod 4755 $dir/u.bin
	mkfile $dir/g.bin 100
	chmod 2750 $dir/g.bin
	replace_as 022 $dir/u.bin || return
	replace_as 022 $dir/g.bin || return
	a=$(stat -c '%a %u' $dir/u.bin)
	[ "$a" = '755 0' ] || why "4755 file replaced: mode owner '$a', not '755 0'" || return
	a=$(stat -c '%a %u' $dir/g.bin)
	[ "$a" = '750 0' ] || why "2750 file replaced: mode owner '$a', not '750 0'"
}

# protected_regular: in a sticky world-writable directory, root's get onto
# alice's file fails with EACCES and a reason, her file untouched; her file
# in her own sticky directory, and root's own, are replaced
t_w_sticky_foreign() {
	local dir=/tmp/sticky-d f sum a
	rm -rf $dir
	mkdir -p $dir/alice
	chmod 1777 $dir $dir/alice
	chown 1000:1000 $dir/alice
	f=$dir/a.bin
	mkfile $f 100
	chown 1000:1000 $f
	chmod 0666 $f
	sum=$(sha $f)
	req "get ftp://$AUTH/pub/f1024.bin $f wait"
	[ "$REQ_OUT" = EACCES ] || why "get onto alice's file: '$REQ_OUT', not EACCES" || return
	[ "$(field STATE $f) $(field ERRNO $f)" = 'failed EACCES' ] ||
		why "status: '$(row_of $f)'" || return
	reply_of $f | grep -q sticky || why "status REPLY '$(reply_of $f)', no reason" || return
	a=$(stat -c '%a %u %g' $f)
	[ "$(sha $f)" = "$sum" ] && [ "$a" = '666 1000 1000' ] ||
		why "alice's file changed: '$a'" || return
	no_temp_left $dir || return
	f=$dir/alice/a.bin
	mkfile $f 100
	chown 1000:1000 $f
	replace_as 022 $f || return
	mkfile $dir/root.bin 100
	replace_as 022 $dir/root.bin
}
