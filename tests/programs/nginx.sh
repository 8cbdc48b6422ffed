# nginx (scratch: setup_nginx.sh's files in data/): a master and three workers (forked, as
# nobody when run as root), epoll, sendfile, a proxy_pass to a second server block;
# parallel curl fetches of each file, direct and proxied, compared with the files; ranges
# (sendfile at an offset), HEAD, 404, keep-alive, a POST body through the proxy; a reload
# (SIGHUP: new workers, the old ones leave) and a graceful stop (SIGQUIT).
DATA=$PWD/data
W=$(mktemp -d) && chmod 755 "$W" || exit 1
ports=$(python3 -c 'import socket
a, b = socket.socket(), socket.socket()
a.bind(("127.0.0.1", 0)); b.bind(("127.0.0.1", 0))
print(a.getsockname()[1], b.getsockname()[1])')
set -- $ports
P=$1 Q=$2
mkdir "$W/tmp" "$W/out"
cat > "$W/nginx.conf" <<EOF
worker_processes 3;
pid $W/nginx.pid;
error_log $W/error.log info;
events { use epoll; worker_connections 128; }
http {
	sendfile on;
	tcp_nopush on;
	access_log $W/access.log;
	client_body_temp_path $W/tmp/body;
	proxy_temp_path $W/tmp/proxy;
	fastcgi_temp_path $W/tmp/fastcgi;
	uwsgi_temp_path $W/tmp/uwsgi;
	scgi_temp_path $W/tmp/scgi;
	default_type application/octet-stream;
	client_max_body_size 4m;
	server {
		listen 127.0.0.1:$P;
		root $DATA;
		location /proxy/ { proxy_pass http://127.0.0.1:$Q/; }
		location /upload { proxy_pass http://127.0.0.1:$Q/echo; }
	}
	server {
		listen 127.0.0.1:$Q;
		root $DATA;
		location /echo { return 200 "got \$content_length\n"; }
	}
}
EOF
chmod -R a+rwX "$W/tmp"
/usr/sbin/nginx -t -q -c "$W/nginx.conf" || { echo "nginx -t: $?"; exit 1; }
/usr/sbin/nginx -c "$W/nginx.conf" || { echo "nginx: $?"; exit 1; }
i=0
until curl -s -o /dev/null "http://127.0.0.1:$P/index.html"; do
	i=$((i + 1)); [ $i -gt 100 ] && { echo "nginx not up"; cat "$W/error.log"; exit 1; }
	sleep 0.1
done
master=$(cat "$W/nginx.pid")
workers() { ps -o pid= --ppid "$master" | tr -d ' ' | sort -n | tr '\n' ' '; }
echo "workers: $(ps -o user= --ppid "$master" | sort | uniq -c | sed 's/^ *//')"

fetch_all() {
	n=0
	for f in index.html small.txt large.txt sparse.bin empty.bin sub/one.txt; do
		for pre in "" proxy/; do
			for k in 1 2; do
				n=$((n + 1))
				curl -s -o "$W/out/$n" -w "%{http_code} %{size_download}" \
					"http://127.0.0.1:$P/$pre$f" > "$W/out/$n.code" &
				echo "$n $f $pre" >> "$W/out/list"
			done
		done
	done
	wait
	while read -r n f pre; do
		if cmp -s "$DATA/$f" "$W/out/$n"; then r=same; else r=DIFFERENT; fi
		echo "$1 ${pre:-direct/}$f: $(cat "$W/out/$n.code") $r"
	done < "$W/out/list"
	rm -f "$W/out/"*
}
fetch_all first

curl -s -r 4194300-4194309 "http://127.0.0.1:$P/sparse.bin" | od -An -c
curl -s -r 1000000- "http://127.0.0.1:$P/large.txt" | cmp - "$DATA/large.txt" 0 1000000 && echo "range to the end: same"
curl -s -I "http://127.0.0.1:$P/large.txt" | grep -i -E '^(HTTP|content-length|accept-ranges)' | tr -d '\r'
curl -s -o /dev/null -w "%{http_code}\n" "http://127.0.0.1:$P/nothere"
curl -s -w "%{http_code} %{num_connects}\n" -o /dev/null "http://127.0.0.1:$P/small.txt" \
	-o /dev/null "http://127.0.0.1:$P/index.html" -o /dev/null "http://127.0.0.1:$P/proxy/small.txt"
curl -s --data-binary "@$DATA/large.txt" "http://127.0.0.1:$P/upload"

old=$(workers)
/usr/sbin/nginx -s reload -c "$W/nginx.conf" 2>/dev/null
i=0
while :; do
	now=$(workers) still=
	for p in $old; do case " $now " in *" $p "*) still=1 ;; esac; done
	[ -z "$still" ] && [ "$(echo $now | wc -w)" = 3 ] && break
	i=$((i + 1)); [ $i -gt 100 ] && { echo "reload: old workers remain"; break; }
	sleep 0.1
done
echo "reload: $(echo $now | wc -w) new workers, master $([ "$(cat "$W/nginx.pid")" = "$master" ] && echo kept)"
fetch_all reloaded

/usr/sbin/nginx -s quit -c "$W/nginx.conf" 2>/dev/null
i=0
while kill -0 "$master" 2>/dev/null; do
	i=$((i + 1)); [ $i -gt 100 ] && { echo "quit: the master is still there"; break; }
	sleep 0.1
done
echo "quit: workers left: $(echo $(workers) | wc -w)"
grep -E '\[(alert|emerg|crit|error)\]' "$W/error.log" | sed -e 's/^[^[]*//' -e 's/[0-9]*#[0-9]*: \*[0-9]* //' -e 's/, host: .*//' -e 's|"/[^"]*/data/|"data/|'
awk '{ print $9 }' "$W/access.log" | sort | uniq -c | sed 's/^ *//'
rm -rf "$W"
