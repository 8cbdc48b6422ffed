/*
 * The ptrace platform. Each stub is a host process forked from the sentry whose address
 * space is emptied down to the stub page and the vDSO. Its seccomp filter lets the
 * passthrough calls run natively and returns SECCOMP_RET_TRACE for everything else, which
 * reaches the sentry as a PTRACE_EVENT_SECCOMP stop (one stop per emulated call).
 *
 * Stub page layout (PLAT_STUB_ADDR):  +0 int3 (parking spot)  +1 syscall  +3 int3
 * +4 the batch loop (syscall at +0x35, int3 at +0x4c: see stub_code).
 * Injection runs a call at +1 and catches the int3 at +3; a batch runs the loop from +4.
 */
#include <ctype.h>
#include <elf.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/ioctl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sched.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/rseq.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <uthash.h>

#include "platform/internal.h"
#include "platform/platform.h"
#include "sentry/filters.h"
#include "sentry/util.h"

/* The kernel's -ERESTARTSYS in rax: "restart per SA_RESTART, else EINTR" (not in uapi). */
#define RAX_ERESTARTSYS (-512L)

#define STUB_PARK (PLAT_STUB_ADDR + 0)
#define STUB_SYSCALL (PLAT_STUB_ADDR + 1)
#define STUB_AFTER (PLAT_STUB_ADDR + 3)
#define STUB_BATCH (PLAT_STUB_ADDR + 4)
#define STUB_BATCH_DONE (PLAT_STUB_ADDR + 0x4c)
#define STUB_CMPXCHG (PLAT_STUB_ADDR + 0x4d)     /* lock cmpxchg %esi,(%rdi); int3 */
#define STUB_CMPXCHG_DONE (PLAT_STUB_ADDR + 0x51)
/* The batch's records, at the end of the scratch page (the rest is the callers'). */
#define BATCH_RECORDS (PLAT_STUB_SCRATCH + 0x800UL)
/* plat_set_mm_map's struct (callers' memory for the calls that go with it is below) */
#define MM_MAP_SCRATCH (PLAT_STUB_SCRATCH + 0x400UL)
#define USER_TOP 0x7ffffffff000UL /* TASK_SIZE on x86-64 with 4-level paging */
/* Children created by injected clones are traced from birth with the same options: the
 * clones carry CLONE_PTRACE (plat_clone), which attaches the child without the parent's
 * PTRACE_EVENT_FORK/CLONE stop that PTRACE_O_TRACEFORK and the like would cost. */
#define STUB_PTRACE_OPTIONS (PTRACE_O_EXITKILL | PTRACE_O_TRACESECCOMP | PTRACE_O_TRACESYSGOOD)

/* Signals one stub thread may have arrive during one injection (hold_signal). */
#define HELD_MAX 8

/* Host files one stub keeps fds of (a program and its libraries map several each). */
#define STUB_FILES 8

enum stop_kind {
	STOP_NONE,       /* running */
	STOP_SECCOMP,    /* inside a trapped syscall */
	STOP_SIGNAL,     /* signal-delivery-stop (or after an injection) */
	STOP_NOTIF,      /* inside a syscall sent as a seccomp user notification: the thread
			  * waits in the host kernel for the sentry's answer (not a ptrace stop) */
};

struct plat_ctx {
	pid_t pid;
	pid_t tgid;                     /* its thread group's leader */
	void *owner;
	enum stop_kind stop;
	bool injected;                  /* regs were replaced by an injection during this stop */
	/* the injected call is rt_sigprocmask: its how (-1: another call), set and oldset */
	int inj_how;
	unsigned long inj_set, inj_oldset;
	/* Signals that arrived while the sentry ran something in the stub (an injection): the
	 * host took them from its queue to report them, so they are kept here, in order, with
	 * their siginfo, until the next resume (then they are queued in the host again, which
	 * reports each at its own stop), as Linux would have kept them pending. */
	int nheld;
	struct held_sig {
		int sig;
		siginfo_t info;
	} held[HELD_MAX];
	int deferred_sig;               /* a signal stop plat_wait still has to report */
	bool notif_ready;               /* STOP_NOTIF: a call plat_wait still has to report */
	int hold_sig;                   /* plat_finish_interrupted: report it again at the resume */
	siginfo_t hold_info;            /* and the siginfo of its stop, as the host gave it */
	bool restarting;                /* the sentry ended the call with -ERESTARTSYS itself */
	/* resumed without a signal from a signal stop whose call (one the sentry took) waits
	 * for the host's restart, with signals pending: the host's next signal stop comes
	 * before that restart (host_event) */
	bool sig_pass;
	uint64_t notif_id;              /* STOP_NOTIF: the notification to answer */
	int notif_fd;                   /* STOP_NOTIF: on this listener */
	int pidfd;                      /* the stub's own fd for a pidfd of the sentry, or -1 */
	struct {                        /* host files the stub holds fds of (fetched for mmap) */
		unsigned long dev, ino;
		int fd;                 /* in the stub; -1: free slot */
		bool wr;                /* open for writing (shared writable mappings need it) */
	} files[STUB_FILES];
	int files_next;                 /* round-robin eviction */
	unsigned zgen;                  /* holds the first nz fds of zygote generation zgen */
	int nz;
	bool process;                   /* a thread-group leader (its own address space) */
	bool fresh;                     /* no guest code ran in its address space yet: no other
					 * thread can touch the scratch page (plat_inject_batch) */
	bool dead;                      /* exited while the sentry waited for it specifically */
	int dead_status;
	struct rusage dead_ru;
	struct rusage stop_ru;          /* what wait4 said with its latest stop (plat_stop_rusage) */
	struct user_regs_struct regs;   /* valid while stopped */
	struct prctl_mm_map mm_map;     /* plat_set_mm_map_later: for the next batch */
	bool mm_map_queued, mm_map_ran; /* waiting for a batch; run by one, with this result: */
	long mm_map_result;
	long long ran_at;               /* when it last went back to guest code (ns) */
	bool spread;                    /* may run on every CPU (note_trap) */
	bool guest_cpus;                /* runs where the guest's sched_setaffinity put it */
	unsigned long switches;         /* its ptrace stops and notification waits so far */
	unsigned long call_switches;    /* switches when the last injected call ran */
	int short_runs;                 /* short runs in a row while spread */
	bool trace_syscalls;            /* a guest tracer wants its syscall stops: resumed with
					 * PTRACE_SYSCALL, the host's stops are reported */
	bool exit_due;                  /* a syscall-exit event plat_wait still has to report */
	bool exit_seen;                 /* the host made the exit stop of the call a signal ended
					 * before the sentry took it: the sentry's run of it (at
					 * the signal stop) makes none */
	bool sysemu;                    /* with trace_syscalls: resumed with PTRACE_SYSEMU */
	/* A leader's process clocks (user, user + system: CPUCLOCK_VIRT and _PROF) as read at
	 * the last exit stop of one of its threads (PTRACE_O_TRACEEXIT, set with a guest's
	 * RLIMIT_CPU: the clocks a zombie shows on Linux, which the host's rusage rounds). */
	bool exit_clock;
	bool exit_clock_wanted;         /* its exit stops are for the clocks (RLIMIT_CPU), not
					 * only for plat_exit_hook */
	unsigned long exit_virt_us, exit_prof_us, exit_sched_us;
	UT_hash_handle hh;
};

static struct plat_ctx *ctxs;       /* by host pid */

static long long
mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/*
 * Spreading. Every stub is pinned to the sentry's CPU (sentry/main.c says why), which costs
 * the guest its second CPU. A thread that ran for spread_ns without a trapped call computes
 * more than it asks: it may run on every CPU, where the cross-CPU cost of its rare calls
 * is small beside the CPU it gains (cc1 under make -j2). After gather_runs runs in a row
 * shorter than gather_ns it is pinned back. Measured on make -j2 of tests/programs/proj:
 * 2 ms / 0.3 ms / 8 gave 10% less wall time than pinning all; 0.2 ms was worse than both.
 * SANDBOX_SPREAD=0 turns it off; SANDBOX_SPREAD=spread_ns,gather_ns,gather_runs tunes it.
 */
static int home_cpu = -1, pin_cpu = -1;
static long long spread_ns = 2000000, gather_ns = 300000;
static int gather_runs = 8;
static struct { unsigned long spread, gathered; } spread_stats;

static void
set_affinity(struct plat_ctx *c, bool spread)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	if (spread)
		for (int i = 0; i < CPU_SETSIZE; i++)
			CPU_SET(i, &set);
	else
		CPU_SET(home_cpu, &set);
	if (sched_setaffinity(c->pid, sizeof(set), &set) < 0)
		return; /* gone meanwhile: its exit event follows */
	c->spread = spread;
	c->short_runs = 0;
	if (spread)
		spread_stats.spread++;
	else
		spread_stats.gathered++;
}

/* The thread goes back to guest code. */
static void
note_run(struct plat_ctx *c)
{
	if (home_cpu >= 0)
		c->ran_at = mono_ns();
}

/* The thread stopped for a call: how long did it run? */
static void
note_trap(struct plat_ctx *c)
{
	if (home_cpu < 0 || !c->ran_at || c->guest_cpus)
		return;
	long long ran = mono_ns() - c->ran_at;
	if (!c->spread && ran > spread_ns)
		set_affinity(c, true);
	else if (c->spread && ran >= gather_ns)
		c->short_runs = 0;
	else if (c->spread && ++c->short_runs >= gather_runs)
		set_affinity(c, false);
}

void
plat_set_cpus(struct plat_ctx *c, const unsigned long *mask, size_t words)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	if (!mask) {
		if (!c->guest_cpus)
			return;
		c->guest_cpus = false;
		if (pin_cpu >= 0)
			CPU_SET(pin_cpu, &set);
		else
			for (int i = 0; i < CPU_SETSIZE; i++)
				CPU_SET(i, &set);
		c->spread = false;
		c->short_runs = 0;
	} else {
		for (size_t i = 0; i < words * 64 && i < CPU_SETSIZE; i++)
			if (mask[i / 64] & (1UL << (i % 64)))
				CPU_SET(i, &set);
		c->guest_cpus = true;
	}
	if (sched_setaffinity(c->pid, sizeof(set), &set) < 0)
		log_debug("affinity of stub %d: %s", c->pid, strerror(errno));
}

void
plat_set_home_cpu(int cpu)
{
	const char *e = getenv("SANDBOX_SPREAD");

	pin_cpu = cpu;
	if (e && !strcmp(e, "0"))
		return;
	if (e && *e && sscanf(e, "%lld,%lld,%d", &spread_ns, &gather_ns, &gather_runs) != 3)
		log_debug("SANDBOX_SPREAD: want spread_ns,gather_ns,gather_runs");
	home_cpu = cpu;
}
/* A signal that reached a stopped stub while the sentry ran a call in it (end of file). */
static void hold_signal(struct plat_ctx *ctx, int sig);
static int take_held(struct plat_ctx *ctx, int sig);
static void requeue_held(struct plat_ctx *ctx);
static void drop_held(struct plat_ctx *ctx, int i);
static struct plat_info info;
static struct sock_fprog stub_prog;
/* The secret that lets injected memory calls skip their trace stop (filter.c: stub_head). */
static unsigned long inject_token;
/*
 * Seccomp user notifications: the stub filter sends the hot calls that need nothing but
 * their arguments, guest memory and a result (file and socket I/O, stat, ids...) as
 * SECCOMP_RET_USER_NOTIF instead of RET_TRACE. The thread then waits in the host kernel,
 * not in a ptrace stop: the sentry reads the call from the listener and answers with its
 * result, about half the cost of a ptrace round trip. Every stub made from scratch (the
 * zygote) gets a listener, shared by all stubs cloned from it, and hands it to the sentry
 * over a socket. Anything that needs the thread in a ptrace stop first turns the pending
 * notification into one (notif_stop).
 */
#define MAX_LISTENERS 4
static int listeners[MAX_LISTENERS];
static int nlisteners;
static int listener_sock[2] = { -1, -1 };
static bool use_notif;
static int wake_fd = -1;       /* readable when a stub changed state (SIGCHLD) */
static struct {                /* --stats */
	unsigned long received, converted, interrupted, late;
} notif_stats;
static int reports;            /* contexts with a dead or deferred event to report */
/* Address ranges each new stub keeps: the stub page and the vDSO/vvar. */
static unsigned long keep_lo, keep_hi;
/* CPU time of stubs that are gone (reaped or killed), ns. */
static unsigned long long gone_cpu_ns;
/* Host resource limits every new stub gets (plat_stub_rlimit). */
static struct {
	int resource;
	struct rlimit lim;
} stub_rlimits[4];
static int nstub_rlimits;

const struct plat_info *
plat_info(void)
{
	return &info;
}

pid_t
plat_host_pid(struct plat_ctx *ctx)
{
	return ctx->pid;
}

void *
plat_get_owner(struct plat_ctx *ctx)
{
	return ctx->owner;
}

void
plat_set_owner(struct plat_ctx *ctx, void *owner)
{
	ctx->owner = owner;
}

void (*plat_exit_hook)(struct plat_ctx *ctx);

static int notif_stop(struct plat_ctx *ctx);

int
plat_trace_exit(struct plat_ctx *ctx)
{
	int err = notif_stop(ctx);

	if (err)
		return err;
	if (ptrace(PTRACE_SETOPTIONS, ctx->pid, 0, STUB_PTRACE_OPTIONS | PTRACE_O_TRACEEXIT) < 0)
		return -errno;
	return 0;
}

/* One line of /proc/self/maps: a vDSO or vvar range joins the kept ones. */
static void
maps_line(const char *line, const char *end)
{
	unsigned long r[2] = { 0, 0 };
	const char *p = line;

	for (int i = 0; i < 2; i++, p++) {
		const char *start = p;
		for (; p < end && isxdigit((unsigned char)*p); p++)
			r[i] = r[i] << 4 | (unsigned long)(isdigit((unsigned char)*p) ? *p - '0' :
							   (*p | 0x20) - 'a' + 10);
		if (p == start || p == end || *p != (i ? ' ' : '-'))
			return;
	}
	const char *name = memchr(p, '[', end - p);
	if (!name || name[-1] != ' ')
		return;
	size_t len = end - name;
	if (!(len == 6 && !memcmp(name, "[vdso]", 6)) && !(len >= 5 && !memcmp(name, "[vvar", 5)))
		return;
	keep_lo = MIN(keep_lo, r[0]);
	keep_hi = MAX(keep_hi, r[1]);
	if (info.nspecial < (int)ARRAY_SIZE(info.special)) {
		struct plat_special_map *m = &info.special[info.nspecial++];
		m->lo = r[0];
		m->hi = r[1];
		snprintf(m->name, sizeof(m->name), "%.*s", (int)len, name);
	}
}

