/* Seccomp filters and the calls a sandbox may run without its kernel seeing them (futex,
 * getrandom, sched_yield, clock_gettime, rt_sigprocmask, madvise, close(-1)...): filters
 * that refuse one of them only for some arguments, through arithmetic, scratch memory,
 * RET A, the caller's address, paths that meet with different values, LOG; filters that
 * allow them all but refuse another call; stacked filters; after fork and execve. Each
 * case prints what every such call returns under it. */
#include "cf.h"
#include <asm/prctl.h>
#include <linux/filter.h>
#include <linux/futex.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>

#define LD(field) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, field))
#define NR_LD LD(nr)
#define RET(v) BPF_STMT(BPF_RET | BPF_K, (v))
#define ALLOW RET(SECCOMP_RET_ALLOW)
#define ERR(e) (SECCOMP_RET_ERRNO | (e))
#define JEQ(v, t, f) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (v), (t), (f))
#define ON(nr, action) JEQ((nr), 0, 1), RET(action)

static char *page;

static void
probe(const char *label, long r)
{
	if (r < 0)
		printf("  %s: -1 %s\n", label, en(errno));
	else
		printf("  %s: %ld\n", label, r > 0 ? 1 : 0);
}

static void
probes(void)
{
	char buf[8];
	struct timespec ts;
	struct timeval tv;
	uint64_t set = 0;
	int word = 0;
	stack_t ss;
	struct { void *h; unsigned long f; void *r; uint64_t m; } act;
	unsigned long fs = 0;

	probe("getrandom", syscall(SYS_getrandom, buf, sizeof(buf), GRND_NONBLOCK));
	probe("getrandom 0", syscall(SYS_getrandom, buf, sizeof(buf), 0));
	probe("sched_yield", syscall(SYS_sched_yield));
	probe("clock_gettime", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts));
	probe("clock_getres", syscall(SYS_clock_getres, CLOCK_MONOTONIC, &ts));
	probe("gettimeofday", syscall(SYS_gettimeofday, &tv, NULL));
	probe("rt_sigprocmask block", syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &set, 8));
	probe("rt_sigprocmask setmask", syscall(SYS_rt_sigprocmask, SIG_SETMASK, NULL, &set, 8));
	probe("madvise", syscall(SYS_madvise, page, 4096, MADV_NORMAL));
	probe("futex wake", syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
	probe("close -1", syscall(SYS_close, -1));
	probe("sigaltstack", syscall(SYS_sigaltstack, NULL, &ss));
	probe("rt_sigaction query", syscall(SYS_rt_sigaction, SIGUSR1, NULL, &act, 8));
	if (syscall(SYS_arch_prctl, ARCH_GET_FS, &fs) == 0)
		probe("arch_prctl set_fs", syscall(SYS_arch_prctl, ARCH_SET_FS, fs));
	probe("getppid", syscall(SYS_getppid) >= 0 ? 1 : -1); /* (0 for a sandbox's first) */
	fflush(stdout);
}

static long
install(struct sock_filter *f, unsigned short len)
{
	struct sock_fprog p = { .len = len, .filter = f };
	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &p);
}
#define INSTALL(f) install((f), sizeof(f) / sizeof((f)[0]))

static const char *self;

/* In a child: install f (and g, if any), run the probes; with exec, again after execve. */
static void
run_case(const char *name, struct sock_filter *f, unsigned short len, struct sock_filter *g,
	 unsigned short glen, bool exec)
{
	printf("%s\n", name);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		if (install(f, len) || (g && install(g, glen))) {
			printf("  install: %s\n", en(errno));
			_exit(1);
		}
		probes();
		/* the filters go on in a forked child */
		pid_t gc = fork();
		if (gc == 0) {
			printf(" forked:\n");
			probes();
			_exit(0);
		}
		waitpid(gc, NULL, 0);
		if (exec) {
			execl(self, self, "probe", (char *)NULL);
			printf("  execl: %s\n", en(errno));
		}
		_exit(0);
	}
	int st;
	waitpid(c, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		printf("  child: status %#x\n", st);
}
#define CASE(name, f, exec) run_case((name), (f), sizeof(f) / sizeof((f)[0]), NULL, 0, (exec))

