#!/bin/sh
# pause and resume (runc's): the container's processes stop as a whole through the cgroup
# v2 freezer, unseen by the guests (a parent's SIGCHLD handler hears nothing), while time
# goes on (the container's uptime counts the paused time); state says "paused"; exec is
# refused as runc refuses it; pause of a paused and resume of a running container are
# errors; delete needs --force; SIGKILL ends a paused container, and its cgroup goes.
. "$(dirname "$0")/lib.sh"
# a watcher whose child only sleeps: a stop or continue of that child would reach its
# SIGCHLD trap; the first process writes a count (its own children end all the time)
make_bundle "$D/b" 'w = "trap \"echo chld\" CHLD; sleep 1000 & wait; wait"
q = chr(39)
c["process"]["args"] = ["sh", "-c", "sh -c " + q + w + q + " & i=0; while :; do i=$((i+1)); echo $i; sleep 0.01; done"]'

oci create -b "$D/b" p1 >"$D/out" 2>&1 && oci start p1 || fail "create: $(cat "$D/out")"
i=0; while [ "$(wc -l <"$D/out")" -lt 5 ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
oci resume p1 2>"$D/err" && fail "resume of a running container"
grep -q "is running, not paused" "$D/err" || fail "resume: $(cat "$D/err")"
up1=$(oci exec p1 cat /proc/uptime) || fail "uptime"
up1=${up1%%.*}
if ! oci pause p1 2>"$D/err"; then
	grep -q "no cgroup of its own" "$D/err" && { echo "no cgroup v2 with cgroup.freeze here"; exit 77; }
	fail "pause: $(cat "$D/err")"
fi
cg=$(cat "$ROOT/p1/cgroup")
[ "$(state_field p1 status)" = paused ] || fail "state: $(oci state p1)"
grep -q "frozen 1" "$cg/cgroup.events" || fail "not frozen: $(cat "$cg/cgroup.events")"
oci list | grep -q "p1 .* paused" || fail "list: $(oci list)"
n=$(wc -l <"$D/out")
sleep 2
[ "$(wc -l <"$D/out")" = "$n" ] || fail "the paused container went on writing"
oci pause p1 2>"$D/err" && fail "pause of a paused container"
out=$(oci exec p1 true 2>&1) && fail "exec into a paused container"
[ "$out" = "sandbox: exec: cannot exec in a paused container (use --ignore-paused to override)" ] ||
	fail "exec: $out"
oci start p1 2>/dev/null && fail "start of a paused container"
oci delete p1 2>"$D/err" && fail "delete of a paused container without --force"
grep -q "is paused" "$D/err" || fail "delete: $(cat "$D/err")"
oci resume p1 || fail "resume"
[ "$(state_field p1 status)" = running ] || fail "state after resume: $(oci state p1)"
up2=$(oci exec p1 cat /proc/uptime) || fail "uptime after"
up2=${up2%%.*}
[ $((up2 - up1)) -ge 2 ] || fail "uptime went from $up1 to $up2 over a 2 s pause"
i=0; while [ "$(wc -l <"$D/out")" = "$n" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
[ "$(wc -l <"$D/out")" -gt "$n" ] || fail "nothing written after resume"
grep -q chld "$D/out" && fail "the guest saw the pause as a stop (SIGCHLD)"

pid=$(state_field p1 pid)
oci pause p1 || fail "pause again"
oci kill p1 KILL || fail "kill KILL of a paused container"
wait_status p1 stopped || fail "KILL did not end the paused container"
gone "$pid" || fail "its process $pid survived"
oci delete p1 || fail "delete"
[ ! -e "$cg" ] || fail "its cgroup $cg was left"
echo "pause, resume: frozen unseen, time goes on, exec refused, KILL, cleanup"
