# shellcheck shell=dash
# SPDX-License-Identifier: GPL-2.0
# Uploads (issue 11) and the second real server, run in the guest by
# check.sh, which sources this file: t_NAME functions in check.sh's style,
# listed in PUT_TESTS.  Debian's vsftpd (lib.sh, port $VS_PORT) serves the
# same /srv as busybox ftpd, with the same users; uploads go to /srv/up,
# which kftpuser owns, and are checked there, on the server's side.

VS_AUTH=$FTP_USER:$FTP_PASS@127.0.0.1:$VS_PORT
UP=/srv/up
PSRC=/tmp/put

# shellcheck disable=SC2034 # read by check.sh
PUT_TESTS="vs_get_passive vs_get_active put_0_passive put_0_active
put_1k_passive put_1k_active put_64m_passive put_append put_mkdirs put_resume
put_atomic put_atomic_rmmod put_rate put_unreadable put_not_regular put_malformed"
# shellcheck disable=SC2034 # checked by check.sh
PUT_COUNT=16

# a get from vsftpd, checked by sha256 like every get
vs_get() {	# FILE MODE
	local src=/srv/pub/$1 d=$DST/vs-$2-$1
	rm -f "$d"
	req "get ftp://$VS_AUTH/pub/$1 $d mode=$2 wait"
	check_done "$src" "$d"
}

t_vs_get_passive() { vs_get p1.bin passive; }
t_vs_get_active() { vs_get f1024.bin active; }

put_fixtures() {
	mkdir -p $UP $PSRC
	chown "$FTP_USER:$FTP_USER" $UP
}

auth_of() {	# bb | vs
	if [ "$1" = vs ]; then echo "$VS_AUTH"; else echo "$AUTH"; fi
}

# a completed upload: reply ok, the server's file has the bytes of SRC,
# status done with BYTES sent, no temporary name left beside it
check_put() {	# SRC SERVER-FILE
	local s=$1 d=$2 size
	size=$(wc -c <"$s")
	[ "$REQ_OUT" = ok ] || why "kftpreq: '$REQ_OUT' (rc $REQ_RC) $(reply_of "$s")" || return
	[ -f "$d" ] || why "$d missing on the server" || return
	[ "$(sha "$d")" = "$(sha "$s")" ] || why "sha256 of $d differs from $s" || return
	[ "$(field VERB "$s")" = put ] || why "status: '$(row_of "$s")'" || return
	[ "$(field STATE "$s")" = done ] || why "status: '$(row_of "$s")'" || return
	[ "$(field BYTES "$s")" = "$size" ] || why "status BYTES $(field BYTES "$s") != $size" || return
	[ "$(field ERRNO "$s")" = - ] || why "status ERRNO $(field ERRNO "$s")" || return
	no_temp_left "$(dirname "$d")"
}

# BYTES MODE: one upload to each server
put_both() {
	local src=$PSRC/s$1.bin srv d
	put_fixtures
	[ -f $src ] || mkfile $src "$1"
	for srv in bb vs; do
		d=$UP/$srv-$1-$2.bin
		rm -f "$d"
		req "put $src ftp://$(auth_of $srv)/up/${d##*/} mode=$2 wait"
		check_put $src "$d" || { WHY="$srv: $WHY"; return 1; }
	done
}

t_put_0_passive() { put_both 0 passive; }
t_put_0_active() { put_both 0 active; }
t_put_1k_passive() { put_both 1024 passive; }
t_put_1k_active() { put_both 1024 active; }
t_put_64m_passive() {
	put_both 67108864 passive
	set -- $?
	rm -f $PSRC/s67108864.bin $UP/*-67108864-*.bin
	return "$1"
}

# APPE: the server's file grows by the local file
t_put_append() {
	local srv d a=$PSRC/app-a.bin b=$PSRC/app-b.bin
	put_fixtures
	mkfile $a 3000
	mkfile $b 5000
	cat $a $b >$PSRC/app-ab.bin
	for srv in bb vs; do
		d=$UP/app-$srv.bin
		cp $a "$d"
		chown "$FTP_USER" "$d"
		req "put $b ftp://$(auth_of $srv)/up/${d##*/} append wait"
		[ "$REQ_OUT" = ok ] || why "$srv: kftpreq: '$REQ_OUT' $(reply_of $b)" || return
		[ "$(sha "$d")" = "$(sha $PSRC/app-ab.bin)" ] ||
			why "$srv: $d is not the old file and the new one" || return
		[ "$(field BYTES $b)" = 5000 ] || why "$srv: status '$(row_of $b)'" || return
	done
}

