#!/bin/sh
# docker drives the runtime (dockerd -> containerd -> containerd-shim-runc-v2 -> sandbox, as
# `"runtimes": {"sandbox": {"path": ...}}` in daemon.json): a private dockerd of the test's
# own (its own data-root, exec-root and socket; no iptables, no bridge, vfs storage), an image
# imported from a busybox rootfs tarball. Each case runs the same command under runc when
# runc is installed and compares, else checks the expected output: foreground output and
# status, stdin, the files docker bind-mounts (/etc/hosts with --add-host, /etc/hostname,
# /etc/resolv.conf), --init (docker-init bind-mounted as a file), capabilities, -v, --read-only with
# --tmpfs, -u/-w/-e/--hostname, -d with logs, exec, stop (a TERM handler), kill, restart;
# --memory/--pids-limit/--cpus/--cpu-shares/--cpuset-cpus in the host cgroup, docker stats
# and docker update.
# Skipped when docker is not installed.
. "$(dirname "$0")/lib.sh"
command -v dockerd >/dev/null 2>&1 && command -v docker >/dev/null 2>&1 ||
	{ echo "docker is not installed"; exit 77; }
[ "$(id -u)" = 0 ] || { echo "needs root for dockerd"; exit 77; }
RUN=$(mktemp -d /run/sbdk.XXXXXX) || exit 1 # short: containerd's socket paths are limited
export DOCKER_HOST="unix://$RUN/docker.sock"
cat >"$D/daemon.json" <<EOF
{ "data-root": "$D/docker", "exec-root": "$RUN/x", "pidfile": "$RUN/docker.pid",
  "hosts": ["$DOCKER_HOST"], "iptables": false, "ip6tables": false, "bridge": "none",
  "storage-driver": "vfs", "log-level": "error",
  "runtimes": { "sandbox": { "path": "$SB" } } }
EOF
dpid=
stop_dockerd() {
	if [ -n "$dpid" ]; then
		docker rm -f $(docker ps -aq) >/dev/null 2>&1
		docker network rm sbtest-net >/dev/null 2>&1
		kill -TERM "$dpid" 2>/dev/null
		i=0; while kill -0 "$dpid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
		kill -KILL "$dpid" 2>/dev/null
	fi
	rm -rf "$RUN"
	cleanup
}
trap stop_dockerd EXIT
dockerd --config-file "$D/daemon.json" >"$D/dockerd.log" 2>&1 &
dpid=$!
i=0; while ! docker version >/dev/null 2>&1; do
	[ $i -lt 300 ] && kill -0 $dpid 2>/dev/null || { echo "dockerd did not start: $(tail -3 "$D/dockerd.log")"; exit 77; }
	sleep 0.1; i=$((i + 1))
done

mkdir -p "$D/rootfs/bin" "$D/rootfs/etc" "$D/vol"
cp "$BUSYBOX" "$D/rootfs/bin/busybox" || exit 1
for a in sh echo cat ls id hostname sleep ps pwd touch tail wc kill wget httpd; do ln -s busybox "$D/rootfs/bin/$a"; done
echo image > "$D/rootfs/etc/name"
echo volume > "$D/vol/v"
tar -C "$D/rootfs" -cf "$D/rootfs.tar" . || exit 1
docker import "$D/rootfs.tar" sbtest:1 >/dev/null 2>"$D/err" || fail "import: $(cat "$D/err")"
HAVE_RUNC=false
command -v runc >/dev/null 2>&1 && HAVE_RUNC=true

# same WANT DOCKER-RUN-ARGS...: the output and status under the sandbox equal runc's (when
# runc is there) and WANT (a status line "rc=N" follows the output).
same() {
	want=$1; shift
	got=$(docker run --rm --runtime sandbox "$@" 2>&1; echo "rc=$?")
	[ "$got" = "$want" ] || fail "docker run $*: got: $got
wanted: $want"
	if $HAVE_RUNC; then
		ref=$(docker run --rm --runtime runc "$@" 2>&1; echo "rc=$?")
		[ "$got" = "$ref" ] || fail "docker run $*: sandbox and runc differ: $got
runc: $ref"
	fi
}

