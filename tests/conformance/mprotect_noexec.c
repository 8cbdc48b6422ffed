/* Mappings of a file on a noexec mount (natively in a private mount namespace): mmap with
 * PROT_EXEC is EPERM, a mapping made without it cannot gain it (mprotect EACCES, for
 * private and shared ones), while other changes work; the same file on an ordinary mount
 * and anonymous memory take PROT_EXEC. Run as root. */
#include "cf.h"
#include <sched.h>
#include <sys/mman.h>
#include <sys/mount.h>

static void
try(const char *label, const char *path, int flags)
{
	char l[128];
	int fd = open(path, O_RDWR);
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, flags, fd, 0);

	snprintf(l, sizeof(l), "%s: mmap rw", label);
	YN(l, p != MAP_FAILED);
	snprintf(l, sizeof(l), "%s: mprotect exec", label);
	R(l, mprotect(p, 4096, PROT_READ | PROT_EXEC));
	snprintf(l, sizeof(l), "%s: mprotect read", label);
	R(l, mprotect(p, 4096, PROT_READ));
	munmap(p, 4096);
	errno = 0;
	p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	printf("%s: mmap exec: %s\n", label, p == MAP_FAILED ? en(errno) : "ok");
	if (p != MAP_FAILED)
		munmap(p, 4096);
	close(fd);
}

int
main(void)
{
	cf_init();
	if (geteuid() != 0) {
		printf("not root: nothing to check\n");
		return 0;
	}
	if (unshare(CLONE_NEWNS) == 0)
		mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
	mkdir("nx", 0755);
	mkdir("ok", 0755);
	R("mount noexec", mount("", "nx", "tmpfs", MS_NOEXEC, ""));
	R("mount exec", mount("", "ok", "tmpfs", 0, ""));
	cf_write_file("nx/f", "data", 4);
	cf_write_file("ok/f", "data", 4);
	try("noexec private", "nx/f", MAP_PRIVATE);
	try("noexec shared", "nx/f", MAP_SHARED);
	try("exec private", "ok/f", MAP_PRIVATE);
	void *a = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	R("anonymous mprotect exec", mprotect(a, 4096, PROT_READ | PROT_EXEC));
	umount("nx");
	umount("ok");
	return 0;
}
