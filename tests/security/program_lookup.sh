#!/bin/sh
# How `sandbox run -- NAME` finds NAME, compared with env(1) (execvp) natively: the first
# executable file along PATH, an empty element meaning the working directory, EACCES (126)
# when only files that cannot be run were found (no x bit, a directory), ENOENT (127)
# when nothing was.
B=${1:-build}
fail() { echo "$*"; exit 1; }
d=$(mktemp -d "${TMPDIR:-/var/tmp}/sandbox-lookup.XXXXXX") || exit 1
trap 'rm -rf "$d"' EXIT
mkdir "$d/noexec" "$d/ok" "$d/dirs" "$d/dirs/tool" "$d/cwd"
printf '#!/bin/sh\necho noexec\n' > "$d/noexec/tool"
chmod 644 "$d/noexec/tool"
printf '#!/bin/sh\necho ok\n' > "$d/ok/tool"
printf '#!/bin/sh\necho from-cwd\n' > "$d/cwd/tool"
chmod 755 "$d/ok/tool" "$d/cwd/tool"
cd "$d/cwd" || exit 1
n=0
for p in "$d/noexec:$d/ok:/usr/bin:/bin" "$d/noexec:/usr/bin:/bin" "$d/dirs:/usr/bin:/bin" \
	 ":/usr/bin:/bin" "/usr/bin:/bin:" "/usr/bin::/bin" "$d/nonexistent:/usr/bin:/bin"; do
	want=$( { PATH=$p /usr/bin/env tool 2>&1; echo "rc=$?"; } | sed 's/^.*: .tool.: //')
	got=$( { PATH=$p "$B/sandbox" run -- tool 2>&1; echo "rc=$?"; } | sed 's/^sandbox: tool: //')
	[ "$want" = "$got" ] || fail "PATH=$p: env says '$want', sandbox '$got'"
	n=$((n + 1))
done
# an empty name is no file (execvp: ENOENT), not the first directory of PATH (EACCES)
want=$( { /usr/bin/env '' 2>&1; echo "rc=$?"; } | sed 's/^.*: .*: //')
got=$( { "$B/sandbox" run -- '' 2>&1; echo "rc=$?"; } | sed 's/^sandbox: : //')
[ "$want" = "$got" ] || fail "empty name: env says '$want', sandbox '$got'"
n=$((n + 1))
echo "$n PATH searches end as env's (execvp) do"
