# shellcheck shell=dash
# SPDX-License-Identifier: GPL-2.0
# The get side of issue 11, run in the guest by check.sh, which sources
# this file (after hostile.sh, whose hsetup/hserve/hstop it uses): t_NAME
# functions in check.sh's style, listed in GETX_TESTS.
#
# list: the listing delivered is parsed back and compared with the server's
# directory: MLSD (stallftpd -s mlsd; busybox ftpd and vsftpd have none),
# LIST (both refuse MLSD with 500), NLST. mtime: the delivered file's time
# is the server file's (MDTM), or now where MDTM is refused. stallftpd
# listens on ports 2601-2699 here, used by no other file.

# shellcheck disable=SC2034 # read by check.sh
GETX_TESTS="x_list_fallback x_list_active x_list_names x_list_lf x_list_raw x_list_mlsd
x_list_mlsd_bad x_vs_list x_vs_names x_mtime x_vs_mtime x_mtime_refused
x_resume_stalled x_resume_norest x_resume_busybox x_resume_vsftpd x_part_not_own
x_part_busy x_part_long_names
x_rate x_rate_cancel x_retries_421 x_retries_550 x_retries_refused x_mkdirs"
# shellcheck disable=SC2034 # checked by check.sh
GETX_COUNT=25

# ---- helpers ----

# /srv/lx: what the list tests list
lx_setup() {
	rm -rf /srv/lx
	mkdir -p /srv/lx/sub
	mkfile /srv/lx/a.bin 1000
	mkfile /srv/lx/empty.bin 0
	mkfile /srv/lx/c.txt 4321
	mkfile /srv/lx/.hidden 17
	chmod 0755 /srv/lx /srv/lx/sub
}

# "NAME TYPE SIZE" of each entry of DIR, sorted; SIZE is - for a directory
dir_entries() {
	local f n
	for f in "$1"/* "$1"/.[!.]*; do
		[ -e "$f" ] || continue
		n=${f##*/}
		if [ -d "$f" ]; then
			echo "$n dir -"
		else
			echo "$n file $(stat -c %s "$f")"
		fi
	done | sort
}

# the same from a LIST (ls -l) listing: the name last (none has a blank
# here), after the size and a date of three words; owner columns vary
list_entries() {
	tr -d '\r' <"$1" | awk '$1 !~ /^total/ {
		t = substr($1, 1, 1) == "d" ? "dir" : "file"
		print $NF, t, t == "dir" ? "-" : $(NF - 4) }' | sort
}

# the same from an MLSD listing; with a second argument, "NAME MODIFY"
mlsd_entries() {
	tr -d '\r' <"$1" | awk -v m="${2:-}" '{
		i = index($0, " ")
		name = substr($0, i + 1)
		n = split(substr($0, 1, i - 1), f, ";")
		t = ""; s = "-"; mod = ""
		for (j = 1; j <= n; j++) {
			k = tolower(substr(f[j], 1, index(f[j], "=") - 1))
			v = substr(f[j], index(f[j], "=") + 1)
			if (k == "type") t = v
			if (k == "size") s = v
			if (k == "modify") mod = v
		}
		if (t == "dir") s = "-"
		if (m) print name, mod
		else print name, t, s }' | sort
}

# a listing delivered: ok, done in status with its size, no temp file
list_done() {	# PATH
	local d=$1
	[ "$REQ_OUT" = ok ] || why "kftpreq: '$REQ_OUT' $(row_of "$d")" || return
	[ -f "$d" ] || why "$d missing" || return
	[ "$(field STATE "$d")" = done ] || why "status: '$(row_of "$d")'" || return
	[ "$(field BYTES "$d")" = "$(stat -c %s "$d")" ] ||
		why "status BYTES $(field BYTES "$d"), file has $(stat -c %s "$d")" || return
	no_temp_left "$(dirname "$d")"
}

same_entries() {	# WANT GOT
	[ "$1" = "$2" ] || why "listing differs: want [$(echo "$1" | tr '\n' '|')] got [$(echo "$2" | tr '\n' '|')]"
}

# ---- list ----

