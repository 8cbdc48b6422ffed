#!/bin/sh
# Network namespaces inside are sentry objects: a guest that makes several (unshare -n,
# bwrap --unshare-net), brings their lo up and down, adds addresses and makes tun devices
# leaves the host's network as it was (interfaces, addresses, routes, seen from outside
# before, while and after), and no process of the sandbox enters a network namespace other
# than the sentry's own. With --net host, a new namespace has no way out (ENETUNREACH)
# while the initial one still reaches the host (checked when the host has a non-loopback
# IPv4 address).
B=${1:-build}
. "$(dirname "$0")/proctree.sh"
fail() { echo "$*"; exit 1; }
command -v ip >/dev/null || { echo "no ip(8)"; exit 77; }
snap() { ip -o link | sed 's/ qlen.*//'; ip -o addr | awk '{print $2, $3, $4}'; ip route show table all; }
before=$(snap)

"$B/sandbox" run -- /bin/sh -c '
	for i in 1 2 3; do
		unshare -n sh -c "ip link set lo up; ip addr add 10.77.$i.1/24 dev lo; \
			ip link set lo down; ip link set lo up" || exit 1
	done
	unshare -n /usr/bin/python3 -c "
import fcntl, os, struct
fd = os.open(\"/dev/net/tun\", os.O_RDWR)
fcntl.ioctl(fd, 0x400454ca, struct.pack(\"16sH22x\", b\"nsprobe%d\", 1))
os.system(\"ip link set lo up; ip addr add 10.78.0.1/24 dev lo; sleep 3\")
" &
	unshare -n sleep 3 &
	wait
	echo made' >"${TMPDIR:-/tmp}/netns.$$" 2>&1 &
cli=$!
pids=$(tree_at_least $cli 5) # the gofer, the sentry, the zygote, the shell and its children
during=$(snap)
out=$(/usr/bin/python3 - "$cli" $pids <<'PY'
import os, sys
cli, pids = sys.argv[1], sys.argv[2:]
def net(p):
    try:
        return os.readlink("/proc/%s/ns/net" % p)
    except OSError:
        return None
comm = {}
for p in pids:
    try:
        comm[p] = open("/proc/%s/comm" % p).read().strip()
    except OSError:
        pass
gofer = [p for p in comm if comm[p] == "sandbox-gofer"]
rest = [p for p in comm if p not in gofer and net(p)]
if len(rest) < 3:
    sys.exit("expected the sentry and stubs under the CLI: %s" % comm)
seen = set(net(p) for p in rest)
if len(seen) != 1:
    sys.exit("sandbox processes in %d network namespaces: %s" % (len(seen), seen))
if seen == {net(cli)}:
    sys.exit("the sandbox shares the host's network namespace")
print("%d sandbox processes in one network namespace" % len(rest))
PY
)
rc=$?
wait $cli
grc=$?
res=$(cat "${TMPDIR:-/tmp}/netns.$$"); rm -f "${TMPDIR:-/tmp}/netns.$$"
after=$(snap)
[ $rc -eq 0 ] || fail "$out"
[ $grc -eq 0 ] && [ "$res" = made ] || fail "the guest failed ($grc): $res"
[ "$before" = "$during" ] || fail "the host's network changed while the guest ran: $(echo "$during" | diff - /dev/stdin <<EOF
$before
EOF
)"
[ "$before" = "$after" ] || fail "the host's network changed"
echo "$out; the host's interfaces, addresses and routes as they were"

addr4=$(ip -4 route get 1.1.1.1 2>/dev/null | sed -n 's/.* src \([0-9.]*\).*/\1/p')
if [ -n "$addr4" ]; then
	probe='import socket, sys
s = socket.socket()
s.settimeout(5)
try:
    s.connect((sys.argv[1], 9))
    print("connected")
except OSError as e:
    print(e.__class__.__name__, e.errno)'
	init=$("$B/sandbox" run --net host -- /usr/bin/python3 -c "$probe" "$addr4" 2>&1)
	new=$("$B/sandbox" run --net host -- /usr/bin/unshare -n /usr/bin/python3 -c "$probe" "$addr4" 2>&1)
	[ "$new" = "OSError 101" ] || fail "--net host, new namespace: want ENETUNREACH, got: $new"
	[ "$init" != "$new" ] || fail "--net host, initial namespace: no way out either: $init"
	echo "--net host: the initial namespace reaches $addr4 ($init), a new one does not"
fi
