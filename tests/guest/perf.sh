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

# shellcheck disable=SC2034 # read by check.sh
PERF_TESTS="p_onecopy p_onecopy_active p_max_size_mid_skb p_enospc_mid_skb
p_cut_mid_skb p_reset_mid_skb p_seg_busybox p_seg_vsftpd p_seg_active
p_seg_norest p_seg_fail p_seg_small"

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
	[ "$(field BYTES "$HD")" -le 100001 ] ||
		why "BYTES $(field BYTES "$HD") past the 100001 sent"
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
