<<<<<<< HEAD
/* /proc/self/auxv (what debuggers read to find a PIE's load address): the same pairs as
 * getauxval, AT_NULL last; a child's after fork is its parent's. */
=======
/* /proc/self/auxv: the auxiliary vector exec gave the program, as getauxval sees it: pairs
 * of words ending in AT_NULL, the same values for the keys every Linux passes, the same in
 * a forked child, and another user's is not readable. */
>>>>>>> progs2
#include "cf.h"
#include <sys/auxv.h>
#include <sys/wait.h>

static int
<<<<<<< HEAD
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
=======
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
>>>>>>> progs2
	return 0;
}

int
main(void)
{
<<<<<<< HEAD
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
=======
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
>>>>>>> progs2
	return 0;
}