# busybox ftpd answers MLSD with 500: LIST, over an existing file
t_x_list_fallback() {
	local d=$DST/lx-list.txt
	lx_setup
	echo old >"$d"
	req "list ftp://$AUTH/lx/ $d wait"
	list_done "$d" || return
	same_entries "$(dir_entries /srv/lx)" "$(list_entries "$d")"
}

t_x_list_active() {
	local d=$DST/lx-active.txt
	lx_setup
	req "list ftp://$AUTH/lx $d mode=active wait"
	list_done "$d" || return
	same_entries "$(dir_entries /srv/lx)" "$(list_entries "$d")"
}

# names: NLST, one name a line
t_x_list_names() {
	local d=$DST/lx-names.txt
	lx_setup
	req "list ftp://$AUTH/lx/ $d names wait"
	list_done "$d" || return
	same_entries "$(dir_entries /srv/lx | cut -d' ' -f1)" "$(tr -d '\r' <"$d" | sort)"
}

# a listing is Unix text: LF line ends, not one CR (busybox ftpd sends CR LF)
t_x_list_lf() {
	local d=$DST/lx-lf.txt cr
	cr=$(printf '\r')
	lx_setup
	req "list ftp://$AUTH/lx/ $d names wait"
	list_done "$d" || return
	! grep -q "$cr" "$d" || why "a CR in the listing: $(od -c "$d" | head -n 3)" || return
	same_entries "$(dir_entries /srv/lx | cut -d' ' -f1)" "$(sort "$d")"
}

# raw: the server's bytes, every line ending in CR LF
t_x_list_raw() {
	local d=$DST/lx-raw.txt cr lines
	cr=$(printf '\r')
	lx_setup
	req "list ftp://$AUTH/lx/ $d names raw wait"
	list_done "$d" || return
	lines=$(grep -c . "$d")
	[ "$lines" -gt 0 ] && [ "$(grep -c "$cr\$" "$d")" = "$lines" ] ||
		why "not every line ends in CR LF: $(od -c "$d" | head -n 3)" || return
	same_entries "$(dir_entries /srv/lx | cut -d' ' -f1)" "$(tr -d '\r' <"$d" | sort)"
}

# vsftpd (put.sh's VS_AUTH) lists no dot files
t_x_vs_list() {
	local d=$DST/lx-vs.txt
	lx_setup
	req "list ftp://$VS_AUTH/lx/ $d mode=active wait"
	list_done "$d" || return
	same_entries "$(dir_entries /srv/lx | grep -v '^\.')" "$(list_entries "$d")"
}

t_x_vs_names() {
	local d=$DST/lx-vs-names.txt
	lx_setup
	req "list ftp://$VS_AUTH/lx $d names wait"
	list_done "$d" || return
	# vsftpd's NLST of a directory names its entries with the directory
	same_entries "$(dir_entries /srv/lx | grep -v '^\.' | cut -d' ' -f1)" \
		"$(tr -d '\r' <"$d" | sed 's|^lx/||' | sort)"
}

# a server with MLSD: its facts (type, size, modify) are the directory's
t_x_list_mlsd() {
	local d want got f
	hsetup 2601
	d=$HX/d/mlsd.txt
	mkdir -p "$HX/srv/sub"
	touch -d '2021-03-04 05:06:07' "$HX/srv/ok.bin"
	hserve mlsd || return
	req "list $HURL/ $d wait"
	hstop
	list_done "$d" || return
	same_entries "$(dir_entries "$HX/srv")" "$(mlsd_entries "$d")" || return
	want=$(for f in "$HX"/srv/*; do
		echo "${f##*/} $(date -u -d "@$(stat -c %Y "$f")" +%Y%m%d%H%M%S)"
	done | sort)
	got=$(mlsd_entries "$d" modify)
	same_entries "$want" "$got" || return
	grep -q '^S[0-9]* MLSD $' "$HX/log" || why "no MLSD in the server's log"
}

# an MLSD listing that is not machine-readable: EPROTO, PATH untouched
t_x_list_mlsd_bad() {
	hsetup 2602
	hserve mlsd || return
	req "list $HURL/bad $HD wait"
	hstop
	h_failed EPROTO
}

# ---- mtime ----

