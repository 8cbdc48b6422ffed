#!/bin/sh
# Run every stress-ng stressor briefly, natively or in the sandbox, and record one line per
# stressor: NAME RESULT RC SECONDS LEFTOVER. Not part of `make test` (README.md here).
#   sh tests/stressng/sweep.sh native|inside OUTDIR [STRESSOR...]
# native runs as uid 65534 so no stressor changes the host; inside runs with the same ids
# (SANDBOX_UID=0: as root inside). STRESS_ARGS: more stress-ng options (--verify, --pathological).
set -u
mode=$1 out=$2
shift 2
top=$(cd "$(dirname "$0")/../.." && pwd)
sb=${SANDBOX:-$top/build/sandbox}
t=${STRESS_TIMEOUT:-2s}
uid=${SANDBOX_UID:-65534}
mkdir -p "$out/log" "$out/work"
chmod 777 "$out/work"
[ $# -gt 0 ] || set -- $(stress-ng --stressors)
for s in "$@"; do
	args="--$s 1 --timeout $t --metrics-brief --temp-path . ${STRESS_ARGS:-}"
	start=$(date +%s)
	case $mode in
	native)
		(cd "$out/work" && timeout -k 5 60 setpriv --reuid=65534 --regid=65534 \
			--clear-groups stress-ng $args) >"$out/log/$s" 2>&1 ;;
	inside)
		timeout -k 5 60 "$sb" run --quiet --uid "$uid" --gid "$uid" \
			--tmpfs /tmp:2G --cwd /tmp -- stress-ng $args >"$out/log/$s" 2>&1 ;;
	esac
	rc=$?
	secs=$(($(date +%s) - start))
	log=$out/log/$s
	# stress-ng exits 0 also when it skips a stressor (3 = no resource, 4 = not implemented)
	# and when a stressor that reported a failure ends early
	if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then res=hang # (the guard's TERM, then KILL)
	elif grep -q '^sandbox:' "$log"; then res=sandbox
	elif grep -q 'enable it with the --pathological' "$log"; then res=disabled
	elif [ $rc -eq 3 ] || [ $rc -eq 4 ] || grep -qiE 'skipp|not implemented' "$log"; then res=skip
	elif [ $rc -eq 0 ] && ! grep -q '^stress-ng: fail:' "$log"; then res=pass
	else res=fail
	fi
	# guest processes still alive after the run (they would be host processes too)
	left=$(pgrep -c '^stress-ng')
	echo "$s $res $rc $secs $left" | tee -a "$out/results"
done
