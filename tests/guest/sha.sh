# shellcheck shell=dash
# SPDX-License-Identifier: GPL-2.0
# sha256= (issue 11), and two checks the other files lacked (put with
# retries=, the VERB of a listing), run in the guest by check.sh, which
# sources this file after hostile.sh, put.sh, getx.sh, perf.sh and
# ascii.sh, whose helpers it uses: t_NAME functions in check.sh's style,
# listed in SHA_TESTS. stallftpd listens on ports 2801-2899 here, used by
# no other file.
#
# A file gets the right digest from both servers (busybox ftpd and
# vsftpd), on the one-copy path (read_sock, shown in the trace) and on the
# buffer path (type=ascii, which never takes read_sock), resumed
# after a stall and in segments; a wrong one fails with EBADMSG and
# "sha256 mismatch", once (never retried), the destination untouched and
# nothing partial kept. An upload is checked the same way, and with
# atomic a file that fails the check never gets its final name.

# shellcheck disable=SC2034 # read by check.sh
SHA_TESTS="sha_get sha_get_64m sha_get_wrong sha_get_resume sha_get_resume_bad
sha_get_segments sha_ascii sha_put sha_put_copies sha_put_wrong sha_put_changed sha_put_resume
sha_malformed
u_put_retries_421 u_list_verb"
# shellcheck disable=SC2034 # checked by check.sh
SHA_COUNT=15

# a digest that is not FILE's: that of FILE and one byte more
other_sha() {
	{ cat "$1"; printf x; } | sha256sum | cut -d' ' -f1
}

# the transfer of PATH failed on the check, on its first try (retries=
# does not retry it), with its reply in the status table
sha_failed() {	# PATH
	[ "$REQ_OUT" = EBADMSG ] || why "expected EBADMSG, got '$REQ_OUT': '$(row_of "$1")'" || return
	[ "$(field STATE "$1")" = failed ] && [ "$(field ERRNO "$1")" = EBADMSG ] &&
		[ "$(field TRY "$1")" = 1 ] || why "status: '$(row_of "$1")'" || return
	[ "$(reply_of "$1")" = "sha256 mismatch" ] || why "REPLY '$(reply_of "$1")'"
}

# ---- get ----

# 0 B and 1 KiB from each server, the digest in either case
t_sha_get() {
	local srv f d h opt
	for srv in bb vs; do
		for f in f0 f1024; do
			d=$DST/sha-$srv-$f.bin
			rm -f "$d"
			h=$(sha /srv/pub/$f.bin)
			opt=
			[ $f = f1024 ] && h=$(echo "$h" | tr a-f A-F)
			[ $srv = vs ] && opt=mode=active
			req "get ftp://$(auth_of $srv)/pub/$f.bin $d sha256=$h $opt wait"
			check_done /srv/pub/$f.bin "$d" || { WHY="$srv $f: $WHY"; return 1; }
		done
	done
}

# 64 MiB on the one-copy path: hashed from the skbs, no buffer
t_sha_get_64m() {
	local s=/srv/pub/f67108864.bin d=$DST/sha-64m.bin id rc=0
	[ -f $s ] || mkfile $s 67108864
	rm -f $d
	p_trace_on || return
	req "get ftp://$AUTH/pub/f67108864.bin $d sha256=$(sha $s) wait"
	p_trace_off
	check_done $s $d || rc=1
	rm -f $d
	[ $rc -eq 0 ] || return 1
	id=$(field ID $d)
	dmesg | grep -q "kftp: $id = data by read_sock, one copy\$" ||
		why "the trace of $id does not show the read_sock path"
}

# a wrong digest: EBADMSG, an existing destination byte-identical, no
# temporary file; from each server, in both modes
t_sha_get_wrong() {
	local srv f d old opt
	for srv in bb vs; do
		f=p1
		opt="retries=2"
		[ $srv = vs ] && { f=f1024; opt="mode=active"; }
		d=$DST/sha-wrong-$srv.bin
		mkfile "$d" 777
		old=$(sha "$d")
		req "get ftp://$(auth_of $srv)/pub/$f.bin $d sha256=$(other_sha /srv/pub/$f.bin) $opt wait"
		sha_failed "$d" || { WHY="$srv: $WHY"; return 1; }
		[ "$(sha "$d")" = "$old" ] || why "$srv: existing $d changed" || return
		no_temp_left $DST || return
	done
}

