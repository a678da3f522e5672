# shellcheck shell=dash
# SPDX-License-Identifier: GPL-2.0
# The procfs interface as kftp(5) documents it (issue 22): the request
# file's read-back answers, and the status table's format and poll().
# Run in the guest by check.sh, which sources this file: t_NAME functions
# in check.sh's style, listed in IFACE_TESTS.

# shellcheck disable=SC2034 # read by check.sh
IFACE_TESTS="i_ids_one i_ids_many i_reason_parse i_reason_option i_reason_busy
i_reason_perm i_two_writers i_same_file i_status_format i_status_uid i_status_poll
i_kept_rows i_kept_limit i_status_snapshot"
# shellcheck disable=SC2034 # checked by check.sh
IFACE_COUNT=14

IF=/tmp/iface
IF_PORT=2903

# answer_is WANT: kftpreq -r printed "ok" or the errno, then the answer
answer_is() {
	[ "$REQ_OUT" = "$1" ] ||
		why "answer '$(echo "$REQ_OUT" | tr '\n' '|')', not '$(echo "$1" | tr '\n' '|')'"
}

# one line, and a plain echo: the ID read back is the row's
t_i_ids_one() {
	local d=$IF/one.bin id
	rm -rf $IF && mkdir -p $IF
	req -r "get ftp://$AUTH/pub/f1024.bin $d wait"
	id=$(field ID $d)
	[ -n "$id" ] || why "no row of $d" || return
	answer_is "ok
$id" || return
	[ "$(field STATE $d)" = done ] && [ "$(sha $d)" = "$(sha /srv/pub/f1024.bin)" ] ||
		why "$d: '$(row_of $d)'" || return
	# a write-only open, as the shell's, works as ever; without wait, which
	# the shell's own SIGCHLD would interrupt (and so cancel)
	echo "get ftp://$AUTH/pub/f0.bin $IF/echo.bin" >$REQ || why "echo: failed" || return
	wait_state $IF/echo.bin done || why "echo: '$(row_of $IF/echo.bin)'"
}

# several lines: the IDs in line order, blank lines answer nothing, and a
# cancel line answers "cancelled ID"
i_ids_many_run() {
	local a b c x
	req "get ftp://127.0.0.1:$IF_PORT/x.bin $IF/x.bin timeout=60"
	x=$(field ID $IF/x.bin)
	[ -n "$x" ] || why "no row of x.bin: '$REQ_OUT'" || return
	req -r "get ftp://$AUTH/pub/f1024.bin $IF/a.bin

get ftp://$AUTH/pub/f0.bin $IF/b.bin
cancel $x
get ftp://$AUTH/pub/f1024.bin $IF/c.bin"
	a=$(field ID $IF/a.bin)
	b=$(field ID $IF/b.bin)
	c=$(field ID $IF/c.bin)
	[ -n "$a" ] && [ -n "$b" ] && [ -n "$c" ] || why "rows a '$a' b '$b' c '$c'" || return
	answer_is "ok
$a
$b
cancelled $x
$c" || return
	wait_state $IF/x.bin cancelled 50 || why "x.bin: '$(row_of $IF/x.bin)'" || return
	for x in a b c; do
		wait_state $IF/$x.bin done || why "$x.bin: '$(row_of $IF/$x.bin)'" || return
	done
}

t_i_ids_many() {
	local pid rc=0
	rm -rf $IF && mkdir -p $IF
	stallftpd $IF_PORT 65536 8 2>/dev/null &
	pid=$!
	if wait_port $IF_PORT; then
		i_ids_many_run || rc=1
	else
		why "stallftpd did not start"
		rc=1
	fi
	kill $pid
	return $rc
}

# a bad line after a good one: nothing queued, the reason with its line
t_i_reason_parse() {
	local m0
	m0=$(max_id)
	req -r "get ftp://$AUTH/pub/f1024.bin $IF/p1.bin
get ftp://127.0.0.1:ftp/pub/f1024.bin $IF/p2.bin"
	answer_is "EINVAL
line 2: bad port in URL" || return
	[ "$(max_id)" = "$m0" ] || why "something was queued" || return
	dmesg | grep -q 'kftp: request line 2 rejected: bad port in URL' ||
		why "dmesg says otherwise: $(dmesg | grep 'kftp: ' | tail -n 1)"
}

