/* prctl(PR_SET_MM): PR_SET_MM_MAP_SIZE; PR_SET_MM_MAP's checks (size, every address inside
 * the address space, the pairs ordered, RLIMIT_DATA over break and data, the auxv size),
 * and its effects: the same map again, a new saved auxv (/proc/self/auxv, PR_GET_AUXV), a
 * command line elsewhere (/proc/self/cmdline: read from anonymous memory only), the break
 * moved (brk from the new start, not below it; /proc/self/stat's start_brk, [heap]). A
 * new exe file needs CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE (EPERM without), then a
 * runnable regular file (EBADF, EACCES) while the old one is mapped (EBUSY); the single
 * fields need CAP_SYS_RESOURCE. /proc/self/stat's code and data bounds are the image's. */
#include "cf.h"
#include <elf.h>
#include <linux/capability.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#ifndef PR_GET_AUXV
#define PR_GET_AUXV 0x41555856 /* Linux 6.4 */
#endif

static unsigned long st[60]; /* /proc/self/stat, st[n] field n */

static void
read_stat(void)
{
	char buf[4096];
	int fd = open("/proc/self/stat", O_RDONLY);
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	char *p = strrchr(buf, ')');
	int i = 3;
	for (char *q = strtok(p + 2, " "); q && i < 60; q = strtok(NULL, " "))
		st[i++] = strtoul(q, NULL, 10);
}

static void
current(struct prctl_mm_map *m)
{
	read_stat();
	memset(m, 0, sizeof(*m));
	m->start_code = st[26];
	m->end_code = st[27];
	m->start_stack = st[28];
	m->start_data = st[45];
	m->end_data = st[46];
	m->start_brk = st[47];
	m->brk = syscall(SYS_brk, 0);
	m->arg_start = st[48];
	m->arg_end = st[49];
	m->env_start = st[50];
	m->env_end = st[51];
	m->exe_fd = -1;
}

static long
set_map(struct prctl_mm_map *m)
{
	return prctl(PR_SET_MM, PR_SET_MM_MAP, m, sizeof(*m), 0);
}

static void
caps_drop(unsigned long long bits)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	syscall(SYS_capget, &h, d);
	d[0].effective &= ~(unsigned)bits;
	d[1].effective &= ~(unsigned)(bits >> 32);
	syscall(SYS_capset, &h, d);
}

static int
has_cap(int cap)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	syscall(SYS_capget, &h, d);
	return (d[cap / 32].effective >> (cap % 32)) & 1;
}

static void
exe_checks(void)
{
	struct prctl_mm_map m;

	current(&m);
	m.exe_fd = 999;
	R("exe_fd not open", set_map(&m));
	m.exe_fd = open("/", O_RDONLY | O_DIRECTORY);
	R("exe_fd a directory", set_map(&m));
	close(m.exe_fd);
	m.exe_fd = open("/proc/self/exe", O_RDONLY);
	R("exe_fd the running program (still mapped)", set_map(&m));
	close(m.exe_fd);
	caps_drop(1ULL << CAP_SYS_ADMIN | 1ULL << 40 /* CAP_CHECKPOINT_RESTORE */);
	m.exe_fd = 999;
	R("exe_fd without the capabilities", set_map(&m));
}

