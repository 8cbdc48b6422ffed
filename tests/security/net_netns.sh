#!/bin/sh
# --netns PATH: with --net host the gofer makes its host sockets in that network namespace
# (what the OCI runtime does with a container's namespace path), never in the caller's.
# Two namespaces of the test's own joined by a veth pair, addresses the host's namespace has
# no route to, a TCP server in the second: reached with --netns of the first, not without;
# an address elsewhere (no default route there) is ENETUNREACH inside exactly as natively
# in the namespace; the sentry and the guest still have no interface of the namespace (their
# own loopback only). Bad paths are one-line usage errors. Skips without root or `ip`.
B=${1:-build}
PY=/usr/bin/python3
command -v ip >/dev/null 2>&1 && [ -x "$PY" ] || { echo "needs ip and $PY"; exit 77; }
[ "$(id -u)" = 0 ] || { echo "needs root for ip netns"; exit 77; }
case $B in /*) ;; *) B=$PWD/$B ;; esac
ns=sbtest-$$ peer=sbtest-peer-$$
d=$(mktemp -d "${TMPDIR:-/var/tmp}/sandbox-netns.XXXXXX") || exit 1
spid=
trap '[ -n "$spid" ] && kill $spid 2>/dev/null; ip netns del $ns 2>/dev/null; ip netns del $peer 2>/dev/null; rm -rf "$d"' EXIT
fail() { echo "$*"; exit 1; }
ip netns add $ns && ip netns add $peer || { echo "cannot add network namespaces"; exit 77; }
ip -n $ns link add a0 type veth peer name b0 netns $peer &&
	ip -n $ns addr add 10.231.7.1/30 dev a0 && ip -n $ns link set a0 up &&
	ip -n $peer addr add 10.231.7.2/30 dev b0 && ip -n $peer link set b0 up &&
	ip -n $ns link set lo up || { echo "cannot set up the namespaces"; exit 77; }
ip netns exec $peer "$PY" -c '
import socket, sys
s = socket.socket(); s.bind(("10.231.7.2", 0)); s.listen(8)
print(s.getsockname()[1], flush=True)
while True:
    c, _ = s.accept(); c.sendall(b"from the namespace\n"); c.close()
' >"$d/port" 2>/dev/null &
spid=$!
for _ in $(seq 50); do [ -s "$d/port" ] && break; sleep 0.1; done
port=$(cat "$d/port")
[ -n "$port" ] || fail "the server in the namespace did not start"
cat >"$d/probe.py" <<'EOF'
import socket, sys
for host, port in ((sys.argv[1], int(sys.argv[2])), ("192.0.2.1", 80)):
    s = socket.socket(); s.settimeout(3)
    try:
        s.connect((host, port)); print(s.recv(100).decode().strip())
    except OSError as e:
        print(type(e).__name__ if isinstance(e, socket.timeout) else e.strerror)
print(sorted(n for _, n in socket.if_nameindex()))
EOF
native=$(ip netns exec $ns "$PY" "$d/probe.py" 10.231.7.2 "$port" 2>&1 | head -2)
[ "$native" = "from the namespace
Network is unreachable" ] || fail "natively in the namespace: $native"
out=$("$B/sandbox" run --net host --netns /run/netns/$ns -- "$PY" "$d/probe.py" 10.231.7.2 "$port" 2>&1)
[ "$out" = "$native
['lo']" ] || fail "--netns: got: $out"
out=$("$B/sandbox" run --net host -- "$PY" "$d/probe.py" 10.231.7.2 "$port" 2>&1 | head -1)
[ "$out" != "from the namespace" ] || fail "without --netns the namespace's address was reached"
mkfifo "$d/fifo"
for bad in "--net host --netns $d/port" "--net host --netns /nonexistent" "--netns /run/netns/$ns" \
	"--net host --netns $d/fifo"; do
	# shellcheck disable=SC2086
	msg=$(timeout 20 "$B/sandbox" run $bad -- /bin/true 2>&1); rc=$?
	[ $rc -eq 123 ] && [ "$(echo "$msg" | wc -l)" -eq 1 ] || fail "$bad: expected one usage error line, got $rc: $msg"
done
echo "--netns: the gofer's sockets are the namespace's, the guest's loopback its own"
