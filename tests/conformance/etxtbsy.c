/*
 * ETXTBSY: a program file that some process runs is not opened for writing (open, creat,
 * O_TRUNC, truncate), reading is fine, and once the runner has exited it opens again; a
 * file held open for writing does not execve. Uses a copy of this program.
 */
#include <sys/wait.h>

#include "cf.h"

static int
copy_self(const char *to)
{
	int in = open("/proc/self/exe", O_RDONLY), out;
	char buf[65536];
	ssize_t n;

	if (in < 0)
		return -1;
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (out < 0)
		return -1;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			return -1;
	close(in);
	close(out);
	return n == 0 ? 0 : -1;
}

int
main(int argc, char **argv)
{
	int p[2], fd;
	char c;

	if (argc == 2 && !strcmp(argv[1], "child")) { /* the runner: waits for its stdin to end */
		write(1, "r", 1);
		while (read(0, &c, 1) > 0)
			;
		return 0;
	}
	cf_init();
	if (copy_self("prog") < 0) {
		printf("copy: %s\n", en(errno));
		return 1;
	}
	int in[2];
	pipe(p);
	pipe(in);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(p[1], 1);
		close(in[1]);
		execl("./prog", "prog", "child", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	close(in[0]);
	YN("child started", read(p[0], &c, 1) == 1);
	FD("open O_WRONLY while running", open("prog", O_WRONLY));
	FD("open O_RDWR while running", open("prog", O_RDWR));
	FD("creat while running", creat("prog", 0755));
	FD("open O_RDONLY|O_TRUNC while running", open("prog", O_RDONLY | O_TRUNC));
	OK("truncate while running", truncate("prog", 0));
	fd = FD("open O_RDONLY while running", open("prog", O_RDONLY));
	close(fd);
	OK("link to it", link("prog", "prog2"));
	FD("open the other name O_WRONLY", open("prog2", O_WRONLY));
	close(in[1]);
	int st;
	waitpid(pid, &st, 0);
	printf("child exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	fd = FD("open O_WRONLY after exit", open("prog", O_WRONLY));

	/* held open for writing: execve fails */
	pid = fork();
	if (pid == 0) {
		execl("./prog", "prog", "child", (char *)NULL);
		printf("execve while open for writing: %s\n", en(errno));
		_exit(0);
	}
	waitpid(pid, &st, 0);
	close(fd);
	fd = FD("open O_RDWR", open("prog2", O_RDWR));
	OK("execve through the other name", execl("./prog", "prog", "child", (char *)NULL));
	close(fd);
	return 0;
}
