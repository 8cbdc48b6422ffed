/*
 * The sentry: tasks, fd tables, guest memory access, the event loop.
 * Every other folder talks to guest state through this header.
 */
#pragma once
#include <limits.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/user.h>
#include <sys/utsname.h>
#include <uthash.h>

#include "sentry/util.h"

/* Exit codes of `sandbox` itself (the guest's own status passes through unchanged). */
enum {
	EXIT_LIMIT = 122,      /* --memory or --cpu-time ended the run: every guest was killed */
	EXIT_USAGE = 123,      /* bad command line */
	EXIT_TIMEOUT = 124,    /* reserved: --timeout */
	EXIT_SETUP = 125,      /* the sandbox could not be set up, or failed inside */
	EXIT_NOEXEC = 126,     /* program found but not executable (EACCES, ENOEXEC) */
	EXIT_NOTFOUND = 127,   /* program not found */
};

/* The CLI relays the signals sent to `sandbox` (sentry/util.h: RELAYED_SIGNALS) to the
 * sentry as this real-time signal with the signal in its value (a standard signal would
 * merge with the sentry's own copy when its whole process group is signalled, which the
 * sentry must not pass on). */
#define RELAY_SIGNAL (SIGRTMAX - 1)

struct file;
struct fs_context;
struct ns_common;
struct plat_ctx;
struct tty;
struct waiter;

/* A wait queue: tasks blocked in a syscall until something (pipe data, a child's exit)
 * changes; waitq_wake re-runs their syscalls, which then succeed or block again. */
/* No guest descriptor number reaches this (sentry/fdtable.c): the stub's filter fails a
 * close of one at or above it with EBADF without a trip to the sentry. */
#define SENTRY_FD_CEILING (1 << 24) /* bits 24-31: platform/stub_rules.c */

struct waitq {
	struct waiter *head;
	unsigned long wakes;     /* waitq_wake calls so far (epoll's edge-triggered mode) */
	unsigned long seq;       /* waitq_tick() at the last wake (epoll's ready order) */
	unsigned long excl_taken;/* 1 + the wake an EPOLLEXCLUSIVE epoll item took (0: none) */
	struct wq_watch *watch;  /* told of every wake (epoll items: Linux's ep_poll_callback) */
};

/* A callback on a queue's wakes; it must not add or remove watches. */
struct wq_watch {
	struct wq_watch *next;
	void (*fn)(struct wq_watch *w);
};
void waitq_watch(struct waitq *wq, struct wq_watch *w);
void waitq_unwatch(struct waitq *wq, struct wq_watch *w);

/* What a mapping shows in /proc/[pid]/maps: a file's path and identity, or "[vdso]". */
#ifndef PR_SET_MDWE /* (Linux 6.3; older headers) */
#define PR_SET_MDWE 65
#define PR_GET_MDWE 66
#define PR_MDWE_REFUSE_EXEC_GAIN (1UL << 0)
#define PR_MDWE_NO_INHERIT (1UL << 1)
#endif

struct mm_name {
	int refs;
	unsigned long dev, ino;
	struct vfs_where *where;  /* a file's: its name now (NULL: path is the name) */
	char path[];              /* as mapped */
};

/* Shared anonymous memory: charged once, however many mappings (and forks) use it. */
struct mm_shm {
	int refs;
	unsigned long charged;   /* bytes charged against --memory (0: MAP_NORESERVE) */
};

/* One mapping of a guest address space, like Linux's vm_area_struct (sentry/vma.c). */
struct vma {
	unsigned long start, end;  /* page-aligned */
	unsigned long off;         /* file offset of start */
	int prot;                  /* PROT_READ | PROT_WRITE | PROT_EXEC */
	unsigned flags;            /* VMA_* */
	struct mm_name *name;      /* NULL: anonymous */
	struct mm_shm *shm;        /* MAP_SHARED | MAP_ANONYMOUS */
	unsigned short mpol;       /* mbind's mode | mode flags, 0: MPOL_DEFAULT (one node: 0) */
};

enum {
	VMA_SHARED = 1 << 0,       /* MAP_SHARED */
	VMA_ACCOUNTED = 1 << 1,    /* charged against --memory: private and writable (once) */
	VMA_NORESERVE = 1 << 2,    /* MAP_NORESERVE or a thread stack (MAP_STACK): not charged,
				    * its touched pages are */
	VMA_STACK = 1 << 3,        /* the initial stack */
	VMA_GROWSDOWN = 1 << 4,    /* MAP_GROWSDOWN: the host may extend it downwards */
	VMA_DONTCOPY = 1 << 5,     /* MADV_DONTFORK */
	VMA_MAYWRITE = 1 << 6,     /* PROT_WRITE may be added (not a read-only shared file) */
	VMA_RESERVED = 1 << 7,     /* the stub region: never shown, never touched */
	VMA_LOCKED = 1 << 8,       /* MAP_LOCKED / mlock: shown as such, nothing else */
	VMA_DONTEXPAND = 1 << 9,   /* an AIO ring: mremap may move it, not grow it (EFAULT) */
	VMA_NOEXEC = 1 << 10,      /* a file on a noexec mount: PROT_EXEC may not be added
				    * (Linux clears VM_MAYEXEC; mprotect EACCES) */
	VMA_LOCKONFAULT = 1 << 11, /* mlock2(MLOCK_ONFAULT), mlockall(MCL_ONFAULT); with VMA_LOCKED */
	VMA_SEALED = 1 << 12,      /* mseal: never unmapped, moved, resized or reprotected (EPERM) */
	VMA_DONTDUMP = 1 << 13,    /* MADV_DONTDUMP: left out of a core */
};

#define MM_UNMAPPING_MAX 16
#define MM_SAVED_AUXV 56 /* words of Linux's saved_auxv (6.18's x86-64 AT_VECTOR_SIZE) */

/* Guest address space (one stub process). Every mapping in the stub is recorded in vmas
 * (sorted, non-overlapping), so placement, --memory accounting and /proc/[pid]/maps come
 * from the sentry's own records. */
struct mm {
	int refs;
	struct vma *vmas;
	int nvmas, cap;
	unsigned long mmap_base;  /* top-down placement starts below here */
	unsigned long total_vm;   /* bytes mapped (VmSize) */
	unsigned long hiwater_vm; /* VmPeak */
	unsigned long data_vm;    /* private writable, not stack (VmData, RLIMIT_DATA) */
	unsigned long committed;  /* bytes charged against --memory for this address space */
	unsigned long hiwater_committed;
	unsigned long stack_charge; /* what the initial stack is charged (it grows uncharged) */
	struct cgroup *memcg;     /* the cgroup its charge counts in (fs/cgroupfs.c; a reference) */
	struct mm *replacing;     /* during execve: the image this one replaces (credited) */
	unsigned long brk_start; /* emulated program break */
	unsigned long brk;       /* current break (page-aligned mapping end is PAGE_UP(brk)) */
	unsigned long brk_mapped;/* end of what is really mapped for the break */
	bool host_brk;           /* the stub's own break is [brk_start, brk): brk runs there
				  * (plat_set_mm_map), else the sentry maps the heap itself */
	unsigned long stack_top;
	unsigned long arg_start, arg_end, env_start, env_end;
	/* Linux's figures of the image (load_elf_binary; PR_SET_MM_MAP may set them): its
	 * executable segments' extent, the last segment's start to the end of its file data,
	 * the initial stack pointer (argc): /proc/PID/stat shows them, brk counts the data
	 * against RLIMIT_DATA (the highest segment start to its highest end of file data) */
	unsigned long start_code, end_code, start_data, end_data, start_stack;
	char *exe_path;          /* sandbox path of the executable, for /proc/[pid]/exe */
	struct vfs_where *exe_where; /* and where it is now (a rename, an unlink since) */
	struct file *exe_file;   /* the executable, denied to writers (exe_deny); or NULL */
	unsigned lock_future;    /* mlockall(MCL_FUTURE): VMA_LOCKED (| VMA_LOCKONFAULT) for new mappings */
	unsigned char mdwe;      /* PR_SET_MDWE's bits (PR_MDWE_REFUSE_EXEC_GAIN, _NO_INHERIT): kept by
				  * a fork's and an execve's new image unless NO_INHERIT */
	bool merge_any;          /* PR_SET_MEMORY_MERGE: KSM may merge all its anonymous pages; set
				  * in the stub's own mm (the host merges), which a fork's copy
				  * inherits there; an execve's new stub gets it again */
	unsigned long *auxv;     /* the auxiliary vector the image started with, AT_NULL; or, once
				  * PR_SET_MM set it, Linux's whole saved_auxv (MM_SAVED_AUXV) */
	size_t auxv_len;         /* included (bytes): /proc/[pid]/auxv (debuggers read it) */
	/* Ranges a thread's native munmap or brk shrink frees: gone from vmas, but maybe still
	 * mapped in the host until that thread's next trapped call (mm_native_done), so
	 * placement keeps clear of them (else another thread's native mmap there: EEXIST). */
	struct mm_unmapping {
		unsigned long lo, hi;
		int tid;
	} unmapping[MM_UNMAPPING_MAX];
	int nunmapping;
};

