#!/bin/sh
# Writes inside the sandbox never reach the host: the host root is seen through a writable
# in-memory overlay (the guest sees its own writes, the host files stay as they were) and
# /tmp is in memory.
B=${1:-build}
case $B in /*) ;; *) B=$(pwd)/$B ;; esac
fail() { echo "$*"; rm -rf "$d"; rm -f "$name"; exit 1; }
d=$(mktemp -d "${TMPDIR:-/var/tmp}/sandbox-nhw.XXXXXX") || exit 1
mkdir "$d/sub"
echo keep > "$d/keep"
echo old > "$d/sub/old"
ln -s keep "$d/link"
snap() { (cd "$d" && find . -printf '%p %y %m %s %T@\n' | sort && cat keep sub/old); }
before=$(snap)
name=/tmp/sandbox-sec-$$
rm -f "$name"
out=$(cd "$d" && "$B/sandbox" run -- /bin/sh -c "
	echo x > $name; echo new > out.txt; echo more >> keep; rm sub/old; mkdir sub/d
	ln -sf out.txt link; chmod 600 keep; touch -d @0 out.txt; mv keep kept
	cat out.txt kept; ls sub; readlink link; stat -c %a kept
	touch /etc/sandbox-should-not-exist && echo etc-ok" 2>&1)
[ -e "$name" ] && fail "a guest write to $name reached the host"
[ -e /etc/sandbox-should-not-exist ] && { rm -f /etc/sandbox-should-not-exist; fail "host /etc was written"; }
[ "$out" = "new
keep
more
d
out.txt
600
etc-ok" ] || fail "the guest does not see its writes: $out"
after=$(snap)
[ "$before" = "$after" ] || fail "the host directory changed: $(echo "$after" | head -3)"
rm -rf "$d"
echo "guest writes stay inside, the guest sees them"; exit 0
