/* procfs internals shared by procfs.c (tree) and procfs_gen.c (contents); fs/ only. */
#pragma once
#include "fs/internal.h"

enum proc_type {
	P_ROOT = 1, P_SELF, P_THREAD_SELF, P_MOUNTS_LINK, P_CPUINFO, P_MEMINFO, P_UPTIME,
	P_LOADAVG, P_STAT, P_FILESYSTEMS, P_VERSION, P_SYS, P_SYS_KERNEL, P_SYS_VM,
	P_HOSTNAME, P_OSTYPE, P_OSRELEASE, P_PIDMAX, P_NGROUPS, P_OVERCOMMIT,
	P_NET, P_NET_TCP, P_NET_TCP6, P_NET_UDP, P_NET_UDP6, P_NET_UNIX,
	/* per task: everything from here on carries pid/tid */
	P_PID, P_TID, P_EXE, P_CWD, P_ROOTLINK, P_CMDLINE, P_ENVIRON, P_COMM, P_STATUS,
	P_PSTAT, P_STATM, P_FDDIR, P_FDINFODIR, P_MAPS, P_PMOUNTS, P_MOUNTINFO, P_TASKDIR,
	P_FD, P_FDINFO, P_SMAPS, P_SMAPS_ROLLUP, P_LIMITS,
};

struct proc_node {
	int type;                 /* enum proc_type */
	int pid;                  /* thread group */
	int tid;                  /* the thread shown (== pid outside task/) */
	int fd;                   /* P_FD, P_FDINFO; else -1 */
	bool under_task;          /* below /proc/<pid>/task/<tid> */
};

struct proc_entry {
	const char *name;
	int type;
	mode_t mode;
	int parent;               /* type of the directory it lives in */
};
extern const struct proc_entry proc_entries[];
extern const size_t proc_entries_len;

/* Writes the contents of file node n as seen by caller. 0 / -errno. */
int procfs_generate(struct task *caller, const struct proc_node *n, struct sbuf *b);
