/* build: dynamic */
/* args: one "two words" "" --three=3 */
/* argv echo (argv[0] as basename), CF_* environment variables, auxv basics. */
#include <sys/auxv.h>
#include "cf.h"

extern char **environ;

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
main(int argc, char **argv, char **envp)
{
	printf("argc: %d\n", argc);
	printf("argv[0] basename: %s\n", cf_base(argv[0]));
	for (int i = 1; i < argc; i++)
		printf("argv[%d]: [%s]\n", i, argv[i]);
	YN("argv[argc] == NULL", argv[argc] == NULL);
	YN("envp == environ", envp == environ);
	char *cf[64];
	int n = 0;
	for (char **e = environ; *e && n < 64; e++)
		if (!strncmp(*e, "CF_", 3))
			cf[n++] = *e;
	qsort(cf, n, sizeof(cf[0]), cmp);
	for (int i = 0; i < n; i++)
		printf("env: %s\n", cf[i]);
	printf("getenv CF_ENV1: %s\n", getenv("CF_ENV1") ? getenv("CF_ENV1") : "(null)");
	printf("getenv CF_MISSING: %s\n", getenv("CF_MISSING") ? "set" : "(null)");
	printf("AT_PAGESZ: %lu\n", getauxval(AT_PAGESZ));
	YN("AT_RANDOM set", getauxval(AT_RANDOM) != 0);
	YN("AT_PHDR set", getauxval(AT_PHDR) != 0);
	YN("AT_ENTRY set", getauxval(AT_ENTRY) != 0);
	YN("AT_BASE set (dynamic)", getauxval(AT_BASE) != 0);
	printf("AT_SECURE: %lu\n", getauxval(AT_SECURE));
	const char *fn = (const char *)getauxval(AT_EXECFN);
	printf("AT_EXECFN basename: %s\n", fn ? cf_base(fn) : "(null)");
	YN("AT_UID == getuid", getauxval(AT_UID) == getuid());
	YN("AT_EGID == getegid", getauxval(AT_EGID) == getegid());
	printf("AT_PHENT: %lu\n", getauxval(AT_PHENT));
	/* /proc/self/environ holds the same CF_ variables */
	int fd = open("/proc/self/environ", O_RDONLY);
	static char buf[65536];
	ssize_t len = fd >= 0 ? read(fd, buf, sizeof(buf)) : -1;
	int found = 0;
	for (ssize_t off = 0; off < len; off += strlen(buf + off) + 1)
		if (!strncmp(buf + off, "CF_", 3))
			found++;
	printf("/proc/self/environ CF_ count: %d\n", found);
	return 0;
}
