/*
 * plat_inject_batch in a real stub: calls run in order with one stop, the first failure
 * ends the batch, and calls without a token form are refused; a queued
 * plat_set_mm_map_later rides along with the next batch. TAP output; skips (77)
 * where stubs cannot be made (no ptrace or seccomp).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "platform/platform.h"
#include "sentry/util.h"
#include "tests/unit/tap.h"

#define A 0x10000000UL  /* far from anything a new stub holds */

static struct plat_call
map_at(unsigned long addr, int prot)
{
	return (struct plat_call){ .nr = __NR_mmap, .a = { addr, 4096, prot,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, (unsigned long)-1, 0 } };
}

int
main(void)
{
	struct plat_ctx *ctx;

	if (plat_init() < 0 || plat_new_as(&ctx) < 0) {
		printf("1..0 # skip: no stubs here\n");
		return 77;
	}
	printf("1..12\n");
	struct plat_call c[4] = {
		map_at(A, PROT_READ | PROT_WRITE), map_at(A + 4096, PROT_READ),
		{ .nr = __NR_mprotect, .a = { A, 4096, PROT_READ } },
		{ .nr = __NR_munmap, .a = { A + 4096, 4096 } },
	};
	int n = plat_inject_batch(ctx, c, 4);
	ok(n == 4, "four calls ran (%d)", n);
	ok(c[0].result == (long)A && c[1].result == (long)(A + 4096),
	   "mmap results are the addresses");
	ok(c[2].result == 0 && c[3].result == 0, "mprotect and munmap results");
	/* the first mapping is there (NOREPLACE fails on it), the second is gone */
	struct plat_call d[3] = {
		map_at(A + 4096, PROT_READ), map_at(A, PROT_READ),
		{ .nr = __NR_munmap, .a = { A, 4096 } },
	};
	n = plat_inject_batch(ctx, d, 3);
	ok(n == 2, "a failure ends the batch (%d ran)", n);
	ok(d[0].result == (long)(A + 4096) && d[1].result == -EEXIST,
	   "the failing call's errno (%ld)", d[1].result);
	ok(d[2].result == -ECANCELED, "the call after it did not run");
	struct plat_call e[2] = { { .nr = __NR_munmap, .a = { A, 8192 } },
				  { .nr = __NR_getuid } };
	ok(plat_inject_batch(ctx, e, 2) == -EINVAL, "a call without a token form is refused");
	ok(plat_inject_batch(ctx, e, 1) == 1 && e[0].result == 0, "a batch of one");
	/* single injections still work after batches */
	long r = plat_inject(ctx, __NR_mmap, A, 4096, PROT_READ,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	ok(r == (long)A, "a single injection after them (%ld)", r);
	plat_kill(ctx);

	/* the stub's break: queued, carried at the end of the next batch, then only reported;
	 * the stub's own brk then grows from there */
	const unsigned long B = 0x30000000UL;
	struct prctl_mm_map m = {
		.start_code = A, .end_code = A + 4096, .start_data = B, .end_data = B,
		.start_brk = B, .brk = B, .start_stack = B, .arg_start = B, .arg_end = B,
		.env_start = B, .env_end = B, .exe_fd = (uint32_t)-1,
	};
	if (plat_new_as(&ctx) < 0) {
		ok(0, "a second stub");
		return 1;
	}
	plat_set_mm_map_later(ctx, &m);
	struct plat_call f[2] = { map_at(A, PROT_READ), map_at(A + 4096, PROT_READ) };
	n = plat_inject_batch(ctx, f, 2);
	r = plat_inject(ctx, __NR_brk, 0, 0, 0, 0, 0, 0);
	ok(n == 2 && f[1].result == (long)(A + 4096) && r == (long)B,
	   "a batch carrying the break ran (%d; brk now %#lx)", n, r);
	struct plat_call g[1] = { { .nr = __NR_munmap, .a = { A, 8192 } } };
	int err = plat_set_mm_map(ctx, &m, g, 1);
	ok(err == 0 && g[0].result == 0, "the break was set by the batch, the call after it ran "
	   "(%d, %ld)", err, g[0].result);
	r = plat_inject(ctx, __NR_brk, B + 8192, 0, 0, 0, 0, 0);
	ok(r == (long)(B + 8192), "the stub's brk grows from the guest's break (%#lx)", r);
	plat_kill(ctx);
	return nfail != 0;
}
