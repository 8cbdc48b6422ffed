#!/bin/sh
# Invalid or hostile configs, ids and options: a one-line error, a nonzero exit, and nothing
# created (no state directory, no process).
. "$(dirname "$0")/lib.sh"
mkdir -p "$D/outside"
n=0
# refused NAME PYTHON: a bundle edited by PYTHON must be refused by create.
refused() {
	n=$((n + 1))
	rm -rf "$D/bad"
	make_bundle "$D/bad" "$2"
	oci create -b "$D/bad" "bad$n" >"$D/out" 2>"$D/err" </dev/null && fail "$1: accepted"
	[ "$(wc -l <"$D/err")" = 1 ] || fail "$1: not one line: $(cat "$D/err")"
	[ ! -e "$ROOT/bad$n" ] || fail "$1: left $ROOT/bad$n"
	[ ! -s "$D/out" ] || fail "$1: the process ran: $(cat "$D/out")"
}
refused "no process" 'del c["process"]'
refused "args not an array" 'c["process"]["args"] = "sh"'
refused "empty args" 'c["process"]["args"] = []'
refused "args of numbers" 'c["process"]["args"] = [1, 2]'
refused "relative cwd" 'c["process"]["cwd"] = "tmp"'
refused "env without =" 'c["process"]["env"] = ["PATH"]'
refused "uid a string" 'c["process"]["user"]["uid"] = "0"'
refused "negative uid" 'c["process"]["user"]["uid"] = -1'
refused "huge gid" 'c["process"]["user"]["gid"] = 1 << 40'
refused "soft above hard" 'c["process"]["rlimits"] = [{"type": "RLIMIT_NOFILE", "hard": 10, "soft": 20}]'
refused "unknown rlimit" 'c["process"]["rlimits"] = [{"type": "RLIMIT_BOGUS", "hard": 1, "soft": 1}]'
refused "huge nofile" 'c["process"]["rlimits"] = [{"type": "RLIMIT_NOFILE", "hard": 1 << 40, "soft": 1}]'
refused "no root" 'del c["root"]'
refused "root escaping the bundle" 'c["root"]["path"] = "../outside"'
refused "root missing" 'c["root"]["path"] = "nosuch"'
refused "host root" 'c["root"]["path"] = "/"'
refused "readonly a string" 'c["root"]["readonly"] = "yes"'
refused "no ociVersion" 'del c["ociVersion"]'
refused "ociVersion 2" 'c["ociVersion"] = "2.0.0"'
refused "long hostname" 'c["hostname"] = "h" * 100'
refused "unknown namespace" 'c["linux"]["namespaces"].append({"type": "bogus"})'
refused "joining a pid namespace" 'c["linux"]["namespaces"].append({"type": "pid", "path": "/proc/1/ns/pid"})'
refused "an unknown kind of hook" 'c["hooks"] = {"startThis": [{"path": "/bin/true"}]}'
refused "a relative hook path" 'c["hooks"] = {"startContainer": [{"path": "bin/true"}]}'
refused "hook without a path" 'c["hooks"] = {"poststop": [{"args": ["x"]}]}'
refused "capabilities not an object" 'c["process"]["capabilities"] = ["CAP_CHOWN"]'
refused "capability set not an array" 'c["process"]["capabilities"] = {"bounding": "CAP_CHOWN"}'
refused "capability not a string" 'c["process"]["capabilities"] = {"bounding": [21]}'
refused "cpus not a list" 'c["linux"]["resources"] = {"cpu": {"cpus": "x"}}'
refused "cpus range backwards" 'c["linux"]["resources"] = {"cpu": {"cpus": "3-1"}}'
refused "cpus beyond 1023" 'c["linux"]["resources"] = {"cpu": {"cpus": "0,2000"}}'
refused "sysctl not a string" 'c["linux"]["sysctl"] = {"net.ipv4.ip_unprivileged_port_start": 0}'
refused "unknown sysctl" 'c["linux"]["sysctl"] = {"net.ipv4.bogus": "1"}'
grep -q "failed to start: --sysctl net.ipv4.bogus=1: No such file or directory" "$D/err" ||
	fail "unknown sysctl: the reason is not given: $(cat "$D/err")"
refused "sysctl out of range" 'c["linux"]["sysctl"] = {"net.ipv4.ip_unprivileged_port_start": "70000"}'
refused "missing program" 'c["process"]["args"] = ["/no/such"]'
grep -q "failed to start: /no/such: No such file or directory" "$D/err" ||
	fail "missing program: the reason is not given: $(cat "$D/err")"
