#!/bin/sh
# The libFuzzer harnesses of `make fuzz` (tests/fuzz/) still build, link and keep their
# checks on ordinary inputs: each built with gcc and a plain driver (tests/fuzz/driver.c)
# instead of libFuzzer, run on real executables, malformed ones and random bytes. (The
# fuzzing itself is `make fuzz`; this only keeps the harnesses from rotting.)
B=${1:-build}
case $B in /*) ;; *) B=$PWD/$B ;; esac
d=$(mktemp -d) || exit 1
trap 'rm -rf "$d"' EXIT
CFLAGS="-std=gnu11 -O0 -D_GNU_SOURCE -I. -w"
LIBS=$(pkg-config --libs libseccomp libelf jansson 2>/dev/null)
build() { # name sources...
	name=$1; shift
	gcc $CFLAGS tests/fuzz/driver.c "$@" $LIBS -o "$d/$name" 2>"$d/$name.err" ||
		{ echo "fuzz harness $name does not build: $(head -3 "$d/$name.err" | tr '\n' ' ')"; exit 1; }
}
. tests/fuzz/harnesses.sh
each_harness build
# inputs: real executables, each truncated and with a flipped byte, and random bytes
n=0
for f in /bin/true "$B/sandbox"; do
	[ -r "$f" ] || continue
	n=$((n + 1)); cp "$f" "$d/in$n"
	n=$((n + 1)); head -c 200 "$f" >"$d/in$n"
	n=$((n + 1)); cp "$f" "$d/in$n"; printf '\377' | dd of="$d/in$n" bs=1 seek=60 conv=notrunc 2>/dev/null
done
for i in 1 2 3 4 5 6; do n=$((n + 1)); head -c $((i * 97)) /dev/urandom >"$d/in$n"; done
try() { # name (its sources, ignored)
	"$d/$1" "$d"/in* >"$d/$1.out" 2>&1 ||
		{ echo "fuzz harness $1 failed on ordinary inputs: $(tail -3 "$d/$1.out" | tr '\n' ' ')"; exit 1; }
}
each_harness try
echo "3 fuzz harnesses build and pass $n inputs each"
