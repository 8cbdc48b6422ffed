/*
 * procfs: generated from sentry state. Every lookup builds a fresh node (the super block
 * is SB_NOCACHE), files are snapshots taken at open, and fd/cwd/root are magic links
 * that resolve to the object itself rather than to its path text.
 */
#include <dirent.h>
#include <poll.h>
#include <sched.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <poll.h> /* (pde_poll) */

#include "fs/internal.h"
#include "fs/procfs.h"
#include "platform/platform.h"
#include "sentry/ns.h"
#include "sentry/sentry.h"
#include "sentry/vma.h"

static const struct inode_ops procfs_dir_iops;
static const struct inode_ops procfs_link_iops;
static const struct inode_ops procfs_file_iops;
static const struct file_ops procfs_dir_fops;

/* Entries with fixed names; P_PID children also appear under task/<tid>/. */
const struct proc_entry proc_entries[] = {
	{ "self", P_SELF, S_IFLNK | 0777, P_ROOT },
	{ "thread-self", P_THREAD_SELF, S_IFLNK | 0777, P_ROOT },
	{ "mounts", P_MOUNTS_LINK, S_IFLNK | 0777, P_ROOT },
	{ "cpuinfo", P_CPUINFO, S_IFREG | 0444, P_ROOT },
	{ "meminfo", P_MEMINFO, S_IFREG | 0444, P_ROOT },
	{ "uptime", P_UPTIME, S_IFREG | 0444, P_ROOT },
	{ "loadavg", P_LOADAVG, S_IFREG | 0444, P_ROOT },
	{ "stat", P_STAT, S_IFREG | 0444, P_ROOT },
	{ "filesystems", P_FILESYSTEMS, S_IFREG | 0444, P_ROOT },
	{ "version", P_VERSION, S_IFREG | 0444, P_ROOT },
	{ "sys", P_SYS, S_IFDIR | 0555, P_ROOT },
	{ "kernel", P_SYS_KERNEL, S_IFDIR | 0555, P_SYS },
	{ "vm", P_SYS_VM, S_IFDIR | 0555, P_SYS },
	{ "fs", P_SYS_FS, S_IFDIR | 0555, P_SYS },
	{ "user", P_SYS_USER, S_IFDIR | 0555, P_SYS },
	{ "nr_open", P_NS_NR_OPEN, S_IFREG | 0644, P_SYS_FS },
	{ "hostname", P_HOSTNAME, S_IFREG | 0644, P_SYS_KERNEL },
	{ "ostype", P_OSTYPE, S_IFREG | 0444, P_SYS_KERNEL },
	{ "osrelease", P_OSRELEASE, S_IFREG | 0444, P_SYS_KERNEL },
	{ "pid_max", P_PIDMAX, S_IFREG | 0644, P_SYS_KERNEL },
	{ "ns_last_pid", P_LAST_PID, S_IFREG | 0666, P_SYS_KERNEL },
	{ "ngroups_max", P_NGROUPS, S_IFREG | 0444, P_SYS_KERNEL },
	{ "overcommit_memory", P_OVERCOMMIT, S_IFREG | 0644, P_SYS_VM },
	{ "nr_hugepages", P_SC_NR_HUGEPAGES, S_IFREG | 0644, P_SYS_VM },
	{ "drop_caches", P_SC_DROP_CACHES, S_IFREG | 0200, P_SYS_VM },
	{ "swappiness", P_SC_SWAPPINESS, S_IFREG | 0644, P_SYS_VM },
	{ "dirty_ratio", P_SC_DIRTY_RATIO, S_IFREG | 0644, P_SYS_VM },
	{ "dirty_background_ratio", P_SC_DIRTY_BG_RATIO, S_IFREG | 0644, P_SYS_VM },
	{ "dirty_bytes", P_SC_DIRTY_BYTES, S_IFREG | 0644, P_SYS_VM },
	{ "dirty_background_bytes", P_SC_DIRTY_BG_BYTES, S_IFREG | 0644, P_SYS_VM },
	{ "dirty_expire_centisecs", P_SC_DIRTY_EXPIRE, S_IFREG | 0644, P_SYS_VM },
	{ "dirty_writeback_centisecs", P_SC_DIRTY_WRITEBACK, S_IFREG | 0644, P_SYS_VM },
	{ "overcommit_ratio", P_SC_OVERCOMMIT_RATIO, S_IFREG | 0644, P_SYS_VM },
	{ "overcommit_kbytes", P_SC_OVERCOMMIT_KBYTES, S_IFREG | 0644, P_SYS_VM },
	{ "panic_on_oom", P_SC_PANIC_ON_OOM, S_IFREG | 0644, P_SYS_VM },
	{ "oom_kill_allocating_task", P_SC_OOM_KILL_ALLOCATING, S_IFREG | 0644, P_SYS_VM },
	{ "oom_dump_tasks", P_SC_OOM_DUMP_TASKS, S_IFREG | 0644, P_SYS_VM },
	{ "vfs_cache_pressure", P_SC_VFS_CACHE_PRESSURE, S_IFREG | 0644, P_SYS_VM },
	{ "page-cluster", P_SC_PAGE_CLUSTER, S_IFREG | 0644, P_SYS_VM },
	{ "stat_interval", P_SC_STAT_INTERVAL, S_IFREG | 0644, P_SYS_VM },
	{ "laptop_mode", P_SC_LAPTOP_MODE, S_IFREG | 0644, P_SYS_VM },
	{ "min_free_kbytes", P_SC_MIN_FREE_KBYTES, S_IFREG | 0644, P_SYS_VM },
	{ "admin_reserve_kbytes", P_SC_ADMIN_RESERVE, S_IFREG | 0644, P_SYS_VM },
	{ "user_reserve_kbytes", P_SC_USER_RESERVE, S_IFREG | 0644, P_SYS_VM },
	{ "panic_on_oops", P_SC_PANIC_ON_OOPS, S_IFREG | 0644, P_SYS_KERNEL },
	{ "cmdline", P_CMDLINE_BOOT, S_IFREG | 0444, P_ROOT },
	{ "devices", P_DEVICES, S_IFREG | 0444, P_ROOT },
	{ "cgroups", P_CGROUPS, S_IFREG | 0444, P_ROOT },
	{ "locks", P_LOCKS, S_IFREG | 0444, P_ROOT },
	{ "swaps", P_SWAPS, S_IFREG | 0444, P_ROOT },
	{ "vmstat", P_VMSTAT, S_IFREG | 0444, P_ROOT },
	{ "diskstats", P_DISKSTATS, S_IFREG | 0444, P_ROOT },
	{ "partitions", P_PARTITIONS, S_IFREG | 0444, P_ROOT },
	{ "domainname", P_DOMAINNAME, S_IFREG | 0644, P_SYS_KERNEL },
	{ "cap_last_cap", P_NS_CAP_LAST_CAP, S_IFREG | 0444, P_SYS_KERNEL },
	{ "overflowuid", P_NS_OVERFLOWUID, S_IFREG | 0644, P_SYS_KERNEL },
	{ "overflowgid", P_NS_OVERFLOWGID, S_IFREG | 0644, P_SYS_KERNEL },
	{ "randomize_va_space", P_NS_RANDOMIZE_VA, S_IFREG | 0644, P_SYS_KERNEL },
	{ "keys", P_SYS_KERNEL_KEYS, S_IFDIR | 0555, P_SYS_KERNEL },
	{ "maxkeys", P_NS_MAXKEYS, S_IFREG | 0644, P_SYS_KERNEL_KEYS },
	{ "maxbytes", P_NS_MAXBYTES, S_IFREG | 0644, P_SYS_KERNEL_KEYS },
	{ "root_maxkeys", P_NS_ROOT_MAXKEYS, S_IFREG | 0644, P_SYS_KERNEL_KEYS },
	{ "root_maxbytes", P_NS_ROOT_MAXBYTES, S_IFREG | 0644, P_SYS_KERNEL_KEYS },
	{ "gc_delay", P_NS_GC_DELAY, S_IFREG | 0644, P_SYS_KERNEL_KEYS },
	{ "persistent_keyring_expiry", P_NS_PERSIST_EXPIRY, S_IFREG | 0644, P_SYS_KERNEL_KEYS },
	{ "keys", P_KEYS, S_IFREG | 0444, P_ROOT },
	{ "key-users", P_KEY_USERS, S_IFREG | 0444, P_ROOT },
	{ "config.gz", P_CONFIG_GZ, S_IFREG | 0444, P_ROOT }, /* only if the host has one */
	{ "random", P_SYS_KERNEL_RANDOM, S_IFDIR | 0555, P_SYS_KERNEL },
	{ "uuid", P_RANDOM_UUID, S_IFREG | 0444, P_SYS_KERNEL_RANDOM },
	{ "entropy_avail", P_RANDOM_ENTROPY, S_IFREG | 0444, P_SYS_KERNEL_RANDOM },
	{ "poolsize", P_RANDOM_POOLSIZE, S_IFREG | 0444, P_SYS_KERNEL_RANDOM },
	{ "boot_id", P_RANDOM_BOOT_ID, S_IFREG | 0444, P_SYS_KERNEL_RANDOM },
	{ "max_map_count", P_NS_MAX_MAP_COUNT, S_IFREG | 0644, P_SYS_VM },
	{ "mmap_min_addr", P_NS_MMAP_MIN_ADDR, S_IFREG | 0644, P_SYS_VM },
	{ "net", P_NET_LINK, S_IFLNK | 0777, P_ROOT },
	{ "net", P_NET, S_IFDIR | 0555, P_PID },
	{ "dev", P_NET_DEV, S_IFREG | 0444, P_NET },
	{ "if_inet6", P_NET_IF_INET6, S_IFREG | 0444, P_NET },
	{ "igmp", P_NET_IGMP, S_IFREG | 0444, P_NET },
	{ "igmp6", P_NET_IGMP6, S_IFREG | 0444, P_NET },
	{ "snmp", P_NET_SNMP, S_IFREG | 0444, P_NET },
	{ "snmp6", P_NET_SNMP6, S_IFREG | 0444, P_NET },
	{ "netstat", P_NET_NETSTAT, S_IFREG | 0444, P_NET },
	{ "route", P_NET_ROUTE, S_IFREG | 0444, P_NET },
	{ "sockstat", P_NET_SOCKSTAT, S_IFREG | 0444, P_NET },
	{ "sockstat6", P_NET_SOCKSTAT6, S_IFREG | 0444, P_NET },
	{ "net", P_SYS_NET, S_IFDIR | 0555, P_SYS },
	{ "core", P_SYS_NET_CORE, S_IFDIR | 0555, P_SYS_NET },
	{ "ipv4", P_SYS_NET_IPV4, S_IFDIR | 0555, P_SYS_NET },
	{ "ipv6", P_SYS_NET_IPV6, S_IFDIR | 0555, P_SYS_NET },
	{ "somaxconn", P_NS_SOMAXCONN, S_IFREG | 0644, P_SYS_NET_CORE },
	{ "wmem_default", P_NS_WMEM_DEFAULT, S_IFREG | 0644, P_SYS_NET_CORE },
	{ "rmem_default", P_NS_RMEM_DEFAULT, S_IFREG | 0644, P_SYS_NET_CORE },
	{ "wmem_max", P_NS_WMEM_MAX, S_IFREG | 0644, P_SYS_NET_CORE },
	{ "rmem_max", P_NS_RMEM_MAX, S_IFREG | 0644, P_SYS_NET_CORE },
	{ "tcp_sack", P_NS_TCP_SACK, S_IFREG | 0644, P_SYS_NET_IPV4 },
	{ "tcp_recovery", P_NS_TCP_RECOVERY, S_IFREG | 0644, P_SYS_NET_IPV4 },
	{ "ip_forward", P_NS_IP_FORWARD, S_IFREG | 0644, P_SYS_NET_IPV4 },
	{ "ip_local_port_range", P_NS_PORT_RANGE, S_IFREG | 0644, P_SYS_NET_IPV4 },
	{ "ip_unprivileged_port_start", P_NS_UNPRIV_PORT, S_IFREG | 0644, P_SYS_NET_IPV4 },
	{ "ping_group_range", P_NS_PING_GROUPS, S_IFREG | 0644, P_SYS_NET_IPV4 },
	{ "tcp_rmem", P_NS_TCP_RMEM, S_IFREG | 0644, P_SYS_NET_IPV4 },
	{ "tcp_wmem", P_NS_TCP_WMEM, S_IFREG | 0644, P_SYS_NET_IPV4 },
	{ "udp_rmem_min", P_NS_UDP_RMEM_MIN, S_IFREG | 0644, P_SYS_NET_IPV4 },
	{ "udp_wmem_min", P_NS_UDP_WMEM_MIN, S_IFREG | 0644, P_SYS_NET_IPV4 },
	{ "auto_flowlabels", P_NS_AUTO_FLOWLABELS, S_IFREG | 0644, P_SYS_NET_IPV6 },
	{ "bindv6only", P_NS_BINDV6ONLY, S_IFREG | 0644, P_SYS_NET_IPV6 },
	{ "ip6frag_time", P_NS_IP6FRAG_TIME, S_IFREG | 0644, P_SYS_NET_IPV6 },
	{ "ip_nonlocal_bind", P_NS_IP6_NONLOCAL_BIND, S_IFREG | 0644, P_SYS_NET_IPV6 },
	{ "tcp", P_NET_TCP, S_IFREG | 0444, P_NET },
	{ "tcp6", P_NET_TCP6, S_IFREG | 0444, P_NET },
	{ "udp", P_NET_UDP, S_IFREG | 0444, P_NET },
	{ "udp6", P_NET_UDP6, S_IFREG | 0444, P_NET },
	{ "udplite", P_NET_UDPLITE, S_IFREG | 0444, P_NET },
	{ "udplite6", P_NET_UDPLITE6, S_IFREG | 0444, P_NET },
	{ "icmp", P_NET_ICMP, S_IFREG | 0444, P_NET },
	{ "icmp6", P_NET_ICMP6, S_IFREG | 0444, P_NET },
	{ "raw", P_NET_RAW, S_IFREG | 0444, P_NET },
	{ "raw6", P_NET_RAW6, S_IFREG | 0444, P_NET },
	{ "unix", P_NET_UNIX, S_IFREG | 0444, P_NET },
	{ "sysvipc", P_SYSVIPC, S_IFDIR | 0555, P_ROOT },
	{ "shm", P_SYSVIPC_SHM, S_IFREG | 0444, P_SYSVIPC },
	{ "sem", P_SYSVIPC_SEM, S_IFREG | 0444, P_SYSVIPC },
	{ "msg", P_SYSVIPC_MSG, S_IFREG | 0444, P_SYSVIPC },
	{ "shmmax", P_SC_SHMMAX, S_IFREG | 0644, P_SYS_KERNEL },
	{ "shmall", P_SC_SHMALL, S_IFREG | 0644, P_SYS_KERNEL },
	{ "shmmni", P_SC_SHMMNI, S_IFREG | 0644, P_SYS_KERNEL },
	{ "sem", P_SC_SEM, S_IFREG | 0644, P_SYS_KERNEL },
	{ "msgmax", P_SC_MSGMAX, S_IFREG | 0644, P_SYS_KERNEL },
	{ "msgmnb", P_SC_MSGMNB, S_IFREG | 0644, P_SYS_KERNEL },
	{ "msgmni", P_SC_MSGMNI, S_IFREG | 0644, P_SYS_KERNEL },
	/* 0444, yet root writes them (Linux ipc_permissions: 0666 with CAP_CHECKPOINT_RESTORE) */
	{ "msg_next_id", P_SC_MSG_NEXT_ID, S_IFREG | 0444, P_SYS_KERNEL },
	{ "sem_next_id", P_SC_SEM_NEXT_ID, S_IFREG | 0444, P_SYS_KERNEL },
	{ "shm_next_id", P_SC_SHM_NEXT_ID, S_IFREG | 0444, P_SYS_KERNEL },
	{ "exe", P_EXE, S_IFLNK | 0777, P_PID },
	{ "cwd", P_CWD, S_IFLNK | 0777, P_PID },
	{ "root", P_ROOTLINK, S_IFLNK | 0777, P_PID },
	{ "cmdline", P_CMDLINE, S_IFREG | 0444, P_PID },
	{ "environ", P_ENVIRON, S_IFREG | 0400, P_PID },
	{ "auxv", P_AUXV, S_IFREG | 0400, P_PID },
	{ "mem", P_MEM, S_IFREG | 0600, P_PID },
	{ "pagemap", P_PAGEMAP, S_IFREG | 0400, P_PID },
	{ "io", P_IO, S_IFREG | 0400, P_PID },
	{ "children", P_CHILDREN, S_IFREG | 0444, P_PID },
	{ "ns", P_NSDIR, S_IFDIR | 0511, P_PID },
	{ "uid_map", P_UID_MAP, S_IFREG | 0644, P_PID },
	{ "gid_map", P_GID_MAP, S_IFREG | 0644, P_PID },
	{ "setgroups", P_SETGROUPS, S_IFREG | 0644, P_PID },
	{ "timens_offsets", P_TIMENS_OFFSETS, S_IFREG | 0644, P_PID },
	{ "timerslack_ns", P_TIMERSLACK, S_IFREG | 0666, P_PID },
	{ "timers", P_TIMERS, S_IFREG | 0444, P_PID },
	{ "comm", P_COMM, S_IFREG | 0644, P_PID },
	{ "status", P_STATUS, S_IFREG | 0444, P_PID },
	{ "stat", P_PSTAT, S_IFREG | 0444, P_PID },
	{ "statm", P_STATM, S_IFREG | 0444, P_PID },
	{ "limits", P_LIMITS, S_IFREG | 0444, P_PID },
	{ "oom_adj", P_OOM_ADJ, S_IFREG | 0644, P_PID },
	{ "oom_score_adj", P_OOM_SCORE_ADJ, S_IFREG | 0644, P_PID },
	{ "oom_score", P_OOM_SCORE, S_IFREG | 0444, P_PID },
	{ "cgroup", P_CGROUP, S_IFREG | 0444, P_PID },
	{ "wchan", P_WCHAN, S_IFREG | 0444, P_PID },
	{ "sched", P_SCHED, S_IFREG | 0644, P_PID },
	{ "schedstat", P_SCHEDSTAT, S_IFREG | 0444, P_PID },
	{ "cpuset", P_CPUSET, S_IFREG | 0444, P_PID },
	{ "personality", P_PERSONALITY, S_IFREG | 0400, P_PID },
	{ "loginuid", P_LOGINUID, S_IFREG | 0644, P_PID },
	{ "sessionid", P_SESSIONID, S_IFREG | 0444, P_PID },
	{ "coredump_filter", P_COREDUMP_FILTER, S_IFREG | 0644, P_PID },
	{ "fd", P_FDDIR, S_IFDIR | 0500, P_PID },
	{ "fdinfo", P_FDINFODIR, S_IFDIR | 0555, P_PID },
	{ "maps", P_MAPS, S_IFREG | 0444, P_PID },
	{ "smaps", P_SMAPS, S_IFREG | 0444, P_PID },
	{ "smaps_rollup", P_SMAPS_ROLLUP, S_IFREG | 0444, P_PID },
	{ "mounts", P_PMOUNTS, S_IFREG | 0444, P_PID },
	{ "mountinfo", P_MOUNTINFO, S_IFREG | 0444, P_PID },
	{ "task", P_TASKDIR, S_IFDIR | 0555, P_PID },
	{ "inotify", P_SYS_FS_INOTIFY, S_IFDIR | 0555, P_SYS_FS },
	{ "max_cgroup_namespaces", P_SC_USER_FIRST + UL_CGROUP_NS, S_IFREG | 0644, P_SYS_USER },
	{ "max_fanotify_groups", P_SC_USER_FIRST + UL_FANOTIFY_GROUPS, S_IFREG | 0644, P_SYS_USER },
	{ "max_fanotify_marks", P_SC_USER_FIRST + UL_FANOTIFY_MARKS, S_IFREG | 0644, P_SYS_USER },
	{ "max_inotify_instances", P_SC_USER_FIRST + UL_INOTIFY_INSTANCES, S_IFREG | 0644, P_SYS_USER },
	{ "max_inotify_watches", P_SC_USER_FIRST + UL_INOTIFY_WATCHES, S_IFREG | 0644, P_SYS_USER },
	{ "max_ipc_namespaces", P_SC_USER_FIRST + UL_IPC_NS, S_IFREG | 0644, P_SYS_USER },
	{ "max_mnt_namespaces", P_SC_USER_FIRST + UL_MNT_NS, S_IFREG | 0644, P_SYS_USER },
	{ "max_net_namespaces", P_SC_USER_FIRST + UL_NET_NS, S_IFREG | 0644, P_SYS_USER },
	{ "max_pid_namespaces", P_SC_USER_FIRST + UL_PID_NS, S_IFREG | 0644, P_SYS_USER },
	{ "max_time_namespaces", P_SC_USER_FIRST + UL_TIME_NS, S_IFREG | 0644, P_SYS_USER },
	{ "max_user_namespaces", P_SC_USER_FIRST + UL_USER_NS, S_IFREG | 0644, P_SYS_USER },
	{ "max_uts_namespaces", P_SC_USER_FIRST + UL_UTS_NS, S_IFREG | 0644, P_SYS_USER },
	{ "mqueue", P_SYS_FS_MQUEUE, S_IFDIR | 0555, P_SYS_FS },
	{ "conf", P_SYS_NET_IPV4_CONF, S_IFDIR | 0555, P_SYS_NET_IPV4 },
	{ "all", P_SYS_NET_CONF_ALL, S_IFDIR | 0555, P_SYS_NET_IPV4_CONF },
	{ "default", P_SYS_NET_CONF_DEFAULT, S_IFDIR | 0555, P_SYS_NET_IPV4_CONF },
	{ "lo", P_SYS_NET_CONF_LO, S_IFDIR | 0555, P_SYS_NET_IPV4_CONF },
	{ "tainted", P_SC_TAINTED, S_IFREG | 0644, P_SYS_KERNEL },
	{ "version", P_SC_VERSION, S_IFREG | 0444, P_SYS_KERNEL },
	{ "printk", P_SC_PRINTK, S_IFREG | 0644, P_SYS_KERNEL },
	{ "core_pattern", P_SC_CORE_PATTERN, S_IFREG | 0644, P_SYS_KERNEL },
	{ "core_uses_pid", P_SC_CORE_USES_PID, S_IFREG | 0644, P_SYS_KERNEL },
	{ "panic", P_SC_PANIC, S_IFREG | 0644, P_SYS_KERNEL },
	{ "threads-max", P_SC_THREADS_MAX, S_IFREG | 0644, P_SYS_KERNEL },
	{ "pipe-max-size", P_SC_PIPE_MAX_SIZE, S_IFREG | 0644, P_SYS_FS },
	{ "protected_symlinks", P_SC_PROT_SYMLINKS, S_IFREG | 0644, P_SYS_FS },
	{ "protected_hardlinks", P_SC_PROT_HARDLINKS, S_IFREG | 0644, P_SYS_FS },
	{ "protected_fifos", P_SC_PROT_FIFOS, S_IFREG | 0644, P_SYS_FS },
	{ "protected_regular", P_SC_PROT_REGULAR, S_IFREG | 0644, P_SYS_FS },
	{ "pipe-user-pages-soft", P_SC_PIPE_PAGES_SOFT, S_IFREG | 0644, P_SYS_FS },
	{ "pipe-user-pages-hard", P_SC_PIPE_PAGES_HARD, S_IFREG | 0644, P_SYS_FS },
	{ "file-max", P_SC_FILE_MAX, S_IFREG | 0644, P_SYS_FS },
	{ "lease-break-time", P_SC_LEASE_BREAK, S_IFREG | 0644, P_SYS_FS },
	{ "dir-notify-enable", P_SC_DIR_NOTIFY, S_IFREG | 0644, P_SYS_FS },
	{ "aio-max-nr", P_SC_AIO_MAX_NR, S_IFREG | 0644, P_SYS_FS },
	{ "aio-nr", P_SC_AIO_NR, S_IFREG | 0444, P_SYS_FS },
	{ "file-nr", P_SC_FILE_NR, S_IFREG | 0444, P_SYS_FS },
	{ "max_queued_events", P_SC_INO_EVENTS, S_IFREG | 0644, P_SYS_FS_INOTIFY },
	{ "max_user_instances", P_SC_INO_INSTANCES, S_IFREG | 0644, P_SYS_FS_INOTIFY },
	{ "max_user_watches", P_SC_INO_WATCHES, S_IFREG | 0644, P_SYS_FS_INOTIFY },
	{ "msg_default", P_SC_MQ_MSG_DEF, S_IFREG | 0644, P_SYS_FS_MQUEUE },
	{ "msg_max", P_SC_MQ_MSG_MAX, S_IFREG | 0644, P_SYS_FS_MQUEUE },
	{ "msgsize_default", P_SC_MQ_MSGSIZE_DEF, S_IFREG | 0644, P_SYS_FS_MQUEUE },
	{ "msgsize_max", P_SC_MQ_MSGSIZE_MAX, S_IFREG | 0644, P_SYS_FS_MQUEUE },
	{ "queues_max", P_SC_MQ_QUEUES, S_IFREG | 0644, P_SYS_FS_MQUEUE },
	{ "tag", P_SC_TAG_ALL, S_IFREG | 0644, P_SYS_NET_CONF_ALL },
	{ "tag", P_SC_TAG_DEFAULT, S_IFREG | 0644, P_SYS_NET_CONF_DEFAULT },
	{ "tag", P_SC_TAG_LO, S_IFREG | 0644, P_SYS_NET_CONF_LO },
};
const size_t proc_entries_len = ARRAY_SIZE(proc_entries);