/* The vDSO and vvar ranges, from /proc/self/maps read with plain read()s (stdio and sscanf
 * cost more than the kernel's text). */
static int
find_vdso(void)
{
	char buf[8192];
	size_t have = 0;
	bool skip = false; /* the rest of a line longer than buf (a long path): not ours */
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	keep_lo = ~0UL;
	keep_hi = 0;
	for (;;) {
		ssize_t n = read(fd, buf + have, sizeof(buf) - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = -errno;
			close(fd);
			return err;
		}
		have += n;
		char *line = buf, *nl;
		while ((nl = memchr(line, '\n', buf + have - line))) {
			if (!skip)
				maps_line(line, nl);
			skip = false;
			line = nl + 1;
		}
		if (n == 0) {
			if (line < buf + have && !skip)
				maps_line(line, buf + have);
			break;
		}
		have -= line - buf;
		if (have == sizeof(buf)) {
			have = 0;
			skip = true;
		}
		memmove(buf, line, have);
	}
	close(fd);
	if (keep_hi == 0)
		keep_lo = 0;
	return 0;
}

/* The kernel's auxv as given to the sentry: glibc's getauxval(AT_HWCAP) on x86 returns
 * glibc's own platform bits, not the kernel's CPUID word. */
static int
read_auxv(void)
{
	unsigned long av[128];
	int fd = open("/proc/self/auxv", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	ssize_t n = read(fd, av, sizeof(av));
	close(fd);
	if (n < 0)
		return -errno;
	for (size_t i = 0; i + 1 < (size_t)n / sizeof(av[0]); i += 2) {
		switch (av[i]) {
		case AT_SYSINFO_EHDR: info.vdso_base = av[i + 1]; break;
		case AT_HWCAP: info.hwcap = av[i + 1]; break;
		case AT_HWCAP2: info.hwcap2 = av[i + 1]; break;
		case AT_MINSIGSTKSZ: info.minsigstksz = av[i + 1]; break;
		case AT_RSEQ_FEATURE_SIZE: info.rseq_feature_size = av[i + 1]; break;
		case AT_RSEQ_ALIGN: info.rseq_align = av[i + 1]; break;
		default: break;
		}
	}
	return 0;
}

/*
 * The stub page's code. The batch loop runs rbx's records (struct batch_rec) until r12 of
 * them ran or one failed, each with the token from registers only (r13: the sixth argument;
 * r14: mmap's fd's high half), never from memory the guest could read:
 *
 *   +0x04 batch: test %r12,%r12; jz done; mov (%rbx),%rax; mov 8..48(%rbx),%rdi,%rsi,%rdx,
 *                %r10,%r8,%r9; cmp $9,%rax (mmap); jne 1f; mov %r8d,%r8d; or %r14,%r8; jmp 2f
 *           1:   mov %r13,%r9
 *   +0x35   2:   syscall; mov %rax,56(%rbx); cmp $-4095,%rax; jae done; add $64,%rbx;
 *                dec %r12; jmp batch
 *   +0x4c done:  int3
 *   +0x4d cmpxchg: lock cmpxchg %esi,(%rdi); int3 (plat_cmpxchg32)
 */
static const unsigned char stub_code[] = {
	0xcc, 0x0f, 0x05, 0xcc,
	0x4d, 0x85, 0xe4, 0x74, 0x43, 0x48, 0x8b, 0x03, 0x48, 0x8b, 0x7b, 0x08, 0x48, 0x8b, 0x73,
	0x10, 0x48, 0x8b, 0x53, 0x18, 0x4c, 0x8b, 0x53, 0x20, 0x4c, 0x8b, 0x43, 0x28, 0x4c, 0x8b,
	0x4b, 0x30, 0x48, 0x83, 0xf8, 0x09, 0x75, 0x08, 0x45, 0x89, 0xc0, 0x4d, 0x09, 0xf0, 0xeb,
	0x03, 0x4d, 0x89, 0xe9, 0x0f, 0x05, 0x48, 0x89, 0x43, 0x38, 0x48, 0x3d, 0x01, 0xf0, 0xff,
	0xff, 0x73, 0x09, 0x48, 0x83, 0xc3, 0x40, 0x49, 0xff, 0xcc, 0xeb, 0xb8,
	0xcc,
	0xf0, 0x0f, 0xb1, 0x37, 0xcc,
};

struct batch_rec {
	unsigned long nr, a[6];
	long result;
};

/* How many places below the default plat_init found taken before the stub page's. */
static int stub_taken;

bool
plat_reserved(int i, unsigned long *lo, unsigned long *hi)
{
	if (i < 0 || i > stub_taken)
		return false;
	*lo = i ? PLAT_STUB_DEFAULT - (i - 1) * PLAT_STUB_STEP : PLAT_STUB_ADDR;
	*hi = *lo + PLAT_STUB_SIZE;
	return true;
}

/* The stub page, in the sentry (the stubs inherit it): at the default address, or, inside
 * another sandbox that keeps its own stub page there (and refuses the mapping), at the
 * first free place below it. Sets PLAT_STUB_ADDR; MAP_FAILED (errno) if none is free. */
static void *
stub_page_map(void)
{
	int err = EEXIST;

	for (int i = 0; i < PLAT_STUB_TRIES; i++) {
		unsigned long at = PLAT_STUB_DEFAULT - i * PLAT_STUB_STEP;
		void *p = mmap((void *)at, PLAT_STUB_SIZE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		if (p == (void *)at) {
			plat_stub_addr = at;
			stub_taken = i;
			return p;
		}
		if (p != MAP_FAILED) /* a kernel without MAP_FIXED_NOREPLACE put it elsewhere */
			munmap(p, PLAT_STUB_SIZE);
		else if (errno != EEXIST && errno != ENOMEM && errno != EINVAL && errno != EPERM)
			return MAP_FAILED;
		else
			err = errno;
	}
	errno = err;
	return MAP_FAILED;
}

int
plat_init(void)
{
	const unsigned char *code = stub_code;
	int err = find_vdso();

	if (err)
		return err;
	err = read_auxv();
	if (err)
		return err;
	void *p = stub_page_map();
	if (p == MAP_FAILED)
		return -errno;
	_Static_assert(sizeof(stub_code) == 0x52, "stub code ends at STUB_CMPXCHG_DONE");
	BUG_ON(code[STUB_BATCH_DONE - PLAT_STUB_ADDR] != 0xcc ||
	       code[STUB_BATCH_IP - 2 - PLAT_STUB_ADDR] != 0x0f ||
	       code[STUB_BATCH_IP - 1 - PLAT_STUB_ADDR] != 0x05 ||
	       code[STUB_CMPXCHG_DONE - PLAT_STUB_ADDR] != 0xcc);
	memcpy(p, stub_code, sizeof(stub_code));
	if (mprotect(p, PLAT_STUB_SCRATCH - PLAT_STUB_ADDR, PROT_READ | PROT_EXEC) < 0)
		return -errno;
	if (getrandom(&inject_token, sizeof(inject_token), 0) != sizeof(inject_token))
		return -EIO;
	const char *e = getenv("SANDBOX_NOTIF");
	use_notif = !(e && !strcmp(e, "0"));
	if (use_notif && socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, listener_sock) < 0)
		use_notif = false;
	err = stub_filter_build(inject_token, &use_notif, &stub_prog);
	if (!use_notif && listener_sock[0] >= 0) {
		close(listener_sock[0]);
		close(listener_sock[1]);
		listener_sock[0] = listener_sock[1] = -1;
	}
	return err;
}

void
plat_set_wake_fd(int fd)
{
	wake_fd = fd;
}

int
plat_poll_fds(int *fds, int max)
{
	int n = 0;

	for (int i = 0; i < nlisteners && n < max; i++)
		fds[n++] = listeners[i];
	return n;
}

/* What the loop's own poll saw on the listeners (plat_polled), for the next plat_wait. */
static short polled_revents[MAX_LISTENERS];
static bool polled;
/* A call was taken on the strength of that poll: a non-blocking plat_wait right after it
 * need not poll (the stubs mostly share the sentry's CPU, so nothing new is likely; the
 * loop's next poll sees what is). */
static bool polled_taken;

void
plat_polled(const short *revents, int n)
{
	if (n != nlisteners)
		return;
	memcpy(polled_revents, revents, n * sizeof(*revents));
	polled = true;
}

bool
plat_in_notif(struct plat_ctx *ctx)
{
	return ctx->stop == STOP_NOTIF;
}

bool
plat_call_abandoned(struct plat_ctx *ctx)
{
	uint64_t id = ctx->notif_id;
	siginfo_t si = { 0 }, why;

	if (ctx->stop != STOP_NOTIF || ioctl(ctx->notif_fd, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) == 0 ||
	    errno != ENOENT)
		return false;
	/* Given up: the thread was killed, or a signal interrupted its wait, which must not cut
	 * the transfer short (a file's read goes on through a signal on Linux): only a thread
	 * seen dead or at its exit stop counts. */
	if (waitid(P_PID, ctx->pid, &si, WEXITED | WSTOPPED | WNOHANG | WNOWAIT | __WALL) < 0)
		return errno == ECHILD;
	if (si.si_code == CLD_KILLED || si.si_code == CLD_DUMPED || si.si_code == CLD_EXITED)
		return si.si_pid == ctx->pid;
	return si.si_pid == ctx->pid && si.si_code == CLD_TRAPPED &&
	       ptrace(PTRACE_GETSIGINFO, ctx->pid, 0, &why) == 0 &&
	       why.si_code == (SIGTRAP | PTRACE_EVENT_EXIT << 8);
}

void
plat_finish_interrupted(struct plat_ctx *ctx, int sig)
{
	/* the call is as after an injection consumed it; its registers say which it was */
	ctx->stop = STOP_SECCOMP;
	ctx->injected = true;
	ctx->regs.rax = -ENOSYS;
	ctx->hold_sig = sig;
	if (ptrace(PTRACE_GETSIGINFO, ctx->pid, 0, &ctx->hold_info) < 0)
		ctx->hold_sig = 0; /* gone: its exit follows */
}

static struct plat_ctx *
ctx_lookup(pid_t pid)
{
	struct plat_ctx *c = NULL;
	HASH_FIND_INT(ctxs, &pid, c);
	return c;
}

/* Child side of plat_new_as: runs sentry code until it jumps into the stub page. */
static void __attribute__((noreturn))
stub_child(void)
{
	sigset_t none;
	struct rlimit zero = { 0, 0 };

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (ptrace(PTRACE_TRACEME, 0, 0, 0) < 0)
		_exit(120);
	kill(getpid(), SIGSTOP); /* (raise needs tgkill, which the confined sentry lacks) */
	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	stack_t ss = { .ss_flags = SS_DISABLE };
	sigaltstack(&ss, NULL);
	setrlimit(RLIMIT_CORE, &zero);
	for (int i = 0; i < nstub_rlimits; i++)
		setrlimit(stub_rlimits[i].resource, &stub_rlimits[i].lim);
	int sock = listener_sock[1];
	if (sock > 0)
		syscall(SYS_close_range, 0, sock - 1, 0);
	syscall(SYS_close_range, sock + 1, ~0U, 0);
	/* The kernel writes to these per-thread areas on its own; they are about to be unmapped. */
	if (__rseq_size)
		syscall(SYS_rseq, (char *)__builtin_thread_pointer() + __rseq_offset, sizeof(struct rseq),
			RSEQ_FLAG_UNREGISTER, RSEQ_SIG);
	syscall(SYS_set_robust_list, NULL, 24);
	long lfd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			   use_notif ? SECCOMP_FILTER_FLAG_NEW_LISTENER : 0, &stub_prog);
	if (lfd < 0)
		_exit(121);
	/* to the sentry (sendmsg is traced, not notified: nobody listens yet), with its number
	 * here for the sentry to close */
	int fdnum = (int)lfd;
	if (use_notif && send_with_fd(sock, &fdnum, sizeof(fdnum), fdnum) < 0)
		_exit(121);
	((void (*)(void))STUB_PARK)();
	_exit(122);
}

static struct plat_ctx *ctx_lookup(pid_t pid);

/* Waits for the next stop of one stub. An exit seen here is kept for plat_wait to report. */
static int
wait_stop(pid_t pid, int *status)
{
	struct rusage ru;

	for (;;) {
		if (wait4(pid, status, __WALL, &ru) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (WIFEXITED(*status) || WIFSIGNALED(*status)) {
			struct plat_ctx *c = ctx_lookup(pid);
			if (c) {
				reports++;
				c->dead = true;
				c->dead_status = *status;
				c->dead_ru = ru;
			}
			return -ESRCH;
		}
		struct plat_ctx *c = ctx_lookup(pid);
		if (c) {
			c->switches++;
			c->stop_ru = ru;
		}
		return 0;
	}
}

static bool
is_seccomp_stop(int status)
{
	return (status >> 8) == (SIGTRAP | (PTRACE_EVENT_SECCOMP << 8));
}

/* An empty, fully set-up stub that never runs guest code: new address spaces are clones of
 * it, which copies almost nothing (no sentry image to copy, nothing to unmap). */
static struct plat_ctx *zygote;
/* Host files that many address spaces map (ld.so, libc): the zygote holds an fd of each, so
 * every stub cloned from it starts with them and maps them without fetching. A file is
 * promoted when a second stub fetches it. zgen changes when the zygote is replaced. */
#define ZYGOTE_FILES 32
#define SEEN_FILES 64
static struct stub_file {
	unsigned long dev, ino;
	int fd;
	int count;
	bool wr;
} zfiles[ZYGOTE_FILES], seen[SEEN_FILES];
static int nzfiles, seen_next;
static unsigned zgen;

static int new_as_from_scratch(struct plat_ctx **out);

int
plat_new_as(struct plat_ctx **out)
{
	if (!zygote) {
		int err = new_as_from_scratch(&zygote);
		if (err)
			return err;
		/* every clone inherits the zygote's fd for the sentry's pidfd (opened by
		 * new_as_from_scratch) */
		zygote->zgen = ++zgen;
		nzfiles = 0;
	}
	int err = plat_clone(zygote, CLONE_PARENT | SIGCHLD, 0, 0, 0, out);
	if (err == -ESRCH) {
		/* the zygote is gone (killed from outside): make a new one */
		plat_release(zygote);
		zygote = NULL;
		return new_as_from_scratch(out);
	}
	return err;
}

/* Why a new stub died before parking: its setup's exit codes (stub_child) as errnos the
 * caller can explain: -EPERM tracing refused, -ENOTSUP its seccomp filter refused. */
static int
stub_setup_error(int status)
{
	if (WIFEXITED(status) && WEXITSTATUS(status) == 120)
		return -EPERM;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 121)
		return -ENOTSUP;
	return -ESRCH;
}

