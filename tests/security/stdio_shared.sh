#!/bin/sh
# Std fds (and --preserve-fds ones) that are one open file description on the host
# (`>log 2>&1`, `3>&1`) are one inside too: a status flag set through one (O_NONBLOCK, as
# ssh sets on its stdout, or O_APPEND) shows through the others, as natively; fds that
# are different descriptions stay apart. Compared with the same probe run natively.
# Before, each std fd was a file of its own inside, so `2>&1` lost the sharing.
B=${1:-build}
fail() { echo "$*"; exit 1; }
command -v python3 >/dev/null || { echo "no python3"; exit 77; }
d=$(mktemp -d "${TMPDIR:-/var/tmp}/stdio_shared.XXXXXX") || exit 1
trap 'rm -rf "$d"' EXIT

cat > "$d/p.py" <<'EOF'
import fcntl, os, sys
def fl(fd):
    f = fcntl.fcntl(fd, fcntl.F_GETFL)
    return "%s%s" % ("N" if f & os.O_NONBLOCK else "-", "A" if f & os.O_APPEND else "-")
fds = [int(a) for a in sys.argv[1:]]
out = []
for fd, bit in ((1, os.O_NONBLOCK), (1, os.O_APPEND)):
    fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) | bit)
    out.append(" ".join(fl(f) for f in fds))
    fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~bit)
os.write(fds[-1], ("; ".join(out) + "\n").encode())
EOF
# each probe writes its line on its last fd; both lines go to the same capture file
run() { # NAME PRESERVE REDIRECTIONS
	name=$1 keep=$2 redir=$3
	eval "python3 \"$d/p.py\" 0 1 2 $([ "$keep" = 0 ] || echo 3) $redir" </dev/null
	cp "$d/cap" "$d/n.$name"
	eval "\"$B/sandbox\" run --preserve-fds $keep -- python3 \"$d/p.py\" 0 1 2 \
		$([ "$keep" = 0 ] || echo 3) $redir" </dev/null
	cp "$d/cap" "$d/s.$name"
	[ -s "$d/n.$name" ] || fail "$name: the native probe printed nothing"
	cmp -s "$d/n.$name" "$d/s.$name" ||
		fail "$name: native '$(cat "$d/n.$name")', sandbox '$(cat "$d/s.$name")'"
}
# 2>&1 onto a file: fds 1 and 2 one description
run both-one 0 '>"$d/cap" 2>&1'
# two files: apart
run apart 0 '>"$d/other" 2>"$d/cap"'
# --preserve-fds: 3>&1, and stderr apart
run preserved 1 '>"$d/cap" 3>&1 2>"$d/other"'
# a pipe on all of 1 and 2
python3 "$d/p.py" 0 1 2 </dev/null 2>&1 | cat > "$d/n.pipe"
"$B/sandbox" run -- python3 "$d/p.py" 0 1 2 </dev/null 2>&1 | cat > "$d/s.pipe"
cmp -s "$d/n.pipe" "$d/s.pipe" ||
	fail "pipe: native '$(cat "$d/n.pipe")', sandbox '$(cat "$d/s.pipe")'"
grep -q '^-- N- N-;' "$d/n.pipe" || fail "pipe: natively '$(cat "$d/n.pipe")', not shared"

echo "shared and separate std fds: as natively"
