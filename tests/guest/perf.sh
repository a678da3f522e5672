# shellcheck shell=dash
# SPDX-License-Identifier: GPL-2.0
# The data path of issue 14, run in the guest by check.sh, which sources
# this file: t_NAME functions in check.sh's style, listed in PERF_TESTS.
#
# Segmented downloads (segments=N): N ranges over N connections into one
# temporary file, against busybox ftpd and vsftpd; one stream where the
# server has no REST or the file is small; a range that fails fails all.
#
# One copy on receive: a file's data goes from the socket's skbs straight
# into the page cache (read_sock and a receive actor). The p_ tests check
# that this path carries the data, and that it fails as the buffer path
# did when the end comes in the middle of an skb: a size limit, a full
# filesystem, a connection closed early or reset. Waiting, timeouts and
# cancels on this path are the old tests' (t_timeout, h_cancel,
# rmmod_inflight, h_deadline_trickle, h_min_rate_trickle): every get of a
# file takes it.
#
# Zero-copy upload: put sends the file's page-cache pages to the data
# socket (splice). The p_zc tests check, by the trace, that this path
# carried the data: 64 MiB to both servers, checked on the server side; a
# file truncated while it is sent fails with EIO; a cancel and an rmmod end
# a send that a stalled server blocks; rate= paces it. put.sh's tests take
# the same path.

# shellcheck disable=SC2034 # read by check.sh
PERF_TESTS="p_onecopy p_onecopy_active p_max_size_mid_skb p_enospc_mid_skb
p_cut_mid_skb p_reset_mid_skb p_seg_busybox p_seg_vsftpd p_seg_active
p_seg_norest p_seg_fail p_seg_stale_tail p_seg_small p_zc_put_64m p_zc_truncated
p_zc_stall_cancel p_zc_stall_rmmod p_zc_rate"
# shellcheck disable=SC2034 # checked by check.sh
PERF_COUNT=18

P_CTL=/sys/kernel/debug/dynamic_debug/control

# p_get MODE: an 8 MiB file from busybox ftpd, with the trace on; the
# trace must say the data came by read_sock
p_get() {
	local src=/srv/pub/p8m.bin d=$DST/p8m-$1.bin id rc=0
	[ -f "$src" ] || mkfile "$src" 8388609
	rm -f "$d"
	grep -q ' /sys/kernel/debug ' /proc/mounts || mount -t debugfs none /sys/kernel/debug
	[ -w $P_CTL ] || { why "no dynamic debug control"; return; }
	echo 'module kftp +p' >$P_CTL
	req "get ftp://$AUTH/pub/p8m.bin $d mode=$1 wait"
	echo 'module kftp -p' >$P_CTL
	check_done "$src" "$d" || rc=1
	rm -f "$d"
	[ $rc -eq 0 ] || return 1
	id=$(field ID "$d")
	dmesg | grep -q "kftp: $id = data by read_sock, one copy\$" ||
		why "the trace of $id does not show the read_sock path"
}

t_p_onecopy() {
	p_get passive
}

t_p_onecopy_active() {
	p_get active
}

# max_size=100001, no SIZE, endless data: EFBIG with exactly 100001 bytes
# written (the actor stops inside an skb, never past the limit)
t_p_max_size_mid_skb() {
	hsetup 2701
	hserve endless || return
	req "get $HURL/h.bin $HD timeout=10 max_size=100001 wait"
	hstop
	h_failed EFBIG || return
	[ "$(field BYTES "$HD")" = 100001 ] ||
		why "BYTES $(field BYTES "$HD"), not the 100001 of max_size"
}

