#!/bin/sh
# procps over /proc/PID/task: a process of four threads, one of which spends 1.2 s of CPU
# time (its own clock), all then waiting until stdin closes. ps -L shows each thread's own
# CPU time (0 s but for the spinner, and the leader's line, which is the process's: not
# the process's for every thread), top -H one line a thread, pgrep and pidof find the
# process, free and sysctl print their fields and names.
d=$(mktemp -d)
mkfifo "$d/in"
python3 -c '
import sys, threading, time
done = threading.Event()
def spin():
    t = time.thread_time()
    while time.thread_time() - t < 1.2:
        pass
    done.wait()
ts = [threading.Thread(target=done.wait) for i in range(2)]
ts.append(threading.Thread(target=spin))
[t.start() for t in ts]
sys.stdin.read()
done.set()
[t.join() for t in ts]' < "$d/in" &
pid=$!
exec 4> "$d/in"
i=0
# (until the spinner's own line shows its second)
while [ "$(ps -L -o cputimes= -p $pid | grep -c ' 1$')" -lt 2 ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
echo "ps -L: $(ps -L -o nlwp=,cputimes= -p $pid | sort -n | tr -s ' \n' ' ')"
echo "ps: $(ps -o nlwp=,cputimes= -p $pid | tr -s ' ')"
echo "top -H lines: $(top -b -H -n1 -p $pid | grep -c python3)"
echo "pgrep: $(pgrep -f 'import sys, threading' | grep -cx $pid)"
echo "pidof: $(pidof python3 | tr ' ' '\n' | grep -cx $pid)"
exec 4>&-
wait $pid
echo "status $?"
rm -r "$d"
free | head -1 | tr -s ' '
/sbin/sysctl kernel.ostype kernel.osrelease | cut -d' ' -f1
