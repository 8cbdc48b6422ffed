#!/usr/bin/python3
"""Runs LTP syscall tests (runtest/syscalls of an LTP install) in the sandbox, or natively.
usage: run.py --ltp INST [-s SANDBOX] [--native] [--only REGEX] [--names FILE] [--out DIR]
Results go to OUT/results.json (sandbox) or OUT/native.json: {name: {rc, out, t}}; one line a
test on stdout. LTP exit codes: 0 pass, 32 skipped (TCONF); bits 1 TFAIL, 2 TBROK, 4 TWARN."""
import argparse, json, os, re, subprocess, time

ap = argparse.ArgumentParser()
ap.add_argument('--ltp', required=True, help='the install directory (build.sh WORKDIR/inst)')
ap.add_argument('-s', default=os.path.join(os.path.dirname(__file__), '../../build/sandbox'))
ap.add_argument('--native', action='store_true')
ap.add_argument('--only', help='regex on test names')
ap.add_argument('--names', help='file with test names, one a line')
ap.add_argument('--out', default='ltp-results')
ap.add_argument('-t', type=int, default=60, help='timeout of one test, seconds')
a = ap.parse_args()

# Natively these would change the host (clock, modules, swap, reboot, accounting...).
HOST_CHANGING = re.compile(r'^(settimeofday|stime|clock_settime|adjtimex|clock_adjtime|swapon|'
                           r'swapoff|reboot|init_module|delete_module|finit_module|kexec|acct|'
                           r'quotactl|fanotify|mount0|umount|ioctl_loop|syslog|perf_event|bpf|'
                           r'setrlimit06|userfaultfd)')
# Both ways these fill all the memory free (tst_pollute_memory, 64 times over 300 s): the
# host's natively, the sandbox's --memory (half the host's) inside; not on a shared machine.
MEMORY_FILLING = re.compile(r'^(setsockopt11|ioctl_sg01)$')
tests = []
for line in open(os.path.join(a.ltp, 'runtest/syscalls')):
    line = line.strip()
    if not line or line.startswith('#'):
        continue
    name, cmd = line.split(None, 1)
    if a.only and not re.search(a.only, name):
        continue
    tests.append((name, cmd))
if a.names:
    want = set(open(a.names).read().split())
    tests = [t for t in tests if t[0] in want]
os.makedirs(a.out, exist_ok=True)
path = os.path.join(a.out, 'native.json' if a.native else 'results.json')
res = json.load(open(path)) if os.path.exists(path) else {}
env = dict(os.environ, LTPROOT=a.ltp, TMPDIR='/tmp', LTP_TIMEOUT_MUL='3',
           PATH=os.path.join(a.ltp, 'testcases/bin') + ':' + os.environ['PATH'])
for name, cmd in tests:
    if a.native and HOST_CHANGING.search(name) or MEMORY_FILLING.search(name):
        continue
    script = 'cd /tmp && ' + cmd
    if a.native:
        # a new network namespace's lo is down; the sandbox's is up, as a container's
        script = 'ip link set lo up; ' + script
        argv = ['unshare', '-muinp', '--fork', '--mount-proc', 'sh', '-c', script]
    else:
        argv = [os.path.abspath(a.s), 'run', '--', 'sh', '-c', script]
    t0 = time.time()
    try:
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=a.t, env=env, cwd='/tmp')
        out, rc = p.stdout.decode(errors='replace'), p.returncode
    except subprocess.TimeoutExpired as e:
        out, rc = (e.stdout or b'').decode(errors='replace'), 'timeout'
    res[name] = {'rc': rc, 'out': out[-4000:], 't': round(time.time() - t0, 2)}
    print('%-28s %s %.1fs' % (name, rc, time.time() - t0), flush=True)
    json.dump(res, open(path, 'w'), indent=0)
