#!/bin/sh
# linux.seccomp: a container's profile refuses, kills, traps and logs as under runc
# (compared with runc itself when it is installed): errno rules with and without errnoRet,
# argument conditions (two on one argument: either matches), KILL_PROCESS, KILL, TRAP,
# TRACE without a tracer, LOG, names libseccomp does not know, a default that refuses
# (calls above the profile's highest get ENOSYS), /proc/self/status; an exec'd process gets
# the profile too; `sandbox run --seccomp` takes the same files (podman's too); bad profiles
# fail create with a reason.
. "$(dirname "$0")/lib.sh"

command -v gcc >/dev/null || { echo "no gcc"; exit 77; }
gcc -static -O2 -o "$D/probe" "$(dirname "$0")/seccomp_probe.c" 2>"$D/cc.err" ||
	{ echo "cannot build a static probe: $(head -3 "$D/cc.err")"; exit 77; }

P1="c['mounts'].append({'destination': '/tmp', 'type': 'tmpfs', 'source': 'tmpfs', 'options': ['size=1m']})
c['linux']['seccomp'] = {'defaultAction': 'SCMP_ACT_ALLOW', 'architectures': ['SCMP_ARCH_X86_64'], 'syscalls': [
 {'names': ['mkdir', 'mkdirat'], 'action': 'SCMP_ACT_ERRNO', 'errnoRet': 13},
 {'names': ['chmod', 'fchmodat', 'fchmodat2'], 'action': 'SCMP_ACT_ERRNO', 'args': [{'index': 2, 'value': 448, 'op': 'SCMP_CMP_EQ'}]},
 {'names': ['sysinfo'], 'action': 'SCMP_ACT_KILL_PROCESS'},
 {'names': ['syncfs'], 'action': 'SCMP_ACT_KILL'},
 {'names': ['sync'], 'action': 'SCMP_ACT_TRAP'},
 {'names': ['sethostname'], 'action': 'SCMP_ACT_TRACE'},
 {'names': ['getpriority'], 'action': 'SCMP_ACT_LOG'},
 {'names': ['no_such_call_here'], 'action': 'SCMP_ACT_ERRNO'},
 {'names': ['setpriority'], 'action': 'SCMP_ACT_ERRNO', 'errnoRet': 22, 'args': [{'index': 0, 'value': 0, 'op': 'SCMP_CMP_EQ'}, {'index': 0, 'value': 1, 'op': 'SCMP_CMP_EQ'}]}]}"
PROBES1="mkdir chmod700 chmod644 setprio-process setprio-user getprio sethostname personality"
# (the shell's "Bad system call" goes to stderr, which runc's and ours interleave with stdout
# differently: dropped)
SCRIPT1="exec 2>/dev/null; grep ^Seccomp /proc/self/status; /probe $PROBES1; /probe sysinfo; echo status \$?; /probe syncfs; echo status \$?; /probe sync; echo status \$?; echo end"

