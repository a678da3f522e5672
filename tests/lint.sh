#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/lint.sh - kftp's kernel-grade static gates (run by `make lint`).
#
#   tests/lint.sh [GATE...]    GATE: sparse old cocci checkpatch kdoc w1
#                              maintainers versions (default: all)
#
# Every gate prints its findings as "gate: file:line: message", then one
# "lint: GATE: N finding(s)" line; the last line is the verdict.  Exit
# status: 0 when no gate found anything, 1 otherwise, 2 on bad usage.
#
# Tools come from Debian packages (installed with apt-get when missing):
# sparse, coccinelle, perl, python3 and linux-source-6.12, whose tarball
# gives scripts/checkpatch.pl (+ spelling.txt, const_structs.checkpatch),
# scripts/kernel-doc and scripts/coccinelle/.  Only those members are
# unpacked, once, into $KFTP_CACHE/lint/ (never into the repo).  The
# target kernels' build trees come from tests/kernels.sh (Debian's 5.10,
# 6.1, 6.12, 7.2, 7.3):
# the w1 and sparse gates build each in its own copy of the module
# sources, tests/out/lint-$ABI, one build at a time, at most -j2, through
# tests/kmake.sh (7.x in the sid root, with its gcc-16 and sparse).
# The old gate builds kftp the same way against each of the prepared trees
# of ../shared/kernels (MANIFEST), unpacked once into $KFTP_CACHE/oldtrees/,
# with the compile probes on (then sparse) and with KFTP_PROBE=0.
# Each build copy is kept between runs: kbuild compiles again only what
# changed and what the last run flagged.  Every build also compiles the
# self-test samples of tests/lint/ beside kftp; a gate that does not
# report its sample fails.
#
# Environment: KFTP_CACHE (cache dir), KVERS (passed to tests/kernels.sh),
# LINT_JOBS (make -j and spatch --jobs, default 2, capped at 2).
set -uo pipefail

cd "$(dirname "$0")/.." || exit 2
ROOT=$PWD
CACHE=${KFTP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kftp}
OUT=$ROOT/tests/out
LOG=$OUT/lint
JOBS=${LINT_JOBS:-2}
[ "$JOBS" -gt 2 ] 2>/dev/null && JOBS=2
export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8

# The kernel release whose scripts/ we use for checkpatch and coccicheck
# (run once, not per kernel): the newest one that Debian 12's apt has.
LSRC_VER=6.12
LSRC_PKG=linux-source-$LSRC_VER

ALL_GATES="sparse old cocci checkpatch kdoc w1 maintainers versions"

# -------------------------------------------------------------------------
# Gate configuration

# sparse: -Wsparse-all is the goal; each -Wno-* below is there because
# Debian's own 6.1/6.12 headers warn under it with sparse 0.6.4 (measured on
# a module including net, slab, proc_fs, seq_file, kthread, workqueue):
#   -Wno-pedantic                    "directive in macro's argument list",
#                                    include/linux/skbuff.h (6.1 and 6.12)
#   -Wno-declaration-after-statement include/linux/page-flags.h, sock.h,
#                                    bpf.h (6.12); gcc's own
#                                    -Wdeclaration-after-statement (kbuild
#                                    default) still covers kftp's code
#   -Wno-flexible-array-nested       sched.h, asm/processor.h,
#                                    asm/fpu/types.h (6.12)
#   -Wno-transparent-union           include/linux/mm.h (6.12)
#   -Wno-constexpr-not-const         module_init()/module_exit() expand to
#                                    __ADDRESSABLE(), a pointer-to-integer
#                                    cast in a static initializer (6.12),
#                                    so every module's own file warns
#   -Wno-pointer-arith               "expression using sizeof(void)": 6.1's
#                                    fortified strlen() (fortify-string.h,
#                                    __compiletime_strlen/__is_constexpr)
#                                    at every strlen() call site
#   -Wno-sizeof-bool                 READ_ONCE()/WRITE_ONCE() of a bool:
#                                    compiletime_assert_rwonce_type() takes
#                                    sizeof of its argument (rwonce.h)
#   -Wno-ptr-subtraction-blows       KUNIT_ARRAY_PARAM() (kunit/test.h)
#                                    subtracts pointers into the cases
#                                    array, whose element size is rarely a
#                                    power of two (kunit/*.c, 6.1 to 7.x)
# The last four are located at kftp's own lines but come from the kernel's
# macros, so they cannot be fixed in kftp.  5.10 (host sparse) and 7.x
# (sid's sparse) need no further exception.
# -D__CHECK_ENDIAN__ is kept as the issue asks; endianness checks
# (-Wbitwise) are on by default in kbuild's CHECKFLAGS since 4.10 anyway.
# Warnings located in the kernel's headers are listed but not counted: only
# kftp's own files (src/, proc/, compat/) count.
SPARSE_CF="-D__CHECK_ENDIAN__ -Wsparse-all -Wno-pedantic"
SPARSE_CF+=" -Wno-declaration-after-statement -Wno-flexible-array-nested"
SPARSE_CF+=" -Wno-transparent-union -Wno-constexpr-not-const"
SPARSE_CF+=" -Wno-pointer-arith -Wno-sizeof-bool -Wno-ptr-subtraction-blows"

# checkpatch: --strict --no-tree -f, every finding counts.  Types ignored
# for all files, each with its reason (keep this list short):
CHECKPATCH_IGNORE=(
	# (none)
)
# Narrower exclusions: "PATH-ERE TYPE LINE-ERE", a finding is dropped when
# its file matches PATH-ERE, its type is TYPE and its source line matches
# LINE-ERE.  Each with its reason:
CHECKPATCH_EXCLUDE=(
	# compat/ is the one place where kernel version tests belong (the
	# versions gate keeps them out of everywhere else); checkpatch's
	# "should be avoided" is advice for code merged upstream
	'^compat/ LINUX_VERSION_CODE LINUX_VERSION_CODE'
	# "#if LINUX_VERSION_CODE >= KERNEL_VERSION(a, b, c)" is the kernel's
	# own idiom; checkpatch takes LINUX_VERSION_CODE for a constant on the
	# left of the comparison
	'^compat/ CONSTANT_COMPARISON LINUX_VERSION_CODE[[:space:]]*[<>=!]+[[:space:]]*KERNEL_VERSION'
	# libFuzzer calls the harness by this fixed name
	'^tests/fuzz/ CAMELCASE LLVMFuzzerTestOneInput'
	# compat/ falls back to kmap_atomic() only for the kernels before
	# kmap_local_page() (5.11), which have nothing else
	'^compat/ DEPRECATED_API k(un)?map_atomic\('
)

# kdoc: scripts/kernel-doc -none -Wall over these files (every line it
# prints is a finding), and a kernel-doc block for every function that a C
# file among them defines without static, before its declaration in a
# header of src/ or proc/ or before its definition.  Nothing is excluded: the
# module's entry points, kftp_init() and kftp_exit() (main.c), are static.
KDOC_FILES=('src/*.c' 'src/*.h' 'proc/*.c' 'proc/*.h')