# MDTM's time on a new file and on one it replaces; without mtime, now
t_x_mtime() {
	local s=/srv/pub/mt.bin d=$DST/mt.bin n=$DST/mt-now.bin now
	mkfile $s 2048
	touch -d '2021-03-04 05:06:07' $s
	rm -f $d $n
	req "get ftp://$AUTH/pub/mt.bin $d mtime wait"
	check_done $s $d || return
	[ "$(stat -c %Y $d)" = "$(stat -c %Y $s)" ] ||
		why "mtime $(stat -c %Y $d), server's $(stat -c %Y $s)" || return
	touch $d
	req "get ftp://$AUTH/pub/mt.bin $d mtime wait"
	check_done $s $d || return
	[ "$(stat -c %Y $d)" = "$(stat -c %Y $s)" ] ||
		why "replaced: mtime $(stat -c %Y $d), server's $(stat -c %Y $s)" || return
	now=$(date +%s)
	req "get ftp://$AUTH/pub/mt.bin $n wait"
	check_done $s $n || return
	[ $((now - $(stat -c %Y $n))) -le 60 ] || why "without mtime: $(stat -c %Y $n), now $now"
}

t_x_vs_mtime() {
	local s=/srv/pub/mt-vs.bin d=$DST/mt-vs.bin
	mkfile $s 3000
	touch -d '2019-12-31 23:59:58' $s
	rm -f $d
	req "get ftp://$VS_AUTH/pub/mt-vs.bin $d mtime wait"
	check_done $s $d || return
	[ "$(stat -c %Y $d)" = "$(stat -c %Y $s)" ] ||
		why "mtime $(stat -c %Y $d), server's $(stat -c %Y $s)"
}

# a server without MDTM (stallftpd answers 502): the file comes all the same
t_x_mtime_refused() {
	local d now
	hsetup 2603
	d=$HX/d/ok.bin
	touch -d '2021-03-04 05:06:07' "$HX/srv/ok.bin"
	hserve normal || return
	now=$(date +%s)
	req "get $HURL/ok.bin $d mtime wait"
	hstop
	check_done "$HX/srv/ok.bin" "$d" || return
	[ $((now - $(stat -c %Y "$d"))) -le 60 ] || why "mtime $(stat -c %Y "$d"), now $now"
}

# ---- resume ----

# the part file of DEST: there, mode 0600, the writer's (root), SIZE bytes
part_check() {	# DEST SIZE
	local p
	p=$(dirname "$1")/.kftp-part-$(basename "$1")
	[ -f "$p" ] && [ ! -L "$p" ] || why "no part file $p: $(ls -a "$(dirname "$1")" | tr '\n' ' ')" || return
	[ "$(stat -c '%a %u %s' "$p")" = "600 0 $2" ] ||
		why "part file: mode, owner, size $(stat -c '%a %u %s' "$p"), not 600 0 $2"
}

# a stalled transfer keeps half the file; the next one sends one REST and
# completes it, the part file renamed over the destination
t_x_resume_stalled() {
	hsetup 2604
	hserve resume || return
	req "get $HURL/h.bin $HD resume timeout=2 wait"
	[ "$REQ_OUT" = ETIMEDOUT ] || { hstop; why "stalled: '$REQ_OUT' $(row_of "$HD")"; return; }
	[ "$(sha "$HD")" = "$HD_SHA" ] || { hstop; why "existing $HD changed"; return; }
	[ "$(field BYTES "$HD")" = 50000 ] || { hstop; why "status: '$(row_of "$HD")'"; return; }
	part_check "$HD" 50000 || { hstop; return 1; }
	req "get $HURL/h.bin $HD resume timeout=5 wait"
	hstop
	check_done "$HX/srv/h.bin" "$HD" || return
	[ "$(grep -c ' REST ' "$HX/log")" -eq 1 ] && grep -q ' REST 50000$' "$HX/log" ||
		why "REST sent: $(grep ' REST' "$HX/log" | tr '\n' '|')"
}

