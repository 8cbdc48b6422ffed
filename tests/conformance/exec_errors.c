/* execve's failures: the program is looked up before argv and envp are read (a missing
 * program with a bad argv is ENOENT, an existing one EFAULT), a directory or a device is
 * EACCES, and a PATH search's many misses leave the caller as it was. */
#include "cf.h"

static volatile unsigned long bad_addr = 8;

static long
ex(const char *path, char **argv, char **envp)
{
	return syscall(SYS_execve, path, argv, envp);
}

int
main(void)
{
	char *argv[] = { "x", NULL };
	char *bad = (char *)bad_addr;

	R("missing, good argv", ex("/nonexistent/prog", argv, argv));
	R("missing, bad argv", ex("/nonexistent/prog", (char **)bad, argv));
	R("missing, bad envp", ex("/nonexistent/prog", argv, (char **)bad));
	R("through a file", ex("/bin/sh/x", argv, argv));
	R("a directory", ex("/", argv, argv));
	R("a device", ex("/dev/null", argv, argv));
	R("existing, bad argv", ex("/bin/sh", (char **)bad, argv));
	R("existing, bad argv string", ex("/bin/sh", (char *[]){ bad, NULL }, argv));
	R("empty path", ex("", argv, argv));
	R("bad path pointer", ex(bad, argv, argv));
	int misses = 0;
	for (int i = 0; i < 200; i++)
		misses += ex("/usr/local/nonexistent/bin/prog", argv, argv) < 0 && errno == ENOENT;
	R("misses", misses);
	YN("still here", getpid() > 0);
	return 0;
}
