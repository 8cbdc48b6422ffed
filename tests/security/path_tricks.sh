#!/bin/sh
# No path trick leads a write out of a --rw mount onto the host: a symlink in it pointing out,
# `..` chains, /proc/self/root and /proc/self/cwd, and a race that keeps swapping a
# directory in the mount for a symlink to the host's /etc while another process writes
# through it. Every such write must land in the overlay (or inside HOST), never in the
# host's /etc or next to HOST.
B=${1:-build}
host=$(mktemp -d /var/tmp/sandbox-rw.XXXXXX)
tag=sandbox-trick-$$
trap 'rm -rf "$host"; rm -f /etc/$tag.*' EXIT
mkdir "$host/mnt" "$host/mnt/d"
"$B/sandbox" run --rw "$host/mnt:/data" --cwd /data -- /bin/sh -c "
	ln -s /etc /data/out
	echo x > /data/out/$tag.symlink
	echo x > /data/../../../../etc/$tag.dotdot
	echo x > /proc/self/root/etc/$tag.procroot
	echo x > /proc/self/cwd/../$tag.proccwd
	echo x > /proc/\$\$/cwd/../../etc/$tag.procpid
	ln -s /etc /data/dlink
	( end=\$((\$(date +%s) + 2)); while [ \$(date +%s) -lt \$end ]; do
		mv /data/d /data/dtmp 2>/dev/null; mv /data/dlink /data/d 2>/dev/null
		mv /data/d /data/dlink 2>/dev/null; mv /data/dtmp /data/d 2>/dev/null
	  done ) &
	end=\$((\$(date +%s) + 2)); while [ \$(date +%s) -lt \$end ]; do
		echo x > /data/d/$tag.race 2>/dev/null
	done
	wait
	test -f /etc/$tag.symlink && test -f /etc/$tag.dotdot && test -f /etc/$tag.procroot && echo inside-ok
" >"$host/out" 2>&1
rc=$?
fail=0
for f in /etc/$tag.*; do
	[ -e "$f" ] && { echo "host file written: $f"; fail=1; }
done
[ -e "$host/$tag.proccwd" ] && { echo "written next to the --rw root: $host/$tag.proccwd"; fail=1; }
# inside HOST only the guest's own names may appear
for f in $(cd "$host/mnt" && find . -name "$tag.*"); do
	case $f in ./d/$tag.race|./dtmp/$tag.race|./dlink/$tag.race) ;;
	*) echo "unexpected file in the --rw root: $f"; fail=1 ;;
	esac
done
[ $rc -eq 0 ] || { echo "the guest script failed (exit $rc): $(cat "$host/out")"; fail=1; }
grep -q inside-ok "$host/out" || { echo "the writes did not land in the overlay: $(cat "$host/out")"; fail=1; }
[ $fail -eq 0 ] && echo "symlinks, .. chains, /proc/self/root, /proc/*/cwd and a swap race stay inside"
exit $fail