# resume after a stall: the kept part is read back into the digest, then
# one REST and the rest; and within one request, retries= continuing the
# temporary file the same way
t_sha_get_resume() {
	local h
	hsetup 2801
	h=$(sha "$HX/srv/h.bin")
	hserve resume || return
	req "get $HURL/h.bin $HD resume sha256=$h timeout=2 wait"
	[ "$REQ_OUT" = ETIMEDOUT ] || { hstop; why "stalled: '$REQ_OUT' $(row_of "$HD")"; return; }
	part_check "$HD" 50000 || { hstop; return 1; }
	req "get $HURL/h.bin $HD resume sha256=$h timeout=5 wait"
	hstop
	check_done "$HX/srv/h.bin" "$HD" || return
	[ "$(grep -c ' REST ' "$HX/log")" -eq 1 ] && grep -q ' REST 50000$' "$HX/log" ||
		why "REST sent: $(grep ' REST' "$HX/log" | tr '\n' '|')" || return
	hsetup 2802
	h=$(sha "$HX/srv/h.bin")
	hserve resume || return
	req "get $HURL/h.bin $HD sha256=$h retries=1 timeout=2 wait"
	hstop
	check_done "$HX/srv/h.bin" "$HD" || return
	[ "$(field TRY "$HD")" = 2 ] || why "retries=1: '$(row_of "$HD")'" || return
	grep -q ' REST 50000$' "$HX/log" || why "retry: REST $(grep ' REST' "$HX/log" | tr '\n' '|')"
}

# a part file whose bytes are not the file's: the whole fails the check,
# and the part is removed, not kept for the next resume
t_sha_get_resume_bad() {
	local s=/srv/pub/rsha.bin d=$DST/rsha.bin p=$DST/.kftp-part-rsha.bin old
	mkfile $s 100000
	mkfile $d 777
	old=$(sha $d)
	head -c 30000 /dev/urandom >$p
	chmod 0600 $p
	req "get ftp://$AUTH/pub/rsha.bin $d resume sha256=$(sha $s) wait"
	sha_failed $d || return
	[ "$(sha $d)" = "$old" ] || why "existing $d changed" || return
	[ ! -e $p ] || why "the part file with bad data was kept" || return
	req "get ftp://$AUTH/pub/rsha.bin $d resume sha256=$(sha $s) wait"
	check_done $s $d
}

# segments=4: the ranges come out of order, the digest reads the file back
t_sha_get_segments() {
	local src=/srv/pub/p8m.bin d=$DST/sha-seg.bin id old
	[ -f "$src" ] || mkfile "$src" 8388609
	rm -f "$d"
	p_trace_on || return
	req "get ftp://$AUTH/pub/p8m.bin $d segments=4 sha256=$(sha $src) wait"
	check_done "$src" "$d" || { p_trace_off; return 1; }
	id=$(field ID "$d")
	dmesg | grep -q "kftp: $id = 4 segments of $((8388609 / 4)) bytes\$" ||
		{ p_trace_off; why "the trace of $id shows no 4 segments"; return; }
	mkfile "$d" 777
	old=$(sha "$d")
	req "get ftp://$VS_AUTH/pub/p8m.bin $d segments=4 sha256=$(other_sha $src) wait"
	p_trace_off
	sha_failed "$d" || return
	id=$(field ID "$d")
	dmesg | grep -q "kftp: $id = 4 segments of $((8388609 / 4)) bytes\$" ||
		why "vsftpd: the trace of $id shows no 4 segments" || return
	[ "$(sha "$d")" = "$old" ] || why "existing $d changed" || return
	rm -f "$d"
	no_temp_left $DST
}

