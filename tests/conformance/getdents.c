/* getdents64: listing (sorted before printing), d_type, small buffers, non-dirs. */
#include <dirent.h>
#include "cf.h"

struct linux_dirent64 {
	unsigned long long d_ino;
	long long d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
list(const char *path, size_t bufsz)
{
	char buf[8192];
	char *names[256];
	int n = 0;
	long calls = 0;
	int fd = open(path, O_RDONLY | O_DIRECTORY);
	if (fd < 0) {
		printf("list %s: %s\n", path, en(errno));
		return;
	}
	for (;;) {
		long r = syscall(SYS_getdents64, fd, buf, bufsz);
		if (r < 0) {
			printf("getdents64 %s: %s\n", path, en(errno));
			break;
		}
		if (r == 0)
			break;
		calls++;
		for (long off = 0; off < r;) {
			struct linux_dirent64 *d = (void *)(buf + off);
			char *s = malloc(300);
			snprintf(s, 300, "%s type=%d reclen_ok=%s", d->d_name, d->d_type,
				 d->d_reclen % 8 == 0 ? "yes" : "no");
			if (n < 256)
				names[n++] = s;
			off += d->d_reclen;
		}
	}
	close(fd);
	qsort(names, n, sizeof(names[0]), cmp);
	printf("list %s (%d entries, calls>1: %s):\n", path, n, calls > 1 ? "yes" : "no");
	for (int i = 0; i < n; i++) {
		printf("  %s\n", names[i]);
		free(names[i]);
	}
}

int
main(void)
{
	char buf[64];

	cf_init();
	mkdir("d", 0755);
	mkdir("d/sub", 0755);
	cf_write_file("d/file", "x", 1);
	symlink("file", "d/link");
	mkfifo("d/fifo", 0644);
	for (int i = 0; i < 40; i++) {
		char p[64];
		snprintf(p, sizeof(p), "d/many-%02d-with-a-longer-name", i);
		cf_write_file(p, "", 0);
	}
	list("d", 8192);
	list("d", 64);
	list("d/sub", 8192);
	int fd = open("d", O_RDONLY);
	R("getdents64 tiny buffer", syscall(SYS_getdents64, fd, buf, 8));
	R("getdents64 bad buffer", syscall(SYS_getdents64, fd, (void *)1, 4096));
	close(fd);
	fd = open("d/file", O_RDONLY);
	R("getdents64 on file", syscall(SYS_getdents64, fd, buf, sizeof(buf)));
	close(fd);
	R("getdents64 bad fd", syscall(SYS_getdents64, 9999, buf, sizeof(buf)));
	/* entries removed while listing: rewind and list again */
	fd = open("d/sub", O_RDONLY);
	char big[4096];
	long r1 = syscall(SYS_getdents64, fd, big, sizeof(big));
	long r2 = syscall(SYS_getdents64, fd, big, sizeof(big));
	lseek(fd, 0, SEEK_SET);
	long r3 = syscall(SYS_getdents64, fd, big, sizeof(big));
	YN("empty dir: first read > 0", r1 > 0);
	R("empty dir: second read", r2);
	YN("rewind re-lists", r3 == r1);
	close(fd);
	DIR *dir = opendir("d/sub");
	int cnt = 0;
	while (readdir(dir))
		cnt++;
	closedir(dir);
	R("readdir count empty dir", cnt);
	return 0;
}
