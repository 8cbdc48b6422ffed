#!/bin/sh
# runc's own integration tests (tests/integration/*.bats of a runc source tree, 1.1.x, run
# with bats) against this runtime, or against runc itself for the reference:
#
#   RUNC_SRC=DIR [RUNC_BATS_RUNTIME=/usr/sbin/runc] [RUNC_BATS_FILES='exec.bats ...']
#   [RUNC_BATS_OUT=FILE] sh tests/oci/runc_bats.sh BUILD
#
# Skipped (77) without RUNC_SRC, so `make test` passes over it. The tests want what runc's
# repository has and this machine may not: a busybox image (get-images.sh downloads one;
# here a rootfs made of the host's busybox-static, also given as the debian image), and
# recvtty, a console-socket receiver (here a small C one: it takes each master it is sent
# and drains it). The tests themselves are used unchanged, under a terminal (`script`,
# as runc's CI runs them: `runc spec` asks for one). The TAP output goes to RUNC_BATS_OUT
# (default: stdout); the last line says how many passed, failed and were skipped.
. "$(dirname "$0")/lib.sh"
[ -n "$RUNC_SRC" ] || { echo "RUNC_SRC (a runc source tree) not set"; exit 77; }
[ -f "$RUNC_SRC/tests/integration/helpers.bash" ] || fail "$RUNC_SRC: no tests/integration"
for t in bats jq gawk script tar xz; do
	command -v $t >/dev/null || { echo "no $t"; exit 77; }
done
RT=${RUNC_BATS_RUNTIME:-$SB}
OUTF=${RUNC_BATS_OUT:-/dev/stdout}
W=$D/runc
# userns.bats maps the container's root to another uid, which must reach the bundles
chmod a+x "$D"

mkdir -p "$W/tests" "$W/contrib/cmd/recvtty" "$D/img/bin" "$D/img/etc" "$D/img/root" \
	"$D/img/tmp" "$D/img/home" "$D/img/var/spool/mail" "$D/img/var/www" "$D/img/usr/sbin" || exit 1
cp -r "$RUNC_SRC/tests/integration" "$W/tests/" || exit 1

# the image: busybox and its applets in /bin, the users and groups of docker's busybox
chmod 1777 "$D/img/tmp"
cp "$BUSYBOX" "$D/img/bin/busybox" || exit 1
for a in $("$BUSYBOX" --list); do
	[ "$a" = busybox ] || ln "$D/img/bin/busybox" "$D/img/bin/$a"
done
printf '%s\n' root:x:0:0:root:/root:/bin/sh daemon:x:1:1:daemon:/usr/sbin:/bin/false \
	bin:x:2:2:bin:/bin:/bin/false sys:x:3:3:sys:/dev:/bin/false sync:x:4:100:sync:/bin:/bin/sync \
	mail:x:8:8:mail:/var/spool/mail:/bin/false www-data:x:33:33:www-data:/var/www:/bin/false \
	operator:x:37:37:Operator:/var:/bin/false nobody:x:65534:65534:nobody:/home:/bin/false \
	>"$D/img/etc/passwd"
printf '%s\n' root:x:0: daemon:x:1: bin:x:2: sys:x:3: adm:x:4: tty:x:5: disk:x:6: wheel:x:10:root \
	mail:x:8: www-data:x:33: operator:x:37: staff:x:50: users:x:100: nogroup:x:65534: \
	>"$D/img/etc/group"
tar -C "$D/img" -cJf "$D/busybox.tar.xz" . || exit 1
printf '#!/bin/sh\necho BUSYBOX_IMAGE=%s\necho DEBIAN_IMAGE=%s\n' "$D/busybox.tar.xz" \
	"$D/busybox.tar.xz" >"$W/tests/integration/get-images.sh"

# recvtty --pid-file FILE --mode null SOCKET: takes the masters sent over SOCKET and
# drains them until it is killed (then the containers' terminals hang up). In C: the tests
# start it in the background and go on, and a runtime may dial the socket soon after.
cat >"$D/recvtty.c" <<'EOF'
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct pollfd p[256];
	int n = 1;

	if (argc < 2 || strlen(argv[argc - 1]) >= sizeof(sa.sun_path))
		return 2;
	strcpy(sa.sun_path, argv[argc - 1]);
	p[0].fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (bind(p[0].fd, (void *)&sa, sizeof(sa)) < 0 || listen(p[0].fd, 16) < 0)
		return perror("recvtty"), 1;
	for (int i = 1; i + 1 < argc; i++) {
		FILE *f = !strcmp(argv[i], "--pid-file") ? fopen(argv[i + 1], "w") : NULL;
		if (f)
			fprintf(f, "%d", getpid()), fclose(f);
	}
	for (int i = 0; i < 256; i++)
		p[i].events = POLLIN;
	for (;;) {
		if (poll(p, n, -1) < 0)
			continue;
		for (int i = 1; i < n; i++) {
			char buf[4096];
			if (p[i].revents && read(p[i].fd, buf, sizeof(buf)) <= 0) {
				close(p[i].fd);
				p[i--] = p[--n];
			}
		}
		if (!(p[0].revents & POLLIN))
			continue;
		int c = accept(p[0].fd, NULL, NULL), fd;
		char b, ctl[CMSG_SPACE(sizeof(int))];
		struct iovec io = { &b, 1 };
		struct msghdr m = { .msg_iov = &io, .msg_iovlen = 1, .msg_control = ctl,
				    .msg_controllen = sizeof(ctl) };
		struct cmsghdr *cm;
		if (c >= 0 && recvmsg(c, &m, 0) >= 0 && (cm = CMSG_FIRSTHDR(&m)) &&
		    cm->cmsg_type == SCM_RIGHTS && n < 256) {
			memcpy(&fd, CMSG_DATA(cm), sizeof(fd));
			p[n++].fd = fd;
		}
		if (c >= 0)
			close(c);
	}
}
EOF
cc -O -o "$W/contrib/cmd/recvtty/recvtty" "$D/recvtty.c" || fail "cannot build recvtty"
chmod +x "$W/tests/integration/get-images.sh"

# by default all but seccomp-notify*.bats, which want runc's seccomp agent (and runc,
# without one, waits for it forever)
files=
for f in ${RUNC_BATS_FILES:-$(cd "$W/tests/integration" && ls ./*.bats | grep -v seccomp-notify)}; do
	files="$files $W/tests/integration/$(basename "$f")"
done
# bats's temporary directories under $D, so that nothing is left behind
export RUNC="$RT" TMPDIR="$D"
script -q -e -c "bats --tap $files" /dev/null </dev/null 2>&1 | tr -d '\r' >"$D/tap"
cat "$D/tap" >"$OUTF"
# mounts_recursive.bats unmounts its volume while the container still runs, which fails
# here (the gofer holds the directory open): what is left is unmounted now
awk -v d="$D/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r | while read -r m; do
	umount "$m" 2>/dev/null
done
pass=$(grep -c '^ok ' "$D/tap")
skip=$(grep -c '^ok .* # skip' "$D/tap")
failed=$(grep -c '^not ok ' "$D/tap")
echo "$((pass - skip)) passed, $failed failed, $skip skipped"
