#!/bin/sh
# A container's first process is the init of its pid namespace (pid_namespaces(7)): a
# signal it has no handler for does nothing to it, whether `kill` sends it from the host or
# a process of the container does; SIGKILL from the host (`kill ID KILL`) still ends it,
# SIGKILL from inside does not; a signal it handles reaches it from both sides.
. "$(dirname "$0")/lib.sh"
make_bundle "$D/b" 'c["process"]["args"] = ["sh", "-c", "sleep 100"]'
make_bundle "$D/t" 'c["process"]["args"] = ["sh", "-c", "trap \"echo got-usr1\" USR1; echo ready; while :; do sleep 0.05; done"]'

oci create -b "$D/b" i1 >/dev/null 2>&1 && oci start i1 || fail "create i1"
for sig in TERM INT HUP USR1 ALRM QUIT; do
	oci kill i1 $sig || fail "kill $sig"
done
# a second SIGTERM a second later: still only relayed (`sandbox run` ends a run at a
# second SIGTERM; runc leaves the container alone, and podman's stop kills it itself)
sleep 1.1
oci kill i1 TERM || fail "second kill TERM"
oci exec i1 kill -TERM 1 || fail "kill -TERM 1 from inside"
oci exec i1 kill -KILL 1 || fail "kill -KILL 1 from inside"
oci exec i1 kill -INT 1 || fail "kill -INT 1 from inside"
# each of them has been delivered (or dropped) once exec answers again
out=$(oci exec i1 echo alive 2>&1)
[ "$out" = alive ] && [ "$(oci state i1 | grep -c '"status": "running"')" = 1 ] ||
	fail "the init without handlers did not survive: $out; $(oci state i1)"
oci kill i1 KILL || fail "kill KILL"
wait_status i1 stopped || fail "KILL from the host did not end the init"
oci delete i1 || fail "delete i1"

# `start` returns once the container may go, maybe before its program runs: a signal
# then waits for the program (and is dropped by the init) instead of ending the container.
# The sentry (pid 1 of its own pid namespace, a child of the container's process) is
# stopped across start and kill to hold that moment open.
oci create -b "$D/b" i3 >/dev/null 2>&1 || fail "create i3"
pid=$(state_field i3 pid)
sentry=
for c in $(cat /proc/$pid/task/*/children); do
	grep -Eq '^NSpid:.*[[:space:]]1$' /proc/$c/status 2>/dev/null && sentry=$c
done
[ -n "$sentry" ] || fail "no sentry among the children of $pid"
kill -STOP $sentry
oci start i3 || { kill -CONT $sentry; fail "start i3"; }
oci kill i3 TERM || { kill -CONT $sentry; fail "kill i3 TERM"; }
i=0; while grep -Eq '^ShdPnd:[[:space:]]*0+$' /proc/$sentry/status && [ $i -lt 100 ]; do
	sleep 0.02; i=$((i + 1)); done
kill -CONT $sentry
out=$(oci exec i3 echo alive 2>&1)
[ "$out" = alive ] && [ "$(oci state i3 | grep -c '"status": "running"')" = 1 ] ||
	fail "TERM between start and the program ended the container: $out; $(oci state i3)"
oci delete --force i3 || fail "delete i3"

oci create -b "$D/t" i2 >"$D/out" 2>&1 && oci start i2 || fail "create i2"
i=0; while ! grep -q ready "$D/out" && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
oci exec i2 kill -USR1 1 || fail "kill -USR1 1"
i=0; while ! grep -q got-usr1 "$D/out" && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
oci kill i2 USR1 || fail "kill USR1"
i=0; while [ "$(grep -c got-usr1 "$D/out")" != 2 ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
[ "$(grep -c got-usr1 "$D/out")" = 2 ] || fail "handled USR1 from inside and outside: $(cat "$D/out")"
oci kill i2 TERM || fail "kill TERM"
[ "$(oci exec i2 echo alive 2>&1)" = alive ] || fail "TERM without a handler ended i2"
oci delete --force i2 || fail "delete i2"
echo "init: unhandled signals dropped from the host and from inside (also between start and the program), KILL from the host forced, handled ones delivered"
