/* /proc/self/smaps and smaps_rollup: one stanza per maps line with Linux's fields in
 * order; a touched private anonymous mapping's Size, Rss, Anonymous and VmFlags; the
 * rollup's header line and fields. */
#include "cf.h"
#include <stdbool.h>
#include <sys/mman.h>

static char *
slurp(const char *path)
{
	static char buf[1 << 20];
	int fd = open(path, O_RDONLY);
	size_t n = 0;
	ssize_t r;

	if (fd < 0) {
		printf("open %s: %s\n", path, en(errno));
		exit(0);
	}
	while ((r = read(fd, buf + n, sizeof(buf) - 1 - n)) > 0)
		n += r;
	close(fd);
	buf[n] = '\0';
	return strdup(buf);
}

static int
count_lines(const char *s, bool (*pred)(const char *))
{
	int n = 0;

	for (const char *l = s; *l; l = strchr(l, '\n') + 1) {
		if (pred(l))
			n++;
		if (!strchr(l, '\n'))
			break;
	}
	return n;
}

static bool
any(const char *l)
{
	return true;
}

static bool
range_line(const char *l)
{
	return strchr("0123456789abcdef", l[0]) && strchr(l, '-') && strchr(l, '-') < strchr(l, ' ');
}

/* The value of field name in the stanza of the mapping at addr (kB), or -1. */
static long
stanza_field(const char *smaps, void *addr, const char *name)
{
	char want[64];
	const char *s, *end, *f;

	snprintf(want, sizeof(want), "%lx-", (unsigned long)addr);
	s = strstr(smaps, want);
	if (!s || !(end = strstr(s, "VmFlags:")))
		return -1;
	f = strstr(s, name);
	return f && f < end ? atol(f + strlen(name)) : -1;
}

static void
vmflags(const char *smaps, void *addr, const char *label)
{
	char want[64];
	const char *s, *f;

	snprintf(want, sizeof(want), "%lx-", (unsigned long)addr);
	s = strstr(smaps, want);
	f = s ? strstr(s, "VmFlags:") : NULL;
	printf("%s %.*s\n", label, f ? (int)strcspn(f, "\n") : 7, f ? f : "missing");
}

/* A touched MAP_SHARED anonymous mapping that no other process maps: its pages count as
 * private; a read-only file mapped MAP_SHARED from an O_RDONLY descriptor is "ms" without
 * "sh" or "mw". */
static void
shared_stanzas(void)
{
	char *g = mmap(NULL, 4 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *p = mmap(g + 4096, 2 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	memset(p, 1, 2 * 4096);
	cf_init();
	cf_write_file("f", "x", 1);
	ftruncate(open("f", O_WRONLY), 4096);
	int fd = open("f", O_RDONLY);
	char *gf = mmap(NULL, 3 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *fm = mmap(gf + 4096, 4096, PROT_READ, MAP_SHARED | MAP_FIXED, fd, 0);
	volatile char c = fm[0];
	(void)c;
	char *sm = slurp("/proc/self/smaps");
	long rss = stanza_field(sm, p, "Rss:");
	printf("shared anon Rss %ld Shared_Clean %ld Shared_Dirty %ld\n", rss,
	       stanza_field(sm, p, "Shared_Clean:"), stanza_field(sm, p, "Shared_Dirty:"));
	YN("shared anon private = rss", stanza_field(sm, p, "Private_Clean:") +
	   stanza_field(sm, p, "Private_Dirty:") == rss);
	vmflags(sm, p, "shared anon");
	printf("ro shared file Shared_Clean %ld Shared_Dirty %ld\n",
	       stanza_field(sm, fm, "Shared_Clean:"), stanza_field(sm, fm, "Shared_Dirty:"));
	vmflags(sm, fm, "ro shared file");
}

int
main(void)
{
	char want[64];
	size_t len = 64 * 1024;
	/* guard pages on both sides: the kernel cannot merge it with a neighbour */
	char *g = mmap(NULL, len + 2 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *p = g + 4096;
	char *maps, *smaps, *roll, *s, *e;

	mprotect(p, len, PROT_READ | PROT_WRITE);

	memset(p, 1, len);
	maps = slurp("/proc/self/maps");
	smaps = slurp("/proc/self/smaps");
	roll = slurp("/proc/self/smaps_rollup");
	YN("a stanza per maps line", count_lines(maps, any) == count_lines(smaps, range_line));
	/* the fields of the first stanza, in order */
	s = strchr(smaps, '\n') + 1;
	e = strstr(s, "VmFlags:");
	for (char *l = s; l && l <= e; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		printf("field %.*s\n", (int)(strchr(l, ':') - l), l);
	snprintf(want, sizeof(want), "%lx-%lx ", (unsigned long)p, (unsigned long)p + len);
	s = strstr(smaps, want);
	YN("our mapping found", s);
	if (s) {
		char *end = strstr(s, "VmFlags:");
		*strchr(end, '\n') = '\0';
	}
	if (s) {
		const char *fields[] = { "Size:", "Rss:", "Anonymous:", "Private_Dirty:", "Swap:" };
		for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
			char *f = strstr(s, fields[i]);
			printf("%s\n", f ? strndup(f, strchr(f, '\n') ? strchr(f, '\n') - f : strlen(f)) : "missing");
		}
		printf("%s\n", strstr(s, "VmFlags:"));
	}
	YN("rollup header ends with [rollup]", strstr(roll, "[rollup]\n") && strstr(roll, "[rollup]\n") < strchr(roll, '\n') + 1);
	R("rollup name column", strchr(roll, '[') - roll);
	for (char *l = strchr(roll, '\n') + 1; *l; l = strchr(l, '\n') + 1)
		printf("rollup %.*s\n", (int)(strchr(l, ':') - l), l);
	shared_stanzas();
	return 0;
}
