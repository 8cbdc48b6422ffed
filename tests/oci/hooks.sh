#!/bin/sh
# Hooks, with the container's state on stdin: prestart, createRuntime and createContainer on
# the host during create, in that order (a failure or a timeout fails create and leaves
# nothing), startContainer inside the container at start before its program goes on (its
# path the container's, under the container's seccomp filter; one that fails ends the
# container and start), poststart after start, poststop after delete; a hook writing
# through /proc/PID/root reaches the container's rootfs, not the host's /.
. "$(dirname "$0")/lib.sh"
make_bundle "$D/b" "c['process']['args'] = ['sh', '-c', 'echo ran; cat /tmp/started']
c['root']['readonly'] = False
c['hooks'] = {
  'prestart': [{'path': '/bin/sh', 'args': ['sh', '-c', 'cat > $D/prestart']}],
  'createRuntime': [{'path': '/bin/sh', 'args': ['sh', '-c', 'cat > $D/createRuntime; echo >> $D/createRuntime; echo \$HOOKVAR >> $D/createRuntime'], 'env': ['HOOKVAR=v1']}],
  'createContainer': [{'path': '/bin/sh', 'args': ['sh', '-c', 'test -s $D/createRuntime && cat > $D/createContainer']}],
  'startContainer': [{'path': '/bin/sh', 'args': ['sh', '-c', 'cat > /tmp/started; echo >> /tmp/started; echo \$HOOKVAR >> /tmp/started; echo in-container >> /tmp/started'], 'env': ['HOOKVAR=v2']}],
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
grep -q '"status":"created"' "$D/createContainer" || fail "createContainer got: $(cat "$D/createContainer")"
[ ! -e "$D/b/rootfs/tmp/started" ] || fail "startContainer ran before start"
[ ! -e "$D/poststart" ] || fail "poststart ran before start"
oci start h1 || fail "start"
[ -s "$D/poststart" ] || fail "poststart did not run"
wait_status h1 stopped || fail "not stopped"
[ ! -e "$D/poststop" ] || fail "poststop ran before delete"
oci delete h1 || fail "delete"
grep -q '"id":"h1"' "$D/poststop" || fail "poststop got: $(cat "$D/poststop")"
out=$(sed 1,1d "$D/out")
[ "$(head -1 "$D/out")" = ran ] && echo "$out" | head -1 | grep -q '"id":"h1"' &&
	[ "$(echo "$out" | sed 1d)" = "v2
in-container" ] || fail "output: $(cat "$D/out")"

# a startContainer hook runs under the container's seccomp filter; one that fails (here
# killed by it) ends the container, and start fails saying why
make_bundle "$D/s" "c['process']['args'] = ['sh', '-c', 'echo ran']
c['linux']['seccomp'] = {'defaultAction': 'SCMP_ACT_ALLOW', 'architectures': ['SCMP_ARCH_X86_64'],
  'syscalls': [{'names': ['mkdir', 'mkdirat'], 'action': 'SCMP_ACT_KILL'}]}
c['hooks'] = {'startContainer': [{'path': '/bin/sh', 'args': ['sh', '-c', 'mkdir /tmp/x']}]}"
oci create -b "$D/s" h4 >"$D/out" 2>&1 || fail "create h4: $(cat "$D/out")"
oci start h4 2>"$D/err" && fail "start with a failing startContainer hook succeeded"
grep -q "error running hook: startContainer /bin/sh: killed by signal 31 (bad system call)" "$D/err" ||
	fail "start h4: $(cat "$D/err")"
wait_status h4 stopped || fail "h4 did not end"
[ ! -s "$D/out" ] || fail "h4's program ran: $(cat "$D/out")"
oci delete h4 || fail "delete h4"

# the state's pid has the container's rootfs as its root, in a mount namespace of its
# own (as runc's init): a hook that writes through /proc/PID/root (as GPU toolkits do)
# writes into the rootfs, never into the host's /; the container sees the file; the CLI's
# watch (its /proc reads) and exec still work; when the container ends, its exec.sock goes
mark=sbhook$$
[ ! -e "/$mark" ] || fail "/$mark exists on the host"
cat >"$D/roothook" <<'EOF'
#!/bin/sh
pid=$(sed -n 's/.*"pid":\([0-9]*\).*/\1/p')
echo hooked > "/proc/$pid/root/$1"
EOF
chmod +x "$D/roothook"
make_bundle "$D/r" "c['process']['args'] = ['sh', '-c', 'cat /$mark; read x < /etc/name; echo \$x; while [ ! -e /tmp/stop ]; do sleep 0.05; done']
c['root']['readonly'] = False
c['hooks'] = {'createRuntime': [{'path': '$D/roothook', 'args': ['roothook', '$mark']}]}"
oci create -b "$D/r" h3 >"$D/out" 2>&1 || fail "create (root hook): $(cat "$D/out")"
if [ -e "/$mark" ]; then rm -f "/$mark"; fail "the hook wrote into the host's /"; fi
[ "$(cat "$D/r/rootfs/$mark" 2>/dev/null)" = hooked ] || fail "the hook's file is not in the rootfs"
pid=$(state_field h3 pid)
[ "$(readlink "/proc/$pid/ns/mnt")" != "$(readlink /proc/self/ns/mnt)" ] || fail "the host's mount namespace"
[ "$(cat "/proc/$pid/root/etc/name")" = container ] || fail "/proc/PID/root is not the rootfs"
oci start h3 || fail "start h3"
[ "$(oci exec h3 cat /$mark)" = hooked ] || fail "exec in h3"
i=0; while [ "$(wc -l <"$D/out")" -lt 2 ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
[ "$(cat "$D/out")" = "hooked
container" ] || fail "h3 printed: $(cat "$D/out")"
touch "$D/r/rootfs/tmp/stop"
wait_status h3 stopped || fail "h3 did not end"
[ ! -e "$ROOT/h3/exec.sock" ] || fail "exec.sock left after the end"
oci delete h3 || fail "delete h3"

for hook in "'createRuntime': [{'path': '/bin/sh', 'args': ['sh', '-c', 'exit 3']}]" \
	    "'prestart': [{'path': '/bin/sleep', 'args': ['sleep', '20'], 'timeout': 1}]" \
	    "'createContainer': [{'path': '/bin/false'}]" \
	    "'startThis': [{'path': '/bin/true'}]" \
	    "'poststart': [{'path': 'relative'}]"; do
	rm -rf "$D/f"
	make_bundle "$D/f" "c['process']['args'] = ['sh', '-c', 'echo ran']
c['hooks'] = {$hook}"
	oci create -b "$D/f" h2 >"$D/out" 2>"$D/err" && fail "create with $hook succeeded"
	[ ! -e "$ROOT/h2" ] || fail "$hook: left $ROOT/h2"
	[ ! -s "$D/out" ] || fail "$hook: the process ran"
done
echo "prestart, createRuntime, createContainer, startContainer (inside, under seccomp), poststart, poststop; /proc/PID/root is the rootfs; failing and slow hooks refused"