# REST refused: the part is dropped and the file comes whole
t_x_resume_norest() {
	hsetup 2605
	hserve resume_norest || return
	req "get $HURL/h.bin $HD resume timeout=2 wait"
	[ "$REQ_OUT" = ETIMEDOUT ] || { hstop; why "stalled: '$REQ_OUT'"; return; }
	part_check "$HD" 50000 || { hstop; return 1; }
	req "get $HURL/h.bin $HD resume timeout=5 wait"
	hstop
	check_done "$HX/srv/h.bin" "$HD" || return
	[ "$(grep -c 'REST refused' "$HX/log")" -eq 1 ] || why "REST: $(grep REST "$HX/log")"
}

# a real server's REST: the part (30000 bytes that are not the file's)
# is continued, not replaced: the result is the part, then the file's rest
resume_real() {	# URL-BASE NAME
	local s=/srv/pub/$2 d=$DST/$2 p=$DST/.kftp-part-$2 want
	mkfile "$s" 100000
	rm -f "$d"
	head -c 30000 /dev/urandom >"$p"
	chmod 0600 "$p"
	want=$({ cat "$p"; tail -c +30001 "$s"; } | sha256sum | cut -d' ' -f1)
	req "get $1/pub/$2 $d resume wait"
	[ "$REQ_OUT" = ok ] || why "kftpreq: '$REQ_OUT' $(row_of "$d")" || return
	[ "$(sha "$d")" = "$want" ] || why "not the part and the rest of the file" || return
	[ "$(field BYTES "$d")" = 100000 ] || why "status: '$(row_of "$d")'" || return
	no_temp_left $DST
}

t_x_resume_busybox() { resume_real "ftp://$AUTH" rb.bin; }
t_x_resume_vsftpd() { resume_real "ftp://$VS_AUTH" rv.bin; }

# a part file that is not the writer's own regular file is not used
t_x_part_not_own() {
	local d=$DST/pn.bin p=$DST/.kftp-part-pn.bin
	rm -f "$d" "$p" $DST/pn-target
	echo target >$DST/pn-target
	ln -s pn-target "$p"
	req_expect EEXIST "get ftp://$AUTH/pub/f1024.bin $d resume wait" || return
	[ "$(cat $DST/pn-target)" = target ] || why "symlink target written" || return
	rm -f "$p"
	echo other >"$p"
	chown 1000 "$p"
	req_expect EEXIST "get ftp://$AUTH/pub/f1024.bin $d resume wait" || return
	[ "$(cat "$p")" = other ] || why "another user's part file written" || return
	[ ! -e "$d" ] || why "$d created" || return
	rm -f "$p" $DST/pn-target
	# and a part file of its own, already whole, is delivered as it is
	head -c 1024 /srv/pub/f1024.bin >"$p"
	req "get ftp://$AUTH/pub/f1024.bin $d resume wait"
	check_done /srv/pub/f1024.bin "$d"
}

# A second transfer to a PATH a live one writes is refused at write() time
# with EBUSY, here a resume with a wrong sha256= that would have shared the
# part file and, failing, unlinked it: the first's part file stays whole
# and the next resume completes from it.
t_x_part_busy() {
	local zero=0000000000000000000000000000000000000000000000000000000000000000 p i
	hsetup 2609
	p=$HX/d/.kftp-part-h.bin
	hserve resume || return
	bg_req "get $HURL/h.bin $HD resume timeout=3 wait"
	# the first stands still, its half of the file in the part file
	i=0
	while [ "$(stat -c %s "$p" 2>/dev/null)" != 50000 ] && [ $i -lt 50 ]; do
		sleep 0.2
		i=$((i + 1))
	done
	part_check "$HD" 50000 || { hstop; return 1; }
	write_refused EBUSY 1 "get $HURL/h.bin $HD resume sha256=$zero wait" ||
		{ hstop; return 1; }
	bg_wait
	[ "$REQ_OUT" = ETIMEDOUT ] || { hstop; why "first: '$REQ_OUT' $(row_of "$HD")"; return; }
	part_check "$HD" 50000 || { hstop; return 1; }
	[ "$(sha "$p")" = \
	  "$(head -c 50000 "$HX/srv/h.bin" | sha256sum | cut -d' ' -f1)" ] ||
		{ hstop; why "the first's part file was changed"; return; }
	req "get $HURL/h.bin $HD resume timeout=5 wait"
	hstop
	check_done "$HX/srv/h.bin" "$HD"
}

