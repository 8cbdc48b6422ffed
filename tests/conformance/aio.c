/* Linux AIO through the raw calls: io_setup's ring (magic, header), io_submit of pread,
 * pwrite, preadv, pwritev and fsync with their completions (data, obj, res), the checks
 * made at submission (EBADF, EINVAL, EFAULT), eventfd notification, io_getevents' argument
 * checks and timeout, io_cancel, io_destroy, and mremap of the ring. */
#include "cf.h"
#include <linux/aio_abi.h>
#include <signal.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <time.h>

static long
setup(unsigned nr, aio_context_t *ctx)
{
	return syscall(SYS_io_setup, nr, ctx);
}

static long
submit(aio_context_t ctx, long nr, struct iocb **cbs)
{
	return syscall(SYS_io_submit, ctx, nr, cbs);
}

static long
getevents(aio_context_t ctx, long min, long nr, struct io_event *ev, struct timespec *ts)
{
	return syscall(SYS_io_getevents, ctx, min, nr, ev, ts);
}

/* The size of the mapping at addr, from /proc/self/maps. */
static size_t
ring_len(unsigned long addr)
{
	FILE *m = fopen("/proc/self/maps", "r");
	unsigned long s, e;
	char line[512];
	size_t len = 0;

	while (m && fgets(line, sizeof(line), m))
		if (sscanf(line, "%lx-%lx", &s, &e) == 2 && s == addr)
			len = e - s;
	if (m)
		fclose(m);
	return len;
}

static struct iocb
mkcb(int op, int fd, void *buf, size_t n, off_t off)
{
	struct iocb cb;

	memset(&cb, 0, sizeof(cb));
	cb.aio_data = 0x1234;
	cb.aio_lio_opcode = op;
	cb.aio_fildes = fd;
	cb.aio_buf = (uintptr_t)buf;
	cb.aio_nbytes = n;
	cb.aio_offset = off;
	return cb;
}

/* Submits one request and reaps its completion: prints both. */
static void
one(const char *what, aio_context_t ctx, struct iocb *cb)
{
	struct iocb *cbs[1] = { cb };
	struct io_event ev;
	char label[128];

	snprintf(label, sizeof(label), "%s submit", what);
	errno = 0;
	long r = submit(ctx, 1, cbs);
	if (r != 1) {
		printf("%s: %ld %s\n", label, r, r < 0 ? en(errno) : "");
		return;
	}
	memset(&ev, 0, sizeof(ev));
	r = getevents(ctx, 1, 1, &ev, NULL);
	printf("%s: got %ld data %#llx obj-match %s res %lld%s%s\n", what, r,
	       (unsigned long long)ev.data, ev.obj == (uintptr_t)cb ? "yes" : "no",
	       (long long)ev.res, ev.res < 0 ? " " : "", ev.res < 0 ? en((int)-ev.res) : "");
}

