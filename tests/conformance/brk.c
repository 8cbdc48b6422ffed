/* brk/sbrk: growth, shrink, contents, invalid requests keep the old break. */
#include "cf.h"

int
main(void)
{
	char *b0 = sbrk(0);
	YN("sbrk(0) non-null", b0 != NULL && b0 != (void *)-1);
	char *old = sbrk(100000);
	YN("sbrk(100000) returns old break", old == b0);
	char *b1 = sbrk(0);
	R("break moved by", b1 - b0);
	memset(old, 0x5a, 100000);
	YN("memory writable", old[99999] == 0x5a);
	old = sbrk(-50000);
	R("shrink by 50000", (char *)sbrk(0) - b0);
	R("brk(b0 + 4096)", brk(b0 + 4096));
	R("break now", (char *)sbrk(0) - b0);
	char *cur = (char *)syscall(SYS_brk, 0);
	YN("raw brk(0) == sbrk(0)", cur == sbrk(0));
	char *r = (char *)syscall(SYS_brk, (void *)1);
	YN("raw brk(1) returns current", r == cur);
	r = (char *)syscall(SYS_brk, (void *)0x7ffffffff000UL);
	YN("raw brk huge returns current", r == cur);
	r = (char *)syscall(SYS_brk, cur + (8 << 20));
	YN("raw brk +8MiB", r == cur + (8 << 20));
	memset(cur, 1, 8 << 20);
	YN("8MiB writable", cur[(8 << 20) - 1] == 1);
	r = (char *)syscall(SYS_brk, cur);
	YN("raw brk back", r == cur);
	r = (char *)syscall(SYS_brk, cur + 4096);
	YN("regrow is zeroed", r == cur + 4096 && cur[100] == 0);
	return 0;
}
