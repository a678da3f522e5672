# shellcheck shell=dash
# SPDX-License-Identifier: GPL-2.0
# `make bench`, guest side (busybox sh, run by init with vmtest=bench):
# kftp against userspace FTP clients on the same files, plus the limits of
# the machine (cat on tmpfs, a raw TCP copy, a splice() receiver).  Every measurement is one line
# on the report channel, parsed by tests/bench.sh:
#   R WORKLOAD CLIENT RUN OK WALL BUSY SERVER BYTES FILES
# RUN 0 is the warm-up.  OK is 1 when every file compared equal to its
# source.  BUSY is the guest's busy CPU seconds, SERVER the server process
# tree's, both from `kbench run`; client CPU = BUSY - SERVER.
# Other lines: "I ..." information, "M ..." memory figures, "E ..." errors.

B=/srv/b		# tmpfs, served by every server as /b
SRC=$B/src
D=$B/dst
RAW_PORT=2020
VS_PORT=2123
STALL_PORT=2122
BB_PORT=2100
SEG_PORT=2124		# vsftpd with a per-connection rate cap (workload 6)
SEG_RATE=8388608	# its anon_max_rate, bytes/s
SEG_SIZE=67108864
# uploads (workload 5): twins of the two servers that take them
VS_UP_PORT=2125
BB_UP_PORT=2101
# FTPS (workload 7): vsftpd with TLS for downloads, and its twin for uploads
TLS_PORT=2126
TLS_UP_PORT=2127
KO=/kftp/kftp.ko
# Debian's binaries with their libraries, apart from busybox's applet links
CURL=/opt/bench/bin/curl
WGET=/opt/bench/bin/wget
LFTP=/opt/bench/bin/lftp
# lftp: no retries or prompts, fail on the first error
LFTP_SET="set cmd:fail-exit yes; set net:max-retries 1; set net:timeout 60; set ftp:passive-mode on; set xfer:clobber on"
VSFTPD=/usr/sbin/vsftpd
KPARAMS=none

arg() {	# bench.NAME=VALUE from the kernel command line, else $2
	local v
	v=$(tr ' ' '\n' </proc/cmdline | sed -n "s/^bench\\.$1=//p")
	echo "${v:-$2}"
}
RUNS=$(arg runs 5)
ONLY=$(arg only "1,2,3,4,5,6,7")
# bench.server=vsftpd or busybox: that server, not the faster for curl
SERVER=$(arg server "")

# (re)load kftp only when its parameters change
kload() {
	[ "$KPARAMS" = "$*" ] && return 0
	rmmod kftp 2>/dev/null
	# shellcheck disable=SC2068 # the parameters are separate words
	insmod "$KO" $@ || { say "E insmod $* failed"; return 1; }
	KPARAMS="$*"
}

