/* procfs file contents, generated from sentry state (and host facts cached at start). */
#include <netinet/in.h>
#include <cpuid.h>
#include <asm/prctl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/random.h>
#include <sys/sysinfo.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "fs/gofer.h"
#include "fs/procfs.h"
#include "fs/tty.h"
#include "platform/platform.h"
#include "sentry/ptrace.h"
#include "sentry/ns.h"
#include "sentry/sentry.h"

static struct utsname uts;

/* The filesystem types, in the order of /proc/filesystems and of sysfs(2)'s indexes (none
 * needs a device). */
const char *const vfs_fs_types[] = { "sysfs", "tmpfs", "proc", "devpts", "mqueue", "hostfs",
				     "cgroup2", NULL };
static unsigned nprocs = 1;
static unsigned nprocs_possible = 1, kernel_max = 8191; /* the host's (sysfs) */
static unsigned long mem_total_kb = 4UL << 20, mem_free_kb = 2UL << 20;
static char cpu_vendor[13] = "GenuineIntel", cpu_model[49] = "Virtual CPU";
static unsigned cpu_family = 6, cpu_modelno, cpu_stepping;
static char cpu_flags[512];
static bool cpuid_faulting;

struct flagbit {
	int reg;                  /* 0 = 1.edx, 1 = 1.ecx, 2 = 7.ebx, 3 = 0x80000001.edx, 4 = .ecx,
				   * 5 = what Linux finds out itself (bit 0: CPUID faulting) */
	int bit;
	const char *name;
};

static const struct flagbit flagbits[] = {
	{ 0, 0, "fpu" }, { 0, 1, "vme" }, { 0, 2, "de" }, { 0, 3, "pse" }, { 0, 4, "tsc" },
	{ 0, 5, "msr" }, { 0, 6, "pae" }, { 0, 7, "mce" }, { 0, 8, "cx8" }, { 0, 9, "apic" },
	{ 0, 11, "sep" }, { 0, 12, "mtrr" }, { 0, 13, "pge" }, { 0, 14, "mca" },
	{ 0, 15, "cmov" }, { 0, 16, "pat" }, { 0, 17, "pse36" }, { 0, 19, "clflush" },
	{ 0, 23, "mmx" }, { 0, 24, "fxsr" }, { 0, 25, "sse" }, { 0, 26, "sse2" },
	{ 0, 28, "ht" }, { 3, 11, "syscall" }, { 3, 20, "nx" }, { 3, 27, "rdtscp" },
	{ 3, 29, "lm" }, { 1, 0, "pni" }, { 1, 1, "pclmulqdq" }, { 1, 9, "ssse3" },
	{ 1, 12, "fma" }, { 1, 13, "cx16" }, { 1, 19, "sse4_1" }, { 1, 20, "sse4_2" },
	{ 1, 22, "movbe" }, { 1, 23, "popcnt" }, { 1, 25, "aes" }, { 1, 26, "xsave" },
	{ 1, 28, "avx" }, { 1, 29, "f16c" }, { 1, 30, "rdrand" }, { 1, 31, "hypervisor" },
	{ 4, 0, "lahf_lm" }, { 4, 5, "abm" }, { 5, 0, "cpuid_fault" }, { 2, 3, "bmi1" }, { 2, 5, "avx2" },
	{ 2, 8, "bmi2" }, { 2, 9, "erms" }, { 2, 16, "avx512f" }, { 2, 18, "rdseed" },
	{ 2, 19, "adx" }, { 2, 29, "sha_ni" },
};

/* A random version 4 UUID (RFC 4122's version and variant bits). */
static bool
random_uuid(unsigned char u[16])
{
	if (getrandom(u, 16, GRND_NONBLOCK) != 16)
		return false;
	u[6] = (u[6] & 0x0f) | 0x40;
	u[8] = (u[8] & 0x3f) | 0x80;
	return true;
}

static void
uuid_text(struct sbuf *b, const unsigned char u[16])
{
	for (int i = 0; i < 16; i++)
		sbuf_printf(b, "%s%02x", i == 4 || i == 6 || i == 8 || i == 10 ? "-" : "", u[i]);
	sbuf_printf(b, "\n");
}

/* CPUID traps to the hypervisor in a VM (~7 us a leaf here): read only when a guest first
 * reads /proc/cpuinfo, not at every start (an instruction, so also after confinement). */
static void
cpu_init(void)
{
	static bool done;
	unsigned a, b, c, d, regs[6] = { 0 };
	size_t i, len = 0;

	if (done)
		return;
	done = true;

	if (__get_cpuid(0, &a, &b, &c, &d)) {
		memcpy(cpu_vendor, &b, 4);
		memcpy(cpu_vendor + 4, &d, 4);
		memcpy(cpu_vendor + 8, &c, 4);
		cpu_vendor[12] = '\0';
	}
	if (__get_cpuid(1, &a, &b, &c, &d)) {
		cpu_family = (a >> 8) & 0xf;
		cpu_modelno = (a >> 4) & 0xf;
		if (cpu_family == 6 || cpu_family == 15)
			cpu_modelno |= ((a >> 16) & 0xf) << 4;
		if (cpu_family == 15)
			cpu_family += (a >> 20) & 0xff;
		cpu_stepping = a & 0xf;
		regs[0] = d;
		regs[1] = c;
	}
	if (__get_cpuid_count(7, 0, &a, &b, &c, &d))
		regs[2] = b;
	if (__get_cpuid(0x80000001, &a, &b, &c, &d)) {
		regs[3] = d;
		regs[4] = c;
	}
	regs[5] = cpuid_faulting;
	if (__get_cpuid(0x80000004, &a, &b, &c, &d)) {
		unsigned *m = (unsigned *)cpu_model;

		for (unsigned leaf = 0; leaf < 3; leaf++)
			__get_cpuid(0x80000002 + leaf, &m[leaf * 4], &m[leaf * 4 + 1],
				    &m[leaf * 4 + 2], &m[leaf * 4 + 3]);
		cpu_model[48] = '\0';
	}
	for (i = 0; i < ARRAY_SIZE(flagbits); i++) {
		const struct flagbit *f = &flagbits[i];

		if (!(regs[f->reg] & (1u << f->bit)))
			continue;
		len += snprintf(cpu_flags + len, sizeof(cpu_flags) - len, "%s%s",
				len ? " " : "", f->name);
		if (len >= sizeof(cpu_flags))
			break;
	}
}

unsigned
vfs_nprocs(void)
{
	return nprocs;
}

void
vfs_cpu_limits(unsigned *possible, unsigned *max)
{
	*possible = MAX(nprocs_possible, nprocs);
	*max = kernel_max;
}

/*
 * Host facts for /proc and /sys, gathered once when the program starts: the sentry
 * is confined (uname, sysinfo and sched_getaffinity are not on its allowlist) by the
 * time vfs_init runs, and a fork inherits these values. CPUID's come later (cpu_init).
 */
__attribute__((constructor)) static void
procfs_host_facts(void)
{
	struct sysinfo si;
	cpu_set_t set;

	/* The CPUs are the host's, numbered as there: the guests' affinity masks are host
	 * masks (a sandbox started on CPU 3 alone has {3}), so /sys and /proc list every
	 * online one, as Linux does for a container confined to a cpuset. */
	int online = get_nprocs();
	if (online > 0)
		nprocs = (unsigned)online;
	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		for (unsigned c = nprocs; c < CPU_SETSIZE; c++)
			if (CPU_ISSET(c, &set))
				nprocs = c + 1;
	/* the CPUs there may ever be (hotplug slots of a VM) and the kernel's limit */
	int conf = get_nprocs_conf();
	if (conf > 0)
		nprocs_possible = (unsigned)conf;
	FILE *km = fopen("/sys/devices/system/cpu/kernel_max", "re");
	if (km) {
		if (fscanf(km, "%u", &kernel_max) != 1 || kernel_max == 0)
			kernel_max = 8191;
		fclose(km);
	}

	/* Guests' ARCH_SET_CPUID runs on the host, which refuses it (ENODEV) where it lacks
	 * CPUID faulting: asking it to leave CPUID enabled, as it is, tells which. */
	cpuid_faulting = syscall(SYS_arch_prctl, ARCH_SET_CPUID, 1) == 0;

	if (uname(&uts) < 0) {
		snprintf(uts.release, sizeof(uts.release), "6.1.0");
		snprintf(uts.version, sizeof(uts.version), "#1 SMP");
	}
	if (sysinfo(&si) == 0 && si.mem_unit) {
		mem_total_kb = (unsigned long)si.totalram * si.mem_unit / 1024;
		mem_free_kb = (unsigned long)si.freeram * si.mem_unit / 1024;
	}
}

void
vfs_memory_facts(unsigned long *total, unsigned long *free)
{
	/* Memory as --memory leaves it to the guests (/proc/meminfo and sysinfo agree). */
	unsigned long t = mem_total_kb << 10, f = mem_free_kb << 10;
	if (limit_report && limit_report->mem_limit) {
		unsigned long limit = limit_report->mem_limit, used = limit_report->mem_charged;
		t = MIN(t, limit);
		f = MIN(f, limit > used ? limit - used : 0);
	}
	*total = t;
	*free = f;
}

static void
gen_cpuinfo(struct sbuf *b)
{
	unsigned n = vfs_nprocs();

	cpu_init();
	for (unsigned i = 0; i < n; i++)
		sbuf_printf(b,
			    "processor\t: %u\nvendor_id\t: %s\ncpu family\t: %u\nmodel\t\t: %u\n"
			    "model name\t: %s\nstepping\t: %u\ncpu MHz\t\t: 2000.000\n"
			    "cache size\t: 8192 KB\nphysical id\t: 0\nsiblings\t: %u\n"
			    "core id\t\t: %u\ncpu cores\t: %u\napicid\t\t: %u\ninitial apicid\t: %u\n"
			    "fpu\t\t: yes\n"
			    "fpu_exception\t: yes\ncpuid level\t: 13\nwp\t\t: yes\nflags\t\t: %s\n"
			    "bogomips\t: 4000.00\nclflush size\t: 64\ncache_alignment\t: 64\n"
			    "address sizes\t: 46 bits physical, 48 bits virtual\n"
			    "power management:\n\n",
			    i, cpu_vendor, cpu_family, cpu_modelno, cpu_model, cpu_stepping, n, i, n,
			    i, i, cpu_flags);
}

