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
OPTS=""   # options for the next step's `sandbox run`
step() {
	printf '\n==> %s\n' "$1"
	shift
	printf '$ sandbox run%s --' "${OPTS:+ $OPTS}"
	for a in "$@"; do
		case $a in
		*[!A-Za-z0-9_./=:@%+-]* | '') printf " '%s'" "$a" ;;
		*) printf ' %s' "$a" ;;
		esac
	done
	printf '\n'
	timeout 60 "$SB" run $OPTS -- "$@"
	rc=$?
	OPTS=""
	[ $rc -ne 0 ] && printf '(exit status %d)\n' $rc
	return $rc
}

step "A static binary from the host, run in the sandbox" \
	/bin/echo "hello from inside the sandbox" || bad=1

step "The host's files are visible (read through the gofer)" \
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

step "Writes outside /tmp land in an in-memory overlay over the host: the host never changes" \
	/bin/sh -c 'echo "written inside" > /etc/sandbox-demo && cat /etc/sandbox-demo' || bad=1
printf '$ ls /etc/sandbox-demo    # on the host, afterwards\n'
if [ -e /etc/sandbox-demo ]; then
	echo "UNEXPECTED: /etc/sandbox-demo reached the host"
	rm -f /etc/sandbox-demo
	bad=1
else
	echo "ls: /etc/sandbox-demo: No such file or directory  (the host is untouched)"
fi

OPTS="--ro /etc"
step "A read-only mount refuses writes (EROFS)" /usr/bin/touch /etc/sandbox-demo && bad=1

c=/tmp/sandbox-demo-changes-$$.json
OPTS="--changes $c"
step "What the program changed, as JSON for an agent (--changes FILE)" \
	/bin/sh -c 'echo new > /etc/sandbox-demo; rm -f /etc/hostname' || bad=1
printf '$ cat %s\n' "$c"
if [ -s "$c" ]; then
	/usr/bin/python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
for ch in d["changes"]:
    print("  %-9s %-7s %s" % (ch["change"], ch["type"], ch["path"]))' "$c" || bad=1
else
	echo "UNEXPECTED: no change list"
	bad=1
fi
rm -f "$c"

step "Exit statuses pass through" /bin/sh -c 'exit 3'
[ $? -eq 3 ] || bad=1

step "A missing program: a clear message and status 127" /nonexistent/program
[ $? -eq 127 ] || bad=1

echo
if [ $bad -eq 0 ]; then echo "demo: all steps behaved as expected"; else echo "demo: some steps did not behave as expected"; fi
exit $bad
