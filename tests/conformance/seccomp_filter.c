/* The guest's own seccomp filters: the operations and their errors, program checks, each
 * action (ALLOW, ERRNO with data 0 and >4095, TRAP with its siginfo and rax, KILL_PROCESS,
 * KILL_THREAD in a lone thread, TRACE and USER_NOTIF without tracer or listener), calls the
 * stub runs natively (clock_gettime, sched_yield, futex) filtered too, argument checks,
 * precedence over stacked filters, inheritance by fork and execve, TSYNC, strict mode,
 * PR_GET_SECCOMP and /proc/self/status. Each case runs in a child. */
#include "cf.h"
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/futex.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>

#define NR_LD BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr))
#define ARG0_LD BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0]))
#define ARCH_LD BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch))
#define ON(nr, action) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), BPF_STMT(BPF_RET | BPF_K, (action))
#define ALLOW BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)

static long
install(struct sock_filter *f, unsigned short len, unsigned flags)
{
	struct sock_fprog p = { .len = len, .filter = f };
	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &p);
}
#define INSTALL(f, flags) install((f), sizeof(f) / sizeof((f)[0]), (flags))

static void *
killed_thread(void *arg)
{
	syscall(SYS_getppid);
	printf("  the killed thread went on\n");
	return arg;
}