static void
gen_meminfo(struct sbuf *b)
{
	unsigned long total, free, limit = mem_total_kb / 2, used = 0;
	/* in-memory files (tmpfs, the overlay's copies) are Linux's shmem: in Cached too */
	unsigned long shmem = tmpfs_charged() >> 10;

	vfs_memory_facts(&total, &free);
	total >>= 10;
	free >>= 10;
	if (limit_report && limit_report->mem_limit) {
		limit = limit_report->mem_limit >> 10;
		used = limit_report->mem_charged >> 10;
	}
	/* Linux's lines in Linux's order (meminfo_proc_show, x86's arch_report_meminfo), so
	 * parsers that expect a key find it: the sandbox's memory in the first ones and the
	 * commit lines, 0 for what it has none of */
	const struct { const char *key; unsigned long kb; } lines[] = {
		{ "MemTotal", total }, { "MemFree", free }, { "MemAvailable", free },
		{ "Buffers", 0 }, { "Cached", shmem }, { "SwapCached", 0 }, { "Active", 0 },
		{ "Inactive", 0 }, { "Active(anon)", 0 }, { "Inactive(anon)", 0 },
		{ "Active(file)", 0 }, { "Inactive(file)", 0 }, { "Unevictable", 0 },
		{ "Mlocked", 0 }, { "SwapTotal", 0 }, { "SwapFree", 0 }, { "Zswap", 0 },
		{ "Zswapped", 0 }, { "Dirty", 0 }, { "Writeback", 0 }, { "AnonPages", used > shmem ? used - shmem : 0 },
		{ "Mapped", 0 }, { "Shmem", shmem }, { "KReclaimable", 0 }, { "Slab", 0 },
		{ "SReclaimable", 0 }, { "SUnreclaim", 0 }, { "KernelStack", 0 },
		{ "PageTables", 0 }, { "SecPageTables", 0 }, { "NFS_Unstable", 0 }, { "Bounce", 0 },
		{ "WritebackTmp", 0 }, { "CommitLimit", limit }, { "Committed_AS", used },
		{ "VmallocTotal", 34359738367UL }, { "VmallocUsed", 0 }, { "VmallocChunk", 0 },
		{ "Percpu", 0 }, { "AnonHugePages", 0 }, { "ShmemHugePages", 0 },
		{ "ShmemPmdMapped", 0 }, { "FileHugePages", 0 }, { "FilePmdMapped", 0 },
		{ "Balloon", 0 }, { "HugePages_Total", 0 }, { "HugePages_Free", 0 },
		{ "HugePages_Rsvd", 0 }, { "HugePages_Surp", 0 }, { "Hugepagesize", 2048 },
		{ "Hugetlb", 0 }, { "DirectMap4k", 0 }, { "DirectMap2M", 0 }, { "DirectMap1G", 0 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(lines); i++) {
		char key[32];

		snprintf(key, sizeof(key), "%s:", lines[i].key);
		sbuf_printf(b, "%-16s%8lu%s\n", key, lines[i].kb,
			    strncmp(lines[i].key, "HugePages_", 10) ? " kB" : "");
	}
}

/* A task the sentry sees running guest code may sleep in a call the host runs for it (a
 * private futex wait never reaches the sentry): its stub thread's own state, from the
 * gofer. (The task reading is running, as on Linux; ptrace and other stops are the
 * sentry's.) */
static bool
host_sleeps(struct task *t)
{
	if (!t->ctx || t == current_task || plat_is_stopped(t->ctx))
		return false;
	int c = gofer_task_state(plat_host_pid(t->ctx));
	return c == 'S' || c == 'D';
}

static const char *
task_state(struct task *t, char *c)
{
	if (ptrace_stopped(t)) {
		*c = 't';
		return "t (tracing stop)";
	}
	/* (a group stop, Linux's TASK_STOPPED; a zombie's exit state outranks it) */
	if (t->stopped && t->state != TASK_ZOMBIE) {
		*c = 'T';
		return "T (stopped)";
	}
	if (t->exit_called && t == t->leader) {
		*c = 'Z'; /* a leader gone before its threads, as Linux shows it */
		return "Z (zombie)";
	}
	switch (t->state) {
	case TASK_RUNNING:
		if (t->native_sleep || host_sleeps(t)) {
			*c = 'S';
			return "S (sleeping)";
		}
		*c = 'R';
		return "R (running)";
	case TASK_BLOCKED:
		*c = 'S';
		return "S (sleeping)";
	case TASK_ZOMBIE:
		*c = 'Z';
		return "Z (zombie)";
	default:
		*c = 'R';
		return "R (running)";
	}
}

/* Tasks, and those running as /proc/PID/stat says (R): a thread waiting in a host futex,
 * a stopped one is not (Linux's nr_running, for /proc/loadavg and procs_running). */
static void
count_tasks(int *running, int *total)
{
	struct task *t;
	char c;

	*running = *total = 0;
	for (t = task_next(NULL); t; t = task_next(t)) {
		if (t->state == TASK_ZOMBIE)
			continue;
		(*total)++;
		task_state(t, &c);
		*running += c == 'R';
	}
}

/*
 * The sandbox's own load average, in Linux's fixed point (11 bits of fraction): every 5 s
 * Linux folds the count of runnable tasks into three exponentially decaying averages (1,
 * 5 and 15 minutes). No tick samples that count here, and a guest thread the sentry sees
 * running may sleep in the host (a private futex wait), so the averages catch up when
 * read, each 5 s boundary passed since the last reading counting the CPU time the guests
 * and the sentry's work for them took over that span per second: the tasks on a CPU (a
 * busy host's run queue, which Linux would count too, is not seen). make -l and the like
 * so see the sandbox's own work, never the host's.
 */
#define LOAD_SHIFT 11
#define LOAD_ONE (1UL << LOAD_SHIFT)
#define LOAD_PERIOD_NS 5000000000LL

static unsigned long
load_decay(unsigned long load, unsigned long exp, unsigned long active)
{
	unsigned long n = load * exp + active * (LOAD_ONE - exp);

	if (active >= load) /* round up while rising, as Linux's calc_load */
		n += LOAD_ONE - 1;
	return n >> LOAD_SHIFT;
}

void
vfs_loadavg(unsigned long avg[3])
{
	/* e^(-5s/1min), e^(-5s/5min), e^(-5s/15min) in that fixed point */
	static const unsigned long exps[3] = { 1884, 2014, 2037 };
	static unsigned long load[3];
	static long long last_ns;
	static unsigned long long last_cpu;
	long long now = vfs_boot_ns();

	if (!last_ns) /* (the sandbox's load starts at 0 with it) */
		last_ns = now;
	long long periods = now / LOAD_PERIOD_NS - last_ns / LOAD_PERIOD_NS;

	if (periods > 0 && now > last_ns) {
		struct timespec self;
		unsigned long long cpu = plat_cpu_ns();

		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &self);
		cpu += (unsigned long long)self.tv_sec * 1000000000ULL + self.tv_nsec;
		unsigned long long used = cpu > last_cpu ? cpu - last_cpu : 0;
		unsigned long long span_us = (unsigned long long)(now - last_ns) / 1000 + 1;
		unsigned long active = (unsigned long)MIN(used / 1000 * LOAD_ONE / span_us,
							 4096 * LOAD_ONE);
		/* (the averages have long settled on the count past some thousand periods) */
		for (long long p = MIN(periods, 2048); p > 0; p--)
			for (int i = 0; i < 3; i++)
				load[i] = load_decay(load[i], exps[i], active);
		last_ns = now;
		last_cpu = cpu;
	}
	memcpy(avg, load, sizeof(load));
}

static void
gen_stat(struct sbuf *b)
{
	unsigned n = vfs_nprocs();
	struct timespec self;
	int running, total;

	count_tasks(&running, &total);
	/* USER_HZ ticks: user is the guests' CPU time, system the sentry's own (the kernel's
	 * work), idle what is left of the time since boot on n CPUs */
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &self);
	unsigned long user = plat_cpu_ns() / 10000000ULL;
	unsigned long sys = (unsigned long)self.tv_sec * 100 + self.tv_nsec / 10000000;
	unsigned long all = (unsigned long)(vfs_boot_ns() / 10000000LL) * n;
	unsigned long idle = all > user + sys ? all - user - sys : 0;
	sbuf_printf(b, "cpu  %lu 0 %lu %lu 0 0 0 0 0 0\n", user, sys, idle);
	for (unsigned i = 0; i < n; i++)
		sbuf_printf(b, "cpu%u %lu 0 %lu %lu 0 0 0 0 0 0\n", i, user / n, sys / n, idle / n);
	sbuf_printf(b, "intr 0\nctxt 0\nbtime %lu\nprocesses %d\nprocs_running %d\n"
		    "procs_blocked 0\nsoftirq 0 0 0 0 0 0 0 0 0 0 0\n",
		    (unsigned long)vfs_boot_wall(), sentry.next_pid, running ? running : 1);
}

/* The kernel function a task sleeping in its call shows as its wchan on Linux (6.1's names;
 * ps -l's WCHAN, ps -o wchan): by the call, a read or write by its file. */
static const char *
sleep_site(struct task *t)
{
	if (t->state == TASK_RUNNING && !t->native_sleep)
		return "futex_wait_queue"; /* a wait the host runs, which the sentry never saw */
	bool pipe = t->wait_file && S_ISFIFO(t->wait_file->inode->mode);
	switch (t->last_nr) {
	case __NR_nanosleep: case __NR_clock_nanosleep: return "hrtimer_nanosleep";
	case __NR_pause: return "__do_sys_pause";
	case __NR_rt_sigsuspend: return "sigsuspend";
	case __NR_rt_sigtimedwait: return "do_sigtimedwait";
	case __NR_futex: case __NR_futex_waitv: return "futex_wait_queue";
	case __NR_wait4: case __NR_waitid: return "do_wait";
	case __NR_poll: case __NR_ppoll: case __NR_select: case __NR_pselect6:
		return "poll_schedule_timeout.constprop.0";
	case __NR_epoll_wait: case __NR_epoll_pwait: case __NR_epoll_pwait2: return "ep_poll";
	case __NR_read: case __NR_readv: case __NR_pread64: case __NR_preadv: case __NR_preadv2:
		return pipe ? "pipe_read" : "wait_woken";
	case __NR_write: case __NR_writev: case __NR_pwrite64: case __NR_pwritev:
	case __NR_pwritev2: return pipe ? "pipe_write" : "wait_woken";
	case __NR_accept: case __NR_accept4: return "inet_csk_accept";
	case __NR_connect: return "inet_wait_for_connect";
	case __NR_recvfrom: case __NR_recvmsg: case __NR_recvmmsg: return "wait_woken";
	case __NR_sendto: case __NR_sendmsg: case __NR_sendmmsg: return "sk_stream_wait_memory";
	case __NR_msgrcv: return "do_msgrcv";
	case __NR_msgsnd: return "do_msgsnd";
	case __NR_semop: case __NR_semtimedop: return "do_semtimedop";
	case __NR_flock: return "locks_lock_inode_wait";
	case __NR_fcntl: return "fcntl_setlk";
	case __NR_mq_timedreceive: case __NR_mq_timedsend: return "wq_sleep";
	case __NR_io_getevents: case __NR_io_pgetevents: return "read_events";
	default: return "0";
	}
}

