/*
 * sigqueue to another process: the value, SI_QUEUE and the sender's pid arrive, realtime
 * signals queue (two sent, two received, in order); a forged si_code (SI_USER, SI_TKILL) is
 * refused for another process but accepted for oneself; bad arguments.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define TRY(label, call) \
	do { \
		errno = 0; \
		long r_ = (call); \
		printf("%s: %ld %s\n", label, r_, r_ < 0 ? strerrorname_np(errno) : ""); \
	} while (0)

static volatile sig_atomic_t n, vals[4], codes[4], from_parent[4];

static void
h(int sig, siginfo_t *si, void *ctx)
{
	if (n < 4) {
		vals[n] = si->si_value.sival_int;
		codes[n] = si->si_code;
		from_parent[n] = si->si_pid == getppid();
	}
	n++;
}

int
main(void)
{
	int go[2];
	pipe(go);
	sigset_t rt;
	sigemptyset(&rt);
	sigaddset(&rt, SIGRTMIN + 2);
	sigprocmask(SIG_BLOCK, &rt, NULL); /* the child starts with it blocked: both queue */
	pid_t c = fork();
	if (c == 0) {
		struct sigaction sa = { .sa_sigaction = h, .sa_flags = SA_SIGINFO };
		sigaction(SIGRTMIN + 2, &sa, NULL);
		write(go[1], "r", 1);
		sleep(1); /* the parent queues two meanwhile */
		sigprocmask(SIG_UNBLOCK, &rt, NULL);
		printf("child got %d: values %d %d, SI_QUEUE %d %d, from the parent %d %d\n", (int)n,
		       (int)vals[0], (int)vals[1], codes[0] == SI_QUEUE, codes[1] == SI_QUEUE,
		       (int)from_parent[0], (int)from_parent[1]);
		fflush(stdout);
		_exit(0);
	}
	char b;
	read(go[0], &b, 1);
	printf("sigqueue 1: %d\n", sigqueue(c, SIGRTMIN + 2, (union sigval){ .sival_int = 11 }));
	printf("sigqueue 2: %d\n", sigqueue(c, SIGRTMIN + 2, (union sigval){ .sival_int = 22 }));
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	si.si_code = SI_USER;
	TRY("forged SI_USER to another process", syscall(SYS_rt_sigqueueinfo, c, SIGRTMIN + 2, &si));
	si.si_code = SI_TKILL;
	TRY("forged SI_TKILL to another thread", syscall(SYS_rt_tgsigqueueinfo, c, c, SIGRTMIN + 2, &si));
	TRY("bad pointer", syscall(SYS_rt_sigqueueinfo, c, SIGRTMIN + 2, (void *)8));
	si.si_code = SI_QUEUE;
	TRY("bad signal", syscall(SYS_rt_sigqueueinfo, c, 99, &si));
	TRY("no such process", syscall(SYS_rt_sigqueueinfo, 99999, SIGRTMIN + 2, &si));
	int st;
	waitpid(c, &st, 0);
	fflush(stdout);
	/* to oneself any si_code goes */
	sigemptyset(&rt);
	sigaddset(&rt, SIGUSR1);
	sigprocmask(SIG_BLOCK, &rt, NULL);
	si.si_code = SI_USER;
	printf("SI_USER to oneself: %ld\n", syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, &si));
	siginfo_t got;
	int s = sigwaitinfo(&rt, &got);
	printf("received %d with SI_USER %d\n", s == SIGUSR1, got.si_code == SI_USER);
	return 0;
}
