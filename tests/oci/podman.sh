#!/bin/sh
# podman drives the runtime (podman --runtime build/sandbox, through conmon): an image
# imported from a busybox rootfs tarball (no registry), run in the foreground (output,
# exit status, stdin, a process killed by a signal) and detached (ps, exec, exec -it,
# pause, stop with a SIGTERM handler, logs, rm; rm -f of a shell that ignores SIGTERM);
# --memory and --pids-limit in the host cgroup, podman stats and podman update.
# Skipped when podman is not installed.
. "$(dirname "$0")/lib.sh"
export SB
command -v podman >/dev/null 2>&1 || { echo "podman is not installed"; exit 77; }
[ "$(id -u)" = 0 ] || { echo "needs root for podman's storage"; exit 77; }
mkdir -p "$D/rootfs/bin" "$D/rootfs/etc"
cp "$BUSYBOX" "$D/rootfs/bin/busybox" || exit 1
for a in sh echo cat ls id hostname sleep head tr; do ln -s busybox "$D/rootfs/bin/$a"; done
echo image > "$D/rootfs/etc/name"
tar -C "$D/rootfs" -cf "$D/rootfs.tar" . || exit 1
pm() {
	timeout 60 podman --root "$D/storage" --runroot "$D/run" --storage-driver vfs \
		--cgroup-manager cgroupfs --events-backend file --log-level error \
		--runtime "$SB" "$@"
}
cleanup_podman() { pm rm -af >/dev/null 2>&1; cleanup; }
trap cleanup_podman EXIT
# pm_pty ROWS COLS TYPED ARGS...: podman ARGS in a terminal of its own (lib.sh in_pty)
pm_pty() {
	rows=$1 cols=$2 typed=$3
	shift 3
	in_pty "$rows" "$cols" "$typed" timeout 60 podman --root "$D/storage" --runroot "$D/run" \
		--storage-driver vfs --cgroup-manager cgroupfs --events-backend file \
		--log-level error --runtime "$SB" "$@"
}
pm import "$D/rootfs.tar" localhost/sandbox-test:1 >/dev/null 2>"$D/err" || fail "import: $(cat "$D/err")"

