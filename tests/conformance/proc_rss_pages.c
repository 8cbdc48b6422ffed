/* Resident memory as /proc reports it: a big private anonymous mapping counts nothing
 * until its pages are touched, then exactly those (status VmRSS and RssAnon, statm,
 * stat's rss, smaps and smaps_rollup); MADV_DONTNEED and munmap take them off; a shared
 * anonymous mapping's written pages are RssShmem and statm's shared. Relations on the
 * growth only: the rest of the process differs. (VmHWM's peak is not compared: Linux
 * records it only at some points, which vary by version.) */
#include "cf.h"
#include <sys/mman.h>

#define PG 4096L
#define BIG (64L << 20)   /* mapped */
#define N 1024L           /* pages touched: 4 MiB */
#define SLACK (512L << 10) /* what else the process may map or touch meanwhile */

static char text[65536];

static const char *
slurp(const char *path)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, text, sizeof(text) - 1);

	if (fd >= 0)
		close(fd);
	text[n > 0 ? n : 0] = '\0';
	return text;
}

/* The kB of line "name" of a /proc file, -1 without it. */
static long
kb(const char *path, const char *name)
{
	const char *t = slurp(path), *l = strstr(t, name);

	return l ? atol(l + strlen(name)) : -1;
}

/* The kB of field name in the smaps entry that starts at p. */
static long
smaps_kb(void *p, const char *name)
{
	char want[64];
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	long v = -1;
	int in = 0;

	snprintf(want, sizeof(want), "%lx-", (unsigned long)p);
	while (f && fgets(line, sizeof(line), f)) {
		if (strchr(line, '-') && line[0] != ' ' && strchr("0123456789abcdef", line[0]))
			in = !strncmp(line, want, strlen(want));
		else if (in && !strncmp(line, name, strlen(name)))
			v = atol(line + strlen(name));
	}
	if (f)
		fclose(f);
	return v;
}

struct fig {
	long rss, anon, shmem, hwm, statm_res, statm_shared, stat_rss, roll_rss, roll_anon;
};

static void
figures(struct fig *f)
{
	unsigned long size, res, shared;

	f->rss = kb("/proc/self/status", "VmRSS:") * 1024;
	f->anon = kb("/proc/self/status", "RssAnon:") * 1024;
	f->shmem = kb("/proc/self/status", "RssShmem:") * 1024;
	f->hwm = kb("/proc/self/status", "VmHWM:") * 1024;
	sscanf(slurp("/proc/self/statm"), "%lu %lu %lu", &size, &res, &shared);
	f->statm_res = (long)res * PG;
	f->statm_shared = (long)shared * PG;
	const char *p = strrchr(slurp("/proc/self/stat"), ')');
	long v = 0;
	for (int field = 2; p && field < 24; field++)
		p = strchr(p + 1, ' ');
	if (p)
		v = atol(p + 1);
	f->stat_rss = v * PG;
	f->roll_rss = kb("/proc/self/smaps_rollup", "\nRss:") * 1024;
	f->roll_anon = kb("/proc/self/smaps_rollup", "\nAnonymous:") * 1024;
}

/* Did figure x grow by want (give or take SLACK)? */
static int
grew(long before, long after, long want)
{
	return after - before >= want - SLACK && after - before <= want + SLACK;
}

int
main(void)
{
	struct fig a, b, c, d;

	figures(&a);
	char *p = mmap(NULL, BIG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 1;
	figures(&b);
	YN("untouched 64 MiB: VmRSS about the same", grew(a.rss, b.rss, 0));
	YN("untouched: statm resident about the same", grew(a.statm_res, b.statm_res, 0));
	YN("untouched: smaps Rss 0", smaps_kb(p, "Rss:") == 0);
	for (long i = 0; i < N; i++)
		p[i * PG] = 1;
	figures(&c);
	YN("touched 4 MiB: VmRSS grew by it", grew(b.rss, c.rss, N * PG));
	YN("touched: RssAnon grew by it", grew(b.anon, c.anon, N * PG));
	YN("touched: statm resident grew by it", grew(b.statm_res, c.statm_res, N * PG));
	YN("touched: stat rss grew by it", grew(b.stat_rss, c.stat_rss, N * PG));
	YN("touched: smaps_rollup Rss grew by it", grew(b.roll_rss, c.roll_rss, N * PG));
	YN("touched: smaps_rollup Anonymous grew by it", grew(b.roll_anon, c.roll_anon, N * PG));
	R("touched: smaps Rss kB", smaps_kb(p, "Rss:"));
	R("touched: smaps Anonymous kB", smaps_kb(p, "Anonymous:"));
	R("touched: smaps Private_Dirty kB", smaps_kb(p, "Private_Dirty:"));
	YN("VmHWM >= VmRSS", c.hwm >= c.rss);

	madvise(p, N / 2 * PG, MADV_DONTNEED);
	R("after MADV_DONTNEED of half: smaps Rss kB", smaps_kb(p, "Rss:"));
	for (long i = 0; i < N / 2; i++)
		p[i * PG] = 1;
	R("touched again: smaps Rss kB", smaps_kb(p, "Rss:"));
	munmap(p, BIG);
	figures(&d);
	YN("unmapped: VmRSS back", grew(b.rss, d.rss, 0));
	YN("unmapped: VmHWM >= VmRSS", d.hwm >= d.rss);

	char *s = mmap(NULL, 1L << 20, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (s == MAP_FAILED)
		return 1;
	figures(&a);
	memset(s, 1, 1L << 20);
	figures(&b);
	YN("shared anonymous 1 MiB written: RssShmem grew by it",
	   grew(a.shmem, b.shmem, 1L << 20));
	YN("shared anonymous: statm shared grew by it",
	   grew(a.statm_shared, b.statm_shared, 1L << 20));
	YN("shared anonymous: RssAnon about the same", grew(a.anon, b.anon, 0));
	R("shared anonymous: smaps Rss kB", smaps_kb(s, "Rss:"));
	R("shared anonymous: smaps Anonymous kB", smaps_kb(s, "Anonymous:"));

	/* many mappings (more than one reply of the sandbox's holds): each its own figures */
	enum { M = 300 };
	char *q = mmap(NULL, 2 * M * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	if (q == MAP_FAILED)
		return 1;
	for (long i = 0; i < 2 * M; i++) {
		if (i % 2)
			mprotect(q + i * PG, PG, PROT_READ);
		else
			q[i * PG] = 1;
	}
	int right = 0;
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	unsigned long lo = 0, hi = 0;
	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' '))
			continue;
		if (!strncmp(line, "Rss:", 4) && lo >= (unsigned long)q &&
		    hi <= (unsigned long)(q + 2 * M * PG))
			right += atol(line + 4) == ((lo - (unsigned long)q) / PG % 2 ? 0 : 4);
	}
	if (f)
		fclose(f);
	R("of 600 one-page mappings, smaps Rss right", right);
	return 0;
}