# start_vsftpd PORT [RATE [WRITE [TLS]]]: anonymous vsftpd on PORT, each
# data connection capped at RATE bytes/s (anon_max_rate) if not 0,
# anonymous uploads when WRITE is YES, login and data under TLS (and no
# session reuse asked of the data connection) when TLS is YES; sets VS_PID
start_vsftpd() {
	local port=$1 rate=${2:-0} write=${3:-NO} tls=${4:-NO}
	mkdir -p /var/run/vsftpd/empty /etc/vsftpd
	# vsftpd's unprivileged helper runs as nobody
	grep -q '^nobody:' /etc/passwd ||
		echo 'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' >>/etc/passwd
	# anonymous only (no PAM needed), no per-session namespaces or seccomp:
	# the fastest configuration, sendfile() for the data
	cat >"/etc/vsftpd/bench-$port.conf" <<-EOF
	listen=YES
	listen_ipv6=NO
	listen_address=127.0.0.1
	listen_port=$port
	anon_max_rate=$rate
	background=NO
	anonymous_enable=YES
	no_anon_password=YES
	anon_root=/srv
	local_enable=NO
	write_enable=$write
	anon_upload_enable=$write
	use_sendfile=YES
	isolate=NO
	isolate_network=NO
	seccomp_sandbox=NO
	max_clients=0
	max_per_ip=0
	xferlog_enable=NO
	dirmessage_enable=NO
	tcp_wrappers=NO
	secure_chroot_dir=/var/run/vsftpd/empty
	ftp_username=ftp
	idle_session_timeout=3600
	data_connection_timeout=600
	EOF
	[ "$tls" = YES ] && cat >>"/etc/vsftpd/bench-$port.conf" <<-EOF
	ssl_enable=YES
	allow_anon_ssl=YES
	force_anon_logins_ssl=YES
	force_anon_data_ssl=YES
	require_ssl_reuse=NO
	ssl_ciphers=HIGH
	rsa_cert_file=$TLS_DIR/server.pem
	rsa_private_key_file=$TLS_DIR/server.key
	EOF
	# under kbench reap: its session processes are orphaned when they end
	kbench reap $VSFTPD "/etc/vsftpd/bench-$port.conf" 2>>/var/log/vsftpd.log &
	VS_PID=$!
	wait_port "$port" || say "E vsftpd did not start: $(cat /var/log/vsftpd.log)"
}

# one measurement: WORKLOAD CLIENT RUN SERVERPID CHECK-SRC CHECK-DST SCRIPT
# SCRIPT is a sh command line; CHECK-* are what kbench cmp compares after it
measure() {
	local w=$1 c=$2 r=$3 sp=$4 cs=$5 cd=$6 out ok=1 bytes files
	shift 6
	rm -rf "$D"
	mkdir -p "$D"
	# uploads arrive as the servers' user ftp
	chmod 0777 "$D"
	out=$(kbench run "$sp" sh -c "$*" 2>/tmp/bench.err) || ok=0
	if [ $ok = 1 ] && ! kbench cmp "$cs" "$cd" 2>>/tmp/bench.err; then
		ok=0
	fi
	[ $ok = 1 ] || say "E $w $c run $r: $(head -c 300 /tmp/bench.err | tr '\n' ' ')"
	if [ -d "$cs" ]; then
		files=$(find "$cs" -type f | wc -l)
		bytes=$(find "$cs" -type f -exec cat {} + | wc -c)
	else
		files=1
		bytes=$(wc -c <"$cs")
	fi
	[ -n "$out" ] || out="0 0 0"
	say "R $w $c $r $ok $out $bytes $files"
	rm -rf "$D"
}

# CLIENT -> the command for workload 1 against $PORT (one 256 MiB file)
w1_cmd() {
	local u=ftp://127.0.0.1:$PORT/b/src/big
	case $1 in
	kftp*) echo "kftpreq 'get $u $D/big wait' >&2" ;;
	curl) echo "$CURL -sS -o $D/big $u" ;;
	wget) echo "$WGET -q -O $D/big $u" ;;
	bb-ftpget) echo "busybox ftpget -P $PORT 127.0.0.1 $D/big b/src/big" ;;
	bb-wget) echo "busybox wget -q -O $D/big $u" ;;
	raw-tcp) echo "kbench recv $RAW_PORT $D/big" ;;
	splice) echo "kbench splice $RAW_PORT $D/big" ;;
	cat) echo "cat $SRC/big >$D/big" ;;
	esac
}

run_w1() {
	local c r sp
	for r in $(seq 0 "$RUNS"); do
		for c in kftp curl wget bb-ftpget bb-wget raw-tcp splice cat; do
			sp=$SPID
			case $c in raw-tcp | splice) sp=$RAW_PID ;; esac
			[ $c = cat ] && sp=0
			case $c in kftp*) kload "" || continue ;; esac
			measure 1 $c "$r" "$sp" "$SRC/big" "$D/big" "$(w1_cmd $c)"
		done
	done
}

