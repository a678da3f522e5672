# shellcheck shell=dash
# SPDX-License-Identifier: GPL-2.0
# The module parameters that size kftp: max_transfers, history,
# server_conns and buf_size.  Run in the guest by check.sh, which sources
# this file: t_NAME functions in check.sh's style, listed in KNOB_TESTS.
# Each test reloads kftp.ko with the parameter and loads it again with the
# defaults at the end, whatever happened.

# shellcheck disable=SC2034 # read by check.sh
KNOB_TESTS="k_max_transfers k_history k_server_conns k_buf_size"
# shellcheck disable=SC2034 # checked by check.sh
KNOB_COUNT=4

KX=/tmp/knobs

# knob_load PARAM=VALUE...: kftp.ko again, with those parameters
knob_load() {
	rmmod kftp 2>/dev/null
	insmod "$KO" "$@" || why "insmod $*: failed" || return
	local p
	for p in "$@"; do
		[ "$(cat "/sys/module/kftp/parameters/${p%%=*}")" = "${p#*=}" ] ||
			why "$p: /sys says $(cat "/sys/module/kftp/parameters/${p%%=*}")" || return
	done
}

# the defaults again, for the tests after this one; keeps the verdict
knob_done() {
	local rc=$1
	rmmod kftp 2>/dev/null
	insmod "$KO" || why "insmod with the defaults failed" || return
	return "$rc"
}

# max_transfers=2: a third transfer while two run is refused with EBUSY and
# queues nothing; a write of three lines too, whatever runs; a cancel frees
# a place
k_max_transfers_run() {
	local u=ftp://127.0.0.1:2901 m0 i
	req "get $u/a.bin $KX/a.bin timeout=60"
	[ "$REQ_OUT" = ok ] || why "first: '$REQ_OUT'" || return
	req "get $u/b.bin $KX/b.bin timeout=60"
	[ "$REQ_OUT" = ok ] || why "second: '$REQ_OUT'" || return
	wait_state $KX/a.bin transferring 100 && wait_state $KX/b.bin transferring 100 ||
		why "not both running: '$(row_of $KX/a.bin)', '$(row_of $KX/b.bin)'" || return
	m0=$(max_id)
	req "get $u/c.bin $KX/c.bin timeout=60"
	[ "$REQ_OUT" = EBUSY ] || why "third while two run: '$REQ_OUT', not EBUSY" || return
	[ "$(max_id)" = "$m0" ] || why "the refused write queued something" || return
	req "cancel $(field ID $KX/a.bin)"
	wait_state $KX/a.bin cancelled 50 || why "a.bin: '$(row_of $KX/a.bin)'" || return
	req "get $u/c.bin $KX/c.bin timeout=60"
	[ "$REQ_OUT" = ok ] || why "third after a cancel: '$REQ_OUT'" || return
	req "cancel $(field ID $KX/b.bin)
cancel $(field ID $KX/c.bin)"
	[ "$REQ_OUT" = ok ] || why "cancel b and c: '$REQ_OUT'" || return
	wait_state $KX/b.bin cancelled 50 && wait_state $KX/c.bin cancelled 50 ||
		why "b, c: '$(row_of $KX/b.bin)', '$(row_of $KX/c.bin)'" || return
	m0=$(max_id)
	req "get $u/d.bin $KX/d.bin timeout=60
get $u/e.bin $KX/e.bin timeout=60
get $u/f.bin $KX/f.bin timeout=60"
	[ "$REQ_OUT" = EBUSY ] || why "three lines, none running: '$REQ_OUT', not EBUSY" || return
	[ "$(max_id)" = "$m0" ] || why "the refused write queued something" || return
	req "get $u/d.bin $KX/d.bin timeout=60
get $u/e.bin $KX/e.bin timeout=60"
	[ "$REQ_OUT" = ok ] || why "two lines, none running: '$REQ_OUT'" || return
	for i in d e; do
		req "cancel $(field ID $KX/$i.bin)"
		wait_state $KX/$i.bin cancelled 50 || why "$i.bin: '$(row_of $KX/$i.bin)'" || return
	done
}

t_k_max_transfers() {
	local pid rc=0
	rm -rf $KX
	mkdir -p $KX
	knob_load max_transfers=2 || { knob_done 1; return; }
	stallftpd 2901 65536 8 2>/dev/null &
	pid=$!
	if wait_port 2901; then
		k_max_transfers_run || rc=1
	else
		why "stallftpd did not start"
		rc=1
	fi
	kill $pid
	knob_done $rc
}

# history=2: of four finished transfers the table keeps the newest two;
# history=0: none
k_history_run() {
	local i
	for i in 1 2 3 4; do
		req "get ftp://$AUTH/pub/f1024.bin $KX/h$i.bin wait"
		[ "$REQ_OUT" = ok ] || why "h$i: '$REQ_OUT'" || return
	done
	[ "$(rows)" = 2 ] || why "$(rows) rows with history=2: $(tail -n +2 "$STATUS" | tr '\n' '|')" || return
	[ -n "$(row_of $KX/h3.bin)" ] && [ -n "$(row_of $KX/h4.bin)" ] ||
		why "not the newest two: $(tail -n +2 "$STATUS" | tr '\n' '|')" || return
	knob_load history=0 || return
	req "get ftp://$AUTH/pub/f1024.bin $KX/h5.bin wait"
	[ "$REQ_OUT" = ok ] && cmp -s $KX/h5.bin /srv/pub/f1024.bin || why "h5: '$REQ_OUT'" || return
	[ "$(rows)" = 0 ] || why "$(rows) rows with history=0: $(tail -n +2 "$STATUS" | tr '\n' '|')"
}

