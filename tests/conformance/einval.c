/* EINVAL (and neighbours) for bad flags, modes and arguments across common calls. */
#include <sys/mman.h>
#include <sys/uio.h>
#include <linux/fs.h>
#include <signal.h>
#include "cf.h"

int
main(void)
{
	cf_init();
	cf_write_file("f", "x", 1);
	int fd = open("f", O_RDWR);
	R("lseek bad whence", lseek(fd, 0, 42));
	R("lseek negative", lseek(fd, -1, SEEK_SET));
	R("fcntl bad cmd", fcntl(fd, 0x7fff));
	R("dup3 same fd", dup3(fd, fd, 0));
	R("dup3 bad flags", dup3(fd, fd + 1, 1));
	R("access bad mode", access("f", 0x80));
	R("faccessat bad flags", syscall(SYS_faccessat2, AT_FDCWD, "f", F_OK, 0x8000));
	R("unlinkat bad flags", unlinkat(AT_FDCWD, "f", 0x8));
	R("renameat2 bad flags", syscall(SYS_renameat2, AT_FDCWD, "f", AT_FDCWD, "g", 0x80));
	R("renameat2 EXCHANGE|NOREPLACE", syscall(SYS_renameat2, AT_FDCWD, "f", AT_FDCWD, "g", RENAME_EXCHANGE | RENAME_NOREPLACE));
	R("linkat bad flags", linkat(AT_FDCWD, "f", AT_FDCWD, "g", 0x2));
	R("fstatat bad flags", syscall(SYS_newfstatat, AT_FDCWD, "f", &(struct stat){0}, 0x1));
	R("utimensat bad flags", utimensat(AT_FDCWD, "f", NULL, 0x2));
	R("mmap flags 0, fd -1", (long)mmap(NULL, 4096, PROT_READ, 0, -1, 0) == -1 ? -1 : 0);
	R("munmap unaligned", munmap((void *)4097, 4096));
	R("mprotect bad prot", mprotect((void *)0, 0, 0x1000));
	R("readv negative iovcnt", readv(fd, NULL, -1));
	R("getrandom bad flags", syscall(SYS_getrandom, &(char[8]){0}, 8, 0x1000));
	R("clock_gettime bad clock", syscall(SYS_clock_gettime, 0x7fff, &(struct timespec){0}));
	R("open O_TMPFILE without write", open(".", O_TMPFILE | O_RDONLY, 0600));
	R("open bad flags O_PATH|O_CREAT dir", open("dd", O_PATH | O_CREAT | O_DIRECTORY, 0644));
	R("rmdir .", rmdir("."));
	R("rename into own subdir", (mkdir("d", 0755), rename("d", "d/sub")));
	R("readlink not a link", readlink("f", (char[8]){0}, 8));
	R("readlink bufsize 0", readlink("f", (char[8]){0}, 0));
	R("prctl bad option", syscall(SYS_prctl, 0x7fffffff, 0, 0, 0, 0));
	R("arch_prctl bad code", syscall(SYS_arch_prctl, 0x7777, 0));
	R("getrlimit bad resource", syscall(SYS_getrlimit, 99, &(char[16]){0}));
	R("umask high bits ok", umask(022));
	R("kill bad signal", kill(getpid(), 65));
	R("sched_getaffinity size 1", syscall(SYS_sched_getaffinity, 0, 1, &(char[8]){0}));
	R("madvise bad advice", madvise(NULL, 0, 9999));
	return 0;
}
