/* procfs internals shared by procfs.c (tree) and procfs_gen.c (contents); fs/ only. */
#pragma once
#include "fs/internal.h"
#include "sentry/ns.h"

enum proc_type {
	P_ROOT = 1, P_SELF, P_THREAD_SELF, P_MOUNTS_LINK, P_CPUINFO, P_MEMINFO, P_UPTIME,
	P_LOADAVG, P_STAT, P_FILESYSTEMS, P_VERSION, P_SYS, P_SYS_KERNEL, P_SYS_VM,
	P_HOSTNAME, P_OSTYPE, P_OSRELEASE, P_PIDMAX, P_NGROUPS, P_OVERCOMMIT,
	P_NET, P_NET_TCP, P_NET_TCP6, P_NET_UDP, P_NET_UDP6, P_NET_UNIX,
	P_SYSVIPC, P_SYSVIPC_SHM, P_SYSVIPC_SEM, P_SYSVIPC_MSG,
	P_NET_LINK, P_NET_DEV, P_NET_IF_INET6, P_NET_SNMP, P_NET_SNMP6, P_NET_NETSTAT, P_NET_ROUTE,
	P_NET_SOCKSTAT, P_NET_SOCKSTAT6, P_NET_UDPLITE, P_NET_UDPLITE6, P_NET_ICMP, P_NET_ICMP6,
	P_NET_RAW, P_NET_RAW6, P_NET_IGMP, P_NET_IGMP6,
	P_SYS_NET, P_SYS_NET_CORE, P_SYS_NET_IPV4, P_SYS_NET_IPV6,
	/* /proc/sys/net values (procfs_sysctl): first to last */
	P_NS_TCP_SACK, P_NS_TCP_RECOVERY, P_NS_IP_FORWARD, P_NS_PORT_RANGE, P_NS_SOMAXCONN,
	P_NS_AUTO_FLOWLABELS, P_NS_BINDV6ONLY, P_NS_IP6FRAG_TIME, P_NS_IP6_NONLOCAL_BIND,
	P_NS_UNPRIV_PORT, P_NS_WMEM_DEFAULT, P_NS_RMEM_DEFAULT, P_NS_WMEM_MAX, P_NS_RMEM_MAX,
	P_NS_PING_GROUPS, P_NS_TCP_RMEM, P_NS_TCP_WMEM, P_NS_UDP_RMEM_MIN, P_NS_UDP_WMEM_MIN,
	P_NS_MAXKEYS, P_NS_MAXBYTES, P_NS_ROOT_MAXKEYS, P_NS_ROOT_MAXBYTES, P_NS_GC_DELAY,
	P_NS_PERSIST_EXPIRY, P_NS_CAP_LAST_CAP, P_NS_OVERFLOWUID, P_NS_OVERFLOWGID, P_NS_RANDOMIZE_VA,
	P_NS_MAX_MAP_COUNT, P_NS_MMAP_MIN_ADDR, P_NS_NR_OPEN,
	P_NS_LAST = P_NS_NR_OPEN,
	P_SYS_KERNEL_KEYS, P_SYS_KERNEL_RANDOM, P_RANDOM_UUID, P_RANDOM_ENTROPY, P_RANDOM_POOLSIZE,
	P_RANDOM_BOOT_ID,
	P_DOMAINNAME, P_CMDLINE_BOOT, P_DEVICES, P_CGROUPS, P_KEYS, P_KEY_USERS, P_CONFIG_GZ, P_LAST_PID,
	P_LOCKS, P_SWAPS, P_VMSTAT, P_DISKSTATS, P_PARTITIONS,
	/* more /proc/sys directories and values (procfs_sysctl2): first to last */
	P_SYS_FS, P_SYS_FS_INOTIFY, P_SYS_FS_MQUEUE, P_SYS_NET_IPV4_CONF, P_SYS_NET_CONF_ALL,
	P_SYS_NET_CONF_DEFAULT, P_SYS_NET_CONF_LO, P_SYS_USER,
	P_SC_FIRST, P_SC_TAINTED = P_SC_FIRST, P_SC_VERSION, P_SC_PRINTK, P_SC_CORE_PATTERN,
	P_SC_CORE_USES_PID, P_SC_PIPE_MAX_SIZE, P_SC_PIPE_PAGES_SOFT, P_SC_PIPE_PAGES_HARD,
	P_SC_FILE_MAX, P_SC_INO_EVENTS, P_SC_INO_INSTANCES, P_SC_INO_WATCHES,
	P_SC_MQ_QUEUES, P_SC_MQ_MSG_MAX, P_SC_MQ_MSGSIZE_MAX, P_SC_MQ_MSG_DEF, P_SC_MQ_MSGSIZE_DEF,
	P_SC_TAG_ALL, P_SC_TAG_DEFAULT, P_SC_TAG_LO, P_SC_PANIC, P_SC_THREADS_MAX,
	P_SC_LEASE_BREAK, P_SC_DIR_NOTIFY, P_SC_AIO_MAX_NR, P_SC_AIO_NR, P_SC_FILE_NR,
	P_SC_SHMMAX, P_SC_SHMALL, P_SC_SHMMNI, P_SC_MSGMAX, P_SC_MSGMNB, P_SC_MSGMNI,
	P_SC_MSG_NEXT_ID, P_SC_SEM_NEXT_ID, P_SC_SHM_NEXT_ID, P_SC_SEM,
	P_SC_NR_HUGEPAGES, P_SC_DROP_CACHES,
	P_SC_SWAPPINESS, P_SC_DIRTY_RATIO, P_SC_DIRTY_BG_RATIO, P_SC_DIRTY_BYTES,
	P_SC_DIRTY_BG_BYTES, P_SC_DIRTY_EXPIRE, P_SC_DIRTY_WRITEBACK, P_SC_OVERCOMMIT_RATIO,
	P_SC_OVERCOMMIT_KBYTES, P_SC_PANIC_ON_OOM, P_SC_OOM_KILL_ALLOCATING, P_SC_OOM_DUMP_TASKS,
	P_SC_VFS_CACHE_PRESSURE, P_SC_PAGE_CLUSTER, P_SC_STAT_INTERVAL, P_SC_LAPTOP_MODE,
	P_SC_PROT_SYMLINKS, P_SC_PROT_HARDLINKS, P_SC_PROT_FIFOS, P_SC_PROT_REGULAR,
	P_SC_MIN_FREE_KBYTES, P_SC_ADMIN_RESERVE, P_SC_USER_RESERVE, P_SC_PANIC_ON_OOPS,
	/* /proc/sys/user, in UL_* order (sentry/ns.h): the reader's user namespace's */
	P_SC_USER_FIRST, P_SC_USER_LAST = P_SC_USER_FIRST + UL_KINDS - 1,
	P_SC_LAST = P_SC_USER_LAST,
	/* per task: everything from here on carries pid/tid */
	P_PID, P_TID, P_EXE, P_CWD, P_ROOTLINK, P_CMDLINE, P_ENVIRON, P_COMM, P_STATUS,
	P_PSTAT, P_STATM, P_FDDIR, P_FDINFODIR, P_MAPS, P_PMOUNTS, P_MOUNTINFO, P_TASKDIR,
	P_FD, P_FDINFO, P_SMAPS, P_SMAPS_ROLLUP, P_LIMITS, P_OOM_ADJ, P_OOM_SCORE_ADJ, P_OOM_SCORE,
	P_CGROUP, P_WCHAN, P_PERSONALITY, P_LOGINUID, P_SESSIONID, P_COREDUMP_FILTER, P_AUXV,
	P_MEM, P_PAGEMAP, P_IO, P_CHILDREN, P_NSDIR, P_NS_LINK, P_UID_MAP, P_GID_MAP, P_SETGROUPS,
	P_TIMENS_OFFSETS, P_TIMERSLACK, P_TIMERS, P_SCHED, P_SCHEDSTAT, P_CPUSET,
};

struct proc_node {
	int type;                 /* enum proc_type */
	int pid;                  /* thread group */
	int tid;                  /* the thread shown (== pid outside task/) */
	int fd;                   /* P_FD, P_FDINFO; else -1 */
	bool under_task;          /* below /proc/<pid>/task/<tid> */
	struct pid_ns *pidns;     /* the mount's pid namespace: the numbers it shows */
};
/* gnr as n's mount shows it (0: outside its pid namespace). */
int procfs_vnr(const struct proc_node *n, int gnr);

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

/* The text of a /proc/sys/net value (type P_NS_*), as Linux prints it. */
void procfs_sysctl_text(struct task *t, int type, struct sbuf *b);

/* The text of one of the other /proc/sys values (type P_SC_*). */
void procfs_sysctl2_text(struct task *t, int type, struct sbuf *b);

/* The host kernel's /proc/config.gz, fetched through the gofer at the first call (never at
 * startup) and kept: 0 with *data and *len, or -ENOENT when the host has none. */
int procfs_kconfig(const char **data, size_t *len);
