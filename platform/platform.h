/*
 * The platform: how guest code runs and how its system calls reach the sentry.
 * One host process per guest address space ("stub"); guest code runs there natively.
 * Implementations: platform/ptrace (seccomp RET_TRACE + ptrace).
 */
#pragma once
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/user.h>

/* The stub region: one page of code at the same address in every stub, never guest-visible.
 * plat_init picks it: PLAT_STUB_DEFAULT, or where that is taken (this sandbox runs inside
 * another, whose stub page is there), the first free one of the PLAT_STUB_TRIES below it,
 * PLAT_STUB_STEP apart (each 4 GiB-aligned: the stub filter's head compares one high half). */
#define PLAT_STUB_DEFAULT 0x7e8000000000UL  /* where ThreadSanitizer and AddressSanitizer keep
					     * application memory (neither reserves it), below
					     * mmap_base */
#define PLAT_STUB_STEP 0x20000000000UL      /* 2 TiB: a stub's pass range (below) each */
#define PLAT_STUB_TRIES 8
extern unsigned long plat_stub_addr;
#define PLAT_STUB_ADDR plat_stub_addr
#define PLAT_STUB_SIZE 0x2000UL  /* a code page, then a scratch page for injected calls' output */
#define PLAT_STUB_SCRATCH (PLAT_STUB_ADDR + 0x1000UL)
/* Calls on ranges below PLAT_PASS_LOW of at most PLAT_PASS_LEN bytes cannot touch the stub,
 * so the stub filter lets them run natively; others come to the sentry for a check. */
#define PLAT_PASS_LOW (PLAT_STUB_ADDR - PLAT_PASS_LEN)
#define PLAT_PASS_LEN 0x10000000000UL    /* 1 TiB */

struct plat_ctx;

enum plat_event_kind {
	PLAT_EV_SYSCALL,   /* guest made a syscall that the stub filter sends to the sentry */
	PLAT_EV_SIGNAL,    /* a signal is about to be delivered to the guest (ev.sig) */
	PLAT_EV_EXIT,      /* the stub exited: ev.status is a wait status (WIFEXITED/WIFSIGNALED) */
	PLAT_EV_SYSCALL_ENTRY, /* with plat_trace_syscalls: the host's syscall-entry stop of any */
	PLAT_EV_SYSCALL_EXIT,  /* call, and its exit stop (the result in rax): plat_resume goes on */
};

struct plat_event {
	enum plat_event_kind kind;
	int sig;
	bool interrupted;  /* SIGNAL: it ended a call the sentry was holding (a notification):
			    * the host restarts that call or fails it with EINTR per SA_RESTART;
			    * SYSCALL_EXIT: the host's exit stop of such a call (-ERESTARTSYS) */
	bool untaken;      /* SIGNAL: it met a notified call before the sentry took it (the host
			    * ended it with -ERESTARTSYS at once): plat_finish_interrupted, then
			    * the call is the sentry's to run */
	int status;
	unsigned long user_us, sys_us;  /* EXIT: CPU time of the host task (a leader: its group) */
	unsigned long maxrss_kb;        /* EXIT: its peak resident set */
};

/* A mapping the kernel put in every stub: the vDSO and its data pages. */
struct plat_special_map {
	unsigned long lo, hi;
	char name[16];                 /* "[vdso]", "[vvar]", "[vvar_vclock]" */
};

struct plat_info {
	unsigned long vdso_base;       /* AT_SYSINFO_EHDR to hand to guests (0: none) */
	unsigned long hwcap, hwcap2;
	unsigned long minsigstksz;
	/* the host's rseq (stubs register it natively): AT_RSEQ_FEATURE_SIZE, AT_RSEQ_ALIGN;
	 * 0 when its kernel gives none */
	unsigned long rseq_feature_size, rseq_align;
	struct plat_special_map special[4]; /* by address */
	int nspecial;
};

/* Called once before confinement: builds the stub page and stub filter. 0 / -errno. */
int plat_init(void);
/* The i-th range (i = 0, 1, ...; false past the last) that every address space keeps from
 * its guest: the stub region, then each place plat_init found taken (an outer sandbox's
 * stub page, which the stubs inherit and cannot unmap). */
bool plat_reserved(int i, unsigned long *lo, unsigned long *hi);
const struct plat_info *plat_info(void);

