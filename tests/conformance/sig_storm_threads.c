/*
 * A storm of process-directed signals at a process whose threads poll (half of them
 * blocking the signal), compute and make quick calls, from another process: the handler
 * runs, nothing stays pending at the end, and no call is lost or done twice (a signal may
 * wake one thread and be taken by another, which then restarts its call).
 */
#include "cf.h"
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/wait.h>

static atomic_int hits;
static int pfd[2];
static atomic_int stop;
static atomic_long calls;

static void on_usr1(int s) { (void)s; atomic_fetch_add(&hits, 1); }

static void
mask(int how)
{
	sigset_t m;
	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	pthread_sigmask(how, &m, NULL);
}

static void *
poller(void *arg)
{
	mask((long)arg % 2 ? SIG_BLOCK : SIG_UNBLOCK);
	while (!stop) {
		struct pollfd p = { .fd = pfd[0], .events = POLLIN };
		poll(&p, 1, 5);
	}
	return NULL;
}

/* Reads one byte (a restartable call held in the sandbox while it waits). */
static int rfd[2];

static void *
reader(void *arg)
{
	char ch = 0;
	(void)arg;
	mask(SIG_UNBLOCK);
	ssize_t n = read(rfd[0], &ch, 1);
	return (void *)(long)(n == 1 ? ch : -1);
}

/* Computes and counts its getppid calls; each must return the same. */
static void *
spinner(void *arg)
{
	(void)arg;
	pid_t pp = getppid();
	long bad = 0;
	mask(SIG_UNBLOCK);
	while (!stop) {
		for (volatile int i = 0; i < 20000; i++)
			;
		if (getppid() != pp)
			bad++;
		atomic_fetch_add(&calls, 1);
	}
	return (void *)bad;
}

int
main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_RESTART };
	sigaction(SIGUSR1, &sa, NULL);
	pipe(pfd);
	pipe(rfd);
	mask(SIG_BLOCK);
	pthread_t th[6], rd[2];
	for (int i = 0; i < 2; i++)
		pthread_create(&rd[i], NULL, reader, NULL);
	for (long i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, poller, (void *)i);
	for (int i = 4; i < 6; i++)
		pthread_create(&th[i], NULL, spinner, NULL);
	pid_t me = getpid(), c = fork();
	if (c == 0) {
		for (int i = 0; i < 3000; i++) {
			kill(me, SIGUSR1);
			if (i % 10 == 0)
				usleep(100);
		}
		_exit(0);
	}
	int st;
	waitpid(c, &st, 0);
	usleep(100000);
	stop = 1;
	long bad = 0;
	for (int i = 0; i < 6; i++) {
		void *r;
		pthread_join(th[i], &r);
		bad += (long)r;
	}
	write(rfd[1], "ab", 2);
	long got = 0;
	for (int i = 0; i < 2; i++) {
		void *r;
		pthread_join(rd[i], &r);
		got += (long)r;
	}
	printf("readers got one byte each: %s\n", got == 'a' + 'b' ? "yes" : "no");
	sigset_t p;
	sigpending(&p);
	printf("sender exited %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	printf("handler ran: %s\n", hits > 0 ? "yes" : "no");
	printf("still pending: %d\n", sigismember(&p, SIGUSR1));
	printf("spinners called: %s, wrong answers: %ld\n", calls > 0 ? "yes" : "no", bad);
	return 0;
}
