# UDP, UDP-Lite and ICMP counters of /proc/net/snmp after IPv4, IPv6 and v4-mapped datagrams,
# delivered and to ports nobody holds (run in a network namespace of its own).
import socket
r=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); r.bind(("127.0.0.1", 7000))
r6=socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); r6.bind(("::1", 7001))
a=socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(3): a.sendto(b"x", ("127.0.0.1", 7000))
a.sendto(b"x", ("127.0.0.1", 7002))
b=socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
b.sendto(b"y", ("::1", 7001)); b.sendto(b"y", ("::1", 7003)); b.sendto(b"y", ("::ffff:127.0.0.1", 7000))
l=socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDPLITE); l.bind(("127.0.0.1", 7004))
l.sendto(b"z", ("127.0.0.1", 7004)); l.sendto(b"z", ("127.0.0.1", 7005))
for x in (r, r6, l):
    x.setblocking(False)
    try:
        while True: x.recv(10)
    except BlockingIOError: pass
for line in open("/proc/net/snmp"):
    if line.startswith(("Udp", "Icmp")): print(line, end="")
