#!/bin/sh
# The container's cgroup on the host (runc's cgroupfs driver): linux.cgroupsPath made in
# every hierarchy, linux.resources written there, every host process of the container in it
# (its pid's /proc/PID/cgroup, the processes of `ps`), `update` with flags and with -r -
# (the sentry's own memory fence follows),
# pause freezing it, delete removing it. The same bundle and updates under runc (when it is
# installed) must leave the same knob values and the same /proc/PID/cgroup; a relative
# cgroupsPath is under our own cgroup; --systemd-cgroup maps slice:prefix:name; bad paths
# and values are refused with nothing left. Skipped without a writable cgroup hierarchy.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] && [ -w /sys/fs/cgroup ] || [ -w /sys/fs/cgroup/cgroup.procs ] ||
	{ echo "no writable cgroup hierarchy"; exit 77; }
HAVE_RUNC=false
command -v runc >/dev/null 2>&1 && HAVE_RUNC=true
T=sbcgtest$$
CGROOTS=$(awk '$3 == "cgroup" || $3 == "cgroup2" { print $2 }' /proc/mounts)
cgclean() {
	# the containers first: a cgroup in use cannot go
	for id in $(oci list -q 2>/dev/null); do oci delete --force "$id" >/dev/null 2>&1; done
	for r in $CGROOTS; do
		for d in "$r/$T"/*/* "$r/$T"/* "$r/$T"; do [ -d "$d" ] && rmdir "$d" 2>/dev/null; done
	done
	cleanup
}
trap cgclean EXIT

# knobs INNER: the values linux.resources sets, wherever this host keeps them (v1 or v2)
knobs() {
	for f in memory.limit_in_bytes memory.memsw.limit_in_bytes memory.soft_limit_in_bytes \
		memory.max memory.swap.max memory.low pids.max cpu.shares cpu.cfs_quota_us \
		cpu.cfs_period_us cpu.weight cpu.max cpuset.cpus cpuset.mems; do
		for r in $CGROOTS; do
			[ -f "$r$1/$f" ] && echo "$f: $(cat "$r$1/$f")"
		done
	done
}
pid_of() { state_field "$1" pid; }

make_bundle "$D/b" "c['process']['args'] = ['sleep', '1000']
c['linux']['cgroupsPath'] = '/$T/x'
c['linux']['resources'] = {'memory': {'limit': 67108864, 'swap': 134217728, 'reservation': 33554432},
	'pids': {'limit': 50}, 'cpu': {'shares': 512, 'quota': 50000, 'period': 100000, 'cpus': '0', 'mems': '0'}}"
UPD='{"memory": {"limit": 33554432}, "cpu": {"quota": 20000, "cpus": "0-1"}, "blockIO": {"weight": 10}}'

# run_case RUNTIME: create, knobs, two updates, knobs; into $D/RUNTIME.N
run_case() {
	rt=$1; out=$D/$rt
	if [ "$rt" = runc ]; then r() { runc --root "$D/runc" "$@"; }; else r() { oci "$@"; }; fi
	r create -b "$D/b" c1 >"$D/err" 2>&1 || fail "$rt create: $(cat "$D/err")"
	pid=$(r state c1 | "$PY" -c "import json,sys; print(json.load(sys.stdin)['pid'])")
	sed 's/^[0-9]*://' "/proc/$pid/cgroup" | sort >"$out.cg"
	knobs "/$T/x" >"$out.1"
	r update --memory 128m --memory-swap 256M --pids-limit 70 --cpu-share 700 c1 ||
		fail "$rt update"
	knobs "/$T/x" >"$out.2"
	echo "$UPD" | r update -r - c1 || fail "$rt update -r -"
	knobs "/$T/x" >"$out.3"
	if [ "$rt" = sandbox ]; then
		# every host process of the container (the CLI, the waiter, the gofer, the
		# sentry, the stubs) is in it, in each hierarchy
		for p in $(oci ps --format json c1 | tr '[],' '   '); do
			[ "$(sed 's/^[0-9]*://' "/proc/$p/cgroup" | sort)" = "$(cat "$out.cg")" ] ||
				fail "process $p is not in the container's cgroup: $(cat "/proc/$p/cgroup")"
		done
		oci start c1 || fail "start"
		oci pause c1 || fail "pause"
		for r2 in $CGROOTS; do
			[ -f "$r2/$T/x/cgroup.freeze" ] && v2=$r2/$T/x
		done
		grep -q "frozen 1" "$v2/cgroup.events" || fail "the cgroup is not frozen"
		oci resume c1 || fail "resume"
		grep -q "frozen 0" "$v2/cgroup.events" || fail "the cgroup is still frozen"
	fi
	r delete --force c1 || fail "$rt delete"
	for r2 in $CGROOTS; do
		[ ! -d "$r2/$T/x" ] || fail "$rt: $r2/$T/x was left"
	done
}
run_case sandbox
# pids.max: the limit and the sandbox's own tasks (12; the guests' count is the sentry's)
grep -q "pids.max: 62" "$D/sandbox.1" && grep -q "pids.max: 82" "$D/sandbox.2" ||
	fail "pids.max: $(cat "$D/sandbox.1" "$D/sandbox.2")"
for n in 1 2 3; do
	awk '$1 == "pids.max:" && $2 != "max" { $2 -= 12 } 1' "$D/sandbox.$n" >"$D/x" && mv "$D/x" "$D/sandbox.$n"
done
grep -qx "0::/$T/x" "$D/sandbox.cg" || grep -q ":/$T/x\$" "$D/sandbox.cg" ||
	fail "not in the cgroup: $(cat "$D/sandbox.cg")"
if $HAVE_RUNC; then
	run_case runc
	for f in cg 1 2 3; do
		cmp -s "$D/runc.$f" "$D/sandbox.$f" ||
			fail "runc and sandbox differ ($f): $(diff "$D/runc.$f" "$D/sandbox.$f")"
	done
fi

# update reaches the sentry's own memory fence too: a 100M buffer fails under 64m, fits
# after an update to 256m (also one made while paused, at resume), fails again at 64m
make_bundle "$D/mem" "c['process']['args'] = ['sleep', '1000']
c['linux']['cgroupsPath'] = '/$T/mem'
c['linux']['resources'] = {'memory': {'limit': 67108864}}"
ln -s busybox "$D/mem/rootfs/bin/dd"
oci create -b "$D/mem" m1 && oci start m1 || fail "create m1"
dd100() { oci exec m1 dd if=/dev/zero of=/dev/null bs=100M count=1 >/dev/null 2>&1; }
dd100 && fail "100M under a 64m limit"
oci update --memory 256m --memory-swap -1 m1 && dd100 || fail "100M after update --memory 256m"
oci update --memory 64m m1 && ! dd100 || fail "100M after update --memory 64m"
oci pause m1 && oci update --memory 256m m1 && oci resume m1 && dd100 ||
	fail "100M after an update while paused"
oci update --memory 512k m1 2>"$D/err" && fail "update below 1M"
grep -q "below 1M" "$D/err" || fail "update 512k: $(cat "$D/err")"
oci delete --force m1
# ... and the sentry's own task count: init, sh and 3 children (5) fit after an update
# from 4 to 6 made before start, not after one to 3
make_bundle "$D/pids" "c['process']['args'] = ['sleep', '1000']
c['linux']['cgroupsPath'] = '/$T/pids'
c['linux']['resources'] = {'pids': {'limit': 4}}"
oci create -b "$D/pids" p1 && oci update --pids-limit 6 p1 && oci start p1 || fail "p1"
forks() { oci exec p1 sh -c 'sleep 1 & sleep 1 & sleep 1 & echo forked; wait' 2>&1 | tail -1; }
[ "$(forks)" = forked ] || fail "5 tasks with pids.limit 6: $(forks)"
oci update --pids-limit 3 p1 && [ "$(forks)" != forked ] || fail "5 tasks with pids.limit 3"
oci update --pids-limit 2000000 p1 2>/dev/null && fail "pids.limit 2000000"
oci delete --force p1

# a relative cgroupsPath is under our own cgroup, in each hierarchy (runc's reading)
make_bundle "$D/rel" "c['process']['args'] = ['sleep', '1000']
c['linux']['cgroupsPath'] = '$T-rel'"
oci create -b "$D/rel" c2 || fail "create (relative)"
own=$(sed 's/^[0-9]*://' /proc/self/cgroup | sort)
got=$(sed 's/^[0-9]*://' "/proc/$(pid_of c2)/cgroup" | sort)
want=$(echo "$own" | sed "s,:/\$,:,; s,\$,/$T-rel,")
[ "$got" = "$want" ] || fail "relative cgroupsPath: got
$got
wanted
$want"
oci delete --force c2

# --systemd-cgroup: slice:prefix:name is the slice's path, then prefix-name.scope (made as
# plain directories, systemd not running here)
if [ ! -d /run/systemd/system ]; then
	make_bundle "$D/sd" "c['process']['args'] = ['sleep', '1000']
c['linux']['cgroupsPath'] = '$T-a.slice:pfx:nm'
c['linux']['resources'] = {'pids': {'limit': 9}}"
	oci --systemd-cgroup create -b "$D/sd" c3 || fail "create (systemd)"
	grep -q ":/$T.slice/$T-a.slice/pfx-nm.scope\$" "/proc/$(pid_of c3)/cgroup" ||
		fail "systemd path: $(cat "/proc/$(pid_of c3)/cgroup")"
	oci delete --force c3
	for r in $CGROOTS; do rmdir "$r/$T.slice/$T-a.slice" "$r/$T.slice" 2>/dev/null; done
fi

# refused, with nothing left: a way out of the tree, bad values, an update of a stopped one
n=0
for bad in "c['linux']['cgroupsPath'] = '/$T/../../x'" "c['linux']['cgroupsPath'] = '/'" \
	"c['linux']['resources'] = {'memory': {'limit': 'lots'}}" \
	"c['linux']['resources'] = {'cpu': {'shares': -5}}" \
	"c['linux']['resources'] = {'cpu': {'mems': '0;1'}}" \
	"c['linux']['resources'] = {'memory': {'limit': 67108864, 'swap': 1048576}}"; do
	n=$((n + 1))
	make_bundle "$D/bad$n" "c['process']['args'] = ['sh', '-c', 'exit 0']
$bad"
	oci create -b "$D/bad$n" c4 >"$D/err" 2>&1 && fail "accepted: $bad"
	[ "$(wc -l <"$D/err")" = 1 ] || fail "not one line for $bad: $(cat "$D/err")"
	[ -z "$(oci list -q)" ] || fail "left a container for $bad"
done
[ ! -e "$(echo $CGROOTS | cut -d' ' -f1)/x" ] || fail "a cgroup outside the tree"
make_bundle "$D/s" "c['process']['args'] = ['sh', '-c', 'exit 0']
c['linux']['cgroupsPath'] = '/$T/s'"
oci create -b "$D/s" c5 && oci start c5 && wait_status c5 stopped || fail "c5"
oci update --memory 64m c5 2>"$D/err" && fail "update of a stopped container"
oci update --memory lots c5 2>"$D/err" && fail "update with a bad size"
grep -q "not a size" "$D/err" || fail "update: $(cat "$D/err")"
echo '[1]' | oci update -r - c5 2>/dev/null && fail "update with a JSON array"
oci update --blkio-weight 10 c5 2>/dev/null && fail "update of an unapplied value"
oci delete c5 || fail "delete c5"
# a pure cgroup v2 host, as a private mount namespace sees one (the v2 hierarchy alone at
# /sys/fs/cgroup; its controllers here are bound to v1, so no resources): the cgroup is made
# there, holds the container's processes, freezes, and goes at delete
if command -v unshare >/dev/null 2>&1 && grep -q "^0::" /proc/self/cgroup; then
	make_bundle "$D/v2" "c['process']['args'] = ['sleep', '1000']
c['linux']['cgroupsPath'] = '/$T/v2'"
	unshare -m --propagation private sh -c '
		umount -R /sys/fs/cgroup && mount -t cgroup2 none /sys/fs/cgroup || exit 77
		"$1" --root "$2" create -b "$3" v2 || exit 1
		pid=$("$1" --root "$2" state v2 | sed -n "s/.*\"pid\": \([0-9]*\).*/\1/p")
		grep -qx "0::/$4/v2" /proc/$pid/cgroup || exit 2
		[ "$(wc -l < /sys/fs/cgroup/$4/v2/cgroup.procs)" -ge 4 ] || exit 3
		"$1" --root "$2" pause v2 && grep -q "frozen 1" /sys/fs/cgroup/$4/v2/cgroup.events || exit 4
		"$1" --root "$2" delete --force v2 || exit 5
		[ ! -d /sys/fs/cgroup/$4/v2 ] || exit 6
		rmdir /sys/fs/cgroup/$4' - "$SB" "$ROOT" "$D/v2" "$T"
	rc=$?
	[ $rc = 0 ] || [ $rc = 77 ] || fail "pure cgroup v2: step $rc failed"
fi
# as runc: a frozen cgroup that exists already is refused (its processes would stop as
# they joined it), and nothing is left; one with processes in it is shared, with a warning
make_bundle "$D/frz" "c['process']['args'] = ['sleep', '1000']
c['linux']['cgroupsPath'] = '/$T/frz'"
frozen=
for r in $CGROOTS; do
	mkdir -p "$r/$T/frz"
	[ -f "$r/$T/frz/freezer.state" ] && echo FROZEN >"$r/$T/frz/freezer.state" && frozen=$r
	[ -f "$r/$T/frz/cgroup.freeze" ] && echo 1 >"$r/$T/frz/cgroup.freeze" && frozen=$r
done
if [ -n "$frozen" ]; then
	timeout 30 "$SB" --root "$ROOT" create -b "$D/frz" f1 >"$D/err" 2>&1 &&
		fail "create in a frozen cgroup"
	grep -q "container's cgroup unexpectedly frozen" "$D/err" || fail "frozen: $(cat "$D/err")"
	[ -z "$(oci list -q)" ] || fail "left a container after a frozen cgroup"
	for r in $CGROOTS; do
		[ -f "$r/$T/frz/freezer.state" ] && echo THAWED >"$r/$T/frz/freezer.state"
		[ -f "$r/$T/frz/cgroup.freeze" ] && echo 0 >"$r/$T/frz/cgroup.freeze"
	done
	oci create -b "$D/frz" f1 2>"$D/err" || fail "create after thawing: $(cat "$D/err")"
	[ ! -s "$D/err" ] || fail "create in a new cgroup warned: $(cat "$D/err")"
	oci create -b "$D/frz" f2 2>"$D/err" || fail "create in a shared cgroup: $(cat "$D/err")"
	grep -q "container's cgroup is not empty" "$D/err" || fail "shared cgroup: $(cat "$D/err")"
	oci delete --force f2 && oci delete --force f1 || fail "delete f1, f2"
fi
for r in $CGROOTS; do rmdir "$r/$T/frz" 2>/dev/null; done
# a parent made without CPUs (a pod's cgroup made by hand, cgroup v1's cpuset) gets its
# parent's on the way: no task could join a cpuset below it otherwise
cpuset=$(awk '$3 == "cgroup" && $4 ~ /(^|,)cpuset(,|$)/ { print $2; exit }' /proc/mounts)
if [ -n "$cpuset" ]; then
	mkdir -p "$cpuset/$T/pod"
	make_bundle "$D/pod" "c['process']['args'] = ['sleep', '1000']
c['linux']['cgroupsPath'] = '/$T/pod/c'"
	oci create -b "$D/pod" p2 2>"$D/err" || fail "create under an empty cpuset: $(cat "$D/err")"
	[ -n "$(cat "$cpuset/$T/pod/cpuset.cpus")" ] || fail "the pod's cpuset is still empty"
	oci delete --force p2
	for r in $CGROOTS; do rmdir "$r/$T/pod" 2>/dev/null; done
fi
# cgroup v1: a shorter period under the old quota can pass the parent's ratio; as runc,
# the new quota goes first then (a pod at 50%, the container at 20%, then 30% of 10 ms)
cpu=$(awk '$3 == "cgroup" && $4 ~ /(^|,)cpu(,|$)/ { print $2; exit }' /proc/mounts)
if [ -n "$cpu" ] && [ -f "$cpu/cpu.cfs_quota_us" ]; then
	mkdir -p "$cpu/$T/cpod" && echo 50000 >"$cpu/$T/cpod/cpu.cfs_quota_us" || fail "pod quota"
	make_bundle "$D/cpod" "c['process']['args'] = ['sleep', '1000']
c['linux']['cgroupsPath'] = '/$T/cpod/c'
c['linux']['resources'] = {'cpu': {'quota': 20000, 'period': 100000}}"
	oci create -b "$D/cpod" p3 || fail "create in the cpu pod"
	oci update --cpu-period 10000 --cpu-quota 3000 p3 2>"$D/err" ||
		fail "update of period and quota under the pod's limit: $(cat "$D/err")"
	[ "$(cat "$cpu/$T/cpod/c/cpu.cfs_period_us") $(cat "$cpu/$T/cpod/c/cpu.cfs_quota_us")" = \
		"10000 3000" ] || fail "period and quota: $(cat "$cpu/$T/cpod/c/cpu.cfs_period_us")"
	oci delete --force p3
	for r in $CGROOTS; do rmdir "$r/$T/cpod" 2>/dev/null; done
fi
# memory.limit is the cgroup's to enforce, as under runc: a process that touches past it is
# OOM-killed (137; the container's first process, its parent, goes on), not refused
# (ENOMEM: busybox's "out of memory"); the OOM killer's count goes up and `events` says
# "oom". The same output under runc. The sentry, the gofer and the CLI are never chosen.
make_bundle "$D/oom" "c['process']['args'] = ['sh', '-c', 'while [ ! -e /go ]; do sleep 0.05; done; sh /hog; echo child: \$?']
c['root']['readonly'] = False
c['linux']['cgroupsPath'] = '/$T/oom'
c['linux']['resources'] = {'memory': {'limit': 16777216}}"
echo 'a=$(head -c 50000000 /dev/zero | tr "\\0" x); echo ${#a}' >"$D/oom/rootfs/hog"
ln -sf busybox "$D/oom/rootfs/bin/tr"
oom_case() {
	if [ "$1" = runc ]; then r() { runc --root "$D/runc" "$@"; }; else r() { oci "$@"; }; fi
	rm -f "$D/oom/rootfs/go"
	r run -b "$D/oom" -d o1 >"$D/err" 2>&1 || fail "$1 run (oom): $(cat "$D/err")"
	if [ "$1" = sandbox ]; then
		# (the hog goes once events is watching: its first stats are out)
		: >"$D/events"
		timeout 20 "$SB" --root "$ROOT" events --interval 100ms o1 >>"$D/events" 2>&1 &
		ev=$!
		i=0
		while [ $i -lt 100 ] && ! grep -q '"stats"' "$D/events"; do sleep 0.05; i=$((i + 1)); done
	fi
	touch "$D/oom/rootfs/go"
	i=0
	while [ $i -lt 200 ] && ! r state o1 2>/dev/null | grep -q '"stopped"'; do
		sleep 0.05; i=$((i + 1))
	done
	kills=
	for r2 in $CGROOTS; do
		[ -f "$r2/$T/oom/memory.events" ] && kills=$(sed -n 's/^oom_kill //p' "$r2/$T/oom/memory.events")
		[ -f "$r2/$T/oom/memory.oom_control" ] && kills=$(sed -n 's/^oom_kill //p' "$r2/$T/oom/memory.oom_control")
	done
	[ "${kills:-0}" -ge 1 ] || fail "$1: no OOM kill counted in the container's cgroup ($kills)"
	r delete --force o1
	[ "$1" = sandbox ] && { wait $ev; grep -q '"type": *"oom"' "$D/events" ||
		fail "events: no oom event: $(cat "$D/events")"; }
	true
}
# the container's output goes to the CLI's stdout: run it attached instead for that
oom_out() {
	touch "$D/oom/rootfs/go"
	if [ "$1" = runc ]; then runc --root "$D/runc" run -b "$D/oom" o2 2>/dev/null
	else oci run -b "$D/oom" o2 2>/dev/null; fi
	echo "exit $?"
}
if [ -n "$(awk '$3 == "cgroup" && $4 ~ /(^|,)memory(,|$)/ || $3 == "cgroup2" { print $2 }' /proc/mounts)" ]; then
	out=$(oom_out sandbox)
	[ "$out" = "child: 137
exit 0" ] || fail "a process past the memory limit: $out"
	if $HAVE_RUNC; then
		# the kernel's OOM victim under runc is not always the same process (its pick
		# among near-equal candidates: 1 run in ~10 took the container's first sh):
		# runc's answer is the one it gives in any of three runs
		n=0
		while [ $n -lt 3 ]; do
			rout=$(oom_out runc)
			[ "$out" = "$rout" ] && break
			n=$((n + 1))
		done
		[ "$out" = "$rout" ] || fail "past the memory limit: runc: $rout, sandbox: $out"
	fi
	oom_case sandbox
	for r in $CGROOTS; do rmdir "$r/$T/oom" 2>/dev/null; done
fi

# nothing left: delete removed each leaf; the parents made on the way stay (as with runc)
# and are ours to remove
for r in $CGROOTS; do rmdir "$r/$T" 2>/dev/null; done
left=$(find $CGROOTS -maxdepth 5 -type d -name "$T*" 2>/dev/null)
[ -z "$left" ] || fail "cgroups left: $left"
echo "host cgroup: cgroupsPath (absolute, relative, systemd), resources and update as runc's, the sentry's fence updated, every process in it, pause, a frozen or shared or CPU-less one, OOM kills as runc's, cleanup"
