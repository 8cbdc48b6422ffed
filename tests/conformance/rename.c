/* rename/renameat/renameat2: overwrite rules, directory cases, NOREPLACE, EXCHANGE. */
#include <linux/fs.h>
#include "cf.h"

static void
cat(const char *p)
{
	char b[32] = {0};
	int fd = open(p, O_RDONLY);
	if (fd < 0) {
		printf("  %s: %s\n", p, en(errno));
		return;
	}
	read(fd, b, sizeof(b) - 1);
	close(fd);
	printf("  %s: %s\n", p, b);
}

int
main(void)
{
	cf_init();
	cf_write_file("a", "AAA", 3);
	cf_write_file("b", "BBB", 3);
	mkdir("d1", 0755);
	mkdir("d2", 0755);
	mkdir("full", 0755);
	cf_write_file("full/x", "x", 1);
	R("rename a -> c", rename("a", "c"));
	R("a gone", access("a", F_OK));
	cat("c");
	R("rename c over b", rename("c", "b"));
	cat("b");
	R("rename missing", rename("missing", "z"));
	R("rename b -> b", rename("b", "b"));
	R("rename dir over empty dir", rename("d1", "d2"));
	R("d1 gone", access("d1", F_OK));
	R("rename dir over nonempty", rename("d2", "full"));
	R("rename file over dir", rename("b", "full"));
	R("rename dir over file", rename("full", "b"));
	R("rename dir into itself", rename("full", "full/sub"));
	R("rename to missing dir", rename("b", "nodir/b"));
	R("rename file with trailing slash", rename("b", "b2/"));
	R("rename dir with trailing slash", rename("d2/", "d3/"));
	R("rename .", rename(".", "x"));
	R("rename to empty", rename("b", ""));
	R("rename into dir", rename("b", "full/b"));
	cat("full/b");
	int dfd = open("full", O_RDONLY);
	R("renameat relative", renameat(dfd, "b", AT_FDCWD, "back"));
	cat("back");
	cf_write_file("e1", "E1", 2);
	cf_write_file("e2", "E2", 2);
	R("RENAME_NOREPLACE existing", renameat2(AT_FDCWD, "e1", AT_FDCWD, "e2", RENAME_NOREPLACE));
	R("RENAME_NOREPLACE new", renameat2(AT_FDCWD, "e1", AT_FDCWD, "e3", RENAME_NOREPLACE));
	R("RENAME_EXCHANGE", renameat2(AT_FDCWD, "e2", AT_FDCWD, "e3", RENAME_EXCHANGE));
	cat("e2");
	cat("e3");
	R("RENAME_EXCHANGE missing", renameat2(AT_FDCWD, "e2", AT_FDCWD, "zz", RENAME_EXCHANGE));
	R("RENAME_EXCHANGE file<->dir", renameat2(AT_FDCWD, "e2", AT_FDCWD, "d3", RENAME_EXCHANGE));
	R("exchanged type", access("e2/.", F_OK));
	R("NOREPLACE|EXCHANGE", renameat2(AT_FDCWD, "e2", AT_FDCWD, "e3", RENAME_NOREPLACE | RENAME_EXCHANGE));
	R("renameat2 bad flags", renameat2(AT_FDCWD, "e2", AT_FDCWD, "e3", 0x100));
	symlink("e3", "sl");
	R("rename symlink", rename("sl", "sl2"));
	char t[16] = {0};
	R("readlink renamed", readlink("sl2", t, sizeof(t)));
	printf("  target: %s\n", t);
	/* two links of one file: nothing happens, both stay */
	R("link e3 -> hl", link("e3", "hl"));
	R("rename link onto its other link", rename("e3", "hl"));
	R("e3 still there", access("e3", F_OK));
	R("RENAME_EXCHANGE of two links", renameat2(AT_FDCWD, "e3", AT_FDCWD, "hl", RENAME_EXCHANGE));
	/* a proc file onto itself (a writable mount): nothing to do, whatever proc allows */
	R("rename /proc/self/stat to itself", rename("/proc/self/stat", "/proc/self/stat"));
	R("rename /proc/self/status onto stat", rename("/proc/self/status", "/proc/self/stat"));
	return 0;
}
