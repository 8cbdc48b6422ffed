#!/bin/sh
# --ro, --rw, --tmpfs: read-only mounts refuse writes (EROFS), writable ones change the host
# only beneath HOST (symlinks and ".." never lead out), tmpfs sizes hold (ENOSPC), a missing
# GUEST is created in the overlay, profiles take the same keys, bad specs are usage errors.
# A regular file as HOST is a file mount (as `mount --bind FILE FILE`): its mount point is
# made as an empty file, it cannot be removed or renamed, and only that one file is reached.
B=${1:-build}
case $B in /*) ;; *) B=$(pwd)/$B ;; esac
d=$(mktemp -d "${TMPDIR:-/var/tmp}/sandbox-mounts.XXXXXX") || exit 1
trap 'rm -rf "$d"' EXIT
fail() { echo "$*"; exit 1; }
export LC_ALL=C
mkdir -p "$d/ro" "$d/rw" "$d/outside"
echo ro > "$d/ro/f"
echo rw > "$d/rw/f"
echo keep > "$d/outside/victim"
ln -s "$d/outside" "$d/rw/out"      # a host symlink pointing out of the writable mount
ln -s ../outside "$d/rw/up"

out=$("$B/sandbox" run --ro "$d/ro:/mnt/ro" -- /bin/sh -c '
	cat /mnt/ro/f; echo x > /mnt/ro/f; echo rc=$?; mkdir /mnt/ro/d; echo rc=$?
	test -d /mnt && echo created' 2>&1)
[ "$out" = "ro
/bin/sh: 2: cannot create /mnt/ro/f: Read-only file system
rc=2
mkdir: cannot create directory '/mnt/ro/d': Read-only file system
rc=1
created" ] || fail "--ro: got: $out"
[ "$(cat "$d/ro/f")" = ro ] && [ ! -e "$d/ro/d" ] || fail "--ro: the host changed"

out=$(cd "$d/rw" && "$B/sandbox" run --rw "$d/rw" -- /bin/sh -c '
	echo more >> f; mkdir sub; echo n > sub/n; mv sub sub2; ln -s f lf; chmod 600 f
	echo pwned > out/victim; echo pwned > up/victim; echo pwned > ../outside/new
	rm out; ls; cat ../outside/victim ../outside/new' 2>&1)
[ "$out" = "f
lf
sub2
up
pwned
pwned" ] || fail "--rw: guest view: $out"
[ "$(cat "$d/rw/f")" = "rw
more" ] || fail "--rw: f not written on the host"
[ "$(cat "$d/rw/sub2/n")" = n ] && [ -L "$d/rw/lf" ] && [ ! -e "$d/rw/out" ] ||
	fail "--rw: changes missing on the host: $(ls -la "$d/rw")"
[ "$(stat -c %a "$d/rw/f")" = 600 ] || fail "--rw: chmod not on the host"
[ "$(cat "$d/outside/victim")" = keep ] && [ ! -e "$d/outside/new" ] ||
	fail "--rw: a write escaped the mount through a symlink or '..'"

out=$("$B/sandbox" run --tmpfs /data:64K -- /bin/sh -c '
	head -c 100000 /dev/zero > /data/big; echo rc=$?; stat -c %s /data/big
	grep " /data " /proc/mounts' 2>&1)
case $out in *"No space left on device"*"rc=1"*65536*"size=64k"*) ;;
*) fail "--tmpfs SIZE: got: $out" ;;
esac

cat >"$d/p.json" <<J
{"ro": ["$d/ro:/a"], "rw": "$d/rw:/b", "tmpfs": "/c:1M"}
J
out=$("$B/sandbox" run --profile "$d/p.json" -- /bin/sh -c 'cat /a/f; echo p > /b/p; df /c | tail -1' 2>&1)
case $out in "ro"*"1024"*) ;; *) fail "profile mounts: got: $out" ;; esac
[ "$(cat "$d/rw/p")" = p ] || fail "profile rw mount not writable"

# file mounts: read-only, writable (the host file changes in place), a missing mount point
# made in the overlay (not on the host), a file mount on a directory and as the root refused
echo hosts > "$d/ro/hosts"
out=$("$B/sandbox" run --ro "$d/ro/hosts:/etc/hosts" --rw "$d/rw/f:/new/dir/f" -- /bin/sh -c '
	cat /etc/hosts; echo x > /etc/hosts; echo rc=$?
	echo appended >> /new/dir/f; cat /new/dir/f; ls /new/dir
	rm /new/dir/f; echo rc=$?; mv /new/dir/f /new/g 2>/dev/null; echo rc=$?
	test -f /new/dir/f && echo still-there
	cat /new/dir/f/x 2>&1 | sed "s/.*: //"
	grep -c " /new/dir/f " /proc/self/mountinfo' 2>&1)
[ "$out" = "hosts
/bin/sh: 2: cannot create /etc/hosts: Read-only file system
rc=2
rw
more
appended
f
rm: cannot remove '/new/dir/f': Device or resource busy
rc=1
rc=1
still-there
Not a directory
1" ] || fail "file mounts: got: $out"
[ "$(cat "$d/ro/hosts")" = hosts ] || fail "--ro file: the host file changed"
[ "$(tail -1 "$d/rw/f")" = appended ] || fail "--rw file: not written on the host"
[ "$(ls "$d/rw")" = "f
lf
p
sub2
up" ] || fail "--rw file: other host files changed: $(ls "$d/rw")"
msg=$("$B/sandbox" run --ro "$d/ro/f:/etc" -- /bin/true 2>&1); rc=$?
[ $rc -eq 125 ] && [ "$(echo "$msg" | wc -l)" -eq 1 ] || fail "a file on a directory: $rc $msg"

for bad in "--ro relative" "--ro $d/missing" "--rw /dev/null" "--ro $d/ro/f:/" "--ro $d/ro:rel" "--ro $d/ro:/x/../y" \
	"--tmpfs /x:10Q" "--tmpfs rel" "--tmpfs /" "--ro $d/ro:/proc/x" "--tmpfs /dev" \
	"--mask /" "--mask rel" "--mask /a/../b" "--ro-path /" "--ro-path x" \
	"--tmpfs /x:bogus" "--tmpfs /x:mode=9" "--tmpfs /x:size=0" "--tmpfs /x:uid=-1"; do
	# shellcheck disable=SC2086
	msg=$("$B/sandbox" run $bad -- /bin/true 2>&1); rc=$?
	[ $rc -eq 123 ] || fail "$bad: expected usage error 123, got $rc ($msg)"
	[ "$(echo "$msg" | wc -l)" -eq 1 ] || fail "$bad: expected one line, got: $msg"
done
msg=$("$B/sandbox" run --tmpfs /etc/passwd -- /bin/true 2>&1); rc=$?
[ $rc -eq 125 ] && [ "$(echo "$msg" | wc -l)" -eq 1 ] || fail "GUEST not a directory: $rc $msg"

# --mask and --ro-path: a masked directory is empty and read-only, a masked file empty
# (the null device: writes vanish), whether host files, a --rw mount's or the overlay's; a
# read-only path refuses writes below it, /proc/sys too (a mount below it keeps its own
# mode, as under runc); absent paths are skipped; a profile takes the same keys; the host is
# untouched.
mkdir -p "$d/m/keys" && echo secret > "$d/m/keys/id" && echo token > "$d/m/token"
echo '{"mask": ["'"$d"'/m/token"], "ro-path": ["/proc/sys"]}' > "$d/prof.json"
out=$("$B/sandbox" run --profile "$d/prof.json" --rw "$d/m" --mask "$d/m/keys" --mask /no/such \
	--ro-path /etc --ro-path /nothere --tmpfs /etc/sub -- /bin/sh -c '
	ls -A '"$d"'/m/keys; cat '"$d"'/m/token; echo x > '"$d"'/m/token; echo rc=$?
	touch '"$d"'/m/keys/new; echo > /proc/sys/kernel/domainname; touch /etc/x /etc/sub/y
	echo ok > '"$d"'/m/other; cat '"$d"'/m/other' 2>&1)
[ "$out" = "rc=0
touch: cannot touch '$d/m/keys/new': Read-only file system
/bin/sh: 3: cannot create /proc/sys/kernel/domainname: Read-only file system
touch: cannot touch '/etc/x': Read-only file system
ok" ] || fail "--mask, --ro-path: got: $out"
[ "$(cat "$d/m/token")" = token ] && [ "$(cat "$d/m/keys/id")" = secret ] &&
	[ ! -e "$d/m/keys/new" ] || fail "--mask: the host changed"
# and a program that makes a user namespace cannot undo a mask by mounting proc afresh
# (Linux's mount_too_revealing); without masks it may, as natively
out=$("$B/sandbox" run --mask /proc/keys -- unshare -mrpf sh -c 'mount -t proc none /proc && echo mounted' 2>&1)
case $out in *"permission denied"*) ;; *) fail "--mask /proc/keys, a new proc in a user namespace: $out" ;; esac
out=$("$B/sandbox" run -- unshare -mrpf sh -c 'mount -t proc none /proc && echo mounted' 2>&1)
[ "$out" = mounted ] || fail "a new proc in a user namespace without masks: $out"

# --tmpfs GUEST:OPTIONS (docker's): read-only, mode, owner, size, noexec, nosuid
out=$("$B/sandbox" run --tmpfs /mnt/a:ro,mode=750 --tmpfs /mnt/b:size=1M,mode=700,uid=1000,gid=1000,noexec,nosuid \
	-- /bin/sh -c 'grep " /mnt/" /proc/mounts; stat -c "%a %u %g" /mnt/a /mnt/b; touch /mnt/a/x
	cp /bin/true /mnt/b/t && /mnt/b/t; echo rc=$?
	head -c 2000000 /dev/zero > /mnt/b/big; echo rc=$?' 2>&1)
[ "$out" = "tmpfs /mnt/a tmpfs ro,nodev,relatime,mode=750 0 0
tmpfs /mnt/b tmpfs rw,nosuid,nodev,noexec,relatime,size=1024k,mode=700,uid=1000,gid=1000 0 0
750 0 0
700 1000 1000
touch: cannot touch '/mnt/a/x': Read-only file system
/bin/sh: 2: /mnt/b/t: Permission denied
rc=126
head: error writing 'standard output': No space left on device
rc=1" ] || fail "--tmpfs options: got: $out"
# the rest of tmpfs's own options, as mount(2) takes them: nr_inodes (the root is one), a
# size in T
out=$("$B/sandbox" run --tmpfs /mnt/c:nr_inodes=3,size=1t -- /bin/sh -c '
	grep " /mnt/c " /proc/mounts; touch /mnt/c/1 /mnt/c/2 && touch /mnt/c/3; echo rc=$?' 2>&1)
[ "$out" = "tmpfs /mnt/c tmpfs rw,nodev,relatime,size=1073741824k,nr_inodes=3 0 0
touch: cannot touch '/mnt/c/3': No space left on device
rc=1" ] || fail "--tmpfs nr_inodes: got: $out"
echo "ro, rw and tmpfs mounts behave; no write escapes a writable mount; masks hide"