# 200 files of 4 KiB: scripts and request files made once
prep_w2() {
	local i n u=ftp://127.0.0.1:$PORT/b/src/s
	: >$B/w2.req
	: >$B/w2.curl
	: >$B/w2-curl-each.sh
	: >$B/w2-ftpget.sh
	: >$B/w2-kftp-each.sh
	for i in $(seq 1 200); do
		n=f$(printf %03d "$i")
		echo "get $u/$n $D/$n wait" >>$B/w2.req
		printf 'url = "%s"\noutput = "%s"\n' "$u/$n" "$D/$n" >>$B/w2.curl
		echo "$CURL -sS -o $D/$n $u/$n || exit 1" >>$B/w2-curl-each.sh
		echo "busybox ftpget -P $PORT 127.0.0.1 $D/$n b/src/s/$n || exit 1" >>$B/w2-ftpget.sh
		echo "kftpreq 'get $u/$n $D/$n wait' >&2 || exit 1" >>$B/w2-kftp-each.sh
	done
}

run_w2() {
	local c r cmd p
	prep_w2
	for r in $(seq 0 "$RUNS"); do
		for c in kftp-1write kftp-1write-sc1 kftp-200writes curl-each curl-200urls bb-ftpget-each lftp-mirror8; do
			p="max_transfers=256 history=256"
			case $c in
			kftp-1write) cmd="kftpreq <$B/w2.req >&2" ;;
			kftp-1write-sc1) cmd="kftpreq <$B/w2.req >&2"
				p="$p server_conns=1" ;;
			kftp-200writes) cmd="sh $B/w2-kftp-each.sh" ;;
			curl-each) cmd="sh $B/w2-curl-each.sh" ;;
			curl-200urls) cmd="$CURL -sS -K $B/w2.curl" ;;
			bb-ftpget-each) cmd="sh $B/w2-ftpget.sh" ;;
			lftp-mirror8) cmd="HOME=/tmp $LFTP -c '$LFTP_SET; open ftp://127.0.0.1:$PORT; mirror --parallel=8 b/src/s $D'" ;;
			esac
			case $c in kftp*) kload "$p" || continue ;; esac
			measure 2 $c "$r" "$SPID" "$SRC/s" "$D" "$cmd"
		done
	done
}

# 64 downloads of 4 MiB at once
run_w3() {
	local c r cmd p i n u=ftp://127.0.0.1:$PORT/b/src/m
	: >$B/w3.req
	: >$B/w3.curl
	for i in $(seq 1 64); do
		n=m$(printf %02d "$i")
		echo "get $u/$n $D/$n wait" >>$B/w3.req
		printf 'url = "%s"\noutput = "%s"\n' "$u/$n" "$D/$n" >>$B/w3.curl
	done
	for r in $(seq 0 "$RUNS"); do
		for c in kftp kftp-sc64 curl-parallel; do
			p="max_transfers=256 history=256"
			case $c in
			kftp) cmd="kftpreq <$B/w3.req >&2" ;;
			kftp-sc64) cmd="kftpreq <$B/w3.req >&2"
				p="$p server_conns=64" ;;
			curl-parallel) cmd="$CURL -sS --no-progress-meter -Z --parallel-max 64 -K $B/w3.curl" ;;
			esac
			case $c in kftp*) kload "$p" || continue ;; esac
			measure 3 $c "$r" "$SPID" "$SRC/m" "$D" "$cmd"
		done
	done
}

