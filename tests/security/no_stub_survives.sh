#!/bin/sh
# No host process started for the guest (gofer, sentry, stubs) outlives `sandbox`,
# even when `sandbox` itself is SIGKILLed. Stubs and the sentry are forks of the sandbox
# binary, so any leftover shows up as a process named "sandbox".
B=${1:-build}
before=$(pgrep -x sandbox | wc -l)
"$B/sandbox" run -- /usr/bin/python3 -c 'import time; time.sleep(30)' &
pid=$!
sleep 1.5
during=$(pgrep -x sandbox | wc -l)
kill -9 $pid
wait $pid 2>/dev/null
sleep 0.5
after=$(pgrep -x sandbox | wc -l)
if [ "$during" -le "$before" ]; then echo "sandbox did not start (before=$before during=$during)"; exit 1; fi
if [ "$after" -gt "$before" ]; then echo "$((after - before)) sandbox processes left after SIGKILL"; exit 1; fi
echo "no process outlives sandbox after SIGKILL ($((during - before)) were running)"; exit 0
