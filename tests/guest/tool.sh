# shellcheck shell=dash
# SPDX-License-Identifier: GPL-2.0
# Tests of the kftp command (tools/kftp/, kftp(1)) against the module, run
# in the guest by check.sh, which sources this file: t_NAME functions in
# check.sh's style, listed in TOOL_TESTS.  The static kftp and ptyrun (a
# pseudo-terminal for the progress bar and a real Ctrl-C; busybox has no
# script applet) are in /bin.
#
# Exit codes checked (kftp(1)): 0 success, 2 usage, 3 refused (by the
# parser, the module, or an unknown ID), 4 no module, 5 not permitted,
# 6 busy, 7 no connection, 8 connection lost, 9 EACCES, 10 ENOENT,
# 11 ETIMEDOUT, 12 EPROTO, 13 EFBIG, 14 local file, 15 cancelled,
# 17 EBADMSG, 130 Ctrl-C.  Not provoked here: 1 (another error) and
# 16 (ENOMEM).

# shellcheck disable=SC2034 # read by check.sh
TOOL_TESTS="tool_summary tool_quiet tool_pty_progress tool_netrc tool_eacces
tool_enoent tool_timeout tool_ctrl_c tool_put tool_list tool_status_cancel
tool_reason tool_zone tool_nomodule tool_nonroot tool_busy tool_refused
tool_reset tool_eproto tool_fbig tool_put_missing tool_cancelled tool_sha256
tool_user tool_naming tool_list_stdout tool_json tool_help tool_pty_narrow
tool_pty_winch tool_notes tool_batch tool_batch_one_write tool_batch_input
tool_batch_100 tool_ids_100 tool_waits_poll"
# shellcheck disable=SC2034 # checked by check.sh
TOOL_COUNT=37

TOOL_SRC=/srv/pub/tool.bin
TOOL_SIZE=300000

# tool ARGS...: run kftp with a time bound; TOOL_RC, TOOL_ERR (its stderr)
tool() {
	timeout "$WAIT_MAX" kftp "$@" >/tmp/tool.stdout 2>/tmp/tool.stderr
	TOOL_RC=$?
	TOOL_ERR=$(cat /tmp/tool.stderr)
}

# tool_in DIR ARGS...: tool, run in DIR
tool_in() {
	local d=$1
	shift
	cd "$d" || return
	tool "$@"
	cd - >/dev/null || return
}

tool_rc() {	# WANT: TOOL_RC must be WANT
	[ "$TOOL_RC" -eq "$1" ] || why "exit $TOOL_RC, expected $1: '$TOOL_ERR'"
}

tool_fixture() {
	[ -f $TOOL_SRC ] || mkfile $TOOL_SRC $TOOL_SIZE
}

# ptyrun needs devpts, which the guest's init does not mount
tool_pty() {
	grep -q ' /dev/pts devpts ' /proc/mounts && return 0
	mkdir -p /dev/pts && mount -t devpts -o ptmxmode=0666 devpts /dev/pts
}

# not on a terminal: one summary line on stderr, nothing on stdout
t_tool_summary() {
	local d=$DST/tool-sum.bin
	tool_fixture
	rm -f $d
	tool get "ftp://$AUTH/pub/tool.bin" $d
	tool_rc 0 || return
	[ "$(sha $d)" = "$(sha $TOOL_SRC)" ] || why "$d differs" || return
	[ "$(echo "$TOOL_ERR" | wc -l)" -eq 1 ] || why "not one line: '$TOOL_ERR'" || return
	echo "$TOOL_ERR" | grep -Eq "^kftp: transfer [0-9]+ done: $TOOL_SIZE bytes .*, tool-sum.bin$" ||
		why "summary: '$TOOL_ERR'" || return
	[ ! -s /tmp/tool.stdout ] || why "stdout: '$(cat /tmp/tool.stdout)'"
}

t_tool_quiet() {
	local d=$DST/tool-q.bin
	tool_fixture
	rm -f $d
	tool -q get "ftp://$AUTH/pub/tool.bin" $d
	tool_rc 0 || return
	[ "$(sha $d)" = "$(sha $TOOL_SRC)" ] || why "$d differs" || return
	[ -z "$TOOL_ERR" ] && [ ! -s /tmp/tool.stdout ] || why "-q printed '$TOOL_ERR'"
}

