#!/bin/sh
# When the first program ends (even by SIGKILL), or `sandbox` gets SIGTERM, every guest
# process ends with it: its background children must not survive. A first program that
# does not end on SIGTERM (it ignores it, or it is stopped, where Linux keeps the signal
# pending) is ended with the run after a second SIGTERM or a grace period.
B=${1:-build}
. "$(dirname "$0")/proctree.sh"
check() { # name, command...
	name=$1; shift
	"$@" &
	cli=$!
	pids=$(tree_at_least $cli 6) # the gofer, the sentry, the zygote, the shell, 2 children
	# the shell stops itself 0.3 s after them; its short sleep must not be in the list (its
	# pid, free for the 10 s this case lasts, may be another's by the check)
	[ "$name" = term_stopped ] && sleep 0.7 && pids=$(tree $cli)
	n=$(echo $pids | wc -w)
	case $name in term*) kill -TERM $cli;; esac
	[ "$name" = term2 ] && { sleep 1.2; kill -TERM $cli; }
	wait $cli; rc=$?
	sleep 0.5
	left=$(alive $pids)
	[ "$n" -ge 5 ] || { echo "$name: expected gofer, sentry, shell and 2 children, saw $n"; exit 1; }
	[ -z "$left" ] || { echo "$name: left behind:$left"; exit 1; }
	echo "$name: exit $rc, $n processes, none left"
}
r1=$(check kill9 "$B/sandbox" run -- /bin/sh -c 'sleep 30 & sleep 30 & sleep 1.5; kill -9 $$') || { echo "$r1"; exit 1; }
case "$r1" in *"exit 137"*) ;; *) echo "first program killed: expected exit 137: $r1"; exit 1;; esac
r2=$(check term "$B/sandbox" run -- /bin/sh -c 'sleep 30 & sleep 30 & wait') || { echo "$r2"; exit 1; }
case "$r2" in *"exit 143"*) ;; *) echo "SIGTERM to sandbox: expected exit 143: $r2"; exit 1;; esac
r3=$(check term2 "$B/sandbox" run -- /bin/sh -c 'trap "" TERM; sleep 30 & sleep 30 & wait') || { echo "$r3"; exit 1; }
case "$r3" in *"exit 143"*) ;; *) echo "two SIGTERMs, TERM ignored: expected exit 143: $r3"; exit 1;; esac
r4=$(check term_stopped "$B/sandbox" run -- /bin/sh -c 'sleep 30 & sleep 30 & sleep 0.3; kill -STOP $$') || { echo "$r4"; exit 1; }
case "$r4" in *"exit 143"*) ;; *) echo "SIGTERM, first program stopped: expected exit 143: $r4"; exit 1;; esac
echo "$r1; $r2; $r3; $r4"
