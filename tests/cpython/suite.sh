#!/bin/sh
# CPython's whole regression suite (Debian's libpython3.11-testsuite), natively or inside
# the sandbox, with one JUnit XML file of per-case outcomes for compare.py.
#   sh tests/cpython/suite.sh native|inside OUTDIR [regrtest arguments, e.g. test_os -u cpu]
# Defaults: -j2 --timeout 600, AF_VSOCK cases left out (on a VM with vsock the native
# self-connection waits for ever; inside there is no AF_VSOCK). SANDBOX (default
# build/sandbox; use a copy if you rebuild meanwhile), SANDBOX_UID=N runs both ways as N
# (natively through setpriv; inside from an in-memory cwd, since --rw keeps the host's owners).
set -euf	# -f: the pattern in args reaches regrtest as it is
mode=$1 out=$2
shift 2
sb=${SANDBOX:-build/sandbox}
mkdir -p "$out/work"
chmod 1777 "$out" "$out/work"
out=$(cd "$out" && pwd)
args="-j2 --timeout 600 -i *VSOCK* --junit-xml $out/junit.xml"
# A background job of a non-interactive shell starts with SIGINT and SIGQUIT ignored, and
# python leaves SIGPIPE and SIGXFSZ ignored for what it execs: the tests of KeyboardInterrupt
# (signal, threading, pdb, regrtest, multiprocessing) would fail both ways. PYTHONUNBUFFERED
# from the environment fails test_cmd_line's buffering test both ways too.
reset='import os, signal, sys
for s in (signal.SIGINT, signal.SIGQUIT, signal.SIGPIPE, signal.SIGXFSZ):
	signal.signal(s, signal.SIG_DFL)
os.environ.pop("PYTHONUNBUFFERED", None)
os.execvp(sys.argv[1], sys.argv[1:])'
py="/usr/bin/python3 -c"
case $mode in
native)
	cd "$out/work"
	if [ -n "${SANDBOX_UID:-}" ]; then
		set -- setpriv --reuid="$SANDBOX_UID" --regid="$SANDBOX_UID" --clear-groups \
			/usr/bin/python3 -m test $args "$@"
	else
		set -- /usr/bin/python3 -m test $args "$@"
	fi
	HOME=/tmp $py "$reset" "$@" >"$out/log" 2>&1 || true ;;
inside)
	if [ -n "${SANDBOX_UID:-}" ]; then
		HOME=/tmp $py "$reset" "$sb" run --uid "$SANDBOX_UID" --gid "$SANDBOX_UID" \
			--rw "$out" -- /bin/sh -c 'mkdir /tmp/w && cd /tmp/w &&
			exec /usr/bin/python3 -m test "$@"' sh $args "$@" >"$out/log" 2>&1 || true
	else
		HOME=/tmp $py "$reset" "$sb" run --cwd "$out/work" --rw "$out" -- \
			/usr/bin/python3 -m test $args "$@" >"$out/log" 2>&1 || true
	fi ;;
*)
	echo "usage: $0 native|inside OUTDIR [regrtest arguments]" >&2
	exit 2 ;;
esac
sed -n '/^== Tests result/,$p' "$out/log"
