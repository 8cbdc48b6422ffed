# OpenSSH on the loopback: sshd (privilege separation: a chroot'ed, setuid child per
# connection, PAM's session modules, pam_loginuid among them, which fails the session when
# /proc/self/loginuid cannot be set) and ssh with a key: a command's output and exit
# status, stdin through the connection, and a pseudo-terminal (-tt) for the remote side.
d=$(mktemp -d) && cd "$d" || exit 1
mkdir -p /run/sshd
ssh-keygen -q -t ed25519 -N "" -f hk && ssh-keygen -q -t ed25519 -N "" -f ck || exit 1
cp ck.pub ak && chmod 600 ak
port=""
for p in 22022 23023 24024 25025 26026; do
	if /usr/sbin/sshd -h "$d/hk" -p $p -o ListenAddress=127.0.0.1 -o PidFile="$d/pid" \
		-o StrictModes=no -o AuthorizedKeysFile="$d/ak" -o UsePAM=yes -E "$d/log"; then
		port=$p
		break
	fi
done
[ -n "$port" ] || { echo "sshd did not start"; cat log; exit 1; }
for i in 1 2 3 4 5 6 7 8 9 10; do [ -s pid ] && break; sleep 0.1; done
s() { ssh -i "$d/ck" -p $port -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
	-o BatchMode=yes -o LogLevel=ERROR root@127.0.0.1 "$@"; }
s 'echo hello; id -u; tty; exit 3' < /dev/null
echo "exit: $?"
seq 1 1000 | s 'sort -rn | head -2; wc -l'
echo "exit: $?"
s -tt 'tty | sed "s/[0-9]*$/N/"; test -t 0 && echo stdin is a tty' < /dev/null | tr -d '\r'
echo "exit: $?"
kill "$(cat pid)"
grep -c "Accepted publickey" log
grep -c "pam_open_session" log
cd / && rm -rf "$d"
