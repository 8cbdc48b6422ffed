/* Who owns a process's /proc files when it is not dumpable (Linux task_dump_owner): root,
 * but for the world-readable directories (mode 0555: the pid directory itself, task/, a
 * thread's directory, fdinfo/), which keep its effective ids; and its own descriptors stay
 * open to it (fd/, fdinfo/). Run as root: the checks run in a child with uid and gid 1000. */
#include "cf.h"
#include <dirent.h>
#include <sys/prctl.h>
#include <sys/wait.h>

static void
owners(const char *when)
{
	static const char *const paths[] = {
		"/proc/self/", "/proc/self/task", "/proc/self/fdinfo", "/proc/self/fd",
		"/proc/self/ns", "/proc/self/stat", "/proc/self/status", "/proc/self/cwd",
		"/proc/self/fd/1", "/proc/self/fdinfo/1",
	};
	char tdir[64];
	struct stat st;

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		if (lstat(paths[i], &st) < 0) {
			printf("%s %s: -1 %s\n", when, paths[i], en(errno));
			continue;
		}
		printf("%s %s: mode %o owner %s/%s\n", when, paths[i], st.st_mode,
		       st.st_uid == 1000 ? "me" : st.st_uid == 0 ? "root" : "other",
		       st.st_gid == 1000 ? "me" : st.st_gid == 0 ? "root" : "other");
	}
	snprintf(tdir, sizeof(tdir), "/proc/self/task/%d", gettid());
	if (lstat(tdir, &st) == 0)
		printf("%s task/TID: mode %o uid %s\n", when, st.st_mode,
		       st.st_uid == 1000 ? "me" : st.st_uid == 0 ? "root" : "other");
	/* its own descriptors stay open to it */
	DIR *d = opendir("/proc/self/fd");
	int n = 0;
	while (d && readdir(d))
		n++;
	printf("%s list fd/: %s\n", when, d ? (n > 3 ? "ok" : "short") : en(errno));
	if (d)
		closedir(d);
	char buf[256];
	ssize_t len = readlink("/proc/self/fd/0", buf, sizeof(buf));
	printf("%s readlink fd/0: %s\n", when, len > 0 ? "ok" : en(errno));
	int fd = open("/proc/self/fdinfo/0", O_RDONLY);
	printf("%s open fdinfo/0: %s\n", when, fd >= 0 ? "ok" : en(errno));
	if (fd >= 0)
		close(fd);
}

int
main(void)
{
	int status;

	cf_init();
	if (geteuid() != 0) {
		printf("not root: nothing to check\n");
		return 0;
	}
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		R("setgid", setgid(1000));
		R("setuid", setuid(1000));
		R("dumpable after the uid change", prctl(PR_GET_DUMPABLE));
		owners("not dumpable");
		R("set dumpable", prctl(PR_SET_DUMPABLE, 1));
		owners("dumpable");
		R("clear dumpable", prctl(PR_SET_DUMPABLE, 0));
		owners("cleared");
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	printf("child exit %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return 0;
}