/* The listener a new stub sent (stub_child): kept by the sentry, closed in the stub (by the
 * caller, with *fdnum: its number there). */
static int
take_listener(int *fdnum)
{
	int fd;

	*fdnum = -1;
	if (recv_with_fd(listener_sock[0], fdnum, sizeof(*fdnum), MSG_DONTWAIT, &fd) !=
	    (ssize_t)sizeof(*fdnum) || fd < 0 || *fdnum < 0) {
		if (fd >= 0)
			close(fd);
		return -EPROTO;
	}
	if (nlisteners == MAX_LISTENERS) {
		close(fd);
		return -EMFILE;
	}
	/* Wake the sentry on the CPU of the thread that traps, and the thread on the sentry's
	 * (Linux 6.6): no cross-CPU wakeups per call. Older kernels just do without. */
	ioctl(fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP, 0);
	listeners[nlisteners++] = fd;
	return 0;
}

/* Munmap calls that empty [lo, hi) but for the places plat_init found taken (the stub's
 * own page is outside it). How many. */
static int
drop_calls(struct plat_call *calls, unsigned long lo, unsigned long hi)
{
	unsigned long rlo, rhi;
	int n = 0;

	for (int i = stub_taken; i >= 1 && lo < hi; i--) { /* (by rising address) */
		if (!plat_reserved(i, &rlo, &rhi) || rhi <= lo || rlo >= hi)
			continue;
		if (rlo > lo)
			calls[n++] = (struct plat_call){ .nr = __NR_munmap, .a = { lo, rlo - lo } };
		lo = rhi;
	}
	if (hi > lo)
		calls[n++] = (struct plat_call){ .nr = __NR_munmap, .a = { lo, hi - lo } };
	return n;
}

static int oom_adj_fd = -1;

void
plat_set_oom_adj_fd(int fd)
{
	oom_adj_fd = fd;
}

static int
new_as_from_scratch(struct plat_ctx **out)
{
	int status, err;

	char adj[16];
	ssize_t adjlen = oom_adj_fd >= 0 ? pread(oom_adj_fd, adj, sizeof(adj), 0) : -1;

	if (adjlen > 0 && pwrite(oom_adj_fd, "1000", 4, 0) != 4)
		adjlen = -1;
	pid_t pid = fork();

	if (adjlen > 0 && pid != 0)
		pwrite(oom_adj_fd, adj, adjlen, 0); /* lowered back to where it was: never below its min */

	if (pid < 0)
		return -errno;
	if (pid == 0)
		stub_child();
	struct plat_ctx *c = xcalloc(1, sizeof(*c));
	c->inj_how = -1;
	c->pid = pid;
	c->pidfd = -1;
	c->process = true;
	c->fresh = true;
	c->tgid = pid;
	for (int i = 0; i < STUB_FILES; i++)
		c->files[i].fd = -1;
	HASH_ADD_INT(ctxs, pid, c);
	err = wait_stop(pid, &status);
	if (err) {
		err = err == -ESRCH ? stub_setup_error(status) : err;
		goto fail;
	}
	if (ptrace(PTRACE_SETOPTIONS, pid, 0, STUB_PTRACE_OPTIONS) < 0) {
		err = -errno;
		goto fail;
	}
	/* Run the child's setup until it parks on the int3 of the stub page. */
	for (int sig = 0;;) {
		if (ptrace(PTRACE_CONT, pid, 0, sig) < 0) {
			err = -errno;
			goto fail;
		}
		err = wait_stop(pid, &status);
		if (err) {
			err = err == -ESRCH ? stub_setup_error(status) : err;
			goto fail;
		}
		sig = 0;
		log_debug("new stub %d: stop status %#x", pid, status);
		if (is_seccomp_stop(status))
			continue;
		if (WSTOPSIG(status) == SIGTRAP)
			break;
		if (WSTOPSIG(status) != SIGSTOP)
			sig = WSTOPSIG(status);
	}
	c->stop = STOP_SIGNAL;
	err = plat_get_regs(c, &c->regs);
	if (err)
		goto fail;
	if (c->regs.rip != STUB_PARK + 1) {
		err = -EPROTO;
		goto fail;
	}
	int fdnum = -1;
	if (use_notif) {
		err = take_listener(&fdnum);
		if (err)
			goto fail;
	}
	/* In one stop: empty the address space (everything but the stub page and the
	 * vDSO/vvar), close the listener's socket and the stub's own copy of it, and open a
	 * pidfd of the sentry (for plat_stub_fd; clones inherit it). The vDSO is above the
	 * stub page, or below it where the host's layout is the legacy bottom-up one (a host
	 * RLIMIT_STACK of unlimited). */
	unsigned long k0lo = PLAT_STUB_ADDR, k0hi = PLAT_STUB_ADDR + PLAT_STUB_SIZE;
	unsigned long k1lo = keep_lo ? keep_lo : USER_TOP, k1hi = keep_hi ? keep_hi : USER_TOP;
	if (k1lo < k0lo) {
		unsigned long lo = k0lo, hi = k0hi;
		k0lo = k1lo, k0hi = k1hi, k1lo = lo, k1hi = hi;
	}
	struct { unsigned long lo, hi; } drop[3] = {
		{ PAGE_SIZE, k0lo }, { k0hi, k1lo }, { k1hi, USER_TOP },
	};
	struct plat_call setup[6 + PLAT_STUB_TRIES];
	int n = 0, nunmap;
	for (int i = 0; i < 3; i++)
		n += drop_calls(setup + n, drop[i].lo, drop[i].hi);
	nunmap = n;
	if (use_notif) {
		setup[n++] = (struct plat_call){ .nr = __NR_close, .a = { fdnum } };
		setup[n++] = (struct plat_call){ .nr = __NR_close, .a = { listener_sock[1] } };
	}
	setup[n++] = (struct plat_call){ .nr = __NR_pidfd_open, .a = { getpid() } };
	err = plat_inject_batch(c, setup, n);
	if (err >= 0) {
		/* the unmaps must all have run; a failed close or pidfd_open is not fatal
		 * (the batch stops there: no pidfd then, as when it fails) */
		for (int i = 0; i < nunmap; i++)
			if (setup[i].result < 0) {
				err = setup[i].result == -ECANCELED ? -EPROTO : (int)setup[i].result;
				goto fail;
			}
		c->pidfd = setup[n - 1].result < 0 ? -1 : (int)setup[n - 1].result;
		err = 0;
		/* the places found taken: an outer sandbox's stub page cannot go (its munmap
		 * fails), anything else of the sentry's does */
		unsigned long lo, hi;
		for (int i = 1; plat_reserved(i, &lo, &hi); i++)
			plat_inject(c, __NR_munmap, lo, hi - lo, 0, 0, 0, 0);
	}
	if (err < 0)
		goto fail;
	*out = c;
	return 0;
fail:
	kill(pid, SIGKILL);
	waitpid(pid, &status, __WALL);
	HASH_DEL(ctxs, c);
	free(c);
	return err;
}

/* A thread waiting for the answer to a notification is not in a ptrace stop: to do what
 * needs one, interrupt the wait with a SIGSTOP the sentry swallows. The host then ends the
 * call with -ERESTARTSYS and stops the thread for the signal; from there on the call is
 * handled as a trapped one whose pending call an injection already consumed (every way of
 * finishing it sets the result or restarts it explicitly). Other signals met on the way are
 * kept for the next resume. 0 / -errno (-ESRCH: the thread is gone). */
/* The thread is in a signal-delivery stop for SIGSTOP: is it the platform's own (notif_stop's,
 * SI_QUEUE from nobody), not one sent to the guest (those come as SI_SENTRY or with the
 * sender's virtual pid)? */
static bool
own_stop(struct plat_ctx *ctx)
{
	siginfo_t si;

	if (ptrace(PTRACE_GETSIGINFO, ctx->pid, 0, &si) < 0)
		return true;
	return (si.si_code == SI_QUEUE || si.si_code == SI_USER) && si.si_pid == 0;
}

static int
notif_stop(struct plat_ctx *ctx)
{
	int status, err;

	if (ctx->stop != STOP_NOTIF)
		return 0;
	ctx->stop = STOP_NONE;
	notif_stats.converted++;
	/* (rt_tgsigqueueinfo: the sentry's allowlist has no tgkill; nobody sees this siginfo) */
	siginfo_t stop = { .si_signo = SIGSTOP, .si_code = SI_QUEUE };
	if (syscall(SYS_rt_tgsigqueueinfo, ctx->tgid, ctx->pid, SIGSTOP, &stop) < 0)
		return -errno;
	for (;;) {
		err = wait_stop(ctx->pid, &status);
		if (err)
			return err;
		int sig = WSTOPSIG(status);
		if (sig == SIGSTOP && !(status >> 16) && own_stop(ctx))
			break;
		if (!(status >> 16) && sig != SIGTRAP && sig != (SIGTRAP | 0x80))
			hold_signal(ctx, sig);
		if (ptrace(PTRACE_CONT, ctx->pid, 0, 0) < 0)
			return -errno;
	}
	struct user_regs_struct r;
	if (ptrace(PTRACE_GETREGS, ctx->pid, 0, &r) < 0)
		return -errno;
	/* keep the call as the notification gave it (the registers now say -ERESTARTSYS) */
	r.rax = -ENOSYS;
	r.orig_rax = ctx->regs.orig_rax;
	ctx->regs = r;
	ctx->stop = STOP_SECCOMP;
	ctx->injected = true;
	return 0;
}

static int late_stop(struct plat_ctx *ctx, long result, int *status);
static void note_exit_clock(struct plat_ctx *c);
static void exit_stop(struct plat_ctx *c);

/* The thread is in a signal stop for sig that plat_wait has yet to report. */
static void
defer_report(struct plat_ctx *ctx, int sig)
{
	ctx->stop = STOP_SIGNAL;
	ctx->injected = false;
	ctx->deferred_sig = sig;
	reports++;
}

/* Answers a notification: the call's result, or (SECCOMP_USER_NOTIF_FLAG_CONTINUE) let the
 * host run it. If a signal interrupted the wait first (the answer finds no waiter), the
 * thread is in a signal stop with the call ended by -ERESTARTSYS: the result goes there,
 * and the stop is reported by plat_wait as it would have been. */
static int
notif_send(struct plat_ctx *ctx, long result, uint32_t flags)
{
	struct seccomp_notif_resp resp = { .id = ctx->notif_id, .flags = flags };
	int status, err;

	if (!flags) {
		if (result < 0 && result >= -4095)
			resp.error = (int32_t)result;
		else
			resp.val = result;
	}
	ctx->stop = STOP_NONE;
	ctx->injected = false;
	note_run(ctx);
	if (ioctl(ctx->notif_fd, SECCOMP_IOCTL_NOTIF_SEND, &resp) == 0)
		return 0;
	if (errno != ENOENT)
		return -errno;
	if (flags)
		return 0; /* the host restarts the call or fails it with EINTR, as for any */
	notif_stats.late++;
	err = late_stop(ctx, result, &status);
	if (err)
		return err == 1 ? 0 : err;
	if (ptrace(PTRACE_GETREGS, ctx->pid, 0, &ctx->regs) < 0)
		return -errno;
	ctx->regs.rax = result;
	ctx->regs.orig_rax = -1; /* no restart: the call is done */
	if (ptrace(PTRACE_SETREGS, ctx->pid, 0, &ctx->regs) < 0)
		return -errno;
	defer_report(ctx, WSTOPSIG(status));
	return 0;
}

/* A notification n taken from listener fd: the call of its thread, or NULL (refused). */
static struct plat_ctx *
notif_take(int fd, const struct seccomp_notif *n)
{
	struct plat_ctx *c = ctx_lookup((pid_t)n->pid);

	/* A thread the sentry holds in a call (STOP_NOTIF) that calls again: a signal for its
	 * thread group woke it and another thread took it, so it restarted the call without a
	 * stop. The new notification replaces the old, now gone, and the call is re-run. */
	if (c && c->stop == STOP_NOTIF && !c->injected)
		c->stop = STOP_NONE;
	if (!c || c->stop != STOP_NONE) {
		/* not a stub the sentry runs (or one it thinks stopped): refuse the call */
		struct seccomp_notif_resp resp = { .id = n->id, .error = -ENOSYS };
		log_debug("notification from unexpected thread %u: syscall %d", n->pid, n->data.nr);
		ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
		return NULL;
	}
	memset(&c->regs, 0, sizeof(c->regs));
	c->regs.orig_rax = n->data.nr;
	c->regs.rax = -ENOSYS;
	c->regs.rdi = n->data.args[0];
	c->regs.rsi = n->data.args[1];
	c->regs.rdx = n->data.args[2];
	c->regs.r10 = n->data.args[3];
	c->regs.r8 = n->data.args[4];
	c->regs.r9 = n->data.args[5];
	c->regs.rip = n->data.instruction_pointer;
	c->stop = STOP_NOTIF;
	c->exit_seen = false;
	c->switches++; /* the thread waits for the answer */
	c->injected = false;
	c->restarting = false;
	c->sig_pass = false;
	notif_stats.received++;
	c->notif_id = n->id;
	c->notif_fd = fd;
	note_trap(c);
	return c;
}