t_k_history() {
	rm -rf $KX
	mkdir -p $KX
	knob_load history=2 || { knob_done 1; return; }
	k_history_run
	knob_done $?
}

# server_conns=2: six transfers in one write to one server and account use
# two connections (tcpsvd forks two sessions, two CONN values), never more
# than two are in use at once and the others wait queued.  rate= makes each
# last about a second, long enough to watch.  In use: the CONN values of
# the connecting and transferring rows.  Not the rows themselves: a
# transfer gives its connection back before it commits its file, so for a
# moment it still shows transferring while the next one uses that CONN.
k_server_conns_run() {
	local i lines= before st active queued=0 most=0 conns
	before=$(grep -c ' start ' /var/log/ftpd.log)
	for i in 1 2 3 4 5 6; do
		lines="${lines}get ftp://$AUTH/pub/p$i.bin $KX/sc$i.bin rate=1M
"
	done
	req "$lines"
	[ "$REQ_OUT" = ok ] || why "request: '$REQ_OUT'" || return
	i=0
	while [ $i -lt 200 ]; do
		st=$(tail -n +2 "$STATUS" | awk -v c="$(col STATE)" -v n="$(col CONN)" '{ print $c, $n }')
		active=$(echo "$st" | awk '$1 == "connecting" || $1 == "transferring" { print $2 }' |
			sort -u | grep -c .)
		[ "$active" -gt "$most" ] && most=$active
		[ "$active" -eq 2 ] && echo "$st" | grep -q queued && queued=1
		echo "$st" | grep -q -e queued -e connecting -e transferring || break
		sleep 0.1
		i=$((i + 1))
	done
	for i in 1 2 3 4 5 6; do
		[ "$(field STATE $KX/sc$i.bin)" = done ] && cmp -s $KX/sc$i.bin /srv/pub/p$i.bin ||
			why "sc$i: '$(row_of $KX/sc$i.bin)'" || return
	done
	[ "$most" -le 2 ] || why "$most connections in use at once" || return
	[ $queued = 1 ] || why "never two running and one queued" || return
	conns=$(tail -n +2 "$STATUS" | awk -v c="$(col CONN)" '{ print $c }' | sort -u | wc -l)
	[ "$conns" = 2 ] || why "$conns CONN values, not 2" || return
	[ "$(grep -c ' start ' /var/log/ftpd.log)" -eq $((before + 2)) ] ||
		why "ftpd sessions: $before before, $(grep -c ' start ' /var/log/ftpd.log) after"
}

t_k_server_conns() {
	rm -rf $KX
	mkdir -p $KX
	knob_load server_conns=2 || { knob_done 1; return; }
	k_server_conns_run
	knob_done $?
}

# the bytes of kftp's vmalloc areas of at least $1 bytes (its buffers)
kftp_vmalloc() {
	awk -v m="$1" '/\[kftp\]/ && $2 >= m { n += $2 } END { print n + 0 }' /proc/vmallocinfo
}

# buf_size: out of 4096-16777216 the module does not load; at 4096 a
# listing of ~24 KiB comes whole through the smallest buffer; at 16 MiB the
# connection's buffer is that size
k_buf_size_run() {
	local d=$KX/list.txt i
	for i in 4095 16777217; do
		rmmod kftp 2>/dev/null
		! insmod "$KO" buf_size=$i 2>/dev/null || why "buf_size=$i loaded" || return
	done
	mkdir -p /srv/kbuf
	# 240 entries: over 16 KiB with LF line ends (about 82 bytes a line)
	for i in $(seq 1 240); do
		mkfile "/srv/kbuf/a-long-name-to-make-a-long-listing-$i.bin" "$i"
	done
	for i in 4096 16777216; do
		knob_load buf_size=$i || return
		rm -f $d
		req "list ftp://$AUTH/kbuf/ $d wait"
		list_done $d || { WHY="buf_size=$i: $WHY"; return 1; }
		[ "$(wc -c <$d)" -gt 16384 ] || why "listing of $(wc -c <$d) bytes only" || return
		same_entries "$(dir_entries /srv/kbuf)" "$(list_entries $d)" ||
			{ WHY="buf_size=$i: $WHY"; return 1; }
	done
	# the pooled connection still holds its buffer
	[ "$(kftp_vmalloc 16777216)" -ge 16777216 ] ||
		why "no 16 MiB buffer of kftp in /proc/vmallocinfo"
}

t_k_buf_size() {
	rm -rf $KX /srv/kbuf
	mkdir -p $KX
	k_buf_size_run
	set -- $?
	rm -rf /srv/kbuf
	knob_done "$1"
}