static void
node_free(struct inode *i)
{
	free(i->priv);
}

/* Stable, distinct inode numbers: type, ids and fd packed together. */
static ino_t
node_ino(const struct proc_node *n, bool under_task)
{
	unsigned long id = n->type >= P_PID ? (unsigned long)(under_task ? n->tid : n->pid) : 0;

	if (n->type == P_ROOT)
		return 1; /* Linux's PROC_ROOT_INO */

	return ((unsigned long)under_task << 62) | (id << 32) | ((unsigned long)n->type << 24) |
	       ((unsigned long)(n->fd + 1) & 0xffffff);
}

static struct inode *
node_inode(struct super_block *sb, const struct proc_node *n, mode_t mode, bool under_task)
{
	struct task *t = n->type >= P_PID ? task_lookup(n->tid) : NULL;
	/* Linux task_dump_owner: a process that is not dumpable (a uid change, or
	 * PR_SET_DUMPABLE 0) has its files owned by root, all but the world-readable
	 * directories (the pid directory itself, task/, fdinfo/...) */
	bool owned = t && ((t->leader ? t->leader : t)->dumpable || mode == (S_IFDIR | 0555));
	struct inode *i = inode_new(sb, mode, owned ? t->euid : 0, owned ? t->egid : 0);
	struct proc_node *pn = xmalloc(sizeof(*pn));

	*pn = *n;
	pn->under_task = under_task;
	i->ino = node_ino(n, under_task);
	i->priv = pn;
	i->free_priv = node_free;
	if (S_ISDIR(mode)) {
		i->iops = &procfs_dir_iops;
		i->fops = &procfs_dir_fops;
		i->nlink = 2;
		if (n->type == P_TASKDIR) /* and one for each thread's directory's ".." */
			for (struct task *x = task_next(NULL); x; x = task_next(x))
				i->nlink += x->tgid == n->pid;
		if (n->type == P_FDDIR && t && t->fdt) /* Linux proc_fd_getattr: the open fds */
			for (int fd = 0; fd < t->fdt->size; fd++)
				i->size += t->fdt->files[fd] != NULL;
	} else if (S_ISLNK(mode)) {
		i->iops = &procfs_link_iops;
		i->fops = &snapshot_fops;
		if (n->type == P_FD)
			i->size = 64; /* as Linux's proc_fd_instantiate gives them */
	} else {
		i->iops = &procfs_file_iops;
		i->fops = &snapshot_fops;
	}
	return i;
}

static bool in_sys(int type);
static ssize_t procfs_read(struct file *f, void *buf, size_t n, off_t *pos);

/* Linux's /proc files are seq_files but for /proc/sys and these (fs/proc/base.c's own
 * read and write handlers). */
static bool
procfs_seq(struct file *f)
{
	static const int own[] = { P_CMDLINE, P_ENVIRON, P_AUXV, P_MEM, P_PAGEMAP, P_OOM_ADJ,
				   P_OOM_SCORE_ADJ, P_LOGINUID, P_SESSIONID, P_COREDUMP_FILTER,
				   P_CONFIG_GZ };
	const struct proc_node *n = f->inode->priv;

	for (size_t k = 0; k < ARRAY_SIZE(own); k++)
		if (n->type == own[k])
			return false;
	return !in_sys(n->type);
}

/* Files outside the pid directories are Linux's proc_dir_entry files, which poll (with
 * DEFAULT_POLLMASK when they have no poll of their own); the pid directories' files do
 * not (epoll_ctl: EPERM). */
static struct file_ops pde_fops, procfs_ro_fops;
static struct inode_ops pde_iops;

static short
pde_poll(struct file *f, short events)
{
	(void)f;
	(void)events;
	return POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
}

static int procfs_open(struct task *caller, struct file *f);

static int
pde_open(struct task *caller, struct file *f)
{
	int err = procfs_open(caller, f);

	if (!err && f->fops == &procfs_ro_fops) /* no file operations of its own */
		f->fops = &pde_fops;
	return err;
}

/* The inode of a file or directory outside the pid directories (/proc/filesystems,
 * /proc/sys/...): one per type on the first proc super block, kept from its first lookup,
 * so inotify watches on it see the opens and reads made through later lookups (Linux
 * keeps such inodes while watched). Other super blocks get fresh ones. */
static struct inode *
static_inode(struct super_block *sb, const struct proc_node *n, mode_t mode)
{
	static struct {
		struct super_block *sb;
		struct inode *i;
	} cache[P_PID];

	if (cache[n->type].sb == sb)
		return iget(cache[n->type].i);
	struct inode *i = node_inode(sb, n, mode, false);
	if (S_ISREG(mode)) {
		if (!pde_iops.open) {
			pde_iops = procfs_file_iops;
			pde_iops.open = pde_open;
			pde_fops = snapshot_fops;
			pde_fops.read = procfs_read;
			pde_fops.poll = pde_poll;
			pde_fops.seq_file = procfs_seq;
		}
		i->iops = &pde_iops;
	}
	if (!cache[n->type].sb) {
		cache[n->type].sb = sb; /* super blocks are never freed */
		cache[n->type].i = iget(i);
	}
	return i;
}

int
procfs_pid_dir(struct file *f)
{
	const struct proc_node *n;

	if (!f || !f->inode || f->inode->iops != &procfs_dir_iops)
		return -EBADF;
	n = f->inode->priv;
	return n->type == P_PID && !n->under_task ? n->pid : -EBADF;
}

int
procfs_vnr(const struct proc_node *n, int gnr)
{
	return pidns_nr(n->pidns ? n->pidns : task_pid_ns(NULL), gnr);
}

/* A mount of proc shows the pid namespace of the task that made it (Linux's proc
 * super block's pid_ns; a reference, kept while it lives). */
struct super_block *
procfs_new_sb(void)
{
	struct super_block *sb = sb_new("proc", "proc", SB_NOCACHE);
	struct pid_ns *ns = task_pid_ns(current_task);
	struct proc_node n = { .type = P_ROOT, .fd = -1, .pidns = ns };

	ns_get((struct ns_common *)ns);
	sb->blksize = 1024; /* proc_fill_super's s_blocksize: stdio reads /proc 1K at a time */

	sb->root = d_alloc(NULL, "/");
	sb->root->sb = sb;
	sb->root->inode = node_inode(sb, &n, S_IFDIR | 0555, false);
	return sb;
}

