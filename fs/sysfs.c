/* A small sysfs: what glibc's get_nprocs and friends read, and the machine the guests see:
 * the host's CPUs with the host's topology and caches (hardware facts CPUID tells anyway;
 * synthesized from CPUID where the host has none), one NUMA node, the host's CPU
 * vulnerabilities and THP settings (facts of the hardware and of the kernel the guests run
 * on), and the sandbox's own network interfaces.
 * Deliberately absent, as gVisor's: the host's block devices (/sys/block and /sys/dev/block
 * are there, empty, as on a machine without disks: lsblk checks /sys/dev/block before
 * anything, even with --sysroot), its other devices, DMI (/sys/class/dmi) and firmware. A container on Linux sees them
 * read-only because sysfs is not namespaced for devices, but the guests here have none of
 * those devices to use (no /dev node opens them), and their names, models and serial
 * numbers would only tell about the host. */
#include <cpuid.h>
#include <linux/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs/gofer.h"
#include "fs/internal.h"
#include "fs/vfs.h"
#include "sentry/ns.h"
#include "sentry/util.h"

/* The directory names[0]/names[1]/... under d, made where missing. */
static struct dentry *
mkdirs(struct dentry *d, const char *const *names)
{
	for (; *names; names++) {
		struct dentry *c = NULL;

		HASH_FIND_STR(d->children, *names, c);
		d = c ? c : tmpfs_add(d, *names, S_IFDIR | 0755, NULL);
	}
	return d;
}

static void
add_file(struct dentry *dir, const char *name, const char *text)
{
	/* uevent is writable (by root) everywhere: a write makes the device announce itself */
	mode_t mode = strcmp(name, "uevent") ? 0444 : 0644;
	struct dentry *d = tmpfs_add(dir, name, S_IFREG | mode, NULL);

	tmpfs_set_data(d->inode, text, strlen(text));
}

