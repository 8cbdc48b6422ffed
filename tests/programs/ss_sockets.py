# Opens known sockets (fixed ports, an abstract unix name), runs ss with the arguments
# given, and prints its lines about those sockets only (the host has others), columns
# joined by one space (ss sizes columns over every line it prints).
import socket, struct, subprocess, sys

P = 27311  # below the host's ephemeral ports (32768-60999): no outgoing connection takes them
keep = []

def tcp(fam, addr, port, backlog=5):
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if fam == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s.bind((addr, port))
    s.listen(backlog)
    keep.append(s)
    return s

l1 = tcp(socket.AF_INET, "127.0.0.1", P)
tcp(socket.AF_INET6, "::1", P + 1, 9)
tcp(socket.AF_INET, "0.0.0.0", P + 2)
c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
c.bind(("127.0.0.1", P + 6))
c.connect(("127.0.0.1", P))
c.sendall(b"12345")                     # waits, unread, in the accepted socket
a, _ = l1.accept()
c2 = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
c2.bind(("127.0.0.1", P + 5))
c2.connect(("127.0.0.1", P + 2))        # never accepted: 1 in P+2's queue
keep += [c, a, c2]
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("127.0.0.1", P + 3))
u2 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u2.bind(("127.0.0.1", P + 4))
u2.connect(("127.0.0.1", P + 3))
keep += [u, u2]
x = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
x.bind("\0ss-diag-test-listen")
x.listen(3)
xd = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
xd.bind("\0ss-diag-test-dgram")
keep += [x, xd]

out = subprocess.run(["ss"] + sys.argv[1:], capture_output=True, text=True)
lines = out.stdout.splitlines()
want = [str(p) for p in range(P, P + 7)] + ["ss-diag-test"]
rows = []
for line in lines[1:]:
    if any(w in line for w in want):
        f = line.split()
        for i in range(len(f) - 1):  # a unix socket's inode follows its name
            if f[i].startswith("@ss-diag"):
                f[i + 1] = "INO"
        rows.append(" ".join(f))
print(" ".join(lines[0].split()) if lines else "")
print("\n".join(sorted(rows)))
print("exit", out.returncode, "stderr", out.stderr.strip()[:200])
# Abortive closes (SO_LINGER 0): no TIME-WAIT left on these ports for the next run.

for s in (a, c, c2):
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()
for s in keep:
    s.close()