static void
report(const char *what, pid_t c)
{
	int st;
	fflush(stdout);
	if (waitpid(c, &st, 0) != c)
		printf("%s: waitpid failed\n", what);
	else if (WIFEXITED(st))
		printf("%s: exit %d\n", what, WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		printf("%s: killed by %s\n", what, sigabbrev_np(WTERMSIG(st)));
	fflush(stdout);
}

static volatile int trap_code, trap_nr, trap_errno, trap_arch_ok, trap_rax_ok;

static void
on_sigsys(int sig, siginfo_t *si, void *uc)
{
	ucontext_t *u = uc;
	(void)sig;
	trap_code = si->si_code;
	trap_nr = si->si_syscall;
	trap_errno = si->si_errno;
	trap_arch_ok = si->si_arch == AUDIT_ARCH_X86_64;
	trap_rax_ok = u->uc_mcontext.gregs[REG_RAX] == si->si_syscall;
}

static int gate[2];

static void *
thr(void *arg)
{
	char c;
	(void)arg;
	read(gate[0], &c, 1);
	R("  thread getppid", syscall(SYS_getppid) > 0 ? 0 : syscall(SYS_getppid));
	return NULL;
}

static void
status_lines(void)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "Seccomp", 7))
			printf("  %s", line);
	if (f)
		fclose(f);
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0); /* children print too */
	if (argc > 1) { /* after execve: the filter is still there */
		R("  after exec, getppid", syscall(SYS_getppid));
		return 0;
	}
	uint32_t act;
	uint32_t acts[] = { SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_KILL_THREAD, SECCOMP_RET_TRAP,
			    SECCOMP_RET_ERRNO, SECCOMP_RET_USER_NOTIF, SECCOMP_RET_TRACE,
			    SECCOMP_RET_LOG, SECCOMP_RET_ALLOW, 0x12340000 };
	for (size_t i = 0; i < sizeof(acts) / sizeof(acts[0]); i++) {
		act = acts[i];
		printf("action %#x: ", act);
		R("avail", syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &act));
	}
	R("avail, flags", syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 1, &act));
	R("avail, bad pointer", syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, (void *)8));
	struct seccomp_notif_sizes sz;
	R("notif sizes", syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sz));
	printf("  %u %u %u\n", sz.seccomp_notif, sz.seccomp_notif_resp, sz.seccomp_data);
	R("bad op", syscall(SYS_seccomp, 99, 0, NULL));
	R("strict with flags", syscall(SYS_seccomp, SECCOMP_SET_MODE_STRICT, 1, NULL));
	R("PR_GET_SECCOMP", prctl(PR_GET_SECCOMP));

	/* programs refused */
	struct sock_filter ok[] = { ALLOW };
	R("len 0", install(ok, 0, 0));
	R("bad flags", INSTALL(ok, 1U << 20));
	R("bad pointer", syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, (void *)8));
	struct sock_fprog badp = { .len = 1, .filter = (void *)8 };
	R("bad program pointer", syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &badp));
	struct sock_filter byte_load[] = { BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0), ALLOW };
	R("byte load", INSTALL(byte_load, 0));
	struct sock_filter odd[] = { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 2), ALLOW };
	R("misaligned load", INSTALL(odd, 0));
	struct sock_filter past[] = { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 64), ALLOW };
	R("load past the data", INSTALL(past, 0));
	struct sock_filter jump[] = { NR_LD, BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 5, 0), ALLOW };
	R("jump out", INSTALL(jump, 0));
	struct sock_filter noret[] = { NR_LD };
	R("no return", INSTALL(noret, 0));
	struct sock_filter mem[] = { BPF_STMT(BPF_LD | BPF_MEM, 3), ALLOW };
	R("scratch read before write", INSTALL(mem, 0));
	struct sock_filter div0[] = { BPF_STMT(BPF_ALU | BPF_DIV | BPF_K, 0), ALLOW };
	R("division by 0", INSTALL(div0, 0));
	struct sock_filter mod[] = { BPF_STMT(BPF_ALU | BPF_MOD | BPF_K, 3), ALLOW };
	R("mod", INSTALL(mod, 0));
	R("PR_SET_SECCOMP bad mode", prctl(PR_SET_SECCOMP, 7, 0, 0, 0));

	/* ERRNO, on calls the sentry serves and on calls the stub runs natively */
	pid_t c = fork();
	if (c == 0) {
		struct sock_filter f[] = {
			ARCH_LD, BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
			NR_LD,
			ON(__NR_getppid, SECCOMP_RET_ERRNO | ENOMSG),
			ON(__NR_clock_gettime, SECCOMP_RET_ERRNO | EACCES),
			ON(__NR_sched_yield, SECCOMP_RET_ERRNO | EXDEV),
			ON(__NR_futex, SECCOMP_RET_ERRNO | ENOLINK),
			ON(__NR_uname, SECCOMP_RET_ERRNO | 0),
			ON(__NR_getuid, SECCOMP_RET_ERRNO | 5000),
			ON(__NR_getgid, SECCOMP_RET_TRACE),
			ON(__NR_getegid, SECCOMP_RET_USER_NOTIF),
			BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_kill, 0, 3),
			BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[1])),
			ON(SIGUSR2, SECCOMP_RET_ERRNO | EPERM),
			ALLOW,
		};
		R("ERRNO filter", prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &(struct sock_fprog){
			.len = sizeof(f) / sizeof(f[0]), .filter = f }));
		R("  PR_GET_SECCOMP", prctl(PR_GET_SECCOMP));
		status_lines();
		R("  getppid", syscall(SYS_getppid));
		struct timespec ts;
		R("  clock_gettime (native in the stub)", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts));
		R("  sched_yield (native in the stub)", syscall(SYS_sched_yield));
		int word = 0;
		R("  futex (native in the stub)", syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
		struct utsname u;
		memset(&u, 0, sizeof(u));
		R("  uname: ERRNO 0", syscall(SYS_uname, &u));
		YN("    not run", u.sysname[0] == 0);
		R("  getuid: ERRNO 5000", syscall(SYS_getuid));
		R("  getgid: TRACE, no tracer", syscall(SYS_getgid));
		R("  getegid: USER_NOTIF, no listener", syscall(SYS_getegid));
		R("  kill SIGUSR2", kill(getpid(), SIGUSR2));
		R("  kill 0", kill(getpid(), 0));
		R("  getpid", syscall(SYS_getpid) > 0);
		fflush(stdout);
		pid_t g = fork();
		if (g == 0) {
			R("  forked child's getppid", syscall(SYS_getppid));
			fflush(stdout);
			_exit(0);
		}
		waitpid(g, NULL, 0);
		fflush(stdout);
		execl("/proc/self/exe", argv[0], "exec", (char *)NULL);
		_exit(99);
	}
	report("ERRNO child", c);

	/* stacked: the newest filter's answer among equal actions; a TRAP above an ERRNO */
	c = fork();
	if (c == 0) {
		struct sigaction sa = { .sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO };
		sigaction(SIGSYS, &sa, NULL);
		struct sock_filter a1[] = { NR_LD, ON(__NR_getppid, SECCOMP_RET_ERRNO | 5),
					    ON(__NR_getpgrp, SECCOMP_RET_ERRNO | 5), ALLOW };
		struct sock_filter a2[] = { NR_LD, ON(__NR_getppid, SECCOMP_RET_ERRNO | 7),
					    ON(__NR_getpgrp, SECCOMP_RET_TRAP | 0x42), ALLOW };
		R("first filter", INSTALL(a1, 0));
		R("second filter", INSTALL(a2, SECCOMP_FILTER_FLAG_LOG));
		status_lines();
		R("  getppid (7 newer than 5)", syscall(SYS_getppid));
		long r = syscall(SYS_getpgrp);
		YN("  getpgrp trapped: returns its number", r == __NR_getpgrp);
		YN("  si_code SYS_SECCOMP", trap_code == 1);
		YN("  si_syscall", trap_nr == __NR_getpgrp);
		R("  si_errno", trap_errno);
		YN("  si_arch", trap_arch_ok);
		YN("  rax in the handler", trap_rax_ok);
		fflush(stdout);
		_exit(0);
	}
	report("stacked child", c);

	/* TRAP with SIGSYS blocked: forced, the process dies */
	c = fork();
	if (c == 0) {
		sigset_t s;
		sigemptyset(&s);
		sigaddset(&s, SIGSYS);
		sigprocmask(SIG_BLOCK, &s, NULL);
		struct sock_filter f[] = { NR_LD, ON(__NR_getppid, SECCOMP_RET_TRAP), ALLOW };
		INSTALL(f, 0);
		syscall(SYS_getppid);
		_exit(0);
	}
	report("TRAP with SIGSYS blocked", c);

	c = fork();
	if (c == 0) {
		struct sock_filter f[] = { NR_LD, ON(__NR_getppid, SECCOMP_RET_KILL_PROCESS), ALLOW };
		INSTALL(f, 0);
		syscall(SYS_getppid);
		_exit(0);
	}
	report("KILL_PROCESS", c);
	c = fork();
	if (c == 0) {
		struct sock_filter f[] = { NR_LD, ON(__NR_getppid, SECCOMP_RET_KILL_THREAD), ALLOW };
		INSTALL(f, 0);
		syscall(SYS_getppid);
		_exit(0);
	}
	report("KILL_THREAD, lone thread", c);
	/* with another thread running, KILL_THREAD ends the caller alone: the other goes on
	 * (a joiner learns the end through the thread's cleared tid) */
	c = fork();
	if (c == 0) {
		struct sock_filter f[] = { NR_LD, ON(__NR_getppid, SECCOMP_RET_KILL_THREAD), ALLOW };
		INSTALL(f, 0);
		pthread_t th;
		pthread_create(&th, NULL, killed_thread, NULL);
		pthread_join(th, NULL);
		printf("  the other thread goes on\n");
		fflush(stdout);
		_exit(7);
	}
	report("KILL_THREAD, two threads", c);

	/* TSYNC reaches a thread that already runs; without it, only the caller */
	for (int sync = 0; sync < 2; sync++) {
		c = fork();
		if (c == 0) {
			pipe(gate);
			pthread_t th;
			pthread_create(&th, NULL, thr, NULL);
			struct sock_filter f[] = { NR_LD, ON(__NR_getppid, SECCOMP_RET_ERRNO | EIO), ALLOW };
			R(sync ? "TSYNC" : "no TSYNC", INSTALL(f, sync ? SECCOMP_FILTER_FLAG_TSYNC : 0));
			write(gate[1], "x", 1);
			pthread_join(th, NULL);
			fflush(stdout);
			_exit(0);
		}
		report("  thread child", c);
	}

	/* strict mode */
	c = fork();
	if (c == 0) {
		syscall(SYS_seccomp, SECCOMP_SET_MODE_STRICT, 0, NULL);
		write(1, "strict: write allowed\n", 22);
		syscall(SYS_getpid);
		syscall(SYS_exit, 0);
	}
	report("strict", c);
	return 0;
}
