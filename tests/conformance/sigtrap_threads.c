/* SIGTRAP in a threaded process: creating threads (glibc blocks every signal around clone)
 * leaves the SIGTRAP handler in place, so an int3 and a kill still reach it, and a mask
 * that blocks SIGTRAP still blocks it afterwards (ppoll with a temporary mask, sigprocmask's
 * old set). Go's runtime.Breakpoint and its ignored-SIGTRAP handling rely on this. */
#include "cf.h"
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>

static volatile sig_atomic_t got, code;

static void
on_trap(int sig, siginfo_t *si, void *ctx)
{
	(void)sig;
	(void)ctx;
	got++;
	code = si->si_code;
}

static volatile int sleeper_ready;

/* It blocks SIGTRAP, so that a SIGTRAP for the process while the main thread blocks it
 * too stays pending until the main thread unblocks it. */
static void *
sleeper(void *arg)
{
	sigset_t trap;

	sigemptyset(&trap);
	sigaddset(&trap, SIGTRAP);
	pthread_sigmask(SIG_BLOCK, &trap, NULL);
	__atomic_store_n(&sleeper_ready, 1, __ATOMIC_SEQ_CST);
	for (;;)
		pause();
	return arg;
}

static void *
quick(void *arg)
{
	return arg;
}

static int
trap_blocked(void)
{
	sigset_t s;

	sigprocmask(SIG_BLOCK, NULL, &s);
	return sigismember(&s, SIGTRAP);
}

static int
trap_caught(void)
{
	struct sigaction sa;

	sigaction(SIGTRAP, NULL, &sa);
	return sa.sa_sigaction == on_trap;
}

int
main(void)
{
	struct sigaction sa = { .sa_sigaction = on_trap, .sa_flags = SA_SIGINFO };
	pthread_t t;
	sigset_t trap;

	cf_init();
	sigaction(SIGTRAP, &sa, NULL);
	pthread_create(&t, NULL, sleeper, NULL);
	while (!__atomic_load_n(&sleeper_ready, __ATOMIC_SEQ_CST))
		sched_yield();
	YN("handler kept after pthread_create", trap_caught());
	__asm__ volatile("int3");
	printf("int3: handled %d, si_code %d\n", (int)got, (int)code);
	kill(getpid(), SIGTRAP);
	printf("kill: handled %d, si_code %d\n", (int)got, (int)code);
	raise(SIGTRAP);
	printf("raise: handled %d, si_code %d\n", (int)got, (int)code);

	sigemptyset(&trap);
	sigaddset(&trap, SIGTRAP);
	sigprocmask(SIG_BLOCK, &trap, NULL);
	for (int i = 0; i < 4; i++) {
		pthread_t q;
		pthread_create(&q, NULL, quick, NULL);
		pthread_join(q, NULL);
	}
	YN("still blocked after more threads", trap_blocked());
	YN("handler kept while blocked", trap_caught());
	sigset_t none;
	sigemptyset(&none);
	struct timespec ts = { 0, 1000000 };
	R("ppoll with an empty mask", ppoll(NULL, 0, &ts, &none));
	YN("blocked again after ppoll", trap_blocked());
	sigset_t old;
	sigprocmask(SIG_BLOCK, NULL, &old);
	YN("old set says blocked", sigismember(&old, SIGTRAP));
	kill(getpid(), SIGTRAP);
	printf("kill while blocked: handled %d\n", (int)got);
	sigprocmask(SIG_UNBLOCK, &trap, NULL);
	printf("after unblocking: handled %d, si_code %d\n", (int)got, (int)code);
	return 0;
}
