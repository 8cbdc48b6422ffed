/*
 * Per-process settings that are only remembered: personality(2), PR_SET_DUMPABLE,
 * PR_SET_KEEPCAPS and /proc/PID/coredump_filter. Their values, what fork passes on and
 * what execve keeps or resets.
 */
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "cf.h"

static void
show_filter(const char *label)
{
	char buf[64] = { 0 };
	int fd = open("/proc/self/coredump_filter", O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	printf("%s: %s", label, n > 0 ? buf : "unreadable\n");
}

static void
write_filter(const char *label, const char *text, size_t len)
{
	int fd = open("/proc/self/coredump_filter", O_WRONLY);

	R(label, write(fd, text, len));
	close(fd);
}

static void
after_exec(void)
{
	R("exec personality", personality(0xffffffff));
	R("exec dumpable", prctl(PR_GET_DUMPABLE));
	R("exec keepcaps", prctl(PR_GET_KEEPCAPS));
	show_filter("exec filter");
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && !strcmp(argv[1], "child")) {
		after_exec();
		return 0;
	}

	R("personality query", personality(0xffffffff));
	R("set BSD", personality(PER_BSD));
	R("query", personality(0xffffffff));
	R("set flags", personality(ADDR_NO_RANDOMIZE | SHORT_INODE | WHOLE_SECONDS));
	R("set linux", personality(PER_LINUX | READ_IMPLIES_EXEC));
	R("query again", personality(0xffffffff));

	R("dumpable", prctl(PR_GET_DUMPABLE));
	R("set dumpable 2", prctl(PR_SET_DUMPABLE, 2));
	R("set dumpable 0", prctl(PR_SET_DUMPABLE, 0));
	R("dumpable now", prctl(PR_GET_DUMPABLE));

	R("keepcaps", prctl(PR_GET_KEEPCAPS));
	R("set keepcaps 2", prctl(PR_SET_KEEPCAPS, 2));
	R("set keepcaps 1", prctl(PR_SET_KEEPCAPS, 1));
	R("keepcaps now", prctl(PR_GET_KEEPCAPS));

	show_filter("filter");
	write_filter("write 7", "7", 1);
	show_filter("filter 7");
	write_filter("write 0x1f3 nl", "0x1f3\n", 6);
	show_filter("filter 0x1f3");
	write_filter("write with NUL", "12\0", 3);
	show_filter("filter 12");
	write_filter("write 0777", "0777", 4);
	show_filter("filter 0777");
	write_filter("write junk", "5x", 2);
	write_filter("write negative", "-1", 2);
	write_filter("write empty nl", "\n", 1);
	write_filter("write 0x10000000000", "0x10000000000", 13);
	write_filter("write 100", "100", 3);
	show_filter("filter 100");

	pid_t pid = fork();
	if (pid == 0) {
		R("child personality", personality(0xffffffff));
		R("child dumpable", prctl(PR_GET_DUMPABLE));
		R("child keepcaps", prctl(PR_GET_KEEPCAPS));
		show_filter("child filter");
		write_filter("child write 3", "3", 1);
		personality(PER_LINUX);
		_exit(0);
	}
	int st;
	waitpid(pid, &st, 0);
	R("parent personality after child", personality(0xffffffff));
	show_filter("parent filter after child");

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execl("/proc/self/exe", argv[0], "child", (char *)NULL);
		printf("execl: %s\n", en(errno));
		_exit(1);
	}
	waitpid(pid, &st, 0);
	R("exec child status", WIFEXITED(st) ? WEXITSTATUS(st) : -1);

	/* a new effective uid makes the process not dumpable */
	pid = fork();
	if (pid == 0) {
		prctl(PR_SET_DUMPABLE, 1);
		R("same euid", setresuid(-1, 0, -1));
		R("dumpable same euid", prctl(PR_GET_DUMPABLE));
		R("new euid", setresuid(-1, 1000, -1));
		R("dumpable new euid", prctl(PR_GET_DUMPABLE));
		_exit(0);
	}
	waitpid(pid, &st, 0);
	return 0;
}
