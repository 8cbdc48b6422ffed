/* The pids controller: a new cgroup's pids.max and pids.current, pids.max's parsing, and
 * fork and clone failing with EAGAIN at the limit, counted as tasks (threads too, zombies
 * until reaped). Natively on a host whose cgroup2 hierarchy lacks pids (a hybrid host) the
 * same files of the cgroup v1 pids hierarchy are used: the controller's rules are one.
 * Run as root. */
#include "cf.h"
#include "cf_mount.h"
#include "cf_cgroup.h"
#include <pthread.h>
#include <sys/wait.h>

/* This process's cgroup path in the hierarchy of controller ctl ("" for v2's). */
static void
own_path(const char *ctl, char *out, size_t n)
{
	char line[600];
	FILE *f = fopen("/proc/self/cgroup", "r");
	snprintf(out, n, "/");
	while (f && fgets(line, sizeof(line), f)) {
		char *a = strchr(line, ':'), *b = a ? strchr(a + 1, ':') : NULL;
		if (!b)
			continue;
		*b = 0;
		if (!strcmp(a + 1, ctl)) {
			b[1 + strcspn(b + 1, "\n")] = 0;
			snprintf(out, n, "%s", b + 1);
		}
	}
	if (f)
		fclose(f);
}

static bool
has_pids(const char *dir)
{
	char p[700], buf[256] = "";
	snprintf(p, sizeof(p), "%s/cgroup.controllers", dir);
	cf_read_text(p, buf, sizeof(buf));
	return strstr(buf, "pids") != NULL;
}

static void *
idle(void *arg)
{
	pause();
	return arg;
}

int
main(void)
{
	char self[512], base[600];
	cf_init();
	if (!cf_own_mounts())
		return 0;
	mkdir("cg", 0755);
	OK("mount cgroup2", mount("none", "cg", "cgroup2", 0, NULL));
	own_path("", self, sizeof(self));
	snprintf(base, sizeof(base), "%s/cg%s", cf_dir, strcmp(self, "/") ? self : "");
	if (has_pids(base)) {
		char p[700];
		snprintf(p, sizeof(p), "%s/cgroup.subtree_control", base);
		int fd = open(p, O_WRONLY);
		if (fd < 0 || write(fd, "+pids", 5) != 5)
			printf("+pids: %s\n", en(errno));
		close(fd);
	} else {
		own_path("pids", self, sizeof(self));
		snprintf(base, sizeof(base), "/sys/fs/cgroup/pids%s", strcmp(self, "/") ? self : "");
	}
	snprintf(cg, sizeof(cg), "%s/cfpids%d", base, getpid());
	OK("mkdir", mkdir(cg, 0755));
	show("pids.max", cg, "pids.max");
	show("pids.current", cg, "pids.current");
	OK("max -1", put("pids.max", "-1"));
	OK("max junk", put("pids.max", "12x"));
	OK("max huge", put("pids.max", "99999999999999999999"));
	OK("max 4194305", put("pids.max", "4194305"));
	OK("max 4194304", put("pids.max", "4194304\n"));
	show("pids.max now", cg, "pids.max");
	OK("max 0x10", put("pids.max", "0x10"));
	show("pids.max hex", cg, "pids.max");
	OK("max max", put("pids.max", "max"));
	show("pids.max back", cg, "pids.max");

	int sync[2], res[2];
	pipe(sync);
	pipe(res);
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		read(sync[0], &c, 1); /* moved by now */
		int out[4];
		pid_t a = fork();
		if (a == 0) {
			pause();
			_exit(0);
		}
		errno = 0;
		pid_t b = fork();          /* the third task: refused */
		out[0] = b < 0 ? errno : 0;
		if (b == 0)
			_exit(0);
		pthread_t th;
		out[1] = pthread_create(&th, NULL, idle, NULL); /* a thread is a task too */
		kill(a, SIGKILL);
		waitpid(a, NULL, 0);
		out[2] = pthread_create(&th, NULL, idle, NULL); /* room again: a thread */
		errno = 0;
		b = fork();                /* and now no room */
		out[3] = b < 0 ? errno : 0;
		if (b == 0)
			_exit(0);
		write(res[1], out, sizeof(out));
		read(sync[0], &c, 1);
		_exit(0);
	}
	char num[32];
	snprintf(num, sizeof(num), "%d", pid);
	OK("max 2", put("pids.max", "2"));
	OK("move in", put("cgroup.procs", num));
	show("pids.current moved", cg, "pids.current");
	write(sync[1], "x", 1);
	int out[4] = { -1, -1, -1, -1 };
	read(res[0], out, sizeof(out));
	printf("fork at the limit: %s\n", out[0] ? en(out[0]) : "ok");
	printf("thread at the limit: %s\n", out[1] ? en(out[1]) : "ok");
	printf("thread after a reap: %s\n", out[2] ? en(out[2]) : "ok");
	printf("fork then: %s\n", out[3] ? en(out[3]) : "ok");
	show("pids.current full", cg, "pids.current");
	OK("max lower than current", put("pids.max", "1"));
	show("pids.max lowered", cg, "pids.max");
	write(sync[1], "x", 1);
	int status;
	waitpid(pid, &status, 0);
	YN("child exited 0", WIFEXITED(status) && WEXITSTATUS(status) == 0);
	show("pids.current after", cg, "pids.current");
	OK("rmdir", rmdir(cg));
	umount("cg");
	return 0;
}
