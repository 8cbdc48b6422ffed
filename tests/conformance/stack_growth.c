/*
 * The initial stack grows as Linux grows it: it starts at the arguments and 128 KiB
 * (VmStk), grows down as far as RLIMIT_STACK allows when the program touches below it,
 * including after the program raised the limit itself (gcc, python's deep recursion
 * idiom), a system call's buffer below it grows it too, and past the limit the program
 * gets SIGSEGV. /proc shows the grown stack (VmStk, the [stack] line of maps).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "cf.h"

static unsigned long
vmstk_kb(void)
{
	char line[256];
	unsigned long kb = 0;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "VmStk:", 6))
			kb = strtoul(line + 6, NULL, 10);
	if (f)
		fclose(f);
	return kb;
}

/* The size of the [stack] line of /proc/self/maps, in KiB. */
static unsigned long
maps_stack_kb(void)
{
	char line[512];
	unsigned long lo, hi, kb = 0;
	FILE *f = fopen("/proc/self/maps", "r");

	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, "[stack]") && sscanf(line, "%lx-%lx", &lo, &hi) == 2)
			kb = (hi - lo) >> 10;
	if (f)
		fclose(f);
	return kb;
}

/* Uses about n KiB of stack, touching every page of it. */
static __attribute__((noinline)) int
recurse(int n)
{
	volatile char frame[1024];

	frame[0] = (char)n;
	frame[sizeof(frame) - 1] = (char)n;
	return n ? recurse(n - 1) + frame[0] - frame[sizeof(frame) - 1] : 0;
}

int
main(void)
{
	struct rlimit rl;
	int status;

	cf_init();
	getrlimit(RLIMIT_STACK, &rl);
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < (16UL << 20)) {
		/* the first extent: the arguments and 128 KiB, not the whole limit */
		unsigned long kb = vmstk_kb();
		YN("initial VmStk below 1 MiB", kb > 0 && kb < 1024);
		YN("initial [stack] below 1 MiB", maps_stack_kb() > 0 && maps_stack_kb() < 1024);
	}

	/* a limit raised at run time lets the stack grow that far */
	rl.rlim_cur = 64UL << 20;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < rl.rlim_cur)
		rl.rlim_cur = rl.rlim_max;
	OK("setrlimit STACK 64 MiB", setrlimit(RLIMIT_STACK, &rl));
	R("recursion over 20 MiB", recurse(20 << 10));
	YN("VmStk grew past 20 MiB", vmstk_kb() >= (20UL << 10));
	YN("[stack] grew past 20 MiB", maps_stack_kb() >= (20UL << 10));
	YN("VmStk matches [stack]", vmstk_kb() == maps_stack_kb());

	/* a buffer below the touched stack, filled by the kernel, grows it there */
	char *below = (char *)__builtin_frame_address(0) - (30UL << 20);
	int fd = open("/proc/self/status", O_RDONLY);
	ssize_t n = read(fd, below, 64);
	YN("read into the stack 30 MiB down", n > 0);
	close(fd);
	YN("VmStk grew past 30 MiB", vmstk_kb() >= (30UL << 10));
	struct rlimit got;
	getrlimit(RLIMIT_STACK, &got);
	printf("rlimit still %lu MiB\n", (unsigned long)(got.rlim_cur >> 20));

	/* the main thread's stack as pthread sees it: its limit, from the top of [stack] */
	pthread_attr_t attr;
	void *addr;
	size_t size;
	if (pthread_getattr_np(pthread_self(), &attr) == 0 &&
	    pthread_attr_getstack(&attr, &addr, &size) == 0) {
		YN("pthread stack size near the limit",
		   size <= rl.rlim_cur && size + (1UL << 20) > rl.rlim_cur);
		pthread_attr_destroy(&attr);
	}

	/* past the limit: SIGSEGV */
	pid_t pid = fork();
	if (pid == 0) {
		struct rlimit small = { 40UL << 20, rl.rlim_max };
		setrlimit(RLIMIT_STACK, &small);
		recurse(48 << 10);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	printf("child past a 40 MiB limit: %s\n",
	       WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) : "exited");

	/* glibc makes the stack executable for a library that needs it (dlopen of an object
	 * with an executable GNU_STACK) with PROT_GROWSDOWN: down to the stack's start */
	pid = fork();
	if (pid == 0) {
		unsigned long page = (unsigned long)__builtin_frame_address(0) & ~4095UL;
		OK("mprotect PROT_GROWSDOWN on the stack",
		   mprotect((void *)page, 4096, PROT_READ | PROT_WRITE | PROT_EXEC | PROT_GROWSDOWN));
		_exit(0);
	}
	waitpid(pid, &status, 0);

	/* a new image starts small again, and the limit it inherits holds for it too */
	pid = fork();
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c",
		      "grep VmStk /proc/self/status | awk '{print ($2 < 1024) ? \"exec: small\" : \"exec: big\"}'",
		      (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	printf("exec child: %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return 0;
}