int
main(void)
{
	unsigned int size = 0;
	struct prctl_mm_map m, bad;

	printf("start\n");
	fflush(stdout);
	R("MAP_SIZE", prctl(PR_SET_MM, PR_SET_MM_MAP_SIZE, &size, 0, 0));
	printf("size %u\n", size);
	R("MAP_SIZE to a bad address", prctl(PR_SET_MM, PR_SET_MM_MAP_SIZE, 8, 0, 0));
	R("arg5 set", prctl(PR_SET_MM, PR_SET_MM_MAP_SIZE, &size, 0, 1));
	caps_drop(1ULL << CAP_SYS_RESOURCE);
	R("START_CODE with arg4", prctl(PR_SET_MM, PR_SET_MM_START_CODE, 0x400000, 1, 0));
	R("START_CODE without CAP_SYS_RESOURCE", prctl(PR_SET_MM, PR_SET_MM_START_CODE, 0x400000, 0, 0));
	R("AUXV without CAP_SYS_RESOURCE", prctl(PR_SET_MM, PR_SET_MM_AUXV, &size, 4, 0));
	R("EXE_FILE without CAP_SYS_RESOURCE", prctl(PR_SET_MM, PR_SET_MM_EXE_FILE, 0, 0, 0));

	current(&m);
	YN("stat: start_code < main < end_code",
	   m.start_code <= (unsigned long)main && (unsigned long)main < m.end_code);
	static int initialized = 7;
	YN("stat: start_data <= initialized data < end_data",
	   m.start_data <= (unsigned long)&initialized && (unsigned long)&initialized < m.end_data);
	R("MAP size - 1", prctl(PR_SET_MM, PR_SET_MM_MAP, &m, sizeof(m) - 1, 0));
	R("MAP from a bad address", prctl(PR_SET_MM, PR_SET_MM_MAP, 8, sizeof(m), 0));
	R("MAP the same", set_map(&m));
	bad = m;
	bad.end_code = bad.start_code;
	R("MAP end_code = start_code", set_map(&bad));
	bad = m;
	bad.end_data = bad.start_data - 1;
	R("MAP end_data < start_data", set_map(&bad));
	bad = m;
	bad.env_end = 0x800000000000UL;
	R("MAP env_end past the address space", set_map(&bad));
	bad = m;
	bad.arg_start = 0;
	R("MAP arg_start 0", set_map(&bad));
	bad = m;
	bad.brk = bad.start_brk - 1;
	R("MAP brk < start_brk", set_map(&bad));

	struct rlimit old, lim;
	getrlimit(RLIMIT_DATA, &old);
	lim = old;
	lim.rlim_cur = (m.end_data - m.start_data) + (m.brk - m.start_brk) + (1 << 20);
	setrlimit(RLIMIT_DATA, &lim);
	bad = m;
	bad.brk = m.brk + (2 << 20);
	R("MAP break past RLIMIT_DATA", set_map(&bad));
	bad.brk = m.brk + (512 << 10);
	R("MAP break within RLIMIT_DATA", set_map(&bad));
	R("MAP back", set_map(&m));
	setrlimit(RLIMIT_DATA, &old);

	unsigned long av[64] = { AT_PAGESZ, 4096, AT_UID, 12345, AT_NULL, 0, 77, 88 };
	m.auxv = (__u64 *)av;
	m.auxv_size = 449;
	R("MAP auxv 449 bytes", set_map(&m));
	m.auxv = NULL;
	m.auxv_size = 16;
	R("MAP auxv NULL", set_map(&m));
	m.auxv = (__u64 *)8;
	R("MAP auxv from a bad address", set_map(&m));
	m.auxv = (__u64 *)av;
	m.auxv_size = 64;
	R("MAP auxv", set_map(&m));
	unsigned long got[64];
	int fd = open("/proc/self/auxv", O_RDONLY);
	R("/proc/self/auxv bytes", read(fd, got, sizeof(got)));
	close(fd);
	printf("its words %lu %lu %lu %lu %lu %lu\n", got[0], got[1], got[2], got[3], got[4], got[5]);
	memset(got, 0xff, sizeof(got));
	R("PR_GET_AUXV", prctl(PR_GET_AUXV, got, sizeof(got), 0, 0));
	printf("its words 6-7 %lu %lu, 54-55 %lu %lu\n", got[6], got[7], got[54], got[55]);
	m.auxv = NULL;
	m.auxv_size = 0;

	/* /proc reads the command line from anonymous memory only (FOLL_ANON): not from the
	 * program's .data, from a private anonymous page */
	static char line[] = "renamed\0by prctl";
	char *anon = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memcpy(anon, line, sizeof(line));
	ssize_t n = 0;
	for (int k = 0; k < 2; k++) {
		char *at = k ? anon : line;
		bad = m;
		bad.arg_start = (unsigned long)at;
		bad.arg_end = (unsigned long)at + sizeof(line);
		R(k ? "MAP a command line in anonymous memory" : "MAP a command line in .data",
		  set_map(&bad));
		char cmd[64] = { 0 };
		fd = open("/proc/self/cmdline", O_RDONLY);
		n = read(fd, cmd, sizeof(cmd));
		close(fd);
		for (ssize_t i = 0; i + 1 < n; i++)
			cmd[i] = cmd[i] ? cmd[i] : ' ';
		printf("cmdline %zd: %s\n", n, cmd);
	}
	R("MAP back", set_map(&m));

	/* the break moved to a free place */
	char *p = mmap(NULL, 4 << 20, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(p, 4 << 20);
	unsigned long nb = (unsigned long)p + (1 << 20);
	bad = m;
	bad.start_brk = bad.brk = nb;
	R("MAP a new break", set_map(&bad));
	read_stat();
	YN("stat start_brk is it", st[47] == nb);
	YN("brk(0) is it", (unsigned long)syscall(SYS_brk, 0) == nb);
	YN("brk below the new start refused",
	   (unsigned long)syscall(SYS_brk, nb - 4096) == nb);
	YN("brk up 64 KiB", (unsigned long)syscall(SYS_brk, nb + 65536) == nb + 65536);
	memset((char *)nb, 1, 65536);
	char maps[8192], want[64];
	fd = open("/proc/self/maps", O_RDONLY);
	n = read(fd, maps, sizeof(maps) - 1);
	close(fd);
	maps[n > 0 ? n : 0] = '\0';
	snprintf(want, sizeof(want), "%lx-%lx rw-p", nb, nb + 65536);
	char *h = strstr(maps, want);
	YN("maps: the new heap is [heap]", h && strstr(h, "[heap]") < strchr(h, '\n') &&
	   strstr(h, "[heap]"));
	YN("brk back down", (unsigned long)syscall(SYS_brk, nb + 4096) == nb + 4096);

	if (has_cap(CAP_SYS_ADMIN)) /* (as root: then its refusals, and without it) */
		exe_checks();
	else
		printf("no CAP_SYS_ADMIN\n");
	return 0;
}