/* Per-task descriptor table; shared by CLONE_FILES. */
struct fdtable {
	int refs;
	int size;                /* slots in files[] */
	struct file **files;
	unsigned char *cloexec;
};

#define TASK_WAIT_FDS 16     /* distinct host fds one blocked call can wait on */

enum task_state {
	TASK_RUNNING,            /* guest code runs (or is about to) */
	TASK_BLOCKED,            /* waiting for a host fd or another task */
	TASK_ZOMBIE,
};

struct task {
	int tid;                 /* virtual tid (== pid for the leader) */
	int tgid;                /* virtual pid */
	int ppid;
	bool traced_exit;        /* leader: it died traced by its parent (waited for as a tracee) */
	int pgid, sid;
	struct plat_ctx *ctx;    /* host thread that runs this task's code */
	/* set_tid_address while the only thread of its address space: kept here, given to the
	 * host (its clear_child_tid) only before a second thread could see it act */
	bool ctid_pending;
	unsigned long ctid_addr;
	unsigned long robust_head; /* set_robust_list's head (syscalls/sys_futex.c), 0: none */
	struct mm *mm;
	struct fdtable *fdt;
	struct fs_context *fs;   /* root, cwd, umask */
	uid_t uid, euid, suid;
	gid_t gid, egid, sgid;
	gid_t *groups;           /* supplementary groups (setgroups), ngroups of them */
	int ngroups;
	/* Capability sets, bit n for capability n (sentry/creds.c): effective, permitted,
	 * inheritable, bounding; keepcaps: PR_SET_KEEPCAPS (kept over a setuid from root). */
	uint64_t cap_eff, cap_prm, cap_inh, cap_bnd;
	bool keepcaps;
	uint64_t cap_amb;        /* the ambient set (PR_CAP_AMBIENT), within cap_prm & cap_inh */
	unsigned int securebits; /* PR_SET_SECUREBITS but SECBIT_KEEP_CAPS, which is keepcaps */
	bool did_exec;           /* leader: it ran execve since its fork (setpgid: EACCES) */
	bool used_priv;          /* a capability check it made for itself succeeded (Linux's
				  * PF_SUPERPRIV: /proc/PID/stat's flags, ps's F) */
	bool result_set;         /* the current call's result is in rax already (sys_value's
				  * SYSRET_DONE): the host makes its exit stop, not the sentry */
	bool no_new_privs;       /* PR_SET_NO_NEW_PRIVS: the guest's own (the stubs always
				  * have the host's set) */
	struct ll_domain *landlock; /* the thread's Landlock domain (fs/landlock.c), NULL: none */
	int nice;                /* -20..19 (setpriority), per thread as on Linux */
	int sched_policy;        /* sched_setscheduler's policy (SCHED_OTHER...), kept in the sentry */
	int sched_prio;          /* its static priority: 1..99 for FIFO and RR, else 0 */
	bool sched_reset;        /* SCHED_RESET_ON_FORK */
	/* SCHED_DEADLINE's runtime, deadline and period (ns) while sched_policy is it */
	unsigned long long dl_runtime, dl_deadline, dl_period;
	int ioprio;              /* ioprio_set's value (class << 13 | data), 0: none */
	/* kcmp: the I/O context (CLONE_IO shares it, ioprio_set makes one) and SysV semaphore
	 * undo list (CLONE_SYSVSEM, SEM_UNDO) it has, as Linux's pointers: 0 none, else an id */
	unsigned long io_ctx, semundo_ctx;
	uid_t fsuid;             /* setfsuid's: every other uid change sets it to euid */
	gid_t fsgid;             /* setfsgid's: every other gid change sets it to egid */
	int core_sig;            /* leader: the signal it dumped core for (task_core_status), 0 */
	/* PR_SET_TIMERSLACK's value (ns), and what 0 sets it back to: a new task gets its
	 * creator's current one as both (Linux copy_process) */
	unsigned long timer_slack, timer_slack_dfl;
	unsigned char mce_kill;  /* PR_MCE_KILL's policy: 0 the system's, else MCE_KILL_SET and
				  * maybe MCE_KILL_EARLY (Linux PF_MCE_PROCESS, PF_MCE_EARLY);
				  * inherited, kept across execve */
	/* PR_SET_SPECULATION_CTRL's last value per control (store bypass, indirect branch, L1D
	 * flush), 0 none: set in the thread's host thread, and again in an execve's new stub */
	unsigned char spec_ctrl[3];
	bool io_flusher;         /* PR_SET_IO_FLUSHER (Linux PF_MEMALLOC_NOIO | PF_LOCAL_THROTTLE;
				  * the sentry's I/O does not reclaim through the guest): inherited,
				  * kept across execve */
	int oom_score_adj;       /* leader: /proc/PID/oom_score_adj (-1000..1000), inherited */
	int oom_score_adj_min;   /* leader: the lowest a process without privilege may set */
	struct rlimit rlim[RLIM_NLIMITS]; /* leader: the process's resource limits (inherited) */
	unsigned long cpus[16];  /* sched_setaffinity's mask (cpus_set), within sentry.guest_cpus */
	bool cpus_set;
	char comm[16];
	enum task_state state;
	int exit_status;         /* wait status */
	struct task *leader;     /* thread-group leader (the task itself for a leader) */
	int live_threads;        /* leader only: threads of the group still running */
	bool exited;             /* leader only: its own thread is gone (the group may live on) */
	bool exit_called;        /* it called exit: its host thread is gone or going, though a
				  * leader's exit is reported by the host only with its group's */
	int exit_signal;         /* sent to the parent when this process ends (SIGCHLD) */
	long long start_ns;      /* when it was made: ns since the sandbox's boot (vfs_boot_ns) */
	struct waitq child_wq;   /* woken when a child of this process changes state */
	struct waitq vfork_wq;   /* woken when this vfork child execs or exits */
	bool vfork_child;        /* its parent waits (in vfork) until it execs or exits */
	int pdeath_sig;          /* PR_SET_PDEATHSIG: sent to it when its parent dies */
	int parent_tid;          /* the thread that forked it: its pdeath_sig goes when that one
				  * exits, and wait's __WNOTHREAD finds it there */
	unsigned int personality; /* personality(2)'s value: kept and inherited, no effect */
	uint32_t loginuid;       /* audit login id (/proc/PID/loginuid), inherited; -1: unset */
	uint32_t sessionid;      /* the audit session it began (/proc/PID/sessionid); -1: none */
	unsigned short mpol_mode; /* set_mempolicy's mode | mode flags (inherited, kept by execve) */
	unsigned long mpol_nodes; /* and its node mask as given (nodes 0..63); one node here */
	unsigned long io_rchar, io_wchar, io_syscr, io_syscw; /* /proc/PID/task/TID/io: its reads and writes */
	int dumpable;            /* leader: PR_SET_DUMPABLE (0 or 1); execve sets 1, id changes 0 */
	bool exec_open;          /* execve is opening its program: execute permission, not read
				  * (Linux's __FMODE_EXEC; never set by a guest's own open) */
	unsigned int coredump_filter; /* leader: /proc/PID/coredump_filter (9 bits), inherited */
	unsigned char thp_disable; /* leader: PR_SET_THP_DISABLE (1, | 2 EXCEPT_ADVISED), inherited */
	bool stopped;            /* this thread sits in a group stop: not resumed until SIGCONT */
	bool group_stopped;      /* leader: the process is stopped */
	bool stop_pending;       /* leader: a stop signal was sent and no SIGCONT since */
	int stop_sig;            /* leader: the signal that stopped it */
	bool stop_report;        /* leader: a stop not yet reported to wait (WUNTRACED) */
	bool stop_notify_due;    /* leader: stopping; the parent hears once all threads stop */
	bool cont_report;        /* leader: a continue not yet reported (WCONTINUED) */
	unsigned long user_us, sys_us;        /* leader: CPU time of the process once it ended */
	unsigned long sched_us;  /* leader: and its CPUCLOCK_SCHED then (0: user_us + sys_us) */
	unsigned long child_user_us, child_sys_us; /* leader: reaped children's, and theirs */
	unsigned long maxrss_kb, child_maxrss_kb;  /* leader: peak RSS, its own and its reaped children's */
	/* leader: every rusage field (sentry/rusage.c; the fields above agree with them): its
	 * own once it ended, its reaped children's (with theirs), and what the images it
	 * replaced by execve used (the live stub's kernel counts only the current one) */
	struct rusage ru_self, ru_children, ru_exec;
	/* ru_nvcsw: the host counts a voluntary switch for each stop the sandbox makes
	 * (plat_switches), which the guest's count leaves out; a call that waited in the
	 * sentry counts one, as it would on Linux. waited_calls: this thread's, in this image;
	 * nvcsw_gone (leader): what the gone threads of this image had to leave out. */
	unsigned long waited_calls;
	long nvcsw_gone;
	long vfork_result;       /* parent side: the child's tid, returned once it is released */
	bool vfork_masked;       /* parent side: signals blocked while it waits, vfork_mask after */
	unsigned long vfork_mask;
	/* A blocked syscall (SYSRET_BLOCK) is re-run when one of its host fds becomes ready,
	 * a queue it sleeps on is woken, or its deadline passes. Host fds and queues are
	 * registered anew by every run; the deadline and flags last until the call ends. */
	int nwait_fds;
	struct task_wait_fd {
		int fd;
		short events;    /* POLLIN / POLLOUT */
	} wait_fds[TASK_WAIT_FDS];
	long long wait_deadline; /* CLOCK_MONOTONIC ns; 0: none */
	long long wait_poll_at;  /* re-run then too (more host fds than wait_fds holds) */
	bool wait_eintr;         /* not restartable: a signal ends it with -EINTR */
	bool wait_nohand;        /* Linux's ERESTARTNOHAND (msgsnd, msgrcv): a signal whose
				  * handler runs ends it with -EINTR, any other restarts it */
	bool wait_rerun;         /* this run of the handler is a re-run of a blocked call */
	long last_nr;            /* the call the sentry saw last (/proc/PID/wchan of a sleep) */
	bool native_sleep;       /* let run natively into a sleep (nanosleep, pause): /proc
				  * says S until the next event of the thread */
	size_t wait_written;     /* a blocking pipe write: bytes earlier runs of it wrote */
	unsigned long wait_left; /* select, pselect6, ppoll: where the time left goes when a
				  * signal ends the wait (Linux poll_select_finish), 0: none */
	bool wait_left_tv;       /* ...as a timeval (select), else a timespec */
	bool wait_ends_zero;     /* whatever ends the wait (a signal, a timeout) ends the call
				  * with 0: a TCP receive of 0 bytes (Linux tcp_recvmsg) */
	/* A blocked read or write keeps its file, as Linux's fdget does: a close of the
	 * descriptor by another thread ends neither the call nor the file (sys_hold_fd). */
	struct file *wait_file;
	int wait_fdnum;
	int last_fdnum;          /* the descriptor sys_fd looked up last, and its file */
	struct file *last_file;
	long long wait_mmsg_end; /* a blocking recvmmsg's timeout: its end (monotonic ns) */
	size_t wait_mmsg_part;   /* a blocking stream sendmmsg: bytes of its last message sent */
	bool wait_sigmask;       /* ppoll/pselect6 installed wait_oldmask's replacement */
	unsigned long wait_oldmask;
	bool wait_takes;         /* ... or rt_sigtimedwait blocked what it takes: wait_oldmask
				  * is the caller's own mask then (Linux's real_blocked) */
	/* Interrupted with that temporary mask: the handler runs with it, and its frame must
	 * restore mask_after on return (Linux's saved sigmask); done at the next delivery. */
	bool mask_after_handler;
	unsigned long mask_after;
	struct waiter *waiters;  /* queues this task sleeps on */
	bool native_timers;      /* leader: timers run in the stub's kernel (CPU clocks) */
	unsigned int timer_next_id; /* leader: where the next POSIX timer id is looked for */
	bool timer_restore_ids;  /* leader: PR_TIMER_CREATE_RESTORE_IDS: timer_create takes the
				  * id the guest asks for (cleared by execve) */
	bool sig_check;          /* leader: a process-directed signal may wait in the shared set */
	bool sig_killed;         /* leader: sent SIGKILL, it is going (process_mrelease) */
	bool sig_sent;           /* a signal was sent to it that no wait of it has seen yet: its
				  * stub may hold it unreported in a stop the sentry had not taken */
	bool child_subreaper;    /* leader: PR_SET_CHILD_SUBREAPER: orphans below come here */
	/* The guest's seccomp filters (sentry/seccomp.c): this thread's chain and mode; the
	 * leader's stub traces every call for them; a filter's kill ends the process as by
	 * seccomp_kill_sig. */
	struct gfilter *seccomp;
	int seccomp_mode;
	bool seccomp_stub;
	int seccomp_kill_sig;
	struct unotif *unotif;   /* its call, sent to a listener, waits for the answer */
	/* Syscall user dispatch (prctl PR_SET_SYSCALL_USER_DISPATCH, sentry/seccomp.c): this
	 * thread's calls from outside [sud_off, sud_off + sud_len) become SIGSYS while the byte
	 * at sud_sel (if any) says BLOCK; neither fork, clone nor execve keeps it. */
	bool sud_on;
	unsigned long sud_off, sud_len, sud_sel;
	/* leader: the process's signal handlers as the guest set them (SIG_DFL, SIG_IGN or an
	 * address; rt_sigaction with a new action traps, the host then installs it) */
	unsigned long sig_handlers[64];
	unsigned long sig_flags[64]; /* leader: and their sa_flags (SA_NOCLDSTOP...) */
	struct tty *tty;         /* leader: the process's controlling terminal (fs/tty.h) */
	/* cgroup v2 (fs/cgroupfs.c): the task's cgroup (a reference, its leader's); whether it
	 * left the cgroup's live tasks (it exited); leader: its CPU time when it came there */
	struct cgroup *cgroup;
	bool cg_exited;
	unsigned long cg_user_base, cg_sys_base;
	/* cgroup.freeze: how the thread is held while its cgroup is frozen (CG_PARK_*) and
	 * what it does once thawed: handle its event (cg_park_ev, malloc'd), end its call
	 * with cg_park_arg, or resume with signal cg_park_arg; SIGSTOPs the freezer sent it
	 * (to stop it where it ran) not yet seen */
	unsigned char cg_park;
	long cg_park_arg;
	void *cg_park_ev;
	int cg_kicks;
	/* Set by a handler that keeps state across the re-runs of its blocked call (a lock
	 * request, a FIFO open): called once when the call ends (done, interrupted, or the
	 * task exits), then cleared; a handler that completes clears its state first. */
	void (*wait_cancel)(struct task *t);
	struct ptrace_state *pt; /* traced by a guest tracer (sentry/ptrace.h), else NULL */
	struct task_keys *keys;  /* keyrings: thread, process (leader), session (sys_keys.c) */
	struct ns_common *ns[8]; /* its UTS, IPC, mount, user, net namespaces,
				  * pid_for_children, time_for_children and cgroup namespace
				  * (sentry/ns.h, NS_*) */
	struct pid_ns *pidns;    /* the pid namespace of its pid (a reference, until freed) */
	struct ns_common *timens; /* the time namespace it lives in (a reference) */
	bool clocks_traced;      /* leader: its stub sends the shifted clocks to the sentry */
	bool advice_traced;      /* leader: its stub sends madvise that locks refuse to the sentry */
	struct task *run_next;   /* on sentry.runq when woken (or resumed by its tracer) */
	bool queued;
	UT_hash_handle hh;       /* sentry.tasks, keyed by tid */
};

