#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make bench`: kftp.ko against userspace FTP clients (Debian's curl, GNU
# wget and lftp, busybox ftpget and wget) and against the machine's limits
# (cat on tmpfs, a raw TCP copy, a splice() receiver), all in one QEMU/TCG
# guest with -smp 2 -m 2G per kernel: Debian 12's 6.12, then the newest
# kernel make check runs (7.3). The guest side is tests/guest/bench.sh;
# this script builds the guest, boots it, then turns its report into the
# table, the ratios, the targets of issue 14 with their verdicts,
# tests/out/bench/results-<kernel>-<date>.txt and a bar chart.
#
# env: BENCH_RUNS (measured runs per client after one warm-up, default 5),
# BENCH_ONLY (workloads, e.g. "1,4"; default all: 7 is FTPS), BENCH_SERVER (vsftpd or
# busybox: pin the server instead of the faster for curl), KLINES (kernel lines,
# default "6.12 7.3") or KVERS (ABIs), KFTP_CACHE, VM_TIMEOUT.
set -euo pipefail

TESTS_DIR=$(cd "$(dirname "$0")" && pwd)
LOG_TAG=bench.sh
# shellcheck source=tests/lib.sh
. "$TESTS_DIR/lib.sh"

# own outputs (build tree, initramfs, console, report): tests/vm.sh check
# may run at the same time and would truncate its report under us
BOUT=$OUT/bench
OUT=$BOUT
RUNS=${BENCH_RUNS:-5}
ONLY=${BENCH_ONLY:-1,2,3,4,5,6,7}
mkdir -p "$BOUT"

# the userspace clients, from Debian 12's .debs like the servers
GUEST_PKGS+=" curl wget lftp"

# hook of mk_initrd (tests/lib.sh)
initrd_extra() {
	local d=$1
	cp "$BOUT/kbench" "$d/bin/"
	copy_dyn "$d" /usr/bin/curl
	copy_dyn "$d" /usr/bin/wget
	copy_dyn "$d" /usr/bin/lftp
}

# median, min and max of the numbers on stdin
stats() {
	sort -g | awk '{ v[NR] = $1 } END {
		if (!NR) { print "- - -"; exit }
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.4g %.4g %.4g\n", m, v[1], v[NR] }'
}

# the measured runs of one workload and client, one per line:
# wall rate client-cpu all-cpu (rate: MB/s for workloads 1, 3, 5 and 6,
# files/s for 2; all-cpu: client, server and softirq)
runs_of() {
	awk -v w="$1" -v c="$2" '$1 == "R" && $2 == w && $3 == c && $4 > 0 && $5 == 1 {
		rate = w == 2 ? $10 / $6 : $9 / 1e6 / $6
		cpu = $7 - $8; if (cpu < 0) cpu = 0
		print $6, rate, cpu, $7 }' "$REPORT"
}

clients() {	# of a workload, in the order they ran
	awk -v w="$1" '$1 == "R" && $2 == w && !s[$3]++ { print $3 }' "$REPORT"
}

median_of() {	# workload client column(1 wall, 2 rate, 3 cpu, 4 all-cpu)
	runs_of "$1" "$2" | awk -v k="$3" '{ print $k }' | stats | cut -d' ' -f1
}

ratio() {	# a/b, or - when either is missing
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a == "-" || b == "-" || a == "" || b == "" || b + 0 == 0) print "-"
		else printf "%.2f\n", a / b }'
}

table() {
	local w c n bad unit
	for w in 1 2 3 5 6; do
		grep -q "^R $w " "$REPORT" || continue
		case $w in
		1) echo "Workload 1: one 256 MiB file, passive mode"; unit="MB/s" ;;
		2) echo "Workload 2: 200 files of 4 KiB"; unit="files/s" ;;
		3) echo "Workload 3: 64 downloads of 4 MiB at once"; unit="MB/s" ;;
		5) echo "Workload 5: one 256 MiB upload, passive mode"; unit="MB/s" ;;
		6) echo "Workload 6: one 64 MiB file, vsftpd capping each connection"; unit="MB/s" ;;
		esac
		printf '  %-16s %4s  %-26s %-26s %-26s\n' client runs \
			"wall s (med min max)" "$unit (med min max)" "client CPU s (med min max)"
		for c in $(clients "$w"); do
			n=$(runs_of "$w" "$c" | wc -l)
			bad=$(awk -v w="$w" -v c="$c" '$1 == "R" && $2 == w && $3 == c && $5 != 1' "$REPORT" | wc -l)
			printf '  %-16s %4s  %-26s %-26s %-26s%s\n' "$c" "$n" \
				"$(runs_of "$w" "$c" | cut -d' ' -f1 | stats)" \
				"$(runs_of "$w" "$c" | cut -d' ' -f2 | stats)" \
				"$(runs_of "$w" "$c" | cut -d' ' -f3 | stats)" \
				"$([ "$bad" -eq 0 ] || echo "  FAILED RUNS: $bad (not counted)")"
		done
		echo
	done
}

