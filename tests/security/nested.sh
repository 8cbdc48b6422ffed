#!/bin/sh
# The sandbox inside itself (a build tool or grader that sandboxes its steps, run in a
# sandbox): the inner one starts with its stub page below the outer's (platform/ptrace:
# stub_page_map), its guests' calls reach it through the outer's user notifications, exit
# statuses pass through both layers, and an inner guest gets no further than any guest:
# neither the outer's stub page nor the inner's can be mapped over, unmapped, reprotected
# or used for calls, and the host is out of reach.
B=${1:-build}
S=$(realpath "$B/sandbox")
cc -O1 -static -I. -o "$B/escape" tests/security/escape.c || { echo "cannot build escape.c"; exit 1; }
E=$(realpath "$B/escape")
out=$(timeout 60 "$S" run -- "$S" run -- /bin/sh -c 'echo hi; exit 3' 2>&1); rc=$?
[ "$out" = hi ] && [ $rc -eq 3 ] || { echo "nested sh: exit $rc: $out"; exit 1; }
out=$(timeout 120 "$S" run -- "$S" run -- /usr/bin/python3 -c 'import json; print(json.dumps([1, {"a": 2}]))' 2>&1)
[ "$out" = '[1, {"a": 2}]' ] || { echo "nested python3: $out"; exit 1; }
# the outer's stub page (the default) and the inner's (the first place below it)
n=0
for stub in 7e8000000000 7c8000000000; do
	for a in stub_page stub_unmap stub_mprotect stub_syscall stub_batch ptrace_host \
		ptrace_parent kill_host; do
		n=$((n + 1))
		out=$(ESCAPE_STUB=$stub ESCAPE_HOST_PID=$$ timeout 60 "$S" run -- "$S" run -- "$E" $a 2>&1)
		case "$out" in
		BLOCKED*) ;;
		*) echo "not blocked inside the inner sandbox: $a ($stub): $out"; exit 1 ;;
		esac
	done
done
echo "nested runs pass exit status and output; $n escape attempts from inside blocked"
