#!/bin/sh
# A fork bomb under --pids 64 ends (here: after 20 s at most, by timeout) with fork failing
# with EAGAIN inside, and the host unaffected: no process of it is left afterwards.
B=${1:-build}
. "$(dirname "$0")/proctree.sh"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
timeout -k 2 20 "$B/sandbox" run --pids 64 -- /usr/bin/python3 -c '
import os, errno, time
kids, refused = 0, 0
for i in range(200):
    try:
        if os.fork() == 0:
            time.sleep(2); os._exit(0)
        kids += 1
    except OSError as e:
        refused += e.errno == errno.EAGAIN
print("forked", kids, "refused", refused)
while True:
    try: os.wait()
    except ChildProcessError: break
' >"$out" 2>&1
rc=$?
grep -q "^forked 63 refused 137$" "$out" || { echo "unexpected (exit $rc): $(cat "$out")"; exit 1; }
echo "fork bomb under --pids 64: $(cat "$out")"; exit 0