# The bounds of issue 14's targets, for ratios() and targets() alike
T_RECV_CURL=0.5
T_RECV_CAT=0.8
T_RECV_CPU=0.45
T_MEM_KIB=64
T_PUT_CURL=0.6
T_PUT_FTPPUT=0.8
T_PUT_CPU=0.5
T_SEG_SPEEDUP=6
T_SEG_LFTP=1
T_FILES_CURL=2
# issue 21's: FTPS (tls=required) wall time against curl --ssl-reqd
T_TLS_CURL=0.8

ratios() {
	local kw cw fw kc cc kr rr
	echo "Ratios (medians)"
	if grep -q '^R 1 ' "$REPORT"; then
		kw=$(median_of 1 kftp 1)
		cw=$(median_of 1 curl 1)
		fw=$(median_of 1 bb-ftpget 1)
		kc=$(median_of 1 kftp 3)
		cc=$(median_of 1 curl 3)
		kr=$(median_of 1 kftp 2)
		rr=$(median_of 1 raw-tcp 2)
		echo "  256 MiB  wall kftp/curl         $(ratio "$kw" "$cw")   (target <= $T_RECV_CURL)"
		echo "  256 MiB  wall kftp/bb-ftpget    $(ratio "$kw" "$fw")   (target <= 0.9)"
		echo "  256 MiB  CPU  kftp/curl         $(ratio "$kc" "$cc")   (target <= $T_RECV_CPU)"
		echo "  256 MiB  MB/s kftp/raw-tcp      $(ratio "$kr" "$rr")   (target >= 0.9)"
		echo "  256 MiB  MB/s kftp/curl         $(ratio "$kr" "$(median_of 1 curl 2)")"
	fi
	if grep -q '^R 2 ' "$REPORT"; then
		kr=$(median_of 2 kftp-1write 2)
		echo "  200x4K files/s kftp-1write/bb-ftpget-each  $(ratio "$kr" "$(median_of 2 bb-ftpget-each 2)")   (target >= 2)"
		echo "  200x4K files/s kftp-1write/curl-200urls    $(ratio "$kr" "$(median_of 2 curl-200urls 2)")   (target >= $T_FILES_CURL)"
		echo "  200x4K files/s kftp-200writes/curl-each    $(ratio "$(median_of 2 kftp-200writes 2)" "$(median_of 2 curl-each 2)")"
		echo "  200x4K CPU     kftp-1write/curl-200urls    $(ratio "$(median_of 2 kftp-1write 3)" "$(median_of 2 curl-200urls 3)")"
	fi
	if grep -q '^R 3 ' "$REPORT"; then
		kr=$(median_of 3 kftp 2)
		echo "  64x4M    MB/s kftp/curl-parallel   $(ratio "$kr" "$(median_of 3 curl-parallel 2)")"
		[ -n "$(median_of 1 kftp 2)" ] &&
			echo "  64x4M    MB/s kftp aggregate/kftp single 256 MiB  $(ratio "$kr" "$(median_of 1 kftp 2)")   (target >= 1)"
	fi
	return 0
}

# "ratio op bound": met / MISSED, or "not measured"
verdict() {
	awk -v r="$1" -v op="$2" -v b="$3" 'BEGIN {
		if (r == "-" || r == "") { print "not measured"; exit }
		ok = op == "<=" ? r + 0 <= b + 0 : r + 0 >= b + 0
		print ok ? "met" : "MISSED" }'
}

target() {	# TEXT RATIO OP BOUND
	printf '  %-52s %6s  (target %s %s)  %s\n' "$1" "$2" "$3" "$4" "$(verdict "$2" "$3" "$4")"
}

# kernel memory per transfer in KiB: slab, stacks, page tables, percpu, vmalloc
mem_per_transfer() {
	awk '$1 == "M" && $2 == "inflight" { n = $3 }
	     $1 == "M" && $2 == "meminfo" { v[$3] = $4 }
	     END { if (!n) { print "-"; exit }
		k = v["Slab:"] + v["KernelStack:"] + v["PageTables:"] + v["Percpu:"] + v["VmallocUsed:"]
		printf "%.1f\n", k / 1024 / n }' "$REPORT"
}