# on a terminal: the bar, redrawn with CR, ends at 100% with the size; a
# PATH with a blank (quoted in the request) and a relative PATH
t_tool_pty_progress() {
	local d="$DST/tool pty.bin" out=/tmp/tool-pty.out rc
	tool_fixture
	tool_pty || why "cannot mount devpts" || return
	rm -f "$d"
	(cd $DST && timeout "$WAIT_MAX" ptyrun $out kftp get "ftp://$AUTH/pub/tool.bin" "tool pty.bin")
	rc=$?
	[ "$rc" -eq 0 ] || why "exit $rc: '$(tr '\r' '\n' <$out | tail -n 3)'" || return
	[ "$(sha "$d")" = "$(sha $TOOL_SRC)" ] || why "'$d' differs" || return
	grep -q "$(printf '\r')tool pty.bin" $out || why "no CR-redrawn line: '$(cat -v $out)'" || return
	tr '\r' '\n' <$out | grep -Eq \
		'^tool pty.bin +\[#+\] 100%  293\.0 KiB / 293\.0 KiB  [0-9.]+ [KMG]?i?B/s  ETA 00:00' ||
		why "no final bar: '$(cat -v $out)'" || return
	[ -z "$(wider_than 79 $out)" ] || why "wider than 79 columns: '$(wider_than 79 $out)'" || return
	! grep -q 'done:' $out || why "summary line on a terminal"
}

# plines FILE: the lines a terminal showed, split at CR and LF, without
# the erase-to-end; wider_than N FILE: those longer than N columns ("…"
# is one)
plines() {
	tr '\r' '\n' <"$1" | tr -d '\033' | sed 's/\[K//g' | grep -v '^$'
}
wider_than() {
	plines "$2" | sed "s/$(printf '\342\200\246')/./g" | awk -v n="$1" 'length($0) > n'
}

# the password from --netrc: not on the command line, and it logs in
t_tool_netrc() {
	local d=$DST/tool-netrc.bin
	tool_fixture
	rm -f $d
	printf 'machine 10.9.9.9 login x password y\nmachine 127.0.0.1 login %s password %s\n' \
		"$FTP_USER" "$FTP_PASS" >/tmp/netrc
	tool --netrc-file /tmp/netrc get ftp://127.0.0.1/pub/tool.bin $d
	tool_rc 0 || return
	[ "$(sha $d)" = "$(sha $TOOL_SRC)" ] || why "$d differs" || return
	# the status table shows the netrc user with a masked password
	row_of $d | grep -q " ftp://$FTP_USER:\*\*\*@127.0.0.1/pub/tool.bin " ||
		why "row: '$(row_of $d)'"
}

t_tool_eacces() {
	local d=$DST/tool-acc.bin
	tool_fixture
	printf 'machine 127.0.0.1 login %s password wrong-%s\n' "$FTP_USER" "$FTP_PASS" >/tmp/netrc.bad
	tool --netrc-file /tmp/netrc.bad get ftp://127.0.0.1/pub/tool.bin $d
	tool_rc 9 || return
	echo "$TOOL_ERR" | grep -q 'failed: EACCES' || why "message: '$TOOL_ERR'" || return
	[ ! -e $d ] || why "$d was created"
}

t_tool_enoent() {
	local d=$DST/tool-noent.bin
	tool get "ftp://$AUTH/pub/no-such-file.bin" $d
	tool_rc 10 || return
	echo "$TOOL_ERR" | grep -q 'failed: ENOENT' || why "message: '$TOOL_ERR'" || return
	[ ! -e $d ] || why "$d was created"
}

t_tool_timeout() {
	local d=/tmp/tooltmo/big.bin pid
	mkdir -p /tmp/tooltmo
	stallftpd 2111 65536 4 2>/dev/null &
	pid=$!
	wait_port 2111 || { kill $pid; why "stallftpd did not start"; return; }
	tool get ftp://127.0.0.1:2111/big.bin $d timeout=2
	kill $pid
	tool_rc 11 || return
	echo "$TOOL_ERR" | grep -q 'failed: ETIMEDOUT' || why "message: '$TOOL_ERR'" || return
	[ ! -e $d ] || why "$d was created" || return
	no_temp_left /tmp/tooltmo
}

# Ctrl-C typed on the terminal while data flows: kftp writes "cancel ID",
# the transfer ends cancelled/ECANCELED, kftp exits 130 (128 + SIGINT)
t_tool_ctrl_c() {
	local d=/tmp/toolint/big.bin out=/tmp/tool-int.out pid ppid i=0 rc
	mkdir -p /tmp/toolint
	tool_pty || why "cannot mount devpts" || return
	stallftpd 2112 1048576 4 2>/dev/null &
	pid=$!
	wait_port 2112 || { kill $pid; why "stallftpd did not start"; return; }
	ptyrun $out kftp get ftp://127.0.0.1:2112/big.bin $d timeout=600 &
	ppid=$!
	while [ $i -lt 150 ]; do
		[ "$(field STATE $d)" = transferring ] && [ "$(field BYTES $d)" -ge 1048576 ] 2>/dev/null &&
			break
		sleep 0.2
		i=$((i + 1))
	done
	sleep 0.5	# a redraw at the bytes seen
	kill -USR1 $ppid
	exits_within 10 $ppid
	kill $pid
	if kill -0 $ppid 2>/dev/null; then
		kill -KILL $ppid
		why "kftp still running 10 s after Ctrl-C: '$(tr '\r' '\n' <$out | tail -n 2)'"
		return
	fi
	wait $ppid
	rc=$?
	[ "$rc" -eq 130 ] || why "exit $rc, expected 130: '$(tr '\r' '\n' <$out | tail -n 3)'" || return
	[ "$(field STATE $d)" = cancelled ] && [ "$(field ERRNO $d)" = ECANCELED ] ||
		why "status: '$(row_of $d)'" || return
	grep -q "transfer $(field ID $d) cancelled" $out || why "output: '$(cat -v $out)'" || return
	# the bar showed the bytes against SIZE's 1 GiB
	tr '\r' '\n' <$out | grep -Eq '^big.bin .*  0%  1\.0 MiB / 1\.0 GiB ' ||
		why "no bar at 1 MiB: '$(cat -v $out)'" || return
	[ ! -e $d ] || why "$d was created" || return
	no_temp_left /tmp/toolint
}

