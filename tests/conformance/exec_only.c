/*
 * A program its user may execute but not read (mode 0111) runs: execve needs execute
 * permission only (Linux do_open_execat). Its image is not dumpable (would_dump), so its own
 * /proc/self/exe cannot be opened for reading; a readable program's can. Run as an
 * unprivileged user (root reads everything).
 */
#include "cf.h"
#include <sys/prctl.h>
#include <grp.h>
#include <sys/wait.h>

static int
child_report(void)
{
	printf("  dumpable %d\n", prctl(PR_GET_DUMPABLE));
	int fd = open("/proc/self/exe", O_RDONLY);
	printf("  open /proc/self/exe: %s\n", fd >= 0 ? "ok" : en(errno));
	return 0;
}

static void
run_as_nobody(const char *prog)
{
	pid_t p = fork();
	if (p == 0) {
		if (setgroups(0, NULL) < 0 || setgid(65534) < 0 || setuid(65534) < 0) {
			printf("  drop: %s\n", en(errno));
			_exit(1);
		}
		char *argv[] = { (char *)prog, "child", NULL };
		execv(prog, argv);
		printf("  execv: %s\n", en(errno));
		_exit(1);
	}
	int st;
	waitpid(p, &st, 0);
	printf("  exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

int
main(int argc, char **argv)
{
	if (argc > 1)
		return child_report();
	cf_init();
	chmod(".", 0755);
	/* a copy of this program, then its modes */
	int in = open("/proc/self/exe", O_RDONLY), out = open("prog", O_WRONLY | O_CREAT, 0755);
	char buf[65536];
	ssize_t n;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			return 1;
	close(in);
	close(out);
	printf("mode 0755:\n");
	run_as_nobody("./prog");
	chmod("prog", 0111);
	printf("mode 0111:\n");
	run_as_nobody("./prog");
	chmod("prog", 0011);
	printf("mode 0011 (group and others):\n");
	run_as_nobody("./prog");
	chmod("prog", 0100);
	printf("mode 0100 (its owner, root, alone):\n");
	run_as_nobody("./prog");
	return 0;
}