# coccicheck: findings dropped as "PATH-ERE RULE MESSAGE-ERE", each with its
# reason:
COCCI_EXCLUDE=(
	# compat/ defines kvfree() for kernels before 3.15, which have none;
	# the rule asks to call kvfree() instead of the very code that is it
	'^compat/misc\.h kvmalloc opportunity[[:space:]]for[[:space:]]kvfree'
)

# Directories whose C files are not kernel code (not checkpatch'ed, not
# coccicheck'ed), with the reason:
#   tests/guest/       userspace helpers run inside the test VM: libc
#                      code, where checkpatch's kernel-API advice (u32 over
#                      uint32_t, no printf, strscpy, ...) does not apply
#   tests/bench/       the benchmark's userspace helpers, the same kind
#   tools/             the kftp command and its test pty helper: libc
#                      programs (coccinelle's kernel rules would have them
#                      call the kernel's max())
#   coccinelle/tests/  the semantic patches' samples: the positive ones
#                      are wrong on purpose; the cocci and versions gates
#                      run each rule over its own samples instead
#   tests/lint/        the other gates' samples, wrong on purpose too; each
#                      gate runs over its own (see SAMPLE_*)
NOT_KERNEL_RE='^(tests/guest/|tests/bench/|tools/|coccinelle/tests/|tests/lint/)'

# Self-test samples: each gate must report every line marked "expect" in
# its sample, in the same run (same make, same grep) that checks kftp.
SAMPLE_W1=tests/lint/w1_sample.c
SAMPLE_SPARSE=tests/lint/sparse_sample.c
SAMPLE_CHECKPATCH=tests/lint/checkpatch_sample.c
# the kdoc gate's: a header and the C file that defines what it declares
SAMPLE_KDOC_H=tests/lint/kdoc_sample.h
SAMPLE_KDOC_C=tests/lint/kdoc_sample.c

# The old gate: the prepared trees beside the project (read-only, never
# copied into it); see their README.md.
OLD_DIR=$ROOT/../shared/kernels
# They have no Module.symvers (no vmlinux was built), so modpost cannot
# know the kernel's exports: its lines about the missing file and about
# every kernel symbol kftp uses ("undefined!", 5.15 and 6.6) say nothing
# about kftp and are dropped.  Every other modpost line counts.
OLD_MODPOST_DROP='^ *WARNING: (Symbol version dump .*Module\.symvers|Module\.symvers is missing|(modpost: )?"[^"]+" \[[^]]*\] undefined!|modpost: suppressed [0-9]+ unresolved symbol warnings)'
# sparse on the old trees: SPARSE_CF plus, per tree, what its headers need
# (each with its reason; findings located in the headers are never counted):
declare -A OLD_SPARSE_CF=(
	# -Wvla: its compiletime_assert() falls back, under __CHECKER__, to
	# sizeof(char[1 - 2 * __cond]) with a variable __cond (compiler.h),
	# and smp_store_release()/smp_load_acquire() assert with it
	[rhel7]="-Wno-vla"
)

# KFTP_PROBE=0 builds: what a distribution that backports APIs under an
# old version number sets on the make line (docs/compat.md, "Forcing a compat
# choice from the build"): version tests cannot see backports. RHEL 7 says
# 3.10.0 but has these newer forms; the probes find them when they run.
declare -A OLD_NOPROBE_ARGS=(
	[rhel7]="KFTP_HAVE_KVMALLOC=1 KFTP_HAVE_KVFREE=1 KFTP_HAVE_VFS_RENAME_FLAGS=1
		 KFTP_HAVE_VFS_UNLINK_DELEG=1 KFTP_HAVE_NOTIFY_CHANGE_DELEG=1
		 KFTP_HAVE_SECURITY_PATH_RENAME_FLAGS=1 KFTP_HAVE_SIPHASH=1
		 KFTP_HAVE_STRSCPY=1"
)

# Kernel rule sets run by the cocci gate (as the kernel's coccicheck does,
# in report mode with each rule's "// Options:").
KERNEL_COCCI_DIRS="api misc null free locks"

# -------------------------------------------------------------------------
# Helpers

declare -A COUNT TIME
FAILED=0
FOUND=0

say() { printf '%s\n' "$*"; }
note() { printf 'lint: %s\n' "$*" >&2; }

# shellcheck source=tests/pkgs.sh
. "$ROOT/tests/pkgs.sh"

# Unpack the needed members of /usr/src/linux-source-$LSRC_VER.tar.xz once
# (again when the package or the list of members changes), into a new
# directory that then takes the place of the old one.
LSRC_MEMBERS=(scripts/checkpatch.pl scripts/spelling.txt
	      scripts/const_structs.checkpatch scripts/get_maintainer.pl
	      'scripts/coccinelle/*' 'scripts/kernel-doc*')
LSRC=""
kernel_scripts() {
	[ -n "$LSRC" ] && return 0
	need_pkgs "$LSRC_PKG" xz-utils perl || return 1
	local ver dir tarball top stamp new
	ver=$(dpkg-query -W -f='${Version}' "$LSRC_PKG")
	dir=$CACHE/lint/$LSRC_PKG
	tarball=/usr/src/$LSRC_PKG.tar.xz
	stamp="$ver ${LSRC_MEMBERS[*]}"
	if [ "$(cat "$dir/.stamp" 2>/dev/null)" != "$stamp" ]; then
		note "unpacking scripts/ from $tarball into $dir"
		new=$dir.new.$$
		rm -rf "$new" && mkdir -p "$new" || return 1
		top=$LSRC_PKG
		tar -xJf "$tarball" -C "$new" --strip-components=1 --wildcards \
			"${LSRC_MEMBERS[@]/#/$top/}" ||
			{ rm -rf "$new"; return 1; }
		# a tree with kernel-doc.py (newer than 6.12): its modules
		if [ -e "$new/scripts/kernel-doc.py" ]; then
			tar -xJf "$tarball" -C "$new" --strip-components=1 \
				--wildcards "$top/scripts/lib/kdoc/*" ||
				{ rm -rf "$new"; return 1; }
		fi
		echo "$stamp" >"$new/.stamp"
		rm -rf "$dir" && mv "$new" "$dir" || return 1
	fi
	LSRC=$dir
}

# Files considered, repo-relative: tracked ones plus new ones not ignored
# (so code not yet committed is linted too), that exist.
list_files() {
	git ls-files --cached --others --exclude-standard -- "$@" |
		while read -r f; do [ -f "$f" ] && printf '%s\n' "$f"; done | sort -u
}
kernel_c_files() { list_files '*.c' '*.h' | grep -Ev "$NOT_KERNEL_RE"; }

# Kernels from tests/kernels.sh: "ABI KDIR VMLINUZ" lines.
KERNELS=""
kernels() {
	[ -n "$KERNELS" ] && return 0
	KERNELS=$(tests/kernels.sh </dev/null) || { note "tests/kernels.sh failed"; return 1; }
	[ -n "$KERNELS" ]
}

