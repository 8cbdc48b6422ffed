/*
 * A process in a group stop: once its parent's waitpid(WUNTRACED) has reported the stop,
 * every one of its threads shows state T ("T (stopped)" in /proc/PID/status and
 * /proc/PID/task/TID/status, 'T' in the stat files): Linux reports the stop only when all
 * threads took part. A stopped process that gets SIGKILL dies as killed. ps and top read
 * these to show a stopped job.
 */
#include "cf.h"
#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>

static void *
sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

/* The file's text in buf (empty if it cannot be read). */
static void
slurp(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, size - 1) : -1;

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
}

/* The state letter of a stat file (the field after the parenthesised comm). */
static char
stat_state(const char *path)
{
	char buf[1024];

	slurp(path, buf, sizeof(buf));
	char *p = strrchr(buf, ')');
	return p && p[1] ? p[2] : '?';
}

static void
status_state(const char *path)
{
	char buf[4096];

	slurp(path, buf, sizeof(buf));
	char *s = strstr(buf, "State:\t"), *e = s ? strchr(s, '\n') : NULL;
	if (e)
		*e = '\0';
	printf("%s\n", s ? s : "no State line");
}

/* Every thread's state letters, in tid order (the leader first). */
static void
thread_states(pid_t pid)
{
	char path[128];
	struct dirent **ents;
	int n;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	n = scandir(path, &ents, NULL, versionsort);
	printf("threads:");
	for (int i = 0; i < n; i++) {
		if (ents[i]->d_name[0] != '.') {
			snprintf(path, sizeof(path), "/proc/%d/task/%s/stat", pid, ents[i]->d_name);
			printf(" %c", stat_state(path));
		}
		free(ents[i]);
	}
	printf("\n");
	if (n >= 0)
		free(ents);
}

int
main(void)
{
	int ready[2], st;
	char path[64];

	setvbuf(stdout, NULL, _IONBF, 0);
	if (pipe(ready) < 0)
		return 1;
	pid_t pid = fork();
	if (pid == 0) {
		pthread_t th;
		for (int i = 0; i < 3; i++)
			pthread_create(&th, NULL, sleeper, NULL);
		write(ready[1], "x", 1);
		sleeper(NULL);
	}
	char c;
	read(ready[0], &c, 1);
	OK("SIGSTOP", kill(pid, SIGSTOP));
	YN("stop reported", waitpid(pid, &st, WUNTRACED) == pid && WIFSTOPPED(st) &&
	   WSTOPSIG(st) == SIGSTOP);
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	status_state(path);
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	printf("stat: %c\n", stat_state(path));
	thread_states(pid);
	OK("SIGCONT", kill(pid, SIGCONT));
	YN("continue reported", waitpid(pid, &st, WCONTINUED) == pid && WIFCONTINUED(st));
	printf("stat after SIGCONT is not T: %s\n", stat_state(path) != 'T' ? "yes" : "no");
	OK("SIGTSTP", kill(pid, SIGTSTP));
	YN("TSTP stop reported", waitpid(pid, &st, WUNTRACED) == pid && WIFSTOPPED(st) &&
	   WSTOPSIG(st) == SIGTSTP);
	printf("stat: %c\n", stat_state(path));
	OK("SIGKILL", kill(pid, SIGKILL));
	YN("killed", waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	return 0;
}