# a filesystem of 1 MiB fills in the middle of an skb: ENOSPC, nothing left
t_p_enospc_mid_skb() {
	local f=/tmp/p-full d rc=0
	hsetup 2702
	mkfile "$HX/srv/big.bin" 4194304
	mkdir -p $f
	mount -t tmpfs -o size=1m tmpfs $f || { why "cannot mount a tmpfs"; return; }
	d=$f/big.bin
	hserve normal || { umount $f; return 1; }
	req "get $HURL/big.bin $d timeout=10 wait"
	hstop
	h_failed ENOSPC "$d" || rc=1
	if [ $rc -eq 0 ]; then
		[ ! -e "$d" ] || { why "$d exists"; rc=1; }
	fi
	if [ $rc -eq 0 ] && { [ "$(field BYTES "$d")" -gt 1048576 ] ||
				[ "$(field BYTES "$d")" -eq 0 ]; }; then
		why "BYTES $(field BYTES "$d") for a 1 MiB filesystem"
		rc=1
	fi
	umount $f
	return $rc
}

# SIZE says 4 MiB, 100001 bytes come, then FIN and a 226: EIO, the count
t_p_cut_mid_skb() {
	hsetup 2703
	hserve cut || return
	req "get $HURL/h.bin $HD timeout=10 wait"
	hstop
	h_failed EIO || return
	[ "$(field BYTES "$HD")" = 100001 ] ||
		why "BYTES $(field BYTES "$HD"), not the 100001 sent"
}

# the same, ended by a RST: ECONNRESET
t_p_reset_mid_skb() {
	hsetup 2704
	hserve reset || return
	req "get $HURL/h.bin $HD timeout=10 wait"
	hstop
	h_failed ECONNRESET || return
	# the reset must end a stream that was delivering, not precede it
	[ "$(field BYTES "$HD")" -gt 0 ] && [ "$(field BYTES "$HD")" -le 100001 ] ||
		why "BYTES $(field BYTES "$HD"), not 1 to the 100001 sent"
}

# p_trace_on / p_trace_off: the protocol trace, for the p_seg tests
p_trace_on() {
	grep -q ' /sys/kernel/debug ' /proc/mounts || mount -t debugfs none /sys/kernel/debug
	[ -w $P_CTL ] || { why "no dynamic debug control"; return; }
	echo 'module kftp +p' >$P_CTL
}
p_trace_off() {
	echo 'module kftp -p' >$P_CTL
}

# p_seg URL-BASE MODE N: the 8 MiB file in N segments, whole and traced
p_seg() {
	local src=/srv/pub/p8m.bin d=$DST/p8m-seg.bin id rc=0 opt=
	[ -f "$src" ] || mkfile "$src" 8388609
	[ "$2" = active ] && opt=mode=active
	rm -f "$d"
	p_trace_on || return
	req "get $1/pub/p8m.bin $d segments=$3 $opt wait"
	p_trace_off
	check_done "$src" "$d" || rc=1
	rm -f "$d"
	[ $rc -eq 0 ] || return 1
	id=$(field ID "$d")
	dmesg | grep -q "kftp: $id = $3 segments of $((8388609 / $3)) bytes\$" ||
		why "the trace of $id shows no $3 segments"
}

t_p_seg_busybox() {
	p_seg "ftp://$AUTH" passive 4
}

t_p_seg_vsftpd() {
	p_seg "ftp://$AUTH:2121" passive 8
}

t_p_seg_active() {
	p_seg "ftp://$AUTH" active 3
}

# REST refused: the file comes whole in one stream, from the same request
t_p_seg_norest() {
	local id rc=0
	hsetup 2706
	mkfile "$HX/srv/big.bin" 4194304
	hserve resume_norest || return
	p_trace_on || { hstop; return 1; }
	req "get $HURL/big.bin $HX/d/big.bin segments=4 timeout=10 wait"
	p_trace_off
	hstop
	check_done "$HX/srv/big.bin" "$HX/d/big.bin" || return
	id=$(field ID "$HX/d/big.bin")
	dmesg | grep -q "kftp: $id = one stream: a login or REST refused\$" ||
		why "no fall back to one stream in the trace of $id"
	grep -q "REST refused" "$HX/log" || why "stallftpd saw no REST"
}