# The four targets of issue 14, as ratios of medians with their verdicts.
targets() {
	local kw kc m
	echo "Targets (issue 14; medians)"
	kw=$(median_of 1 kftp 1)
	kc=$(median_of 1 kftp 3)
	echo " 1. one copy on receive, 256 MiB"
	target "wall kftp / curl" "$(ratio "$kw" "$(median_of 1 curl 1)")" "<=" $T_RECV_CURL
	target "wall kftp / cat tmpfs->tmpfs" "$(ratio "$kw" "$(median_of 1 cat 1)")" "<=" $T_RECV_CAT
	target "client CPU kftp / curl" "$(ratio "$kc" "$(median_of 1 curl 3)")" "<=" $T_RECV_CPU
	m=$(mem_per_transfer)
	printf '  %-52s %6s  (no data buffer: <= %s KiB)  %s\n' "kernel memory per transfer in flight, KiB" "$m" \
		"$T_MEM_KIB" "$(verdict "$m" "<=" $T_MEM_KIB)"
	echo "     for comparison: wall kftp / splice() receiver $(ratio "$kw" "$(median_of 1 splice 1)"), / raw TCP $(ratio "$kw" "$(median_of 1 raw-tcp 1)")"
	echo " 2. zero-copy upload, 256 MiB"
	if grep -q '^R 5 kftp ' "$REPORT"; then
		kw=$(median_of 5 kftp 1)
		target "wall kftp put / curl -T" "$(ratio "$kw" "$(median_of 5 curl 1)")" "<=" $T_PUT_CURL
		target "wall kftp put / bb-ftpput" "$(ratio "$kw" "$(median_of 5 bb-ftpput 1)")" "<=" $T_PUT_FTPPUT
		target "all-CPU kftp put / curl -T" "$(ratio "$(median_of 5 kftp 4)" "$(median_of 5 curl 4)")" "<=" $T_PUT_CPU
		echo "     for comparison: client CPU kftp put / curl -T $(ratio "$(median_of 5 kftp 3)" "$(median_of 5 curl 3)"), / bb-ftpput $(ratio "$(median_of 5 kftp 3)" "$(median_of 5 bb-ftpput 3)")"
	else
		echo "  not measured (workload 5 not run)"
	fi
	echo " 3. segmented download, 64 MiB, vsftpd capping each connection"
	if grep -q '^R 6 kftp-seg8 ' "$REPORT"; then
		target "wall kftp segments=1 / segments=8" "$(ratio "$(median_of 6 kftp 1)" "$(median_of 6 kftp-seg8 1)")" ">=" $T_SEG_SPEEDUP
		target "wall kftp segments=8 / lftp pget -n 8" "$(ratio "$(median_of 6 kftp-seg8 1)" "$(median_of 6 lftp-pget8 1)")" "<=" $T_SEG_LFTP
	else
		echo "  not measured (workload 6 not run)"
	fi
	echo " 4. many files, 200 x 4 KiB"
	target "files/s kftp 1 write / curl 200 URLs" "$(ratio "$(median_of 2 kftp-1write 2)" "$(median_of 2 curl-200urls 2)")" ">=" $T_FILES_CURL
	echo "     compared: files/s kftp 1 write / lftp mirror --parallel=8 $(ratio "$(median_of 2 kftp-1write 2)" "$(median_of 2 lftp-mirror8 2)")"
	echo " 5. FTPS (issue 21), 256 MiB, tls=required against curl --ssl-reqd"
	if grep -q '^R 7 kftp-get ' "$REPORT"; then
		target "wall kftp get / curl" "$(ratio "$(median_of 7 kftp-get 1)" "$(median_of 7 curl-get 1)")" "<=" $T_TLS_CURL
		target "wall kftp put / curl -T" "$(ratio "$(median_of 7 kftp-put 1)" "$(median_of 7 curl-put 1)")" "<=" $T_TLS_CURL
		echo "     compared: wall kftp / lftp get $(ratio "$(median_of 7 kftp-get 1)" "$(median_of 7 lftp-get 1)"), put $(ratio "$(median_of 7 kftp-put 1)" "$(median_of 7 lftp-put 1)"); client CPU kftp / curl get $(ratio "$(median_of 7 kftp-get 3)" "$(median_of 7 curl-get 3)"), put $(ratio "$(median_of 7 kftp-put 3)" "$(median_of 7 curl-put 3)")"
	else
		echo "  not measured (workload 7 not run, or no TLS handshake upcall)"
	fi
}

