#!/bin/sh
# Owners of what a non-root guest (--uid/--gid other than the caller's) makes in a --rw
# directory, differentially: the same script runs natively as that user (setpriv) and
# inside; the owners, modes and results must match. New objects are the guest's, with the
# group of a setgid directory, so the guest can use a directory it made (they were the
# host caller's: mkdir d && touch d/f failed with EACCES, git init failed). Setting times
# keeps the owners (the gofer once chowned to the times: 400497753:250000000). A new
# object's ctime is its birth and modification time (not moved by a chown). Needs root.
B=${1:-build}
case $B in /*) ;; *) B=$(pwd)/$B ;; esac
[ "$(id -u)" = 0 ] || { echo "not root: skipped"; exit 77; }
command -v setpriv >/dev/null || { echo "no setpriv"; exit 77; }
d=$(mktemp -d "${TMPDIR:-/var/tmp}/sandbox-rwowner.XXXXXX") || exit 1
trap 'rm -rf "$d"' EXIT
chmod 0711 "$d"
fail() { echo "$*"; exit 1; }
script='umask 022
mkdir d && echo x > d/f && echo made-inside-own-dir
mkdir -p d/e/f && ln -s f d/l && mkfifo d/p
install -m 4755 /dev/null d/suid
mkdir sg/in && : > sg/in/f && : > sg/f
touch -d @400497753.25 d/f d/e && touch -d @400497753.5 d/f && echo times-set-twice
: > d/n && mkdir d/nd && ln -s x d/nl && for p in d/n d/nd d/nl; do
	[ "$(stat -c "%.9W %.9Y" $p)" = "$(stat -c "%.9Z %.9Z" $p)" ] && echo "$p born-once"
done
for p in d d/f d/e d/e/f d/l d/p d/suid sg/in sg/in/f sg/f; do
	stat -c "%n %u %g %A" $p
done
chmod 700 d && chgrp 1000 d/f && echo own-chmod-chgrp
chown 0 d/f 2>/dev/null || echo chown-away-refused'
for w in nat sb; do
	mkdir -p "$d/$w/sg"
	chmod 0777 "$d/$w"
	chgrp 2000 "$d/$w/sg" && chmod 2777 "$d/$w/sg"
done
nat=$(cd "$d/nat" && setpriv --reuid 1000 --regid 1000 --clear-groups sh -c "$script" 2>&1)
sb=$("$B/sandbox" run --quiet --uid 1000 --gid 1000 --rw "$d/sb" --cwd "$d/sb" \
	-- sh -c "$script" 2>&1)
[ "$nat" = "$sb" ] || fail "owners differ: native: $(echo "$nat" | tr '\n' '|') inside: $(echo "$sb" | tr '\n' '|')"
h=$(cd "$d/sb" && stat -c "%n %u %g %a" d/f d/suid sg/in/f | tr '\n' '|')
[ "$h" = "d/f 1000 1000 644|d/suid 1000 1000 4755|sg/in/f 1000 2000 644|" ] ||
	fail "host owners: $h"
echo "new objects in --rw are the guest's (uid 1000, setgid group, set-user-ID kept)"
