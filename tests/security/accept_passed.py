"""Harness: makes a listening socket (tcp or unix) as fd 3, runs the command with it
(pass_fds: --preserve-fds 1 inside), connects as a client (its name first, then lines) and
prints the echo and what the command printed. As the guest (argv[1] == "guest"): accepts on
fd 3 (a non-blocking try with none waiting, poll, accept, epoll, a second accept), echoes,
and reports what it sees."""
import os, select, socket, subprocess, sys, time

def guest(kind):
    ls = socket.socket(fileno=3)
    out = ["listener type=%s family=%s acceptconn=%d" % (ls.type.name, ls.family.name,
           ls.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN))]
    ls.setblocking(False)
    try:
        ls.accept()
        out.append("nonblocking accept with none: connected?")
    except BlockingIOError:
        out.append("nonblocking accept with none: EAGAIN")
    ls.setblocking(True)
    sys.stdout.write("ready\n"); sys.stdout.flush()
    c, addr = ls.accept()  # (the client comes a little later: this one waits)
    out.append("accepted: type=%s family=%s peer is %s local is %s" % (c.type.name, c.family.name,
               "unnamed" if addr in ("", b"", None) else "ip" if isinstance(addr, tuple) else repr(addr),
               repr(c.getsockname()) if kind == "unix" else "ip"))
    out.append("peer matches getpeername: %s" % (c.getpeername() == addr))
    out.append("cloexec=%s blocking=%s" % (not os.get_inheritable(c.fileno()), c.getblocking()))
    if kind == "unix":
        import struct
        pid, uid, gid = struct.unpack("3i", c.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12))
        out.append("peer uid is mine=%s" % (uid == os.getuid()))
    data = b""
    while not data.endswith(b"end\n"):
        d = c.recv(100)
        if not d: break
        data += d
    first = data.split(b"\n")[0].decode()
    out.append("accept's peer is the client's name: %s" % (first == repr(addr)))
    c.sendall(b"echo: " + data[len(first) + 1:])
    sys.stdout.write("again\n"); sys.stdout.flush()
    p = select.poll(); p.register(3, select.POLLIN)
    out.append("poll: %s" % (p.poll(10000) == [(3, select.POLLIN)]))
    ep = select.epoll(); ep.register(3, select.EPOLLIN)
    out.append("epoll: %s" % (ep.poll(10) == [(3, select.EPOLLIN)]))
    c2, _ = ls.accept()
    c2.setblocking(False)
    out.append("second: %r" % c2.recv(100) if select.select([c2], [], [], 10)[0] else "second: none")
    c2.close(); c.close()
    sys.stdout.write("\n".join(out) + "\n")

def harness(kind, cmd):
    d = os.environ["ACC_DIR"]
    if kind == "unix":
        path = os.path.join(d, "acc.sock")
        if os.path.exists(path): os.unlink(path)
        ls = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); ls.bind(path)
        addr = path
    else:
        ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM); ls.bind(("127.0.0.1", 0))
        addr = ls.getsockname()
    ls.listen(4)
    held = [os.open("/dev/null", os.O_RDONLY) for _ in range(4)]
    if ls.fileno() != 3:
        os.dup2(ls.fileno(), 3)
    p = subprocess.Popen(cmd + [kind], pass_fds=[3], stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline() == "ready\n"
    time.sleep(0.3)  # (so that the guest's accept waits: either way the same output)
    c = socket.socket(ls.family, socket.SOCK_STREAM); c.connect(addr)
    c.sendall(repr(c.getsockname() if kind == "tcp" else "").encode() + b"\none\nend\n")
    got = b""
    while True:
        x = c.recv(100)
        if not x: break
        got += x
        if got.endswith(b"end\n"): break
    assert p.stdout.readline() == "again\n"
    c2 = socket.socket(ls.family, socket.SOCK_STREAM); c2.connect(addr); c2.sendall(b"two")
    rest = p.stdout.read(); p.wait()
    print(rest, end="")
    print("client got %r; exit %d" % (got, p.returncode))

if sys.argv[1] == "guest":
    guest(sys.argv[2])
else:
    harness(sys.argv[1], sys.argv[2:])
