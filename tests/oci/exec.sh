#!/bin/sh
# exec (runc exec): a new process in a running container with the config's environment,
# working directory and user, or the command line's; its output, stdin and exit status
# (128+N for signal N); signals the exec command gets reach the process; --preserve-fds;
# --detach with --pid-file leaves a waiter whose status is the process's (as conmon sees
# it); --process and bad --process files (create's errors); orphans go to the container's
# first process; everything ends with the container (exec then exits 137); errors are one
# line; malformed requests on exec.sock are refused and the container goes on.
. "$(dirname "$0")/lib.sh"
make_bundle "$D/b" 'c["process"]["args"] = ["sleep", "1000"]
c["process"]["env"].append("FOO=foo")
c["process"]["cwd"] = "/etc"
c["process"]["user"] = {"uid": 7, "gid": 8, "additionalGids": [9]}'

oci exec c1 true 2>/dev/null && fail "exec into a container that does not exist"
oci create --bundle "$D/b" c1 >/dev/null 2>&1 || fail "create failed"
# as runc: exec works in a created container, whose program waits for start meanwhile
out=$(oci exec c1 sh -c 'echo early; cat /proc/1/cmdline | tr "\\0" " "' 2>&1) || fail "exec into a created container: $out"
[ "$out" = "early
sleep 1000 " ] || fail "exec into a created container: $out"
oci state c1 | grep -q '"status": "created"' || fail "exec started the created container: $(oci state c1)"
oci start c1 || fail "start failed"

out=$(oci exec c1 sh -c 'echo FOO=$FOO; pwd; id; exit 3' 2>&1)
rc=$?
[ $rc = 3 ] && [ "$out" = "FOO=foo
/etc
uid=7 gid=8 groups=9" ] || fail "defaults from the config: exit $rc: $out"
out=$(oci exec --env FOO=bar --env NEW=1 --cwd /tmp --user 0:0 -g 5 c1 sh -c 'echo $FOO $NEW; pwd; id' 2>&1)
[ "$out" = "bar 1
/tmp
uid=0 gid=0 groups=9,5" ] || fail "options (gids added to the config's, as runc): $out"
out=$(echo piped | oci exec c1 cat 2>&1)
[ "$out" = piped ] || fail "stdin: $out"
out=$(oci exec c1 busybox ps -o pid,ppid,comm | tr -s ' ' | sed 's/^ //')
echo "$out" | grep -q '^1 0 sleep$' && echo "$out" | grep -q '^[0-9]* 0 busybox$' ||
	fail "exec's process is not a child of anything inside: $out"

oci exec c1 sh -c 'kill -KILL $$'
[ $? = 137 ] || fail "killed by SIGKILL: not 137"
"$SB" --root "$ROOT" exec c1 sleep 30 & # (not `oci ... &`: $! would be a subshell)
p=$!
sleep 0.5
kill -TERM $p
wait $p
[ $? = 143 ] || fail "SIGTERM to exec not relayed as SIGTERM"
"$SB" --root "$ROOT" exec c1 sh -c 'trap "echo caught; exit 9" USR1; echo ready; sleep 30 & wait' >"$D/trap" &
p=$!
i=0
while [ "$(cat "$D/trap")" != ready ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
kill -USR1 $p
wait $p
rc=$?
[ $rc = 9 ] && [ "$(cat "$D/trap")" = "ready
caught" ] || fail "SIGUSR1 handler: exit $rc: $(cat "$D/trap")"

# --detach: the waiter's pid goes to --pid-file; a subreaper (conmon) gets its status
"$PY" - "$SB" "$ROOT" "$D/pidf" <<'PYEOF' || fail "detach"
import ctypes, os, subprocess, sys, time
sb, root, pidf = sys.argv[1:]
ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
subprocess.run([sb, "--root", root, "exec", "--detach", "--pid-file", pidf, "c1",
                "sh", "-c", "sleep 0.3; exit 5"], check=True)
pid = int(open(pidf).read())
_, st = os.waitpid(pid, 0)
assert os.waitstatus_to_exitcode(st) == 5, st
PYEOF
"$PY" -c '
import json, sys
json.dump({"args": ["sh", "-c", "echo $P; pwd; id -u"], "env": ["P=from-file"], "cwd": "/bin",
           "user": {"uid": 3, "gid": 3}}, open(sys.argv[1], "w"))' "$D/proc.json"
out=$(oci exec --process "$D/proc.json" c1 2>&1)
[ "$out" = "from-file
/bin
3" ] || fail "--process: $out"

# --preserve-fds N: our fds 3 to 3+N-1 are the process's too
echo from-host >"$D/in3"
out=$(oci exec --preserve-fds 2 c1 sh -c 'cat <&3; echo to-four >&4; echo ok' 3<"$D/in3" 4>"$D/out4" 2>&1)
[ "$out" = "from-host
ok" ] && [ "$(cat "$D/out4")" = to-four ] || fail "--preserve-fds 2: $out; $(cat "$D/out4")"
out=$(oci exec c1 sh -c 'echo x >&3' 3>"$D/out3" 2>&1) && fail "fd 3 without --preserve-fds: $out"
[ ! -s "$D/out3" ] || fail "fd 3 reached the process without --preserve-fds"
out=$(oci exec --preserve-fds 2 c1 true 3</dev/null 2>&1) && fail "--preserve-fds of a closed fd"
[ "$out" = "sandbox: exec: --preserve-fds 2: fd 4 is not open" ] || fail "closed fd: $out"
out=$(oci exec --preserve-fds 33 c1 true 2>&1) && fail "--preserve-fds 33 accepted"
out=$(oci exec --preserve-fds -1 c1 true 2>&1) && fail "--preserve-fds -1 accepted"

# bad --process files: refused with create's one-line error for the same process object
badproc() {
	"$PY" -c '
import json, sys
p = {"args": ["true"], "cwd": "/", "env": ["A=1"], "user": {"uid": 0, "gid": 0}}
exec(sys.argv[2])
json.dump(p, open(sys.argv[1], "w"))' "$D/bad.json" "$2"
	out=$(oci exec --process "$D/bad.json" c1 2>&1) && fail "--process $1: ran"
	[ "$(echo "$out" | wc -l)" = 1 ] || fail "--process $1: not one line: $out"
	rm -rf "$D/bp" && make_bundle "$D/bp" "import json
c['process'] = json.load(open('$D/bad.json'))"
	want=$(oci create -b "$D/bp" bp </dev/null 2>&1) && fail "create with $1: accepted"
	[ "$out" = "$want" ] || fail "--process $1: '$out', create says '$want'"
}
badproc "without args" 'del p["args"]'
badproc "empty args" 'p["args"] = []'
badproc "args of numbers" 'p["args"] = [1]'
badproc "empty args[0]" 'p["args"] = [""]'
badproc "without cwd" 'del p["cwd"]'
badproc "relative cwd" 'p["cwd"] = "tmp"'
badproc "env without =" 'p["env"] = ["PATH"]'
badproc "env =value" 'p["env"] = ["=x"]'
badproc "env not strings" 'p["env"] = [7]'
badproc "long string" 'p["args"] = ["x" * 70000]'
badproc "uid a string" 'p["user"]["uid"] = "0"'
badproc "negative gid" 'p["user"]["gid"] = -1'
badproc "huge uid" 'p["user"]["uid"] = 1 << 40'
badproc "bad additionalGids" 'p["user"]["additionalGids"] = ["x"]'
badproc "too many additionalGids" 'p["user"]["additionalGids"] = list(range(300))'
badproc "terminal a string" 'p["terminal"] = "yes"'
badproc "unknown rlimit" 'p["rlimits"] = [{"type": "RLIMIT_BOGUS", "hard": 1, "soft": 1}]'
printf '[1]' >"$D/bad.json"
out=$(oci exec --process "$D/bad.json" c1 2>&1) && fail "--process of an array ran"
[ "$out" = "sandbox: $D/bad.json: expected a JSON object" ] || fail "--process array: $out"
printf '{"args": ["true"], "args": ["x"]}' >"$D/bad.json"
out=$(oci exec --process "$D/bad.json" c1 2>&1) && fail "--process with a duplicate key ran"
[ "$(echo "$out" | wc -l)" = 1 ] || fail "--process duplicate key: $out"
out=$(oci exec --process "$D/nosuch.json" c1 2>&1) && fail "a missing --process file ran"
[ "$(echo "$out" | wc -l)" = 1 ] || fail "--process missing: $out"

out=$(oci exec c1 /no/such 2>&1) && fail "a missing program ran"
[ "$(echo "$out" | wc -l)" = 1 ] && echo "$out" | grep -q "No such file" || fail "missing program: $out"
out=$(oci exec --cwd /nowhere c1 true 2>&1) && fail "a missing cwd worked"
echo "$out" | grep -q "working directory" || fail "missing cwd: $out"
out=$(oci exec --cwd rel c1 true 2>&1) && fail "a relative cwd worked"
out=$(oci exec --env NOEQUALS c1 true 2>&1) && fail "--env without =: $out"
out=$(oci exec --user x c1 true 2>&1) && fail "--user x: $out"
out=$(oci exec -t c1 true 2>&1) && fail "a terminal without --console-socket: $out"

# hostile requests straight to exec.sock: each refused, the container unharmed
"$PY" - "$ROOT/c1/exec.sock" <<'PYEOF' || fail "hostile requests"
import array, os, socket, struct, sys, time
path = sys.argv[1]
def conn():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.connect(path)
    s.settimeout(10)
    return s
def answer(s):
    try:
        return s.recv(256)
    except OSError:
        return b""
# struct exec_req: magic flags uid gid ngroups nargs nenv len have_caps pad caps[5]
hdr = lambda magic, flags, uid, gid, ng, na, ne, ln, hc=0, pad=0: (
    struct.pack("<IIiiIIIIII", magic, flags, uid, gid, ng, na, ne, ln, hc, pad) + bytes(40))
null = os.open("/dev/null", os.O_RDWR)
fds = [null] * 40
def send(s, data, nfds=3):
    anc = [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", fds[:nfds]))] if nfds else []
    s.sendmsg([data], anc)
M = 0x58454253
body = b"/\0echo\0hi\0"
cases = [
    (b"", 3), (b"xx", 3), (hdr(1, 0, 0, 0, 0, 2, 0, len(body)) + body, 3),
    (hdr(M, 0, 0, 0, 0, 2, 0, len(body)) + body, 0),             # no fds
    (hdr(M, 0, 0, 0, 0, 2, 0, len(body)) + body, 1),             # one fd
    (hdr(M, 0, 0, 0, 0, 2, 0, len(body)) + body, 36),            # more than 32 preserved
    (hdr(M, 0, 0, 0, 0, 5, 0, len(body)) + body, 3),             # more strings than sent
    (hdr(M, 0, 0, 0, 0, 2, 0, len(body) + 9) + body, 3),         # wrong length
    (hdr(M, 0, 0, 0, 4000000000, 2, 0, len(body)) + body, 3),    # absurd group count
    (hdr(M, 0, -5, 0, 0, 2, 0, len(body)) + body, 3),            # negative uid
    (hdr(M, 64, 0, 0, 0, 2, 0, len(body)) + body, 3),            # unknown flag
    (hdr(M, 0, 0, 0, 0, 2, 0, 9) + b"/\0echo\0hi", 3),           # last string not ended
    (hdr(M, 0, 0, 0, 0, 2, 0, 5) + b"/\0\0hi\0", 3),             # empty program name
    (hdr(M, 0, 0, 0, 0, 2, 0, len(body), 2) + body, 3),         # capabilities flag not 0/1
    (hdr(M, 0, 0, 0, 0, 2, 0, len(body), 0, 7) + body, 3),      # padding not zero
]
for data, n in cases:
    s = conn()
    if data or n:
        send(s, data, n)
    a = answer(s)
    assert a[:4] != struct.pack("<I", 1), ("started", data)
    s.close()
s = conn()          # says nothing: the listener goes on after its timeout
held = [conn() for _ in range(40)]   # many at once
for h in held:
    h.close()
s.close()
s = conn()
send(s, hdr(M, 0, 0, 0, 0, 2, 0, len(body)) + body)
a = answer(s)
assert a[:4] == struct.pack("<I", 1), a
PYEOF
out=$(oci exec c1 echo still here 2>&1)
[ "$out" = "still here" ] || fail "after hostile requests: $out"

# a state path too long for a socket address (podman's and docker's ids are 64 characters)
long=$(printf '%064d' 7)
oci create --bundle "$D/b" "$long" >/dev/null 2>&1 && oci start "$long" || fail "create $long"
[ ${#ROOT} -gt 30 ] || fail "the root path is too short to test a long socket path: $ROOT"
out=$(oci exec "$long" echo long path 2>&1)
[ "$out" = "long path" ] || fail "exec with a $((${#ROOT} + 75))-character socket path: $out"
oci delete --force "$long" || fail "delete $long"

# orphans go to the container's pid 1; everything ends with the container
oci exec c1 sh -c 'sleep 1001 & sleep 1001 & exit 0'
out=$(oci exec c1 busybox ps -o pid,ppid,args | tr -s ' ' | sed 's/^ //' | grep -c '^[0-9]* 1 sleep 1001$')
[ "$out" = 2 ] || fail "orphans: $(oci exec c1 busybox ps -o pid,ppid,args)"
"$SB" --root "$ROOT" exec c1 sleep 1000 &
p=$!
sleep 0.5
pids=$(oci ps --format json c1 | tr '[],' '   ')
oci kill c1 KILL
wait $p
[ $? = 137 ] || fail "exec after the container was killed: not 137"
wait_status c1 stopped || fail "not stopped"
for q in $pids; do gone "$q" || fail "left behind: $q"; done
oci exec c1 true 2>/dev/null && fail "exec into a stopped container"
oci delete c1 || fail "delete"
[ -z "$(ls "$ROOT")" ] || fail "left in the root: $(ls -R "$ROOT")"
# a cwd only the process's user may enter, and an exec as root with runc's default
# capabilities (no CAP_DAC_OVERRIDE): both get there, as runc's init enters it before it
# takes the user and capabilities (runc's cwd.bats)
make_bundle "$D/cw" "c['process']['args'] = ['sleep', '30']
c['process']['user']['uid'] = 42
c['process']['cwd'] = '/home42'"
mkdir -m 700 "$D/cw/rootfs/home42" && chown 42 "$D/cw/rootfs/home42"
oci create --bundle "$D/cw" cw >/dev/null 2>&1 || fail "create with a cwd of uid 42 failed"
oci start cw || fail "start cw"
out=$(oci exec --user 0 cw pwd 2>&1) || fail "exec --user 0 into a cwd it cannot enter: $out"
[ "$out" = /home42 ] || fail "exec --user 0: cwd $out"
oci kill cw KILL 2>/dev/null
oci delete --force cw 2>/dev/null

echo "exec: defaults and options, stdin, status, signals, preserve-fds, detach, --process, errors, hostile requests, cleanup"
