#!/bin/sh
# A FIFO in a --rw directory (made inside or already on the host) is a pipe inside the
# sandbox: its readers and writers meet in the sentry; it was EACCES to open. The host
# FIFO itself is not opened (a host process on it is not connected to the guest's).
B=${1:-build}
case $B in /*) ;; *) B=$(pwd)/$B ;; esac
d=$(mktemp -d "${TMPDIR:-/var/tmp}/sandbox-rwfifo.XXXXXX") || exit 1
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
exit 0