static struct proc_node *
pnode(struct dentry *d)
{
	return d->inode->priv;
}

/* A decimal name in [0, INT_MAX]; -1 otherwise. */
static int
parse_num(const char *s)
{
	long v = 0;

	if (!*s || (*s == '0' && s[1]))
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
		if (v > INT_MAX)
			return -1;
	}
	return v;
}

static struct task *
node_task(const struct proc_node *n)
{
	struct task *t = task_lookup(n->tid);

	return t && t->tgid == n->pid ? t : NULL;
}

/* A /proc/PID/fd link's permission bits say how the file is open, as Linux: r-x for
 * reading, -wx for writing, rwx for both, none for O_PATH. */
static mode_t
fd_link_perm(const struct file *f)
{
	if (f->flags & O_PATH)
		return 0;
	switch (f->flags & O_ACCMODE) {
	case O_RDONLY:
		return 0500;
	case O_WRONLY:
		return 0300;
	default:
		return 0700;
	}
}

/* /proc/PID/ns: one link per kind, the task's own objects (sentry/ns.h). */
static const struct {
	const char *name, *kind;
	unsigned int id;
	int nskind;
} ns_names[] = {
	{ "cgroup", "cgroup", 0, NS_CGROUP }, { "ipc", "ipc", 0, NS_IPC },
	{ "mnt", "mnt", 0, NS_MNT }, { "net", "net", 0, NS_NET },
	{ "pid", "pid", 0, NS_KINDS /* the active one */ },
	{ "pid_for_children", "pid", 0, NS_PID },
	{ "time", "time", 0, NS_KINDS + 1 /* the one it lives in */ },
	{ "time_for_children", "time", 0, NS_TIME },
	{ "user", "user", 0, NS_USER }, { "uts", "uts", 0, NS_UTS },
};

/* The namespace object behind link k for t, or NULL (a kind the sandbox has one of). */
static struct ns_common *
ns_object(struct task *t, size_t k)
{
	if (ns_names[k].nskind == NS_KINDS)
		return (struct ns_common *)task_pid_ns(t);
	if (ns_names[k].nskind == NS_KINDS + 1)
		return timens_active(t);
	return ns_names[k].nskind >= 0 ? ns_of(t, ns_names[k].nskind) : NULL;
}

/* pid_for_children before that namespace has its init: no link (Linux
 * pidns_for_children_get: ENOENT). */
static bool
ns_missing(struct task *t, size_t k)
{
	return ns_names[k].nskind == NS_PID && !pidns_has_init((struct pid_ns *)ns_of(t, NS_PID));
}

static unsigned int
ns_id(struct task *t, size_t k)
{
	struct ns_common *ns = ns_object(t, k);

	return ns ? ns->ino : ns_names[k].id;
}

static int
procfs_lookup(struct dentry *dir, const char *name, struct inode **out)
{
	struct proc_node *p = pnode(dir), n = *p;
	int parent = p->type == P_TID ? P_PID : p->type, num;
	struct task *t;
	size_t i, klen = 0;
	const char *kdata;

	n.fd = -1;
	for (i = 0; i < proc_entries_len; i++) {
		const struct proc_entry *e = &proc_entries[i];

		if (e->parent != parent || strcmp(e->name, name))
			continue;
		if (p->type == P_TID && e->type == P_TASKDIR)
			break;
		if (e->type == P_CHILDREN && p->type != P_TID)
			break; /* only in task/TID/ */
		if ((e->type == P_TIMERSLACK || e->type == P_TIMERS) && p->type == P_TID)
			break; /* only the process's */
		if (e->type == P_CONFIG_GZ && procfs_kconfig(&kdata, &klen))
			break;
		n.type = e->type;
		if (e->type < P_PID && p->type < P_PID && !n.pid)
			*out = static_inode(dir->sb, &n, e->mode);
		else
			*out = node_inode(dir->sb, &n, e->mode, p->under_task || p->type == P_TID);
		if (e->type == P_CONFIG_GZ)
			(*out)->size = (off_t)klen; /* as Linux: the compressed size */
		return 0;
	}
	if (p->type == P_NSDIR) {
		for (size_t k = 0; k < ARRAY_SIZE(ns_names); k++)
			if (!strcmp(name, ns_names[k].name)) {
				n.type = P_NS_LINK;
				n.fd = (int)k;
				*out = node_inode(dir->sb, &n, S_IFLNK | 0777, p->under_task);
				return 0;
			}
		return -ENOENT;
	}
	num = parse_num(name);
	if (num < 0)
		return -ENOENT;
	switch (p->type) {
	case P_ROOT:
		num = pidns_global(n.pidns ? n.pidns : task_pid_ns(NULL), num);
		t = num > 0 ? task_lookup(num) : NULL;
		if (!t)
			return -ENOENT;
		n.type = P_PID;
		n.pid = t->tgid;
		n.tid = t->tid;
		*out = node_inode(dir->sb, &n, S_IFDIR | 0555, false);
		return 0;
	case P_TASKDIR:
		num = pidns_global(n.pidns ? n.pidns : task_pid_ns(NULL), num);
		t = num > 0 ? task_lookup(num) : NULL;
		if (!t || t->tgid != p->pid)
			return -ENOENT;
		n.type = P_TID;
		n.tid = num;
		*out = node_inode(dir->sb, &n, S_IFDIR | 0555, true);
		return 0;
	case P_FDDIR:
	case P_FDINFODIR:
		t = node_task(p);
		if (!t || !t->fdt || num >= t->fdt->size || !t->fdt->files[num])
			return -ENOENT;
		n.type = p->type == P_FDDIR ? P_FD : P_FDINFO;
		n.fd = num;
		*out = node_inode(dir->sb, &n, p->type == P_FDDIR ?
				  S_IFLNK | fd_link_perm(t->fdt->files[num]) : S_IFREG | 0444,
				  p->under_task);
		return 0;
	default:
		return -ENOENT;
	}
}

/* ---- directories ---- */

static int
entry_name_cmp(const void *a, const void *b)
{
	return strcmp(proc_entries[*(const size_t *)a].name, proc_entries[*(const size_t *)b].name);
}

#define POS_DYNAMIC 1024 /* positions of pids / fds start here */

static ssize_t
procfs_getdents64(struct file *f, void *buf, size_t n)
{
	struct proc_node *p = pnode(f->path.d);
	int parent = p->type == P_TID ? P_PID : p->type;
	size_t used = 0, i;
	off_t pos = 2;
	char name[16];
	struct task *t;

#define EMIT(ino, off, type, nm)                                                        \
	do {                                                                            \
		if (vfs_emit_dirent(buf, n, &used, (ino), (off), (type), (nm)))          \
			return used ? (ssize_t)used : -EINVAL;                           \
		f->pos = (off);                                                         \
	} while (0)

	if (p->type >= P_PID && !task_lookup(p->tid))
		return -ENOENT; /* the process is gone (Linux: its directory is dead) */
	if (f->pos < 1)
		EMIT(f->inode->ino, 1, DT_DIR, ".");
	if (f->pos < 2)
		EMIT(f->inode->ino + 1, 2, DT_DIR, "..");
	/* /proc/sys lists its entries by name (Linux keeps each sysctl directory in a tree
	 * ordered by name), the rest in the table's order */
	size_t order[proc_entries_len];
	for (i = 0; i < proc_entries_len; i++)
		order[i] = i;
	if (in_sys(parent))
		qsort(order, proc_entries_len, sizeof(order[0]), entry_name_cmp);
	for (size_t k = 0; k < proc_entries_len; k++) {
		const struct proc_entry *e = &proc_entries[order[k]];
		struct proc_node c = *p;

		if (e->parent != parent || (p->type == P_TID && e->type == P_TASKDIR) ||
		    (e->type == P_CHILDREN && p->type != P_TID) ||
		    ((e->type == P_TIMERSLACK || e->type == P_TIMERS) && p->type == P_TID))
			continue;
		if (e->type == P_CONFIG_GZ) {
			const char *kdata;
			size_t klen;

			if (procfs_kconfig(&kdata, &klen))
				continue;
		}
		pos++;
		c.type = e->type;
		if (f->pos < pos)
			EMIT(node_ino(&c, p->type == P_TID), pos, vfs_dtype(e->mode), e->name);
	}
	switch (p->type) {
	case P_ROOT:
	case P_TASKDIR:
		for (t = task_next(NULL); t; t = task_next(t)) {
			struct proc_node c = *p;

			if (p->type == P_ROOT ? t->tid != t->tgid : t->tgid != p->pid)
				continue;
			if (f->pos >= POS_DYNAMIC + t->tid || !procfs_vnr(p, t->tid))
				continue; /* (outside the mount's pid namespace) */
			c.type = p->type == P_ROOT ? P_PID : P_TID;
			c.pid = t->tgid;
			c.tid = t->tid;
			snprintf(name, sizeof(name), "%d", procfs_vnr(p, t->tid));
			EMIT(node_ino(&c, p->type == P_TASKDIR), POS_DYNAMIC + t->tid, DT_DIR, name);
		}
		break;
	case P_NSDIR:
		for (size_t k = 0; k < ARRAY_SIZE(ns_names); k++) {
			struct proc_node c = *p;
			c.type = P_NS_LINK;
			c.fd = (int)k;
			if (f->pos < pos + 1 + (off_t)k)
				EMIT(node_ino(&c, p->under_task), pos + 1 + (off_t)k, DT_LNK,
				     ns_names[k].name);
		}
		break;
	case P_FDDIR:
	case P_FDINFODIR:
		t = node_task(p);
		for (int fd = 0; t && t->fdt && fd < t->fdt->size; fd++) {
			struct proc_node c = *p;

			if (!t->fdt->files[fd] || f->pos >= POS_DYNAMIC + fd)
				continue;
			c.type = p->type == P_FDDIR ? P_FD : P_FDINFO;
			c.fd = fd;
			snprintf(name, sizeof(name), "%d", fd);
			EMIT(node_ino(&c, p->under_task), POS_DYNAMIC + fd,
			     p->type == P_FDDIR ? DT_LNK : DT_REG, name);
		}
		break;
	default:
		break;
	}
#undef EMIT
	return used;
}

/* Linux proc_fd_permission: a process may always look at its own descriptors, even when
 * it is not dumpable (its fd/ is root's then, 0500); proc_fdinfo_permission: fdinfo/
 * (0555) also wants a ptrace read check. */
static int
procfs_permission(struct task *t, struct inode *i, int mask, int err)
{
	const struct proc_node *n = i->priv;
	struct task *target;

	(void)mask;
	if (n->type == P_FDDIR && err && t->tgid == n->tid)
		return 0;
	if (n->type == P_FDINFODIR && !err) {
		target = task_lookup(n->tid);
		if (target && !task_ptrace_may_access(t, target, true))
			return -EACCES;
	}
	return err;
}

static const struct inode_ops procfs_dir_iops = {
	.lookup = procfs_lookup,
	.permission = procfs_permission,
};

/* Linux's proc directories seek as generic_file_llseek does: SEEK_END is their size, 0. */
static off_t
procfs_dir_llseek(struct file *f, off_t off, int whence)
{
	return generic_llseek(f, off, whence, 0);
}

static const struct file_ops procfs_dir_fops = {
	.llseek = procfs_dir_llseek,
	.getdents64 = procfs_getdents64,
	.pread_ok = true,
};

/* ---- links ---- */

#define NS_GET_USERNS_ 0xb701
#define NS_GET_PARENT_ 0xb702
#define NS_GET_NSTYPE_ 0xb703
#define NS_GET_OWNER_UID_ 0xb704
#define NS_GET_PID_FROM_PIDNS_ 0x8004b706  /* _IOR(0xb7, 6, int) */
#define NS_GET_TGID_FROM_PIDNS_ 0x8004b707
#define NS_GET_PID_IN_PIDNS_ 0x8004b708
#define NS_GET_TGID_IN_PIDNS_ 0x8004b709
#define NS_GET_MNTNS_ID_ 0x8008b705     /* _IOR(0xb7, 5, __u64) */

/* ptrace-style access: the same effective uid, or root. */
static int
may_inspect(struct task *caller, struct task *target)
{
	if (!caller || caller->euid == 0 || caller->euid == target->euid)
		return 0;
	return -EACCES;
}

/* The namespace files (Linux nsfs) the ns links lead to: one per kind, made on first use,
 * whose inode numbers are the namespaces' ids; they open, and read as nothing (EINVAL). */
static struct pseudo_fs nsfs = { .fstype = "nsfs" };
static struct dentry *ns_files[ARRAY_SIZE(ns_names)];

static off_t
ns_llseek(struct file *f, off_t off, int whence)
{
	return -ESPIPE; /* Linux no_llseek */
}

static int
ns_fsync(struct file *f)
{
	return -EINVAL;
}

static const struct file_ops ns_fops = {
	.llseek = ns_llseek,
	.fsync = ns_fsync,
};

/* Linux: an open for writing is EPERM, even for root. */
static int
ns_open(struct task *t, struct file *f)
{
	(void)t;
	if ((f->flags & O_ACCMODE) != O_RDONLY)
		return -EPERM;
	f->fops = &ns_fops;
	return 0;
}

static const struct inode_ops ns_iops = {
	.open = ns_open,
};

int
procfs_ns_type(struct file *f)
{
	static const struct {
		const char *kind;
		int flag;
	} kinds[] = {
		{ "cgroup", CLONE_NEWCGROUP }, { "ipc", CLONE_NEWIPC }, { "mnt", CLONE_NEWNS },
		{ "net", CLONE_NEWNET }, { "pid", CLONE_NEWPID }, { "time", CLONE_NEWTIME },
		{ "user", CLONE_NEWUSER }, { "uts", CLONE_NEWUTS },
	};

	if (!f || !f->inode || f->inode->iops != &ns_iops)
		return -EINVAL;
	if (f->inode->priv)
		return ns_ops_of(((struct ns_common *)f->inode->priv)->kind)->clone_flag;
	for (size_t k = 0; k < ARRAY_SIZE(ns_names); k++) {
		if (ns_names[k].id != f->inode->ino)
			continue;
		for (size_t j = 0; j < ARRAY_SIZE(kinds); j++)
			if (!strcmp(kinds[j].kind, ns_names[k].kind))
				return kinds[j].flag;
	}
	return -EINVAL;
}

struct ns_common *
procfs_ns_object(struct file *f)
{
	if (!f || !f->inode || f->inode->iops != &ns_iops)
		return NULL;
	return f->inode->priv;
}

static void
ns_inode_free(struct inode *i)
{
	ns_put(i->priv);
}

/* An nsfs inode of namespace object ns (NULL: the sandbox's fixed one of number ino), holding
 * a reference to it, and its name "kind:[ino]" in name (32 bytes). */
static struct inode *
ns_inode(struct ns_common *ns, const char *kind, unsigned int ino, char *name)
{
	struct inode *i = pseudo_inode(&nsfs, S_IFREG | 0444, 0, 0);

	i->ino = ino;
	i->fops = &ns_fops;
	i->iops = &ns_iops;
	if (ns) {
		i->priv = ns_get(ns);
		i->free_priv = ns_inode_free;
	}
	snprintf(name, 32, "%s:[%u]", kind, ino);
	return i;
}

/* A namespace object's file: one per link followed, each with a reference to it, so that an
 * open file keeps the namespace (setns may join it later); equal inode numbers say which. */
static void
ns_object_link(struct ns_common *ns, size_t k, struct path *out)
{
	char name[32];
	struct inode *i = ns_inode(ns, ns_names[k].kind, ns->ino, name);
	struct dentry *d = d_alloc(nsfs.sb->root, name);

	d->inode = i;
	*out = (struct path){ .mnt = &nsfs.mnt, .d = d };
}

