/* prctl PR_SET_NAME/PR_GET_NAME and /proc/self/comm agree; truncation to 15 bytes. */
#include <sys/prctl.h>
#include "cf.h"

static void
comm(void)
{
	char b[64] = {0};
	int fd = open("/proc/self/comm", O_RDONLY);
	read(fd, b, sizeof(b) - 1);
	close(fd);
	printf("comm: %s", b);
}

int
main(void)
{
	char name[32] = {0};
	R("PR_GET_NAME", prctl(PR_GET_NAME, name));
	printf("name: %s\n", name);
	R("PR_SET_NAME short", prctl(PR_SET_NAME, "worker"));
	prctl(PR_GET_NAME, name);
	printf("name: %s\n", name);
	comm();
	R("PR_SET_NAME long", prctl(PR_SET_NAME, "a-very-long-thread-name"));
	memset(name, 0, sizeof(name));
	prctl(PR_GET_NAME, name);
	printf("name: %s (len %zu)\n", name, strlen(name));
	comm();
	R("PR_GET_DUMPABLE", prctl(PR_GET_DUMPABLE));
	R("PR_GET_NO_NEW_PRIVS is 0 or 1", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) >= 0);
	R("PR_SET_NAME bad pointer", prctl(PR_SET_NAME, (void *)1));
	R("PR_GET_PDEATHSIG", ({ int s = -1; prctl(PR_GET_PDEATHSIG, &s); s; }));
	return 0;
}
