#!/bin/sh
# Pid namespaces made inside the sandbox are the sentry's own numbering, never the host's:
# a guest in a nested pid namespace sees only its namespace's processes (its /proc lists
# small numbers, its NSpid line one level), cannot signal a process of the sandbox outside
# its namespace nor any host process (kill -0 of the host's pids: ESRCH), and its
# kill(-1, SIGKILL) reaches neither the sandbox's other processes nor the host's.
B=${1:-build}
sleep 30 &
host=$!
out=$("$B/sandbox" run -- /bin/sh -c '
	sleep 20 &
	outer=$!
	/usr/bin/unshare -p -f --mount-proc /bin/sh -c "
		for p in $0 $outer; do kill -0 \$p 2>/dev/null && echo sees \$p; done
		echo procs \$(ls /proc | grep -E \"^[0-9]+\$\" | sort -n | tail -1)
		grep NSpid /proc/self/status
		sleep 10 &
		kill -9 -1
		wait
		echo inner done
	"
	kill -0 $outer && echo outer sleeper alive
	kill $outer
' "$host" 2>&1)
rc=0
echo "$out"
kill -0 $host 2>/dev/null || { echo "the host's sleeper died"; rc=1; }
kill $host 2>/dev/null
wait $host 2>/dev/null
echo "$out" | grep -q "^sees" && { echo "a host or outer pid is visible inside"; rc=1; }
echo "$out" | grep -q "^procs [1-9]$" || { echo "the nested /proc lists more than its namespace"; rc=1; }
echo "$out" | grep -q "^NSpid:	[0-9]*$" || { echo "NSpid shows more than one level"; rc=1; }
echo "$out" | grep -q "^inner done$" || { echo "the nested namespace's init did not survive"; rc=1; }
echo "$out" | grep -q "^outer sleeper alive$" || { echo "kill -1 inside reached outside"; rc=1; }
exit $rc
