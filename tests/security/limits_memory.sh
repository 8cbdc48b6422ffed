#!/bin/sh
# --memory 64M: an allocation bomb gets ENOMEM inside (MemoryError), a disk bomb on the
# in-memory /tmp gets ENOSPC (and deleting the file gives the memory back), fork of a big
# process fails with ENOMEM (the child would be charged again), and memory touched past the
# limit where no allocation could fail (MAP_NORESERVE) ends the run: exit 122, "memory limit"
# on stderr, limit_hit "memory" in --json, every guest process gone. Usage errors exit 123.
B=${1:-build}
. "$(dirname "$0")/proctree.sh"
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
fail() { echo "$*"; exit 1; }
SB="$B/sandbox"

# json FILE EXPR: a Python expression over the result j must hold.
json() {
	/usr/bin/python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); sys.exit(0 if eval(sys.argv[2]) else 1)' "$1" "$2" ||
		fail "$1: expected $2, got $(cat "$1")"
}

out=$(timeout -k 2 30 "$SB" run --memory 64M --json "$d/alloc.json" -- /usr/bin/python3 -c '
a = []
try:
    while True:
        a.append(bytearray(1 << 20))
except MemoryError:
    print("MemoryError", 32 <= len(a) < 64)
' 2>"$d/alloc.err"); rc=$?
[ $rc -eq 0 ] && [ "$out" = "MemoryError True" ] || fail "allocation bomb: exit $rc, output: $out $(cat "$d/alloc.err")"
grep -q "memory limit (64M) reached" "$d/alloc.err" || fail "allocation bomb: no warning: $(cat "$d/alloc.err")"
json "$d/alloc.json" 'j["exit_code"] == 0 and j["limit_hit"] is None and j["limits_reached"] == ["memory"] and j["memory_limit_bytes"] == 64 << 20 and 48 << 20 < j["peak_memory_bytes"] <= 64 << 20'

out=$(timeout -k 2 30 "$SB" run --memory 64M --json "$d/disk.json" -- /bin/sh -c '
dd if=/dev/zero of=/tmp/fill bs=1M 2>&1 | grep -c "No space left on device"
rm /tmp/fill
dd if=/dev/zero of=/tmp/fill bs=1M count=40 2>/dev/null && echo rewritten' 2>/dev/null); rc=$?
[ $rc -eq 0 ] && [ "$out" = "1
rewritten" ] || fail "disk bomb: exit $rc, output: $out"
json "$d/disk.json" '"memory" in j["limits_reached"] and j["limit_hit"] is None'

out=$(timeout -k 2 30 "$SB" run --memory 64M -- /usr/bin/python3 -c '
import os, errno
big = bytearray(40 << 20)
try:
    pid = os.fork()
    if pid == 0: os._exit(0)
    os.waitpid(pid, 0); print("forked")
except OSError as e:
    print(errno.errorcode[e.errno])
del big
pid = os.fork()
if pid == 0: os._exit(7)
print("after freeing:", os.waitpid(pid, 0)[1] >> 8)
' 2>/dev/null); rc=$?
[ $rc -eq 0 ] && [ "$out" = "ENOMEM
after freeing: 7" ] || fail "fork charge: exit $rc, output: $out"

"$SB" run --memory 64M --json "$d/touch.json" -- /usr/bin/python3 -c '
import mmap, os
if os.fork() == 0:
    import time; time.sleep(30)
maps = []
while True:
    m = mmap.mmap(-1, 1 << 20, flags=mmap.MAP_PRIVATE | 0x4000)  # MAP_NORESERVE
    m.write(b"x" * (1 << 20))
    maps.append(m)
' 2>"$d/touch.err" &
cli=$!
sleep 0.3
pids=$(tree $cli)
wait $cli; rc=$?
sleep 0.3
[ $rc -eq 122 ] || fail "touch bomb: expected exit 122, got $rc: $(cat "$d/touch.err")"
grep -q "^sandbox: memory limit (64M) reached: every guest process was killed" "$d/touch.err" ||
	fail "touch bomb: no message: $(cat "$d/touch.err")"
json "$d/touch.json" 'j["exit_code"] == 122 and j["limit_hit"] == "memory" and not j["sandbox_error"] and j["peak_memory_bytes"] > 64 << 20'
left=$(alive $pids)
[ -z "$left" ] || fail "touch bomb: left behind:$left"

# Thread stacks are charged by what they touch (as MAP_NORESERVE), not their 8 MiB each:
# 200 threads run in 32M; stacks touched past the limit still end the run.
out=$(timeout -k 2 30 "$SB" run --memory 32M -- /usr/bin/python3 -c '
import threading
ev = threading.Event()
ts = [threading.Thread(target=ev.wait) for _ in range(200)]
for t in ts: t.start()
ev.set()
for t in ts: t.join()
print("200 threads")' 2>&1); rc=$?
[ $rc -eq 0 ] && [ "$out" = "200 threads" ] || fail "threads under 32M: exit $rc, output: $out"
timeout -k 2 30 "$SB" run --memory 64M -- /usr/bin/python3 -c '
import mmap
maps = []
while True:
    m = mmap.mmap(-1, 1 << 20, flags=mmap.MAP_PRIVATE | 0x20000)  # MAP_STACK
    m.write(b"x" * (1 << 20))
    maps.append(m)
' 2>"$d/stack.err"; rc=$?
[ $rc -eq 122 ] && grep -q "^sandbox: memory limit (64M) reached" "$d/stack.err" ||
	fail "stack touch bomb: expected exit 122, got $rc: $(cat "$d/stack.err")"

# A memfd of 1G charges only its pages (as Linux's shmem): mapped shared it maps under 64M,
# writes to it past the limit get ENOSPC, and pages touched through the mapping past the
# limit end the run as the others do.
out=$(timeout -k 2 30 "$SB" run --memory 64M -- /usr/bin/python3 -c '
import errno, mmap, os
fd = os.memfd_create("w")
os.ftruncate(fd, 1 << 30)
m = mmap.mmap(fd, 1 << 30, flags=mmap.MAP_SHARED)
n = 0
try:
    while True:
        n += os.pwrite(fd, b"y" * (1 << 20), n)
except OSError as e:
    print(errno.errorcode[e.errno], 32 <= n >> 20 < 64)' 2>/dev/null); rc=$?
[ $rc -eq 0 ] && [ "$out" = "ENOSPC True" ] || fail "sparse memfd writes: exit $rc, output: $out"
timeout -k 2 30 "$SB" run --memory 64M -- /usr/bin/python3 -c '
import mmap, os
fd = os.memfd_create("bomb")
os.ftruncate(fd, 1 << 30)
m = mmap.mmap(fd, 1 << 30, flags=mmap.MAP_SHARED)
for off in range(0, 1 << 30, 1 << 20):
    m[off:off + (1 << 20)] = b"x" * (1 << 20)
' 2>"$d/memfd.err"; rc=$?
[ $rc -eq 122 ] && grep -q "^sandbox: memory limit (64M) reached" "$d/memfd.err" ||
	fail "shared memfd touch bomb: expected exit 122, got $rc: $(cat "$d/memfd.err")"

for bad in 0 abc 512Q 100; do
	"$SB" run --memory $bad -- /bin/true 2>/dev/null
	[ $? -eq 123 ] || fail "--memory $bad: expected a usage error (123)"
done
echo '{"memory": "64M"}' >"$d/p.json"
out=$("$SB" run --profile "$d/p.json" -- /bin/grep MemTotal /proc/meminfo)
[ "$out" = "MemTotal:          65536 kB" ] || fail "profile memory / meminfo: $out"
echo "memory limit: ENOMEM, ENOSPC, fork refused, touch bombs ended with exit 122, 200 threads in 32M, host unaffected"
