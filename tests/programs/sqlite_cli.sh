# The sqlite3 shell on a database in /tmp: WAL mode, a checkpoint, an exclusive
# transaction, VACUUM, then four shells writing at once (busy timeout: file locks), in
# rollback-journal and in WAL mode.
d=$(mktemp -d)
sqlite3 $d/db <<'SQL'
PRAGMA journal_mode=WAL;
CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT);
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x<10000)
INSERT INTO t(b) SELECT hex(randomblob(8)) FROM c;
SELECT count(*), sum(a) FROM t;
CREATE INDEX ib ON t(b);
PRAGMA wal_checkpoint(TRUNCATE);
BEGIN EXCLUSIVE; UPDATE t SET b='x' WHERE a<100; COMMIT;
SELECT count(*) FROM t WHERE b='x';
PRAGMA integrity_check;
VACUUM;
PRAGMA journal_mode=DELETE;
SELECT count(*) FROM t;
SQL
writers() {
	for i in 1 2 3 4; do
		(for j in 1 2 3 4 5 6 7 8 9 10; do
			sqlite3 -cmd '.timeout 10000' $d/db "INSERT INTO t(b) VALUES('$1$i');" || echo failed
		done) &
	done
	wait
	sqlite3 $d/db "SELECT count(*) FROM t WHERE b LIKE '$1%';"
}
writers w
sqlite3 $d/db "PRAGMA journal_mode=WAL;"
writers v
sqlite3 $d/db "PRAGMA integrity_check;"
ls $d
rm -rf $d
