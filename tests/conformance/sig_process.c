/*
 * Process-directed signals in a process with several threads (signal(7)): a signal sent to
 * the process goes to a thread that does not block it (the main thread when it does not);
 * while every thread blocks it, it is pending for the whole process (each thread's
 * sigpending shows it, sigwaitinfo in any thread takes it, the first thread to unblock it
 * gets it); a fatal default action ends every thread. A thread-directed signal stays with
 * its thread. Senders: kill, sigqueue, SIGCHLD, setitimer, timer_create.
 * Safety timeouts only turn a missing delivery into a different line, never a hang.
 */
#include "cf.h"
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>

static volatile pid_t handler_tid;
static volatile sig_atomic_t handler_sig;
static pthread_barrier_t bar;
static int pfd[2];

static void
on_sig(int s)
{
	handler_tid = gettid();
	handler_sig = s;
}

static void
handle(int sig)
{
	struct sigaction sa = { .sa_handler = on_sig }; /* no SA_RESTART: reads end EINTR */
	sigaction(sig, &sa, NULL);
}

static void
mask(int how, int sig)
{
	sigset_t m;
	sigemptyset(&m);
	sigaddset(&m, sig);
	pthread_sigmask(how, &m, NULL);
}

static int
pending(int sig)
{
	sigset_t p;
	sigpending(&p);
	return sigismember(&p, sig);
}

static void
msleep(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Joins th; if it has not ended within 3 s (a signal went astray), unblock its read. */
static void
join(pthread_t th)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 3;
	if (pthread_timedjoin_np(th, NULL, &ts)) {
		printf("  (thread still waiting after 3 s)\n");
		write(pfd[1], "x", 1);
		pthread_join(th, NULL);
	}
}

/* The workers below take the signals that the main thread blocks. */
static void
unblock_all(void)
{
	mask(SIG_UNBLOCK, SIGUSR1);
	mask(SIG_UNBLOCK, SIGALRM);
	mask(SIG_UNBLOCK, SIGRTMIN);
	mask(SIG_UNBLOCK, SIGTERM);
}

static void
reset(void)
{
	handler_tid = 0;
	handler_sig = 0;
}

/* A thread blocked reading an empty pipe. */
static void *
reader(void *arg)
{
	const char *name = arg;
	char c;

	unblock_all();
	pthread_barrier_wait(&bar);
	errno = 0;
	ssize_t n = read(pfd[0], &c, 1);
	printf("%s: read %zd %s, handler sig %d in reader: %s\n", name, n, n < 0 ? en(errno) : "",
	       handler_sig, handler_tid == gettid() ? "yes" : "no");
	return NULL;
}

/* A thread computing without system calls until the handler ran. */
static void *
spinner(void *arg)
{
	const char *name = arg;
	double end = now() + 3;

	unblock_all();
	pthread_barrier_wait(&bar);
	while (!handler_sig && now() < end)
		;
	printf("%s: handler sig %d in spinner: %s\n", name, handler_sig,
	       handler_tid == gettid() ? "yes" : "no");
	return NULL;
}

/* A thread in nanosleep (which the handler interrupts). */
static void *
sleeper(void *arg)
{
	const char *name = arg;
	struct timespec ts = { 3, 0 };

	unblock_all();
	pthread_barrier_wait(&bar);
	errno = 0;
	int r = nanosleep(&ts, NULL);
	printf("%s: nanosleep %d %s, handler sig %d in sleeper: %s\n", name, r, r ? en(errno) : "",
	       handler_sig, handler_tid == gettid() ? "yes" : "no");
	return NULL;
}

static pid_t waiter_tid;

/* Every thread blocks SIGUSR2 (and SIGCHLD): pending, taken by sigwaitinfo here. */
static void *
waiter(void *arg)
{
	int sig = (int)(long)arg;
	siginfo_t si;
	sigset_t set;
	struct timespec ts = { 3, 0 };

	waiter_tid = gettid();
	pthread_barrier_wait(&bar);
	pthread_barrier_wait(&bar); /* the main thread sent it */
	printf("  pending in the other thread: %d\n", pending(sig));
	sigemptyset(&set);
	sigaddset(&set, sig);
	int r = sigtimedwait(&set, &si, &ts);
	printf("  sigtimedwait in the other thread: %d %s", r, r < 0 ? en(errno) : "");
	if (r == SIGUSR2)
		printf(" code %s value %d", si.si_code == SI_QUEUE ? "SI_QUEUE" :
		       si.si_code == SI_USER ? "SI_USER" : "other", si.si_value.sival_int);
	if (r == SIGCHLD)
		printf(" code %s status %d", si.si_code == CLD_EXITED ? "CLD_EXITED" : "other",
		       si.si_status);
	printf("\n");
	pthread_barrier_wait(&bar);
	return NULL;
}

