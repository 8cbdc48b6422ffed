#!/bin/sh
# ping (iputils) over ICMP echo sockets in a network namespace of its own whose
# net.ipv4.ping_group_range lets every group have them: IPv4 and IPv6 loopback, a larger
# payload, and an address with no route. Times are cut from the output.
ip link set lo up
echo "0 2147483647" > /proc/sys/net/ipv4/ping_group_range
cut_times() { sed 's/time=[0-9.]* ms//; s/, time [0-9]*ms//; s/^rtt .*//'; }
ping -c 3 -i 0.2 -n 127.0.0.1 | cut_times
ping -c 2 -i 0.2 -n -s 1000 127.0.0.2 | cut_times
ping -6 -c 2 -i 0.2 -n -s 100 ::1 | cut_times
ping -c 1 -W 1 -n 10.255.255.1 2>&1 | cut_times
ping -c 1 -W 1 -n 10.255.255.1 >/dev/null 2>&1
echo "unreachable: $?"
