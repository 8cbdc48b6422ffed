#!/bin/sh
# A crash inside the sentry prints a backtrace, ends with status 125 and leaves no guest
# process behind (--selftest-crash writes to address 1 about 0.3 s after the guest starts).
B=${1:-build}
. "$(dirname "$0")/proctree.sh"
err=$(mktemp)
trap 'rm -f "$err"' EXIT
"$B/sandbox" run --selftest-crash -- /usr/bin/python3 -c 'import time; time.sleep(30)' 2>"$err" &
cli=$!
# the process tree once the guest runs: the gofer, the sentry, the zygote and the guest's
# stub (the crash comes 0.3 s later; a loaded machine may take longer to get there)
for i in $(seq 100); do
	pids=$(tree $cli)
	[ "$(echo $pids | wc -w)" -ge 4 ] && break
	sleep 0.02
done
wait $cli; rc=$?
sleep 0.3
left=$(alive $pids)
[ $rc -eq 125 ] || { echo "expected exit 125, got $rc: $(cat "$err")"; exit 1; }
grep -q "fatal: sentry crashed with signal 11" "$err" || { echo "no fatal message: $(cat "$err")"; exit 1; }
grep -q "#1 0x" "$err" || { echo "no backtrace: $(cat "$err")"; exit 1; }
[ "$(echo $pids | wc -w)" -ge 4 ] || { echo "the guest was not running yet ($pids)"; exit 1; }
[ -z "$left" ] || { echo "left behind:$left"; exit 1; }
echo "sentry crash: backtrace, exit 125, nothing left behind"; exit 0
