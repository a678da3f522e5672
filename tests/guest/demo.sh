# shellcheck shell=dash
# SPDX-License-Identifier: GPL-2.0
# `make demo`: fetch one file and a listing, and upload one, through
# /proc/kftp, visibly.
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

# the two files have the same bytes: say so, or fail the demo
same() {	# WHAT A B
	local a b
	a=$(sha "$2")
	b=$(sha "$3")
	if [ -n "$b" ] && [ "$a" = "$b" ]; then
		say "$1: source and destination match ($(wc -c <"$3") bytes)"
	else
		say "MISMATCH: $1: source and destination differ"
		return 1
	fi
}

main() {
	local url="ftp://$DEMO_USER:$DEMO_PASS@127.0.0.1" h
	say "kernel $(uname -r); busybox ftpd on 127.0.0.1:21 serving /srv (user '$DEMO_USER')"
	head -c 4194304 /dev/urandom >/srv/demo.bin
	chmod 0644 /srv/demo.bin
	mkdir -p /srv/incoming
	chown "$DEMO_USER" /srv/incoming
	head -c 1048576 /dev/urandom >/tmp/upload.bin
	show "insmod /kftp/kftp.ko"
	lsmod | grep -q '^kftp ' || { say "insmod failed"; return 1; }
	show "echo 'get $url/demo.bin /tmp/demo.bin wait' > /proc/kftp/request" ||
		show "dmesg | grep kftp"
	show "echo 'list $url/ /tmp/srv.txt wait' > /proc/kftp/request" ||
		show "dmesg | grep kftp"
	show "cat /tmp/srv.txt"
	# the upload names its file's digest: the module checks what it sends
	show "sha256sum /tmp/upload.bin"
	h=$(sha /tmp/upload.bin)
	show "echo 'put /tmp/upload.bin $url/incoming/upload.bin sha256=$h atomic wait' > /proc/kftp/request" ||
		show "dmesg | grep kftp"
	show "cat /proc/kftp/status"
	show "sha256sum /srv/demo.bin /tmp/demo.bin /tmp/upload.bin /srv/incoming/upload.bin"
	same download /srv/demo.bin /tmp/demo.bin || return 1
	same "upload (on the server's side)" /tmp/upload.bin /srv/incoming/upload.bin || return 1
	show "dmesg | grep kftp"
	show "rmmod kftp"
}
