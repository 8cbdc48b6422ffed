#!/bin/sh
# The container sees its rootfs as "/", not the host's: host paths, absolute symlinks and
# ".." stay inside; a read-only root refuses writes, a writable one is changed in place;
# bind mounts (ro and rw, of directories and of single files such as the /etc/hosts,
# /etc/hostname and /etc/resolv.conf docker and podman give) show only their source; the user, groups, umask, rlimits and the
# pids limit, the capabilities and oomScoreAdj of the config apply.
. "$(dirname "$0")/lib.sh"
mkdir -p "$D/data" "$D/rwdata" && chmod 777 "$D/rwdata"
echo secret > "$D/secret"
echo data > "$D/data/f"
echo '127.0.0.1 localhost' > "$D/hosts"
echo old > "$D/hostname" && chmod 666 "$D/hostname"
make_bundle "$D/b" "c['process']['args'] = ['sh', '-c', '''
cat $D/secret 2>&1; ls /work 2>&1; cat /hostetc/name /up/etc/name /../../etc/name
cat /etc/passwd 2>&1; echo x > /f 2>&1; cat /data/f; echo y > /data/g 2>&1; echo y > /rro/g 2>&1; echo z > /rw/h
id -u; id -G; umask; ulimit -n
cat /etc/hosts; echo new > /etc/hostname; echo w > /etc/hosts 2>&1
''']
c['process']['user'] = {'uid': 1000, 'gid': 1000, 'additionalGids': [5, 7], 'umask': 0o27}
c['mounts'] += [{'destination': '/data', 'type': 'bind', 'source': '$D/data', 'options': ['rbind', 'ro']},
                {'destination': '/rro', 'type': 'bind', 'source': '$D/data', 'options': ['rbind', 'rro']},
                {'destination': '/rw', 'type': 'bind', 'source': '$D/rwdata', 'options': ['rbind', 'rw']},
                {'destination': '/etc/hosts', 'type': 'bind', 'source': '$D/hosts', 'options': ['rbind', 'ro']},
                {'destination': '/etc/hostname', 'type': 'bind', 'source': '$D/hostname', 'options': ['rbind', 'rprivate']}]"
ln -s /etc "$D/b/rootfs/hostetc"
ln -s ../../.. "$D/b/rootfs/up"
out=$(oci run -b "$D/b" iso 2>&1)
[ "$out" = "cat: can't open '$D/secret': No such file or directory
ls: /work: No such file or directory
container
container
container
cat: can't open '/etc/passwd': No such file or directory
sh: can't create /f: Read-only file system
data
sh: can't create /data/g: Read-only file system
sh: can't create /rro/g: Read-only file system
1000
1000 5 7
0027
1024
127.0.0.1 localhost
sh: can't create /etc/hosts: Read-only file system" ] || fail "guest view: $out"
[ ! -e "$D/b/rootfs/f" ] && [ ! -e "$D/data/g" ] || fail "a read-only place was written"
[ ! -e "$D/b/rootfs/etc/hosts" ] && [ ! -e "$D/b/rootfs/etc/hostname" ] ||
	fail "file mount points were made in a read-only rootfs"
[ "$(cat "$D/hostname")" = new ] || fail "the rw file bind mount was not written"
[ "$(cat "$D/rwdata/h")" = z ] || fail "the rw bind mount was not written"

# root.readonly false: writes go to the rootfs, as with runc
# (and a file mount's missing mount point is made there, empty, as runc makes it)
make_bundle "$D/w" "c['process']['args'] = ['sh', '-c', 'echo w > /f; mkdir /d; cat /f /etc/hosts']
c['root']['readonly'] = False
c['mounts'].append({'destination': '/etc/hosts', 'type': 'bind', 'source': '$D/hosts', 'options': ['rbind', 'ro']})"
out=$(oci run -b "$D/w" rw 2>&1)
[ "$out" = "w
127.0.0.1 localhost" ] && [ "$(cat "$D/w/rootfs/f")" = w ] && [ -d "$D/w/rootfs/d" ] ||
	fail "writable root: $out"
[ -f "$D/w/rootfs/etc/hosts" ] && [ ! -s "$D/w/rootfs/etc/hosts" ] ||
	fail "the mount point of a file mount in a writable rootfs: $(ls -la "$D/w/rootfs/etc")"

# linux.sysctl: set in the sandbox's own /proc/sys (docker's two), a non-root process binds
# port 80 as in a docker container
make_bundle "$D/s" "c['process']['args'] = ['sh', '-c', 'cat /proc/sys/net/ipv4/ip_unprivileged_port_start /proc/sys/net/ipv4/ping_group_range; nc -l -p 80 & sleep 0.3; kill %1 && echo bound']
c['process']['user'] = {'uid': 1000, 'gid': 1000}
c['linux']['sysctl'] = {'net.ipv4.ip_unprivileged_port_start': '0', 'net.ipv4.ping_group_range': '0 2147483647'}"
ln -sf busybox "$D/s/rootfs/bin/nc"
out=$(oci run -b "$D/s" sysctl 2>&1)
[ "$out" = "0
0	2147483647
bound" ] || fail "linux.sysctl: $out"

# process.capabilities: the five sets as runc leaves them (root's exec recomputes them from
# the bounding set: what /proc/self/status shows), an unknown name skipped; compared with
# runc itself when it is installed
make_bundle "$D/c" "c['process']['args'] = ['sh', '-c', 'grep ^Cap /proc/self/status; mkdir -p /tmp/m; mount -t tmpfs t /tmp/m 2>&1; echo x > /tmp/f; chown 5 /tmp/f && echo chowned; cat /proc/self/oom_score_adj; echo 100 > /proc/self/oom_score_adj; echo 600 > /proc/self/oom_score_adj; cat /proc/self/oom_score_adj']
c['process']['oomScoreAdj'] = 500
c['process']['capabilities'] = {'bounding': ['CAP_CHOWN', 'CAP_NET_BIND_SERVICE', 'CAP_BOGUS'], 'effective': ['CAP_CHOWN'], 'permitted': ['CAP_CHOWN', 'CAP_NET_BIND_SERVICE'], 'inheritable': [], 'ambient': []}
c['mounts'].append({'destination': '/tmp', 'type': 'tmpfs', 'source': 'tmpfs', 'options': ['size=1m']})"
for a in grep mount chown mkdir; do ln -sf busybox "$D/c/rootfs/bin/$a"; done
out=$(oci run -b "$D/c" caps 2>&1)
# oomScoreAdj is also the lowest the program may set without CAP_SYS_RESOURCE where the
# runtime has that capability (runc's init writes it so), not otherwise
lower=
[ $(( 0x$(sed -n 's/^CapEff:\t//p' /proc/self/status) >> 24 & 1 )) = 1 ] &&
	lower="sh: write error: Permission denied
"
[ "$out" = "CapInh:	0000000000000000
CapPrm:	0000000000000401
CapEff:	0000000000000401
CapBnd:	0000000000000401
CapAmb:	0000000000000000
mount: permission denied (are you root?)
chowned
500
${lower}600" ] || fail "capabilities: $out"
if command -v runc >/dev/null 2>&1; then
	mkdir -p "$D/c/rootfs/proc" "$D/c/rootfs/dev" "$D/c/rootfs/sys"
	ref=$(cd "$D/c" && runc --root "$D/runc" run capsref 2>/dev/null)
	[ "$out" = "$ref" ] || fail "capabilities differ from runc's: $out
runc: $ref"
fi

# no process.capabilities at all: none, root included (runc's way); `spec` writes runc's
# three default ones
make_bundle "$D/nc" "c['process']['args'] = ['sh', '-c', 'grep ^Cap /proc/self/status']
assert c['process']['capabilities']['bounding'] == ['CAP_AUDIT_WRITE', 'CAP_KILL', 'CAP_NET_BIND_SERVICE'], c['process']['capabilities']
del c['process']['capabilities']"
ln -sf busybox "$D/nc/rootfs/bin/grep"
out=$(oci run -b "$D/nc" nocaps 2>&1)
[ "$out" = "CapInh:	0000000000000000
CapPrm:	0000000000000000
CapEff:	0000000000000000
CapBnd:	0000000000000000
CapAmb:	0000000000000000" ] || fail "no capabilities in the config: $out"
if command -v runc >/dev/null 2>&1; then
	mkdir -p "$D/nc/rootfs/proc" "$D/nc/rootfs/dev" "$D/nc/rootfs/sys"
	ref=$(cd "$D/nc" && runc --root "$D/runc" run nocapsref 2>/dev/null)
	[ "$out" = "$ref" ] || fail "no capabilities: differs from runc's: $out
runc: $ref"
fi

# linux.maskedPaths and readonlyPaths (`spec`'s defaults, as docker's: /proc/keys masked,
# /proc/sys read-only) and the config's own: a rootfs file and directory masked, one
# read-only, a path that is not there; tmpfs mounts' options (read-only, mode, owner, size,
# noexec; nodev is always on here); compared with runc when it is installed
make_bundle "$D/m" "c['process']['args'] = ['sh', '-c', '''
cat /secret; ls /secretdir; cat /proc/keys; echo x > /secret
echo 1 > /proc/sys/kernel/domainname; cat /ro/f; echo y > /ro/g; touch /secretdir/g
grep ' /t[12] ' /proc/mounts | sed s/nodev,//; stat -c '%a %u %g' /t1 /t2; touch /t1/x; cp /bin/busybox /t2/ && /t2/busybox true''']
c['mounts'] += [{'destination': '/t1', 'type': 'tmpfs', 'source': 'tmpfs', 'options': ['ro', 'nosuid', 'nodev', 'mode=755']},
                {'destination': '/t2', 'type': 'tmpfs', 'source': 'tmpfs', 'options': ['noexec', 'size=4m', 'uid=1000', 'gid=1000', 'mode=700']}]
