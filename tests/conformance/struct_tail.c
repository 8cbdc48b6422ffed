/*
 * Extensible structs (openat2's open_how, clone3's clone_args, sched_setattr's sched_attr):
 * a size past the kernel's struct is fine when the extra bytes are zero, E2BIG when one is
 * not (sched_setattr writes its own size back), EFAULT when the tail runs into an unmapped
 * page before a nonzero byte is seen, E2BIG when a nonzero byte comes before that page.
 */
#include "cf.h"
#include <linux/openat2.h>
#include <sys/mman.h>
#include <sys/wait.h>

/* the uapi structs (their headers clash with glibc's sched.h) */
struct clone_args {
	unsigned long long flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size,
		tls, set_tid, set_tid_size, cgroup;
};
struct sched_attr {
	unsigned int size, sched_policy;
	unsigned long long sched_flags;
	int sched_nice;
	unsigned int sched_priority;
	unsigned long long sched_runtime, sched_deadline, sched_period;
	unsigned int sched_util_min, sched_util_max;
};
#define SCHED_ATTR_SIZE_VER1 56

static char *page; /* two pages: the second unmapped */

/* the struct's start placed so that its first `len` bytes end at the unmapped page */
static char *
at_end(size_t len)
{
	return page + 4096 - len;
}

static void
openat2_case(const char *label, size_t size, long nonzero_at)
{
	char *p = at_end(size > 4096 ? 4096 : size);
	struct open_how how = { .flags = O_RDONLY };

	memset(p, 0, size > 4096 ? 4096 : size);
	memcpy(p, &how, sizeof(how));
	if (nonzero_at >= 0)
		p[nonzero_at] = 1;
	long fd = syscall(SYS_openat2, AT_FDCWD, ".", p, size);
	printf("openat2 %s: %s\n", label, fd >= 0 ? "ok" : en(errno));
	if (fd >= 0)
		close((int)fd);
}

static void
clone3_case(const char *label, size_t size, long nonzero_at, int fault)
{
	char *p = fault ? page + 4096 - 128 : page;
	struct clone_args ca = { .exit_signal = SIGCHLD };

	memset(p, 0, 128);
	memcpy(p, &ca, sizeof(ca));
	if (nonzero_at >= 0)
		p[nonzero_at] = 1;
	long r = syscall(SYS_clone3, p, size);
	if (r == 0)
		_exit(0);
	if (r > 0)
		waitpid((pid_t)r, NULL, 0);
	printf("clone3 %s: %s\n", label, r >= 0 ? "ok" : en(errno));
}

static void
sched_case(const char *label, unsigned size, long nonzero_at, int fault)
{
	char *p = fault ? page + 4096 - 64 : page;
	struct sched_attr at = { .size = size, .sched_policy = SCHED_OTHER };

	memset(p, 0, 64);
	memcpy(p, &at, sizeof(at));
	if (nonzero_at >= 0)
		p[nonzero_at] = 1;
	long r = syscall(SYS_sched_setattr, 0, p, 0);
	unsigned back;
	memcpy(&back, p, sizeof(back));
	printf("sched_setattr %s: %s, size field %s\n", label, r == 0 ? "ok" : en(errno),
	       back == size ? "kept" : back == SCHED_ATTR_SIZE_VER1 ? "the kernel's" : "other");
}

int
main(void)
{
	cf_init();
	page = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(page + 4096, 4096);

	size_t k = sizeof(struct open_how);
	openat2_case("exact", k, -1);
	openat2_case("zero tail", k + 40, -1);
	openat2_case("nonzero tail", k + 40, (long)k + 39);
	/* a size past the mapped end: EFAULT, unless a nonzero byte comes first */
	{
		char *p = page + 4096 - 64;
		struct open_how how = { .flags = O_RDONLY };
		memset(p, 0, 64);
		memcpy(p, &how, sizeof(how));
		long fd = syscall(SYS_openat2, AT_FDCWD, ".", p, (size_t)200);
		printf("openat2 tail into unmapped: %s\n", fd >= 0 ? "ok" : en(errno));
		p[40] = 1;
		fd = syscall(SYS_openat2, AT_FDCWD, ".", p, (size_t)200);
		printf("openat2 nonzero before unmapped: %s\n", fd >= 0 ? "ok" : en(errno));
	}
	size_t c = sizeof(struct clone_args);
	clone3_case("zero tail", c + 24, -1, 0);
	clone3_case("nonzero tail", c + 24, (long)c + 23, 0);
	clone3_case("tail into unmapped", 200, -1, 1);
	clone3_case("nonzero before unmapped", 200, (long)c + 2, 1);
	sched_case("zero tail", SCHED_ATTR_SIZE_VER1 + 8, -1, 0);
	sched_case("nonzero tail", SCHED_ATTR_SIZE_VER1 + 8, SCHED_ATTR_SIZE_VER1 + 7, 0);
	sched_case("tail into unmapped", 200, -1, 1);
	sched_case("nonzero before unmapped", 200, SCHED_ATTR_SIZE_VER1 + 2, 1);
	return 0;
}