# put and list are not in the module yet: its EINVAL is reported as such
# put: the module's put (tests/guest/put.sh), through the command
t_tool_put() {
	tool_fixture
	put_fixtures
	rm -f "$UP/tool.bin"
	tool put $TOOL_SRC "ftp://$AUTH/up/tool.bin"
	tool_rc 0 || return
	[ "$(sha "$UP/tool.bin")" = "$(sha $TOOL_SRC)" ] || why "the server's copy differs"
}

# the listing (LIST: busybox ftpd has no MLSD) names the file listed
t_tool_list() {
	local d=$DST/tool-list.txt
	tool_fixture
	rm -f $d
	tool list "ftp://$AUTH/pub/" $d
	tool_rc 0 || return
	[ "$(field STATE $d)" = done ] || why "status: '$(row_of $d)'" || return
	tr -d '\r' <$d | grep -q ' tool\.bin$' || why "no tool.bin in the listing: $(head -c 300 $d)"
}

t_tool_status_cancel() {
	local d=$DST/tool-sum.bin id
	id=$(field ID $d)
	[ -n "$id" ] || { tool get "ftp://$AUTH/pub/tool.bin" $d; id=$(field ID $d); }
	tool status
	tool_rc 0 || return
	cmp -s /tmp/tool.stdout $STATUS || why "status differs from $STATUS" || return
	tool status "$id"
	tool_rc 0 || return
	[ "$(sed -n 2p /tmp/tool.stdout)" = "$(row_of $d)" ] &&
		[ "$(wc -l </tmp/tool.stdout)" -eq 2 ] || why "status $id: '$(cat /tmp/tool.stdout)'" || return
	tool status 99999999
	tool_rc 3 || return
	tool cancel 99999999
	tool_rc 3 || return
	tool cancel "$id"	# finished: nothing to cancel
	tool_rc 3 || return
	tool cancel abc
	tool_rc 2
}

# tool_err WORDS: TOOL_ERR must have WORDS
tool_err() {
	echo "$TOOL_ERR" | grep -qF -- "$1" || why "message: '$TOOL_ERR', without '$1'"
}

# a bad option: the parser's reason at once, exit 3, nothing queued
t_tool_reason() {
	local d=$DST/tool-reason.bin m0
	m0=$(max_id)
	tool --segments 99 get "ftp://$AUTH/pub/tool.bin" $d
	tool_rc 3 || return
	tool_err "segments must be 1 to 16" || return
	tool -C - get "ftp://$AUTH/pub/tool.bin" $d --ascii
	tool_rc 3 || return
	tool_err "type=ascii and resume cannot be combined" || return
	[ "$(max_id)" = "$m0" ] || why "something was queued" || return
	[ ! -e $d ] || why "$d was created"
}

# the write's ENODEV for a zone that names no interface: refused, exit 3,
# not "the module is not loaded"
t_tool_zone() {
	tool get "ftp://[fe80::1%25nosuch0]/pub/tool.bin" $DST/tool-zone.bin
	tool_rc 3 || return
	tool_err "no such network interface for the zone" || return
	! echo "$TOOL_ERR" | grep -q "not loaded" || why "message: '$TOOL_ERR'"
}

t_tool_nomodule() {
	KFTP_PROC=/tmp/no-kftp tool get "ftp://$AUTH/pub/tool.bin" $DST/tool-nomod.bin
	tool_rc 4 || return
	tool_err "the kftp module is not loaded"
}

# a user who may not open the request file: exit 5, not 9 (login refused)
t_tool_nonroot() {
	mkdir -p /tmp/toolnr && chmod 0777 /tmp/toolnr
	timeout "$WAIT_MAX" busybox su -s /bin/sh "$FTP_USER" -c \
		"kftp get 'ftp://$AUTH/pub/tool.bin' /tmp/toolnr/x.bin" >/tmp/tool.stdout 2>/tmp/tool.stderr
	TOOL_RC=$?
	TOOL_ERR=$(cat /tmp/tool.stderr)
	tool_rc 5 || return
	tool_err "Permission denied" || return
	[ ! -e /tmp/toolnr/x.bin ] || why "the file was written"
}