memory() {
	local n buf
	grep -q '^M ' "$REPORT" || return 0
	n=$(awk '$1 == "M" && $2 == "inflight" { print $3 }' "$REPORT")
	buf=$(awk '$1 == "M" && $2 == "bufsize" { print $3 }' "$REPORT")
	echo "Workload 4: kernel memory with $n kftp transfers in flight (deltas; per transfer in KiB)"
	awk -v n="$n" '$1 == "M" && $2 == "meminfo" {
		printf "  %-14s %10.0f KiB total %8.1f KiB/transfer\n", $3, $4 / 1024, $4 / 1024 / n }' "$REPORT"
	echo "  largest slab cache deltas:"
	awk '$1 == "M" && $2 == "slab" { print $4, $3 }' "$REPORT" | sort -gr | head -n 12 |
		awk -v n="$n" '{ printf "    %-24s %9.0f KiB %7.2f KiB/transfer\n", $2, $1 / 1024, $1 / 1024 / n }'
	awk -v n="$n" -v buf="$buf" '$1 == "M" && $2 == "meminfo" { v[$3] = $4 } END {
		used = -v["MemFree:"] - v["Shmem:"]
		printf "  all kernel memory (MemFree drop - Shmem): %.1f KiB/transfer\n", used / 1024 / n
		# large kmalloc()s count as Slab since 5.x: a data buffer shows here
		k = v["Slab:"] + v["KernelStack:"] + v["PageTables:"] + v["Percpu:"] + v["VmallocUsed:"]
		printf "  slab+stacks+page tables+percpu+vmalloc: %.1f KiB/transfer (a %d KiB buffer would show)\n",
			k / 1024 / n, buf / 1024
	}' "$REPORT"
}

# one bar chart: MB/s (workloads 1, 3) and files/s (workload 2) per client
chart() {
	local w dat=$BOUT/chart-$ABI.dat
	: >"$dat"
	for w in 1 2 3 5 6; do
		for c in $(clients "$w"); do
			echo "$w $c $(median_of "$w" "$c" 2)" >>"$dat"
		done
	done
	[ -s "$dat" ] || return 0
	gnuplot <<-EOF
	set terminal pngcairo size 2200,560 font "DejaVu Sans,10"
	set output "$CHART"
	set multiplot layout 1,5 title "kftp bench, $ABI guest (QEMU TCG, -smp 2), $(date +%F): medians of $RUNS runs"
	set style data histograms
	set style histogram clustered gap 1
	set style fill solid 0.8 border -1
	set boxwidth 0.8
	set grid ytics
	set yrange [0:*]
	set xtics rotate by -40 left
	unset key
	set title "256 MiB file: MB/s"
	plot "< awk '\$1 == 1' $dat" using 3:xtic(2) lc rgb "#3b73b9", '' using 0:3:(sprintf("%.0f", \$3)) with labels offset 0,0.7
	set title "200 x 4 KiB: files/s"
	plot "< awk '\$1 == 2' $dat" using 3:xtic(2) lc rgb "#d9822b", '' using 0:3:(sprintf("%.0f", \$3)) with labels offset 0,0.7
	set title "64 x 4 MiB at once: MB/s"
	plot "< awk '\$1 == 3' $dat" using 3:xtic(2) lc rgb "#4a9a4a", '' using 0:3:(sprintf("%.0f", \$3)) with labels offset 0,0.7
	set title "256 MiB upload: MB/s"
	plot "< awk '\$1 == 5' $dat" using 3:xtic(2) lc rgb "#b93b3b", '' using 0:3:(sprintf("%.0f", \$3)) with labels offset 0,0.7
	set title "64 MiB, capped connections: MB/s"
	plot "< awk '\$1 == 6' $dat" using 3:xtic(2) lc rgb "#8a4ab9", '' using 0:3:(sprintf("%.0f", \$3)) with labels offset 0,0.7
	unset multiplot
	EOF
}

# What makes the run fail, one line each: a failed run of any client, an
# error line of the guest, a workload asked for with no good kftp run
failures() {
	local w
	awk '$1 == "R" && $5 != 1 { n[$2 " " $3]++ }
	     END { for (k in n) printf "workload %s: %d failed runs\n", k, n[k] }' "$REPORT" | sort
	grep '^E ' "$REPORT" | sed 's/^E /error: /' || true
	for w in $(echo "$ONLY" | tr ',' ' '); do
		if [ "$w" = 4 ]; then
			grep -q '^M inflight ' "$REPORT" || echo "workload 4: not measured"
			continue
		fi
		awk -v w="$w" '$1 == "R" && $2 == w && $3 ~ /^kftp/ && $5 == 1 { ok = 1 } END { exit !ok }' \
			"$REPORT" || echo "workload $w: no kftp run succeeded"
	done
	return 0
}

