/* Two old calls: sysfs(2) (filesystem type indexes: by name, name by index, count; each
 * name's index is its place in /proc/filesystems) and ustat(2) (a mounted filesystem by
 * its old-style device number), with their errors. */
#include "cf.h"
#include <sys/mman.h>
#include <sys/sysmacros.h>

/* The old u32 device encoding ustat takes (Linux new_encode_dev). */
static unsigned
old_dev(dev_t d)
{
	return (minor(d) & 0xff) | (major(d) << 8) | ((minor(d) & ~0xffU) << 12);
}

/* Whether the names sysfs(2) gives are /proc/filesystems' second column, in order. */
static int
same_as_proc(long n)
{
	char line[256], name[64], buf[256];
	FILE *f = fopen("/proc/filesystems", "r");
	long i = 0;
	int ok = f != NULL;

	while (ok && fgets(line, sizeof(line), f)) {
		char *tab = strchr(line, '\t');
		if (!tab || sscanf(tab + 1, "%63s", name) != 1 || i >= n ||
		    syscall(SYS_sysfs, 2, i, buf) != 0 || strcmp(buf, name))
			ok = 0;
		i++;
	}
	if (f)
		fclose(f);
	return ok && i == n;
}

int
main(void)
{
	char buf[256];
	struct stat st;
	void *bad = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	cf_init();
	long n = syscall(SYS_sysfs, 3);
	YN("count > 0", n > 0);
	YN("names and order as /proc/filesystems", same_as_proc(n));
	int round = 1;
	for (long i = 0; i < n; i++)
		round &= syscall(SYS_sysfs, 2, i, buf) == 0 && syscall(SYS_sysfs, 1, buf) == i;
	YN("index of each name's name is itself", round);
	YN("tmpfs and proc have indexes", syscall(SYS_sysfs, 1, "tmpfs") >= 0 &&
	   syscall(SYS_sysfs, 1, "proc") >= 0);
	R("unknown name", syscall(SYS_sysfs, 1, "nosuchfs"));
	R("empty name", syscall(SYS_sysfs, 1, ""));
	R("bad name pointer", syscall(SYS_sysfs, 1, bad));
	R("index = count", syscall(SYS_sysfs, 2, n, buf));
	R("index -1", syscall(SYS_sysfs, 2, -1, buf));
	R("bad buffer", syscall(SYS_sysfs, 2, 0, bad));
	R("option 0", syscall(SYS_sysfs, 0));
	R("option 4", syscall(SYS_sysfs, 4));

	struct { int tfree; unsigned long tinode; char fname[6], fpack[6]; } u;
	stat("/", &st);
	R("ustat /", syscall(SYS_ustat, old_dev(st.st_dev), &u));
	stat("/proc/self", &st);
	R("ustat /proc", syscall(SYS_ustat, old_dev(st.st_dev), &u));
	stat(".", &st);
	R("ustat of the scratch dir", syscall(SYS_ustat, old_dev(st.st_dev), &u));
	R("ustat, bad buffer", syscall(SYS_ustat, old_dev(st.st_dev), bad));
	R("ustat, no such device", syscall(SYS_ustat, 0xfffffffeU, &u));
	return 0;
}
