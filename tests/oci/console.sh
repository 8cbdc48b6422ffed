#!/bin/sh
# process.terminal with --console-socket: create sends the master of a new pseudo-terminal
# over the socket (as runc does); the container's process has a terminal on its stdio,
# reads what is typed into the master and writes back through it. ^C typed there does
# not end a first process without a handler (cat): the kernel's signals to a pid
# namespace's init are dropped as well; ^D then ends it.
. "$(dirname "$0")/lib.sh"
make_bundle "$D/b" 'c["process"]["terminal"] = True
c["process"]["args"] = ["sh", "-c", "test -t 0 && test -t 1 && echo is-a-tty; read x; echo got:$x"]'
make_bundle "$D/c" 'c["process"]["terminal"] = True
c["process"]["args"] = ["cat"]'
"$PY" - "$SB" "$ROOT" "$D" <<'PYEOF' || exit 1
import os, socket, subprocess, sys, time, select
sb, root, d = sys.argv[1:4]

def console(bundle, cid):
    """create (the master comes over the console socket), then start: the master"""
    path = os.path.join(d, cid + ".sock")
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(1)
    srv.settimeout(20)
    p = subprocess.Popen([sb, "--root", root, "create", "--bundle", bundle, "--console-socket", path, cid],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    conn, _ = srv.accept()
    fds = socket.recv_fds(conn, 1024, 1)[1]
    if len(fds) != 1:
        print("no fd on the console socket"); sys.exit(1)
    err = p.communicate(timeout=20)[1]
    if p.returncode != 0:
        print("create failed:", err.decode().strip()); sys.exit(1)
    if subprocess.call([sb, "--root", root, "start", cid]) != 0:
        print("start failed"); sys.exit(1)
    return fds[0]

out = b""
def until(master, what):
    """reads the terminal (\r dropped) into out until what(out), 20 s at most"""
    global out
    deadline = time.time() + 20
    while time.time() < deadline and not what(out):
        if select.select([master], [], [], 0.2)[0]:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            out += chunk.replace(b"\r", b"")
    return what(out)

m = console(d + "/b", "t1")
if until(m, lambda o: b"is-a-tty" in o):
    os.write(m, b"hello\n")
if not until(m, lambda o: b"is-a-tty\n" in o and b"got:hello\n" in o):
    print("terminal output: %r" % out); sys.exit(1)

out = b""
m = console(d + "/c", "t2")
os.write(m, b"ping\n")  # echoed, then copied by cat: cat runs
if not until(m, lambda o: o.count(b"ping") >= 2):
    print("cat did not answer: %r" % out); sys.exit(1)
os.write(m, b"\x03after\n")
if not until(m, lambda o: o.count(b"after") >= 2):
    print("after ^C: %r" % out); sys.exit(1)
os.write(m, b"\x04")
PYEOF
for id in t1 t2; do
	wait_status $id stopped || fail "$id not stopped: $(oci state $id)"
	oci delete $id || fail "delete $id"
done
echo "terminal through --console-socket; ^C spares the init"
