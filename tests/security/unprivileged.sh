#!/bin/sh
# Runs unprivileged (as nobody) where user namespaces allow it, with the host's permissions
# still applying to the gofer. Needs root to switch users: skipped (77) otherwise.
B=${1:-build}
[ "$(id -u)" = 0 ] && command -v su >/dev/null 2>&1 || { echo "needs root and su"; exit 77; }
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
cp "$B/sandbox" "$d/sandbox" && chmod 755 "$d" "$d/sandbox"
out=$(su -s /bin/sh nobody -c "$d/sandbox run -- /bin/sh -c 'id -u; echo x > /tmp/f && cat /tmp/f; ls /root >/dev/null 2>&1 || echo denied'" 2>&1)
[ "$out" = "65534
x
denied" ] || { echo "unprivileged run: $out"; exit 1; }
echo "runs as nobody; host permissions still apply"
