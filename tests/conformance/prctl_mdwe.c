/*
 * PR_SET_MDWE / PR_GET_MDWE (memory-deny-write-execute): the argument checks, bits that can
 * only be set again as they are, what mmap and mprotect then refuse (EACCES: writable and
 * executable at once, or executable when it was not), and inheritance by a forked child and
 * an executed image, which PR_MDWE_NO_INHERIT stops. Each setting in a child of its own.
 */
#include "cf.h"
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#ifndef PR_SET_MDWE
#define PR_SET_MDWE 65
#define PR_GET_MDWE 66
#define PR_MDWE_REFUSE_EXEC_GAIN (1UL << 0)
#define PR_MDWE_NO_INHERIT (1UL << 1)
#endif
#define RW (PROT_READ | PROT_WRITE)
#define RX (PROT_READ | PROT_EXEC)
#define RWX (PROT_READ | PROT_WRITE | PROT_EXEC)

static const char *self;

static void
map(const char *label, int prot)
{
	void *p = mmap(NULL, 4096, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	printf("%s: %s\n", label, p == MAP_FAILED ? en(errno) : "ok");
	if (p != MAP_FAILED)
		munmap(p, 4096);
}

/* a forked child's bits, then those of the program it executes */
static void
inherited(void)
{
	int st = 0;
	pid_t pid = fork();

	if (pid == 0) {
		R("fork child: get", prctl(PR_GET_MDWE, 0, 0, 0, 0));
		execl("/proc/self/exe", self, "exec", (char *)NULL);
		_exit(1);
	}
	waitpid(pid, &st, 0);
	R("fork child status", st);
}

static void
refuse(void)
{
	char *p = mmap(NULL, 4096 * 3, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fd = open("/proc/self/exe", O_RDONLY);
	void *f;

	R("set refuse", prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0, 0, 0));
	R("get", prctl(PR_GET_MDWE, 0, 0, 0, 0));
	R("set refuse again", prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0, 0, 0));
	R("set refuse|no_inherit", prctl(PR_SET_MDWE, 3, 0, 0, 0));
	R("set 0", prctl(PR_SET_MDWE, 0, 0, 0, 0));
	map("mmap rw", RW);
	map("mmap rx", RX);
	map("mmap rwx", RWX);
	map("mmap x", PROT_EXEC);
	R("mprotect rw->rx", mprotect(p, 4096, RX));
	R("mprotect rw->rwx", mprotect(p, 4096, RWX));
	R("mprotect rw->r", mprotect(p, 4096, PROT_READ));
	R("mprotect 3 pages rw->rw", mprotect(p, 4096 * 3, RW));
	f = mmap(NULL, 4096, RX, MAP_PRIVATE, fd, 0);
	printf("mmap file rx: %s\n", f == MAP_FAILED ? en(errno) : "ok");
	if (f != MAP_FAILED) {
		R("mprotect file rx->rx", mprotect(f, 4096, RX));
		R("mprotect file rx->rwx", mprotect(f, 4096, RWX));
		R("mprotect file rx->r", mprotect(f, 4096, PROT_READ));
		R("mprotect file r->rx", mprotect(f, 4096, RX));
	}
	inherited();
}

static void
no_inherit(void)
{
	R("set refuse|no_inherit", prctl(PR_SET_MDWE, 3, 0, 0, 0));
	R("get", prctl(PR_GET_MDWE, 0, 0, 0, 0));
	R("set refuse", prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0, 0, 0));
	map("mmap rwx", RWX);
	inherited();
}

static void
in_child(const char *label, void (*fn)(void))
{
	int st = 0;
	pid_t pid;

	printf("-- %s\n", label);
	pid = fork();
	if (pid == 0) {
		fn();
		exit(0);
	}
	waitpid(pid, &st, 0);
	R("status", st);
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	self = argv[0];
	if (argc > 1) {
		R("after execve: get", prctl(PR_GET_MDWE, 0, 0, 0, 0));
		map("after execve: mmap rwx", RWX);
		return 0;
	}
	R("get", prctl(PR_GET_MDWE, 0, 0, 0, 0));
	R("get arg2", prctl(PR_GET_MDWE, 1, 0, 0, 0));
	R("set 4", prctl(PR_SET_MDWE, 4, 0, 0, 0));
	R("set no_inherit alone", prctl(PR_SET_MDWE, PR_MDWE_NO_INHERIT, 0, 0, 0));
	R("set refuse arg3", prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 1, 0, 0));
	R("set 0", prctl(PR_SET_MDWE, 0, 0, 0, 0));
	R("get", prctl(PR_GET_MDWE, 0, 0, 0, 0));
	map("mmap rwx", RWX);
	in_child("refuse exec gain", refuse);
	in_child("no inherit", no_inherit);
	return 0;
}