/* Blocks sig, then unblocks it when told: the handler runs in this thread. */
static void *
unblocker(void *arg)
{
	int sig = (int)(long)arg;

	pthread_barrier_wait(&bar);
	pthread_barrier_wait(&bar); /* sent while every thread blocks it */
	printf("  pending before unblocking: %d\n", pending(sig));
	mask(SIG_UNBLOCK, sig);
	printf("  after unblocking: handler sig %d in this thread: %s\n", handler_sig,
	       handler_tid == gettid() ? "yes" : "no");
	return NULL;
}

/* pthread_kill while every thread blocks it: pending for that thread only. */
static void *
target(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&bar);
	pthread_barrier_wait(&bar);
	printf("  pending in the target thread: %d\n", pending(SIGUSR2));
	sigset_t set;
	int sig = -1;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigwait(&set, &sig);
	printf("  sigwait in the target thread: %d\n", sig);
	return NULL;
}

/* A thread in poll on the empty pipe (300 ms), with SIGUSR1 unblocked. */
static void *
poller(void *arg)
{
	(void)arg;
	struct pollfd p = { .fd = pfd[0], .events = POLLIN };

	mask(SIG_UNBLOCK, SIGUSR1);
	pthread_barrier_wait(&bar);
	errno = 0;
	int r = poll(&p, 1, 300);
	printf("  poller: poll %d %s, handler in poller: %s\n", r, r < 0 ? en(errno) : "",
	       handler_tid == gettid() ? "yes" : "no");
	return NULL;
}

/* With SIGUSR1 blocked, sends it to the process once the poller waits. */
static void *
sender(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&bar);
	msleep(100);
	kill(getpid(), SIGUSR1);
	return NULL;
}

/* The main thread waits in pthread_join (blocking SIGUSR1 or not) while another thread
 * sends SIGUSR1 to the process and a third polls. */
static void
join_case(void)
{
	pthread_t th[2];

	reset();
	sigset_t old, m;
	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &m, &old);
	pthread_create(&th[0], NULL, poller, NULL);
	pthread_create(&th[1], NULL, sender, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_join(th[1], NULL);
	pthread_join(th[0], NULL);
	printf("  handler in main: %s\n", handler_tid == gettid() ? "yes" : "no");
}

/* Reads the signalfd sfd (every thread blocks SIGUSR2). */
static int sfd;

static void *
sfd_reader(void *arg)
{
	(void)arg;
	struct pollfd p = { .fd = sfd, .events = POLLIN };
	struct signalfd_siginfo si;

	pthread_barrier_wait(&bar);
	int r = poll(&p, 1, 3000);
	ssize_t n = read(sfd, &si, sizeof(si));
	printf("  signalfd in the other thread: poll %d, read %s, signal %u %s\n", r,
	       n == sizeof(si) ? "one" : "none", n == sizeof(si) ? si.ssi_signo : 0,
	       n == sizeof(si) && si.ssi_code == SI_USER ? "SI_USER" : "");
	return NULL;
}

/* The child's main thread is gone: its last thread takes the signal. */
static void *
last_thread(void *arg)
{
	(void)arg;
	double end = now() + 3;
	while (!handler_sig && now() < end)
		;
	printf("  handler sig %d in the last thread: %s\n", handler_sig,
	       handler_tid == gettid() ? "yes" : "no");
	exit(0);
}

static void
run(void *(*fn)(void *), void *arg, void (*send)(void))
{
	pthread_t th;

	reset();
	pthread_create(&th, NULL, fn, arg);
	pthread_barrier_wait(&bar);
	msleep(100); /* the thread is inside its call */
	send();
	join(th);
}

static void send_usr1(void) { kill(getpid(), SIGUSR1); }
static void send_queue(void) { sigqueue(getpid(), SIGUSR1, (union sigval){ .sival_int = 7 }); }
static void
send_itimer(void)
{
	struct itimerval it = { .it_value = { 0, 20000 } };
	setitimer(ITIMER_REAL, &it, NULL);
}
static timer_t tid;
static void
send_timer(void)
{
	struct itimerspec its = { .it_value = { 0, 20000000 } };
	timer_settime(tid, 0, &its, NULL);
}

