#!/bin/sh
# A listening socket given as fd 3 (--preserve-fds 1: socket activation, a test harness)
# accepts inside as natively: a non-blocking accept with none waiting is EAGAIN, poll and
# epoll report a waiting connection, the accepted socket has the kind, names, peer address,
# SOCK_CLOEXEC and (unix) the peer's credentials it has natively, and echoes what a client
# on the host sends (accept_passed.py compares, over TCP and a unix socket).
B=$(cd "${1:-build}" && pwd) || exit 1
T=$(cd "$(dirname "$0")" && pwd)
fail() { echo "$*"; exit 1; }
d=$(mktemp -d "${TMPDIR:-/var/tmp}/sandbox-accept.XXXXXX") || exit 1
trap 'rm -rf "$d"' EXIT
export ACC_DIR="$d"

for kind in tcp unix; do
	timeout 60 python3 "$T/accept_passed.py" $kind python3 "$T/accept_passed.py" guest \
		>"$d/nat.out" 2>&1 || fail "$kind natively: $(tail -2 "$d/nat.out")"
	timeout 60 python3 "$T/accept_passed.py" $kind "$B/sandbox" run --preserve-fds 1 -- \
		python3 "$T/accept_passed.py" guest >"$d/sb.out" 2>&1 ||
		fail "$kind inside: $(tail -2 "$d/sb.out")"
	cmp -s "$d/nat.out" "$d/sb.out" ||
		fail "$kind accept differs: $(diff "$d/nat.out" "$d/sb.out" | head -5)"
done
echo "accept on a given listening socket (tcp, unix) as natively ($(wc -l < "$d/sb.out") lines)"