# one 64 MiB file from a vsftpd that caps each data connection at
# SEG_RATE: what segmented downloads (kftp's segments=8, lftp's pget -n 8)
# are for
run_w6() {
	local c r cmd u=ftp://127.0.0.1:$SEG_PORT/b/src/seg
	for r in $(seq 0 "$RUNS"); do
		for c in kftp kftp-seg8 lftp-get lftp-pget8; do
			case $c in
			kftp) cmd="kftpreq 'get $u $D/seg wait' >&2" ;;
			kftp-seg8) cmd="kftpreq 'get $u $D/seg segments=8 wait' >&2" ;;
			lftp-get) cmd="HOME=/tmp $LFTP -c '$LFTP_SET; get -O $D $u'" ;;
			lftp-pget8) cmd="HOME=/tmp $LFTP -c '$LFTP_SET; pget -n 8 -O $D $u'" ;;
			esac
			case $c in kftp*) kload "" || continue ;; esac
			measure 6 $c "$r" "$SEG_PID" "$SRC/seg" "$D/seg" "$cmd"
		done
	done
}

# one 256 MiB upload to the twin of the server the downloads use, checked
# byte for byte there, on the server's side
run_w5() {
	local c r cmd p=$UP_PORT u=ftp://127.0.0.1:$UP_PORT/b/dst/big
	for r in $(seq 0 "$RUNS"); do
		for c in kftp curl bb-ftpput; do
			case $c in
			kftp) cmd="kftpreq 'put $SRC/big $u wait' >&2" ;;
			curl) cmd="$CURL -sS -T $SRC/big $u" ;;
			bb-ftpput) cmd="busybox ftpput -P $p 127.0.0.1 b/dst/big $SRC/big" ;;
			esac
			case $c in kftp*) kload "" || continue ;; esac
			measure 5 $c "$r" "$UP_PID" "$SRC/big" "$D/big" "$cmd"
		done
	done
}

# tls.sh's set-up reports through why(), as check.sh defines it
why() {
	say "E $*"
	return 1
}

# FTPS, 256 MiB down and up with AUTH TLS and PROT P (tls=required):
# kftp (tlshd's handshake, kTLS) against curl --ssl-reqd and lftp
# (ftp:ssl-force, ftp:ssl-protect-data), all trusting the test CA only
run_w7() {
	local c r cmd tls_pid up_pid lftp_tls
	local u=ftp://127.0.0.1:$TLS_PORT/b/src/big up=ftp://127.0.0.1:$TLS_UP_PORT/b/dst/big
	# shellcheck source=tests/guest/tls.sh
	. /kftp/tls.sh
	if tls_kernel_lacks_upcall; then
		say "I FTPS not measured: this kernel has no TLS handshake upcall"
		return 0
	fi
	tls_modules && tlshd_start || return 0
	lftp_tls="set ftp:ssl-force yes; set ftp:ssl-allow-anonymous yes; set ftp:ssl-protect-data yes; set ssl:ca-file $TLS_DIR/ca.pem"
	start_vsftpd $TLS_PORT 0 NO YES
	tls_pid=$VS_PID
	start_vsftpd $TLS_UP_PORT 0 YES YES
	up_pid=$VS_PID
	for r in $(seq 0 "$RUNS"); do
		for c in kftp curl lftp; do
			case $c in
			kftp) cmd="kftpreq 'get $u $D/big tls=required wait' >&2" ;;
			curl) cmd="$CURL -sS --ssl-reqd --cacert $TLS_DIR/ca.pem -o $D/big $u" ;;
			lftp) cmd="HOME=/tmp $LFTP -c '$LFTP_SET; $lftp_tls; get -O $D $u'" ;;
			esac
			case $c in kftp) kload "" || continue ;; esac
			measure 7 $c-get "$r" "$tls_pid" "$SRC/big" "$D/big" "$cmd"
			case $c in
			kftp) cmd="kftpreq 'put $SRC/big $up tls=required wait' >&2" ;;
			curl) cmd="$CURL -sS --ssl-reqd --cacert $TLS_DIR/ca.pem -T $SRC/big $up" ;;
			lftp) cmd="HOME=/tmp $LFTP -c '$LFTP_SET; $lftp_tls; open ftp://127.0.0.1:$TLS_UP_PORT; put -O /b/dst $SRC/big'" ;;
			esac
			measure 7 $c-put "$r" "$up_pid" "$SRC/big" "$D/big" "$cmd"
		done
	done
}

