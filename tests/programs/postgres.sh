# PostgreSQL as a non-root user (setpriv): initdb, a server on a unix socket in a scratch
# directory (its children: checkpointer, walwriter, autovacuum launcher... with shared
# memory, latches on signalfd + epoll, SIGTERM/SIGUSR2 shutdown), psql, ps listing the
# children's titles, pgbench with four clients, and a fast shutdown that must end them all.
P=$(ls -d /usr/lib/postgresql/*/bin | head -1)
d=$(mktemp -d) && chmod 777 "$d" && cd "$d" || exit 1
run() { setpriv --reuid 1000 --regid 1000 --clear-groups "$@"; }
run "$P/initdb" -D db -U pg --no-sync -A trust > init.log 2>&1
echo "initdb: $?"
run "$P/pg_ctl" -D db -o "-k $d -c listen_addresses=''" -l log -w start > /dev/null
echo "start: $?"
run "$P/psql" -h "$d" -U pg -d postgres -Atc "create table t(a int, b text);
  insert into t select g, md5(g::text) from generate_series(1, 10000) g;
  create index on t(b); select count(*), sum(a) from t;"
# the children's titles (setproctitle over argv: /proc/PID/cmdline read from memory;
# all forked before the server said it was ready, titled by the time a query was served)
ps -o args= --ppid "$(head -1 db/postmaster.pid)" | sort
run "$P/pgbench" -h "$d" -U pg -i -s 1 postgres > /dev/null 2>&1
echo "pgbench -i: $?"
run "$P/pgbench" -h "$d" -U pg -c 4 -j 2 -t 50 postgres 2>/dev/null | grep -E "processed|failed"
run "$P/psql" -h "$d" -U pg -d postgres -Atc "select count(*) from pgbench_history"
run "$P/pg_ctl" -D db -m fast -t 20 stop > /dev/null
echo "stop: $?"
grep -c "database system is shut down" log
cd / && rm -rf "$d"
