/* stdin is /dev/null under the harness: read returns 0, fstat says char device. */
#include <sys/stat.h>
#include "cf.h"

int
main(void)
{
	char b[16];
	struct stat st;
	R("read stdin", read(0, b, sizeof(b)));
	R("fstat stdin", fstat(0, &st));
	YN("stdin is chr", S_ISCHR(st.st_mode));
	R("write stdin (opened read-only by harness)", write(0, "x", 1));
	printf("getchar: %s\n", getchar() == EOF ? "EOF" : "data");
	R("fstat stdout", fstat(1, &st));
	YN("stdout is regular file", S_ISREG(st.st_mode));
	R("fcntl stdin F_GETFD", fcntl(0, F_GETFD));
	printf("stdin F_GETFL accmode: %d\n", fcntl(0, F_GETFL) & O_ACCMODE);
	printf("stdout F_GETFL accmode: %d\n", fcntl(1, F_GETFL) & O_ACCMODE);
	return 0;
}
