#!/bin/sh
# --timeout (exit 124, every guest process gone), --env/--clearenv, --cwd, and their usage errors.
B=${1:-build}
. "$(dirname "$0")/proctree.sh"
fail() { echo "$*"; exit 1; }

"$B/sandbox" run --timeout 1 -- /bin/sh -c 'sleep 30 & sleep 30' 2>/dev/null &
cli=$!
pids=$(tree_at_least $cli 4)
wait $cli; rc=$?
sleep 0.3
[ $rc -eq 124 ] || fail "--timeout: expected exit 124, got $rc"
[ "$(echo $pids | wc -w)" -ge 4 ] || fail "--timeout: guest was not running ($pids)"
left=$(alive $pids)
[ -z "$left" ] || fail "--timeout: left behind:$left"

out=$("$B/sandbox" run --clearenv --env A=1 --env B=2 --env A=3 -- /usr/bin/env)
[ "$out" = "A=3
B=2" ] || fail "--clearenv/--env: got: $out"
out=$(FOO=host "$B/sandbox" run --env BAR=x -- /bin/sh -c 'echo $FOO $BAR')
[ "$out" = "host x" ] || fail "--env keeps the host environment: got: $out"
out=$("$B/sandbox" run --cwd /usr/share -- /bin/pwd)
[ "$out" = /usr/share ] || fail "--cwd: got: $out"

out=$("$B/sandbox" run --hostname box1 --uid 1000 --gid 1001 -- /bin/sh -c 'hostname; id -u; id -g; touch /etc/x 2>&1 | grep -c "Permission denied"')
[ "$out" = "box1
1000
1001
1" ] || fail "--hostname/--uid/--gid: got: $out"

"$B/sandbox" run --hostname "" -- /bin/true 2>/dev/null
[ $? -eq 123 ] || fail "--hostname '': expected usage error 123"
out=$("$B/sandbox" run --files 16 -- /usr/bin/python3 -c '
import os, errno, resource
fds = []
try:
    while True: fds.append(os.open("/dev/null", os.O_RDONLY))
except OSError as e: print(e.errno == errno.EMFILE, max(fds) < 16, resource.getrlimit(resource.RLIMIT_NOFILE))')
[ "$out" = "True True (16, 16)" ] || fail "--files 16: got: $out"

out=$("$B/sandbox" run --fsize 10K -- /bin/sh -c 'head -c 20000 /dev/zero > /tmp/big; echo $?; stat -c %s /tmp/big' 2>/dev/null)
[ "$out" = "153
10240" ] || fail "--fsize 10K: got: $out"

for bad in "--fsize 10Q" "--files 2" "--uid -1" "--timeout 5x" "--timeout 0" "--env NOEQUALS" "--cwd relative" "--pids 0" "--bogus"; do
	# shellcheck disable=SC2086
	msg=$("$B/sandbox" run $bad -- /bin/true 2>&1); rc=$?
	[ $rc -eq 123 ] || fail "$bad: expected usage error 123, got $rc"
	[ "$(echo "$msg" | wc -l)" -eq 1 ] || fail "$bad: expected one line, got: $msg"
done
# Signals the caller ignores stay ignored for the first program (nohup, background jobs),
# as fork and exec keep them natively; handled ones do not leak in.
show='import signal; print(*(int(signal.getsignal(s)) for s in (signal.SIGHUP, signal.SIGUSR1, signal.SIGUSR2)))'
want=$(/bin/sh -c "trap '' HUP USR1; trap 'echo' USR2; exec /usr/bin/python3 -c '$show'")
got=$(/bin/sh -c "trap '' HUP USR1; trap 'echo' USR2; exec \"$B/sandbox\" run --quiet -- /usr/bin/python3 -c '$show'")
[ "$want" = "1 1 0" ] || fail "ignored signals natively: $want"
[ "$got" = "$want" ] || fail "ignored signals inherited: got $got, want $want"
echo "timeout, env, clearenv, cwd, usage errors and inherited ignored signals behave"
