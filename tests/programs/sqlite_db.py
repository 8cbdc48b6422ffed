# python3 sqlite3 with a database file in the working directory: rollback journal, then WAL
# (shared-memory index through a MAP_SHARED mapping), two connections, locks.
import os, sqlite3
con = sqlite3.connect("test.db")
con.execute("create table t (k integer primary key, v text)")
with con:
    con.executemany("insert into t (v) values (?)", [("row %d" % i,) for i in range(2000)])
print(con.execute("select count(*), sum(length(v)) from t").fetchone())
print(con.execute("pragma journal_mode=wal").fetchone())
with con:
    con.execute("update t set v = v || '!' where k % 2 = 0")
con2 = sqlite3.connect("test.db", timeout=0)
print(con2.execute("select count(*) from t where v like '%!'").fetchone())
con.execute("begin immediate")
try:
    con2.execute("begin immediate")
    print("second writer got the lock")
except sqlite3.OperationalError as e:
    print("second writer:", e)
con.rollback()
con2.execute("delete from t where k > 1000")
con2.commit()
print(con.execute("select count(*) from t").fetchone())
con.close(); con2.close()
print(sorted(f for f in os.listdir(".") if f.startswith("test.db")))
con = sqlite3.connect("test.db")
print(con.execute("pragma integrity_check").fetchone(), con.execute("select max(k) from t").fetchone())
