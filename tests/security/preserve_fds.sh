#!/bin/sh
# The caller's descriptors beyond 0-2 reach the program only when asked (--preserve-fds N,
# runc's option: fds 3 to 3+N-1), as a result channel; then they behave as natively (the
# same reads and writes, compared with a native run). Never otherwise: a descriptor the
# caller leaked (a socket, a secret file) is not the guest's. A closed one among them is a
# usage error, not a hole that one of the sandbox's own sockets would fill.
B=$(cd "${1:-build}" && pwd) || exit 1
fail() { echo "$*"; exit 1; }
d=$(mktemp -d "${TMPDIR:-/var/tmp}/sandbox-fds.XXXXXX") || exit 1
trap 'rm -rf "$d"' EXIT
printf 'line one\nline two\n' > "$d/in"
prog='read a <&3; echo "got: $a" >&4; cat <&3 >&4; echo err >&2; [ -e /proc/self/fd/5 ] && echo fd5 >&4; exit 3'

sh -c "$prog" 3<"$d/in" 4>"$d/native" 5<&- 2>/dev/null
want=$?
"$B/sandbox" run --preserve-fds 2 -- /bin/sh -c "$prog" 3<"$d/in" 4>"$d/sandbox" 5</dev/null 2>/dev/null
got=$?
[ "$want" = "$got" ] || fail "--preserve-fds 2: status $got, natively $want"
cmp -s "$d/native" "$d/sandbox" || fail "--preserve-fds 2: fd 4 got '$(cat "$d/sandbox")', natively '$(cat "$d/native")'"

# the same from a profile
echo '{"preserve-fds": 1}' > "$d/profile.json"
out=$("$B/sandbox" run --profile "$d/profile.json" -- /bin/sh -c 'cat <&3' 3<"$d/in")
[ "$out" = "$(cat "$d/in")" ] || fail "profile preserve-fds: got '$out'"

# not asked: the caller's fd 3 is closed inside
out=$("$B/sandbox" run -- /bin/sh -c 'cat <&3 && echo readable' 3<"$d/in" 2>&1)
case $out in
*readable*|*"line one"*) fail "fd 3 reached the program without --preserve-fds: $out" ;;
*"Bad file descriptor"*) ;;
*) fail "fd 3 without --preserve-fds: unexpected '$out'" ;;
esac

# a closed one among them: exit 123 and one line saying which
out=$("$B/sandbox" run --preserve-fds 2 -- /bin/true 3<"$d/in" 2>&1)
rc=$?
[ $rc = 123 ] && [ "$(echo "$out" | wc -l)" = 1 ] && echo "$out" | grep -q "fd 4 is not open" ||
	fail "--preserve-fds past an open fd: rc $rc, '$out'"

# runc's `run --preserve-fds N ID` (no "--") is still the OCI runtime's run
out=$(cd "$d" && "$B/sandbox" run --preserve-fds 1 someid 3<"$d/in" 2>&1)
echo "$out" | grep -q "config.json" || fail "run --preserve-fds N ID is not OCI's run: '$out'"
echo "--preserve-fds passes fds 3.. as natively; none without it; a closed one refused"
