/* The text /proc/self/{setgroups,uid_map,gid_map} take after unshare(CLONE_NEWUSER), by
 * Linux's parsers: it ends at the first NUL (what follows is ignored and still counted as
 * written), "allow" or "deny" may be followed by white space only, setgroups takes fewer
 * than 8 bytes; setgroups(2) is EPERM once denied. Each case in a new user namespace. */
#include "cf.h"
#include <grp.h>
#include <sched.h>
#include <sys/wait.h>

static long
put(const char *file, const char *text, size_t n)
{
	int fd = open(file, O_WRONLY);
	if (fd < 0)
		return -1;
	long r = write(fd, text, n);
	int e = errno;
	close(fd);
	errno = e;
	return r;
}

/* Runs one write of n bytes of text to file in a child's new user namespace. */
static void
one(const char *file, const char *text, size_t n)
{
	char label[96];

	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		if (unshare(CLONE_NEWUSER) < 0)
			_exit(1);
		snprintf(label, sizeof(label), "%s %zu bytes", file, n);
		R(label, put(file, text, n));
		_exit(0);
	}
	waitpid(p, NULL, 0);
}

#define ONE(file, lit) one(file, lit, sizeof(lit) - 1)

int
main(void)
{
	char map[64];
	int st;

	setvbuf(stdout, NULL, _IONBF, 0);
	ONE("/proc/self/setgroups", "deny");
	ONE("/proc/self/setgroups", "deny\0");
	ONE("/proc/self/setgroups", "deny \n\t");
	ONE("/proc/self/setgroups", "deny \n\tx");
	ONE("/proc/self/setgroups", "deny   \n\t");
	ONE("/proc/self/setgroups", "denyx");
	ONE("/proc/self/setgroups", "deny\0x");
	ONE("/proc/self/setgroups", "allow\n");
	ONE("/proc/self/setgroups", "allowed");
	ONE("/proc/self/uid_map", "0 0 1\n\0 4 3");
	ONE("/proc/self/uid_map", "0 0 1\0junk");
	ONE("/proc/self/uid_map", "\0 0 0 1");
	ONE("/proc/self/gid_map", "0 0 1\n\0 4 3");

	/* a complete setup: deny, both maps with a NUL tail, then setgroups is EPERM */
	int uid = (int)geteuid(), gid = (int)getegid();
	pid_t p = fork();
	if (p == 0) {
		if (unshare(CLONE_NEWUSER) < 0)
			_exit(1);
		R("setgroups deny\\0", put("/proc/self/setgroups", "deny", 5));
		int n = snprintf(map, sizeof(map), "0 %d 1\n", uid) + 1;
		memcpy(map + n, "9 9", 4);
		R("uid_map with NUL tail", put("/proc/self/uid_map", map, (size_t)n + 3) - (n + 3));
		n = snprintf(map, sizeof(map), "0 %d 1", gid) + 1;
		R("gid_map with NUL tail", put("/proc/self/gid_map", map, (size_t)n) - n);
		R("getuid", getuid());
		R("getgid", getgid());
		R("setgroups(0)", setgroups(0, NULL));
		_exit(0);
	}
	waitpid(p, &st, 0);
	printf("child status %d\n", st);
	return 0;
}
