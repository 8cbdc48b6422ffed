#!/bin/sh
# /proc/sys/kernel/core_pattern and core_uses_pid inside are the sandbox's own: the guest's
# root sets them, the sentry names its core files by them (Linux's format_corename:
# %e %s %% %u %p..., %E the executable's path now (after a rename), ".PID" for
# core_uses_pid, a directory that is missing or a pipe pattern: no core) and leaves MADV_DONTDUMP memory out of them; the host's values never
# change.
B=${1:-build}
case $B in /*) ;; *) B=$(pwd)/$B ;; esac
fail() { echo "$*"; exit 1; }
host_pattern=$(cat /proc/sys/kernel/core_pattern)
host_pid=$(cat /proc/sys/kernel/core_uses_pid)
out=$("$B/sandbox" run -- /bin/sh -c '
	ulimit -c unlimited; mkdir /tmp/cores; cd /tmp/cores
	echo "/tmp/cores/c.%e.%s.%%.%u" > /proc/sys/kernel/core_pattern || echo "write refused"
	cat /proc/sys/kernel/core_pattern
	sh -c "kill -SEGV \$\$"; echo "segv: $?"
	echo "/tmp/cores/missing/core" > /proc/sys/kernel/core_pattern
	sh -c "kill -ABRT \$\$"; echo "no directory: $?"
	echo "|/bin/cat" > /proc/sys/kernel/core_pattern
	sh -c "kill -ABRT \$\$"; echo "pipe: $?"
	echo "cx" > /proc/sys/kernel/core_pattern; echo 1 > /proc/sys/kernel/core_uses_pid
	sh -c "kill -QUIT \$\$"; echo "uses_pid: $?"
	echo "/tmp/cores/e.%E" > /proc/sys/kernel/core_pattern
	mkdir /tmp/x; cp /bin/sleep /tmp/x/sl; /tmp/x/sl 10 & p=$!; sleep 0.3
	mv /tmp/x/sl /tmp/x/moved; kill -SEGV $p; wait $p; echo "renamed: $?"
	ls /tmp/cores | sed "s/[0-9][0-9]*\$/N/"' 2>/dev/null)
# MADV_DONTDUMP memory is left out of the core, the rest of the anonymous memory is in it
# (two page patterns made in place, so that no other copy of them is in the process)
py=$(mktemp "${TMPDIR:-/var/tmp}/sandbox-core.XXXXXX") || exit 1
cat > "$py" <<'EOF'
import mmap, os, sys
pat = lambda m, c, n: bytes((i * m + c) % 251 for i in range(n))
if sys.argv[1] == "dump":
    a = mmap.mmap(-1, 4096)
    b = mmap.mmap(-1, 4096)
    for i in range(4096):
        a[i] = (i * 7 + 3) % 251
        b[i] = (i * 11 + 5) % 251
    a.madvise(mmap.MADV_DONTDUMP)
    os.abort()
core = open([f for f in os.listdir() if f.startswith("core")][0], "rb").read()
print("dontdump in core:", pat(7, 3, 64) in core, "other in core:", pat(11, 5, 64) in core)
EOF
dd=$("$B/sandbox" run -- /bin/sh -c "ulimit -c unlimited; mkdir /tmp/c && cd /tmp/c
	/usr/bin/python3 $py dump; /usr/bin/python3 $py check" 2>/dev/null)
rm -f "$py"
[ "$dd" = "dontdump in core: False other in core: True" ] || fail "MADV_DONTDUMP: $dd"
[ "$(cat /proc/sys/kernel/core_pattern)" = "$host_pattern" ] || fail "the host's core_pattern changed"
[ "$(cat /proc/sys/kernel/core_uses_pid)" = "$host_pid" ] || fail "the host's core_uses_pid changed"
[ "$out" = "/tmp/cores/c.%e.%s.%%.%u
segv: 139
no directory: 134
pipe: 134
uses_pid: 131
renamed: 139
c.sh.11.%.N
cx.N
e.!tmp!x!moved.N" ] || fail "core files not named by the sandbox's core_pattern: $out"
echo "core_pattern and core_uses_pid are the sandbox's; cores follow them and MADV_DONTDUMP, the host's stay"
exit 0
