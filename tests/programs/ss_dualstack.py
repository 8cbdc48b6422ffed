# ss on a dual-stack listener: a v4 client shows as ::ffff:127.0.0.1 on the v6 side;
# address filters (src, dst) over both families. Our ports only, sorted, spaces squeezed.
import re, socket, subprocess, struct
ours = re.compile(r":2739[1-3](\s|$)")
l = socket.socket(socket.AF_INET6); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(("::", 27391)); l.listen(4)
c = socket.socket(); c.bind(("127.0.0.1", 27392)); c.connect(("127.0.0.1", 27391))
a, _ = l.accept()
c6 = socket.socket(socket.AF_INET6); c6.bind(("::1", 27393)); c6.connect(("::1", 27391))
c.send(b"xy")
out = subprocess.run(["ss", "-tan", "sport", ">=", ":27391", "and", "sport", "<=", ":27393"], capture_output=True, text=True).stdout
print("\n".join(sorted(" ".join(x.split()) for x in out.splitlines())))
out = subprocess.run(["ss", "-tan", "src", "127.0.0.1"], capture_output=True, text=True).stdout
print("\n".join(sorted(" ".join(x.split()) for x in out.splitlines() if ours.search(x))))
out = subprocess.run(["ss", "-tan", "dst", "[::ffff:127.0.0.1]"], capture_output=True, text=True).stdout
print("\n".join(sorted(" ".join(x.split()) for x in out.splitlines() if ours.search(x))))
for s in (a, c, c6):
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)); s.close()
