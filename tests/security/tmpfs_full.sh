#!/bin/sh
# A full tmpfs, differentially: tmpfs_full.c natively on a 64 KiB tmpfs mounted here (needs
# root; else skipped) and inside on --tmpfs /mnt/full:64K must print the same (ENOSPC for
# data, none for names and short symlinks, statfs numbers).
B=${1:-build}
d=$(mktemp -d)
cleanup() { umount "$d/mnt" 2>/dev/null; rm -rf "$d"; }
trap cleanup EXIT
cc -O1 -static -Itests/conformance -o "$B/tmpfs_full" tests/security/tmpfs_full.c 2>"$d/cc.log" ||
	{ echo "cannot build tmpfs_full.c"; exit 1; }
mkdir "$d/mnt"
mount -t tmpfs -o size=64k tmpfs "$d/mnt" 2>/dev/null || { echo "cannot mount a tmpfs natively"; exit 77; }
"$B/tmpfs_full" "$d/mnt" >"$d/native" 2>&1
timeout -k 2 30 "$B/sandbox" run --tmpfs /mnt/full:64K -- "$B/tmpfs_full" /mnt/full >"$d/sandbox" 2>&1
if ! cmp -s "$d/native" "$d/sandbox"; then
	echo "native and sandbox differ: $(diff "$d/native" "$d/sandbox" | tr '\n' ' ')"
	exit 1
fi
echo "a full 64 KiB tmpfs: $(grep -c ENOSPC "$d/native") ENOSPC results, the same as natively"