/*
 * An answer found no waiter: a signal ended the thread's wait first. Usually the thread
 * then stops for it (0, *status that stop). But a signal for the whole thread group may be
 * taken by another thread before this one looks: then it restarts the call at once, without
 * a stop, and the call comes back as a new notification, which gets this result (the
 * sentry did the call already): 1. Notifications of other threads met meanwhile wait in
 * their contexts for plat_wait (notif_ready). -ESRCH: the thread is gone.
 */
static int
late_stop(struct plat_ctx *ctx, long result, int *status)
{
	for (;;) {
		struct rusage ru;
		pid_t r = wait4(ctx->pid, status, __WALL | WNOHANG, &ru);
		if (r < 0 && errno != EINTR)
			return -errno;
		if (r == ctx->pid) {
			if (WIFEXITED(*status) || WIFSIGNALED(*status)) {
				reports++;
				ctx->dead = true;
				ctx->dead_status = *status;
				ctx->dead_ru = ru;
				return -ESRCH;
			}
			ctx->switches++;
			ctx->stop_ru = ru;
			if (WSTOPSIG(*status) == (SIGTRAP | 0x80)) {
				/* the ended call's exit stop (a guest tracer's): the signal stop follows */
				ptrace(PTRACE_CONT, ctx->pid, 0, 0);
				continue;
			}
			if ((*status >> 16) == PTRACE_EVENT_EXIT) {
				exit_stop(ctx); /* (a fatal signal ended the wait) */
				continue;
			}
			return 0;
		}
		struct pollfd p = { .fd = ctx->notif_fd, .events = POLLIN };
		struct timespec ms = { 0, 1000000 };
		struct seccomp_notif n;
		if (ppoll(&p, 1, &ms, NULL) <= 0)
			continue;
		memset(&n, 0, sizeof(n));
		if (ioctl(ctx->notif_fd, SECCOMP_IOCTL_NOTIF_RECV, &n) < 0)
			continue;
		if ((pid_t)n.pid == ctx->pid && (long)n.data.nr == (long)ctx->regs.orig_rax) {
			struct seccomp_notif_resp resp = { .id = n.id };
			if (result < 0 && result >= -4095)
				resp.error = (int32_t)result;
			else
				resp.val = result;
			ctx->switches++;
			if (ioctl(ctx->notif_fd, SECCOMP_IOCTL_NOTIF_SEND, &resp) == 0)
				return 1;
			continue; /* ended by a signal again */
		}
		struct plat_ctx *c = notif_take(ctx->notif_fd, &n);
		if (c) {
			c->notif_ready = true;
			reports++;
		}
	}
}

/* The next notification on a listener p (from ppoll) says is readable. */
static int
notif_recv(const struct pollfd *p, struct plat_ctx **out, struct plat_event *ev)
{
	for (int i = 0; i < nlisteners; i++) {
		struct seccomp_notif n;
		if (!(p[i].revents & POLLIN))
			continue;
		memset(&n, 0, sizeof(n));
		if (ioctl(listeners[i], SECCOMP_IOCTL_NOTIF_RECV, &n) < 0)
			continue; /* the thread went away meanwhile */
		struct plat_ctx *c = notif_take(listeners[i], &n);
		if (!c)
			continue;
		*out = c;
		memset(ev, 0, sizeof(*ev));
		ev->kind = PLAT_EV_SYSCALL;
		return 0;
	}
	return -EAGAIN;
}

const struct user_regs_struct *
plat_regs(struct plat_ctx *ctx)
{
	return &ctx->regs;
}

int
plat_get_regs(struct plat_ctx *ctx, struct user_regs_struct *r)
{
	int err = notif_stop(ctx);

	if (err)
		return err;
	if (ptrace(PTRACE_GETREGS, ctx->pid, 0, r) < 0)
		return -errno;
	return 0;
}

int
plat_set_regs(struct plat_ctx *ctx, const struct user_regs_struct *r)
{
	int err = notif_stop(ctx);

	if (err)
		return err;
	if (ptrace(PTRACE_SETREGS, ctx->pid, 0, r) < 0)
		return -errno;
	ctx->regs = *r;
	ctx->injected = true; /* the stop no longer holds the guest's own syscall registers */
	return 0;
}

static struct {
	unsigned long calls;
	long long ns;
} inject_stats[512];
static struct {
	unsigned long stops, calls;
	long long ns;
} batch_stats;

void
plat_print_stats(void)
{
	for (int nr = 0; nr < 512; nr++)
		if (inject_stats[nr].calls)
			dprintf(log_fd, "  injected %3d: %6lu calls %8.1f ms\n", nr,
				inject_stats[nr].calls, inject_stats[nr].ns / 1e6);
	if (use_notif)
		dprintf(log_fd, "  notifications: %lu taken, %lu turned into ptrace stops, %lu ended "
			"by a signal while held, %lu answered after a signal\n", notif_stats.received,
			notif_stats.converted, notif_stats.interrupted, notif_stats.late);
	if (spread_stats.spread)
		dprintf(log_fd, "  threads spread to every CPU: %lu, pinned back: %lu\n",
			spread_stats.spread, spread_stats.gathered);
	if (batch_stats.stops)
		dprintf(log_fd, "  injected batches: %lu (%lu calls) %8.1f ms\n", batch_stats.stops,
			batch_stats.calls, batch_stats.ns / 1e6);
}

static long long
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long inject(struct plat_ctx *ctx, long nr, unsigned long a0, unsigned long a1,
		   unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5);

long
plat_inject(struct plat_ctx *ctx, long nr, unsigned long a0, unsigned long a1, unsigned long a2,
	    unsigned long a3, unsigned long a4, unsigned long a5)
{
	long long t0 = now_ns();
	long r = inject(ctx, nr, a0, a1, a2, a3, a4, a5);

	if (nr >= 0 && nr < 512) {
		inject_stats[nr].calls++;
		inject_stats[nr].ns += now_ns() - t0;
	}
	return r;
}

#define TRAP_BIT (1UL << (SIGTRAP - 1))
#define UNBLOCKABLE ((1UL << (SIGKILL - 1)) | (1UL << (SIGSTOP - 1)))

/*
 * An injection ends on the stub's int3, whose SIGTRAP the host forces on the thread: were
 * SIGTRAP blocked there then (glibc and Go block every signal around clone, which is
 * injected; an injected rt_sigprocmask may block it), the host would reset the guest's
 * SIGTRAP action to SIG_DFL and unblock it (Linux force_sig_info_to_task), and the guest's
 * next SIGTRAP (a breakpoint, a kill) would kill it. So SIGTRAP stays unblocked during the
 * run, and the mask it should have is set after (struct trap_fix). An injected
 * rt_sigprocmask gets its set without SIGTRAP, its old set is corrected after, and the
 * mask it means is set through ptrace. (An ignored SIGTRAP is reset the same way: not
 * covered.)
 */
struct trap_fix {
	bool active;
	unsigned long final;       /* the mask after the call */
	unsigned long set_addr, set, old_addr, old;
};

static void
trap_unblock(struct plat_ctx *ctx, struct trap_fix *fx)
{
	unsigned long old, m;

	memset(fx, 0, sizeof(*fx));
	if (ptrace(PTRACE_GETSIGMASK, ctx->pid, sizeof(old), &old) < 0)
		return;
	fx->final = old;
	if (ctx->inj_how >= 0) { /* rt_sigprocmask(how, set, oldset) */
		if (ctx->inj_set) {
			errno = 0;
			long v = ptrace(PTRACE_PEEKDATA, ctx->pid, ctx->inj_set, 0);
			if (errno)
				return; /* a bad set: the call fails with EFAULT, nothing changes */
			fx->set = (unsigned long)v;
			fx->final = ctx->inj_how == SIG_BLOCK     ? old | fx->set
				    : ctx->inj_how == SIG_UNBLOCK ? old & ~fx->set
				    : ctx->inj_how == SIG_SETMASK ? fx->set
								  : old;
			fx->final &= ~UNBLOCKABLE;
		}
		fx->set_addr = ctx->inj_set;
		fx->old_addr = ctx->inj_oldset;
	}
	fx->old = old;
	if (!((old | fx->final) & TRAP_BIT))
		return;
	m = old & ~TRAP_BIT;
	if (ptrace(PTRACE_SETSIGMASK, ctx->pid, sizeof(m), &m) < 0)
		return;
	if (fx->set_addr && (fx->set & TRAP_BIT))
		ptrace(PTRACE_POKEDATA, ctx->pid, fx->set_addr, fx->set & ~TRAP_BIT);
	fx->active = true;
}

static void
trap_reblock(struct plat_ctx *ctx, const struct trap_fix *fx, bool ran)
{
	if (fx->set_addr && (fx->set & TRAP_BIT))
		ptrace(PTRACE_POKEDATA, ctx->pid, fx->set_addr, fx->set);
	if (ran && fx->old_addr) /* it saw the mask without SIGTRAP */
		ptrace(PTRACE_POKEDATA, ctx->pid, fx->old_addr, fx->old);
	unsigned long m = ran ? fx->final : fx->old;
	ptrace(PTRACE_SETSIGMASK, ctx->pid, sizeof(m), &m);
}

static int run_injected_trap(struct plat_ctx *ctx, long nr, unsigned long stop,
			     struct user_regs_struct *r);

/* Runs the stopped stub, registers already set for an injection, until its int3 before
 * stop (rip one past it); *r: the registers then. 0 / -errno. */
static int
run_injected(struct plat_ctx *ctx, long nr, unsigned long stop, struct user_regs_struct *r)
{
	struct trap_fix fx;

	trap_unblock(ctx, &fx);
	int err = run_injected_trap(ctx, nr, stop, r);
	if (fx.active && err != -ESRCH)
		trap_reblock(ctx, &fx, !err && (ctx->inj_how < 0 || (long)r->rax == 0));
	ctx->inj_how = -1;
	ctx->inj_set = ctx->inj_oldset = 0;
	return err;
}

static int
run_injected_trap(struct plat_ctx *ctx, long nr, unsigned long stop, struct user_regs_struct *r)
{
	int status, err;
	bool fault = false;

	ctx->injected = true;
	ctx->call_switches = ctx->switches;
	for (;;) {
		if (ptrace(PTRACE_CONT, ctx->pid, 0, 0) < 0)
			return -errno;
		err = wait_stop(ctx->pid, &status);
		if (err)
			return err;
		if (is_seccomp_stop(status)) {
			/* the injected call itself: let the host run it (after this stop) */
			ctx->call_switches = ctx->switches;
			continue;
		}
		int sig = WSTOPSIG(status);
		if (sig == SIGTRAP) {
			if (ptrace(PTRACE_GETREGS, ctx->pid, 0, r) < 0)
				return -errno;
			log_debug("inject %ld into %d: SIGTRAP at %#llx rax %#llx", nr, ctx->pid, r->rip, r->rax);
			if (r->rip == stop + 1)
				break;
		} else if (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL) {
			/* The injected call cannot run: the stub page is gone or broken. */
			ptrace(PTRACE_GETREGS, ctx->pid, 0, r);
			if (stop == STUB_CMPXCHG_DONE && r->rip == STUB_CMPXCHG && sig != SIGILL) {
				/* the guest's word is not writable memory: its fault, not ours
				 * (the signal is dropped: the next resume passes none) */
				fault = true;
				break;
			}
			log_err("stub %d: signal %d during injection of %ld at %#llx", ctx->pid, sig, nr, r->rip);
			kill(ctx->pid, SIGKILL);
			return -EFAULT;
		} else if (sig != SIGSTOP || !own_stop(ctx)) {
			/* Hold it: delivered when the guest resumes (a SIGSTOP too, unless it
			 * is notif_stop's own: a tracer's PTRACE_ATTACH or a kill sent it). */
			hold_signal(ctx, sig);
		}
	}
	/* The thread is now in a signal stop; a seccomp stop stays one for the callers
	 * (ctx->injected tells that its pending call was consumed). */
	if (ctx->stop != STOP_SECCOMP)
		ctx->stop = STOP_SIGNAL;
	/* Put the guest's registers back (rax gets the real result on return). */
	if (ptrace(PTRACE_SETREGS, ctx->pid, 0, &ctx->regs) < 0)
		return -errno;
	return fault ? -EFAULT : 0;
}

int
plat_cmpxchg32(struct plat_ctx *ctx, unsigned long addr, uint32_t *expected, uint32_t desired)
{
	struct user_regs_struct r;
	int err;

	if (addr & 3)
		return -EINVAL;
	if (addr >= USER_TOP - 4 || (addr + 4 > PLAT_STUB_ADDR && addr < PLAT_STUB_ADDR + PLAT_STUB_SIZE))
		return -EFAULT;
	err = notif_stop(ctx);
	if (err)
		return err;
	r = ctx->regs;
	BUG_ON(ctx->stop == STOP_NONE);
	r.orig_rax = -1; /* from a seccomp stop: skip the guest's pending call first */
	r.rip = STUB_CMPXCHG;
	r.rax = *expected;
	r.rdi = addr;
	r.rsi = desired;
	if (ptrace(PTRACE_SETREGS, ctx->pid, 0, &r) < 0)
		return -errno;
	err = run_injected(ctx, -1, STUB_CMPXCHG_DONE, &r);
	if (err)
		return err;
	bool swapped = (uint32_t)r.rax == *expected;
	*expected = (uint32_t)r.rax;
	return swapped ? 0 : -EAGAIN;
}

static long
inject(struct plat_ctx *ctx, long nr, unsigned long a0, unsigned long a1, unsigned long a2,
       unsigned long a3, unsigned long a4, unsigned long a5)
{
	struct user_regs_struct r;
	int err = notif_stop(ctx);

	if (err)
		return err;
	r = ctx->regs;
	BUG_ON(ctx->stop == STOP_NONE);
	/* From a seccomp stop, orig_rax = -1 skips the guest's pending call first. */
	r.orig_rax = -1;
	r.rax = nr;
	r.rip = STUB_SYSCALL;
	r.rdi = a0;
	r.rsi = a1;
	r.rdx = a2;
	r.r10 = a3;
	r.r8 = a4;
	r.r9 = a5;
	/* The stub filter lets these run without a stop when they carry the token. */
	if (nr == __NR_mmap)
		r.r8 = (uint32_t)a4 | (inject_token & ~0xffffffffUL);
	else if (stub_token_call(nr))
		r.r9 = inject_token;
	if (ptrace(PTRACE_SETREGS, ctx->pid, 0, &r) < 0)
		return -errno;
	ctx->inj_how = nr == __NR_rt_sigprocmask ? (int)a0 : -1;
	ctx->inj_set = nr == __NR_rt_sigprocmask ? a1 : 0;
	ctx->inj_oldset = nr == __NR_rt_sigprocmask ? a2 : 0;
	err = run_injected(ctx, nr, STUB_AFTER, &r);
	return err ? err : (long)r.rax;
}

