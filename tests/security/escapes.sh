#!/bin/sh
# Runs each escape attempt of escape.c inside the sandbox; every one must be blocked.
# Attempts the filter answers by killing the process (32-bit entry, the x32 bit) must die
# of SIGSYS (exit 159); natively int80 and far_jump32 succeed and x32 gets ENOSYS.
B=${1:-build}
cc -O1 -static -o "$B/escape" tests/security/escape.c || { echo "cannot build escape.c"; exit 1; }
fail=0; n=0
for a in ptrace_host ptrace_parent vm_read kill_all kill_host mount umount unshare setns \
	bpf perf userfaultfd keyctl init_module kexec reboot io_uring socket dev_mem \
	dev_sda proc_root stub_page stub_unmap stub_mprotect; do
	n=$((n + 1))
	out=$(timeout 20 "$B/sandbox" run -- "$B/escape" $a 2>&1)
	case "$out" in
	BLOCKED*) ;;
	*) echo "not blocked: $a: $out"; fail=1 ;;
	esac
done
for a in int80 x32 far_jump32; do
	n=$((n + 1))
	out=$(timeout 20 "$B/sandbox" run -- "$B/escape" $a 2>&1); rc=$?
	[ $rc -eq 159 ] || { echo "not killed: $a (exit $rc): $out"; fail=1; }
done
# Creating /etc/x works inside (the overlay, as root), but the host must not see it.
n=$((n + 1))
rm -f /etc/sandbox-escape-marker
timeout 20 "$B/sandbox" run -- "$B/escape" write_etc >/dev/null 2>&1
[ -e /etc/sandbox-escape-marker ] && { echo "host /etc written"; rm -f /etc/sandbox-escape-marker; fail=1; }
[ $fail -eq 0 ] && echo "$n escape attempts blocked"
exit $fail
