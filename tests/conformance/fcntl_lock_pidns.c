/* F_GETLK names the lock's owner by its pid in the caller's pid namespace: 0 for an owner
 * outside it (a parent above a CLONE_NEWPID child), the inner number (1 for the
 * namespace's init) seen from inside, the outer one seen from above. Run as root. */
#include "cf.h"
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>

static int pfd[2], qfd[2];	/* child -> parent: "locked"; parent -> child: "done" */

static void
getlk(const char *label, int fd, off_t start, off_t len, pid_t expect)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = start, .l_len = len };
	int r = fcntl(fd, F_GETLK, &fl);
	printf("%s: %d %s type %s l_pid==expected %s\n", label, r, r < 0 ? en(errno) : "",
	       fl.l_type == F_WRLCK ? "WRLCK" : fl.l_type == F_UNLCK ? "UNLCK" : "other",
	       fl.l_pid == expect ? "yes" : "no");
}

static int
child(void *arg)
{
	char c;
	int fd = open(arg, O_RDWR);
	getlk("inner: parent's lock", fd, 0, 40, 0);
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 100, .l_len = 10 };
	OK("inner: F_SETLK 100..110", fcntl(fd, F_SETLK, &fl));
	pid_t g = fork();
	if (g == 0) {
		int fd2 = open(arg, O_RDWR);
		getlk("grandchild: init's lock", fd2, 100, 10, 1);
		getlk("grandchild: parent's lock", fd2, 0, 40, 0);
		_exit(0);
	}
	waitpid(g, NULL, 0);
	fflush(stdout);
	write(pfd[1], "x", 1);
	read(qfd[0], &c, 1);
	return 0;
}

int
main(void)
{
	static char stack[65536] __attribute__((aligned(16)));
	char c;
	int st;

	cf_init();
	setvbuf(stdout, NULL, _IONBF, 0);
	int fd = open("f", O_RDWR | O_CREAT, 0644);
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 40 };
	OK("F_SETLK 0..40", fcntl(fd, F_SETLK, &fl));
	pipe(pfd);
	pipe(qfd);
	char path[300];
	snprintf(path, sizeof(path), "%s/f", cf_dir);
	pid_t p = clone(child, stack + sizeof(stack), CLONE_NEWPID | SIGCHLD, path);
	if (p < 0) {
		printf("clone: %s\n", en(errno));
		return 1;
	}
	read(pfd[0], &c, 1);
	getlk("outer: child's lock", fd, 100, 10, p);
	write(qfd[1], "x", 1);
	waitpid(p, &st, 0);
	printf("child status %d\n", st);
	return 0;
}