static int
ns_link(struct task *caller, const struct proc_node *n, struct path *out)
{
	struct task *t = task_lookup(n->tid);

	if (!t || n->fd < 0 || n->fd >= (int)ARRAY_SIZE(ns_names))
		return -ESRCH;
	if (t->state == TASK_ZOMBIE || ns_missing(t, (size_t)n->fd))
		return -ENOENT;
	int err = may_inspect(caller, t);
	if (err)
		return err;
	struct ns_common *ns = ns_object(t, (size_t)n->fd);
	if (ns) {
		ns_object_link(ns, (size_t)n->fd, out);
		return 1;
	}
	for (size_t k = 0; k < ARRAY_SIZE(ns_names) && !ns_files[n->fd]; k++) {
		if (ns_files[k] && ns_names[k].id == ns_names[n->fd].id)
			ns_files[n->fd] = dget(ns_files[k]); /* pid and pid_for_children: one */
	}
	if (!ns_files[n->fd]) {
		char name[32];
		struct inode *i = ns_inode(NULL, ns_names[n->fd].kind, ns_names[n->fd].id, name);

		ns_files[n->fd] = d_alloc(nsfs.sb->root, name);
		ns_files[n->fd]->inode = i;
	}
	*out = path_get((struct path){ .mnt = &nsfs.mnt, .d = ns_files[n->fd] });
	return 1;
}

/* The kind of namespace file f is (its index in ns_names), or -1. */
static int
ns_index_of(struct file *f)
{
	int flag = procfs_ns_type(f);

	for (size_t k = 0; flag > 0 && k < ARRAY_SIZE(ns_names); k++) {
		struct ns_common *ns = procfs_ns_object(f);
		if (ns ? ns_names[k].nskind == ns->kind
		       : ns_names[k].nskind < 0 && ns_names[k].id == f->inode->ino)
			return (int)k;
	}
	return -1;
}

/* A new open file of namespace object ns (O_RDONLY, as an nsfs ioctl gives one). */
static struct file *
ns_object_file(struct ns_common *ns)
{
	char name[32];
	struct inode *i = ns_inode(ns, ns_ops_of(ns->kind)->name, ns->ino, name);

	return pseudo_file(&nsfs, i, name, &ns_fops, O_RDONLY);
}

struct file *
procfs_ns_file(struct ns_common *ns)
{
	return ns_object_file(ns);
}

/* A close-on-exec descriptor of user namespace u for t, if u is in t's scope (Linux
 * ns_get_owner: t's own user namespace or one below it), else -EPERM: the owner of t's
 * own namespaces (made by a parent namespace) and t's parent are out of its reach. */
static long
userns_fd(struct task *t, struct ns_common *u)
{
	if (!u || !userns_in_scope(t, u))
		return -EPERM;
	struct file *f = ns_object_file(u);
	int fd = fdt_install(t->fdt, f, 0, true);
	file_put(f);
	return fd;
}

/* NS_GET_PARENT of a pid namespace: its parent, if that is the caller's active one or
 * below it (Linux pidns_get_parent: EPERM otherwise). */
static long
pidns_parent_fd(struct task *t, struct pid_ns *ns)
{
	struct pid_ns *p = pidns_parent(ns);

	if (!p || !pidns_within(p, task_pid_ns(t)))
		return -EPERM;
	struct file *f = ns_object_file((struct ns_common *)p);
	int fd = fdt_install(t->fdt, f, 0, true);
	file_put(f);
	return fd;
}

/* NS_GET_{PID,TGID}_{FROM,IN}_PIDNS: a number in pid namespace ns as the caller's
 * namespace shows it, or a number of the caller's as ns shows it (ESRCH: none). */
static long
pid_translate(struct task *t, struct ns_common *ns, unsigned int cmd, int nr)
{
	if (!ns || ns->kind != NS_PID)
		return -EINVAL;
	struct pid_ns *pn = (struct pid_ns *)ns;
	bool in = cmd == NS_GET_PID_IN_PIDNS_ || cmd == NS_GET_TGID_IN_PIDNS_;
	int g = pidns_global(in ? task_pid_ns(t) : pn, nr);
	struct task *p = g > 0 ? task_lookup(g) : NULL;
	if (!p)
		return -ESRCH;
	int id = cmd == NS_GET_PID_FROM_PIDNS_ || cmd == NS_GET_PID_IN_PIDNS_ ? p->tid : p->tgid;
	int r = in ? pidns_nr(pn, id) : task_vnr(t, id);
	return r > 0 ? r : -ESRCH;
}

/* nsfs's ioctls (Linux ns_ioctl): the owning user namespace (of a user namespace: its
 * parent), the parent of a user namespace (pid namespaces: the sandbox's is the initial
 * one, EPERM; other kinds have none: EINVAL), the kind, and a user namespace's owner. */
long
procfs_ns_ioctl(struct task *t, struct file *f, unsigned int cmd, unsigned long arg)
{
	int k = ns_index_of(f);

	if (k < 0)
		return -ENOIOCTLCMD;
	struct ns_common *ns = procfs_ns_object(f);
	bool user = ns && ns->kind == NS_USER;
	switch (cmd) {
	case NS_GET_NSTYPE_:
		return procfs_ns_type(f);
	case NS_GET_OWNER_UID_: {
		if (!user)
			return -EINVAL;
		uid_t owner = userns_uid_out(t, userns_owner(ns));
		return copy_to_guest(t, arg, &owner, sizeof(owner)) ? -EFAULT : 0;
	}
	case NS_GET_PARENT_:
		if (user)
			return userns_fd(t, userns_parent(ns));
		if (ns && ns->kind == NS_PID)
			return pidns_parent_fd(t, (struct pid_ns *)ns);
		return !strcmp(ns_names[k].kind, "pid") ? -EPERM : -EINVAL;
	case NS_GET_PID_FROM_PIDNS_:
	case NS_GET_TGID_FROM_PIDNS_:
	case NS_GET_PID_IN_PIDNS_:
	case NS_GET_TGID_IN_PIDNS_:
		return pid_translate(t, ns, cmd, (int)arg);
	case NS_GET_MNTNS_ID_: {
		if (!ns || ns->kind != NS_MNT)
			return -EINVAL;
		uint64_t id = vfs_mnt_ns_id(ns);
		return copy_to_guest(t, arg, &id, sizeof(id)) ? -EFAULT : 0;
	}
	case NS_GET_USERNS_:
		if (user)
			return userns_fd(t, userns_parent(ns));
		return userns_fd(t, ns ? ns_owner(ns) : ns_of(NULL, NS_USER));
	default:
		return -ENOTTY;
	}
}

static int
procfs_get_link(struct task *caller, struct dentry *d, struct path *out)
{
	struct proc_node *n = pnode(d);
	struct task *t;
	struct file *f;
	int err;

	if (n->type == P_NS_LINK)
		return ns_link(caller, n, out);
	if (n->type != P_CWD && n->type != P_ROOTLINK && n->type != P_FD && n->type != P_EXE)
		return 0;
	t = node_task(n);
	if (!t)
		return -ENOENT;
	/* exe: the file the image was loaded from (a magic link, as on Linux); while an
	 * execve builds a new image, the old path's text */
	if (n->type == P_EXE && (!t->mm || !t->mm->exe_file || t->state == TASK_ZOMBIE))
		return 0;
	err = may_inspect(caller, t);
	if (err)
		return err;
	if (n->type == P_EXE) {
		if (!t->mm->exe_file->path.d)
			return 0;
		*out = path_get(t->mm->exe_file->path);
		return 1;
	}
	if (n->type == P_FD) {
		f = t->fdt && n->fd < t->fdt->size ? t->fdt->files[n->fd] : NULL;
		if (!f)
			return -ENOENT;
		if (!f->path.d)
			return -ENXIO; /* TODO: reopen host fds and pipes */
		*out = path_get(f->path);
		return 1;
	}
	if (!t->fs)
		return -ENOENT;
	*out = path_get(n->type == P_CWD ? vfs_ctx_cwd(t->fs) : vfs_ctx_root(t->fs));
	return 1;
}

/* Path of target as the caller sees it (relative to its root). */
static int
link_text(struct task *caller, struct path *target, struct sbuf *b)
{
	struct path root = { 0 };
	char buf[PATH_MAX];
	int len;

	if (caller && caller->fs)
		root = vfs_ctx_root(caller->fs);
	len = vfs_path_string(*target, root, buf, sizeof(buf));
	if (len < 0)
		return len;
	sbuf_append(b, buf, len);
	return 0;
}

static int
procfs_readlink(struct task *caller, struct dentry *d, char **out)
{
	struct proc_node *n = pnode(d);
	struct sbuf b = { 0 };
	struct path target;
	size_t len;
	int err;

	switch (n->type) {
	case P_SELF: /* the caller as the mount's pid namespace numbers it */
		if (!caller || !procfs_vnr(n, caller->tgid))
			return -ENOENT;
		sbuf_printf(&b, "%d", procfs_vnr(n, caller->tgid));
		break;
	case P_THREAD_SELF:
		if (!caller || !procfs_vnr(n, caller->tid))
			return -ENOENT;
		sbuf_printf(&b, "%d/task/%d", procfs_vnr(n, caller->tgid), procfs_vnr(n, caller->tid));
		break;
	case P_MOUNTS_LINK:
		sbuf_printf(&b, "self/mounts");
		break;
	case P_NET_LINK:
		sbuf_printf(&b, "self/net");
		break;
	case P_NS_LINK: { /* Linux: ESRCH once reaped, ENOENT for a zombie */
		struct task *t = task_lookup(n->tid);

		if (!t || n->fd < 0 || n->fd >= (int)ARRAY_SIZE(ns_names))
			return -ESRCH;
		if (t->state == TASK_ZOMBIE || ns_missing(t, (size_t)n->fd))
			return -ENOENT;
		sbuf_printf(&b, "%s:[%u]", ns_names[n->fd].kind, ns_id(t, (size_t)n->fd));
		break;
	}
	case P_EXE: {
		struct task *t = node_task(n);

		if (!t)
			return -ESRCH; /* reaped (a zombie's has no image: ENOENT) */
		if (!t->mm || !t->mm->exe_path || t->state == TASK_ZOMBIE)
			return -ENOENT;
		err = may_inspect(caller, t);
		if (err)
			return err;
		char now[PATH_MAX]; /* its name now, as Linux's d_path of exe_file */
		sbuf_printf(&b, "%s", vfs_where_name(t->mm->exe_where, t->mm->exe_path, now,
						      sizeof(now)));
		break;
	}
	case P_FD: {
		struct task *t = node_task(n);
		struct file *f = t && t->fdt && n->fd < t->fdt->size ? t->fdt->files[n->fd] : NULL;
		char buf[PATH_MAX];
		int len2;

		if (!f)
			return -ENOENT;
		err = may_inspect(caller, t);
		if (err)
			return err;
		if (f->path.d) {
			/* Linux d_path: as the reader sees it, below its root (a chroot) */
			err = link_text(caller, &f->path, &b);
			if (err)
				return err;
			break;
		}
		len2 = file_path(f, buf, sizeof(buf));
		if (len2 < 0)
			return len2;
		sbuf_append(&b, buf, len2);
		break;
	}
	default: /* cwd, root: the text of the magic link's target */
		err = procfs_get_link(caller, d, &target);
		if (err <= 0)
			return err ? err : -EINVAL;
		err = link_text(caller, &target, &b);
		path_put(&target);
		if (err)
			return err;
		break;
	}
	*out = sbuf_steal(&b, &len);
	return 0;
}

static const struct inode_ops procfs_link_iops = {
	.readlink = procfs_readlink,
	.get_link = procfs_get_link,
};

/* ---- files ---- */

static bool
procfs_writable(int type)
{
	return type == P_COMM || type == P_OOM_ADJ || type == P_OOM_SCORE_ADJ ||
	       type == P_LOGINUID || type == P_COREDUMP_FILTER || type == P_UID_MAP ||
	       type == P_GID_MAP || type == P_SETGROUPS || type == P_TIMENS_OFFSETS ||
	       type == P_TIMERSLACK || type == P_SCHED;
}

/* /proc/sys values: network ones (each network namespace has its own copy, starting from
 * these), kernel.keys.maxkeys, a few vm and kernel numbers. Kept and shown; only root
 * writes them (mode 0644, owner root); the port range and the buffer sizes are followed
 * (fs/socket.c). */
static int sysctl_vals[P_NS_LAST - P_NS_TCP_SACK + 1][3] = {
	[P_NS_TCP_SACK - P_NS_TCP_SACK] = { 1 },
	[P_NS_TCP_RECOVERY - P_NS_TCP_SACK] = { 1 },
	[P_NS_IP_FORWARD - P_NS_TCP_SACK] = { 0 },
	[P_NS_PORT_RANGE - P_NS_TCP_SACK] = { 32768, 60999 },
	[P_NS_SOMAXCONN - P_NS_TCP_SACK] = { 4096 },
	[P_NS_AUTO_FLOWLABELS - P_NS_TCP_SACK] = { 1 },
	[P_NS_BINDV6ONLY - P_NS_TCP_SACK] = { 0 },
	[P_NS_IP6FRAG_TIME - P_NS_TCP_SACK] = { 60 },
	[P_NS_IP6_NONLOCAL_BIND - P_NS_TCP_SACK] = { 0 },
	[P_NS_UNPRIV_PORT - P_NS_TCP_SACK] = { 1024 },
	/* (the host's, when the sentry could read them: sock_set_buf_limits) */
	[P_NS_WMEM_DEFAULT - P_NS_TCP_SACK] = { 212992 },
	[P_NS_RMEM_DEFAULT - P_NS_TCP_SACK] = { 212992 },
	[P_NS_WMEM_MAX - P_NS_TCP_SACK] = { 212992 },
	[P_NS_RMEM_MAX - P_NS_TCP_SACK] = { 212992 },
	[P_NS_PING_GROUPS - P_NS_TCP_SACK] = { 1, 0 }, /* no group: ICMP sockets for nobody */
	/* min, default, max of a TCP socket's buffers (the host's: sock_set_buf_limits) */
	[P_NS_TCP_RMEM - P_NS_TCP_SACK] = { 4096, 131072, 6291456 },
	[P_NS_TCP_WMEM - P_NS_TCP_SACK] = { 4096, 16384, 4194304 },
	[P_NS_UDP_RMEM_MIN - P_NS_TCP_SACK] = { 4096 },
	[P_NS_UDP_WMEM_MIN - P_NS_TCP_SACK] = { 4096 },
	[P_NS_MAXKEYS - P_NS_TCP_SACK] = { 200 },
	[P_NS_MAXBYTES - P_NS_TCP_SACK] = { 20000 },
	[P_NS_ROOT_MAXKEYS - P_NS_TCP_SACK] = { 1000000 },
	[P_NS_ROOT_MAXBYTES - P_NS_TCP_SACK] = { 25000000 },
	[P_NS_GC_DELAY - P_NS_TCP_SACK] = { 300 },
	[P_NS_PERSIST_EXPIRY - P_NS_TCP_SACK] = { 259200 },
	[P_NS_CAP_LAST_CAP - P_NS_TCP_SACK] = { CAP_LAST_CAP },
	[P_NS_NR_OPEN - P_NS_TCP_SACK] = { 1048576 },
	[P_NS_OVERFLOWUID - P_NS_TCP_SACK] = { 65534 },
	[P_NS_OVERFLOWGID - P_NS_TCP_SACK] = { 65534 },
	[P_NS_RANDOMIZE_VA - P_NS_TCP_SACK] = { 2 },
	[P_NS_MAX_MAP_COUNT - P_NS_TCP_SACK] = { 65530 },
	[P_NS_MMAP_MIN_ADDR - P_NS_TCP_SACK] = { 4096 },
};

long
mmap_min_addr(void)
{
	return sysctl_vals[P_NS_MMAP_MIN_ADDR - P_NS_TCP_SACK][0];
}

long
keys_sysctl(int which)
{
	static const int types[] = { P_NS_MAXKEYS, P_NS_MAXBYTES, P_NS_ROOT_MAXKEYS,
				     P_NS_ROOT_MAXBYTES, P_NS_PERSIST_EXPIRY };

	if (which < 0 || which >= (int)ARRAY_SIZE(types))
		return 0;
	return sysctl_vals[types[which] - P_NS_TCP_SACK][0];
}

