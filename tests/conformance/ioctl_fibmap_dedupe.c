/*
 * The checks FIBMAP and FIDEDUPERANGE make before a file system is asked (stress-ng's
 * file-ioctl stressor): FIBMAP needs CAP_SYS_RAWIO (EPERM without it, whatever the
 * argument); FIDEDUPERANGE reads dest_count first (EFAULT), refuses a request larger than a
 * page (ENOMEM), then a file not open for reading or reserved fields set (EINVAL). What a
 * file system answers after that differs (ext4, tmpfs), so it is not printed.
 */
#include "cf.h"
#include <linux/capability.h>
#include <linux/fs.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

static void
drop(int cap)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	syscall(SYS_capget, &h, d);
	d[0].effective &= ~(1u << cap);
	syscall(SYS_capset, &h, d);
}

int
main(void)
{
	struct file_dedupe_range *r = calloc(1, 4096);
	int fd, wfd, block = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	cf_init();
	fd = FD("open rw", open("f", O_RDWR | O_CREAT, 0600));
	R("write", write(fd, "0123456789abcdef", 16));
	wfd = FD("open write-only", open("f", O_WRONLY));

	r->src_length = 16;
	r->dest_count = 1;
	r->info[0].dest_fd = fd;
	R("dedupe: dest_count unreadable", ioctl(fd, FIDEDUPERANGE, (void *)8));
	r->dest_count = 127; /* 24 + 127 * 32 = 4088: a page holds it */
	errno = 0;
	int big = ioctl(fd, FIDEDUPERANGE, r);
	YN("dedupe: 127 dests not ENOMEM", big == 0 || errno != ENOMEM);
	r->dest_count = 128;
	R("dedupe: 128 dests", ioctl(fd, FIDEDUPERANGE, r));
	r->dest_count = 65535;
	R("dedupe: 65535 dests", ioctl(fd, FIDEDUPERANGE, r));
	r->dest_count = 1;
	R("dedupe: write-only source", ioctl(wfd, FIDEDUPERANGE, r));
	r->reserved1 = 1;
	R("dedupe: reserved1 set", ioctl(fd, FIDEDUPERANGE, r));
	r->reserved1 = 0;
	r->reserved2 = 1;
	R("dedupe: reserved2 set", ioctl(fd, FIDEDUPERANGE, r));
	/* the request's tail beyond readable memory */
	char *pg = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(pg + 4096, 4096);
	struct file_dedupe_range *tail = (void *)(pg + 4096 - 24);
	memset(tail, 0, 24);
	tail->dest_count = 2;
	R("dedupe: dests unreadable", ioctl(fd, FIDEDUPERANGE, tail));

	drop(CAP_SYS_RAWIO);
	R("FIBMAP without CAP_SYS_RAWIO", ioctl(fd, FIBMAP, &block));
	R("FIBMAP without CAP_SYS_RAWIO, bad pointer", ioctl(fd, FIBMAP, (void *)8));
	return 0;
}
