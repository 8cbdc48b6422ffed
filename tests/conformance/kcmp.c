/* kcmp: which resources two tasks share (files, address space, fd table, fs context,
 * handlers, I/O context, undo list, an epoll's target) for threads, fork children and
 * clone children with CLONE_FILES/FS/IO/SYSVSEM, and its errors (ESRCH, EINVAL, EBADF,
 * ENOENT, EFAULT). Only equality is printed: the order of different ones is unspecified. */
#include "cf.h"
#include <linux/kcmp.h>
#include <pthread.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/wait.h>

static void
show(const char *label, long r)
{
	if (r < 0)
		printf("%s: -1 %s\n", label, en(errno));
	else
		printf("%s: %s\n", label, r == 0 ? "same" : (r == 1 || r == 2) ? "different" : "bad value");
}

static long
kcmp(pid_t a, pid_t b, int type, unsigned long i1, unsigned long i2)
{
	errno = 0;
	return syscall(SYS_kcmp, a, b, type, i1, i2);
}

/* a child made by clone(flags) that waits until it is killed (exit: it ends at once) */
static pid_t
child(unsigned long flags, int exit_now)
{
	pid_t pid = (pid_t)syscall(SYS_clone, flags | SIGCHLD, 0, 0, 0, 0);
	if (pid == 0) {
		if (exit_now)
			_exit(0);
		for (;;)
			pause();
	}
	return pid;
}

static void
reap(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static pthread_barrier_t bar;
static pid_t thread_tid;

static void *
thread_fn(void *arg)
{
	(void)arg;
	thread_tid = gettid();
	pthread_barrier_wait(&bar);
	pthread_barrier_wait(&bar);
	return NULL;
}

int
main(void)
{
	cf_init();
	pid_t me = getpid();
	int fa = open("a", O_CREAT | O_RDWR, 0644), fb = open("b", O_CREAT | O_RDWR, 0644);
	int fa2 = dup(fa);

	show("file self same fd", kcmp(me, me, KCMP_FILE, fa, fa));
	show("file dup", kcmp(me, me, KCMP_FILE, fa, fa2));
	show("file other open", kcmp(me, me, KCMP_FILE, fa, fb));
	show("file bad fd1", kcmp(me, me, KCMP_FILE, 999, fa));
	show("file bad fd2", kcmp(me, me, KCMP_FILE, fa, -1));
	show("vm self", kcmp(me, me, KCMP_VM, 0, 0));
	show("type -1", kcmp(me, me, -1, 0, 0));
	show("type TYPES", kcmp(me, me, KCMP_TYPES, 0, 0));
	show("no such pid", kcmp(me, 4194304, KCMP_VM, 0, 0));
	show("pid 0", kcmp(0, me, KCMP_VM, 0, 0));

	pid_t c0 = child(0, 0);
	show("fork file inherited", kcmp(me, c0, KCMP_FILE, fa, fa));
	show("fork file vs other", kcmp(me, c0, KCMP_FILE, fa, fb));
	show("fork vm", kcmp(me, c0, KCMP_VM, 0, 0));
	show("fork files", kcmp(me, c0, KCMP_FILES, 0, 0));
	show("fork fs", kcmp(me, c0, KCMP_FS, 0, 0));
	show("fork sighand", kcmp(me, c0, KCMP_SIGHAND, 0, 0));
	show("fork sysvsem (neither has one)", kcmp(me, c0, KCMP_SYSVSEM, 0, 0));

	pid_t c1 = child(CLONE_FILES | CLONE_FS, 0);
	show("clone_files files", kcmp(me, c1, KCMP_FILES, 0, 0));
	show("clone_fs fs", kcmp(me, c1, KCMP_FS, 0, 0));
	show("clone_files vm", kcmp(me, c1, KCMP_VM, 0, 0));
	pid_t c2 = child(CLONE_IO | CLONE_SYSVSEM, 0);
	show("clone_io io", kcmp(me, c2, KCMP_IO, 0, 0));
	show("clone_sysvsem sysvsem", kcmp(me, c2, KCMP_SYSVSEM, 0, 0));
	show("sysvsem vs plain fork now", kcmp(me, c0, KCMP_SYSVSEM, 0, 0));
	show("clone_sysvsem files", kcmp(me, c2, KCMP_FILES, 0, 0));
	pid_t c3 = child(CLONE_SYSVSEM, 0);
	show("two sysvsem children", kcmp(c2, c3, KCMP_SYSVSEM, 0, 0));

	/* a zombie: no files, no address space */
	pid_t z = child(0, 1);
	siginfo_t si;
	waitid(P_PID, z, &si, WEXITED | WNOWAIT);
	show("zombie file", kcmp(me, z, KCMP_FILE, fa, fa));
	show("zombie vm vs zombie", kcmp(z, z, KCMP_VM, 0, 0));
	waitpid(z, NULL, 0);
	show("reaped", kcmp(me, z, KCMP_VM, 0, 0));

	/* epoll targets */
	int ep = epoll_create1(0), pf[2];
	pipe(pf);
	struct epoll_event ev = { .events = EPOLLIN };
	epoll_ctl(ep, EPOLL_CTL_ADD, pf[0], &ev);
	epoll_ctl(ep, EPOLL_CTL_ADD, fa, &ev);
	struct { unsigned int efd, tfd, toff; } slot = { ep, pf[0], 0 };
	show("epoll target", kcmp(me, me, KCMP_EPOLL_TFD, pf[0], (unsigned long)&slot));
	show("epoll target other", kcmp(me, me, KCMP_EPOLL_TFD, fa, (unsigned long)&slot));
	slot.toff = 1;
	show("epoll toff 1", kcmp(me, me, KCMP_EPOLL_TFD, pf[0], (unsigned long)&slot));
	slot.toff = 0, slot.tfd = pf[1];
	show("epoll unwatched", kcmp(me, me, KCMP_EPOLL_TFD, pf[1], (unsigned long)&slot));
	slot.efd = fa, slot.tfd = pf[0];
	show("epoll not epoll", kcmp(me, me, KCMP_EPOLL_TFD, pf[0], (unsigned long)&slot));
	show("epoll fault", kcmp(me, me, KCMP_EPOLL_TFD, pf[0], (unsigned long)cf_unmapped()));
	slot.efd = ep;
	show("epoll child's inherited", kcmp(me, c0, KCMP_EPOLL_TFD, pf[0], (unsigned long)&slot));

	/* a thread shares everything */
	pthread_t th;
	pthread_barrier_init(&bar, NULL, 2);
	pthread_create(&th, NULL, thread_fn, NULL);
	pthread_barrier_wait(&bar);
	show("thread vm", kcmp(me, thread_tid, KCMP_VM, 0, 0));
	show("thread files", kcmp(me, thread_tid, KCMP_FILES, 0, 0));
	show("thread fs", kcmp(me, thread_tid, KCMP_FS, 0, 0));
	show("thread sighand", kcmp(me, thread_tid, KCMP_SIGHAND, 0, 0));
	show("thread sysvsem", kcmp(me, thread_tid, KCMP_SYSVSEM, 0, 0));
	show("thread file", kcmp(thread_tid, me, KCMP_FILE, fb, fb));
	pthread_barrier_wait(&bar);
	pthread_join(th, NULL);

	reap(c0);
	reap(c1);
	reap(c2);
	reap(c3);
	return 0;
}