int
randomize_va_space(void)
{
	return sysctl_vals[P_NS_RANDOMIZE_VA - P_NS_TCP_SACK][0];
}

_Static_assert(P_NS_UDP_WMEM_MIN - P_NS_TCP_SACK + 1 == NET_SYSCTLS, "net sysctls");

/* The values a network namespace starts with (Linux's defaults: not its parent's). */
void
procfs_net_sysctl_defaults(int v[NET_SYSCTLS + NET_TAGS][3])
{
	memcpy(v, sysctl_vals, NET_SYSCTLS * sizeof(v[0]));
	memset(v[NET_SYSCTLS], 0, NET_TAGS * sizeof(v[0])); /* conf tags: 0 */
}

/* Where value type lives for t: its network namespace's copy for /proc/sys/net, else the
 * sandbox's. */
static int *
sysctl_slot(struct task *t, int type)
{
	int *v = type - P_NS_TCP_SACK < NET_SYSCTLS ? sock_net_sysctl(t, type - P_NS_TCP_SACK)
						  : NULL;

	return v ? v : sysctl_vals[type - P_NS_TCP_SACK];
}

static bool
is_sysctl(int type)
{
	return type >= P_NS_TCP_SACK && type <= P_NS_LAST;
}

void
procfs_sysctl_text(struct task *t, int type, struct sbuf *b)
{
	int *v = sysctl_slot(t, type);

	if (type == P_NS_PORT_RANGE || type == P_NS_PING_GROUPS)
		sbuf_printf(b, "%d\t%d\n", v[0], v[1]);
	else if (type == P_NS_TCP_RMEM || type == P_NS_TCP_WMEM)
		sbuf_printf(b, "%d\t%d\t%d\n", v[0], v[1], v[2]);
	else
		sbuf_printf(b, "%d\n", v[0]);
}

#define FS_NR_OPEN_MAX 2147483584 /* INT_MAX rounded down to whole longs of bits, as Linux */

/* fs.nr_open: what RLIMIT_NOFILE may be raised to, so the highest descriptor number + 1. */
int
procfs_nr_open(void)
{
	return sysctl_vals[P_NS_NR_OPEN - P_NS_TCP_SACK][0];
}

/* Linux proc_dointvec: integers separated by blanks, a newline at the end at most. The
 * port range: two, 1..65535, the first not above the second; single switches (tcp_sack,
 * ip_forward, bindv6only...) are bytes in Linux (0..255), the others ints; tcp_rmem and
 * tcp_wmem three, each at least 1 (the ones given replace the first ones). */
static ssize_t
sysctl_write(struct file *f, int type, const char *text, size_t n)
{
	bool triple = type == P_NS_TCP_RMEM || type == P_NS_TCP_WMEM;
	int want = type == P_NS_PORT_RANGE || type == P_NS_PING_GROUPS ? 2 : triple ? 3 : 1;
	int got = 0, v[3];
	const char *s = text;

	if (n >= 64)
		return -EINVAL;
	while (got < want) {
		while (*s == ' ' || *s == '\t' || *s == '\n')
			s++;
		if (!*s)
			break;
		char *end;
		errno = 0;
		long x = strtol(s, &end, 10);
		if (end == s || errno || x < INT_MIN || x > INT_MAX)
			return -EINVAL;
		if (*end && *end != ' ' && *end != '\t' && *end != '\n')
			return -EINVAL;
		v[got++] = (int)x;
		s = end;
	}
	if (got == 0)
		return (ssize_t)n; /* nothing written: Linux takes it and changes nothing */
	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	if (*s)
		return -EINVAL;
	if (type == P_NS_PORT_RANGE || type == P_NS_PING_GROUPS || triple) {
		for (int i = got; i < want; i++) /* Linux: the numbers given replace the first ones */
			v[i] = sysctl_slot(current_task, type)[i];
		got = want;
	}
	if (type == P_NS_PORT_RANGE) {
		/* Linux ipv4_local_port_range: 1..65535, ordered, none of it privileged */
		if (v[0] < 1 || v[1] > 65535 || v[0] > v[1] ||
		    v[0] < sysctl_slot(current_task, P_NS_UNPRIV_PORT)[0])
			return -EINVAL;
	} else if (type == P_NS_UNPRIV_PORT) {
		/* Linux ipv4_privileged_ports: 0..65535, not into the local port range */
		if (v[0] < 0 || v[0] > 65535 || v[0] > sysctl_slot(current_task, P_NS_PORT_RANGE)[0])
			return -EINVAL;
	} else if (type == P_NS_PING_GROUPS) {
		/* Linux ipv4_ping_group_range: gids 0..2^31-1; an empty range is stored as the
		 * default one, no group at all */
		if (v[0] < 0 || v[1] < 0)
			return -EINVAL;
		if (v[1] < v[0])
			v[0] = 1, v[1] = 0;
	} else if (triple || type == P_NS_UDP_RMEM_MIN || type == P_NS_UDP_WMEM_MIN) {
		for (int i = 0; i < want; i++) /* proc_dointvec_minmax from SYSCTL_ONE */
			if (v[i] < 1)
				return -EINVAL;
	} else if (type == P_NS_TCP_SACK || type == P_NS_IP_FORWARD || type == P_NS_BINDV6ONLY ||
		   type == P_NS_IP6_NONLOCAL_BIND) {
		if (v[0] < 0 || v[0] > 255)
			return -EINVAL;
	} else if ((type == P_NS_SOMAXCONN || type == P_NS_MAXKEYS || type == P_NS_MAX_MAP_COUNT ||
		    type == P_NS_MMAP_MIN_ADDR || type == P_NS_MAXBYTES || type == P_NS_ROOT_MAXKEYS ||
		    type == P_NS_ROOT_MAXBYTES || type == P_NS_GC_DELAY || type == P_NS_PERSIST_EXPIRY) &&
		   v[0] < 0) {
		return -EINVAL;
	} else if ((type == P_NS_OVERFLOWUID || type == P_NS_OVERFLOWGID) &&
		   (v[0] < 0 || v[0] > 65535)) {
		return -EINVAL;
	} else if ((type == P_NS_WMEM_DEFAULT || type == P_NS_WMEM_MAX) && v[0] < 4608) {
		return -EINVAL; /* Linux min_sndbuf, SOCK_MIN_SNDBUF */
	} else if ((type == P_NS_RMEM_DEFAULT || type == P_NS_RMEM_MAX) && v[0] < 2304) {
		return -EINVAL; /* min_rcvbuf, SOCK_MIN_RCVBUF */
	} else if (type == P_NS_NR_OPEN && (v[0] < 64 || v[0] > FS_NR_OPEN_MAX)) {
		return -EINVAL; /* Linux sysctl_nr_open_min / _max */
	} else if (type == P_NS_CAP_LAST_CAP) {
		return -EACCES; /* 0444 */
	} else if (type == P_NS_RANDOMIZE_VA && (v[0] < 0 || v[0] > 2)) {
		return -EINVAL;
	}
	memcpy(sysctl_slot(current_task, type), v, got * sizeof(int));

	struct sbuf b = { 0 };
	size_t len;
	procfs_sysctl_text(current_task, type, &b);
	char *data = sbuf_steal(&b, &len);
	file_replace_snapshot(f, data, len);
	return (ssize_t)n;
}

/* The other /proc/sys values: numbers (printk four of them) kept for the whole sandbox,
 * and core_pattern's text. Root writes them (0644, owner root); the limits the sentry
 * follows (inotify, mqueue, pipes) read them through sysctl_value. */
static struct {
	int nvals;
	long min, max;
	long v[4];
	bool ul;                  /* an unsigned long (proc_doulongvec_minmax): min (0: none)
				   * is its least, max unused */
} sysctl2[P_SC_LAST - P_SC_FIRST + 1] = {
	[P_SC_TAINTED - P_SC_FIRST] = { 1, 0, LONG_MAX, { 0 } },
	[P_SC_PRINTK - P_SC_FIRST] = { 4, INT_MIN, INT_MAX, { 4, 4, 1, 7 } },
	[P_SC_CORE_USES_PID - P_SC_FIRST] = { 1, INT_MIN, INT_MAX, { 0 } },
	[P_SC_PANIC - P_SC_FIRST] = { 1, INT_MIN, INT_MAX, { 0 } },
	[P_SC_THREADS_MAX - P_SC_FIRST] = { 1, 1, 1 << 22, { THREADS_MAX_DEFAULT } },
	[P_SC_PIPE_MAX_SIZE - P_SC_FIRST] = { 1, PAGE_SIZE, 1L << 31, { 1 << 20 } },
	/* on, as distributions set them (fs/namei.c may_follow_link, may_linkat) */
	[P_SC_PROT_SYMLINKS - P_SC_FIRST] = { 1, 0, 1, { 1 } },
	[P_SC_PROT_HARDLINKS - P_SC_FIRST] = { 1, 0, 1, { 1 } },
	/* (fs/vfs.c may_create_in_sticky; the host's values when it has them) */
	[P_SC_PROT_FIFOS - P_SC_FIRST] = { 1, 0, 2, { 1 } },
	[P_SC_PROT_REGULAR - P_SC_FIRST] = { 1, 0, 2, { 1 } },
	[P_SC_PIPE_PAGES_SOFT - P_SC_FIRST] = { 1, 0, LONG_MAX, { 16384 } },
	[P_SC_PIPE_PAGES_HARD - P_SC_FIRST] = { 1, 0, LONG_MAX, { 0 } },
	[P_SC_FILE_MAX - P_SC_FIRST] = { 1, 0, LONG_MAX, { 9223372036854775807L } },
	[P_SC_INO_EVENTS - P_SC_FIRST] = { 1, 0, INT_MAX, { 16384 } },
	[P_SC_INO_INSTANCES - P_SC_FIRST] = { 1, 0, INT_MAX, { 128 } },
	[P_SC_INO_WATCHES - P_SC_FIRST] = { 1, 0, INT_MAX, { 65536 } },
	[P_SC_MQ_QUEUES - P_SC_FIRST] = { 1, 0, INT_MAX, { 256 } },
	[P_SC_MQ_MSG_MAX - P_SC_FIRST] = { 1, 1, 65536, { 10 } },
	[P_SC_MQ_MSGSIZE_MAX - P_SC_FIRST] = { 1, 128, 16 << 20, { 8192 } },
	[P_SC_MQ_MSG_DEF - P_SC_FIRST] = { 1, 1, 65536, { 10 } },
	[P_SC_MQ_MSGSIZE_DEF - P_SC_FIRST] = { 1, 128, 16 << 20, { 8192 } },
	[P_SC_TAG_ALL - P_SC_FIRST] = { 1, INT_MIN, INT_MAX, { 0 } },
	[P_SC_TAG_DEFAULT - P_SC_FIRST] = { 1, INT_MIN, INT_MAX, { 0 } },
	[P_SC_TAG_LO - P_SC_FIRST] = { 1, INT_MIN, INT_MAX, { 0 } },
	/* kept only: a conflicting open does not break leases here (fs/file.c: set_lease) */
	[P_SC_LEASE_BREAK - P_SC_FIRST] = { 1, INT_MIN, INT_MAX, { 45 } },
	/* 0 makes fcntl F_NOTIFY fail with EINVAL (fs/inotify.c: vfs_dnotify) */
	[P_SC_DIR_NOTIFY - P_SC_FIRST] = { 1, INT_MIN, INT_MAX, { 1 } },
	/* what io_setup may reserve in all (sys_aio.c); aio-nr is what it has (read-only) */
	[P_SC_AIO_MAX_NR - P_SC_FIRST] = { 1, 0, 0, { 65536 }, true },
	[P_SC_AIO_NR - P_SC_FIRST] = { 1, 0, 0, { 0 }, true },
	[P_SC_FILE_NR - P_SC_FIRST] = { 3, 0, 0, { 0 }, true }, /* (made when read) */
	/* System V IPC (Linux ipc/ipc_sysctl.c): the sentry's ipc follows them */
	[P_SC_SHMMAX - P_SC_FIRST] = { 1, 0, 0, { (long)(ULONG_MAX - (1UL << 24)) }, true },
	[P_SC_SHMALL - P_SC_FIRST] = { 1, 0, 0, { (long)(ULONG_MAX - (1UL << 24)) }, true },
	[P_SC_SHMMNI - P_SC_FIRST] = { 1, 0, 1 << 15, { 4096 } },
	[P_SC_MSGMAX - P_SC_FIRST] = { 1, 0, INT_MAX, { 8192 } },
	[P_SC_MSGMNB - P_SC_FIRST] = { 1, 0, INT_MAX, { 16384 } },
	[P_SC_MSGMNI - P_SC_FIRST] = { 1, 0, 1 << 15, { 32000 } },
	[P_SC_MSG_NEXT_ID - P_SC_FIRST] = { 1, 0, INT_MAX, { -1 } },
	[P_SC_SEM_NEXT_ID - P_SC_FIRST] = { 1, 0, INT_MAX, { -1 } },
	[P_SC_SHM_NEXT_ID - P_SC_FIRST] = { 1, 0, INT_MAX, { -1 } },
	/* semmsl, semmns, semopm, semmni */
	[P_SC_SEM - P_SC_FIRST] = { 4, INT_MIN, INT_MAX, { 32000, 1024000000, 500, 32000 } },
	/* vm: the hugetlb pool (as /proc/meminfo's HugePages_Total and /sys/kernel/mm/hugepages
	 * say: none, and none to be had, so a write leaves it at 0); drop_caches (1-4, write
	 * only) has nothing to drop (no page cache here to free) */
	[P_SC_NR_HUGEPAGES - P_SC_FIRST] = { 1, 0, 0, { 0 }, true },
	[P_SC_DROP_CACHES - P_SC_FIRST] = { 1, 1, 4, { 0 } },
	/* kept only, Linux's defaults and ranges (mm/vmscan.c, page-writeback.c, util.c,
	 * oom_kill.c, swap.c, vmstat.c): the sandbox has no swap, writeback or OOM killer
	 * for them to tune; programs and monitoring agents read them */
	[P_SC_SWAPPINESS - P_SC_FIRST] = { 1, 0, 200, { 60 } },
	[P_SC_DIRTY_RATIO - P_SC_FIRST] = { 1, 0, 100, { 20 } },
	[P_SC_DIRTY_BG_RATIO - P_SC_FIRST] = { 1, 0, 100, { 10 } },
	[P_SC_DIRTY_BYTES - P_SC_FIRST] = { 1, 2 * PAGE_SIZE, 0, { 0 }, true },
	[P_SC_DIRTY_BG_BYTES - P_SC_FIRST] = { 1, 1, 0, { 0 }, true },
	[P_SC_DIRTY_EXPIRE - P_SC_FIRST] = { 1, 0, INT_MAX, { 3000 } },
	[P_SC_DIRTY_WRITEBACK - P_SC_FIRST] = { 1, INT_MIN, INT_MAX, { 500 } },
	[P_SC_OVERCOMMIT_RATIO - P_SC_FIRST] = { 1, INT_MIN, INT_MAX, { 50 } },
	[P_SC_OVERCOMMIT_KBYTES - P_SC_FIRST] = { 1, 0, 0, { 0 }, true },
	[P_SC_PANIC_ON_OOM - P_SC_FIRST] = { 1, 0, 2, { 0 } },
	[P_SC_OOM_KILL_ALLOCATING - P_SC_FIRST] = { 1, INT_MIN, INT_MAX, { 0 } },
	[P_SC_OOM_DUMP_TASKS - P_SC_FIRST] = { 1, INT_MIN, INT_MAX, { 1 } },
	[P_SC_VFS_CACHE_PRESSURE - P_SC_FIRST] = { 1, 0, INT_MAX, { 100 } },
	[P_SC_PAGE_CLUSTER - P_SC_FIRST] = { 1, 0, 31, { 3 } },
	[P_SC_STAT_INTERVAL - P_SC_FIRST] = { 1, INT_MIN, INT_MAX, { 1 } },
	[P_SC_LAPTOP_MODE - P_SC_FIRST] = { 1, INT_MIN, INT_MAX, { 0 } },
	/* the reserves (mm/page_alloc.c, mm/util.c) as Linux sets them on a machine of a few
	 * GiB or more with transparent huge pages (min_free_kbytes as khugepaged raises it);
	 * LTP's memory tests size what they may use by min_free_kbytes */
	[P_SC_MIN_FREE_KBYTES - P_SC_FIRST] = { 1, 0, INT_MAX, { 67584 } },
	[P_SC_ADMIN_RESERVE - P_SC_FIRST] = { 1, 0, 0, { 8192 }, true },
	[P_SC_USER_RESERVE - P_SC_FIRST] = { 1, 0, 0, { 131072 }, true },
	/* kept only: nothing oopses in the sentry's sense */
	[P_SC_PANIC_ON_OOPS - P_SC_FIRST] = { 1, INT_MIN, INT_MAX, { 0 } },
	/* (the values are the user namespace's: the rows give the range) */
	[P_SC_USER_FIRST - P_SC_FIRST ... P_SC_USER_LAST - P_SC_FIRST] = { 1, 0, INT_MAX, { 0 } },
};

