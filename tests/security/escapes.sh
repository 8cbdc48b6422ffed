#!/bin/sh
# Runs each escape attempt of escape.c inside the sandbox; every one must be blocked.
# Attempts the filter answers by killing the process (32-bit entry, the x32 bit) must die
# of SIGSYS (exit 159); natively int80 and far_jump32 succeed and x32 gets ENOSYS.
B=${1:-build}
cc -O1 -static -I. -o "$B/escape" tests/security/escape.c || { echo "cannot build escape.c"; exit 1; }
fail=0; n=0
# A host process listening on an abstract unix socket (unix_abstract tries to connect).
sock=sandbox-escape-$$
fd3=$(mktemp)
/usr/bin/python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX); s.bind("\0" + sys.argv[1]); s.listen(8); s.settimeout(60)
while True:
    c, _ = s.accept(); print("accepted", flush=True)
' "$sock" >"$fd3.log" 2>/dev/null &
listener=$!
host_name=$(hostname)
host_core=$(cat /proc/sys/kernel/core_pattern)
rm -f /tmp/sandbox-core-escape
# A key in the host's user keyring (if the host allows keyctl): the guest must not find it.
hostkey=$(/usr/bin/python3 -c '
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
print(libc.syscall(248, b"user", b"sandbox-host-key", b"v", 1, -4))' 2>/dev/null)
trap 'kill $listener 2>/dev/null; rm -f "$fd3" "$fd3.log"
[ "${hostkey:--1}" -gt 0 ] 2>/dev/null && /usr/bin/python3 -c "
import ctypes, sys
ctypes.CDLL(None).syscall(250, 21, int(sys.argv[1]))" "$hostkey"' EXIT
sleep 0.2
for a in ptrace_host ptrace_parent vm_read kill_all kill_host mount umount unshare setns \
	bpf perf userfaultfd keyctl init_module kexec reboot io_uring socket dev_mem \
	dev_sda proc_root stub_page stub_unmap stub_mprotect stub_syscall stub_batch open_by_handle modify_ldt \
	iopl ioperm settime syslog swapon pivot_root fsopen open_tree fanotify add_key kcmp \
	ptrace_traceme mknod_blockdev core_pattern uevent_helper clone_newuser inherited_fd \
	sethostname namespaces tiocsti "unix_abstract $sock"; do
	n=$((n + 1))
	# fd 3 is open on a host file the guest must not reach (inherited_fd)
	out=$(ESCAPE_HOST_PID=$$ timeout 20 "$B/sandbox" run -- "$B/escape" $a 2>&1 3>>"$fd3")
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
[ "$(cat /proc/sys/kernel/core_pattern)" = "$host_core" ] || { echo "the host's core_pattern changed"; fail=1; }
[ -e /tmp/sandbox-core-escape ] && { echo "a core_pattern program ran on the host"; rm -f /tmp/sandbox-core-escape; fail=1; }
grep -q sandbox-guest-key /proc/keys 2>/dev/null && { echo "a key added inside reached the host's keyrings"; fail=1; }
[ -s "$fd3" ] && { echo "inherited fd 3 written: $(cat "$fd3")"; fail=1; }
[ -s "$fd3.log" ] && { echo "the host socket accepted a connection from inside"; fail=1; }
[ "$(hostname)" = "$host_name" ] || { echo "host name changed to $(hostname)"; hostname "$host_name"; fail=1; }
# namespaces: what the guest did in its own UTS, IPC and mount namespaces stays inside
grep -q sandbox-escape-ns /proc/self/mountinfo && { echo "a guest mount reached the host"; fail=1; }
grep -qiE '^ *(1583107667|1583107668) ' /proc/sysvipc/msg /proc/sysvipc/shm 2>/dev/null &&
	{ echo "a guest IPC object reached the host"; fail=1; }
# Creating /etc/x works inside (the overlay, as root), but the host must not see it.
n=$((n + 1))
rm -f /etc/sandbox-escape-marker
timeout 20 "$B/sandbox" run -- "$B/escape" write_etc >/dev/null 2>&1
[ -e /etc/sandbox-escape-marker ] && { echo "host /etc written"; rm -f /etc/sandbox-escape-marker; fail=1; }
[ $fail -eq 0 ] && echo "$n escape attempts blocked"
exit $fail
