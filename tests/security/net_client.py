# Guest-side client for tests/security/net_egress.sh; one line per command:
#   http URL              ok BODY | error ERRNO-NAME
#   tcp ADDR PORT         connected | error ERRNO-NAME
#   udp ADDR PORT MSG     reply DATA | error ERRNO-NAME | no reply
#   dns SERVER NAME       rcode N answers A,B (an A query, sent to SERVER port 53)
#   dnstcp SERVER NAME    the same over TCP (two queries on one connection, sent in pieces)
#   loopback              a server and a client on 127.0.0.1 inside: loopback ok
import errno
import socket
import struct
import sys
import threading
import urllib.error
import urllib.request


def errname(e):
    while isinstance(e, urllib.error.URLError) and isinstance(e.reason, BaseException):
        e = e.reason
    return errno.errorcode.get(getattr(e, "errno", None) or 0, type(e).__name__)


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def http(url):
    try:
        body = urllib.request.urlopen(url, timeout=30).read().decode().strip()
        return "ok " + body
    except Exception as e:
        return "error " + errname(e)


def tcp(addr, port):
    s = socket.socket(family(addr))
    s.settimeout(30)
    try:
        s.connect((addr, int(port)))
        return "connected"
    except OSError as e:
        return "error " + errname(e)


def udp(addr, port, msg):
    s = socket.socket(family(addr), socket.SOCK_DGRAM)
    s.settimeout(5)
    try:
        s.sendto(msg.encode(), (addr, int(port)))
        return "reply " + s.recv(100).decode()
    except socket.timeout:
        return "no reply"
    except OSError as e:
        return "error " + errname(e)


def dns_query(name):
    q = struct.pack(">HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0)
    for label in name.split("."):
        q += bytes([len(label)]) + label.encode()
    return q + b"\0" + struct.pack(">HH", 1, 1)


def dns(server, name):
    q = dns_query(name)
    s = socket.socket(family(server), socket.SOCK_DGRAM)
    s.settimeout(10)
    s.sendto(q, (server, 53))
    return dns_answer(q, s.recv(512))


def recv_all(s, n):
    b = b""
    while len(b) < n:
        c = s.recv(n - len(b))
        if not c:
            raise OSError(errno.ECONNRESET, "closed")
        b += c
    return b


def dnstcp(server, name):
    q = dns_query(name)
    try:
        s = socket.create_connection((server, 53), timeout=10)
        msg = struct.pack(">H", len(q)) + q
        s.sendall(msg[:1])  # a query in pieces, then a second one at once
        s.sendall(msg[1:] + msg)
        out = []
        for _ in range(2):
            n = struct.unpack(">H", recv_all(s, 2))[0]
            out.append(dns_answer(q, recv_all(s, n)))
        s.close()
    except OSError as e:
        return "error " + errname(e)
    return out[0] if out[0] == out[1] else " / ".join(out)


def dns_answer(q, r):
    ident, flags, qd, an = struct.unpack(">HHHH", r[:8])
    assert ident == 0x1234 and flags & 0x8000, r
    pos, addrs = len(q), []
    for _ in range(an):
        rtype, _cls, _ttl, rdlen = struct.unpack(">HHIH", r[pos + 2:pos + 12])
        if rtype == 1:
            addrs.append(socket.inet_ntoa(r[pos + 12:pos + 12 + rdlen]))
        pos += 12 + rdlen
    return "rcode %d answers %s" % (flags & 15, ",".join(addrs) or "none")


def loopback():
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)

    def serve():
        c, _ = srv.accept()
        c.sendall(b"loopback ok")
        c.close()

    threading.Thread(target=serve).start()
    c = socket.create_connection(srv.getsockname())
    return c.recv(100).decode()


cmds = {"http": http, "tcp": tcp, "udp": udp, "dns": dns, "dnstcp": dnstcp, "loopback": loopback}
print(cmds[sys.argv[1]](*sys.argv[2:]), flush=True)
