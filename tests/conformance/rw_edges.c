/* read/write family edge cases: preadv2/pwritev2 flags, IOV_MAX, zero-length iovecs, negative and
 * huge offsets, SEEK_DATA/SEEK_HOLE, fallocate modes, ftruncate growth, copy_file_range and
 * sendfile offsets/errors, O_DIRECT, reads at and past EOF. */
#include <limits.h>
#include <linux/fs.h>
#include <sys/sendfile.h>
#include <sys/uio.h>
#include "cf.h"

#ifndef RWF_NOAPPEND
#define RWF_NOAPPEND 0x20
#endif

int
main(void)
{
	char buf[8192], big[65536];
	struct iovec iov[IOV_MAX + 2];
	struct stat st;
	int fd, fd2;

	cf_init();
	fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
	write(fd, "0123456789", 10);
	for (int i = 0; i < IOV_MAX + 2; i++) {
		iov[i].iov_base = buf;
		iov[i].iov_len = 1;
	}
	R("readv IOV_MAX+1", preadv(fd, iov, IOV_MAX + 1, 0));
	R("readv IOV_MAX", preadv(fd, iov, IOV_MAX, 0));
	R("readv 0 iovecs", preadv(fd, iov, 0, 0));
	R("readv -1 iovecs", preadv(fd, iov, -1, 0));
	iov[0].iov_len = 0;
	iov[1].iov_base = buf;
	iov[1].iov_len = 3;
	R("readv zero-len first", preadv(fd, iov, 2, 0));
	iov[0].iov_base = NULL;
	R("readv NULL zero-len", preadv(fd, iov, 2, 0));
	iov[0].iov_len = (size_t)SSIZE_MAX + 1;
	R("readv len > SSIZE_MAX", preadv(fd, iov, 1, 0));
	iov[0].iov_len = SSIZE_MAX;
	iov[1].iov_len = SSIZE_MAX;
	R("readv total overflow", preadv(fd, iov, 2, 0));
	iov[0].iov_base = buf;
	iov[0].iov_len = 4;
	iov[1].iov_base = cf_unmapped();
	iov[1].iov_len = 4;
	R("readv second bad", preadv(fd, iov, 2, 0));
	R("writev second bad", pwritev(fd, iov, 2, 20));
	fstat(fd, &st);
	printf("size after partial writev: %ld\n", (long)st.st_size);
	ftruncate(fd, 10);
	iov[0].iov_base = cf_unmapped();
	R("readv first bad", preadv(fd, iov, 2, 0));
	iov[0].iov_base = buf;
	iov[0].iov_len = 4;
	iov[1].iov_base = buf + 4;
	iov[1].iov_len = 4;
	/* preadv2/pwritev2 */
	R("preadv2 flags 0", preadv2(fd, iov, 2, 0, 0));
	R("preadv2 RWF_HIPRI", preadv2(fd, iov, 2, 0, RWF_HIPRI));
	R("preadv2 bad flag", preadv2(fd, iov, 2, 0, 0x1000));
	R("preadv2 RWF_APPEND", preadv2(fd, iov, 2, 0, RWF_APPEND));
	/* Linux kiocb_set_rw_flags: unknown flags, then APPEND with NOAPPEND, then each flag */
	R("preadv2 RWF_APPEND|RWF_NOAPPEND", preadv2(fd, iov, 2, 0, RWF_APPEND | RWF_NOAPPEND));
	R("preadv2 0xf0", preadv2(fd, iov, 2, 0, 0xf0));
	R("preadv2 0x1f0", preadv2(fd, iov, 2, 0, 0x1f0));
	R("preadv2 RWF_ATOMIC", preadv2(fd, iov, 2, 0, 0x40));
	R("preadv2 RWF_NOSIGNAL", preadv2(fd, iov, 2, 0, 0x100));
	R("preadv2 off -1 (cur)", (lseek(fd, 2, SEEK_SET), preadv2(fd, iov, 1, -1, 0)));
	R("pos after preadv2 -1", lseek(fd, 0, SEEK_CUR));
	R("preadv2 off -2", preadv2(fd, iov, 1, -2, 0));
	R("preadv off -1", preadv(fd, iov, 1, -1));
	iov[0].iov_base = "AB";
	iov[0].iov_len = 2;
	R("pwritev2 RWF_APPEND|RWF_NOAPPEND", pwritev2(fd, iov, 1, 0, RWF_APPEND | RWF_NOAPPEND));
	R("pwritev2 RWF_ATOMIC, buffered", pwritev2(fd, iov, 1, 0, 0x40));
	R("pwritev2 RWF_APPEND", pwritev2(fd, iov, 1, 0, RWF_APPEND));
	R("pos after RWF_APPEND", lseek(fd, 0, SEEK_CUR));
	fstat(fd, &st);
	printf("size: %ld\n", (long)st.st_size);
	R("pwritev2 RWF_DSYNC", pwritev2(fd, iov, 1, 0, RWF_DSYNC));
	R("pwritev2 RWF_SYNC", pwritev2(fd, iov, 1, 0, RWF_SYNC));
	R("pwritev2 RWF_NOWAIT", pwritev2(fd, iov, 1, 0, RWF_NOWAIT));
	R("pwritev2 -1 offset", (lseek(fd, 5, SEEK_SET), pwritev2(fd, iov, 1, -1, 0)));
	R("pos after pwritev2 -1", lseek(fd, 0, SEEK_CUR));
	fd2 = open("f", O_RDWR | O_APPEND);
	R("pwritev2 RWF_NOAPPEND on O_APPEND", pwritev2(fd2, iov, 1, 0, RWF_NOAPPEND));
	fstat(fd2, &st);
	printf("size after NOAPPEND: %ld\n", (long)st.st_size);
	close(fd2);
	/* offsets */
	R("pread off -1", pread(fd, buf, 1, -1));
	R("pwrite off -1", pwrite(fd, "x", 1, -1));
	R("pread at 2^62", pread(fd, buf, 1, 1LL << 62));
	R("pwrite at max-1", pwrite(fd, "xy", 2, LLONG_MAX - 1));
	R("pwrite at max", pwrite(fd, "x", 1, LLONG_MAX));
	R("pwrite huge 0 bytes", pwrite(fd, "x", 0, LLONG_MAX));
	/* (lseek past 2^44 is EINVAL on ext4, not on tmpfs) */
	R("lseek to 2^40", lseek(fd, 1LL << 40, SEEK_SET));
	R("lseek cur + max overflow", lseek(fd, LLONG_MAX, SEEK_CUR));
	R("lseek end max", lseek(fd, LLONG_MAX, SEEK_END));
	R("lseek negative", lseek(fd, -1, SEEK_SET));
	R("lseek bad whence", lseek(fd, 0, 7));
	R("read 0 bytes", read(fd, buf, 0));
	R("read 0 bytes bad buf", read(fd, NULL, 0));
	R("read count > SSIZE_MAX", pread(fd, buf, (size_t)SSIZE_MAX + 1, 0));
	R("write count > SSIZE_MAX", pwrite(fd, buf, (size_t)SSIZE_MAX + 1, 0));
	R("read bad buf", pread(fd, cf_unmapped(), 4, 0));
	R("write bad buf", pwrite(fd, cf_unmapped(), 4, 0));
	/* ftruncate */
	R("ftruncate -1", ftruncate(fd, -1));
	R("ftruncate grow 100000", ftruncate(fd, 100000));
	memset(big, 'q', sizeof(big));
	R("pread zeros", pread(fd, big, 100, 50000));
	YN("all zero", big[0] == 0 && big[99] == 0);
	R("ftruncate shrink 5", ftruncate(fd, 5));
	R("pread past end", pread(fd, buf, 10, 5));
	R("ftruncate grow 10", ftruncate(fd, 10));
	R("pread re-grown", pread(fd, buf, 10, 0));
	YN("tail zero", buf[5] == 0 && buf[9] == 0);
	fd2 = open("f", O_RDONLY);
	R("ftruncate rdonly", ftruncate(fd2, 0));
	close(fd2);
	R("truncate dir", truncate(".", 0));
	R("ftruncate dir", (fd2 = open(".", O_RDONLY), ftruncate(fd2, 0)));
	close(fd2);
	R("truncate negative", truncate("f", -1));
	R("truncate missing", truncate("missing", 0));
	/* SEEK_DATA / SEEK_HOLE on a sparse file */
	fd2 = open("sparse", O_RDWR | O_CREAT, 0644);
	pwrite(fd2, "data", 4, 1 << 20);
	ftruncate(fd2, 3 << 20);
	R("SEEK_DATA 0", lseek(fd2, 0, SEEK_DATA));
	R("SEEK_HOLE 0", lseek(fd2, 0, SEEK_HOLE));
	R("SEEK_HOLE in data", lseek(fd2, (1 << 20) + 1, SEEK_HOLE));
	R("SEEK_DATA past data", lseek(fd2, (1 << 20) + 8192, SEEK_DATA));
	R("SEEK_HOLE at size", lseek(fd2, 3 << 20, SEEK_HOLE));
	R("SEEK_DATA at size", lseek(fd2, 3 << 20, SEEK_DATA));
	R("SEEK_DATA negative", lseek(fd2, -1, SEEK_DATA));
	fstat(fd2, &st);
	YN("sparse blocks < size", st.st_blocks * 512 < st.st_size);
	YN("blksize > 0", st.st_blksize > 0);
	/* fallocate */
	R("fallocate PUNCH_HOLE no KEEP", fallocate(fd2, FALLOC_FL_PUNCH_HOLE, 0, 4096));
	R("fallocate PUNCH_HOLE|KEEP", fallocate(fd2, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 1 << 20, 4096));
	R("read punched", pread(fd2, buf, 4, 1 << 20));
	YN("punched zero", buf[0] == 0);
	R("SEEK_DATA after punch", lseek(fd2, 0, SEEK_DATA));
	R("fallocate len 0", fallocate(fd2, 0, 0, 0));
	R("fallocate off -1", fallocate(fd2, 0, -1, 10));
	R("fallocate bad mode", fallocate(fd2, 0x1000, 0, 10));
	R("fallocate grow", fallocate(fd2, 0, 0, 4 << 20));
	fstat(fd2, &st);
	printf("size after grow: %ld\n", (long)st.st_size);
	R("fallocate KEEP_SIZE past end", fallocate(fd2, FALLOC_FL_KEEP_SIZE, 4 << 20, 8192));
	fstat(fd2, &st);
	printf("size after keep: %ld\n", (long)st.st_size);
	R("fallocate overflow", fallocate(fd2, 0, LLONG_MAX - 10, 100));
	close(fd2);
	fd2 = open("sparse", O_RDONLY);
	R("fallocate rdonly", fallocate(fd2, 0, 0, 10));
	close(fd2);
	fd2 = open("sparse", O_WRONLY | O_APPEND);
	R("fallocate append fd", fallocate(fd2, 0, 0, 10));
	R("punch append fd", fallocate(fd2, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 10));
	close(fd2);
	/* copy_file_range */
	cf_write_file("src", "abcdefghij", 10);
	int s = open("src", O_RDONLY);
	int dd = open("dst", O_RDWR | O_CREAT | O_TRUNC, 0644);
	loff_t so = 2, dof = 5;
	R("cfr with offsets", copy_file_range(s, &so, dd, &dof, 4, 0));
	printf("offsets now %ld %ld, fd pos %ld\n", (long)so, (long)dof, (long)lseek(s, 0, SEEK_CUR));
	R("cfr no offsets", copy_file_range(s, NULL, dd, NULL, 3, 0));
	printf("pos %ld %ld\n", (long)lseek(s, 0, SEEK_CUR), (long)lseek(dd, 0, SEEK_CUR));
	R("cfr flags", copy_file_range(s, NULL, dd, NULL, 3, 1));
	R("cfr at EOF", (so = 10, copy_file_range(s, &so, dd, NULL, 3, 0)));
	R("cfr len 0", copy_file_range(s, NULL, dd, NULL, 0, 0));
	so = -1;
	R("cfr neg off", copy_file_range(s, &so, dd, NULL, 3, 0));
	R("cfr same file overlap", (so = 0, dof = 2, copy_file_range(dd, &so, dd, &dof, 4, 0)));
	R("cfr same file no overlap", (so = 0, dof = 20, copy_file_range(dd, &so, dd, &dof, 4, 0)));
	R("cfr dst rdonly", copy_file_range(dd, NULL, s, NULL, 3, 0));
	R("cfr src wronly", (fd2 = open("dst", O_WRONLY), copy_file_range(fd2, NULL, dd, NULL, 3, 0)));
	close(fd2);
	R("cfr dir", (fd2 = open(".", O_RDONLY), copy_file_range(fd2, NULL, dd, NULL, 3, 0)));
	close(fd2);
	{
		int p[2];
		pipe(p);
		R("cfr to pipe", copy_file_range(s, NULL, p[1], NULL, 3, 0));
		close(p[0]);
		close(p[1]);
	}
	R("cfr append dst", (fd2 = open("dst", O_WRONLY | O_APPEND), copy_file_range(s, NULL, fd2, NULL, 3, 0)));
	close(fd2);
	R("cfr bad fd", copy_file_range(99, NULL, dd, NULL, 3, 0));
	R("cfr from /proc (another filesystem)", ({ int pf = open("/proc/self/status", O_RDONLY); long r = copy_file_range(pf, NULL, dd, NULL, 3, 0); close(pf); r; }));
	/* sendfile */
	off_t off = 3;
	R("sendfile with offset", sendfile(dd, s, &off, 4));
	printf("sendfile off now %ld, src pos %ld\n", (long)off, (long)lseek(s, 0, SEEK_CUR));
	lseek(s, 0, SEEK_SET);
	R("sendfile no offset", sendfile(dd, s, NULL, 4));
	printf("src pos %ld\n", (long)lseek(s, 0, SEEK_CUR));
	off = -1;
	R("sendfile neg off", sendfile(dd, s, &off, 4));
	R("sendfile from wronly", (fd2 = open("dst", O_WRONLY), sendfile(dd, fd2, NULL, 4)));
	close(fd2);
	R("sendfile to rdonly", sendfile(s, dd, NULL, 4));
	R("sendfile count 0", sendfile(dd, s, NULL, 0));
	off = 100;
	R("sendfile past EOF", sendfile(dd, s, &off, 4));
	R("sendfile append dst", (fd2 = open("dst", O_WRONLY | O_APPEND), sendfile(fd2, s, NULL, 4)));
	close(fd2);
	R("sendfile dir src", (fd2 = open(".", O_RDONLY), sendfile(dd, fd2, NULL, 4)));
	close(fd2);
	/* O_DIRECT */
	fd2 = open("direct", O_RDWR | O_CREAT | O_DIRECT, 0644);
	printf("O_DIRECT open: %s\n", fd2 >= 0 ? "ok" : en(errno));
	close(fd2);
	/* read on directory, write on dir fd */
	fd2 = open(".", O_RDONLY);
	R("read dir", read(fd2, buf, 10));
	R("pread dir", pread(fd2, buf, 10, 0));
	R("write dir", write(fd2, buf, 1));
	close(fd2);
	fd2 = open("f", O_WRONLY);
	R("read wronly", read(fd2, buf, 1));
	close(fd2);
	fd2 = open("f", O_RDONLY);
	R("write rdonly", write(fd2, buf, 1));
	R("pwrite rdonly", pwrite(fd2, buf, 1, 0));
	R("writev rdonly", writev(fd2, iov, 1));
	close(fd2);
	return 0;
}