# a transfer in progress writes the same file: the write's EBUSY, exit 6
t_tool_busy() {
	local d=/tmp/toolbusy/big.bin pid id rc=0
	mkdir -p /tmp/toolbusy
	stallftpd 2113 65536 4 2>/dev/null &
	pid=$!
	wait_port 2113 || { kill $pid; why "stallftpd did not start"; return; }
	kftpreq "get ftp://127.0.0.1:2113/big.bin $d timeout=60" >/dev/null 2>&1
	moving $d || { kill $pid; why "the first transfer never moved: '$(row_of $d)'"; return; }
	id=$(field ID $d)
	tool get ftp://127.0.0.1:2113/big.bin $d
	tool_rc 6 || rc=1
	[ $rc -eq 1 ] || tool_err "a transfer in progress writes that file" || rc=1
	kftpreq "cancel $id" >/dev/null 2>&1
	kill $pid
	return $rc
}

t_tool_refused() {
	tool get ftp://127.0.0.1:1/f.bin $DST/tool-refused.bin
	tool_rc 7 || return
	tool_err "ECONNREFUSED"
}

# the data connection ends with a RST: exit 8
t_tool_reset() {
	hsetup 2114
	hserve reset || return
	tool get "$HURL/h.bin" "$HX/d/reset.bin" timeout=10
	hstop
	tool_rc 8 || return
	tool_err "ECONNRESET"
}

# 226 before the 150: exit 12
t_tool_eproto() {
	hsetup 2115
	hserve early_226 || return
	tool get "$HURL/h.bin" "$HX/d/proto.bin" timeout=5
	hstop
	tool_rc 12 || return
	tool_err "EPROTO"
}

t_tool_fbig() {
	local d=$DST/tool-fbig.bin
	tool_fixture
	tool --max-filesize 1K get "ftp://$AUTH/pub/tool.bin" $d
	tool_rc 13 || return
	tool_err "EFBIG" || return
	[ ! -e $d ] || why "$d was created"
}

# put of a missing local file: a local error (14), not "no such remote file"
t_tool_put_missing() {
	put_fixtures
	tool put /tmp/no-such-file.bin "ftp://$AUTH/up/missing.bin"
	tool_rc 14 || return
	tool_err "/tmp/no-such-file.bin: No such file or directory" || return
	tool -T /tmp/no-such-file.bin "ftp://$AUTH/up/"
	tool_rc 14 || return
	[ ! -e "$UP/missing.bin" ] || why "the server has a file"
}

# cancelled by someone else (kftp cancel ID): exit 15
t_tool_cancelled() {
	local d=/tmp/toolcnl/big.bin pid kpid rc
	mkdir -p /tmp/toolcnl
	stallftpd 2116 65536 4 2>/dev/null &
	pid=$!
	wait_port 2116 || { kill $pid; why "stallftpd did not start"; return; }
	kftp -q get ftp://127.0.0.1:2116/big.bin $d timeout=60 2>/tmp/tool-cnl.err &
	kpid=$!
	moving $d || { kill $kpid $pid; why "the transfer never moved: '$(row_of $d)'"; return; }
	tool cancel "$(field ID $d)"
	tool_rc 0 || { kill $kpid $pid; return 1; }
	exits_within 10 $kpid || { kill $kpid $pid; why "kftp still running after the cancel"; return; }
	wait $kpid
	rc=$?
	kill $pid
	[ $rc -eq 15 ] || why "exit $rc, expected 15: '$(cat /tmp/tool-cnl.err)'" || return
	grep -q "failed: ECANCELED" /tmp/tool-cnl.err || why "message: '$(cat /tmp/tool-cnl.err)'"
}

# --sha256: the right digest passes, another one fails with exit 17
t_tool_sha256() {
	local d=$DST/tool-sha.bin bad
	tool_fixture
	rm -f $d
	bad=$(echo "$(sha $TOOL_SRC)" | tr '0-9a-f' '1-9a-f0')
	tool --sha256 "$bad" get "ftp://$AUTH/pub/tool.bin" $d
	tool_rc 17 || return
	tool_err "EBADMSG" || return
	[ ! -e $d ] || why "$d was created" || return
	tool --sha256 "$(sha $TOOL_SRC)" get "ftp://$AUTH/pub/tool.bin" $d
	tool_rc 0 || return
	[ "$(sha $d)" = "$(sha $TOOL_SRC)" ] || why "$d differs"
}

