# redis (Debian's redis-server and redis-tools) on a loopback port: io-threads, blocking
# commands served in arrival order across connections, pub/sub and keyspace events,
# MULTI, expiry, BGSAVE and BGREWRITEAOF (forked children), redis-benchmark's clients
# (errors, not speed), then a restart that loads the AOF.
d=$(mktemp -d) && cd "$d" || exit 1
P=$(python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cli() { redis-cli -p "$P" "$@"; }
start() {
	redis-server --port "$P" --bind 127.0.0.1 --dir "$d" --daemonize no --logfile "$d/log" \
		--save '' --appendonly yes --io-threads 2 --io-threads-do-reads yes \
		--notify-keyspace-events KEA --enable-debug-command yes &
	i=0
	until [ "$(cli ping 2>/dev/null)" = PONG ]; do
		i=$((i + 1)); [ $i -gt 100 ] && { echo "redis not up"; cat log; exit 1; }
		sleep 0.1
	done
}
# wait until INFO's FIELD is VALUE (clients blocked, subscribed)
until_info() {
	i=0
	until cli info "$1" | tr -d '\r' | grep -qx "$2"; do
		i=$((i + 1)); [ $i -gt 100 ] && { echo "no $2"; break; }
		sleep 0.05
	done
}
start
cli set k v > /dev/null
echo "get: $(cli get k)"
cli mset a 1 b 2 c 3 > /dev/null
echo "mget: $(cli mget a b c | tr '\n' ' ')"

# a subscriber and a keyspace watcher, then publishes and events
redis-cli -p "$P" subscribe chan > sub.out &
sub=$!
redis-cli -p "$P" psubscribe '__keyspace@0__:watched' > ks.out &
ks=$!
until_info stats 'pubsub_channels:1'
until_info stats 'pubsub_patterns:1'
echo "publish: $(cli publish chan hello) $(cli publish chan world)"
cli set watched 1 > /dev/null
cli expire watched 100 > /dev/null
cli del watched > /dev/null
sleep 0.3
kill $sub $ks
wait $sub $ks 2>/dev/null
echo "subscriber got: $(grep -x -E 'hello|world' sub.out | tr '\n' ' ')"
echo "keyspace events: $(grep -x -E 'set|expire|del' ks.out | tr '\n' ' ')"

# blocked clients are served in the order they blocked
redis-cli -p "$P" blpop q 10 > b1.out &
b1=$!
until_info clients blocked_clients:1
redis-cli -p "$P" blpop q 10 > b2.out &
b2=$!
until_info clients blocked_clients:2
cli rpush q first second > /dev/null
wait $b1 $b2
echo "blpop: $(tail -1 b1.out) $(tail -1 b2.out)"
# a blocking command's timeout
cli blmove src dst LEFT RIGHT 0.2 | head -1 | sed 's/^$/(nil)/'
echo "multi: $(printf 'MULTI\nINCR n\nINCR n\nGET n\nEXEC\n' | cli | tr '\n' ' ')"
cli set short v px 100 > /dev/null
sleep 0.3
echo "expired: $(cli exists short)"

cli debug populate 5000 key 64 > /dev/null
echo "bgsave: $(cli bgsave)"
echo "bgrewriteaof: $(cli bgrewriteaof | sed 's/ \(scheduled\|started\).*//')"
i=0
while cli info persistence | tr -d '\r' | grep -q -E '^(rdb_bgsave_in_progress|aof_rewrite_in_progress|aof_rewrite_scheduled):1'; do
	i=$((i + 1)); [ $i -gt 200 ] && { echo "persistence still in progress"; break; }
	sleep 0.1
done
cli info persistence | tr -d '\r' | grep -E '^(rdb_last_bgsave_status|aof_last_bgrewrite_status|aof_last_write_status)'
echo "dump.rdb: $( [ -s dump.rdb ] && echo written)"

redis-benchmark -p "$P" -q -n 1000 -c 20 -t set,get,incr,lpush,lpop,sadd,hset,zadd,lrange_100 2>&1 |
	tr '\r' '\n' | grep -v -E 'rps=|^ *$' | sed 's/:.*//'
redis-benchmark -p "$P" -q -n 1000 -c 10 -P 8 -t set,get 2>&1 |
	tr '\r' '\n' | grep -v -E 'rps=|^ *$' | sed 's/:.*//'
echo "after benchmark: $(cli dbsize) keys, $(cli info stats | tr -d '\r' | grep '^rejected_connections')"
cli del counter:__rand_int__ key:__rand_int__ mylist myset myhash myzset > /dev/null

n=$(cli dbsize)
cli shutdown > /dev/null 2>&1
wait
echo "shutdown: $(grep -c 'ready to exit' log)"
start
echo "restarted: $( [ "$(cli dbsize)" = "$n" ] && echo same keys) n=$(cli get n) k=$(cli get k)"
cli shutdown nosave > /dev/null 2>&1
wait
grep -E '# (WARNING|Error|Failed)|Internal error' log | grep -v -E 'overcommit|somaxconn|Transparent Huge' | sed 's/^[0-9]*:[A-Z] [^#]*//'
cd / && rm -rf "$d"
