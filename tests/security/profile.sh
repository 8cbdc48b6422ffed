#!/bin/sh
# --profile FILE: a JSON object of options applies like the command line; later command-line
# options win; unknown keys, wrong types and bad JSON are one-line usage errors (exit 123).
B=${1:-build}
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
fail() { echo "$*"; exit 1; }
cat >"$d/p.json" <<'J'
{"env": {"GREETING": "hi"}, "clearenv": true, "hostname": "agentbox", "cwd": "/usr",
 "pids": 8, "timeout": 20, "json": "RESULT"}
J
sed -i "s|RESULT|$d/result.json|" "$d/p.json"
out=$("$B/sandbox" run --profile "$d/p.json" -- /bin/sh -c 'echo $GREETING; hostname; pwd; env | grep -c HOME')
[ "$out" = "hi
agentbox
/usr
0" ] || fail "profile options not applied: $out"
[ -s "$d/result.json" ] || fail "profile \"json\" not applied"
out=$("$B/sandbox" run --profile "$d/p.json" --hostname override -- /bin/hostname)
[ "$out" = override ] || fail "command line should win over the profile: $out"
out=$("$B/sandbox" run --profile "$d/p.json" -- /usr/bin/python3 -c '
import os, errno
n = 0
try:
    while True:
        if os.fork() == 0: os._exit(0)
        n += 1
except OSError as e: print(n < 8, e.errno == errno.EAGAIN)')
[ "$out" = "True True" ] || fail "profile pids not applied: $out"
for bad in '{"bogus": 1}' '{"timeout": [1]}' '{"clearenv": "yes"}' '{"env": 5}' '{"timeout": ' '[1]'; do
	echo "$bad" >"$d/bad.json"
	msg=$("$B/sandbox" run --profile "$d/bad.json" -- /bin/true 2>&1); rc=$?
	[ $rc -eq 123 ] || fail "profile $bad: expected exit 123, got $rc"
	[ "$(echo "$msg" | wc -l)" -eq 1 ] || fail "profile $bad: expected one line: $msg"
done
echo "profiles apply, command line wins, bad profiles are clear usage errors"