int
main(void)
{
	aio_context_t ctx = 0, bad = 5;
	char buf[32], rd[32];
	struct iovec iov[2];
	struct io_event evs[4];
	struct timespec zero = { 0, 0 };

	cf_init();
	signal(SIGPIPE, SIG_IGN);
	R("io_setup 0", setup(0, &ctx));
	R("io_setup ctx not 0", setup(4, &bad));
	R("io_setup bad pointer", setup(4, cf_unmapped()));
	R("io_setup", setup(8, &ctx));
	struct { unsigned id, nr, head, tail, magic, compat, incompat, hlen; } *ring = (void *)ctx;
	printf("ring magic %#x head %u tail %u header %u nr-enough %s\n", ring->magic, ring->head,
	       ring->tail, ring->hlen, ring->nr >= 8 ? "yes" : "no");

	int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
	struct iocb cb = mkcb(IOCB_CMD_PWRITE, fd, "hello world", 11, 0);
	one("pwrite", ctx, &cb);
	memset(rd, 0, sizeof(rd));
	cb = mkcb(IOCB_CMD_PREAD, fd, rd, sizeof(rd), 6);
	one("pread", ctx, &cb);
	printf("pread data: %s\n", rd);
	iov[0].iov_base = "AB";
	iov[0].iov_len = 2;
	iov[1].iov_base = "CD";
	iov[1].iov_len = 2;
	cb = mkcb(IOCB_CMD_PWRITEV, fd, iov, 2, 3);
	one("pwritev", ctx, &cb);
	memset(buf, 0, sizeof(buf));
	memset(rd, 0, sizeof(rd));
	iov[0].iov_base = buf;
	iov[0].iov_len = 5;
	iov[1].iov_base = rd;
	iov[1].iov_len = 20;
	cb = mkcb(IOCB_CMD_PREADV, fd, iov, 2, 0);
	one("preadv", ctx, &cb);
	printf("preadv data: %s|%s\n", buf, rd);
	cb = mkcb(IOCB_CMD_FSYNC, fd, NULL, 0, 0);
	one("fsync", ctx, &cb);
	cb = mkcb(IOCB_CMD_FDSYNC, fd, NULL, 1, 0);
	one("fdatasync with nbytes", ctx, &cb);
	YN("ring head == tail after reaping", ring->head == ring->tail);

	/* checks at submission */
	cb = mkcb(IOCB_CMD_PREAD, fd, rd, 4, -1);
	one("negative offset", ctx, &cb);
	cb = mkcb(IOCB_CMD_PWRITEV, fd, iov, 1, -1);
	one("negative offset pwritev", ctx, &cb);
	iov[0].iov_base = (void *)0xffffffff00000000UL;
	iov[0].iov_len = 1;
	cb = mkcb(IOCB_CMD_PREADV, fd, iov, 1, 0);
	one("kernel iovec", ctx, &cb);
	cb = mkcb(IOCB_CMD_PREAD, fd, (void *)0xffffffff00000000UL, 1, 0);
	one("kernel buffer", ctx, &cb);
	cb = mkcb(IOCB_CMD_PREAD, 999, rd, 4, 0);
	one("bad fd", ctx, &cb);
	cb = mkcb(42, fd, rd, 4, 0);
	one("bad opcode", ctx, &cb);
	cb = mkcb(IOCB_CMD_PREAD, fd, rd, 4, 0);
	cb.aio_reserved2 = 1;
	one("reserved2 set", ctx, &cb);
	int ro = open("f", O_RDONLY);
	cb = mkcb(IOCB_CMD_PWRITE, ro, "x", 1, 0);
	one("write to O_RDONLY", ctx, &cb);
	cb = mkcb(IOCB_CMD_PREAD, open(".", O_RDONLY | O_DIRECTORY), rd, 4, 0);
	one("read a directory", ctx, &cb);
	int p[2];
	pipe(p);
	close(p[0]);
	cb = mkcb(IOCB_CMD_PWRITE, p[1], "x", 1, 0);
	one("pipe without reader", ctx, &cb);
	struct iocb *cbp[1] = { &cb };
	R("submit bad iocb pointer", submit(ctx, 1, cf_unmapped()));
	cbp[0] = cf_unmapped();
	R("submit bad iocb", submit(ctx, 1, cbp));
	R("submit nr -1", submit(ctx, -1, cbp));
	R("submit nr 0", submit(ctx, 0, cbp));
	R("submit bad ctx", submit(12345, 1, cbp));

	/* eventfd notification */
	int efd = eventfd(0, EFD_NONBLOCK);
	cb = mkcb(IOCB_CMD_PWRITE, fd, "z", 1, 0);
	cb.aio_flags = IOCB_FLAG_RESFD;
	cb.aio_resfd = efd;
	cbp[0] = &cb;
	R("submit with eventfd", submit(ctx, 1, cbp));
	uint64_t cnt = 0;
	R("eventfd read", read(efd, &cnt, sizeof(cnt)));
	printf("eventfd count %llu\n", (unsigned long long)cnt);
	R("getevents after eventfd", getevents(ctx, 1, 4, evs, NULL));
	cb.aio_resfd = fd;
	R("submit with a non-eventfd", submit(ctx, 1, cbp));

	/* io_getevents */
	R("getevents min > nr", getevents(ctx, 2, 1, evs, NULL));
	R("getevents nr -1", getevents(ctx, 0, -1, evs, NULL));
	R("getevents zero timeout", getevents(ctx, 1, 1, evs, &zero));
	struct timespec shortts = { 0, 1000000 };
	R("getevents 1ms timeout", getevents(ctx, 1, 1, evs, &shortts));
	R("getevents bad ctx", getevents(12345, 0, 1, evs, NULL));
	cb = mkcb(IOCB_CMD_PWRITE, fd, "z", 1, 0);
	cbp[0] = &cb;
	submit(ctx, 1, cbp);
	submit(ctx, 1, cbp);
	R("getevents two, min 0", getevents(ctx, 0, 4, evs, NULL));
	struct io_event cres;
	R("io_cancel completed", syscall(SYS_io_cancel, ctx, &cb, &cres));
	R("io_cancel NULL iocb, no context", syscall(SYS_io_cancel, 0, NULL, NULL));
	R("io_cancel NULL iocb", syscall(SYS_io_cancel, ctx, NULL, &cres));
	R("io_cancel no context", syscall(SYS_io_cancel, 0, &cb, &cres));
	cb.aio_key = 1;
	R("io_cancel key 1", syscall(SYS_io_cancel, ctx, &cb, &cres));
	cb.aio_key = 0;

	/* the ring may move, not grow */
	size_t len = ring_len(ctx);
	void *dst = mmap(NULL, len + 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	errno = 0;
	void *m = mremap((void *)ctx, len, len + 4096, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
	printf("mremap grow: %s\n", m == MAP_FAILED ? en(errno) : "ok");
	dst = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	m = mremap((void *)ctx, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
	printf("mremap move: %s\n", m == MAP_FAILED ? en(errno) : "ok");
	if (m != MAP_FAILED) {
		aio_context_t old = ctx;
		ctx = (aio_context_t)m;
		cb = mkcb(IOCB_CMD_PWRITE, fd, "q", 1, 0);
		R("submit at the old address", submit(old, 1, cbp));
		R("submit at the new address", submit(ctx, 1, cbp));
		R("getevents at the new address", getevents(ctx, 1, 1, evs, NULL));
	}
	R("io_destroy", syscall(SYS_io_destroy, ctx));
	R("io_destroy again", syscall(SYS_io_destroy, ctx));
	R("submit after destroy", submit(ctx, 1, cbp));

	/* an inaccessible ring */
	ctx = 0;
	setup(4, &ctx);
	mprotect((void *)ctx, 4096, PROT_NONE);
	R("getevents, ring PROT_NONE", getevents(ctx, 0, 1, evs, NULL));
	R("io_destroy, ring PROT_NONE", syscall(SYS_io_destroy, ctx));
	return 0;
}