static void
add_textf(struct dentry *dir, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
add_textf(struct dentry *dir, const char *name, const char *fmt, ...)
{
	char text[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	add_file(dir, name, text);
}

static bool
cpu_in(const unsigned long *mask, unsigned c)
{
	return !mask || (c < 1024 && ((mask[c / 64] >> (c % 64)) & 1));
}

void
cpus_list_text(char *buf, size_t n, const unsigned long *mask)
{
	unsigned total = vfs_nprocs();
	size_t len = 0;

	buf[0] = '\0';
	for (unsigned c = 0; c < total && len < n; c++) {
		if (!cpu_in(mask, c))
			continue;
		unsigned e = c;
		while (e + 1 < total && cpu_in(mask, e + 1))
			e++;
		len += snprintf(buf + len, n - len, e > c ? "%s%u-%u" : "%s%u", len ? "," : "", c, e);
		c = e;
	}
	if (len < n)
		snprintf(buf + len, n - len, "\n");
}

void
cpus_mask_text(char *buf, size_t n, const unsigned long *mask)
{
	unsigned total = vfs_nprocs(), groups = (total + 31) / 32;
	size_t len = 0;

	for (unsigned g = groups; g-- > 0 && len < n;) {
		unsigned bits = 0, width = 8;
		for (unsigned b = 0; b < 32; b++)
			if (g * 32 + b < total && cpu_in(mask, g * 32 + b))
				bits |= 1u << b;
		if (g == groups - 1 && total % 32)
			width = (total % 32 + 3) / 4;
		len += snprintf(buf + len, n - len, "%s%0*x", len ? "," : "", width, bits);
	}
	if (len < n)
		snprintf(buf + len, n - len, "\n");
}

/* CPUs [first, first + count) as a cpulist and a cpumask. */
static void
range_mask(unsigned long *mask, unsigned first, unsigned count)
{
	memset(mask, 0, 16 * sizeof(unsigned long));
	for (unsigned c = first; c < first + count && c < 1024; c++)
		mask[c / 64] |= 1UL << (c % 64);
}

static void
cpu_list(char *buf, size_t n, unsigned first, unsigned count)
{
	unsigned long mask[16];

	range_mask(mask, first, count);
	cpus_list_text(buf, n, mask);
}

static void
cpu_mask(char *buf, size_t n, unsigned first, unsigned count)
{
	unsigned long mask[16];

	range_mask(mask, first, count);
	cpus_mask_text(buf, n, mask);
}

/* The host CPU's caches (CPUID leaf 4, or AMD's 0x8000001D), read once, when a guest first
 * looks into a cpuN directory (CPUID is slow in a VM: not at every start). */
struct cache_desc {
	unsigned level, type, ways, partitions, line, sets, sharing;
};
static struct cache_desc caches[8];
static unsigned ncaches;

static void
read_caches(void)
{
	static bool done;
	unsigned a, b, c, d, leaf = 4;

	if (done)
		return;
	done = true;
	if (__get_cpuid(0, &a, &b, &c, &d) && b == 0x68747541 /* "Auth"enticAMD */ &&
	    __get_cpuid(0x80000001, &a, &b, &c, &d) && (c & (1u << 22)) /* topoext */)
		leaf = 0x8000001d;
	for (unsigned i = 0; i < ARRAY_SIZE(caches); i++) {
		if (!__get_cpuid_count(leaf, i, &a, &b, &c, &d) || (a & 0x1f) == 0)
			break;
		caches[ncaches++] = (struct cache_desc){
			.type = a & 0x1f, .level = (a >> 5) & 7, .sharing = ((a >> 14) & 0xfff) + 1,
			.line = (b & 0xfff) + 1, .partitions = ((b >> 12) & 0x3ff) + 1,
			.ways = ((b >> 22) & 0x3ff) + 1, .sets = c + 1,
		};
	}
}

static void
add_cache(struct dentry *dir, unsigned cpu, unsigned k)
{
	static const char *const types[] = { "", "Data", "Instruction", "Unified" };
	const struct cache_desc *cd = &caches[k];
	unsigned n = vfs_nprocs(), share = MIN(cd->sharing, n), first = cpu - cpu % share;
	char name[16], list[64], mask[2048];

	snprintf(name, sizeof(name), "index%u", k);
	dir = tmpfs_add(dir, name, S_IFDIR | 0755, NULL);
	cpu_list(list, sizeof(list), first, MIN(share, n - first));
	cpu_mask(mask, sizeof(mask), first, MIN(share, n - first));
	add_textf(dir, "id", "%u\n", cpu / share);
	add_textf(dir, "level", "%u\n", cd->level);
	add_textf(dir, "type", "%s\n", types[cd->type < 4 ? cd->type : 0]);
	add_textf(dir, "size", "%luK\n",
		  (unsigned long)cd->ways * cd->partitions * cd->line * cd->sets / 1024);
	add_textf(dir, "coherency_line_size", "%u\n", cd->line);
	add_textf(dir, "ways_of_associativity", "%u\n", cd->ways);
	add_textf(dir, "number_of_sets", "%u\n", cd->sets);
	add_textf(dir, "physical_line_partition", "%u\n", cd->partitions);
	add_file(dir, "shared_cpu_list", list);
	add_file(dir, "shared_cpu_map", mask);
	add_file(dir, "uevent", "");
}

/* x86's cluster is the CPUs that share an L2 cache (its id, Linux's l2c_id): as the
 * caches here say, else none (65535, BAD_APICID's u16). */
static void
add_cluster(struct dentry *t, unsigned cpu)
{
	unsigned n = vfs_nprocs(), share = 0;
	char list[64], mask[2048];

	for (unsigned k = 0; k < ncaches; k++)
		if (caches[k].level == 2 && caches[k].type != 2 /* not Instruction */)
			share = MIN(caches[k].sharing, n);
	if (!share) {
		add_textf(t, "cluster_id", "65535\n");
		share = 1;
	} else {
		add_textf(t, "cluster_id", "%u\n", cpu / share);
	}
	unsigned first = cpu - cpu % share;
	cpu_list(list, sizeof(list), first, MIN(share, n - first));
	cpu_mask(mask, sizeof(mask), first, MIN(share, n - first));
	add_file(t, "cluster_cpus", mask);
	add_file(t, "cluster_cpus_list", list);
}

/* a sysfs attribute's size is a page's (inode_fill_stat) */
static off_t
attr_llseek(struct file *f, off_t off, int whence)
{
	return generic_llseek(f, off, whence, 4096);
}

/* node0/meminfo (libnuma's numa_node_size64): the one node holds the memory /proc/meminfo
 * shows; what the sentry does not count is 0 */
static int
node_meminfo_text(struct file *f, char *text, size_t size)
{
	static const char *const zero[] = {
		"SwapCached", "Active", "Inactive", "Active(anon)", "Inactive(anon)",
		"Active(file)", "Inactive(file)", "Unevictable", "Mlocked", "Dirty", "Writeback",
		"FilePages", "Mapped", "AnonPages", "Shmem", "KernelStack", "PageTables",
		"SecPageTables", "NFS_Unstable", "Bounce", "WritebackTmp", "KReclaimable", "Slab",
		"SReclaimable", "SUnreclaim", "AnonHugePages", "ShmemHugePages", "ShmemPmdMapped",
		"FileHugePages", "FilePmdMapped",
	};
	unsigned long total, free;
	size_t n;

	(void)f;
	vfs_memory_facts(&total, &free);
	total >>= 10;
	free >>= 10;
	n = (size_t)snprintf(text, size,
			     "Node 0 MemTotal:       %8lu kB\nNode 0 MemFree:        %8lu kB\n"
			     "Node 0 MemUsed:        %8lu kB\n", total, free, total - MIN(free, total));
	for (size_t i = 0; i < ARRAY_SIZE(zero) && n < size; i++) {
		char key[32];

		snprintf(key, sizeof(key), "%s:", zero[i]);
		n += (size_t)snprintf(text + n, size - n, "Node 0 %-16s%8lu kB\n", key, 0UL);
	}
	if (n < size)
		n += (size_t)snprintf(text + n, size - n,
				      "Node 0 HugePages_Total: %5u\nNode 0 HugePages_Free:  %5u\n"
				      "Node 0 HugePages_Surp:  %5u\n", 0, 0, 0);
	return (int)MIN(n, size - 1);
}

static const struct inode_ops sysfs_cpu_iops;

/* The host's attributes (the gofer's "name mode text\n" lines in buf, n bytes) into dir;
 * how many there were. */
static int
add_host_lines(struct dentry *dir, char *buf, int n)
{
	int added = 0;

	for (char *line = buf, *nl; n > 0 && (nl = strchr(line, '\n')); line = nl + 1) {
		char *sp = memchr(line, ' ', (size_t)(nl - line)), *text;
		struct dentry *c = NULL;
		unsigned long mode;

		if (!sp || sp == line)
			continue;
		*sp = '\0';
		mode = strtoul(sp + 1, &text, 8);
		if (*text != ' ' || text > nl)
			continue;
		text++;
		HASH_FIND_STR(dir->children, line, c);
		if (c || strlen(line) > NAME_MAX || strchr(line, '/') || !strcmp(line, ".") ||
		    !strcmp(line, ".."))
			continue;
		c = tmpfs_add(dir, line, S_IFREG | (mode & 0777), NULL);
		tmpfs_set_data(c->inode, text, (size_t)(nl + 1 - text));
		added++;
	}
	return added;
}

/* A synthesized topology where the host tells none: cpu a core of its own in package 0. */
static void
synth_topology(struct dentry *t, unsigned cpu)
{
	unsigned n = vfs_nprocs();
	char one[64], all[64], one_mask[2048], all_mask[2048];

	cpu_list(one, sizeof(one), cpu, 1);
	cpu_list(all, sizeof(all), 0, n);
	cpu_mask(one_mask, sizeof(one_mask), cpu, 1);
	cpu_mask(all_mask, sizeof(all_mask), 0, n);
	add_textf(t, "physical_package_id", "0\n");
	add_textf(t, "die_id", "0\n");
	add_textf(t, "core_id", "%u\n", cpu);
	static const char *const own[] = { "core_cpus", "thread_siblings" };
	static const char *const pkg[] = { "core_siblings", "die_cpus", "package_cpus" };
	for (size_t i = 0; i < ARRAY_SIZE(own); i++) {
		char name[32];
		add_file(t, own[i], one_mask);
		snprintf(name, sizeof(name), "%s_list", own[i]);
		add_file(t, name, one);
	}
	for (size_t i = 0; i < ARRAY_SIZE(pkg); i++) {
		char name[32];
		add_file(t, pkg[i], all_mask);
		snprintf(name, sizeof(name), "%s_list", pkg[i]);
		add_file(t, name, all);
	}
	read_caches();
	add_cluster(t, cpu);
}

/* cpuN: its topology and caches, made on first use: the host's (the CPU numbers are the
 * host's, and CPUID tells them anyway), else synthesized from CPUID's caches. */
static void
populate_cpu(struct dentry *d)
{
	unsigned cpu = 0, k;
	char buf[PATH_MAX];

	d->inode->iops = &tmpfs_dir_iops;
	sscanf(d->name, "cpu%u", &cpu);
	if (cpu > 0) /* hotplug: root may write it (not here: sysfs is read-only) */
		tmpfs_set_data(tmpfs_add(d, "online", S_IFREG | 0644, NULL)->inode, "1\n", 2);
	add_file(d, "uevent", "");
	/* SCHED_CAPACITY_SCALE, Linux's for CPUs of one kind (a hybrid host's would differ) */
	add_file(d, "cpu_capacity", "1024\n");
	tmpfs_add(d, "node0", S_IFLNK | 0777, "../../node/node0");
	struct dentry *t = tmpfs_add(d, "topology", S_IFDIR | 0755, NULL);
	if (add_host_lines(t, buf, gofer_host_dir(GOFER_HOST_CPU_TOPOLOGY, cpu, 0, buf,
						  sizeof(buf))) == 0)
		synth_topology(t, cpu);
	struct dentry *c = tmpfs_add(d, "cache", S_IFDIR | 0755, NULL);
	add_file(c, "uevent", "");
	for (k = 0; k < 32; k++) {
		int n = gofer_host_dir(GOFER_HOST_CPU_CACHE, cpu, k, buf, sizeof(buf));
		char name[16];

		if (n <= 0)
			break;
		snprintf(name, sizeof(name), "index%u", k);
		struct dentry *ix = tmpfs_add(c, name, S_IFDIR | 0755, NULL);
		add_host_lines(ix, buf, n);
		add_file(ix, "uevent", "");
	}
	if (k > 0)
		return;
	read_caches(); /* the host has no cache directories: CPUID's */
	for (unsigned i = 0; i < ncaches; i++)
		add_cache(c, cpu, i);
}

static const struct inode_ops sysfs_cpu_iops = {
	.populate = populate_cpu,
};

/* The CPU's vulnerabilities are the hardware's and the host kernel's mitigations, which
 * guests run under; transparent huge pages are the host kernel's, which backs guest
 * memory: both the host's. */
static void
populate_host_dir(struct dentry *d, int which)
{
	char buf[PATH_MAX];

	d->inode->iops = &tmpfs_dir_iops;
	add_host_lines(d, buf, gofer_host_dir(which, 0, 0, buf, sizeof(buf)));
}

static void
populate_vulns(struct dentry *d)
{
	populate_host_dir(d, GOFER_HOST_CPU_VULNS);
}

static void
populate_thp(struct dentry *d)
{
	populate_host_dir(d, GOFER_HOST_THP);
}

static void
populate_smt(struct dentry *d)
{
	populate_host_dir(d, GOFER_HOST_CPU_SMT);
}

static const struct inode_ops sysfs_vulns_iops = { .populate = populate_vulns };
static const struct inode_ops sysfs_smt_iops = { .populate = populate_smt };
static const struct inode_ops sysfs_thp_iops = { .populate = populate_thp };

/* ---- /sys/class/net: the interfaces of the network namespace the sysfs was mounted in
 * (Linux tags a sysfs with its mounter's); the sandbox's own lo, never the host's ---- */

/* lo's attributes that follow its state (up or down, MTU), made at each read. Those of a
 * device that is down read as EINVAL (Linux's carrier, dormant, testing); speed and duplex
 * always do (loopback has no link settings). */
enum { LO_FLAGS, LO_MTU, LO_OPERSTATE, LO_CARRIER, LO_DORMANT, LO_TESTING, LO_SPEED, LO_DUPLEX };
static const char *const lo_dynamic[] = {
	[LO_FLAGS] = "flags", [LO_MTU] = "mtu", [LO_OPERSTATE] = "operstate",
	[LO_CARRIER] = "carrier", [LO_DORMANT] = "dormant", [LO_TESTING] = "testing",
	[LO_SPEED] = "speed", [LO_DUPLEX] = "duplex",
};

static int
lo_attr_text(struct file *f, char *text, size_t n)
{
	const char *name = f->path.d->name;
	int mtu, which = -1;
	unsigned flags = sock_lo_state(f->inode->sb->priv, &mtu);
	bool up = flags & IFF_UP;

	for (size_t i = 0; i < ARRAY_SIZE(lo_dynamic); i++)
		if (!strcmp(name, lo_dynamic[i]))
			which = (int)i;
	if (which < 0 || which == LO_SPEED || which == LO_DUPLEX || (!up && which >= LO_CARRIER))
		return -EINVAL;
	switch (which) {
	case LO_FLAGS: /* the device's own flags: RUNNING and LOWER_UP are netlink's */
		return snprintf(text, n, "%#x\n", flags & ~(IFF_RUNNING | IFF_LOWER_UP));
	case LO_MTU:
		return snprintf(text, n, "%d\n", mtu);
	case LO_OPERSTATE:
		return snprintf(text, n, "%s\n", up ? "unknown" : "down");
	case LO_CARRIER:
		return snprintf(text, n, "1\n");
	default:
		return snprintf(text, n, "0\n");
	}
}

/* The attributes whose text follows the sentry's state (lo's and node0/meminfo) are made
 * at each read, as Linux's show methods make theirs when a read starts at 0 (so a file
 * opened before a change shows it); an error of the text is the read's. */
static ssize_t
attr_read(struct file *f, void *buf, size_t n, off_t *pos)
{
	char t[2048];
	int len = !strcmp(f->path.d->name, "meminfo") ? node_meminfo_text(f, t, sizeof(t))
						       : lo_attr_text(f, t, sizeof(t));

	if (len < 0)
		return len;
	len = MIN(len, (int)sizeof(t) - 1);
	if (*pos < 0 || *pos >= len)
		return 0;
	n = MIN(n, (size_t)(len - *pos));
	memcpy(buf, t + *pos, n);
	*pos += (off_t)n;
	return (ssize_t)n;
}

static const struct file_ops attr_fops = {
	.read = attr_read,
	.llseek = attr_llseek,
	.pread_ok = true,
};

/* devices/virtual, made when first looked into: net/lo, the attributes of the sandbox's lo */
static void
populate_virtual(struct dentry *virtual)
{
	static const char *const dev_path[] = { "net", "lo", NULL };
	static const char *const fixed[][3] = {
		{ "addr_assign_type", "0\n" }, { "addr_len", "6\n" },
		{ "address", "00:00:00:00:00:00\n" }, { "broadcast", "00:00:00:00:00:00\n" },
		{ "carrier_changes", "0\n" }, { "carrier_down_count", "0\n" },
		{ "carrier_up_count", "0\n" }, { "dev_id", "0x0\n" }, { "dev_port", "0\n" },
		{ "ifindex", "1\n" }, { "iflink", "1\n" }, { "link_mode", "0\n" },
		{ "name_assign_type", "2\n" }, { "type", "772\n" },
		{ "gro_flush_timeout", "0\n", "w" }, { "ifalias", "", "w" },
		{ "napi_defer_hard_irqs", "0\n", "w" }, { "netdev_group", "0\n", "w" },
		{ "proto_down", "0\n", "w" }, { "threaded", "0\n", "w" },
		{ "tx_queue_len", "1000\n", "w" }, { "uevent", "INTERFACE=lo\nIFINDEX=1\n", "w" },
	};
	/* lo's counters: nothing the sandbox counts (RTM_GETLINK's are 0 too) */
	static const char *const stats[] = {
		"collisions", "multicast", "rx_bytes", "rx_compressed", "rx_crc_errors",
		"rx_dropped", "rx_errors", "rx_fifo_errors", "rx_frame_errors",
		"rx_length_errors", "rx_missed_errors", "rx_nohandler", "rx_over_errors",
		"rx_packets", "tx_aborted_errors", "tx_bytes", "tx_carrier_errors",
		"tx_compressed", "tx_dropped", "tx_errors", "tx_fifo_errors",
		"tx_heartbeat_errors", "tx_packets", "tx_window_errors",
	};
	virtual->inode->iops = &tmpfs_dir_iops;
	struct dentry *lo = mkdirs(virtual, dev_path);

	for (size_t i = 0; i < ARRAY_SIZE(fixed); i++) {
		struct dentry *d = tmpfs_add(lo, fixed[i][0], S_IFREG | (fixed[i][2] ? 0644 : 0444),
					     NULL);
		tmpfs_set_data(d->inode, fixed[i][1], strlen(fixed[i][1]));
	}
	for (size_t i = 0; i < ARRAY_SIZE(lo_dynamic); i++) {
		bool w = i == LO_FLAGS || i == LO_MTU || i == LO_CARRIER;

		tmpfs_add(lo, lo_dynamic[i], S_IFREG | (w ? 0644 : 0444), NULL)->inode->fops =
			&attr_fops;
	}
	struct dentry *st = tmpfs_add(lo, "statistics", S_IFDIR | 0755, NULL);
	for (size_t i = 0; i < ARRAY_SIZE(stats); i++)
		add_file(st, stats[i], "0\n");
	tmpfs_add(lo, "subsystem", S_IFLNK | 0777, "../../../../class/net");
}

/* class, made when first looked into: net/lo, a link to lo's device directory */
static void
populate_class(struct dentry *class)
{
	static const char *const class_path[] = { "net", NULL };

	class->inode->iops = &tmpfs_dir_iops;
	tmpfs_add(mkdirs(class, class_path), "lo", S_IFLNK | 0777, "../../devices/virtual/net/lo");
}

/* hugetlb's pools, in /sys/kernel/mm/hugepages (the JVM looks there for the sizes there
 * are) and each node's (hwloc's page types): 2M, and 1G where the CPU has such pages
 * (pdpe1gb), as Linux registers them; none reserved, as /proc/meminfo's HugePages_Total
 * says: the sandbox has no hugetlb pages to give. A node's have three of the counters. */
static void
add_hugepages(struct dentry *dir, bool node)
{
	static const char *const files[][2] = {
		{ "nr_hugepages", "w" }, { "free_hugepages" }, { "surplus_hugepages" },
		{ "nr_hugepages_mempolicy", "w" }, { "nr_overcommit_hugepages", "w" },
		{ "resv_hugepages" },
	};
	unsigned a, b, c, d;
	bool gb = __get_cpuid(0x80000001, &a, &b, &c, &d) && (d & (1u << 26));

	dir = tmpfs_add(dir, "hugepages", S_IFDIR | 0755, NULL);
	for (int k = 0; k < (gb ? 2 : 1); k++) {
		struct dentry *h = tmpfs_add(dir, k ? "hugepages-1048576kB" : "hugepages-2048kB",
					     S_IFDIR | 0755, NULL);
		for (size_t i = 0; i < (node ? 3 : ARRAY_SIZE(files)); i++) {
			mode_t mode = files[i][1] ? 0644 : 0444;
			tmpfs_set_data(tmpfs_add(h, files[i][0], S_IFREG | mode, NULL)->inode, "0\n", 2);
		}
		if (k) /* what a gigantic page splits into (not its write-only demote) */
			tmpfs_set_data(tmpfs_add(h, "demote_size", S_IFREG | 0644, NULL)->inode,
				       "2048kB\n", 7);
	}
}

/*
 * Most programs never look in /sys, and these trees cost the start of every run their
 * nodes (page-sized texts), so each is made when first looked into (as cpuN's).
 */

/* devices/system/cpu: the CPU sets and one directory per CPU */
static void
populate_cpus(struct dentry *cpu)
{
	char range[32], possible[32];
	unsigned n = vfs_nprocs(), nposs, max;

	cpu->inode->iops = &tmpfs_dir_iops;
	vfs_cpu_limits(&nposs, &max);
	cpu_list(range, sizeof(range), 0, n);
	add_file(cpu, "online", range);
	snprintf(possible, sizeof(possible), nposs > 1 ? "0-%u\n" : "0\n", nposs - 1);
	add_file(cpu, "possible", possible);
	add_file(cpu, "present", range);
	/* the possible ones not here (Linux's offline: possible but not online) */
	if (nposs > n)
		snprintf(possible, sizeof(possible), nposs > n + 1 ? "%u-%u\n" : "%u\n", n, nposs - 1);
	add_file(cpu, "offline", nposs > n ? possible : "\n");
	add_textf(cpu, "kernel_max", "%u\n", max);
	add_file(cpu, "enabled", range);
	add_file(cpu, "isolated", "\n");
	add_file(cpu, "uevent", "");
	/* whether the host's cores run more than one thread: as its topology, the host's */
	tmpfs_add(cpu, "smt", S_IFDIR | 0755, NULL)->inode->iops = &sysfs_smt_iops;
	tmpfs_add(cpu, "vulnerabilities", S_IFDIR | 0755, NULL)->inode->iops = &sysfs_vulns_iops;
	for (unsigned i = 0; i < n && i < 4096; i++) {
		char name[16];

		snprintf(name, sizeof(name), "cpu%u", i);
		tmpfs_add(cpu, name, S_IFDIR | 0755, NULL)->inode->iops = &sysfs_cpu_iops;
	}
}

/* devices/system/node: one NUMA node with every CPU (set_mempolicy and mbind know node 0
 * alone) */
static void
populate_nodes(struct dentry *node)
{
	static const char *const node_sets[] = { "possible", "online", "has_cpu",
						 "has_memory", "has_normal_memory" };
	unsigned n = vfs_nprocs();
	char range[32], mask[2048];

	node->inode->iops = &tmpfs_dir_iops;
	for (size_t i = 0; i < ARRAY_SIZE(node_sets); i++)
		add_file(node, node_sets[i], "0\n");
	add_file(node, "has_generic_initiator", "\n");
	add_file(node, "uevent", "");
	struct dentry *node0 = tmpfs_add(node, "node0", S_IFDIR | 0755, NULL);
	cpu_list(range, sizeof(range), 0, n);
	cpu_mask(mask, sizeof(mask), 0, n);
	add_file(node0, "cpulist", range);
	add_file(node0, "cpumap", mask);
	add_file(node0, "distance", "10\n"); /* Linux's LOCAL_DISTANCE */
	add_file(node0, "uevent", "");
	tmpfs_add(node0, "meminfo", S_IFREG | 0444, NULL)->inode->fops = &attr_fops;
	add_hugepages(node0, true);
	for (unsigned i = 0; i < n && i < 4096; i++) {
		char name[16], target[32];

		snprintf(name, sizeof(name), "cpu%u", i);
		snprintf(target, sizeof(target), "../../cpu/cpu%u", i);
		tmpfs_add(node0, name, S_IFLNK | 0777, target);
	}
}

/* kernel/mm: transparent huge pages (the host's), hugetlb's pools, KSM */
static void
populate_mm(struct dentry *mm)
{
	mm->inode->iops = &tmpfs_dir_iops;
	tmpfs_add(mm, "transparent_hugepage", S_IFDIR | 0755, NULL)->inode->iops = &sysfs_thp_iops;
	add_hugepages(mm, false);
	/* KSM: madvise(MADV_MERGEABLE) runs in the host, which has it; ksmd's settings are
	 * the host's, shown at their defaults and not writable here */
	struct dentry *ksm = tmpfs_add(mm, "ksm", S_IFDIR | 0755, NULL);
	static const char *const ksm_files[][2] = {
		{ "run", "0\n" }, { "pages_to_scan", "100\n" }, { "sleep_millisecs", "20\n" },
		{ "pages_shared", "0\n" }, { "pages_sharing", "0\n" }, { "pages_unshared", "0\n" },
		{ "pages_volatile", "0\n" }, { "full_scans", "0\n" }, { "merge_across_nodes", "1\n" },
		{ "max_page_sharing", "256\n" }, { "use_zero_pages", "0\n" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(ksm_files); i++)
		add_file(ksm, ksm_files[i][0], ksm_files[i][1]);
}

static const struct inode_ops sysfs_cpus_iops = { .populate = populate_cpus };
static const struct inode_ops sysfs_nodes_iops = { .populate = populate_nodes };
static const struct inode_ops sysfs_mm_iops = { .populate = populate_mm };
static const struct inode_ops sysfs_virtual_iops = { .populate = populate_virtual };
static const struct inode_ops sysfs_class_iops = { .populate = populate_class };

int
sysfs_populate(struct super_block *sb, struct ns_common *net)
{
	static const char *const system_path[] = { "devices", "system", NULL };
	static const char *const kernel_path[] = { "kernel", NULL };
	struct dentry *sys = mkdirs(sb->root, system_path);
	struct dentry *kernel = mkdirs(sb->root, kernel_path);

	tmpfs_add(sys, "cpu", S_IFDIR | 0755, NULL)->inode->iops = &sysfs_cpus_iops;
	tmpfs_add(sys, "node", S_IFDIR | 0755, NULL)->inode->iops = &sysfs_nodes_iops;
	tmpfs_add(kernel, "mm", S_IFDIR | 0755, NULL)->inode->iops = &sysfs_mm_iops;
	sb->priv = net ? ns_get(net) : NULL; /* for the life of the mount, as Linux's */
	tmpfs_add(mkdirs(sb->root, (const char *const[]){ "devices", NULL }), "virtual",
		  S_IFDIR | 0755, NULL)->inode->iops = &sysfs_virtual_iops;
	tmpfs_add(sb->root, "class", S_IFDIR | 0755, NULL)->inode->iops = &sysfs_class_iops;
	/* cgroup2's mount options this cgroupfs takes (nsdelegate alone: mount.c) and the
	 * files it lets a delegated subtree's owner write (cgroupfs.c root_locked) */
	static const char *const cg_path[] = { "kernel", "cgroup", NULL };
	struct dentry *cg = mkdirs(sb->root, cg_path);
	add_file(cg, "features", "nsdelegate\n");
	add_file(cg, "delegate", "cgroup.procs\ncgroup.threads\ncgroup.subtree_control\n");
	/* no block devices (nor character devices' numbers) to list */
	tmpfs_add(sb->root, "block", S_IFDIR | 0755, NULL);
	mkdirs(sb->root, (const char *const[]){ "dev", "block", NULL });
	mkdirs(sb->root, (const char *const[]){ "dev", "char", NULL });
	/* where the cgroup hierarchy is mounted */
	tmpfs_add(tmpfs_add(sb->root, "fs", S_IFDIR | 0755, NULL), "cgroup", S_IFDIR | 0755, NULL);
	sb->flags |= SB_RDONLY;
	return 0;
}