# a range gets 100001 bytes of its 1 MiB, then FIN: EIO for the transfer
# (the first range to fail stops the others), nothing left
t_p_seg_fail() {
	local id
	hsetup 2707
	hserve cut || return
	p_trace_on || { hstop; return 1; }
	req "get $HURL/h.bin $HD segments=4 timeout=10 wait"
	p_trace_off
	hstop
	h_failed EIO || return
	id=$(field ID "$HD")
	dmesg | grep -q "kftp: $id = 4 segments of 1048576 bytes\$" ||
		why "the trace of $id shows no 4 segments"
}

# A try with segments fails after its ranges wrote 2-8 MiB, and the
# retry gets no SIZE and a 1 MiB file in one stream: the file is that
# 1 MiB, whole and nothing after it, and sha256= covers all of it
t_p_seg_stale_tail() {
	local d sum
	hsetup 2708
	d=$HX/d/shrink.bin
	mkfile "$HX/srv/h8.bin" 8388608
	mkfile "$HX/srv/h.bin" 1048576
	sum=$(sha "$HX/srv/h.bin")
	hserve shrink || return
	p_trace_on || { hstop; return 1; }
	req "get $HURL/h.bin $d segments=4 retries=1 timeout=10 sha256=$sum wait"
	p_trace_off
	hstop
	grep -q "range reset" "$HX/log" || why "stallftpd reset no range" || return
	dmesg | grep -q "kftp: $(field ID "$d") = 4 segments of 2097152 bytes\$" ||
		why "the first try had no 4 segments" || return
	[ "$(field TRY "$d")" = 2 ] || why "not retried: '$(row_of "$d")'" || return
	check_done "$HX/srv/h.bin" "$d"
}

# a file smaller than a segment each (1 MiB): one stream, no range
t_p_seg_small() {
	local src=/srv/pub/f1024.bin d=$DST/seg-small.bin
	rm -f "$d"
	req "get ftp://$AUTH/pub/f1024.bin $d segments=16 wait"
	check_done "$src" "$d"
	set -- $?
	rm -f "$d"
	return "$1"
}

# ---- zero-copy upload ----

# p_zc_traced ID: the trace of transfer ID shows the splice path
p_zc_traced() {
	dmesg | grep -q "kftp: $1 = data by splice, zero copy\$" ||
		why "the trace of $1 does not show the splice path"
}

# p_zc_end PATH: poll until the row of PATH has ended (at most 20 s)
p_zc_end() {
	local i=0
	while [ $i -lt 100 ]; do
		case $(field STATE "$1") in
		done | failed | cancelled) return 0 ;;
		esac
		sleep 0.2
		i=$((i + 1))
	done
	return 1
}

# 64 MiB to busybox ftpd (passive) and vsftpd (active), by splice, the
# server's copy checked by sha256
t_p_zc_put_64m() {
	local src=$PSRC/zc64.bin srv mode d rc=0
	put_fixtures
	mkfile $src 67108864
	p_trace_on || return
	for srv in bb vs; do
		mode=passive
		[ $srv = vs ] && mode=active
		d=$UP/zc-$srv.bin
		rm -f "$d"
		req "put $src ftp://$(auth_of $srv)/up/${d##*/} mode=$mode wait"
		check_put $src "$d" && p_zc_traced "$(field ID $src)" ||
			{ WHY="$srv: $WHY"; rc=1; break; }
		rm -f "$d"
	done
	p_trace_off
	rm -f $src $UP/zc-*.bin
	return $rc
}