static int
thread_count(int tgid)
{
	struct task *t;
	int n = 0;

	for (t = task_next(NULL); t; t = task_next(t))
		if (t->tgid == tgid)
			n++;
	return n;
}

/* What smaps counts for a mapping (or, summed, for smaps_rollup), in bytes. */
struct smaps_counts {
	unsigned long size, rss, pss, pss_dirty, shared_clean, shared_dirty, private_clean,
		      private_dirty, referenced, anon, swap, locked, shmem, pss_anon, pss_shmem;
};

/* When the host's figures cannot be had (no live thread, no gofer): the sentry does not see
 * which pages are resident, so as for VmRSS (mm_stats) charged private writable memory and
 * shared memory count as resident, file pages mapped read-only do not. Charged private
 * memory counts as anonymous too, a file's (.data, RELRO) as if every page had been
 * written: gcore dumps a private file mapping only when smaps shows it anonymous pages,
 * and a core without the program's written .data has no r_debug (no shared libraries). */
static void
smaps_count(const struct vma *v, struct smaps_counts *c)
{
	unsigned long size = v->end - v->start;

	memset(c, 0, sizeof(*c));
	c->size = size;
	if (v->shm) {
		c->rss = c->shmem = size;
	} else if (!(v->flags & VMA_SHARED) && (v->flags & (VMA_ACCOUNTED | VMA_STACK))) {
		c->rss = c->anon = size;
	}
	if (v->flags & VMA_LOCKED)
		c->locked = c->rss;
	/* pages mapped once: shared and private count them by how many map them */
	c->pss = c->referenced = c->rss;
	c->pss_dirty = c->private_dirty = c->anon + c->shmem;
	c->private_clean = c->rss - c->anon - c->shmem;
	c->pss_anon = c->anon;
	c->pss_shmem = c->shmem;
}

/* Part of a figure of kb kB over a host range of size bytes: what falls in part bytes. */
static unsigned long
range_part(uint32_t kb, unsigned long part, unsigned long size)
{
	return (unsigned long)((unsigned __int128)kb * 1024 * part / size);
}

/* Adds the part bytes of host range r to c. */
static void
smaps_add(struct smaps_counts *c, const struct gofer_mem_range *r, unsigned long part,
	  bool shm)
{
	unsigned long size = r->end - r->start;
	unsigned long rss = range_part(r->kb[GM_RSS], part, size);
	unsigned long anon = range_part(r->kb[GM_ANON], part, size);
	unsigned long pss = range_part(r->kb[GM_PSS], part, size);

	c->rss += rss;
	c->pss += pss;
	c->pss_dirty += range_part(r->kb[GM_PSS_DIRTY], part, size);
	c->shared_clean += range_part(r->kb[GM_SHARED_CLEAN], part, size);
	c->shared_dirty += range_part(r->kb[GM_SHARED_DIRTY], part, size);
	c->private_clean += range_part(r->kb[GM_PRIVATE_CLEAN], part, size);
	c->private_dirty += range_part(r->kb[GM_PRIVATE_DIRTY], part, size);
	c->referenced += range_part(r->kb[GM_REFERENCED], part, size);
	c->anon += anon;
	c->swap += range_part(r->kb[GM_SWAP], part, size);
	/* (per mapping smaps has no split of Pss by kind: shared memory's pages are all
	 * shmem, a private mapping's its anonymous ones and the rest file pages) */
	if (shm) {
		c->shmem += rss - MIN(anon, rss);
		c->pss_shmem += pss;
	} else if (rss) {
		c->pss_anon += (unsigned long)((unsigned __int128)pss * MIN(anon, rss) / rss);
	}
}

/* A live thread of mm's process for the host's figures: t, else another of mm's. */
static struct task *
resident_task(struct task *t, struct mm *mm)
{
	if (t && t->ctx && t->mm == mm && t->state != TASK_ZOMBIE)
		return t;
	for (struct task *x = task_next(NULL); x; x = task_next(x))
		if (x->mm == mm && x->ctx && x->state != TASK_ZOMBIE)
			return x;
	return NULL;
}

/*
 * The resident memory of mm's mappings as Linux counts it: the host's smaps figures of its
 * stub (asked of the gofer, which reads the stub's /proc), split over the guest's mappings
 * (per[i] for mm->vmas[i], calloc'd by the caller); what lies outside them (the stub
 * region's own pages) is left out. Where the host's mappings and the sentry's records do
 * not line up a range is shared by size. false when the figures cannot be had (the caller
 * then shows the --memory charge's).
 */
static bool
resident_split(struct task *t, struct mm *mm, struct smaps_counts *per)
{
	struct gofer_mem m;
	struct gofer_mem_range *r;
	size_t n;
	int j = 0;

	t = resident_task(t, mm);
	if (!t || gofer_task_mem(plat_host_pid(t->ctx), GOFER_MEM_SMAPS, &m, &r, &n) < 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (r[i].end <= r[i].start)
			continue;
		while (j < mm->nvmas && mm->vmas[j].end <= r[i].start)
			j++;
		for (int k = j; k < mm->nvmas && mm->vmas[k].start < r[i].end; k++) {
			const struct vma *v = &mm->vmas[k];
			unsigned long part = MIN(v->end, r[i].end) - MAX(v->start, r[i].start);

			if (v->flags & VMA_RESERVED)
				continue;
			smaps_add(&per[k], &r[i], part, v->shm);
		}
	}
	free(r);
	return true;
}

/* The resident totals of mm in bytes (status's Rss* and VmHWM, statm, stat): the host's
 * status figures of its stub (one small read: smaps costs as much as all the mappings)
 * less the stub's own two pages, anonymous and resident (its code, written when it is
 * made, and its scratch page, written by every image's PR_SET_MM_MAP; fork copies both
 * present); false as resident_split. */
struct resident {
	unsigned long hwm, rss, anon, file, shmem, stk;
};

static bool
resident_totals(struct task *t, struct mm *mm, struct resident *res)
{
	struct gofer_mem m;
	struct gofer_mem_range *r = NULL;
	size_t n;

	t = resident_task(t, mm);
	if (!t || gofer_task_mem(plat_host_pid(t->ctx), GOFER_MEM_STATUS, &m, &r, &n) < 0)
		return false;
	free(r);
	res->rss = m.rss * 1024 - MIN(PLAT_STUB_SIZE, m.rss * 1024);
	res->anon = m.anon * 1024 - MIN(PLAT_STUB_SIZE, m.anon * 1024);
	res->file = m.file * 1024;
	res->shmem = m.shmem * 1024;
	res->hwm = MAX(m.hwm * 1024 - MIN(PLAT_STUB_SIZE, m.hwm * 1024), res->rss);
	res->stk = m.stk * 1024;
	return true;
}

/* The Vm* lines of /proc/[pid]/status, from the sentry's mapping records. */
/* Cpus_allowed and Cpus_allowed_list: the thread's affinity (sched_setaffinity), else the
 * guests' (the caller's, or a container's cpuset); a mask without a CPU below n (unknown)
 * is every CPU. */
static void
cpus_status(struct sbuf *b, const unsigned long *mask, unsigned n)
{
	char text[4096];
	bool any = false;

	for (unsigned c = 0; c < n && c < 1024 && !any; c++)
		any = (mask[c / 64] >> (c % 64)) & 1;
	cpus_mask_text(text, sizeof(text), any ? mask : NULL);
	sbuf_printf(b, "Cpus_allowed:\t%s", text);
	cpus_list_text(text, sizeof(text), any ? mask : NULL);
	sbuf_printf(b, "Cpus_allowed_list:\t%s", text);
}

static void
gen_status_vm(struct sbuf *b, struct task *t, struct mm *mm)
{
	struct mm_stats s;
	struct resident r;
	bool host = resident_totals(t, mm, &r);

	if (host) /* the stack as far as the host grew it (VmStk, VmSize) */
		mm_stack_grown(mm, r.stk);
	mm_stats(mm, &s);
	if (!host)
		r = (struct resident){ s.hwm, s.rss, s.anon, 0, s.shmem, s.stack };
	sbuf_printf(b, "VmPeak:\t%8lu kB\nVmSize:\t%8lu kB\nVmLck:\t%8lu kB\nVmPin:\t%8lu kB\n"
		    "VmHWM:\t%8lu kB\nVmRSS:\t%8lu kB\nRssAnon:\t%8lu kB\nRssFile:\t%8lu kB\n"
		    "RssShmem:\t%8lu kB\n",
		    s.peak >> 10, s.size >> 10, s.locked >> 10, 0UL, r.hwm >> 10, r.rss >> 10,
		    r.anon >> 10, r.file >> 10, r.shmem >> 10);
	sbuf_printf(b, "VmData:\t%8lu kB\nVmStk:\t%8lu kB\nVmExe:\t%8lu kB\nVmLib:\t%8lu kB\n"
		    "VmPTE:\t%8lu kB\nVmSwap:\t%8lu kB\nHugetlbPages:\t%8lu kB\n",
		    s.data >> 10, s.stack >> 10, s.exe >> 10, s.lib >> 10,
		    MAX(s.rss / 512, 4096UL) >> 10, 0UL, 0UL);
}

/* One NS* line: the number in the mount's namespace and each below it to t's. */
static void
ns_line(struct sbuf *b, const char *name, const struct proc_node *n, int gnr)
{
	int nrs[PIDNS_LEVEL_MAX + 1];
	int k = pidns_nrs(n->pidns ? n->pidns : task_pid_ns(NULL), gnr, nrs, ARRAY_SIZE(nrs));

	sbuf_printf(b, "%s:", name);
	if (!k)
		sbuf_printf(b, "\t0");
	for (int i = 0; i < k; i++)
		sbuf_printf(b, "\t%d", nrs[i]);
	sbuf_printf(b, "\n");
}

/* The host's figures of t's own stub thread (GOFER_TS_* what; zeros for a zombie or when
 * they cannot be read), its voluntary switches less the stops the sandbox made it take. */
static void
thread_host_stat(struct task *t, unsigned what, struct gofer_task_stat *hs)
{
	memset(hs, 0, sizeof(*hs));
	if (t->state == TASK_ZOMBIE || !t->ctx ||
	    gofer_task_stat(plat_host_pid(t->ctx), false, what, hs))
		return;
	if (what & GOFER_TS_SWITCHES) {
		long own = task_nvcsw_sandbox(t, false);
		hs->nvcsw = (long)hs->nvcsw > own ? hs->nvcsw - (unsigned long)own : 0;
	}
}

