/*
 * sendfile, splice, tee, vmsplice and copy_file_range of 0 bytes: splice returns 0 before
 * looking at anything (bad descriptors and flags too), tee after its flags, vmsplice once
 * its descriptor is readable or writable (a pipe or not), sendfile after the descriptors'
 * modes and O_APPEND (a directory is refused only when bytes are asked for, a pipe as
 * input always), copy_file_range after all its checks.
 */
#include "cf.h"
#include <sys/epoll.h>
#include <sys/sendfile.h>
#include <sys/uio.h>

int
main(void)
{
	int p[2];

	cf_init();
	cf_write_file("a", "hello", 5);
	int a = open("a", O_RDONLY), w = open("a", O_WRONLY);
	int b = open("b", O_RDWR | O_CREAT, 0644), ap = open("b", O_WRONLY | O_APPEND);
	int d = open(".", O_RDONLY), e = epoll_create1(0);
	pipe(p);

	R("sendfile 0", sendfile(b, a, NULL, 0));
	R("sendfile 0 from write-only", sendfile(b, w, NULL, 0));
	R("sendfile 0 to read-only", sendfile(a, a, NULL, 0));
	R("sendfile 0 to append", sendfile(ap, a, NULL, 0));
	R("sendfile 0 to a pipe", sendfile(p[1], a, NULL, 0));
	R("sendfile 0 to epoll", sendfile(e, a, NULL, 0));
	R("sendfile 0 from a directory", sendfile(b, d, NULL, 0));
	R("sendfile 5 from a directory", sendfile(b, d, NULL, 5));
	R("sendfile 0 from a directory to a pipe", sendfile(p[1], d, NULL, 0));
	R("sendfile 0 from a pipe", sendfile(b, p[0], NULL, 0));

	R("splice 0 pipe to file", splice(p[0], NULL, b, NULL, 0, 0));
	R("splice 0 file to pipe", splice(a, NULL, p[1], NULL, 0, 0));
	R("splice 0 file to file", splice(a, NULL, b, NULL, 0, 0));
	R("splice 5 file to file", splice(a, NULL, b, NULL, 5, 0));
	R("splice 0 directory to pipe", splice(d, NULL, p[1], NULL, 0, 0));
	R("splice 0 pipe to write-only", splice(p[0], NULL, a, NULL, 0, 0));
	R("splice 0 bad descriptors", splice(-1, NULL, -1, NULL, 0, 0));
	R("splice 0 bad flags", splice(a, NULL, b, NULL, 0, 0xffff));

	R("tee 0", tee(p[0], p[1], 0, 0));
	R("tee 0 bad descriptors", tee(-1, -1, 0, 0));
	R("tee 0 bad flags", tee(p[0], p[1], 0, 0xffff));

	struct iovec iov = { NULL, 0 };
	R("vmsplice 0", vmsplice(p[1], NULL, 0, 0));
	R("vmsplice empty", vmsplice(p[1], &iov, 1, 0));
	R("vmsplice 0 bad descriptor", vmsplice(-1, NULL, 0, 0));
	R("vmsplice 0 to a file", vmsplice(a, NULL, 0, 0));
	R("vmsplice empty to a directory", vmsplice(d, &iov, 1, 0));
	iov.iov_base = "x";
	iov.iov_len = 1;
	R("vmsplice 1 to a file", vmsplice(b, &iov, 1, 0));

	R("copy_file_range 0", copy_file_range(a, NULL, b, NULL, 0, 0));
	R("copy_file_range 0 from write-only", copy_file_range(w, NULL, b, NULL, 0, 0));
	R("copy_file_range 0 to read-only", copy_file_range(a, NULL, a, NULL, 0, 0));
	R("copy_file_range 0 from a directory", copy_file_range(d, NULL, b, NULL, 0, 0));
	R("copy_file_range 0 from a pipe", copy_file_range(p[0], NULL, b, NULL, 0, 0));
	R("copy_file_range 0 bad flags", copy_file_range(a, NULL, b, NULL, 0, 1));
	R("copy_file_range 0 bad descriptor", copy_file_range(-1, NULL, b, NULL, 0, 0));
	struct stat st;
	fstat(b, &st);
	printf("b size: %ld\n", (long)st.st_size);
	return 0;
}
