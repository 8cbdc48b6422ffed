/* A process whose main thread left with pthread_exit while another thread lives on (gdb's
 * gdb.threads/non-ldr-exc-*.exp): the leader is a zombie ('Z' in /proc/PID/stat), a
 * /proc/PID/mem opened before still reads the memory the other thread keeps (thread_db
 * reads the threads' descriptors so), and SIGKILL for the process ends it. The sandbox
 * sent the kill to the leader's host thread alone, where a zombie never takes it, and
 * read through that thread: the kill's waitpid hung and the read failed with EIO. Then
 * the other thread runs execve: the new image is the leader, alive again. */
#include "cf.h"
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>

static volatile unsigned long value = 0x1234567890abcdefUL;

static void *
sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static int exec_go[2];

static void *
execer(void *arg)
{
	char c;

	(void)arg;
	read(exec_go[0], &c, 1);
	execl("/bin/sleep", "sleep", "30", (char *)NULL);
	_exit(127);
}

/* Waits (at most 2 s) until pid's stat shows state st, or its comm is comm. */
static void
wait_stat(pid_t pid, char st, const char *comm)
{
	char path[64], line[512];

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	for (int i = 0; i < 200; i++) {
		FILE *f = fopen(path, "r");
		char *r = NULL;
		line[0] = '\0';
		if (f && fgets(line, sizeof(line), f))
			r = strrchr(line, ')');
		if (f)
			fclose(f);
		if (r && ((st && r[2] == st) || (comm && strstr(line, comm))))
			return;
		usleep(10000);
	}
}

static void
leader_state(pid_t pid)
{
	char path[64], line[512] = "";

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	FILE *f = fopen(path, "r");
	if (f && fgets(line, sizeof(line), f)) {
		char *r = strrchr(line, ')');
		printf("leader state: %c\n", r ? r[2] : '?');
	}
	if (f)
		fclose(f);
}

int
main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	int ready[2], go[2];
	char c, path[64];

	if (pipe(ready) || pipe(go))
		return 1;
	pid_t pid = fork();
	if (pid == 0) {
		pthread_t th;
		pthread_create(&th, NULL, sleeper, NULL);
		write(ready[1], "r", 1);
		read(go[0], &c, 1);
		pthread_exit(NULL);
	}
	read(ready[0], &c, 1);
	snprintf(path, sizeof(path), "/proc/%d/mem", pid);
	int fd = FD("open mem", open(path, O_RDWR));
	unsigned long v = 0;
	R("pread", pread(fd, &v, 8, (off_t)(unsigned long)&value));
	YN("value", v == value);
	write(go[1], "g", 1);
	wait_stat(pid, 'Z', NULL); /* the leader's exit */
	leader_state(pid);
	v = 0;
	R("pread after the leader's exit", pread(fd, &v, 8, (off_t)(unsigned long)&value));
	YN("value", v == value);
	R("kill SIGKILL", kill(pid, SIGKILL));
	int st = 0;
	R("waitpid is the child", waitpid(pid, &st, 0) == pid);
	printf("status: %s\n", WIFSIGNALED(st) ? sigabbrev_np(WTERMSIG(st)) : "not signalled");

	/* the other thread's execve after the leader's exit: a live leader again */
	if (pipe(exec_go))
		return 1;
	pid = fork();
	if (pid == 0) {
		pthread_t th;
		pthread_create(&th, NULL, execer, NULL);
		write(ready[1], "r", 1);
		read(go[0], &c, 1);
		write(exec_go[1], "e", 1);
		pthread_exit(NULL);
	}
	read(ready[0], &c, 1);
	write(go[1], "g", 1);
	wait_stat(pid, 0, "(sleep)");
	char line[512] = "", *r = NULL;
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	FILE *f = fopen(path, "r");
	if (f && fgets(line, sizeof(line), f))
		r = strrchr(line, ')');
	if (f)
		fclose(f);
	YN("sleep runs, its leader no zombie", r && strstr(line, "(sleep)") && r[2] != 'Z');
	R("kill SIGKILL", kill(pid, SIGKILL));
	st = 0;
	R("waitpid is the child", waitpid(pid, &st, 0) == pid);
	printf("status: %s\n", WIFSIGNALED(st) ? sigabbrev_np(WTERMSIG(st)) : "not signalled");
	return 0;
}
