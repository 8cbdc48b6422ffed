/* Job control under ptrace: a SIGSTOP's signal-delivery stop, the group stop the tracer
 * sees when it lets the signal through (SEIZE: PTRACE_EVENT_STOP, with a siginfo; ATTACH:
 * the signal's stop without one), PTRACE_LISTEN and the SIGCONT that makes a listening
 * tracee report again, then the SIGCONT's own signal-delivery stop. */
#include "cf.h"
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

static void
show(const char *what, int st)
{
	if (WIFSTOPPED(st))
		printf("%s: stopped %s event %d\n", what, sigabbrev_np(WSTOPSIG(st)), st >> 16);
	else if (WIFEXITED(st))
		printf("%s: exited %d\n", what, WEXITSTATUS(st));
	else
		printf("%s: other\n", what);
}

static pid_t
reader(int *wfd)
{
	int p[2];
	if (pipe(p) < 0)
		exit(1);
	pid_t c = fork();
	if (c == 0) {
		close(p[1]);
		char ch;
		_exit(read(p[0], &ch, 1) == 1 ? 5 : 6);
	}
	close(p[0]);
	*wfd = p[1];
	cf_wait_sleeping(c);
	return c;
}

int
main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	int st, wfd;
	siginfo_t si;

	pid_t c = reader(&wfd);
	R("seize", ptrace(PTRACE_SEIZE, c, 0, 0));
	kill(c, SIGSTOP);
	waitpid(c, &st, __WALL);
	show("SIGSTOP delivery", st);
	R("let it through", ptrace(PTRACE_CONT, c, 0, SIGSTOP));
	waitpid(c, &st, __WALL);
	show("group stop", st);
	R("getsiginfo", ptrace(PTRACE_GETSIGINFO, c, 0, &si));
	printf("siginfo: %s code %#x\n", sigabbrev_np(si.si_signo), si.si_code);
	R("listen", ptrace(PTRACE_LISTEN, c, 0, 0));
	R("getregs while listening", ptrace(PTRACE_GETREGS, c, 0, &si));
	R("wnohang while listening", waitpid(c, &st, __WALL | WNOHANG));
	kill(c, SIGCONT);
	waitpid(c, &st, __WALL);
	show("after SIGCONT", st);
	R("cont", ptrace(PTRACE_CONT, c, 0, 0));
	waitpid(c, &st, __WALL);
	show("next", st);
	R("cont with it", ptrace(PTRACE_CONT, c, 0, SIGCONT));
	R("write", write(wfd, "x", 1));
	waitpid(c, &st, __WALL);
	show("end", st);
	close(wfd);

	c = reader(&wfd);
	R("attach", ptrace(PTRACE_ATTACH, c, 0, 0));
	waitpid(c, &st, __WALL);
	show("attach stop", st);
	R("listen without seize", ptrace(PTRACE_LISTEN, c, 0, 0));
	R("cont", ptrace(PTRACE_CONT, c, 0, 0));
	kill(c, SIGSTOP);
	waitpid(c, &st, __WALL);
	show("SIGSTOP delivery", st);
	R("let it through", ptrace(PTRACE_CONT, c, 0, SIGSTOP));
	waitpid(c, &st, __WALL);
	show("group stop", st);
	R("getsiginfo (none)", ptrace(PTRACE_GETSIGINFO, c, 0, &si));
	R("detach", ptrace(PTRACE_DETACH, c, 0, 0));
	kill(c, SIGCONT);
	R("write", write(wfd, "x", 1));
	waitpid(c, &st, __WALL);
	show("end", st);
	close(wfd);
	return 0;
}
