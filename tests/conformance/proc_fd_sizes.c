/*
 * The sizes stat gives in /proc/PID/fd (ls -l shows them, lsof and procps read them): each
 * fd link is 64 bytes, the fd directory's size is the number of open descriptors (Linux
 * 6.2), for a thread's fd directory too; fdinfo's and the other links' are 0.
 */
#include "cf.h"

#include <dirent.h>

static long
size_of(const char *path)
{
	struct stat st;

	return lstat(path, &st) ? -errno : (long)st.st_size;
}

static int
listed(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n - 1; /* the directory's own descriptor */
}

int
main(void)
{
	char task_fd[64];

	setvbuf(stdout, NULL, _IOLBF, 0);
	snprintf(task_fd, sizeof(task_fd), "/proc/self/task/%d/fd", (int)gettid());
	R("fd/0 link", size_of("/proc/self/fd/0"));
	R("exe link", size_of("/proc/self/exe"));
	R("cwd link", size_of("/proc/self/cwd"));
	R("fdinfo/0", size_of("/proc/self/fdinfo/0"));
	R("fdinfo dir", size_of("/proc/self/fdinfo"));
	long before = size_of("/proc/self/fd");
	YN("fd dir size is the open fds", before == listed("/proc/self/fd"));
	int a = open("/dev/null", O_RDONLY), b = dup2(a, 200);
	long after = size_of("/proc/self/fd");
	printf("two more: %ld\n", after - before);
	YN("task fd dir the same", size_of(task_fd) == after);
	close(a);
	close(b);
	printf("closed again: %ld\n", size_of("/proc/self/fd") - before);
	return 0;
}
