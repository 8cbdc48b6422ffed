/* MAP_FIXED mmaps of files: replacing mappings, fd numbers reused for other files, bad,
 * write-only and O_PATH fds (an error leaves the old mapping), fd 0 and high numbers,
 * offsets past EOF, host files in turn at one number, and fork. */
#include <sys/mman.h>
#include <sys/wait.h>
#include "cf.h"

static long pg;

/* MAP_FIXED of fd at p (one page at off): the first byte, or the errno's name. */
static void
fixed(const char *label, void *p, int fd, int prot, int flags, off_t off)
{
	void *q = mmap(p, pg, prot, flags | MAP_FIXED, fd, off);
	if (q == MAP_FAILED)
		printf("%s: %s\n", label, en(errno));
	else if (q != p)
		printf("%s: elsewhere\n", label);
	else
		printf("%s: mapped, first byte %c\n", label, *(char *)q);
}

static int
page_file(const char *name, char c, int pages)
{
	char *buf = malloc(pages * pg);
	memset(buf, c, pages * pg);
	for (int i = 1; i < pages; i++)
		buf[i * pg] = c + i;
	int r = cf_write_file(name, buf, pages * pg);
	free(buf);
	return r;
}

int
main(void)
{
	pg = sysconf(_SC_PAGESIZE);
	cf_init();
	page_file("a", 'a', 3);
	page_file("b", 'p', 2);
	char *base = mmap(NULL, 8 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(base, 'z', 8 * pg);

	int fa = open("a", O_RDONLY);
	fixed("a over anon", base, fa, PROT_READ, MAP_PRIVATE, 0);
	fixed("a page 2 over anon", base + pg, fa, PROT_READ, MAP_PRIVATE, 2 * pg);
	YN("anon page after untouched", base[2 * pg] == 'z');
	/* the same number, now another file: the map must show the new one */
	int num = fa;
	close(fa);
	int fb = open("b", O_RDONLY);
	printf("b reuses the number: %s\n", fb == num ? "yes" : "no");
	fixed("b over a's map", base, fb, PROT_READ, MAP_PRIVATE, 0);
	fixed("b page 1", base + 2 * pg, fb, PROT_READ, MAP_PRIVATE, pg);
	/* private writable: a copy, the file is unchanged */
	fixed("b private writable", base + 3 * pg, fb, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	base[3 * pg] = 'W';
	char c = 0;
	pread(fb, &c, 1, 0);
	printf("file after private write: %c\n", c);
	/* read-only fd: shared writable refused, shared read-only fine */
	fixed("b shared writable (O_RDONLY)", base + 4 * pg, fb, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	fixed("b shared read-only", base + 4 * pg, fb, PROT_READ, MAP_SHARED, 0);
	R("mprotect shared read-only to write", mprotect(base + 4 * pg, pg, PROT_READ | PROT_WRITE));
	close(fb);
	/* errors: the mapping before stays */
	fixed("closed fd", base, fb, PROT_READ, MAP_PRIVATE, 0);
	fixed("fd 9999", base, 9999, PROT_READ, MAP_PRIVATE, 0);
	fixed("fd -5", base, -5, PROT_READ, MAP_PRIVATE, 0);
	YN("map after errors still b", base[0] == 'p');
	int w = open("a", O_WRONLY);
	fixed("write-only fd", base, w, PROT_READ, MAP_PRIVATE, 0);
	close(w);
	int op = open("a", O_PATH);
	fixed("O_PATH fd", base, op, PROT_READ, MAP_PRIVATE, 0);
	close(op);
	int d = open(".", O_RDONLY | O_DIRECTORY);
	fixed("directory fd", base, d, PROT_READ, MAP_PRIVATE, 0);
	close(d);
	fa = open("a", O_RDONLY);
	fixed("unaligned offset", base, fa, PROT_READ, MAP_PRIVATE, 1);
	fixed("unaligned address", base + 1, fa, PROT_READ, MAP_PRIVATE, 0);
	YN("map after errors still b", base[0] == 'p');
	/* past EOF: the map is made; touching it is SIGBUS (not tried) */
	void *q = mmap(base + 5 * pg, pg, PROT_READ, MAP_PRIVATE | MAP_FIXED, fa, 16 * pg);
	printf("offset past EOF: %s\n", q == MAP_FAILED ? en(errno) : q == base + 5 * pg ? "mapped" : "elsewhere");
	/* a length not a page multiple */
	q = mmap(base + 5 * pg, 100, PROT_READ, MAP_PRIVATE | MAP_FIXED, fa, pg);
	printf("100 bytes: %s, byte %c\n", q == MAP_FAILED ? en(errno) : "mapped",
	       q == MAP_FAILED ? '-' : *(char *)q);
	/* fd 0 and a high number */
	int saved = dup(0);
	dup2(fa, 0);
	fixed("fd 0", base + 6 * pg, 0, PROT_READ, MAP_PRIVATE, 2 * pg);
	close(0);
	fixed("fd 0 closed", base + 6 * pg, 0, PROT_READ, MAP_PRIVATE, 0);
	dup2(saved, 0);
	close(saved);
	int hi = dup2(fa, 700);
	fixed("fd 700", base + 6 * pg, hi, PROT_READ, MAP_PRIVATE, pg);
	close(hi);
	fixed("fd 700 closed", base + 6 * pg, 700, PROT_READ, MAP_PRIVATE, 0);
	YN("map after closed still a page 1", base[6 * pg] == 'b');
	/* a host file */
	int sh = open("/bin/sh", O_RDONLY);
	q = mmap(base + 7 * pg, pg, PROT_READ, MAP_PRIVATE | MAP_FIXED, sh, 0);
	printf("/bin/sh: %s\n", q == MAP_FAILED ? en(errno) : memcmp(q, "\177ELF", 4) ? "not ELF" : "ELF");
	close(sh);
	/* host files in turn at one number, and at others: each map shows its own file */
	static const char *const bins[] = { "/bin/sh", "/bin/true", "/bin/ls", "/bin/cat",
					    "/bin/sh", "/usr/bin/env", "/bin/true" };
	char *page = malloc(pg);
	int same = 0, tries = 0;
	for (int round = 0; round < 2; round++)
		for (size_t i = 0; i < sizeof(bins) / sizeof(bins[0]); i++) {
			int f = open(bins[i], O_RDONLY), g = f;
			if (f < 0)
				continue;
			if (round)
				g = dup2(f, 20 + (int)i % 3);
			tries++;
			memset(page, 0, pg);
			ssize_t n = pread(g, page, pg, pg);
			q = mmap(base + 7 * pg, pg, PROT_READ, MAP_PRIVATE | MAP_FIXED, g, pg);
			same += q == base + 7 * pg && n == pg && !memcmp(q, page, pg);
			q = mmap(base + 7 * pg, pg, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED, g, 0);
			same += q == base + 7 * pg && !memcmp(q, "\177ELF", 4);
			close(f);
			if (g != f)
				close(g);
		}
	printf("host files: %s\n", same == 2 * tries && tries ? "all right" : "wrong");
	free(page);
	/* many numbers in turn, each with its own file */
	int good = 0;
	for (int i = 0; i < 40; i++) {
		int f = open(i % 2 ? "a" : "b", O_RDONLY);
		int g = dup2(f, 10 + i);
		q = mmap(base, pg, PROT_READ, MAP_PRIVATE | MAP_FIXED, g, 0);
		good += q == base && base[0] == (i % 2 ? 'a' : 'p');
		close(f);
		close(g);
	}
	printf("40 numbers: %d right\n", good);
	/* in a forked child, with the numbers it inherited and new ones */
	pid_t pid = fork();
	if (pid == 0) {
		fixed("child: a", base, fa, PROT_READ, MAP_PRIVATE, pg);
		int f = open("b", O_RDONLY);
		fixed("child: b", base + pg, f, PROT_READ, MAP_PRIVATE, pg);
		fflush(stdout);
		_exit(0);
	}
	int st;
	waitpid(pid, &st, 0);
	YN("parent's map unchanged", base[0] == 'a' && base[pg] == 'c');
	/* MAP_FIXED_NOREPLACE over a map, and into a hole */
	q = mmap(base, pg, PROT_READ, MAP_PRIVATE | MAP_FIXED_NOREPLACE, fa, 0);
	printf("NOREPLACE over a map: %s\n", q == MAP_FAILED ? en(errno) : "mapped");
	munmap(base + pg, pg);
	q = mmap(base + pg, pg, PROT_READ, MAP_PRIVATE | MAP_FIXED_NOREPLACE, fa, 0);
	printf("NOREPLACE into a hole: %s\n", q == base + pg ? "mapped" : q == MAP_FAILED ? en(errno) : "elsewhere");
	munmap(base, 8 * pg);
	close(fa);
	return 0;
}
