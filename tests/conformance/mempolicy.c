/*
 * NUMA policy calls on a machine with node 0 (the checks print nothing that depends on
 * more nodes): set_mempolicy's argument checks, what get_mempolicy reports back, fork
 * and execve keeping the policy, mbind on a range and its holes.
 */
#include <sys/mman.h>
#include <sys/wait.h>

#include "cf.h"

#define MPOL_DEFAULT 0
#define MPOL_PREFERRED 1
#define MPOL_BIND 2
#define MPOL_INTERLEAVE 3
#define MPOL_LOCAL 4
#define MPOL_F_STATIC_NODES (1 << 15)
#define MPOL_F_RELATIVE_NODES (1 << 14)
#define MPOL_F_NODE 1
#define MPOL_F_ADDR 2
#define MPOL_F_MEMS_ALLOWED 4

static long
setp(int mode, unsigned long *mask, unsigned long maxnode)
{
	return syscall(SYS_set_mempolicy, mode, mask, maxnode);
}

static long
getp(int *mode, unsigned long *mask, unsigned long maxnode, void *addr, int flags)
{
	return syscall(SYS_get_mempolicy, mode, mask, maxnode, addr, flags);
}

static void
show(const char *label)
{
	int mode = -1;
	unsigned long mask[2] = { 0xdead, 0xbeef };
	long r = getp(&mode, mask, 128, NULL, 0);

	if (r < 0)
		printf("%s: -1 %s\n", label, en(errno));
	else
		printf("%s: mode %d mask %lx %lx\n", label, mode, mask[0], mask[1]);
}

int
main(int argc, char **argv)
{
	unsigned long one = 1, zero = 0, two = 2, three = 3;
	int mode;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1) {
		show("after exec");
		return 0;
	}
	show("initial");
	R("bad mode", setp(77, &one, 64));
	R("both node flags", setp(MPOL_BIND | MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES, &one, 64));
	R("maxnode 0 with mask", setp(MPOL_DEFAULT, &one, 0));
	R("maxnode huge", setp(MPOL_BIND, &one, 1UL << 20));
	R("default with node", setp(MPOL_DEFAULT, &one, 64));
	R("default no mask", setp(MPOL_DEFAULT, NULL, 0));
	R("bind empty", setp(MPOL_BIND, &zero, 64));
	R("bind null", setp(MPOL_BIND, NULL, 64));
	R("interleave empty", setp(MPOL_INTERLEAVE, &zero, 64));
	R("bind only node 1", setp(MPOL_BIND, &two, 64));
	R("bind bad pointer", setp(MPOL_BIND, cf_unmapped(), 64));
	R("local with node", setp(MPOL_LOCAL, &one, 64));
	R("preferred empty static", setp(MPOL_PREFERRED | MPOL_F_STATIC_NODES, &zero, 64));
	R("preferred empty", setp(MPOL_PREFERRED, &zero, 64));
	show("preferred empty is local");
	R("bind node 0", setp(MPOL_BIND, &three, 64));
	show("bind");
	R("interleave static", setp(MPOL_INTERLEAVE | MPOL_F_STATIC_NODES, &three, 64));
	show("interleave static");
	R("next node", getp(&mode, NULL, 0, NULL, MPOL_F_NODE));
	printf("next node is %d\n", mode);
	R("bind relative node 1", setp(MPOL_BIND | MPOL_F_RELATIVE_NODES, &two, 64));
	show("relative");
	R("next node not interleave", getp(&mode, NULL, 0, NULL, MPOL_F_NODE));
	R("mask too short", getp(&mode, &one, 0, NULL, 0));
	R("mask bits 1", getp(&mode, &one, 1, NULL, 0));
	R("bad flags", getp(&mode, NULL, 0, NULL, 8));
	R("addr without F_ADDR", getp(&mode, NULL, 0, &mode, 0));
	R("mems allowed + node", getp(NULL, &one, 64, NULL, MPOL_F_MEMS_ALLOWED | MPOL_F_NODE));
	one = 0;
	R("mems allowed", getp(NULL, &one, 64, NULL, MPOL_F_MEMS_ALLOWED));
	YN("node 0 allowed", one & 1);
	R("bad mode pointer", getp(cf_unmapped(), NULL, 0, NULL, 0));
	R("bad mask pointer", getp(NULL, cf_unmapped(), 64, NULL, 0));
	R("node of bad address", getp(&mode, NULL, 0, cf_unmapped(), MPOL_F_ADDR | MPOL_F_NODE));
	mode = -1;
	R("node of stack", getp(&mode, NULL, 0, &mode, MPOL_F_ADDR | MPOL_F_NODE));

	R("set interleave", setp(MPOL_INTERLEAVE, &(unsigned long){ 1 }, 64));
	pid_t pid = fork();
	if (pid == 0) {
		show("child");
		setp(MPOL_DEFAULT, NULL, 0);
		execl("/proc/self/exe", argv[0], "exec", (char *)NULL);
		_exit(1);
	}
	int st;
	waitpid(pid, &st, 0);
	show("parent after child");
	pid = fork();
	if (pid == 0) {
		execl("/proc/self/exe", argv[0], "exec", (char *)NULL);
		_exit(1);
	}
	waitpid(pid, &st, 0);

	/* mbind: ranges keep their own policy, not the thread's */
	char *p = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	one = 1;
	R("vma policy", getp(&mode, NULL, 0, p, MPOL_F_ADDR));
	printf("vma mode %d\n", mode);
	R("mbind unaligned", syscall(SYS_mbind, p + 1, 4096, MPOL_BIND, &one, 64, 0));
	R("mbind bad flags", syscall(SYS_mbind, p, 4096, MPOL_BIND, &one, 64, 8));
	R("mbind empty bind", syscall(SYS_mbind, p, 4096, MPOL_BIND, &zero, 64, 0));
	R("mbind zero length", syscall(SYS_mbind, p, 0, MPOL_BIND, &zero, 64, 0));
	R("mbind middle", syscall(SYS_mbind, p + 4096, 4096, MPOL_PREFERRED, &one, 64, 0));
	for (int i = 0; i < 4; i++) {
		mode = -1;
		getp(&mode, NULL, 0, p + i * 4096, MPOL_F_ADDR);
		printf("page %d mode %d\n", i, mode);
	}
	unsigned long m = 0;
	R("mask of middle", getp(&mode, &m, 64, p + 4096, MPOL_F_ADDR));
	printf("middle mask %lx\n", m);
	munmap(p + 2 * 4096, 4096);
	R("mbind over hole", syscall(SYS_mbind, p, 4 * 4096, MPOL_BIND, &one, 64, 0));
	mode = -1;
	getp(&mode, NULL, 0, p, MPOL_F_ADDR);
	printf("page 0 after failed mbind %d\n", mode);
	R("mbind default", syscall(SYS_mbind, p, 2 * 4096, MPOL_DEFAULT, NULL, 0, 0));
	getp(&mode, NULL, 0, p + 4096, MPOL_F_ADDR);
	printf("middle after default %d\n", mode);
	R("back to default", setp(MPOL_DEFAULT, NULL, 0));
	show("final");
	return 0;
}
