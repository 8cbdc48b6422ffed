/* The LSM syscalls: lsm_list_modules' size protocol (the needed size written back, E2BIG,
 * EFAULT, flags) and that capability is among its modules; the argument checks of
 * lsm_get_self_attr and lsm_set_self_attr that come before any module is asked (which
 * modules a host has differs, so only what every kernel shares is printed). */
#include "cf.h"
#include <stdint.h>
#include <sys/mman.h>

#define NR_GET 459
#define NR_SET 460
#define NR_LIST 461

struct ctx {
	uint64_t id, flags, len, ctx_len;
	char data[64];
};

int
main(void)
{
	uint64_t ids[64];
	uint32_t size = 0;
	void *bad = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	setvbuf(stdout, NULL, _IOLBF, 0);
	R("list, flags 1", syscall(NR_LIST, ids, &size, 1));
	R("list, bad size pointer", syscall(NR_LIST, ids, bad, 0));
	R("list, size 0", syscall(NR_LIST, ids, &size, 0));
	YN("needed size written back, a multiple of 8", size >= 8 && size % 8 == 0);
	uint32_t need = size;
	R("list, bad ids", syscall(NR_LIST, bad, &size, 0));
	size = sizeof(ids);
	long n = syscall(NR_LIST, ids, &size, 0);
	YN("list: count matches the size", n >= 1 && size == n * 8 && size == need);
	int cap = 0;
	for (long i = 0; i < n && i < 64; i++)
		cap |= ids[i] == 100;
	YN("capability (100) listed", cap);

	uint32_t len = 0;
	struct ctx c = { 0 };
	R("get, attr 0", syscall(NR_GET, 0, &c, &len, 0));
	R("get, no size", syscall(NR_GET, 100, &c, NULL, 0));
	R("get, bad size", syscall(NR_GET, 100, &c, bad, 0));
	R("get, flags 2", syscall(NR_GET, 100, &c, &len, 2));
	R("get, single, bad ctx", syscall(NR_GET, 100, bad, &len, 1));
	R("get, single, id 0", syscall(NR_GET, 100, &c, &len, 1));

	c.id = 100;
	c.len = sizeof(c);
	c.ctx_len = sizeof(c.data);
	R("set, flags 1", syscall(NR_SET, 100, &c, sizeof(c), 1));
	R("set, size 16", syscall(NR_SET, 100, &c, 16, 0));
	R("set, size 8192", syscall(NR_SET, 100, &c, 8192, 0));
	R("set, bad ctx", syscall(NR_SET, 100, bad, sizeof(c), 0));
	c.len = sizeof(c) + 1;
	R("set, len past size", syscall(NR_SET, 100, &c, sizeof(c), 0));
	c.len = sizeof(c);
	c.ctx_len = sizeof(c.data) + 1;
	R("set, ctx_len past len", syscall(NR_SET, 100, &c, sizeof(c), 0));
	c.ctx_len = UINT64_MAX - 8;
	R("set, ctx_len overflowing", syscall(NR_SET, 100, &c, sizeof(c), 0));
	return 0;
}
