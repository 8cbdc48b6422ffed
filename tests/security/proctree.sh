# Shared by the security tests: process-tree helpers that need only /proc (no procps).
# tree PID: the pids of all descendants of PID.
tree() {
	for c in $(cat /proc/[0-9]*/stat 2>/dev/null | awk -v p="$1" '$4 == p {print $1}'); do
		echo "$c"; tree "$c"
	done
}
# alive PIDS...: those of PIDS that still run (a zombie is dead; reaping orphans is up to
# the host's init), as "pid(comm)".
alive() {
	for p in "$@"; do
		state=$(awk '{print $3}' /proc/$p/stat 2>/dev/null)
		[ -n "$state" ] && [ "$state" != Z ] && printf ' %s(%s)' "$p" "$(cat /proc/$p/comm 2>/dev/null)"
	done
}