/* An mmap that succeeded: its file may be mapped executable from now on (is_exec_ok). */
static void note_exec_ok(unsigned long dev, unsigned long ino, int prot);

/*
 * A batch runs in the stub's loop (stub_code) over records in the scratch page, with one
 * stop at its end. The records are guest-writable memory: only while no guest code can
 * run in the address space (ctx->fresh) may the stub read its calls from there; the token
 * stays in registers either way.
 */
int
plat_inject_batch(struct plat_ctx *ctx, struct plat_call *calls, int n)
{
	struct batch_rec rec[PLAT_BATCH_MAX];
	struct user_regs_struct r;
	int ran = 0, err;

	if (n <= 0 || n > PLAT_BATCH_MAX)
		return -EINVAL;
	for (int i = 0; i < n; i++) {
		if (calls[i].nr != __NR_mmap && !stub_token_call(calls[i].nr))
			return -EINVAL;
		calls[i].result = -ECANCELED;
	}
	if (!ctx->fresh || n == 1) {
		for (; ran < n; ran++) {
			const unsigned long *a = calls[ran].a;
			calls[ran].result = plat_inject(ctx, calls[ran].nr, a[0], a[1], a[2], a[3],
							a[4], a[5]);
			if (calls[ran].result < 0) {
				ran++;
				break;
			}
			if (calls[ran].nr == __NR_mmap)
				note_exec_ok(calls[ran].dev, calls[ran].ino, a[2]);
		}
		return ran;
	}
	long long t0 = now_ns();
	for (int i = 0; i < n; i++) {
		rec[i].nr = calls[i].nr;
		memcpy(rec[i].a, calls[i].a, sizeof(rec[i].a));
		rec[i].result = 0;
	}
	err = notif_stop(ctx);
	if (err)
		return err;
	BUG_ON(ctx->stop == STOP_NONE);
	/* a queued plat_set_mm_map_later goes last (its struct in the scratch page too) */
	int total = n;
	if (ctx->mm_map_queued && n < PLAT_BATCH_MAX) {
		struct iovec ml = { .iov_base = &ctx->mm_map, .iov_len = sizeof(ctx->mm_map) };
		struct iovec mr = { .iov_base = (void *)MM_MAP_SCRATCH, .iov_len = ml.iov_len };
		if (process_vm_writev(ctx->pid, &ml, 1, &mr, 1, 0) == (ssize_t)ml.iov_len) {
			rec[n] = (struct batch_rec){ .nr = __NR_prctl,
				.a = { PR_SET_MM, PR_SET_MM_MAP, MM_MAP_SCRATCH, sizeof(ctx->mm_map) } };
			total++;
		}
	}
	struct iovec local = { .iov_base = rec, .iov_len = total * sizeof(rec[0]) };
	struct iovec remote = { .iov_base = (void *)BATCH_RECORDS, .iov_len = local.iov_len };
	if (process_vm_writev(ctx->pid, &local, 1, &remote, 1, 0) != (ssize_t)local.iov_len)
		return -EFAULT;
	r = ctx->regs;
	r.orig_rax = -1;
	r.rip = STUB_BATCH;
	r.rbx = BATCH_RECORDS;
	r.r12 = total;
	r.r13 = inject_token;
	r.r14 = inject_token & ~0xffffffffUL;
	if (ptrace(PTRACE_SETREGS, ctx->pid, 0, &r) < 0)
		return -errno;
	err = run_injected(ctx, calls[0].nr, STUB_BATCH_DONE, &r);
	if (!err && process_vm_readv(ctx->pid, &local, 1, &remote, 1, 0) != (ssize_t)local.iov_len)
		err = -EFAULT;
	if (err)
		return err;
	/* The loop stopped at record rbx: after a failure there, with r12 calls left. */
	ran = (int)((r.rbx - BATCH_RECORDS) / sizeof(rec[0])) + (r.r12 ? 1 : 0);
	if (ran > total)
		return -EPROTO;
	if (total > n && ran == total) {
		ctx->mm_map_queued = false;
		ctx->mm_map_ran = true;
		ctx->mm_map_result = rec[n].result;
	}
	ran = MIN(ran, n);
	for (int i = 0; i < ran; i++) {
		calls[i].result = rec[i].result;
		if (calls[i].nr == __NR_mmap && rec[i].result >= 0)
			note_exec_ok(calls[i].dev, calls[i].ino, calls[i].a[2]);
	}
	batch_stats.stops++;
	batch_stats.calls += ran;
	batch_stats.ns += now_ns() - t0;
	return ran;
}

/*
 * Runs clone(2) in the parent stub. The new host process or thread is attached by ptrace
 * from birth (CLONE_PTRACE: the parent's tracer, options and all) and starts stopped; it gets a context of its own, whose
 * registers the caller sets before resuming it. Process clones carry CLONE_PARENT, so every
 * stub is a host child of the sentry, which reaps it.
 */
int
plat_clone(struct plat_ctx *parent, unsigned long flags, unsigned long stack,
	   unsigned long child_tid, unsigned long tls, struct plat_ctx **out)
{
	int status;
	long pid = plat_inject(parent, __NR_clone, flags | CLONE_PTRACE, stack, 0, child_tid, tls,
			       0);

	if (pid < 0)
		return pid;
	/* Its first stop is the SIGSTOP of an auto-attached tracee. */
	for (;;) {
		if (waitpid(pid, &status, __WALL) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (WIFEXITED(status) || WIFSIGNALED(status))
			return -ESRCH;
		if (WIFSTOPPED(status))
			break;
	}
	struct plat_ctx *c = xcalloc(1, sizeof(*c));
	c->inj_how = -1;
	c->pid = pid;
	c->pidfd = parent->pidfd; /* the fd table was copied (or is shared) */
	c->process = !(flags & CLONE_THREAD);
	c->tgid = c->process ? pid : parent->tgid;
	c->fresh = c->process && !(flags & CLONE_VM);
	c->spread = parent->spread;     /* the host gave it the parent's affinity */
	c->exit_clock_wanted = parent->exit_clock_wanted; /* and its ptrace options */
	memcpy(c->files, parent->files, sizeof(c->files));
	c->files_next = parent->files_next;
	c->zgen = parent->zgen;
	c->nz = parent->nz;
	c->stop = STOP_SIGNAL;
	c->switches = 1; /* that first stop */
	HASH_ADD_INT(ctxs, pid, c);
	if (ptrace(PTRACE_GETREGS, pid, 0, &c->regs) < 0) {
		int err = -errno;
		plat_release(c);
		return err;
	}
	/* the clone ran with SIGTRAP unblocked (trap_unblock), and the child took that mask:
	 * it gets the parent's own, as the guest's clone would have given it */
	unsigned long m;
	if (ptrace(PTRACE_GETSIGMASK, parent->pid, sizeof(m), &m) == 0 && (m & TRAP_BIT))
		ptrace(PTRACE_SETSIGMASK, pid, sizeof(m), &m);
	*out = c;
	return 0;
}

/*
 * Maps a host file the sentry holds (hostfd) into the stub for real, sharing the page cache
 * instead of copying: the stub fetches the fd with pidfd_getfd (an injected call; the guest's
 * own pidfd_getfd is denied by the syscall table) and keeps the last few, keyed by the file's
 * identity, so mapping the segments of one library costs one injection each.
 */
/* Counts fetches of a host file; at the second, the zygote gets an fd of it too (not for
 * memfds: tmpfs contents must not outlive their file). */
static void
promote(int hostfd, unsigned long dev, unsigned long ino, bool wr)
{
	struct stub_file *s = NULL;

	if (!zygote || zygote->pidfd < 0 || nzfiles == ZYGOTE_FILES)
		return;
	for (int i = 0; i < SEEN_FILES && !s; i++)
		if (seen[i].count && seen[i].dev == dev && seen[i].ino == ino && seen[i].wr == wr)
			s = &seen[i];
	if (!s) {
		s = &seen[seen_next++ % SEEN_FILES];
		*s = (struct stub_file){ .dev = dev, .ino = ino, .count = 0, .wr = wr };
	}
	if (++s->count < 2 || fcntl(hostfd, F_GET_SEALS) >= 0)
		return;
	long fd = plat_inject(zygote, __NR_pidfd_getfd, zygote->pidfd, hostfd, 0, 0, 0, 0);
	if (fd >= 0) {
		zfiles[nzfiles++] = (struct stub_file){ .dev = dev, .ino = ino, .fd = fd, .wr = wr };
		zygote->nz = nzfiles;
	}
}

/* The stub's fd for a host file the sentry holds, fetched once per file (dev, ino) and
 * access: one file may come as a read-only fd and as a writable one (a --rw mount's file
 * opened both ways), and a shared writable mapping of the second must not get the first
 * (the host would say EACCES). */
static long
stub_file_fd(struct plat_ctx *ctx, int hostfd, unsigned long dev, unsigned long ino)
{
	int fl = fcntl(hostfd, F_GETFL);
	bool wr = fl >= 0 && (fl & O_ACCMODE) == O_RDWR;
	long fd, r;

	if (ctx->zgen && ctx->zgen == zgen)
		for (int i = 0; i < ctx->nz; i++)
			if (zfiles[i].dev == dev && zfiles[i].ino == ino && zfiles[i].wr == wr)
				return zfiles[i].fd;
	for (int i = 0; i < STUB_FILES; i++)
		if (ctx->files[i].fd >= 0 && ctx->files[i].dev == dev &&
		    ctx->files[i].ino == ino && ctx->files[i].wr == wr)
			return ctx->files[i].fd;
	promote(hostfd, dev, ino, wr);
	if (ctx->pidfd < 0) {
		r = plat_inject(ctx, __NR_pidfd_open, getpid(), 0, 0, 0, 0, 0);
		if (r < 0)
			return r;
		ctx->pidfd = r;
	}
	fd = plat_inject(ctx, __NR_pidfd_getfd, ctx->pidfd, hostfd, 0, 0, 0, 0);
	if (fd < 0)
		return fd;
	int slot = ctx->files_next++ % STUB_FILES;
	if (ctx->files[slot].fd >= 0)
		plat_inject(ctx, __NR_close, ctx->files[slot].fd, 0, 0, 0, 0, 0);
	ctx->files[slot].dev = dev;
	ctx->files[slot].ino = ino;
	ctx->files[slot].fd = fd;
	ctx->files[slot].wr = wr;
	return fd;
}

/* Files the host let a stub map executable (not on a noexec mount). */
static struct {
	unsigned long dev, ino;
} exec_ok[32];
static unsigned exec_ok_next;

static bool
is_exec_ok(unsigned long dev, unsigned long ino)
{
	for (size_t i = 0; i < ARRAY_SIZE(exec_ok); i++)
		if (exec_ok[i].ino == ino && exec_ok[i].dev == dev && ino)
			return true;
	return false;
}

long
plat_map_host_fd(struct plat_ctx *ctx, int hostfd, unsigned long dev, unsigned long ino,
		 unsigned long addr, size_t len, int prot, int flags, off_t off)
{
	long fd = stub_file_fd(ctx, hostfd, dev, ino);

	if (fd < 0)
		return fd;
	long r = plat_inject(ctx, __NR_mmap, addr, len, prot, flags, fd, off);
	if (r >= 0)
		note_exec_ok(dev, ino, prot);
	return r;
}

static void
note_exec_ok(unsigned long dev, unsigned long ino, int prot)
{
	if ((prot & PROT_EXEC) && ino && !is_exec_ok(dev, ino)) {
		exec_ok[exec_ok_next % ARRAY_SIZE(exec_ok)].dev = dev;
		exec_ok[exec_ok_next++ % ARRAY_SIZE(exec_ok)].ino = ino;
	}
}

/*
 * The struct goes to the batch records (the scratch page) and the stub reads it there: only
 * while no guest code can run in the address space, or a guest thread could change it in
 * between (the stub's break must be the sentry's: a host brk shrinking from a break the
 * sentry does not know could unmap what it never allowed).
 */
/* The calls of more that did not run (-ECANCELED), one by one. */
static void
run_rest(struct plat_ctx *ctx, struct plat_call *more, int n)
{
	for (int i = 0; i < n; i++)
		if (more[i].result == -ECANCELED)
			more[i].result = plat_inject(ctx, more[i].nr, more[i].a[0], more[i].a[1],
						     more[i].a[2], more[i].a[3], more[i].a[4],
						     more[i].a[5]);
}

/* May m go to the stub (plat_set_mm_map)? 0 / -errno. */
static int
mm_map_allowed(struct plat_ctx *ctx, const struct prctl_mm_map *m)
{
	static int data_limited = -1;
	struct rlimit rl;

	if (data_limited < 0)
		data_limited = getrlimit(RLIMIT_DATA, &rl) < 0 || rl.rlim_cur != RLIM_INFINITY;
	if (data_limited)
		return -ENOSYS;
	if (!ctx->fresh || m->auxv_size || m->exe_fd != (uint32_t)-1)
		return -EBUSY;
	return 0;
}

void
plat_set_mm_map_later(struct plat_ctx *ctx, const struct prctl_mm_map *m)
{
	ctx->mm_map = *m;
	ctx->mm_map_queued = mm_map_allowed(ctx, m) == 0;
	ctx->mm_map_ran = false;
}

int
plat_set_mm_map(struct plat_ctx *ctx, const struct prctl_mm_map *m, struct plat_call *more,
		int n)
{
	struct plat_call calls[PLAT_BATCH_MAX];
	int err;

	if (n < 0 || n > PLAT_BATCH_MAX - 1)
		return -EINVAL;
	for (int i = 0; i < n; i++)
		more[i].result = -ECANCELED;
	bool done = ctx->mm_map_ran && !memcmp(&ctx->mm_map, m, sizeof(*m));
	ctx->mm_map_queued = ctx->mm_map_ran = false;
	if (done) {
		/* a batch ran it already (or refused it: then it is not tried twice) */
		if (n && plat_inject_batch(ctx, more, n) >= 0)
			run_rest(ctx, more, n);
		return ctx->mm_map_result < 0 ? (int)ctx->mm_map_result : 0;
	}
	err = mm_map_allowed(ctx, m);
	if (!err)
		err = notif_stop(ctx);
	struct iovec local = { .iov_base = (void *)m, .iov_len = sizeof(*m) };
	struct iovec remote = { .iov_base = (void *)MM_MAP_SCRATCH, .iov_len = sizeof(*m) };
	if (!err && process_vm_writev(ctx->pid, &local, 1, &remote, 1, 0) != (ssize_t)sizeof(*m))
		err = -EFAULT;
	if (err) {
		if (n && plat_inject_batch(ctx, more, n) >= 0)
			run_rest(ctx, more, n);
		return err;
	}
	calls[0] = (struct plat_call){ .nr = __NR_prctl,
				       .a = { PR_SET_MM, PR_SET_MM_MAP, MM_MAP_SCRATCH, sizeof(*m) } };
	if (n)
		memcpy(calls + 1, more, n * sizeof(*more));
	int ran = plat_inject_batch(ctx, calls, n + 1);
	if (ran < 0)
		return ran;
	for (int i = 0; i < n; i++)
		more[i].result = calls[i + 1].result;
	run_rest(ctx, more, n); /* after a refusal, or a failure among them */
	return calls[0].result < 0 ? (int)calls[0].result : 0;
}

/* Stacks filter prog on every thread of ctx's stub process (TSYNC). 0 / -errno. */
static int
load_filter(struct plat_ctx *ctx, const struct sock_fprog *prog)
{
	/* the header, then the program, in the scratch page below the mm map's record */
	size_t size = prog->len * sizeof(struct sock_filter);
	struct sock_fprog remote_hdr = { .len = prog->len,
					 .filter = (struct sock_filter *)(PLAT_STUB_SCRATCH + 16) };
	BUG_ON(16 + size > MM_MAP_SCRATCH - PLAT_STUB_SCRATCH);
	struct iovec local[2] = { { &remote_hdr, sizeof(remote_hdr) }, { prog->filter, size } };
	struct iovec remote[2] = { { (void *)PLAT_STUB_SCRATCH, sizeof(remote_hdr) },
				   { (void *)(PLAT_STUB_SCRATCH + 16), size } };
	int err = notif_stop(ctx);
	if (!err && process_vm_writev(ctx->pid, local, 2, remote, 2, 0) !=
			    (ssize_t)(sizeof(remote_hdr) + size))
		err = -EFAULT;
	if (err)
		return err;
	long r = plat_inject(ctx, __NR_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC,
			     PLAT_STUB_SCRATCH, 0, 0, 0);
	return r < 0 ? (int)r : r > 0 ? -EBUSY : 0; /* (TSYNC: a thread that could not follow) */
}

int
plat_trace_all(struct plat_ctx *ctx)
{
	struct sock_fprog prog;
	int err = stub_trace_all_build(inject_token, &prog);

	if (err)
		return err;
	err = load_filter(ctx, &prog);
	free(prog.filter);
	return err;
}

/* The offset of dynamic symbol name in the vDSO image at base (the sentry's own, which every
 * stub has at the same address), or 0 when it has none. */
static unsigned long
vdso_symbol(unsigned long base, const char *name)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)base;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(base + eh->e_phoff);
	const Elf64_Shdr *sh = (const Elf64_Shdr *)(base + eh->e_shoff);
	unsigned long load = 0;

	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) || !eh->e_shoff)
		return 0;
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD) {
			load = ph[i].p_vaddr - ph[i].p_offset;
			break;
		}
	for (int i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_type != SHT_DYNSYM || sh[i].sh_link >= eh->e_shnum)
			continue;
		const Elf64_Sym *sym = (const Elf64_Sym *)(base + sh[i].sh_offset);
		const char *str = (const char *)(base + sh[sh[i].sh_link].sh_offset);
		for (size_t j = 0; j < sh[i].sh_size / sizeof(*sym); j++)
			if (sym[j].st_value && !strcmp(str + sym[j].st_name, name))
				return sym[j].st_value - load;
	}
	return 0;
}

