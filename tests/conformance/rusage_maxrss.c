/*
 * The peak RSS of children in wait4's rusage and getrusage(RUSAGE_CHILDREN): a child that
 * touches 48 MiB shows at least that; a grandchild's peak reaches its grandparent through
 * the child's wait. Prints thresholds, never sizes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define MIB (1024L * 1024)

static void
touch(long bytes)
{
	char *p = malloc(bytes);
	memset(p, 1, bytes);
	if (p[bytes - 1] != 1)
		abort();
}

int
main(void)
{
	struct rusage ru;
	int st;

	getrusage(RUSAGE_CHILDREN, &ru);
	printf("before any child: below 8 MiB %d\n", ru.ru_maxrss < 8 * 1024);
	pid_t c = fork();
	if (c == 0) {
		touch(48 * MIB);
		_exit(0);
	}
	wait4(c, &st, 0, &ru);
	printf("wait4: child peak >= 48 MiB %d\n", ru.ru_maxrss >= 48 * 1024);
	getrusage(RUSAGE_CHILDREN, &ru);
	printf("children: >= 48 MiB %d, below 80 MiB %d\n", ru.ru_maxrss >= 48 * 1024, ru.ru_maxrss < 80 * 1024);
	c = fork();
	if (c == 0) {
		pid_t g = fork();
		if (g == 0) {
			touch(96 * MIB);
			_exit(0);
		}
		waitpid(g, NULL, 0);
		_exit(0);
	}
	wait4(c, &st, 0, &ru);
	printf("wait4: a grandchild's 96 MiB peak shows through its parent %d\n", ru.ru_maxrss >= 96 * 1024);
	getrusage(RUSAGE_CHILDREN, &ru);
	printf("children: >= 96 MiB %d\n", ru.ru_maxrss >= 96 * 1024);
	return 0;
}
