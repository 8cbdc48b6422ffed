#!/bin/sh
# TIOCSTI (faking terminal input) is refused with EIO, on a pty the guest made and on its
# own terminal under --tty, and each attempt leaves an audit record.
B=${1:-build}
cc -O1 -static -I. -o "$B/escape-tty" tests/security/escape.c || { echo "cannot build escape.c"; exit 1; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
fail() { echo "$*"; exit 1; }
out=$(timeout 20 "$B/sandbox" run --audit "$log" -- "$B/escape-tty" tiocsti 2>&1)
[ "$out" = "BLOCKED tiocsti: EIO" ] || fail "pty slave: $out"
out=$(timeout 20 "$B/sandbox" run --tty --audit - -- "$B/escape-tty" tiocsti_stdin 2>>"$log" </dev/null)
case "$out" in *"BLOCKED tiocsti_stdin: EIO"*) ;; *) fail "--tty stdin: $out" ;; esac
n=$(grep -c '"syscall":"ioctl".*"errno":"EIO".*TIOCSTI' "$log")
[ "$n" -eq 2 ] || fail "expected 2 audit records for TIOCSTI, got $n: $(cat "$log")"
echo "TIOCSTI refused and audited twice"
