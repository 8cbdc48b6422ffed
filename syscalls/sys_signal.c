/*
 * Signals and time. Dispositions, masks and timers live in the stub's host kernel, so the
 * host builds signal frames and rt_sigreturn runs natively (DESIGN.md); the sentry vets the
 * arguments that name other tasks.
 */
#include <signal.h>
#include <time.h>

#include "platform/platform.h"
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

/* SIGEV_THREAD_ID names a thread of the caller's process by its virtual tid: the host needs
 * the host tid, so the call runs in the stub with a translated copy of the sigevent. */
SYSCALL(timer_create)
{
	struct sigevent ev;

	if (!a->a[1])
		return SYSRET_NATIVE;
	if (copy_from_guest(t, &ev, a->a[1], sizeof(ev)))
		return -EFAULT;
	if (!(ev.sigev_notify & SIGEV_THREAD_ID))
		return SYSRET_NATIVE;
	struct task *target = task_lookup(ev._sigev_un._tid);
	if (!target || target->tgid != t->tgid || !target->ctx)
		return -EINVAL;
	ev._sigev_un._tid = plat_host_pid(target->ctx);
	if (copy_to_guest(t, PLAT_STUB_SCRATCH, &ev, sizeof(ev)))
		return -EFAULT;
	return plat_inject(t->ctx, a->nr, a->a[0], PLAT_STUB_SCRATCH, a->a[2], 0, 0, 0);
}
