/*
 * What a core file holds (core_pattern "core", as tests/conformance/coredump.c expects on
 * the host): notes in Linux's order with the dead thread's registers and signal, the
 * process's arguments, auxv and mapped files; one PT_LOAD per mapping, with the memory
 * coredump_filter asks for (anonymous memory by default, the first page of a mapped ELF,
 * not the file's text; nothing of an inaccessible mapping); a thread blocked in a call
 * has its registers there too.
 */
#include "cf.h"

#include <elf.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/procfs.h>
#include <sys/resource.h>
#include <sys/wait.h>

static char marker[64] = "data-marker";
static char *heap, *shared, *none;

static __attribute__((noinline)) void
crash_here(void)
{
	*(volatile int *)16 = 1;
}

static pid_t main_tid;

/* Crashes once the main thread sleeps in its read. */
static void *
crash_thread(void *arg)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)main_tid);
	for (int i = 0; i < 5000; i++) {
		char buf[256] = "";
		int fd = open(path, O_RDONLY);
		ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
		close(fd);
		char *p = n > 0 ? strrchr(buf, ')') : NULL;
		if (p && p[1] == ' ' && p[2] == 'S')
			break;
		usleep(1000);
	}
	crash_here();
	return arg;
}

static void
child(const char *filter)
{
	struct rlimit r = { RLIM_INFINITY, RLIM_INFINITY };

	setrlimit(RLIMIT_CORE, &r);
	if (filter && strcmp(filter, "threads"))
		cf_write_file("/proc/self/coredump_filter", filter, strlen(filter));
	strcpy(heap, "heap-marker");
	strcpy(shared, "shared-marker");
	strcpy(marker, "data-marker-written");
	signal(SIGSEGV, SIG_DFL);
	if (filter && !strcmp(filter, "threads")) {
		int pfd[2];
		pthread_t th;
		char c;
		main_tid = getpid();
		if (pipe(pfd) == 0 && pthread_create(&th, NULL, crash_thread, NULL) == 0)
			read(pfd[0], &c, 1);
		_exit(3);
	}
	crash_here();
	_exit(2);
}

static char *core;
static size_t core_len;

static int
load(const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st))
		return -1;
	free(core);
	core = malloc(st.st_size + 1);
	core_len = read(fd, core, st.st_size);
	close(fd);
	return core_len == (size_t)st.st_size ? 0 : -1;
}

/* The bytes of the core at address addr (len of them), or NULL if not in it. */
static const char *
at_addr(unsigned long addr, size_t len, unsigned long *filesz)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)core;
	Elf64_Phdr *ph = (Elf64_Phdr *)(core + eh->e_phoff);

	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && addr >= ph[i].p_vaddr &&
		    addr < ph[i].p_vaddr + ph[i].p_memsz) {
			*filesz = ph[i].p_filesz;
			if (addr + len > ph[i].p_vaddr + ph[i].p_filesz)
				return NULL;
			return core + ph[i].p_offset + (addr - ph[i].p_vaddr);
		}
	*filesz = (unsigned long)-1;
	return NULL;
}

