# lslocks (util-linux) reads /proc/locks and names each lock's file from /proc/PID/fd:
# a flock(1) holder and a python3 holding a POSIX range and an OFD lock, each listed by
# its pid (the host has locks of its own).
d=$(mktemp -d) && cd "$d" || exit 1
flock -s lf1 sh -c 'lslocks -u -o COMMAND,TYPE,MODE,M,START,END,PATH -p $PPID | sed "s|$PWD/||"'
python3 -c '
import fcntl, os, struct, subprocess
a = os.open("lf2", os.O_RDWR | os.O_CREAT)
fcntl.lockf(a, fcntl.LOCK_EX, 10, 5)
b = os.open("lf3", os.O_RDWR | os.O_CREAT)
fcntl.fcntl(b, fcntl.F_OFD_SETLK, struct.pack("hhqqi4x", fcntl.F_RDLCK, 0, 0, 0, 0))
out = subprocess.run(["lslocks", "-u", "-o", "TYPE,MODE,M,START,END,PATH", "-p", str(os.getpid())],
                     capture_output=True, text=True).stdout
print(out.replace(os.getcwd() + "/", ""), end="")
'
cd / && rm -rf "$d"