# Two names that agree in their first 240 bytes get part files of their
# own: the second resume does not take over, complete and deliver (so
# remove) the part file the first one kept.
t_x_part_long_names() {
	local long n1 n2 p
	long=$(head -c 240 /dev/zero | tr '\0' l)
	n1=$long-one.bin
	n2=$long-two.bin
	hsetup 2610
	hserve resume || return
	req "get $HURL/h.bin $HX/d/$n1 resume timeout=2 wait"
	[ "$REQ_OUT" = ETIMEDOUT ] || { hstop; why "first: '$REQ_OUT'"; return; }
	req "get $HURL/h.bin $HX/d/$n2 resume timeout=5 wait"
	hstop
	[ "$REQ_OUT" = ok ] && [ "$(sha "$HX/d/$n2")" = "$(sha "$HX/srv/h.bin")" ] ||
		why "second: '$REQ_OUT' $(row_of "$HX/d/$n2")" || return
	p=$(ls -a "$HX/d" | grep '^\.kftp-part')
	[ "$(echo "$p" | grep -c .)" -eq 1 ] ||
		why "part files after the second: '$(echo "$p" | tr '\n' ' ')', not one" || return
	[ "$(stat -c %s "$HX/d/$p")" = 50000 ] ||
		why "the first's part file $p has $(stat -c %s "$HX/d/$p") bytes, not 50000"
}

# ---- rate= ----

# 8 MiB at rate=1M: 7 to 9 s, the bytes right
t_x_rate() {
	local s=/srv/pub/r8m.bin d=$DST/r8m.bin t0 t
	mkfile $s 8388608
	rm -f $d
	t0=$(uptime_s)
	req "get ftp://$AUTH/pub/r8m.bin $d rate=1M wait"
	t=$(since "$t0")
	say "x_rate: 8 MiB at rate=1M in $t s"
	check_done $s $d || return
	rm -f $d $s
	awk -v t="$t" 'BEGIN { exit !(t >= 7 && t <= 9) }' || why "8 MiB at rate=1M took $t s"
}

# the rate wait ends at once for a cancel and for the deadline
t_x_rate_cancel() {
	local s=/srv/pub/r1m.bin d=$DST/r1m.bin id t0
	mkfile $s 1048576
	rm -f $d
	req "get ftp://$AUTH/pub/r1m.bin $d rate=4K"
	[ "$REQ_OUT" = ok ] || why "request: $REQ_OUT" || return
	wait_state $d transferring 50 || why "never transferring: '$(row_of $d)'" || return
	sleep 1
	id=$(field ID $d)
	t0=$(uptime_s)
	req "cancel $id"
	wait_state $d cancelled 25 || why "cancel: '$(row_of $d)' after $(since "$t0") s" || return
	[ "$(field BYTES $d)" -lt 65536 ] || why "rate=4K: BYTES $(field BYTES $d) after a second" || return
	t0=$(uptime_s)
	req "get ftp://$AUTH/pub/r1m.bin $d rate=4K deadline=2 wait"
	[ "$REQ_OUT" = ETIMEDOUT ] || why "deadline=2: '$REQ_OUT' $(row_of $d)" || return
	elapsed_le "$t0" 5 || why "deadline=2 took $(since "$t0") s" || return
	[ ! -e $d ] || why "$d created" || return
	no_temp_left $DST
}

# ---- retries= ----

# 421 to the first two sessions: the third try, 1 + 2 s later, succeeds
t_x_retries_421() {
	local d t0 t
	hsetup 2606
	d=$HX/d/ok.bin
	hserve busy_twice || return
	t0=$(uptime_s)
	req "get $HURL/ok.bin $d retries=3 timeout=5 wait"
	t=$(since "$t0")
	hstop
	check_done "$HX/srv/ok.bin" "$d" || return
	[ "$(field TRY "$d")" = 3 ] || why "TRY $(field TRY "$d"), not 3: '$(row_of "$d")'" || return
	[ "$(grep -c '421 busy' "$HX/log")" -eq 2 ] && [ "$(grep -c ' start$' "$HX/log")" -eq 3 ] ||
		why "server: $(tr '\n' '|' <"$HX/log")" || return
	awk -v t="$t" 'BEGIN { exit !(t >= 3 && t <= 8) }' || why "3 tries took $t s, not 1 + 2 s and some"
}

