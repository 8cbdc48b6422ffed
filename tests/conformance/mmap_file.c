/* build: dynamic */
/* MAP_PRIVATE file mappings: content visible, private writes do not reach the file, offsets, EOF page. */
#include <sys/mman.h>
#include "cf.h"

int
main(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	static char data[3 * 4096 + 100];

	cf_init();
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = 'A' + i % 26;
	cf_write_file("f", data, sizeof(data));
	int fd = open("f", O_RDONLY);
	char *p = mmap(NULL, sizeof(data), PROT_READ, MAP_PRIVATE, fd, 0);
	YN("mmap file", p != MAP_FAILED);
	YN("content matches", memcmp(p, data, sizeof(data)) == 0);
	printf("bytes 0..9: %.10s\n", p);
	YN("tail of last page is zero", p[sizeof(data)] == 0 && p[4 * pg - 1] == 0);
	munmap(p, sizeof(data));
	p = mmap(NULL, pg, PROT_READ, MAP_PRIVATE, fd, 2 * pg);
	printf("offset 2 pages: %.5s\n", p);
	munmap(p, pg);
	p = mmap(NULL, pg, PROT_READ, MAP_PRIVATE, fd, 100);
	printf("unaligned offset: %s\n", p == MAP_FAILED ? en(errno) : "mapped");
	p = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	printf("MAP_SHARED RW on O_RDONLY fd: %s\n", p == MAP_FAILED ? en(errno) : "mapped");
	p = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	YN("MAP_PRIVATE RW on O_RDONLY fd", p != MAP_FAILED);
	p[0] = '#';
	char c;
	pread(fd, &c, 1, 0);
	printf("file byte after private write: %c\n", c);
	printf("mapping byte: %c\n", p[0]);
	munmap(p, pg);
	close(fd);
	p = mmap(NULL, pg, PROT_READ, MAP_PRIVATE, fd, 0);
	printf("mmap closed fd: %s\n", p == MAP_FAILED ? en(errno) : "mapped");
	/* the mapping survives close() */
	fd = open("f", O_RDONLY);
	p = mmap(NULL, pg, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	printf("after close: %.3s\n", p);
	mkdir("d", 0755);
	fd = open("d", O_RDONLY);
	p = mmap(NULL, pg, PROT_READ, MAP_PRIVATE, fd, 0);
	printf("mmap directory: %s\n", p == MAP_FAILED ? en(errno) : "mapped");
	fd = open("/usr/bin/busybox", O_RDONLY);
	p = mmap(NULL, pg, PROT_READ, MAP_PRIVATE, fd, 0);
	YN("host file maps with ELF magic", p != MAP_FAILED && memcmp(p, "\177ELF", 4) == 0);
	cf_write_file("empty", "", 0);
	fd = open("empty", O_RDONLY);
	p = mmap(NULL, pg, PROT_READ, MAP_PRIVATE, fd, 0);
	printf("mmap empty file: %s\n", p == MAP_FAILED ? en(errno) : "mapped");
	return 0;
}
