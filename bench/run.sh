#!/bin/sh
# make bench: the sandbox beside native, the bare ptrace+seccomp floor, proot, bwrap and (for the
# process rows) strace -f, all measured in this one run. Prints a table and writes the same numbers to $B/bench.json.
# Usage: sh bench/run.sh [BUILD_DIR]   (BENCH_REPS=N startup runs per case, default 20;
# BENCH_ROUNDS=N rounds of the fork+exec and make -j2 cases, default 5;
# BENCH_REPORT_ONLY=1 re-prints the last results without measuring; BENCH_ONLY=fs measures only
# the filesystem rows, BENCH_FS_ROUNDS=N their rounds, default 3)
# Timings on a shared machine are noisy: every number is a median. Nothing here fails the run
# on a threshold; the aims are printed beside the results.
set -u
B=${1:-build}
REPS=${BENCH_REPS:-20}
ROUNDS=${BENCH_ROUNDS:-5}
FE_N=200                # fork+exec+wait iterations per run
PROJ=$(cd "$(dirname "$0")/../tests/programs/proj" && pwd)
CC=${CC:-cc}
SRC=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$B/bench" || exit 1
W=$(cd "$B/bench" && pwd)
SB=$(cd "$B" && pwd)/sandbox
RES=$W/results.txt      # "metric runner value" lines, turned into the table and the JSON
LOG=$W/bench.log        # raw tool output, for when a number looks odd
JSON=$B/bench.json
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
DATE=$(date -u +%Y-%m-%dT%H:%M:%SZ)
if [ "${BENCH_REPORT_ONLY:-0}" = 1 ]; then   # only re-print the last run's results
	avail=$(sed -n 's/^available=//p' "$W/meta" 2>/dev/null)
	LOAD=$(sed -n 's/^load=//p' "$W/meta" 2>/dev/null)
	DATE=$(sed -n 's/^date=//p' "$W/meta" 2>/dev/null)
	ROUNDS=$(sed -n 's/^rounds=//p' "$W/meta" 2>/dev/null)
	[ -n "$ROUNDS" ] || ROUNDS=${BENCH_ROUNDS:-5}
else
: >"$RES"
: >"$LOG"
exec 3>&2               # the terminal, for messages from inside redirected commands

# ---- build the probes (static where the guest runs them, so no loader is measured) ----
WARN="-O2 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes"
for p in syscall_loop hello forkexec fsbench epollbench; do
	$CC $WARN -static -o "$W/$p" "$SRC/$p.c" || { echo "bench: cannot build $p" >&2; exit 1; }
done
for p in floor timeit treerss; do
	$CC $WARN -o "$W/$p" "$SRC/$p.c" || { echo "bench: cannot build $p" >&2; exit 1; }
done

# ---- runners: the command prefix that puts PROGRAM under each tool ----
prefix() {
	case $1 in
	native) echo "" ;;
	floor) echo "$W/floor" ;;
	sandbox) echo "$SB run --quiet --" ;;
	# the sandbox with every limit and the audit on (issue 6's startup aim)
	sblimits) echo "$SB run --quiet --timeout 600 --pids 1024 --files 4096 --fsize 4G --audit /dev/null --json /dev/null --" ;;
	firejail) echo "firejail --quiet" ;;
	proot) echo "proot" ;;
	bwrap) echo "bwrap --ro-bind / / --dev /dev --proc /proc" ;;
	strace) echo "strace -f -o /dev/null" ;;
	esac
}
# lim SECONDS CMD...: CMD with a time limit; SIGKILL goes to the whole process group (a stuck
# sentry and its stub too), since timeout(1) signals its group unless --foreground.
lim() {
	t=$1
	shift
	timeout -k 3 "$t" "$@"
	rc=$?
	[ $rc = 124 ] || [ $rc = 137 ] && echo "bench: timed out after ${t}s: $*" >&3
	return $rc
}
# under RUNNER PROGRAM ARGS...: PROGRAM under RUNNER (word splitting of the prefix intended)
under() {
	r=$1
	shift
	lim 20 $PIN $(prefix "$r") "$@"
}
PIN=""
avail=""
for r in native floor sandbox sblimits proot bwrap firejail strace; do
	if [ "$(under $r "$W/hello" 2>>"$LOG")" = hello ]; then
		avail="$avail $r"
	else
		echo "bench: $r does not run a static hello; its column stays empty" >&2
		echo "== $r: unavailable" >>"$LOG"
	fi
