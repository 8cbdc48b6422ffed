#!/bin/bash
# The test suite: tests/run.sh [B]   (B = build directory, default "build")
#
# Runs, in order:
#   1. unit tests      $B/tests/unit/test_*  (TAP: each "ok"/"not ok" line is one test; exit 77 = skip)
#   2. conformance     tests/conformance/*.c built into $B/tests/conformance/, each run natively
#                      (twice, the two outputs must agree) and in the sandbox; stdout + exit status
#                      must match the native run
#   3. programs        tests/programs/cases.txt: real host programs, native vs sandbox
#   4. elf             tests/elf/mkbad.c + tests/elf/cases.txt: malformed executables
#   5. security        tests/security/*.sh (exit 0 pass, 1 fail, 77 skip; one line of output)
#   6. oci             tests/oci/*.sh: the OCI runtime's commands (same conventions)
# Every test prints one line "PASS name" / "FAIL name" / "SKIP name"; the run ends with
# "N passed, N failed, N skipped" and exits 1 if anything failed.
#
# Environment: SANDBOX=path overrides $B/sandbox; ONLY=unit,conformance,programs,elf,security
# picks sections (and oci); T_TIMEOUT (seconds, default 60) bounds every run; MATCH=REGEX runs
# only the conformance programs and programs cases whose names match (while working on a few).
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"

B=${1:-build}
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/.." && pwd)
mkdir -p "$B" || exit 1
B=$(cd "$B" && pwd)
. "$HERE/lib.sh"