# a missing directory fails the STOR; mkdirs makes it, and again when it
# exists (550 or 521 from MKD)
t_put_mkdirs() {
	local srv src=$PSRC/mk.bin
	put_fixtures
	mkfile $src 2000
	for srv in bb vs; do
		rm -rf $UP/mk-$srv
		req "put $src ftp://$(auth_of $srv)/up/mk-$srv/a/b/f.bin wait"
		# the server's refusal of the STOR (553: EIO), not any failure
		[ "$REQ_OUT" = EIO ] && [ "$(field STATE $src)" = failed ] &&
			[ "$(field ERRNO $src)" = EIO ] && reply_of $src | grep -q '^553 ' ||
			why "$srv: '$REQ_OUT' (rc $REQ_RC), status '$(row_of $src)'" || return
		req "put $src ftp://$(auth_of $srv)/up/mk-$srv/a/b/f.bin mkdirs wait"
		check_put $src $UP/mk-$srv/a/b/f.bin || { WHY="$srv: $WHY"; return 1; }
		rm $UP/mk-$srv/a/b/f.bin
		req "put $src ftp://$(auth_of $srv)/up/mk-$srv/a/b/f.bin mkdirs mode=active wait"
		check_put $src $UP/mk-$srv/a/b/f.bin || { WHY="$srv again: $WHY"; return 1; }
	done
}

# a truncated remote file: only the rest is sent. The remote part is
# zeros, not the file's start, so that a whole upload would show.
t_put_resume() {
	local srv d src=$PSRC/res.bin want=$PSRC/res-want.bin
	put_fixtures
	mkfile $src 100000
	{ head -c 40000 /dev/zero; tail -c +40001 $src; } >$want
	for srv in bb vs; do
		d=$UP/res-$srv.bin
		head -c 40000 /dev/zero >"$d"
		chown "$FTP_USER" "$d"
		req "put $src ftp://$(auth_of $srv)/up/${d##*/} resume wait"
		[ "$REQ_OUT" = ok ] || why "$srv: kftpreq: '$REQ_OUT' $(reply_of $src)" || return
		[ "$(sha "$d")" = "$(sha $want)" ] ||
			why "$srv: $d is not the old part and the rest of $src" || return
		[ "$(field STATE $src)" = done ] && [ "$(field BYTES $src)" = 100000 ] ||
			why "$srv: status '$(row_of $src)'" || return
		no_temp_left $UP || return
	done
}

# atomic over an existing file: replaced whole, no temporary name left.
# rate= makes the upload last ~4 s, during which the server's directory
# is watched: the final name is the old file or the new one, never part
# of it, while a temporary name fills up beside it.
t_put_atomic() {
	local srv d t n src=$PSRC/at.bin old=$PSRC/at-old.bin i seen
	put_fixtures
	mkfile $src 1048576
	for srv in bb vs; do
		d=$UP/at-$srv.bin
		mkfile "$d" 5000
		chown "$FTP_USER" "$d"
		cp "$d" $old
		req "put $src ftp://$(auth_of $srv)/up/${d##*/} atomic rate=256K"
		[ "$REQ_OUT" = ok ] || why "$srv: request: '$REQ_OUT'" || return
		i=0
		seen=0
		while [ $i -lt 300 ]; do
			cmp -s "$d" $old || cmp -s "$d" $src ||
				why "$srv: $d showed $(wc -c <"$d") bytes, neither file: '$(row_of $src)'" || return
			for t in "$UP"/.kftp-*-"${d##*/}"; do
				[ -f "$t" ] && n=$(wc -c 2>/dev/null <"$t") || continue
				[ "$n" -gt 0 ] && [ "$n" -lt 1048576 ] && seen=$((seen + 1))
			done
			case $(field STATE $src) in done | failed | cancelled) break ;; esac
			sleep 0.2
			i=$((i + 1))
		done
		[ $seen -ge 2 ] || why "$srv: never saw the upload under a temporary name: '$(row_of $src)'" || return
		check_put $src "$d" || { WHY="$srv: $WHY"; return 1; }
	done
}

