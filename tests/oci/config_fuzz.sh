#!/bin/sh
# Random mutations of a valid config.json (fixed seed): wrong types, huge and negative
# numbers, long strings, deep nesting, missing and extra fields. `create` must answer each
# with success or a one-line error (exit 1 or 123), never crash or hang, and a refused
# config leaves nothing in the state directory.
. "$(dirname "$0")/lib.sh"
make_bundle "$D/b" 'c["process"]["args"] = ["sh", "-c", "true"]
c["mounts"].append({"destination": "/t", "type": "tmpfs", "options": ["size=1m"]})
c["process"]["rlimits"].append({"type": "RLIMIT_CORE", "hard": 0, "soft": 0})
c["linux"]["resources"] = {"memory": {"limit": 67108864}, "pids": {"limit": 64}}'
cp "$D/b/config.json" "$D/good.json"
"$PY" - "$SB" "$ROOT" "$D" "$(cd "$(dirname "$0")" && pwd)/mutate.py" <<'PYEOF' || exit 1
import json, os, subprocess, sys
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(sys.argv[4]))
from mutate import mutations
sb, root, d = sys.argv[1:4]
good = json.load(open(d + "/good.json"))
values = [None, True, 0, -1, 1 << 62, -(1 << 62), 1.5, 1e300, "", "x" * 70000, "../../..", "/",
          "/nonexistent", [], {}, [1, "a", None], {"a": [1]}, "RLIMIT_NOFILE", "size=99999999999t",
          [[[[[[[[[[[]]]]]]]]]]], "a:b", "a\tb", "/dev/../etc"]
created = 0
for i, c in enumerate(mutations(good, values, 120, 20261127)):
    json.dump(c, open(d + "/b/config.json", "w"))
    cid = "f%d" % i
    try:
        # stderr to a file: a created container's process keeps it open
        with open(d + "/err", "w") as ef:
            r = subprocess.run([sb, "--root", root, "create", "--bundle", d + "/b", cid],
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=ef, timeout=30)
    except subprocess.TimeoutExpired:
        print("create hung on", json.dumps(c)[:300]); sys.exit(1)
    err = open(d + "/err", errors="replace").read().strip()
    if r.returncode == 0:
        created += 1
        subprocess.run([sb, "--root", root, "delete", "--force", cid])
    elif r.returncode not in (1, 123) or "Sanitizer" in err or "\n" in err and "failed to start" not in err:
        print("create: exit %d: %s; config %s" % (r.returncode, err[:300], json.dumps(c)[:300]))
        sys.exit(1)
    if os.path.exists(os.path.join(root, cid)):
        print("left behind:", cid, err[:200]); sys.exit(1)
print("120 mutated configs (%d created), no crash" % created)
PYEOF