SANDBOX=${SANDBOX:-$B/sandbox}
case $SANDBOX in /*) ;; *) SANDBOX=$(pwd)/$SANDBOX ;; esac
OUT=$B/tests/out
rm -rf "$OUT"
mkdir -p "$OUT"

have_sandbox() { [ -x "$SANDBOX" ]; }
want() { [ -z "$ONLY" ] || case ",$ONLY," in *",$1,"*) true ;; *) false ;; esac; }

# ---------------------------------------------------------------- unit tests
run_unit() {
	local bin name log rc line desc plan seen bad
	for bin in "$B"/tests/unit/test_*; do
		[ -f "$bin" ] && [ -x "$bin" ] || continue
		case $bin in *.o | *.d) continue ;; esac
		name=unit/$(basename "$bin")
		log=$OUT/$(basename "$bin").log
		(cd "$SRC" && timeout -k 5 "$T_TIMEOUT" "$bin") >"$log" 2>&1 </dev/null
		rc=$?
		if [ $rc -eq 77 ]; then
			t_skip "$name"
			continue
		fi
		seen=0 bad=0 plan=
		while IFS= read -r line; do
			case $line in
			1..*) plan=${line#1..}; plan=${plan%% *} ;;
			"ok "* | "not ok "*)
				seen=$((seen + 1))
				desc=${line#not }
				desc=${desc#ok}
				desc=$(t_trim "$desc")
				desc=${desc#"${desc%%[!0-9]*}"}   # drop the test number
				desc=$(t_trim "$desc")
				desc=$(t_trim "${desc#-}")
				local directive=
				case $desc in *"#"*) directive=$(t_trim "${desc#*#}"); desc=$(t_trim "${desc%%#*}") ;; esac
				[ -n "$desc" ] || desc="#$seen"
				case $directive in
				[Ss][Kk][Ii][Pp]* | [Tt][Oo][Dd][Oo]*) t_skip "$name: $desc ($directive)" ;;
				*)
					case $line in
					"ok "*) t_pass "$name: $desc" ;;
					*) t_fail "$name: $desc"; bad=1 ;;
					esac
					;;
				esac
				;;
			esac
		done <"$log"
		if [ $seen -eq 0 ]; then
			if [ $rc -eq 0 ]; then t_pass "$name"; else
				t_fail "$name (exit $rc)"
				t_detail 10 <"$log"
			fi
		elif [ -n "$plan" ] && [ "$plan" -ne "$seen" ] 2>/dev/null; then
			t_fail "$name: planned $plan tests, ran $seen (exit $rc)"
			tail -n 5 "$log" | t_detail
		elif [ $rc -ne 0 ] && [ $bad -eq 0 ]; then
			t_fail "$name: exit $rc"
			tail -n 5 "$log" | t_detail
		fi
	done
}

# ---------------------------------------------------------------- conformance
run_conformance() {
	local cdir=$B/tests/conformance odir=$OUT/conformance src name bin args
	mkdir -p "$cdir" "$odir"
	for src in "$SRC"/tests/conformance/*.c; do
		[ -f "$src" ] || continue
		name=$(basename "$src" .c)
		[ -z "$MATCH" ] || echo "$name" | grep -Eq -- "$MATCH" || continue
		bin=$cdir/$name
		if ! cf_build "$src" "$bin" "$odir/$name.build"; then
			t_fail "conformance/$name (build)"
			t_detail 10 <"$odir/$name.build"
			continue
		fi
		args=$(cf_header "$src" args)
		eval "set -- $args"
		t_run "$odir/$name.native" "$odir/$name.native.err" /dev/null -- "$bin" "$@"
		t_run "$odir/$name.native2" "$odir/$name.native2.err" /dev/null -- "$bin" "$@"
		if ! cmp -s "$odir/$name.native" "$odir/$name.native2"; then
			t_fail "conformance/$name (native output not deterministic)"
			t_diff_head "$odir/$name.native" "$odir/$name.native2"
			continue
		fi
		if ! have_sandbox; then
			t_skip "conformance/$name (no sandbox binary)"
			continue
		fi
		t_sandbox "$odir/$name.sandbox" "$odir/$name.sandbox.err" /dev/null -- "$bin" "$@"
		if cmp -s "$odir/$name.native" "$odir/$name.sandbox"; then
			t_pass "conformance/$name"
		else
			t_fail "conformance/$name$(t_why "$odir/$name.sandbox")"
			t_diff_head "$odir/$name.native" "$odir/$name.sandbox"
			if [ -s "$odir/$name.sandbox.err" ]; then
				echo "    stderr:"
				t_detail 5 <"$odir/$name.sandbox.err"
			fi
		fi
	done
}

# ---------------------------------------------------------------- programs
# tests/programs/cases.txt, one case a line:  name | command | stdin-file | options
#   command: words (shell quoting allowed); @SRC@ is the source tree, @B@ the build dir.
#   stdin-file: relative to tests/programs/, empty = /dev/null.
#   options: empty (compare stdout and exit status), "stderr" (compare stderr as well), or
#   "expect CODE TEXT": sandbox only, exit status must be CODE and stderr must contain TEXT.
#   "needs=PATH" (with any other option): the case is skipped when PATH does not exist.
#   "scratch" (with "stderr" or alone) runs the command in a fresh scratch directory on the
#   host, $B/tests/scratch/NAME, made before every run and removed after; "scratch=SETUP"
#   first runs tests/programs/SETUP (sh, natively) in it to fill it. Natively the command
#   changes that directory; in the sandbox it must not: the harness compares it before and
#   after (the overlay keeps every write in memory).
# scratch_make NAME SETUP: a fresh scratch directory for case NAME, filled by SETUP (a
# script in tests/programs, or empty); prints its path.
scratch_make() {
	local dir=$B/tests/scratch/$1
	rm -rf "$dir" && mkdir -p "$dir" || return 1
	if [ -n "$2" ]; then
		(cd "$dir" && env -i "${T_VARS[@]}" sh "$SRC/tests/programs/$2") >"$dir.setup.log" 2>&1 || return 1
	fi
	echo "$dir"
}

# scratch_snap DIR: what must not change on the host (names, types, modes, sizes, times,
# contents).
scratch_snap() {
	(cd "$1" && find . -printf '%p %y %m %s %T@ %l\n' | sort &&
		find . -type f -print0 | sort -z | xargs -0r md5sum)
}

run_programs() {
	local pdir=$SRC/tests/programs odir=$OUT/programs line name cmd in opts code text
	local cases=$pdir/cases.txt
	[ -f "$cases" ] || return 0
	mkdir -p "$odir"
	while IFS= read -r line || [ -n "$line" ]; do
		case $(t_trim "$line") in "" | "#"*) continue ;; esac
		IFS='|' read -r name cmd in opts <<<"$line"
		name=$(t_trim "$name")
		[ -z "$MATCH" ] || echo "$name" | grep -Eq -- "$MATCH" || continue
		cmd=$(t_trim "$cmd")
		in=$(t_trim "$in")
		opts=$(t_trim "$opts")
		cmd=${cmd//@SRC@/$SRC}
		cmd=${cmd//@B@/$B}
		eval "set -- $cmd"
		if [ -n "$in" ]; then in=$pdir/$in; else in=/dev/null; fi
		local o=$odir/$name needs=
		case " $opts " in *" needs="*) needs=${opts#*needs=}; needs=${needs%% *}
			opts=$(t_trim "$(echo " $opts " | sed -e 's/ needs=[^ ]*//')") ;; esac
		if [ -n "$needs" ] && [ ! -e "$needs" ]; then
			t_skip "programs/$name (needs $needs)"
			continue
		fi
		if [ ! -r "$in" ]; then
			t_fail "programs/$name (stdin file $in missing)"
			continue
		fi
		case $opts in
		expect*)
			read -r _ code text <<<"$opts"
			if ! have_sandbox; then
				t_skip "programs/$name (no sandbox binary)"
				continue
			fi
			T_CWD=$SRC t_sandbox "$o.sandbox" "$o.sandbox.err" "$in" -- "$@"
			local got
			got=$(tail -n 1 "$o.sandbox")
			if [ "$got" = "exit: $code" ] && grep -qF -- "$text" "$o.sandbox.err"; then
				t_pass "programs/$name"
			else
				t_fail "programs/$name (want exit $code and stderr containing \"$text\"; got $got)$(t_why "$o.sandbox")"
				t_detail 5 <"$o.sandbox.err"
			fi
			continue
			;;
		esac
		local scratch= setup= cwd=$SRC sdir=
		case " $opts " in *" scratch="*) setup=${opts#*scratch=}; setup=${setup%% *}; scratch=1 ;;
		*" scratch "*) scratch=1 ;; esac
		opts=$(t_trim "$(echo " $opts " | sed -e 's/ scratch=[^ ]*//' -e 's/ scratch / /')")
		if [ -n "$scratch" ]; then
			if ! sdir=$(scratch_make "$name" "$setup"); then
				t_fail "programs/$name (scratch setup $setup failed)"
				t_detail 5 <"$B/tests/scratch/$name.setup.log"
				continue
			fi
			cwd=$sdir
		fi
		T_CWD=$cwd t_run "$o.native" "$o.native.err" "$in" -- "$@"
		[ -n "$scratch" ] && sdir=$(scratch_make "$name" "$setup")  # as fresh as the first
		T_CWD=$cwd t_run "$o.native2" "$o.native2.err" "$in" -- "$@"
		if [ "$opts" = stderr ]; then
			{ echo "stderr:"; cat "$o.native.err"; } >>"$o.native"
			{ echo "stderr:"; cat "$o.native2.err"; } >>"$o.native2"
		fi
		[ -n "$scratch" ] && rm -rf "$sdir" "$sdir.setup.log"
		if ! cmp -s "$o.native" "$o.native2"; then
			t_fail "programs/$name (native output not deterministic)"
			t_diff_head "$o.native" "$o.native2"
			continue
		fi
		if ! have_sandbox; then
			t_skip "programs/$name (no sandbox binary)"
			continue
		fi
		if [ -n "$scratch" ]; then
			sdir=$(scratch_make "$name" "$setup")
			scratch_snap "$sdir" >"$o.scratch.before"
		fi
		T_CWD=$cwd t_sandbox "$o.sandbox" "$o.sandbox.err" "$in" -- "$@"
		[ "$opts" = stderr ] && { echo "stderr:"; cat "$o.sandbox.err"; } >>"$o.sandbox"
		if [ -n "$scratch" ]; then
			scratch_snap "$sdir" >"$o.scratch.after"
			rm -rf "$sdir" "$sdir.setup.log"
			if ! cmp -s "$o.scratch.before" "$o.scratch.after"; then
				t_fail "programs/$name (the sandboxed run changed the host directory)"
				t_diff_head "$o.scratch.before" "$o.scratch.after" 10
				continue
			fi
		fi
		if cmp -s "$o.native" "$o.sandbox"; then
			t_pass "programs/$name"
		else
			t_fail "programs/$name$(t_why "$o.sandbox")"
			t_diff_head "$o.native" "$o.sandbox"
			if [ "$opts" != stderr ] && [ -s "$o.sandbox.err" ]; then
				echo "    stderr:"
				t_detail 5 <"$o.sandbox.err"
			fi
		fi
	done <"$cases"
}

