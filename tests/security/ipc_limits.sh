#!/bin/sh
# System V IPC and POSIX message queues against hostile sizes, with --memory 64M: a shared
# memory segment past the budget is refused (ENOMEM) and a removed one gives its memory back,
# semaphore sets stop at a limit (ENOSPC or ENOMEM, never a sentry crash), absurd counts and
# pointers get E2BIG/EINVAL/EFAULT, a message queue past RLIMIT_MSGQUEUE is EMFILE; the
# sandbox's IPC objects are its own (the host sees none of them).
B=${1:-build}
SB="$B/sandbox"
fail() { echo "$*"; exit 1; }
command -v perl >/dev/null || { echo "no perl"; exit 77; }
before=$(ipcs 2>/dev/null | grep -c '^0x')

out=$(timeout -k 2 60 "$SB" run --memory 64M -- /usr/bin/perl -e '
use strict; use warnings;
use IPC::SysV qw(IPC_PRIVATE IPC_RMID IPC_NOWAIT);
use Errno;
sub err { for my $n (qw(ENOMEM ENOSPC EINVAL EACCES)) { return $n if $!{$n} } return 0 + $! }
my $id = shmget(IPC_PRIVATE, 100 << 20, 0600);
print "shm 100M: ", (defined $id ? "ok" : err()), "\n";
shmctl($id, IPC_RMID, 0) if defined $id;
my $ok = 0;
for (1 .. 20) {
	my $s = shmget(IPC_PRIVATE, 24 << 20, 0600) // last;
	shmctl($s, IPC_RMID, 0);
	$ok++;
}
print "shm 24M created and removed: $ok\n";
my $s = shmget(IPC_PRIVATE, 24 << 20, 0600);
print "shm attach: ", (shmwrite($s, "x" x 4096, 20 << 20, 4096) ? "ok" : err()), "\n";
shmctl($s, IPC_RMID, 0);
my @sets;
my $why = "none";
for (1 .. 5000) {
	my $e = semget(IPC_PRIVATE, 32000, 0600);
	if (!defined $e) { $why = err(); last }
	push @sets, $e;
}
print "semaphore sets stop: $why ", (@sets < 5000 ? "yes" : "no"), "\n";
semctl($_, 0, IPC_RMID, 0) for @sets;
my $e = semget(IPC_PRIVATE, 1, 0600);
print "semget after: ", (defined $e ? "ok" : err()), "\n";
semctl($e, 0, IPC_RMID, 0);
' 2>&1); rc=$?
[ $rc -eq 0 ] || fail "perl run: exit $rc: $out"
echo "$out" | grep -q "^shm 100M: ENOMEM$" || fail "big segment not refused: $out"
echo "$out" | grep -q "^shm 24M created and removed: 20$" || fail "removed segments kept memory: $out"
echo "$out" | grep -q "^shm attach: ok$" || fail "attach: $out"
echo "$out" | grep -Eq "^semaphore sets stop: (ENOSPC|ENOMEM) yes$" || fail "semaphore sets: $out"
echo "$out" | grep -q "^semget after: ok$" || fail "semget after removal: $out"

# absurd counts and pointers (raw syscalls: glibc checks nothing)
cat > "$B/ipc_hostile.c" <<'CEOF'
#define _GNU_SOURCE
#include <errno.h>
#include <mqueue.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <unistd.h>
static void p(const char *l, long r) { printf("%s: %ld %s\n", l, r, r < 0 ? strerrorname_np(errno) : ""); }
int main(void)
{
	int sem = semget(IPC_PRIVATE, 2, 0600), q = msgget(IPC_PRIVATE, 0600);
	p("semop nsops huge", syscall(SYS_semop, sem, (void *)1, 1L << 40));
	p("semop nsops -1", syscall(SYS_semop, sem, (void *)1, -1L));
	p("semop bad ptr", syscall(SYS_semop, sem, (void *)1, 2));
	p("semctl SETALL bad ptr", syscall(SYS_semctl, sem, 0, SETALL, (void *)1));
	p("shmget size -1", syscall(SYS_shmget, IPC_PRIVATE, -1L, 0600));
	p("shmat bad id", syscall(SYS_shmat, 0x7fffffff, 0, 0));
	p("shmat kernel address", syscall(SYS_shmat, 0, 0xffffffff80000000UL, 0));
	p("shmdt nothing", syscall(SYS_shmdt, 0x10000));
	p("msgsnd size -1", syscall(SYS_msgsnd, q, (void *)1, -1L, 0));
	long m[2] = { 1, 0 };
	msgsnd(q, m, 8, 0);
	p("msgrcv bad ptr", syscall(SYS_msgrcv, q, (void *)1, 1L << 40, 0, IPC_NOWAIT));
	p("msgrcv size -1", syscall(SYS_msgrcv, q, m, -1L, 0, 0));
	char name[32];
	int i;
	for (i = 0; i < 100; i++) { /* RLIMIT_MSGQUEUE (800 KiB) holds 9 default queues */
		snprintf(name, sizeof(name), "hostile_q%d", i);
		if (syscall(SYS_mq_open, name, O_RDWR | O_CREAT, 0600, NULL) < 0)
			break;
	}
	printf("mq queues until %s: %d\n", strerrorname_np(errno), i);
	while (i-- > 0) {
		snprintf(name, sizeof(name), "hostile_q%d", i);
		syscall(SYS_mq_unlink, name);
	}
	p("mq_timedsend bad ptr", syscall(SYS_mq_timedsend, 0, (void *)1, 1L << 40, 0, 0));
	semctl(sem, 0, IPC_RMID);
	msgctl(q, IPC_RMID, NULL);
	return 0;
}
CEOF
cc -O1 -static -o "$B/ipc_hostile" "$B/ipc_hostile.c" 2>/dev/null || { echo "no cc"; exit 77; }
out=$(timeout -k 2 30 "$SB" run -- "$B/ipc_hostile" 2>&1); rc=$?
[ $rc -eq 0 ] || fail "hostile run: exit $rc: $out"
want="semop nsops huge: -1 EINVAL
semop nsops -1: -1 E2BIG
semop bad ptr: -1 EFAULT
semctl SETALL bad ptr: -1 EFAULT
shmget size -1: -1 EINVAL
shmat bad id: -1 EINVAL
shmat kernel address: -1 EINVAL
shmdt nothing: -1 EINVAL
msgsnd size -1: -1 EFAULT
msgrcv bad ptr: -1 EFAULT
msgrcv size -1: -1 EINVAL
mq queues until EMFILE: 9
mq_timedsend bad ptr: -1 EBADF"
[ "$out" = "$want" ] || fail "hostile values: got: $(echo "$out" | tr '\n' ';')"
after=$(ipcs 2>/dev/null | grep -c '^0x')
[ "$before" = "$after" ] || fail "host IPC objects changed: $before -> $after"
echo "ipc limits and hostile values: ok"
exit 0
