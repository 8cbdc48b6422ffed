# sqlite3 with a database file shared by two processes: its POSIX record locks must
# exclude a second writer (rollback journal, then WAL with its shared-memory index).
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

CHILD = r"""
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], timeout=0, isolation_level=None)
try:
    c.execute("insert into t values (?)", (sys.argv[2],))
    print("child wrote", sys.argv[2])
except sqlite3.OperationalError as e:
    print("child:", e)
print("child sees", c.execute("select count(*) from t").fetchone()[0], "rows")
"""


def child(db, value):
    r = subprocess.run([sys.executable, "-c", CHILD, db, value], capture_output=True, text=True)
    print(r.stdout.strip().replace("\n", "; "), r.returncode)


d = tempfile.mkdtemp()
try:
    db = os.path.join(d, "t.db")
    c = sqlite3.connect(db, timeout=0, isolation_level=None)
    c.execute("create table t(x)")
    c.execute("begin exclusive")
    c.execute("insert into t values ('a')")
    child(db, "b")
    c.execute("commit")
    child(db, "c")
    print("journal_mode", c.execute("pragma journal_mode=wal").fetchone()[0])
    c.execute("begin immediate")
    c.execute("insert into t values ('d')")
    child(db, "e")
    c.execute("commit")
    child(db, "f")
    print(sorted(r[0] for r in c.execute("select x from t")))
    c.close()
finally:
    shutil.rmtree(d)
