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
"$PY" - "$SB" "$ROOT" "$D" <<'PYEOF' || exit 1
import json, os, random, subprocess, sys
sb, root, d = sys.argv[1:4]
random.seed(20261127)
good = json.load(open(d + "/good.json"))
values = [None, True, 0, -1, 1 << 62, -(1 << 62), 1.5, 1e300, "", "x" * 70000, "../../..", "/",
          "/nonexistent", [], {}, [1, "a", None], {"a": [1]}, "RLIMIT_NOFILE", "size=99999999999t",
          [[[[[[[[[[[]]]]]]]]]]], "a:b", "a\tb", "/dev/../etc"]
def paths(o, p=()):
    yield p
    if isinstance(o, dict):
        for k, v in o.items():
            yield from paths(v, p + (k,))
    elif isinstance(o, list):
        for i, v in enumerate(o):
            yield from paths(v, p + (i,))
all_paths = [p for p in paths(good) if p]
created = 0
for i in range(120):
    c = json.loads(json.dumps(good))
    for _ in range(random.randint(1, 3)):
        p = random.choice(all_paths)
        o = c
        try:
            for k in p[:-1]:
                o = o[k]
            if random.random() < 0.2 and isinstance(o, dict):
                del o[p[-1]]
            else:
                o[p[-1]] = random.choice(values)
        except (KeyError, IndexError, TypeError):
            pass
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
