#!/bin/sh
# The sandbox's stdout and stderr redirected to host files (as CI jobs capture them): a
# reopen through /dev/stdout, /dev/stderr or /proc/self/fd/N is a new open file description
# as on Linux (its own offset, O_TRUNC, O_APPEND), compared byte for byte with the same
# script run natively; and it gets no access the host fd lacks (stdout is not read back,
# a file given as stdin is not written through /dev/stdin). Std fds closed by the caller
# are closed inside (not one of the sandbox's own sockets).
B=${1:-build}
fail() { echo "$*"; exit 1; }
d=$(mktemp -d /tmp/stdio_reopen.XXXXXX) || exit 1
trap 'rm -rf "$d"' EXIT

script='echo to-stdout > /dev/stdout; echo to-stderr > /dev/stderr; echo ok
echo app >> /dev/stdout; echo more >&2; echo x > /proc/self/fd/2
exec 3>/dev/stdout; echo three >&3; echo y; exec 4>>/dev/stderr; echo four >&4
echo z >&2; : > /dev/stdout; echo last; printf "%s\n" a b c > /dev/stderr; echo end'
/bin/sh -c "$script" > "$d/n.out" 2> "$d/n.err"; nrc=$?
"$B/sandbox" run -- /bin/sh -c "$script" > "$d/s.out" 2> "$d/s.err"; src=$?
[ $nrc -eq $src ] || fail "exit status: native $nrc, sandbox $src"
cmp -s "$d/n.out" "$d/s.out" || fail "stdout file differs: native $(od -c "$d/n.out" | head -3), sandbox $(od -c "$d/s.out" | head -3)"
cmp -s "$d/n.err" "$d/s.err" || fail "stderr file differs: native $(od -c "$d/n.err" | head -3), sandbox $(od -c "$d/s.err" | head -3)"
[ -s "$d/n.out" ] || fail "the native run wrote nothing"

# appending stdout (>>): a reopen with O_TRUNC still truncates, as natively
printf 'kept\n' > "$d/n.log"; printf 'kept\n' > "$d/s.log"
s2='echo one; echo two >> /dev/stdout; echo three'
/bin/sh -c "$s2" >> "$d/n.log"
"$B/sandbox" run -- /bin/sh -c "$s2" >> "$d/s.log"
cmp -s "$d/n.log" "$d/s.log" || fail "appended stdout differs: native $(cat "$d/n.log"), sandbox $(cat "$d/s.log")"

# stat through the links sees the host file as it is now (size, type), as natively
printf 'twelve bytes' > "$d/in12"
s3='echo 12345 > /dev/stderr; stat -L -c "%s %F" /dev/stdin /dev/stderr /proc/self/fd/0'
n3=$(/bin/sh -c "$s3" < "$d/in12" 2> "$d/n3.err")
s3o=$("$B/sandbox" run -- /bin/sh -c "$s3" < "$d/in12" 2> "$d/s3.err")
[ "$n3" = "$s3o" ] || fail "stat of reopened std files: native $n3, sandbox $s3o"

# no more access than given: a write-only stdout is not read back, a read-only stdin
# file is neither written nor truncated
printf 'secret\n' > "$d/in"
out=$("$B/sandbox" run -- /bin/sh -c 'exec 5>&1; cat /dev/fd/5 2>&1 >/dev/null | grep -c "Permission denied"; (echo overwrite > /dev/stdin) 2>&1 | grep -c "Permission denied"' < "$d/in" 2>&1 > "$d/w.out"; cat "$d/w.out")
[ "$out" = "1
1" ] || fail "access beyond the host fd's: got: $out"
[ "$(cat "$d/in")" = secret ] || fail "stdin file was changed: $(cat "$d/in")"
# std fds closed by the caller stay closed inside (EBADF), never one of the sandbox's own
# sockets or pipes (which took the lowest free descriptors before)
chk='import os, sys
out = int(sys.argv[1])
for fd in (0, 1, 2):
    try:
        os.fstat(fd); r = "open"
    except OSError as e:
        r = os.strerror(e.errno)
    os.write(out, ("%d %s\n" % (fd, r)).encode())'
n4=$(/usr/bin/python3 -c "$chk" 2 2>&1 <&- >&-; /usr/bin/python3 -c "$chk" 1 <&- 2>&-)
s4=$("$B/sandbox" run -- /usr/bin/python3 -c "$chk" 2 2>&1 <&- >&-; "$B/sandbox" run -- /usr/bin/python3 -c "$chk" 1 <&- 2>&-)
[ "$n4" = "$s4" ] || fail "closed std fds: native $n4, sandbox $s4"
echo "stdout/stderr files reopened inside match native byte for byte; no access beyond the host fds"
