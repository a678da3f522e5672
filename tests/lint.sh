#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/lint.sh - kftp's kernel-grade static gates (run by `make lint`).
#
#   tests/lint.sh [GATE...]    GATE: sparse cocci checkpatch w1 maintainers
#                              versions (default: all, in that order)
#
# Every gate prints its findings as "gate: file:line: message", then one
# "lint: GATE: N finding(s)" line; the last line is the verdict.  Exit
# status: 0 when no gate found anything, 1 otherwise, 2 on bad usage.
#
# Tools come from Debian packages (installed with apt-get when missing):
# sparse, coccinelle, perl, python3 and linux-source-6.12, whose tarball
# gives scripts/checkpatch.pl (+ spelling.txt, const_structs.checkpatch)
# and scripts/coccinelle/.  Only those members are unpacked, once, into
# $KFTP_CACHE/lint/ (never into the repo).  The target kernels' build
# trees come from tests/kernels.sh (Debian's 5.10, 6.1, 6.12, 7.2, 7.3):
# the w1 and sparse gates build each in its own copy of the module
# sources, tests/out/lint-$ABI, one build at a time, at most -j2, through
# tests/kmake.sh (7.x in the sid root, with its gcc-16 and sparse).
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

ALL_GATES="sparse cocci checkpatch w1 maintainers versions"

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
# The last three are located at kftp's own lines but come from the kernel's
# macros, so they cannot be fixed in kftp.  5.10 (host sparse) and 7.x
# (sid's sparse) need no further exception.
# -D__CHECK_ENDIAN__ is kept as the issue asks; endianness checks
# (-Wbitwise) are on by default in kbuild's CHECKFLAGS since 4.10 anyway.
# Warnings located in the kernel's headers are listed but not counted: only
# kftp's own files (src/, proc/, compat/) count.
SPARSE_CF="-D__CHECK_ENDIAN__ -Wsparse-all -Wno-pedantic"
SPARSE_CF+=" -Wno-declaration-after-statement -Wno-flexible-array-nested"
SPARSE_CF+=" -Wno-transparent-union -Wno-constexpr-not-const"
SPARSE_CF+=" -Wno-pointer-arith -Wno-sizeof-bool"

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
)

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
NOT_KERNEL_RE='^(tests/guest/|tests/bench/|tools/|coccinelle/tests/)'

# Kernel rule sets run by the cocci gate (as the kernel's coccicheck does,
# in report mode with each rule's "// Options:").
KERNEL_COCCI_DIRS="api misc null free locks"

# -------------------------------------------------------------------------
# Helpers

declare -A COUNT TIME
FAILED=0

say() { printf '%s\n' "$*"; }
note() { printf 'lint: %s\n' "$*" >&2; }

# shellcheck source=tests/pkgs.sh
. "$ROOT/tests/pkgs.sh"

# Unpack the needed members of /usr/src/linux-source-$LSRC_VER.tar.xz once.
LSRC=""
kernel_scripts() {
	[ -n "$LSRC" ] && return 0
	need_pkgs "$LSRC_PKG" xz-utils perl || return 1
	local ver dir tarball top
	ver=$(dpkg-query -W -f='${Version}' "$LSRC_PKG")
	dir=$CACHE/lint/$LSRC_PKG
	tarball=/usr/src/$LSRC_PKG.tar.xz
	if [ "$(cat "$dir/.stamp" 2>/dev/null)" != "$ver" ]; then
		note "unpacking scripts/ from $tarball into $dir"
		rm -rf "$dir" && mkdir -p "$dir" || return 1
		top=$LSRC_PKG
		tar -xJf "$tarball" -C "$dir" --strip-components=1 --wildcards \
			"$top/scripts/checkpatch.pl" "$top/scripts/spelling.txt" \
			"$top/scripts/const_structs.checkpatch" \
			"$top/scripts/get_maintainer.pl" \
			"$top/scripts/coccinelle/*" || return 1
		echo "$ver" >"$dir/.stamp"
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

declare -A PREPPED
# Copy Kbuild, src/, proc/, compat/ (sources only) into tests/out/lint-$ABI.
prep_build() {
	local abi=$1 d=$OUT/lint-$1 f
	[ -n "${PREPPED[$abi]:-}" ] && return 0
	rm -rf "$d" && mkdir -p "$d" || return 1
	cp Kbuild "$d/"
	list_files src proc compat | while read -r f; do
		mkdir -p "$d/$(dirname "$f")" && cp -p "$f" "$d/$f"
	done
	PREPPED[$abi]=1
}

# kbuild in the copy; W=1 always, so that the sparse pass after the W=1
# gate finds the objects up to date and runs only sparse.
kmake() {
	local kdir=$1 abi=$2
	shift 2
	# in the sid root for the kernels that need it (tests/kmake.sh)
	tests/kmake.sh "$kdir" M="$OUT/lint-$abi" -j"$JOBS" W=1 "$@" modules </dev/null
}

# Turn "/abs/tests/out/lint-ABI/src/x.c:1:2: warning: m" into repo paths.
relpaths() { sed -e "s#$OUT/lint-[^/]*/##g"; }

# -------------------------------------------------------------------------
# Gates.  Each prints findings on stdout and sets COUNT[gate].

# Build state shared by sparse and w1: returns 1 (and counts a finding)
# when the module cannot be built at all, 2 when there is nothing to build.
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
	kernels || return 1
	return 0
}