t_i_reason_option() {
	req -r "get ftp://$AUTH/pub/f1024.bin $IF/o.bin colour=blue"
	answer_is "EINVAL
line 1: unknown option" || return
	req -r "cancel 99999999"
	answer_is "ENOENT
line 1: no transfer 99999999 in progress"
}

# two lines that would write one file
t_i_reason_busy() {
	local m0
	m0=$(max_id)
	req -r "get ftp://$AUTH/pub/f1024.bin $IF/same.bin
get ftp://$AUTH/pub/f0.bin $IF/same.bin"
	answer_is "EBUSY
line 2: another transfer in progress writes that file" || return
	[ "$(max_id)" = "$m0" ] || why "something was queued"
}

# no CAP_NET_ADMIN; a file the writer may not read
t_i_reason_perm() {
	local src=$IF/secret.bin
	req -r -d "get ftp://$AUTH/pub/f1024.bin $IF/nocap.bin"
	answer_is "EPERM
CAP_NET_ADMIN needed, by the opener and the writer" || return
	mkfile $src 100
	chown "$FTP_USER" $src
	chmod 0600 $src
	req -r -D "put $src ftp://$AUTH/up/secret.bin"
	answer_is "EACCES
line 1: cannot open the file to send"
}

# two writers on two open files: each reads its own answer, not the last
t_i_two_writers() {
	local a b
	# -2 LINE2 LINE: LINE on the first open file
	req -2 "get ftp://$AUTH/pub/f1024.bin $IF/w2.bin wait" \
		"get ftp://127.0.0.1:ftp/pub/f1024.bin $IF/w1.bin"
	b=$(field ID $IF/w2.bin)
	[ -n "$b" ] || why "no row of w2.bin: '$REQ_OUT'" || return
	answer_is "1: EINVAL
1: line 1: bad port in URL
2: ok
2: $b"
}

# one open file, a write that succeeds, its answer read, then one that
# fails: the second answer is whole, from its start
t_i_same_file() {
	local id
	req -r -a "get ftp://127.0.0.1:ftp/pub/f0.bin $IF/s2.bin" \
		"get ftp://$AUTH/pub/f0.bin $IF/s1.bin wait"
	id=$(field ID $IF/s1.bin)
	[ -n "$id" ] || why "no row of s1.bin: '$REQ_OUT'" || return
	answer_is "ok
$id
EINVAL
line 1: bad port in URL"
}

# every row splits on blanks into the documented columns, the text
# fields decode to what was asked, and a finished row has its times (a
# local path has no control characters: KUnit escapes those)
t_i_status_format() {
	local d="$IF/sp ace\"quote\\back.bin" n bad
	rm -rf $IF && mkdir -p $IF
	req "get ftp://$AUTH/pub/f1024.bin \"$(printf "%s" "$d" | sed 's/[\\"]/\\&/g')\" wait"
	[ "$REQ_OUT" = ok ] || why "kftpreq: '$REQ_OUT'" || return
	req "get ftp://$AUTH/pub/no-such-file.bin $IF/missing.bin wait"
	[ "$(head -n 1 "$STATUS")" = "$STATUS_HEADER" ] || why "header '$(head -n 1 "$STATUS")'" || return
	n=$(echo "$STATUS_HEADER" | wc -w)
	bad=$(awk -v n="$n" 'NF != n' "$STATUS" | head -n 1)
	[ -z "$bad" ] || why "a row of other than $n fields: '$bad'" || return
	[ "$(field STATE "$d")" = done ] || why "no done row of the escaped PATH: '$(tail -n 2 "$STATUS")'" || return
	grep -qF 'sp\040ace\042quote\134back.bin' "$STATUS" ||
		why "PATH not escaped as \\ooo: '$(tail -n 2 "$STATUS")'" || return
	[ "$(field REPLY "$d")" = - ] || why "REPLY of a done row: '$(field REPLY "$d")'" || return
	reply_of $IF/missing.bin | grep -q '^550 ' || why "REPLY '$(reply_of $IF/missing.bin)'" || return
	row_of $IF/missing.bin | grep -q ' 550\\040' || why "REPLY not escaped: '$(row_of $IF/missing.bin)'" || return
	[ "$(field STARTED "$d")" -ge 1700000000 ] 2>/dev/null &&
		[ "$(field ENDED "$d")" -ge "$(field STARTED "$d")" ] &&
		[ "$(field ENDED "$d")" -le "$(date +%s)" ] ||
		why "STARTED '$(field STARTED "$d")' ENDED '$(field ENDED "$d")'" || return
	[ "$(field UID "$d")" = 0 ] || why "UID '$(field UID "$d")'"
}

