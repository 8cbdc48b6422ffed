#!/bin/sh
# `make fuzz`: builds each libFuzzer harness in tests/fuzz/ with clang and runs it for
# FUZZ_SECONDS (default 120) seconds. Not part of `make test`.
set -e
B=${1:-build}
SECS=${FUZZ_SECONDS:-120}
if ! command -v clang >/dev/null 2>&1; then
	echo "fuzz: installing clang"
	apt-get install -y -qq clang >/dev/null
fi
mkdir -p "$B/fuzz"
CFLAGS="-std=gnu11 -g -O1 -D_GNU_SOURCE -I. -fsanitize=fuzzer,address,undefined"
pass=0; fail=0
run() { # name, sources...
	name=$1; shift
	echo "fuzz: $name for ${SECS}s"
	clang $CFLAGS "$@" $(pkg-config --cflags --libs libseccomp libelf jansson) -o "$B/fuzz/$name"
	mkdir -p "$B/fuzz/$name.corpus"
	if "$B/fuzz/$name" -max_total_time="$SECS" "$B/fuzz/$name.corpus" >"$B/fuzz/$name.log" 2>&1; then
		pass=$((pass + 1)); echo "PASS fuzz/$name"
	else
		fail=$((fail + 1)); echo "FAIL fuzz/$name (see $B/fuzz/$name.log)"; tail -20 "$B/fuzz/$name.log"
	fi
}
. tests/fuzz/harnesses.sh
each_harness run
# trinity inside the sandbox for about as long (tests/security/trinity.sh runs it briefly in
# `make test`): 4 children, a random seed, roughly 500 syscalls a second.
echo "fuzz: trinity in the sandbox for ~${SECS}s"
if TRINITY_OPS=$((SECS * 500)) TRINITY_CHILDREN=4 sh tests/security/trinity.sh "$B"; then
	pass=$((pass + 1)); echo "PASS fuzz/trinity"
else
	fail=$((fail + 1)); echo "FAIL fuzz/trinity"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
