/* mknod/mkfifo: FIFOs and regular files via mknod, EEXIST, bad types. */
#include <sys/sysmacros.h>
#include "cf.h"

static void
ty(const char *label, const char *p)
{
	struct stat st;
	if (lstat(p, &st) < 0) {
		printf("%s: %s\n", label, en(errno));
		return;
	}
	printf("%s: fifo=%d reg=%d mode=%o size=%lld\n", label, S_ISFIFO(st.st_mode),
	       S_ISREG(st.st_mode), st.st_mode & 07777, (long long)st.st_size);
}

int
main(void)
{
	cf_init();
	R("mkfifo", mkfifo("p", 0640));
	ty("p", "p");
	R("mkfifo again", mkfifo("p", 0640));
	R("mknod S_IFIFO", mknod("p2", S_IFIFO | 0600, 0));
	ty("p2", "p2");
	R("mknod S_IFREG", mknod("r", S_IFREG | 0600, 0));
	ty("r", "r");
	R("mknod type 0 (regular)", mknod("r0", 0644, 0));
	ty("r0", "r0");
	R("mknod bad type", mknod("bad", 0170000 | 0644, 0));
	R("mknod S_IFDIR", mknod("dd", S_IFDIR | 0755, 0));
	R("mknodat", mknodat(AT_FDCWD, "p3", S_IFIFO | 0644, 0));
	R("mkfifo in missing dir", mkfifo("nodir/p", 0644));
	R("unlink fifo", unlink("p"));
	return 0;
}
