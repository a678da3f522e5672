# shellcheck shell=dash
# SPDX-License-Identifier: GPL-2.0
# Uploads (issue 11) and the second real server, run in the guest by
# check.sh, which sources this file: t_NAME functions in check.sh's style,
# listed in PUT_TESTS.  Debian's vsftpd (lib.sh, port $VS_PORT) serves the
# same /srv as busybox ftpd, with the same users.

VS_AUTH=$FTP_USER:$FTP_PASS@127.0.0.1:$VS_PORT

# shellcheck disable=SC2034 # read by check.sh
PUT_TESTS="vs_get_passive vs_get_active"

# a get from vsftpd, checked by sha256 like every get
vs_get() {	# FILE MODE
	local src=/srv/pub/$1 d=$DST/vs-$2-$1
	rm -f "$d"
	req "get ftp://$VS_AUTH/pub/$1 $d mode=$2 wait"
	check_done "$src" "$d"
}

t_vs_get_passive() { vs_get p1.bin passive; }
t_vs_get_active() { vs_get f1024.bin active; }
