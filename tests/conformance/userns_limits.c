/*
 * /proc/sys/user (Linux's ucounts): each user namespace's limits on the namespaces one
 * user may have in it and below it. A new user namespace starts with INT_MAX everywhere;
 * root there may lower them (0 to INT_MAX, else EINVAL); a namespace past a limit is
 * ENOSPC, one that ends gives its place back; the limit of a namespace holds for those
 * made in namespaces below it (counted for their creator up the chain).
 */
#include "cf.h"
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>

static void
put(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	if (fd < 0) {
		printf("open %s: %s\n", path, en(errno));
		return;
	}
	errno = 0;
	long r = write(fd, s, strlen(s));
	printf("write %s '%s': %s\n", strrchr(path, '/') + 1, s, r < 0 ? en(errno) : "ok");
	close(fd);
}

static void
show(const char *name)
{
	char p[96], b[64] = "";
	snprintf(p, sizeof p, "/proc/sys/user/%s", name);
	if (cf_read_text(p, b, sizeof b) < 0) {
		printf("%s: %s\n", name, en(errno));
		return;
	}
	printf("%s: %s", name, b);
}

/* Root of a new user namespace (our ids mapped to 0). */
static int
own_userns(void)
{
	char m[64];
	uid_t u = geteuid();
	gid_t g = getegid();
	if (unshare(CLONE_NEWUSER) < 0)
		return -1;
	snprintf(m, sizeof m, "0 %u 1", u);
	cf_write_value("/proc/self/uid_map", m);
	cf_write_value("/proc/self/setgroups", "deny");
	snprintf(m, sizeof m, "0 %u 1", g);
	cf_write_value("/proc/self/gid_map", m);
	return 0;
}

/* A child that makes the namespaces of flags and, if it could, holds them until killed;
 * returns its pid (0 when it could not: its errno printed). ENOSPC is tried again for up to
 * `patience` seconds: a namespace whose last task went is given back asynchronously (a
 * network namespace by a kernel worker, later on a loaded machine). */
static pid_t
holder_within(const char *label, int flags, int patience)
{
	int p[2];
	char c = 0;
	pid_t pid;

	for (int tries = patience * 50;; tries--) {
		pipe(p);
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			close(p[0]);
			c = unshare(flags) == 0 ? 'y' : (char)errno;
			write(p[1], &c, 1);
			if (c == 'y')
				pause();
			_exit(0);
		}
		close(p[1]);
		read(p[0], &c, 1);
		close(p[0]);
		if (c == 'y' || c != ENOSPC || tries <= 0)
			break;
		waitpid(pid, NULL, 0);
		usleep(20000);
	}
	printf("%s: %s\n", label, c == 'y' ? "made" : en(c));
	if (c == 'y')
		return pid;
	waitpid(pid, NULL, 0);
	return 0;
}

static pid_t
holder(const char *label, int flags)
{
	return holder_within(label, flags, 0);
}

static void
end(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
}

int
main(void)
{
	static const char *names[] = { "max_cgroup_namespaces", "max_inotify_instances",
				       "max_inotify_watches", "max_ipc_namespaces",
				       "max_mnt_namespaces", "max_net_namespaces",
				       "max_pid_namespaces", "max_time_namespaces",
				       "max_user_namespaces", "max_uts_namespaces" };
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (own_userns() < 0) {
		printf("no user namespace: %s\n", en(errno));
		return 0;
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		show(names[i]);
	put("/proc/sys/user/max_user_namespaces", "-1");
	put("/proc/sys/user/max_user_namespaces", "2147483648");
	put("/proc/sys/user/max_user_namespaces", "x");
	put("/proc/sys/user/max_user_namespaces", "1");
	show("max_user_namespaces");
	pid_t a = holder("first user namespace", CLONE_NEWUSER);
	pid_t b = holder("second while the first lives", CLONE_NEWUSER);
	end(a);
	a = holder_within("again once the first has gone", CLONE_NEWUSER, 10);
	end(a);
	end(b);
	put("/proc/sys/user/max_uts_namespaces", "0");
	b = holder("uts namespace with the limit 0", CLONE_NEWUTS);
	end(b);
	/* a limit here holds for namespaces made below: a network namespace made in a new
	 * user namespace counts here for its creator */
	put("/proc/sys/user/max_net_namespaces", "1");
	put("/proc/sys/user/max_user_namespaces", "10");
	a = holder("user and network namespace", CLONE_NEWUSER | CLONE_NEWNET);
	b = holder("another network namespace here", CLONE_NEWNET);
	end(a);
	end(b);
	b = holder_within("a network namespace once that went", CLONE_NEWNET, 10);
	end(b);
	return 0;
}
