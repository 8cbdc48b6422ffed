/* build: dynamic */
/*
 * The address-space layout an exec gives, with and without randomization. Under
 * personality(ADDR_NO_RANDOMIZE) (what gdb sets for its inferiors) every exec gets the same
 * one: the stack ending at the top of the address space, mmap_base the stack rlimit plus a
 * guard gap (at least 128 MiB) below it, the heap right after the image, a PIE at
 * ELF_ET_DYN_BASE. Without it the stack, mmap_base, heap and PIE move from one exec to the next.
 */
#include "cf.h"

#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/wait.h>

#define TOP 0x7ffffffff000UL

struct layout {
	unsigned long argv, local, map, stack_end, heap_start, below_heap_end, main;
};

/* In the exec'd image: its addresses, one line on stdout. */
static int
child(char **argv)
{
	struct layout l = { 0 };
	char line[512];
	unsigned long prev_end = 0, lo, hi;
	int local = 0;
	void *m = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	sbrk(8192); /* a heap to find */
	FILE *f = fopen("/proc/self/maps", "r");
	if (!f)
		return 1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx", &lo, &hi) != 2)
			continue;
		if (strstr(line, "[stack]"))
			l.stack_end = hi;
		if (strstr(line, "[heap]") && !l.heap_start) {
			l.heap_start = lo;
			l.below_heap_end = prev_end;
		}
		prev_end = hi;
	}
	fclose(f);
	l.argv = (unsigned long)argv;
	l.local = (unsigned long)&local;
	l.map = (unsigned long)m;
	l.main = (unsigned long)child;
	printf("%lx %lx %lx %lx %lx %lx %lx\n", l.argv, l.local, l.map, l.stack_end, l.heap_start,
	       l.below_heap_end, l.main);
	return 0;
}

/* Runs this program again with personality pers (and RLIMIT_STACK stack if nonzero). */
static int
run(unsigned long pers, rlim_t stack, struct layout *l)
{
	int p[2];
	char buf[512] = { 0 };

	if (pipe(p))
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		struct rlimit r;
		dup2(p[1], 1);
		if (stack && !getrlimit(RLIMIT_STACK, &r)) {
			r.rlim_cur = stack;
			setrlimit(RLIMIT_STACK, &r);
		}
		personality(pers);
		execl("/proc/self/exe", "exec_aslr", "child", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	ssize_t n = read(p[0], buf, sizeof(buf) - 1);
	close(p[0]);
	waitpid(pid, NULL, 0);
	if (n <= 0 || sscanf(buf, "%lx %lx %lx %lx %lx %lx %lx", &l->argv, &l->local, &l->map,
			     &l->stack_end, &l->heap_start, &l->below_heap_end, &l->main) != 7)
		return -1;
	return 0;
}

int
main(int argc, char **argv)
{
	struct layout a, b, c, d, e;

	if (argc > 1 && !strcmp(argv[1], "child"))
		return child(argv);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (run(ADDR_NO_RANDOMIZE, 0, &a) || run(ADDR_NO_RANDOMIZE, 0, &b) ||
	    run(ADDR_NO_RANDOMIZE, 256UL << 20, &c) || run(0, 0, &d) || run(0, 0, &e)) {
		printf("runs failed\n");
		return 1;
	}
	YN("fixed: the same stack twice", a.local == b.local && a.argv == b.argv);
	YN("fixed: the same mmap twice", a.map == b.map);
	YN("fixed: the same heap twice", a.heap_start == b.heap_start);
	YN("fixed: stack ends at the top", a.stack_end == TOP);
	YN("fixed: argv within 64 KiB of the top", a.argv < TOP && TOP - a.argv < 65536);
	/* the interpreter, libc (and natively the vDSO) sit between mmap_base and the first mmap */
	unsigned long base = TOP - (128UL << 20);
	YN("fixed: mmap within 8 MiB below top - 128 MiB", a.map < base && base - a.map < (8UL << 20));
	base = TOP - (257UL << 20);
	YN("fixed: stack rlimit 256 MiB moves mmap_base", c.map < base && base - c.map < (8UL << 20));
	YN("fixed: the same PIE twice", a.main == b.main);
	YN("fixed: PIE within 1 MiB above ELF_ET_DYN_BASE",
	   a.main >= 0x555555554000UL && a.main - 0x555555554000UL < (1UL << 20));
	YN("fixed: heap right after the image", a.heap_start && a.heap_start == a.below_heap_end);
	YN("random: stacks differ", d.local != e.local);
	YN("random: mmaps differ", d.map != e.map);
	YN("random: heaps differ", d.heap_start != e.heap_start);
	YN("random: PIEs differ", d.main != e.main);
	return 0;
}
