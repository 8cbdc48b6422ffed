/* PROCMAP_QUERY, the ioctl of /proc/PID/maps (Linux 6.11): the mapping at an address or the
 * next one, filtered by its properties, with its file's device, inode and name; the
 * argument checks (size, unknown flags, a name buffer without a size...). */
#include "cf.h"
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/sysmacros.h>

struct pmq {
	uint64_t size, query_flags, query_addr;
	uint64_t vma_start, vma_end, vma_flags, vma_page_size, vma_offset, inode;
	uint32_t dev_major, dev_minor, vma_name_size, build_id_size;
	uint64_t vma_name_addr, build_id_addr;
};
#define PMQ _IOWR('f', 17, struct pmq)

static int fd;

static long
query(struct pmq *q, uint64_t addr, uint64_t flags)
{
	memset(q, 0, sizeof(*q));
	q->size = sizeof(*q);
	q->query_addr = addr;
	q->query_flags = flags;
	return ioctl(fd, PMQ, q);
}

int
main(void)
{
	cf_init();
	struct pmq q;
	char name[512];

	fd = open("/proc/self/maps", O_RDONLY);
	char *p = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(p, 4096);
	char *r = p + 4096;

	OK("exact", query(&q, (uintptr_t)r, 0));
	printf("start %d end %d flags %#lx page %lu off %lu ino %lu dev %u:%u name %u\n",
	       q.vma_start == (uintptr_t)r, q.vma_end >= (uintptr_t)r + 3 * 4096,
	       (unsigned long)q.vma_flags, (unsigned long)q.vma_page_size,
	       (unsigned long)q.vma_offset, (unsigned long)q.inode, q.dev_major, q.dev_minor,
	       q.vma_name_size);
	OK("inside", query(&q, (uintptr_t)r + 5000, 0));
	YN("inside: same mapping", q.vma_start == (uintptr_t)r);
	OK("hole", query(&q, (uintptr_t)r - 1, 0));
	OK("hole, covering or next", query(&q, (uintptr_t)r - 1, 0x10));
	YN("next is it", q.vma_start == (uintptr_t)r);
	mprotect(r, 4096, PROT_READ);
	OK("read-only, writable asked", query(&q, (uintptr_t)r, 0x02));
	OK("read-only, writable asked, or next", query(&q, (uintptr_t)r, 0x12));
	YN("next writable is the rest", q.vma_start == (uintptr_t)r + 4096);
	OK("anon, file-backed asked", query(&q, (uintptr_t)r + 4096, 0x20));
	OK("address 0, or next", query(&q, 0, 0x10));
	OK("top address", query(&q, ~0ULL, 0x10));

	/* a file mapping */
	int ffd = open("mapped", O_RDWR | O_CREAT, 0600);
	ftruncate(ffd, 3 * 4096);
	char *m = mmap(NULL, 2 * 4096, PROT_READ, MAP_SHARED, ffd, 4096);
	struct stat st;
	fstat(ffd, &st);
	query(&q, (uintptr_t)m, 0);
	q.vma_name_addr = (uintptr_t)name;
	q.vma_name_size = sizeof(name);
	OK("file", ioctl(fd, PMQ, &q));
	char want[512];
	snprintf(want, sizeof(want), "%s/mapped", cf_dir);
	printf("flags %#lx off %lu ino ok %d dev ok %d name ok %d size ok %d\n",
	       (unsigned long)q.vma_flags, (unsigned long)q.vma_offset, q.inode == st.st_ino,
	       makedev(q.dev_major, q.dev_minor) == st.st_dev, strcmp(name, want) == 0,
	       q.vma_name_size == strlen(want) + 1);
	q.vma_name_size = 3;
	OK("name buffer too small", ioctl(fd, PMQ, &q));
	q.vma_name_size = 0;
	OK("name address without size", ioctl(fd, PMQ, &q));

	/* the program's own text */
	ssize_t n = readlink("/proc/self/exe", want, sizeof(want) - 1);
	want[n > 0 ? n : 0] = 0;
	query(&q, (uintptr_t)main, 0);
	q.vma_name_addr = (uintptr_t)name;
	q.vma_name_size = sizeof(name);
	OK("text", ioctl(fd, PMQ, &q));
	printf("text: executable %d, name is the program %d\n", (int)(q.vma_flags & 4) != 0,
	       strcmp(name, want) == 0);

	/* argument checks */
	struct { struct pmq q; char more[64]; } big = { 0 };
	big.q.size = sizeof(big);
	big.q.query_addr = (uintptr_t)r;
	OK("larger struct, zeros", ioctl(fd, PMQ, &big));
	big.more[10] = 1;
	OK("larger struct, not zero", ioctl(fd, PMQ, &big));
	big.q.size = 8192;
	OK("size over a page", ioctl(fd, PMQ, &big));
	big.q.size = 16;
	OK("size 16", ioctl(fd, PMQ, &big));
	big.q.size = 24;
	OK("size 24", ioctl(fd, PMQ, &big));
	query(&q, (uintptr_t)r, 0x40);
	OK("unknown flag", ioctl(fd, PMQ, &q));
	OK("bad pointer", ioctl(fd, PMQ, cf_unmapped()));
	int sfd = open("/proc/self/status", O_RDONLY);
	OK("on status", ioctl(sfd, PMQ, &q));
	return 0;
}
