#!/bin/sh
# --net host, differentially: tests/security/net_probe.c talks TCP and UDP to a host-side
# server (tests/security/net_server.py) on the host's non-loopback address, natively and
# in the sandbox; the outputs must be the same (EINPROGRESS then SO_ERROR, ECONNREFUSED,
# ECONNABORTED, EISCONN, poll/epoll/select, shutdown, EPIPE and SIGPIPE, UDP echo). IPv6
# too when the host has a global IPv6 source address. Skips without such an address.
B=${1:-build}
PY=/usr/bin/python3
[ -x "$PY" ] || { echo "no $PY"; exit 77; }
addr4=$(ip -4 route get 1.1.1.1 2>/dev/null | sed -n 's/.* src \([0-9.]*\).*/\1/p')
addr6=$(ip -6 route get 2606:4700::1111 2>/dev/null | sed -n 's/.* src \([0-9a-f:]*\).*/\1/p')
[ -n "$addr4$addr6" ] || { echo "no non-loopback host address"; exit 77; }
case $B in /*) base=$B ;; *) base=$PWD/$B ;; esac
d=$(mktemp -d "$base/net-diff.XXXXXX") || exit 1
pids=""
trap 'kill $pids 2>/dev/null; rm -rf "$d"' EXIT
fail() { echo "$*"; exit 1; }
cc -O1 -static -o "$d/net_probe" tests/security/net_probe.c || fail "cannot build net_probe.c"
n=0
for a in $addr4 $addr6; do
	"$PY" tests/security/net_server.py "$a" >"$d/ports.$n" &
	pids="$pids $!"
	for _ in $(seq 50); do [ -s "$d/ports.$n" ] && break; sleep 0.1; done
	read -r open other <"$d/ports.$n" || fail "server on $a did not start"
	# a closed port: one the server had and freed (nothing listens there now)
	closed=$("$PY" -c 'import socket,sys; f=socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
s=socket.socket(f); s.bind((sys.argv[1],0)); print(s.getsockname()[1])' "$a")
	"$d/net_probe" "$a" "$open" "$closed" >"$d/native.$n" 2>&1
	timeout 60 "$B/sandbox" run --net host -- "$d/net_probe" "$a" "$open" "$closed" \
		>"$d/sandbox.$n" 2>&1
	if ! cmp -s "$d/native.$n" "$d/sandbox.$n"; then
		echo "$a: native and sandbox differ:"
		diff -u "$d/native.$n" "$d/sandbox.$n" | head -20
		exit 1
	fi
	grep -q "body: egress-ok /blocking" "$d/native.$n" || fail "$a: the probe itself failed"
	n=$((n + 1))
done
echo "--net host: TCP and UDP as native ($n address families)"