make_bundle "$D/a" "c['process']['args'] = ['sh', '-c', '''$SCRIPT1''']
$P1"
for a in grep; do ln -sf busybox "$D/a/rootfs/bin/$a"; done
cp "$D/probe" "$D/a/rootfs/probe"
out=$(oci run -b "$D/a" sc1 2>&1)
# Linux's answers for these rules, as runc gives them
[ "$out" = "Seccomp:	2
Seccomp_filters:	1
mkdir: EACCES
chmod700: EPERM
chmod644: ok
setprio-process: EINVAL
setprio-user: ESRCH
getprio: ok
sethostname: ENOSYS
personality: ok
status 159
status 159
status 159
end" ] || fail "profile 1: $out"
if command -v runc >/dev/null 2>&1; then
	mkdir -p "$D/a/rootfs/proc" "$D/a/rootfs/dev" "$D/a/rootfs/sys"
	ref=$(cd "$D/a" && runc --root "$D/runc" run sc1ref 2>&1)
	[ "$out" = "$ref" ] || fail "profile 1 differs from runc's: $out
runc: $ref"
fi

# exec: the container's profile applies to the process it starts
make_bundle "$D/e" "c['process']['args'] = ['sleep', '30']
$P1"
cp "$D/probe" "$D/e/rootfs/probe"
oci create -b "$D/e" sce >/dev/null 2>&1 || fail "create sce"
oci start sce || fail "start sce"
out=$(oci exec sce /probe mkdir chmod644 2>&1)
[ "$out" = "mkdir: EACCES
chmod644: ok" ] || fail "exec under the profile: $out"
oci kill sce KILL 2>/dev/null
oci delete --force sce 2>/dev/null

# a default that refuses: podman's profile as docker resolves it for runc's default
# capabilities, without mkdir; calls above the highest it names get ENOSYS
PODMAN=/usr/share/containers/seccomp.json
if [ -f "$PODMAN" ]; then
	P2="p = json.load(open('$PODMAN'))
caps = set(c['process']['capabilities']['bounding'])
keep = []
for e in p['syscalls']:
    inc, exc = e.get('includes') or {}, e.get('excludes') or {}
    if inc.get('arches') and 'amd64' not in inc['arches']: continue
    if exc.get('arches') and 'amd64' in exc['arches']: continue
    if inc.get('caps') and not set(inc['caps']) <= caps: continue
    if exc.get('caps') and set(exc['caps']) & caps: continue
    if inc.get('minKernel') or exc.get('minKernel'): continue
    names = [n for n in e['names'] if n not in ('mkdir', 'mkdirat')]
    if names:
        keep.append({k: v for k, v in e.items() if k not in ('includes', 'excludes', 'comment')} | {'names': names})
c['linux']['seccomp'] = {'defaultAction': 'SCMP_ACT_ERRNO', 'defaultErrnoRet': 1, 'syscalls': keep}
c['process']['args'] = ['/probe', 'mkdir', 'uname', 'clone3', 'reboot', 'personality', 'nr449', 'nr450', 'nr1000']"
	# with the architectures listed (as docker and podman give them), runc adds the ENOSYS
	# rule; without, it does not
	for v in arches noarches; do
		if [ $v = arches ]; then
			make_bundle "$D/$v" "$P2
c['linux']['seccomp']['architectures'] = ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']"
		else
			make_bundle "$D/$v" "$P2"
		fi
		cp "$D/probe" "$D/$v/rootfs/probe"
		out=$(oci run -b "$D/$v" "sc$v" 2>&1)
		case $v:$out in
		arches:*"mkdir: EPERM"*"nr449: ENOSYS"*) ;;
		noarches:*"mkdir: EPERM"*"nr449: EPERM"*) ;;
		*) fail "profile 2 ($v): $out" ;;
		esac
		if command -v runc >/dev/null 2>&1; then
			mkdir -p "$D/$v/rootfs/proc" "$D/$v/rootfs/dev" "$D/$v/rootfs/sys"
			ref=$(cd "$D/$v" && runc --root "$D/runc" run "sc${v}ref" 2>&1)
			[ "$out" = "$ref" ] || fail "profile 2 ($v) differs from runc's: $out
runc: $ref"
		fi
	done
	# sandbox run --seccomp with podman's own file: programs run, Seccomp shows it
	out=$("$SB" run --seccomp "$PODMAN" -- sh -c 'grep ^Seccomp: /proc/self/status; echo ok' 2>&1)
	[ "$out" = "Seccomp:	2
ok" ] || fail "--seccomp $PODMAN: $out"
fi

# sandbox run --seccomp FILE and the profile key; bad files are one-line usage errors
"$PY" -c "import json; json.dump({'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['mkdir', 'mkdirat'], 'action': 'SCMP_ACT_ERRNO', 'errnoRet': 13}, {'names': ['sync'], 'action': 'SCMP_ACT_KILL_PROCESS'}]}, open('$D/p1.json', 'w'))"
out=$("$SB" run --seccomp "$D/p1.json" -- "$D/probe" mkdir chmod644 2>&1)
[ "$out" = "mkdir: EACCES
chmod644: ok" ] || fail "--seccomp: $out"
# the profile's refusals are denials: audited, counted in --json
"$SB" run --seccomp "$D/p1.json" --audit "$D/audit" --json "$D/res.json" -- "$D/probe" mkdir >/dev/null 2>&1
grep -q '"syscall":"mkdir","nr":83,"args":"\\"/tmp/probe-dir\\", 0755","errno":"EACCES","reason":"seccomp profile: SCMP_ACT_ERRNO"' "$D/audit" ||
	fail "audit of a profile's refusal: $(cat "$D/audit")"
grep -q '"denials": *1' "$D/res.json" || fail "--json denials: $(cat "$D/res.json")"
"$SB" run --seccomp "$D/p1.json" --audit "$D/audit2" -- sh -c 'exec 2>/dev/null; mkdir /tmp/x; /bin/sync' >/dev/null 2>&1
grep -q '"syscall":"sync","nr":162,"args":"","errno":"","reason":"seccomp profile: SCMP_ACT_KILL_PROCESS"' "$D/audit2" ||
	fail "audit of a profile's kill: $(cat "$D/audit2")"
echo "{\"seccomp\": \"$D/p1.json\"}" > "$D/prof.json"
out=$("$SB" run --profile "$D/prof.json" -- "$D/probe" mkdir 2>&1)
[ "$out" = "mkdir: EACCES" ] || fail "--profile with seccomp: $out"
for bad in '{}' '{"defaultAction": "SCMP_ACT_NOPE"}' '[1]' '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 9, "op": "SCMP_CMP_EQ"}]}]}' \
	'{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_NOTIFY"}]}' \
	'{"defaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_BOGUS"]}' '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": "read"}]}'; do
	printf '%s' "$bad" > "$D/bad.json"
	out=$("$SB" run --seccomp "$D/bad.json" -- true 2>&1); st=$?
	[ $st = 123 ] && [ "$(printf '%s\n' "$out" | wc -l)" = 1 ] && case $out in "sandbox: --seccomp: "*) true ;; *) false ;; esac ||
		fail "bad profile $bad: status $st: $out"
	rm -rf "$D/bad"
	make_bundle "$D/bad" "c['process']['args'] = ['true']