/* /proc/sys/user/X in t's user namespace; the initial one's inotify limits are
 * fs.inotify's (Linux: one value under two names) */
static int
user_sysctl_alias(const struct task *t, int type)
{
	if (!userns_is_initial(t))
		return 0;
	return type == P_SC_USER_FIRST + UL_INOTIFY_INSTANCES ? P_SC_INO_INSTANCES :
	       type == P_SC_USER_FIRST + UL_INOTIFY_WATCHES ? P_SC_INO_WATCHES : 0;
}

static const int ipc_sysctl_types[] = {
	[IPC_SC_SHMMAX] = P_SC_SHMMAX, [IPC_SC_SHMALL] = P_SC_SHMALL,
	[IPC_SC_SHMMNI] = P_SC_SHMMNI, [IPC_SC_MSGMAX] = P_SC_MSGMAX,
	[IPC_SC_MSGMNB] = P_SC_MSGMNB, [IPC_SC_MSGMNI] = P_SC_MSGMNI,
	[IPC_SC_MSG_NEXT_ID] = P_SC_MSG_NEXT_ID, [IPC_SC_SEM_NEXT_ID] = P_SC_SEM_NEXT_ID,
	[IPC_SC_SHM_NEXT_ID] = P_SC_SHM_NEXT_ID,
};

unsigned long
ipc_sysctl(int which)
{
	if (which >= IPC_SC_SEMMSL && which <= IPC_SC_SEMMNI)
		return (unsigned long)sysctl2[P_SC_SEM - P_SC_FIRST].v[which - IPC_SC_SEMMSL];
	if (which < 0 || which >= (int)ARRAY_SIZE(ipc_sysctl_types))
		return 0;
	return (unsigned long)sysctl2[ipc_sysctl_types[which] - P_SC_FIRST].v[0];
}

long
ipc_sysctl_take_next_id(int which)
{
	long v;

	if (which != IPC_SC_MSG_NEXT_ID && which != IPC_SC_SEM_NEXT_ID &&
	    which != IPC_SC_SHM_NEXT_ID)
		return -1;
	v = sysctl2[ipc_sysctl_types[which] - P_SC_FIRST].v[0];
	sysctl2[ipc_sysctl_types[which] - P_SC_FIRST].v[0] = -1;
	return v;
}

unsigned long
aio_max_nr(void)
{
	return (unsigned long)sysctl2[P_SC_AIO_MAX_NR - P_SC_FIRST].v[0];
}

/* core_pattern: the sandbox's own, as the sentry writes the cores (sentry/task.c
 * core_file_open); at most Linux's CORENAME_MAX_SIZE */
static char core_pattern[128] = "core";

const char *
vfs_core_pattern(void)
{
	return core_pattern;
}

bool
vfs_core_uses_pid(void)
{
	return sysctl2[P_SC_CORE_USES_PID - P_SC_FIRST].v[0] != 0;
}

/* The P_SC_* type of a SYSCTL_* value (0: none) */
static int
sysctl_type(int which)
{
	int type = which == SYSCTL_INOTIFY_EVENTS ? P_SC_INO_EVENTS :
		   which == SYSCTL_INOTIFY_INSTANCES ? P_SC_INO_INSTANCES :
		   which == SYSCTL_INOTIFY_WATCHES ? P_SC_INO_WATCHES :
		   which == SYSCTL_MQ_QUEUES ? P_SC_MQ_QUEUES :
		   which == SYSCTL_MQ_MSG_MAX ? P_SC_MQ_MSG_MAX :
		   which == SYSCTL_MQ_MSGSIZE_MAX ? P_SC_MQ_MSGSIZE_MAX :
		   which == SYSCTL_MQ_MSG_DEFAULT ? P_SC_MQ_MSG_DEF :
		   which == SYSCTL_MQ_MSGSIZE_DEFAULT ? P_SC_MQ_MSGSIZE_DEF :
		   which == SYSCTL_PIPE_MAX_SIZE ? P_SC_PIPE_MAX_SIZE :
		   which == SYSCTL_DIR_NOTIFY ? P_SC_DIR_NOTIFY :
		   which == SYSCTL_PROTECTED_SYMLINKS ? P_SC_PROT_SYMLINKS :
		   which == SYSCTL_PROTECTED_HARDLINKS ? P_SC_PROT_HARDLINKS :
		   which == SYSCTL_PROTECTED_FIFOS ? P_SC_PROT_FIFOS :
		   which == SYSCTL_PROTECTED_REGULAR ? P_SC_PROT_REGULAR : 0;

	return type;
}

long
sysctl_value(int which)
{
	int type = sysctl_type(which);

	return type ? sysctl2[type - P_SC_FIRST].v[0] : 0;
}

static void
sysctl_set_initial(int which, long v)
{
	int type = sysctl_type(which);

	if (type && v >= sysctl2[type - P_SC_FIRST].min && v <= sysctl2[type - P_SC_FIRST].max)
		sysctl2[type - P_SC_FIRST].v[0] = v;
}

void
vfs_set_protected_creat(long fifos, long regular)
{
	sysctl_set_initial(SYSCTL_PROTECTED_FIFOS, fifos);
	sysctl_set_initial(SYSCTL_PROTECTED_REGULAR, regular);
}

void
procfs_sysctl2_text(struct task *t, int type, struct sbuf *b)
{
	if (type >= P_SC_TAG_ALL && type <= P_SC_TAG_LO) { /* the network namespace's */
		sbuf_printf(b, "%d\n", *sock_net_sysctl(t, NET_SYSCTLS + type - P_SC_TAG_ALL));
		return;
	}
	if (type == P_SC_VERSION) {
		sbuf_printf(b, "%s\n", sentry.uts.version);
		return;
	}
	if (type == P_SC_CORE_PATTERN) {
		sbuf_printf(b, "%s\n", core_pattern);
		return;
	}
	if (type == P_SC_AIO_NR) {
		sbuf_printf(b, "%lu\n", aio_nr_reserved());
		return;
	}
	if (type == P_SC_FILE_NR) { /* open files, 0 (Linux 2.6 on), file-max */
		sbuf_printf(b, "%lu\t0\t%lu\n", vfs_nr_files(),
			    (unsigned long)sysctl2[P_SC_FILE_MAX - P_SC_FIRST].v[0]);
		return;
	}
	if (type >= P_SC_USER_FIRST && type <= P_SC_USER_LAST) {
		int alias = user_sysctl_alias(t, type);
		if (!alias) {
			sbuf_printf(b, "%ld\n", userns_limit(t, type - P_SC_USER_FIRST));
			return;
		}
		type = alias;
	}
	for (int i = 0; i < sysctl2[type - P_SC_FIRST].nvals; i++)
		sbuf_printf(b, sysctl2[type - P_SC_FIRST].ul ? "%s%lu" : "%s%ld", i ? "\t" : "",
			    sysctl2[type - P_SC_FIRST].v[i]);
	sbuf_printf(b, "\n");
}

/* Linux proc_dointvec / proc_doulongvec_minmax: numbers separated by blanks; fewer than
 * the file has change only the first ones; out of range is EINVAL. */
static ssize_t
sysctl2_write(struct file *f, int type, const void *buf, size_t n)
{
	char text[96] = { 0 };
	const char *s = text;
	long v[4];
	int got = 0, want;

	if (type == P_SC_CORE_PATTERN) {
		/* Linux proc_dostring: up to a newline, cut to the buffer; the whole write
		 * is taken */
		const char *in = buf;
		size_t len = 0;
		while (len < n && len < sizeof(core_pattern) - 1 && in[len] != '\n' && in[len])
			len++;
		memcpy(core_pattern, in, len);
		core_pattern[len] = '\0';
		return (ssize_t)n;
	}
	if (type == P_SC_VERSION || type == P_SC_AIO_NR || type == P_SC_FILE_NR)
		return -EINVAL;
	if (n >= sizeof(text))
		return -EINVAL;
	memcpy(text, buf, n);
	want = sysctl2[type - P_SC_FIRST].nvals;
	while (got < want) {
		char *end;
		while (*s == ' ' || *s == '\t' || *s == '\n')
			s++;
		if (!*s)
			break;
		errno = 0;
		long x;
		if (sysctl2[type - P_SC_FIRST].ul) {
			if (*s == '-')
				return -EINVAL; /* proc_doulongvec_minmax: no negatives */
			x = (long)strtoul(s, &end, 10);
		} else {
			x = strtol(s, &end, 10);
		}
		if (end == s || errno)
			return -EINVAL;
		if (*end && *end != ' ' && *end != '\t' && *end != '\n')
			return -EINVAL;
		if (!sysctl2[type - P_SC_FIRST].ul &&
		    (x < sysctl2[type - P_SC_FIRST].min || x > sysctl2[type - P_SC_FIRST].max))
			return -EINVAL;
		if (sysctl2[type - P_SC_FIRST].ul &&
		    (unsigned long)x < (unsigned long)sysctl2[type - P_SC_FIRST].min)
			return -EINVAL;
		v[got++] = x;
		s = end;
	}
	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	if (*s)
		return -EINVAL;
	if (type == P_SC_NR_HUGEPAGES)
		got = 0; /* Linux set_max_huge_pages: the pool grows as far as pages are had */
	if (type == P_SC_PIPE_MAX_SIZE && got) /* Linux rounds it up to a power of two pages */
		for (long p = PAGE_SIZE;; p <<= 1)
			if (p >= v[0]) {
				v[0] = p;
				break;
			}
	/* a ratio and its bytes are one limit: setting one clears the other (Linux's
	 * dirty_*_handler; the foreground pair only on a change) */
	static const int pair[][2] = {
		{ P_SC_DIRTY_RATIO, P_SC_DIRTY_BYTES }, { P_SC_DIRTY_BYTES, P_SC_DIRTY_RATIO },
		{ P_SC_DIRTY_BG_RATIO, P_SC_DIRTY_BG_BYTES },
		{ P_SC_DIRTY_BG_BYTES, P_SC_DIRTY_BG_RATIO },
	};
	for (size_t k = 0; k < ARRAY_SIZE(pair) && got; k++)
		if (pair[k][0] == type && (type == P_SC_DIRTY_BG_RATIO ||
					   type == P_SC_DIRTY_BG_BYTES ||
					   v[0] != sysctl2[type - P_SC_FIRST].v[0]))
			sysctl2[pair[k][1] - P_SC_FIRST].v[0] = 0;
	long semmni = sysctl2[P_SC_SEM - P_SC_FIRST].v[3];
	if (type >= P_SC_USER_FIRST && type <= P_SC_USER_LAST) {
		/* Linux set_permissions: CAP_SYS_RESOURCE in that user namespace */
		if (!task_ns_capable(current_task, ns_of(current_task, NS_USER), CAP_SYS_RESOURCE))
			return -EPERM;
		int alias = user_sysctl_alias(current_task, type);
		if (alias >= P_SC_FIRST && got)
			sysctl2[alias - P_SC_FIRST].v[0] = v[0];
		else if (got)
			userns_set_limit(current_task, type - P_SC_USER_FIRST, v[0]);
	} else if (type >= P_SC_TAG_ALL && type <= P_SC_TAG_LO && got)
		*sock_net_sysctl(current_task, NET_SYSCTLS + type - P_SC_TAG_ALL) = (int)v[0];
	else
		memcpy(sysctl2[type - P_SC_FIRST].v, v, got * sizeof(long));
	if (type == P_SC_SEM && got == 4 && (v[3] < 0 || v[3] > 1 << 15)) {
		/* Linux proc_ipc_sem_dointvec: semmni past IPCMNI is ERANGE and only it is
		 * put back (the other three stay written) */
		sysctl2[P_SC_SEM - P_SC_FIRST].v[3] = semmni;
		return -ERANGE;
	}
	struct sbuf b = { 0 };
	size_t len;
	procfs_sysctl2_text(current_task, type, &b);
	char *data = sbuf_steal(&b, &len);
	file_replace_snapshot(f, data, len);
	return (ssize_t)n;
}

/* /proc/PID/coredump_filter (Linux proc_coredump_filter_write): one unsigned number in C
 * notation (0x hex, 0 octal), a newline after it at most; its low 9 bits are the
 * process's filter. Kept and inherited; nothing dumps core inside. */
static ssize_t
coredump_filter_write(struct task *l, const char *text, size_t n)
{
	const char *s = text;
	char *end;
	unsigned long v;

	if (n >= 32 || *s == '-' || *s == ' ' || *s == '\t' || *s == '\n' || !*s)
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 0);
	if (end == s)
		return -EINVAL;
	if (errno == ERANGE || v > 0xffffffffUL)
		return -ERANGE;
	if (*end == '\n')
		end++;
	if (*end)
		return -EINVAL;
	l->coredump_filter = v & 0x1ff;
	return (ssize_t)n;
}

/* Linux's uts poll events: how often each name changed, and who polls them. */
static unsigned long uts_event[2];
static struct waitq uts_wq;

void
procfs_uts_changed(bool domain)
{
	uts_event[domain]++;
	waitq_wake(&uts_wq);
}

/* Linux proc_do_uts_string with sysctl_writes_strict: a write goes to its file position
 * (one past the name's end takes nothing), its bytes up to a newline or NUL, the name 64
 * bytes at most. */
static ssize_t
uts_write(struct file *f, bool domain, const char *buf, size_t n, off_t *pos)
{
	struct uts_ns *ns = uts_ns_of(current_task);
	char *to = domain ? ns->domainname : ns->hostname;
	size_t len = strnlen(to, 64), i = 0;

	if (*pos < 0 || (size_t)*pos > len)
		return (ssize_t)n;
	len = (size_t)*pos;
	*pos += n;
	while (i < n && len < 64 && buf[i] != '\n' && buf[i])
		to[len++] = buf[i++];
	to[len] = '\0';
	struct sbuf b = { 0 };
	size_t blen;
	sbuf_printf(&b, "%s\n", to);
	char *data = sbuf_steal(&b, &blen);
	file_replace_snapshot(f, data, blen);
	procfs_uts_changed(domain);
	return (ssize_t)n;
}

/* /proc/sys/kernel/ns_last_pid: of the writer's pid namespace (Linux
 * pid_ns_ctl_handler), one decimal number. */
static ssize_t
last_pid_write(struct task *caller, const void *buf, size_t n)
{
	char text[32] = { 0 }, *end;

	if (!caller)
		return -EPERM;
	if (n >= sizeof(text))
		return -EINVAL;
	memcpy(text, buf, n);
	errno = 0;
	long v = strtol(text, &end, 10);
	while (*end == ' ' || *end == '\n' || *end == '\t')
		end++;
	if (end == text || *end || errno)
		return -EINVAL;
	int err = pidns_set_last_pid(caller, task_pid_ns(caller), v);
	return err ? err : (ssize_t)n;
}