static void
gen_status(struct sbuf *b, struct task *t, const struct proc_node *pn)
{
	char c;
	unsigned n = vfs_nprocs();

	/* (no Umask line for a task without its fs, a zombie: Linux's get_task_umask) */
	sbuf_printf(b, "Name:\t%.15s\n", t->comm);
	if (t->fs)
		sbuf_printf(b, "Umask:\t%04o\n", t->fs->umask);
	sbuf_printf(b, "State:\t%s\nTgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t%d\n",
		    task_state(t, &c), procfs_vnr(pn, t->tgid),
		    procfs_vnr(pn, t->tid), procfs_vnr(pn, t->ppid),
		    procfs_vnr(pn, ptrace_tracer_pid(t)));
	const struct task *v = current_task; /* ids as the reader's user namespace sees them */
	sbuf_printf(b, "Uid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\n", userns_uid_out(v, t->uid),
		    userns_uid_out(v, t->euid), userns_uid_out(v, t->suid), userns_uid_out(v, t->fsuid),
		    userns_gid_out(v, t->gid), userns_gid_out(v, t->egid), userns_gid_out(v, t->sgid),
		    userns_gid_out(v, t->fsgid));
	sbuf_printf(b, "FDSize:\t%d\nGroups:\t", t->fdt ? MAX(t->fdt->size, 64) : 0);
	for (int i = 0; i < t->ngroups; i++)
		sbuf_printf(b, i ? " %u" : "%u", userns_gid_out(v, t->groups[i]));
	sbuf_printf(b, " \n");
	ns_line(b, "NStgid", pn, t->tgid);
	ns_line(b, "NSpid", pn, t->tid);
	ns_line(b, "NSpgid", pn, t->pgid);
	ns_line(b, "NSsid", pn, t->sid);
	sbuf_printf(b, "Kthread:\t0\n");
	/* these four only while the task has its memory (not a zombie), as in Linux;
	 * THP_enabled: 0 once PR_SET_THP_DISABLE turned them off completely */
	if (t->mm) {
		gen_status_vm(b, t, t->mm);
		sbuf_printf(b, "CoreDumping:\t0\nTHP_enabled:\t%d\n"
			    "untag_mask:\t0xffffffffffffffff\n",
			    t->leader && t->leader->thp_disable == 1 ? 0 : 1);
	}
	unsigned long blk = 0, ign = 0, cgt = 0;
	if (t->ctx && plat_get_sigmask(t->ctx, &blk) < 0)
		blk = 0;
	for (int sig = 1; sig <= 64; sig++) {
		unsigned long h = task_sig_handler(t, sig);
		if (h == (unsigned long)SIG_IGN)
			ign |= 1UL << (sig - 1);
		else if (h != (unsigned long)SIG_DFL)
			cgt |= 1UL << (sig - 1);
	}
	sbuf_printf(b, "Threads:\t%d\nSigQ:\t0/63519\nSigPnd:\t0000000000000000\n"
		    "ShdPnd:\t0000000000000000\nSigBlk:\t%016lx\n"
		    "SigIgn:\t%016lx\nSigCgt:\t%016lx\n",
		    thread_count(t->tgid), blk, ign, cgt);
	sbuf_printf(b, "CapInh:\t%016llx\nCapPrm:\t%016llx\nCapEff:\t%016llx\n"
		    "CapBnd:\t%016llx\nCapAmb:\t%016llx\nNoNewPrivs:\t%d\n"
		    "Seccomp:\t%d\nSeccomp_filters:\t%d\n"
		    "Speculation_Store_Bypass:\tunknown\nSpeculationIndirectBranch:\tunknown\n",
		    (unsigned long long)t->cap_inh, (unsigned long long)t->cap_prm,
		    (unsigned long long)t->cap_eff, (unsigned long long)t->cap_bnd,
		    (unsigned long long)t->cap_amb, t->no_new_privs, t->seccomp_mode, seccomp_count(t->seccomp));
	cpus_status(b, t->cpus_set ? t->cpus : sentry.guest_cpus, n);
	/* one memory node, in a mask as wide as Debian's MAX_NUMNODES (1024) */
	sbuf_printf(b, "Mems_allowed:\t");
	for (int i = 0; i < 31; i++)
		sbuf_printf(b, "00000000,");
	sbuf_printf(b, "00000001\nMems_allowed_list:\t0");
	/* the thread's own switches (the leader's in the process's file) */
	struct gofer_task_stat hs;
	thread_host_stat(t, GOFER_TS_SWITCHES, &hs);
	sbuf_printf(b, "\nvoluntary_ctxt_switches:\t%lu\nnonvoluntary_ctxt_switches:\t%lu\n",
		    (unsigned long)hs.nvcsw, (unsigned long)hs.nivcsw);
}

static void
gen_pstat(struct sbuf *b, struct task *t, const struct proc_node *n)
{
	struct mm *mm = t->mm;
	int tty_nr, tpgid;
	char c;

	task_state(t, &c);
	tty_task_stat(t, &tty_nr, &tpgid);
	/* The host's figures of the stub thread (in task/) or process: its page faults, the
	 * CPU it last ran on, a thread's own CPU time. Linux adds a thread's up over the
	 * thread group only for the process's file. */
	struct task *l = t->leader;
	struct gofer_task_stat hs = { 0 };
	bool host = t->state != TASK_ZOMBIE && t->ctx &&
		    !gofer_task_stat(plat_host_pid(t->ctx), !n->under_task, 0, &hs);
	const struct rusage *ex = &l->ru_exec; /* the images execve replaced: the leader's */
	bool with_ex = !n->under_task || t == l;
	unsigned long minflt = hs.minflt + (with_ex ? (unsigned long)ex->ru_minflt : 0);
	unsigned long majflt = hs.majflt + (with_ex ? (unsigned long)ex->ru_majflt : 0);
	/* flags: Linux's PF_RANDOMIZE (an image laid out at random), PF_FORKNOEXEC (a thread
	 * made by clone, a process that has not run execve since its fork), PF_SUPERPRIV
	 * (it used a capability): ps's F column */
	unsigned flags = 0;
	if (randomize_va_space() && !(t->personality & ADDR_NO_RANDOMIZE))
		flags |= 0x400000;
	if (t != l || !t->did_exec)
		flags |= 0x40;
	if (t->used_priv)
		flags |= 0x100;
	/* fields 1-13: pid comm state ppid pgrp session tty_nr tpgid flags min/maj faults */
	sbuf_printf(b, "%d (%.15s) %c %d %d %d %d %d %u %lu %lu %lu %lu ",
		    procfs_vnr(n, t->tid), t->comm, c, procfs_vnr(n, t->ppid),
		    procfs_vnr(n, t->pgid), procfs_vnr(n, t->sid), tty_nr,
		    tpgid > 0 ? procfs_vnr(n, tpgid) : tpgid, flags, minflt,
		    (unsigned long)l->ru_children.ru_minflt, majflt,
		    (unsigned long)l->ru_children.ru_majflt);
	/* 14-25: utime stime cutime cstime priority nice threads itreal start vsize rss rlim */
	struct mm_stats s = { 0 };
	struct resident r = { 0 };
	if (mm)
		mm_stats(mm, &s);
	if (mm && !resident_totals(t, mm, &r))
		r.rss = s.rss;
	/* CPU time in clock ticks: the process's (its stub's CPU clocks, with the images execve
	 * replaced), a thread's own (its stub thread's); a zombie's as it ended; and its reaped
	 * children's */
	long hz = sysconf(_SC_CLK_TCK);
	unsigned long user_us = l->user_us, sys_us = l->sys_us;
	bool live = t->state != TASK_ZOMBIE && t->ctx;
	if (live && n->under_task && host) {
		user_us = hs.utime * (1000000 / hz);
		sys_us = hs.stime * (1000000 / hz);
	} else if (!(live && plat_cpu_times_adjusted(t->ctx, &user_us, &sys_us) == 0)) {
		with_ex = false;
	}
	if (with_ex) {
		user_us += ex->ru_utime.tv_sec * 1000000UL + ex->ru_utime.tv_usec;
		sys_us += ex->ru_stime.tv_sec * 1000000UL + ex->ru_stime.tv_usec;
	}
	sbuf_printf(b, "%lu %lu %lu %lu ", user_us / (1000000 / hz), sys_us / (1000000 / hz),
		    l->child_user_us / (1000000 / hz), l->child_sys_us / (1000000 / hz));
	/* its start in ticks since boot, as the reader's time namespace shows boot time */
	long long start = timens_boot_ns(current_task ? current_task : t, t->start_ns);
	sbuf_printf(b, "%d %d %d 0 %lld %lu %lu 18446744073709551615 ",
		    t->sched_prio ? -1 - t->sched_prio : 20 + t->nice, t->nice,
		    thread_count(t->tgid), start > 0 ? start / (1000000000LL / hz) : 0,
		    s.size, r.rss / PAGE_SIZE);
	/* 26-37: startcode endcode startstack esp eip signal blocked ignore catch wchan nswap x2;
	 * wchan: 1 for a task that is not running (Linux 5.16 on: no address), not for a
	 * process with threads */
	sbuf_printf(b, "%lu %lu %lu 0 0 0 0 0 0 %d 0 0 ", mm ? mm->start_code : 0,
		    mm ? mm->end_code : 0, mm ? mm->start_stack : 0,
		    c != 'R' && (n->under_task || thread_count(t->tgid) < 2));
	/* 38-44: exit_signal processor rt_priority policy blkio guest cguest */
	sbuf_printf(b, "17 %d %d %d 0 0 0 ", host ? hs.processor : 0, t->sched_prio,
		    t->sched_policy);
	/* 45-52: start_data end_data start_brk arg_start arg_end env_start env_end exit_code */
	sbuf_printf(b, "%lu %lu %lu %lu %lu %lu %lu %d\n", mm ? mm->start_data : 0,
		    mm ? mm->end_data : 0, mm ? mm->brk_start : 0,
		    mm ? mm->arg_start : 0, mm ? mm->arg_end : 0, mm ? mm->env_start : 0,
		    mm ? mm->env_end : 0, t->state == TASK_ZOMBIE ? t->exit_status : 0);
}

/* /proc/PID/schedstat (run time and run delay in ns, time slices: Linux's sched_info),
 * or /proc/PID/sched (Linux's scheduler debug text, the fields the sandbox has): the
 * thread's stub thread as the host counts it, its context switches less the stops the
 * sandbox made it take. */
