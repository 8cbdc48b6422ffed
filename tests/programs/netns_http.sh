# A web server and its client inside a new network namespace (unshare -n): lo comes up by
# ip(8), the server listens on 127.0.0.1, curl fetches a file through it; the same port
# is then free in yet another namespace, and a new namespace reaches nothing.
set -e
cd "$(mktemp -d)"
echo "hello from a private network" > page.txt
ip link set lo up
ip -o -4 addr show lo | sed 's/ *valid_lft.*//'
/usr/bin/python3 -m http.server 18765 --bind 127.0.0.1 > /dev/null 2>&1 &
srv=$!
i=0
until curl -s -o /dev/null http://127.0.0.1:18765/ || [ $i -ge 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
curl -s http://127.0.0.1:18765/page.txt
unshare -n sh -c 'ip link set lo up; /usr/bin/python3 -c "
import socket
s = socket.socket()
s.bind((\"127.0.0.1\", 18765))
print(\"port free in another namespace\")
"'
unshare -n curl -s -m 5 http://127.0.0.1:18765/page.txt || echo "curl from a fresh namespace: exit $?"
kill $srv
wait $srv 2>/dev/null || true
