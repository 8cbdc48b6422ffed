# ss -xa on a unix socket bound in the current directory: the listener (its queue: one
# connection not accepted yet, which ss does not list) and the accepted end, which shows
# the listener's name and the bytes waiting. Inode numbers replaced by I, peers' by P.
import os, socket, subprocess

p = os.path.join(os.getcwd(), "ss-diag.sock")
l = socket.socket(socket.AF_UNIX)
l.bind(p)
l.listen(2)
c = socket.socket(socket.AF_UNIX)
c.connect(p)
a, _ = l.accept()
c2 = socket.socket(socket.AF_UNIX)
c2.connect(p)
c.send(b"hello")
out = subprocess.run(["ss", "-xa"], capture_output=True, text=True).stdout
rows = []
for x in out.splitlines():
    if "ss-diag.sock" in x:
        f = x.split()
        f[5] = "I"
        f[7] = "P" if f[7] != "0" else "0"
        rows.append(" ".join(f).replace(os.getcwd(), "CWD"))
print("\n".join(sorted(rows)))
os.unlink(p)
