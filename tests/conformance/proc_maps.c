/*
 * /proc/self/maps, status and statm describe the address space: the program's own text, the
 * heap, the stack and the vDSO are there with the right permissions and names; mappings the
 * program makes, changes and removes show up as Linux shows them. Addresses differ between
 * runs, so only relations are printed (offsets from a mapping's start, permissions, names).
 */
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "cf.h"

struct line {
	unsigned long start, end, off;
	char perms[8];
	char name[512];
};

/* The maps line that contains addr; 0 if found. */
static int
find(unsigned long addr, struct line *out)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char buf[1024];
	int found = -1;

	if (!f)
		return -1;
	while (fgets(buf, sizeof(buf), f)) {
		struct line l = { 0 };
		int n = 0;
		if (sscanf(buf, "%lx-%lx %7s %lx %*s %*s %n", &l.start, &l.end, l.perms, &l.off, &n) < 4)
			continue;
		snprintf(l.name, sizeof(l.name), "%s", buf + n);
		l.name[strcspn(l.name, "\n")] = '\0';
		if (addr >= l.start && addr < l.end) {
			*out = l;
			found = 0;
			break;
		}
	}
	fclose(f);
	return found;
}

static void
show(const char *label, unsigned long addr)
{
	struct line l;

	if (find(addr, &l) < 0)
		printf("%s: not mapped\n", label);
	else
		printf("%s: %s %s\n", label, l.perms, l.name[0] == '/' ? "(a path)" : l.name);
}

/* The line holding base+off: its range relative to base, and its permissions. */
static void
show_rel(const char *label, char *base, unsigned long off)
{
	struct line l;

	if (find((unsigned long)base + off, &l) < 0) {
		printf("%s: not mapped\n", label);
		return;
	}
	printf("%s: [%ld, %ld) %s off=%lx\n", label, (long)(l.start - (unsigned long)base),
	       (long)(l.end - (unsigned long)base), l.perms, l.off);
}

static long
statm_size(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long size = -1;

	if (f && fscanf(f, "%ld", &size) != 1)
		size = -1;
	if (f)
		fclose(f);
	return size;
}

int
main(void)
{
	char exe[512], path[512];
	struct line l;
	int local = 0;

	cf_init();
	/* The program itself, the heap, the stack, the vDSO. */
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = '\0';
	if (find((unsigned long)&main, &l) == 0)
		printf("text: %s, path is /proc/self/exe: %s\n", l.perms,
		       !strcmp(l.name, exe) ? "yes" : "no");
	char *brk0 = sbrk(0);
	sbrk(4 * 4096);
	show("heap", (unsigned long)brk0);
	show("stack", (unsigned long)&local);
	show("vdso", getauxval(AT_SYSINFO_EHDR));

	/* Five pages of PROT_NONE around three that change: the edges keep them apart. */
	long size0 = cf_status_kb("VmSize"), statm0 = statm_size(), data0 = cf_status_kb("VmData");
	char *p = mmap(NULL, 5 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("VmSize grew by %ld kB, statm by %ld pages\n", cf_status_kb("VmSize") - size0,
	       statm_size() - statm0);
	OK("mprotect 1-3 rw", mprotect(p + 4096, 3 * 4096, PROT_READ | PROT_WRITE));
	printf("VmData grew by %ld kB\n", cf_status_kb("VmData") - data0);
	OK("mprotect 2 r", mprotect(p + 2 * 4096, 4096, PROT_READ));
	show_rel("page 1", p, 4096);
	show_rel("page 2", p, 2 * 4096);
	show_rel("page 3", p, 3 * 4096);
	OK("mprotect 2 rw", mprotect(p + 2 * 4096, 4096, PROT_READ | PROT_WRITE));
	show_rel("pages 1-3 merged", p, 4096);
	OK("munmap 2", munmap(p + 2 * 4096, 4096));
	show_rel("page 2 after munmap", p, 2 * 4096);
	/* mprotect across the hole: Linux changes the part before it, then fails. */
	R("mprotect across a hole", mprotect(p + 4096, 3 * 4096, PROT_EXEC));
	show_rel("page 1 after", p, 4096);
	show_rel("page 3 after", p, 3 * 4096);
	R("mprotect GROWSDOWN on a plain mapping", mprotect(p + 4096, 4096, PROT_READ | PROT_GROWSDOWN));
	OK("munmap all", munmap(p, 5 * 4096));
	show_rel("after munmap all", p, 0);

	/* MAP_FIXED_NOREPLACE over a mapping, a free hint, mremap. */
	p = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	errno = 0;
	void *q = mmap(p, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	printf("FIXED_NOREPLACE over a mapping: %s\n", q == MAP_FAILED ? en(errno) : "mapped");
	char *hint = (char *)0x100000000000UL;
	q = mmap(hint, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("free hint honored: %s\n", q == hint ? "yes" : "no");
	show_rel("at the hint", hint, 0);
	munmap(q, 4096);
	p[0] = 'x';
	char *r = mremap(p, 4 * 4096, 64 * 4096, MREMAP_MAYMOVE);
	printf("mremap grow: %s, content kept: %s\n", r == MAP_FAILED ? en(errno) : "ok",
	       r != MAP_FAILED && r[0] == 'x' ? "yes" : "no");
	show_rel("grown mapping", r, 0);
	char *s = mremap(r, 64 * 4096, 2 * 4096, 0);
	printf("mremap shrink in place: %s\n", s == r ? "yes" : "no");
	show_rel("shrunk", r, 0);
	show_rel("shrunk tail", r, 3 * 4096);
	munmap(r, 2 * 4096);

	/* Files, shared memory, and what fork leaves out. */
	int fd = open("mapped.dat", O_RDWR | O_CREAT | O_TRUNC, 0600);
	char page[4096];
	memset(page, 'a', sizeof(page));
	for (int i = 0; i < 3; i++)
		write(fd, page, sizeof(page));
	char *fm = mmap(NULL, 2 * 4096, PROT_READ, MAP_PRIVATE, fd, 4096);
	if (find((unsigned long)fm, &l) == 0) {
		const char *base = strrchr(l.name, '/');
		printf("file mapping: %s off=%lx name ends in mapped.dat: %s\n", l.perms, l.off,
		       base && !strcmp(base, "/mapped.dat") ? "yes" : "no");
	}
	char *sm = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	show_rel("shared file mapping", sm, 0);
	munmap(fm, 2 * 4096);
	munmap(sm, 2 * 4096);
	close(fd);
	char *shm = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	show("shared anonymous", (unsigned long)shm);
	char *nofork = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	OK("madvise DONTFORK", madvise(nofork, 4096, MADV_DONTFORK));
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		show("child: DONTFORK page", (unsigned long)nofork);
		show("child: shared anonymous", (unsigned long)shm);
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	show("parent: DONTFORK page", (unsigned long)nofork);
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)getpid());
	FILE *f = fopen(path, "r");
	printf("/proc/<pid>/maps readable: %s\n", f ? "yes" : "no");
	if (f)
		fclose(f);
	return 0;
}