same "image
uid=0 gid=0 groups=0
rc=3" sbtest:1 sh -c 'cat /etc/name; id; exit 3'
got=$(echo typed | docker run --rm -i --runtime sandbox sbtest:1 cat 2>&1)
[ "$got" = typed ] || fail "stdin: $got"
same "1.2.3.4	foo
13
1
5.6.7.8 bar
rc=0" --add-host foo:1.2.3.4 sbtest:1 sh -c 'tail -1 /etc/hosts; wc -c < /etc/hostname
	grep -c nameserver /etc/resolv.conf; echo "5.6.7.8 bar" >> /etc/hosts; tail -1 /etc/hosts'
same "/sbin/docker-init -- sh -c tr '\\0' ' ' < /proc/1/cmdline; echo; echo \$PPID 
1
rc=0" --init sbtest:1 sh -c "tr '\\0' ' ' < /proc/1/cmdline; echo; echo \$PPID"
same "volume
touch: /vol/w: Read-only file system
touch: /x: Read-only file system
tmpfs
1000:1000 /etc 1 hh
rc=0" -v "$D/vol:/vol:ro" --read-only --tmpfs /run -u 1000:1000 -w /etc -e E=1 --hostname hh \
	sbtest:1 sh -c 'exec 2>&1; cat /vol/v; touch /vol/w; touch /x; touch /run/t && echo tmpfs
	echo $(id -u):$(id -g) $(pwd) $E $(hostname)'