# UID as the reader's user namespace sees it: unmapped there, 65534
t_i_status_uid() {
	local u
	req "get ftp://$AUTH/pub/f0.bin $IF/uid.bin wait"
	[ "$(field UID $IF/uid.bin)" = 0 ] || why "UID '$(field UID $IF/uid.bin)'" || return
	u=$(unshare -U cat "$STATUS" | awk -v c="$(col UID)" 'END { print $c }') ||
		why "unshare -U failed" || return
	[ "$u" = 65534 ] || why "UID in a new user namespace: '$u'"
}

# poll() says POLLPRI once a transfer changed, and not before
t_i_status_poll() {
	req -p "get ftp://$AUTH/pub/f1024.bin $IF/poll.bin"
	[ "$REQ_OUT" = "ok
event" ] || why "kftpreq -p: '$(echo "$REQ_OUT" | tr '\n' '|')'" || return
	wait_state $IF/poll.bin done || why "poll.bin: '$(row_of $IF/poll.bin)'"
}

# the row of transfer ID, as the table has it
row_id() {
	tail -n +2 "$STATUS" | awk -v id="$1" '$1 == id'
}

# the table's ID, VERB and STATE columns on one line, for a why
brief() {
	tail -n +2 "$STATUS" | cut -d ' ' -f 1-3 | tr '\n' '|'
}

# lines N PREFIX: N request lines for f0.bin, with wait, into PREFIXi.bin
lines() {
	local i=1
	while [ $i -le "$1" ]; do
		echo "get ftp://$AUTH/pub/f0.bin $2$i.bin wait"
		i=$((i + 1))
	done
}

# keep_start IN OUT [FLAG...]: kftpreq -r -k writes IN, prints its
# answers into OUT, and keeps the request file open until keep_end;
# 0 once OUT says "held", within 60 s
KEEP_PID=
keep_start() {
	local in=$1 out=$2 i=0
	shift 2
	kftpreq -r -k "$@" <"$in" >"$out" 2>&1 &
	KEEP_PID=$!
	while [ $i -lt 300 ]; do
		grep -qx held "$out" && return 0
		sleep 0.2
		i=$((i + 1))
	done
	why "kftpreq -k: '$(head -n 8 "$out" | tr '\n' '|')'"
}

# the file closed: kftpreq ended, its open files released
keep_end() {
	[ -n "$KEEP_PID" ] || return 0
	kill "$KEEP_PID"
	wait "$KEEP_PID"
	KEEP_PID=
}

# history=2: the ten rows that an open request file queued stay in the
# table after they ended, while other transfers end and the history
# drops its own; once the file is closed, only the newest two rows stay
i_kept_rows_run() {
	local ids id n
	lines 10 $IF/k >$IF/k.in
	keep_start $IF/k.in $IF/k.out || return
	ids=$(sed -n '2,11p' $IF/k.out)
	[ "$(head -n 1 $IF/k.out)" = ok ] && [ "$(echo "$ids" | grep -c '^[0-9][0-9]*$')" = 10 ] ||
		why "answer: '$(tr '\n' '|' <$IF/k.out)'" || return
	for n in 1 2 3; do
		req "get ftp://$AUTH/pub/f0.bin $IF/o$n.bin wait"
		[ "$REQ_OUT" = ok ] || why "o$n: '$REQ_OUT'" || return
	done
	for id in $ids; do
		row_id "$id" | grep -q " get done " || why "row $id not kept: $(brief)" || return
	done
	[ "$(rows)" = 12 ] || why "$(rows) rows, not 10 kept and 2 of history: $(brief)" || return
	keep_end
	[ "$(rows)" = 2 ] && [ -n "$(row_of $IF/o2.bin)" ] && [ -n "$(row_of $IF/o3.bin)" ] ||
		why "after the close, not o2 and o3: $(brief)"
}

# kept_test RUN KNOB...: RUN in a fresh $IF with the module loaded with
# KNOBs, then the file RUN kept open closed and the module as it was
kept_test() {
	local run=$1 rc
	shift
	rm -rf $IF && mkdir -p $IF
	knob_load "$@" || { knob_done 1; return; }
	$run
	rc=$?
	keep_end
	knob_done $rc
}

t_i_kept_rows() {
	kept_test i_kept_rows_run history=2
}

# max_transfers=4: four ended transfers that an open file keeps hold the
# four places; that file's next write, and another writer's, get EBUSY
# with a reason that says why; once it is closed there is room again
i_kept_limit_run() {
	lines 4 $IF/l >$IF/l.in
	keep_start $IF/l.in $IF/l.out -a "get ftp://$AUTH/pub/f0.bin $IF/l5.bin wait" || return
	[ "$(sed -n '6,7p' $IF/l.out)" = "EBUSY
more than max_transfers (4) in progress or kept, 4 kept by this open file" ] ||
		why "the keeping file's second write: '$(tr '\n' '|' <$IF/l.out)'" || return
	req -r "get ftp://$AUTH/pub/f0.bin $IF/l6.bin wait"
	[ "$REQ_OUT" = "EBUSY
more than max_transfers (4) in progress or kept for open request files" ] ||
		why "another writer: '$(echo "$REQ_OUT" | tr '\n' '|')'" || return
	keep_end
	req "get ftp://$AUTH/pub/f0.bin $IF/l7.bin wait"
	[ "$REQ_OUT" = ok ] || why "after the close: '$REQ_OUT'"
}

t_i_kept_limit() {
	kept_test i_kept_limit_run max_transfers=4
}

# A read is one snapshot, however long the table: 40 rows of history,
# then 300 rows (long paths: over 64 KiB in all) that an open file keeps,
# read 512 bytes per read() while, every 4 KiB, a transfer ends and the
# history drops its oldest row, one before the kept ones. The header
# once, each row whole, no ID twice, every kept row there.
i_status_snapshot_run() {
	local d ids bad n
	d=$IF/$(printf '%0200d' 0)
	mkdir -p "$d"
	lines 40 $IF/h >$IF/h.in
	req <$IF/h.in
	[ "$REQ_OUT" = ok ] || why "the history's rows: '$REQ_OUT'" || return
	lines 300 "$d/a-kept-row-with-a-long-name-" >$IF/s.in
	keep_start $IF/s.in $IF/s.out || return
	ids=$(sed -n '2,301p' $IF/s.out)
	[ "$(echo "$ids" | grep -c '^[0-9][0-9]*$')" = 300 ] ||
		why "answer: '$(head -n 3 $IF/s.out | tr '\n' '|')'" || return
	kftpreq -s "get ftp://$AUTH/pub/f0.bin $IF/churn.bin wait" >$IF/table 2>$IF/s.err ||
		why "kftpreq -s: '$(cat $IF/s.err)'" || return
	n=$(wc -c <$IF/table)
	[ "$n" -gt 65536 ] || why "only $n bytes" || return
	[ "$(sed 's/writes //' $IF/s.err)" -ge 16 ] || why "kftpreq -s: '$(cat $IF/s.err)'" || return
	[ "$(head -n 1 $IF/table)" = "$STATUS_HEADER" ] && [ "$(grep -c '^ID ' $IF/table)" = 1 ] ||
		why "header: '$(grep -n '^ID ' $IF/table | head -n 3 | tr '\n' '|')'" || return
	bad=$(tail -n +2 $IF/table | awk -v n="$(echo "$STATUS_HEADER" | wc -w)" \
		'NF != n || $1 !~ /^[0-9]+$/ || $3 !~ /^[a-z]+$/ || $NF !~ /^[0-9]+$/' | head -n 1)
	[ -z "$bad" ] || why "a torn row: '$bad'" || return
	bad=$(tail -n +2 $IF/table | cut -d ' ' -f 1 | sort | uniq -d | head -n 3 | tr '\n' ' ')
	[ -z "$bad" ] || why "IDs twice: $bad" || return
	tail -n +2 $IF/table | cut -d ' ' -f 1 >$IF/seen
	n=$(echo "$ids" | grep -cvxF -f $IF/seen)
	[ "$n" = 0 ] || why "$n of the 300 kept rows missing, such as $(echo "$ids" | grep -vxF -f $IF/seen | head -n 3 | tr '\n' ' ')"
}

t_i_status_snapshot() {
	kept_test i_status_snapshot_run max_transfers=400 history=40
}
