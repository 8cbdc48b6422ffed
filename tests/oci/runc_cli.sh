#!/bin/sh
# Details of runc's command line that runc's own integration tests (tests/oci/runc_bats.sh)
# check and scripts lean on: exec has a terminal only with --tty (not from the container's
# process.terminal), and in the foreground one of its own without a console socket; exec's
# own failures exit 255, apart from the process's statuses; --process may be a pipe;
# options may follow the container's id; kill --all and signal 0 on a stopped container;
# list and ps print JSON on one line; ps of a stopped container prints ps's header alone;
# the spec's devpts options are /dev/pts's.
. "$(dirname "$0")/lib.sh"
make_bundle "$D/b" 'c["process"]["terminal"] = True
c["process"]["args"] = ["sleep", "1000"]'

# the container's terminal goes to a console socket held by a helper of ours
"$PY" - "$D/tty.sock" <<'PYEOF' &
import os, socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1])
s.listen(1)
s.settimeout(30)
fds = socket.recv_fds(s.accept()[0], 1, 1)[1]
time.sleep(60)
PYEOF
holder=$!
i=0
while [ ! -S "$D/tty.sock" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
oci run -d -b "$D/b" --console-socket "$D/tty.sock" c1 </dev/null || fail "run -d"

out=$(oci exec c1 echo plain 2>&1) && [ "$out" = plain ] || fail "exec without --tty: $out"
out=$(oci exec -t c1 sh -c 'test -t 0 && test -t 1 && tty' </dev/null 2>&1) &&
	echo "$out" | grep -q '^/dev/pts/[0-9]' || fail "exec -t in the foreground: $out"
# the spec's devpts options (gid=5,mode=620,ptmxmode=666) are /dev/pts's: terminals of the
# tty group, as runc's
out=$(oci exec -t c1 sh -c 'stat -c %u:%g:%a $(tty) /dev/pts/ptmx' </dev/null 2>&1 | tr -d '\r')
[ "$out" = "0:5:620
0:0:666" ] || fail "terminal owner and mode: $out"
oci exec c1 sh -c 'exit 42' 2>/dev/null
[ $? = 42 ] || fail "exec: the process's status"
for bad in "c1 /no/such/program" "nosuch true" "--pid-file $D/no/such/dir c1 true"; do
	# shellcheck disable=SC2086
	oci exec $bad >/dev/null 2>&1
	rc=$?
	[ $rc = 255 ] || fail "exec $bad: exit $rc, not 255"
done
out=$(echo '{"args": ["echo", "piped"], "cwd": "/"}' | oci exec -p /dev/stdin c1 2>&1)
[ "$out" = piped ] || fail "exec --process from a pipe: $out"

[ "$(oci list --format json | wc -l)" = 1 ] || fail "list --format json: not one line"
[ "$(oci ps --format json c1 | wc -l)" = 1 ] || fail "ps --format json: not one line"
oci kill c1 0 || fail "kill c1 0"
oci kill c1 KILL && wait_status c1 stopped || fail "kill KILL"
oci kill --all c1 0 || fail "kill --all of a stopped container"
oci kill c1 0 2>/dev/null && fail "kill of a stopped container"
out=$(oci ps c1) && [ "$(echo "$out" | wc -l)" = 1 ] && echo "$out" | grep -q PID ||
	fail "ps of a stopped container: $out"
oci delete c1 || fail "delete c1"
make_bundle "$D/p" 'c["process"]["args"] = ["sleep", "1000"]'
oci run -d -b "$D/p" c2 </dev/null || fail "run -d c2"
# events: --stats once; a stream every --interval until the container goes; its checks
out=$(oci events --stats c2) || fail "events --stats: $out"
echo "$out" | "$PY" -c '
import json, sys
lines = sys.stdin.read().splitlines()
assert len(lines) == 1, lines
e = json.loads(lines[0])
assert list(e) == ["type", "id", "data"] and e["type"] == "stats" and e["id"] == "c2", e
for k in ("cpu", "memory", "pids", "blkio", "hugetlb"):
    assert k in e["data"], (k, e)
assert e["data"]["cpu"]["usage"]["user"] >= 0, e' || fail "events --stats: $out"
: >"$D/events.log"
oci events --interval 100ms c2 >>"$D/events.log" &
ev=$!
i=0
while [ "$(grep -c '"type":"stats","id":"c2"' "$D/events.log")" -lt 2 ] && [ $i -lt 100 ]; do
	sleep 0.1; i=$((i + 1))
done
[ $i -lt 100 ] || fail "events --interval 100ms: $(cat "$D/events.log")"
oci events --interval 0 c2 2>/dev/null && fail "events --interval 0"
oci events --interval 1x c2 2>/dev/null && fail "events --interval 1x"
oci delete c2 --force || fail "delete ID --force"
i=0
while kill -0 $ev 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
kill -0 $ev 2>/dev/null && fail "events went on after the container was deleted"
oci events --stats c2 2>/dev/null && fail "events of a deleted container"
[ -z "$(oci list -q)" ] || fail "left: $(oci list -q)"
make_bundle "$D/badpts" 'c["mounts"] = [m if m["type"] != "devpts" else dict(m, options=["gid=tty"]) for m in c["mounts"]]'
out=$(oci create -b "$D/badpts" c3 2>&1) && fail "devpts gid=tty accepted"
[ "$(echo "$out" | wc -l)" = 1 ] || fail "devpts gid=tty: $out"
# -h / --help of every command: its synopsis, exit 0 (runc's help.bats); after an exec's or
# a ps's id the words are the command's own
for c in create start run state kill delete list ps exec pause resume update events spec features checkpoint; do
	for h in -h --help; do
		out=$(oci $c $h 2>&1) || fail "$c $h: exit $?: $out"
		echo "$out" | grep -q "^usage: sandbox .*$c" || fail "$c $h: $out"
	done
done
out=$(oci -h) && echo "$out" | grep -q "^usage: sandbox run" || fail "sandbox --root DIR -h: $out"
out=$(oci exec nosuch ls -h 2>&1) && fail "exec ID ls -h took -h: $out"
echo "$out" | grep -q "nosuch" || fail "exec ID ls -h: $out"
out=$(oci state 2>&1) && fail "state without an id"
[ "$out" = "sandbox: usage: sandbox state ID" ] || fail "state's usage error: $out"
# --debug with --log: the debug lines (the CLI's and the sentry's) go to the log in its
# format, none to stderr; without --log, to stderr
make_bundle "$D/dbg" "c['process']['args'] = ['echo', 'hi']"
for fmt in text json; do
	rm -f "$D/dbg.log"
	out=$(cd "$D/dbg" && oci --log "$D/dbg.log" --log-format $fmt --debug run dbg 2>&1)
	[ "$out" = hi ] || fail "--debug --log ($fmt): stdout and stderr: $out"
	case $fmt in
	text) grep -q '^time="[^"]*" level=debug msg="+[0-9.]* ms \[1\] sentry started"$' "$D/dbg.log" ;;
	json) "$PY" -c 'import json, sys
ls = [json.loads(l) for l in open(sys.argv[1])]
sys.exit(0 if any(l["level"] == "debug" and l["msg"].endswith("[1] sentry started") for l in ls) else 1)' "$D/dbg.log" ;;
	esac || fail "--debug --log ($fmt): $(head -3 "$D/dbg.log")"
done
out=$(cd "$D/dbg" && oci --debug run dbg 2>&1 >/dev/null)
echo "$out" | grep -q "^sandbox: debug: .* sentry started$" || fail "--debug without --log: $out"
kill "$holder" 2>/dev/null
echo "runc's command line: exec's terminal, its 255, --process from a pipe, options after the id, kill 0 and --all, one-line JSON, ps when stopped, devpts options, events, -h of each command, --debug to --log"
