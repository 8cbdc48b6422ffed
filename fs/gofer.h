/*
 * The gofer: a separate host process that opens host files under its mount roots
 * (openat2 RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS) and hands
 * the sentry file descriptors over a unix socket (SCM_RIGHTS). Paths it receives are
 * relative to a mount root and already resolved by the sentry: it never follows a symlink.
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

/* The longest path below a mount root a request carries, with its NUL: Linux has no limit
 * on depth (programs reach deeper through directory fds), one call's path has PATH_MAX;
 * this is 8 of those (limits.h's PATH_MAX: 4096). */
#define GOFER_PATH_MAX (8 * 4096)

/* WALK: prefixes looked up per request at most. */
#define GOFER_WALK_MAX 16

struct gofer_mount {
	const char *host_path;    /* absolute host directory */
	bool writable;
};

/* CLI side: forks the gofer process, which opens each root and installs its own seccomp
 * filter. Returns the sentry's end of the socket in *sock, its pid in *pid. 0 / -errno. */
/* CLI side, before gofer_start: the sentry's host pid, whose pid namespace holds the threads
 * gofer_task_state may ask about (0: none). */
void gofer_set_sandbox_pid(pid_t pid);
int gofer_start(const struct gofer_mount *mounts, int n, int *sock, pid_t *pid);
/* The scheduler state letter (R, S, D, t...) of the sandbox's host thread that is tid in the
 * sentry's pid namespace (plat_host_pid), or -errno. */
int gofer_task_state(pid_t tid);
/* That and more of its host stat: the thread's own figures, or (process) its process's;
 * what more of the thread (GOFER_TS_*): its context switch counts (its status), its
 * scheduler statistics (its schedstat). */
enum { GOFER_TS_SWITCHES = 1, GOFER_TS_SCHED = 2 };
struct gofer_task_stat {
	uint64_t utime, stime;  /* clock ticks */
	uint64_t minflt, majflt;
	uint64_t nvcsw, nivcsw; /* (GOFER_TS_SWITCHES) voluntary, involuntary */
	uint64_t run_ns, delay_ns, slices; /* (GOFER_TS_SCHED) on a CPU, waiting for one, runs */
	int32_t processor;      /* the CPU it last ran on */
	char state;
	char pad[3];
};
int gofer_task_stat(pid_t tid, bool process, unsigned what, struct gofer_task_stat *ts);
/* The resident memory of the host process (a stub) of such a thread, in kB: its status
 * figures, and (what) its smaps figures of each mapping too. */
enum gofer_mem_what { GOFER_MEM_STATUS, GOFER_MEM_SMAPS };
struct gofer_mem {
	uint64_t hwm, rss, anon, file, shmem; /* VmHWM, VmRSS, RssAnon, RssFile, RssShmem */
	uint64_t stk;           /* VmStk: the pages of its grows-down mappings */
	uint32_t n, more;       /* ranges that follow; more: the host has others after them */
};
enum { GM_RSS, GM_PSS, GM_PSS_DIRTY, GM_SHARED_CLEAN, GM_SHARED_DIRTY, GM_PRIVATE_CLEAN,
       GM_PRIVATE_DIRTY, GM_REFERENCED, GM_ANON, GM_SWAP, GM_N };
struct gofer_mem_range {
	uint64_t start, end;
	uint32_t kb[GM_N];      /* the smaps line of each GM_ name (0: none) */
	uint32_t pad;
};
/* The totals in *m and, unless what is GOFER_MEM_STATUS, every range in *ranges (malloc'd,
 * *n of them): 0 or -errno. */
int gofer_task_mem(pid_t tid, enum gofer_mem_what what, struct gofer_mem *m,
		   struct gofer_mem_range **ranges, size_t *n);

/* CLI side, before gofer_start: the network egress policy the gofer enforces (net/net.h;
 * the pointer must stay valid; default: mode none). */
struct net_policy;
void gofer_set_net_policy(const struct net_policy *p);

/* A host object's birth time (statx STATX_BTIME), which struct stat has no field for, rides
 * in the struct stat of every gofer reply: in glibc's three reserved words, which fstat
 * leaves zero ([2] == 1: known, maybe as 0). gofer_st_btime: whether it is, and *ts. */
static inline void
gofer_st_set_btime(struct stat *st, long sec, long nsec)
{
	st->__glibc_reserved[0] = sec;
	st->__glibc_reserved[1] = nsec;
	st->__glibc_reserved[2] = 1;
}

static inline bool
gofer_st_btime(const struct stat *st, struct timespec *ts)
{
	if (st->__glibc_reserved[2] != 1)
		return false;
	ts->tv_sec = st->__glibc_reserved[0];
	ts->tv_nsec = st->__glibc_reserved[1];
	return true;
}