out=$(pm run --rm --network none localhost/sandbox-test:1 sh -c 'cat /etc/name; id -u; ls /var 2>&1; exit 3' 2>&1)
rc=$?
[ $rc = 3 ] && [ "$out" = "image
0
ls: /var: No such file or directory" ] || fail "run: exit $rc: $out"
out=$(echo typed | pm run --rm -i localhost/sandbox-test:1 cat 2>&1)
[ "$out" = typed ] || fail "stdin: $out"
# the container's init survives its own SIGKILL (a pid-namespace init: only one from
# outside is forced, as under runc); killed by one from outside: 137
pm run --rm localhost/sandbox-test:1 sh -c 'kill -9 $$; exit 7' >/dev/null 2>&1
rc=$?
[ $rc = 7 ] || fail "an init's own SIGKILL: exit $rc"
id=$(pm run -d localhost/sandbox-test:1 sleep 30 2>"$D/err") || fail "run -d sleep: $(cat "$D/err")"
pm kill -s KILL "$id" >/dev/null 2>&1
[ "$(pm wait "$id" 2>/dev/null)" = 137 ] || fail "killed by SIGKILL from outside: $(pm inspect --format '{{.State.ExitCode}}' "$id")"
pm rm "$id" >/dev/null 2>&1

id=$(pm run -d localhost/sandbox-test:1 sh -c 'trap "echo bye; exit 5" TERM; echo up; while :; do sleep 0.05; done' 2>"$D/err") ||
	fail "run -d: $(cat "$D/err")"
i=0; while [ "$(pm logs "$id" 2>/dev/null)" != up ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
pm ps --format '{{.ID}}' | grep -q "^$(echo "$id" | cut -c1-12)" || fail "ps: $(pm ps)"
# exec: through conmon (--detach, --pid-file, --process), status, stdin, a missing program
out=$(pm exec -e E=1 -w /etc "$id" sh -c 'echo $E $(pwd) $(cat name); exit 4' 2>&1)
rc=$?
[ $rc = 4 ] && [ "$out" = "1 /etc image" ] || fail "exec: exit $rc: $out"
out=$(echo into-exec | pm exec -i "$id" cat 2>&1)
[ "$out" = into-exec ] || fail "exec -i: $out"
# exec -it: conmon gets the terminal; the process leads a session with it as its
# controlling terminal (tty_nr is /dev/pts/N's), and its size is podman's terminal's
out=$(pm_pty 27 91 '' exec -it "$id" sh -c 'set -- $(cat /proc/self/stat)
echo $(busybox tty) sid=$(($6 == $$)) tty_nr=$7; busybox stty size; exit 6')
n=$(echo "$out" | sed -n '1s|^/dev/pts/\([0-9]*\) .*|\1|p')
[ -n "$n" ] && [ "$out" = "/dev/pts/$n sid=1 tty_nr=$((136 * 256 + n))
27 91
status 6" ] || fail "exec -it: $out"
pm exec "$id" /no/such >/dev/null 2>&1
rc=$?
[ $rc = 127 ] || fail "exec of a missing program: exit $rc"
# pause and unpause through `sandbox pause` / `resume`
pm pause "$id" >/dev/null 2>"$D/err" || fail "pause: $(cat "$D/err")"
[ "$(pm inspect --format '{{.State.Status}}' "$id")" = paused ] || fail "not paused"
pm exec "$id" true >/dev/null 2>&1 && fail "exec into a paused container"
pm unpause "$id" >/dev/null 2>"$D/err" || fail "unpause: $(cat "$D/err")"
[ "$(pm inspect --format '{{.State.Status}}' "$id")" = running ] || fail "not running after unpause"
pm stop -t 10 "$id" >/dev/null 2>"$D/err" || fail "stop: $(cat "$D/err")"
[ "$(pm logs "$id" 2>&1)" = "up
bye" ] || fail "logs: $(pm logs "$id" 2>&1)"
[ "$(pm inspect --format '{{.State.ExitCode}}' "$id")" = 5 ] || fail "exit code after stop"
pm rm "$id" >/dev/null 2>"$D/err" || fail "rm: $(cat "$D/err")"
# resources: the host cgroup podman asks for (cgroupfs: /libpod_parent/libpod-ID) holds
# the container's processes with the limits; podman stats reads it; podman update changes it
id=$(pm run -d --memory 64m --pids-limit 30 localhost/sandbox-test:1 sh -c 'echo up; sleep 1000' 2>"$D/err") ||
	fail "run -d --memory: $(cat "$D/err")"
i=0; while [ "$(pm logs "$id" 2>/dev/null)" != up ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
pid=$(pm inspect --format '{{.State.Pid}}' "$id")
cg=$(sed -n 's/^[0-9]*:memory://p; s/^0:://p' "/proc/$pid/cgroup" | head -1)
case $cg in */libpod-"$id"*) ;; *) fail "podman's cgroup: $(cat "/proc/$pid/cgroup")" ;; esac
[ "$(cat "/sys/fs/cgroup/memory$cg/memory.limit_in_bytes" 2>/dev/null)" = 67108864 ] ||
	[ "$(cat "/sys/fs/cgroup$cg/memory.max" 2>/dev/null)" = 67108864 ] || fail "memory limit in $cg"
set -- $(pm stats --no-stream --format '{{.MemUsage}} {{.PIDs}}' "$id" 2>&1)
[ "$3" = 67.11MB ] && [ "$1" != 0B ] && [ "$4" -gt 1 ] || fail "podman stats: $*"
# (podman 4.3's stats keep showing the limit of its own stored spec after an update)
pm update --memory 128m "$id" >/dev/null 2>"$D/err" || fail "update: $(cat "$D/err")"
[ "$(cat "/sys/fs/cgroup/memory$cg/memory.limit_in_bytes" 2>/dev/null)" = 134217728 ] ||
	[ "$(cat "/sys/fs/cgroup$cg/memory.max" 2>/dev/null)" = 134217728 ] || fail "updated limit in $cg"
pm rm -f "$id" >/dev/null 2>&1
# a process past --memory is OOM-killed by the kernel, as under runc: exit 137 (podman's
# OOMKilled comes from conmon's own watch of the cgroup: false on this hybrid host, where
# runc does not run under podman at all to compare)
pm run --name oom --memory 16m localhost/sandbox-test:1 \
	sh -c 'a=$(head -c 50000000 /dev/zero | tr "\0" x); echo ${#a}' >/dev/null 2>&1
rc=$?
[ $rc = 137 ] || fail "past --memory: exit $rc"
out=$(pm inspect oom --format '{{.State.ExitCode}}' 2>&1)
[ "$out" = 137 ] || fail "past --memory: inspect says $out"
pm rm -f oom >/dev/null 2>&1
# run -it: conmon's console socket gets the terminal; an interactive shell in it
out=$(pm_pty 0 0 'tty; echo $((6*7)); exit 4\r' run --rm -it localhost/sandbox-test:1 sh)
echo "$out" | grep -qx /dev/pts/0 && echo "$out" | grep -qx 42 && [ "${out##*
}" = "status 4" ] || fail "run -it: $out"
# rm -f of a detached interactive shell, an init that ignores SIGTERM: podman's stop
# timeout (10 s) passes, then its `kill ID KILL` must find the container still running
id=$(pm run -dit localhost/sandbox-test:1 sh 2>"$D/err") || fail "run -dit: $(cat "$D/err")"
pm rm -f "$id" >/dev/null 2>"$D/err" || fail "rm -f of a running sh: $(cat "$D/err")"
pm inspect "$id" >/dev/null 2>&1 && fail "rm -f left the container"
echo "podman run, run -i, run -it, run -d, ps, exec, exec -i, exec -it, pause, unpause, stop, logs, stats, update, an OOM kill, rm, rm -f"