struct sentry_opts {
	int audit_fd;            /* -1: audit off; otherwise JSON lines go here */
	int trace_fd;            /* -1: off */
	bool stats;              /* --stats: per-syscall counts and sentry time at exit */
};

/* The guest tasks a run may have without --pids. */
#define SANDBOX_DEFAULT_TASKS 4096

struct sentry {
	struct task *tasks;      /* hash by tid */
	struct task *init;       /* the first program, virtual pid 1 */
	int next_pid;
	int nblocked;            /* tasks in TASK_BLOCKED (task_set_state keeps it) */
	struct sentry_opts opts;
	/* the guests' calls the sentry ran but for queries that change nothing /proc shows
	 * (fstat, lseek...): a /proc file's text made at open is still current for its first
	 * read when no other call came between (fs/procfs.c) */
	unsigned long changes;
	unsigned long denials;
	volatile unsigned long *denials_shared; /* the CLI's copy, kept current (a kill may end the run) */
	uid_t host_uid;          /* identity the guest sees by default */
	gid_t host_gid;
	gid_t *host_groups;      /* the caller's supplementary groups, host_ngroups of them */
	int host_ngroups;
	int host_nice;            /* the caller's nice value: the first program's */
	int host_ping_groups[2];  /* the host's net.ipv4.ping_group_range (lo > hi: none) */
	uint32_t host_loginuid;   /* the caller's audit login id and session: the first */
	uint32_t host_sessionid;  /* program's, as a child's natively (-1: unset) */
	uint32_t audit_sessions;  /* the last audit session id given out */
	bool host_nnp;            /* the caller's no_new_privs: the first program's */
	struct sock_fprog profile_filter; /* --seccomp / linux.seccomp (len 0: none): given
					   * to the first program and an exec's */
	unsigned long host_ignored; /* signals the caller ignores (bit sig-1): the first program's too */
	char hostname[65];
	char domainname[65];      /* setdomainname's (until then: "(none)") */
	bool domainname_set;
	struct utsname uts;       /* the host's, read before confinement; nodename from hostname */
	/* the resource limits of the process whose call runs: dispatch loads them from its
	 * leader's rlim (setrlimit/prlimit64 change both) */
	struct rlimit rlim[RLIM_NLIMITS];
	struct rlimit host_stack; /* the stubs' host RLIMIT_STACK as the zygote has it */
	struct task *runq;        /* woken tasks whose syscalls re-run next */
	int max_tasks;            /* --pids: fork/clone past it fail with EAGAIN
				   * (SANDBOX_DEFAULT_TASKS without it) */
	/* An OCI container: its pid 1 is a container's init to the host too (Linux's
	 * SIGNAL_UNKILLABLE from every side): wait.c task_init_drops. */
	bool init_unkillable;
	/* The CPUs the guest may use: the sandbox's affinity before the sentry pinned itself
	 * and the stubs (a cpu_set_t; sched_getaffinity shows it). All zero: not recorded. */
	unsigned long guest_cpus[1024 / (8 * sizeof(unsigned long))];
};
extern struct sentry sentry;

