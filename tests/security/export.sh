#!/bin/sh
# --changes FILE and --export DIR: the JSON lists what the program created, modified and
# deleted in the overlay (host files untouched), DIR mirrors the new and changed files, and
# both still happen after --timeout and when the program is killed. A hostile guest
# (symlinks with absolute and ../ targets, fifos, long names, odd bytes in names) cannot make
# the export write anything outside DIR.
B=${1:-build}
case $B in /*) ;; *) B=$(pwd)/$B ;; esac
export LC_ALL=C
d=$(mktemp -d "${TMPDIR:-/var/tmp}/sandbox-export.XXXXXX") || exit 1
trap 'rm -rf "$d"' EXIT
fail() { echo "$*"; exit 1; }
mkdir -p "$d/work/sub" "$d/canary"
echo keep > "$d/work/keep"
echo gone > "$d/work/gone"
echo old > "$d/work/sub/old"
mkdir -p "$d/work/tree/in"
echo t1 > "$d/work/tree/t1"
echo t2 > "$d/work/tree/in/t2"
ln -s t1 "$d/work/tree/tl"
snap() { (cd "$d" && find work canary -printf '%p %y %m %s %T@\n' | sort && cat work/keep); }
before=$(snap)
PY=/usr/bin/python3

# 1. the document and the files
(cd "$d/work" && "$B/sandbox" run --changes "$d/c1.json" --export "$d/out1" -- /bin/sh -c '
	echo new > new.txt; echo more >> keep; rm gone; mkdir -p dir/deep; echo f > dir/deep/f
	ln -s ../keep dir/rel; ln new.txt hard; chmod 640 new.txt; rm -r sub; mkdir sub
	echo again > sub/again; mkfifo fifo; mv tree moved; rm moved/t1; echo t3 > moved/in/t3') ||
	fail "run 1 failed"
[ "$(snap)" = "$before" ] || fail "the host changed"
$PY - "$d/c1.json" "$d/work" <<'PY' || fail "run 1: wrong change list"
import json, sys
doc = json.load(open(sys.argv[1])); w = sys.argv[2]
got = {c["path"][len(w):]: c for c in doc["changes"]}
want = {"/new.txt": ("created", "file", "0640"), "/keep": ("modified", "file", "0644"),
        "/gone": ("deleted", "file", "0644"), "/dir": ("created", "dir", None),
        "/dir/deep": ("created", "dir", None), "/dir/deep/f": ("created", "file", None),
        "/dir/rel": ("created", "symlink", None), "/hard": ("created", "file", None),
        "/sub": ("modified", "dir", None), "/sub/again": ("created", "file", None),
        "/fifo": ("created", "fifo", None), "/tree": ("deleted", "dir", None),
        "/moved": ("created", "dir", None), "/moved/in": ("created", "dir", None),
        "/moved/in/t2": ("created", "file", None), "/moved/in/t3": ("created", "file", None),
        "/moved/tl": ("created", "symlink", None)}
ok = doc["complete"] and set(got) == set(want)
for p, (ch, ty, mode) in want.items():
    c = got.get(p, {})
    ok = ok and c.get("change") == ch and c.get("type") == ty and (mode is None or c.get("mode") == mode)
ok = ok and got["/dir/rel"]["target"] == "../keep" and got["/keep"]["size"] == 10
ok = ok and got["/hard"].get("link", "").endswith("/new.txt") and got["/sub"].get("opaque") is True
ok = ok and list(got).index("/dir") < list(got).index("/dir/deep/f")
if not ok:
    print(json.dumps(doc, indent=1)); sys.exit(1)
PY
o="$d/out1$d/work"
[ "$(cat "$o/new.txt")" = new ] && [ "$(cat "$o/keep")" = "keep
more" ] && [ "$(cat "$o/dir/deep/f")" = f ] && [ "$(readlink "$o/dir/rel")" = ../keep ] &&
	[ "$(stat -c %a "$o/new.txt")" = 640 ] && [ "$(cat "$o/sub/again")" = again ] &&
	[ ! -e "$o/gone" ] && [ ! -e "$o/fifo" ] && [ "$(cat "$o/moved/in/t2")" = t2 ] &&
	[ "$(readlink "$o/moved/tl")" = t1 ] && [ ! -e "$o/moved/t1" ] && [ ! -e "$o/tree" ] || fail "run 1: exported files wrong: $(cd "$d/out1" && find . | head -20)"

# 2. after --timeout, and after the program is killed, nothing written is lost
(cd "$d/work" && "$B/sandbox" run --timeout 5 --changes "$d/c2.json" --export "$d/out2" -- \
	$PY -c '
import mmap, time
open("written", "w").write("w")
f = open("mapped", "w+b"); f.write(b"\0" * 4096); f.flush()
m = mmap.mmap(f.fileno(), 4096); m[0:5] = b"hello"
time.sleep(60)' 2>/dev/null); rc=$?
[ $rc -eq 124 ] || fail "--timeout with --changes: exit $rc"
[ "$(cat "$d/out2$d/work/written")" = w ] && [ "$(head -c 5 "$d/out2$d/work/mapped")" = hello ] ||
	fail "after --timeout: files missing"
grep -q '"complete": true' "$d/c2.json" || fail "after --timeout: incomplete list"
(cd "$d/work" && "$B/sandbox" run --changes "$d/c3.json" -- /bin/sh -c 'echo k > killed; kill -9 $$'); rc=$?
[ $rc -eq 137 ] && grep -q '/killed"' "$d/c3.json" || fail "killed program: exit $rc, $(cat "$d/c3.json")"

# 3. a hostile guest
long=$(printf 'n%.0s' $(seq 255))
(cd "$d/work" && "$B/sandbox" run --export "$d/out3" --changes "$d/c4.json" -- /bin/sh -c "
	ln -s $d/canary abs; ln -s ../../../../../../../../$d/canary up; ln -s / root
	mkdir x; ln -s ../.. x/dotdot; mkfifo x/fifo; echo l > $long
	printf 'nl' > \"\$(printf 'a\nb')\"; printf 'bad' > \"\$(printf 'b\\377c')\"
	mkdir -p deep; cd deep; i=0; while [ \$i -lt 40 ]; do mkdir $long || break; cd $long; i=\$((i+1)); done
	echo deep > f" 2>/dev/null) || fail "run 3 failed"
[ "$(snap)" = "$before" ] || fail "hostile guest: something outside DIR changed"
[ -z "$(ls -A "$d/canary")" ] || fail "hostile guest: wrote into the canary"
o="$d/out3$d/work"
[ "$(readlink "$o/abs")" = "$d/canary" ] && [ "$(readlink "$o/x/dotdot")" = ../.. ] &&
	[ "$(cat "$o/$long")" = l ] && [ ! -e "$o/x/fifo" ] || fail "hostile guest: export wrong"
$PY - "$d/c4.json" <<'PY' || fail "hostile guest: odd names not in the list"
import json, sys
doc = json.load(open(sys.argv[1]))
names = [c["path"].rsplit("/", 1)[-1] for c in doc["changes"]]
hexes = [c.get("path_hex", "") for c in doc["changes"]]
sys.exit(0 if "a\nb" in names and any(h.endswith("62ff63") for h in hexes) and doc["skipped"] > 0 else 1)
PY

# 4. bad --export directories are usage errors
mkdir "$d/full"; touch "$d/full/x"
"$B/sandbox" run --export "$d/full" -- /bin/true 2>/dev/null; [ $? -eq 123 ] || fail "non-empty DIR accepted"
"$B/sandbox" run --export "$d/work/keep" -- /bin/true 2>/dev/null; [ $? -eq 123 ] || fail "DIR a file accepted"
echo "change list and export complete, also after a timeout or a kill; nothing escapes DIR"
