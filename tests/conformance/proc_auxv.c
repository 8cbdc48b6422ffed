/* /proc/self/auxv: the auxiliary vector exec gave the program, as getauxval sees it: pairs
 * of words ending in AT_NULL, the same values for the keys every Linux passes, the same in
 * a forked child, and another user's is not readable. */
#include "cf.h"
#include <sys/auxv.h>
#include <sys/wait.h>

static int
check(const char *label)
{
	unsigned long v[128];
	int fd = open("/proc/self/auxv", O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, v, sizeof(v)) : -1;
	static const unsigned long keys[] = { AT_PHDR, AT_PHENT, AT_PHNUM, AT_PAGESZ, AT_ENTRY,
					      AT_UID, AT_EUID, AT_GID, AT_EGID, AT_RANDOM,
					      AT_EXECFN, AT_PLATFORM, AT_CLKTCK, AT_SECURE };
	int same = 0, found = 0;

	if (fd < 0) {
		printf("%s: open %s\n", label, en(errno));
		return 1;
	}
	close(fd);
	printf("%s: whole pairs: %s, ends with AT_NULL: %s\n", label,
	       n > 0 && n % (2 * sizeof(long)) == 0 ? "yes" : "no",
	       n >= 16 && v[n / sizeof(long) - 2] == AT_NULL ? "yes" : "no");
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
		for (ssize_t i = 0; i + 1 < n / (ssize_t)sizeof(long); i += 2)
			if (v[i] == keys[k]) {
				found++;
				same += v[i + 1] == getauxval(keys[k]);
				break;
			}
	printf("%s: keys found %d of %zu, equal to getauxval %d\n", label, found,
	       sizeof(keys) / sizeof(keys[0]), same);
	return 0;
}

int
main(void)
{
	int st;

	setvbuf(stdout, NULL, _IONBF, 0);
	check("self");
	pid_t c = fork();
	if (c == 0)
		_exit(check("child"));
	waitpid(c, &st, 0);
	struct stat sb;
	stat("/proc/self/auxv", &sb);
	printf("mode %o\n", sb.st_mode & 0777);
	return 0;
}