c['root']['readonly'] = False
assert '/proc/keys' in c['linux']['maskedPaths'] and '/proc/sys' in c['linux']['readonlyPaths']
c['linux']['maskedPaths'] += ['/secret', '/secretdir', '/not/there']
c['linux']['readonlyPaths'] += ['/ro', '/nothere']"
echo hidden > "$D/m/rootfs/secret"
mkdir -p "$D/m/rootfs/secretdir" "$D/m/rootfs/ro" && echo hidden > "$D/m/rootfs/secretdir/f"
echo ro > "$D/m/rootfs/ro/f"
for a in grep stat cp sed; do ln -sf busybox "$D/m/rootfs/bin/$a"; done
# (runc gives a tmpfs the mode of a mount point that was there: these agree with the options)
mkdir -m 755 "$D/m/rootfs/t1" && mkdir -m 700 "$D/m/rootfs/t2"
out=$(oci run -b "$D/m" masks 2>&1)
[ "$out" = "sh: can't create /proc/sys/kernel/domainname: Read-only file system
ro
sh: can't create /ro/g: Read-only file system
touch: /secretdir/g: Read-only file system
tmpfs /t1 tmpfs ro,nosuid,relatime,mode=755 0 0
tmpfs /t2 tmpfs rw,noexec,relatime,size=4096k,mode=700,uid=1000,gid=1000 0 0
755 0 0
700 1000 1000
touch: /t1/x: Read-only file system
cp: can't stat '/t2/busybox': Permission denied" ] || fail "masked and read-only paths, tmpfs options: $out"
[ "$(cat "$D/m/rootfs/secret")" = hidden ] && [ ! -e "$D/m/rootfs/ro/g" ] || fail "a masked or read-only path was written"
if command -v runc >/dev/null 2>&1; then
	mkdir -p "$D/m/rootfs/proc" "$D/m/rootfs/dev" "$D/m/rootfs/sys"
	# (runc's stdout and stderr reach the pipe in their own order: compared as sets)
	ref=$(cd "$D/m" && runc --root "$D/runc" run masksref 2>&1 | sort)
	[ "$(echo "$out" | sort)" = "$ref" ] ||
		fail "masked and read-only paths: differ from runc's: $out
runc: $ref"
fi

# linux.resources.cpu.cpus: the container's CPUs (nproc, Cpus_allowed_list), as its cpuset
make_bundle "$D/cpu" "c['process']['args'] = ['sh', '-c', 'nproc; grep Cpus_allowed_list /proc/self/status']
c['linux']['resources'] = {'cpu': {'cpus': '0'}}"
ln -sf busybox "$D/cpu/rootfs/bin/nproc"
out=$(oci run -b "$D/cpu" cpus 2>&1)
[ "$out" = "1
Cpus_allowed_list:	0" ] || fail "linux.resources.cpu.cpus: $out"

# linux.resources.pids.limit: fork past it fails
make_bundle "$D/p" "c['process']['args'] = ['sh', '-c', 'for i in 1 2 3 4 5 6; do sleep 1 & done; wait']
c['linux']['resources'] = {'pids': {'limit': 3}}"
out=$(oci run -b "$D/p" pids 2>&1)
case $out in *"can't fork"*) ;; *) fail "pids.limit: $out" ;; esac
echo "rootfs as /, symlinks and .. inside, ro/rw root and binds, user, rlimits, pids"