/* Linux kstrtoull_from_user(.., 10): the write's first `max` bytes (its room for a sign,
 * 64 binary digits and a newline) as a string (a NUL ends it early), a '+' before the
 * digits and one newline after them allowed; EINVAL for anything else, ERANGE past 64
 * bits. */
static int
write_ull(const char *buf, size_t n, size_t max, unsigned long long *out)
{
	char text[67] = { 0 };
	size_t i = 0;
	unsigned long long v = 0;
	bool big = false;

	memcpy(text, buf, MIN(n, MIN(max, sizeof(text) - 1)));
	if (text[0] == '+')
		i++;
	size_t first = i;
	for (; text[i] >= '0' && text[i] <= '9'; i++) {
		unsigned d = (unsigned)(text[i] - '0');
		big |= v > (ULLONG_MAX - d) / 10;
		v = v * 10 + d;
	}
	if (text[i] == '\n')
		i++;
	if (i == first || text[i])
		return -EINVAL;
	*out = v;
	return big ? -ERANGE : 0;
}

/* Linux proc_loginuid_write and audit_set_loginuid: a task sets only its own (EPERM), in one
 * write at position 0, a kstrtou32 number of its first 34 bytes; -1 unsets it, else it is a
 * uid of the writer's user namespace (EINVAL if unmapped). An unset one may be set by
 * anyone, a set one changed only with CAP_AUDIT_CONTROL (of the initial namespace); setting
 * one begins a new audit session, unsetting ends it. */
static ssize_t
loginuid_write(struct task *caller, struct task *t, const char *buf, size_t n, off_t pos)
{
	unsigned long long v;
	uint32_t kuid = UINT32_MAX;

	if (!caller || caller != t)
		return -EPERM;
	if (pos)
		return -EINVAL;
	int err = write_ull(buf, n, 34, &v);
	if (err)
		return err;
	if (v > UINT32_MAX)
		return -ERANGE;
	if (v != UINT32_MAX) {
		long k = userns_uid_in(caller, (unsigned int)v);
		if (k < 0)
			return -EINVAL;
		kuid = (uint32_t)k;
	}
	if (t->loginuid != UINT32_MAX &&
	    !task_ns_capable(caller, ns_of(NULL, NS_USER), CAP_AUDIT_CONTROL))
		return -EPERM;
	t->sessionid = UINT32_MAX;
	if (kuid != UINT32_MAX) {
		if (++sentry.audit_sessions == UINT32_MAX) /* (AUDIT_SID_UNSET is never given) */
			++sentry.audit_sessions;
		t->sessionid = sentry.audit_sessions;
	}
	t->loginuid = kuid;
	return (ssize_t)n;
}

/* Linux timerslack_ns_write: a kstrtoull_from_user number; another task's needs
 * CAP_SYS_NICE over it; 0 is the task's default, and a real-time task keeps 0. */
static ssize_t
timerslack_write(struct task *caller, struct task *t, const char *buf, size_t n)
{
	unsigned long long v;
	int err = write_ull(buf, n, 66, &v);

	if (err)
		return err;
	if (caller != t && !task_ns_capable(caller, ns_of(t, NS_USER), CAP_SYS_NICE))
		return -EPERM;
	if (t->sched_policy == SCHED_FIFO || t->sched_policy == SCHED_RR)
		v = 0;
	else if (!v)
		v = t->timer_slack_dfl ? t->timer_slack_dfl : 50000;
	t->timer_slack = v;
	return (ssize_t)n;
}

/* Writes to /proc/PID/comm (a thread of the caller's process only, EINVAL otherwise; the
 * first 15 bytes as given) and oom_score_adj / oom_adj (Linux __set_oom_adj: a number in
 * range, else EINVAL; below the process's minimum needs CAP_SYS_RESOURCE of the initial
 * user namespace, EACCES). */
static ssize_t
procfs_write(struct file *f, const void *buf, size_t n, off_t *pos)
{
	struct proc_node *pn = f->inode->priv;
	struct task *caller = current_task, *t = task_lookup(pn->tid);
	char text[32] = { 0 };
	char *end;
	long v;

	if (pn->type == P_HOSTNAME || pn->type == P_DOMAINNAME)
		return uts_write(f, pn->type == P_DOMAINNAME, buf, n, pos);
	if (is_sysctl(pn->type)) {
		memcpy(text, buf, MIN(n, sizeof(text) - 1));
		return n >= sizeof(text) ? -EINVAL : sysctl_write(f, pn->type, text, n);
	}
	if (pn->type >= P_SC_FIRST && pn->type <= P_SC_LAST)
		return sysctl2_write(f, pn->type, buf, n);
	if (pn->type == P_LAST_PID)
		return last_pid_write(caller, buf, n);
	if (pn->type == P_UID_MAP || pn->type == P_GID_MAP || pn->type == P_SETGROUPS) {
		if (!t || !caller)
			return -ESRCH;
		return userns_map_write(caller, t, pn->type == P_UID_MAP ? USERNS_UID_MAP :
					pn->type == P_GID_MAP ? USERNS_GID_MAP : USERNS_SETGROUPS,
					buf, n, (long)*pos);
	}
	if (pn->type == P_TIMENS_OFFSETS) /* (of its time_for_children: sentry/timens.c) */
		return t && caller ? timens_offsets_write(caller, t, buf, n, (long)*pos) : -ESRCH;
	if (!procfs_writable(pn->type))
		return -EINVAL;
	if (!t || t->tgid != pn->pid)
		return -ESRCH;
	if (pn->type == P_TIMERSLACK)
		return caller ? timerslack_write(caller, t, buf, n) : -ESRCH;
	if (pn->type == P_SCHED) /* Linux resets its schedstats; the host's stay */
		return (ssize_t)n;
	if (pn->type == P_COMM) {
		if (!caller || caller->tgid != t->tgid)
			return -EINVAL;
		memset(t->comm, 0, sizeof(t->comm));
		memcpy(t->comm, buf, MIN(n, sizeof(t->comm) - 1));
		return (ssize_t)n;
	}
	memcpy(text, buf, MIN(n, sizeof(text) - 1));
	if (pn->type == P_LOGINUID)
		return loginuid_write(caller, t, buf, n, *pos);
	if (pn->type == P_COREDUMP_FILTER)
		return coredump_filter_write(t->leader ? t->leader : t, text, n);
	v = strtol(text, &end, 10);
	while (*end == ' ' || *end == '\n' || *end == '\t')
		end++;
	if (end == text || *end || n >= sizeof(text))
		return -EINVAL;
	if (pn->type == P_OOM_ADJ) {
		if (v < -17 || v > 15)
			return -EINVAL;
		v = v == 15 ? 1000 : v * 1000 / 17;
	} else if (v < -1000 || v > 1000) {
		return -EINVAL;
	}
	struct task *l = t->leader ? t->leader : t;
	bool cap = caller && task_capable(caller, CAP_SYS_RESOURCE);

	if (v < l->oom_score_adj_min && !cap)
		return -EACCES;
	l->oom_score_adj = (int)v;
	if (pn->type == P_OOM_SCORE_ADJ && cap)
		l->oom_score_adj_min = (int)v;
	return (ssize_t)n;
}

/* ---- /proc/PID/mem: the process's memory at the file position (the address) ---- */

struct mem_file {
	struct mm *mm;            /* the address space opened (a reference) */
};

/* A live task running in mm, through which its memory is reached; NULL once it is gone.
 * stopped: rather one the host holds stopped (a debugger's tracee usually has one), which
 * can be poked, unlike one running guest code or sleeping natively (a private futex
 * wait); else the first live one, which may be waiting in a notification. */
static struct task *
mem_task(struct mm *mm, bool stopped)
{
	struct task *first = NULL;

	for (struct task *t = task_next(NULL); t; t = task_next(t)) {
		if (t->mm != mm || !t->ctx || t->state == TASK_ZOMBIE || t->exit_called)
			continue; /* (a host zombie has no memory to reach) */
		if (!stopped || plat_is_stopped(t->ctx))
			return t;
		if (!first)
			first = t;
	}
	return first;
}

/* Linux's /proc/PID/mem writes with FOLL_FORCE: read-only private pages (program text,
 * a debugger's breakpoints) take them too. Word by word through the stub's tracer, each
 * word read first and merged; returns the bytes written. */
static size_t
mem_force_write(struct task *t, unsigned long addr, const char *src, size_t n)
{
	size_t done = 0;

	t = mem_task(t->mm, true);

	while (done < n && t->ctx) {
		unsigned long at = addr + done, word = at & ~7UL, v;
		size_t off = at - word, k = MIN(n - done, 8 - off);
		if (copy_from_guest(t, &v, word, 8) < 0)
			break;
		memcpy((char *)&v + off, src + done, k);
		if (plat_poke_text(t->ctx, word, v))
			break;
		done += k;
	}
	return done;
}

/* Linux mem_rw: page by page; a fault ends it with what was done, or EIO if nothing was;
 * an address space that is gone reads and writes nothing. */
static ssize_t
mem_rw(struct file *f, void *buf, size_t n, off_t pos, bool write)
{
	struct mem_file *m = f->priv;
	struct task *t = m ? mem_task(m->mm, false) : NULL;
	unsigned long addr = (unsigned long)pos;
	size_t done = 0;

	if (!t)
		return 0;
	n = MIN(n, (size_t)(64UL << 20));
	while (done < n) {
		size_t k = MIN(n - done, PAGE_SIZE - ((addr + done) & (PAGE_SIZE - 1)));
		if (mm_range_reserved(addr + done, k))
			break; /* the stub region: never shown, never touched */
		size_t got = write ? copy_to_guest_partial(t, addr + done, (const char *)buf + done, k)
				   : copy_from_guest_partial(t, (char *)buf + done, addr + done, k);
		if (write && got < k) /* a read-only page: written as a debugger's poke */
			got += mem_force_write(t, addr + done + got, (const char *)buf + done + got,
					       k - got);
		done += got;
		if (got < k)
			break;
	}
	return done ? (ssize_t)done : -EIO;
}

static ssize_t
mem_read(struct file *f, void *buf, size_t n, off_t *pos)
{
	ssize_t r = mem_rw(f, buf, n, *pos, false);

	if (r > 0)
		*pos += r;
	return r;
}

static ssize_t
mem_write(struct file *f, const void *buf, size_t n, off_t *pos)
{
	ssize_t r = mem_rw(f, (void *)buf, n, *pos, true);

	if (r > 0)
		*pos += r;
	return r;
}

static ssize_t
mem_pread(struct file *f, void *buf, size_t n, off_t off)
{
	return mem_rw(f, buf, n, off, false);
}

static ssize_t
mem_pwrite(struct file *f, const void *buf, size_t n, off_t off)
{
	return mem_rw(f, (void *)buf, n, off, true);
}

/* Linux mem_lseek: any address; SEEK_END has no meaning (EINVAL). */
static off_t
mem_llseek(struct file *f, off_t off, int whence)
{
	if (whence == SEEK_SET)
		f->pos = off;
	else if (whence == SEEK_CUR)
		f->pos += off;
	else
		return -EINVAL;
	return f->pos;
}

static void
mem_release(struct file *f)
{
	struct mem_file *m = f->priv;

	if (m) {
		mm_put(m->mm);
		free(m);
	}
}

static const struct file_ops procfs_mem_fops = {
	.read = mem_read,
	.write = mem_write,
	.pread = mem_pread,
	.pwrite = mem_pwrite,
	.llseek = mem_llseek,
	.release = mem_release,
	.pread_ok = true,
};

/* ---- /proc/PID/pagemap: one 64-bit entry per virtual page at file position addr / 512 ---- */

#define PM_PRESENT (1ULL << 63)
#define PM_FILE (1ULL << 61)
#define PM_MMAP_EXCLUSIVE (1ULL << 56)
#define PM_SOFT_DIRTY (1ULL << 55)
#define PM_TASK_SIZE 0x7ffffffff000UL
#define PM_READ_MAX (1UL << 20)       /* bytes of entries one read returns at most */

/* A task of mm stopped in the sentry, in whose stub a call can run: the caller itself when
 * it reads its own process's pagemap, else one blocked in a call (not a notification). */
static struct task *
pagemap_task(struct mm *mm)
{
	if (current_task && current_task->mm == mm && current_task->ctx)
		return current_task;
	for (struct task *t = task_next(NULL); t; t = task_next(t))
		if (t->mm == mm && t->ctx && t->state == TASK_BLOCKED &&
		    plat_is_stopped(t->ctx) && !plat_in_notif(t->ctx))
			return t;
	return NULL;
}

/* Residency of the pages of [start, start + npages pages) by mincore in t's stub: vec[i]
 * bit 0. 0 / -errno. */
static int
pagemap_resident(struct task *t, unsigned long start, size_t npages, unsigned char *vec)
{
	while (npages) {
		size_t k = MIN(npages, (size_t)(PLAT_STUB_SIZE - (PLAT_STUB_SCRATCH - PLAT_STUB_ADDR)));
		long r = plat_inject(t->ctx, __NR_mincore, start, k * PAGE_SIZE, PLAT_STUB_SCRATCH,
				     0, 0, 0);
		if (r < 0)
			return (int)r;
		if (copy_from_guest(t, vec, PLAT_STUB_SCRATCH, k) < 0)
			return -EFAULT;
		start += k * PAGE_SIZE;
		vec += k;
		npages -= k;
	}
	return 0;
}

/* Linux pagemap_read: present, file-or-shared, exclusive and soft-dirty bits (no frame
 * numbers: the sandbox has none to show); holes read as 0. A page's presence comes from
 * mincore in a stopped task of the address space; when none is at hand (another process
 * running natively) its pages read as not present. */
static ssize_t
pagemap_rw(struct file *f, void *buf, size_t n, off_t pos)
{
	struct mem_file *m = f->priv;
	struct mm *mm = m ? m->mm : NULL;

	if ((pos % 8) || (n % 8))
		return -EINVAL;
	if (!n || !mm || !mem_task(mm, false))
		return 0;
	unsigned long vpn = (unsigned long)pos / 8;
	if (vpn >= PM_TASK_SIZE / PAGE_SIZE)
		return 0;
	n = MIN(n, PM_READ_MAX);
	n = MIN(n, (PM_TASK_SIZE / PAGE_SIZE - vpn) * 8);
	size_t count = n / 8;
	uint64_t *out = buf;
	unsigned long addr = vpn * PAGE_SIZE, end = addr + count * PAGE_SIZE;
	struct task *t = pagemap_task(mm);
	unsigned char *vec = xmalloc(count);

	memset(out, 0, n);
	for (int i = vma_index(mm, addr); i < mm->nvmas && mm->vmas[i].start < end; i++) {
		const struct vma *v = &mm->vmas[i];
		if (v->flags & VMA_RESERVED)
			continue;
		unsigned long lo = MAX(v->start, addr), hi = MIN(v->end, end);
		size_t k = (hi - lo) / PAGE_SIZE, first = (lo - addr) / PAGE_SIZE;
		bool known = t && pagemap_resident(t, lo, k, vec) == 0;
		bool shared = v->name || v->shm || (v->flags & VMA_SHARED);
		for (size_t j = 0; j < k; j++) {
			uint64_t e = PM_SOFT_DIRTY;
			if (known && (vec[j] & 1))
				e |= PM_PRESENT | (shared ? PM_FILE : PM_MMAP_EXCLUSIVE);
			out[first + j] = e;
		}
	}
	free(vec);
	return (ssize_t)n;
}

static ssize_t
pagemap_read(struct file *f, void *buf, size_t n, off_t *pos)
{
	ssize_t r = pagemap_rw(f, buf, n, *pos);

	if (r > 0)
		*pos += r;
	return r;
}

static ssize_t
pagemap_pread(struct file *f, void *buf, size_t n, off_t off)
{
	return pagemap_rw(f, buf, n, off);
}

/* Linux mem_lseek (pagemap shares it) */
static const struct file_ops procfs_pagemap_fops = {
	.read = pagemap_read,
	.pread = pagemap_pread,
	.llseek = mem_llseek,
	.release = mem_release,
	.pread_ok = true,
};

