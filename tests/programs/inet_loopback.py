# TCP and UDP on loopback from Python: ephemeral ports, names, a dual-stack listener, errors,
# UDP by name and connected, http.server with urllib (127.0.0.1 and localhost), asyncio.
import socket, threading, http.server, urllib.request, asyncio, os, errno
# TCP echo on v4 with an ephemeral port
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
port = s.getsockname()[1]
print("ephemeral", 32768 <= port <= 60999, s.getsockname()[0])
c = socket.create_connection(("127.0.0.1", port))
a, addr = s.accept()
print("peer", addr[0], c.getpeername() == ("127.0.0.1", port), a.getsockname() == ("127.0.0.1", port), addr == c.getsockname())
c.sendall(b"ping"); print(a.recv(10)); a.close(); print(c.recv(10)); c.close(); s.close()
# dual-stack v6 listener takes v4
s6 = socket.socket(socket.AF_INET6); s6.bind(("::", 0)); s6.listen(); p6 = s6.getsockname()[1]
c = socket.create_connection(("127.0.0.1", p6)); a, addr = s6.accept(); print("v4 on v6", addr[0]); a.close(); c.close()
c = socket.create_connection(("::1", p6)); a, addr = s6.accept(); print("v6", addr[0]); a.close(); c.close(); s6.close()
# errors
t = socket.socket()
try: t.connect(("127.0.0.1", 1)); print("connected?")
except OSError as e: print("closed port", errno.errorcode[e.errno])
b1 = socket.socket(); b1.bind(("127.0.0.1", 0)); b2 = socket.socket()
try: b2.bind(("127.0.0.1", b1.getsockname()[1])); print("rebind?")
except OSError as e: print("in use", errno.errorcode[e.errno])
try: b2.bind(("192.0.2.1", 0))
except OSError as e: print("foreign addr", errno.errorcode[e.errno])
# UDP
u1 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u1.bind(("127.0.0.1", 0))
u2 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u2.sendto(b"dgram", u1.getsockname()); d, frm = u1.recvfrom(100); print(d, frm == u2.getsockname())
u2.connect(u1.getsockname()); u2.send(b"conn"); print(u1.recv(100), u2.getpeername() == u1.getsockname())
# HTTP server + urllib
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.end_headers(); self.wfile.write(b"hello " + self.path.encode())
    def log_message(self, *a): pass
srv = http.server.HTTPServer(("127.0.0.1", 0), H)
th = threading.Thread(target=srv.serve_forever); th.start()
print(urllib.request.urlopen("http://127.0.0.1:%d/x" % srv.server_address[1]).read())
print(urllib.request.urlopen("http://localhost:%d/y" % srv.server_address[1]).read())
srv.shutdown(); th.join()
# asyncio TCP
async def main():
    async def h(r, w):
        w.write((await r.readline()).upper()); await w.drain(); w.close()
    srv = await asyncio.start_server(h, "127.0.0.1", 0)
    p = srv.sockets[0].getsockname()[1]
    r, w = await asyncio.open_connection("127.0.0.1", p)
    w.write(b"async\n"); print(await r.readline()); w.close(); srv.close()
asyncio.run(main())
# UDP: a full receiver drops datagrams, the sender never waits
ru = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); ru.bind(("127.0.0.1", 0))
ru.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
su = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(2000):
    su.sendto(b"x" * 1000, ru.getsockname())
print("sent all without blocking")
ru.setblocking(False)
n = 0
try:
    while True:
        ru.recv(2000); n += 1
except BlockingIOError:
    pass
print("received some, not all:", 0 < n < 2000)
# /proc/net and ss see our own sockets
import subprocess, shutil
ls = socket.socket(); ls.bind(("127.0.0.1", 0)); ls.listen(); lp = ls.getsockname()[1]
us = socket.socket(socket.AF_UNIX); us.bind("\0inet-loopback-test-%d" % lp); us.listen()
tcp = open("/proc/net/tcp").read().splitlines()
print("proc tcp header", tcp[0].split()[:4])
print("listener in /proc/net/tcp", any(l.split()[1] == "0100007F:%04X" % lp and l.split()[3] == "0A" for l in tcp[1:]))
print("abstract in /proc/net/unix", any(l.rstrip().endswith("@inet-loopback-test-%d" % lp) for l in open("/proc/net/unix")))
if shutil.which("ss"):
    out = subprocess.run(["ss", "-ltn"], capture_output=True, text=True).stdout
    print("ss sees the listener", any(":%d " % lp in l + " " and l.startswith("LISTEN") for l in out.splitlines()))
