#!/bin/sh
# `make lint`: project rules that the compiler does not check. Exits 1 on any finding.
cd "$(dirname "$0")/.." || exit 1
fail=0
report() { echo "lint: $*"; fail=1; }

# Guest memory is touched only through sentry/usermem.c (copy_from_guest & co); the ptrace
# platform also writes and reads its own stub scratch page (batched injections).
# (calls only: syscalls/sys_ptrace.c has the guest's own process_vm_readv/writev handlers)
hits=$(grep -ln 'process_vm_readv *(\|process_vm_writev *(' sentry/*.c platform/*.c platform/*/*.c fs/*.c \
	net/*.c syscalls/*.c loader/*.c 2>/dev/null | grep -v -e '^sentry/usermem.c$' -e '^sentry/confine_rules.c$' -e '^syscalls/table.c$' \
	-e '^platform/ptrace/ptrace.c$')
[ -n "$hits" ] && report "guest memory accessed outside sentry/usermem.c: $hits"

# A folder's internal.h is private to that folder.
for f in $(grep -l '#include "[a-z]*/internal.h"' */*.c */*/*.c 2>/dev/null); do
	dir=${f%%/*}
	grep -o '#include "[a-z]*/internal.h"' "$f" | while read -r _ inc; do
		want=$(echo "$inc" | tr -d '"' | cut -d/ -f1)
		case "$f" in tests/*) continue ;; esac
		[ "$want" = "$dir" ] || echo "lint: $f includes $inc (private to $want/)"
	done
done | grep . && fail=1

# No unbounded string formatting.
hits=$(grep -n '\bsprintf(\|\bstrcpy(\|\bstrcat(' sentry/*.c platform/*.c platform/*/*.c fs/*.c \
	syscalls/*.c loader/*.c 2>/dev/null | grep -v '/\* lint: ok')
[ -n "$hits" ] && report "unbounded string functions (use snprintf / memcpy with a length):
$hits"

[ $fail -eq 0 ] && echo "lint: clean"
exit $fail