/* Sentry side: all calls are synchronous request/reply on the socket given here. */
void gofer_client_init(int sock);
/* lstat of mount-relative path rel ("" = the mount root). Stat is as the host sees it. */
int gofer_lstat(int mount, const char *rel, struct stat *st);
/* open with flags (O_CREAT etc. only on writable mounts: else -EROFS). Returns a host fd. */
int gofer_open(int mount, const char *rel, int flags, mode_t mode, struct stat *st);
/* lstat of each prefix of rel from component `first` on (0: the first component alone),
 * at most max of them (1 to GOFER_WALK_MAX, 16), stopping after the first that fails or is
 * not a directory: errs[i] (0 or -errno) and st[i] for each; when the last is a symlink,
 * its target in target (tsize bytes, NUL-terminated; "" if the gofer did not send it).
 * Returns how many prefixes were looked at (>= 1), or -errno for the request itself. */
int gofer_walk(int mount, const char *rel, int first, int max, int *errs, struct stat *st,
	       char *target, size_t tsize);
/* The host kernel's /proc/config.gz or /proc/cpuinfo (which) opened read-only (a host fd),
 * or -ENOENT if it has none. */
enum gofer_host_file {
	GOFER_HOST_CONFIG_GZ = 0, GOFER_HOST_CPUINFO = 1,
	/* directories of one-line sysfs attributes (gofer_host_dir) */
	GOFER_HOST_CPU_VULNS = 2, GOFER_HOST_THP = 3, GOFER_HOST_CPU_SMT = 4,
	GOFER_HOST_CPU_TOPOLOGY = 5, GOFER_HOST_CPU_CACHE = 6,
};
int gofer_host_file(int which);
/* The world-readable one-line attributes of a host sysfs directory (GOFER_HOST_CPU_VULNS:
 * the CPU's vulnerabilities, GOFER_HOST_THP: transparent huge pages, GOFER_HOST_CPU_SMT:
 * simultaneous multithreading; of CPU cpu (< 8192)
 * GOFER_HOST_CPU_TOPOLOGY: its topology, GOFER_HOST_CPU_CACHE: its cache index (< 32)) as
 * "name mode text\n" lines in buf (NUL-terminated); the length, or -errno (-ENOENT: the
 * host has no such directory). */
int gofer_host_dir(int which, unsigned cpu, unsigned index, char *buf, size_t n);
/* readlink of a symlink; returns the length (not NUL-terminated), or -errno. */
int gofer_readlink(int mount, const char *rel, char *buf, size_t n);
/* statfs(2) of the host filesystem rel is on. */
struct statfs;
int gofer_statfs(int mount, const char *rel, struct statfs *sf);
/* Changes on writable mounts (-EROFS on others). None follows a symlink; st (if not NULL)
 * gets the host's stat of the object afterwards. mknod: S_IFREG or S_IFIFO only. */
int gofer_mknod(int mount, const char *rel, mode_t mode, uid_t uid, gid_t gid, struct stat *st);
int gofer_mkdir(int mount, const char *rel, mode_t mode, uid_t uid, gid_t gid, struct stat *st);
int gofer_unlink(int mount, const char *rel, int flags);            /* AT_REMOVEDIR */
int gofer_rename(int mount, const char *from, const char *to, unsigned flags);
int gofer_symlink(int mount, const char *target, const char *rel, uid_t uid, gid_t gid,
		  struct stat *st);
int gofer_link(int mount, const char *from, const char *to, struct stat *st);
int gofer_truncate(int mount, const char *rel, off_t len, struct stat *st);
int gofer_fallocate(int mount, const char *rel, int mode, off_t off, off_t len, struct stat *st);
/* user.* extended attributes of host files and directories (writable mounts for changes):
 * as fgetxattr & co (values up to 4 KiB). */
ssize_t gofer_getxattr(int mount, const char *rel, const char *name, void *buf, size_t size);
ssize_t gofer_listxattr(int mount, const char *rel, char *buf, size_t size);
int gofer_setxattr(int mount, const char *rel, const char *name, const void *val, size_t size,
		   int flags, struct stat *st);
int gofer_removexattr(int mount, const char *rel, const char *name, struct stat *st);
int gofer_chmod(int mount, const char *rel, mode_t mode, struct stat *st);
/* The next call (chmod, utimens or an xattr one, its rel "") acts on the object of host
 * fd fd (one the gofer gave) instead of a name: as fchmod(2) & co, also once the name is
 * gone or names another file. */
void gofer_by_fd(int fd);
int gofer_utimens(int mount, const char *rel, const struct timespec ts[2], struct stat *st);
