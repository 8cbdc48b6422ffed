#!/bin/sh
# sandbox run --init: a small init is pid 1 and the program pid 2 (its parent the init, a
# process group of its own); exit statuses and deaths by signal come out as the program's;
# signals sent to `sandbox` reach the program; orphans are reaped (the same program as pid 1
# leaves them as zombies); a missing program and a root without this binary are errors.
B=${1:-build}
case $B in /*) ;; *) B=$(pwd)/$B ;; esac
SB=$B/sandbox
PY=/usr/bin/python3
fail() { echo "$*"; exit 1; }
out=$("$SB" run --init -- sh -c 'echo pid=$$ ppid=$PPID; ps -o pid=,ppid=,pgid=,comm= -p 1,$$' 2>&1)
[ "$(echo "$out" | tr -s ' ' | sed 's/^ //')" = "pid=2 ppid=1
1 0 0 sandbox
2 1 2 sh" ] || fail "pids under --init: $out"
"$SB" run --init -- sh -c 'exit 7'; st=$?
[ $st = 7 ] || fail "exit status through the init: $st"
"$SB" run --init --json "${TMPDIR:-/tmp}/init.$$.json" -- sh -c 'kill -TERM $$'; st=$?
sig=$(grep -o '"signal": *[0-9]*' "${TMPDIR:-/tmp}/init.$$.json" | tr -dc 0-9)
rm -f "${TMPDIR:-/tmp}/init.$$.json"
[ $st = 143 ] && [ "$sig" = 15 ] || fail "death by a signal through the init: $st, signal $sig"
# a signal to sandbox: the init passes it on
"$SB" run --init -- sh -c 'trap "echo got TERM; exit 3" TERM; sleep 5 & wait' > "${TMPDIR:-/tmp}/init.$$.out" 2>&1 &
pid=$!
sleep 1
kill -TERM $pid
wait $pid; st=$?
out=$(cat "${TMPDIR:-/tmp}/init.$$.out"); rm -f "${TMPDIR:-/tmp}/init.$$.out"
[ $st = 3 ] && [ "$out" = "got TERM" ] || fail "SIGTERM to sandbox --init: status $st: $out"
# orphans: a program that never waits for the grandchildren it leaves
prog="import subprocess, time, os
subprocess.Popen(['sh', '-c', 'sleep 0.1 & sleep 0.1 & exit 0']).wait()
time.sleep(1)
z = [p for p in os.listdir('/proc') if p.isdigit() and open('/proc/%s/stat' % p).read().rsplit(')', 1)[1].split()[0] == 'Z']
print('zombies', len(z))"
out=$("$SB" run --init -- "$PY" -c "$prog" 2>&1)
[ "$out" = "zombies 0" ] || fail "--init left zombies: $out"
out=$("$SB" run -- "$PY" -c "$prog" 2>&1)
[ "$out" = "zombies 2" ] || fail "without --init, pid 1 that never waits should keep its 2 orphans as zombies: $out"
# errors
out=$("$SB" run --init -- /nonexistent/prog 2>&1); st=$?
[ $st = 127 ] || fail "missing program under --init: $st: $out"
d=$(mktemp -d "${TMPDIR:-/var/tmp}/sandbox-init.XXXXXX") || exit 1
trap 'rm -rf "$d"' EXIT
mkdir -p "$d/bin" && cp /usr/bin/busybox "$d/bin/sh" 2>/dev/null || cp /bin/busybox "$d/bin/sh"
out=$("$SB" run --init --ro "$d:/" -- /bin/sh -c true 2>&1); st=$?
[ $st = 127 ] && case $out in *"--init: this sandbox binary"*"not visible inside"*) true ;; *) false ;; esac ||
	fail "--init with a root that lacks this binary: $st: $out"
echo "pid 1 init, statuses and signals passed through, orphans reaped, errors explained"