gate_w1() {
	local n=0 rc abi kdir vml log
	build_ready w1
	rc=$?
	[ $rc -eq 2 ] && { COUNT[w1]=0; return; }
	[ $rc -ne 0 ] && { COUNT[w1]=1; say "w1: setup failed"; return; }
	while read -r abi kdir vml; do
		log=$LOG/w1-$abi.log
		PREPPED[$abi]=""
		prep_build "$abi" || { n=$((n + 1)); continue; }
		kmake "$kdir" "$abi" >"$log" 2>&1
		rc=$?
		# every warning counts, wherever it is located
		grep -E '(^|: )(warning|error):' "$log" | relpaths | sed "s/^/w1: [$abi] /"
		n=$((n + $(grep -cE '(^|: )(warning|error):' "$log")))
		if [ $rc -ne 0 ]; then
			say "w1: [$abi] build failed (make exit $rc), see ${log#"$ROOT"/}"
			n=$((n + 1))
		fi
	done <<<"$KERNELS"
	COUNT[w1]=$n
}

gate_sparse() {
	local n=0 hdr=0 rc abi kdir vml log own
	build_ready sparse
	rc=$?
	[ $rc -eq 2 ] && { COUNT[sparse]=0; return; }
	[ $rc -ne 0 ] && { COUNT[sparse]=1; say "sparse: setup failed"; return; }
	need_pkgs sparse || { COUNT[sparse]=1; return; }
	while read -r abi kdir vml; do
		log=$LOG/sparse-$abi.log
		prep_build "$abi" || { n=$((n + 1)); continue; }
		# objects first (a no-op after the w1 gate), so that the C=2
		# pass below prints nothing but sparse's own diagnostics
		if ! kmake "$kdir" "$abi" >"$LOG/sparse-build-$abi.log" 2>&1; then
			say "sparse: [$abi] build failed, see tests/out/lint/sparse-build-$abi.log"
			n=$((n + 1))
			continue
		fi
		kmake "$kdir" "$abi" C=2 CF="$SPARSE_CF" >"$log" 2>&1
		rc=$?
		own=$(grep -E "^$OUT/lint-$abi/[^:]+:[0-9]+:([0-9]+:)? (warning|error):" "$log" | relpaths)
		if [ -n "$own" ]; then
			sed "s/^/sparse: [$abi] /" <<<"$own"
			n=$((n + $(wc -l <<<"$own")))
		fi
		hdr=$(grep -E '^/[^:]+:[0-9]+:([0-9]+:)? (warning|error):' "$log" |
			grep -vc "^$OUT/lint-$abi/")
		[ "$hdr" -gt 0 ] &&
			note "sparse: [$abi] $hdr warning(s) located in kernel headers (not counted), see ${log#"$ROOT"/}"
		if [ $rc -ne 0 ]; then
			say "sparse: [$abi] sparse pass failed (make exit $rc), see ${log#"$ROOT"/}"
			n=$((n + 1))
		fi
	done <<<"$KERNELS"
	COUNT[sparse]=$n
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

gate_checkpatch() {
	local files out ign=""
	need_pkgs perl || { COUNT[checkpatch]=1; return; }
	kernel_scripts || { COUNT[checkpatch]=1; say "checkpatch: setup failed"; return; }
	files=$(kernel_c_files)
	[ -n "$files" ] || { COUNT[checkpatch]=0; return; }
	[ ${#CHECKPATCH_IGNORE[@]} -gt 0 ] &&
		ign="--ignore $(IFS=,; echo "${CHECKPATCH_IGNORE[*]}")"
	# run from tests/out/lint: checkpatch drops a CamelCase cache file
	# (.checkpatch-camelcase.git.*) in its working directory when that is
	# a git tree; give it absolute paths and strip them again
	# shellcheck disable=SC2086
	out=$(cd "$LOG" && perl "$LSRC/scripts/checkpatch.pl" --strict --no-tree \
		--terse --show-types --no-summary --color=never $ign \
		-f $(sed "s#^#$ROOT/#" <<<"$files") 2>&1 | sed "s#^$ROOT/##")
	out=$(grep -E '^[^: ]+:[0-9]+: (ERROR|WARNING|CHECK):' <<<"$out" |
		checkpatch_exclude)
	COUNT[checkpatch]=0
	if [ -n "$out" ]; then
		sed 's/^/checkpatch: /' <<<"$out"
		COUNT[checkpatch]=$(wc -l <<<"$out")
	fi
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
for g in w1 sparse cocci checkpatch maintainers versions; do
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
