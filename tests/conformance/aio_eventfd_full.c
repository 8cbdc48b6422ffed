/* An AIO completion adds to its eventfd as the kernel does (eventfd_signal): never failing,
 * up to UINT64_MAX, where the eventfd polls POLLERR and a read returns UINT64_MAX. */
#include "cf.h"
#include <linux/aio_abi.h>
#include <poll.h>
#include <stdint.h>
#include <sys/eventfd.h>

int
main(void)
{
	cf_init();
	aio_context_t ctx = 0;
	int fd = open("f", O_RDWR | O_CREAT, 0600), efd = eventfd(0, EFD_NONBLOCK);
	uint64_t v = UINT64_MAX - 1;
	static char buf[1024];

	R("io_setup", syscall(SYS_io_setup, 4, &ctx));
	R("fill the eventfd", write(efd, &v, sizeof(v)));
	struct iocb cb = { 0 };
	cb.aio_lio_opcode = IOCB_CMD_PWRITE;
	cb.aio_fildes = fd;
	cb.aio_buf = (uintptr_t)buf;
	cb.aio_nbytes = sizeof(buf);
	cb.aio_flags = IOCB_FLAG_RESFD;
	cb.aio_resfd = efd;
	struct iocb *cbs[1] = { &cb };
	R("io_submit", syscall(SYS_io_submit, ctx, 1, cbs));
	struct io_event ev;
	R("io_getevents", syscall(SYS_io_getevents, ctx, 1, 1, &ev, NULL));
	printf("result: %lld\n", (long long)ev.res);
	struct pollfd p = { .fd = efd, .events = POLLIN | POLLOUT };
	R("poll", poll(&p, 1, 1000));
	printf("revents: in %d out %d err %d\n", !!(p.revents & POLLIN), !!(p.revents & POLLOUT),
	       !!(p.revents & POLLERR));
	v = 0;
	R("read", read(efd, &v, sizeof(v)));
	printf("count is UINT64_MAX: %d\n", v == UINT64_MAX);
	R("read again", read(efd, &v, sizeof(v)));
	syscall(SYS_io_destroy, ctx);
	return 0;
}