/* A new stub: an empty address space (only the stub page and vDSO), stopped. */
int plat_new_as(struct plat_ctx **out);
pid_t plat_host_pid(struct plat_ctx *ctx);
void *plat_get_owner(struct plat_ctx *ctx);
void plat_set_owner(struct plat_ctx *ctx, void *owner);
/* The stopped thread, and the threads it clones from now on, stop as they exit
 * (PTRACE_O_TRACEEXIT), however they die; plat_exit_hook, when set, then runs while the
 * thread's memory is still there (the host has not released it yet). */
int plat_trace_exit(struct plat_ctx *ctx);
extern void (*plat_exit_hook)(struct plat_ctx *ctx);
/* fd: the sentry's own /proc/self/oom_score_adj (read-write). Each host process forked
 * afresh for stubs (and so every stub cloned from it) gets 1000, the OOM killer's first
 * choice, as Linux lets any process raise its own: so where an OCI container's cgroup
 * enforces its memory limit, a guest is killed past it, never the sentry, the gofer or
 * the CLI (their score is below any stub's); the sentry's value is raised around the
 * fork only. */
void plat_set_oom_adj_fd(int fd);

/* Registers as of the current stop (syscall number in orig_rax, args in rdi..r9). */
const struct user_regs_struct *plat_regs(struct plat_ctx *ctx);
/* Registers of a stopped context. */
int plat_get_regs(struct plat_ctx *ctx, struct user_regs_struct *r);
int plat_set_regs(struct plat_ctx *ctx, const struct user_regs_struct *r);

/* Runs one system call inside a stopped stub and returns its result (-errno on failure). */
long plat_inject(struct plat_ctx *ctx, long nr, unsigned long a0, unsigned long a1,
		 unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5);

/* One call of a batch (plat_inject_batch). */
struct plat_call {
	long nr;                /* __NR_mmap or a call stub_token_call accepts (else -EINVAL) */
	unsigned long a[6];
	unsigned long dev, ino; /* mmap of a stub fd of a host file (plat_stub_fd): the file */
	long result;            /* out: the result, or -ECANCELED if it did not run */
};
#define PLAT_BATCH_MAX 32
/* Runs n (at most PLAT_BATCH_MAX) calls in order inside a stopped stub, as plat_inject
 * would one by one, stopping after the first that fails. One host stop when no guest code
 * ran in the address space yet (a new stub or fork child), else one injection per call.
 * Returns how many ran (the last one failed if fewer than n), or -errno: the stub could
 * not run them (then it may be gone, as after a failed plat_inject). */
int plat_inject_batch(struct plat_ctx *ctx, struct plat_call *calls, int n);

/* Runs clone(2) (host flags, already vetted) in the stopped parent stub; *out is the
 * child's context, stopped, registers still to be set. 0 / -errno. */
int plat_clone(struct plat_ctx *parent, unsigned long flags, unsigned long stack,
	       unsigned long child_tid, unsigned long tls, struct plat_ctx **out);

/* Maps a host fd held by the sentry into the stub (mmap(2) arguments); dev and ino name the
 * file (the stub keeps fds of recent files). Result or -errno. */
long plat_map_host_fd(struct plat_ctx *ctx, int hostfd, unsigned long dev, unsigned long ino,
		      unsigned long addr, size_t len, int prot, int flags, off_t off);

/* Sets the stub's own memory-layout fields (prctl PR_SET_MM_MAP): its program break above
 * all, so the guest's brk calls can run in the stub as the guest made them. Only for a
 * fresh address space (no guest code ran yet: the struct passes through stub memory).
 * The n calls of more (as for plat_inject_batch; their memory below PLAT_STUB_SCRATCH +
 * 0x400) run after it in the same stop, and run (their results set) whatever it returns.
 * 0 / -errno (-EBUSY: not fresh; -ENOSYS: a host limit on the stub's data would make
 * its brk refuse what the sentry allows; -EINVAL: too many calls, none ran). */
struct prctl_mm_map;
/* Every later call of ctx's stub process (all its threads, and the host clones they make)
 * comes to the sentry, also those its filter runs natively: for the guest's own seccomp
 * filters. 0 / -errno. */
int plat_trace_all(struct plat_ctx *ctx);
/* The calls a stub may run without the sentry (platform/stub_rules.c): nrs gets at most max,
 * returns how many. */
size_t stub_native_calls(int *nrs, size_t max);
/* ctx's stub process (all its threads, and the host clones they make) sends its
 * clock_gettime of the clocks a time namespace shifts to the sentry, also the vDSO's (vdso:
 * its entry becomes the real call in the process's own copy of that page). 0 / -errno. */
