/* EFAULT: bad pointers passed to syscalls must fail cleanly, never crash the caller. */
#include <sys/uio.h>
#include <sys/utsname.h>
#include <time.h>
#include "cf.h"

int
main(void)
{
	cf_init();
	void *bad1 = (void *)1;
	void *gone = cf_unmapped();
	void *kern = (void *)0xffffffffff600000UL - 0x1000000;
	int fd = open("f", O_RDWR | O_CREAT, 0644);
	write(fd, "0123456789", 10);
	int nul = open("/dev/null", O_RDWR);
	int zero = open("/dev/zero", O_RDONLY);
	R("write from (void*)1", syscall(SYS_write, fd, bad1, 10));
	R("write from unmapped", syscall(SYS_write, fd, gone, 10));
	R("write from kernel addr", syscall(SYS_write, fd, kern, 10));
	R("write to /dev/null ignores the buffer", syscall(SYS_write, nul, bad1, 10));
	R("write len 0 bad pointer", syscall(SYS_write, fd, bad1, 0));
	R("read into (void*)1", syscall(SYS_read, zero, bad1, 10));
	R("read into unmapped", syscall(SYS_pread64, fd, gone, 10, 0));
	R("read len 0 bad pointer", syscall(SYS_read, fd, bad1, 0));
	R("open bad path (void*)1", syscall(SYS_open, bad1, O_RDONLY));
	R("openat bad path unmapped", syscall(SYS_openat, AT_FDCWD, gone, O_RDONLY));
	R("open NULL path", syscall(SYS_open, NULL, O_RDONLY));
	R("stat bad path", syscall(SYS_stat, bad1, bad1));
	R("stat into bad buffer", syscall(SYS_stat, "f", bad1));
	R("stat into unmapped", syscall(SYS_stat, "f", gone));
	R("fstat into bad buffer", syscall(SYS_fstat, fd, bad1));
	R("lstat missing + bad buf", syscall(SYS_lstat, "missing", bad1));
	R("newfstatat bad buffer", syscall(SYS_newfstatat, AT_FDCWD, "f", gone, 0));
	R("readv bad iov array", syscall(SYS_readv, fd, bad1, 1));
	struct iovec iov = { gone, 10 };
	R("writev iov base unmapped", syscall(SYS_writev, fd, &iov, 1));
	R("getcwd bad buffer", syscall(SYS_getcwd, bad1, 100));
	R("readlink bad buffer", syscall(SYS_readlink, "/proc/self/exe", bad1, 100));
	R("readlink bad path", syscall(SYS_readlink, gone, bad1, 100));
	R("mkdir bad path", syscall(SYS_mkdir, bad1, 0755));
	R("unlink bad path", syscall(SYS_unlink, gone));
	R("rename bad old", syscall(SYS_rename, bad1, "x"));
	R("rename bad new", syscall(SYS_rename, "f", bad1));
	R("chdir bad path", syscall(SYS_chdir, bad1));
	R("access bad path", syscall(SYS_access, gone, F_OK));
	R("uname bad buffer", syscall(SYS_uname, gone));
	R("clock_gettime bad buffer", syscall(SYS_clock_gettime, CLOCK_REALTIME, gone));
	R("nanosleep bad req", syscall(SYS_nanosleep, gone, NULL));
	R("getdents64 bad buffer", syscall(SYS_getdents64, open(".", O_RDONLY), gone, 4096));
	/* a buffer that starts valid and runs into an unmapped page */
	char *two = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(two + 4096, 4096);
	memset(two, 'x', 4096);
	long r = syscall(SYS_write, fd, two + 4090, 20);
	printf("write straddling unmapped page: %s\n",
	       r == 6 ? "short write 6" : r < 0 ? en(errno) : "other");
	r = syscall(SYS_read, zero, two + 4090, 20);
	printf("read straddling unmapped page: %s\n",
	       r == 6 ? "short read 6" : r < 0 ? en(errno) : "other");
	printf("survived: yes\n");
	return 0;
}
