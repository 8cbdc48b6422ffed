#!/bin/sh
# --audit FILE: every denied or unknown syscall, and every write refused by a read-only
# mount, leaves one JSON line naming it, with the call's decoded arguments; a line stays
# valid JSON (UTF-8) when a path or the program's name has bytes that are not UTF-8.
B=${1:-build}
[ -x "$B/escape" ] || cc -O1 -static -I. -o "$B/escape" tests/security/escape.c || exit 1
log=$(mktemp)
trap 'rm -f "$log"' EXIT
"$B/sandbox" run --audit "$log" -- "$B/escape" kexec >/dev/null 2>&1
"$B/sandbox" run --audit - -- /usr/bin/python3 -c 'import ctypes; ctypes.CDLL(None).syscall(1000)' 2>>"$log" >/dev/null
# a write refused by a read-only mount (--ro) is audited with its path
"$B/sandbox" run --ro /usr/share:/ro --audit - -- /usr/bin/touch '/ro/sandbox "quoted" audit' 2>>"$log" >/dev/null
# a name and a path that are not UTF-8 (bytes 0xff, a cut sequence): still one JSON line each
"$B/sandbox" run --ro /usr/share:/ro --audit - -- /usr/bin/python3 -c '
import ctypes
ctypes.CDLL(None).prctl(15, b"bad\xffname\xe2\x82")
ctypes.CDLL(None).syscall(321, 7, 0, 48)
try:
    open(b"/ro/x\xff\x01y\xc3\xa9", "w")
except OSError:
    pass' 2>>"$log" >/dev/null
/usr/bin/python3 - "$log" <<'PY' || exit 1
import json, sys
lines = [l for l in open(sys.argv[1], "rb") if l.startswith(b"{")]
recs = [json.loads(l) for l in lines]
def has(name, err):
    return any(r["syscall"] == name and r["errno"] == err and r["pid"] >= 1 for r in recs)
ok = has("kexec_load", "EPERM") and has("syscall_1000", "ENOSYS") and any(
    r["errno"] == "EROFS" and r["reason"].endswith('/ro/sandbox "quoted" audit') for r in recs)
# arguments as --trace decodes them: bpf(7, 0, 48) by its formats, the path escaped
ok = ok and any(r["syscall"] == "bpf" and r.get("args") == "7, 0, 48" and
                r["comm"] == "bad\ufffdname\ufffd\ufffd" for r in recs)
ok = ok and any(r["errno"] == "EROFS" and r["reason"].endswith("/ro/x\ufffd\x01y\u00e9") and
                r.get("args", "").startswith('AT_FDCWD, "/ro/x\\xff\\x01y\\xc3\\xa9"')
                for r in recs)
print("audit records: %s" % ", ".join("%s=%s" % (r["syscall"], r["errno"]) for r in recs))
sys.exit(0 if ok else 1)
PY
