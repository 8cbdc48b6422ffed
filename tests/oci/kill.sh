#!/bin/sh
# kill: signals by name and number reach the container's first process (its handlers run);
# SIGKILL ends it; a created container can be killed before start; an unknown signal is an
# error; delete refuses a running container without --force.
. "$(dirname "$0")/lib.sh"
make_bundle "$D/b" 'c["process"]["args"] = ["sh", "-c", "trap \"echo usr1\" USR1; trap \"echo term; exit 7\" TERM; echo ready; while :; do sleep 0.05; done"]'

oci create -b "$D/b" k1 >"$D/out" 2>&1 || fail "create: $(cat "$D/out")"
oci start k1 || fail "start"
i=0; while ! grep -q ready "$D/out" && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
oci delete k1 2>/dev/null && fail "delete of a running container without --force"
# ps: the container's host processes (its pid first, the sentry, the gofer, the stubs)
oci ps --format json k1 | "$PY" -c 'import json,sys; l=json.load(sys.stdin); assert len(l) >= 4 and l[0] == int(sys.argv[1]), l' "$(state_field k1 pid)" ||
	fail "ps --format json: $(oci ps --format json k1)"
oci ps k1 -o pid= | grep -q "$(state_field k1 pid)" || fail "ps: $(oci ps k1)"
oci kill k1 SIGUSR1 || fail "kill SIGUSR1"
i=0; while ! grep -q usr1 "$D/out" && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
grep -q usr1 "$D/out" || fail "USR1 not handled: $(cat "$D/out")"
oci kill k1 NOSUCH 2>/dev/null && fail "an unknown signal was accepted"
oci kill k1 15 || fail "kill 15"
wait_status k1 stopped || fail "TERM did not end it: $(oci state k1)"
[ "$(cat "$D/out")" = "ready
usr1
term" ] || fail "output: $(cat "$D/out")"
oci kill k1 TERM 2>/dev/null && fail "kill of a stopped container succeeded"
oci delete k1 || fail "delete k1"

# SIGKILL (and --all) of a running container: everything goes
make_bundle "$D/s" 'c["process"]["args"] = ["sh", "-c", "trap \"\" TERM; sleep 100"]'
oci create -b "$D/s" k2 >/dev/null 2>&1 && oci start k2 || fail "create k2"
pid=$(state_field k2 pid)
oci kill --all k2 KILL || fail "kill --all KILL"
wait_status k2 stopped || fail "KILL did not end it"
gone "$pid" || fail "the container's process $pid survived"
oci delete k2 || fail "delete k2"

# a created container, killed before start; then delete --force of a running one
oci create -b "$D/s" k3 >/dev/null 2>&1 || fail "create k3"
oci kill k3 SIGTERM || fail "kill of a created container"
wait_status k3 stopped || fail "created container not stopped by TERM"
oci delete k3 || fail "delete k3"
oci create -b "$D/s" k4 >/dev/null 2>&1 && oci start k4 || fail "create k4"
oci delete --force k4 || fail "delete --force"
oci state k4 2>/dev/null && fail "k4 still there"
oci delete --force nosuch || fail "delete --force of a missing container"
oci delete nosuch 2>/dev/null && fail "delete of a missing container"
echo "kill by name and number, KILL, before start, delete --force"