# -u USER:PASS logs in; -u USER without a terminal is an error, not an
# empty password, and nothing is written
t_tool_user() {
	local d=$DST/tool-user.bin m0
	tool_fixture
	rm -f $d
	tool -u "$FTP_USER:$FTP_PASS" ftp://127.0.0.1/pub/tool.bin -o $d
	tool_rc 0 || return
	[ "$(sha $d)" = "$(sha $TOOL_SRC)" ] || why "$d differs" || return
	row_of $d | grep -q " ftp://$FTP_USER:\*\*\*@127.0.0.1/pub/tool.bin " ||
		why "row: '$(row_of $d)'" || return
	m0=$(max_id)
	tool -u "$FTP_USER" ftp://127.0.0.1/pub/tool.bin -o $DST/tool-user2.bin </dev/null
	tool_rc 2 || return
	tool_err "no password for $FTP_USER" || return
	[ "$(max_id)" = "$m0" ] || why "something was queued"
}

# where a download goes: -O and no PATH (the remote name in the current
# directory), -o DIR and a directory PATH (DIR/the remote name)
t_tool_naming() {
	local w=/tmp/toolname
	tool_fixture
	rm -rf $w
	mkdir -p $w/a $w/b $w/c
	tool_in $w/a -q -O "ftp://$AUTH/pub/tool.bin" && tool_rc 0 || return
	tool_in $w/b -q "ftp://$AUTH/pub/tool.bin" && tool_rc 0 || return
	tool_in $w -q -o c "ftp://$AUTH/pub/tool.bin" && tool_rc 0 || return
	rm $w/a/tool.bin
	tool_in $w -q get "ftp://$AUTH/pub/tool.bin" a/ && tool_rc 0 || return
	for f in $w/a/tool.bin $w/b/tool.bin $w/c/tool.bin; do
		[ "$(sha $f)" = "$(sha $TOOL_SRC)" ] || why "$f: not the file" || return
	done
	tool -o $w "ftp://$AUTH/pub/"
	tool_rc 2 || return
	tool_err "names no file"
}

# list without PATH: the listing on stdout, nothing left behind
t_tool_list_stdout() {
	local t=/tmp/toollist
	tool_fixture
	rm -rf $t
	mkdir -p $t
	TMPDIR=$t tool -q list "ftp://$AUTH/pub/"
	tool_rc 0 || return
	tr -d '\r' </tmp/tool.stdout | grep -q ' tool\.bin$' ||
		why "no tool.bin on stdout: $(head -c 300 /tmp/tool.stdout)" || return
	[ -z "$(ls -A $t)" ] || why "left in TMPDIR: $(ls -A $t)" || return
	TMPDIR=$t tool -q -l "ftp://$AUTH/pub/"
	tool_rc 0 || return
	tr -d '\r' </tmp/tool.stdout | grep -qx 'tool\.bin' ||
		why "-l: no tool.bin line: $(head -c 300 /tmp/tool.stdout)"
}

# --json: one object on stdout when the transfer ends, without the password
t_tool_json() {
	local d=$DST/tool-json.bin j
	tool_fixture
	rm -f $d
	tool -q --json get "ftp://$AUTH/pub/tool.bin" $d
	tool_rc 0 || return
	j=$(cat /tmp/tool.stdout)
	[ "$(echo "$j" | wc -l)" -eq 1 ] || why "not one line: '$j'" || return
	echo "$j" | grep -Eq "^\{\"id\":$(field ID $d),\"verb\":\"get\",\"url\":\"ftp://$FTP_USER:\*\*\*@127.0.0.1/pub/tool.bin\",\"path\":\"$d\",\"state\":\"done\",\"errno\":null,\"bytes\":$TOOL_SIZE,\"total\":$TOOL_SIZE,\"seconds\":[0-9.]+,\"rate\":(null|[0-9]+),\"reply\":null\}$" ||
		why "json: '$j'" || return
	! grep -q "$FTP_PASS" /tmp/tool.stdout || why "the password is in the output" || return
	tool -q --json get "ftp://$AUTH/pub/no-such-file.bin" $DST/tool-json2.bin
	tool_rc 10 || return
	grep -q '"state":"failed","errno":"ENOENT",' /tmp/tool.stdout || why "json: '$(cat /tmp/tool.stdout)'"
}

# -h on stdout with exit 0, -V, and -- before a word that starts with -
t_tool_help() {
	tool -h
	tool_rc 0 || return
	grep -q '^usage: kftp' /tmp/tool.stdout && [ -z "$TOOL_ERR" ] || why "-h: '$(head -n 2 /tmp/tool.stdout)'" || return
	tool -V
	tool_rc 0 || return
	grep -q '^kftp ' /tmp/tool.stdout || why "-V: '$(cat /tmp/tool.stdout)'" || return
	rm -f $DST/-dash.bin
	tool_in $DST -q -- get "ftp://$AUTH/pub/tool.bin" -dash.bin && tool_rc 0 || return
	[ "$(sha $DST/-dash.bin)" = "$(sha $TOOL_SRC)" ] || why "-- get URL -dash.bin: no file"
}