int plat_trace_clocks(struct plat_ctx *ctx, bool vdso);
/* From now on the stub's process (all its threads) sends the advice Linux refuses on
 * locked memory to the sentry: 0 or -errno. */
int plat_trace_madvise(struct plat_ctx *ctx);
int plat_set_mm_map(struct plat_ctx *ctx, const struct prctl_mm_map *m, struct plat_call *more,
		    int n);
/* The same, with no stop of its own: the next batch in this fresh address space runs it
 * at its end; a later plat_set_mm_map with the same map then only reports the result (and
 * runs its more), or does it all if no batch ran it. */
void plat_set_mm_map_later(struct plat_ctx *ctx, const struct prctl_mm_map *m);

/* The stub's own fd for a host file the sentry holds (fetched once per file), for a guest
 * mmap the host then runs as the guest's own call (plat_syscall_set_args). exec: -ENOSYS
 * unless the file was mapped executable before (only an injected map shows a noexec
 * refusal, which the caller turns into a copy). fd / -errno. */
long plat_stub_fd(struct plat_ctx *ctx, int hostfd, unsigned long dev, unsigned long ino,
		  bool exec);

/* After a PLAT_EV_SYSCALL: end it with -ERESTARTSYS for a signal already sent to the stub;
 * the host kernel then restarts it or fails it with EINTR per the guest's SA_RESTART. */
int plat_syscall_restart(struct plat_ctx *ctx);
/* The stub thread's blocked-signal mask. */
int plat_get_sigmask(struct plat_ctx *ctx, unsigned long *mask);
int plat_set_sigmask(struct plat_ctx *ctx, unsigned long mask);  /* a stopped context */
/* A signal the host delivered to the stopped stub (seen during an injection) that the
 * platform holds for its next resume; 0: none. */
int plat_pending_signal(struct plat_ctx *ctx);
/* Takes the first of those held signals away (its guest siginfo in *si): 0 when none. For
 * a context about to be released whose signals go elsewhere (execve's new stub). */
int plat_take_held_signal(struct plat_ctx *ctx, siginfo_t *si);
/* Has the host a signal queued for ctx's thread or its process? 1 / 0 / -errno (stops a
 * context waiting in a notification first). It reads the queues in place (no injection):
 * cheaper than a dequeue that finds nothing. A standard signal left pending without its
 * siginfo (sent past RLIMIT_SIGPENDING) is not seen. */
int plat_signals_queued(struct plat_ctx *ctx);
/* Reads or writes debug register n (0-7: struct user's u_debugreg) of ctx's stub thread,
 * through the host's ptrace, which checks a write as Linux does (addresses, DR7's
 * lengths and types) and arms the hardware for the guest's own tracer: a hit stops the
 * thread with SIGTRAP (TRAP_HWBKPT) and sets DR6. 0 / -errno. */
int plat_debugreg(struct plat_ctx *ctx, int n, bool set, unsigned long *value);

/* After a PLAT_EV_SYSCALL: finish it with this result, skipping the host call. */
int plat_syscall_return(struct plat_ctx *ctx, long result);
/* After a PLAT_EV_SYSCALL: let the host kernel run it in the stub as the guest asked. */
int plat_syscall_native(struct plat_ctx *ctx);
/* After a PLAT_EV_SYSCALL: replace the pending call's six arguments (the sentry placed a
 * mapping itself); plat_syscall_native then runs it with them. 0 / -errno. */
int plat_syscall_set_args(struct plat_ctx *ctx, const unsigned long args[6]);
/* After a PLAT_EV_SYSCALL: the call's result, set without resuming (a signal is delivered
 * next, with plat_step_signal). */
int plat_syscall_set_result(struct plat_ctx *ctx, long result);
/* Delivers sig to a context stopped for it (or holding it: plat_pending_signal) and stops again right after: at the handler's
 * first instruction with its frame built (or after one instruction when no handler runs).
 * *r: the registers then. 0 / -errno (-ESRCH: the signal ended the process). */
int plat_step_signal(struct plat_ctx *ctx, int sig, struct user_regs_struct *r);
/* For a guest tracer's PTRACE_SYSCALL: every call of ctx from its next resume on, passthrough
 * ones too, gives PLAT_EV_SYSCALL_ENTRY and PLAT_EV_SYSCALL_EXIT (the host's own stops:
 * registers changed there are what the host, and its seccomp filter, then see). */
void plat_trace_syscalls(struct plat_ctx *ctx, bool on);
/* With it, a guest tracer's PTRACE_SYSEMU: the calls stop at their entry and never run
 * (the host's own PTRACE_SYSEMU: rax as the tracer left it is their result). */