static void
gen_sched(struct sbuf *b, struct task *t, const struct proc_node *n, bool text)
{
	/* Linux's sched_prio_to_weight for nice -20..19, scaled as on 64-bit (<< 10) */
	static const unsigned weights[40] = {
		88761, 71755, 56483, 46273, 36291, 29154, 23254, 18705, 14949, 11916,
		9548, 7620, 6100, 4904, 3906, 3121, 2501, 1991, 1586, 1277,
		1024, 820, 655, 526, 423, 335, 272, 215, 172, 137,
		110, 87, 70, 56, 45, 36, 29, 23, 18, 15,
	};
	struct gofer_task_stat hs;

	thread_host_stat(t, GOFER_TS_SCHED | (text ? GOFER_TS_SWITCHES : 0), &hs);
	if (!text) {
		sbuf_printf(b, "%llu %llu %llu\n", (unsigned long long)hs.run_ns,
			    (unsigned long long)hs.delay_ns, (unsigned long long)hs.slices);
		return;
	}
	/* prio: Linux's p->prio (99 - rt_priority for FIFO and RR, -1 for DEADLINE, else
	 * 120 + nice); the weight follows nice, SCHED_IDLE's is 3 */
	int policy = t->sched_policy, nice = MAX(-20, MIN(19, t->nice));
	int prio = policy == SCHED_FIFO || policy == SCHED_RR ? 99 - t->sched_prio :
		   policy == SCHED_DEADLINE ? -1 : 120 + nice;
	sbuf_printf(b, "%s (%d, #threads: %d)\n", t->comm, procfs_vnr(n, t->tid),
		    thread_count(t->tgid));
	sbuf_printf(b, "-------------------------------------------------------------------\n");
	sbuf_printf(b, "%-45s:%14llu.%06llu\n", "se.sum_exec_runtime",
		    (unsigned long long)hs.run_ns / 1000000, (unsigned long long)hs.run_ns % 1000000);
	sbuf_printf(b, "%-45s:%21llu\n%-45s:%21llu\n%-45s:%21llu\n", "nr_switches",
		    (unsigned long long)(hs.nvcsw + hs.nivcsw), "nr_voluntary_switches",
		    (unsigned long long)hs.nvcsw, "nr_involuntary_switches",
		    (unsigned long long)hs.nivcsw);
	sbuf_printf(b, "%-45s:%21lu\n", "se.load.weight",
		    (policy == SCHED_IDLE ? 3UL : weights[nice + 20]) * 1024UL);
	sbuf_printf(b, "%-45s:%21d\n%-45s:%21d\n", "policy", policy, "prio", prio);
}

/* /proc/PID/limits: the process's resource limits in Linux's table (proc_pid_limits). */
static void
gen_limits(struct sbuf *b, const struct task *t)
{
	static const struct {
		const char *name, *unit;
	} lim[RLIM_NLIMITS] = {
		[RLIMIT_CPU] = { "Max cpu time", "seconds" },
		[RLIMIT_FSIZE] = { "Max file size", "bytes" },
		[RLIMIT_DATA] = { "Max data size", "bytes" },
		[RLIMIT_STACK] = { "Max stack size", "bytes" },
		[RLIMIT_CORE] = { "Max core file size", "bytes" },
		[RLIMIT_RSS] = { "Max resident set", "bytes" },
		[RLIMIT_NPROC] = { "Max processes", "processes" },
		[RLIMIT_NOFILE] = { "Max open files", "files" },
		[RLIMIT_MEMLOCK] = { "Max locked memory", "bytes" },
		[RLIMIT_AS] = { "Max address space", "bytes" },
		[RLIMIT_LOCKS] = { "Max file locks", "locks" },
		[RLIMIT_SIGPENDING] = { "Max pending signals", "signals" },
		[RLIMIT_MSGQUEUE] = { "Max msgqueue size", "bytes" },
		[RLIMIT_NICE] = { "Max nice priority", NULL },
		[RLIMIT_RTPRIO] = { "Max realtime priority", NULL },
		[RLIMIT_RTTIME] = { "Max realtime timeout", "us" },
	};

	sbuf_printf(b, "%-25s %-20s %-20s %-10s\n", "Limit", "Soft Limit", "Hard Limit", "Units");
	for (int i = 0; i < RLIM_NLIMITS; i++) {
		const struct rlimit *r = &t->rlim[i];

		sbuf_printf(b, "%-25s ", lim[i].name);
		if (r->rlim_cur == RLIM_INFINITY)
			sbuf_printf(b, "%-20s ", "unlimited");
		else
			sbuf_printf(b, "%-20lu ", (unsigned long)r->rlim_cur);
		if (r->rlim_max == RLIM_INFINITY)
			sbuf_printf(b, "%-20s ", "unlimited");
		else
			sbuf_printf(b, "%-20lu ", (unsigned long)r->rlim_max);
		if (lim[i].unit)
			sbuf_printf(b, "%-10s\n", lim[i].unit);
		else
			sbuf_printf(b, "\n");
	}
}

static void
gen_statm(struct sbuf *b, struct task *t, struct mm *mm)
{
	struct mm_stats s = { 0 };
	struct resident r = { 0 };

	if (mm)
		mm_stats(mm, &s);
	if (mm && !resident_totals(t, mm, &r))
		r = (struct resident){ .rss = s.rss, .shmem = s.shmem };
	/* size resident shared (file and shmem pages) text lib data dt, in pages */
	sbuf_printf(b, "%lu %lu %lu %lu 0 %lu 0\n", s.size / PAGE_SIZE, r.rss / PAGE_SIZE,
		    (r.file + r.shmem) / PAGE_SIZE, s.exe / PAGE_SIZE,
		    (s.data + s.stack) / PAGE_SIZE);
}

/* One /proc/[pid]/maps line for v, in Linux's format: the name starts in column 73. */
static void
maps_line(struct sbuf *b, struct mm *mm, const struct vma *v)
{
	char line[PATH_MAX + 128], name[PATH_MAX];
	unsigned long dev, ino;
	const char *label = mm_vma_label(mm, v, &dev, &ino, name, sizeof(name));
	int n = snprintf(line, sizeof(line), "%08lx-%08lx %c%c%c%c %08lx %02x:%02x %lu ",
			 v->start, v->end, v->prot & PROT_READ ? 'r' : '-',
			 v->prot & PROT_WRITE ? 'w' : '-', v->prot & PROT_EXEC ? 'x' : '-',
			 v->flags & VMA_SHARED ? 's' : 'p', v->name || v->shm ? v->off : 0,
			 major(dev), minor(dev), ino);

	if (*label)
		n += snprintf(line + n, sizeof(line) - n, "%*s%s", MAX(72 - n, 0) + 1, "", label);
	sbuf_append(b, line, MIN(n, (int)sizeof(line) - 1));
	sbuf_append(b, "\n", 1);
}

static void
gen_maps(struct sbuf *b, struct mm *mm)
{
	for (int i = 0; mm && i < mm->nvmas; i++)
		if (!(mm->vmas[i].flags & VMA_RESERVED))
			maps_line(b, mm, &mm->vmas[i]);
	/* The vsyscall page the host kernel maps above user space, as Linux lists it last. */
	if (mm)
		sbuf_printf(b, "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0%*s[vsyscall]\n",
			    72 - 55 + 1, "");
}

static void
smaps_kb(struct sbuf *b, const char *name, unsigned long bytes)
{
	sbuf_printf(b, "%-16s%8lu kB\n", name, bytes >> 10);
}

/* The fields after Rss that smaps and smaps_rollup share (Linux 6.x order). */
static void
smaps_fields(struct sbuf *b, const struct smaps_counts *c, bool rollup)
{
	smaps_kb(b, "Rss:", c->rss);
	smaps_kb(b, "Pss:", c->pss);
	smaps_kb(b, "Pss_Dirty:", c->pss_dirty);
	if (rollup) {
		smaps_kb(b, "Pss_Anon:", c->pss_anon);
		smaps_kb(b, "Pss_File:", c->pss - MIN(c->pss, c->pss_anon + c->pss_shmem));
		smaps_kb(b, "Pss_Shmem:", c->pss_shmem);
	}
	smaps_kb(b, "Shared_Clean:", c->shared_clean);
	smaps_kb(b, "Shared_Dirty:", c->shared_dirty);
	smaps_kb(b, "Private_Clean:", c->private_clean);
	smaps_kb(b, "Private_Dirty:", c->private_dirty);
	smaps_kb(b, "Referenced:", c->referenced);
	smaps_kb(b, "Anonymous:", c->anon);
	smaps_kb(b, "KSM:", 0);
	smaps_kb(b, "LazyFree:", 0);
	smaps_kb(b, "AnonHugePages:", 0);
	smaps_kb(b, "ShmemPmdMapped:", 0);
	smaps_kb(b, "FilePmdMapped:", 0);
	smaps_kb(b, "Shared_Hugetlb:", 0);
	smaps_kb(b, "Private_Hugetlb:", 0);
	smaps_kb(b, "Swap:", c->swap);
	smaps_kb(b, "SwapPss:", c->swap);
	smaps_kb(b, "Locked:", c->locked);
}

/* The smaps figures of each of mm's mappings (calloc'd; NULL: no memory): the host's
 * resident ones, else the charge's (smaps_count). */
static struct smaps_counts *
smaps_counts_of(struct task *t, struct mm *mm)
{
	struct smaps_counts *per = calloc(MAX(mm->nvmas, 1), sizeof(*per));

	if (!per)
		return NULL;
	bool host = resident_split(t, mm, per);
	for (int i = 0; i < mm->nvmas; i++) {
		if (!host)
			smaps_count(&mm->vmas[i], &per[i]);
		per[i].size = mm->vmas[i].end - mm->vmas[i].start;
		/* the stub locks nothing: the sentry keeps mlock's state (Linux: Locked is the
		 * Pss of a VM_LOCKED mapping) */
		per[i].locked = mm->vmas[i].flags & VMA_LOCKED ? per[i].pss : 0;
	}
	return per;
}