# ---------------------------------------------------------------- elf
# tests/elf/cases.txt: "NAME EXIT [SUBSTRING...]" (see that file); mkbad DIR writes the files.
run_elf() {
	local edir=$SRC/tests/elf odir=$OUT/elf line name code text got
	if [ ! -f "$edir/cases.txt" ] || [ ! -f "$edir/mkbad.c" ]; then
		return 0
	fi
	mkdir -p "$odir" "$B/tests/elf"
	local mk=$B/tests/elf/mkbad bad=$B/tests/elf/files
	if ! ${CC:-cc} -std=gnu11 -O1 -w -I. -o "$mk" "$edir/mkbad.c" >"$odir/mkbad.build" 2>&1; then
		t_fail "elf/mkbad (build)"
		t_detail 10 <"$odir/mkbad.build"
		return 0
	fi
	rm -rf "$bad"
	if ! "$mk" "$bad" >"$odir/mkbad.log" 2>&1; then
		t_fail "elf/mkbad (run)"
		t_detail 10 <"$odir/mkbad.log"
		return 0
	fi
	while IFS= read -r line || [ -n "$line" ]; do
		case $(t_trim "$line") in "" | "#"*) continue ;; esac
		read -r name code text <<<"$line"
		if ! have_sandbox; then
			t_skip "elf/$name (no sandbox binary)"
			continue
		fi
		t_sandbox "$odir/$name.out" "$odir/$name.err" /dev/null -- "$bad/$name"
		got=$(tail -n 1 "$odir/$name.out")
		if [ "$got" != "exit: $code" ]; then
			t_fail "elf/$name (want exit $code, got ${got#exit: })$(t_why "$odir/$name.out")"
			t_detail 3 <"$odir/$name.err"
		elif [ -n "$text" ] && ! grep -qF -- "$text" "$odir/$name.err"; then
			t_fail "elf/$name (stderr lacks \"$text\")"
			t_detail 3 <"$odir/$name.err"
		else
			t_pass "elf/$name"
		fi
	done <"$edir/cases.txt"
}

