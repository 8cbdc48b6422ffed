#!/bin/sh
# The container's network namespace, as runc gives it: with a path (docker's, podman's) the
# guest's connections leave through that namespace; without one, a new empty namespace that
# the state's pid is in (so an engine's hook that sets it up through /proc/PID/ns/net, as
# docker's libnetwork-setkey does, sets up this one and never the host's). Two namespaces
# of the test's own joined by a veth pair, an HTTP server in the second one.
# Skips without root or `ip`.
. "$(dirname "$0")/lib.sh"
command -v ip >/dev/null 2>&1 || { echo "no ip"; exit 77; }
[ "$(id -u)" = 0 ] || { echo "needs root for ip netns"; exit 77; }
ns=sboci-$$ peer=sboci-peer-$$
spid=
cleanup_net() {
	[ -n "$spid" ] && kill $spid 2>/dev/null
	ip netns del $ns 2>/dev/null; ip netns del $peer 2>/dev/null
	cleanup
}
trap cleanup_net EXIT
ip netns add $ns && ip netns add $peer || { echo "cannot add network namespaces"; exit 77; }
ip -n $ns link add a0 type veth peer name b0 netns $peer &&
	ip -n $ns addr add 10.231.9.1/30 dev a0 && ip -n $ns link set a0 up &&
	ip -n $peer addr add 10.231.9.2/30 dev b0 && ip -n $peer link set b0 up ||
	{ echo "cannot set up the namespaces"; exit 77; }
mkdir -p "$D/www" && echo served > "$D/www/f"
ip netns exec $peer "$PY" -c '
import http.server, functools, sys
h = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
h.log_message = lambda *a: None
s = http.server.HTTPServer(("10.231.9.2", 0), h)
print(s.server_address[1], flush=True)
s.serve_forever()
' "$D/www" >"$D/port" 2>/dev/null &
spid=$!
for _ in $(seq 50); do [ -s "$D/port" ] && break; sleep 0.1; done
port=$(cat "$D/port")
[ -n "$port" ] || fail "the server did not start"
url=http://10.231.9.2:$port/f

# a path: the engine's namespace, joined
make_bundle "$D/p" "c['process']['args'] = ['wget', '-q', '-O', '-', '$url']
c['linux']['namespaces'] = [n for n in c['linux']['namespaces'] if n['type'] != 'network'] + [{'type': 'network', 'path': '/run/netns/$ns'}]"
ln -sf busybox "$D/p/rootfs/bin/wget"
out=$(oci run -b "$D/p" withpath 2>&1)
[ "$out" = served ] || fail "network namespace path: got: $out"

# no path: a new, empty namespace (nothing reached), the state's pid in it, not in ours
make_bundle "$D/n" "c['process']['args'] = ['wget', '-q', '-O', '-', '$url']"
ln -sf busybox "$D/n/rootfs/bin/wget"
oci run -b "$D/n" empty >"$D/empty.out" 2>&1
[ "$(cat "$D/empty.out")" = "wget: can't connect to remote host (10.231.9.2): Network is unreachable" ] ||
	fail "a new namespace: got: $(cat "$D/empty.out")"
oci create -b "$D/n" fresh >"$D/n.out" 2>&1 || fail "create (new namespace) failed: $(cat "$D/n.out")"
pid=$(state_field fresh pid)
[ -n "$pid" ] && [ "$(readlink /proc/$pid/ns/net)" != "$(readlink /proc/self/ns/net)" ] ||
	fail "the state's pid $pid is in the caller's network namespace"
# a hook-like setup of /proc/PID/ns/net: the veth's first end moved there
ip -n $ns link set a0 netns /proc/$pid/ns/net && ip -n $ns link del a0 2>/dev/null
nsenter --net=/proc/$pid/ns/net ip addr add 10.231.9.1/30 dev a0 &&
	nsenter --net=/proc/$pid/ns/net ip link set a0 up || fail "setting up the container's namespace"
oci start fresh || fail "start failed"
wait_status fresh stopped || fail "the container did not end"
oci delete fresh >/dev/null 2>&1
[ "$(cat "$D/n.out")" = served ] || fail "set up through the state's pid: got: $(cat "$D/n.out")"
echo "network namespaces: a path joined, a new one set up through the state's pid"
