# gdb inside the sandbox: run a program that crashes (PIE, and static non-PIE) and print
# its backtrace: breakpoints in the dynamic loader, single steps, registers, memory and
# /proc/PID/auxv as gdb uses them. Only signal, function names and lines are compared.
set -e
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
gcc -g -O0 -o "$d/crash" "$1/crash.c"
gcc -g -O0 -static -no-pie -o "$d/crash_static" "$1/crash.c"
for p in crash crash_static; do
	echo "== $p"
	gdb -nx -batch -ex run -ex bt -ex 'info registers rip' -ex 'p n' -ex kill "$d/$p" 2>&1 |
		sed -n -e 's/^\(Program received signal [A-Z]*\).*/\1/p' \
			-e 's/^#\([0-9]*\) .* in \([a-z_]*\) (\(.*\)) at .*:\([0-9]*\)$/#\1 \2(\3):\4/p' \
			-e 's/^#\([0-9]*\) *\([a-z_]*\) (\(.*\)) at .*:\([0-9]*\)$/#\1 \2(\3):\4/p' \
			-e 's/^\$1 = /n = /p' -e 's/^rip .*<\(.*\)>$/rip in \1/p'
done
