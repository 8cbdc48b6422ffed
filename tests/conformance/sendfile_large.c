/*
 * One sendfile call moves as much as asked up to Linux's MAX_RW_COUNT (INT_MAX rounded
 * down to a page): 40 MiB between two regular files in one call, with and without an
 * offset pointer, and a count past the end of the input file.
 */
#include "cf.h"
#include <sys/sendfile.h>

int
main(void)
{
	const off_t size = 40L << 20;
	int in, out;
	off_t off = 0;
	struct stat st;

	setvbuf(stdout, NULL, _IONBF, 0);
	cf_init();
	in = open("in", O_CREAT | O_RDWR, 0600);
	out = open("out", O_CREAT | O_WRONLY, 0600);
	if (ftruncate(in, size) < 0 || pwrite(in, "end", 3, size - 3) != 3)
		return 1;
	R("sendfile 40 MiB with an offset", sendfile(out, in, &off, (size_t)size));
	printf("offset after: %ld MiB\n", (long)(off >> 20));
	R("in's position (unchanged)", lseek(in, 0, SEEK_CUR));
	R("sendfile 3 GiB from the position", sendfile(out, in, NULL, 3UL << 30));
	R("in's position", lseek(in, 0, SEEK_CUR));
	fstat(out, &st);
	printf("out size: %ld MiB\n", (long)(st.st_size >> 20));
	close(in);
	close(out);
	unlink("in");
	unlink("out");
	return 0;
}
