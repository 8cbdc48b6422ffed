"""`sandbox run` on a terminal (a pty from Python's pty module): the guest gets a terminal
of its own (isatty, its size, ^C as SIGINT of its foreground job, SIGWINCH, job control),
and the user's terminal settings come back on every way out (exit, timeout, sentry crash).
Usage: tty_session.py SANDBOX. Prints one line per check; exit 0 when all pass."""
import fcntl, os, pty, select, signal, struct, subprocess, sys, termios, time

SANDBOX = sys.argv[1]
failed = []


def check(name, ok, detail=""):
    print("%s %s%s" % ("ok  " if ok else "FAIL", name, "" if ok else ": " + detail))
    if not ok:
        failed.append(name)


def winsize(fd, rows, cols):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


class Session:
    """A program on a new pty whose settings we choose; expect() waits for its output."""

    def __init__(self, argv, rows=33, cols=111, stdout_file=None, typeahead=b""):
        self.fd, slave = os.openpty()
        t = termios.tcgetattr(slave)
        t[3] |= termios.ECHOCTL  # recognisable settings to come back to
        t[6][termios.VERASE] = b"\x08"
        termios.tcsetattr(slave, termios.TCSANOW, t)
        winsize(slave, rows, cols)
        self.start_tio = termios.tcgetattr(slave)
        if typeahead:  # keys typed before the program starts, taken in as lines
            os.write(self.fd, typeahead)
        self.pid = os.fork()
        if self.pid == 0:
            os.close(self.fd)
            os.setsid()
            fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
            for fd in (0, 1, 2):
                os.dup2(slave, fd)
            if stdout_file:
                f = os.open(stdout_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
                os.dup2(f, 1)
            os.execv(argv[0], argv)
        os.close(slave)
        self.out = b""
        self.status = None

    def read_some(self, t):
        r, _, _ = select.select([self.fd], [], [], t)
        if not r:
            return True
        try:
            d = os.read(self.fd, 4096)
        except OSError:
            return False
        self.out += d
        return bool(d)

    def expect(self, marker, timeout=15):
        end = time.time() + timeout
        while marker not in self.out and time.time() < end:
            if not self.read_some(0.1):
                break
        return marker in self.out

    def send(self, data):
        os.write(self.fd, data)

    def wait(self, timeout=20):
        end = time.time() + timeout
        while time.time() < end:
            pid, st = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = st
                break
            self.read_some(0.1)
        if self.status is None:
            os.kill(self.pid, signal.SIGKILL)
            _, self.status = os.waitpid(self.pid, 0)
        self.end_tio = termios.tcgetattr(self.fd)
        return os.waitstatus_to_exitcode(self.status)

    def raw_now(self):
        t = termios.tcgetattr(self.fd)
        return not (t[3] & (termios.ICANON | termios.ECHO | termios.ISIG))

    def await_raw(self, timeout=15):
        """Whether the terminal became raw while the program ran (polled: a loaded machine
        may take long to start the sandbox)."""
        end = time.time() + timeout
        while not self.raw_now() and time.time() < end:
            self.read_some(0.02)
        return self.raw_now()


# An interactive shell: terminal, size, a line read, ^C, SIGWINCH, exit status.
s = Session([SANDBOX, "run", "--", "/bin/sh", "-i"])
check("prompt", s.expect(b"# ") or s.expect(b"$ "), repr(s.out[-200:]))
check("raw while running", s.raw_now())
s.send(b"test -t 0 && test -t 1 && test -t 2 && echo TTY-OK; stty size; tty\r")
check("test -t 0/1/2", s.expect(b"TTY-OK"), repr(s.out[-200:]))
check("stty size is the outer window", s.expect(b"33 111"), repr(s.out[-200:]))
check("tty names a pts", s.expect(b"/dev/pts/0"), repr(s.out[-200:]))
s.send(b"read x; echo got:$x\r")
time.sleep(0.3)
s.send(b"hello\r")
check("a line read by the shell", s.expect(b"got:hello"), repr(s.out[-200:]))
s.send(b"trap 'echo WINCH-SEEN' WINCH; echo trap-set\r")
s.expect(b"trap-set\r\n")
winsize(s.fd, 40, 120)  # the kernel sends SIGWINCH to `sandbox`, the outer foreground
time.sleep(0.5)
s.send(b"stty size\r")
check("the new size reaches the guest", s.expect(b"40 120"), repr(s.out[-200:]))
check("SIGWINCH reaches the guest", b"WINCH-SEEN" in s.out, repr(s.out[-300:]))
s.send(b"echo sl''eeping; sleep 100\r")  # (the echoed line does not say "sleeping")
s.expect(b"sleeping\r\n")
time.sleep(0.3)
s.send(b"\x03")
time.sleep(0.3)
s.send(b"echo after:$?\r")
check("^C ends the foreground sleep, the shell goes on", s.expect(b"after:130"),
      repr(s.out[-200:]))
s.send(b"exit 7\r")
code = s.wait()
check("exit status", code == 7, str(code))
check("terminal settings restored after exit", s.end_tio == s.start_tio,
      "%r != %r" % (s.end_tio, s.start_tio))

# Keys typed before the sandbox runs (a pty harness writes at once): the program reads
# them as the terminal took them in, an end-of-file (^D) included, echoed once, as natively
# (the end-of-file used to arrive as a NUL byte after a second echo: cat never ended).
s = Session([SANDBOX, "run", "--", "/bin/cat"], typeahead=b"one\ntw\x04\x04")
code = s.wait()
check("typed ahead: ^D ends cat", code == 0, str(code))
check("typed ahead: echoed once, read once", s.out == b"one\r\ntwone\r\ntw", repr(s.out))

# The first program itself: ^C ends it (the keys come from outside the sandbox).
s = Session([SANDBOX, "run", "--", "/bin/sh", "-c", "echo ready; exec /bin/sleep 100"])
s.expect(b"ready")  # (a key sent before the sandbox runs would reach no guest)
s.send(b"\x03")
code = s.wait()
check("^C ends pid 1", code == 130, str(code))
check("terminal restored after ^C", s.end_tio == s.start_tio)

# A guest busy without system calls: the key still gets through (SIGIO wakes the sentry).
s = Session([SANDBOX, "run", "--", "/bin/sh", "-c", "echo ready; while :; do :; done"])
s.expect(b"ready")
s.send(b"\x03")
code = s.wait()
check("^C ends a busy loop", code == 130, str(code))

# Every way out restores the terminal: --timeout, a sentry crash.
s = Session([SANDBOX, "run", "--timeout", "1", "--", "/bin/sh", "-c", "stty -a >/dev/null; sleep 100"])
was_raw = s.await_raw()
code = s.wait()
check("timeout: exit 124", code == 124, str(code))
check("timeout: terminal was raw, then restored", was_raw and s.end_tio == s.start_tio)
s = Session([SANDBOX, "run", "--selftest-crash", "--", "/bin/sleep", "100"])
code = s.wait()
check("sentry crash: exit 125", code == 125, str(code))
check("sentry crash: terminal restored", s.end_tio == s.start_tio)

# stdin a terminal, stdout a file: only the terminals get the guest's terminal.
out = "/tmp/sandbox-tty-%d" % os.getpid()
s = Session([SANDBOX, "run", "--", "/bin/sh", "-c", "test -t 0; echo $?; test -t 1; echo $?"],
            stdout_file=out)
code = s.wait()
got = open(out).read()
os.unlink(out)
check("stdout a file stays a file", code == 0 and got == "0\n1\n", repr(got))

# --tty without a terminal: pipes in and out, end of input ends a canonical read.
p = subprocess.run([SANDBOX, "run", "--tty", "--", "/bin/sh", "-c",
                    "test -t 0 && test -t 1 && echo tty; cat"],
                   input=b"piped\n", stdout=subprocess.PIPE, timeout=30)
check("--tty over pipes", p.returncode == 0 and b"tty\r\n" in p.stdout and
      p.stdout.count(b"piped\r\n") == 2, repr(p.stdout))
p = subprocess.run([SANDBOX, "run", "--no-tty", "--", "/bin/sh", "-c", "test -t 0; echo $?"],
                   input=b"", stdout=subprocess.PIPE, timeout=30)
check("--no-tty", p.stdout == b"1\n", repr(p.stdout))

# bash with job control: a job stopped with ^Z, continued with bg, killed.
if os.path.exists("/bin/bash"):
    s = Session([SANDBOX, "run", "--", "/bin/bash", "--norc", "--noprofile", "-i"])
    s.expect(b"# ")
    s.send(b"PS1='P> '; sleep 100 & \r")
    s.expect(b"P> ")
    s.send(b"fg\r")
    time.sleep(0.8)
    s.send(b"\x1a")
    check("bash: ^Z stops the job", s.expect(b"Stopped"), repr(s.out[-300:]))
    s.send(b"bg; jobs\r")
    check("bash: bg runs it again", s.expect(b"Running"), repr(s.out[-300:]))
    s.send(b"kill %1; wait %1; echo waited:$?\r")
    check("bash: the job ends", s.expect(b"waited:143"), repr(s.out[-300:]))
    s.send(b"exit\r")
    code = s.wait()
    check("bash: exit", code == 0, str(code))

sys.exit(1 if failed else 0)
