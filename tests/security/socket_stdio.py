"""Runs a command with a unix socket as its stdin and stdout (as node's child_process does
by default) and prints what the command wrote there. As the guest (argv[1] == "guest"): looks
at that socket with the socket calls and reports."""
import os
import socket
import struct
import subprocess
import sys
import time


def guest():
    s = socket.socket(fileno=os.dup(0))
    out = ["type=%s family=%s proto=%d" % (s.type.name, s.family.name, s.proto),
           "sockname=%r peername=%r" % (s.getsockname(), s.getpeername()),
           "acceptconn=%d error=%d" % (s.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN),
                                       s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR))]
    _, uid, gid = struct.unpack("3i", s.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12))
    out.append("peer uid is mine=%s gid is mine=%s" % (uid == os.getuid(), gid == os.getgid()))
    out.append("peek=%r" % s.recv(5, socket.MSG_PEEK))
    out.append("line=%r" % s.recv(11))
    out.append("waitall=%r" % s.recv(10, socket.MSG_WAITALL))  # sent in two parts
    s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 65536)
    data, anc, flags, addr = s.recvmsg(100, 0)
    out.append("recvmsg=%r anc=%r flags=%d" % (data, anc, flags))
    s.sendmsg([("\n".join(out) + "\n").encode()])
    s.shutdown(socket.SHUT_WR)
    try:
        s.send(b"after shutdown", socket.MSG_NOSIGNAL)
    except OSError as e:
        sys.stderr.write("send after shutdown: %s\n" % os.strerror(e.errno))


def harness(cmd):
    a, b = socket.socketpair()
    p = subprocess.Popen(cmd, stdin=b, stdout=b)
    b.close()
    a.sendall(b"hello peek\n")
    time.sleep(0.3)
    a.sendall(b"0123")
    time.sleep(0.3)
    a.sendall(b"456789")
    time.sleep(0.3)
    a.sendall(b"last")
    got = b""
    while True:
        d = a.recv(4096)
        if not d:
            break
        got += d
    sys.stdout.write(got.decode())
    sys.stdout.write("status=%d\n" % p.wait())


if sys.argv[1] == "guest":
    guest()
else:
    harness(sys.argv[1:])
