#!/bin/sh
# ICMP echo sockets are the caller's inside exactly when they are outside: the sandbox's
# network stands in for the caller's, so its net.ipv4.ping_group_range is the caller's
# (systemd and docker open it to every group; Linux's own default is none). Run where the
# caller's range differs, in a network namespace of the test's own: ping works inside for
# the groups it lets in (as natively, compared), a new namespace inside starts from Linux's
# default, --sysctl still sets it, and the host's value is never touched.
B=$(cd "${1:-build}" && pwd) || exit 1
fail() { echo "$*"; exit 1; }
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (a network namespace of its own)"; exit 0; }
host=$(cat /proc/sys/net/ipv4/ping_group_range)
probe='import socket
for fam, proto in ((socket.AF_INET, socket.IPPROTO_ICMP), (socket.AF_INET6, socket.IPPROTO_ICMPV6)):
    try:
        socket.socket(fam, socket.SOCK_DGRAM, proto).close(); print("ok")
    except OSError as e:
        print(e.errno)'
run() { # RANGE CMD...: natively, then inside, in a new netns whose range is RANGE
	r=$1; shift
	unshare -n sh -c 'echo "$0" > /proc/sys/net/ipv4/ping_group_range; ip link set lo up; "$@"' "$r" "$@"
}
for r in "0 2147483647" "1 0" "1000 1000"; do
	for u in 0 1000; do
		want=$(run "$r" setpriv --reuid $u --regid $u --clear-groups /usr/bin/python3 -c "$probe" 2>&1)
		got=$(run "$r" "$B/sandbox" run --uid $u --gid $u -- /usr/bin/python3 -c "$probe" 2>&1)
		[ "$want" = "$got" ] || fail "range '$r', uid $u: inside '$got', natively '$want'"
		inside=$(run "$r" "$B/sandbox" run -- cat /proc/sys/net/ipv4/ping_group_range | tr '\t' ' ')
		[ "$inside" = "$r" ] || fail "range '$r': the sandbox's is '$inside'"
	done
done
out=$(run "0 2147483647" "$B/sandbox" run -- unshare -n cat /proc/sys/net/ipv4/ping_group_range | tr '\t' ' ')
[ "$out" = "1 0" ] || fail "a new namespace inside starts from '$out', not Linux's '1 0'"
out=$(run "1 0" "$B/sandbox" run --sysctl 'net.ipv4.ping_group_range=5 6' -- cat /proc/sys/net/ipv4/ping_group_range | tr '\t' ' ')
[ "$out" = "5 6" ] || fail "--sysctl: '$out'"
out=$(run "0 2147483647" "$B/sandbox" run -- ping -c 1 -n 127.0.0.1 2>&1 | sed -n 2p | sed 's/time=.*//')
[ "$out" = "64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 " ] || fail "ping inside: '$out'"
[ "$(cat /proc/sys/net/ipv4/ping_group_range)" = "$host" ] || fail "the host's range changed"
echo "ping_group_range: the caller's, per namespace, ping works where it lets in"
