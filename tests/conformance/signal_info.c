/*
 * The siginfo a SA_SIGINFO handler gets: kill (SI_USER), tkill/tgkill/raise (SI_TKILL),
 * sigqueue (SI_QUEUE and the value) carry the sender's pid and real uid, to oneself, from
 * a child, to another thread; SIGCHLD carries the child's pid, uid, CLD_EXITED/KILLED/
 * STOPPED/CONTINUED and its status; SA_NOCLDSTOP stops the stop/continue reports; SIGPIPE
 * comes from the writer itself. Pids are printed as match/mismatch.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t got;
static siginfo_t last;
static volatile pid_t handler_tid;

static void
h(int sig, siginfo_t *si, void *ctx)
{
	last = *si;
	handler_tid = (pid_t)syscall(SYS_gettid);
	got = sig;
}

static const char *
code_name(int code)
{
	switch (code) {
	case SI_USER: return "SI_USER";
	case SI_TKILL: return "SI_TKILL";
	case SI_QUEUE: return "SI_QUEUE";
	case SI_KERNEL: return "SI_KERNEL";
	case CLD_EXITED: return "CLD_EXITED";
	case CLD_KILLED: return "CLD_KILLED";
	case CLD_DUMPED: return "CLD_DUMPED";
	case CLD_STOPPED: return "CLD_STOPPED";
	case CLD_CONTINUED: return "CLD_CONTINUED";
	default: return "other";
	}
}

static void
show(const char *label, const siginfo_t *si, int sig, pid_t pid)
{
	printf("%s: signo %s, %s, pid %s, uid %s\n", label, si->si_signo == sig ? "ok" : "wrong",
	       code_name(si->si_code), si->si_pid == pid ? "match" : "mismatch",
	       si->si_uid == getuid() ? "match" : "mismatch");
}

/* Waits for the handler (the signal may come from another process). */
static void
await(void)
{
	for (int i = 0; i < 5000 && !got; i++)
		usleep(1000);
}

static void *
thread_main(void *arg)
{
	*(pid_t *)arg = (pid_t)syscall(SYS_gettid);
	await();
	return NULL;
}

