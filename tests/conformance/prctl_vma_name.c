/*
 * prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME): the kernel the guest sees is built without
 * CONFIG_ANON_VMA_NAME, so every option fails with EINVAL and /proc/self/maps shows no
 * name; the call must not claim success it did not have.
 */
#include "cf.h"
#include <sys/mman.h>
#include <sys/prctl.h>

#ifndef PR_SET_VMA
#define PR_SET_VMA 0x53564d41
#define PR_SET_VMA_ANON_NAME 0
#endif

/* whether the maps line of addr carries a name in brackets starting with "[anon" */
static void
maps_named(const char *label, void *addr)
{
	char buf[65536], key[32];
	int fd = open("/proc/self/maps", O_RDONLY);
	size_t len = 0;
	ssize_t n;
	char *p;

	while (fd >= 0 && len < sizeof(buf) - 1 &&
	       (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	buf[len] = '\0';
	snprintf(key, sizeof(key), "%lx-", (unsigned long)addr);
	p = strstr(buf, key);
	YN(label, p && strstr(p, "[anon") && strstr(p, "[anon") < strchr(p, '\n'));
}

int
main(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	void *priv = mmap(NULL, pg * 2, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	void *shar = mmap(NULL, pg, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	void *file;
	int fd;

	cf_init();
	fd = open("f", O_RDWR | O_CREAT, 0600);
	R("ftruncate", ftruncate(fd, pg));
	file = mmap(NULL, pg, PROT_READ, MAP_SHARED, fd, 0);
	R("name private anon", prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, priv, pg, "test"));
	maps_named("private anon named", priv);
	R("name shared anon", prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, shar, pg, "test"));
	maps_named("shared anon named", shar);
	R("name file mapping", prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, file, pg, "test"));
	R("clear name", prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, priv, pg, NULL));
	R("empty name", prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, priv, pg, ""));
	R("unaligned start", prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, (char *)priv + 1, pg, "x"));
	R("bad name pointer", prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, priv, pg, (char *)8));
	R("unknown option", prctl(PR_SET_VMA, 1, priv, pg, "test"));
	return 0;
}
