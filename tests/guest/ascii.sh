# shellcheck shell=dash
# SPDX-License-Identifier: GPL-2.0
# type=ascii (issue 11), run in the guest by check.sh, which sources this
# file: t_NAME functions in check.sh's style, listed in ASCII_TESTS.
# vsftpd (lib.sh, with ascii_download_enable and ascii_upload_enable)
# converts in TYPE A as RFC 959 wants; busybox ftpd ignores TYPE and
# stores and sends the bytes as they are, which shows what kftp itself
# sent and converted.

# shellcheck disable=SC2034 # read by check.sh
ASCII_TESTS="ascii_get ascii_put ascii_big ascii_malformed"
# shellcheck disable=SC2034 # checked by check.sh
ASCII_COUNT=4

A_DIR=/tmp/ascii

# /srv/pub/NAME.lf: short lines with LF, a lone CR in some; NAME.crlf:
# the same with CR LF, as they go on the wire; both readable by the users
ascii_fixture() {	# NAME LINES
	local lf=/srv/pub/$1.lf crlf=/srv/pub/$1.crlf
	mkdir -p $A_DIR
	[ -f "$crlf" ] && return 0
	awk -v n="$2" 'BEGIN { for (i = 0; i < n; i++)
		printf "%s%s\n", substr("line", 1, i % 5), i % 13 ? i : i "\r." }' >"$lf"
	awk '{ printf "%s\r\n", $0 }' "$lf" >"$crlf"
	chmod 0644 "$lf" "$crlf"
}

# a get that succeeded with the bytes of WANT: BYTES counts the file's,
# TOTAL is unknown in ascii (SIZE counts the other form)
check_text() {	# WANT DST TOTAL
	local w=$1 d=$2 size
	size=$(wc -c <"$w")
	[ "$REQ_OUT" = ok ] || why "kftpreq: '$REQ_OUT' $(reply_of "$d")" || return
	[ "$(sha "$d")" = "$(sha "$w")" ] || why "$d is not $w" || return
	[ "$(field STATE "$d")" = 'done' ] && [ "$(field BYTES "$d")" = "$size" ] &&
		[ "$(field TOTAL "$d")" = "$3" ] || why "status '$(row_of "$d")'" || return
	no_temp_left "$(dirname "$d")"
}

# vsftpd sends CR LF, kftp gives the LF file back; busybox sends the CR LF
# file as stored, kftp turns it into the LF one, and max_size counts
# that; type=binary on the same (reused) connection changes nothing.
t_ascii_get() {
	local lf=/srv/pub/a.lf crlf=/srv/pub/a.crlf d=$A_DIR/get
	local ctl=/sys/kernel/debug/dynamic_debug/control id
	ascii_fixture a 3000
	grep -q ' /sys/kernel/debug ' /proc/mounts || mount -t debugfs none /sys/kernel/debug
	[ -w $ctl ] || { why "no dynamic debug control"; return; }
	echo 'module kftp +p' >$ctl
	rm -f $d-vs.lf
	req "get ftp://$VS_AUTH/pub/a.lf $d-vs.lf type=ascii wait"
	echo 'module kftp -p' >$ctl
	check_text $lf $d-vs.lf - || { WHY="vsftpd: $WHY"; return 1; }
	# vsftpd really sent ASCII
	id=$(field ID $d-vs.lf)
	dmesg | grep -q "kftp: $id > TYPE A\$" || { why "no TYPE A of $id"; return; }
	dmesg | grep -q "kftp: $id < 150 Opening ASCII mode" ||
		{ why "vsftpd did not open in ASCII mode: $(dmesg | grep "kftp: $id < 150")"; return; }
	rm -f $d-vs.crlf
	req "get ftp://$VS_AUTH/pub/a.crlf $d-vs.crlf type=binary wait"
	check_text $crlf $d-vs.crlf "$(wc -c <$crlf)" || { WHY="vsftpd binary: $WHY"; return 1; }
	rm -f $d-bb.lf $d-bb.crlf
	req "get ftp://$AUTH/pub/a.crlf $d-bb.lf type=ascii max_size=$(wc -c <$lf) wait"
	check_text $lf $d-bb.lf - || { WHY="busybox: $WHY"; return 1; }
	req "get ftp://$AUTH/pub/a.crlf $d-bb.crlf wait"
	check_text $crlf $d-bb.crlf "$(wc -c <$crlf)" || { WHY="busybox binary: $WHY"; return 1; }
}

# vsftpd stores the LF file as it was; busybox stores what kftp sent:
# CR LF. BYTES counts the local file's bytes.
t_ascii_put() {
	local lf=/srv/pub/a.lf crlf=/srv/pub/a.crlf srv d
	ascii_fixture a 3000
	put_fixtures
	cp $lf $A_DIR/up.lf
	for srv in vs bb; do
		d=$UP/a-$srv.txt
		rm -f "$d"
		req "put $A_DIR/up.lf ftp://$(auth_of $srv)/up/${d##*/} type=ascii wait"
		[ "$REQ_OUT" = ok ] || why "$srv: kftpreq: '$REQ_OUT' $(reply_of $A_DIR/up.lf)" || return
		[ "$(field STATE $A_DIR/up.lf)" = 'done' ] &&
			[ "$(field BYTES $A_DIR/up.lf)" = "$(wc -c <$lf)" ] ||
			why "$srv: status '$(row_of $A_DIR/up.lf)'" || return
		if [ $srv = vs ]; then
			[ "$(sha "$d")" = "$(sha $lf)" ] || why "vsftpd: $d is not $lf" || return
		else
			[ "$(sha "$d")" = "$(sha $crlf)" ] || why "busybox: $d has no CR LF" || return
		fi
		no_temp_left $UP || return
	done
}

# more than a data buffer (256 KiB) of short lines: CR LF split between
# two reads and two sends, both ways, through busybox's raw bytes
t_ascii_big() {
	local lf=/srv/pub/big.lf crlf=/srv/pub/big.crlf d=$A_DIR/big.lf up=$UP/big.txt
	ascii_fixture big 160000
	put_fixtures
	rm -f $d $up
	req "get ftp://$AUTH/pub/big.crlf $d type=ascii wait"
	check_text $lf $d - || { WHY="get: $WHY"; return 1; }
	req "put $d ftp://$AUTH/up/big.txt type=ascii wait"
	[ "$REQ_OUT" = ok ] || why "put: kftpreq: '$REQ_OUT' $(reply_of $d)" || return
	[ "$(sha $up)" = "$(sha $crlf)" ] || why "put: $up is not $crlf" || return
	rm -f $d $up
}

# an offset in the file is not one on the wire: no resume, no segments
t_ascii_malformed() {
	local u=ftp://127.0.0.1/pub/a.lf s=/srv/pub/a.lf
	ascii_fixture a 3000
	BAD=
	reject "get resume type=ascii" "get $u $A_DIR/x type=ascii resume"
	reject "get segments type=ascii" "get $u $A_DIR/x segments=2 type=ascii"
	reject "put resume type=ascii" "put $s $u type=ascii resume"
	reject "type=ebcdic" "get $u $A_DIR/x type=ebcdic"
	reject "type twice" "get $u $A_DIR/x type=ascii type=binary"
	reject "list type=ascii" "list ftp://127.0.0.1/pub/ $A_DIR/x type=ascii"
	[ -z "$BAD" ] || why "${BAD#; }"
}
