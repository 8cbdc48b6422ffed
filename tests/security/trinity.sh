#!/bin/sh
# trinity (the kernel syscall fuzzer) inside the sandbox as an unprivileged guest: the sentry
# must not crash or hang, every stub must be gone afterwards and the host stays untouched
# (a fresh host directory stays empty, the host name is unchanged).
# TRINITY_OPS syscalls (default 4000) with TRINITY_SEED (default: random, printed) and
# TRINITY_CHILDREN (default 2). `make fuzz` runs it longer (tests/fuzz.sh).
# Sockets are left out while the sandbox has no network: trinity would spend its time
# retrying every protocol family at startup.
# Pid 1 is a root shell that runs trinity as nobody and waits, as on the host, where pid 1
# is root's init: trinity passes pid 1 to a third of its pid arguments, taking it for an
# init it may not touch. Were trinity itself pid 1 (and nobody's), its children would be
# allowed to write into its memory (process_vm_writev), lower its RLIMIT_CPU (SIGXCPU,
# SIGKILL) or RLIMIT_FSIZE (SIGXFSZ), as on Linux: 7 runs in 220 ended early that way. And
# with its RLIMIT_NPROC lowered, trinity retries a failing fork for ever (natively too):
# the run hangs until the harness's time limit.
B=${1:-build}
case $B in /*) ;; *) B=$PWD/$B ;; esac
command -v trinity >/dev/null 2>&1 || { echo "trinity is not installed (scripts/deps.sh)"; exit 77; }
command -v setpriv >/dev/null 2>&1 || { echo "setpriv (util-linux) is not installed"; exit 77; }
. "$(dirname "$0")/proctree.sh"
ops=${TRINITY_OPS:-4000}
seed=${TRINITY_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
children=${TRINITY_CHILDREN:-2}
echo "trinity seed $seed" >&2 # (in the log even if the harness's time limit ends the run)
limit=$((ops / 20 + 60))
dir=$(mktemp -d); err=$(mktemp); res=$(mktemp)
host_name=$(hostname)
trap 'rm -rf "$dir" "$err" "$res"' EXIT
cd "$dir" || exit 1
"$B/sandbox" run --uid 0 --gid 0 --cwd /tmp --timeout "$limit" --json "$res" -- \
	sh -c 'setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; exit $?' sh \
	trinity -q -l off -a 64 --disable-fds=sockets -N "$ops" -C "$children" -s "$seed" \
	>"$err" 2>&1 &
cli=$!
sleep 0.5
pids=$(tree $cli)
wait $cli; rc=$?
cd "$OLDPWD" || exit 1
sleep 0.2
left=$(alive $pids)
fail() { echo "trinity seed $seed: $*"; tail -5 "$err"; exit 1; }
grep -q '"sandbox_error":false' "$res" || fail "sandbox error: $(cat "$res")"
grep -E '^sandbox: (internal error|fatal)' "$err" && fail "the sentry failed"
[ $rc -eq 0 ] || fail "exit $rc (expected trinity to finish: 0)"
grep -q "Ran [0-9]* syscalls" "$err" || fail "trinity did not report its run"
[ -z "$left" ] || fail "left behind:$left"
[ -z "$(ls -A "$dir")" ] || fail "the host directory was written: $(ls -A "$dir")"
[ "$(hostname)" = "$host_name" ] || fail "host name changed"
echo "trinity: $(grep -o 'Ran [0-9]* syscalls' "$err") (seed $seed, $children children), sentry fine, host untouched"
exit 0