# type=ascii: the digest is the file's as it is here, LF line ends, after
# the conversion for get (on the buffer path: ascii never takes read_sock)
# and before it for put (busybox ftpd stores what it was sent: CR LF)
t_sha_ascii() {
	local lf=/srv/pub/a.lf crlf=/srv/pub/a.crlf d=$A_DIR/sha.lf up=$A_DIR/sha-up.lf id old
	ascii_fixture a 3000
	put_fixtures
	rm -f $d
	p_trace_on || return
	req "get ftp://$AUTH/pub/a.crlf $d type=ascii sha256=$(sha $lf) wait"
	p_trace_off
	check_text $lf $d - || return
	id=$(field ID $d)
	if dmesg | grep -q "kftp: $id = data by read_sock"; then
		why "type=ascii: the trace of $id shows read_sock, not the buffer"
		return
	fi
	mkfile $d 777
	old=$(sha $d)
	req "get ftp://$AUTH/pub/a.crlf $d type=ascii sha256=$(sha $crlf) wait"
	sha_failed $d || { WHY="the wire's digest: $WHY"; return 1; }
	[ "$(sha $d)" = "$old" ] || why "existing $d changed" || return
	cp $lf $up
	rm -f $UP/sha-a.txt
	req "put $up ftp://$AUTH/up/sha-a.txt type=ascii sha256=$(sha $lf) atomic wait"
	[ "$REQ_OUT" = ok ] || why "put: kftpreq: '$REQ_OUT' $(reply_of $up)" || return
	[ "$(sha $UP/sha-a.txt)" = "$(sha $crlf)" ] || why "busybox did not get CR LF" || return
	rm -f $UP/sha-a.txt
	req "put $up ftp://$AUTH/up/sha-a.txt type=ascii sha256=$(sha $crlf) atomic wait"
	sha_failed $up || { WHY="put, the wire's digest: $WHY"; return 1; }
	[ ! -e $UP/sha-a.txt ] || why "$UP/sha-a.txt was created" || return
	no_temp_left $UP
}

# ---- put ----

# 0 B and 1 KiB to each server, with and without atomic
t_sha_put() {
	local n srv at src d
	put_fixtures
	for n in 0 1024; do
		src=$PSRC/sha$n.bin
		mkfile $src $n
		for srv in bb vs; do
			for at in "" atomic; do
				d=$UP/sha-$srv-$n${at:+-at}.bin
				rm -f "$d"
				req "put $src ftp://$(auth_of $srv)/up/${d##*/} sha256=$(sha $src) $at wait"
				check_put $src "$d" || { WHY="$srv $n $at: $WHY"; return 1; }
			done
		done
	done
}

# the digest must see the bytes: with sha256= a put reads the file into a
# buffer, never splices it (the same put without it does, as the trace shows)
t_sha_put_copies() {
	local src=$PSRC/shacp.bin rc=0 id
	put_fixtures
	mkfile $src 1048576
	p_trace_on || return
	req "put $src ftp://$AUTH/up/shacp.bin wait"
	{ check_put $src $UP/shacp.bin && p_zc_traced "$(field ID $src)"; } || rc=1
	if [ $rc -eq 0 ]; then
		req "put $src ftp://$AUTH/up/shacp.bin sha256=$(sha $src) wait"
		check_put $src $UP/shacp.bin || rc=1
	fi
	p_trace_off
	[ $rc -eq 0 ] || return 1
	id=$(field ID $src)
	if dmesg | grep -q "kftp: $id = data by splice"; then
		why "sha256=: the trace of $id shows the splice path"
	fi
}

# a wrong digest: EBADMSG, not retried. With atomic no final name is made
# (nor an existing file replaced) and the temporary one is deleted; a
# plain STOR has left what it sent, as any client's would
t_sha_put_wrong() {
	local srv src=$PSRC/shaw.bin d old
	put_fixtures
	mkfile $src 100000
	for srv in bb vs; do
		d=$UP/shaw-$srv-at.bin
		rm -f "$d"
		req "put $src ftp://$(auth_of $srv)/up/${d##*/} sha256=$(other_sha $src) atomic retries=2 wait"
		sha_failed $src || { WHY="$srv atomic: $WHY"; return 1; }
		[ ! -e "$d" ] || why "$srv: $d was created" || return
		no_temp_left $UP || return
		mkfile "$d" 5000
		chown "$FTP_USER" "$d"
		old=$(sha "$d")
		req "put $src ftp://$(auth_of $srv)/up/${d##*/} sha256=$(other_sha $src) atomic wait"
		sha_failed $src || { WHY="$srv atomic over a file: $WHY"; return 1; }
		[ "$(sha "$d")" = "$old" ] || why "$srv: existing $d replaced" || return
		no_temp_left $UP || return
		d=$UP/shaw-$srv.bin
		rm -f "$d"
		req "put $src ftp://$(auth_of $srv)/up/${d##*/} sha256=$(other_sha $src) wait"
		sha_failed $src || { WHY="$srv plain: $WHY"; return 1; }
		[ "$(sha "$d")" = "$(sha $src)" ] || why "$srv: plain STOR: $d is not what was sent" || return
	done
}

