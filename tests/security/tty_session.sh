#!/bin/sh
# `sandbox run` on a terminal: the guest's own pty (isatty, size, ^C, SIGWINCH, job control)
# and the user's terminal settings restored on exit, timeout and sentry crash (tty_session.py).
B=${1:-build}
[ -x /usr/bin/python3 ] || { echo "no /usr/bin/python3"; exit 77; }
out=$(/usr/bin/python3 "$(dirname "$0")/tty_session.py" "$B/sandbox" 2>&1)
rc=$?
echo "$out" | grep FAIL
[ $rc -eq 0 ] || { echo "$out" | tail -n 3; exit 1; }
echo "$(echo "$out" | grep -c '^ok') terminal checks"
