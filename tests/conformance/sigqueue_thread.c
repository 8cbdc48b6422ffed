/*
 * rt_sigqueueinfo with the id of a thread that is not the main one: Linux takes any
 * thread's id as naming its process (the signal goes to the process, its value intact).
 * A forged kill()/kernel si_code is refused for anyone but the calling thread itself.
 */
#include "cf.h"
#include <pthread.h>
#include <signal.h>

static volatile int got, value;
static volatile pid_t thread_tid;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int done;

static void
on_usr1(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	got++;
	value = si->si_value.sival_int;
}

static void *
thread_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&mu);
	thread_tid = gettid();
	pthread_cond_broadcast(&cv);
	while (!done)
		pthread_cond_wait(&cv, &mu);
	pthread_mutex_unlock(&mu);
	return NULL;
}

static long
queue(pid_t pid, int code, int val)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	si.si_signo = SIGUSR1;
	si.si_code = code;
	si.si_pid = getpid();
	si.si_uid = getuid();
	si.si_value.sival_int = val;
	return syscall(SYS_rt_sigqueueinfo, pid, SIGUSR1, &si);
}

int
main(void)
{
	struct sigaction sa = { .sa_sigaction = on_usr1, .sa_flags = SA_SIGINFO };
	sigset_t usr1, old;
	pthread_t th;

	setvbuf(stdout, NULL, _IONBF, 0);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	/* the thread blocks SIGUSR1 for good (it inherits the mask): only main takes it */
	pthread_sigmask(SIG_BLOCK, &usr1, &old);
	pthread_create(&th, NULL, thread_main, NULL);
	pthread_mutex_lock(&mu);
	while (!thread_tid)
		pthread_cond_wait(&cv, &mu);
	pthread_mutex_unlock(&mu);

	OK("rt_sigqueueinfo to the other thread's id (SI_QUEUE)", queue(thread_tid, SI_QUEUE, 777));
	pthread_sigmask(SIG_SETMASK, &old, NULL); /* taken here: the process's signal */
	printf("handled: %d value %d\n", got, value);
	OK("rt_sigqueueinfo to the other thread's id (SI_USER)", queue(thread_tid, SI_USER, 1));
	OK("rt_sigqueueinfo to the other thread's id (SI_TKILL)", queue(thread_tid, SI_TKILL, 1));
	OK("rt_sigqueueinfo to the own pid (SI_USER)", queue(getpid(), SI_USER, 5));
	printf("handled: %d value %d\n", got, value);
	OK("rt_sigqueueinfo to a missing id", queue(0x3ffffff0, SI_QUEUE, 1));

	pthread_mutex_lock(&mu);
	done = 1;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
	pthread_join(th, NULL);
	return 0;
}
