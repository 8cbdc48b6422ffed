#!/bin/sh
# The sentry and the guest's stubs run in their own user, pid, mount, network, ipc and uts
# namespaces (none shared with the host), all of them owned by the sandbox's user namespace
# (so its root has no power over the host's network or mounts); the gofer stays on the host.
B=${1:-build}
. "$(dirname "$0")/proctree.sh"
"$B/sandbox" run -- /usr/bin/python3 -c 'import time; time.sleep(30)' &
cli=$!
pids=$(tree_at_least $cli 4) # the gofer, the sentry, the zygote, the guest's stub
out=$(/usr/bin/python3 - "$cli" $pids <<'PY'
import fcntl, os, sys
NS_GET_USERNS = 0xb701
NS = ["user", "pid", "mnt", "net", "ipc", "uts"]
cli, pids = sys.argv[1], sys.argv[2:]
def ns(p, n):
    return os.readlink("/proc/%s/ns/%s" % (p, n))
def owner(p, n):
    fd = os.open("/proc/%s/ns/%s" % (p, n), os.O_RDONLY)
    try:
        u = fcntl.ioctl(fd, NS_GET_USERNS)
        return os.fstat(u).st_ino
    finally:
        os.close(fd)
comm = {p: open("/proc/%s/comm" % p).read().strip() for p in pids}
gofer = [p for p in pids if comm[p] == "sandbox-gofer"]
sentry = [p for p in pids if open("/proc/%s/stat" % p).read().split(") ")[1].split()[1] == cli
          and p not in gofer]
if len(gofer) != 1 or len(sentry) != 1:
    sys.exit("expected one gofer and one sentry under the CLI: %s" % comm)
s = sentry[0]
stubs = [p for p in pids if p not in gofer and p != s]
if not stubs:
    sys.exit("no stub under the sentry")
bad = [n for n in NS if ns(s, n) == ns(cli, n)]
if bad:
    sys.exit("the sentry shares the host's %s namespace" % ",".join(bad))
userns = os.stat("/proc/%s/ns/user" % s).st_ino
for n in NS[1:]:
    if owner(s, n) != userns:
        sys.exit("the sentry's %s namespace is not owned by its user namespace" % n)
for p in stubs:
    diff = [n for n in NS if ns(p, n) != ns(s, n)]
    if diff:
        sys.exit("stub %s (%s) is not in the sentry's %s namespace" % (p, comm[p], ",".join(diff)))
g = [n for n in NS if ns(gofer[0], n) != ns(cli, n)]
if g:
    sys.exit("the gofer left the host's %s namespace" % ",".join(g))
print("sentry and %d stub(s) in their own 6 namespaces owned by their user namespace" % len(stubs))
PY
)
rc=$?
kill $cli 2>/dev/null
wait $cli 2>/dev/null
echo "$out"
exit $rc
