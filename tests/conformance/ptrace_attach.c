/* PTRACE_ATTACH / SEIZE / DETACH / KILL on a child and on a grandchild (a tracee that is not
 * the tracer's child): the SIGSTOP stop, ESRCH while running, permission errors, the exit
 * reported to the tracer first, PEEKDATA / POKEDATA / GETREGS at a stop. */
#include "cf.h"
#include <signal.h>
#include <stddef.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>

static volatile long value = 1;
static volatile int got;

static void
on_sig(int sig)
{
	got = sig;
}

/* A child blocked reading fd until the parent writes; then it reports and exits. */
static pid_t
sleeper(int *wfd, int code)
{
	int p[2];
	if (pipe(p) < 0)
		exit(1);
	pid_t pid = fork();
	if (pid == 0) {
		struct sigaction sa = { .sa_handler = on_sig, .sa_flags = SA_RESTART };
		sigaction(SIGUSR1, &sa, NULL);
		close(p[1]);
		char c;
		ssize_t n = read(p[0], &c, 1);
		printf("sleeper read %zd, value %ld, got %s\n", n, value,
		       got ? sigabbrev_np(got) : "0");
		_exit(code);
	}
	close(p[0]);
	*wfd = p[1];
	return pid;
}

int
main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	int st, wfd;
	struct user_regs_struct regs;
	long word;

	/* ---- a child ---- */
	pid_t pid = sleeper(&wfd, 4);
	cf_wait_sleeping(pid);
	R("cont before attach", ptrace(PTRACE_CONT, pid, 0, 0));
	R("attach", ptrace(PTRACE_ATTACH, pid, 0, 0));
	R("attach again", ptrace(PTRACE_ATTACH, pid, 0, 0));
	R("wait", waitpid(pid, &st, 0) == pid);
	cf_show_wait("attach stop", st);
	R("getregs", ptrace(PTRACE_GETREGS, pid, 0, &regs));
	printf("interrupted call: orig_rax %lld rax %lld\n", regs.orig_rax, regs.rax);
	errno = 0;
	word = ptrace(PTRACE_PEEKDATA, pid, (void *)&value, 0);
	printf("peek value: %ld errno %s\n", word, en(errno));
	R("poke value", ptrace(PTRACE_POKEDATA, pid, (void *)&value, (void *)42));
	errno = 0;
	word = ptrace(PTRACE_PEEKDATA, pid, (void *)8, 0);
	printf("peek unmapped: %ld errno %s\n", word, en(errno));
	R("poke unmapped", ptrace(PTRACE_POKEDATA, pid, (void *)8, (void *)1));
	errno = 0;
	word = ptrace(PTRACE_PEEKUSER, pid, (void *)offsetof(struct user_regs_struct, orig_rax), 0);
	printf("peekuser orig_rax: %ld errno %s\n", word, en(errno));
	R("peekuser unaligned", ptrace(PTRACE_PEEKUSER, pid, (void *)3, 0));
	/* the kernel's struct user is 928 bytes (glibc's lacks its last two fields) */
	R("peekuser past struct user", ptrace(PTRACE_PEEKUSER, pid, (void *)928, 0));
	errno = 0;
	word = ptrace(PTRACE_PEEKUSER, pid, (void *)offsetof(struct user, u_debugreg), 0);
	printf("peekuser debugreg 0: %ld errno %s\n", word, en(errno));
	R("cont", ptrace(PTRACE_CONT, pid, 0, 0));
	R("cont while running", ptrace(PTRACE_CONT, pid, 0, 0));
	R("getregs while running", ptrace(PTRACE_GETREGS, pid, 0, &regs));
	R("wnohang while running", waitpid(pid, &st, WNOHANG));
	kill(pid, SIGUSR1);
	R("wait", waitpid(pid, &st, 0) == pid);
	cf_show_wait("signal stop", st);
	R("detach delivering it", ptrace(PTRACE_DETACH, pid, 0, SIGUSR1));
	R("cont after detach", ptrace(PTRACE_CONT, pid, 0, 0));
	long wr = write(wfd, "x", 1);
	R("wait", waitpid(pid, &st, 0) == pid);
	R("write", wr);
	cf_show_wait("child end", st);
	close(wfd);

	/* ---- a grandchild: not the tracer's child ---- */
	int gp[2];
	if (pipe(gp) < 0)
		return 1;
	pid_t mid = fork();
	if (mid == 0) {
		int w;
		pid_t g = sleeper(&w, 5);
		write(gp[1], &g, sizeof(g));
		write(gp[1], &w, sizeof(w));
		int s;
		pid_t r = waitpid(g, &s, 0);
		_exit(r == g && WIFEXITED(s) ? 10 + WEXITSTATUS(s) : 1);
	}
	pid_t g;
	int gw;
	read(gp[0], &g, sizeof(g));
	read(gp[0], &gw, sizeof(gw));
	/* the middle process's write end: reached through /proc (same fd number there) */
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", mid, gw);
	cf_wait_sleeping(g);
	R("seize with addr", ptrace(PTRACE_SEIZE, g, 1, 0));
	R("seize with bad options", ptrace(PTRACE_SEIZE, g, 0, 1L << 30));
	R("seize grandchild", ptrace(PTRACE_SEIZE, g, 0, PTRACE_O_TRACEEXIT * 0));
	R("wnohang: nothing yet", waitpid(g, &st, WNOHANG | __WALL));
	R("cont while running", ptrace(PTRACE_CONT, g, 0, 0));
	R("interrupt", ptrace(PTRACE_INTERRUPT, g, 0, 0));
	R("wait grandchild", waitpid(g, &st, __WALL) == g);
	cf_show_wait("interrupt stop", st);
	R("getsiginfo", ptrace(PTRACE_GETSIGINFO, g, 0, &(siginfo_t){ 0 }));
	R("poke value", ptrace(PTRACE_POKEDATA, g, (void *)&value, (void *)7));
	R("cont", ptrace(PTRACE_CONT, g, 0, 0));
	int fd = open(path, O_WRONLY);
	wr = write(fd, "y", 1);
	close(fd);
	R("wait grandchild exit", waitpid(g, &st, __WALL) == g);
	R("write to grandchild", wr);
	cf_show_wait("grandchild end", st);
	R("wait middle", waitpid(mid, &st, 0) == mid);
	cf_show_wait("middle end", st);

	/* ---- PTRACE_KILL ---- */
	pid = sleeper(&wfd, 6);
	R("attach", ptrace(PTRACE_ATTACH, pid, 0, 0));
	R("wait", waitpid(pid, &st, 0) == pid);
	cf_show_wait("attach stop", st);
	R("kill", ptrace(PTRACE_KILL, pid, 0, 0));
	R("wait", waitpid(pid, &st, 0) == pid);
	cf_show_wait("killed", st);
	close(wfd);
	R("no more children", waitpid(-1, &st, __WALL));
	return 0;
}
