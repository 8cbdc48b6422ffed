#!/bin/sh
# No host process started for the guest (gofer, sentry, stubs) outlives `sandbox`, even when
# `sandbox` itself is SIGKILLed: collect the whole process tree under the CLI, kill the CLI,
# and check that every process of that tree is gone.
B=${1:-build}
tree() { # pids of all descendants of $1
	for c in $(cat /proc/[0-9]*/stat 2>/dev/null | awk -v p="$1" '$4 == p {print $1}'); do
		echo "$c"; tree "$c"
	done
}
"$B/sandbox" run -- /usr/bin/python3 -c 'import time; time.sleep(30)' &
cli=$!
sleep 1.5
pids=$(tree $cli)
n=$(echo $pids | wc -w)
kill -9 $cli
wait $cli 2>/dev/null
sleep 0.5
left=""
for p in $pids; do
	# a zombie is dead already (reaping orphans is up to the host's init)
	state=$(awk '{print $3}' /proc/$p/stat 2>/dev/null)
	[ -n "$state" ] && [ "$state" != Z ] && left="$left $p($(cat /proc/$p/comm 2>/dev/null))"
done
if [ "$n" -lt 3 ]; then echo "expected gofer, sentry and stub under the CLI, saw $n"; exit 1; fi
if [ -n "$left" ]; then echo "left after SIGKILL of sandbox:$left"; exit 1; fi
echo "no process outlives sandbox after SIGKILL ($n were running)"; exit 0
