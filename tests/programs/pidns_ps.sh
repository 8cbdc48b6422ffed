#!/bin/sh
# Inside a new pid namespace (unshare -p -f --mount-proc, or bwrap --unshare-pid --proc):
# the shell is pid 1, ps and /proc show only the namespace's processes by their numbers
# there, NSpid has one level as the namespace's own proc shows it.
echo "pid $$"
ps -o pid,ppid,comm
grep NS /proc/self/status
ls -d /proc/1 /proc/2 2>&1 | head -2
readlink /proc/self
sleep 0.2 &
wait $!
echo "sleep status $?"
