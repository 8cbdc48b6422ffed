#!/bin/sh
# Runs started at once spread over the CPUs: each run keeps its CLI, gofer, sentry and
# stubs on one CPU (cheap hand-offs), and takes the CPU with the fewest runs (a flock'd
# slot per run and CPU in /dev/shm/.sandbox-cpus), not the one its CLI started on. Here
# every slot of CPU 0 is held (as by 64 runs there): three runs started on CPU 0 must all
# settle elsewhere; with SANDBOX_PIN=0 nothing is pinned.
B=${1:-build}
case $B in /*) ;; *) B=$(pwd)/$B ;; esac
fail() { echo "$*"; exit 1; }
[ "$(nproc)" -ge 2 ] || { echo "one CPU: nothing to spread"; exit 77; }
command -v flock >/dev/null && command -v taskset >/dev/null || { echo "no flock/taskset"; exit 77; }
D=/dev/shm/.sandbox-cpus
[ -d "$D" ] || { mkdir -p "$D" && chmod 1777 "$D"; } || exit 77
holders=
l=0
while [ $l -lt 64 ]; do
	f=$D/0.$l
	[ -e "$f" ] || { : >"$f" && chmod 0444 "$f"; }
	# (a slot another run holds is as good: CPU 0 stays full either way)
	# (-o: the lock is flock's own, gone when it is killed; its sleep does not hold it)
	flock -o -n "$f" sleep 30 </dev/null >/dev/null 2>&1 &
	holders="$holders $!"
	l=$((l + 1))
done
sleep 0.5
all=$(taskset -pc $$ | sed 's/.*: //')
pids=
for i in 1 2 3; do
	# (started on CPU 0, free to go anywhere: without slots it would stay on CPU 0)
	taskset -c 0 taskset -c "$all" "$B/sandbox" run -- /bin/sleep 3 </dev/null >/dev/null 2>&1 &
	pids="$pids $!"
	sleep 0.3
done
sleep 1
cpus=
for p in $pids; do
	cpus="$cpus $(taskset -pc "$p" 2>/dev/null | sed 's/.*: //')"
done
SANDBOX_PIN=0 "$B/sandbox" run -- /bin/sleep 2 </dev/null >/dev/null 2>&1 &
free=$!
sleep 1
unpinned=$(taskset -pc "$free" 2>/dev/null | sed 's/.*: //')
wait $pids $free
for h in $holders; do pkill -P "$h" sleep 2>/dev/null; done
kill $holders 2>/dev/null
wait 2>/dev/null
for c in $cpus; do
	case $c in 0|*-*|*,*) fail "runs not spread off a full CPU 0: their CPUs:$cpus" ;; esac
done
[ "$unpinned" = "$all" ] || fail "SANDBOX_PIN=0 pinned the run: $unpinned (all: $all)"
echo "runs take the CPU with the fewest runs (three beside a full CPU 0:$cpus); SANDBOX_PIN=0 leaves them unpinned"
