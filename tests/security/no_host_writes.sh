#!/bin/sh
# Writes inside the sandbox never reach the host: /tmp is in memory, the host root is read-only.
B=${1:-build}
name=/tmp/sandbox-sec-$$
rm -f "$name"
"$B/sandbox" run -- /bin/sh -c "echo x > $name" >/dev/null 2>&1
[ -e "$name" ] && { echo "a guest write to $name reached the host"; rm -f "$name"; exit 1; }
out=$("$B/sandbox" run -- /usr/bin/touch /etc/sandbox-should-not-exist 2>&1)
[ -e /etc/sandbox-should-not-exist ] && { echo "host /etc was written"; rm -f /etc/sandbox-should-not-exist; exit 1; }
echo "$out" | grep -q "Read-only file system" || { echo "touch /etc/...: expected EROFS, got: $out"; exit 1; }
echo "guest writes stay inside"; exit 0
