#!/bin/sh
# --cpu-time: the CPU time of all guest processes together, live and exited. Two busy loops
# under --cpu-time 1 end the run: exit 122, the message on stderr, limit_hit "cpu-time" in
# --json, every guest process gone. Sleeping costs no CPU time, and CPU time spent by a child
# that has exited still counts. The duration parser is the one --timeout uses.
B=${1:-build}
. "$(dirname "$0")/proctree.sh"
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
fail() { echo "$*"; exit 1; }
SB="$B/sandbox"

json() {
	/usr/bin/python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); sys.exit(0 if eval(sys.argv[2]) else 1)' "$1" "$2" ||
		fail "$1: expected $2, got $(cat "$1")"
}

timeout -k 2 30 "$SB" run --cpu-time 1 --json "$d/busy.json" -- /bin/sh -c 'while :; do :; done & while :; do :; done' 2>"$d/busy.err" &
cli=$!
pids=$(tree_at_least $cli 4)
wait $cli; rc=$?
sleep 0.3
[ $rc -eq 122 ] || fail "CPU bomb: expected exit 122, got $rc: $(cat "$d/busy.err")"
grep -q "^sandbox: CPU time limit (1s) reached: every guest process was killed" "$d/busy.err" ||
	fail "CPU bomb: no message: $(cat "$d/busy.err")"
json "$d/busy.json" 'j["exit_code"] == 122 and j["limit_hit"] == "cpu-time" and j["limits_reached"] == ["cpu-time"] and not j["sandbox_error"] and 1.0 <= j["guest_cpu_time_s"] < 3'
[ "$(echo $pids | wc -w)" -ge 4 ] || fail "CPU bomb: guest was not running ($pids)"
left=$(alive $pids)
[ -z "$left" ] || fail "CPU bomb: left behind:$left"

# A child that used 0.6 s and exited, then a parent that uses 0.6 s: 1.2 s together.
timeout -k 2 30 "$SB" run --cpu-time 1s -- /usr/bin/python3 -c '
import os, time
def spin(s):
    t = time.process_time()
    while time.process_time() - t < s: pass
pid = os.fork()
if pid == 0:
    spin(0.6); os._exit(0)
os.waitpid(pid, 0)
print("child done", flush=True)
spin(0.6)
print("not reached")
' >"$d/seq.out" 2>/dev/null
rc=$?
[ $rc -eq 122 ] && [ "$(cat "$d/seq.out")" = "child done" ] || fail "exited child's time: exit $rc, output: $(cat "$d/seq.out")"

out=$(timeout -k 2 30 "$SB" run --cpu-time 500ms -- /bin/sh -c 'sleep 1; echo slept'); rc=$?
[ $rc -eq 0 ] && [ "$out" = slept ] || fail "sleeping should not count: exit $rc, $out"
for bad in 0 -1 abc 5x 1ms2; do
	"$SB" run --cpu-time "$bad" -- /bin/true 2>/dev/null
	[ $? -eq 123 ] || fail "--cpu-time $bad: expected a usage error (123)"
done
echo '{"cpu-time": "1s"}' >"$d/p.json"
timeout -k 2 30 "$SB" run --profile "$d/p.json" -- /bin/sh -c 'while :; do :; done' 2>/dev/null
[ $? -eq 122 ] || fail "profile cpu-time not applied"
echo "CPU time limit: busy loops and an exited child's time end the run with exit 122; sleep is free"
