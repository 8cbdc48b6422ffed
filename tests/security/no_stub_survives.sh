#!/bin/sh
# No host process started for the guest (gofer, sentry, stubs) outlives `sandbox`, even when
# `sandbox` itself is SIGKILLed: collect the whole process tree under the CLI, kill the CLI,
# and check that every process of that tree is gone.
B=${1:-build}
. "$(dirname "$0")/proctree.sh"
"$B/sandbox" run -- /usr/bin/python3 -c 'import time; time.sleep(30)' &
cli=$!
pids=$(tree_at_least $cli 4) # the gofer, the sentry, the zygote, the guest's stub
n=$(echo $pids | wc -w)
kill -9 $cli
wait $cli 2>/dev/null
# (they die at once, but an exit takes its time: up to 5 s on a loaded machine or under ASan,
# whose leak check runs at the sentry's exit)
for i in $(seq 50); do
	left=$(alive $pids)
	[ -z "$left" ] && break
	sleep 0.1
done
if [ "$n" -lt 3 ]; then echo "expected gofer, sentry and stub under the CLI, saw $n"; exit 1; fi
if [ -n "$left" ]; then echo "left after SIGKILL of sandbox:$left"; exit 1; fi
echo "no process outlives sandbox after SIGKILL ($n were running)"; exit 0