/* Every change of a task's state goes through here: the loop asks whether any task is
 * blocked at each turn, which must not cost a walk over thousands of threads. */
static inline void
task_set_state(struct task *t, enum task_state s)
{
	sentry.nblocked += (s == TASK_BLOCKED) - (t->state == TASK_BLOCKED);
	t->state = s;
}
/* Host pid of the first program's stub: host signals to `sandbox` are forwarded there. */
extern volatile pid_t init_host_pid;
/* Bit N set: the host sent signal N to `sandbox` (forwarded to the first program). */
extern volatile unsigned long host_signals_pending;
/* Bit N set: the host sent signal N to the whole process group of `sandbox`, whose guest
 * processes each got it: the calls they wait in for the sentry end for it. */
extern volatile unsigned long host_group_signals;

/* Guest memory: the only way the sentry touches it (sentry/usermem.c). */
int copy_from_guest(struct task *t, void *dst, unsigned long src, size_t n);   /* 0 / -EFAULT */
int copy_to_guest(struct task *t, unsigned long dst, const void *src, size_t n); /* 0 / -EFAULT */
/* Like the above but stop at the first fault: return how many leading bytes were copied. */
size_t copy_to_guest_partial(struct task *t, unsigned long dst, const void *src, size_t n);
size_t copy_from_guest_partial(struct task *t, void *dst, unsigned long src, size_t n);
/* The same through one host thread (at its exit stop: its process's leader may be gone). */
int copy_from_thread(pid_t host, void *dst, unsigned long src, size_t n);
int copy_to_thread(pid_t host, unsigned long dst, const void *src, size_t n);
/* Copies a NUL-terminated string of at most max-1 bytes; returns its length,
 * -EFAULT, or -ENAMETOOLONG when no NUL is found within max bytes. */
long strncpy_from_guest(struct task *t, char *dst, unsigned long src, size_t max);
/* Allocates and copies a path (PATH_MAX); -EFAULT, -ENAMETOOLONG, -ENOENT for "". */
int path_from_guest(struct task *t, unsigned long src, char **out);

/* Guest address-space operations, run inside the stub and recorded (sentry/mm.c). Each
 * places the mapping itself (addr is a hint without MAP_FIXED), checks RLIMIT_AS,
 * RLIMIT_DATA and --memory, and returns the address or -errno like mmap(2). */
long mm_mmap(struct task *t, unsigned long addr, size_t len, int prot, int flags); /* anon */
int mm_munmap(struct task *t, unsigned long addr, size_t len);
int mm_mprotect(struct task *t, unsigned long addr, size_t len, int prot);
/* Maps len bytes of f at offset off (for real or by copying), like mmap(2) of a file. */
long mm_map_file(struct task *t, unsigned long addr, size_t len, int prot, int flags,
		 struct file *f, off_t off);
/* One mapping of a batch (mm_map_batch): of file f at off, or anonymous memory (f NULL). */
struct mm_map_req {
	unsigned long addr;
	size_t len;
	int prot, flags;           /* flags: MAP_PRIVATE and MAP_FIXED or MAP_FIXED_NOREPLACE */
	struct file *f;
	off_t off;
	bool stack;                /* the initial stack (mm_map_stack: len, charge, prot; last) */
	size_t charge;
	long result;               /* out: as mm_map_file or mm_mmap; -ECANCELED: not tried */
};
/* Makes the mappings in order as mm_map_file and mm_mmap would, up to the first that
 * fails; fixed private ones in ascending disjoint ranges of one file (and anonymous
 * memory), the last maybe placed by the sandbox, take one host stop together. A failure may leave the failed and untried ranges
 * unmapped. Returns how many were tried. */
int mm_map_batch(struct task *t, struct mm_map_req *req, int n);
/* The initial stack: size bytes below a randomized top, charged only charge bytes. */
long mm_map_stack(struct task *t, size_t size, size_t charge, int prot);
/* The host grows the initial stack unseen (MAP_GROWSDOWN): its records learn how far from
 * the host's figures (a gofer round trip), for a live task t of the address space. */
void mm_sync_stack(struct task *t);
/* ...from the host's VmStk in bytes, when the caller asked the gofer for it anyway. */
void mm_stack_grown(struct mm *mm, unsigned long host_vmstk);
/* ...when [start, end) reaches into the gap below the stack, where it may have grown: before
 * a call acts on that range by the records. */
void mm_sync_below_stack(struct task *t, unsigned long start, unsigned long end);
/* A copy to or from the memory of the calling task t at [addr, addr+n) failed: if addr lies
 * below its stack, the stub touches it (Linux's copy would grow the stack; the host's
 * process_vm_* may not). true: the stack grew, try again. */
bool mm_grow_stack_for(struct task *t, unsigned long addr, size_t n);
/* The guest's own calls (sys_mm.c validated the arguments Linux checks first). Results
 * may be SYSRET_NATIVE: the host runs the call as recorded (arguments possibly rewritten). */
long mm_sys_mmap_anon(struct task *t, unsigned long addr, size_t len, int prot, int flags);
long mm_sys_mmap_file(struct task *t, unsigned long addr, size_t len, int prot, int flags,
		      struct file *f, off_t off);
long mm_sys_munmap(struct task *t, unsigned long addr, size_t len);
long mm_sys_mprotect(struct task *t, unsigned long addr, size_t len, int prot, long pkey);
/* remap_file_pages as Linux 4.0+ emulates it: the shared file mapping at start shows the
 * file from page pgoff on (a new mapping of the same file in its place). 0 / -errno. */
long mm_sys_remap_file_pages(struct task *t, unsigned long start, unsigned long size,
			     unsigned long prot, unsigned long pgoff, unsigned long flags);
long mm_sys_mremap(struct task *t, unsigned long old, size_t old_len, size_t new_len,
		   int flags, unsigned long new_addr);
long mm_sys_madvise(struct task *t, unsigned long addr, size_t len, int advice);
/* A hint (cold, pageout, willneed, collapse) for another process's range [addr, addr + len)
 * (process_madvise), checked as Linux's madvise walk checks it: EINVAL for a start off a
 * page or a length that wraps, EINVAL at a locked mapping for an advice locks refuse,
 * ENOMEM for a hole (the stub region is one); 0 otherwise. What it does to the pages is the
 * host's business, as for any hint. */
long mm_advise_remote(struct mm *mm, unsigned long addr, size_t len, int advice);
int mm_set_mpol(struct mm *mm, unsigned long start, unsigned long end, unsigned short mpol);
/* mlock's records: the mappings of [start, end) up to its first unmapped page (then
 * -ENOMEM) each get lock (VMA_LOCKED [| VMA_LOCKONFAULT]) or, with 0,
 * loses it. end == 0: every mapping (mlockall / munlockall). */
int mm_set_locked(struct mm *mm, unsigned long start, unsigned long end, unsigned lock);
#ifndef __NR_mseal
#define __NR_mseal 462 /* Linux 6.10; older uapi headers lack it */
#endif
/* mseal(2): 0 or -errno as Linux's; the host seals the stub's mappings too, so the calls
 * that run there natively (madvise) are refused as well. */
long mm_sys_mseal(struct task *t, unsigned long start, size_t len, unsigned long flags);
int mm_get_mpol(struct mm *mm, unsigned long addr);
/* brk(want) for an address space whose stub has the guest's break (mm->host_brk), want
 * already checked against brk_start and RLIMIT_DATA: the new break, or SYSRET_NATIVE when
 * the stub's own brk will do exactly what the records now say. */
/* The bytes of mm->auxv up to and with its first AT_NULL pair (Linux's get_auxv: what
 * /proc/PID/auxv and a core's NT_AUXV show of the saved vector). */
