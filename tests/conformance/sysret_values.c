/*
 * Results a guest chooses that lie in -100001...-100005 (the sentry's own internal codes;
 * natively they are plain values) come back as such, from several handlers each:
 * lseek on /proc/self/mem (any offset), PR_GET_TIMERSLACK (any unsigned long stored), and
 * a result a tracer writes at a syscall-exit stop; a traced lseek that returns one has one
 * entry and one exit stop, as any call.
 */
#include "cf.h"
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>

static const long vals[] = { -100001, -100002, -100003, -100004, -100005 };
#define NVALS (sizeof(vals) / sizeof(vals[0]))

static void
mem_lseek(void)
{
	int fd = FD("open /proc/self/mem", open("/proc/self/mem", O_RDONLY));

	for (size_t i = 0; i < NVALS; i++) {
		long r = syscall(SYS_lseek, fd, vals[i], SEEK_SET);
		printf("lseek mem %ld: %ld\n", vals[i], r);
	}
	close(fd);
}

static void
timerslack(void)
{
	for (size_t i = 0; i < NVALS; i++) {
		long set = syscall(SYS_prctl, PR_SET_TIMERSLACK, (unsigned long)vals[i], 0, 0, 0);
		long r = syscall(SYS_prctl, PR_GET_TIMERSLACK, 0, 0, 0, 0);
		printf("timerslack %ld: set %ld, get %ld\n", vals[i], set, r);
	}
	syscall(SYS_prctl, PR_SET_TIMERSLACK, 0UL, 0, 0, 0);
}

/* The tracee: getgid (its result replaced at exit), then an lseek on /proc/self/mem. */
static void
tracee(void)
{
	int fd = open("/proc/self/mem", O_RDONLY);
	char buf[160];

	ptrace(PTRACE_TRACEME, 0, 0, 0);
	raise(SIGSTOP);
	for (size_t i = 0; i < NVALS; i++) {
		long g = syscall(SYS_getgid);
		long l = syscall(SYS_lseek, fd, vals[i], SEEK_SET);
		int n = snprintf(buf, sizeof(buf), "tracee: getgid %ld, lseek %ld\n", g, l);
		syscall(SYS_write, 1, buf, n);
	}
	syscall(SYS_exit_group, 0);
}

static void
tracer(void)
{
	struct user_regs_struct r;
	int st, gid_exits = 0, lseek_stops = 0;
	bool entry = true;

	pid_t pid = fork();
	if (pid == 0)
		tracee();
	waitpid(pid, &st, 0);
	ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESYSGOOD);
	for (int i = 0; i < 400; i++) {
		ptrace(PTRACE_SYSCALL, pid, 0, 0);
		if (waitpid(pid, &st, 0) != pid || !WIFSTOPPED(st))
			break;
		if (WSTOPSIG(st) != (SIGTRAP | 0x80))
			continue;
		ptrace(PTRACE_GETREGS, pid, 0, &r);
		if (r.orig_rax == SYS_lseek)
			lseek_stops++;
		if (!entry && r.orig_rax == SYS_getgid && gid_exits < (int)NVALS) {
			r.rax = vals[gid_exits++];
			ptrace(PTRACE_SETREGS, pid, 0, &r);
		}
		entry = !entry;
	}
	printf("tracee: %s, lseek stops %d\n", WIFEXITED(st) ? "exited" : "not exited", lseek_stops);
}

int
main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	mem_lseek();
	timerslack();
	tracer();
	return 0;
}
