/* memfd write seals against shared mappings: F_SEAL_WRITE is refused (EBUSY) while a writable
 * shared mapping exists, allowed once it is gone or read-only; a sealed memfd's read-only shared
 * mapping cannot become writable; private mappings stay free. */
#include "cf.h"
#include <sys/mman.h>
#include <sys/wait.h>

int
main(void)
{
	int fd = FD("memfd", memfd_create("seal", MFD_ALLOW_SEALING));
	R("ftruncate", ftruncate(fd, 8192));
	char *w = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	YN("shared writable mapping", w != MAP_FAILED);
	w[0] = 'a';
	R("F_SEAL_WRITE with it", fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
	R("seals", fcntl(fd, F_GET_SEALS));
	R("F_SEAL_GROW still", fcntl(fd, F_ADD_SEALS, F_SEAL_GROW));
	R("seals", fcntl(fd, F_GET_SEALS));
	/* a child's copy of the mapping counts too */
	pid_t c = fork();
	if (c == 0) {
		munmap(w, 8192);
		_exit(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE) < 0 ? errno : 0);
	}
	int st;
	waitpid(c, &st, 0);
	printf("child without its copy: %s\n", WEXITSTATUS(st) ? en(WEXITSTATUS(st)) : "0");
	R("mprotect read-only", mprotect(w, 8192, PROT_READ));
	R("F_SEAL_WRITE after mprotect", fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
	R("seals", fcntl(fd, F_GET_SEALS));
	R("mprotect writable again", mprotect(w, 8192, PROT_READ | PROT_WRITE));
	R("mprotect one page writable", mprotect(w + 4096, 4096, PROT_READ | PROT_WRITE));
	YN("content kept", w[0] == 'a');
	R("munmap", munmap(w, 8192));
	R("F_SEAL_WRITE unmapped", fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
	R("seals", fcntl(fd, F_GET_SEALS));
	char *r = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	YN("new read-only shared mapping", r != MAP_FAILED);
	YN("content kept", r[0] == 'a');
	R("mprotect it writable", mprotect(r, 4096, PROT_READ | PROT_WRITE));
	R("mprotect it exec", mprotect(r, 4096, PROT_READ | PROT_EXEC) < 0 ? -1 : 0);
	errno = 0;
	char *x = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	printf("new writable shared mapping: %s\n", x == MAP_FAILED ? en(errno) : "ok");
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	YN("private writable mapping", p != MAP_FAILED);
	p[0] = 'b';
	YN("private copy written, file not", p[0] == 'b' && r[0] == 'a');
	R("write", write(fd, "x", 1));

	/* a second memfd: sealed while mapped shared read-only (with MAP_SHARED_VALIDATE too) */
	int fd2 = FD("memfd 2", memfd_create("seal2", MFD_ALLOW_SEALING));
	R("ftruncate", ftruncate(fd2, 4096));
	char *r2 = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd2, 0);
	YN("read-only shared mapping", r2 != MAP_FAILED);
	R("F_SEAL_WRITE with a read-only one", fcntl(fd2, F_ADD_SEALS, F_SEAL_WRITE));
	R("mprotect it writable", mprotect(r2, 4096, PROT_READ | PROT_WRITE));
	return 0;
}
