/* fallocate on tmpfs (run in /dev/shm, tmpfs natively too): allocation, KEEP_SIZE,
 * PUNCH_HOLE, the modes tmpfs refuses, argument errors, SEEK_DATA/SEEK_HOLE over holes
 * and unwritten ranges, RLIMIT_FSIZE; posix_fadvise and readahead sanity. */
#include <ftw.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "cf.h"

#ifndef FALLOC_FL_KEEP_SIZE
#define FALLOC_FL_KEEP_SIZE 0x01
#endif
#define PUNCH 0x02
#define COLLAPSE 0x08
#define ZERO 0x10
#define INSERT 0x20
#define UNSHARE 0x40

static char shm_dir[64];

static void
cleanup(void)
{
	chdir("/");
	nftw(shm_dir, cf_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void
show(const char *label, int fd)
{
	struct stat st;

	fstat(fd, &st);
	printf("%s: size %ld, blocks %ld\n", label, (long)st.st_size, (long)st.st_blocks);
}

static void
seek(const char *label, int fd, off_t off, int whence)
{
	R(label, lseek(fd, off, whence));
}

int
main(void)
{
	char buf[8192];

	setvbuf(stdout, NULL, _IOLBF, 0);
	umask(022);
	snprintf(shm_dir, sizeof(shm_dir), "/dev/shm/cfXXXXXX");
	if (!mkdtemp(shm_dir) || chdir(shm_dir) < 0) {
		printf("no /dev/shm: %s\n", en(errno));
		return 2;
	}
	atexit(cleanup);

	int fd = open("f", O_RDWR | O_CREAT, 0644);
	R("allocate [0,8192)", fallocate(fd, 0, 0, 8192));
	show("after", fd);
	R("KEEP_SIZE [8192,16384)", fallocate(fd, FALLOC_FL_KEEP_SIZE, 8192, 8192));
	show("after", fd);
	R("allocate again (already there)", fallocate(fd, 0, 0, 4096));
	show("after", fd);
	memset(buf, 'a', sizeof(buf));
	pwrite(fd, buf, 8192, 0);
	R("PUNCH_HOLE|KEEP_SIZE [4096,8192)", fallocate(fd, PUNCH | FALLOC_FL_KEEP_SIZE, 4096, 4096));
	show("after", fd);
	R("punch a partial page [100,200)", fallocate(fd, PUNCH | FALLOC_FL_KEEP_SIZE, 100, 100));
	show("after", fd);
	pread(fd, buf, 8192, 0);
	printf("bytes 99,100,199,200,4096: %d %d %d %d %d\n", buf[99], buf[100], buf[199], buf[200], buf[4096]);

	R("PUNCH_HOLE without KEEP_SIZE", fallocate(fd, PUNCH, 0, 4096));
	R("ZERO_RANGE", fallocate(fd, ZERO, 0, 4096));
	R("ZERO_RANGE|KEEP_SIZE", fallocate(fd, ZERO | FALLOC_FL_KEEP_SIZE, 0, 4096));
	R("COLLAPSE_RANGE", fallocate(fd, COLLAPSE, 0, 4096));
	R("COLLAPSE_RANGE|KEEP_SIZE", fallocate(fd, COLLAPSE | FALLOC_FL_KEEP_SIZE, 0, 4096));
	R("INSERT_RANGE", fallocate(fd, INSERT, 0, 4096));
	R("UNSHARE_RANGE", fallocate(fd, UNSHARE, 0, 4096));
	R("PUNCH|ZERO", fallocate(fd, PUNCH | ZERO | FALLOC_FL_KEEP_SIZE, 0, 4096));
	R("NO_HIDE_STALE", fallocate(fd, 0x04, 0, 4096));
	R("unknown mode bit", fallocate(fd, 0x100, 0, 4096));
	R("negative offset", fallocate(fd, 0, -1, 4096));
	R("zero length", fallocate(fd, 0, 0, 0));
	R("offset + length overflows", fallocate(fd, 0, 0x7fffffffffffffffL, 1));
	R("beyond the memory", fallocate(fd, 0, 0, 1L << 42));
	int ro = open("f", O_RDONLY);
	R("read-only descriptor", fallocate(ro, 0, 0, 4096));
	int pfd[2];
	pipe(pfd);
	R("pipe", fallocate(pfd[1], 0, 0, 4096));
	int nul = open("/dev/null", O_WRONLY);
	R("/dev/null", fallocate(nul, 0, 0, 4096));
	R("bad fd", fallocate(9999, 0, 0, 4096));

	/* holes: data [0,4096) (partly zeroed, still data), hole [4096,8192), beyond EOF */
	ftruncate(fd, 12288);
	pwrite(fd, "z", 1, 12000);
	seek("SEEK_DATA 0", fd, 0, SEEK_DATA);
	seek("SEEK_HOLE 0", fd, 0, SEEK_HOLE);
	seek("SEEK_DATA 4096", fd, 4096, SEEK_DATA);
	seek("SEEK_HOLE 8192", fd, 8192, SEEK_HOLE);
	seek("SEEK_DATA 12287", fd, 12287, SEEK_DATA);
	seek("SEEK_DATA at EOF", fd, 12288, SEEK_DATA);
	seek("SEEK_HOLE at EOF", fd, 12288, SEEK_HOLE);
	seek("SEEK_DATA negative", fd, -1, SEEK_DATA);
	R("allocate [12288,20480) unwritten", fallocate(fd, 0, 12288, 8192));
	seek("SEEK_DATA 12288 (unwritten)", fd, 12288, SEEK_DATA);
	seek("SEEK_HOLE 12000", fd, 12000, SEEK_HOLE);
	pwrite(fd, "w", 1, 16384);
	seek("SEEK_DATA 12288 after a write", fd, 12288, SEEK_DATA);
	seek("SEEK_HOLE 16384", fd, 16384, SEEK_HOLE);
	show("file", fd);

	struct rlimit rl = { 100000, 100000 };
	signal(SIGXFSZ, SIG_IGN);
	setrlimit(RLIMIT_FSIZE, &rl);
	R("past RLIMIT_FSIZE", fallocate(fd, 0, 0, 200000));
	R("KEEP_SIZE past RLIMIT_FSIZE", fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 200000));
	R("punch past RLIMIT_FSIZE", fallocate(fd, PUNCH | FALLOC_FL_KEEP_SIZE, 0, 200000));
	rl.rlim_cur = rl.rlim_max = RLIM_INFINITY;
	setrlimit(RLIMIT_FSIZE, &rl);

	R("fadvise DONTNEED", posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED));
	R("fadvise WILLNEED", posix_fadvise(fd, 0, 4096, POSIX_FADV_WILLNEED));
	R("fadvise bad advice", posix_fadvise(fd, 0, 0, 99));
	R("fadvise negative length", posix_fadvise(fd, 0, -1, POSIX_FADV_NORMAL));
	R("fadvise pipe", posix_fadvise(pfd[0], 0, 0, POSIX_FADV_NORMAL));
	R("fadvise bad fd", posix_fadvise(9999, 0, 0, POSIX_FADV_NORMAL));
	R("readahead", readahead(fd, 0, 4096));
	R("readahead write-only", ({ int w = open("f", O_WRONLY); readahead(w, 0, 4096); }));
	R("readahead pipe", readahead(pfd[0], 0, 4096));
	R("readahead directory", ({ int d = open(".", O_RDONLY); readahead(d, 0, 4096); }));
	return 0;
}
