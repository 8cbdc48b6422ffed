#!/bin/sh
# When the host refuses what the sandbox needs, `sandbox run` exits 125 with one line that
# names the cause and the fix. tests/security/deny.c plays a restrictive container runtime
# (a seccomp filter making chosen host syscalls fail with EPERM); bwrap --disable-userns
# plays an outer sandbox that forbids nested user namespaces.
B=${1:-build}
# LeakSanitizer (ASan builds) needs ptrace at exit, which the first case takes away
export ASAN_OPTIONS=detect_leaks=0
cc -O1 -o "$B/deny" tests/security/deny.c $(pkg-config --cflags --libs libseccomp) ||
	{ echo "cannot build deny.c"; exit 1; }
fail=0; n=0
err=$(mktemp)
trap 'rm -f "$err"' EXIT
check() { # what, expected pattern, command...
	what=$1; pat=$2; shift 2
	n=$((n + 1))
	"$@" >/dev/null 2>"$err"; rc=$?
	if [ $rc -ne 125 ] || [ "$(wc -l <"$err")" -ne 1 ] || ! grep -Eq "$pat" "$err"; then
		echo "$what: exit $rc, message: $(cat "$err")"; fail=1
	fi
}
check "ptrace refused" "ptrace.*(sysctl|seccomp|ptrace_scope)" \
	"$B/deny" ptrace -- "$B/sandbox" run -- /bin/true
check "user namespaces refused" "user namespace.*(sysctl|seccomp|clone)" \
	"$B/deny" clone@0x10000000,unshare,clone3 -- "$B/sandbox" run -- /bin/true
if command -v bwrap >/dev/null 2>&1 && bwrap --dev-bind / / --unshare-user --disable-userns true 2>/dev/null; then
	check "nested user namespaces disabled" "nested user namespaces" \
		bwrap --dev-bind / / --unshare-user --disable-userns -- "$B/sandbox" run -- /bin/true
fi
[ $fail -eq 0 ] && echo "$n refused host features explained in one line each"
exit $fail