/* /proc/[pid]/smaps: each maps line, then its sizes and VmFlags. */
static void
gen_smaps(struct sbuf *b, struct task *t, struct mm *mm)
{
	struct smaps_counts *per = mm ? smaps_counts_of(t, mm) : NULL;

	for (int i = 0; per && i < mm->nvmas; i++) {
		const struct vma *v = &mm->vmas[i];
		const struct smaps_counts c = per[i];

		if (v->flags & VMA_RESERVED)
			continue;
		maps_line(b, mm, v);
		smaps_kb(b, "Size:", c.size);
		smaps_kb(b, "KernelPageSize:", PAGE_SIZE);
		smaps_kb(b, "MMUPageSize:", PAGE_SIZE);
		smaps_fields(b, &c, false);
		sbuf_printf(b, "THPeligible:    %8d\n", 0);
		/* in Linux's order of the flags' bits */
		sbuf_printf(b, "VmFlags:%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s \n",
			    v->prot & PROT_READ ? " rd" : "",
			    v->prot & PROT_WRITE ? " wr" : "", v->prot & PROT_EXEC ? " ex" : "",
			    /* Linux: a shared file mapping that can never be writable (a
			     * read-only open) is VM_MAYSHARE without VM_SHARED */
			    (v->flags & VMA_SHARED) && (v->flags & VMA_MAYWRITE) ? " sh" : "", " mr",
			    v->flags & VMA_MAYWRITE ? " mw" : "", " me",
			    v->flags & VMA_SHARED ? " ms" : "",
			    v->flags & (VMA_STACK | VMA_GROWSDOWN) ? " gd" : "",
			    v->flags & VMA_LOCKED ? " lo" : "", v->flags & VMA_DONTCOPY ? " dc" : "",
			    v->flags & VMA_DONTEXPAND ? " de" : "",
			    !v->name && !v->shm ? " ac" : "", v->flags & VMA_DONTDUMP ? " dd" : "",
			    v->flags & VMA_SEALED ? " sl" : "");
	}
	if (mm) { /* the vsyscall page, as in maps */
		struct smaps_counts c = { .size = PAGE_SIZE };

		sbuf_printf(b, "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0%*s[vsyscall]\n",
			    72 - 55 + 1, "");
		smaps_kb(b, "Size:", c.size);
		smaps_kb(b, "KernelPageSize:", PAGE_SIZE);
		smaps_kb(b, "MMUPageSize:", PAGE_SIZE);
		smaps_fields(b, &c, false);
		sbuf_printf(b, "THPeligible:    %8d\nVmFlags: ex \n", 0);
	}
	free(per);
}

/* /proc/[pid]/smaps_rollup: the sums over every mapping. */
static void
gen_smaps_rollup(struct sbuf *b, struct task *t, struct mm *mm)
{
	struct smaps_counts sum = { 0 }, *per = mm ? smaps_counts_of(t, mm) : NULL;
	unsigned long lo = 0, hi = 0;

	for (int i = 0; per && i < mm->nvmas; i++) {
		const struct vma *v = &mm->vmas[i];
		const struct smaps_counts *c = &per[i];

		if (v->flags & VMA_RESERVED)
			continue;
		if (!hi)
			lo = v->start;
		hi = v->end;
		sum.rss += c->rss;
		sum.pss += c->pss;
		sum.pss_dirty += c->pss_dirty;
		sum.pss_anon += c->pss_anon;
		sum.pss_shmem += c->pss_shmem;
		sum.shared_clean += c->shared_clean;
		sum.shared_dirty += c->shared_dirty;
		sum.private_clean += c->private_clean;
		sum.private_dirty += c->private_dirty;
		sum.referenced += c->referenced;
		sum.anon += c->anon;
		sum.shmem += c->shmem;
		sum.swap += c->swap;
		sum.locked += c->locked;
	}
	free(per);
	sbuf_printf(b, "%08lx-%08lx ---p 00000000 00:00 0 %*s[rollup]\n", lo, hi,
		    MAX(72 - (int)snprintf(NULL, 0, "%08lx-%08lx ---p 00000000 00:00 0 ", lo, hi),
			0) + 1, "");
	smaps_fields(b, &sum, true);
}

/* flags: the file's, with O_CLOEXEC when the descriptor has it (Linux seq_show) */
static void
gen_fdinfo(struct sbuf *b, struct file *f, const struct fdtable *fdt, bool cloexec,
	   const struct pid_ns *ns)
{
	sbuf_printf(b, "pos:\t%lld\nflags:\t0%o\nmnt_id:\t%d\nino:\t%lu\n", (long long)f->pos,
		    f->flags | (cloexec ? O_CLOEXEC : 0), f->path.mnt ? f->path.mnt->id : 0,
		    f->inode ? (unsigned long)f->inode->ino : 0UL);
	locks_fdinfo(f, fdt, ns, b);
	if (f->fops && f->fops->fdinfo)
		f->fops->fdinfo(f, b, ns);
}

static struct task *
node_task(const struct proc_node *n)
{
	struct task *t = task_lookup(n->tid);

	return t && t->tgid == n->pid ? t : NULL;
}

/* Bytes [start, end) of t's memory as far as they can be read (Linux access_remote_vm). */
/* Linux reads cmdline and environ with FOLL_ANON: from anonymous memory only (the stack,
 * the heap, private anonymous mappings), never a file's pages, written or not. The bytes
 * of the n at start that can be read so, read into buf. */
static size_t
anon_read(struct task *t, void *buf, unsigned long start, size_t n)
{
	const struct mm *mm = t->mm;
	unsigned long at = start, end = start + n;

	for (int i = 0; mm && i < mm->nvmas && at < end; i++) {
		const struct vma *v = &mm->vmas[i];

		if (v->end <= at)
			continue;
		if (v->start > at || v->name || v->shm || (v->flags & (VMA_SHARED | VMA_RESERVED)))
			break;
		at = v->end;
	}
	if (end < start || at <= start)
		return 0;
	return copy_from_guest_partial(t, buf, start, MIN(at, end) - start);
}

static void
append_guest(struct task *t, struct sbuf *b, unsigned long start, unsigned long end)
{
	while (start < end) {
		char chunk[PAGE_SIZE];
		size_t want = MIN(end - start, sizeof(chunk));
		size_t got = anon_read(t, chunk, start, want);

		sbuf_append(b, chunk, got);
		if (got < want)
			return;
		start += got;
	}
}

/* /proc/PID/cmdline as Linux's get_mm_cmdline reads it, from the process's memory at the
 * time: the argument area, or, when its last byte is no longer a NUL (setproctitle wrote
 * over it, as PostgreSQL, nginx and sshd do), the text at its start up to the first NUL
 * within a page, NUL included. */
static void
gen_cmdline(struct task *t, struct sbuf *b)
{
	const struct mm *mm = t->mm;
	char last, page[PAGE_SIZE];

	if (!mm || !mm->env_end || mm->arg_start >= mm->arg_end)
		return;
	if (anon_read(t, &last, mm->arg_end - 1, 1) < 1 || !last) {
		append_guest(t, b, mm->arg_start, mm->arg_end);
		return;
	}
	size_t got = anon_read(t, page, mm->arg_start, sizeof(page));
	size_t len = strnlen(page, got);
	sbuf_append(b, page, len < got ? len + 1 : len);
}

/* /proc/PID/timers: one timer (Linux show_timer; the notify kinds it names by value) */
struct timers_text {
	struct sbuf *b;
	const struct proc_node *pn;
};

static void
timer_line(void *arg, const struct timer_info *ti)
{
	static const char *const kinds[] = { "signal", "none", "thread" };
	struct timers_text *tt = arg;
	int kind = ti->notify & ~SIGEV_THREAD_ID;

	sbuf_printf(tt->b, "ID: %d\nsignal: %d/%016lx\nnotify: %s/%s.%d\nClockID: %d\n", ti->id,
		    ti->signo, (unsigned long)ti->value.sival_ptr,
		    kind >= 0 && kind < 3 ? kinds[kind] : "?",
		    ti->notify & SIGEV_THREAD_ID ? "tid" : "pid", procfs_vnr(tt->pn, ti->pid),
		    ti->clock);
}

