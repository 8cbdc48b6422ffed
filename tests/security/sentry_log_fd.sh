#!/bin/sh
# The guest owns its fds 0-2; the sentry's own messages use a private copy of the caller's
# stderr. A guest that closes fd 2 and then opens a file (which takes host fd slot 2 if the
# sentry gave it up) must neither silence the sentry nor receive its messages.
# --stats prints a summary from the sentry after the guest has exited.
B=${1:-build}
err=$(mktemp); out=$(mktemp)
trap 'rm -f "$err" "$out"' EXIT
"$B/sandbox" run --stats -- /bin/sh -c 'exec 2>&-; exec 2>/tmp/f; cat /etc/hostname >/dev/null; cat /tmp/f' >"$out" 2>"$err"
rc=$?
[ $rc -eq 0 ] || { echo "expected exit 0, got $rc: $(cat "$err")"; exit 1; }
grep -q "trapped syscalls" "$err" || { echo "the sentry's summary did not reach stderr: $(cat "$err")"; exit 1; }
if grep -q "trapped syscalls" "$out"; then echo "the sentry wrote into the guest's file"; exit 1; fi
echo "sentry messages reach the caller's stderr after the guest closed its own"; exit 0
