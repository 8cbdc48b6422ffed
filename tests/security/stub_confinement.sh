#!/bin/sh
# Every stub (the zygote and the guest's) is no stronger than the sentry: it carries the
# sentry's seccomp filter with its own stacked on top, no_new_privs, no capability the sentry
# lacks, the sentry's empty root as root and cwd (no host directory), the sentry's cgroup and
# its CPU pinning. The sentry makes its root empty and confines itself before it waits for
# the CLI, and makes every stub afterwards: this checks that they inherit all of it.
B=${1:-build}
. "$(dirname "$0")/proctree.sh"
"$B/sandbox" run -- /bin/sleep 30 &
cli=$!
pids=$(tree_at_least $cli 4) # the gofer, the sentry, the zygote, the guest's stub
out=$(/usr/bin/python3 - "$cli" $pids <<'PY'
import os, sys
cli, pids = sys.argv[1], sys.argv[2:]
def status(p):
    d = {}
    for line in open("/proc/%s/status" % p):
        k, _, v = line.partition(":")
        d[k] = v.strip()
    return d
def ppid(p):
    return open("/proc/%s/stat" % p).read().rsplit(") ", 1)[1].split()[1]
comm = {p: open("/proc/%s/comm" % p).read().strip() for p in pids}
sentry = [p for p in pids if ppid(p) == cli and comm[p] != "sandbox-gofer"]
if len(sentry) != 1:
    sys.exit("expected one sentry under the CLI: %s" % comm)
s = sentry[0]
stubs = [p for p in pids if ppid(p) == s]
if len(stubs) < 2:
    sys.exit("expected the zygote and a guest stub under the sentry, saw %d" % len(stubs))
try:
    sroot = os.stat("/proc/%s/root/" % s)
    entries = os.listdir("/proc/%s/root/" % s)
except PermissionError:
    print("cannot inspect the sentry's root from here")
    sys.exit(77)
hroot = os.stat("/")
if (sroot.st_dev, sroot.st_ino) == (hroot.st_dev, hroot.st_ino) or entries:
    sys.exit("the sentry's root is not the empty root: %s" % entries)
ss = status(s)
if ss["NoNewPrivs"] != "1" or ss["Seccomp"] != "2":
    sys.exit("the sentry is not confined: NoNewPrivs %s Seccomp %s" % (ss["NoNewPrivs"], ss["Seccomp"]))
scg = open("/proc/%s/cgroup" % s).read()
for p in stubs:
    st = status(p)
    bad = []
    if st["NoNewPrivs"] != "1":
        bad.append("NoNewPrivs %s" % st["NoNewPrivs"])
    if st["Seccomp"] != "2" or int(st["Seccomp_filters"]) != int(ss["Seccomp_filters"]) + 1:
        bad.append("%s seccomp filters (the sentry has %s, so want one more)"
                   % (st["Seccomp_filters"], ss["Seccomp_filters"]))
    for cap in ("CapEff", "CapPrm", "CapInh", "CapBnd", "CapAmb"):
        if int(st[cap], 16) & ~int(ss[cap], 16):
            bad.append("%s %s beyond the sentry's %s" % (cap, st[cap], ss[cap]))
    for what in ("root", "cwd"):
        d = os.stat("/proc/%s/%s/" % (p, what))
        if (d.st_dev, d.st_ino) != (sroot.st_dev, sroot.st_ino):
            bad.append("its %s is not the sentry's empty root" % what)
    if open("/proc/%s/cgroup" % p).read() != scg:
        bad.append("not in the sentry's cgroup")
    if st["Cpus_allowed_list"] != ss["Cpus_allowed_list"]:
        bad.append("CPUs %s, the sentry's %s" % (st["Cpus_allowed_list"], ss["Cpus_allowed_list"]))
    if bad:
        sys.exit("stub %s: %s" % (p, "; ".join(bad)))
print("%d stubs: the sentry's filter and their own, no_new_privs, no extra capability, "
      "the empty root and cwd, the sentry's cgroup and CPU" % len(stubs))
PY
)
rc=$?
kill $cli 2>/dev/null
wait $cli 2>/dev/null
echo "$out"
exit $rc