int
plat_trace_clocks(struct plat_ctx *ctx, bool vdso)
{
	/* mov $__NR_clock_gettime,%eax; syscall; ret: the arguments are where the call wants them,
	 * and %rcx, %r11 are the caller's to lose */
	static const unsigned char code[8] = { 0xb8, __NR_clock_gettime, 0, 0, 0, 0x0f, 0x05, 0xc3 };
	struct sock_fprog prog = { .len = stub_timens_filter.len,
				   .filter = (struct sock_filter *)stub_timens_filter.insns };
	unsigned long off = vdso && info.vdso_base ? vdso_symbol(info.vdso_base,
								 "__vdso_clock_gettime") : 0;
	unsigned long word;

	_Static_assert(__NR_clock_gettime < 256, "one byte");
	int err = load_filter(ctx, &prog);
	if (err || !off)
		return err;
	/* the vDSO's page becomes the process's own copy (as for a debugger's breakpoint) */
	memcpy(&word, code, sizeof(word));
	if (ptrace(PTRACE_POKEDATA, ctx->pid, info.vdso_base + off, word) < 0)
		return -errno;
	return 0;
}

int
plat_trace_madvise(struct plat_ctx *ctx)
{
	struct sock_fprog prog = { .len = stub_mlock_filter.len,
				   .filter = (struct sock_filter *)stub_mlock_filter.insns };

	return load_filter(ctx, &prog);
}

long
plat_stub_fd(struct plat_ctx *ctx, int hostfd, unsigned long dev, unsigned long ino, bool exec)
{
	if (exec && !is_exec_ok(dev, ino))
		return -ENOSYS;
	return stub_file_fd(ctx, hostfd, dev, ino);
}

int
plat_pending_signal(struct plat_ctx *ctx)
{
	return ctx->nheld ? ctx->held[0].sig : 0;
}

int
plat_take_held_signal(struct plat_ctx *ctx, siginfo_t *si)
{
	if (!ctx->nheld)
		return 0;
	int sig = ctx->held[0].sig;
	*si = ctx->held[0].info;
	drop_held(ctx, 0);
	return sig;
}

int
plat_debugreg(struct plat_ctx *ctx, int n, bool set, unsigned long *value)
{
	unsigned long off = offsetof(struct user, u_debugreg) + (unsigned long)n * 8;
	int err = notif_stop(ctx);

	if (err)
		return err;
	if (n < 0 || n > 7)
		return -EIO;
	if (set)
		return ptrace(PTRACE_POKEUSER, ctx->pid, off, *value) < 0 ? -errno : 0;
	errno = 0;
	long v = ptrace(PTRACE_PEEKUSER, ctx->pid, off, 0);
	if (errno)
		return -errno;
	*value = (unsigned long)v;
	return 0;
}

int
plat_signals_queued(struct plat_ctx *ctx)
{
	struct __ptrace_peeksiginfo_args a = { .off = 0, .nr = 1 };
	siginfo_t si;
	int err = notif_stop(ctx);

	if (err)
		return err;
	for (int shared = 0; shared < 2; shared++) {
		a.flags = shared ? PTRACE_PEEKSIGINFO_SHARED : 0;
		long n = ptrace(PTRACE_PEEKSIGINFO, ctx->pid, &a, &si);
		if (n < 0)
			return -errno;
		if (n > 0)
			return 1;
	}
	return 0;
}

/* Is a signal the thread does not block queued for it or for its process? (In a ptrace
 * stop; peeked, not taken.) */
static bool
unblocked_pending(struct plat_ctx *ctx)
{
	siginfo_t si[8];
	unsigned long mask;

	if (ptrace(PTRACE_GETSIGMASK, ctx->pid, sizeof(mask), &mask) < 0)
		return false;
	for (int shared = 0; shared < 2; shared++) {
		struct __ptrace_peeksiginfo_args a = {
			.flags = shared ? PTRACE_PEEKSIGINFO_SHARED : 0, .nr = 8,
		};
		long n;

		for (; (n = ptrace(PTRACE_PEEKSIGINFO, ctx->pid, &a, si)) > 0; a.off += n)
			for (long i = 0; i < n; i++)
				if (!(mask & (1UL << (si[i].si_signo - 1))))
					return true;
	}
	return false;
}

static int
resume(struct plat_ctx *ctx, int sig)
{
	int err = notif_stop(ctx);

	if (err)
		return err;
	if (ctx->trace_syscalls && !ctx->sysemu && ctx->stop == STOP_SECCOMP && ctx->injected &&
	    !ctx->exit_seen) {
		/* the call ran (or was ended) by the sentry, not the host: the host has no exit
		 * stop to give, so the guest tracer's comes from here (the resume after it runs) */
		ctx->stop = STOP_SIGNAL;
		ctx->exit_due = true;
		reports++;
		return 0;
	}
	if (ctx->stop == STOP_SECCOMP && ctx->injected)
		ctx->exit_seen = false;
	if (ctx->hold_sig) {
		/* the interrupted call is finished: now the signal stop, as the host made it */
		/* (an injection meanwhile may have left the thread in another stop) */
		ptrace(PTRACE_SETSIGINFO, ctx->pid, 0, &ctx->hold_info);
		defer_report(ctx, ctx->hold_sig);
		ctx->hold_sig = 0;
		return 0;
	}
	/* (not given with this resume: from a stop that is no signal-delivery stop, such as
	 * the one after plat_step_signal, the host would drop it) */
	requeue_held(ctx);
	/* No signal for a call the host has yet to restart (-ERESTARTSYS): a stop signal's
	 * stop ended by SIGCONT, a dropped signal. The host takes what else is pending (a
	 * SIGTERM sent while it was stopped) before it restarts the call, as Linux does:
	 * those stops find a call the sentry took, not one it never saw (host_event). (A
	 * call's exit stop that showed the sentry never took it, exit_seen, stays so.) */
	ctx->sig_pass = !sig && ctx->stop == STOP_SIGNAL && !ctx->exit_seen &&
			(long)ctx->regs.rax == RAX_ERESTARTSYS && unblocked_pending(ctx);
	ctx->fresh = false;
	note_run(ctx);
	int req = !ctx->trace_syscalls ? PTRACE_CONT : ctx->sysemu ? PTRACE_SYSEMU : PTRACE_SYSCALL;
	if (ptrace(req, ctx->pid, 0, sig) < 0)
		return -errno;
	ctx->stop = STOP_NONE;
	ctx->injected = false;
	return 0;
}

void
plat_trace_syscalls(struct plat_ctx *ctx, bool on)
{
	ctx->trace_syscalls = on;
}

void
plat_trace_sysemu(struct plat_ctx *ctx, bool on)
{
	ctx->sysemu = on;
}

int
plat_step_signal(struct plat_ctx *ctx, int sig, struct user_regs_struct *r)
{
	int status, err = notif_stop(ctx);

	if (err)
		return err;
	BUG_ON(ctx->stop == STOP_NONE);
	take_held(ctx, sig);
	ctx->fresh = false;
	if (ptrace(PTRACE_SINGLESTEP, ctx->pid, 0, sig) < 0)
		return -errno;
	ctx->stop = STOP_NONE;
	ctx->injected = false;
	err = wait_stop(ctx->pid, &status);
	if (err)
		return err;
	ctx->stop = STOP_SIGNAL;
	if (WSTOPSIG(status) != SIGTRAP && !is_seccomp_stop(status))
		hold_signal(ctx, WSTOPSIG(status)); /* another signal: delivered at the resume */
	if (ptrace(PTRACE_GETREGS, ctx->pid, 0, &ctx->regs) < 0)
		return -errno;
	*r = ctx->regs;
	return 0;
}

int
plat_syscall_set_result(struct plat_ctx *ctx, long result)
{
	int err = notif_stop(ctx);

	if (err)
		return err;
	BUG_ON(ctx->stop == STOP_NONE);
	ctx->regs.rax = result;
	ctx->regs.orig_rax = -1; /* skip the host call; no restart logic */
	if (ptrace(PTRACE_SETREGS, ctx->pid, 0, &ctx->regs) < 0)
		return -errno;
	return 0;
}

int
plat_syscall_return(struct plat_ctx *ctx, long result)
{
	if (ctx->stop == STOP_NOTIF)
		return notif_send(ctx, result, 0);
	int err = plat_syscall_set_result(ctx, result);

	return err ? err : resume(ctx, 0);
}

int
plat_syscall_restart(struct plat_ctx *ctx)
{
	int err = notif_stop(ctx);

	if (err)
		return err;
	BUG_ON(ctx->stop == STOP_NONE);
	/* Still in the seccomp stop, the host would run the pending call when resumed. A
	 * harmless injected call consumes it and leaves the thread in a signal stop, where
	 * rax = -ERESTARTSYS with orig_rax intact is what the host's signal delivery turns
	 * into a restart (SA_RESTART) or EINTR. */
	if (ctx->stop == STOP_SECCOMP && !ctx->injected) {
		long r = plat_inject(ctx, __NR_getpid, 0, 0, 0, 0, 0, 0);
		if (r < 0)
			return (int)r;
	}
	ctx->regs.rax = RAX_ERESTARTSYS; /* orig_rax keeps the number for the restart */
	ctx->restarting = true;
	if (ptrace(PTRACE_SETREGS, ctx->pid, 0, &ctx->regs) < 0)
		return -errno;
	return resume(ctx, 0);
}

int
plat_get_sigmask(struct plat_ctx *ctx, unsigned long *mask)
{
	int err = notif_stop(ctx);

	if (err)
		return err;
	if (ptrace(PTRACE_GETSIGMASK, ctx->pid, sizeof(*mask), mask) < 0)
		return -errno;
	return 0;
}

int
plat_set_sigmask(struct plat_ctx *ctx, unsigned long mask)
{
	int err = notif_stop(ctx);

	if (err)
		return err;
	if (ptrace(PTRACE_SETSIGMASK, ctx->pid, sizeof(mask), &mask) < 0)
		return -errno;
	return 0;
}