# a 40-column terminal: no line wider than 39 columns, a long name cut
# at its start with "…", its end kept
t_tool_pty_narrow() {
	local n=a-rather-long-file-name-for-the-bar.bin out=/tmp/tool-narrow.out rc
	tool_fixture
	tool_pty || why "cannot mount devpts" || return
	rm -f "$DST/$n"
	(cd $DST && PTYRUN_COLS=40 timeout "$WAIT_MAX" ptyrun $out kftp get "ftp://$AUTH/pub/tool.bin" $n)
	rc=$?
	[ "$rc" -eq 0 ] || why "exit $rc: '$(cat -v $out)'" || return
	[ "$(sha "$DST/$n")" = "$(sha $TOOL_SRC)" ] || why "$n differs" || return
	[ -z "$(wider_than 39 $out)" ] || why "wider than 39 columns: '$(wider_than 39 $out)'" || return
	tr '\r' '\n' <$out | grep -q "^$(printf '\342\200\246')[-a-z]*-bar\.bin .*100%" ||
		why "no cut name with its end: '$(cat -v $out)'"
}

# SIGWINCH: after the terminal shrinks from 100 to 50 columns, the line is
# drawn again in 50 (the last one, kept at Ctrl-C, is the proof)
t_tool_pty_winch() {
	local d=/tmp/toolwinch/big.bin out=/tmp/tool-winch.out pid ppid i=0 last
	mkdir -p /tmp/toolwinch
	tool_pty || why "cannot mount devpts" || return
	stallftpd 2117 1048576 4 2>/dev/null &
	pid=$!
	wait_port 2117 || { kill $pid; why "stallftpd did not start"; return; }
	PTYRUN_COLS=100 ptyrun $out kftp get ftp://127.0.0.1:2117/big.bin $d timeout=600 &
	ppid=$!
	while [ $i -lt 150 ] && [ -z "$(wider_than 49 $out)" ]; do
		sleep 0.2
		i=$((i + 1))
	done
	[ -n "$(wider_than 49 $out)" ] || { kill $ppid $pid; why "no line wider than 49: '$(cat -v $out)'"; return; }
	kill -USR2 $ppid
	i=0
	while [ $i -lt 50 ] && ! sed -n '/^\[ptyrun: 50 columns\]/,$p' $out | grep -q "$(printf '\r')"; do
		sleep 0.2
		i=$((i + 1))
	done
	kill -USR1 $ppid
	exits_within 10 $ppid || { kill -KILL $ppid; kill $pid; why "kftp still running after Ctrl-C"; return; }
	wait $ppid
	kill $pid
	grep -q '^\[ptyrun: 50 columns\]' $out || why "ptyrun did not resize: '$(cat -v $out)'" || return
	# the line kept at Ctrl-C, before "transfer N cancelled"
	sed -n '/^\[ptyrun: 50 columns\]/,$p' $out >$out.after
	last=$(plines $out.after | grep -B1 'cancelled' | head -n 1)
	echo "$last" | grep -q '^big\.bin ' || why "no line kept: '$(cat -v $out)'" || return
	[ "$(echo "$last" | awk '{ print length($0) }')" -le 49 ] || why "kept line wider than 49: '$last'"
}

# off a terminal: a line every 10 s while a transfer runs
t_tool_notes() {
	local d=/tmp/toolnote/big.bin pid kpid i=0
	mkdir -p /tmp/toolnote
	stallftpd 2118 65536 4 2>/dev/null &
	pid=$!
	wait_port 2118 || { kill $pid; why "stallftpd did not start"; return; }
	kftp get ftp://127.0.0.1:2118/big.bin $d timeout=600 2>/tmp/tool-note.err &
	kpid=$!
	while [ $i -lt 150 ] && ! grep -q '^kftp: transfer [0-9]*: ' /tmp/tool-note.err; do
		sleep 0.2
		i=$((i + 1))
	done
	kftp cancel "$(field ID $d)" 2>/dev/null
	exits_within 10 $kpid || kill $kpid
	kill $pid
	grep -Eq '^kftp: transfer [0-9]+: 64\.0 KiB of [0-9.]+ [KMGT]iB \([0-9]+%\), [0-9.]+ [KMG]?i?B/s, big\.bin$' \
		/tmp/tool-note.err || why "no progress line in 30 s: '$(cat /tmp/tool-note.err)'"
}

# several URLs: each to its name in -o DIR, a line per transfer and the total
t_tool_batch() {
	local w=/tmp/toolbatch
	tool_fixture
	rm -rf $w
	mkdir -p $w
	cp $TOOL_SRC /srv/pub/tool2.bin
	tool "ftp://$AUTH/pub/tool.bin" "ftp://$AUTH/pub/tool2.bin" -o $w
	tool_rc 0 || return
	[ "$(sha $w/tool.bin)" = "$(sha $TOOL_SRC)" ] && [ "$(sha $w/tool2.bin)" = "$(sha $TOOL_SRC)" ] ||
		why "not both files: $(ls $w)" || return
	echo "$TOOL_ERR" | grep -Eq "^kftp: transfer [0-9]+ done: $TOOL_SIZE bytes .*, tool\.bin$" &&
		echo "$TOOL_ERR" | grep -Eq "^kftp: transfer [0-9]+ done: $TOOL_SIZE bytes .*, tool2\.bin$" &&
		echo "$TOOL_ERR" | grep -q "^kftp: 2 transfers: 2 done, 0 failed, $((2 * TOOL_SIZE)) bytes " ||
		why "output: '$TOOL_ERR'"
}