# the file changes while it is sent (rate= makes that 4 s): what was
# sent is not the file meant, and with atomic it never gets its name
t_sha_put_changed() {
	local src=$PSRC/shac.bin d=$UP/shac.bin out=/tmp/shac.out pid
	put_fixtures
	mkfile $src 1048576
	rm -f $d
	timeout "$WAIT_MAX" kftpreq "put $src ftp://$AUTH/up/shac.bin sha256=$(sha $src) rate=256K atomic wait" >$out 2>&1 &
	pid=$!
	wait_state $src transferring 50 || { wait $pid; why "never transferring: '$(row_of $src)'"; return; }
	printf 'changed while sent' | dd of=$src bs=1 seek=1000000 conv=notrunc 2>/dev/null
	wait $pid
	REQ_OUT=$(cat $out)
	sha_failed $src || return
	[ "$(field BYTES $src)" = 1048576 ] || why "not all sent: '$(row_of $src)'" || return
	[ ! -e $d ] || why "$d was created" || return
	no_temp_left $UP
}

# resume: the part the server has is read back into the digest; a server
# that has it all gets nothing, and the file is checked all the same
t_sha_put_resume() {
	local srv src=$PSRC/shar.bin d
	put_fixtures
	mkfile $src 100000
	for srv in bb vs; do
		d=$UP/shar-$srv.bin
		head -c 40000 $src >"$d"
		chown "$FTP_USER" "$d"
		req "put $src ftp://$(auth_of $srv)/up/${d##*/} resume sha256=$(sha $src) wait"
		check_put $src "$d" || { WHY="$srv: $WHY"; return 1; }
	done
	req "put $src ftp://$AUTH/up/shar-bb.bin resume sha256=$(other_sha $src) wait"
	sha_failed $src || { WHY="complete: $WHY"; return 1; }
	req "put $src ftp://$AUTH/up/shar-bb.bin resume sha256=$(sha $src) wait"
	check_put $src $UP/shar-bb.bin
}

t_sha_malformed() {
	local ok=ftp://127.0.0.1/pub/f1024.bin d=$DST/shabad.bin h
	h=$(sha /srv/pub/f1024.bin)
	BAD=
	reject "63 digits" "get $ok $d sha256=${h%?}"
	reject "65 digits" "get $ok $d sha256=${h}0"
	reject "not hex" "get $ok $d sha256=${h%?}g"
	reject "empty" "get $ok $d sha256="
	reject "on list" "list ftp://127.0.0.1/pub/ $d sha256=$h"
	reject "twice" "put /srv/pub/f1024.bin ftp://127.0.0.1/up/x.bin sha256=$h sha256=$h"
	[ ! -e "$d" ] || BAD="$BAD; $d was created"
	[ -z "$BAD" ] || why "${BAD#; }"
}

# ---- checks the other files lacked ----

# put retries=3 against 421 twice: the third try, 1 + 2 s later, uploads
t_u_put_retries_421() {
	local src=$PSRC/r421.bin t0 t
	put_fixtures
	mkfile $src 5000
	hsetup 2803
	hserve busy_twice || return
	t0=$(uptime_s)
	req "put $src $HURL/up.bin retries=3 timeout=5 wait"
	t=$(since "$t0")
	hstop
	[ "$REQ_OUT" = ok ] || why "kftpreq: '$REQ_OUT' $(row_of $src)" || return
	[ "$(sha "$HX/srv/up.bin")" = "$(sha $src)" ] || why "the server's up.bin is not $src" || return
	[ "$(field VERB $src) $(field STATE $src) $(field TRY $src)" = "put done 3" ] ||
		why "status: '$(row_of $src)'" || return
	[ "$(grep -c '421 busy' "$HX/log")" -eq 2 ] && [ "$(grep -c ' start$' "$HX/log")" -eq 3 ] &&
		[ "$(grep -c ' STOR up.bin$' "$HX/log")" -eq 1 ] ||
		why "server: $(tr '\n' '|' <"$HX/log")" || return
	awk -v t="$t" 'BEGIN { exit !(t >= 3 && t <= 8) }' || why "3 tries took $t s, not 1 + 2 s and some"
}

# the VERB column names what a transfer does
t_u_list_verb() {
	local l=$DST/verb-list.txt g=$DST/verb-get.bin
	rm -f $l $g
	req "list ftp://$AUTH/pub/ $l wait"
	list_done $l || return
	[ "$(field VERB $l)" = list ] || why "list: '$(row_of $l)'" || return
	req "get ftp://$AUTH/pub/f1024.bin $g wait"
	check_done /srv/pub/f1024.bin $g || return
	[ "$(field VERB $g)" = get ] || why "get: '$(row_of $g)'"
}
