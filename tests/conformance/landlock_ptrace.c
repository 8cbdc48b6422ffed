/* Landlock and ptrace (every domain, whatever it handles): a thread may inspect or trace
 * only processes of its own domain or of domains stacked on it (/proc/PID/mem,
 * process_vm_readv, PTRACE_ATTACH), and PTRACE_TRACEME needs a parent whose domain is
 * the caller's or below it. Each case runs in a child. */
#include "cf.h"
#include <signal.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/wait.h>

struct attr {
	uint64_t fs, net, scoped;
};

static void
enforce(void)
{
	struct attr a = { 0, 1, 0 }; /* a domain that handles only bind: ptrace still applies */
	int rs = syscall(444, &a, sizeof(a), 0);

	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (syscall(446, rs, 0))
		printf("restrict_self: %s\n", en(errno));
	close(rs);
}

static int
mem_of(pid_t p)
{
	char path[64];
	int fd, e;

	snprintf(path, sizeof(path), "/proc/%d/mem", p);
	fd = open(path, O_RDONLY);
	e = errno;
	if (fd >= 0)
		close(fd);
	errno = e;
	return fd < 0 ? -1 : 0;
}

static int
peek(pid_t p)
{
	static int word = 42;
	int v;
	struct iovec l = { &v, sizeof(v) }, r = { &word, sizeof(word) };

	return process_vm_readv(p, &l, 1, &r, 1, 0) < 0 ? -1 : 0;
}

/* a child that sleeps until killed */
static pid_t
sleeper(void)
{
	pid_t c = fork();

	if (!c) {
		for (;;)
			pause();
	}
	return c;
}

static pid_t outer;

static void
t_inspect(void)
{
	pid_t before = sleeper();

	enforce();
	pid_t after = sleeper();
	OK("mem of the parent", mem_of(outer));
	OK("process_vm_readv the parent", peek(outer));
	OK("mem of a child made before", mem_of(before));
	OK("mem of a child made after", mem_of(after));
	OK("process_vm_readv a child made after", peek(after));
	OK("attach a child made before", ptrace(PTRACE_ATTACH, before, 0, 0));
	OK("attach a child made after", ptrace(PTRACE_ATTACH, after, 0, 0));
	waitpid(after, NULL, 0);
	int p[2];
	pipe(p);
	pid_t nested = fork();
	if (!nested) {
		enforce();
		OK("nested: mem of its parent", mem_of(getppid()));
		fflush(stdout);
		write(p[1], "x", 1);
		for (;;)
			pause();
	}
	char x;
	read(p[0], &x, 1);
	OK("mem of a nested domain's process", mem_of(nested));
	kill(before, SIGKILL);
	kill(after, SIGKILL);
	kill(nested, SIGKILL);
	while (wait(NULL) > 0)
		;
}

static void
t_traceme(void)
{
	int p[2], q[2];

	pipe(p);
	pipe(q);
	pid_t c = fork();
	if (!c) {
		char x;

		read(p[0], &x, 1);
		OK("traceme, parent in a domain", ptrace(PTRACE_TRACEME, 0, 0, 0));
		enforce();
		enforce();
		OK("traceme, parent's domain below", ptrace(PTRACE_TRACEME, 0, 0, 0));
		write(q[1], "x", 1);
		_exit(0);
	}
	enforce();
	write(p[1], "x", 1);
	char x;
	read(q[0], &x, 1);
	waitpid(c, NULL, 0);
	c = fork();
	if (!c) {
		enforce();
		OK("traceme from a nested domain", ptrace(PTRACE_TRACEME, 0, 0, 0));
		_exit(0);
	}
	waitpid(c, NULL, 0);
}

int
main(void)
{
	cf_init();
	outer = getpid();
	printf("-- inspect\n");
	cf_in_child("inspect", t_inspect);
	printf("-- traceme\n");
	cf_in_child("traceme", t_traceme);
	OK("unsandboxed: mem of self", mem_of(getpid()));
	return 0;
}
