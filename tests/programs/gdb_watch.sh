# gdb inside the sandbox: a hardware watchpoint (debug registers set with PTRACE_POKEUSER)
# in a thread, while the main thread sleeps in pthread_join; stepping over the breakpoint
# writes program text through /proc/PID/mem (displaced stepping). Only the watchpoint's
# reports and the program's output are compared.
set -e
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
gcc -g -O0 -pthread -o "$d/watch" "$1/watch.c"
gdb -nx -batch -ex 'break worker' -ex run -ex 'watch counter' -ex continue -ex continue \
	-ex continue -ex delete -ex continue "$d/watch" 2>&1 |
	sed -n -e 's/^\(Hardware watchpoint [0-9]*: counter\)$/\1/p' -e 's/^\(Old value = .*\)/\1/p' \
		-e 's/^\(New value = .*\)/\1/p' -e 's/^\(counter [0-9]*\)$/\1/p' \
		-e 's/^\[Inferior 1 (process [0-9]*) \(exited .*\)\]$/\1/p' -e 's/.*\(Cannot\|Error\|error\).*/&/p'