void plat_trace_sysemu(struct plat_ctx *ctx, bool on);
/* Resume a stopped context, delivering sig (0: none). */
int plat_resume(struct plat_ctx *ctx, int sig);

/* The loop's fd that becomes readable when a stub changes state (a signalfd for SIGCHLD,
 * which the sentry keeps blocked): with notifications, waiting needs both. */
void plat_set_wake_fd(int fd);
/* The loop drained that fd itself: stubs may have changed state. */
void plat_child_news(void);
/* Fds the loop must also poll while it waits for other things: readable when a stub has a
 * call for the sentry (then plat_wait returns it). Returns how many (at most max). */
int plat_poll_fds(int *fds, int max);
/* The loop polled those fds itself (in plat_poll_fds' order): what it saw, so that the next
 * plat_wait takes a pending call without polling again. */
void plat_polled(const short *revents, int n);
/* Is ctx inside a call the sentry holds as a notification (not in a ptrace stop)? A signal
 * the host delivers to it ends the call by itself (plat_event.interrupted). */
bool plat_in_notif(struct plat_ctx *ctx);
/* Is the call ctx is in, held as a notification, given up because its thread was killed
 * meanwhile (an OOM kill, a kill from outside; not a signal that interrupted it)? A long
 * transfer stops there instead of going on writing into memory that is going away (which
 * charges its cgroup again). */
bool plat_call_abandoned(struct plat_ctx *ctx);
/* After a SIGNAL event that interrupted a held call whose result is ready after all: the
 * sentry finishes the call as after a PLAT_EV_SYSCALL (result, restart), and the resume
 * that follows reports the same signal stop again instead of running the thread. */
void plat_finish_interrupted(struct plat_ctx *ctx, int sig);

/* Waits for the next event from any context. block=false: returns -EAGAIN if none (or,
 * right after taking the call the loop's own poll saw, if no other is known: plat_polled).
 * Returns 0 with *ctx and *ev filled. The context is freed by plat_release after EXIT. */
int plat_wait(struct plat_ctx **ctx, struct plat_event *ev, bool block);
void plat_kill(struct plat_ctx *ctx);
/* The sentry is pinned to cpu: stubs are too, but those that compute long between calls
 * may spread to every CPU (ptrace.c: note_trap). */
void plat_set_home_cpu(int cpu);
/* The guest restricted the thread to mask (words of 64 CPUs): it runs there on the host
 * too, as sched_getcpu expects; NULL gives it back to the sandbox's placement. */
void plat_set_cpus(struct plat_ctx *c, const unsigned long *mask, size_t words);
/* Ends the process of ctx, a thread-group leader with no other thread, and reaps it at once:
 * its host resource use goes to *ru (its getrusage(RUSAGE_SELF)) and ctx is freed.
 * 0 / -errno (ctx is released all the same). */
struct rusage;
int plat_release_reaped(struct plat_ctx *ctx, struct rusage *ru);
void plat_release(struct plat_ctx *ctx);

/* --stats: injections and their cost, to stderr. */
void plat_print_stats(void);
/* CPU time (user + system, ns) of every stub so far: live ones by their process clocks,
 * gone ones by what the host reported when they were reaped or killed. */
unsigned long long plat_cpu_ns(void);
unsigned long long plat_gone_cpu_ns(void);   /* the part of stubs already gone */
/* A host resource limit every stub created from now on gets (a fence behind the sentry's
 * own accounting); call before the first plat_new_as. */
void plat_stub_rlimit(int resource, unsigned long cur, unsigned long max);
/* Sets a host resource limit of the stopped stub's process (a guest's RLIMIT_CPU, which
 * the host kernel enforces with SIGXCPU and SIGKILL), never above plat_stub_rlimit's.
 * 0 / -errno. */
int plat_set_rlimit(struct plat_ctx *ctx, int resource, unsigned long cur, unsigned long max);
/* The same for a stub of another process, which need not be stopped: set from outside
 * (the exit-clock stop plat_set_rlimit adds for RLIMIT_CPU is left out). */
int plat_set_rlimit_other(struct plat_ctx *ctx, int resource, unsigned long cur,
			  unsigned long max);


/* Signals with the siginfo the guest must see (whatever its si_code: SI_USER, SI_TKILL,
 * CLD_*, SI_KERNEL with the sender's virtual pid and uid, which the host would not queue
 * for another process as such). */