# 550 is permanent: one RETR, TRY 1, at once
t_x_retries_550() {
	local d t0
	hsetup 2607
	d=$HX/d/missing.bin
	hserve normal || return
	t0=$(uptime_s)
	req "get $HURL/missing.bin $d retries=3 wait"
	hstop
	[ "$REQ_OUT" = ENOENT ] || why "expected ENOENT, got '$REQ_OUT'" || return
	[ "$(field TRY "$d")" = 1 ] || why "TRY $(field TRY "$d")" || return
	[ "$(grep -c 'RETR missing.bin' "$HX/log")" -eq 1 ] || why "RETRs: $(grep -c RETR "$HX/log")" || return
	elapsed_le "$t0" 2 || why "took $(since "$t0") s"
}

# ECONNREFUSED is transient: retries=1 tries twice, a second apart; and
# the deadline ends a wait between tries at once
t_x_retries_refused() {
	local d=$DST/refused-r.bin t0 t
	netstat -ltn | grep -q ':2608 ' && { why "something listens on 2608"; return; }
	t0=$(uptime_s)
	req_expect ECONNREFUSED "get ftp://$AUTH:2608/pub/f1024.bin $d retries=1 wait" || return
	t=$(since "$t0")
	[ "$(field TRY "$d")" = 2 ] || why "TRY $(field TRY "$d"), not 2" || return
	awk -v t="$t" 'BEGIN { exit !(t >= 1 && t <= 4) }' || why "two tries took $t s" || return
	t0=$(uptime_s)
	req_expect ETIMEDOUT "get ftp://$AUTH:2608/pub/f1024.bin $d retries=20 deadline=4 wait" || return
	elapsed_le "$t0" 6 || why "deadline=4 with retries=20 took $(since "$t0") s" || return
	[ "$(field TRY "$d")" = 3 ] || why "deadline=4: TRY $(field TRY "$d"), not 3 (1 + 2 s of waits)"
}

# ---- mkdirs ----

# the missing directories are made at write() time with the writer's umask;
# without mkdirs ENOENT; a file in the way ENOTDIR; nothing made on EINVAL
t_x_mkdirs() {
	local b=$DST/mk
	rm -rf $b
	mkdir -p $b/have
	req_expect ENOENT "get ftp://$AUTH/pub/f1024.bin $b/have/x/y/f.bin wait" || return
	[ ! -e $b/have/x ] || why "a directory made without mkdirs" || return
	req "get ftp://$AUTH/pub/f1024.bin $b/have/x/y/f.bin mkdirs wait"
	check_done /srv/pub/f1024.bin $b/have/x/y/f.bin || return
	[ "$(stat -c %a $b/have/x) $(stat -c %a $b/have/x/y)" = "755 755" ] ||
		why "umask 022: modes $(stat -c %a $b/have/x) $(stat -c %a $b/have/x/y)" || return
	REQ_OUT=$( (umask 077 && timeout "$WAIT_MAX" kftpreq \
		"list ftp://$AUTH/pub/ $b/u/v/l.txt mkdirs wait") 2>&1)
	[ "$REQ_OUT" = ok ] || why "list mkdirs: '$REQ_OUT'" || return
	[ "$(stat -c %a $b/u) $(stat -c %a $b/u/v) $(stat -c %u $b/u/v)" = "700 700 0" ] ||
		why "umask 077: $(stat -c '%a %u' $b/u) $(stat -c '%a %u' $b/u/v)" || return
	echo file >$b/plain
	req_expect ENOTDIR "get ftp://$AUTH/pub/f1024.bin $b/plain/z/f.bin mkdirs wait" || return
	req_expect EINVAL "get ftp://$AUTH/pub/f1024.bin $b/n/f.bin mkdirs colour=blue" || return
	[ ! -e $b/n ] || why "a directory made for a line refused"
}
