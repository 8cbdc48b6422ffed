#!/bin/sh
# After setup, the sentry's own seccomp allowlist refuses host calls outside it.
B=${1:-build}
out=$("$B/sandbox" run --selftest-forbidden-call 2>&1)
echo "$out" | grep -q '^openat: ENOSYS$' && echo "$out" | grep -q '^socket: ENOSYS$' &&
	echo "$out" | grep -q '^execve: ENOSYS$' && { echo "forbidden host calls refused"; exit 0; }
echo "forbidden host calls not refused: $out"; exit 1