size_t mm_auxv_shown(const struct mm *mm);
long mm_sys_brk(struct task *t, unsigned long want);
/* t trapped again (or is gone): the native munmap or brk it was let run has finished. */
void mm_native_done(struct task *t);
struct mm *mm_new(void);
/* exec without address-space randomization: mm_new's stack top and mmap_base fixed. */
void mm_fixed_layout(struct mm *mm, unsigned long stack_rlim);
/* exec with randomization: mmap_base below a stack rlimit larger than mm_new's gap. */
void mm_random_layout(struct mm *mm, unsigned long stack_rlim);
/* fork: a copy of old's records (charged again, as Linux does): 0 / -ENOMEM. */
int mm_fork(struct mm *old, struct mm **out);
unsigned char mm_mdwe_inherited(const struct mm *old);
void mm_put(struct mm *mm);
/* True when [addr, addr+len) touches the sentry's reserved stub region. */
bool mm_range_reserved(unsigned long addr, size_t len);
/* The mapping containing addr, or NULL. */
struct vma *mm_find_vma(struct mm *mm, unsigned long addr);
/* Sizes for /proc/[pid]/status, statm and stat, in bytes. The sentry does not see which pages
 * are resident: "rss" is what the address space is charged (its private writable memory and
 * its shared memory), an upper bound that grows and shrinks with mmap and munmap. */
struct mm_stats {
	unsigned long size, peak, rss, hwm, anon, shmem, data, stack, exe, lib, locked;
};
void mm_stats(struct mm *mm, struct mm_stats *s);
/* f is the executable (exec, PR_SET_MM_EXE_FILE): /proc/PID/exe's name as made now (the
 * file's path, else fallback; NULL: the old one kept) and where f is, for its name later. */
void mm_set_exe(struct mm *mm, struct file *f, const char *fallback);
/* What /proc/[pid]/maps shows after the numbers for v: a path, [heap], [stack], [vdso]... or
 * "" for an anonymous mapping; dev and ino of a file. A file's path is its name now, as the
 * calling task sees it, made in buf (n bytes). */
const char *mm_vma_label(struct mm *mm, const struct vma *v, unsigned long *dev,
			 unsigned long *ino, char *buf, size_t n);

/* Limits (sentry/limits.c). --memory: every guest mapping charged by the rules above, plus
 * memory the sentry holds for guests (tmpfs data, pipe buffers), against one budget. */
enum {
	LIMIT_NONE,
	LIMIT_MEMORY,            /* --memory */
	LIMIT_CPU,               /* --cpu-time */
	LIMIT_PIDS,              /* --pids */
	LIMIT_FILES,             /* --files */
	LIMIT_FSIZE,             /* --fsize */
	LIMIT_TIMEOUT,           /* --timeout (the CLI's own) */
	LIMIT_COUNT,
};
/* What the sentry tells the `sandbox` process about limits while and after it runs (a
 * shared page mapped before the sentry exists). */
struct limit_report {
	int limit_hit;           /* LIMIT_* that ended the run (the sentry killed every guest) */
	unsigned refused;        /* bit (1 << LIMIT_*): that limit refused something */
	unsigned long mem_limit; /* bytes */
	unsigned long mem_charged, mem_peak;
	unsigned long mem_held;  /* the part the sentry holds itself (tmpfs data, pipes) */
	bool oom_kill;           /* a host cgroup's OOM killer enforces mem_limit on the guests'
				  * mappings (an OCI container's): no mapping is refused, only
				  * what the sentry holds */
	unsigned long long cpu_limit_ns, guest_cpu_ns;
	unsigned long long guest_cpu_gone_ns; /* kept current: CPU of stubs already gone */
};
extern struct limit_report *limit_report;
/* Maps the shared report page (the CLI, before starting the sentry). */
void limits_init(unsigned long mem_limit, unsigned long long cpu_limit_ns);
bool mem_fits(unsigned long bytes);          /* would a charge of bytes stay within --memory */
/* The same for a mapping's charge while credit bytes are about to be given back (an
 * execve's old image). */
bool mem_fits_credit(unsigned long bytes, unsigned long credit);
/* Memory the sentry holds for guests (tmpfs file data, pipe buffers). */
int mem_charge(unsigned long bytes);         /* 0, or -ENOMEM past --memory */
unsigned long mem_room(void);                /* what mem_charge would still take */
void mem_charge_force(unsigned long bytes);  /* counted, never refused */
void mem_uncharge(unsigned long bytes);
/* Guest mappings (sentry/vma.c; checked against the limit beforehand). */
void mem_map_charge(long delta);
/* "memory limit (512M)": how messages name --memory. */
void limits_format_memory(char *buf, size_t len);
/* A request was refused by limit (LIMIT_*): remembered for the result, warned once. */
void limit_refused(int limit, const char *what);
/* --cpu-time: when the next check is due (CLOCK_MONOTONIC ns, 0: no limit), and the check:
 * past the limit it kills every guest and ends the sentry with EXIT_LIMIT. */
long long limits_cpu_deadline(void);
void limits_check_cpu(void);
/* Ends the run for limit: kills every guest process, reports, exits EXIT_LIMIT. */
void limits_end_run(int limit) __attribute__((noreturn));

/* Descriptor tables (sentry/fdtable.c). */
struct fdtable *fdt_new(void);
struct fdtable *fdt_copy(struct fdtable *fdt);   /* fork without CLONE_FILES */
/* Linux dup_fd: a copy's table holds the highest open descriptor in whole words of 64;
 * past the first word it may not outgrow fs.nr_open (lowered since), rounded up to a
 * word: -EMFILE (fork, unshare(CLONE_FILES)), else 0. */
int fdt_copy_room(struct fdtable *fdt);
void fdt_put(struct fdtable *fdt);
/* Installs f (takes a reference) at the lowest free slot >= minfd; returns fd or -EMFILE. */
int fdt_install(struct fdtable *fdt, struct file *f, int minfd, bool cloexec);
/* Is a descriptor free below the limit? 0 / -EMFILE (Linux get_unused_fd_flags, which a
 * call that makes something to install asks first: its EMFILE then made nothing). */
int fdt_room(struct fdtable *fdt);
/* Installs at exactly fd, closing what was there; returns fd or -EBADF/-EMFILE. */
int fdt_install_at(struct fdtable *fdt, int fd, struct file *f, bool cloexec);
struct file *fdt_get(struct fdtable *fdt, int fd);   /* borrowed, NULL if not open */
int fdt_close(struct fdtable *fdt, int fd);          /* 0 / -EBADF */
void fdt_close_on_exec(struct fdtable *fdt);
int fdt_max_fds(void);             /* RLIMIT_NOFILE soft limit */
void fdt_set_max_fds(int n);

/* Tasks (sentry/task.c). */
struct task *task_new(void);
/* Capabilities (sentry/creds.c). CAPS_ALL: every capability this kernel ABI knows. */
#define CAPS_ALL ((1ULL << (CAP_LAST_CAP_ + 1)) - 1)
#define CAP_LAST_CAP_ 40
/* Does t hold cap in its effective set? t == NULL (the sentry itself) holds all. */
/* `sandbox __init -- PROGRAM ARGS...`, run inside by `sandbox run --init`
 * (sentry/guest_init.c). */
int guest_init_main(int argc, char **argv);
/* Ends this process by sig as a process killed by it ends (default action, no core of
 * its own); returns only if sig does not kill by default. The CLI dies so of the signal
 * that killed the first program (an OCI runtime's caller reports how the container
 * ended), the --init of its child's. */
void die_of_signal(int sig);

/* A capability's number by its "CAP_..." name, -1 if Linux's ABI here has none such. */
int cap_by_name(const char *name);
bool task_capable(const struct task *t, int cap);
/* cap over a file owned by kernel ids kuid, kgid (-1: not asked) (Linux
 * capable_wrt_inode_uidgid): cap in t's own user namespace, where both must have a
 * mapping. */
bool task_capable_wrt_ids(const struct task *t, long kuid, long kgid, int cap);
/* May caller inspect or trace target (Linux ptrace_may_access)? fscreds: by its fsuid,
 * fsgid and effective set (PTRACE_MODE_FSCREDS), else by its real ids and permitted set. */
bool task_ptrace_may_access(const struct task *caller, const struct task *target, bool fscreds);
/* The first task's sets: all for uid 0, none otherwise (the bounding set is full). */
void task_caps_init(struct task *t);
/* Linux's cap_emulate_setxuid after a set*uid changed t's ids from old_{r,e,s}. */
void task_caps_setuid(struct task *t, uid_t old_r, uid_t old_e, uid_t old_s);
void task_caps_setfsuid(struct task *t, uid_t old_fs); /* setfsuid: CAP_FS_MASK follows fsuid 0 */
/* execve: root (real or effective uid 0) gets its bounding set permitted (and effective
 * when the effective uid is 0); others keep their ambient set only (no file capabilities). */