# ---------------------------------------------------------------- security, oci
# run_scripts DIR: each DIR/*.sh (exit 0 pass, 77 skip, else fail; its last line is shown)
run_scripts() {
	local dir=$1 s name out rc
	for s in "$SRC"/tests/$dir/*.sh; do
		[ -f "$s" ] || continue
		case $(basename "$s") in lib.sh) continue ;; esac
		name=$dir/$(basename "$s" .sh)
		# output to a file, not $(...): a leftover process holding a pipe would block us
		local log=$OUT/$dir-$(basename "$s" .sh).log
		{ (cd "$SRC" && SANDBOX="$SANDBOX" timeout -k 5 "$T_TIMEOUT" sh "$s" "$B" </dev/null >"$log" 2>&1); rc=$?; } 2>/dev/null
		out=$(cat "$log")
		local first
		first=$(tail -n 1 "$log")
		case $rc in
		0) t_pass "$name${first:+: $first}" ;;
		77) t_skip "$name${first:+: $first}" ;;
		*)
			t_fail "$name (exit $rc)${first:+: $first}"
			printf '%s\n' "$out" | t_detail 5
			;;
		esac
	done
}

want unit && run_unit
want conformance && run_conformance
want programs && run_programs
want elf && run_elf
want security && run_scripts security
want oci && run_scripts oci
t_summary
