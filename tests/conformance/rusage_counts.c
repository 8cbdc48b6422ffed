/*
 * The rusage counters beyond CPU time: a child that touches 2048 fresh pages shows over
 * 1000 minor faults in wait4's rusage and in RUSAGE_CHILDREN, and voluntary context
 * switches after sleeping; a grandchild's faults count once its parent has reaped it;
 * faults made before an execve still count for the process (RUSAGE_SELF after it, and the
 * parent's wait4); RUSAGE_SELF and RUSAGE_THREAD grow with the caller's own touching.
 * Only relations are printed.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGES 2048

/* Touches PAGES fresh pages (no huge pages: one fault each). */
static void
touch(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, PAGES * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		exit(2);
	madvise(p, PAGES * pg, MADV_NOHUGEPAGE);
	for (long i = 0; i < PAGES; i++)
		p[i * pg] = 1;
}

static void
naps(void)
{
	for (int i = 0; i < 3; i++) {
		struct timespec ts = { 0, 2000000 };
		nanosleep(&ts, NULL);
	}
}

int
main(int argc, char **argv)
{
	struct rusage ru, ch, self0, self1, th;
	int st;

	if (argc > 1 && !strcmp(argv[1], "after-exec")) {
		/* the image before this execve touched the pages */
		getrusage(RUSAGE_SELF, &ru);
		printf("after execve: RUSAGE_SELF minflt > 1000: %s\n", ru.ru_minflt > 1000 ? "yes" : "no");
		return 0;
	}
	getrusage(RUSAGE_CHILDREN, &ch);
	printf("children before: minflt 0: %s, nvcsw 0: %s\n", ch.ru_minflt == 0 ? "yes" : "no",
	       ch.ru_nvcsw == 0 ? "yes" : "no");

	pid_t c = fork();
	if (c == 0) {
		touch();
		naps();
		_exit(0);
	}
	printf("wait4: %s\n", wait4(c, &st, 0, &ru) == c ? "child" : "other");
	printf("wait4 minflt > 1000: %s\n", ru.ru_minflt > 1000 ? "yes" : "no");
	printf("wait4 nvcsw > 0: %s\n", ru.ru_nvcsw > 0 ? "yes" : "no");
	getrusage(RUSAGE_CHILDREN, &ch);
	printf("RUSAGE_CHILDREN minflt > 1000: %s\n", ch.ru_minflt > 1000 ? "yes" : "no");
	printf("RUSAGE_CHILDREN nvcsw > 0: %s\n", ch.ru_nvcsw > 0 ? "yes" : "no");
	printf("RUSAGE_CHILDREN = wait4's: %s\n",
	       ch.ru_minflt == ru.ru_minflt && ch.ru_nvcsw == ru.ru_nvcsw ? "yes" : "no");

	/* a grandchild, reaped by the child: counted in the child's wait4 and in ours */
	long before = ch.ru_minflt;
	c = fork();
	if (c == 0) {
		pid_t g = fork();
		if (g == 0) {
			touch();
			_exit(0);
		}
		waitpid(g, NULL, 0);
		_exit(0);
	}
	wait4(c, &st, 0, &ru);
	printf("child with grandchild, wait4 minflt > 1000: %s\n", ru.ru_minflt > 1000 ? "yes" : "no");
	getrusage(RUSAGE_CHILDREN, &ch);
	printf("RUSAGE_CHILDREN grew by > 1000: %s\n", ch.ru_minflt - before > 1000 ? "yes" : "no");

	/* an unreaped grandchild does not count; reparented to us (a subreaper) and reaped, it does */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	before = ch.ru_minflt;
	int go[2];
	pipe(go);
	c = fork();
	if (c == 0) {
		if (fork() == 0) {
			close(go[1]);
			touch();
			char b;
			read(go[0], &b, 1); /* until the parent has looked */
			_exit(0);
		}
		_exit(0);
	}
	wait4(c, &st, 0, &ru);
	getrusage(RUSAGE_CHILDREN, &ch);
	printf("unreaped grandchild not counted: %s\n", ch.ru_minflt - before < 1000 ? "yes" : "no");
	close(go[1]);
	printf("orphan reaped: %s\n", waitpid(-1, &st, 0) > 0 ? "yes" : "no");
	getrusage(RUSAGE_CHILDREN, &ch);
	printf("then counted: %s\n", ch.ru_minflt - before > 1000 ? "yes" : "no");

	/* faults before an execve count for the process */
	fflush(stdout);
	c = fork();
	if (c == 0) {
		touch();
		execl("/proc/self/exe", argv[0], "after-exec", (char *)NULL);
		_exit(127);
	}
	wait4(c, &st, 0, &ru);
	printf("execve child exit: %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	printf("execve child wait4 minflt > 1000: %s\n", ru.ru_minflt > 1000 ? "yes" : "no");

	/* the caller's own */
	getrusage(RUSAGE_SELF, &self0);
	touch();
	getrusage(RUSAGE_SELF, &self1);
	getrusage(RUSAGE_THREAD, &th);
	printf("RUSAGE_SELF grew by > 1000: %s\n", self1.ru_minflt - self0.ru_minflt > 1000 ? "yes" : "no");
	printf("RUSAGE_THREAD minflt > 1000: %s\n", th.ru_minflt > 1000 ? "yes" : "no");
	printf("RUSAGE_SELF maxrss >= RUSAGE_THREAD's minflt pages: %s\n",
	       self1.ru_maxrss * 1024 >= (long)PAGES * sysconf(_SC_PAGESIZE) ? "yes" : "no");
	return 0;
}
