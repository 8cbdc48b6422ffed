/*
 * fcntl(F_GETOWNER_UIDS): the real and effective uid of whoever last set the file's owner
 * (F_SETOWN, F_SETOWN_EX; clearing it keeps them), 0 and 0 before any, as the caller's user
 * namespace sees them (-1 where unmapped), EFAULT for a bad buffer.
 */
#include "cf.h"
#include <sched.h>
#include <sys/wait.h>

#ifndef F_GETOWNER_UIDS
#define F_GETOWNER_UIDS 17
#endif

static void
show(const char *label, int fd)
{
	unsigned int ids[2] = { 7, 7 };
	int r = fcntl(fd, F_GETOWNER_UIDS, ids);

	if (r < 0)
		printf("%s: -1 %s\n", label, en(errno));
	else
		printf("%s: %d uid %d euid %d\n", label, r, (int)ids[0], (int)ids[1]);
}

/* runs fn in a child and waits for it */
static void
child(void (*fn)(int), int fd)
{
	int st = 0;
	pid_t pid = fork();

	if (pid == 0) {
		fn(fd);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	R("child status", st);
}

static void
set_as_other(int fd)
{
	R("setresuid 123 456", setresuid(123, 456, 456));
	R("F_SETOWN as 123/456", fcntl(fd, F_SETOWN, getpid()));
}

static void
in_userns(int fd)
{
	R("unshare user", unshare(CLONE_NEWUSER));
	show("in an unmapped user namespace", fd);
}

int
main(void)
{
	struct f_owner_ex ex = { F_OWNER_PID, 0 };
	int p[2];

	setvbuf(stdout, NULL, _IONBF, 0);
	cf_init();
	R("pipe", pipe(p));
	show("no owner yet", p[0]);
	R("bad buffer", fcntl(p[0], F_GETOWNER_UIDS, (void *)8));
	child(set_as_other, p[0]);
	show("after a child's F_SETOWN", p[0]);
	R("F_SETOWN 0", fcntl(p[0], F_SETOWN, 0));
	show("after clearing", p[0]);
	child(in_userns, p[0]);
	ex.pid = getpid();
	R("F_SETOWN_EX", fcntl(p[0], F_SETOWN_EX, &ex));
	show("after F_SETOWN_EX", p[0]);
	show("write end", p[1]);
	return 0;
}
