#!/bin/sh
# FIFOs and unix sockets in a --rw directory. A FIFO (made inside or already on the host) is
# a pipe inside the sandbox: its readers and writers meet in the sentry (opening one was
# EACCES). bind() names a socket there as on a tmpfs: the name is a socket file on the host
# (nothing on the host listens on it), connect() and sendto() reach the guest's socket, a
# second bind is EADDRINUSE, and after unlink the name can serve another socket (bind was
# EPERM). Host processes on these names are never connected to the guest's.
B=${1:-build}
case $B in /*) ;; *) B=$(pwd)/$B ;; esac
d=$(mktemp -d "${TMPDIR:-/var/tmp}/sandbox-rwspecial.XXXXXX") || exit 1
trap 'rm -rf "$d"' EXIT
fail() { echo "$*"; exit 1; }
mkfifo "$d/old"
out=$(cd "$d" && "$B/sandbox" run --rw "$d" -- /bin/sh -c '
	mkfifo new && ls -l new | cut -c1
	echo via-new > new & cat new; wait
	echo via-old > old & cat old; wait
	exec 3<>old; echo both-ends >&3; read -r l <&3; echo "$l"' 2>&1)
[ "$out" = "p
via-new
via-old
both-ends" ] || fail "--rw FIFO: got: $out"
[ -p "$d/new" ] || fail "--rw FIFO: mkfifo did not reach the host"

out=$(cd "$d" && "$B/sandbox" run --rw "$d" -- /usr/bin/python3 -c '
import errno, os, socket, stat
s = socket.socket(socket.AF_UNIX)
s.bind("sock")
s.listen()
print("socket file:", stat.S_ISSOCK(os.lstat("sock").st_mode))
c = socket.socket(socket.AF_UNIX)
c.connect("sock")
a, _ = s.accept()
c.send(b"stream")
print(a.recv(10).decode())
try:
    socket.socket(socket.AF_UNIX).bind("sock")
except OSError as e:
    print("second bind:", errno.errorcode[e.errno])
os.unlink("sock")
d = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
d.bind("sock")
socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).sendto(b"dgram", "sock")
print(d.recv(10).decode())
d.close()
os.unlink("sock")
try:
    socket.socket(socket.AF_UNIX).connect("sock")
except OSError as e:
    print("connect after unlink:", errno.errorcode[e.errno])
socket.socket(socket.AF_UNIX).bind("kept")
' 2>&1)
[ "$out" = "socket file: True
stream
second bind: EADDRINUSE
dgram
connect after unlink: ENOENT" ] || fail "--rw socket: got: $out"
[ -S "$d/kept" ] && [ ! -e "$d/sock" ] || fail "--rw socket: host names: $(ls -la "$d")"
exit 0
