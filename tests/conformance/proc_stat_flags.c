/* /proc/PID/stat's flags (field 9; ps's F column): PF_FORKNOEXEC (0x40) for a forked child
 * until it runs execve and for a thread, not for an exec'd program; PF_RANDOMIZE
 * (0x400000) with address randomization on; PF_SUPERPRIV (0x100) once the task used a
 * capability (a chown to another owner), not before, and not inherited by a fork. */
#include "cf.h"
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>

static unsigned long
flags_of(const char *path)
{
	char buf[1024];
	unsigned long f = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return ~0UL;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return ~0UL;
	buf[n] = 0;
	char *p = strrchr(buf, ')');
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %lu", &f) != 1)
		return ~0UL;
	return f;
}

static void
show(const char *what, unsigned long f)
{
	printf("%s: forknoexec %d superpriv %d\n", what, !!(f & 0x40), !!(f & 0x100));
}

static pid_t thread_tid;
static int thread_go;

static void *
thread_fn(void *arg)
{
	(void)arg;
	thread_tid = gettid();
	while (!__atomic_load_n(&thread_go, __ATOMIC_ACQUIRE))
		usleep(1000);
	return NULL;
}

int
main(void)
{
	char p[64];
	int pfd[2];

	cf_init();
	show("exec'd program", flags_of("/proc/self/stat"));
	char rnd[8] = "";
	int fd = open("/proc/sys/kernel/randomize_va_space", O_RDONLY);
	if (fd >= 0 && read(fd, rnd, sizeof(rnd) - 1) > 0)
		YN("PF_RANDOMIZE as randomize_va_space says",
		   !!(flags_of("/proc/self/stat") & 0x400000) == (rnd[0] != '0'));
	if (fd >= 0)
		close(fd);

	pthread_t th;
	pthread_create(&th, NULL, thread_fn, NULL);
	while (!__atomic_load_n(&thread_tid, __ATOMIC_ACQUIRE))
		usleep(1000);
	snprintf(p, sizeof(p), "/proc/self/task/%d/stat", thread_tid);
	show("thread", flags_of(p));
	__atomic_store_n(&thread_go, 1, __ATOMIC_RELEASE);
	pthread_join(th, NULL);

	/* a capability used: chown of a file of ours to another owner (CAP_CHOWN) */
	int f = open("file", O_CREAT | O_WRONLY, 0600);
	close(f);
	OK("chown to uid 1", chown("file", 1, 1));
	show("after the chown", flags_of("/proc/self/stat"));

	pipe(pfd);
	pid_t c = fork();
	if (c == 0) {
		char x;
		close(pfd[1]);
		read(pfd[0], &x, 1);
		_exit(0);
	}
	close(pfd[0]);
	snprintf(p, sizeof(p), "/proc/%d/stat", c);
	show("forked child", flags_of(p));
	close(pfd[1]);
	waitpid(c, NULL, 0);
	return 0;
}
