/*
 * /proc/sys/vm/nr_hugepages and drop_caches, as LTP's hugepage setup uses them
 * (tst_reserve_hugepages writes drop_caches, then nr_hugepages, then reads it back):
 * nr_hugepages reads a number and takes one (its own value back: no change to the host),
 * refusing a negative one or text; drop_caches is write-only even for root (Linux's
 * sysctl permission gives root the owner's bits, 0200) and takes 1 to 4 (4 drops
 * nothing: it only silences the kernel's message; 5 is left out, which some vendor kernels
 * take and mainline refuses).
 */
#include "cf.h"

static void
try_read(const char *path)
{
	char b[64];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, b, sizeof(b) - 1) : -1;

	printf("read %s: %s\n", cf_base(path), n > 0 && b[n - 1] == '\n' ? "a line" :
	       n >= 0 ? "no line" : en(errno));
	if (fd >= 0)
		close(fd);
}

int
main(void)
{
	const char *nr = "/proc/sys/vm/nr_hugepages", *dc = "/proc/sys/vm/drop_caches";
	char cur[32] = "";
	struct stat st;
	FILE *f = fopen(nr, "r");

	if (!f || !fgets(cur, sizeof(cur), f))
		printf("nr_hugepages: unreadable\n");
	if (f)
		fclose(f);
	unsigned long v = strtoul(cur, NULL, 10);
	snprintf(cur, sizeof(cur), "%lu\n", v);
	if (stat(nr, &st) == 0)
		printf("nr_hugepages mode %o\n", st.st_mode & 07777);
	try_read(nr);
	cf_write_value(nr, "-1");
	cf_write_value(nr, "x");
	int fd = open(nr, O_WRONLY);
	ssize_t n = fd >= 0 ? write(fd, cur, strlen(cur)) : -1;
	printf("write nr_hugepages its own value: %s\n", n >= 0 ? "ok" : en(errno));
	if (fd >= 0)
		close(fd);

	if (stat(dc, &st) == 0)
		printf("drop_caches mode %o\n", st.st_mode & 07777);
	try_read(dc);
	cf_write_value(dc, "0");
	cf_write_value(dc, "x");
	cf_write_value(dc, "4");
	return 0;
}