# Module sources named by Kbuild (kftp-y objects) and whether they exist.
module_state() {
	local objs o missing=0 present=0
	objs=$(sed -e ':a' -e '/\\$/N; s/\\\n//; ta' Kbuild |
		sed -n 's/^kftp-y[[:space:]]*[:+]\?=//p' | tr ' \t' '\n\n' | grep '\.o$')
	for o in $objs; do
		if [ -f "${o%.o}.c" ]; then present=$((present + 1)); else
			missing=$((missing + 1)); MISSING_SRC+=" ${o%.o}.c"; fi
	done
	[ "$present" -eq 0 ] && echo none && return
	[ "$missing" -gt 0 ] && echo partial && return
	echo complete
}

# Files of a build copy, "SOURCE DEST" (DEST relative to the copy): kftp's
# sources, kunit/*.c with the headers they share and the w1 and sparse
# samples (in lint/).
copy_list() {
	local f
	list_files src proc compat 'kunit/*.[ch]' | sed 's/.*/& &/'
	for f in "$SAMPLE_W1" "$SAMPLE_SPARSE"; do
		printf '%s lint/%s\n' "$f" "${f##*/}"
	done
}

# Make the build copy $1 a copy of the sources, keeping its objects: a file
# whose content differs is copied anew (a new mtime, so kbuild compiles it
# again), a file no longer there is removed.  Its Kbuild is kftp's with
# tests/lint/Kbuild (the samples, kunit/*.c) appended.
sync_copy() {
	local d=$1 src dst
	mkdir -p "$d" || return 1
	cat Kbuild tests/lint/Kbuild >"$LOG/Kbuild.copy" || return 1
	cmp -s "$LOG/Kbuild.copy" "$d/Kbuild" || cp "$LOG/Kbuild.copy" "$d/Kbuild" || return 1
	copy_list >"$LOG/copy.list" || return 1
	while read -r src dst; do
		cmp -s "$src" "$d/$dst" && continue
		mkdir -p "$d/$(dirname "$dst")" && cp "$src" "$d/$dst" || return 1
	done <"$LOG/copy.list"
	(cd "$d" && find src proc compat kunit lint -name '*.[ch]' 2>/dev/null) | sort |
		comm -23 - <(cut -d' ' -f2 "$LOG/copy.list" | sort) |
		while read -r dst; do rm -f "$d/$dst" "$d/${dst%.c}.o"; done
}

# A diagnostic line of gcc, sparse, the linker or modpost.
DIAG_RE='(^|: )(fatal )?(warning|error):|^ *(WARNING|ERROR):'

# An object kept from an earlier run prints nothing, and the gates count
# what the log says: so the objects whose compile printed a diagnostic
# (anywhere: kftp's files, the sample, the kernel's headers) are compiled
# again by the next build.  The log comes from make -Otarget: an object's
# diagnostics follow its "CC" line.  One printed outside a compile (the
# linker, modpost) has every object compiled again.  $1: copy, $2: log,
# $3: an ERE of lines to ignore (the old trees' modpost lines).
mark_dirty() {
	awk -v re="$DIAG_RE" -v skip="${3:-}" '
		$0 ~ re { if (skip == "" || $0 !~ skip) print (obj == "" ? "ALL" : obj); next }
		/^  [A-Z]+ / { obj = ($1 == "CC") ? $NF : "" }' "$2" | sort -u >"$1/.lint-dirty"
}

# Remove what mark_dirty listed in copy $1.
clean_dirty() {
	local d=$1 o
	[ -f "$d/.lint-dirty" ] || return 0
	if grep -qx ALL "$d/.lint-dirty"; then
		rm -rf "$d"
		return 0
	fi
	while read -r o; do
		case $o in /*) rm -f "$o" ;; *) rm -f "$d/$o" ;; esac
	done <"$d/.lint-dirty"
	rm -f "$d/.lint-dirty"
}

# kbuild in copy $2 against tree $1, W=1 always (so that a sparse pass
# after it finds the objects up to date), -Otarget for mark_dirty, -k so
# that one failed object does not hide the others' diagnostics (nor the
# sample's); the rest of the arguments go to make.
kmake() {
	local kdir=$1 d=$2
	shift 2
	# in the sid root for the kernels that need it (tests/kmake.sh)
	tests/kmake.sh "$kdir" M="$d" -j"$JOBS" -k -Otarget W=1 "$@" modules </dev/null
}

# Build the objects of copy $2 against tree $1 into log $3 ($4: lines that
# mark_dirty ignores; the rest: make arguments).  Returns make's status.
# A build that does not get to mark_dirty (interrupted) leaves "ALL".
kbuild_objs() {
	local kdir=$1 d=$2 log=$3 skip=$4 rc
	shift 4
	clean_dirty "$d"
	sync_copy "$d" || { echo "lint: cannot copy the sources into $d" >"$log"; return 1; }
	echo ALL >"$d/.lint-dirty"
	kmake "$kdir" "$d" "$@" >"$log" 2>&1
	rc=$?
	mark_dirty "$d" "$log" "$skip"
	return $rc
}

# Diagnostics of build log $1 of copy $2, each as "KIND LINE", paths made
# relative to the copy (kbuild prints them relative to it from 6.13 on,
# absolute before).  KIND: own (kftp's src/, proc/, compat/, kunit/),
# sample (lint/), drop (matching the ERE $3), modpost, or other (located
# in the kernel's headers, ...).  With $4 = check, only sparse's lines: the
# ones between a "CHECK" line and the next command (old kbuild compiles
# again under C=2, so gcc's lines are in that log too).
diags() {
	awk -v re="$DIAG_RE" -v d="$2/" -v skip="${3:-}" -v only="${4:-}" '
		/^  [A-Z]+ / && $0 !~ re { seg = $1; next }
		$0 !~ re || (only == "check" && seg != "CHECK") { next }
		{ l = $0; while ((i = index(l, d)) > 0) l = substr(l, 1, i - 1) substr(l, i + length(d)) }
		skip != "" && $0 ~ skip { print "drop " l; next }
		l ~ /^(src|proc|compat|kunit)\/[^:]+:[0-9]+:/ { print "own " l; next }
		l ~ /^lint\/[^:]+:[0-9]+:/ { print "sample " l; next }
		l ~ /^ *(WARNING|ERROR):/ { print "modpost " l; next }
		{ print "other " l }' "$1"
}

# The lines of KIND $1 in diags output $2, without the kind.
kind() { sed -n "s/^$1 //p" <<<"$2"; }

# Does tree $1's kbuild have W=1 (all but 2.6.32)?
has_w1() {
	grep -qsE 'KBUILD_ENABLE_EXTRA_GCC_CHECKS|KBUILD_EXTRA_WARN' "$1"/scripts/Makefile.*
}

# The self-test: every line of sample $3 marked "expect" must be among the
# reports $5 ("DIR/NAME:LINE: ..."; $4 = 0: the lines marked "expect W=1"
# need not).  Prints
# "$1: [$2] ..." for each one missing and returns their count.
sample_check() {
	local gate=$1 tag=$2 sample=$3 w1=$4 found=$5 re='/\* expect' line bad=0
	[ "$w1" = 1 ] || re='/\* expect:'
	for line in $(grep -n "$re" "$sample" | cut -d: -f1); do
		grep -q "^\([^:]*/\)\?${sample##*/}:$line:" <<<"$found" && continue
		say "$gate: [$tag] self-test: $sample:$line not reported: the gate cannot see what it checks"
		bad=$((bad + 1))
	done
	grep -q "$re" "$sample" || { say "$gate: $sample: no line marked expect"; bad=1; }
	return $bad
}

