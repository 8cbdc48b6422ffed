#!/bin/sh
# exec --tty --console-socket (runc exec -t, podman exec -it): the process gets a terminal
# of the sandbox's own, relayed to the pty whose master went to the console socket, as a
# process under runc gets one in the container's devpts: it leads a session with that
# terminal as its controlling terminal (/dev/tty, tty_nr), the spec's consoleSize is its
# size, a resize of the master reaches it (SIGWINCH, stty size), an interactive shell has
# job control and ^C interrupts its foreground job only, closing the master hangs it up
# (SIGHUP), and several such terminals work at once beside the first process's own (whose
# size is its consoleSize too).
. "$(dirname "$0")/lib.sh"
make_bundle "$D/b" 'c["process"]["terminal"] = True
c["process"]["consoleSize"] = {"height": 20, "width": 70}
c["process"]["args"] = ["sh", "-c", "busybox tty; busybox stty size; read x; echo init:$x; sleep 1000"]'
"$PY" - "$SB" "$ROOT" "$D" <<'PYEOF' || exit 1
import fcntl, json, os, select, socket, struct, subprocess, sys, termios, time
sb, root, d = sys.argv[1:4]

def fail(*what):
    print(*what)
    sys.exit(1)

def receiver(name):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(os.path.join(d, name))
    s.listen(1)
    s.settimeout(20)
    return s

def take_master(srv):
    conn, _ = srv.accept()
    _, fds, _, _ = socket.recv_fds(conn, 1024, 1)
    if len(fds) != 1:
        fail("no fd on the console socket")
    return fds[0]

class Term:
    """One console-socket terminal: the master, and what came out of it."""
    def __init__(self, master):
        self.m, self.out = master, b""
    def read_until(self, want, secs=20):
        end = time.time() + secs
        while time.time() < end and want.encode() not in self.text(raw=True):
            if select.select([self.m], [], [], 0.2)[0]:
                try:
                    c = os.read(self.m, 4096)
                except OSError:
                    break
                if not c:
                    break
                self.out += c
        return want.encode() in self.text(raw=True)
    def text(self, raw=False):
        t = self.out.replace(b"\r", b"")
        return t if raw else t.decode(errors="replace")
    def send(self, s):
        os.write(self.m, s.encode())
    def expect(self, want, what):
        if not self.read_until(want):
            fail(what + ": %r" % self.text()[-600:])

def exec_tty(name, args, proc=None):
    srv = receiver(name)
    cmd = [sb, "--root", root, "exec", "--tty", "--console-socket", os.path.join(d, name)]
    if proc:
        path = os.path.join(d, name + ".json")
        json.dump(proc, open(path, "w"))
        cmd += ["--process", path, "c1"]
    else:
        cmd += ["c1"] + args
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    return p, Term(take_master(srv))

def status(p, what):
    try:
        return p.wait(timeout=20)
    except subprocess.TimeoutExpired:
        p.kill()
        fail(what + ": exec did not end")

# the first process's own terminal
srv = receiver("init.sock")
c = subprocess.Popen([sb, "--root", root, "create", "--bundle", d + "/b", "--console-socket",
                      os.path.join(d, "init.sock"), "c1"], stdin=subprocess.DEVNULL,
                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
init = Term(take_master(srv))
if c.wait(timeout=20) != 0 or subprocess.call([sb, "--root", root, "start", "c1"]) != 0:
    fail("create or start failed")
init.expect("20 70\n", "the first process's terminal and its consoleSize")

# a session leader with the terminal as its controlling terminal; consoleSize applied
p, t = exec_tty("size.sock", None, {
    "args": ["sh", "-c", "busybox tty; set -- $(cat /proc/self/stat); "
             "echo sid=$(($6 == $$)) tty_nr=$7 tpgid=$(($8 == $$)); busybox stty size; "
             "echo via-dev-tty > /dev/tty; exit 4"],
    "terminal": True, "consoleSize": {"height": 25, "width": 81}, "cwd": "/"})
t.expect("via-dev-tty\n", "exec -t: terminal facts")
if status(p, "consoleSize") != 4:
    fail("exec -t: exit status %s" % p.returncode)
lines = t.text().split("\n")
m = [l for l in lines if l.startswith("/dev/pts/")]
if not m:
    fail("exec -t: tty: %r" % t.text())
n = int(m[0][len("/dev/pts/"):])
if "sid=1 tty_nr=%d tpgid=1" % (136 << 8 | n) not in lines or "25 81" not in lines:
    fail("exec -t: session, tty_nr or size: %r" % t.text())
if m[0] in init.text():
    fail("exec -t: the same terminal as the first process: %r" % m[0])

# an interactive shell: job control, ^C, a resize; a second one at once
p1, a = exec_tty("a.sock", ["sh", "-i"])
p2, b = exec_tty("b.sock", ["sh", "-c", "busybox tty; trap 'echo hup > /dev/shm/hup; exit 7' HUP; "
                            "trap 'echo winch-$(busybox stty size | tr \" \" x)' WINCH; "
                            "echo ready; while :; do sleep 0.1; done"])
b.expect("ready\n", "second terminal")
a.send("sleep 100 &\r")
a.send("jobs; echo jobs-$((1+1))\r")
a.expect("jobs-2\n", "jobs")
if "[1]+  Running" not in a.text():
    fail("sh -i: no job: %r" % a.text())
a.send("kill %1; sleep 0.2; jobs; echo killed-$((1+1))\r")
a.expect("killed-2\n", "kill %1")
a.send("sleep 50\r")
time.sleep(0.5)
a.send("\x03")
a.send("echo alive-$(($? + 1))\r")
a.expect("alive-131\n", "^C to the foreground job (sleep's status 130), not to the shell")
fcntl.ioctl(a.m, termios.TIOCSWINSZ, struct.pack("HHHH", 31, 101, 0, 0))
fcntl.ioctl(b.m, termios.TIOCSWINSZ, struct.pack("HHHH", 12, 34, 0, 0))
b.expect("winch-12x34\n", "SIGWINCH after a resize")
a.send("busybox stty size\r")
a.out = b""
a.expect("31 101\n", "stty size after a resize")
a.out = b""
a.send("busybox tty\r")
a.expect("/dev/pts/", "tty")
ta = [l for l in a.text().split("\n") if l.startswith("/dev/pts/")][-1]
tb = [l for l in b.text().split("\n") if l.startswith("/dev/pts/")][0]
if ta == tb or ta in init.text():
    fail("two terminals at once: %r %r" % (ta, tb))
a.send("exit 3\r")
if status(p1, "sh -i") != 3:
    fail("sh -i: exit status %s" % p1.returncode)

# the caller goes: the terminal hangs up, SIGHUP reaches the session
os.close(b.m)
if status(p2, "hangup") != 7:
    fail("hangup: exit status %s (not the SIGHUP trap's)" % p2.returncode)
json.dump({"args": ["cat", "/dev/shm/hup"], "cwd": "/"}, open(d + "/cat.json", "w"))
out = subprocess.run([sb, "--root", root, "exec", "--process", d + "/cat.json", "c1"],
                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT).stdout
if out != b"hup\n":
    fail("hangup: the trap did not run: %r" % out)

# the first process's terminal still works
init.send("ty" "ped\r")
init.expect("init:typed\n", "the first process's terminal after the execs")
PYEOF
oci delete --force c1 >/dev/null 2>&1
echo "exec --tty: controlling terminal, consoleSize, job control, ^C, resize, hangup, several at once"
