/*
 * Signals and time. Dispositions, masks and timers live in the stub's host kernel, so the
 * host builds signal frames and rt_sigreturn runs natively (DESIGN.md); the sentry vets the
 * arguments that name other tasks.
 */
#include <signal.h>
#include <time.h>

#include "syscalls/internal.h"

/* Calls that only affect the calling thread's own signal or timer state. */
SYSCALL(sig_native)
{
	return SYSRET_NATIVE;
}

SYSCALL(rt_sigqueueinfo)
{
	int pid = (int)a->a[0], sig = (int)a->a[1];
	if (sig < 0 || sig > 64)
		return -EINVAL;
	if (pid != t->tgid)
		return -ESRCH;
	return sig ? task_signal(t, sig) : 0;
}

SYSCALL(rt_tgsigqueueinfo)
{
	int tgid = (int)a->a[0], tid = (int)a->a[1], sig = (int)a->a[2];
	if (sig < 0 || sig > 64)
		return -EINVAL;
	if (tgid != t->tgid || tid != t->tid)
		return -ESRCH;
	return sig ? task_signal(t, sig) : 0;
}

/* SIGEV_THREAD_ID names a tid: only the caller's own (virtual) tid is accepted. */
SYSCALL(timer_create)
{
	struct sigevent ev;
	if (a->a[1]) {
		if (copy_from_guest(t, &ev, a->a[1], sizeof(ev)))
			return -EFAULT;
		if ((ev.sigev_notify & SIGEV_THREAD_ID) && ev._sigev_un._tid != t->tid)
			return -EINVAL;
		if (ev.sigev_notify & SIGEV_THREAD_ID)
			return -EINVAL; /* host tid differs from the virtual one; not yet translated */
	}
	return SYSRET_NATIVE;
}