# rmmod during an atomic upload that the server stalls: the data went to
# the temporary name, and nothing ever appears under the final one
t_put_atomic_rmmod() {
	local d=/tmp/pstall src=$PSRC/stall.bin pid i=0
	put_fixtures
	rm -rf $d
	mkdir -p $d
	mkfile $src 4194304
	(cd $d && exec stallftpd 2103 262144 2>$d.log) &
	pid=$!
	wait_port 2103 || { kill $pid; why "stallftpd did not start"; return; }
	req "put $src ftp://127.0.0.1:2103/big.bin atomic timeout=600"
	[ "$REQ_OUT" = ok ] || { kill $pid; why "request: $REQ_OUT"; return; }
	while [ $i -lt 150 ]; do
		grep -q 'data received' $d.log && break
		sleep 0.2
		i=$((i + 1))
	done
	[ $i -lt 150 ] || { kill $pid; why "the server never stalled: '$(row_of $src)'"; return; }
	rmmod_stalled $pid || return
	grep -q 'STOR \.kftp-[0-9a-f]\{16\}-big\.bin$' $d.log ||
		why "not sent to a temporary name: $(grep STOR $d.log)" || return
	[ ! -e $d/big.bin ] || why "big.bin appeared under its final name" || return
	insmod "$KO" || why "insmod after rmmod failed"
}

# rate= holds an upload back too: 2 MiB at 1 MiB/s takes about 2 s
t_put_rate() {
	local src=$PSRC/rate.bin t0 t1
	put_fixtures
	mkfile $src 2097152
	t0=$(cut -d' ' -f1 /proc/uptime)
	req "put $src ftp://$AUTH/up/rate.bin rate=1M wait"
	t1=$(cut -d' ' -f1 /proc/uptime)
	check_put $src $UP/rate.bin || return
	awk -v a="$t0" -v b="$t1" 'BEGIN { exit !(b - a >= 1.7 && b - a <= 6) }' ||
		why "2 MiB at rate=1M took $t0 -> $t1 s"
}

# a writer without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH cannot read
# another user's 0600 file: its write() fails, nothing is queued
t_put_unreadable() {
	local src=$PSRC/secret.bin m0 k0
	put_fixtures
	mkfile $src 1000
	chown "$FTP_USER" $src
	chmod 0600 $src
	m0=$(max_id)
	k0=$(dmesg | grep -c 'kftp: .*rejected')
	req_expect EACCES -D "put $src ftp://$AUTH/up/secret.bin wait" || return
	[ "$(max_id)" = "$m0" ] || why "something was queued" || return
	[ "$(dmesg | grep -c 'kftp: .*rejected')" -gt "$k0" ] || why "no reason in dmesg" || return
	[ ! -e $UP/secret.bin ] || why "secret.bin reached the server" || return
	# the same file as full root: the test above failed for the right reason
	req "put $src ftp://$AUTH/up/secret.bin wait"
	check_put $src $UP/secret.bin
}

# only a regular file is sent: EINVAL at write() for anything else
t_put_not_regular() {
	local m0
	m0=$(max_id)
	req_expect EINVAL "put /dev/null ftp://$AUTH/up/null.bin wait" || return
	req_expect EINVAL "put /tmp ftp://$AUTH/up/tmp.bin wait" || return
	mkfifo $PSRC/fifo 2>/dev/null
	req_expect EINVAL "put $PSRC/fifo ftp://$AUTH/up/fifo.bin wait" || return
	[ "$(max_id)" = "$m0" ] || why "something was queued"
}

t_put_malformed() {
	local ok=ftp://127.0.0.1/up/x.bin s=$PSRC/s1024.bin
	put_fixtures
	mkfile $s 1024
	BAD=
	reject "put, URL first" "put $ok $s"
	reject "put, missing URL" "put $s"
	reject "put, relative PATH" "put tmp/put/s1024.bin $ok"
	reject "append and atomic" "put $s $ok append atomic"
	reject "resume and append" "put $s $ok resume append"
	reject "atomic and resume" "put $s $ok atomic resume"
	reject "append twice" "put $s $ok append append"
	reject "append on get" "get $ok $DST/x.bin append"
	reject "atomic on get" "get $ok $DST/x.bin atomic"
	[ -z "$BAD" ] || why "${BAD#; }"
}
