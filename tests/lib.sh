# Shared helpers for tests/run.sh (bash). Source it; it defines no top-level actions.
#
# Counters and result lines: every test prints exactly one line
#   PASS name | FAIL name | SKIP name
# and t_summary prints "N passed, N failed, N skipped".

T_PASS=0
T_FAIL=0
T_SKIP=0

t_pass() { T_PASS=$((T_PASS + 1)); echo "PASS $*"; }
t_fail() { T_FAIL=$((T_FAIL + 1)); echo "FAIL $*"; }
t_skip() { T_SKIP=$((T_SKIP + 1)); echo "SKIP $*"; }

t_summary() {
	echo "$T_PASS passed, $T_FAIL failed, $T_SKIP skipped"
	[ "$T_FAIL" -eq 0 ]
}

# Indented detail lines under a FAIL (kept short).
t_detail() { sed -e 's/^/    | /' | head -n "${1:-20}"; }

# t_diff_head EXPECTED ACTUAL [LINES]: first lines of `diff -u`.
t_diff_head() {
	diff -u --label expected --label actual "$1" "$2" | t_detail "${3:-20}"
}

# Per-run timeout for anything that might hang (seconds).
T_TIMEOUT=${T_TIMEOUT:-60}

# The fixed environment every differential run gets, natively and in the sandbox,
# so the two sides see the same variables.
T_VARS=(PATH=/usr/local/bin:/usr/bin:/bin LC_ALL=C TZ=UTC CF_ENV1=alpha "CF_ENV2=two words" CF_EMPTY=)

# t_run OUTFILE ERRFILE STDIN -- CMD...: runs CMD with a timeout and the fixed environment,
# in directory $T_CWD (default: the current one), stdout to OUTFILE with a final "exit: N"
# line appended, stderr to ERRFILE. Output goes to files, never pipes, so a leftover
# grandchild cannot block the harness.
t_run() {
	local out=$1 err=$2 in=$3
	shift 4
	local rc
	# the outer redirection hides bash's "Segmentation fault ..." job notices
	{ timeout -k 5 "$T_TIMEOUT" env -i -C "${T_CWD:-.}" "${T_VARS[@]}" "$@" <"$in" >"$out" 2>"$err"; rc=$?; } 2>/dev/null
	# keep a missing final newline visible in the diff instead of gluing it to "exit:"
	if [ -s "$out" ] && [ "$(tail -c 1 "$out" | od -An -c | tr -d ' ')" != '\n' ]; then
		printf '\n[no newline at end of output]\n' >>"$out"
	fi
	echo "exit: $rc" >>"$out"
	return 0
}

# t_sandbox OUTFILE ERRFILE STDIN -- CMD...: t_run of "$SANDBOX run -- CMD...". After
# T_MAX_HUNG consecutive timeouts the sandbox is taken to be hung for good and later runs
# are not started (they fail at once), so a broken build cannot stretch the run to hours.
T_HUNG=0
T_MAX_HUNG=${T_MAX_HUNG:-3}
t_sandbox() {
	local out=$1 err=$2 in=$3
	shift 4
	if [ "$T_HUNG" -ge "$T_MAX_HUNG" ]; then
		echo "not run: the sandbox timed out $T_HUNG times in a row" >"$err"
		echo "exit: not run" >"$out"
		return 0
	fi
	t_run "$out" "$err" "$in" -- "$SANDBOX" run -- "$@"
	if [ "$(tail -n 1 "$out")" = "exit: 124" ] || [ "$(tail -n 1 "$out")" = "exit: 137" ]; then
		T_HUNG=$((T_HUNG + 1))
	else
		T_HUNG=0
	fi
}

# t_why OUTFILE: " (timed out)" when the run recorded by t_run hit the timeout.
t_why() {
	case $(tail -n 1 "$1") in
	"exit: 124" | "exit: 137") printf ' (timed out after %ss)' "$T_TIMEOUT" ;;
	"exit: not run") printf ' (not run: the sandbox hung %s times in a row)' "$T_HUNG" ;;
	esac
}

# t_trim STR: trims leading and trailing blanks.
t_trim() {
	local s=$1
	s=${s#"${s%%[![:space:]]*}"}
	s=${s%"${s##*[![:space:]]}"}
	printf '%s' "$s"
}

# cf_header FILE KEY: value of a `/* KEY: value */` comment in the first 5 lines.
cf_header() {
	head -n 5 "$1" | sed -n "s|^/\\* *$2: *\\(.*\\) *\\*/ *\$|\\1|p" | head -n 1 | sed 's/ *$//'
}

# cf_build SRC OUT LOG: compiles a conformance program; static unless it says
# `/* build: dynamic */`. Rebuilds only when SRC or cf.h is newer than OUT.
cf_build() {
	local src=$1 out=$2 log=$3 link=-static
	[ "$(cf_header "$src" build)" = dynamic ] && link=
	if [ -x "$out" ] && [ "$out" -nt "$src" ] && [ "$out" -nt "$(dirname "$src")/cf.h" ]; then
		return 0
	fi
	${CC:-cc} -std=gnu11 -O1 -g -w -D_GNU_SOURCE $link -o "$out" "$src" >"$log" 2>&1
}