void task_caps_exec(struct task *t);
/* Securebits (Linux 6.14's: exec bits included) and PR_CAP_AMBIENT's operations. */
#define SECBIT_NOROOT_ 0x1
#define SECBIT_NO_SETUID_FIXUP_ 0x4
#define SECBIT_KEEP_CAPS_ 0x10
#define SECBIT_NO_CAP_AMBIENT_RAISE_ 0x40
#define SECURE_ALL_BITS_ 0x555UL
#define SECURE_ALL_LOCKS_ 0xaaaUL
#define PR_CAP_AMBIENT_IS_SET_ 1
#define PR_CAP_AMBIENT_RAISE_ 2
#define PR_CAP_AMBIENT_LOWER_ 3
#define PR_CAP_AMBIENT_CLEAR_ALL_ 4
/* prctl(PR_CAP_AMBIENT, op, cap, a4, a5) and prctl(PR_SET_SECUREBITS, bits): result / -errno. */
long task_caps_ambient(struct task *t, unsigned long op, unsigned long cap, unsigned long a4,
		       unsigned long a5);
long task_set_securebits(struct task *t, unsigned long bits);
struct task *task_lookup(int tid);
/* comm after an execve of the program named path (sentry/task.c) */
void task_set_comm(struct task *t, const char *path);
/* sentry/exec_ctl.c: a program name as execvp looks it up in envp's PATH, inside the sandbox (a
 * name with '/' as is); NULL if nothing is found, *err -ENOENT or -EACCES. Allocated. */
char *resolve_program(struct task *t, const char *name, char **envp, int *err);
void task_exit(struct task *t, int wait_status);
/* A thread killed by a signal: its status with WCOREDUMP if the process dumps core. */
int task_core_status(struct task *t, int status);
/* The core file core_pattern names, made anew for a dump by sig: 0 / -errno. */
int core_file_open(struct task *t, int sig, struct file **out);
bool task_core_signal(int sig);
/* t is stopped for sig (si), whose default action dumps core and ends it: writes "core"
 * with its memory and registers when the process may dump (sentry/coredump.c). */
void task_dump_core(struct task *t, int sig, const siginfo_t *si);
/* Frees a reaped zombie. */
void task_reap(struct task *t);
void task_notify_parent_exit(struct task *leader); /* its wait, its exit signal */
/* Undoes a new task whose clone failed (it never ran): no exit, no zombie, no signal. */
void task_discard(struct task *t);
/* A vfork child execs or exits: its parent may go on. */
void task_vfork_release(struct task *t);
/* Counts live tasks (for --pids). */
int task_count(void);

/* cgroup v2 (fs/cgroupfs.c). A new task starts in the root; a forked one moves to its
 * parent's cgroup (cgroup_fork, right after init_child); cgroup_can_fork: -EAGAIN past a
 * pids.max. cgroup_task_exit: the task ended (no longer a member), cgroup_task_free: it
 * was released (its pids charge goes). */
struct cgroup;
void cgroup_task_new(struct task *t);
void cgroup_fork(struct task *parent, struct task *c);
int cgroup_can_fork(struct task *t);
void cgroup_task_exit(struct task *t);
void cgroup_task_free(struct task *t);
struct cgroup *cgroup_get(struct cgroup *cg);
void cgroup_put(struct cgroup *cg);
/* The cgroup a new address space of t charges (a reference; NULL t: the root). */
struct cgroup *cgroup_mm_get(struct task *t);
/* Would a charge of bytes (less credit, the image an execve replaces) stay within
 * memory.max of cg and its ancestors? false counts a max event. memcg_charge: counts it. */
bool memcg_fits(struct cgroup *cg, unsigned long bytes, unsigned long credit);
void memcg_charge(struct cgroup *cg, long delta);
/* The sandbox's own limit (LIMIT_MEMORY, LIMIT_PIDS) refused: the root cgroup's events. */
void cgroup_limit_event(int limit);
/* cgroup.freeze. cgroup_park: when t's cgroup is frozen, t is held (kind CG_PARK_*, arg
 * as its field) instead of going on: true. cgroup_thawed: some held threads may go on
 * (sentry/loop.c then runs evl_unpark for them, cleared). */
enum { CG_PARK_NONE, CG_PARK_EVENT, CG_PARK_FINISH, CG_PARK_RESUME };
bool cgroup_frozen(const struct task *t);
bool cgroup_park(struct task *t, int kind, long arg);
extern bool cgroup_thawed;
/* A set_tid_address the host has not been given yet goes to it now (before a clone that
 * shares the address space). 0 / -errno. */
int task_ctid_apply(struct task *t);
/* Iteration for procfs: the task after prev (NULL = first), by tid. */
struct task *task_next(struct task *prev);

/* The bit of signal s in a 64-bit signal set. */
#define SIG_BIT(s) (1UL << ((s) - 1))

/* Signals (sentry/signal.c). The host kernel delivers them in the stub with the guest's
 * disposition, and the siginfo given here. task_send_signal: for the thread t, or
 * (process) for t's process; wakes sleepers on sig_sent_waitq and interrupts a blocked
 * call the signal would interrupt. task_signal: one from the kernel (SI_KERNEL) to t. */
int task_send_signal(struct task *t, int sig, const siginfo_t *info, bool process);
int task_signal(struct task *t, int sig);
/* What a call raises in its own thread (SIGPIPE, SIGXFSZ): SI_USER from t itself. */
int task_signal_self(struct task *t, int sig);
void sig_info_kernel(siginfo_t *si, int sig);
/* From task `from`: code SI_USER (kill) or SI_TKILL (tkill, tgkill), its pid and real uid
 * (as its own user namespace sees it). */
void sig_info_from(siginfo_t *si, int sig, int code, const struct task *from);
/* A signal that from sends to `to` (one with a uid: kill's, sigqueue's, SIGCHLD...): si_uid,
 * read as from's user namespace sees it, as to's does (Linux send_signal_locked; so a
 * stop's SIGCHLD and mq_notify's signal, whose uid is already in to's view, are translated
 * twice, as on Linux; an exit's SIGCHLD is not: do_notify_parent). */
void sig_fixup_uid(siginfo_t *si, const struct task *from, const struct task *to);
/* What the parent of process l gets (SIGCHLD or its exit signal): code CLD_STOPPED or
 * CLD_CONTINUED with status the signal; sig_info_exit: CLD_EXITED/KILLED/DUMPED from
 * l->exit_status. With l's pid, kernel uid (the sender maps it with userns_uid_out for
 * the receiver) and CPU time in clock ticks. */
void sig_info_child(siginfo_t *si, int sig, struct task *l, int code, int status);
void sig_info_exit(siginfo_t *si, int sig, struct task *l);
/* Takes the first pending signal of set for t (its thread's queue, then its process's)
 * from the stub without waiting: the signal with *si as the guest must see it, 0 if none,
 * or -errno. sig_pending: the blocked signals pending for t (rt_sigpending). */
int sig_dequeue(struct task *t, unsigned long set, siginfo_t *si);
int sig_pending(struct task *t, unsigned long *set);
/* A call waiting to take a signal: re-run when one is sent (or, with CPU-clock timers in
 * the stub, every 20 ms). */
void sig_wait_for_signals(struct task *t);
struct waitq *sig_sent_waitq(void);
/* A process-directed signal went to the host's shared pending set while a thread blocked
 * in the sentry might have to take it: when to look (0: nothing to do), and the look. */
long long sig_check_deadline(void);
void sig_check_shared(void);
/* The task whose syscall the sentry is running (NULL between calls): for the files whose
 * answers depend on the caller (signalfd reads the caller's signals). */
extern struct task *current_task;

/* ok, noting a capability check the current task passed (PF_SUPERPRIV: not a check on
 * another task's behalf). */
static inline bool
task_note_priv(const struct task *t, bool ok)
{
	if (ok && t && t == current_task)
		current_task->used_priv = true;
	return ok;
}

/* Resource use (sentry/rusage.c). ru_add: times and counters add up, ru_maxrss is a peak. */
void ru_add(struct rusage *acc, const struct rusage *r);
/* getrusage(who) run in t's stub now. 0 / -errno. */
int task_rusage_stub(struct task *t, int who, struct rusage *ru);
/* RUSAGE_SELF of t's process: the stub's own plus its replaced images'; _native: there
 * were none, so the stub's answer is already right. */
int task_rusage_self(struct task *t, struct rusage *ru);
int task_rusage_thread(struct task *t, struct rusage *ru);   /* RUSAGE_THREAD */
/* RUSAGE_SELF of t's current image alone (ru_nvcsw without the sandbox's stops). */
int task_rusage_image(struct task *t, struct rusage *ru);
/* execve: the replaced image used old (the host's count), of which sandbox (as from
 * task_nvcsw_sandbox) was the sandbox's: added to l's ru_exec. */
void task_rusage_exec(struct task *l, struct rusage *old, long sandbox);
/* What the host's ru_nvcsw for t's thread (process false) or its process's current image
 * (true) has to leave out now: the sandbox's stops, less the calls that waited. */
