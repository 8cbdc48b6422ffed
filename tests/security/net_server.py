# Host-side servers for the network egress tests (tests/security/net_*.sh): on ADDR, a
# small HTTP server (GET answers "egress-ok <path>", /slow... sends its body a moment after
# the headers, /oob a body "abcde" whose "c" is urgent data) and a UDP echo server on the same
# port, plus a second HTTP port; prints "PORT1 PORT2" once both listen, then serves until
# killed. Usage: python3 net_server.py ADDR [LOOPBACK_DNS_ADDR]
# With NET_SERVER_DIR in the environment, /files/PATH serves that directory's files.
# With LOOPBACK_DNS_ADDR (e.g. 127.0.0.53) it also echoes UDP on that address's port 53.
import http.server
import os
import socket
import socketserver
import sys
import threading
import time


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/oob":  # "ab", urgent "c", "de" (TCP urgent data)
            self.connection.sendall(b"HTTP/1.0 200 OK\r\n\r\nab")
            self.connection.send(b"c", socket.MSG_OOB)
            self.connection.sendall(b"de")
            return
        root = os.environ.get("NET_SERVER_DIR")
        if root and self.path.startswith("/files/"):  # static files (git's dumb HTTP)
            path = os.path.realpath(os.path.join(root, self.path[7:].split("?")[0]))
            if not path.startswith(os.path.realpath(root) + "/") or not os.path.isfile(path):
                self.send_error(404)
                return
            with open(path, "rb") as f:
                body = f.read()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        body = ("egress-ok %s\n" % self.path).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.path.startswith("/slow"):  # the body in a later segment
            self.wfile.flush()
            time.sleep(0.3)
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    address_family = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET


def udp_echo(sock):
    while True:
        data, peer = sock.recvfrom(65536)
        sock.sendto(b"echo:" + data, peer)


def main():
    addr = sys.argv[1]
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    servers = []
    for _ in range(20):  # a TCP port whose UDP twin is free too
        s1 = Server((addr, 0), Handler)
        port = s1.server_address[1]
        u = socket.socket(fam, socket.SOCK_DGRAM)
        try:
            u.bind((addr, port))
            break
        except OSError:
            u.close()
            s1.server_close()
    else:
        sys.exit("no free port pair")
    s2 = Server((addr, 0), Handler)
    servers = [s1, s2]
    threading.Thread(target=udp_echo, args=(u,), daemon=True).start()
    if len(sys.argv) > 2:
        d = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        d.bind((sys.argv[2], 53))
        threading.Thread(target=udp_echo, args=(d,), daemon=True).start()
    for s in servers:
        threading.Thread(target=s.serve_forever, daemon=True).start()
    print(port, s2.server_address[1], flush=True)
    threading.Event().wait()


main()
