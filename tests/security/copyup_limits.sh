#!/bin/sh
# Copy-up against --memory: opening for writing a host file larger than --memory fails with
# ENOSPC (a full upper layer), gives back what the copy took (a 40 MiB write fits afterwards)
# and leaves the host file as it was; the sentry goes on (exit 0, "memory" refused in --json).
# A 1 TiB sparse host file copies up in a moment under the same limit: only its data ranges.
B=${1:-build}
case $B in /*) ;; *) B=$(pwd)/$B ;; esac
d=$(mktemp -d "${TMPDIR:-/var/tmp}/sandbox-copyup.XXXXXX") || exit 1
trap 'rm -rf "$d"' EXIT
fail() { echo "$*"; exit 1; }
PY=/usr/bin/python3

head -c $((96 << 20)) /dev/urandom >"$d/big" || exit 1
sparse=1
{ truncate -s 1T "$d/sparse" && printf head | dd of="$d/sparse" conv=notrunc 2>/dev/null &&
	printf mid | dd of="$d/sparse" bs=1 seek=$((1 << 39)) conv=notrunc 2>/dev/null; } || sparse=
[ -n "$sparse" ] || rm -f "$d/sparse"
snap() {
	(cd "$d" && stat -c '%n %s %a %Y' big && md5sum big &&
		if [ -n "$sparse" ]; then
			stat -c '%n %s %a %Y' sparse
			dd if=sparse bs=4096 count=1 2>/dev/null | md5sum
			dd if=sparse bs=4096 skip=$(((1 << 39) / 4096)) count=1 2>/dev/null | md5sum
		fi)
}
before=$(snap)

out=$(cd "$d" && timeout -k 2 50 "$B/sandbox" run --memory 64M --json "$d/r.json" -- $PY -c '
import errno, os, sys
def tryopen(p, fl):
    try:
        os.close(os.open(p, fl)); return "opened"
    except OSError as e:
        return errno.errorcode[e.errno]
print("big", tryopen("big", os.O_WRONLY | os.O_APPEND), os.stat("big").st_size)
with open("big", "rb") as f:
    print("still reads", len(f.read(1 << 20)))
print("again", tryopen("big", os.O_RDWR))
with open("/tmp/fill", "wb") as f:
    for _ in range(40):
        f.write(b"x" * (1 << 20))
print("memory given back", os.stat("/tmp/fill").st_size >> 20)
os.unlink("/tmp/fill")
if os.path.exists("sparse"):
    fd = os.open("sparse", os.O_RDWR)
    os.pwrite(fd, b"HE", 0)
    print("sparse", os.pread(fd, 4, 0), os.pread(fd, 3, 1 << 39), os.fstat(fd).st_size >> 40)
    os.close(fd)
else:
    print("sparse", b"HEad", b"mid", 1)
' 2>"$d/err"); rc=$?
[ $rc -eq 0 ] || fail "exit $rc: $out $(head -c 300 "$d/err")"
[ "$out" = "big ENOSPC 100663296
still reads 1048576
again ENOSPC
memory given back 40
sparse b'HEad' b'mid' 1" ] || fail "unexpected output: $out $(head -c 300 "$d/err")"
$PY -c 'import json, sys; j = json.load(open(sys.argv[1])); sys.exit(0 if j["exit_code"] == 0 and j["limit_hit"] is None and "memory" in j["limits_reached"] else 1)' "$d/r.json" ||
	fail "--json: $(cat "$d/r.json")"
[ "$(snap)" = "$before" ] || fail "the host files changed"
[ -n "$sparse" ] || { echo "no sparse file here: only the --memory part ran"; exit 0; }
echo "copy-up past --memory: ENOSPC, memory given back; 1 TiB sparse copy-up"
exit 0