refused "relative mount destination" 'c["mounts"].append({"destination": "mnt", "type": "tmpfs"})'
refused "mount destination with .." 'c["mounts"].append({"destination": "/a/../../etc", "type": "tmpfs"})'
refused "bind of a missing source" 'c["mounts"].append({"destination": "/mnt", "type": "bind", "source": "/nonexistent/x"})'
refused "bind source escaping the bundle" 'c["mounts"].append({"destination": "/mnt", "type": "bind", "source": "../outside"})'
refused "bad tmpfs size" 'c["mounts"].append({"destination": "/mnt", "type": "tmpfs", "options": ["size=lots"]})'
refused "tiny memory" 'c["linux"]["resources"] = {"memory": {"limit": 1000}}'
refused "huge memory" 'c["linux"]["resources"] = {"memory": {"limit": 1 << 62}}'
refused "huge pids" 'c["linux"]["resources"] = {"pids": {"limit": 1 << 40}}'
refused "terminal without a console socket" 'c["process"]["terminal"] = True'
refused "annotation not a string" 'c["annotations"] = {"a": 1}'
refused "mounts not an array" 'c["mounts"] = {}'

# not JSON, not an object, missing, huge
rm -rf "$D/bad"
make_bundle "$D/bad" 'pass'
for text in '{"ociVersion": "1.0.2", ' '[]' 'null'; do
	printf '%s' "$text" > "$D/bad/config.json"
	oci create -b "$D/bad" junk >/dev/null 2>"$D/err" && fail "config '$text' accepted"
	[ "$(wc -l <"$D/err")" = 1 ] || fail "config '$text': $(cat "$D/err")"
done
head -c 5000000 /dev/zero | tr '\0' ' ' > "$D/bad/config.json"
oci create -b "$D/bad" junk >/dev/null 2>&1 && fail "a 5 MB config accepted"
rm "$D/bad/config.json"
oci create -b "$D/bad" junk >/dev/null 2>&1 && fail "a bundle without config.json accepted"
[ ! -e "$ROOT/junk" ] || fail "junk left behind"

# ids, duplicates, options, commands
make_bundle "$D/ok" 'c["process"]["args"] = ["sh", "-c", "true"]'
for id in ../x a/b "" . .. "$(printf 'x%.0s' $(seq 300))"; do
	oci create -b "$D/ok" "$id" >/dev/null 2>&1 && fail "id '$id' accepted"
done
oci create -b "$D/ok" dup >/dev/null 2>&1 || fail "create dup"
oci create -b "$D/ok" dup >/dev/null 2>"$D/err" && fail "a second dup accepted"
grep -q "already exists" "$D/err" || fail "duplicate: $(cat "$D/err")"
oci delete dup || fail "delete dup"
# the directory of a create that was killed half-way does not block the id
mkdir -p "$ROOT/stale" && echo 999999999 > "$ROOT/stale/creating"
oci create -b "$D/ok" stale >/dev/null 2>"$D/err" || fail "a stale directory blocks the id: $(cat "$D/err")"
oci delete stale || fail "delete stale"
mkdir -p "$ROOT/stale2" && echo 999999999 > "$ROOT/stale2/creating"
oci delete --force stale2 && [ ! -e "$ROOT/stale2" ] || fail "delete --force of a stale directory"
oci create --bogus -b "$D/ok" x >/dev/null 2>"$D/err" && fail "an unknown option accepted"
grep -q "unknown or unsupported option '--bogus'" "$D/err" || fail "unknown option: $(cat "$D/err")"
oci create --preserve-fds -1 -b "$D/ok" x >/dev/null 2>&1 && fail "--preserve-fds -1 accepted"
oci create --preserve-fds lots -b "$D/ok" x >/dev/null 2>&1 && fail "--preserve-fds lots accepted"
oci checkpoint x 2>"$D/err" && fail "checkpoint accepted"
grep -q "not supported" "$D/err" || fail "checkpoint: $(cat "$D/err")"
for c in pause resume events; do
	oci $c x 2>"$D/err" && fail "$c of no container"
	grep -q "container x does not exist" "$D/err" || fail "$c: $(cat "$D/err")"
	oci $c 2>/dev/null && fail "$c without an id"
	oci $c x y 2>/dev/null && fail "$c with two ids"
done
oci exec x true 2>"$D/err" && fail "exec into no container"
grep -q "container x does not exist" "$D/err" || fail "exec: $(cat "$D/err")"
"$SB" --log-format xml --root "$ROOT" list >/dev/null 2>&1 && fail "--log-format xml accepted"
[ -z "$(ls "$ROOT" 2>/dev/null)" ] || fail "left in the root: $(ls "$ROOT")"
# --log: errors are also written there, as JSON lines with --log-format json
"$SB" --root "$ROOT" --log "$D/log.json" --log-format json state nosuch 2>/dev/null
"$PY" -c 'import json,sys; l=json.loads(open(sys.argv[1]).readline()); assert l["level"] == "error" and "nosuch" in l["msg"], l' "$D/log.json" ||
	fail "--log: $(cat "$D/log.json")"
echo "$n bad configs, bad ids, options and commands refused"
