"""Writes, reads, renames and lists files under /tmp; prints only deterministic results."""
import hashlib
import json
import os
import shutil
import stat
import tempfile

d = tempfile.mkdtemp(prefix="cfpy", dir="/tmp")
try:
    print("tmpdir under /tmp:", os.path.dirname(d) == "/tmp")
    data = bytes((i * 7 + 3) % 256 for i in range(100000))
    with open(os.path.join(d, "blob.bin"), "wb") as f:
        f.write(data)
    with open(os.path.join(d, "blob.bin"), "rb") as f:
        back = f.read()
    print("blob size:", len(back), "equal:", back == data)
    print("blob sha256:", hashlib.sha256(back).hexdigest())

    os.mkdir(os.path.join(d, "sub"))
    for i in range(5):
        with open(os.path.join(d, "sub", "f%d.txt" % i), "w") as f:
            f.write("line %d\n" % i * (i + 1))
    print("listing:", sorted(os.listdir(os.path.join(d, "sub"))))
    print("sizes:", [os.path.getsize(os.path.join(d, "sub", "f%d.txt" % i)) for i in range(5)])

    os.rename(os.path.join(d, "sub", "f0.txt"), os.path.join(d, "moved.txt"))
    os.symlink("moved.txt", os.path.join(d, "link"))
    print("readlink:", os.readlink(os.path.join(d, "link")))
    with open(os.path.join(d, "link")) as f:
        print("via link:", f.read().strip())
    st = os.lstat(os.path.join(d, "link"))
    print("lstat is link:", stat.S_ISLNK(st.st_mode))
    os.chmod(os.path.join(d, "moved.txt"), 0o600)
    print("mode:", oct(os.stat(os.path.join(d, "moved.txt")).st_mode & 0o777))

    with open(os.path.join(d, "append.txt"), "a") as f:
        f.write("one\n")
    with open(os.path.join(d, "append.txt"), "a") as f:
        f.write("two\n")
    with open(os.path.join(d, "append.txt")) as f:
        print("appended:", f.read().split())

    doc = {"numbers": list(range(10)), "nested": {"a": [1, 2, {"b": None}]}, "s": "h\u00e9llo"}
    with open(os.path.join(d, "doc.json"), "w", encoding="utf-8") as f:
        json.dump(doc, f)
    with open(os.path.join(d, "doc.json"), encoding="utf-8") as f:
        print("json roundtrip:", json.load(f) == doc)

    walked = []
    for root, dirs, files in os.walk(d):
        rel = os.path.relpath(root, d)
        walked.append((rel, sorted(dirs), sorted(files)))
    print("walk:", sorted(walked))
    try:
        os.rmdir(os.path.join(d, "sub"))
    except OSError as e:
        print("rmdir nonempty:", e.errno == 39, e.strerror)
    try:
        open(os.path.join(d, "missing", "x"))
    except FileNotFoundError as e:
        print("missing:", e.strerror)
finally:
    shutil.rmtree(d)
print("cleaned:", not os.path.exists(d))