c['linux']['seccomp'] = json.load(open('$D/bad.json'))"
	out=$(oci create -b "$D/bad" scbad 2>&1) && fail "create with a bad profile $bad succeeded"
	case $out in *"linux.seccomp: "*) ;; *) fail "create with bad profile $bad: $out" ;; esac
	oci delete --force scbad >/dev/null 2>&1
done
# 200 random mutations of a profile (fixed seed): each is taken, or refused with one line
"$PY" - "$SB" "$D" "$(cd "$(dirname "$0")" && pwd)" <<'PYEOF' || exit 1
import json, subprocess, sys
sb, d = sys.argv[1:3]
sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[3])
from mutate import mutations
good = {"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1, "architectures": ["SCMP_ARCH_X86_64"],
        "flags": ["SECCOMP_FILTER_FLAG_LOG"], "archMap": [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": []}],
        "syscalls": [{"names": ["read", "write", "exit_group", "execve", "brk", "mmap", "arch_prctl"], "action": "SCMP_ACT_ALLOW"},
                     {"names": ["personality"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 8, "valueTwo": 0, "op": "SCMP_CMP_EQ"}]},
                     {"names": ["clone"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_ADMIN"], "arches": ["amd64"], "minKernel": "4.8"}, "excludes": {"caps": ["CAP_BPF"]}}]}
values = [None, True, 0, -1, 1 << 62, -(1 << 62), 1.5, "", "x" * 5000, [], {}, [1, "a", None], {"a": [1]},
          "SCMP_ACT_KILL", "SCMP_CMP_MASKED_EQ", ["read"] * 300, 7, 65536, "4.x", "CAP_NOPE", [[[[[]]]]]]
for c in mutations(good, values, 200, 20261128):
    json.dump(c, open(d + "/fz.json", "w"))
    try:
        r = subprocess.run([sb, "run", "--seccomp", d + "/fz.json", "--", "/bin/true"],
                           stdin=subprocess.DEVNULL, capture_output=True, timeout=30)
    except subprocess.TimeoutExpired:
        print("hung on", json.dumps(c)[:300]); sys.exit(1)
    err = r.stderr.decode(errors="replace").strip()
    # taken: the program runs (0), or the profile kills or refuses it (159, 126, 127...)
    if r.returncode == 123 and (err.count("\n") or not err.startswith("sandbox: --seccomp: ")) or \
       r.returncode in (124, 125) or "Sanitizer" in err or "sentry" in err:
        print("exit %d: %s; profile %s" % (r.returncode, err[:300], json.dumps(c)[:300])); sys.exit(1)
PYEOF
"$SB" run --seccomp "$D/none.json" -- true >/dev/null 2>&1
[ $? = 123 ] || fail "a missing profile file is not a usage error"
echo "errno/kill/trap/trace/log rules as runc, exec, a refusing default with ENOSYS above, --seccomp, bad and 200 mutated profiles"