#include <signal.h>
#include <sys/resource.h>
/* Queues sig with info for the thread ctx. 0 / -errno. */
int plat_send_signal(struct plat_ctx *ctx, int sig, const siginfo_t *guest);
/* Queues sig with info for the whole thread group of ctx (its shared pending set): the
 * host gives it to a thread that does not block it and is not in a ptrace stop, or keeps
 * it pending for the group. 0 / -errno. */
int plat_send_signal_process(struct plat_ctx *ctx, int sig, const siginfo_t *guest);
/* Is ctx in a ptrace stop (not running, not waiting in a notification)? Its mask can then
 * be read without disturbing it, and the host gives it no process-directed signal. */
bool plat_is_stopped(struct plat_ctx *ctx);
/* At a PLAT_EV_SIGNAL stop: the siginfo the guest gets with it (the stop's own record is
 * corrected to it first). 0 / -errno. */
int plat_signal_info(struct plat_ctx *ctx, siginfo_t *si);
/* At a PLAT_EV_SIGNAL stop: the siginfo (guest view, si_signo the signal the resume will
 * deliver) the guest gets instead (a guest tracer's choice). 0 / -errno. */
int plat_set_signal_info(struct plat_ctx *ctx, const siginfo_t *si);
/* A guest tracer's PTRACE_POKETEXT: one word into a stopped stub's memory even where it is
 * read-only (breakpoints in text), never in the stub region. 0 / -errno. */
int plat_poke_text(struct plat_ctx *ctx, unsigned long addr, unsigned long val);
/* An atomic compare-and-exchange of the 32-bit word at addr in the stopped stub's memory
 * (lock cmpxchg run by the stub itself, so guest threads see it as one step): 0 when
 * *expected matched and desired was stored, -EAGAIN when not; *expected is then the word's
 * value either way. -EFAULT: no writable word there; -EINVAL: misaligned. */
int plat_cmpxchg32(struct plat_ctx *ctx, unsigned long addr, uint32_t *expected, uint32_t desired);
/* A stopped stub's NT_PRFPREG or NT_X86_XSTATE register set: read into buf (*len: its
 * size, then what was read) or written from it. 0 / -errno. An XSTATE set is the CPU's
 * whole XSAVE area (11008 bytes with AMX), which a write must give whole (Linux
 * xstateregs_set: EFAULT otherwise); PLAT_XSTATE_MAX is above any CPU's. */
#define PLAT_XSTATE_MAX 65536
int plat_regset(struct plat_ctx *ctx, bool set, int type, void *buf, size_t *len);
/* A siginfo read from the stub's kernel (rt_sigtimedwait run in the stub) as the guest
 * must see it. */
void plat_siginfo_guest(siginfo_t *si);
/* After PLAT_EV_EXIT, before plat_release: what the host counted for the stub (a leader:
 * its whole thread group), every field of struct rusage. */
void plat_exit_rusage(struct plat_ctx *ctx, struct rusage *ru);
/* What the host counted for the stub's thread group (with its reaped children) as of the
 * thread's latest host stop: wait4's rusage, which costs no call into the stub. Zeros
 * before the first. */
void plat_stop_rusage(struct plat_ctx *ctx, struct rusage *ru);
/* The times the platform made the thread ctx wait (its ptrace stops and the waits for
 * notifications' answers): each is a voluntary context switch in the host's count
 * (ru_nvcsw), which the guest's own count must not show. */
unsigned long plat_switches(struct plat_ctx *ctx);
/* plat_switches as it was when the last call injected into ctx ran (the stops before it,
 * its own seccomp stop included; not the trap after it). */
unsigned long plat_switches_injected(struct plat_ctx *ctx);
/* After PLAT_EV_EXIT of a leader whose stub had a guest's RLIMIT_CPU (plat_set_rlimit):
 * its process clocks as its threads exited (user and system as CPUCLOCK_VIRT and _PROF,
 * which the limit went by, and the precise CPUCLOCK_SCHED), which is what a zombie's
 * clocks show on Linux (its rusage is another rounding). -ENODATA: not read. */
int plat_exit_cpu_clock(struct plat_ctx *ctx, unsigned long *user_us, unsigned long *sys_us,
			unsigned long *sched_us);
/* CPU time of the live stub's thread group so far. 0 / -errno. */
int plat_cpu_times(struct plat_ctx *ctx, unsigned long *user_us, unsigned long *sys_us);
/* The same split scaled to the group's precise run time, as /proc/PID/stat shows it. */
int plat_cpu_times_adjusted(struct plat_ctx *ctx, unsigned long *user_us,
			    unsigned long *sys_us);