long task_nvcsw_sandbox(struct task *t, bool process);
/* The thread t is gone: its share of that goes to its leader (nvcsw_gone). */
void task_rusage_thread_gone(struct task *t);
/* The leader's exit event brought the host's count (host) of its last image. */
void task_rusage_exited(struct task *l, const struct rusage *host);
/* A leader's process clocks as the host read them at its exit (plat_exit_cpu_clock: what
 * RLIMIT_CPU went by), with what the images it replaced used. */
void task_rusage_exit_clocks(struct task *l, unsigned long user_us, unsigned long sys_us,
			     unsigned long sched_us);
/* A zombie child's own usage with its reaped children's (what wait4 reports), and the
 * parent l reaping it. */
void task_rusage_both(struct task *c, struct rusage *ru);
void task_rusage_reaped(struct task *l, const struct rusage *child_both);

/* The guest's seccomp (sentry/seccomp.c). seccomp_syscall: seccomp(2)'s operations;
 * seccomp_filter_call: runs t's filters on the call a before its handler: true if the call
 * must not run, with its result (or SYSRET_EXITED: the process was killed); seccomp_exec:
 * the new stub of an execve traces every call too, if the filters need it.
 * seccomp_get/put: chain references. seccomp_attach: a filter the sandbox itself gives
 * t (--seccomp, an OCI container's linux.seccomp), checked and attached as seccomp(2)
 * attaches one for a privileged caller; 0 / -errno. */
struct gfilter;
struct sysargs;
struct sock_filter;
long seccomp_syscall(struct task *t, unsigned int op, unsigned int flags, unsigned long uargs);
int seccomp_attach(struct task *t, const struct sock_filter *insns, unsigned int len);
bool seccomp_filter_call(struct task *t, const struct sysargs *a, long *result);
int seccomp_exec(struct task *t);
struct gfilter *seccomp_get(struct gfilter *f);
void seccomp_put(struct gfilter *f);
int seccomp_count(const struct gfilter *f);
/* User notifications (SECCOMP_RET_USER_NOTIF). seccomp_notif_rerun: t's call was sent to a
 * listener and t woke: true with the result if the call is done (or still waits:
 * SYSRET_BLOCK), false if the answer lets it run (SECCOMP_USER_NOTIF_FLAG_CONTINUE).
 * seccomp_notif_holds: a wait no signal but SIGKILL ends (WAIT_KILLABLE_RECV, received).
 * seccomp_listener_ioctl: the listener's ioctls (-ENOIOCTLCMD: f is no listener); its
 * file's poll, queue and last close (fs/seccompfd.c) are the other three. */
struct seccomp_listener;
struct file;
bool seccomp_notif_rerun(struct task *t, long *result);
bool seccomp_notif_holds(const struct task *t);
long seccomp_listener_ioctl(struct task *t, struct file *f, unsigned int cmd, unsigned long arg);
short seccomp_listener_poll(struct seccomp_listener *l);
struct waitq *seccomp_listener_waitq(struct seccomp_listener *l);
void seccomp_listener_release(struct seccomp_listener *l);
/* Syscall user dispatch: sud_set is the prctl; sud_call, before the seccomp filters: true
 * if the call is not run, with its result (or SYSRET_EXITED). */
long sud_set(struct task *t, unsigned long mode, unsigned long off, unsigned long len,
	     unsigned long sel);
bool sud_call(struct task *t, const struct sysargs *a, long *result);

/* Host pid of the stub running t (for logs and emergency kills), or -1. */
pid_t plat_host_pid_of(struct task *t);
void log_install_crash_handlers(void);

/* Wait queues (sentry/wait.c). A handler that must wait calls task_wait_on (for each
 * queue it depends on) and returns SYSRET_BLOCK. */
void task_wait_on(struct task *t, struct waitq *wq);
void waitq_wake(struct waitq *wq);
unsigned long waitq_tick(void);
/* Also re-run the call when host fd fd has one of events (POLLIN/POLLOUT) ready. */
void task_wait_fd(struct task *t, int fd, short events);
/* CLOCK_MONOTONIC in ns, the clock of t->wait_deadline. */
long long monotonic_ns(void);
/* Takes t off every queue (it was woken, interrupted or is exiting). */
void task_unwait(struct task *t);
/* Wakes t alone (its host fd is ready, its deadline passed). */
void task_wake(struct task *t);
/* The blocked call ended: forget its queues, host fds, deadline and flags. */
void task_wait_done(struct task *t);
/* A signal pending in t's stub that would be delivered now (0: none). */
int task_host_pending_signal(struct task *t);
/* The next woken task to re-run, or NULL. */
struct task *runq_pop(void);
void runq_remove(struct task *t);  /* a task that goes leaves the run queue */
/* A signal was sent to t: if t is blocked in a syscall the signal would interrupt, end the
 * call with -ERESTARTSYS (the host applies SA_RESTART when it delivers the signal). */
void task_interrupt_for(struct task *t, int sig);
/* What a blocked call of t ends with when sig interrupts it: 1 and *r (a partial count, 0,
 * -EINTR), or 0: it restarts or fails with EINTR as the signal's SA_RESTART says. */
int task_interrupted_result(struct task *t, int sig, long *r);
/* Linux bpf_check_classic (sentry/seccomp.c): a classic BPF program of len instructions,
 * of the codes a seccomp filter may use (seccomp) or a socket filter's: 0 / -EINVAL. */
struct sock_filter;
int bpf_check_classic(const struct sock_filter *f, unsigned int len, bool seccomp);
/* A signal ends t's select, pselect6 or ppoll (t->wait_left): the time it had left goes to
 * the guest's timeout (syscalls/sys_poll.c). 0, or -EFAULT when it could not be written. */
int poll_time_left(struct task *t);
/* Job control (sentry/wait.c). A stop signal with its default action reached t: the whole
 * process stops (its threads stay in their ptrace stops) and the parent is told. Returns
 * false when sig does not stop t (it has a handler or ignores it). */
bool task_stop_signal(struct task *t, int sig);
void task_group_stop_check(struct task *l);
/* SIGCONT for the process led by l: resume its stopped threads, tell the parent. */
void task_group_continue(struct task *l);
/* The guest's handler for sig in t (SIG_DFL, SIG_IGN or an address), as the host holds it. */
unsigned long task_sig_handler(struct task *t, int sig);
/* SIGTRAP's SIG_IGN as the stub's kernel holds it: a handler at this address of the stub
 * page, never run (every injection ends on an int3 whose forced SIGTRAP would reset an
 * ignored action to SIG_DFL: Linux force_sig_info_to_task); the sentry drops the signal
 * at its delivery stop. sig_host_handler: what the host holds for the guest's handler
 * (SIG_IGN of SIGTRAP is SIG_TRAP_IGN); sig_guest_handler: the reverse. */
extern unsigned long plat_stub_addr;
#define SIG_TRAP_IGN plat_stub_addr /* PLAT_STUB_ADDR (platform/platform.h) */
unsigned long sig_host_handler(int sig, unsigned long handler);
unsigned long sig_guest_handler(int sig, unsigned long handler);
/* Is sig in t's blocked mask (false when it cannot be read: t runs)? Pid 1 gets a signal
 * with its default action only then (as a pid-namespace init it would ignore it, but
 * sigwaitinfo or a signalfd may take it). */
bool task_sig_blocked(struct task *t, int sig);
/* Would sig sent now reach t (neither blocked nor ignored, by SIG_IGN or by default)? */
/* Does sig with this action (SIG_IGN, SIG_DFL of SIGCHLD, SIGURG, SIGWINCH, SIGCONT) do
 * nothing? */
bool task_sig_action_ignores(unsigned long handler, int sig);
bool task_sig_deliverable(struct task *t, int sig);
/* Signals the kernel sends (terminals, job control): no permission check. outside: it
 * comes from outside the sandbox (the user's terminal), so pid 1 gets it even without a
 * handler (stop signals excepted). task_kill_pgrp: 0, or -ESRCH for an empty group. */
int task_kill_process(struct task *p, int sig, bool outside);
/* Would t, an OCI container's pid 1, drop sig now as a namespace init does (wait.c)? */
bool task_init_drops(struct task *t, int sig);
int task_kill_pgrp(int pgid, int sig, bool outside);
/* No live member of the group has a parent in another group of the same session. */
bool task_pgrp_orphaned(int pgid);
/* dying is gone from p's group's ties: p itself, or a child of dying already given its
 * new parent. A group that has become orphaned with stopped members gets SIGHUP and
 * SIGCONT, so they do not stay stopped with nobody to continue them (Linux
 * kill_orphaned_pgrp). */
void task_orphan_pgrp(struct task *p, struct task *dying);

/* System V IPC (syscalls/ipc.c): the process led by l is gone (SEM_UNDO adjustments apply,
 * removed shared memory segments it was the last to map go). */
