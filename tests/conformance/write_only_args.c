/*
 * Arguments in write-only memory: x86 has no write-only pages, so the kernel reads a
 * PROT_WRITE mapping as any other (stress-ng's sysbadaddr passes such addresses); a
 * PROT_NONE one stays unreadable (EFAULT). A write from it, a path in it, a buffer that
 * spans a readable and a write-only page, a struct argument in it; the mapping is still
 * write-only afterwards (/proc/self/maps).
 */
#include "cf.h"
#include <signal.h>
#include <sys/mman.h>
#include <time.h>

static void
show_prot(const char *label, void *p)
{
	char line[512], want[32], perm[5] = "?";
	FILE *f = fopen("/proc/self/maps", "r");

	snprintf(want, sizeof(want), "%lx-", (unsigned long)p);
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, want, strlen(want)))
			memcpy(perm, strchr(line, ' ') + 1, 4);
	printf("%s: %s\n", label, perm);
	if (f)
		fclose(f);
}

int
main(void)
{
	char *rw = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *wo = rw + 4096, *none = rw + 8192, buf[64] = { 0 };
	int p[2];
	timer_t id;

	setvbuf(stdout, NULL, _IOLBF, 0);
	cf_init();
	memcpy(wo + 16, "written", 8);
	memcpy(wo - 4, "spanxx", 6);
	strcpy(wo + 100, "wo-file");
	struct sigevent *ev = (struct sigevent *)(wo + 512);
	memset(ev, 0, sizeof(*ev));
	ev->sigev_notify = SIGEV_NONE;
	mprotect(wo, 4096, PROT_WRITE);
	mprotect(none, 4096, PROT_NONE);
	pipe2(p, O_NONBLOCK);
	R("write from a write-only page", write(p[1], wo + 16, 8));
	R("read it back", read(p[0], buf, 8));
	printf("  got: %s\n", buf);
	R("write spanning read-write and write-only", write(p[1], wo - 4, 6));
	R("read it back", read(p[0], buf, 6));
	printf("  got: %.6s\n", buf);
	FD("creat with the path in a write-only page", open(wo + 100, O_CREAT | O_WRONLY, 0600));
	R("stat that name", access("wo-file", F_OK));
	R("timer_create, sigevent in a write-only page", syscall(SYS_timer_create, CLOCK_MONOTONIC, ev, &id));
	R("write from a PROT_NONE page", write(p[1], none, 8));
	show_prot("write-only page afterwards", wo);
	show_prot("PROT_NONE page afterwards", none);
	return 0;
}
