# PostgreSQL's crash recovery (as a non-root user, setpriv): three sessions wait in
# pg_sleep, one backend is SIGKILLed; the postmaster sees a child die of a signal, sends
# the others SIGQUIT (their clients get the WARNING), waits for all its children, resets
# shared memory, replays the WAL and accepts connections again; then -m immediate (SIGQUIT
# to the postmaster) and a restart that recovers once more and stops with -m fast.
P=$(ls -d /usr/lib/postgresql/*/bin | head -1)
d=$(mktemp -d) && chmod 777 "$d" && cd "$d" || exit 1
run() { setpriv --reuid 1000 --regid 1000 --clear-groups "$@"; }
sql() { run "$P/psql" -h "$d" -U pg -d postgres -Atc "$1"; }
ready() { n=0; until run "$P/pg_isready" -q -h "$d" || [ $n -ge 100 ]; do sleep 0.2; n=$((n+1)); done; }
run "$P/initdb" -D db -U pg --no-sync -A trust > init.log 2>&1
echo "initdb: $?"
run "$P/pg_ctl" -D db -o "-k $d -c listen_addresses=''" -l log -w start > /dev/null
echo "start: $?"
sql "create table t(a int); insert into t select generate_series(1, 1000)"
for i in 1 2 3; do sql "select pg_sleep(60)" > s$i.out 2>&1 & done
n=0; until [ "$(sql "select count(*) from pg_stat_activity where query like 'select pg_sleep%'")" = 3 ] ||
	[ $n -ge 100 ]; do sleep 0.1; n=$((n+1)); done
kill -KILL "$(sql "select pid from pg_stat_activity where query like 'select pg_sleep%' limit 1")"
echo "kill: $?"
wait
cat s1.out s2.out s3.out | grep -E '^(WARNING|server closed)' | sort | uniq -c
ready
sql "insert into t values (0); select count(*), sum(a) from t"
grep -Eo 'terminated by signal 9: Killed|terminating any other active server processes|all server processes terminated; reinitializing|automatic recovery in progress|ready to accept connections' log | sort | uniq -c
run "$P/pg_ctl" -D db -m immediate stop > /dev/null
echo "stop immediate: $?"
run "$P/pg_ctl" -D db -o "-k $d -c listen_addresses=''" -l log2 -w start > /dev/null
echo "restart: $?"
sql "select count(*) from t"
grep -c 'automatic recovery in progress' log2
run "$P/pg_ctl" -D db -m fast -t 20 stop > /dev/null
echo "stop: $?"
cd / && rm -rf "$d"
