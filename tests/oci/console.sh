#!/bin/sh
# process.terminal with --console-socket: create sends the master of a new pseudo-terminal
# over the socket (as runc does); the container's process has a terminal on its stdio,
# reads what is typed into the master and writes back through it.
. "$(dirname "$0")/lib.sh"
make_bundle "$D/b" 'c["process"]["terminal"] = True
c["process"]["args"] = ["sh", "-c", "test -t 0 && test -t 1 && echo is-a-tty; read x; echo got:$x"]'
"$PY" - "$SB" "$ROOT" "$D" <<'PYEOF' || exit 1
import os, socket, subprocess, sys, time, select
sb, root, d = sys.argv[1:4]
path = os.path.join(d, "console.sock")
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(path)
srv.listen(1)
srv.settimeout(20)
p = subprocess.Popen([sb, "--root", root, "create", "--bundle", d + "/b", "--console-socket", path, "t1"],
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
conn, _ = srv.accept()
msg, fds, _, _ = socket.recv_fds(conn, 1024, 1)
if len(fds) != 1:
    print("no fd on the console socket"); sys.exit(1)
master = fds[0]
err = p.communicate(timeout=20)[1]
if p.returncode != 0:
    print("create failed:", err.decode().strip()); sys.exit(1)
if subprocess.call([sb, "--root", root, "start", "t1"]) != 0:
    print("start failed"); sys.exit(1)
out = b""
deadline = time.time() + 20
sent = False
while time.time() < deadline and b"got:" not in out:
    r, _, _ = select.select([master], [], [], 0.2)
    if r:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    if b"is-a-tty" in out and not sent:
        os.write(master, b"hello\n")
        sent = True
while time.time() < deadline and b"\n" not in out.split(b"got:", 1)[-1]:
    r, _, _ = select.select([master], [], [], 0.2)
    if r:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        out += chunk
text = out.decode(errors="replace").replace("\r", "")
if "is-a-tty\n" not in text or "got:hello\n" not in text:
    print("terminal output: %r" % text); sys.exit(1)
PYEOF
wait_status t1 stopped || fail "not stopped: $(oci state t1)"
oci delete t1 || fail "delete"

# ^C at the container's terminal: its init (cat, no handler) does not die of it; the
# kernel's signals to a namespace init are dropped as well (then ^D ends cat)
make_bundle "$D/c" 'c["process"]["terminal"] = True
c["process"]["args"] = ["cat"]'
"$PY" - "$SB" "$ROOT" "$D" <<'PYEOF' || exit 1
import os, socket, subprocess, sys, time, select
sb, root, d = sys.argv[1:4]
path = os.path.join(d, "console2.sock")
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(path)
srv.listen(1)
srv.settimeout(20)
p = subprocess.Popen([sb, "--root", root, "create", "--bundle", d + "/c", "--console-socket", path, "t2"],
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
conn, _ = srv.accept()
master = socket.recv_fds(conn, 1024, 1)[1][0]
if p.wait(timeout=20) != 0 or subprocess.call([sb, "--root", root, "start", "t2"]) != 0:
    print("create or start failed"); sys.exit(1)
out = b""
def until(what, send=None):
    global out
    deadline = time.time() + 20
    while time.time() < deadline and not what(out):
        r, _, _ = select.select([master], [], [], 0.2)
        if r:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            out += chunk.replace(b"\r", b"")
    return what(out)
os.write(master, b"ping\n")  # echoed, then copied by cat: cat runs
if not until(lambda o: o.count(b"ping") >= 2):
    print("cat did not answer: %r" % out); sys.exit(1)
os.write(master, b"\x03after\n")
if not until(lambda o: o.count(b"after") >= 2):
    print("after ^C: %r" % out); sys.exit(1)
os.write(master, b"\x04")
PYEOF
wait_status t2 stopped || fail "t2 not stopped: $(oci state t2)"
oci delete t2 || fail "delete t2"
echo "terminal through --console-socket; ^C spares the init"