static void
notes(pid_t pid)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)core;
	Elf64_Phdr *ph = (Elf64_Phdr *)(core + eh->e_phoff);
	char exe[256] = "", args[81] = "";
	unsigned long auxv[128];
	int fd = open("/proc/self/auxv", O_RDONLY);
	ssize_t auxv_len = fd >= 0 ? read(fd, auxv, sizeof(auxv)) : -1;

	close(fd);
	/* pr_psargs: the arguments with each NUL a space, at most 79 bytes */
	fd = open("/proc/self/cmdline", O_RDONLY);
	ssize_t args_len = fd >= 0 ? read(fd, args, 79) : 0;
	close(fd);
	for (ssize_t i = 0; i < args_len; i++)
		if (!args[i])
			args[i] = ' ';
	readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	printf("elf core: %s, first phdr PT_NOTE: %s\n",
	       !memcmp(core, ELFMAG, SELFMAG) && eh->e_type == ET_CORE ? "yes" : "no",
	       ph[0].p_type == PT_NOTE ? "yes" : "no");
	printf("notes:");
	for (size_t off = 0; off + sizeof(Elf64_Nhdr) <= ph[0].p_filesz;) {
		Elf64_Nhdr *nh = (Elf64_Nhdr *)(core + ph[0].p_offset + off);
		const char *name = (const char *)(nh + 1);
		const char *desc = name + ((nh->n_namesz + 3) & ~3U);
		if (nh->n_type == 0x205) /* NT_X86_XSAVE_LAYOUT of newer kernels: not compared */
			goto next;
		printf(" %s/%x", name, nh->n_type);
		if (nh->n_type == NT_PRSTATUS) {
			const struct elf_prstatus *ps = (const void *)desc;
			const struct user_regs_struct *r = (const void *)&ps->pr_reg;
			printf("(sig %d pid-match %d rip-in-crash_here %d fpvalid %d)", ps->pr_cursig,
			       ps->pr_pid == pid,
			       r->rip >= (unsigned long)crash_here &&
			       r->rip < (unsigned long)crash_here + 64, ps->pr_fpvalid);
		} else if (nh->n_type == NT_PRPSINFO) {
			const struct elf_prpsinfo *pi = (const void *)desc;
			printf("(pid-match %d fname %.16s psargs-are-the-args %d)", pi->pr_pid == pid,
			       pi->pr_fname, !strcmp(pi->pr_psargs, args));
		} else if (nh->n_type == NT_SIGINFO) {
			const siginfo_t *si = (const void *)desc;
			printf("(signo %d code %d addr %p)", si->si_signo, si->si_code, si->si_addr);
		} else if (nh->n_type == NT_AUXV) {
			printf("(the parent's %d)", (ssize_t)nh->n_descsz == auxv_len &&
			       !memcmp(desc, auxv, auxv_len));
		} else if (nh->n_type == NT_FILE) {
			const unsigned long *d = (const void *)desc;
			const char *names = (const char *)(d + 2 + 3 * d[0]);
			int found = 0;
			for (unsigned long i = 0; i < d[0]; i++, names += strlen(names) + 1)
				found |= !strcmp(names, exe);
			printf("(page %lu exe listed %d)", d[1], found);
		}
	next:
		off += sizeof(*nh) + ((nh->n_namesz + 3) & ~3U) + ((nh->n_descsz + 3) & ~3U);
	}
	printf("\n");
}

static void
contents(void)
{
	unsigned long sz;
	const char *p;

	p = at_addr((unsigned long)marker, 20, &sz);
	printf("  data: %s\n", p ? p : "absent");
	p = at_addr((unsigned long)heap, 12, &sz);
	printf("  heap: %s\n", p ? p : "absent");
	p = at_addr((unsigned long)shared, 14, &sz);
	printf("  shared anonymous: %s\n", p ? p : "absent");
	at_addr((unsigned long)none, 1, &sz);
	printf("  PROT_NONE mapping: filesz %lu\n", sz);
	at_addr((unsigned long)crash_here, 1, &sz);
	printf("  text: filesz %lu\n", sz);
}

static void
dump(const char *filter)
{
	unlink("core");
	pid_t pid = fork();
	if (pid == 0)
		child(filter);
	int st;
	waitpid(pid, &st, 0);
	printf("filter %s: killed by %d, core %s\n", filter ? filter : "default",
	       WIFSIGNALED(st) ? WTERMSIG(st) : 0, WCOREDUMP(st) ? "yes" : "no");
	if (load("core")) {
		printf("  no core\n");
		return;
	}
	notes(pid);
	contents();
}

int
main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	cf_init();
	heap = malloc(100);
	shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	none = mmap(NULL, 8192, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	dump(NULL);
	dump("0x2"); /* shared anonymous memory only */
	dump("threads"); /* another thread crashes */
	return 0;
}