void ipc_process_exit(struct task *l);
/* t's process lets go of address space mm (exit, execve): if that is its last user, its
 * shared memory attaches end (shm_dtime, shm_lpid). */
void ipc_mm_drop(struct task *t, struct mm *mm);
/* /proc/sysvipc/shm ('s'), sem ('S') or msg ('m') as Linux prints them (malloc'd). */
char *ipc_proc_text(char which);
/* Keys (syscalls/sys_keys.c): a child's keyrings (the session keyring is inherited), an
 * execve's (thread and process keyrings go), a task's end; /proc/keys (users false) or
 * /proc/key-users text as caller sees it (malloc'd). */
void keys_fork(struct task *t, struct task *c, bool thread);
void keys_exec(struct task *t);
void keys_task_free(struct task *t);
char *keys_proc_text(struct task *caller, bool users);
/* /proc/sys/kernel/keys values (fs/procfs.c): 0 maxkeys, 1 maxbytes, 2 root_maxkeys,
 * 3 root_maxbytes, 4 persistent_keyring_expiry. */
long keys_sysctl(int which);
/* kernel.randomize_va_space as last written (fs/procfs.c): 0, 1 or 2. */
int randomize_va_space(void);
long mmap_min_addr(void);      /* /proc/sys/vm/mmap_min_addr */
/* /proc/sys/kernel System V IPC values as last written (fs/procfs.c), IPC_SC_*. */
enum {
	IPC_SC_SHMMAX, IPC_SC_SHMALL, IPC_SC_SHMMNI, IPC_SC_MSGMAX, IPC_SC_MSGMNB, IPC_SC_MSGMNI,
	IPC_SC_MSG_NEXT_ID, IPC_SC_SEM_NEXT_ID, IPC_SC_SHM_NEXT_ID,
	IPC_SC_SEMMSL, IPC_SC_SEMMNS, IPC_SC_SEMOPM, IPC_SC_SEMMNI, /* kernel.sem */
};
unsigned long ipc_sysctl(int which);
/* One of the *_NEXT_ID values (-1: not set), which goes back to -1 (Linux ipc_idr_alloc). */
long ipc_sysctl_take_next_id(int which);
/* /proc/sys/fs/aio-max-nr as last written (fs/procfs.c); aio-nr, the events io_setup has
 * reserved in all (syscalls/sys_aio.c). */
unsigned long aio_max_nr(void);
unsigned long aio_nr_reserved(void);

/* Audit: one JSON line per denial when --audit is on, a count always; args: the call's
 * decoded arguments, or NULL (syscalls/dispatch.c audit_call decodes them from sysargs). */
void audit_denied(struct task *t, long nr, const char *name, int err, const char *why,
		  const char *args);

/* The sentry's own confinement (sentry/confine.c). */
extern const int sentry_host_syscalls[];
extern const size_t sentry_host_syscalls_len;
int confine_sentry(void);          /* seccomp allowlist; after namespaces and pivot */

/* --profile FILE as the equivalent options ("run" first), NULL-terminated (sentry/profile.c). */
char **profile_options(const char *path, int *n);

/* Timers kept by the sentry (sentry/timer.c): ITIMER_REAL/alarm and POSIX timers on the
 * wall and monotonic clocks; CPU-clock timers run in the stub (native_id). */
struct itimerval;
struct itimerspec;
struct sigevent;
unsigned int timer_alarm(struct task *t, unsigned int secs);
void timer_get_real(struct task *t, struct itimerval *cur);
int timer_set_real(struct task *t, const struct itimerval *nv, struct itimerval *old);
/* A new timer for t's process; req: the id asked for, or -1 for the next one. A CPU
 * clock's timer then gets the stub's own one (timer_posix_set_native).
 * ev NULL: SIGALRM with the id as value. Returns the guest's id or -errno. */
long timer_posix_create(struct task *t, clockid_t clock, const struct sigevent *ev, int req);
void timer_posix_set_native(struct task *t, int id, int native_id);
/* 0 for a clock timers can be made on; -EINVAL unknown, -EOPNOTSUPP one without timers */
int timer_clock_check(clockid_t clock);
/* A POSIX timer as /proc/PID/timers shows it: its event as given (notify: SIGEV_*, with
 * SIGEV_THREAD_ID for a thread), the global id of the process or thread it signals, and
 * Linux's clock id for it (its own CPU clocks become the pid-0 encoded ones). */
struct timer_info {
	int id, signo, notify, pid;
	union sigval value;
	clockid_t clock;
};
/* fn for each POSIX timer of leader's process, the newest first (Linux's list order) */
void timers_each(struct task *leader, void (*fn)(void *arg, const struct timer_info *ti),
		 void *arg);
long timer_posix_native(struct task *t, int id); /* stub id, -1 (ours) or -EINVAL */
/* A CPU-time clock (process/thread, or a pid's): its timers run in the stub's kernel. */
bool timer_cpu_clock(clockid_t c);
int timer_posix_settime(struct task *t, int id, int flags, const struct itimerspec *nv,
			struct itimerspec *old);
int timer_posix_gettime(struct task *t, int id, struct itimerspec *cur);
int timer_posix_delete(struct task *t, int id);
int timer_posix_overrun(struct task *t, int id);  /* timer_getoverrun of one of ours */
/* A signal of t's process was taken (delivered, or dequeued by sigtimedwait or signalfd):
 * a POSIX timer's gets its overrun count and may be queued again. */
void timers_dequeued(struct task *t, siginfo_t *si);
/* The process's pending sig was thrown away (its action became to ignore it). */
void timers_sig_discarded(struct task *leader, int sig);
void timers_exec(struct task *leader);
void timers_exit(struct task *leader);
/* The process has (on) or no longer has timers in its stub's kernel: while it is blocked,
 * the loop polls its stub for the signals they raise. */
void timers_native(struct task *leader, bool on);
bool timers_any_native(void);
long long timers_next_deadline(void);   /* CLOCK_MONOTONIC ns, 0: none armed */
void timers_fire(void);                 /* sends the signals of expired timers */

/* Reads a small /proc or cgroup file into buf (NUL-terminated); the length or -errno
 * (sentry/monitor.c; the CLI, or the sentry before it leaves the host's /proc). */
ssize_t read_small(const char *path, char *buf, size_t n);
/* Writes text to an existing file (a cgroup or /proc knob) in one go: 0 / -errno. */
int write_small(const char *path, const char *text);

/* Setup failures explained (sentry/diagnose.c): the cause on this host and how to change it,
 * written into buf (also returned). err is a positive errno. */
const char *explain_userns_failure(int err, char *buf, size_t n);
const char *explain_ptrace_failure(int err, char *buf, size_t n);
const char *explain_seccomp_failure(int err, char *buf, size_t n);

/* The event loop: runs until the first program exits; returns its wait status. */
int sentry_loop(void);
/* The loop also watches host fds for the sentry's own I/O (the terminal relay): while
 * w->events is non-zero, w->ready runs when the fd has one of them (sentry/loop.c).
 * A watch with signals set raises a signal whose handler calls evl_kick when it may be
 * ready (O_ASYNC): the loop then need not poll it while no task waits (it sleeps in
 * plat_wait, which the signal interrupts), and runs ready(w, 0) after each kick. */
struct evl_watch {
	int fd;
	short events;            /* POLLIN / POLLOUT; 0: not now */
	bool signals;
	void (*ready)(struct evl_watch *w, short revents);
};
int evl_watch_add(struct evl_watch *w);   /* 0 / -ENOSPC */
void evl_watch_del(struct evl_watch *w);
void evl_kick(void);                      /* async-signal-safe */
/* A watch's fd raises SIGIO when it may be ready (F_SETOWN, O_ASYNC; the handler kicks the
 * loop): for w->signals. The fd must be non-blocking already; false if it cannot be. */
bool evl_signal_ready(int fd);

/* The guest's terminal over the user's (sentry/console.c): a pty whose slave the first
 * program gets on the std fds in fd_mask (bit N: fd N) as its controlling terminal; the
 * sentry relays its master to host fds in_fd and out_fd. host_tio: the user's terminal
 * settings (NULL if in_fd is not a terminal); size_fd: where the window size comes from
 * (-1: none). console_start puts the user's terminal in raw mode and begins the relay;
 * console_finish writes out what is left. */
struct termios;
int console_setup(struct task *t, unsigned fd_mask, int in_fd, int out_fd, int size_fd,
		  const struct termios *host_tio);
int console_start(void);
void console_finish(void);
/* `sandbox exec --tty`: t (a session leader) gets a pty of its own on its std fds, as its
 * controlling terminal, relayed to in_fd and out_fd (taken; distinct fds, maybe of one
 * description: a terminal's, or as --tty over pipes), the window size read from the one
 * that is a terminal at the start and at each console_resize.
 * console_detach: the process is gone (its console relays on until either side ends). */
struct console;
int console_exec(struct task *t, int in_fd, int out_fd, struct console **c);
void console_resize(struct console *c);
void console_detach(struct console *c);