done
has() { case " $avail " in *" $1 "*) return 0 ;; esac; return 1; }
record() { echo "$1 $2 $3" >>"$RES"; }
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }  # value of key=... from stdin

if [ "${BENCH_ONLY:-}" != fs ]; then  # BENCH_ONLY=fs: only the filesystem rows
# ---- 1-3: syscall round trips (median of 5 batches inside one process) ----
# loop METRIC RUNNER MODE N
loop() {
	out=$(under "$2" "$W/syscall_loop" "$3" "$4" 5 2>>"$LOG")
	echo "== $1 $2: $out" >>"$LOG"
	v=$(echo "$out" | field median_ns)
	[ -n "$v" ] && record "$1" "$2" "$v"
	v=$(echo "$out" | field min_ns)
	[ -n "$v" ] && record "$1_best" "$2" "$v"
}
echo "bench: syscall round trips..." >&2
# Three rounds, runners interleaved, so that load from other processes hits them alike; the
# report takes the median of the rounds. Passthrough calls are measured once.
for round in 1 2 3; do
	for r in native floor sandbox proot bwrap; do
		has $r || continue
		case $r in
		native|bwrap) n=200000 ;;
		*) n=10000 ;;             # the loop also shortens itself under slow tracers
		esac
		loop getppid $r getppid $n
		if [ $round = 1 ]; then
			loop clock_gettime $r clock_gettime 200000
			loop sched_yield $r sched_yield 200000
		fi
	done
	# The same with every process on one CPU: no cross-CPU wakeups between tracer and tracee.
	command -v taskset >/dev/null 2>&1 || continue
	PIN="taskset -c 0"
	for r in native floor sandbox proot; do
		has $r || continue
		n=10000
		[ $r = native ] && n=200000
		loop getppid_pinned $r getppid $n
	done
	PIN=""
done

# ---- 4: startup: fork+exec+wait of the whole tool; 4 interleaved rounds of REPS/4 runs,
# reported as the median of the rounds' medians ----
echo "bench: startup..." >&2
per=$(( (REPS + 3) / 4 ))
for round in 1 2 3 4; do
	for r in native sandbox sblimits proot bwrap firejail; do
		has $r || continue
		for prog in hello true; do
			p=$W/hello
			[ $prog = true ] && p=/bin/true
			out=$(lim 60 "$W/timeit" "$per" $(prefix $r) "$p" 2>>"$LOG")
			echo "== start_$prog $r: $out" >>"$LOG"
			v=$(echo "$out" | field median_ms)
			[ -n "$v" ] && record "start_$prog" $r "$v"
		done
	done
done

# ---- 5: peak memory while the guest sleeps 1 s ----
echo "bench: memory..." >&2
for r in native sandbox sblimits proot bwrap firejail; do
	has $r || continue
	out=$(lim 20 "$W/treerss" $(prefix $r) "$W/hello" 1 2>>"$LOG")
	printf '== rss %s:\n%s\n' $r "$out" >>"$LOG"
	sum=$(echo "$out" | grep '^treerss:')
	kb() { v=$(echo "$sum" | field "$1"); [ -n "$v" ] && [ "$v" -ge 0 ] && record "$2" $r "$(awk "BEGIN{printf \"%.2f\", $v/1024}")"; }
	kb guest_hwm_kb rss_guest
	[ $r = native ] && continue
	kb tool_hwm_max_kb rss_tool
	kb tool_rss_sum_kb rss_tool_sum
	case $r in sandbox|sblimits) kb sentry_hwm_kb rss_sentry ;; esac
done

# ---- 6: fork+exec+wait of /bin/true x200 inside one guest process (its own clock, so the
# tool's startup is not in it); ROUNDS interleaved rounds, median of the rounds ----
echo "bench: fork+exec+wait..." >&2
for round in $(seq "$ROUNDS"); do
	for r in native sandbox proot bwrap strace; do
		has $r || continue
		out=$(lim 60 $(prefix $r) "$W/forkexec" $FE_N /bin/true 2>>"$LOG")
		echo "== forkexec $r: $out" >>"$LOG"
		if [ "$(echo "$out" | field ok)" != $FE_N ]; then
			echo "bench: fork+exec+wait under $r did not run $FE_N times /bin/true (see $LOG)" >&2
			continue
		fi
		record forkexec_true $r "$(echo "$out" | field total_ms)"
		record forkexec_true_iter $r "$(echo "$out" | field per_iter_ms)"
	done