# Debian's 7.x kbuild runs sparse only when scripts/checker-valid.sh says
# it can (it must parse __typeof_unqual__), and their headers lack that
# script: kbuild then prints "C=2 specified, but sparse is not available"
# and runs no checker.  So tests/lint/checker-valid.sh is put in its place
# in the cached tree (never in the repository); a kernel's own is left.
checker_valid() {
	local kdir=$1 f=$1/scripts/checker-valid.sh
	grep -qs 'scripts/checker-valid\.sh' "$(dirname "$kdir")"/*/Makefile || return 0
	[ -e "$f" ] && ! grep -q 'tests/lint/checker-valid\.sh' "$f" && return 0
	cmp -s tests/lint/checker-valid.sh "$f" || cp tests/lint/checker-valid.sh "$f"
}

# sparse (C=2) over copy $2, built against tree $1: prints kftp's findings
# as "$4: [$3] ..." and sets FOUND to their count; the sample must be
# reported.  The rest of the arguments go to make.
sparse_pass() {
	local kdir=$1 d=$2 tag=$3 gate=$4 log rc out own hdr n=0 cf
	shift 4
	log=$LOG/sparse-${d##*/lint-}.log
	cf="$SPARSE_CF ${OLD_SPARSE_CF[${tag%% *}]:-}"
	if ! checker_valid "$kdir"; then
		say "$gate: [$tag] cannot install checker-valid.sh"
		FOUND=1
		return
	fi
	kmake "$kdir" "$d" "$@" C=2 CF="$cf" >"$log" 2>&1
	rc=$?
	if grep -q 'specified, but .* not available' "$log"; then
		say "$gate: [$tag] kbuild ran no sparse: $(grep -m1 'specified, but' "$log")"
		n=$((n + 1))
	fi
	out=$(diags "$log" "$d" "" check)
	own=$(kind own "$out")
	if [ -n "$own" ]; then
		sed "s/^/$gate: [$tag] /" <<<"$own"
		n=$((n + $(wc -l <<<"$own")))
	fi
	hdr=$(kind other "$out" | grep -c .)
	[ "$hdr" -gt 0 ] &&
		note "$gate: [$tag] sparse: $hdr line(s) located in the kernel's headers (not counted), see ${log#"$ROOT"/}"
	sample_check "$gate" "$tag" "$SAMPLE_SPARSE" 1 "$(kind sample "$out")"
	n=$((n + $?))
	if [ $rc -ne 0 ]; then
		say "$gate: [$tag] sparse pass failed (make exit $rc), see ${log#"$ROOT"/}"
		n=$((n + 1))
	fi
	FOUND=$n
}

# Turn the copies' paths into repo paths.
relpaths() { sed -e "s#$OUT/lint-[^/]*/##g"; }

# -------------------------------------------------------------------------
# Gates.  Each prints findings on stdout and sets COUNT[gate].

# Build state shared by sparse, w1 and old: returns 1 (and counts a
# finding) when the module cannot be built at all, 2 when there is nothing
# to build.  $2 = debian: the gate needs Debian's kernels.
build_ready() {
	local gate=$1 state
	MISSING_SRC=""
	state=$(module_state)
	case $state in
	none)
		say "$gate: SKIP: none of Kbuild's kftp-y sources exist yet"
		return 2 ;;
	partial)
		# build anyway: kbuild's error names the missing file
		note "$gate: Kbuild names missing sources:$MISSING_SRC" ;;
	esac
	need_pkgs make gcc-12 libc6-dev || return 1
	[ "${2:-}" = debian ] || return 0
	kernels || return 1
	return 0
}

gate_w1() {
	local n=0 rc abi kdir vml log d out all
	build_ready w1 debian
	rc=$?
	[ $rc -eq 2 ] && { COUNT[w1]=0; return; }
	[ $rc -ne 0 ] && { COUNT[w1]=1; say "w1: setup failed"; return; }
	while read -r abi kdir vml; do
		log=$LOG/w1-$abi.log
		d=$OUT/lint-$abi
		kbuild_objs "$kdir" "$d" "$log" ""
		rc=$?
		all=$(diags "$log" "$d")
		# every warning counts, wherever it is located (modpost's too)
		out=$(grep -v '^sample ' <<<"$all" | cut -d' ' -f2-)
		if [ -n "$out" ]; then
			relpaths <<<"$out" | sed "s/^/w1: [$abi] /"
			n=$((n + $(wc -l <<<"$out")))
		fi
		if [ $rc -ne 0 ]; then
			say "w1: [$abi] build failed (make exit $rc), see ${log#"$ROOT"/}"
			n=$((n + 1))
		fi
		sample_check w1 "$abi" "$SAMPLE_W1" 1 "$(kind sample "$all")"
		n=$((n + $?))
	done <<<"$KERNELS"
	COUNT[w1]=$n
}

gate_sparse() {
	local n=0 rc abi kdir vml d
	build_ready sparse debian
	rc=$?
	[ $rc -eq 2 ] && { COUNT[sparse]=0; return; }
	[ $rc -ne 0 ] && { COUNT[sparse]=1; say "sparse: setup failed"; return; }
	need_pkgs sparse || { COUNT[sparse]=1; return; }
	while read -r abi kdir vml; do
		d=$OUT/lint-$abi
		# objects first (a no-op after the w1 gate), so that the C=2
		# pass below prints nothing but sparse's own diagnostics
		if ! kbuild_objs "$kdir" "$d" "$LOG/sparse-build-$abi.log" ""; then
			say "sparse: [$abi] build failed, see tests/out/lint/sparse-build-$abi.log"
			n=$((n + 1))
			continue
		fi
		sparse_pass "$kdir" "$d" "$abi" sparse
		n=$((n + FOUND))
	done <<<"$KERNELS"
	COUNT[sparse]=$n
}