# kernel memory: meminfo fields and slab bytes (active objects x size)
mem_snap() {	# FILE
	grep -E '^(MemFree|Shmem|Slab|SReclaimable|SUnreclaim|KernelStack|PageTables|VmallocUsed|Percpu):' \
		/proc/meminfo | awk '{ print "meminfo", $1, $2 * 1024 }' >"$1"
	tail -n +3 /proc/slabinfo | awk '{ print "slab", $1, $2 * $4 }' >>"$1"
}

# 64 transfers held in flight by a server that stalls after 4 KiB; one user
# each, so each gets its own control connection whatever server_conns is
run_w4() {
	local i n spid rows buf=262144
	rmmod kftp 2>/dev/null
	KPARAMS=none
	kbench stall $STALL_PORT 4096 2>/dev/null &
	spid=$!
	wait_port $STALL_PORT || { say "E stall server did not start"; return 1; }
	kload "" || return 1
	: >$B/w4.req
	for i in $(seq 1 64); do
		echo "get ftp://u$i:p@127.0.0.1:$STALL_PORT/x $D/x$i timeout=600" >>$B/w4.req
	done
	mkdir -p "$D"
	sync
	echo 3 >/proc/sys/vm/drop_caches
	sleep 2
	mem_snap /tmp/mem0
	kftpreq <$B/w4.req >/dev/null || say "E w4: request failed"
	# in flight: 64 rows transferring with their 4 KiB written
	i=0
	while [ $i -lt 300 ]; do
		n=$(awk '$3 == "transferring" && $4 == 4096' /proc/kftp/status | wc -l)
		[ "$n" -ge 64 ] && break
		sleep 0.2
		i=$((i + 1))
	done
	sleep 2
	mem_snap /tmp/mem1
	rows=$(awk '$3 == "transferring"' /proc/kftp/status | wc -l)
	say "M inflight $rows"
	say "M bufsize $buf"
	awk 'NR == FNR { a[$1 " " $2] = $3; next }
	     { d = $3 - a[$1 " " $2]; if ($1 == "meminfo" || d != 0) print "M", $1, $2, d }' \
		/tmp/mem0 /tmp/mem1 | while read -r l; do say "$l"; done
	rmmod kftp
	KPARAMS=none
	kill "$spid"
	rm -rf "$D"
}

# the upload server: the same program as the downloads', with write
# access, on a port of its own; sets UP_PORT and UP_PID
start_up_server() {
	if [ "$PORT" = $VS_PORT ]; then
		start_vsftpd $VS_UP_PORT 0 YES
		UP_PORT=$VS_UP_PORT
		UP_PID=$VS_PID
		say "I upload server: vsftpd on $UP_PORT"
	else
		busybox-ftpd tcpsvd -E -c 512 -b 256 127.0.0.1 $BB_UP_PORT \
			busybox-ftpd ftpd -w -a ftp -t 600 /srv 2>>/var/log/ftpd.log &
		UP_PID=$!
		UP_PORT=$BB_UP_PORT
		wait_port $BB_UP_PORT || say "E busybox ftpd -w did not start"
		say "I upload server: busybox ftpd -w on $UP_PORT"
	fi
}

