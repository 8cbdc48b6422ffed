#!/bin/sh
# The sandbox's cgroup (sandbox only: the host's cgroups are not involved): its root shows
# --memory and --pids as memory.max and pids.max and does not let the guest change them
# (nsdelegate: EPERM; /sys/fs/cgroup is read-only: EROFS); in a child cgroup memory.max refuses
# mappings past it with ENOMEM (counted in memory.events) and pids.max refuses a fork;
# the run goes on and reports no sandbox limit reached.
B=${1:-build}
case $B in /*) ;; *) B=$(pwd)/$B ;; esac
d=$(mktemp -d "${TMPDIR:-/var/tmp}/sandbox-cgroup.XXXXXX") || exit 1
trap 'rm -rf "$d"' EXIT
fail() { echo "$*"; exit 1; }
[ "$(id -u)" = 0 ] || { echo "not root: skipped"; exit 77; }

out=$(timeout -k 2 60 "$B/sandbox" run --memory 512M --pids 50 --json "$d/r.json" -- /usr/bin/python3 -c '
import errno, mmap, os
def rd(p):
    with open(p) as f:
        return f.read().strip()
def wr(p, v):
    try:
        with open(p, "w") as f:
            f.write(v)
        return "ok"
    except OSError as e:
        return errno.errorcode[e.errno]
print("root", rd("/sys/fs/cgroup/memory.max"), rd("/sys/fs/cgroup/pids.max"))
print("ro", wr("/sys/fs/cgroup/memory.max", "1G"), wr("/sys/fs/cgroup/cgroup.procs", "1"))
os.makedirs("/tmp/cg")
os.system("mount -t cgroup2 none /tmp/cg")
c = "/tmp/cg"
print("root write", wr(c + "/memory.max", "1G"), wr(c + "/pids.max", "10"), wr(c + "/cgroup.freeze", "1"))
print("enable with a process here", wr(c + "/cgroup.subtree_control", "+memory"))
os.mkdir(c + "/init")
wr(c + "/init/cgroup.procs", str(os.getpid()))
print("enable", wr(c + "/cgroup.subtree_control", "+memory +pids"), rd(c + "/cgroup.subtree_control"))
os.mkdir(c + "/t")
print("limits", wr(c + "/t/memory.max", "64M"), rd(c + "/t/memory.max"), wr(c + "/t/pids.max", "1"))
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    os.read(r, 1)
    try:
        m = mmap.mmap(-1, 32 << 20, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
        small = "ok"
    except OSError as e:
        small = errno.errorcode[e.errno]
    try:
        m2 = mmap.mmap(-1, 64 << 20, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
        big = "ok"
    except OSError as e:
        big = errno.errorcode[e.errno]
    try:
        os.fork()
        f = "ok"
    except OSError as e:
        f = errno.errorcode[e.errno]
    print("child", small, big, "fork", f, flush=True)
    os._exit(0)
wr(c + "/t/cgroup.procs", str(pid))
os.write(w, b"x")
os.waitpid(pid, 0)
ev = dict(l.split() for l in rd(c + "/t/memory.events").splitlines())
print("events max", int(ev["max"]) > 0, "pids", rd(c + "/t/pids.events"))
peak = int(rd(c + "/t/memory.peak"))
print("peak within", 32 << 20 <= peak <= 64 << 20, "current now", rd(c + "/t/memory.current"))
' 2>&1)
rc=$?
[ $rc -eq 0 ] || fail "exit $rc: $out"
want="root 536870912 50
ro EROFS EROFS
root write EPERM EPERM EPERM
enable with a process here EBUSY
enable ok memory pids
limits ok 67108864 ok
child ok ENOMEM fork EAGAIN
events max True pids max 1
peak within True current now 0"
[ "$out" = "$want" ] || fail "got: $out"
grep -q '"limits_reached": *\[\]' "$d/r.json" || fail "a sandbox limit reported: $(cat "$d/r.json")"
echo "cgroup limits: root shows --memory/--pids, memory.max ENOMEM, pids.max EAGAIN"