# Unpack the prepared tree $1 (sha256 $2) once into the cache, keyed by
# its sha256, checked on unpack; sets OLD_KDIR.
old_tree() {
	local name=$1 sum=$2 tb=$OLD_DIR/$1.tar.xz dir
	dir=$CACHE/oldtrees/$name-${sum:0:16}
	OLD_KDIR=$dir/$name
	[ -f "$dir/.done" ] && return 0
	note "old: unpacking $tb into $dir"
	if [ "$(sha256sum <"$tb" | cut -d' ' -f1)" != "$sum" ]; then
		say "old: [$name] $tb: its sha256 is not the one in MANIFEST"
		return 1
	fi
	rm -rf "$CACHE/oldtrees/$name"-* && mkdir -p "$dir.tmp" &&
		tar -xJf "$tb" -C "$dir.tmp" && mv "$dir.tmp" "$dir" && touch "$dir/.done"
}

# One build against an old tree: tree $1, copy $2, "NAME VERSION" $3,
# mode $4 (on, off: KFTP_PROBE=0), the rest: the manifest's make arguments.
# Counts what is located in kftp's files, modpost's lines but OLD_MODPOST_DROP,
# errors anywhere and a failed build; warnings located in the kernel's
# headers are listed in a note.  Prints the tree's line, sets FOUND.
old_build() {
	local kdir=$1 d=$2 tag=$3 mode=$4 start=$SECONDS rc log out own n=0 hdr w1=0
	shift 4
	log=$LOG/old-${d##*/lint-old-}.log
	local name=${tag%% *}
	# shellcheck disable=SC2086
	[ "$mode" = off ] && set -- "$@" KFTP_PROBE=0 ${OLD_NOPROBE_ARGS[$name]:-}
	kbuild_objs "$kdir" "$d" "$log" "$OLD_MODPOST_DROP" "$@"
	rc=$?
	out=$(diags "$log" "$d" "$OLD_MODPOST_DROP")
	# each once: a header of kftp's says the same for every file
	own=$( (kind own "$out"; kind modpost "$out"; kind other "$out" | grep -E ': (fatal )?error:') |
		awk '!seen[$0]++' | relpaths)
	if [ -n "$own" ]; then
		sed "s/^/old: [$tag] probes=$mode: /" <<<"$own"
		n=$(wc -l <<<"$own")
	fi
	if [ $rc -ne 0 ]; then
		say "old: [$tag] probes=$mode: build failed (make exit $rc), see ${log#"$ROOT"/}"
		n=$((n + 1))
	fi
	has_w1 "$kdir" && w1=1
	sample_check old "$tag probes=$mode" "$SAMPLE_W1" $w1 "$(kind sample "$out")"
	n=$((n + $?))
	hdr=$(kind other "$out" | grep -vE ': (fatal )?error:' | sed -E 's/^([^:]+:[0-9]+):.*/\1/' |
		sort | uniq -c | awk '{ printf " %s (%d)", $2, $1 }')
	[ -n "$hdr" ] && note "old: [$tag] probes=$mode: not counted, located in the kernel's headers:$hdr"
	hdr=$(kind drop "$out" | grep -c .)
	[ "$hdr" -gt 0 ] && note "old: [$tag] probes=$mode: $hdr modpost line(s) about the missing Module.symvers dropped"
	say "old: [$tag] probes=$mode: $n finding(s) ($((SECONDS - start))s)"
	FOUND=$n
}

gate_old() {
	local n=0 rc name ver sum origin args kdir d start m
	local -a margs
	if [ ! -f "$OLD_DIR/MANIFEST" ]; then
		say "old: SKIP: no prepared old trees (${OLD_DIR#"$ROOT"/}/MANIFEST)"
		COUNT[old]=0
		return
	fi
	build_ready old
	rc=$?
	[ $rc -eq 2 ] && { COUNT[old]=0; return; }
	[ $rc -ne 0 ] && { COUNT[old]=1; say "old: setup failed"; return; }
	# libelf-dev: 4.14's kbuild refuses to build with its ORC unwinder
	# when the host cannot link against libelf
	need_pkgs xz-utils libelf-dev sparse || { COUNT[old]=1; say "old: setup failed"; return; }
	while IFS=$'\t' read -r -u 3 name ver sum origin args; do
		case $name in '' | '#'*) continue ;; esac
		old_tree "$name" "$sum" || { n=$((n + 1)); continue; }
		kdir=$OLD_KDIR
		eval "margs=($args)"
		for m in on off; do
			d=$OUT/lint-old-$name-$m
			old_build "$kdir" "$d" "$name $ver" $m "${margs[@]}"
			n=$((n + FOUND))
			[ $m = on ] || continue
			# sparse with the probes on only: the fallbacks of
			# KFTP_PROBE=0 are compiled above, sparse's time is spent once
			start=$SECONDS
			sparse_pass "$kdir" "$d" "$name $ver" old "${margs[@]}"
			say "old: [$name $ver] sparse: $FOUND finding(s) ($((SECONDS - start))s)"
			n=$((n + FOUND))
		done
	done 3<"$OLD_DIR/MANIFEST"
	COUNT[old]=$n
}

