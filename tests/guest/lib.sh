# shellcheck shell=dash
# SPDX-License-Identifier: GPL-2.0
# Shared guest set-up: users, an FTP server on port 21, report output.
# busybox sh; sourced by init.

# The report goes to ttyS1 (a plain file on the host) so that kernel
# messages on the console cannot tear result lines; the console gets a copy.
say() {
	echo "$*" >&3
	echo "kftp-test: $*" >/dev/console
}

# distinctive passwords: the leak test greps for "Xyzzy"
FTP_USER=kftpuser
FTP_PASS=Xyzzy-9f3e-pw
# the demo's user:pass from the issue
DEMO_USER=user
DEMO_PASS=pass

add_user() {	# name uid password
	echo "$1:x:$2:$2::/srv:/bin/sh" >>/etc/passwd
	echo "$1:x:$2:" >>/etc/group
	echo "$1:$(busybox-ftpd mkpasswd -m sha512 "$3"):19000:0:99999:7:::" >>/etc/shadow
}

setup_guest() {
	mkdir -p /etc /root /srv/pub /var/log
	ip link set lo up
	# everything in 127.0.0.0/8 is local on lo: src=127.0.0.2 needs no set-up
	echo 'root:x:0:0:root:/root:/bin/sh' >/etc/passwd
	echo 'ftp:x:100:101:ftp:/srv:/bin/false' >>/etc/passwd
	echo 'root:x:0:' >/etc/group
	echo 'ftp:x:101:' >>/etc/group
	echo 'root:*:19000:0:99999:7:::' >/etc/shadow
	echo 'ftp:*:19000:0:99999:7:::' >>/etc/shadow
	add_user "$FTP_USER" 1000 "$FTP_PASS"
	add_user "$DEMO_USER" 1001 "$DEMO_PASS"
	chmod 0644 /etc/passwd /etc/group
	chmod 0600 /etc/shadow
	chmod 0755 /srv /srv/pub
	# busybox ftpd: USER/PASS checked against /etc/shadow, "anonymous" logs
	# in as ftp without a password (-a), chroot to /srv after login so the
	# login directory is /srv for everybody.  tcpsvd -v logs every peer
	# ("start PID LOCAL-REMOTE"), which the src= test reads.
	busybox-ftpd tcpsvd -vE 0.0.0.0 21 \
		busybox-ftpd ftpd -vw -a ftp -t 120 /srv 2>>/var/log/ftpd.log &

	wait_port 21 || say "setup: ftpd did not start"
}

# 0 once something accepts on 127.0.0.1:$1
wait_port() {
	local i=0
	while [ $i -lt 50 ]; do
		netstat -ltn 2>/dev/null | grep -q ":$1 " && return 0
		sleep 0.2
		i=$((i + 1))
	done
	return 1
}

sha() {
	sha256sum "$1" 2>/dev/null | cut -d' ' -f1
}
