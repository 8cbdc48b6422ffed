/* readv/writev/preadv/pwritev: scatter/gather, counts, iovcnt limits. */
#include <sys/uio.h>
#include <limits.h>
#include "cf.h"

int
main(void)
{
	char a[4], b[8], c[16];
	struct iovec iov[3];

	cf_init();
	int fd = open("f", O_RDWR | O_CREAT, 0644);
	iov[0] = (struct iovec){ "abc", 3 };
	iov[1] = (struct iovec){ "", 0 };
	iov[2] = (struct iovec){ "defghij", 7 };
	R("writev 3 iov", writev(fd, iov, 3));
	R("writev 0 iov", writev(fd, iov, 0));
	R("writev -1 iovcnt", writev(fd, iov, -1));
	R("writev IOV_MAX+1", writev(fd, iov, IOV_MAX + 1));
	lseek(fd, 0, SEEK_SET);
	memset(a, 0, sizeof(a)); memset(b, 0, sizeof(b));
	iov[0] = (struct iovec){ a, 3 };
	iov[1] = (struct iovec){ b, 7 };
	R("readv", readv(fd, iov, 2));
	printf("a=%.3s b=%.7s\n", a, b);
	R("readv at EOF", readv(fd, iov, 2));
	memset(c, 0, sizeof(c));
	iov[0] = (struct iovec){ c, 2 };
	iov[1] = (struct iovec){ c + 2, 2 };
	R("preadv @4", preadv(fd, iov, 2, 4));
	printf("c=%s\n", c);
	iov[0] = (struct iovec){ "XY", 2 };
	R("pwritev @1", pwritev(fd, iov, 1, 1));
	R("offset", lseek(fd, 0, SEEK_CUR));
	memset(c, 0, sizeof(c));
	R("pread all", pread(fd, c, sizeof(c) - 1, 0));
	printf("file=%s\n", c);
	R("preadv negative offset", preadv(fd, iov, 1, -2));
	iov[0] = (struct iovec){ c, (size_t)-1 };
	R("readv huge len", readv(fd, iov, 1));
	iov[0] = (struct iovec){ c, 4 };
	iov[1] = (struct iovec){ (void *)1, 4 };
	lseek(fd, 0, SEEK_SET);
	R("readv second iov bad", readv(fd, iov, 2));
	close(fd);
	R("writev bad fd", writev(fd, iov, 1));
	return 0;
}