# spatch in report mode.  $1: rule, rest: files (each its own group).
SPATCH_BASE=(--very-quiet --no-show-diff -I src -I compat -I proc)
run_spatch() {
	local rule=$1 opts req
	shift
	[ $# -gt 0 ] || return 0
	opts=$(sed -n 's#^//[[:space:]]*Options:##p' "$rule" | head -1)
	req=$(sed -n 's#^//[[:space:]]*Requires:[[:space:]]*##p' "$rule" | head -1)
	if [ -n "$req" ] && ! printf '%s\n%s\n' "$req" "$SPATCH_VERSION" | sort -CV; then
		note "cocci: skipping $rule (needs spatch $req, have $SPATCH_VERSION)"
		return 0
	fi
	printf '%s\n\n' "$@" >"$LOG/groups"
	# shellcheck disable=SC2086
	spatch -D report "${SPATCH_BASE[@]}" --cocci-file "$rule" $opts \
		--file-groups "$LOG/groups" --jobs "$JOBS" --chunksize 1
}

# Report lines of "file:line:col-col: msg" (spatch) or "file:line: msg".
report_lines() { grep -E '^[^: ]+:[0-9]+:' || true; }

# The reports of a project rule (spatch rule or script) on one sample.
rule_reports() {
	if [ "${1##*.}" = cocci ]; then
		run_spatch "$1" "$2" 2>&1 | report_lines
	else
		"$1" --compat coccinelle/tests/compat "$2" 2>&1 | report_lines
	fi
}

# Check one project rule against its samples: every "expect" line of the
# positive sample reported, nothing reported on the negative one.
# $1: rule, $2: runner (spatch rule file or script).
selftest_rule() {
	local rule=$1 name pos neg out want line bad=0
	name=$(basename "${rule%.*}")
	pos=coccinelle/tests/$name-pos.c
	neg=coccinelle/tests/$name-neg.c
	for f in "$pos" "$neg"; do
		[ -f "$f" ] || { say "$2: $rule: sample $f missing"; bad=$((bad + 1)); }
	done
	[ $bad -eq 0 ] || return $bad
	out=$(rule_reports "$rule" "$pos")
	if [ -z "$out" ]; then
		say "$2: $rule: does not fire on its positive sample $pos"
		bad=$((bad + 1))
	fi
	want=$(grep -n 'expect \*/' "$pos" | cut -d: -f1)
	for line in $want; do
		grep -q "^$pos:$line:" <<<"$out" ||
			{ say "$2: $rule: misses $pos:$line (marked expect)"; bad=$((bad + 1)); }
	done
	out=$(rule_reports "$rule" "$neg")
	if [ -n "$out" ]; then
		sed "s#^#$2: $rule: false positive on negative sample: #" <<<"$out"
		bad=$((bad + $(wc -l <<<"$out")))
	fi
	return $bad
}

# Run one rule over files; print its reports; return their count (+1 if
# spatch itself failed: a rule that cannot run checks nothing).
cocci_tree() {
	local rule=$1 name=$2 rc n=0
	shift 2
	run_spatch "$rule" "$@" >"$LOG/cocci.out" 2>>"$LOG/cocci.stderr"
	rc=$?
	out=$(report_lines <"$LOG/cocci.out" | cocci_exclude "$name")
	if [ -n "$out" ]; then
		sed "s#^#cocci: ($name) #" <<<"$out"
		n=$(wc -l <<<"$out")
	fi
	if [ $rc -ne 0 ]; then
		say "cocci: ($name) spatch failed (exit $rc), see tests/out/lint/cocci.stderr"
		n=$((n + 1))
	fi
	[ $n -gt 250 ] && n=250
	return $n
}

gate_cocci() {
	local n=0 rule files scope out err all noncompat
	# ocaml-nox: rules with OCaml script blocks (null/badzero.cocci) are
	# compiled at run time; without it spatch refuses to run them at all
	need_pkgs coccinelle ocaml-nox python3 ||
		{ COUNT[cocci]=1; say "cocci: setup failed"; return; }
	kernel_scripts || { COUNT[cocci]=1; say "cocci: setup failed"; return; }
	SPATCH_VERSION=$(spatch --version | head -1 | awk '{print $3}')
	all=$(kernel_c_files)
	noncompat=$(grep -v '^compat/' <<<"$all")
	err=$LOG/cocci.stderr
	: >"$err"

	# the project's rules: self-test, then the tree
	for rule in coccinelle/*.cocci; do
		[ -f "$rule" ] || continue
		if ! grep -q '^virtual report' "$rule" || ! grep -q '^///' "$rule"; then
			say "cocci: $rule: needs a /// header and 'virtual report'"
			n=$((n + 1))
		fi
		selftest_rule "$rule" cocci
		n=$((n + $?))
		scope=$(sed -n 's#^//[[:space:]]*Files:[[:space:]]*##p' "$rule" | head -1)
		case $scope in
		all) files=$all ;;
		"outside compat/") files=$noncompat ;;
		*) say "cocci: $rule: '// Files:' must be 'all' or 'outside compat/'"
		   n=$((n + 1)); continue ;;
		esac
		cocci_tree "$rule" "$(basename "$rule")" $files
		n=$((n + $?))
	done

	# the kernel's rule sets, over kftp's kernel files
	for rule in $(cd "$LSRC/scripts/coccinelle" &&
		      find $KERNEL_COCCI_DIRS -name '*.cocci' | sort); do
		cocci_tree "$LSRC/scripts/coccinelle/$rule" "$rule" $all
		n=$((n + $?))
	done
	COUNT[cocci]=$n
}

# Is the finding FILE TYPE TEXT matched by one of the "PATH-ERE TYPE
# TEXT-ERE" entries that follow?
excluded() {
	local f=$1 type=$2 text=$3 ex pre ty re
	shift 3
	for ex in "$@"; do
		read -r pre ty re <<<"$ex"
		[[ $f =~ $pre && $type == "$ty" && $text =~ $re ]] && return 0
	done
	return 1
}

# Drop findings matched by COCCI_EXCLUDE (the type is the rule's name).
# $1: rule (api/x.cocci), stdin: "file:line:col-col: message" reports.
cocci_exclude() {
	local rule line
	rule=$(basename "${1%.cocci}")
	while IFS= read -r line; do
		excluded "${line%%:*}" "$rule" "${line#*: }" "${COCCI_EXCLUDE[@]}" ||
			printf '%s\n' "$line"
	done
	return 0
}

# Drop findings matched by CHECKPATCH_EXCLUDE (the text is the source
# line). stdin: terse findings.
checkpatch_exclude() {
	local f l sev type rest line
	while IFS= read -r line; do
		IFS=: read -r f l sev type rest <<<"$line"
		excluded "$f" "${type%% *}" "$(sed -n "${l}p" "$f" 2>/dev/null)" \
			"${CHECKPATCH_EXCLUDE[@]}" || printf '%s\n' "$line"
	done
	return 0
}

# checkpatch over kftp's kernel files and its sample, in one run: the
# sample must be reported, and checkpatch must end as it does when it has
# found something (exit 1), not die.
gate_checkpatch() {
	local files out rc n=0 ign=""
	need_pkgs perl || { COUNT[checkpatch]=1; return; }
	kernel_scripts || { COUNT[checkpatch]=1; say "checkpatch: setup failed"; return; }
	files=$(kernel_c_files)
	[ ${#CHECKPATCH_IGNORE[@]} -gt 0 ] &&
		ign="--ignore $(IFS=,; echo "${CHECKPATCH_IGNORE[*]}")"
	# run from tests/out/lint: checkpatch drops a CamelCase cache file
	# (.checkpatch-camelcase.git.*) in its working directory when that is
	# a git tree; give it absolute paths and strip them again
	# shellcheck disable=SC2086
	(cd "$LOG" && perl "$LSRC/scripts/checkpatch.pl" --strict --no-tree \
		--terse --show-types --no-summary --color=never $ign \
		-f $(printf '%s\n' $files "$SAMPLE_CHECKPATCH" | sed "s#^#$ROOT/#")) \
		>"$LOG/checkpatch.out" 2>&1
	rc=$?
	out=$(sed "s#^$ROOT/##" "$LOG/checkpatch.out" |
		grep -E '^[^: ]+:[0-9]+: (ERROR|WARNING|CHECK):')
	sample_check checkpatch "$LSRC_VER" "$SAMPLE_CHECKPATCH" 1 \
		"$(grep "^$SAMPLE_CHECKPATCH:" <<<"$out")"
	n=$?
	if [ $rc -ne 1 ]; then
		say "checkpatch: exited $rc (1 when it reports something), see tests/out/lint/checkpatch.out"
		n=$((n + 1))
	fi
	out=$(grep -v "^$SAMPLE_CHECKPATCH:" <<<"$out" | checkpatch_exclude)
	if [ -n "$out" ]; then
		sed 's/^/checkpatch: /' <<<"$out"
		n=$((n + $(wc -l <<<"$out")))
	fi
	COUNT[checkpatch]=$n
}

# The unpacked tree's scripts/kernel-doc: kernel-doc.py where the tree has
# it, else the Perl one (6.12's).
kernel_doc() {
	if [ -f "$LSRC/scripts/kernel-doc.py" ]; then
		python3 "$LSRC/scripts/kernel-doc.py" "$@"
	else
		perl "$LSRC/scripts/kernel-doc" "$@"
	fi
}

# "FILE:LINE: NAME" for each function that C files $@ define without
# static, LINE the one with NAME.  Kernel style (checkpatch holds kftp to
# it): a definition's "{" opens a line of its own, after the return type
# and name from column 0 and the indented rest of the parameters.  Strings,
# comments and macros are skipped; an attribute with arguments is no name.
kdoc_defs() {
	awk '
	FNR == 1 { hdr = ""; cmt = 0; macro = 0 }
	{
		line = $0
		if (!cmt) {
			gsub(/"([^"\\]|\\.)*"/, "\"\"", line)
			gsub(/\047([^\047\\]|\\.)+\047/, "0", line)
		}
		out = ""
		while (line != "") {
			if (cmt) {
				if (!(i = index(line, "*/")))
					break
				line = substr(line, i + 2)
				cmt = 0
				out = out " "
				continue
			}
			i = index(line, "/*")
			j = index(line, "//")
			if (j && (!i || j < i)) {
				out = out substr(line, 1, j - 1)
				break
			}
			if (!i) {
				out = out line
				break
			}
			out = out substr(line, 1, i - 1)
			line = substr(line, i + 2)
			cmt = 1
		}
		line = out
	}
	macro { macro = line ~ /\\[ \t]*$/; next }
	line ~ /^[ \t]*#/ { macro = line ~ /\\[ \t]*$/; hdr = ""; next }
	$0 == "" { hdr = ""; next }
	line ~ /^[ \t]*$/ { next }
	line ~ /^\{/ {
		h = hdr
		hdr = ""
		if (h !~ /\(/ || h ~ /=/)
			next
		gsub(/__[A-Za-z0-9_]+\([^()]*\)/, " ", h)
		if (!match(h, /[A-Za-z_][A-Za-z0-9_]*[ \t]*\(/))
			next
		name = substr(h, RSTART, RLENGTH)
		sub(/[ \t]*\($/, "", name)
		pre = " " substr(h, 1, RSTART - 1)
		if (pre ~ /[^A-Za-z0-9_]static[^A-Za-z0-9_]/)
			next
		if (seen[FILENAME, name]++)
			next
		print FILENAME ":" pline ": " name
		next
	}
	line ~ /^[ \t]/ {
		if (hdr == "")
			next
		if (hdr !~ /\(/ && line ~ /\(/)
			pline = FNR
		hdr = hdr " " line
		next
	}
	{
		if (hdr != "" && hdr !~ /[;(){}]/) {
			if (line ~ /\(/)
				pline = FNR
			hdr = hdr " " line
		} else {
			hdr = line
			pline = FNR
		}
		if (hdr ~ /[;}][ \t]*$/)
			hdr = ""
	}' "$@"
}

# The functions that have a kernel-doc block in files $@, as kernel-doc
# sees them: a block counts only right before the function it names.
kdoc_documented() {
	[ $# -gt 0 ] || return 0
	kernel_doc -rst "$@" 2>/dev/null |
		awk '/^\.\. c:function:: / { sub(/ \(.*/, ""); print $NF }'
}

# "FILE:LINE: NAME() has no kernel-doc" for each function that C files $2...
# define without static, with a kernel-doc block neither in the headers
# $1 (a list) nor in its own file.
kdoc_missing() {
	local hdrs=$1 known here f def
	shift
	# shellcheck disable=SC2086
	known=$(kdoc_documented $hdrs)
	for f in "$@"; do
		here=$(printf '%s\n%s\n' "$known" "$(kdoc_documented "$f")")
		kdoc_defs "$f" | while IFS= read -r def; do
			grep -qxF "${def##*: }" <<<"$here" ||
				printf '%s() has no kernel-doc\n' "$def"
		done
	done
}

# kernel-doc over kftp's files and the samples, then the functions without
# a block, over both.  One kernel-doc run per file: the Perl one numbers
# the lines of every file after its first one off by one.  The samples
# must give each line they mark "expect" and nothing else; what they gave
# is kept in tests/out/lint/kdoc.sample.
gate_kdoc() {
	local files hdrs cfiles out sample rc n=0 line f l
	if ! need_pkgs perl python3 || ! kernel_scripts; then
		COUNT[kdoc]=1
		say "kdoc: setup failed"
		return
	fi
	files=$(list_files "${KDOC_FILES[@]}")
	for f in $files "$SAMPLE_KDOC_H" "$SAMPLE_KDOC_C"; do
		out=$(kernel_doc -none -Wall "$f" 2>&1)
		rc=$?
		[ -n "$out" ] && printf '%s\n' "$out"
		# a failure that printed nothing (else its lines count)
		[ "$rc" -ne 0 ] && [ -z "$out" ] &&
			printf '%s: kernel-doc exited %d\n' "$f" "$rc"
	done >"$LOG/kdoc.out"
	out=$(grep -v '^[[:space:]]*$' "$LOG/kdoc.out")
	sample=$(grep '^tests/lint/' <<<"$out")
	out=$(grep -v '^tests/lint/' <<<"$out")
	if [ -n "$out" ]; then
		sed 's/^/kdoc: /' <<<"$out"
		n=$(wc -l <<<"$out")
	fi
	hdrs=$(grep -E '^(src|proc)/.*\.h$' <<<"$files")
	cfiles=$(grep '\.c$' <<<"$files")
	# shellcheck disable=SC2086
	out=$(kdoc_missing "$hdrs" $cfiles)
	if [ -n "$out" ]; then
		sed -E 's/^([^:]+):[0-9]+: /kdoc: \1: /' <<<"$out"
		n=$((n + $(wc -l <<<"$out")))
	fi
	sample=$(printf '%s\n%s\n' "$sample" \
		"$(kdoc_missing "$SAMPLE_KDOC_H" "$SAMPLE_KDOC_C")" | grep .)
	printf '%s\n' "$sample" >"$LOG/kdoc.sample"
	for f in "$SAMPLE_KDOC_H" "$SAMPLE_KDOC_C"; do
		sample_check kdoc "$LSRC_VER" "$f" 1 "$sample"
		n=$((n + $?))
	done
	while IFS= read -r line; do
		[ -n "$line" ] || continue
		f=${line%%:*}
		l=${line#*:}
		l=${l%%:*}
		sed -n "${l}p" "$f" 2>/dev/null | grep -q '/\* expect' &&
			continue
		say "kdoc: [$LSRC_VER] self-test: not marked expect: $line"
		n=$((n + 1))
	done <<<"$sample"
	COUNT[kdoc]=$n
}

gate_versions() {
	local files out n=0
	selftest_rule coccinelle/version_conditionals.sh versions
	n=$?
	files=$(list_files '*.c' '*.h' | grep -Ev '^(compat/|coccinelle/tests/)')
	# shellcheck disable=SC2086
	out=$(coccinelle/version_conditionals.sh --compat compat $files | report_lines)
	if [ -n "$out" ]; then
		sed 's/^/versions: /' <<<"$out"
		n=$((n + $(wc -l <<<"$out")))
	fi
	COUNT[versions]=$n
}

# Every tracked file must be covered by some MAINTAINERS F: pattern, matched
# the way scripts/get_maintainer.pl does; the entries must be well formed.
gate_maintainers() {
	local out
	need_pkgs python3 || { COUNT[maintainers]=1; return; }
	git ls-files >"$LOG/tracked" || { COUNT[maintainers]=1; return; }
	out=$(python3 - MAINTAINERS "$LOG/tracked" <<'PY'
import os, re, sys

TAGS = "MRLSWQBCPTFXNK"
STATUS = {"Supported", "Maintained", "Odd Fixes", "Orphan", "Obsolete"}
ADDR = re.compile(r"^[^<>@]*<[^<>@\s]+@[^<>@\s]+\.[a-z]{2,}>$|^[^<>@\s]+@[^<>@\s]+\.[a-z]{2,}(\s.*)?$")
files = [l.rstrip("\n") for l in open(sys.argv[2]) if l.strip()]
problems = []

def bad(lineno, msg):
	problems.append("MAINTAINERS:%d: %s" % (lineno, msg))

try:
	lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
except OSError as e:
	print("MAINTAINERS:1: cannot read: %s" % e)
	sys.exit(0)

# Blocks are separated by blank lines.  A block with fields is an entry:
# its title line, then "X:\tvalue" lines only.  A block without fields is
# prose (the preamble), as in the kernel's MAINTAINERS.
sections, block = [], []
for no, line in enumerate(lines + [""], 1):
	if line.strip():
		block.append((no, line))
		continue
	if not block:
		continue
	fields = [(n, l) for n, l in block if re.match(r"^[A-Z]:", l)]
	if fields:
		tno, title = block[0]
		cur = {"title": title, "no": tno, "fields": []}
		if re.match(r"^[A-Z]:", title):
			bad(tno, "entry has no title line")
		for n, l in block[1:]:
			m = re.match(r"^([A-Z]):(\s*)(.*)$", l)
			if not m:
				bad(n, "line in entry '%s' is not a field" % title)
				continue
			tag, sep, val = m.groups()
			if tag not in TAGS:
				bad(n, "unknown field %s:" % tag)
			if sep != "\t":
				bad(n, "field %s: must be followed by one tab" % tag)
			cur["fields"].append((n, tag, val.strip()))
		sections.append(cur)
	block = []

entries = sections
if not any(s["title"] == "KFTP IN-KERNEL FTP CLIENT" for s in entries):
	bad(1, "no 'KFTP IN-KERNEL FTP CLIENT' entry")

def to_regex(pat):
	# get_maintainer.pl: . -> \., * -> .*, ? -> ., directories get a '/'
	r = pat.replace(".", "\\.").replace("*", ".*").replace("?", ".")
	if os.path.isdir(pat) and not r.endswith("/"):
		r += "/"
	return r

def file_match(f, r):
	if r.endswith("/"):
		return re.match(r, f) is not None
	if re.match(r, f):
		return f.count("/") == r.count("/")
	return False

titles = []
for s in entries:
	titles.append(s["title"])
	if s["title"] != s["title"].upper():
		bad(s["no"], "entry title must be upper case")
	tags = [t for _, t, _ in s["fields"]]
	for need in "MS":
		if need not in tags:
			bad(s["no"], "entry '%s' has no %s: line" % (s["title"], need))
	if "F" not in tags and "N" not in tags:
		bad(s["no"], "entry '%s' has no F: line" % s["title"])
	s["F"], s["X"], s["N"] = [], [], []
	order = [TAGS.index(t) for t in tags]
	if order != sorted(order):
		bad(s["no"], "fields of '%s' not in the usual order (%s)" % (s["title"], TAGS))
	for no, tag, val in s["fields"]:
		if tag in "MRL" and not ADDR.match(val):
			bad(no, "%s: is not an address: %s" % (tag, val))
		if tag == "S" and val not in STATUS:
			bad(no, "S: must be one of %s" % ", ".join(sorted(STATUS)))
		if tag in "FX":
			r = to_regex(val)
			s[tag].append((no, val, r))
		if tag == "N":
			s["N"].append((no, val, val))
	# like get_maintainer.pl --self-test=patterns: every F:/X: matches
	# (a note only: a directory may still be empty; a typo that leaves a
	# file uncovered is caught by the coverage check below)
	for no, val, r in s["F"] + s["X"]:
		if not any(file_match(f, r) for f in files):
			sys.stderr.write("lint: maintainers: note: MAINTAINERS:%d: "
					 "pattern '%s' matches no tracked file yet\n" % (no, val))
if titles != sorted(titles):
	bad(entries[0]["no"] if entries else 1, "entries are not sorted by title")

uncovered = []
for f in files:
	hit = False
	for s in entries:
		if any(file_match(f, r) for _, _, r in s["X"]):
			continue
		if any(file_match(f, r) for _, _, r in s["F"]) or \
		   any(re.search(r, f) for _, _, r in s["N"]):
			hit = True
			break
	if not hit:
		uncovered.append(f)
for f in uncovered:
	problems.append("%s:1: not covered by any MAINTAINERS F: pattern" % f)
print("\n".join(problems))
PY
)
	out=$(report_lines <<<"$out")
	COUNT[maintainers]=0
	if [ -n "$out" ]; then
		sed 's/^/maintainers: /' <<<"$out"
		COUNT[maintainers]=$(wc -l <<<"$out")
	fi
}

# -------------------------------------------------------------------------

gates=${*:-$ALL_GATES}
for g in $gates; do
	case " $ALL_GATES " in
	*" $g "*) ;;
	*) echo "usage: tests/lint.sh [$(tr ' ' '|' <<<"$ALL_GATES")]..." >&2; exit 2 ;;
	esac
done
# w1 before sparse: the sparse pass then reuses the W=1 objects
ordered=""
for g in w1 sparse old cocci checkpatch kdoc maintainers versions; do
	case " $gates " in *" $g "*) ordered+=" $g" ;; esac
done
mkdir -p "$LOG"

for g in $ordered; do
	start=$SECONDS
	"gate_$g"
	TIME[$g]=$((SECONDS - start))
	say "lint: $g: ${COUNT[$g]} finding(s) (${TIME[$g]}s)"
	[ "${COUNT[$g]}" -eq 0 ] || FAILED=$((FAILED + COUNT[$g]))
done

summary=""
for g in $ordered; do summary+=" $g=${COUNT[$g]}"; done
if [ $FAILED -eq 0 ]; then
	say "lint: PASS: 0 findings ($summary )"
	exit 0
fi
say "lint: FAIL: $FAILED finding(s) ($summary )"
exit 1
