#!/bin/sh
# spec -> create (loaded, not running; state "created", pid-file) -> start (the process runs:
# its output) -> stopped -> delete; `run` returns the process's exit status (and 128+N for a
# signal); list shows containers, as a table and as JSON.
. "$(dirname "$0")/lib.sh"
make_bundle "$D/b" 'c["process"]["args"] = ["sh", "-c", "echo hello $FOO from $(hostname) in $(pwd); cat /etc/name; echo done > /tmp/x; cat /tmp/x; head -c 2000000 /dev/zero > /tmp/big 2>/dev/null || echo full"]
c["process"]["env"].append("FOO=foo")
c["process"]["cwd"] = "/bin"
c["hostname"] = "box1"
c["annotations"] = {"org.test": "yes"}
c["mounts"].append({"destination": "/tmp", "type": "tmpfs", "source": "tmpfs", "options": ["size=1m"]})'

oci create --bundle "$D/b" --pid-file "$D/pid" c1 >"$D/out" 2>&1 || fail "create: $(cat "$D/out")"
[ "$(state_field c1 status)" = created ] || fail "after create: $(oci state c1)"
pid=$(state_field c1 pid)
[ "$pid" = "$(cat "$D/pid")" ] && kill -0 "$pid" || fail "pid $pid, pid-file $(cat "$D/pid")"
[ "$(state_field c1 bundle)" = "$D/b" ] || fail "bundle: $(oci state c1)"
[ "$(state_field c1 annotations)" = "{'org.test': 'yes'}" ] || fail "annotations: $(oci state c1)"
sleep 0.2
[ ! -s "$D/out" ] || fail "the process ran before start: $(cat "$D/out")"
oci list | grep -q '^c1 .* created ' || fail "list: $(oci list)"
oci start c1 || fail "start failed"
wait_status c1 stopped || fail "not stopped: $(oci state c1)"
[ "$(cat "$D/out")" = "hello foo from box1 in /bin
container
done
full" ] || fail "output: $(cat "$D/out")"
[ "$(state_field c1 pid)" = 0 ] || fail "stopped pid: $(oci state c1)"
oci start c1 2>/dev/null && fail "a stopped container started again"
oci list --format json | "$PY" -c 'import json,sys; l=json.load(sys.stdin); assert [x["id"] for x in l] == ["c1"] and l[0]["status"] == "stopped", l' ||
	fail "list --format json: $(oci list --format json)"
oci delete c1 || fail "delete failed"
oci state c1 2>/dev/null && fail "state after delete"
[ -z "$(ls "$ROOT")" ] || fail "left in the root: $(ls "$ROOT")"

# run: create + start + wait, the exit status, then the container is gone
make_bundle "$D/r" 'c["process"]["args"] = ["sh", "-c", "echo run; exit 3"]'
out=$(oci run --bundle "$D/r" r1 2>&1)
rc=$?
[ "$rc" = 3 ] && [ "$out" = run ] || fail "run: exit $rc, output $out"
oci state r1 2>/dev/null && fail "run left r1 behind"
# (killed from outside: a pid-namespace init ignores its own SIGKILL)
make_bundle "$D/k" 'c["process"]["args"] = ["sleep", "30"]'
(i=0; until wait_status k1 running && oci kill k1 KILL; do [ $i -gt 100 ] && break; sleep 0.1; i=$((i + 1)); done) &
oci run -b "$D/k" k1 >/dev/null 2>&1
rc=$?
wait
[ "$rc" = 137 ] || fail "run of a process killed by SIGKILL: exit $rc"
# --detach: runs in the background, state "running" until it ends
make_bundle "$D/d" 'c["process"]["args"] = ["sh", "-c", "sleep 0.5"]'
oci run --detach -b "$D/d" d1 >/dev/null 2>&1 || fail "run --detach failed"
[ "$(state_field d1 status)" = running ] || fail "detached: $(oci state d1)"
wait_status d1 stopped || fail "detached run did not end"
oci delete d1 || fail "delete d1"
# --preserve-fds N: the caller's fds 3 to 3+N-1 reach the process, the others do not
make_bundle "$D/f" 'c["process"]["args"] = ["sh", "-c", "cat <&3; echo to-fd4 >&4; echo x >&5 || echo no-fd5"]'
echo from-fd3 > "$D/in3"
out=$(oci run --preserve-fds 2 -b "$D/f" pf 3<"$D/in3" 4>"$D/out4" 5>"$D/out5" 2>/dev/null)
[ "$out" = "from-fd3
no-fd5" ] && [ "$(cat "$D/out4")" = to-fd4 ] && [ ! -s "$D/out5" ] ||
	fail "--preserve-fds: $out / $(cat "$D/out4") / $(cat "$D/out5")"
# `sandbox run PROGRAM -d` stays the plain run (the OCI run needs its options first)
out=$("$SB" run /bin/echo -d plain 2>&1)
[ "$out" = "-d plain" ] || fail "sandbox run /bin/echo -d plain: $out"
# a running container's process keeps no zombie child (the start waiter is reaped)
make_bundle "$D/z" 'c["process"]["args"] = ["sleep", "30"]'
oci create --bundle "$D/z" z1 >/dev/null 2>&1 || fail "create z1"
zpid=$(state_field z1 pid)
oci start z1 || fail "start z1"
i=0; while ps -o stat= --ppid "$zpid" | grep -q Z && [ $i -lt 30 ]; do sleep 0.1; i=$((i + 1)); done
ps -o stat= --ppid "$zpid" | grep -q Z && fail "a zombie child of the container's process: $(ps -o pid,stat,args --ppid "$zpid")"
oci kill z1 KILL; wait_status z1 stopped; oci delete z1
echo "create, start, state, run, list, delete, preserve-fds, no zombie"
