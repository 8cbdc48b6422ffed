# strace inside the sandbox: the names of the calls a static program and a shell pipeline
# make (their order within each process, counted across processes), as strace reports them.
# (Not clone, wait4 or close counts over the pipeline: they vary from run to run natively.)
names() { sed -n 's/^\(\[pid *[0-9]*\] \)\{0,1\}\([a-z_0-9]*\)(.*/\2/p'; }
echo "== busybox echo (every call)"
strace -qq /usr/bin/busybox echo hi 2>&1 >/dev/null | names
echo "== sh -c 'echo hi | cat' -f, selected calls"
strace -f -qq -e trace=execve,pipe2,exit_group,dup2,write \
	sh -c 'echo hi | cat' 2>&1 >/dev/null | names | sort | uniq -c
echo "== strace -c summary: call names"
f=$(mktemp)
strace -c -o "$f" /usr/bin/busybox ls / >/dev/null 2>&1
awk '$1 ~ /^[0-9.]+$/ && $NF != "total" {print $NF}' "$f" | sort
rm -f "$f"
