#!/bin/sh
# File-system conformance programs in a --rw host directory, differentially: each runs
# natively with its scratch directory there (CF_BASE) and inside with that directory
# mounted --rw; outputs and exit statuses must match. (Not here, known gaps: O_TMPFILE and
# socket nodes in --rw directories, hence open_kinds, open_edges, fifo, dir_iter; no
# birth times of host files: statx_extra; reopening a removed host file: fs_misc.)
B=${1:-build}
d=$(mktemp -d "$B/rwconf.XXXXXX") || exit 1
trap 'rm -rf "$d"' EXIT
progs="xattr_user rw_edges times_update link rename unlink truncate lseek fcntl_lock flock
	mmap_file_edges getdents utimensat trailing_slash open_file_ops removed_file_ops deep_paths"
n=0
for p in $progs; do
	cc -std=gnu11 -O1 -w -D_GNU_SOURCE -static -Itests/conformance -o "$d/$p" \
		"tests/conformance/$p.c" 2>/dev/null || { echo "cannot build $p"; exit 1; }
	mkdir "$d/base.$p"
	CF_BASE="$d/base.$p" "$d/$p" >"$d/$p.native" 2>&1 </dev/null
	echo "exit $?" >>"$d/$p.native"
	CF_BASE="$d/base.$p" timeout -k 2 60 "$B/sandbox" run --rw "$d/base.$p" -- "$d/$p" \
		>"$d/$p.sandbox" 2>&1 </dev/null
	echo "exit $?" >>"$d/$p.sandbox"
	if ! cmp -s "$d/$p.native" "$d/$p.sandbox"; then
		echo "$p differs: $(diff "$d/$p.native" "$d/$p.sandbox" | head -6 | tr '\n' ' ')"
		exit 1
	fi
	n=$((n + 1))
done
echo "$n conformance programs in a --rw directory, the same as natively"
