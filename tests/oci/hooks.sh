#!/bin/sh
# Hooks that run on the host, with the container's state on stdin: prestart and
# createRuntime during create (a failure or a timeout fails create and leaves nothing),
# poststart after start, poststop after delete; createContainer and startContainer (which
# would run inside the container) are refused.
. "$(dirname "$0")/lib.sh"
make_bundle "$D/b" "c['process']['args'] = ['sh', '-c', 'echo ran']
c['hooks'] = {
  'prestart': [{'path': '/bin/sh', 'args': ['sh', '-c', 'cat > $D/prestart']}],
  'createRuntime': [{'path': '/bin/sh', 'args': ['sh', '-c', 'cat > $D/createRuntime; echo >> $D/createRuntime; echo \$HOOKVAR >> $D/createRuntime'], 'env': ['HOOKVAR=v1']}],
  'poststart': [{'path': '/bin/sh', 'args': ['sh', '-c', 'cat > $D/poststart']}],
  'poststop': [{'path': '/bin/sh', 'args': ['sh', '-c', 'cat > $D/poststop']}]}"
oci create -b "$D/b" h1 >"$D/out" 2>&1 || fail "create: $(cat "$D/out")"
pid=$(state_field h1 pid)
"$PY" - "$D/prestart" "$pid" <<'PYEOF' || fail "prestart got: $(cat "$D/prestart")"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["id"] == "h1" and s["status"] == "created" and s["pid"] == int(sys.argv[2]), s
PYEOF
head -1 "$D/createRuntime" | grep -q '"status":"created"' && [ "$(tail -1 "$D/createRuntime")" = v1 ] ||
	fail "createRuntime got: $(cat "$D/createRuntime")"
[ ! -e "$D/poststart" ] || fail "poststart ran before start"
oci start h1 || fail "start"
[ -s "$D/poststart" ] || fail "poststart did not run"
wait_status h1 stopped || fail "not stopped"
[ ! -e "$D/poststop" ] || fail "poststop ran before delete"
oci delete h1 || fail "delete"
grep -q '"id":"h1"' "$D/poststop" || fail "poststop got: $(cat "$D/poststop")"
[ "$(cat "$D/out")" = ran ] || fail "output: $(cat "$D/out")"

for hook in "'createRuntime': [{'path': '/bin/sh', 'args': ['sh', '-c', 'exit 3']}]" \
	    "'prestart': [{'path': '/bin/sleep', 'args': ['sleep', '20'], 'timeout': 1}]" \
	    "'createContainer': [{'path': '/bin/true'}]" \
	    "'poststart': [{'path': 'relative'}]"; do
	rm -rf "$D/f"
	make_bundle "$D/f" "c['process']['args'] = ['sh', '-c', 'echo ran']
c['hooks'] = {$hook}"
	oci create -b "$D/f" h2 >"$D/out" 2>"$D/err" && fail "create with $hook succeeded"
	[ ! -e "$ROOT/h2" ] || fail "$hook: left $ROOT/h2"
	[ ! -s "$D/out" ] || fail "$hook: the process ran"
done
echo "prestart, createRuntime, poststart, poststop; failing, slow and in-container hooks refused"