int
plat_syscall_set_args(struct plat_ctx *ctx, const unsigned long args[6])
{
	int err = notif_stop(ctx);

	if (err)
		return err;
	BUG_ON(ctx->stop != STOP_SECCOMP);
	ctx->regs.rdi = args[0];
	ctx->regs.rsi = args[1];
	ctx->regs.rdx = args[2];
	ctx->regs.r10 = args[3];
	ctx->regs.r8 = args[4];
	ctx->regs.r9 = args[5];
	if (ctx->injected)
		return 0; /* plat_syscall_native re-runs the call from ctx->regs */
	if (ptrace(PTRACE_SETREGS, ctx->pid, 0, &ctx->regs) < 0)
		return -errno;
	return 0;
}

int
plat_syscall_native(struct plat_ctx *ctx)
{
	if (ctx->stop == STOP_NOTIF)
		return notif_send(ctx, 0, SECCOMP_USER_NOTIF_FLAG_CONTINUE);
	BUG_ON(ctx->stop != STOP_SECCOMP);
	if (ctx->injected) {
		/* The pending call was consumed by an injection: run it again the same way. */
		long r = plat_inject(ctx, ctx->regs.orig_rax, ctx->regs.rdi, ctx->regs.rsi,
				     ctx->regs.rdx, ctx->regs.r10, ctx->regs.r8, ctx->regs.r9);
		return plat_syscall_return(ctx, r);
	}
	return resume(ctx, 0);
}

int
plat_resume(struct plat_ctx *ctx, int sig)
{
	return resume(ctx, sig);
}

static unsigned long
tv_us(struct timeval tv)
{
	return tv.tv_sec * 1000000UL + tv.tv_usec;
}

/* User plus system time of a host rusage, ns. */
static unsigned long long
ru_cpu_ns(const struct rusage *ru)
{
	return (tv_us(ru->ru_utime) + tv_us(ru->ru_stime)) * 1000ULL;
}

static void
mark_exited(struct plat_ctx *c, struct plat_event *ev, int status, const struct rusage *ru)
{
	c->dead_ru = *ru; /* for plat_exit_rusage */
	memset(ev, 0, sizeof(*ev));
	ev->kind = PLAT_EV_EXIT;
	ev->status = status;
	ev->user_us = tv_us(ru->ru_utime);
	ev->sys_us = tv_us(ru->ru_stime);
	ev->maxrss_kb = ru->ru_maxrss > 0 ? (unsigned long)ru->ru_maxrss : 0;
	/* A leader is reported after its other threads: the whole process's time. */
	if (c->process)
		gone_cpu_ns += ru_cpu_ns(ru);
	c->stop = STOP_NONE;
	HASH_DEL(ctxs, c);
	c->pid = -c->pid; /* gone: keep it out of lookups and kills */
}

/* A thread of c's process stops as it exits (PTRACE_O_TRACEEXIT: plat_set_rlimit): the
 * process clocks now, nearly their last values, go to its leader's context. */
static void
note_exit_clock(struct plat_ctx *c)
{
	if (!c->exit_clock_wanted)
		return; /* (exit stops for plat_exit_hook only) */
	struct plat_ctx *l = c->process ? c : ctx_lookup(c->tgid);
	clockid_t base = (clockid_t)(~(unsigned)c->tgid << 3);
	struct timespec prof, virt, sched;

	if (!l || clock_gettime(base | 0, &prof) < 0 || clock_gettime(base | 1, &virt) < 0 ||
	    clock_gettime(base | 2, &sched) < 0)
		return;
	l->exit_clock = true;
	l->exit_sched_us = sched.tv_sec * 1000000UL + sched.tv_nsec / 1000;
	l->exit_prof_us = prof.tv_sec * 1000000UL + prof.tv_nsec / 1000;
	l->exit_virt_us = virt.tv_sec * 1000000UL + virt.tv_nsec / 1000;
}

/* A thread at its exit stop: the sentry's look at its memory, then on to its end. */
static void
exit_stop(struct plat_ctx *c)
{
	note_exit_clock(c);
	if (plat_exit_hook)
		plat_exit_hook(c);
	ptrace(PTRACE_CONT, c->pid, 0, 0);
}

int
plat_exit_cpu_clock(struct plat_ctx *ctx, unsigned long *user_us, unsigned long *sys_us,
		    unsigned long *sched_us)
{
	if (!ctx->exit_clock)
		return -ENODATA;
	*sched_us = ctx->exit_sched_us;
	*user_us = ctx->exit_virt_us;
	*sys_us = ctx->exit_prof_us > ctx->exit_virt_us ? ctx->exit_prof_us - ctx->exit_virt_us : 0;
	return 0;
}

/* One host event of pid (from wait4): 0 with *out and *ev filled, or -EAGAIN to go on. */
static int
host_event(pid_t pid, int status, const struct rusage *ru, struct plat_ctx **out,
	   struct plat_event *ev)
{
	struct plat_ctx *c = ctx_lookup(pid);

	if (!c) {
		/* a released stub's thread at its exit stop (PTRACE_O_TRACEEXIT): on to its end */
		if (WIFSTOPPED(status) && (status >> 16) == PTRACE_EVENT_EXIT)
			ptrace(PTRACE_CONT, pid, 0, 0);
		return -EAGAIN;
	}
	*out = c;
	memset(ev, 0, sizeof(*ev));
	if (WIFEXITED(status) || WIFSIGNALED(status)) {
		mark_exited(c, ev, status, ru);
		return 0;
	}
	if (!WIFSTOPPED(status))
		return -EAGAIN;
	c->switches++;
	c->stop_ru = *ru;
	c->notif_ready = false; /* (a call taken by late_stop, which a signal ended since) */
	bool pass = c->sig_pass;
	c->sig_pass = false;
	if (is_seccomp_stop(status)) {
		c->stop = STOP_SECCOMP;
		c->exit_seen = false;
		c->injected = false;
		c->restarting = false;
		if (ptrace(PTRACE_GETREGS, pid, 0, &c->regs) < 0)
			return -EAGAIN; /* killed meanwhile: its exit event follows */
		note_trap(c);
		ev->kind = PLAT_EV_SYSCALL;
		return 0;
	}
	if (WSTOPSIG(status) == (SIGTRAP | 0x80) && !(status >> 16)) {
		/* a syscall stop (resumed with PTRACE_SYSCALL for a guest tracer) */
		struct __ptrace_syscall_info si;
		bool held = c->stop == STOP_NOTIF;
		c->stop = STOP_SIGNAL;
		c->injected = false;
		if (ptrace(PTRACE_GETREGS, pid, 0, &c->regs) < 0 ||
		    ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof(si), &si) < 0)
			return -EAGAIN; /* killed meanwhile: its exit event follows */
		/* The exit stop of a call the sentry held as a notification, whose wait a
		 * signal ended (the host's -ERESTARTSYS): reported as interrupted, so the
		 * sentry ends the call's wait; at the signal stop that follows, the host
		 * restarts it or fails it with EINTR per SA_RESTART (it is not a call the
		 * sentry never took, which always runs again). */
		bool restart_exit = si.op == PTRACE_SYSCALL_INFO_EXIT &&
				    (long)c->regs.rax == RAX_ERESTARTSYS;
		bool ended = held && restart_exit;
		if (!c->trace_syscalls && !ended) {
			ptrace(PTRACE_CONT, pid, 0, 0); /* (the tracer let go meanwhile) */
			c->stop = STOP_NONE;
			return -EAGAIN;
		}
		ev->kind = si.op == PTRACE_SYSCALL_INFO_ENTRY ? PLAT_EV_SYSCALL_ENTRY
							      : PLAT_EV_SYSCALL_EXIT;
		c->exit_seen = restart_exit && !held;
		if (ended) {
			ev->interrupted = true;
			c->restarting = true;
			notif_stats.interrupted++;
		}
		return 0;
	}
	if ((status >> 16) == PTRACE_EVENT_EXIT) {
		exit_stop(c);
		return -EAGAIN;
	}
	if (status >> 16) {
		/* Other ptrace events (none requested yet): just continue. */
		ptrace(PTRACE_CONT, pid, 0, 0);
		return -EAGAIN;
	}
	/* A signal ended the wait for a notification's answer: the host ended the call with
	 * -ERESTARTSYS, which the resume turns into a restart or EINTR per SA_RESTART. */
	ev->interrupted = c->stop == STOP_NOTIF;
	notif_stats.interrupted += ev->interrupted;
	bool restarting = c->restarting || pass;
	c->restarting = false;
	c->stop = STOP_SIGNAL;
	c->injected = false;
	ptrace(PTRACE_GETREGS, pid, 0, &c->regs);
	long nr = (long)c->regs.orig_rax;
	/* ...before the sentry even took the call: it has not begun. The sentry runs it
	 * with the signal pending, as Linux would (a close or a stat completes, a read of an
	 * empty pipe ends for the handler). Not a sleep: one that meets a pending signal ends
	 * with EINTR after a handler on Linux, so the host decides. */
	ev->untaken = !ev->interrupted && !restarting && use_notif &&
		      (long)c->regs.rax == RAX_ERESTARTSYS && stub_notified(nr) &&
		      nr != __NR_nanosleep && nr != __NR_clock_nanosleep;
	ev->kind = PLAT_EV_SIGNAL;
	ev->sig = WSTOPSIG(status);
	return 0;
}

/* Exits seen while waiting for one stub, and signal stops met while answering a
 * notification, are reported first. */
static int
held_event(struct plat_ctx **out, struct plat_event *ev)
{
	struct plat_ctx *c, *tmp;

	if (!reports)
		return -EAGAIN;
	HASH_ITER(hh, ctxs, c, tmp) {
		if (c->dead) {
			*out = c;
			mark_exited(c, ev, c->dead_status, &c->dead_ru);
			return 0;
		}
		if (c->notif_ready) {
			c->notif_ready = false;
			*out = c;
			memset(ev, 0, sizeof(*ev));
			ev->kind = PLAT_EV_SYSCALL;
			return 0;
		}
		if (c->exit_due) {
			c->exit_due = false;
			*out = c;
			memset(ev, 0, sizeof(*ev));
			ev->kind = PLAT_EV_SYSCALL_EXIT;
			return 0;
		}
		if (c->deferred_sig) {
			*out = c;
			memset(ev, 0, sizeof(*ev));
			ev->kind = PLAT_EV_SIGNAL;
			ev->sig = c->deferred_sig;
			c->deferred_sig = 0;
			return 0;
		}
	}
	reports = 0;
	return -EAGAIN;
}

/* wait4 may have news: SIGCHLD came (the wake fd) since it last said there was none. */
static bool child_news = true;

void
plat_child_news(void)
{
	child_news = true;
}

int
plat_wait(struct plat_ctx **out, struct plat_event *ev, bool block)
{
	struct timespec zero = { 0, 0 };
	int status;

	if (held_event(out, ev) == 0)
		return 0;
	if (polled_taken && !block && !child_news && !polled) {
		polled_taken = false;
		return -EAGAIN;
	}
	polled_taken = false;
	for (;;) {
		struct rusage ru;
		/* Without listeners (or a wake fd) the blocking wait is wait4's own. */
		bool poll_wait = nlisteners && wake_fd >= 0;
		if (child_news || !poll_wait) {
			pid_t pid = wait4(-1, &status, __WALL | (block && !poll_wait ? 0 : WNOHANG), &ru);
			if (pid > 0) {
				if (host_event(pid, status, &ru, out, ev) == 0)
					return 0;
				continue;
			}
			if (pid < 0 && errno != ECHILD)
				return -errno; /* EINTR: the caller checks its signal flags */
			if (pid < 0 && !nlisteners)
				return -ECHILD;
			if (!poll_wait)
				return -EAGAIN;
			child_news = false;
		}
		/* One poll says both: a notification is pending, or a stub changed state. */
		struct pollfd p[MAX_LISTENERS + 1];
		int n = 0;
		if (polled) {
			/* the loop's poll just saw a listener readable: take the call without
			 * polling again (one taken meanwhile or withdrawn by a signal makes the
			 * receive fail at once, never block) */
			bool any = false;
			polled = false;
			for (; n < nlisteners; n++) {
				p[n] = (struct pollfd){ .fd = listeners[n], .events = POLLIN,
							.revents = polled_revents[n] };
				any |= (polled_revents[n] & POLLIN) != 0;
			}
			if (any && notif_recv(p, out, ev) == 0) {
				int ready = 0;
				for (int i = 0; i < nlisteners; i++)
					ready += (polled_revents[i] & POLLIN) != 0;
				polled_taken = ready == 1;
				return 0;
			}
			n = 0;
		}
		for (; n < nlisteners; n++)
			p[n] = (struct pollfd){ .fd = listeners[n], .events = POLLIN };
		p[n++] = (struct pollfd){ .fd = wake_fd, .events = POLLIN };
		int r = ppoll(p, n, block ? NULL : &zero, NULL);
		if (r < 0)
			return -errno;
		if (p[n - 1].revents) {
			struct signalfd_siginfo si; /* (SIGCHLD: one pending at most) */
			if (read(wake_fd, &si, sizeof(si)) < 0)
				si.ssi_signo = 0;
			child_news = true;
		}
		if (r > (int)(p[n - 1].revents != 0) && notif_recv(p, out, ev) == 0)
			return 0;
		if (!child_news && !block)
			return -EAGAIN;
	}
}

void
plat_kill(struct plat_ctx *ctx)
{
	if (ctx->pid > 0)
		kill(ctx->pid, SIGKILL);
}