same "alive
rc=0" sbtest:1 sh -c 'kill -9 $$; echo alive'
# capabilities: docker's default set, --cap-drop, --cap-add, a non-root user (runc's numbers)
for caps in "" "--cap-drop ALL" "--cap-add SYS_ADMIN --cap-drop CHOWN" "-u 1000"; do
	# shellcheck disable=SC2086
	got=$(docker run --rm --runtime sandbox $caps sbtest:1 sh -c 'exec 2>&1; grep ^Cap /proc/self/status
		mkdir -p /m; mount -t tmpfs t /m 2>/dev/null && echo mounted' 2>&1)
	case "$caps" in
	"") echo "$got" | grep -q "CapBnd:	00000000a80425fb" && ! echo "$got" | grep -q mounted ||
		fail "docker's default capabilities: $got" ;;
	esac
	if $HAVE_RUNC; then
		# shellcheck disable=SC2086
		ref=$(docker run --rm --runtime runc $caps sbtest:1 sh -c 'exec 2>&1; grep ^Cap /proc/self/status
			mkdir -p /m; mount -t tmpfs t /m 2>/dev/null && echo mounted' 2>&1)
		[ "$got" = "$ref" ] || fail "capabilities ($caps) differ from runc's: $got
runc: $ref"
	fi
done
same "Killed
137
rc=0" sbtest:1 sh -c 'exec 2>&1; sh -c "kill -9 \$\$"; echo $?'

docker run -d --runtime sandbox --name t1 sbtest:1 sh -c \
	'trap "echo bye; exit 5" TERM; echo up; while :; do sleep 0.05; done' >/dev/null 2>"$D/err" ||
	fail "run -d: $(cat "$D/err")"
i=0; while [ "$(docker logs t1 2>/dev/null)" != up ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ "$(docker logs t1 2>&1)" = up ] || fail "logs: $(docker logs t1 2>&1)"
out=$(docker exec -e E=2 -w /etc t1 sh -c 'echo $E $(pwd) $(cat name); exit 4' 2>&1)
rc=$?
[ $rc = 4 ] && [ "$out" = "2 /etc image" ] || fail "exec: exit $rc: $out"
# exec -it through the shim's console socket: a terminal of the sandbox's own, the process
# leading its session with it (docker sizes the terminal later, through its API: not checked)
out=$(in_pty 27 91 '' timeout 60 docker exec -it t1 sh -c \
	'set -- $(cat /proc/self/stat); echo $(busybox tty) sid=$(($6 == $$)) tty_nr=$7; exit 6')
n=$(echo "$out" | sed -n '1s|^/dev/pts/\([0-9]*\) .*|\1|p')
[ -n "$n" ] && [ "$out" = "/dev/pts/$n sid=1 tty_nr=$((136 * 256 + n))
status 6" ] || fail "exec -it: $out"
out=$(docker exec t1 sh -c 'grep ^CapEff /proc/self/status' 2>&1)
[ "$out" = "CapEff:	00000000a80425fb" ] || fail "exec: capabilities: $out"
out=$(echo into | docker exec -i t1 cat 2>&1)
[ "$out" = into ] || fail "exec -i: $out"
docker stop -t 10 t1 >/dev/null 2>"$D/err" || fail "stop: $(cat "$D/err")"
[ "$(docker logs t1 2>&1)" = "up
bye" ] || fail "logs after stop: $(docker logs t1 2>&1)"
[ "$(docker inspect -f '{{.State.ExitCode}}' t1)" = 5 ] || fail "exit code after stop"
docker start t1 >/dev/null 2>"$D/err" || fail "start again: $(cat "$D/err")"
docker kill -s KILL t1 >/dev/null 2>"$D/err" || fail "kill: $(cat "$D/err")"
i=0; while [ "$(docker inspect -f '{{.State.Status}}' t1)" != exited ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ "$(docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' t1)" = "exited 137" ] ||
	fail "after kill: $(docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' t1)"
docker rm t1 >/dev/null 2>"$D/err" || fail "rm: $(cat "$D/err")"

# resources on the host: the container's cgroup (docker's /docker/ID) holds its process
# with runc's knob values, `docker stats` reads its limit and usage there, `docker update`
# changes them as under runc
cgknobs() {
	p=$(sed -n 's/^[0-9]*:memory://p; s/^0:://p' "/proc/$1/cgroup" | head -1)
	for f in memory.limit_in_bytes memory.memsw.limit_in_bytes memory.max memory.swap.max \
		pids.max cpu.shares cpu.cfs_quota_us cpu.cfs_period_us cpu.weight cpu.max cpuset.cpus; do
		for r in $(awk '$3 == "cgroup" || $3 == "cgroup2" { print $2 }' /proc/mounts); do
			[ -f "$r$p/$f" ] && echo "$f: $(cat "$r$p/$f")"
		done
	done
}
res_case() {
	docker run -d --runtime "$1" --name "res-$1" --memory 64m --pids-limit 40 --cpus 0.5 \
		--cpu-shares 512 --cpuset-cpus 0 sbtest:1 sh -c 'echo up; sleep 1000' >/dev/null 2>"$D/err" ||
		fail "run -d --memory ... ($1): $(cat "$D/err")"
	i=0; while [ "$(docker logs "res-$1" 2>/dev/null)" != up ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	pid=$(docker inspect -f '{{.State.Pid}}' "res-$1")
	grep -q ":/docker/" "/proc/$pid/cgroup" || fail "$1: not in docker's cgroup: $(cat "/proc/$pid/cgroup")"
	cgknobs "$pid" >"$D/res-$1.1"
	docker stats --no-stream --format '{{.MemUsage}} {{.PIDs}}' "res-$1" >"$D/res-$1.stats" 2>&1
	docker update --memory 128m --memory-swap 256m --pids-limit 60 --cpu-shares 256 --cpus 1 \
		"res-$1" >/dev/null 2>"$D/err" || fail "update ($1): $(cat "$D/err")"
	cgknobs "$pid" >"$D/res-$1.2"
	docker stats --no-stream --format '{{.MemUsage}}' "res-$1" >>"$D/res-$1.stats" 2>&1
	docker rm -f "res-$1" >/dev/null 2>&1
}
res_case sandbox
# pids.max: the limit and the sandbox's own tasks (12; the guests' count is the sentry's)
grep -q "pids.max: 52" "$D/res-sandbox.1" && grep -q "pids.max: 72" "$D/res-sandbox.2" ||
	fail "pids.max: $(cat "$D/res-sandbox.1" "$D/res-sandbox.2")"
for n in 1 2; do
	awk '$1 == "pids.max:" && $2 != "max" { $2 -= 12 } 1' "$D/res-sandbox.$n" >"$D/x" && mv "$D/x" "$D/res-sandbox.$n"
done
# "1.2MiB / 64MiB 5": some usage, the limit, every host process of the container
set -- $(head -1 "$D/res-sandbox.stats")
[ "$3" = 64MiB ] && [ "${1%%[A-Za-z]*}" != 0 ] && [ "$1" != 0B ] && [ "$4" -gt 1 ] ||
	fail "docker stats: $(cat "$D/res-sandbox.stats")"
[ "$(sed -n '2s/.* \/ //p' "$D/res-sandbox.stats")" = 128MiB ] ||
	fail "docker stats after update: $(cat "$D/res-sandbox.stats")"
if $HAVE_RUNC; then
	res_case runc
	for n in 1 2; do
		cmp -s "$D/res-runc.$n" "$D/res-sandbox.$n" ||
			fail "cgroup values differ from runc's ($n): $(diff "$D/res-runc.$n" "$D/res-sandbox.$n")"
	done
fi

# a user-defined network (internal: no NAT, no iptables); the server under runc if there.
# docker sets up the namespace of the state's pid from a hook (libnetwork-setkey): the
# host's own network settings must not change (with the state's pid in the host's
# namespace, docker once turned IPv6 off on the host: net.ipv6.conf.all.disable_ipv6=1)
host_v6() { cat /proc/sys/net/ipv6/conf/all/disable_ipv6 /proc/sys/net/ipv6/conf/lo/disable_ipv6 2>/dev/null; }
v6_before=$(host_v6)
srt=sandbox
$HAVE_RUNC && srt=runc
docker network create --internal sbtest-net >/dev/null 2>"$D/err" || fail "network create: $(cat "$D/err")"
docker run -d --runtime $srt --name srv --network sbtest-net sbtest:1 httpd -f -p 8080 -h /etc \
	>/dev/null 2>"$D/err" || fail "server: $(cat "$D/err")"
ip=$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' srv)
out=$(docker run --rm --runtime sandbox --network sbtest-net sbtest:1 sh -c \
	"i=0; until wget -q -O - http://$ip:8080/name; do i=\$((i+1)); [ \$i -gt 50 ] && exit 1; sleep 0.1; done" 2>&1)
[ "$out" = image ] || fail "user-defined network ($ip): $out"
docker rm -f srv >/dev/null 2>&1
docker network rm sbtest-net >/dev/null 2>&1
[ "$(host_v6)" = "$v6_before" ] || fail "the host's IPv6 settings changed: $(host_v6) (was $v6_before)"
# (the sandbox binary must run in the busybox image: only a static one, not the ASan build)
if $HAVE_RUNC && ldd "$SB" 2>&1 | grep -qE "statically linked|not a dynamic executable"; then
	out=$(docker run --rm --runtime runc -v "$SB:/sandbox:ro" sbtest:1 /sandbox run -- /bin/true 2>&1)
	rc=$?
	[ $rc = 125 ] && [ "$(echo "$out" | wc -l)" = 1 ] && echo "$out" | grep -q "seccomp=unconfined" ||
		fail "inside a container with the default profile: $rc: $out"
	out=$(docker run --rm --runtime runc --security-opt seccomp=unconfined \
		--security-opt apparmor=unconfined -v "$SB:/sandbox:ro" sbtest:1 /sandbox run -- \
		/bin/sh -c 'echo nested > /tmp/n; cat /tmp/n /etc/name; id -u' 2>&1)
	[ "$out" = "nested
image
0" ] || fail "inside a container, unconfined: $out"
fi
echo "docker run (output, status, stdin, /etc files, --init, -v, --read-only, --tmpfs, -u/-w/-e), run -d, logs, exec, exec -it, stop, start, kill, rm, resources, stats, update, a user-defined network, sandbox inside a container"
