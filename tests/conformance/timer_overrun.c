/* POSIX timer overruns: a periodic timer whose signal stays pending queues it once; the
 * expiries meanwhile are its si_overrun (and timer_getoverrun's), also when a standard
 * signal of the same number was already pending and the timer's was lost. */
#include "cf.h"
#include <signal.h>
#include <time.h>

static void
nap(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static timer_t
make(int sig, struct sigevent *sev)
{
	timer_t tm;
	memset(sev, 0, sizeof(*sev));
	sev->sigev_notify = SIGEV_SIGNAL;
	sev->sigev_signo = sig;
	sev->sigev_value.sival_int = 42;
	timer_create(CLOCK_MONOTONIC, sev, &tm);
	return tm;
}

static void
set(timer_t tm, long ms)
{
	struct itimerspec its = { { ms / 1000, (ms % 1000) * 1000000L },
				  { ms / 1000, (ms % 1000) * 1000000L } };
	timer_settime(tm, 0, &its, NULL);
}

int
main(void)
{
	struct timespec zero = { 0, 0 };
	struct sigevent sev;
	sigset_t set1;
	siginfo_t si;
	int rt = SIGRTMIN + 2;

	sigemptyset(&set1);
	sigaddset(&set1, rt);
	sigaddset(&set1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set1, NULL);

	/* a real-time signal: queued once, not once per expiry */
	timer_t tm = make(rt, &sev);
	R("getoverrun before any", timer_getoverrun(tm));
	set(tm, 100);
	nap(500);
	sigset_t only;
	sigemptyset(&only);
	sigaddset(&only, rt);
	/* dequeued, read and disarmed at once, printed after: a loaded machine may not let
	 * the next expiry (100 ms on) come in between */
	int got = sigtimedwait(&only, &si, &zero);
	int over = timer_getoverrun(tm);
	set(tm, 0);
	R("sigtimedwait rt", got == rt);
	R("  SI_TIMER", si.si_code == SI_TIMER);
	R("  value", si.si_value.sival_int);
	YN("  overruns counted", si.si_overrun >= 2);
	YN("  getoverrun agrees", over == si.si_overrun);
	R("  only one was queued", sigtimedwait(&only, &si, &zero));
	R("  getoverrun after settime", timer_getoverrun(tm));
	timer_delete(tm);

	/* SIGUSR1 already pending: the timer's first signals are lost, overruns of the next */
	sigemptyset(&only);
	sigaddset(&only, SIGUSR1);
	syscall(SYS_tgkill, getpid(), gettid(), SIGUSR1);
	tm = make(SIGUSR1, &sev);
	set(tm, 100);
	nap(250);
	R("sigtimedwait usr1 (ours)", sigtimedwait(&only, &si, &zero) == SIGUSR1);
	YN("  not the timer's", si.si_code != SI_TIMER);
	nap(150);
	R("sigtimedwait usr1 again", sigtimedwait(&only, &si, &zero) == SIGUSR1);
	R("  SI_TIMER", si.si_code == SI_TIMER);
	YN("  the lost ones are overruns", si.si_overrun >= 2);
	timer_delete(tm);
	return 0;
}