# the file is truncated while it is sent (rate= makes that take 4 s): the
# upload fails with EIO rather than store a shorter file, and atomic
# removes what reached the server
t_p_zc_truncated() {
	local src=$PSRC/zctrunc.bin d=$UP/zc-trunc.bin i=0 id
	put_fixtures
	mkfile $src 4194304
	rm -f "$d"
	p_trace_on || return
	req "put $src ftp://$AUTH/up/${d##*/} rate=1M atomic timeout=20"
	[ "$REQ_OUT" = ok ] || { p_trace_off; why "request: $REQ_OUT"; return; }
	while [ $i -lt 100 ]; do
		[ "$(field BYTES $src)" -gt 262144 ] 2>/dev/null && break
		sleep 0.1
		i=$((i + 1))
	done
	: >$src
	p_zc_end $src
	p_trace_off
	id=$(field ID $src)
	[ "$(field STATE $src)" = failed ] && [ "$(field ERRNO $src)" = EIO ] ||
		why "after the truncation: '$(row_of $src)'" || return
	[ "$(field BYTES $src)" -lt 4194304 ] ||
		why "BYTES $(field BYTES $src): all of the old file was sent" || return
	[ ! -e "$d" ] || why "$d appeared on the server" || return
	no_temp_left $UP || return
	p_zc_traced "$id"
}

# p_zc_stall PORT cancel|rmmod: stallftpd takes 256 KiB of an 8 MiB upload
# and stops reading, so the send waits in the socket; the cancel or the
# rmmod ends it within 5 s
p_zc_stall() {
	local d=/tmp/zcstall-$1 src=$PSRC/zcstall.bin pid i=0 id t0 t1 rc
	put_fixtures
	rm -rf $d
	mkdir -p $d
	mkfile $src 8388608
	(cd $d && exec stallftpd "$1" 262144 2>$d.log) &
	pid=$!
	wait_port "$1" || { kill $pid; why "stallftpd did not start"; return; }
	p_trace_on || { kill $pid; return 1; }
	req "put $src ftp://127.0.0.1:$1/big.bin timeout=600"
	[ "$REQ_OUT" = ok ] || { kill $pid; p_trace_off; why "request: $REQ_OUT"; return; }
	while [ $i -lt 150 ]; do
		grep -q 'data received' $d.log && break
		sleep 0.2
		i=$((i + 1))
	done
	id=$(field ID $src)
	# the trace line came with the first send; the socket's buffers fill
	p_trace_off
	sleep 0.5
	t0=$(uptime_s)
	if [ "$2" = cancel ]; then
		req "cancel $id"
		rc=1
		[ "$REQ_OUT" = ok ] && p_zc_end $src && rc=0
	else
		timeout 20 rmmod kftp
		rc=$?
	fi
	t1=$(uptime_s)
	kill $pid
	if [ "$2" = rmmod ]; then
		ensure_loaded || why "insmod after rmmod failed" || return
	fi
	[ $i -lt 150 ] || why "the server never stalled" || return
	if [ "$2" = cancel ]; then
		[ $rc -eq 0 ] && [ "$(field STATE $src)" = cancelled ] &&
			[ "$(field ERRNO $src)" = ECANCELED ] ||
			why "after cancel $id ($REQ_OUT): '$(row_of $src)'" || return
	else
		[ $rc -eq 0 ] || why "rmmod failed (rc $rc)" || return
	fi
	awk -v a="$t0" -v b="$t1" 'BEGIN { exit !(b - a <= 5) }' ||
		why "the $2 took $t0 -> $t1 s" || return
	p_zc_traced "$id"
}

t_p_zc_stall_cancel() {
	p_zc_stall 2711 cancel
}

t_p_zc_stall_rmmod() {
	p_zc_stall 2712 rmmod
}

# rate= paces the splice path: 2 MiB at 1 MiB/s to vsftpd takes about 2 s
t_p_zc_rate() {
	local src=$PSRC/zcrate.bin d=$UP/zc-rate.bin t0 t1
	put_fixtures
	mkfile $src 2097152
	rm -f "$d"
	p_trace_on || return
	t0=$(uptime_s)
	req "put $src ftp://$VS_AUTH/up/${d##*/} rate=1M wait"
	t1=$(uptime_s)
	p_trace_off
	check_put $src "$d" || return
	awk -v a="$t0" -v b="$t1" 'BEGIN { exit !(b - a >= 1.7 && b - a <= 6) }' ||
		why "2 MiB at rate=1M took $t0 -> $t1 s" || return
	p_zc_traced "$(field ID $src)"
}
