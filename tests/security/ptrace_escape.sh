#!/bin/sh
# A guest tracer reaches only guest tasks (pids are virtual), never the stub region, and
# cannot take a tracee around its seccomp filter or the sentry: registers are checked as
# Linux does (plus no compat code segment), and a call changed at its entry stop is what
# the stub filter and the sentry see.
B=${1:-build}
[ -x "$B/ptrace_escape" ] && [ "$B/ptrace_escape" -nt tests/security/ptrace_escape.c ] ||
	cc -O1 -static -I. -o "$B/ptrace_escape" tests/security/ptrace_escape.c || exit 1
out=$(timeout 60 "$B/sandbox" run -- "$B/ptrace_escape" 2>&1)
if echo "$out" | grep -q '^PASSED$'; then
	echo "ptrace confined: $(echo "$out" | grep -c '^ok') checks"
	exit 0
fi
echo "ptrace escape: $(echo "$out" | grep -v '^ok' | tr '\n' ';')"
exit 1