main() {
	local s0 s1 rate_vs rate_bb
	say "I kernel $(uname -r); $(nproc) CPUs; $(awk '/MemTotal/ { print $2 }' /proc/meminfo) kB"
	say "I versions: $($VSFTPD -v 0>&1 2>&1 | head -n1); $($CURL --version | head -n1 | cut -d' ' -f1-2); $($WGET --version | head -n1); $(busybox | head -n1 | cut -d' ' -f1-2); $(HOME=/tmp $LFTP --version | head -n1)"
	mkdir -p $B
	mount -t tmpfs -o size=1800m tmpfs $B
	mkdir -p "$SRC/s" "$SRC/m"
	head -c 268435456 /dev/urandom >"$SRC/big"
	for i in $(seq 1 200); do
		head -c 4096 /dev/urandom >"$SRC/s/f$(printf %03d "$i")"
	done
	for i in $(seq 1 64); do
		head -c 4194304 /dev/urandom >"$SRC/m/m$(printf %02d "$i")"
	done
	case ",$ONLY," in *,6,*) head -c $SEG_SIZE /dev/urandom >"$SRC/seg" ;; esac
	chmod -R a+rX $B
	start_vsftpd $SEG_PORT $SEG_RATE
	SEG_PID=$VS_PID
	say "I segmented: vsftpd on $SEG_PORT, anon_max_rate=$SEG_RATE"
	start_vsftpd $VS_PORT
	kbench serve $RAW_PORT "$SRC/big" &
	RAW_PID=$!
	wait_port $RAW_PORT || say "E raw server did not start"

	# the server: the faster of vsftpd and busybox ftpd for curl on the
	# 256 MiB file (two warm-ups, then the third run decides)
	# busybox ftpd of its own: the one setup_guest starts logs every command
	# (-v) and its tcpsvd takes 30 connections at once (-c), too few for 64
	busybox-ftpd tcpsvd -E -c 512 -b 256 127.0.0.1 $BB_PORT \
		busybox-ftpd ftpd -a ftp -t 600 /srv 2>>/var/log/ftpd.log &
	BB_PID=$!
	wait_port $BB_PORT || say "E busybox ftpd did not start"
	say "I server pids: vsftpd $VS_PID, busybox tcpsvd $BB_PID"
	for PORT in $VS_PORT $BB_PORT; do
		SPID=$VS_PID
		[ "$PORT" = $BB_PORT ] && SPID=$BB_PID
		for i in 0 1 2; do
			rm -rf "$D"
			mkdir -p "$D"
			s0=$(kbench run "$SPID" sh -c "$(w1_cmd curl)" 2>&1) &&
				kbench cmp "$SRC/big" "$D/big" || s0="999999 0 0"
			say "I server-probe $PORT $i $s0"
		done
		s1=$(awk '{ print 268.435456 / $1 }' <<-EOF
		$s0
		EOF
		)
		[ "$PORT" = $BB_PORT ] && rate_bb=$s1 || rate_vs=$s1
	done
	rm -rf "$D"
	if [ "$SERVER" = vsftpd ] || { [ -z "$SERVER" ] &&
	   awk -v a="$rate_vs" -v b="$rate_bb" 'BEGIN { exit !(a >= b) }'; }; then
		PORT=$VS_PORT
		say "I server vsftpd (curl 256 MiB: vsftpd $rate_vs MB/s, busybox ftpd $rate_bb MB/s)"
	else
		PORT=$BB_PORT
		say "I server busybox-ftpd (curl 256 MiB: vsftpd $rate_vs MB/s, busybox ftpd $rate_bb MB/s)"
	fi
	SPID=$VS_PID
	[ "$PORT" = $BB_PORT ] && SPID=$BB_PID
	case ",$ONLY," in *,5,*) start_up_server ;; esac
	say "I uptime-start $(cat /proc/uptime)"
	case ",$ONLY," in *,1,*) run_w1 ;; esac
	case ",$ONLY," in *,2,*) run_w2 ;; esac
	case ",$ONLY," in *,3,*) run_w3 ;; esac
	case ",$ONLY," in *,4,*) run_w4 ;; esac
	case ",$ONLY," in *,5,*) run_w5 ;; esac
	case ",$ONLY," in *,6,*) run_w6 ;; esac
	case ",$ONLY," in *,7,*) run_w7 ;; esac
	say "I uptime-end $(cat /proc/uptime)"
	rmmod kftp 2>/dev/null
	dmesg | grep -iE 'kftp|BUG|WARNING|Oops' | tail -n 20 | while read -r l; do say "I dmesg: $l"; done
	return 0
}
