#!/bin/sh
# --trace FILE: one line per trapped syscall with decoded arguments and the result, so a user
# can see why a tool fails (here: the ENOENT of a missing file, with its path).
B=${1:-build}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
"$B/sandbox" run --trace "$log" -- /bin/cat /nonexistent-for-trace 2>/dev/null
grep -q '^\[1\] openat(AT_FDCWD, "/nonexistent-for-trace", O_RDONLY, 0) = -1 ENOENT (No such file or directory)$' "$log" ||
	{ echo "no decoded openat line: $(grep nonexistent "$log")"; exit 1; }
grep -q '^\[1\] exit_group(1) = <host>$' "$log" || { echo "no exit_group line: $(tail -2 "$log")"; exit 1; }
# execve's path is read before the new image replaces the memory it is in
"$B/sandbox" run --trace "$log" -- /bin/sh -c '/bin/true' 2>/dev/null
grep -q '^\[[0-9]*\] execve("/bin/true", 0x[0-9a-f]*, 0x[0-9a-f]*) = <done>$' "$log" ||
	{ echo "no decoded execve line: $(grep execve "$log")"; exit 1; }
echo "trace decodes paths, flags and errors ($(wc -l <"$log") lines)"
