# shellcheck shell=dash
# SPDX-License-Identifier: GPL-2.0
# `make demo`: fetch one file and a listing through /proc/kftp, visibly.
# busybox sh.

# show a command, then run it with its output in the report
show() {
	local out rc
	say "# $*"
	out=$(eval "$*" 2>&1)
	rc=$?
	[ -n "$out" ] && echo "$out" | while read -r l; do say "$l"; done
	[ $rc -eq 0 ] || say "(exit status $rc)"
	return $rc
}

main() {
	local a b
	say "kernel $(uname -r); busybox ftpd on 127.0.0.1:21 serving /srv (user '$DEMO_USER')"
	head -c 4194304 /dev/urandom >/srv/demo.bin
	chmod 0644 /srv/demo.bin
	show "insmod /kftp/kftp.ko"
	lsmod | grep -q '^kftp ' || { say "insmod failed"; return 1; }
	show "echo 'get ftp://$DEMO_USER:$DEMO_PASS@127.0.0.1/demo.bin /tmp/demo.bin wait' > /proc/kftp/request" ||
		show "dmesg | grep kftp"
	show "echo 'list ftp://$DEMO_USER:$DEMO_PASS@127.0.0.1/ /tmp/srv.txt wait' > /proc/kftp/request" ||
		show "dmesg | grep kftp"
	show "cat /tmp/srv.txt"
	show "cat /proc/kftp/status"
	show "sha256sum /srv/demo.bin /tmp/demo.bin"
	a=$(sha /srv/demo.bin)
	b=$(sha /tmp/demo.bin)
	if [ -n "$b" ] && [ "$a" = "$b" ]; then
		say "source and destination match ($(wc -c </tmp/demo.bin) bytes)"
	else
		say "MISMATCH: source and destination differ"
		return 1
	fi
	show "dmesg | grep kftp"
	show "rmmod kftp"
}
