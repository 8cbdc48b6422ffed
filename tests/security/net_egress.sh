#!/bin/sh
# Network egress policy (--net none | host | allow=...), against host-side servers
# (tests/security/net_server.py) on the host's non-loopback address:
# - none: nothing beyond the sandbox (ENETUNREACH), no DNS;
# - host: HTTP with python urllib, curl, wget, node, git clone, UDP echo; the host's
#   loopback is still not reachable (the sandbox's own loopback is, inside), but a local
#   resolver's port 53 is;
# - allow=ADDR:PORT,NAME: that port only (another port, UDP: EPERM, one audit line each,
#   counted as denials in --json); the sandbox's DNS answers NAME with the address the CLI
#   resolved and other names with NXDOMAIN, over UDP and TCP.
# Skips without a non-loopback IPv4 address.
B=${1:-build}
PY=/usr/bin/python3
[ -x "$PY" ] || { echo "no $PY"; exit 77; }
addr=$(ip -4 route get 1.1.1.1 2>/dev/null | sed -n 's/.* src \([0-9.]*\).*/\1/p')
[ -n "$addr" ] || { echo "no non-loopback IPv4 address"; exit 77; }
case $B in /*) base=$B ;; *) base=$PWD/$B ;; esac
d=$(mktemp -d "$base/net-egress.XXXXXX") || exit 1
pids=""
trap 'kill $pids 2>/dev/null; rm -rf "$d"' EXIT
fail() { echo "$*"; exit 1; }
start() { # start NAME ADDR: a server, its ports in $d/NAME
	"$PY" tests/security/net_server.py "$2" >"$d/$1" 2>/dev/null &
	pids="$pids $!"
	for _ in $(seq 50); do [ -s "$d/$1" ] && break; sleep 0.1; done
	[ -s "$d/$1" ] || fail "server $1 on $2 did not start"
}
if command -v git >/dev/null; then # a repository for git's dumb HTTP
	mkdir -p "$d/files" "$d/work"
	git init -q --bare "$d/files/repo.git"
	git -C "$d/work" init -q
	echo egress >"$d/work/README"
	git -C "$d/work" add README
	git -C "$d/work" -c user.name=t -c user.email=t@t commit -qm "cloned over --net host"
	git -C "$d/work" push -q "$d/files/repo.git" HEAD:refs/heads/main 2>/dev/null
	git -C "$d/files/repo.git" symbolic-ref HEAD refs/heads/main
	git -C "$d/files/repo.git" update-server-info
fi
NET_SERVER_DIR="$d/files" start ext "$addr"
read -r port other <"$d/ext"
start lo 127.0.0.1
read -r loport _ <"$d/lo"
C="$PY tests/security/net_client.py"
run() { # run EXPECTED SANDBOX-OPTIONS... -- CMD...
	want=$1
	shift
	got=$(timeout 60 "$B/sandbox" run "$@" 2>"$d/err")
	[ "$got" = "$want" ] || fail "run $*: expected '$want', got '$got' $(head -c 300 "$d/err")"
}
url="http://$addr:$port"

# none: no host network at all
run "error ENETUNREACH" -- $C http "$url/none"
run "error ENETUNREACH" -- $C udp "$addr" "$port" none
run "loopback ok" -- $C loopback

# host
run "ok egress-ok /py" --net host -- $C http "$url/py"
run "reply echo:host" --net host -- $C udp "$addr" "$port" host
run "loopback ok" --net host -- $C loopback
run "error ECONNREFUSED" --net host -- $C tcp 127.0.0.1 "$loport"
tools=python
if command -v curl >/dev/null; then
	run "egress-ok /curl" --net host -- curl -sS "$url/curl"
	tools="$tools curl"
fi
if command -v wget >/dev/null; then
	run "egress-ok /wget" --net host -- wget -q -O - "$url/wget"
	tools="$tools wget"
fi

if command -v node >/dev/null; then # libuv: non-blocking connect, epoll
	run "200 egress-ok /slow-node" --net host -- node -e "require('http').get('$url/slow-node', r => {
		let d = ''; r.on('data', c => d += c); r.on('end', () => console.log(r.statusCode, d.trim()));
	}).on('error', e => console.log('error', e.code))"
	tools="$tools node"
fi
if [ -d "$d/files/repo.git" ]; then
	run "cloned over --net host" --net host -- /bin/sh -c \
		"git clone -q http://$addr:$port/files/repo.git /tmp/r && git -C /tmp/r log --format=%s"
	tools="$tools git"
fi

# host: a local resolver on the host's loopback (127.0.0.53, systemd-resolved) on port 53,
# tried when 127.0.0.53:53 can be had here
# (the server says its ports only once it has that address too; if it cannot, it exits)
"$PY" tests/security/net_server.py 127.0.0.1 127.0.0.53 >"$d/dns" 2>/dev/null &
dnspid=$!
pids="$pids $dnspid"
for _ in $(seq 50); do
	[ -s "$d/dns" ] || kill -0 $dnspid 2>/dev/null || break
	[ -s "$d/dns" ] && break
	sleep 0.1
done
if [ -s "$d/dns" ]; then
	run "reply echo:resolver" --net host -- $C udp 127.0.0.53 53 resolver
	run "error ECONNREFUSED" --net host -- $C tcp 127.0.0.53 54
	tools="$tools, 127.0.0.53:53"
fi

# allow: one port of the address, one name
name=$(hostname)
want_ip=$(getent ahostsv4 "$name" | awk 'NR == 1 { print $1 }')
[ -n "$want_ip" ] || { name=localhost; want_ip=127.0.0.1; }
allow="--net allow=$addr:$port,$name"
: >"$d/audit"
run "ok egress-ok /allowed" $allow --audit "$d/audit" -- $C http "$url/allowed"
[ -s "$d/audit" ] && fail "an allowed connection was audited: $(cat "$d/audit")"
run "error EPERM" $allow --audit "$d/audit" --json "$d/json" -- $C http "http://$addr:$other/"
grep -q '"syscall":"connect".*"errno":"EPERM".*not in the allow list' "$d/audit" ||
	fail "no audit line for the refused connect: $(cat "$d/audit")"
grep -q '"denials":[1-9]' "$d/json" || fail "the refusal is not a denial in --json: $(cat "$d/json")"
run "error EPERM" $allow --audit "$d/audit" -- $C udp "$addr" "$port" allow
grep -q '"syscall":"sendto".*"errno":"EPERM".*TCP only' "$d/audit" ||
	fail "no audit line for the refused UDP send: $(cat "$d/audit")"
# the profile's "net" key is the same
printf '{"net": "allow=%s:%s"}\n' "$addr" "$port" >"$d/profile.json"
run "ok egress-ok /profile" --profile "$d/profile.json" -- $C http "$url/profile"
run "error EPERM" --profile "$d/profile.json" -- $C http "http://$addr:$other/"
printf '{"net": {"allow": ["%s", "%s:%s"]}}\n' "$name" "$addr" "$port" >"$d/profile.json"
run "ok egress-ok /profile-list" --profile "$d/profile.json" -- $C http "$url/profile-list"
run "error EPERM" --profile "$d/profile.json" -- $C http "http://$addr:$other/"
ns=$(awk '$1 == "nameserver" { print $2; exit }' /etc/resolv.conf)
[ -n "$ns" ] || ns=127.0.0.53
case $ns in *:*) ns=127.0.0.53 ;; esac
run "rcode 0 answers $want_ip" $allow -- $C dns "$ns" "$name"
run "rcode 3 answers none" $allow -- $C dns "$ns" not-allowed.example
run "rcode 3 answers none" $allow -- $C dns 127.0.0.53 not-allowed.example
run "rcode 0 answers $want_ip" $allow -- $C dnstcp "$ns" "$name"
run "rcode 3 answers none" $allow -- $C dnstcp "$ns" not-allowed.example
# the sandbox's DNS is allow mode's only: none has no resolver to reach
run "error ENETUNREACH" -- $C udp "$addr" 53 none
# bad values are usage errors
for bad in everything allow= allow=1.2.3.4:0 "allow=a b"; do
	timeout 20 "$B/sandbox" run --net "$bad" -- /bin/true 2>"$d/err"
	rc=$?
	[ $rc -eq 123 ] && grep -q -- "--net" "$d/err" || fail "--net '$bad': exit $rc, $(cat "$d/err")"
done
echo "none, host ($tools, UDP) and allow (port, audit, json, profile, DNS) as specified"
