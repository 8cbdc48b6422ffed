#!/usr/bin/python3
"""Runs gVisor syscall test binaries (built by tests/gvisor/build.sh) natively, in unshare -muinp, and in
the sandbox, and reports the cases that pass natively but not inside.
usage: run.py [-s SANDBOX] [--out DIR] [--sandbox-only] BIN...   (results in DIR/NAME.json; summary on stdout)"""
import subprocess, sys, os, re, json, argparse, signal
ap = argparse.ArgumentParser()
ap.add_argument('-s', default=os.path.join(os.path.dirname(os.path.abspath(__file__)), '../../build/sandbox'))
ap.add_argument('-t', type=int, default=60, help='timeout of a whole binary')
ap.add_argument('-c', type=int, default=20, help='timeout of one case run alone')
ap.add_argument('--out', default='gvisor-results')
ap.add_argument('--native-only', action='store_true')
ap.add_argument('--sandbox-only', action='store_true')
ap.add_argument('--uid', type=int, help='run both sides as this user and group id, without capabilities')
ap.add_argument('bins', nargs='+')
a = ap.parse_args()
# The tests that depend on the platform (32-bit calls, int3, vsyscall, alignment checks, several
# processes) ask this variable what to expect; unset or empty, they abort. Linux has them all.
PLATFORM = '32BIT:TRUE,ALIGNMENT_CHECK:TRUE,MULTIPROCESS:TRUE,INT3:TRUE,VSYSCALL:TRUE'
ENV = dict(os.environ, TEST_TMPDIR='/tmp', GVISOR_PLATFORM_SUPPORT=PLATFORM)
def parse(out):
    r = {}
    for m in re.finditer(r'^\[ +(OK|FAILED|SKIPPED) +\] (\S+?)(,| \(|\n)', out, re.M):
        r[m.group(2)] = m.group(1)
    return r
def run(cmd, filt=None, timeout=60):
    c = list(cmd) + (['--gtest_filter=' + filt] if filt else [])
    # its own process group, killed whole on a timeout: unshare --fork's child would outlive unshare
    p = subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=ENV, cwd='/tmp',
                         start_new_session=True)
    try:
        out, _ = p.communicate(timeout=timeout)
        return out.decode(errors='replace'), p.returncode
    except subprocess.TimeoutExpired:
        try: os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError: pass
        out, _ = p.communicate()
        return out.decode(errors='replace'), 'timeout'
def cases(b):
    out, _ = run([b, '--gtest_list_tests'], timeout=20)
    res, suite = [], None
    for line in out.splitlines():
        if not line.strip() or line.startswith('Failed to match'): continue
        if not line.startswith(' '): suite = line.split()[0]
        elif 'DISABLED_' not in suite + line.split()[0]:  # gtest lists them but never runs them
            res.append(suite + line.split()[0])
    return res
def full(prefix, b, allc):
    out, rc = run(prefix + [b], timeout=a.t)
    r = parse(out)
    missing = [c for c in allc if c not in r]
    if missing:  # a hang or crash cut the run short: run the rest one by one
        hangs = 0
        for c in missing:
            if hangs >= 6:
                r[c] = 'NOTRUN(hangs)'; continue
            o, rc2 = run(prefix + [b], filt=c, timeout=a.c)
            hangs += rc2 == 'timeout'
            rr = parse(o)
            r[c] = rr.get(c, 'TIMEOUT' if rc2 == 'timeout' else 'CRASH(%s)' % rc2)
            if r[c] != 'OK': r[c + '#out'] = o[-3000:]
    else:
        # keep failure output
        for c, v in list(r.items()):
            if v == 'FAILED':
                m = re.search(r'\[ RUN +\] ' + re.escape(c) + r'\n(.*?)\[  FAILED', out, re.S)
                if m: r[c + '#out'] = m.group(1)[-3000:]
    return r
for b in [os.path.abspath(x) for x in a.bins]:
    name = os.path.basename(b)
    allc = cases(b)
    os.makedirs(a.out, exist_ok=True)
    path = os.path.join(a.out, '%s.json' % name)
    path0 = path
    old = json.load(open(path0)) if os.path.exists(path0) else {}
    NAT = ['unshare', '-muinp', '--fork', '--mount-proc', 'sh', '-c', 'ip link set lo up 2>/dev/null; exec "$0" "$@"']
    SB = [a.s, 'run', '--']
    if a.uid is not None:
        NAT += ['setpriv', '--reuid=%d' % a.uid, '--regid=%d' % a.uid, '--clear-groups']
        SB = [a.s, 'run', '--uid', str(a.uid), '--gid', str(a.uid), '--']
    nat = old.get('native') if (a.sandbox_only and old.get('native')) else None
    if nat is None: nat = full(NAT, b, allc)
    sb = old.get('sandbox', {}) if a.native_only else full(SB, b, allc)
    json.dump({'native': nat, 'sandbox': sb}, open(path, 'w'), indent=0)
    bad = [c for c in allc if nat.get(c) == 'OK' and sb.get(c) != 'OK']
    print('%-45s cases %4d native-ok %4d sandbox-ok %4d  REGRESSIONS %d' % (name, len(allc),
          sum(1 for c in allc if nat.get(c) == 'OK'), sum(1 for c in allc if sb.get(c) == 'OK'), len(bad)), flush=True)
    for c in bad[:40]: print('   ', c, sb.get(c))
