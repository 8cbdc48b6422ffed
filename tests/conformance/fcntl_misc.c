/* fcntl beyond locks: leases (F_SETLEASE/F_GETLEASE and their conflicts with other opens),
 * F_SETOWN/F_GETOWN(_EX), F_SETSIG/F_GETSIG, write-life hints; the clone/extent ioctls
 * of regular files; creating names in /proc. */
#include <linux/fs.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include "cf.h"

int
main(void)
{
	cf_init();
	cf_write_file("f", "abc", 3);
	int r = open("f", O_RDONLY);
	R("RDLCK lease on O_RDONLY", fcntl(r, F_SETLEASE, F_RDLCK));
	R("GETLEASE", fcntl(r, F_GETLEASE));
	R("UNLCK lease", fcntl(r, F_SETLEASE, F_UNLCK));
	R("GETLEASE after unlock", fcntl(r, F_GETLEASE));
	R("UNLCK without lease", fcntl(r, F_SETLEASE, F_UNLCK));
	R("WRLCK lease, only opener", fcntl(r, F_SETLEASE, F_WRLCK));
	R("GETLEASE wr", fcntl(r, F_GETLEASE));
	fcntl(r, F_SETLEASE, F_UNLCK);
	R("bad lease type", fcntl(r, F_SETLEASE, 7));
	int r2 = open("f", O_RDONLY);
	R("WRLCK lease with another reader", fcntl(r, F_SETLEASE, F_WRLCK));
	R("RDLCK lease with another reader", fcntl(r, F_SETLEASE, F_RDLCK));
	fcntl(r, F_SETLEASE, F_UNLCK);
	close(r2);
	int w = open("f", O_WRONLY);
	R("RDLCK lease with a writer", fcntl(r, F_SETLEASE, F_RDLCK));
	R("WRLCK lease with a writer", fcntl(r, F_SETLEASE, F_WRLCK));
	close(w);
	R("RDLCK lease after the writer closed", fcntl(r, F_SETLEASE, F_RDLCK));
	fcntl(r, F_SETLEASE, F_UNLCK);
	w = open("f", O_RDWR);
	R("RDLCK lease on own O_RDWR", fcntl(w, F_SETLEASE, F_RDLCK));
	close(r);
	R("WRLCK lease on own O_RDWR, alone", fcntl(w, F_SETLEASE, F_WRLCK));
	fcntl(w, F_SETLEASE, F_UNLCK);
	close(w);
	mkdir("d", 0755);
	int d = open("d", O_RDONLY);
	R("lease on a directory", fcntl(d, F_SETLEASE, F_RDLCK));
	int p[2];
	pipe(p);
	R("lease on a pipe", fcntl(p[0], F_SETLEASE, F_RDLCK));
	R("GETLEASE on a pipe", fcntl(p[0], F_GETLEASE));
	/* owner and signal */
	r = open("f", O_RDONLY);
	R("GETOWN fresh", fcntl(r, F_GETOWN));
	R("SETOWN getpid", fcntl(r, F_SETOWN, getpid()));
	YN("GETOWN is pid", fcntl(r, F_GETOWN) == getpid());
	R("SETOWN -pgrp", fcntl(r, F_SETOWN, -getpgrp()));
	YN("GETOWN is -pgrp", fcntl(r, F_GETOWN) == -getpgrp());
	struct f_owner_ex o = { F_OWNER_TID, gettid() };
	R("SETOWN_EX tid", fcntl(r, F_SETOWN_EX, &o));
	memset(&o, 0, sizeof o);
	R("GETOWN_EX", fcntl(r, F_GETOWN_EX, &o));
	YN("GETOWN_EX tid", o.type == F_OWNER_TID && o.pid == gettid());
	o.type = 9;
	R("SETOWN_EX bad type", fcntl(r, F_SETOWN_EX, &o));
	R("GETOWN_EX bad pointer", fcntl(r, F_GETOWN_EX, cf_unmapped()));
	R("GETSIG fresh", fcntl(r, F_GETSIG));
	R("SETSIG SIGUSR1", fcntl(r, F_SETSIG, SIGUSR1));
	R("GETSIG", fcntl(r, F_GETSIG));
	R("SETSIG 65", fcntl(r, F_SETSIG, 65));
	R("SETSIG 0", fcntl(r, F_SETSIG, 0));
	/* write-life hints: per inode */
	uint64_t h = 0;
	R("GET_RW_HINT fresh", fcntl(r, F_GET_RW_HINT, &h));
	printf("hint %llu\n", (unsigned long long)h);
	h = RWH_WRITE_LIFE_SHORT;
	R("SET_RW_HINT short", fcntl(r, F_SET_RW_HINT, &h));
	h = 0;
	r2 = open("f", O_RDONLY);
	R("GET_RW_HINT other fd", fcntl(r2, F_GET_RW_HINT, &h));
	printf("hint %llu\n", (unsigned long long)h);
	h = 99;
	R("SET_RW_HINT bad", fcntl(r, F_SET_RW_HINT, &h));
	R("SET_RW_HINT bad pointer", fcntl(r, F_SET_RW_HINT, cf_unmapped()));
	/* clone and extent ioctls */
	w = open("g", O_RDWR | O_CREAT, 0644);
	R("FICLONE", ioctl(w, FICLONE, r));
	struct file_clone_range cr = { .src_fd = r, .src_length = 3 };
	R("FICLONERANGE", ioctl(w, FICLONERANGE, &cr));
	/* /proc has no room for new names */
	R("mkdir in /proc", mkdir("/proc/newdir", 0755));
	R("mknod in /proc", mknod("/proc/newfifo", S_IFIFO | 0644, 0));
	R("create in /proc/self", open("/proc/self/newfile", O_CREAT | O_WRONLY, 0644));
	R("symlink in /proc", symlink("x", "/proc/newlink"));
	R("rename in /proc/self", rename("/proc/self/status", "/proc/self/x"));
	R("link into /proc", link("f", "/proc/x"));
	R("unlink in /proc", unlink("/proc/self/status"));
	R("rmdir in /proc", rmdir("/proc/self"));
	/* F_CREATED_QUERY (1028): did this open make the file */
	int q = open("/dev/null", O_RDONLY);
	R("created: /dev/null", fcntl(q, 1028, 0));
	close(q);
	q = open("cq", O_RDONLY | O_CREAT, 0600);
	R("created: new file", fcntl(q, 1028, 0));
	int q2 = dup(q);
	R("created: its dup", fcntl(q2, 1028, 0));
	close(q);
	close(q2);
	q = open("cq", O_RDONLY | O_CREAT, 0600);
	R("created: O_CREAT of an existing file", fcntl(q, 1028, 0));
	close(q);
	q = open("cq", O_PATH);
	R("created: O_PATH", fcntl(q, 1028, 0));
	close(q);
	return 0;
}