done

# ---- 7: make -s -j2 of tests/programs/proj (5 files, gcc) into a fresh mktemp -d made by the
# guest's own shell (the sandbox's /tmp is its own tmpfs; bwrap gets --tmpfs /tmp, since / is
# read-only there); wall time of the whole command, tool startup included; median of ROUNDS ----
echo "bench: make -j2..." >&2
MK='d=$(mktemp -d) || exit 1; make -s -j2 -C "$0" BUILD="$d"; rc=$?; rm -rf "$d"; exit $rc'
for round in $(seq "$ROUNDS"); do
	for r in native sandbox proot bwrap strace; do
		has $r || continue
		extra=""
		[ $r = bwrap ] && extra="--tmpfs /tmp"
		out=$(lim 60 "$W/timeit" 1 $(prefix $r) $extra /bin/sh -c "$MK" "$PROJ" 2>>"$LOG")
		echo "== make_j2 $r: $out" >>"$LOG"
		if [ "$(echo "$out" | field status)" != 0 ]; then
			echo "bench: make -j2 under $r failed (see $LOG)" >&2
			continue
		fi
		record make_j2 $r "$(echo "$out" | field median_ms)"
	done
done

fi

# ---- 8: filesystem workloads, every runner on an in-memory filesystem: the sandbox's /tmp is
# its own tmpfs; native works in a directory on /dev/shm (tmpfs; /tmp if that is missing),
# proot gets /dev/shm bound on /tmp, bwrap --tmpfs /tmp. bench/fsbench.c times itself; the tar
# row times the whole command (tool startup included). Median of FS_ROUNDS interleaved rounds ----
FS_ROUNDS=${BENCH_FS_ROUNDS:-3}
SHM=/dev/shm
[ -d "$SHM" ] && [ -w "$SHM" ] || SHM=/tmp
fsprefix() {
	case $1 in
	native) echo "env FSBENCH_DIR=$SHM TMPDIR=$SHM" ;;
	sandbox) echo "$SB run --quiet --" ;;
	proot) echo "proot -b $SHM:/tmp" ;;
	bwrap) echo "bwrap --ro-bind / / --dev /dev --proc /proc --tmpfs /tmp" ;;
	esac
}
TARBALL=$W/include.tar.gz
if [ ! -s "$TARBALL" ]; then
	echo "bench: making $TARBALL from /usr/include (once)..." >&2
	tar czf "$TARBALL.part" -C /usr include 2>>"$LOG" && mv "$TARBALL.part" "$TARBALL"
fi
TARCMD='d=$(mktemp -d) || exit 1; tar xzf "$0" -C "$d"; rc=$?; rm -rf "$d"; exit $rc'
echo "bench: filesystem..." >&2
for round in $(seq "$FS_ROUNDS"); do
	for r in native sandbox proot bwrap; do
		has $r || continue
		out=$(lim 120 $(fsprefix $r) "$W/fsbench" rw 256 2>>"$LOG")
		echo "== fs_rw $r: $out" >>"$LOG"
		v=$(echo "$out" | field write_mbs); [ -n "$v" ] && record fs_write_mbs $r "$v"
		v=$(echo "$out" | field read_mbs); [ -n "$v" ] && record fs_read_mbs $r "$v"
		out=$(lim 120 $(fsprefix $r) "$W/fsbench" files 10000 2>>"$LOG")
		echo "== fs_files $r: $out" >>"$LOG"
		v=$(echo "$out" | field total_ms); [ -n "$v" ] && record fs_files_ms $r "$v"
		out=$(lim 120 $(fsprefix $r) "$W/fsbench" readdir 10000 2>>"$LOG")
		echo "== fs_readdir $r: $out" >>"$LOG"
		v=$(echo "$out" | field per_pass_ms); [ -n "$v" ] && record fs_readdir_ms $r "$v"
		out=$(lim 120 $(fsprefix $r) "$W/fsbench" openread 20000 2>>"$LOG")
		echo "== fs_openread $r: $out" >>"$LOG"
		v=$(echo "$out" | field per_iter_us); [ -n "$v" ] && record fs_openread_us $r "$v"
		[ -s "$TARBALL" ] || continue
		out=$(lim 300 "$W/timeit" 1 $(fsprefix $r) /bin/sh -c "$TARCMD" "$TARBALL" 2>>"$LOG")
		echo "== tar_xzf $r: $out" >>"$LOG"
		if [ "$(echo "$out" | field status)" != 0 ]; then
			echo "bench: tar xzf under $r failed (see $LOG)" >&2
			continue
		fi
		record tar_xzf $r "$(echo "$out" | field median_ms)"
	done