# the requests go out in one write: a second line the module refuses (a
# zone without its interface, which only the module can tell) leaves the
# first one unqueued; the message has the module's read-back reason, with
# the line it concerns
t_tool_batch_one_write() {
	local w=/tmp/toolbatch1 m0
	tool_fixture
	rm -rf $w
	mkdir -p $w
	m0=$(max_id)
	tool "ftp://$AUTH/pub/tool.bin" "ftp://[fe80::1%25nosuch0]/pub/tool.bin" -o $w
	tool_rc 3 || return
	tool_err "no such network interface for the zone" || return
	tool_err "line 2: " || return
	[ "$(max_id)" = "$m0" ] || why "something was queued: '$(tail -n 2 $STATUS)'" || return
	[ ! -e $w/tool.bin ] || why "the first line was fetched"
}

# -i -: one request a line from stdin, one JSON object each, the exit
# status of the first that failed
t_tool_batch_input() {
	local w=/tmp/toolbatchi n
	tool_fixture
	put_fixtures
	rm -rf $w
	mkdir -p $w
	rm -f "$UP/tool-i.bin"
	printf '%s\n' "# requests" "ftp://$AUTH/pub/tool.bin" "" \
		"get ftp://$AUTH/pub/tool.bin $w/second.bin retries=1" \
		"put $TOOL_SRC ftp://$AUTH/up/tool-i.bin" \
		"get ftp://$AUTH/pub/no-such-file.bin $w/none.bin" >$w.in
	(cd $w && timeout "$WAIT_MAX" kftp -q --json -i - <$w.in >/tmp/tool.stdout 2>/tmp/tool.stderr)
	TOOL_RC=$?
	TOOL_ERR=$(cat /tmp/tool.stderr)
	tool_rc 10 || return
	n=$(grep -c '^{"id":[0-9][0-9]*,' /tmp/tool.stdout)
	[ "$n" -eq 4 ] || why "$n JSON objects with an ID: '$(cat /tmp/tool.stdout)'" || return
	grep -q "\"path\":\"$w/tool.bin\",\"state\":\"done\"" /tmp/tool.stdout &&
		grep -q "\"path\":\"$w/second.bin\",\"state\":\"done\"" /tmp/tool.stdout &&
		grep -q "\"verb\":\"put\",.*\"state\":\"done\"" /tmp/tool.stdout &&
		grep -q "\"path\":\"$w/none.bin\",\"state\":\"failed\",\"errno\":\"ENOENT\"" /tmp/tool.stdout ||
		why "json: '$(cat /tmp/tool.stdout)'" || return
	[ "$(sha $w/tool.bin)" = "$(sha $TOOL_SRC)" ] && [ "$(sha $w/second.bin)" = "$(sha $TOOL_SRC)" ] &&
		[ "$(sha "$UP/tool-i.bin")" = "$(sha $TOOL_SRC)" ] || why "a file differs"
}

# 100 requests from one `kftp -i -`, with max_transfers=128: every file
# arrives, one JSON object each.  The default history (32): kftp learns
# each outcome from its row, which the module keeps while kftp's request
# file is open
t_tool_batch_100() {
	local w=/tmp/toolbatch100 i=1 rc=0
	tool_fixture
	knob_load max_transfers=128 || return
	rm -rf $w
	mkdir -p $w
	while [ $i -le 100 ]; do
		echo "get ftp://$AUTH/pub/tool.bin $w/f$i.bin"
		i=$((i + 1))
	done >$w.in
	timeout "$WAIT_MAX" kftp -q --json -i - <$w.in >/tmp/tool.stdout 2>/tmp/tool.stderr
	TOOL_RC=$?
	TOOL_ERR=$(cat /tmp/tool.stderr)
	tool_rc 0 || { why "$WHY: $(grep -v '"state":"done"' /tmp/tool.stdout | head -n 3)"; rc=1; }
	[ $rc -eq 1 ] || [ "$(grep -c '"state":"done","errno":null' /tmp/tool.stdout)" -eq 100 ] ||
		why "not 100 done: '$(grep -v '"state":"done"' /tmp/tool.stdout | head -n 3)'" || rc=1
	i=1
	while [ $rc -eq 0 ] && [ $i -le 100 ]; do
		[ "$(sha $w/f$i.bin)" = "$(sha $TOOL_SRC)" ] || why "f$i.bin differs" || rc=1
		i=$((i + 1))
	done
	knob_done $rc
}

