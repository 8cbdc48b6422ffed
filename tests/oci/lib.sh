# Shared by tests/oci/*.sh (sourced; $1 is the build directory). Each test gets a scratch
# directory with its own --root, and bundles whose rootfs holds a statically linked busybox.
B=${1:-build}
case $B in /*) ;; *) B=$(pwd)/$B ;; esac
SB=${SANDBOX:-$B/sandbox}
export LC_ALL=C
D=$(mktemp -d "${TMPDIR:-/var/tmp}/sandbox-oci.XXXXXX") || exit 1
ROOT=$D/state
PY=/usr/bin/python3
oci() { "$SB" --root "$ROOT" "$@"; }
cleanup() {
	for id in $(oci list -q 2>/dev/null); do oci delete --force "$id" >/dev/null 2>&1; done
	rm -rf "$D"
}
trap cleanup EXIT
fail() { echo "$*"; exit 1; }

BUSYBOX=$(command -v busybox)
[ -n "$BUSYBOX" ] && file -L "$BUSYBOX" 2>/dev/null | grep -q 'statically linked' ||
	{ echo "no statically linked busybox (busybox-static)"; exit 77; }
[ -x "$PY" ] || { echo "no $PY"; exit 77; }

# make_bundle DIR PYTHON: a bundle with `sandbox spec`'s config edited by PYTHON (c is the
# config), a rootfs with busybox as /bin/sh and friends.
make_bundle() {
	mkdir -p "$1/rootfs/bin" "$1/rootfs/etc" "$1/rootfs/tmp" || exit 1
	cp "$BUSYBOX" "$1/rootfs/bin/busybox" || exit 1
	for a in sh echo cat ls sleep id hostname env pwd test touch mkdir rm kill head; do
		ln -sf busybox "$1/rootfs/bin/$a"
	done
	echo container > "$1/rootfs/etc/name"
	(cd "$1" && "$SB" spec) || fail "spec failed"
	"$PY" - "$1/config.json" "$2" <<'PYEOF' || fail "editing the config failed"
import json, sys
path, code = sys.argv[1], sys.argv[2]
c = json.load(open(path))
c["process"]["terminal"] = False
exec(code)
json.dump(c, open(path, "w"), indent=1)
PYEOF
}

# wait_status ID STATUS: polls `state` until it says STATUS (10 s at most).
wait_status() {
	local i=0
	while [ $i -lt 200 ]; do
		oci state "$1" 2>/dev/null | grep -q "\"status\": \"$2\"" && return 0
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}

# state_field ID FIELD: one field of `state`.
state_field() {
	oci state "$1" | "$PY" -c "import json,sys; print(json.load(sys.stdin)['$2'])"
}

# gone PID: no such process, or only a zombie left for its parent to reap, within 3 s: a
# process still finishing its exit on a loaded machine (its memory being torn down) is not
# one left behind.
gone() {
	local st i=0
	while [ $i -lt 60 ]; do
		st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)
		[ -z "$st" ] || [ "$st" = Z ] || [ "$st" = X ] && return 0
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}

# in_pty ROWS COLS TYPED CMD ARGS...: CMD in a terminal of ROWS x COLS (0: unset) of its
# own (python's pty); TYPED (with \r for Enter) is typed at the first "# " prompt ('' types
# nothing). Prints what came out (without \r and NUL bytes), then "status N".
in_pty() {
	"$PY" - "$@" <<'PYEOF'
import fcntl, os, pty, select, struct, sys, termios, time
rows, cols, typed = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
pid, fd = pty.fork()
if pid == 0:
    if rows or cols:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    os.execvp(sys.argv[4], sys.argv[4:])
out, sent, t = b"", not typed, time.time()
while time.time() - t < 30:
    if select.select([fd], [], [], 0.2)[0]:
        try:
            c = os.read(fd, 4096)
        except OSError:
            break
        if not c:
            break
        out += c
    if not sent and b"# " in out:
        os.write(fd, typed.replace("\\r", "\r").encode())
        sent = True
st = os.waitpid(pid, 0)[1]
print(out.decode(errors="replace").replace("\r", "").replace("\0", "").strip())
print("status", os.waitstatus_to_exitcode(st))
PYEOF
}
