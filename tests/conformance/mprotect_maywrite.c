/*
 * A shared mapping of /dev/zero (or a file) opened read-only never becomes writable
 * (mprotect: EACCES); a private one may; a read-write open's shared one may.
 */
#include <sys/mman.h>

#include "cf.h"

int
main(void)
{
	int ro = open("/dev/zero", O_RDONLY), rw = open("/dev/zero", O_RDWR);
	char *a = mmap(NULL, 4096, PROT_READ, MAP_SHARED, ro, 0);
	char *b = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, ro, 0);
	char *c = mmap(NULL, 4096, PROT_READ, MAP_SHARED, rw, 0);

	setvbuf(stdout, NULL, _IOLBF, 0);
	OK("zero ro shared: PROT_WRITE", mprotect(a, 4096, PROT_WRITE));
	OK("zero ro shared: PROT_READ|PROT_EXEC", mprotect(a, 4096, PROT_READ | PROT_EXEC));
	OK("zero ro private: PROT_WRITE", mprotect(b, 4096, PROT_READ | PROT_WRITE));
	OK("zero rw shared: PROT_WRITE", mprotect(c, 4096, PROT_READ | PROT_WRITE));
	c[0] = 1;
	printf("written: %d\n", c[0]);
	cf_init();
	cf_write_file("f", "abc", 3);
	int f = open("f", O_RDONLY);
	char *d = mmap(NULL, 4096, PROT_READ, MAP_SHARED, f, 0);
	OK("file ro shared: PROT_WRITE", mprotect(d, 4096, PROT_READ | PROT_WRITE));
	return 0;
}