# A script starts 100 transfers with one `kftp --json -i -` and learns
# each one's ID from its JSON object: the module's ID, 100 distinct ones
# (one write's, so consecutive in line order), though 5 of the lines are
# the same put (a URL and PATH the status table cannot tell apart; atomic,
# so that the server's file is whole whichever ends last), each done with
# its bytes, with the default history (32): the module keeps every row
# while kftp's request file is open.  Once kftp has ended, the table has
# the newest 32 rows, each with the ID of its JSON object
t_tool_ids_100() {
	local w=/tmp/toolids100 i=1 rc=0 n id p first
	tool_fixture
	put_fixtures
	knob_load max_transfers=128 || return
	rm -rf $w "$UP/tool-ids.bin"
	mkdir -p $w
	while [ $i -le 100 ]; do
		if [ $i -le 95 ]; then
			echo "get ftp://$AUTH/pub/tool.bin $w/f$i.bin"
		else
			echo "put $TOOL_SRC ftp://$AUTH/up/tool-ids.bin atomic"
		fi
		i=$((i + 1))
	done >$w.in
	timeout "$WAIT_MAX" kftp -q --json -i - <$w.in >$w.json 2>/tmp/tool.stderr
	TOOL_RC=$?
	TOOL_ERR=$(cat /tmp/tool.stderr)
	tool_rc 0 || rc=1
	n=$(grep -c "^{\"id\":[0-9][0-9]*,.*,\"state\":\"done\",\"errno\":null,\"bytes\":$TOOL_SIZE," $w.json)
	[ $rc -eq 1 ] || [ "$n" -eq 100 ] || why "$n of 100 done with $TOOL_SIZE bytes: '$(head -n 3 $w.json)'" || rc=1
	n=$(sed 's/^{"id":\([0-9]*\),.*/\1/' $w.json | sort -u | wc -l)
	[ $rc -eq 1 ] || [ "$n" -eq 100 ] || why "$n distinct IDs: '$(cut -c 1-12 $w.json | sort | uniq -d | head -n 3)'" || rc=1
	[ $rc -eq 1 ] || [ "$(rows)" = 32 ] || why "$(rows) rows after kftp ended, not history's 32" || rc=1
	first=$(grep "\"path\":\"$w/f1.bin\"," $w.json | sed 's/^{"id":\([0-9]*\),.*/\1/')
	i=1
	while [ $rc -eq 0 ] && [ $i -le 95 ]; do
		p=$w/f$i.bin
		id=$(grep "\"path\":\"$p\"," $w.json | sed 's/^{"id":\([0-9]*\),.*/\1/')
		[ -n "$id" ] && [ "$id" = $((first + i - 1)) ] || why "$p: ID '$id' in JSON, f1.bin's '$first'" || rc=1
		# the newest 32 lines' rows are still there
		[ $rc -eq 1 ] || [ $i -lt 69 ] || [ "$id" = "$(field ID $p)" ] ||
			why "$p: ID '$id' in JSON, '$(field ID $p)' in the table" || rc=1
		[ $rc -eq 1 ] || [ "$(sha $p)" = "$(sha $TOOL_SRC)" ] || why "$p differs" || rc=1
		i=$((i + 1))
	done
	knob_done $rc
}

# kftp waits for a state change with poll(): during 2 s of a stalled
# transfer, whose state does not change, it is not woken (at most 2
# voluntary context switches; a 0.1 s polling loop makes 20)
t_tool_waits_poll() {
	local d=/tmp/toolpoll/big.bin pid kpid c0 c1 rc=0
	mkdir -p /tmp/toolpoll
	stallftpd 2119 65536 4 2>/dev/null &
	pid=$!
	wait_port 2119 || { kill $pid; why "stallftpd did not start"; return; }
	kftp -q get ftp://127.0.0.1:2119/big.bin $d timeout=600 2>/tmp/tool-poll.err &
	kpid=$!
	moving $d || { kill $kpid $pid; why "the transfer never moved: '$(row_of $d)'"; return; }
	c0=$(awk '/^voluntary_ctxt_switches/ { print $2 }' /proc/$kpid/status)
	sleep 2	# a window to count wake-ups in, not a wait for a state
	c1=$(awk '/^voluntary_ctxt_switches/ { print $2 }' /proc/$kpid/status)
	[ "$(field STATE $d)" = transferring ] || why "the state changed: '$(row_of $d)'" || rc=1
	[ $rc -eq 1 ] || [ $((c1 - c0)) -le 2 ] || why "kftp woke $((c1 - c0)) times in 2 s" || rc=1
	kftp cancel "$(field ID $d)" 2>/dev/null
	exits_within 10 $kpid || { kill $kpid; why "kftp still running after the cancel"; rc=1; }
	kill $pid
	return $rc
}