int
main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	pthread_barrier_init(&bar, NULL, 2);
	pipe(pfd);
	handle(SIGUSR1);
	handle(SIGALRM);
	handle(SIGRTMIN);

	/* the main thread blocks it: a thread that does not takes it */
	mask(SIG_BLOCK, SIGUSR1);
	printf("kill, main blocks, other reads a pipe:\n");
	run(reader, "  reader", send_usr1);
	printf("sigqueue, main blocks, other computes:\n");
	run(spinner, "  spinner", send_queue);
	printf("kill, main blocks, other sleeps:\n");
	run(sleeper, "  sleeper", send_usr1);
	printf("  pending in main afterwards: %d\n", pending(SIGUSR1));
	mask(SIG_UNBLOCK, SIGUSR1);

	mask(SIG_BLOCK, SIGALRM);
	printf("setitimer, main blocks, other reads a pipe:\n");
	run(reader, "  reader", send_itimer);
	mask(SIG_UNBLOCK, SIGALRM);

	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGRTMIN };
	timer_create(CLOCK_MONOTONIC, &ev, &tid);
	mask(SIG_BLOCK, SIGRTMIN);
	printf("timer_create, main blocks, other sleeps:\n");
	run(sleeper, "  sleeper", send_timer);
	mask(SIG_UNBLOCK, SIGRTMIN);
	timer_delete(tid);

	/* the main thread does not block it: the main thread takes it */
	printf("kill, nobody blocks, main thread sends:\n");
	reset();
	kill(getpid(), SIGUSR1);
	printf("  handler sig %d in main: %s\n", handler_sig, handler_tid == gettid() ? "yes" : "no");

	/* sent by a third thread while the main thread waits in pthread_join */
	printf("kill from another thread, main joins and blocks it, a third polls:\n");
	mask(SIG_BLOCK, SIGUSR1);
	join_case();
	mask(SIG_UNBLOCK, SIGUSR1);
	printf("kill from another thread, main joins, a third polls:\n");
	join_case();

	/* every thread blocks it: pending for the process */
	pthread_t th;
	mask(SIG_BLOCK, SIGUSR2);
	printf("sigqueue while every thread blocks it:\n");
	pthread_create(&th, NULL, waiter, (void *)(long)SIGUSR2);
	pthread_barrier_wait(&bar);
	sigqueue(getpid(), SIGUSR2, (union sigval){ .sival_int = 42 });
	printf("  pending in main: %d\n", pending(SIGUSR2));
	pthread_barrier_wait(&bar);
	pthread_barrier_wait(&bar);
	printf("  pending in main after: %d\n", pending(SIGUSR2));
	pthread_join(th, NULL);

	mask(SIG_BLOCK, SIGCHLD);
	printf("SIGCHLD while every thread blocks it:\n");
	pthread_create(&th, NULL, waiter, (void *)(long)SIGCHLD);
	pthread_barrier_wait(&bar);
	pid_t c = fork();
	if (c == 0)
		_exit(7);
	waitid(P_PID, c, NULL, WEXITED | WNOWAIT);
	msleep(50);
	printf("  pending in main: %d\n", pending(SIGCHLD));
	pthread_barrier_wait(&bar);
	pthread_barrier_wait(&bar);
	printf("  pending in main after: %d\n", pending(SIGCHLD));
	waitpid(c, NULL, 0);
	pthread_join(th, NULL);
	mask(SIG_UNBLOCK, SIGCHLD);

	mask(SIG_BLOCK, SIGUSR1);
	printf("kill while every thread blocks it, then one unblocks:\n");
	reset();
	pthread_create(&th, NULL, unblocker, (void *)(long)SIGUSR1);
	pthread_barrier_wait(&bar);
	kill(getpid(), SIGUSR1);
	printf("  pending in main: %d\n", pending(SIGUSR1));
	pthread_barrier_wait(&bar);
	pthread_join(th, NULL);
	printf("  pending in main after: %d\n", pending(SIGUSR1));
	mask(SIG_UNBLOCK, SIGUSR1);

	printf("pthread_kill while every thread blocks it:\n");
	pthread_create(&th, NULL, target, NULL);
	pthread_barrier_wait(&bar);
	pthread_kill(th, SIGUSR2);
	printf("  pending in main: %d\n", pending(SIGUSR2));
	pthread_barrier_wait(&bar);
	pthread_join(th, NULL);
	mask(SIG_UNBLOCK, SIGUSR2);

	printf("signalfd read in another thread while every thread blocks it:\n");
	sigset_t m2;
	sigemptyset(&m2);
	sigaddset(&m2, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &m2, NULL);
	sfd = signalfd(-1, &m2, 0);
	pthread_create(&th, NULL, sfd_reader, NULL);
	pthread_barrier_wait(&bar);
	msleep(100);
	kill(getpid(), SIGUSR2);
	pthread_join(th, NULL);
	close(sfd);
	printf("  pending in main after: %d\n", pending(SIGUSR2));
	pthread_sigmask(SIG_UNBLOCK, &m2, NULL);

	printf("kill after the main thread exited:\n");
	c = fork();
	if (c == 0) {
		reset();
		pthread_create(&th, NULL, last_thread, NULL);
		pthread_exit(NULL);
	}
	msleep(100);
	kill(c, SIGUSR1);
	int st;
	waitpid(c, &st, 0);
	printf("  child exited %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);

	/* a fatal default action taken by another thread ends the whole process */
	printf("SIGTERM, main blocks it, other reads a pipe:\n");
	c = fork();
	if (c == 0) {
		mask(SIG_BLOCK, SIGTERM);
		pthread_create(&th, NULL, reader, "  child reader");
		pthread_barrier_wait(&bar);
		msleep(100);
		kill(getpid(), SIGTERM);
		msleep(3000);
		_exit(0);
	}
	waitpid(c, &st, 0);
	if (WIFSIGNALED(st))
		printf("  child killed by signal %d\n", WTERMSIG(st));
	else
		printf("  child exited %d\n", WEXITSTATUS(st));
	return 0;
}