/* ---- PROCMAP_QUERY (an ioctl of /proc/PID/maps, Linux 6.11) ---- */

struct procmap_query_ {
	uint64_t size, query_flags, query_addr;
	uint64_t vma_start, vma_end, vma_flags, vma_page_size, vma_offset, inode;
	uint32_t dev_major, dev_minor, vma_name_size, build_id_size;
	uint64_t vma_name_addr, build_id_addr;
};
#define PROCMAP_QUERY_ 0xc0686611U /* _IOWR('f', 17, struct procmap_query) */
#define PMQ_READABLE 0x01
#define PMQ_WRITABLE 0x02
#define PMQ_EXECUTABLE 0x04
#define PMQ_SHARED 0x08
#define PMQ_COVERING_OR_NEXT 0x10
#define PMQ_FILE_BACKED 0x20

/* Linux query_matching_vma: the mapping covering addr (or the next one) that has every
 * property asked for; NULL: ENOENT. */
static const struct vma *
pmq_match(struct mm *mm, unsigned long addr, uint64_t fl)
{
	for (int i = vma_index(mm, addr); i < mm->nvmas; i++) {
		const struct vma *v = &mm->vmas[i];
		if (v->flags & VMA_RESERVED)
			continue;
		if (!(fl & PMQ_COVERING_OR_NEXT) && v->start > addr)
			return NULL;
		bool ok = !((fl & PMQ_READABLE) && !(v->prot & PROT_READ)) &&
			  !((fl & PMQ_WRITABLE) && !(v->prot & PROT_WRITE)) &&
			  !((fl & PMQ_EXECUTABLE) && !(v->prot & PROT_EXEC)) &&
			  !((fl & PMQ_SHARED) && !(v->flags & VMA_SHARED)) &&
			  !((fl & PMQ_FILE_BACKED) && !v->name && !v->shm);
		if (ok)
			return v;
		if (!(fl & PMQ_COVERING_OR_NEXT))
			return NULL;
	}
	return NULL;
}

/* Linux do_procmap_query. Build ids are not read from the mapped files: their size is
 * always 0 (as for a file without one). */
static long
procmap_query(struct task *t, struct file *f, unsigned long uarg)
{
	struct proc_node *pn = f->inode->priv;
	struct procmap_query_ q;
	uint64_t usize;
	unsigned char extra[64];

	if (copy_from_guest(t, &usize, uarg, sizeof(usize)) < 0)
		return -EFAULT;
	if (usize > PAGE_SIZE)
		return -E2BIG;
	if (usize < offsetof(struct procmap_query_, query_addr) + 8)
		return -EINVAL;
	memset(&q, 0, sizeof(q));
	if (copy_from_guest(t, &q, uarg, MIN(usize, sizeof(q))) < 0)
		return -EFAULT;
	for (uint64_t off = sizeof(q); off < usize; off += sizeof(extra)) {
		size_t k = MIN(sizeof(extra), usize - off);
		if (copy_from_guest(t, extra, uarg + off, k) < 0)
			return -EFAULT;
		for (size_t i = 0; i < k; i++)
			if (extra[i])
				return -E2BIG;
	}
	if (q.query_flags & ~0x3fULL)
		return -EINVAL;
	if (!!q.vma_name_size != !!q.vma_name_addr || !!q.build_id_size != !!q.build_id_addr)
		return -EINVAL;
	struct task *owner = task_lookup(pn->tid);
	struct mm *mm = owner && owner->state != TASK_ZOMBIE ? owner->mm : NULL;
	if (!mm)
		return -ESRCH;
	const struct vma *v = pmq_match(mm, q.query_addr, q.query_flags);
	if (!v)
		return -ENOENT;
	unsigned long dev = 0, ino = 0;
	char name[PATH_MAX];
	const char *label = mm_vma_label(mm, v, &dev, &ino, name, sizeof(name));
	q.vma_start = v->start;
	q.vma_end = v->end;
	q.vma_flags = (v->prot & PROT_READ ? PMQ_READABLE : 0) |
		      (v->prot & PROT_WRITE ? PMQ_WRITABLE : 0) |
		      (v->prot & PROT_EXEC ? PMQ_EXECUTABLE : 0) |
		      (v->flags & VMA_SHARED ? PMQ_SHARED : 0);
	q.vma_page_size = PAGE_SIZE;
	bool file = v->name || v->shm;
	q.vma_offset = file ? v->off : 0;
	q.dev_major = file ? major(dev) : 0;
	q.dev_minor = file ? minor(dev) : 0;
	q.inode = file ? ino : 0;
	q.build_id_size = 0;
	size_t name_sz = 0;
	if (q.vma_name_size) {
		size_t room = MIN((size_t)q.vma_name_size, (size_t)PATH_MAX);
		if (*label) {
			name_sz = strlen(label) + 1;
			if (name_sz > room)
				return -ENAMETOOLONG;
		}
		q.vma_name_size = (uint32_t)name_sz;
	}
	if (name_sz && copy_to_guest(t, q.vma_name_addr, label, name_sz) < 0)
		return -EFAULT;
	if (copy_to_guest(t, uarg, &q, MIN(usize, sizeof(q))) < 0)
		return -EFAULT;
	return 0;
}

long
procfs_ioctl(struct task *t, struct file *f, unsigned long cmd, unsigned long arg)
{
	struct proc_node *pn;

	if ((unsigned)cmd != PROCMAP_QUERY_ || !f->inode || strcmp(f->inode->sb->fstype, "proc") ||
	    !(pn = f->inode->priv) || pn->type != P_MAPS)
		return -ENOIOCTLCMD;
	return procmap_query(t, f, arg);
}

/* Linux mm_access (PTRACE_MODE_ATTACH_FSCREDS): a failed check is EACCES. */
static int
may_attach(struct task *caller, struct task *t)
{
	return task_ptrace_may_access(caller, t, true) ? 0 : -EACCES;
}

static int
mem_open(struct task *caller, struct file *f, const struct proc_node *n)
{
	struct task *t = node_task(n);
	int err;

	if (!t || !t->mm || t->state == TASK_ZOMBIE)
		return -ESRCH;
	if ((err = may_attach(caller, t)) < 0)
		return err;
	struct mem_file *m = xcalloc(1, sizeof(*m));
	m->mm = t->mm;
	m->mm->refs++;
	f->priv = m;
	f->fops = n->type == P_PAGEMAP ? &procfs_pagemap_fops : &procfs_mem_fops;
	return 0;
}

static struct file_ops procfs_rw_fops, procfs_task_fops, procfs_task_rw_fops;
static struct file_ops procfs_mounts_fops;

/* Linux mounts_poll: readable, and POLLERR | POLLPRI once after each change of the mount
 * tree since the file was opened or last polled. */
static short
mounts_poll(struct file *f, short events)
{
	unsigned long *seen = file_snapshot_tag(f);
	short r = POLLIN | POLLRDNORM;

	if (seen && *seen != vfs_mount_events()) {
		*seen = vfs_mount_events();
		r |= POLLERR | POLLPRI;
	}
	return r;
}

static struct waitq *
mounts_waitq(struct file *f)
{
	return vfs_mounts_waitq();
}

/*
 * Linux makes a /proc file's text when it is read (seq_files, /proc/sys's handlers): a read
 * from the start, after a seek back or as a pread at 0, shows the state then, not the
 * open's. top, free -s and vmstat keep /proc/meminfo, /proc/stat and /proc/PID/stat open
 * and read them again so; a file opened before an mmap shows it. The open made a text
 * (and its errors); it serves the first read if no call that may change it came between.
 */
static ssize_t
procfs_read(struct file *f, void *buf, size_t n, off_t *pos)
{
	unsigned long *made = file_snapshot_made(f);

	if (*pos == 0 && made && !(*made && sentry.changes == *made + 1)) {
		struct sbuf b = { 0 };
		size_t len;

		if (procfs_generate(current_task, f->inode->priv, &b) == 0) {
			char *data = sbuf_steal(&b, &len);
			file_replace_snapshot(f, data, len);
		} else {
			free(b.buf);
		}
	}
	if (made && *pos == 0)
		*made = 0; /* read once: every read from the start makes the text again */
	return snapshot_fops.read(f, buf, n, pos);
}

static struct file_ops procfs_sys_fops, procfs_sys_rw_fops;

/* Is a node of this type in /proc/sys? */
static bool
in_sys(int type)
{
	for (int depth = 0; type != P_ROOT && depth < 8; depth++) {
		size_t k;

		if (type == P_SYS)
			return true;
		for (k = 0; k < proc_entries_len && proc_entries[k].type != type; k++)
			;
		if (k == proc_entries_len)
			return false;
		type = proc_entries[k].parent;
	}
	return false;
}


static int
uts_index(const struct file *f)
{
	const struct proc_node *n = f->inode->priv;

	return n->type == P_HOSTNAME ? 0 : n->type == P_DOMAINNAME ? 1 : -1;
}

/* Linux proc_sys_poll: readable and writable; the hostname and domainname files also
 * report a change since the open (or since the poll that last reported one) as
 * EPOLLERR|EPOLLPRI, once. */
static short
sys_poll(struct file *f, short events)
{
	short mask = POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
	unsigned long *seen = file_snapshot_tag(f);
	int k = uts_index(f);

	(void)events;
	if (k >= 0 && seen && *seen != uts_event[k]) {
		*seen = uts_event[k];
		mask |= POLLERR | POLLPRI;
	}
	return mask;
}

static struct waitq *
sys_waitq(struct file *f)
{
	return uts_index(f) >= 0 ? &uts_wq : NULL;
}

/* A per-process file read after the process was reaped: ESRCH, as Linux's files that
 * look their task up at read time (the id maps do not need it). */
static ssize_t
task_file_read(struct file *f, void *buf, size_t n, off_t *pos)
{
	struct proc_node *pn = f->inode->priv;

	struct task *t = task_lookup(pn->tid);

	if (pn->type != P_UID_MAP && pn->type != P_GID_MAP && pn->type != P_SETGROUPS && !t)
		return -ESRCH;
	/* a zombie has no memory left: what comes from it reads empty */
	if (t && t->state == TASK_ZOMBIE && t->leader == t &&
	    (pn->type == P_CMDLINE || pn->type == P_ENVIRON || pn->type == P_AUXV ||
	     pn->type == P_MAPS || pn->type == P_SMAPS || pn->type == P_SMAPS_ROLLUP))
		return 0;
	return procfs_read(f, buf, n, pos);
}

static int
procfs_open(struct task *caller, struct file *f)
{
	struct proc_node *n = f->inode->priv;
	struct sbuf b = { 0 };
	size_t len;
	char *data;
	int err;
	bool w = (f->flags & O_ACCMODE) != O_RDONLY;

	if (n->type == P_MEM || n->type == P_PAGEMAP)
		return mem_open(caller, f, n);
	/* net.core's socket buffer sizes are the initial namespace's to change: another
	 * namespace has them read-only (Linux's netns_core_table, 0444 there) */
	if (w && n->type >= P_NS_WMEM_DEFAULT && n->type <= P_NS_RMEM_MAX && caller &&
	    !sock_net_initial(caller))
		return -EACCES;
	/* a read-only sysctl (version, aio-nr) is that for root too: Linux test_perm gives
	 * root the owner's bits; the *_next_id ones it opens to CAP_CHECKPOINT_RESTORE */
	if (w && n->type >= P_SC_FIRST && n->type <= P_SC_LAST && !(f->inode->mode & S_IWUSR) &&
	    (n->type < P_SC_MSG_NEXT_ID || n->type > P_SC_SHM_NEXT_ID))
		return -EACCES;
	if ((f->flags & O_ACCMODE) != O_WRONLY && n->type >= P_SC_FIRST && n->type <= P_SC_LAST &&
	    !(f->inode->mode & S_IRUSR))
		return -EACCES; /* (drop_caches, 0200) */
	/* root opens any of them for writing (a file without a write op then says EINVAL);
	 * others only the writable ones of their own tasks (mode 0644) */
	if (w && caller && caller->euid != 0) {
		struct task *t = task_lookup(n->tid);

		if (!procfs_writable(n->type) || !t || caller->euid != t->euid)
			return -EACCES;
	}
	err = procfs_generate(caller, n, &b);
	if (err) {
		free(b.buf);
		return err;
	}
	data = sbuf_steal(&b, &len);
	file_set_snapshot(f, data, len);
	*file_snapshot_made(f) = sentry.changes;
	if (!procfs_rw_fops.write) {
		procfs_rw_fops = snapshot_fops;
		procfs_rw_fops.read = procfs_read;
		procfs_rw_fops.write = procfs_write;
		procfs_rw_fops.seq_file = procfs_seq;
		procfs_ro_fops = snapshot_fops;
		procfs_ro_fops.read = procfs_read;
		procfs_ro_fops.seq_file = procfs_seq;
		procfs_task_fops = snapshot_fops;
		procfs_task_fops.seq_file = procfs_seq;
		procfs_task_fops.read = task_file_read;
		procfs_task_rw_fops = procfs_rw_fops;
		procfs_task_rw_fops.read = task_file_read;
		procfs_task_rw_fops.write_zero = true;
		procfs_sys_fops = snapshot_fops;
		procfs_sys_fops.read = procfs_read;
		procfs_sys_fops.poll = sys_poll;
		procfs_sys_fops.waitq = sys_waitq;
		procfs_sys_rw_fops = procfs_sys_fops;
		procfs_sys_rw_fops.write = procfs_write;
	}
	if (n->type >= P_PID)
		f->fops = w ? &procfs_task_rw_fops : &procfs_task_fops;
	else if (in_sys(n->type))
		f->fops = w ? &procfs_sys_rw_fops : &procfs_sys_fops;
	else
		f->fops = w ? &procfs_rw_fops : &procfs_ro_fops;
	if ((n->type == P_MOUNTINFO || n->type == P_PMOUNTS) && !w) {
		if (!procfs_mounts_fops.poll) {
			procfs_mounts_fops = procfs_task_fops;
			procfs_mounts_fops.poll = mounts_poll;
			procfs_mounts_fops.waitq = mounts_waitq;
		}
		f->fops = &procfs_mounts_fops;
		*file_snapshot_tag(f) = vfs_mount_events();
	}
	if (uts_index(f) >= 0)
		*file_snapshot_tag(f) = uts_event[uts_index(f)];
	return 0;
}

/* Linux proc_setattr: no mode changes; a truncation (the O_TRUNC of "echo x > comm") and
 * the rest are accepted and change nothing here. */
static int
procfs_setattr(struct dentry *d, const struct iattr *ia)
{
	(void)d;
	return ia->valid & ATTR_MODE ? -EPERM : 0;
}

static const struct inode_ops procfs_file_iops = {
	.open = procfs_open,
	.setattr = procfs_setattr,
};

/* Linux marks /proc/PID/fd/N and fdinfo/N dont_mount (proc_fd_instantiate): nothing is
 * mounted on them (lock_mount: ENOENT), so a descriptor's entry cannot be covered. */
bool
procfs_cant_mount(struct dentry *d)
{
	const struct proc_node *n;

	if (!d->inode || !d->inode->sb || strcmp(d->inode->sb->fstype, "proc"))
		return false;
	n = d->inode->priv;
	return n && (n->type == P_FD || n->type == P_FDINFO);
}

/* mmap of a /proc file: the files a pid's directory and /proc/sys have no mmap method
 * (ENODEV); the rest are proc entries whose mmap Linux answers with EIO. */
int
procfs_mmap_error(struct inode *i)
{
	const struct proc_node *n = i->priv;

	if (!n || n->type >= P_PID || n->type == P_SYS || n->type == P_SYS_KERNEL ||
	    n->type == P_SYS_VM || (n->type >= P_HOSTNAME && n->type <= P_OVERCOMMIT) ||
	    (n->type >= P_SYS_NET && n->type <= P_DOMAINNAME) ||
	    (n->type >= P_SYS_FS && n->type <= P_SC_LAST))
		return -ENODEV;
	return -EIO;
}
