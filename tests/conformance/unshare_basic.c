/* unshare without namespaces: 0 is a no-op, unknown bits are EINVAL, CLONE_THREAD (and
 * CLONE_VM, CLONE_SIGHAND) fail with EINVAL in a multithreaded process, CLONE_FILES and
 * CLONE_FS give a child made with them a private table / cwd. */
#include "cf.h"
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>

static int gate[2];

static void *
thr(void *arg)
{
	char c;
	(void)arg;
	read(gate[0], &c, 1);
	return NULL;
}

int
main(void)
{
	int st;

	cf_init();
	R("unshare 0", unshare(0));
	R("unshare bit 0", unshare(1));
	R("unshare CLONE_THREAD, one thread", unshare(CLONE_THREAD));
	R("unshare CLONE_VM, one thread", unshare(CLONE_VM));
	R("unshare CLONE_FILES", unshare(CLONE_FILES));
	pipe(gate);
	pthread_t th;
	pthread_create(&th, NULL, thr, NULL);
	R("unshare CLONE_THREAD, two threads", unshare(CLONE_THREAD));
	R("unshare CLONE_SIGHAND, two threads", unshare(CLONE_SIGHAND));
	R("unshare CLONE_VM, two threads", unshare(CLONE_VM));
	write(gate[1], "x", 1);
	pthread_join(th, NULL);

	/* a child sharing our table and fs context unshares both */
	int p[2];
	pipe(p);
	long c = syscall(SYS_clone, CLONE_FILES | CLONE_FS | SIGCHLD, 0, 0, 0, 0);
	if (c == 0) {
		int r1 = unshare(CLONE_FILES);
		int r2 = unshare(CLONE_FS);
		int fd = open("/", O_RDONLY);
		chdir("/");
		char msg[2] = { (char)fd, (char)(r1 == 0 && r2 == 0) };
		write(p[1], msg, 2);
		_exit(0);
	}
	char msg[2];
	read(p[0], msg, 2);
	waitpid(c, &st, 0);
	YN("child's unshares", msg[1]);
	R("child's new fd not ours", fcntl(msg[0], F_GETFD));
	char cwd[512];
	YN("our cwd unchanged", getcwd(cwd, sizeof(cwd)) && strcmp(cwd, cf_dir) == 0);

	/* without unshare the same child's fd and chdir are ours */
	c = syscall(SYS_clone, CLONE_FILES | CLONE_FS | SIGCHLD, 0, 0, 0, 0);
	if (c == 0) {
		int fd = open("/", O_RDONLY);
		chdir("/");
		char m = (char)fd;
		write(p[1], &m, 1);
		_exit(0);
	}
	read(p[0], msg, 1);
	waitpid(c, &st, 0);
	YN("shared: child's fd is ours", fcntl(msg[0], F_GETFD) >= 0);
	YN("shared: our cwd moved", getcwd(cwd, sizeof(cwd)) && strcmp(cwd, "/") == 0);
	chdir(cf_dir);
	return 0;
}