/* The CPU time of a live stub process (its process clock), ns; 0 if it cannot be read. */
static unsigned long long
process_cpu_ns(pid_t pid)
{
	struct timespec ts;
	/* MAKE_PROCESS_CPUCLOCK(pid, CPUCLOCK_SCHED), shifted unsigned (no signed overflow) */
	clockid_t clk = (clockid_t)((~(unsigned)pid << 3) | 2);

	if (clock_gettime(clk, &ts) < 0)
		return 0;
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

unsigned long long
plat_gone_cpu_ns(void)
{
	return gone_cpu_ns;
}

unsigned long long
plat_cpu_ns(void)
{
	unsigned long long sum = gone_cpu_ns;
	struct plat_ctx *c, *tmp;

	HASH_ITER(hh, ctxs, c, tmp)
		if (c->process && !c->dead)
			sum += process_cpu_ns(c->pid);
	return sum;
}

void
plat_stub_rlimit(int resource, unsigned long cur, unsigned long max)
{
	if (nstub_rlimits >= (int)ARRAY_SIZE(stub_rlimits))
		return;
	stub_rlimits[nstub_rlimits].resource = resource;
	stub_rlimits[nstub_rlimits].lim.rlim_cur = cur;
	stub_rlimits[nstub_rlimits].lim.rlim_max = max;
	nstub_rlimits++;
}

/* never past a limit the sandbox itself gives every stub */
static struct rlimit
stub_rlimit_clamp(int resource, unsigned long cur, unsigned long max)
{
	struct rlimit lim = { cur, max };

	for (int i = 0; i < nstub_rlimits; i++) {
		if (stub_rlimits[i].resource != resource)
			continue;
		lim.rlim_cur = MIN(lim.rlim_cur, stub_rlimits[i].lim.rlim_cur);
		lim.rlim_max = MIN(lim.rlim_max, stub_rlimits[i].lim.rlim_max);
	}
	lim.rlim_cur = MIN(lim.rlim_cur, lim.rlim_max);
	return lim;
}

int
plat_set_rlimit_other(struct plat_ctx *ctx, int resource, unsigned long cur, unsigned long max)
{
	struct rlimit lim = stub_rlimit_clamp(resource, cur, max);

	if (ctx->dead)
		return -ESRCH;
	return prlimit(ctx->tgid, resource, &lim, NULL) < 0 ? -errno : 0;
}

int
plat_set_rlimit(struct plat_ctx *ctx, int resource, unsigned long cur, unsigned long max)
{
	struct rlimit lim = stub_rlimit_clamp(resource, cur, max);
	struct iovec local = { &lim, sizeof(lim) }, remote = { (void *)PLAT_STUB_SCRATCH, sizeof(lim) };
	int err = notif_stop(ctx);
	if (err)
		return err;
	if (process_vm_writev(ctx->pid, &local, 1, &remote, 1, 0) != (ssize_t)sizeof(lim))
		return -EFAULT;
	long r = plat_inject(ctx, __NR_prlimit64, 0, resource, PLAT_STUB_SCRATCH, 0, 0, 0);
	if (r < 0)
		return (int)r;
	/* The host ends the process at the limit by its process clock (tick-sampled), which
	 * its rusage undercounts: the clock is read as each thread exits (an exit stop, only
	 * for such processes; the option goes to threads and children cloned from now on). */
	if (resource == RLIMIT_CPU && lim.rlim_cur != RLIM_INFINITY) {
		ptrace(PTRACE_SETOPTIONS, ctx->pid, 0, STUB_PTRACE_OPTIONS | PTRACE_O_TRACEEXIT);
		ctx->exit_clock_wanted = true;
	}
	return 0;
}

int
plat_release_reaped(struct plat_ctx *ctx, struct rusage *ru)
{
	int status;

	if (ctx->pid <= 0 || ctx->pid != ctx->tgid || ctx->dead) {
		plat_release(ctx);
		return -ESRCH;
	}
	HASH_DEL(ctxs, ctx);
	kill(ctx->pid, SIGKILL);
	for (;;) {
		pid_t r = wait4(ctx->pid, &status, __WALL, ru);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 || WIFEXITED(status) || WIFSIGNALED(status)) {
			if (r < 0)
				memset(ru, 0, sizeof(*ru));
			gone_cpu_ns += ru_cpu_ns(ru);
			free(ctx);
			return r < 0 ? -ECHILD : 0;
		}
		if (WIFSTOPPED(status)) /* its exit stop (PTRACE_O_TRACEEXIT): on to the end */
			ptrace(PTRACE_CONT, ctx->pid, 0, 0);
	}
}

void
plat_release(struct plat_ctx *ctx)
{
	if (ctx->pid > 0) {
		int status;
		HASH_DEL(ctxs, ctx);
		/* Its exit event will be dropped (unknown pid): count its CPU time now. */
		if (ctx->process)
			gone_cpu_ns += ctx->dead ? ru_cpu_ns(&ctx->dead_ru) : process_cpu_ns(ctx->pid);
		kill(ctx->pid, SIGKILL);
		/* Reaped now if already gone; otherwise its exit reaches plat_wait, which drops
		 * events of unknown pids. Blocking here could deadlock: a thread-group leader is
		 * reported only after its other (traced) threads have been reaped. */
		waitpid(ctx->pid, &status, __WALL | WNOHANG);
	}
	free(ctx);
}

/* ---- signals with the siginfo the guest must see ---- */

/*
 * The host queues a signal for another process only with a negative si_code other than
 * SI_TKILL: SI_USER, SI_TKILL, CLD_* and SI_KERNEL name a sender the kernel vouches for.
 * The sentry sends those in a disguise the host accepts: si_code SI_SENTRY with the real
 * code in si_errno (0 for every such signal on Linux). The host queues, coalesces and
 * dequeues it like any other signal, and each way out to the guest takes the disguise
 * off: the signal-delivery stop (plat_signal_info) and the calls the sentry runs in the
 * stub that take signals from its queue (plat_siginfo_guest).
 */
#define SI_SENTRY (-0x5e47)

static bool
needs_disguise(int code)
{
	return code >= 0 || code == SI_TKILL || code == SI_SENTRY;
}

void
plat_siginfo_guest(siginfo_t *si)
{
	static pid_t self;

	if (!self)
		self = getpid();
	if (si->si_code == SI_SENTRY) {
		/* (host_info: the code in the low half of si_errno, the errno in the high) */
		int both = si->si_errno;
		si->si_code = (short)(both & 0xffff);
		si->si_errno = (int)((unsigned int)both >> 16);
	} else if ((si->si_code == SI_USER || si->si_code == SI_TKILL) && si->si_pid == self) {
		/* the sentry's own kill: a signal relayed from outside the sandbox */
		si->si_pid = 0;
	}
}

/* The host's siginfo for what the guest must see (guest_info). */
static void
host_info(siginfo_t *si, int sig, const siginfo_t *guest)
{
	*si = *guest;
	si->si_signo = sig;
	if (needs_disguise(si->si_code)) {
		/* an unknown si_code: the host wants the bytes past its own siginfo zero */
		siginfo_t clean;
		memset(&clean, 0, sizeof(clean));
		memcpy(&clean, si, 48);
		*si = clean;
		si->si_errno = (int)(((unsigned int)si->si_errno << 16) | (si->si_code & 0xffff));
		si->si_code = SI_SENTRY;
	}
}

/* The host refused to queue a real-time signal (EAGAIN: the stub's RLIMIT_SIGPENDING).
 * Linux refuses it too, except from kill() (SI_USER), whose signal still goes with its
 * siginfo lost (si_code SI_USER, si_pid and si_uid 0): the host's kill() does just that. */
static int
send_overflow(struct plat_ctx *ctx, int sig, const siginfo_t *guest)
{
	if (guest->si_code != SI_USER)
		return -EAGAIN;
	return kill(ctx->tgid, sig) < 0 ? -errno : 0;
}

int
plat_send_signal(struct plat_ctx *ctx, int sig, const siginfo_t *guest)
{
	siginfo_t si;

	if (ctx->pid <= 0)
		return -ESRCH;
	host_info(&si, sig, guest);
	if (syscall(SYS_rt_tgsigqueueinfo, ctx->tgid, ctx->pid, sig, &si) < 0)
		return errno == EAGAIN ? send_overflow(ctx, sig, guest) : -errno;
	return 0;
}

int
plat_send_signal_process(struct plat_ctx *ctx, int sig, const siginfo_t *guest)
{
	siginfo_t si;

	if (ctx->pid <= 0)
		return -ESRCH;
	host_info(&si, sig, guest);
	if (syscall(SYS_rt_sigqueueinfo, ctx->tgid, sig, &si) < 0)
		return errno == EAGAIN ? send_overflow(ctx, sig, guest) : -errno;
	return 0;
}

unsigned long
plat_switches(struct plat_ctx *ctx)
{
	return ctx->switches;
}

unsigned long
plat_switches_injected(struct plat_ctx *ctx)
{
	return ctx->call_switches;
}

bool
plat_is_stopped(struct plat_ctx *ctx)
{
	return ctx->stop == STOP_SECCOMP || ctx->stop == STOP_SIGNAL;
}

int
plat_signal_info(struct plat_ctx *ctx, siginfo_t *si)
{
	siginfo_t host;

	if (ptrace(PTRACE_GETSIGINFO, ctx->pid, 0, &host) < 0)
		return -errno;
	*si = host;
	plat_siginfo_guest(si);
	if (memcmp(si, &host, sizeof(host)) && ptrace(PTRACE_SETSIGINFO, ctx->pid, 0, si) < 0)
		return -errno;
	return 0;
}

int
plat_set_signal_info(struct plat_ctx *ctx, const siginfo_t *si)
{
	int err = notif_stop(ctx);

	if (err)
		return err;
	if (ptrace(PTRACE_SETSIGINFO, ctx->pid, 0, si) < 0)
		return -errno;
	return 0;
}

int
plat_poke_text(struct plat_ctx *ctx, unsigned long addr, unsigned long val)
{
	int err = notif_stop(ctx);

	if (err)
		return err;
	if (addr >= USER_TOP - 8 || (addr + 8 > PLAT_STUB_ADDR &&
				     addr < PLAT_STUB_ADDR + PLAT_STUB_SIZE))
		return -EIO;
	if (ptrace(PTRACE_POKEDATA, ctx->pid, addr, val) < 0)
		return -errno;
	return 0;
}

int
plat_regset(struct plat_ctx *ctx, bool set, int type, void *buf, size_t *len)
{
	struct iovec iov = { buf, *len };
	int err = notif_stop(ctx);

	if (err)
		return err;
	if (type != NT_PRFPREG && type != 0x202 /* NT_X86_XSTATE */)
		return -EINVAL;
	if (ptrace(set ? PTRACE_SETREGSET : PTRACE_GETREGSET, ctx->pid, type, &iov) < 0)
		return -errno;
	*len = iov.iov_len;
	return 0;
}

/* A signal stopped the stub while the sentry ran something in it: the platform holds it
 * for the next resume (plat_pending_signal), with its siginfo. */
static void
hold_signal(struct plat_ctx *ctx, int sig)
{
	siginfo_t si;

	if (ptrace(PTRACE_GETSIGINFO, ctx->pid, 0, &si) < 0) {
		memset(&si, 0, sizeof(si));
		si.si_signo = sig;
		si.si_code = SI_KERNEL;
	}
	plat_siginfo_guest(&si);
	/* a standard signal pending twice is pending once (the host coalesces them too) */
	for (int i = 0; i < ctx->nheld && sig < SIGRTMIN; i++)
		if (ctx->held[i].sig == sig)
			return;
	if (ctx->nheld == HELD_MAX) {
		log_warn("stub %d: more than %d signals during one injection: %d lost", ctx->pid,
			 HELD_MAX, sig);
		return;
	}
	ctx->held[ctx->nheld++] = (struct held_sig){ .sig = sig, .info = si };
	log_debug("stub %d holds signal %d (%d held)", ctx->pid, sig, ctx->nheld);
}

static void
drop_held(struct plat_ctx *ctx, int i)
{
	memmove(&ctx->held[i], &ctx->held[i + 1], (ctx->nheld - i - 1) * sizeof(ctx->held[0]));
	ctx->nheld--;
}

/* Takes held signal sig (the first of its kind) to be delivered from the current stop: its
 * siginfo goes there (without it, from another stop such as an injection's trap, the host
 * would present it as the tracer's). Returns sig, or 0 if it was not held. */
static int
take_held(struct plat_ctx *ctx, int sig)
{
	for (int i = 0; i < ctx->nheld; i++) {
		if (ctx->held[i].sig != sig)
			continue;
		ptrace(PTRACE_SETSIGINFO, ctx->pid, 0, &ctx->held[i].info);
		drop_held(ctx, i);
		return sig;
	}
	return 0;
}

/* The signals still held go back to the host's queue for the thread, with their siginfo:
 * it reports each at its own stop once the thread runs. */
static void
requeue_held(struct plat_ctx *ctx)
{
	for (int i = 0; i < ctx->nheld; i++)
		if (plat_send_signal(ctx, ctx->held[i].sig, &ctx->held[i].info) < 0)
			log_warn("stub %d: held signal %d could not be queued again", ctx->pid,
				 ctx->held[i].sig);
	ctx->nheld = 0;
}

void
plat_exit_rusage(struct plat_ctx *ctx, struct rusage *ru)
{
	*ru = ctx->dead_ru;
}

void
plat_stop_rusage(struct plat_ctx *ctx, struct rusage *ru)
{
	*ru = ctx->stop_ru;
}

int
plat_cpu_times(struct plat_ctx *ctx, unsigned long *user_us, unsigned long *sys_us)
{
	/* the process clocks of its thread group: CPUCLOCK_PROF (user + system), _VIRT (user) */
	clockid_t base = (clockid_t)(~(unsigned)ctx->tgid << 3);
	struct timespec prof, virt;

	if (ctx->pid <= 0)
		return -ESRCH;
	if (clock_gettime(base | 0, &prof) < 0 || clock_gettime(base | 1, &virt) < 0)
		return -errno;
	unsigned long p = prof.tv_sec * 1000000UL + prof.tv_nsec / 1000;
	unsigned long v = virt.tv_sec * 1000000UL + virt.tv_nsec / 1000;
	*user_us = v;
	*sys_us = p > v ? p - v : 0;
	return 0;
}

/* Linux's cputime_adjust: the tick-sampled user and system times (which miss much of a
 * busy thread's time on a loaded host) scaled so that they add up to the scheduler's
 * run time, CPUCLOCK_SCHED; /proc/PID/stat and times() show that. */
int
plat_cpu_times_adjusted(struct plat_ctx *ctx, unsigned long *user_us, unsigned long *sys_us)
{
	clockid_t sched_clock = (clockid_t)(~(unsigned)ctx->tgid << 3) | 2;
	struct timespec ts;
	unsigned long u, s;
	int err = plat_cpu_times(ctx, &u, &s);

	if (err)
		return err;
	if (clock_gettime(sched_clock, &ts) < 0)
		return 0; /* (the samples, unscaled) */
	unsigned long rt = ts.tv_sec * 1000000UL + ts.tv_nsec / 1000;
	if (!s)
		u = rt;
	else if (!u)
		s = rt;
	else
		s = (unsigned long)((unsigned __int128)s * rt / (u + s));
	*sys_us = s;
	*user_us = rt - s;
	return 0;
}
