#!/bin/sh
# A short tour: runs a few programs in the sandbox, each with a caption.
# Usage: scripts/demo.sh [B | path/to/sandbox]   (default: build/sandbox)
arg=${1:-build}
if [ -d "$arg" ]; then SB=$arg/sandbox; else SB=$arg; fi
if [ ! -x "$SB" ]; then
	echo "demo: $SB not found (run make first)" >&2
	exit 1
fi

bad=0
step() {
	printf '\n==> %s\n' "$1"
	shift
	printf '$ sandbox run --'
	for a in "$@"; do
		case $a in
		*[!A-Za-z0-9_./=:@%+-]* | '') printf " '%s'" "$a" ;;
		*) printf ' %s' "$a" ;;
		esac
	done
	printf '\n'
	timeout 60 "$SB" run -- "$@"
	rc=$?
	[ $rc -ne 0 ] && printf '(exit status %d)\n' $rc
	return $rc
}

step "A static binary from the host, run in the sandbox" \
	/bin/echo "hello from inside the sandbox" || bad=1

step "The host's files are visible, read-only" \
	/bin/ls -l /etc/os-release /usr/bin/python3 || bad=1

step "Python starts normally; inside, it is process 1" \
	/usr/bin/python3 -c 'import os, platform; print("python", platform.python_version(), "pid", os.getpid(), "uid", os.getuid())' || bad=1

f=/tmp/sandbox-demo-$$.txt
rm -f "$f"
step "Writes go to the sandbox's own in-memory /tmp" \
	/usr/bin/python3 -c "open(\"$f\", \"w\").write(\"written inside\\n\"); print(open(\"$f\").read(), end=\"\")" || bad=1
printf '$ ls %s    # on the host, afterwards\n' "$f"
if [ -e "$f" ]; then
	echo "UNEXPECTED: the file reached the host"
	rm -f "$f"
	bad=1
else
	echo "ls: $f: No such file or directory  (the write never reached the host)"
fi

step "Writing to the host's /etc fails: the host root is read-only" \
	/usr/bin/touch /etc/sandbox-demo && bad=1
[ -e /etc/sandbox-demo ] && { echo "UNEXPECTED: /etc/sandbox-demo reached the host"; rm -f /etc/sandbox-demo; bad=1; }

step "Exit statuses pass through" /bin/sh -c 'exit 3'
[ $? -eq 3 ] || bad=1

step "A missing program: a clear message and status 127" /nonexistent/program
[ $? -eq 127 ] || bad=1

echo
if [ $bad -eq 0 ]; then echo "demo: all steps behaved as expected"; else echo "demo: some steps did not behave as expected"; fi
exit $bad
