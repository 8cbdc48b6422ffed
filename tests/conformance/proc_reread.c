/*
 * A /proc file's text is made when it is read, not when it is opened: a file opened before
 * a change shows it, and a read from the start again (pread at 0, or lseek back and read)
 * shows the state then. top, free -s and vmstat keep /proc files open and read them so.
 */
#include <pthread.h>
#include <sys/mman.h>

#include "cf.h"

static char text[1 << 16];

static const char *
pread_all(int fd)
{
	ssize_t n = pread(fd, text, sizeof(text) - 1, 0);

	text[n > 0 ? n : 0] = '\0';
	return text;
}

static long
field(const char *t, const char *name)
{
	const char *l = strstr(t, name);

	return l ? strtol(l + strlen(name), NULL, 10) : -1;
}

static void *
idle(void *arg)
{
	pause();
	return arg;
}

int
main(void)
{
	cf_init();
	int statm = open("/proc/self/statm", O_RDONLY);
	int maps = open("/proc/self/maps", O_RDONLY);
	int status = open("/proc/self/status", O_RDONLY);
	long size0 = strtol(pread_all(statm), NULL, 10);
	long threads0 = field(pread_all(status), "Threads:");

	char *p = mmap(NULL, 64 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char want[64];
	snprintf(want, sizeof(want), "%lx-", (unsigned long)p);
	/* maps: opened before the mmap, read after it */
	ssize_t n = read(maps, text, sizeof(text) - 1);
	text[n > 0 ? n : 0] = '\0';
	YN("maps opened before an mmap shows it", strstr(text, want) != NULL);
	/* statm: a pread at 0, then lseek back and read */
	YN("statm pread at 0 shows the new size", strtol(pread_all(statm), NULL, 10) >= size0 + 16384);
	munmap(p, 64 << 20);
	lseek(statm, 0, SEEK_SET);
	n = read(statm, text, sizeof(text) - 1);
	text[n > 0 ? n : 0] = '\0';
	YN("statm read after lseek 0 shows the unmap", strtol(text, NULL, 10) < size0 + 16384);

	/* status: a thread made after the open */
	pthread_t th;
	pthread_create(&th, NULL, idle, NULL);
	printf("Threads: %ld, then %ld\n", threads0, field(pread_all(status), "Threads:"));

	/* fdinfo: the position of a file as it is at the read */
	int f = open(".", O_RDONLY | O_DIRECTORY);
	int g = open("data", O_RDWR | O_CREAT, 0600);
	write(g, "0123456789", 10);
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", g);
	int info = open(path, O_RDONLY);
	printf("fdinfo pos: %ld\n", field(pread_all(info), "pos:"));
	lseek(g, 4, SEEK_SET);
	printf("fdinfo pos after lseek: %ld\n", field(pread_all(info), "pos:"));
	close(f);

	/* a read in pieces goes on with the same text */
	lseek(maps, 0, SEEK_SET);
	char a[32];
	n = read(maps, a, sizeof(a));
	p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ssize_t m = read(maps, text, sizeof(text) - 1);
	YN("read in two pieces", n == (ssize_t)sizeof(a) && m > 0);
	return 0;
}
