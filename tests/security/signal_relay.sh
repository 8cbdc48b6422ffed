#!/bin/sh
# Signals sent to `sandbox` reach the program as natively, exactly once: sent to its whole
# process group (as `timeout` and a terminal's ^C do) and to `sandbox` alone (a
# supervisor's kill), for every relayed signal, compared with the same program run
# natively; a shell waiting for its child runs its trap at once; the run goes on after the
# handler (the program reads a host file through the gofer).
B=${1:-build}
fail() { echo "$*"; exit 1; }
d=$(mktemp -d "${TMPDIR:-/var/tmp}/sandbox-signal.XXXXXX") || exit 1
trap 'rm -rf "$d"' EXIT
cat > "$d/h.py" <<'EOF'
import signal, sys, time
sig = getattr(signal, "SIG" + sys.argv[1])
n = [0]
def h(*a):
    n[0] += 1
signal.signal(sig, h)
print("ready", flush=True)
# until the signal came (however late the sender is: a loaded machine), then a while
# longer for a second delivery
end = time.monotonic() + 30
while time.monotonic() < end and not n[0]:
    time.sleep(0.05)
end = time.monotonic() + float(sys.argv[2])
while time.monotonic() < end:
    time.sleep(0.05)
print(sys.argv[1], "handled", n[0], open("/etc/hostname").read().strip(), flush=True)
EOF

# runs "$@" in a session of its own, sends $sig to its process group (group) or to its
# first process (alone) once it said "ready", and prints its output and exit status
send() {
	how=$1
	shift
	rm -f "$d/out"
	setsid "$@" > "$d/out" 2>&1 &
	p=$!
	i=0
	while ! grep -q ready "$d/out" 2>/dev/null && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
	if [ "$how" = group ]; then /bin/kill -s $sig -- -$p; else kill -s $sig $p; fi
	wait $p
	rc=$?
	cat "$d/out"
	echo "rc=$rc"
}

for sig in TERM INT HUP QUIT USR1 USR2 ALRM VTALRM PROF PWR; do
	for how in group alone; do
		case $how.$sig in alone.TERM|alone.USR1|alone.ALRM|group.*) ;; *) continue ;; esac
		n=$(send $how /usr/bin/python3 "$d/h.py" $sig 0.8)
		s=$(send $how "$B/sandbox" run -- /usr/bin/python3 "$d/h.py" $sig 0.8)
		[ "$n" = "$s" ] || fail "$sig to the $how: native '$n', sandbox '$s'"
	done
done
# a shell waiting for its child (in a call the sentry holds) runs its trap at once
w='trap "echo trapped" TERM; echo ready; sleep 30 & wait; echo after-wait; exit 5'
sig=TERM
n=$(send group /bin/bash -c "$w")
s=$(send group "$B/sandbox" run -- /bin/bash -c "$w")
[ "$n" = "$s" ] || fail "trap in wait: native '$n', sandbox '$s'"
echo "10 signals to the process group and 3 to sandbox alone reach the program once, as natively"
