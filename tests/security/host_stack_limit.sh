#!/bin/sh
# The sandbox starts whatever stack limit it is given on the host, and the guest's programs
# inherit that limit and can grow their stacks to it: with `ulimit -s unlimited` the host
# lays processes out bottom-up (the legacy layout), which put the vDSO below the stubs' page
# (the first stub then unmapped its own code and the sandbox never started).
B=${1:-build}
fail() { echo "$*"; exit 1; }
n=0
for lim in unlimited 65536 8192 1024; do
	got=$(sh -c "ulimit -s $lim && \"$B/sandbox\" run -- /bin/sh -c 'ulimit -s'" 2>&1) ||
		fail "ulimit -s $lim: sandbox failed: $got"
	[ "$got" = "$lim" ] || fail "ulimit -s $lim: the guest sees '$got'"
	n=$((n + 1))
done
# a deep recursion the limit allows runs as natively (python's own recursion limit raised)
py='import sys; sys.setrecursionlimit(10**6)
def f(n): return 0 if n == 0 else 1 + f(n - 1)
print(f(150000))'
want=$(sh -c "ulimit -s unlimited && /usr/bin/python3 -c '$py'" 2>&1 | tail -1)
got=$(sh -c "ulimit -s unlimited && \"$B/sandbox\" run -- /usr/bin/python3 -c '$py'" 2>&1 | tail -1)
[ "$want" = "$got" ] || fail "deep recursion under an unlimited stack: natively '$want', inside '$got'"
echo "starts under $n host stack limits; a deep recursion under an unlimited one as natively ($got)"