# one kernel: build, boot, report
bench_one() {
	local abi=$1 kdir=$2 vmlinuz=$3 rc=0 date fails boot
	ABI=$abi
	date=$(date +%Y%m%d-%H%M)
	REPORT=$BOUT/results-$abi-$date.txt
	CHART=$BOUT/chart-$abi-$date.png
	log "[$abi] building kftp.ko"
	build_module "$abi" "$kdir" || die "kftp.ko did not build"
	grep -q server_conns "$OUT/build-$abi/src/main.c" ||
		log "[$abi] this kftp.ko has no server_conns: those variants fail to load"
	mk_initrd "$abi" "$OUT/build-$abi/kftp.ko"
	log "[$abi] host load before the boot: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
	log "[$abi] booting, $RUNS runs per client (console: $OUT/console-$abi.log)"
	SECONDS=0
	VM_MEM=2G
	# multi-threaded TCG: the guest's two CPUs run in parallel, as -smp 2 means
	VM_ACCEL=${VM_ACCEL:-tcg,thread=multi}
	VM_APPEND="bench.runs=$RUNS bench.only=$ONLY${BENCH_SERVER:+ bench.server=$BENCH_SERVER}"
	# Multi-threaded TCG races the guest's own text patching (the crng
	# static key at "crng init done", an int3 oops in urandom_read_iter()
	# on 7.3): a guest that oopsed before its first measurement is booted
	# again, at most three times in all. An oops during the runs fails.
	for boot in 1 2 3; do
		rc=0
		run_vm "$abi" "$vmlinuz" bench "${VM_TIMEOUT:-3600}" || rc=$?
		[ "$rc" -ne 0 ] && ! grep -q '^R ' "$OUT/report-$abi.txt" &&
			grep -q 'Oops' "$OUT/console-$abi.log" || break
		log "[$abi] boot $boot oopsed before the first measurement: $(grep -m1 'Oops' "$OUT/console-$abi.log")"
		cp "$OUT/console-$abi.log" "$BOUT/console-$abi-$date-boot$boot.log"
	done
	cp "$OUT/report-$abi.txt" "$REPORT"
	{
		echo "# kftp bench $(date -u +%FT%TZ), guest $abi, $RUNS runs per client"
		echo "# host: $(nproc) CPUs, load after the run $(cut -d' ' -f1-3 /proc/loadavg), boot ${SECONDS}s, qemu rc $rc, boots $boot"
		echo "# R WORKLOAD CLIENT RUN OK WALL BUSY SERVER BYTES FILES"
	} >>"$REPORT"
	[ "$rc" -eq 0 ] || { fail_tail "$abi" "guest failed (rc=$rc)"; return 1; }
	echo
	echo "kftp bench, guest $abi under QEMU/TCG (-smp 2 -m 2G), $(date +%F), host $(nproc) CPUs"
	grep '^I server ' "$REPORT" | sed 's/^I /  /'
	echo
	table
	ratios
	echo
	memory
	echo
	targets
	chart
	echo
	echo "results: $REPORT"
	[ -f "$CHART" ] && echo "chart:   $CHART"
	echo "total: ${SECONDS}s in the guest"
	fails=$(failures)
	[ -n "$fails" ] || return 0
	echo
	echo "[$abi] FAIL:"
	echo "$fails" | sed 's/^/  /'
	return 1
}

main() {
	local abi kdir vmlinuz rc=0
	need_pkgs qemu-system-x86 busybox-static cpio gzip gcc libc6-dev make \
		dpkg-dev bzip2 xz-utils coreutils openssl gnuplot-nox fonts-dejavu-core
	build_busybox_ftpd
	build_helpers
	fetch_guest_root
	mk_tls_certs
	gcc -static -O2 -Wall -Werror -o "$BOUT/kbench" "$TESTS_DIR/bench/kbench.c"
	# each kernel in a boot of its own: 6.12, then the newest make check runs
	KERNELS=$(KLINES=${KLINES:-6.12 7.3} "$TESTS_DIR/kernels.sh")
	[ -n "$KERNELS" ] || die "no kernel to boot"
	while read -r abi kdir vmlinuz; do
		[ -n "$abi" ] || continue
		bench_one "$abi" "$kdir" "$vmlinuz" || rc=1
	done <<<"$KERNELS"
	return "$rc"
}

main "$@"
