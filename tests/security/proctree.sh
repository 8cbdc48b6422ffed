# Shared by the security tests: process-tree helpers that need only /proc (no procps).
# tree PID: the pids of all descendants of PID.
# (one pass over /proc: a slow machine must not lose a short-lived tree between passes)
tree() {
	cat /proc/[0-9]*/stat 2>/dev/null | awk -v root="$1" '{ parent[$1] = $4 }
		END { q[0] = root; n = 1
		      for (i = 0; i < n; i++)
			      for (p in parent)
				      if (parent[p] == q[i]) { print p; q[n++] = p } }'
}
# alive PIDS...: those of PIDS that still run (a zombie is dead; reaping orphans is up to
# the host's init), as "pid(comm)".
alive() {
	for p in "$@"; do
		state=$(awk '{print $3}' /proc/$p/stat 2>/dev/null)
		[ -n "$state" ] && [ "$state" != Z ] && printf ' %s(%s)' "$p" "$(cat /proc/$p/comm 2>/dev/null)"
	done
}
# tree_at_least PID N: the pids of PID's descendants once there are N of them, or those
# there are when PID has ended or after about 30 s. A test that looked after a fixed sleep
# raced the sandbox's start on a loaded (or briefly paused) machine.
tree_at_least() {
	_i=0
	while :; do
		_t=$(tree "$1")
		[ "$(echo $_t | wc -w)" -ge "$2" ] || [ -z "$(alive "$1")" ] || [ $_i -ge 1500 ] && break
		_i=$((_i + 1))
		sleep 0.02
	done
	echo $_t
}
