/*
 * The event loop: waits for stub events, dispatches trapped syscalls, re-runs blocked
 * ones when their host fd becomes ready, and ends when the first program exits.
 */
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>

#include "platform/platform.h"
#include "sentry/sentry.h"
#include "syscalls/syscalls.h"

static int sigchld_fd = -1;

static void
finish_syscall(struct task *t, long r)
{
	if (r == SYSRET_BLOCK) {
		t->state = TASK_BLOCKED;
		return;
	}
	t->state = TASK_RUNNING;
	t->wait_fd = -1;
	task_unwait(t);
	if (r == SYSRET_EXITED || !t->ctx)
		return;
	int err;
	if (r == SYSRET_NATIVE)
		err = plat_syscall_native(t->ctx);
	else if (r == SYSRET_DONE)
		err = plat_resume(t->ctx, 0);
	else
		err = plat_syscall_return(t->ctx, r);
	if (err && err != -ESRCH)
		log_debug("resume of task %d failed: %d", t->tid, err);
}

static void
run_syscall(struct task *t)
{
	const struct user_regs_struct *r = plat_regs(t->ctx);
	struct sysargs a = {
		.nr = (long)r->orig_rax,
		.a = { r->rdi, r->rsi, r->rdx, r->r10, r->r8, r->r9 },
		.rip = r->rip,
	};
	finish_syscall(t, sys_dispatch(t, &a));
}

static void
handle_event(struct plat_ctx *ctx, const struct plat_event *ev)
{
	struct task *t = plat_get_owner(ctx);

	if (!t) {
		if (ev->kind == PLAT_EV_EXIT)
			plat_release(ctx);
		else
			plat_resume(ctx, 0);
		return;
	}
	switch (ev->kind) {
	case PLAT_EV_SYSCALL:
		run_syscall(t);
		break;
	case PLAT_EV_SIGNAL:
		/* The host kernel delivers it with the disposition the guest installed. */
		plat_resume(ctx, ev->sig == SIGSTOP ? 0 : ev->sig);
		break;
	case PLAT_EV_EXIT:
		task_exit(t, ev->status);
		break;
	default:
		BUG_ON(1);
	}
}

/* Blocks until a blocked task's fd is ready or a stub has news; re-runs ready tasks. */
static void
wait_blocked(void)
{
	struct pollfd pfds[256];
	struct task *who[256], *t, *tmp;
	int n = 0;

	pfds[n].fd = sigchld_fd;
	pfds[n].events = POLLIN;
	who[n++] = NULL;
	HASH_ITER(hh, sentry.tasks, t, tmp) {
		if (t->state != TASK_BLOCKED || t->wait_fd < 0 || n == (int)ARRAY_SIZE(pfds))
			continue;
		pfds[n].fd = t->wait_fd;
		pfds[n].events = t->wait_events;
		who[n++] = t;
	}
	if (ppoll(pfds, n, NULL, NULL) < 0)
		return;
	if (pfds[0].revents) {
		struct signalfd_siginfo si;
		while (read(sigchld_fd, &si, sizeof(si)) == sizeof(si))
			;
	}
	for (int i = 1; i < n; i++)
		if (pfds[i].revents && who[i]->state == TASK_BLOCKED && who[i]->ctx)
			run_syscall(who[i]);
}

/* Tasks blocked on a host fd need ppoll; those on the sentry's own queues are woken by
 * other tasks' syscalls, which arrive through plat_wait. */
static bool
any_blocked_on_host(void)
{
	struct task *t, *tmp;

	HASH_ITER(hh, sentry.tasks, t, tmp)
		if (t->state == TASK_BLOCKED && t->wait_fd >= 0)
			return true;
	return false;
}

/* Re-runs the syscalls of woken tasks, and interrupts the first program's blocked call
 * for signals the host sent to `sandbox`. */
static void
run_woken(void)
{
	struct task *t;
	unsigned long sigs = host_signals_pending;

	if (sigs) {
		host_signals_pending = 0;
		for (int sig = 1; sig < 64; sig++)
			if ((sigs & (1UL << sig)) && sentry.init->state == TASK_BLOCKED)
				task_interrupt_for(sentry.init, sig);
	}
	while ((t = runq_pop()))
		if (t->state == TASK_BLOCKED && t->ctx)
			run_syscall(t);
}

int
sentry_loop(void)
{
	sigset_t chld;
	struct plat_ctx *ctx;
	struct plat_event ev;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	sigchld_fd = signalfd(-1, &chld, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sigchld_fd < 0)
		sentry_fatal("signalfd: %s", strerror(errno));

	while (sentry.init->state != TASK_ZOMBIE) {
		run_woken();
		if (sentry.init->state == TASK_ZOMBIE)
			break;
		if (!any_blocked_on_host()) {
			int err = plat_wait(&ctx, &ev, true);
			if (err == 0)
				handle_event(ctx, &ev);
			else if (err == -ECHILD)
				sentry_fatal("the first program's host process vanished");
			continue;
		}
		while (plat_wait(&ctx, &ev, false) == 0)
			handle_event(ctx, &ev);
		if (sentry.init->state != TASK_ZOMBIE && any_blocked_on_host())
			wait_blocked();
	}
	return sentry.init->exit_status;
}
