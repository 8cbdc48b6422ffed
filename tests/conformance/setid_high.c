/*
 * uid and gid arguments are unsigned 32-bit: only (uid_t)-1 means "unchanged", and
 * 4294967294 ((uid_t)-2, stress-ng's set stressor) is an ordinary id: root may take it,
 * others get EPERM, not EINVAL. Each case runs in a child (it gives up root).
 */
#include "cf.h"
#include <sys/wait.h>

#define HIGH 4294967294u

static void
in_child(const char *label, int (*fn)(void))
{
	int st = 0;
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn());
	waitpid(pid, &st, 0);
	printf("%s: %d\n", label, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

static void
show(const char *label, long r)
{
	printf("  %s: %s\n", label, r < 0 ? en(errno) : "0");
}

static int
as_root(void)
{
	uid_t r, e, s;
	gid_t gr, ge, gs;

	show("setresgid(HIGH, -1, -1)", setresgid(HIGH, -1, -1));
	show("setregid(-1, HIGH)", setregid(-1, HIGH));
	show("setgid(HIGH)", setgid(HIGH));
	getresgid(&gr, &ge, &gs);
	printf("  gids are HIGH: %s\n", gr == HIGH && ge == HIGH && gs == HIGH ? "yes" : "no");
	show("setresuid(-1, -1, HIGH)", setresuid(-1, -1, HIGH));
	show("setreuid(HIGH, -1)", setreuid(HIGH, -1));
	getresuid(&r, &e, &s);
	printf("  uids: real HIGH %s, effective 0 %s, saved HIGH %s\n", r == HIGH ? "yes" : "no",
	       e == 0 ? "yes" : "no", s == HIGH ? "yes" : "no");
	show("setuid(HIGH)", setuid(HIGH));
	printf("  euid is HIGH: %s\n", geteuid() == HIGH ? "yes" : "no");
	return 0;
}

static int
as_nobody(void)
{
	if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
		return 1;
	show("setresuid(65534, 65534, HIGH)", setresuid(65534, 65534, HIGH));
	show("setresgid(65534, HIGH, 65534)", setresgid(65534, HIGH, 65534));
	show("setregid(HIGH, 65534)", setregid(HIGH, 65534));
	show("setreuid(-1, HIGH)", setreuid(-1, HIGH));
	show("setuid(HIGH)", setuid(HIGH));
	show("setgid(HIGH)", setgid(HIGH));
	show("setresuid(-1, -1, -1)", setresuid(-1, -1, -1));
	show("setuid(-1)", setuid(-1));
	return 0;
}

int
main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (geteuid() != 0) {
		printf("not root\n");
		return 0;
	}
	in_child("as root", as_root);
	in_child("as nobody", as_nobody);
	return 0;
}
