#!/bin/sh
# --files 64: an fd bomb stops at EMFILE below 64 descriptors, and --json lists "files" in
# limits_reached; --fsize 1M: a write past it fails with EFBIG (SIGXFSZ ignored), "fsize".
B=${1:-build}
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
fail() { echo "$*"; exit 1; }

json() {
	/usr/bin/python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); sys.exit(0 if eval(sys.argv[2]) else 1)' "$1" "$2" ||
		fail "$1: expected $2, got $(cat "$1")"
}

out=$(timeout -k 2 30 "$B/sandbox" run --files 64 --json "$d/fd.json" -- /usr/bin/python3 -c '
import os, errno
fds = []
try:
    while True:
        fds.append(os.open("/dev/null", os.O_RDONLY))
except OSError as e:
    print(errno.errorcode[e.errno], max(fds) == 63, len(fds) > 50)
') ; rc=$?
[ $rc -eq 0 ] && [ "$out" = "EMFILE True True" ] || fail "fd bomb: exit $rc, output: $out"
json "$d/fd.json" 'j["exit_code"] == 0 and j["limit_hit"] is None and j["limits_reached"] == ["files"]'

out=$(timeout -k 2 30 "$B/sandbox" run --fsize 1M --json "$d/fsize.json" -- /usr/bin/python3 -c '
import os, signal, errno
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
fd = os.open("/tmp/big", os.O_WRONLY | os.O_CREAT)
n = 0
try:
    while True:
        n += os.write(fd, b"x" * 65536)
except OSError as e:
    print(errno.errorcode[e.errno], n == 1 << 20)
'); rc=$?
[ $rc -eq 0 ] && [ "$out" = "EFBIG True" ] || fail "fsize: exit $rc, output: $out"
json "$d/fsize.json" 'j["limits_reached"] == ["fsize"]'
echo "fd bomb stopped at EMFILE under --files 64; writes past --fsize get EFBIG; both reported"