int
main(int argc, char **argv)
{
	self = "/proc/self/exe";
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (argc > 1 && !strcmp(argv[1], "probe")) {
		printf(" after execve:\n");
		probes();
		return 0;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("no filter\n");
	probes();

	/* refuses getrandom only with GRND_NONBLOCK: a test of an argument */
	struct sock_filter f1[] = {
		NR_LD, JEQ(__NR_getrandom, 0, 3),
		LD(args[2]), BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, GRND_NONBLOCK, 0, 1),
		RET(ERR(EDOM)), ALLOW,
	};
	CASE("getrandom with GRND_NONBLOCK refused", f1, true);

	/* futex by arithmetic on the number */
	struct sock_filter f2[] = {
		NR_LD, BPF_STMT(BPF_ALU | BPF_SUB | BPF_K, __NR_futex),
		JEQ(0, 0, 1), RET(ERR(ENOLINK)), ALLOW,
	};
	CASE("futex refused through arithmetic", f2, false);

	/* the action kept in scratch memory and returned from A */
	struct sock_filter f3[] = {
		BPF_STMT(BPF_LD | BPF_IMM, ERR(EXDEV)), BPF_STMT(BPF_ST, 3),
		BPF_STMT(BPF_LD | BPF_IMM, SECCOMP_RET_ALLOW), BPF_STMT(BPF_ST, 4),
		NR_LD, JEQ(__NR_sched_yield, 0, 2),
		BPF_STMT(BPF_LD | BPF_MEM, 3), BPF_STMT(BPF_RET | BPF_A, 0),
		BPF_STMT(BPF_LD | BPF_MEM, 4), BPF_STMT(BPF_RET | BPF_A, 0),
	};
	CASE("sched_yield refused by RET A from scratch memory", f3, false);

	/* the caller's address: user addresses have a zero upper half */
	struct sock_filter f4[] = {
		NR_LD, JEQ(__NR_clock_getres, 0, 4), LD(instruction_pointer),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, instruction_pointer) + 4),
		JEQ(0, 0, 1), RET(ERR(ENOSTR)), ALLOW,
	};
	CASE("clock_getres refused by the caller's address", f4, false);

	/* two paths meet with different X: SIG_BLOCK refused, the others allowed */
	struct sock_filter f5[] = {
		NR_LD, JEQ(__NR_rt_sigprocmask, 0, 8),
		LD(args[0]), JEQ(SIG_BLOCK, 0, 2),
		BPF_STMT(BPF_LDX | BPF_IMM, 1), BPF_JUMP(BPF_JMP | BPF_JA, 1, 0, 0),
		BPF_STMT(BPF_LDX | BPF_IMM, 2),
		BPF_STMT(BPF_MISC | BPF_TXA, 0), JEQ(1, 0, 1), RET(ERR(ENOANO)), ALLOW,
	};
	CASE("rt_sigprocmask SIG_BLOCK refused where two paths meet", f5, false);

	/* division and shifts by known values */
	struct sock_filter f6[] = {
		NR_LD, JEQ(__NR_madvise, 0, 6),
		BPF_STMT(BPF_LD | BPF_IMM, 40), BPF_STMT(BPF_LDX | BPF_IMM, 4),
		BPF_STMT(BPF_ALU | BPF_DIV | BPF_X, 0), BPF_STMT(BPF_ALU | BPF_LSH | BPF_K, 1),
		JEQ(20, 0, 1), RET(ERR(EILSEQ)), ALLOW,
	};
	CASE("madvise refused through division", f6, false);

	/* rt_sigaction's queries refused. (Not close(-1): the sandbox's stub answers a
	 * descriptor past 2^24 with EBADF before any guest filter sees it; README) */
	struct sock_filter f7[] = { NR_LD, ON(__NR_rt_sigaction, ERR(ECHRNG)), ALLOW };
	CASE("rt_sigaction refused", f7, true);

	/* every native call allowed (some by LOG), another call refused: the natives run,
	 * the refused one fails, in the forked child and after execve too */
	struct sock_filter f8[] = {
		NR_LD, ON(__NR_sigaltstack, SECCOMP_RET_LOG), ON(__NR_getppid, ERR(ENOMSG)), ALLOW,
	};
	CASE("natives allowed, getppid refused", f8, true);

	/* a second filter on top of one that allows the natives: its refusal counts */
	struct sock_filter f9b[] = { NR_LD, ON(__NR_gettimeofday, ERR(EBADR)), ALLOW };
	printf("stacked: the newer refuses gettimeofday\n");
	fflush(stdout);
	run_case(" (case)", f8, sizeof(f8) / sizeof(f8[0]), f9b, sizeof(f9b) / sizeof(f9b[0]), true);

	/* arch_prctl(ARCH_SET_FS) refused by its argument */
	struct sock_filter f10[] = {
		NR_LD, JEQ(__NR_arch_prctl, 0, 3), LD(args[0]), JEQ(ARCH_SET_FS, 0, 1),
		RET(ERR(EBADE)), ALLOW,
	};
	CASE("arch_prctl ARCH_SET_FS refused", f10, false);
	return 0;
}
