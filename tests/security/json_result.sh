#!/bin/sh
# --json FILE: one JSON object per run with the documented fields and values that match what
# happened (exit, signal vs. an exit code above 128, timeout, denials). --json-fd N: the same
# to the caller's fd N (a pipe here), which the program does not get.
B=${1:-build}
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
"$B/sandbox" run --json "$d/exit.json" -- /bin/sh -c 'exit 137'
"$B/sandbox" run --json "$d/kill.json" -- /bin/sh -c 'kill -9 $$'
"$B/sandbox" run --json "$d/timeout.json" --timeout 0.5 -- /bin/sleep 5 2>/dev/null
"$B/sandbox" run --json "$d/deny.json" -- /usr/bin/python3 -c \
	'import ctypes; l = ctypes.CDLL(None); l.syscall(1000); l.syscall(246, 0, 0, 0, 0)'
# denials made before a kill by the timeout still count
"$B/sandbox" run --json "$d/denytimeout.json" --timeout 3 -- /usr/bin/python3 -c \
	'import ctypes, time; l = ctypes.CDLL(None); l.syscall(1000); l.syscall(246, 0, 0, 0, 0); time.sleep(30)' 2>/dev/null
# and so does the CPU the guest used before such a kill
"$B/sandbox" run --json "$d/busytimeout.json" --timeout 1 -- /bin/sh -c 'while :; do :; done' 2>/dev/null
# --json-fd: the result through a pipe on fd 3; fd 3 is not the program's
"$B/sandbox" run --json-fd 3 -- /bin/sh -c 'echo x 2>/dev/null >&3 && echo leaked; exit 5' \
	3>&1 >"$d/fdout.txt" | cat > "$d/fd.json"
/usr/bin/python3 - "$d" <<'PY'
import json, sys
d = sys.argv[1]
def load(n):
    j = json.load(open(f"{d}/{n}.json"))
    need = {"exit_code", "signal", "timed_out", "sandbox_error", "wall_time_s", "cpu_time_s",
            "user_time_s", "system_time_s", "peak_memory_bytes", "denials"}
    assert need <= set(j), (n, need - set(j))
    assert j["wall_time_s"] > 0 and j["cpu_time_s"] >= 0 and j["peak_memory_bytes"] > 0, (n, j)
    return j
e, k, t, dn = load("exit"), load("kill"), load("timeout"), load("deny")
assert e["exit_code"] == 137 and e["signal"] is None, e
assert k["exit_code"] == 137 and k["signal"] == 9, k
assert t["exit_code"] == 124 and t["timed_out"] is True and t["limit_hit"] == "timeout" and 0.4 < t["wall_time_s"] < 5, t
assert e["limit_hit"] is None, e
assert dn["denials"] == 2 and not dn["sandbox_error"], dn
dt = load("denytimeout")
assert dt["exit_code"] == 124 and dt["denials"] == 2, dt
bt = load("busytimeout")
assert bt["exit_code"] == 124 and bt["guest_cpu_time_s"] > 0.05, bt  # (it read 0 before; a loaded machine gives the loop little CPU)
fj = load("fd")
assert fj["exit_code"] == 5, fj
assert open(f"{d}/fdout.txt").read() == "", "fd 3 reached the program"
print("json results: exit, kill, timeout and denials reported correctly; --json-fd too")
PY
