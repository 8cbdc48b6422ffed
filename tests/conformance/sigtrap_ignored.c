/*
 * An ignored SIGTRAP stays ignored whatever calls the process makes (the sandbox runs
 * some of them by making the stub trap, which must not reset the action): after mapping
 * a file, creating a thread, forking, growing the break and blocking signals, raise and
 * kill of SIGTRAP do nothing, and sigaction still says SIG_IGN. A blocked one stays
 * pending and is dropped when unblocked. An int3 still kills (Linux resets the action).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static void
check(const char *when)
{
	struct sigaction sa;

	sigaction(SIGTRAP, NULL, &sa);
	printf("%s: action %s\n", when, sa.sa_handler == SIG_IGN ? "SIG_IGN" :
	       sa.sa_handler == SIG_DFL ? "SIG_DFL" : "handler");
	fflush(stdout);
	raise(SIGTRAP);
	printf("%s: survived raise\n", when);
	fflush(stdout);
}

static void *
thread(void *arg)
{
	return arg;
}

int
main(void)
{
	struct sigaction sa = { .sa_handler = SIG_IGN };

	sigaction(SIGTRAP, &sa, NULL);
	check("start");

	int fd = open("/proc/self/exe", O_RDONLY);
	void *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	printf("mmap: %s\n", p == MAP_FAILED ? "failed" : "ok");
	check("after mmap");
	close(fd);

	pthread_t th;
	pthread_create(&th, NULL, thread, NULL);
	pthread_join(th, NULL);
	check("after thread");

	void *b = sbrk(0);
	sbrk(1 << 20);
	memset(b, 1, 1 << 20);
	check("after brk");

	pid_t c = fork();
	if (c == 0) {
		check("child");
		_exit(0);
	}
	int st;
	waitpid(c, &st, 0);
	printf("child status: %s %d\n", WIFEXITED(st) ? "exit" : "signal",
	       WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
	check("after fork");

	sigset_t set, old, pend;
	sigemptyset(&set);
	sigaddset(&set, SIGTRAP);
	sigprocmask(SIG_BLOCK, &set, &old);
	kill(getpid(), SIGTRAP);
	sigpending(&pend);
	printf("blocked: pending %d\n", sigismember(&pend, SIGTRAP));
	sigprocmask(SIG_SETMASK, &old, NULL);
	sigpending(&pend);
	printf("unblocked: pending %d\n", sigismember(&pend, SIGTRAP));
	check("after mask");

	kill(getpid(), SIGTRAP);
	printf("survived kill\n");
	fflush(stdout);

	/* a trap the CPU raises is forced: the ignored action is reset and the process dies */
	c = fork();
	if (c == 0) {
		struct rlimit no_core = { 0, 0 };
		setrlimit(RLIMIT_CORE, &no_core);
		__asm__ volatile("int3");
		_exit(0);
	}
	waitpid(c, &st, 0);
	printf("int3 child: %s %d\n", WIFEXITED(st) ? "exit" : "signal",
	       WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
	return 0;
}