static int
gen_task_file(struct task *caller, const struct proc_node *n, struct sbuf *b)
{
	struct task *t = node_task(n);
	struct path root = { 0 };
	struct file *f;

	if (!t)
		return -ENOENT;
	/* a zombie has no memory left: what came from it reads empty */
	if (t->state == TASK_ZOMBIE && t->leader == t &&
	    (n->type == P_CMDLINE || n->type == P_ENVIRON || n->type == P_AUXV ||
	     n->type == P_MAPS || n->type == P_SMAPS || n->type == P_SMAPS_ROLLUP))
		return 0;
	/* what shows the stack's extent: as far as the host has grown it */
	/* (status learns it from the figures it asks the host for anyway) */
	if (t->mm && (n->type == P_PSTAT || n->type == P_STATM || n->type == P_MAPS ||
		      n->type == P_SMAPS || n->type == P_SMAPS_ROLLUP))
		mm_sync_stack(resident_task(t, t->mm));
	switch (n->type) {
	case P_CMDLINE:
		gen_cmdline(t, b);
		return 0;
	case P_ENVIRON:
		if (caller && caller->euid != 0 && caller->euid != t->euid)
			return -EACCES;
		/* read live, as Linux's environ_read: what the process wrote there since */
		if (t->mm && t->mm->env_end)
			append_guest(t, b, t->mm->env_start, t->mm->env_end);
		return 0;
	case P_AUXV:
		if (caller && caller->euid != 0 && caller->euid != t->euid)
			return -EACCES;
		if (t->mm && t->mm->auxv)
			sbuf_append(b, (const char *)t->mm->auxv, mm_auxv_shown(t->mm));
		return 0;
	case P_COMM:
		sbuf_printf(b, "%.15s\n", t->comm);
		return 0;
	case P_UID_MAP: /* the task's user namespace's (sentry/userns.c) */
	case P_GID_MAP:
	case P_SETGROUPS: {
		char *text = userns_map_text(caller, t, n->type == P_UID_MAP ? USERNS_UID_MAP :
					     n->type == P_GID_MAP ? USERNS_GID_MAP : USERNS_SETGROUPS);
		sbuf_printf(b, "%s", text);
		free(text);
		return 0;
	}
	case P_TIMENS_OFFSETS: {
		char *text = timens_offsets_text(t);
		if (!text)
			return -ENOMEM;
		sbuf_printf(b, "%s", text);
		free(text);
		return 0;
	}
	case P_IO: { /* a thread's counts, or its process's (its live threads') */
		unsigned long v[4] = { 0 };
		for (struct task *x = task_next(NULL); x; x = task_next(x)) {
			if (n->under_task ? x != t : x->tgid != t->tgid)
				continue;
			v[0] += x->io_rchar, v[1] += x->io_wchar;
			v[2] += x->io_syscr, v[3] += x->io_syscw;
		}
		sbuf_printf(b, "rchar: %lu\nwchar: %lu\nsyscr: %lu\nsyscw: %lu\nread_bytes: 0\n"
			    "write_bytes: 0\ncancelled_write_bytes: 0\n", v[0], v[1], v[2], v[3]);
		return 0;
	}
	case P_CHILDREN: /* the processes this thread forked (or inherited as their reaper) */
		for (struct task *x = task_next(NULL); x; x = task_next(x))
			if (x->leader == x && x->ppid == t->tgid && x->tgid != t->tgid &&
			    x->parent_tid == t->tid)
				sbuf_printf(b, "%d ", procfs_vnr(n, x->tgid));
		return 0;
	case P_STATUS:
		gen_status(b, t, n);
		return 0;
	case P_PSTAT:
		gen_pstat(b, t, n);
		return 0;
	case P_STATM:
		gen_statm(b, t, t->mm);
		return 0;
	case P_LIMITS:
		gen_limits(b, t->leader ? t->leader : t);
		return 0;
	case P_OOM_SCORE_ADJ:
		sbuf_printf(b, "%d\n", (t->leader ? t->leader : t)->oom_score_adj);
		return 0;
	case P_OOM_ADJ: { /* Linux: 15 for the maximum, else scaled to -17..15 */
		int adj = (t->leader ? t->leader : t)->oom_score_adj;

		sbuf_printf(b, "%d\n", adj == 1000 ? 15 : adj * 17 / 1000);
		return 0;
	}
	case P_OOM_SCORE: { /* Linux: 1000 + its thousandths of memory + oom_score_adj */
		struct mm_stats s = { 0 };
		struct resident r = { 0 };
		long adj = (t->leader ? t->leader : t)->oom_score_adj;

		if (t->mm)
			mm_stats(t->mm, &s);
		if (t->mm && !resident_totals(t, t->mm, &r))
			r.rss = s.rss;
		sbuf_printf(b, "%ld\n",
			    MAX(0L, 1000 + (long)(r.rss / 1024 * 1000 / MAX(mem_total_kb, 1UL)) + adj));
		return 0;
	}
	case P_CGROUP: /* one cgroup v2 hierarchy, the sandbox at its root */
		cgroup_proc_text(caller, t, b);
		return 0;
	case P_WCHAN: { /* where it sleeps, as Linux names it; 0 when it runs */
		char c;
		task_state(t, &c);
		sbuf_printf(b, "%s", c == 'S' ? sleep_site(t) : "0");
		return 0;
	}
	case P_SCHEDSTAT: /* the thread's (the leader's in the process's file) */
	case P_SCHED:
		gen_sched(b, t, n, n->type == P_SCHED);
		return 0;
	case P_CPUSET: /* no cpuset controller: every task is in the root's */
		cgroup_cpuset_text(caller, b);
		return 0;
	case P_TIMERS: { /* Linux show_timer: the process's POSIX timers, newest first */
		struct timers_text tt = { b, n };
		timers_each(t->leader ? t->leader : t, timer_line, &tt);
		return 0;
	}
	case P_PERSONALITY: /* the thread's, as Linux's proc_pid_personality */
		sbuf_printf(b, "%08x\n", t->personality);
		return 0;
	case P_LOGINUID: /* as the reader's user namespace sees it: -1 if unset or unmapped */
		sbuf_printf(b, "%u", t->loginuid != UINT32_MAX && caller &&
			    userns_maps_uid(caller, t->loginuid) ? userns_uid_out(caller, t->loginuid)
								 : t->loginuid);
		return 0;
	case P_SESSIONID:
		sbuf_printf(b, "%u", t->sessionid);
		return 0;
	case P_TIMERSLACK: /* Linux timerslack_ns_show: another task's needs CAP_SYS_NICE */
		if (caller && caller != t && !task_ns_capable(caller, ns_of(t, NS_USER), CAP_SYS_NICE))
			return -EPERM;
		sbuf_printf(b, "%lu\n", t->timer_slack ? t->timer_slack : 50000UL);
		return 0;
	case P_COREDUMP_FILTER:
		sbuf_printf(b, "%08x\n", (t->leader ? t->leader : t)->coredump_filter);
		return 0;
	case P_MAPS: /* Linux: PTRACE_MODE_READ */
		if (caller && caller->euid != 0 && caller->euid != t->euid)
			return -EACCES;
		gen_maps(b, t->mm);
		return 0;
	case P_SMAPS:
		if (caller && caller->euid != 0 && caller->euid != t->euid)
			return -EACCES;
		gen_smaps(b, t, t->mm);
		return 0;
	case P_SMAPS_ROLLUP:
		gen_smaps_rollup(b, t, t->mm);
		return 0;
	case P_PMOUNTS:
	case P_MOUNTINFO:
		if (t->fs)
			root = vfs_ctx_root(t->fs);
		vfs_mounts_gen(b, root, n->type == P_MOUNTINFO);
		return 0;
	case P_FDINFO:
		f = t->fdt && n->fd < t->fdt->size ? t->fdt->files[n->fd] : NULL;
		if (!f)
			return -ENOENT;
		gen_fdinfo(b, f, t->fdt, t->fdt->cloexec[n->fd],
			   n->pidns ? n->pidns : task_pid_ns(NULL));
		return 0;
	default:
		return -EINVAL;
	}
}

/* /proc/net/netstat: Linux's TcpExt and IpExt rows (names as Linux 6.x prints them), all
 * counters 0: the loopback traffic here moves none of them. */
static const char netstat_tcpext[] =
	"SyncookiesSent SyncookiesRecv SyncookiesFailed EmbryonicRsts PruneCalled "
	"RcvPruned OfoPruned OutOfWindowIcmps LockDroppedIcmps ArpFilter TW TWRecycled "
	"TWKilled PAWSActive PAWSEstab BeyondWindow TSEcrRejected PAWSOldAck PAWSTimewait "
	"DelayedACKs DelayedACKLocked DelayedACKLost ListenOverflows ListenDrops "
	"TCPHPHits TCPPureAcks TCPHPAcks TCPRenoRecovery TCPSackRecovery TCPSACKReneging "
	"TCPSACKReorder TCPRenoReorder TCPTSReorder TCPFullUndo TCPPartialUndo "
	"TCPDSACKUndo TCPLossUndo TCPLostRetransmit TCPRenoFailures TCPSackFailures "
	"TCPLossFailures TCPFastRetrans TCPSlowStartRetrans TCPTimeouts TCPLossProbes "
	"TCPLossProbeRecovery TCPRenoRecoveryFail TCPSackRecoveryFail TCPRcvCollapsed "
	"TCPBacklogCoalesce TCPDSACKOldSent TCPDSACKOfoSent TCPDSACKRecv TCPDSACKOfoRecv "
	"TCPAbortOnData TCPAbortOnClose TCPAbortOnMemory TCPAbortOnTimeout "
	"TCPAbortOnLinger TCPAbortFailed TCPMemoryPressures TCPMemoryPressuresChrono "
	"TCPSACKDiscard TCPDSACKIgnoredOld TCPDSACKIgnoredNoUndo TCPSpuriousRTOs "
	"TCPMD5NotFound TCPMD5Unexpected TCPMD5Failure TCPSackShifted TCPSackMerged "
	"TCPSackShiftFallback TCPBacklogDrop PFMemallocDrop TCPMinTTLDrop "
	"TCPDeferAcceptDrop IPReversePathFilter TCPTimeWaitOverflow TCPReqQFullDoCookies "
	"TCPReqQFullDrop TCPRetransFail TCPRcvCoalesce TCPOFOQueue TCPOFODrop TCPOFOMerge "
	"TCPChallengeACK TCPSYNChallenge TCPFastOpenActive TCPFastOpenActiveFail "
	"TCPFastOpenPassive TCPFastOpenPassiveFail TCPFastOpenListenOverflow "
	"TCPFastOpenCookieReqd TCPFastOpenBlackhole TCPSpuriousRtxHostQueues "
	"BusyPollRxPackets TCPAutoCorking TCPFromZeroWindowAdv TCPToZeroWindowAdv "
	"TCPWantZeroWindowAdv TCPSynRetrans TCPOrigDataSent TCPHystartTrainDetect "
	"TCPHystartTrainCwnd TCPHystartDelayDetect TCPHystartDelayCwnd "
	"TCPACKSkippedSynRecv TCPACKSkippedPAWS TCPACKSkippedSeq TCPACKSkippedFinWait2 "
	"TCPACKSkippedTimeWait TCPACKSkippedChallenge TCPWinProbe TCPKeepAlive "
	"TCPMTUPFail TCPMTUPSuccess TCPDelivered TCPDeliveredCE TCPAckCompressed "
	"TCPZeroWindowDrop TCPRcvQDrop TCPWqueueTooBig TCPFastOpenPassiveAltKey "
	"TcpTimeoutRehash TcpDuplicateDataRehash TCPDSACKRecvSegs TCPDSACKIgnoredDubious "
	"TCPMigrateReqSuccess TCPMigrateReqFailure TCPPLBRehash TCPAORequired TCPAOBad "
	"TCPAOKeyNotFound TCPAOGood TCPAODroppedIcmps";
static const char netstat_ipext[] =
	"InNoRoutes InTruncatedPkts InMcastPkts OutMcastPkts InBcastPkts OutBcastPkts "
	"InOctets OutOctets InMcastOctets OutMcastOctets InBcastOctets OutBcastOctets "
	"InCsumErrors InNoECTPkts InECT1Pkts InECT0Pkts InCEPkts ReasmOverlaps";

static void
gen_netstat(struct sbuf *b)
{
	const char *rows[][2] = { { "TcpExt:", netstat_tcpext }, { "IpExt:", netstat_ipext } };

	for (size_t r = 0; r < ARRAY_SIZE(rows); r++) {
		int n = 1;
		for (const char *p = rows[r][1]; *p; p++)
			n += *p == ' ';
		sbuf_printf(b, "%s %s\n%s", rows[r][0], rows[r][1], rows[r][0]);
		for (int i = 0; i < n; i++)
			sbuf_printf(b, " 0");
		sbuf_printf(b, "\n");
	}
}

/* /proc/net/dev: the loopback interface, the only one inside (counters 0). */
static void
gen_net_dev(struct sbuf *b)
{
	sbuf_printf(b, "Inter-|   Receive                                                |  Transmit\n"
		    " face |bytes    packets errs drop fifo frame compressed multicast|"
		    "bytes    packets errs drop fifo colls carrier compressed\n");
	sbuf_printf(b, "%6s:%8lu %7lu %4lu %4lu %4lu %5lu %10lu %9lu %8lu %7lu %4lu %4lu %4lu %5lu %7lu %10lu\n",
		    "lo", 0UL, 0UL, 0UL, 0UL, 0UL, 0UL, 0UL, 0UL, 0UL, 0UL, 0UL, 0UL, 0UL, 0UL, 0UL, 0UL);
}

/* Larger than any kernel's compressed config (Linux's are tens of KiB) or cpuinfo (~2 KiB a
 * CPU). */
#define HOST_FILE_MAX (4u << 20)

/* The whole of a fixed host /proc file (fs/gofer_proto.h: KCONFIG) into *buf (malloc'ed,
 * *len bytes), or -errno (-ENOENT: the host has none). */
static int
read_host_file(int which, char **buf, size_t *len)
{
	_cleanup_close_ int fd = gofer_host_file(which);
	size_t cap = 0, used = 0;
	char *b = NULL;

	if (fd < 0)
		return fd;
	for (;;) {
		if (used == cap) {
			char *nb = cap < HOST_FILE_MAX ? realloc(b, cap ? cap * 2 : 16 * 1024) : NULL;

			if (!nb) {
				free(b);
				return -ENOENT; /* too large to be what it should: none */
			}
			b = nb;
			cap = cap ? cap * 2 : 16 * 1024;
		}
		ssize_t r = read(fd, b + used, cap - used);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(b);
			return -EIO;
		}
		if (r == 0)
			break;
		used += (size_t)r;
	}
	*buf = b;
	*len = used;
	return 0;
}

