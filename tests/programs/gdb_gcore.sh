# gcore inside the sandbox: a core of a running process (its memory through /proc/PID/mem,
# which mappings to dump from /proc/PID/smaps), then gdb reads the core: the backtrace
# names libc's function, which needs the program's written .data (r_debug) in the core.
set -e
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
gcc -g -O0 -o "$d/pauser" "$1/pauser.c"
"$d/pauser" &
p=$!
sleep 0.3
gcore -o "$d/core" $p >/dev/null 2>&1 && echo "gcore ok"
kill $p 2>/dev/null
wait $p 2>/dev/null || true
gdb -nx -batch -ex 'bt' "$d/pauser" "$d/core.$p" 2>&1 |
	sed -n 's/^#\([0-9]*\) .* in \([a-z_]*\) (.*/#\1 \2/p; s/^#\([0-9]*\) *\([a-z_]*\) (.*/#\1 \2/p'
gdb -nx -batch -ex 'info sharedlibrary' "$d/pauser" "$d/core.$p" 2>&1 | grep -o 'libc\.so\.6$'
