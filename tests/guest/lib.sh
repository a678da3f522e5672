# shellcheck shell=dash
# SPDX-License-Identifier: GPL-2.0
# Shared guest set-up: users, FTP servers on ports 21 (busybox ftpd) and
# 2121 (vsftpd), report output.
# busybox sh; sourced by init.

# The report goes to ttyS1 (a plain file on the host) so that kernel
# messages on the console cannot tear result lines; the console gets a copy.
say() {
	echo "$*" >&3
	echo "kftp-test: $*" >/dev/console
}

PAM_DIR=/lib/x86_64-linux-gnu/security
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
	# kftp.ko needs the kernel's DNS resolver (dns_query()): as modprobe would
	insmod /kftp/dns_resolver.ko || say "setup: dns_resolver.ko did not load"
	# everything in 127.0.0.0/8 is local on lo: src=127.0.0.2 needs no set-up
	echo 'root:x:0:0:root:/root:/bin/sh' >/etc/passwd
	echo 'ftp:x:100:101:ftp:/srv:/bin/false' >>/etc/passwd
	# vsftpd's unprivileged helper
	echo 'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' >>/etc/passwd
	echo 'root:x:0:' >/etc/group
	echo 'ftp:x:101:' >>/etc/group
	echo 'root:*:19000:0:99999:7:::' >/etc/shadow
	echo 'ftp:*:19000:0:99999:7:::' >>/etc/shadow
	echo 'nobody:*:19000:0:99999:7:::' >>/etc/shadow
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
	start_vsftpd
}

# Debian's vsftpd on 127.0.0.1:$VS_PORT, a second server with write
# support: the same users and, chrooted to their home /srv, the same paths
# as busybox ftpd.  Local users log in through PAM (pam_unix against
# /etc/shadow); no seccomp sandbox or per-session namespaces, which the
# older kernels' and QEMU's feature set need not have.
VS_PORT=2121
start_vsftpd() {
	mkdir -p /etc/pam.d /etc/vsftpd /var/run/vsftpd/empty
	echo 'passwd: files' >/etc/nsswitch.conf
	echo 'group: files' >>/etc/nsswitch.conf
	echo 'shadow: files' >>/etc/nsswitch.conf
	cat >/etc/pam.d/vsftpd <<-EOF
	auth required $PAM_DIR/pam_unix.so
	account required $PAM_DIR/pam_permit.so
	session required $PAM_DIR/pam_permit.so
	EOF
	cat >/etc/vsftpd/test.conf <<-EOF
	listen=YES
	listen_ipv6=NO
	listen_address=127.0.0.1
	listen_port=$VS_PORT
	background=NO
	anonymous_enable=YES
	no_anon_password=YES
	anon_root=/srv
	ftp_username=ftp
	local_enable=YES
	pam_service_name=vsftpd
	chroot_local_user=YES
	write_enable=YES
	ascii_download_enable=YES
	ascii_upload_enable=YES
	local_umask=022
	pasv_enable=YES
	port_enable=YES
	connect_from_port_20=NO
	isolate=NO
	isolate_network=NO
	seccomp_sandbox=NO
	tcp_wrappers=NO
	max_clients=0
	max_per_ip=0
	dirmessage_enable=NO
	xferlog_enable=NO
	secure_chroot_dir=/var/run/vsftpd/empty
	EOF
	/usr/sbin/vsftpd /etc/vsftpd/test.conf 2>>/var/log/vsftpd.log &
	wait_port $VS_PORT || say "setup: vsftpd did not start: $(cat /var/log/vsftpd.log)"
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