done

# ---- 9: a server's event loop: epoll_wait among EP_N idle socketpairs, one written each
# time (bench/epollbench.c times itself). Median of FS_ROUNDS interleaved rounds ----
EP_N=${BENCH_EPOLL_N:-5000}
echo "bench: epoll among $EP_N idle sockets..." >&2
for round in $(seq "$FS_ROUNDS"); do
	for r in native sandbox proot bwrap; do
		has $r || continue
		out=$(lim 120 $(prefix $r) "$W/epollbench" "$EP_N" 2000 2>>"$LOG")
		echo "== epoll_idle $r: $out" >>"$LOG"
		v=$(echo "$out" | field per_iter_us); [ -n "$v" ] && record epoll_idle_us $r "$v"
	done
done

printf 'available=%s\nload=%s\ndate=%s\nrounds=%s\nfs_rounds=%s\nshm=%s\n' "$avail" "$LOAD" \
	"$DATE" "$ROUNDS" "$FS_ROUNDS" "$SHM" >"$W/meta"
fi
FS_ROUNDS=$(sed -n 's/^fs_rounds=//p' "$W/meta" 2>/dev/null)
SHM=$(sed -n 's/^shm=//p' "$W/meta" 2>/dev/null)

# ---- report ----
CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)
OS=$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")
PROOTV=$(proot --version 2>/dev/null | sed -n 's/.* \([0-9][0-9]*\.[0-9][0-9.]*\)$/\1/p' | head -n1)
PROOTACC=$(proot --version 2>/dev/null | sed -n 's/.*seccomp_filter = \([a-z]*\).*/\1/p' | head -n1)
BWRAPV=$(bwrap --version 2>/dev/null | sed 's/bubblewrap //')
FIREJAILV=$(firejail --version 2>/dev/null | sed -n 's/^firejail version \([0-9.]*\).*/\1/p' | head -n1)
STRACEV=$(strace -V 2>/dev/null | sed -n 's/.* version \([0-9][0-9.]*\).*/\1/p' | head -n1)
awk -v nproc="$(nproc)" -v cpu="$CPU" -v kernel="$(uname -r)" -v os="$OS" \
    -v date="$DATE" -v reps="$REPS" -v json="$JSON" \
    -v fsrounds="$FS_ROUNDS" -v shm="$SHM" \
    -v stracev="$STRACEV" -v firejailv="$FIREJAILV" -v fen="$FE_N" -v rounds="$ROUNDS" -v prootv="$PROOTV" -v prootacc="$PROOTACC" -v bwrapv="$BWRAPV" -v avail="$avail" -v loadavg="$LOAD" '
