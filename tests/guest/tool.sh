# shellcheck shell=dash
# SPDX-License-Identifier: GPL-2.0
# Tests of the kftp command (tools/kftp/, kftp(1)) against the module, run
# in the guest by check.sh, which sources this file: t_NAME functions in
# check.sh's style, listed in TOOL_TESTS.  The static kftp and ptyrun (a
# pseudo-terminal for the progress bar and a real Ctrl-C; busybox has no
# script applet) are in /bin.
#
# Exit codes checked (kftp(1)): 0 success, 2 usage, 3 refused by the
# module, 9 EACCES, 10 ENOENT, 11 ETIMEDOUT, 130 Ctrl-C.

# shellcheck disable=SC2034 # read by check.sh
TOOL_TESTS="tool_summary tool_quiet tool_pty_progress tool_netrc tool_eacces
tool_enoent tool_timeout tool_ctrl_c tool_put tool_list tool_status_cancel"
# shellcheck disable=SC2034 # checked by check.sh
TOOL_COUNT=11

TOOL_SRC=/srv/pub/tool.bin
TOOL_SIZE=300000

# tool ARGS...: run kftp with a time bound; TOOL_RC, TOOL_ERR (its stderr)
tool() {
	timeout "$WAIT_MAX" kftp "$@" >/tmp/tool.stdout 2>/tmp/tool.stderr
	TOOL_RC=$?
	TOOL_ERR=$(cat /tmp/tool.stderr)
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
		'^tool pty.bin +\[#{20}\] 100%  293\.0 KiB / 293\.0 KiB  [0-9.]+ [KMG]?i?B/s  ETA 00:00' ||
		why "no final bar: '$(cat -v $out)'" || return
	! grep -q 'done:' $out || why "summary line on a terminal"
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
