/* The name an execve gives a process (/proc/PID/comm: the last component of the path it was
 * run by, not argv[0]; a script's own name; execveat of a descriptor with AT_EMPTY_PATH: the
 * file's entry name, "memfd:NAME" for a memfd) and /proc/PID/environ read live from the
 * process's memory (a change made in place shows; setenv, which allocates elsewhere, does
 * not). The program re-executes itself for each case ("child MODE"). */
#include "cf.h"
#include <sys/mman.h>
#include <sys/wait.h>

static void
show_comm(const char *label)
{
	char buf[64] = "";
	int fd = open("/proc/self/comm", O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (n > 0 && buf[n - 1] == '\n')
		buf[n - 1] = 0;
	printf("%s comm: %s\n", label, n < 0 ? en(errno) : buf);
	if (fd >= 0)
		close(fd);
}

/* /proc/self/environ's entries that start with CF_ (the rest differs between runs) */
static void
show_environ(const char *label)
{
	static char buf[1 << 16];
	int fd = open("/proc/self/environ", O_RDONLY);
	size_t len = 0;
	ssize_t n;

	while (fd >= 0 && (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	if (fd >= 0)
		close(fd);
	buf[len] = 0;
	printf("%s environ:", label);
	for (size_t i = 0; i < len; i += strlen(buf + i) + 1)
		if (!strncmp(buf + i, "CF_", 3))
			printf(" [%s]", buf + i);
	printf(" ends-nul=%s\n", len && buf[len - 1] == 0 ? "yes" : "no");
}

static int
child(const char *mode)
{
	show_comm(mode);
	if (!strcmp(mode, "environ")) {
		show_environ("before");
		/* change a value in place: the bytes are in the area /proc reads */
		char *v = getenv("CF_EDIT");
		if (v && *v)
			v[0] = 'X';
		setenv("CF_NEW", "added", 1); /* copied to the heap: not in the area */
		show_environ("after");
	}
	return 0;
}

static void
run(const char *label, const char *path, char *const argv[], int dirfd, int at_flags)
{
	char *envp[] = { "CF_ONE=1", "CF_EDIT=edit-me", "CF_EMPTY=", NULL };
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		if (dirfd >= 0)
			syscall(SYS_execveat, dirfd, path, argv, envp, at_flags);
		else
			execve(path, argv, envp);
		printf("%s: exec %s\n", label, en(errno));
		fflush(stdout);
		_exit(1);
	}
	int st;
	waitpid(p, &st, 0);
	printf("%s: status %d\n", label, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

int
main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "child"))
		return child(argv[2]);
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		return 1;
	self[n] = 0;
	cf_init();

	/* argv[0] is not the name */
	char *a1[] = { "some-other-name", "child", "argv0", NULL };
	run("argv0", self, a1, -1, 0);
	/* through a symbolic link: the link's name */
	OK("symlink", symlink(self, "a-link-with-a-long-name"));
	char *a2[] = { "x", "child", "symlink", NULL };
	run("symlink", "./a-link-with-a-long-name", a2, -1, 0);
	/* a script: its own name (the interpreter is run for it) */
	char script[4200];
	snprintf(script, sizeof(script), "#!%s child\n", self);
	int fd = open("my-script.sh", O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (fd < 0 || write(fd, script, strlen(script)) < 0)
		return 1;
	close(fd);
	char *a3[] = { "my-script.sh", NULL };
	run("script", "./my-script.sh", a3, -1, 0);
	/* execveat relative to a directory descriptor */
	int dfd = open(".", O_RDONLY | O_DIRECTORY);
	char *a4[] = { "y", "child", "dirfd", NULL };
	run("dirfd", "a-link-with-a-long-name", a4, dfd, 0);
	/* execveat of the program's own descriptor */
	int pfd = open(self, O_RDONLY);
	char *a5[] = { "z", "child", "emptypath", NULL };
	run("emptypath", "", a5, pfd, AT_EMPTY_PATH);
	/* a memfd holding a copy of the program */
	int mfd = memfd_create("prog-copy", MFD_CLOEXEC);
	int in = open(self, O_RDONLY);
	char chunk[65536];
	while (mfd >= 0 && in >= 0 && (n = read(in, chunk, sizeof(chunk))) > 0)
		if (write(mfd, chunk, (size_t)n) != n)
			return 1;
	close(in);
	char *a6[] = { "w", "child", "memfd", NULL };
	run("memfd", "", a6, mfd, AT_EMPTY_PATH);
	/* environ read live */
	char *a7[] = { "v", "child", "environ", NULL };
	run("environ", self, a7, -1, 0);
	return 0;
}