int
procfs_kconfig(const char **data, size_t *len)
{
	static int state;          /* 0: not asked yet, 1: have it, -errno: the host has none */
	static char *buf;
	static size_t used;

	if (state == 0)
		state = read_host_file(GOFER_HOST_CONFIG_GZ, &buf, &used) ?: 1;
	if (state < 0)
		return state == -EIO ? -EIO : -ENOENT;
	*data = buf;
	*len = used;
	return 0;
}

/* /proc/cpuinfo: the host kernel's, read afresh (it is the same kernel and CPU the guest
 * runs on; "cpu MHz" moves), or one made from CPUID if the host's cannot be read. */
static void
cpuinfo(struct sbuf *b)
{
	char *buf;
	size_t len;

	if (read_host_file(GOFER_HOST_CPUINFO, &buf, &len) == 0) {
		sbuf_append(b, buf, len);
		free(buf);
		return;
	}
	gen_cpuinfo(b);
}

/* Whose network namespace /proc/PID/net shows: PID's (/proc/net is /proc/self/net). */
static struct task *
net_task(struct task *caller, const struct proc_node *n)
{
	struct task *t = n->tid > 0 ? task_lookup(n->tid) : NULL;

	return t && t->state != TASK_ZOMBIE ? t : caller;
}

int
procfs_generate(struct task *caller, const struct proc_node *n, struct sbuf *b)
{
	switch (n->type) {
	case P_CONFIG_GZ: {
		const char *data;
		size_t len;
		int err = procfs_kconfig(&data, &len);

		if (err)
			return err;
		sbuf_append(b, data, len);
		return 0;
	}
	case P_CPUINFO:
		cpuinfo(b);
		return 0;
	case P_MEMINFO:
		gen_meminfo(b);
		return 0;
	case P_UPTIME: {
		/* (CLOCK_BOOTTIME's: a negative boottime offset can take it below 0, where
		 * sysinfo says the same) */
		long long up = timens_boot_ns(caller, vfs_boot_ns()) / 10000000LL; /* 1/100 s */
		long long idle = vfs_boot_ns() / 10000000LL * vfs_nprocs();

		sbuf_printf(b, "%s%lld.%02lld %lld.%02lld\n", up < 0 ? "-" : "", llabs(up) / 100,
			    llabs(up) % 100, idle / 100, idle % 100);
		return 0;
	}
	case P_LOADAVG: {
		int running, total;

		count_tasks(&running, &total);
		/* the last pid of the reader's pid namespace (Linux loadavg_proc_show) */
		int last = pidns_last_pid(task_pid_ns(caller));
		unsigned long avg[3];
		vfs_loadavg(avg);
		for (int i = 0; i < 3; i++) {
			unsigned long a = avg[i] + LOAD_ONE / 200; /* to the nearest 1/100 */
			sbuf_printf(b, "%lu.%02lu ", a >> LOAD_SHIFT,
				    ((a & (LOAD_ONE - 1)) * 100) >> LOAD_SHIFT);
		}
		sbuf_printf(b, "%d/%d %d\n", running ? running : 1, total, last > 0 ? last : 1);
		return 0;
	}
	case P_STAT:
		gen_stat(b);
		return 0;
	case P_FILESYSTEMS:
		for (const char *const *fs = vfs_fs_types; *fs; fs++)
			sbuf_printf(b, "nodev\t%s\n", *fs);
		return 0;
	case P_VERSION:
		sbuf_printf(b, "Linux version %s (sandbox@sandbox) (gcc) %s\n", uts.release,
			    uts.version);
		return 0;
	case P_HOSTNAME:
		sbuf_printf(b, "%s\n", uts_ns_of(caller)->hostname);
		return 0;
	case P_OSTYPE:
		sbuf_printf(b, "Linux\n");
		return 0;
	case P_OSRELEASE:
		sbuf_printf(b, "%s\n", uts.release);
		return 0;
	case P_PIDMAX:
		sbuf_printf(b, "4194304\n");
		return 0;
	case P_LAST_PID: /* the reader's pid namespace's */
		sbuf_printf(b, "%d\n", pidns_last_pid(task_pid_ns(caller)));
		return 0;
	case P_NGROUPS:
		sbuf_printf(b, "65536\n");
		return 0;
	case P_NET_TCP:
	case P_NET_TCP6:
	case P_NET_UDP:
	case P_NET_UDP6:
	case P_NET_UDPLITE:
	case P_NET_UDPLITE6:
	case P_NET_ICMP:
	case P_NET_ICMP6:
	case P_NET_RAW:
	case P_NET_RAW6: {
		/* the listing of one protocol's sockets: family, type, protocol */
		static const int what[][4] = {
			{ P_NET_TCP, AF_INET, SOCK_STREAM, IPPROTO_TCP },
			{ P_NET_TCP6, AF_INET6, SOCK_STREAM, IPPROTO_TCP },
			{ P_NET_UDP, AF_INET, SOCK_DGRAM, IPPROTO_UDP },
			{ P_NET_UDP6, AF_INET6, SOCK_DGRAM, IPPROTO_UDP },
			{ P_NET_UDPLITE, AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE },
			{ P_NET_UDPLITE6, AF_INET6, SOCK_DGRAM, IPPROTO_UDPLITE },
			{ P_NET_ICMP, AF_INET, SOCK_DGRAM, IPPROTO_ICMP },
			{ P_NET_ICMP6, AF_INET6, SOCK_DGRAM, IPPROTO_ICMPV6 },
			{ P_NET_RAW, AF_INET, SOCK_RAW, 0 },
			{ P_NET_RAW6, AF_INET6, SOCK_RAW, 0 },
		};
		size_t i = 0;

		while (what[i][0] != n->type)
			i++;
		sock_proc_net(net_task(caller, n), b, what[i][1], what[i][2], what[i][3]);
		return 0;
	}
	case P_NET_UNIX:
		sock_proc_unix(net_task(caller, n), b);
		return 0;
	case P_RANDOM_UUID: { /* a version 4 UUID, new at every open */
		unsigned char u[16];
		if (!random_uuid(u))
			return -EAGAIN;
		uuid_text(b, u);
		return 0;
	}
	case P_RANDOM_BOOT_ID: { /* one UUID for the sandbox's life, as Linux's for a boot */
		static unsigned char boot_id[16];
		static bool made;
		if (!made && !(made = random_uuid(boot_id)))
			return -EAGAIN;
		uuid_text(b, boot_id);
		return 0;
	}
	case P_RANDOM_ENTROPY: /* a seeded pool, as Linux >= 5.18 always says (RNDGETENTCNT) */
	case P_RANDOM_POOLSIZE:
		sbuf_printf(b, "256\n");
		return 0;
	case P_DOMAINNAME:
		sbuf_printf(b, "%s\n", uts_ns_of(caller)->domainname);
		return 0;
	case P_CMDLINE_BOOT: /* no boot loader: the kernel's own defaults */
		sbuf_printf(b, "BOOT_IMAGE=/vmlinuz ro\n");
		return 0;
	case P_CGROUPS:
		cgroup_proc_cgroups(b);
		return 0;
	case P_DEVICES: /* the character devices the sandbox's /dev has */
		sbuf_printf(b, "Character devices:\n  1 mem\n  4 /dev/vc/0\n  4 tty\n  5 /dev/tty\n"
			    "  5 /dev/console\n  5 /dev/ptmx\n  7 vcs\n 10 misc\n136 pts\n\n"
			    "Block devices:\n");
		return 0;
	case P_LOCKS:
		locks_proc_text(n->pidns ? n->pidns : task_pid_ns(caller), b);
		return 0;
	case P_SWAPS: /* the header alone: no swap (meminfo's SwapTotal is 0 too) */
		sbuf_printf(b, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
		return 0;
	case P_VMSTAT: {
		/* the counters the sentry knows, in Linux's order: free pages as in meminfo; no
		 * dirty or writeback pages, block I/O or swapping, with no block device or swap */
		unsigned long total, free;

		vfs_memory_facts(&total, &free);
		sbuf_printf(b, "nr_free_pages %lu\nnr_dirty 0\nnr_writeback 0\npgpgin 0\n"
			    "pgpgout 0\npswpin 0\npswpout 0\n", free >> 12);
		return 0;
	}
	case P_DISKSTATS:  /* no block devices (none in /proc/devices): empty, as Linux */
	case P_PARTITIONS: /* prints its header only above a first disk */
		return 0;
	case P_NET_SNMP:
		sock_proc_snmp(net_task(caller, n), b);
		return 0;
	case P_NET_SNMP6:
		sock_proc_snmp6(net_task(caller, n), b);
		return 0;
	case P_NET_SOCKSTAT:
	case P_NET_SOCKSTAT6:
		sock_proc_sockstat(net_task(caller, n), b, n->type == P_NET_SOCKSTAT6);
		return 0;
	case P_NET_NETSTAT:
		gen_netstat(b);
		return 0;
	case P_NET_DEV:
		gen_net_dev(b);
		return 0;
	case P_NET_IF_INET6:
		sock_proc_if_inet6(net_task(caller, n), b);
		return 0;
	case P_NET_IGMP:
		sock_proc_igmp(net_task(caller, n), b);
		return 0;
	case P_NET_IGMP6:
		sock_proc_igmp6(net_task(caller, n), b);
		return 0;
	case P_NET_ROUTE:
		sock_proc_route(net_task(caller, n), b);
		return 0;
	case P_OVERCOMMIT:
		sbuf_printf(b, "0\n");
		return 0;
	case P_SYSVIPC_SHM:
	case P_SYSVIPC_SEM:
	case P_SYSVIPC_MSG: {
		char *text = ipc_proc_text(n->type == P_SYSVIPC_SHM ? 's' :
					   n->type == P_SYSVIPC_SEM ? 'S' : 'm');
		sbuf_append(b, text, strlen(text));
		free(text);
		return 0;
	}
	case P_KEYS:
	case P_KEY_USERS: {
		char *text = keys_proc_text(caller, n->type == P_KEY_USERS);
		sbuf_append(b, text, strlen(text));
		free(text);
		return 0;
	}
	default:
		if (n->type >= P_NS_TCP_SACK && n->type <= P_NS_LAST) {
			procfs_sysctl_text(caller, n->type, b);
			return 0;
		}
		if (n->type >= P_SC_FIRST && n->type <= P_SC_LAST) {
			procfs_sysctl2_text(caller, n->type, b);
			return 0;
		}
		return gen_task_file(caller, n, b);
	}
}
