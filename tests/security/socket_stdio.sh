#!/bin/sh
# A unix socket as the program's stdin and stdout (node's child_process makes them so):
# inside, the socket calls on it (names, SO_TYPE/DOMAIN/PROTOCOL/PEERCRED/ERROR, peek,
# MSG_WAITALL, recvmsg, setsockopt, shutdown, EPIPE after it) give what they give natively
# (socket_stdio.py compares); node in node answers. And the boundary: such a socket reaches
# nowhere else (a datagram to another address: EPERM, audited), carries no descriptors out
# (SCM_RIGHTS: EPERM, audited) and brings none in (dropped: MSG_CTRUNC).
B=$(cd "${1:-build}" && pwd) || exit 1
T=$(cd "$(dirname "$0")" && pwd)
fail() { echo "$*"; exit 1; }
d=$(mktemp -d "${TMPDIR:-/var/tmp}/sandbox-sockstdio.XXXXXX") || exit 1
trap 'rm -rf "$d"' EXIT

python3 "$T/socket_stdio.py" python3 "$T/socket_stdio.py" guest >"$d/nat.out" 2>"$d/nat.err"
python3 "$T/socket_stdio.py" "$B/sandbox" run -- python3 "$T/socket_stdio.py" guest \
	>"$d/sb.out" 2>"$d/sb.err"
cmp -s "$d/nat.out" "$d/sb.out" || fail "socket stdio differs: $(diff "$d/nat.out" "$d/sb.out" | head -5)"
cmp -s "$d/nat.err" "$d/sb.err" || fail "socket stdio stderr differs: $(diff "$d/nat.err" "$d/sb.err" | head -5)"
n=$(wc -l < "$d/sb.out")

if command -v node >/dev/null 2>&1; then
	cat > "$d/spawn.js" <<'JS'
const { spawn } = require('child_process');
const p = spawn(process.argv[2], process.argv.slice(3), { stdio: ['pipe', 'pipe', 'inherit'] });
let out = '';
p.stdout.on('data', d => out += d);
p.stdin.end('a line\n');
p.on('close', code => console.log(JSON.stringify({ code, out })));
JS
	child='process.stdin.on("data", d => process.stdout.write("node got " + d))'
	want=$(node "$d/spawn.js" node -e "$child")
	got=$(node "$d/spawn.js" "$B/sandbox" run -- node -e "$child")
	[ "$want" = "$got" ] || fail "node in node: natively $want, inside $got"
fi

# the boundary: a datagram socket given as fd 3
python3 - "$B/sandbox" "$d/audit" <<'PY' || exit 1
import array, os, socket, subprocess, sys
held = [os.open("/dev/null", os.O_RDONLY) for _ in range(3)]  # so that neither end is fd 3
a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
os.close(3)
os.dup2(b.fileno(), 3, inheritable=True)
r, w = os.pipe()
a.sendmsg([b"with an fd"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [r]))])
guest = r'''
import array, os, socket
s = socket.socket(fileno=3)
data, anc, flags, _ = s.recvmsg(100, socket.CMSG_SPACE(4))
print("in:", data, len(anc), bool(flags & socket.MSG_CTRUNC))
for what, f in (("to", lambda: s.sendto(b"x", "\0elsewhere")),
                ("fds", lambda: s.sendmsg([b"x"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [0]))]))):
    try:
        f(); print(what, "sent")
    except OSError as e:
        print(what, os.strerror(e.errno))
'''
out = subprocess.run([sys.argv[1], "run", "--preserve-fds", "1", "--audit", sys.argv[2], "--",
                      "python3", "-c", guest], pass_fds=[3], capture_output=True, text=True).stdout
want = "in: b'with an fd' 0 True\nto Operation not permitted\nfds Operation not permitted\n"
if out != want:
    sys.exit("datagram socket as fd 3: got %r" % out)
audit = open(sys.argv[2]).read()
if audit.count("host socket given as a std fd") != 2:
    sys.exit("audit: %r" % audit)
PY
echo "socket stdio as natively ($n lines); node in node; no destinations or fds across it"
