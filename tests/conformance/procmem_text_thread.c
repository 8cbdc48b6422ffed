/*
 * A debugger's write of program text through /proc/PID/mem (proc(5): FOLL_FORCE reaches
 * read-only pages) while only one thread of the tracee is stopped and its main thread
 * sleeps in pthread_join, as gdb writes breakpoints and displaced-stepping code: the write
 * lands (read back through the file and PTRACE_PEEKTEXT) and can be undone.
 */
#include "cf.h"
#include <pthread.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

static void __attribute__((noinline))
victim(void)
{
	__asm__ volatile("nop; nop; nop; nop; nop; nop; nop; nop");
}

static void *
thread_main(void *arg)
{
	(void)arg;
	__asm__ volatile("int3");
	victim();
	return NULL;
}

int
main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	pid_t p = fork();
	if (p == 0) {
		pthread_t th;
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		pthread_create(&th, NULL, thread_main, NULL);
		pthread_join(th, NULL);
		_exit(0);
	}
	int st;
	waitpid(p, &st, 0);
	R("setoptions traceclone", ptrace(PTRACE_SETOPTIONS, p, 0, PTRACE_O_TRACECLONE));
	ptrace(PTRACE_CONT, p, 0, 0);
	pid_t tid = -1;
	/* the clone event of the leader, the new thread's first stop, then its int3 */
	for (int i = 0; i < 6; i++) {
		pid_t w = waitpid(-1, &st, __WALL);
		if (w < 0)
			break;
		if (w == p && (st >> 16) == PTRACE_EVENT_CLONE) {
			ptrace(PTRACE_CONT, p, 0, 0);
			continue;
		}
		if (w != p && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP) {
			ptrace(PTRACE_CONT, w, 0, 0);
			continue;
		}
		if (w != p && WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP) {
			tid = w;
			break;
		}
	}
	printf("thread stopped at its int3: %d\n", tid > 0);
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/mem", p);
	int fd = open(path, O_RDWR);
	printf("open mem: %s\n", fd >= 0 ? "ok" : en(errno));
	unsigned char orig[8], patch[8] = { 0xcc, 0x90, 0xcc, 0x90, 0xcc, 0x90, 0xcc, 0x90 }, back[8];
	off_t at = (off_t)(unsigned long)&victim;
	R("pread text", pread(fd, orig, 8, at));
	R("pwrite text", pwrite(fd, patch, 8, at));
	R("pread again", pread(fd, back, 8, at));
	printf("patched: %d\n", !memcmp(back, patch, 8));
	errno = 0;
	long w = ptrace(PTRACE_PEEKTEXT, tid, (void *)at, 0);
	printf("peektext sees it: %d\n", errno == 0 && !memcmp(&w, patch, 8));
	R("pwrite restore", pwrite(fd, orig, 8, at));
	R("pread restored", pread(fd, back, 8, at));
	printf("restored: %d\n", !memcmp(back, orig, 8));
	close(fd);
	kill(p, SIGKILL);
	while (waitpid(-1, &st, __WALL) > 0)
		;
	return 0;
}
