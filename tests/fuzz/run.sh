#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the protocol core (the same files as kftp.ko) with libFuzzer, ASan
# and UBSan, and run it for a bounded time from the seed corpus.
#   tests/fuzz/run.sh [SECONDS]     default 30
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$(dirname "$HERE")")
OUT=$ROOT/tests/out/fuzz
SECS=${1:-30}
export DEBIAN_FRONTEND=noninteractive

# shellcheck source=tests/pkgs.sh
. "$ROOT/tests/pkgs.sh"
need_pkgs clang libclang-rt-14-dev

mkdir -p "$OUT/corpus"
clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-Wall -Wextra -Wno-unused-parameter -I"$ROOT/src" -o "$OUT/kftp-fuzz" \
	"$HERE/fuzz.c" "$ROOT/src/request.c" "$ROOT/src/options.c" "$ROOT/src/url.c" \
	"$ROOT/src/reply.c" "$ROOT/src/session.c" "$ROOT/src/session_get.c" \
	"$ROOT/src/session_put.c" "$ROOT/src/ascii.c"
# seeds are built here: a target byte, then the input
seed() { printf '%b' "$2" >"$OUT/corpus/$1"; }
seed req  '\x00get ftp://u:p%41@127.0.0.1:2121/pub/f /tmp/x mode=active src=127.0.0.2 timeout=5 wait'
seed reqq '\x00get ftp://1.2.3.4/a%20b "/tmp/a \\"b\\"" wait'
seed rep  '\x01\x05220-hi\r\n there\r\n220 ok\r\n227 Entering Passive Mode (127,0,0,1,4,1)\r\n'
seed eps  '\x01\x07229 Entering Extended Passive Mode (|||2121|)\r\n213 1024\r\n'
seed r150 '\x01\x07150 Opening BINARY mode data connection for f (1536 bytes).\r\n'
seed sess '\x02\x06220 hi\r\n331 pw\r\n230 in\r\n200 I\r\n213 1536\r\n229 (|||2121|)\r\n150 go (1536 bytes)\r\n226 done\r\n221 bye\r\n'
seed act  '\x02\x47220 hi\r\n331 pw\r\n230 in\r\n200 I\r\n550 no\r\n502 no\r\n200 ok\r\n150 go\r\n226 done\r\n'
seed lim  '\x00get ftp://1.2.3.4/f /tmp/f deadline=604800 min_rate=512K max_size=3G wait'
seed cncl '\x00cancel 18446744073709551615'
seed big  '\x02\x1e220 hi\r\n331 pw\r\n230 in\r\n200 I\r\n502 no\r\n229 (|||2121|)\r\n150 go\r\n226 done\r\n'
seed over '\x02\x0e220 hi\r\n331 pw\r\n230 in\r\n200 I\r\n213 10\r\n229 (|||2121|)\r\n150 go\r\n226 done\r\n'
seed 421  '\x02\x00120 wait\r\n220 hi\r\n331 pw\r\n230 in\r\n200 I\r\n421 idle\r\n'
seed req6 '\x00get ftp://u:p@[2001:db8::7]:2121/f /tmp/x src=2001:db8::8 mode=active'
seed zone '\x00get ftp://[fe80::1%25eth0]/f /tmp/x'
seed map  '\x00get ftp://[::ffff:10.0.0.1]/f /tmp/x src=10.0.0.2'
seed name '\x00get ftp://u:p@ftp-1.Example.org.:2121/f /tmp/x family=6 src=::1'
seed addr '\x00get ftp://ftp.example.org/f /tmp/x addr=192.0.2.7,2001:db8::7,::ffff:10.0.0.1 family=4'
seed tls  '\x00get ftp://u:p@ftp.example.org/f /tmp/x tls=required tlsname=Files.Example.ORG.'
seed tlsc '\x00put /tmp/x ftp://[::1]:2121/f tls=control tlsname=::1'
seed ftps '\x00list FTPS://u:p@192.0.2.7/d/ /tmp/x tlsname=192.0.2.7'
seed v6   '\x03::ffff:1.2.3.4'
seed v6b  '\x031:0:0:2:0::3'
seed sess6 '\x02\x86220 hi\r\n331 pw\r\n230 in\r\n200 I\r\n213 1536\r\n500 no\r\n'
seed act6 '\x02\xc7220 hi\r\n331 pw\r\n230 in\r\n200 I\r\n550 no\r\n500 no\r\n'
seed mlsd '\x04type=file;size=1024;modify=20240229123456.5;UNIX.mode=0644; f1024.bin'
seed mlsx '\x04Type=OS.unix=slink:/x;perm=; a b'
seed mdtm '\x05213 20240229123456.123'
seed rest '\x06350 Restart position accepted (1024).'
seed list '\x07\x02\x01220 hi\r\n331 pw\r\n230 in\r\n200 I\r\n229 (|||2121|)\r\n500 no\r\n229 (|||2121|)\r\n150 go\r\n226 done\r\n'
seed resm '\x07\x02\x15220 hi\r\n331 pw\r\n230 in\r\n200 I\r\n213 4096\r\n213 20240229123456\r\n229 (|||2121|)\r\n350 at 1536\r\n150 go\r\n226 done\r\n'
seed stor '\x08\x0a220 hi\r\n331 pw\r\n230 in\r\n200 I\r\n257 a\r\n550 b\r\n229 (|||2121|)\r\n150 go\r\n226 done\r\n213 1500\r\n350 r\r\n553 no\r\n250 deleted\r\n'
seed strest '\x08\x0d220 hi\r\n331 pw\r\n230 in\r\n200 I\r\n213 700\r\n200 ok\r\n502 no REST\r\n150 go\r\n226 done\r\n213 1500\r\n'
seed sha  '\x00get ftp://1.2.3.4/f /tmp/f resume sha256=E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855'
seed shap '\x00put /tmp/f ftp://1.2.3.4/f atomic sha256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
seed stsha '\x08\x28220 hi\r\n331 pw\r\n230 in\r\n200 I\r\n229 (|||2121|)\r\n150 go\r\n226 done\r\n213 1500\r\n250 deleted\r\n'
seed 110  '\x02\x00220 hi\r\n331 pw\r\n230 in\r\n200 I\r\n213 0\r\n229 (|||2121|)\r\n110 m\r\n150 go\r\n226 done\r\n'
seed asc  '\x09a\r\nb\rc\r\r\n\n\r'
seed retra '\x07\x06\x81220 hi\r\n331 pw\r\n230 in\r\n200 I\r\n200 A\r\n229 (|||2121|)\r\n150 go\r\n226 done\r\n'
# TLS sessions: target byte 10 * mode + target (12: tls=required, 22:
# tls=control, 32: ftps://; 18: a put with tls=required)
seed tlsg '\x0c\x06220 hi\r\n234 go\r\n331 pw\r\n230 in\r\n200 P0\r\n200 P\r\n200 I\r\n213 1536\r\n229 (|||2121|)\r\n150 go\r\n226 done\r\n'
seed tlsgc '\x16\x06220 hi\r\n234 go\r\n331 pw\r\n230 in\r\n200 P0\r\n200 C\r\n200 I\r\n213 1536\r\n229 (|||2121|)\r\n150 go\r\n226 done\r\n'
seed tlsi '\x20\x06220 hi\r\n331 pw\r\n230 in\r\n200 P0\r\n200 P\r\n200 I\r\n213 1536\r\n229 (|||2121|)\r\n150 go\r\n522 SSL connection failed: session reuse required\r\n'
seed tlsn '\x0c\x06220 hi\r\n500 AUTH not understood\r\n'
seed tlsp '\x12\x0a220 hi\r\n234 go\r\n331 pw\r\n230 in\r\n200 P0\r\n200 P\r\n200 I\r\n257 a\r\n550 b\r\n229 (|||2121|)\r\n150 go\r\n226 done\r\n213 1500\r\n'
seed stora '\x08\x10220 hi\r\n331 pw\r\n230 in\r\n200 I\r\n200 A\r\n229 (|||2121|)\r\n150 go\r\n226 done\r\n'

"$OUT/kftp-fuzz" -max_total_time="$SECS" -max_len=8192 -print_final_stats=1 \
	"$OUT/corpus" 2>"$OUT/fuzz.log" || { tail -n 40 "$OUT/fuzz.log"; echo "fuzz: FAILED"; exit 1; }
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$OUT/fuzz.log")
echo "fuzz: $runs inputs in ${SECS}s, no crash, no sanitizer report"
