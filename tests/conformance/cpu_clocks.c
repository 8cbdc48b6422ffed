/* CPU clocks of a given process or thread (clock_getcpuclockid, pthread_getcpuclockid): ids that
 * encode a pid or tid, read with clock_gettime/clock_getres, slept on, timers on them. */
#include "cf.h"
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#define PROC_CLOCK(pid, which) ((clockid_t)((unsigned)~(pid) << 3 | (which)))
#define THREAD_CLOCK(tid, which) ((clockid_t)((unsigned)~(tid) << 3 | 4 | (which)))

static volatile int stop_spin;
static volatile pid_t thread_tid;

static long long
ns(struct timespec t)
{
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void *
spin(void *arg)
{
	(void)arg;
	thread_tid = gettid();
	while (!stop_spin)
		;
	return NULL;
}

static void
burn(void)
{
	volatile unsigned long x = 0;
	for (unsigned long i = 0; i < 20000000UL; i++)
		x += i;
}

int
main(void)
{
	struct timespec ts = { 0 }, res = { 0 };
	clockid_t c;
	pthread_t th;

	burn();
	R("clock_getcpuclockid self", clock_getcpuclockid(getpid(), &c));
	R("gettime own process clock", clock_gettime(c, &ts));
	YN("own process clock > 0", ns(ts) > 0);
	R("getres own process clock", clock_getres(c, &res));
	YN("resolution 1ns", ns(res) == 1);
	R("gettime process clock by tid of the caller", clock_gettime(PROC_CLOCK(gettid(), 2), &ts));
	R("gettime own process clock PROF", clock_gettime(PROC_CLOCK(getpid(), 0), &ts));
	R("gettime own process clock VIRT", clock_gettime(PROC_CLOCK(getpid(), 1), &ts));
	R("gettime pid 0 clock", clock_gettime(PROC_CLOCK(0, 2), &ts));
	R("gettime which 3 (clock fd 0)", syscall(SYS_clock_gettime, PROC_CLOCK(0, 3), &ts));
	R("gettime bad fd clock", syscall(SYS_clock_gettime, PROC_CLOCK(77, 3), &ts));
	R("gettime thread which 3", syscall(SYS_clock_gettime, THREAD_CLOCK(0, 3), &ts));
	R("gettime missing pid", syscall(SYS_clock_gettime, PROC_CLOCK(999999, 2), &ts));
	R("getres missing pid", syscall(SYS_clock_getres, PROC_CLOCK(999999, 2), &res));
	R("clock_getcpuclockid missing pid", clock_getcpuclockid(999999, &c));
	R("gettime bad pointer", syscall(SYS_clock_gettime, PROC_CLOCK(getpid(), 2), (void *)1));
	/* high bits of the register do not count: the kernel reads an int */
	R("gettime high bits", syscall(SYS_clock_gettime,
				       (long)(0x100000000UL | (unsigned)PROC_CLOCK(getpid(), 2)), &ts));

	/* a thread's clock, from its own process */
	stop_spin = 0;
	pthread_create(&th, NULL, spin, NULL);
	while (!thread_tid)
		;
	R("pthread_getcpuclockid", pthread_getcpuclockid(th, &c));
	R("gettime other thread", clock_gettime(c, &ts));
	R("gettime own thread by tid", clock_gettime(THREAD_CLOCK(gettid(), 2), &ts));
	YN("own thread clock > 0", ns(ts) > 0);
	R("gettime thread clock of the tid", clock_gettime(THREAD_CLOCK(thread_tid, 2), &ts));
	R("getres thread clock", clock_getres(THREAD_CLOCK(thread_tid, 2), &res));
	R("gettime process clock by other thread's tid",
	  syscall(SYS_clock_gettime, PROC_CLOCK(thread_tid, 2), &ts));
	errno = 0;
	R("nanosleep on own thread clock",
	  -clock_nanosleep(THREAD_CLOCK(gettid(), 2), 0, &(struct timespec){ 0, 1000 }, NULL));
	R("nanosleep on process clock", -clock_nanosleep(PROC_CLOCK(getpid(), 2), 0,
							 &(struct timespec){ 0, 1000000 }, NULL));
	timer_t tm;
	R("timer_create on process clock", timer_create(PROC_CLOCK(getpid(), 2), NULL, &tm));
	R("timer_delete", timer_delete(tm));
	R("timer_create on other thread clock", timer_create(THREAD_CLOCK(thread_tid, 2), NULL, &tm));
	R("timer_delete", timer_delete(tm));
	R("timer_create on missing pid clock", timer_create(PROC_CLOCK(999999, 2), NULL, &tm));
	stop_spin = 1;
	pthread_join(th, NULL);

	/* another process: its process clock yes, its thread clock no */
	int p[2];
	pipe(p);
	pid_t child = fork();
	if (child == 0) {
		char b;
		burn();
		close(p[1]);
		read(p[0], &b, 1);
		_exit(0);
	}
	R("gettime child process clock", clock_gettime(PROC_CLOCK(child, 2), &ts));
	R("clock_getcpuclockid child", clock_getcpuclockid(child, &c));
	R("gettime child thread clock", syscall(SYS_clock_gettime, THREAD_CLOCK(child, 2), &ts));
	R("getres child process clock", clock_getres(PROC_CLOCK(child, 2), &res));
	close(p[1]);
	waitpid(child, NULL, 0);
	R("gettime reaped child", syscall(SYS_clock_gettime, PROC_CLOCK(child, 2), &ts));
	return 0;
}
