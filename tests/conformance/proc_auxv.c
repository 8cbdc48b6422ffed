/* /proc/self/auxv (what debuggers read to find a PIE's load address): the same pairs as
 * getauxval, AT_NULL last; a child's after fork is its parent's. */
#include "cf.h"
#include <sys/auxv.h>
#include <sys/wait.h>

static int
check(const char *path)
{
	unsigned long av[128];
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		printf("%s: %s\n", path, en(errno));
		return 1;
	}
	ssize_t n = read(fd, av, sizeof(av));
	close(fd);
	int pairs = (int)(n / 16), bad = 0, seen_entry = 0;
	for (int i = 0; i < pairs; i++) {
		unsigned long k = av[2 * i], v = av[2 * i + 1];
		if (k == AT_NULL) {
			printf("AT_NULL last: %s\n", i == pairs - 1 ? "yes" : "no");
			break;
		}
		if (k == AT_ENTRY || k == AT_PHDR || k == AT_PAGESZ || k == AT_BASE ||
		    k == AT_RANDOM || k == AT_UID || k == AT_PHNUM)
			bad += getauxval(k) != v;
		seen_entry |= k == AT_ENTRY;
	}
	printf("whole pairs: %s, AT_ENTRY there: %s, values as getauxval: %s\n",
	       n % 16 == 0 ? "yes" : "no", seen_entry ? "yes" : "no", bad ? "no" : "yes");
	return 0;
}

int
main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	check("/proc/self/auxv");
	pid_t pid = fork();
	if (pid == 0)
		_exit(check("/proc/self/auxv"));
	int st;
	waitpid(pid, &st, 0);
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/auxv", pid);
	R("a reaped child's", open(path, O_RDONLY) >= 0);
	return 0;
}