function has(m, r) { return ((m SUBSEP r) in v) }
function num(x) { return x < 10 ? sprintf("%.2f", x) : x < 1000 ? sprintf("%.1f", x) : sprintf("%.0f", x) }
function cell(m, r) { return has(m, r) ? num(v[m, r]) : "-" }
function ratio(m, r, base) { return (has(m, r) && has(m, base) && v[m, base] > 0) ? v[m, r] / v[m, base] : "" }
function rcell(m, r, base,   x) { x = ratio(m, r, base); return x == "" ? "-" : sprintf("%.2fx", x) }
function dcell(m, r, base) { return (has(m, r) && has(m, base)) ? sprintf("%+.2f", v[m, r] - v[m, base]) : "-" }
function jnum(x) { return x == "" ? "null" : (x >= 1000 || x <= -1000) ? sprintf("%.0f", x) : sprintf("%.4g", x) }
function row(label, m, aim,   i, s) {
	s = sprintf("%-36s", label)
	for (i = 1; i <= nr; i++) s = s sprintf(" %10s", cell(m, R[i]))
	print s "  " aim
}
function rrow(label, m, base, only,   i, s) {
	s = sprintf("%-36s", label)
	for (i = 1; i <= nr; i++)
		s = s sprintf(" %10s", (only == "" || index(" " only " ", " " R[i] " ")) ? rcell(m, R[i], base) : "")
	print s
}
function drow(label, m, base,   i, s) {
	s = sprintf("%-36s", label)
	for (i = 1; i <= nr; i++) s = s sprintf(" %10s", dcell(m, R[i], base))
	print s
}
function jmetric(m, unit, sep,   i, s, first) {
	s = sprintf("    \"%s\": {\"unit\": \"%s\"", m, unit)
	for (i = 1; i <= nr; i++) if (has(m, R[i])) s = s sprintf(", \"%s\": %s", R[i], jnum(v[m, R[i]]))
	for (i = 1; i <= nr; i++) if (has(m, R[i]) && R[i] != "native" && has(m, "native"))
		s = s sprintf(", \"%s_over_native\": %s", R[i], jnum(ratio(m, R[i], "native")))
	print s "}" sep > json
}
function aim(name, value, target, unit, met, cmp) {
	na++
	A[na] = sprintf("  %-44s %10s %-4s (aim %s %s %s)  %s", name, value == "" ? "-" : sprintf("%.2f", value),
		unit, cmp, target, unit, value == "" ? "not measured" : met ? "met" : "NOT met")
	J[na] = sprintf("    \"%s\": {\"value\": %s, \"aim\": \"%s %s\", \"unit\": \"%s\", \"met\": %s}", name,
		jnum(value), cmp, target, unit, value == "" ? "null" : met ? "true" : "false")
}
{ k = $1 SUBSEP $2; vals[k, ++cnt[k]] = $3 + 0 }
END {
	for (k in cnt) {        # several rounds of one metric: keep the median
		n = cnt[k]
		for (i = 1; i <= n; i++) s[i] = vals[k, i]
		for (i = 2; i <= n; i++) for (j = i; j > 1 && s[j - 1] > s[j]; j--) { t = s[j]; s[j] = s[j - 1]; s[j - 1] = t }
		v[k] = n % 2 ? s[(n + 1) / 2] : (s[n / 2] + s[n / 2 + 1]) / 2
		if (k ~ /_best/)
			v[k] = s[1]     # best batch of all rounds: the least disturbed number
	}
	nr = split("native floor sandbox sblimits proot bwrap firejail strace", R, " ")
	print "== sandbox benchmark, " date " =="
	printf "host: %s x %s, Linux %s, %s\n", nproc, cpu, kernel, os
	printf "tools: sandbox (ptrace + seccomp user notifications), proot %s (seccomp_filter accel: %s), bwrap %s, firejail %s, strace %s\n",
		prootv, prootacc, bwrapv, firejailv, stracev
	printf "load average before the run: %s (other work on the machine makes every number noisier)\n", loadavg
	printf "available:%s\n\n", avail
	hdr = sprintf("%-36s", "metric")
	for (i = 1; i <= nr; i++) hdr = hdr sprintf(" %10s", R[i])
	print hdr "  aim"
	row("getppid, emulated (ns/call)", "getppid", "sandbox <= 1.5x floor")
	rrow("  x native", "getppid", "native")
	rrow("  x floor", "getppid", "floor", "floor sandbox proot")
	row("  best batch (ns/call)", "getppid_best", "")
	rrow("  best x floor", "getppid_best", "floor", "floor sandbox proot")
	row("getppid, all on CPU 0 (ns/call)", "getppid_pinned", "")
	rrow("  x floor", "getppid_pinned", "floor", "floor sandbox proot")
	row("  best batch (ns/call)", "getppid_pinned_best", "")
	rrow("  best x floor", "getppid_pinned_best", "floor", "floor sandbox proot")
	row("clock_gettime, passthrough (ns/call)", "clock_gettime", "")
	rrow("  x native", "clock_gettime", "native")
	row("sched_yield, passthrough (ns/call)", "sched_yield", "")
	rrow("  x native", "sched_yield", "native")
	row("startup static hello (ms)", "start_hello", "sandbox <= native + 5 ms")
	rrow("  x native", "start_hello", "native")
	drow("  - native (ms)", "start_hello", "native")
	row("startup /bin/true (ms)", "start_true", "sblimits <= 4 ms")
	rrow("  x native", "start_true", "native")
	drow("  - native (ms)", "start_true", "native")
	row("peak RSS: tool process (MB)", "rss_tool", "sentry < 8 MB")
	row("  sandbox: sentry VmHWM (MB)", "rss_sentry", "")
	row("  RSS of all tool processes (MB)", "rss_tool_sum", "")
	row("  guest VmHWM (MB)", "rss_guest", "")
	row("fork+exec+wait /bin/true x" fen " (ms)", "forkexec_true", "sandbox <= 2x native")
	rrow("  x native", "forkexec_true", "native")
	row("  per iteration (ms)", "forkexec_true_iter", "")
	row("make -j2 of tests/programs/proj (ms)", "make_j2", "sandbox <= 1.5x native")
	rrow("  x native", "make_j2", "native")
	row("write 256 MB (MB/s)", "fs_write_mbs", "sandbox >= 0.5x native")
	rrow("  x native", "fs_write_mbs", "native")
	row("read 256 MB (MB/s)", "fs_read_mbs", "sandbox >= 0.5x native")
	rrow("  x native", "fs_read_mbs", "native")
	row("create+stat+unlink 10k files (ms)", "fs_files_ms", "")
	rrow("  x native", "fs_files_ms", "native")
	row("readdir of 10k entries (ms/pass)", "fs_readdir_ms", "")
	rrow("  x native", "fs_readdir_ms", "native")
	row("open+read 4K+close (us/iteration)", "fs_openread_us", "sandbox <= 8x native")
	rrow("  x native", "fs_openread_us", "native")
	row("tar xzf of /usr/include (ms)", "tar_xzf", "sandbox <= 3x native")
	rrow("  x native", "tar_xzf", "native")
	row("epoll_wait, 5000 idle sockets (us/iter)", "epoll_idle_us", "")
	rrow("  x native", "epoll_idle_us", "native")
	print ""
	print "ns/call: median over 3 runs of the median of 5 batches of each run; best batch = fastest batch"
	print "of all runs. floor = bench/floor.c: seccomp RET_TRACE + PTRACE_GETREGS/SETREGS, no work."
	print "Unpinned tracer rows include cross-CPU wakeups. startup: " 4 * int((reps + 3) / 4) " runs"
	print "of fork+exec+wait in 4 interleaved rounds, median of the round medians."
	print "RSS: VmHWM/VmRSS from /proc while the guest sleeps 1 s; tool process = largest non-guest"
	print "process (the sentry, proot itself, the bwrap monitor)."
	print "fork+exec+wait: bench/forkexec.c (static) runs fork, execve /bin/true, waitpid " fen " times"
	print "and times itself; make -j2: make -s -j2 of a 5-file C project with gcc into a fresh"
	print "mktemp -d, whole command timed. Both: median of " rounds " interleaved rounds."
	print "strace = strace -f -o /dev/null (process rows only). sblimits = the sandbox with every limit"
	print "and the audit on (--timeout --pids --files --fsize --audit --json); firejail = firejail --quiet"
	print "with its default profile (startup and memory rows only)."
	print "filesystem rows (bench/fsbench.c; median of " fsrounds " interleaved rounds): every runner on an"
	print "in-memory filesystem: the sandbox /tmp (its tmpfs), native " shm ", proot -b " shm ":/tmp,"
	print "bwrap --tmpfs /tmp. write: 1 MiB writes + fsync; files: open O_CREAT+close, stat, unlink;"
	print "readdir: 10 passes; tar: tar xzf of /usr/include (" shm " natively), whole command timed."
	print "epoll: bench/epollbench.c (static): 5000 socketpairs in one epoll, 2000 times a byte written"
	print "to one of them, epoll_wait, the byte read; median of " fsrounds " interleaved rounds."
	print ""
	print "aims (reported, never enforced):"
	x = ratio("getppid", "sandbox", "floor")
	aim("getppid_sandbox_over_floor", x, "1.5", "x", x != "" && x <= 1.5, "<=")
	x = ratio("getppid_best", "sandbox", "floor")
	aim("getppid_best_batch_sandbox_over_floor", x, "1.5", "x", x != "" && x <= 1.5, "<=")
	x = ratio("getppid_pinned", "sandbox", "floor")
	aim("getppid_pinned_sandbox_over_floor", x, "1.5", "x", x != "" && x <= 1.5, "<=")
	x = (has("start_hello", "sandbox") && has("start_hello", "native")) ? v["start_hello", "sandbox"] - v["start_hello", "native"] : ""
	aim("startup_hello_sandbox_minus_native", x, "5", "ms", x != "" && x <= 5, "<=")
	x = has("rss_sentry", "sandbox") ? v["rss_sentry", "sandbox"] : ""
	aim("sentry_peak_rss", x, "8", "MB", x != "" && x < 8, "<")
	x = has("start_true", "sblimits") ? v["start_true", "sblimits"] : ""
	aim("startup_true_with_limits_and_audit", x, "4", "ms", x != "" && x <= 4, "<=")
	x = has("rss_sentry", "sblimits") ? v["rss_sentry", "sblimits"] : ""
	aim("sentry_peak_rss_with_limits_and_audit", x, "8", "MB", x != "" && x < 8, "<")
	x = ratio("forkexec_true", "sandbox", "native")
	aim("forkexec_true_sandbox_over_native", x, "2", "x", x != "" && x <= 2, "<=")
	x = ratio("make_j2", "sandbox", "native")
	aim("make_j2_sandbox_over_native", x, "1.5", "x", x != "" && x <= 1.5, "<=")
	x = ratio("fs_write_mbs", "sandbox", "native")
	aim("write_256mb_sandbox_over_native", x, "0.5", "x", x != "" && x >= 0.5, ">=")
	x = ratio("fs_read_mbs", "sandbox", "native")
	aim("read_256mb_sandbox_over_native", x, "0.5", "x", x != "" && x >= 0.5, ">=")
	x = ratio("fs_openread_us", "sandbox", "native")
	aim("open_read_close_sandbox_over_native", x, "8", "x", x != "" && x <= 8, "<=")
	x = ratio("tar_xzf", "sandbox", "native")
	aim("tar_xzf_sandbox_over_native", x, "3", "x", x != "" && x <= 3, "<=")
	for (i = 1; i <= na; i++) print A[i]

	print "{" > json
	printf "  \"machine\": {\"nproc\": %d, \"cpu\": \"%s\", \"kernel\": \"%s\", \"os\": \"%s\", \"date\": \"%s\", \"loadavg\": \"%s\"},\n",
		nproc, cpu, kernel, os, date, loadavg > json
	printf "  \"tools\": {\"proot\": \"%s\", \"proot_seccomp_accel\": \"%s\", \"bwrap\": \"%s\", \"strace\": \"%s\", \"available\": \"%s\"},\n",
		prootv, prootacc, bwrapv, stracev, substr(avail, 2) > json
	print "  \"metrics\": {" > json
	jmetric("getppid", "ns/call", ",")
	jmetric("getppid_best", "ns/call best batch", ",")
	jmetric("getppid_pinned", "ns/call", ",")
	jmetric("getppid_pinned_best", "ns/call best batch", ",")
	jmetric("clock_gettime", "ns/call", ",")
	jmetric("sched_yield", "ns/call", ",")
	jmetric("start_hello", "ms", ",")
	jmetric("start_true", "ms", ",")
	jmetric("rss_tool", "MB", ",")
	jmetric("rss_sentry", "MB", ",")
	jmetric("rss_tool_sum", "MB", ",")
	jmetric("rss_guest", "MB", ",")
	jmetric("forkexec_true", "ms for " fen, ",")
	jmetric("forkexec_true_iter", "ms/iteration", ",")
	jmetric("make_j2", "ms", ",")
	jmetric("fs_write_mbs", "MB/s", ",")
	jmetric("fs_read_mbs", "MB/s", ",")
	jmetric("fs_files_ms", "ms for 10k create+stat+unlink", ",")
	jmetric("fs_readdir_ms", "ms per pass over 10k entries", ",")
	jmetric("fs_openread_us", "us per open+read+close", ",")
	jmetric("tar_xzf", "ms", ",")
	jmetric("epoll_idle_us", "us per write+epoll_wait+read among 5000 idle sockets", "")
	print "  }," > json
	print "  \"aims\": {" > json
	for (i = 1; i <= na; i++) print J[i] (i < na ? "," : "") > json
	print "  }" > json
	print "}" > json
}' "$RES"
echo "(json: $JSON, raw output: $LOG)"
exit 0
