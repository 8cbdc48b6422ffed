/* io_pgetevents: io_getevents with a signal mask in place for the call. Completions, the
 * order of its argument checks (timeout, then the { mask, size } pair, then the mask, then
 * io_getevents' own), a pending signal the mask lets in (its handler runs under that mask
 * after the call, which returns the events that were ready, or EINTR with none) and the
 * old mask back afterwards. */
#include "cf.h"
#include <linux/aio_abi.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <time.h>

struct aio_sigset {
	const sigset_t *mask;
	size_t size;
};

static volatile sig_atomic_t handled, usr2_blocked_in_handler;

static void
on_usr1(int sig)
{
	sigset_t cur;

	(void)sig;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	handled++;
	usr2_blocked_in_handler = sigismember(&cur, SIGUSR2);
}

static long
pget(aio_context_t ctx, long min, long nr, struct io_event *ev, struct timespec *ts, void *sig)
{
	return syscall(SYS_io_pgetevents, ctx, min, nr, ev, ts, sig);
}

static void
submit_write(aio_context_t ctx, int fd)
{
	static char data[512];
	struct iocb cb, *cbs[1] = { &cb };

	memset(&cb, 0, sizeof(cb));
	cb.aio_data = 0x77;
	cb.aio_lio_opcode = IOCB_CMD_PWRITE;
	cb.aio_fildes = fd;
	cb.aio_buf = (uintptr_t)data;
	cb.aio_nbytes = sizeof(data);
	R("io_submit", syscall(SYS_io_submit, ctx, 1, cbs));
}

int
main(void)
{
	aio_context_t ctx = 0;
	struct io_event ev[2];
	struct timespec zero = { 0, 0 }, ms = { 0, 1000000 };
	sigset_t none, usr1, old;
	struct aio_sigset sig = { &none, 8 }, badsize = { &none, 4 }, nomask = { NULL, 4 };
	void *bad = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct aio_sigset badmask = { bad, 8 };

	cf_init();
	sigemptyset(&none);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	int fd = FD("open", open("f", O_RDWR | O_CREAT, 0600));
	R("io_setup", syscall(SYS_io_setup, 4, &ctx));

	submit_write(ctx, fd);
	memset(ev, 0, sizeof(ev));
	R("one event", pget(ctx, 1, 2, ev, &ms, &sig));
	printf("event data %#llx res %lld\n", (unsigned long long)ev[0].data, (long long)ev[0].res);
	R("none left, zero timeout", pget(ctx, 0, 2, ev, &zero, &sig));
	R("none left, timeout passes", pget(ctx, 1, 2, ev, &ms, &sig));
	R("no sigset at all", pget(ctx, 0, 2, ev, &zero, NULL));
	R("sigset without mask, size 4", pget(ctx, 0, 2, ev, &zero, &nomask));

	R("bad timeout, bad ctx", pget(0, 1, 1, ev, bad, &sig));
	R("bad sigset, bad ctx", pget(0, 1, 1, ev, &zero, bad));
	R("mask size 4, bad ctx", pget(0, 1, 1, ev, &zero, &badsize));
	R("bad mask, bad ctx", pget(0, 1, 1, ev, &zero, &badmask));
	R("bad ctx", pget(0, 1, 1, ev, &zero, &sig));
	R("min > nr", pget(ctx, 2, 1, ev, &zero, &sig));
	R("nr < 0", pget(ctx, 0, -1, ev, &zero, &sig));
	submit_write(ctx, fd);
	R("bad events", pget(ctx, 1, 1, bad, &ms, &sig));

	/* SIGUSR1 blocked and pending; the call's mask lets it in and blocks SIGUSR2 */
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	raise(SIGUSR1);
	sigset_t only_usr2;
	sigemptyset(&only_usr2);
	sigaddset(&only_usr2, SIGUSR2);
	struct aio_sigset let_usr1 = { &only_usr2, 8 };
	R("pending signal let in", pget(ctx, 1, 2, ev, NULL, &let_usr1));
	R("handler ran", handled);
	YN("handler ran under the call's mask", usr2_blocked_in_handler);
	sigprocmask(SIG_BLOCK, NULL, &old);
	YN("old mask back: SIGUSR1 blocked", sigismember(&old, SIGUSR1));
	YN("old mask back: SIGUSR2 not blocked", !sigismember(&old, SIGUSR2));
	/* again with no event left: the wait ends at once with EINTR */
	raise(SIGUSR1);
	R("pending signal, nothing ready", pget(ctx, 1, 2, ev, NULL, &let_usr1));
	R("handler ran again", handled);
	sigprocmask(SIG_BLOCK, NULL, &old);
	YN("old mask back again", sigismember(&old, SIGUSR1) && !sigismember(&old, SIGUSR2));
	R("io_destroy", syscall(SYS_io_destroy, ctx));
	return 0;
}