static void
handled(int sig)
{
	struct sigaction sa = { .sa_sigaction = h, .sa_flags = SA_SIGINFO };
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

/* SIGCHLD, blocked, taken with sigwaitinfo. */
static void
child_report(const char *label, pid_t c, int want_status)
{
	sigset_t chld;
	siginfo_t si;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	memset(&si, 0, sizeof(si));
	int r = sigwaitinfo(&chld, &si);
	show(label, &si, SIGCHLD, c);
	printf("%s: sigwaitinfo %s, status %s\n", label, r == SIGCHLD ? "SIGCHLD" : "other",
	       si.si_status == want_status ? "ok" : "wrong");
}

int
main(void)
{
	pid_t me = getpid();

	handled(SIGUSR1);
	handled(SIGUSR2);
	handled(SIGRTMIN);

	got = 0;
	kill(me, SIGUSR1);
	show("kill self", &last, SIGUSR1, me);
	got = 0;
	syscall(SYS_tkill, syscall(SYS_gettid), SIGUSR2);
	show("tkill self", &last, SIGUSR2, me);
	got = 0;
	syscall(SYS_tgkill, me, syscall(SYS_gettid), SIGUSR1);
	show("tgkill self", &last, SIGUSR1, me);
	got = 0;
	raise(SIGUSR2);
	show("raise", &last, SIGUSR2, me);
	got = 0;
	sigqueue(me, SIGRTMIN, (union sigval){ .sival_int = 42 });
	show("sigqueue self", &last, SIGRTMIN, me);
	printf("sigqueue self: value %d\n", last.si_value.sival_int);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) { /* in a group of its own: kill(0) reaches only itself */
		setpgid(0, 0);
		got = 0;
		kill(0, SIGUSR1);
		show("kill group", &last, SIGUSR1, getpid());
		got = 0;
		kill(-getpid(), SIGUSR2);
		show("kill -pgid", &last, SIGUSR2, getpid());
		fflush(stdout);
		_exit(0);
	}
	waitpid(c, NULL, 0);

	/* from a child: kill, then tgkill of the parent's main thread */
	got = 0;
	c = fork();
	if (c == 0) {
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	await();
	show("kill from child", &last, SIGUSR1, c);
	waitpid(c, NULL, 0);
	got = 0;
	c = fork();
	if (c == 0) {
		syscall(SYS_tgkill, getppid(), getppid(), SIGUSR2);
		_exit(0);
	}
	await();
	show("tgkill from child", &last, SIGUSR2, c);
	waitpid(c, NULL, 0);
	got = 0;
	c = fork();
	if (c == 0) {
		sigqueue(getppid(), SIGRTMIN, (union sigval){ .sival_int = 7 });
		_exit(0);
	}
	await();
	show("sigqueue from child", &last, SIGRTMIN, c);
	printf("sigqueue from child: value %d\n", last.si_value.sival_int);
	waitpid(c, NULL, 0);

	/* an odd negative si_code from another process arrives as it is (it cannot pass for
	 * a kernel or kill() origin, whatever else the siginfo holds) */
	got = 0;
	c = fork();
	if (c == 0) {
		siginfo_t q;
		memset(&q, 0, sizeof(q));
		q.si_code = -0x5e47;
		q.si_errno = SI_KERNEL;
		q.si_pid = 1;
		syscall(SYS_rt_sigqueueinfo, getppid(), SIGUSR1, &q);
		_exit(0);
	}
	await();
	printf("odd si_code from child: code %s, pid %d\n", last.si_code == -0x5e47 ? "as sent" : "changed",
	       last.si_pid);
	waitpid(c, NULL, 0);

	/* to another thread: it runs the handler */
	pthread_t th;
	pid_t tid = 0;
	got = 0;
	pthread_create(&th, NULL, thread_main, &tid);
	while (!__atomic_load_n(&tid, __ATOMIC_SEQ_CST))
		usleep(1000);
	printf("pthread_kill: %d\n", pthread_kill(th, SIGUSR1));
	pthread_join(th, NULL);
	show("pthread_kill", &last, SIGUSR1, me);
	printf("pthread_kill: ran in that thread %s\n", handler_tid == tid ? "yes" : "no");

	/* SIGPIPE comes from the writer itself */
	int p[2];
	pipe(p);
	close(p[0]);
	handled(SIGPIPE);
	got = 0;
	errno = 0;
	write(p[1], "x", 1);
	printf("write to a closed pipe: %s\n", strerrorname_np(errno));
	show("SIGPIPE", &last, SIGPIPE, me);
	close(p[1]);

	/* SIGCHLD: exit, kill, stop, continue */
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	c = fork();
	if (c == 0)
		_exit(7);
	child_report("child exits 7", c, 7);
	waitpid(c, NULL, 0);
	c = fork();
	if (c == 0) {
		for (;;)
			pause();
	}
	kill(c, SIGSTOP);
	child_report("child stopped", c, SIGSTOP);
	int st;
	printf("waitpid WUNTRACED: %s\n", waitpid(c, &st, WUNTRACED) == c && WIFSTOPPED(st) ? "stopped" : "other");
	kill(c, SIGCONT);
	child_report("child continued", c, SIGCONT);
	kill(c, SIGTERM);
	child_report("child killed", c, SIGTERM);
	waitpid(c, NULL, 0);

	/* SA_NOCLDSTOP: a stop and a continue send nothing; the exit does */
	struct sigaction sa = { .sa_handler = SIG_DFL, .sa_flags = SA_NOCLDSTOP };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
	c = fork();
	if (c == 0) {
		for (;;)
			pause();
	}
	kill(c, SIGSTOP);
	waitpid(c, &st, WUNTRACED);
	struct timespec zero = { 0, 0 };
	siginfo_t si;
	errno = 0;
	int r = sigtimedwait(&chld, &si, &zero);
	printf("SA_NOCLDSTOP, stopped: %d %s\n", r, r < 0 ? strerrorname_np(errno) : "");
	kill(c, SIGCONT);
	waitpid(c, &st, WCONTINUED);
	errno = 0;
	r = sigtimedwait(&chld, &si, &zero);
	printf("SA_NOCLDSTOP, continued: %d %s\n", r, r < 0 ? strerrorname_np(errno) : "");
	kill(c, SIGKILL);
	child_report("SA_NOCLDSTOP, child killed", c, SIGKILL);
	waitpid(c, NULL, 0);
	return 0;
}
