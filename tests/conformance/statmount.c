/* statmount(2) and listmount(2) (Linux 6.8; mnt_ns_fd 6.18) over mounts of our own: the
 * 64-bit unique ids (as statx STATX_MNT_ID_UNIQUE gives them, the old ones as mountinfo's),
 * each STATMOUNT_* field of a tmpfs and of bind mounts (root, point, flags, propagation),
 * the string area's EOVERFLOW rule, listmount's order, pagination and reverse, another mount
 * namespace by id and by descriptor, and the argument errors. Run as root; natively in a
 * mount namespace of its own. */
#include <linux/stat.h>
#include <sched.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <linux/capability.h>
#include "cf.h"
#include "cf_mount.h"

struct req {
	uint32_t size, mnt_ns_fd;
	uint64_t mnt_id, param, mnt_ns_id, tail;
};

struct sm {
	uint32_t size, mnt_opts;
	uint64_t mask;
	uint32_t sb_dev_major, sb_dev_minor;
	uint64_t sb_magic;
	uint32_t sb_flags, fs_type;
	uint64_t mnt_id, mnt_parent_id;
	uint32_t mnt_id_old, mnt_parent_id_old;
	uint64_t mnt_attr, mnt_propagation, mnt_peer_group, mnt_master, propagate_from;
	uint32_t mnt_root, mnt_point;
	uint64_t mnt_ns_id;
	uint32_t fs_subtype, sb_source, opt_num, opt_array, opt_sec_num, opt_sec_array;
	uint64_t supported_mask;
	uint32_t uidmap_num, uidmap, gidmap_num, gidmap;
	uint64_t spare[43];
	char str[3584];
};

#define ALL_MASK 0x7fffULL
#ifndef STATX_MNT_ID_UNIQUE
#define STATX_MNT_ID_UNIQUE 0x4000U
#endif
#define LSMT_ROOT_ (~0ULL)
#define NS_GET_MNTNS_ID_ 0x8008b705

static long
statmount_(uint64_t id, uint64_t mask, void *buf, size_t n, unsigned flags)
{
	struct req r = { .size = 24, .mnt_id = id, .param = mask };

	return syscall(457, &r, buf, n, flags);
}

static long
listmount_(uint64_t parent, uint64_t last, uint64_t *ids, size_t n, unsigned flags)
{
	struct req r = { .size = 24, .mnt_id = parent, .param = last };

	return syscall(458, &r, ids, n, flags);
}

/* statx's mount id of path: STATX_MNT_ID_UNIQUE or STATX_MNT_ID (0: not given). */
static uint64_t
statx_mnt_id(const char *path, unsigned mask)
{
	struct statx x;

	if (statx(AT_FDCWD, path, 0, mask, &x) || !(x.stx_mask & mask))
		return 0;
	return x.stx_mnt_id;
}

#define unique_id(path) statx_mnt_id(path, STATX_MNT_ID_UNIQUE)
#define old_id(path) statx_mnt_id(path, STATX_MNT_ID)

/* The mountinfo line of mount id: its parent id, device, and the peer group / master. */
static int
info_of(uint64_t id, int *parent, unsigned *maj, unsigned *min, int *shared, int *master)
{
	char line[2048];
	FILE *f = fopen("/proc/self/mountinfo", "r");
	int found = 0;

	while (f && !found && fgets(line, sizeof(line), f)) {
		int i, p;

		if (sscanf(line, "%d %d %u:%u", &i, &p, maj, min) != 4 || (uint64_t)i != id)
			continue;
		char *dash = strstr(line, " - ");
		if (dash)
			*dash = 0;
		char *s = strstr(line, " shared:"), *m = strstr(line, " master:");
		*parent = p;
		*shared = s ? atoi(s + 8) : 0;
		*master = m ? atoi(m + 8) : 0;
		found = 1;
	}
	if (f)
		fclose(f);
	return found;
}

static int
mountinfo_lines(void)
{
	char line[2048];
	FILE *f = fopen("/proc/self/mountinfo", "r");
	int n = 0;

	while (f && fgets(line, sizeof(line), f))
		n++;
	if (f)
		fclose(f);
	return n;
}

static void
show_tmpfs(const char *cwd, uint64_t nsid)
{
	static struct sm s;
	struct statfs sf;
	char want[1100];
	int parent, shared, master;
	unsigned maj, min;
	uint64_t id = unique_id("base");

	YN("unique id past 2^31", id > (1ULL << 31));
	YN("old id below 2^31", old_id("base") < (1ULL << 31));
	struct {
		struct file_handle h;
		unsigned char room[128];
	} fh = { .h.handle_bytes = 128 };
	uint64_t hid = 0;
	R("name_to_handle_at AT_HANDLE_MNT_ID_UNIQUE",
	  name_to_handle_at(AT_FDCWD, "base", &fh.h, (int *)&hid, 1));
	YN("its mount id is statx's", hid == id);
	memset(&s, 0xa5, sizeof(s));
	R("statmount base", statmount_(id, ALL_MASK | (1ULL << 40), &s, sizeof(s), 0));
	printf("mask %#llx supported %#llx\n", (unsigned long long)s.mask,
	       (unsigned long long)s.supported_mask);
	YN("mnt_id is statx's", s.mnt_id == id);
	YN("mnt_id_old is statx's", s.mnt_id_old == old_id("base"));
	YN("parent is the cwd's mount", s.mnt_parent_id == unique_id("."));
	YN("parent old is the cwd's", s.mnt_parent_id_old == old_id("."));
	YN("in mountinfo", info_of(s.mnt_id_old, &parent, &maj, &min, &shared, &master));
	YN("mountinfo parent", (uint32_t)parent == s.mnt_parent_id_old);
	YN("mountinfo device", maj == s.sb_dev_major && min == s.sb_dev_minor);
	YN("magic is statfs's", statfs("base", &sf) == 0 && (uint64_t)sf.f_type == s.sb_magic);
	printf("sb_flags %#x attr %#llx propagation %#llx peer %llu master %llu from %llu\n",
	       s.sb_flags, (unsigned long long)s.mnt_attr, (unsigned long long)s.mnt_propagation,
	       (unsigned long long)s.mnt_peer_group, (unsigned long long)s.mnt_master,
	       (unsigned long long)s.propagate_from);
	printf("fs_type '%s' root '%s' source '%s' opts '%s'\n", s.str + s.fs_type,
	       s.str + s.mnt_root, s.str + s.sb_source, s.str + s.mnt_opts);
	snprintf(want, sizeof(want), "%s/base", cwd);
	YN("mnt_point", !strcmp(s.str + s.mnt_point, want));
	printf("opt_num %u:", s.opt_num);
	for (uint32_t i = 0, off = s.opt_array; i < s.opt_num; i++) {
		printf(" '%s'", s.str + off);
		off += strlen(s.str + off) + 1;
	}
	printf("\n");
	YN("ns id is NS_GET_MNTNS_ID's", s.mnt_ns_id == nsid);
	YN("string offset 0 is empty", s.str[0] == 0);
	size_t used = 0;
	for (char *p = s.str; p < s.str + sizeof(s.str) && (used = p - s.str) < 3000; p++)
		if (!memcmp(p, "\xa5\xa5\xa5\xa5", 4))
			break;
	YN("size covers the strings", s.size == 512 + used);
}

/* The fixed part goes as far as the buffer; the strings must fit with their NUL. */
static void
overflow_rule(uint64_t id)
{
	static struct sm s;

	R("fs_type 512", statmount_(id, 0x20, &s, 512, 0));
	R("fs_type 518", statmount_(id, 0x20, &s, 518, 0));
	R("fs_type 519", statmount_(id, 0x20, &s, 519, 0));
	R("fs_type 519 size", s.size);
	R("fs_type 100", statmount_(id, 0x20, &s, 100, 0));
	memset(&s, 0, sizeof(s));
	R("basic in 100", statmount_(id, 3, &s, 100, 0));
	R("basic in 100 size", s.size);
	YN("basic in 100 id", s.mnt_id == id);
	R("basic in 0", statmount_(id, 3, &s, 0, 0));
	R("basic NULL 0", statmount_(id, 3, NULL, 0, 0));
	R("basic NULL 600", statmount_(id, 3, NULL, 600, 0));
	R("strings NULL 0", statmount_(id, 0x20, NULL, 0, 0));
	R("no mask", statmount_(id, 0, &s, sizeof(s), 0));
	printf("no mask: size %u mask %#llx\n", s.size, (unsigned long long)s.mask);
	R("huge buffer", statmount_(id, 3, &s, 1ULL << 60, 0));
}

static void
request_errors(uint64_t id)
{
	static struct sm s;
	struct req r = { .size = 24, .mnt_id = id, .param = 3 };

	R("flags 1", statmount_(id, 3, &s, sizeof(s), 1));
	R("old-style id", statmount_(5, 3, &s, sizeof(s), 0));
	R("id 2^31", statmount_(1ULL << 31, 3, &s, sizeof(s), 0));
	R("no such id", statmount_(LSMT_ROOT_, 3, &s, sizeof(s), 0));
	R("req NULL", syscall(457, NULL, &s, sizeof(s), 0));
	r.size = 16;
	R("req size 16", syscall(457, &r, &s, sizeof(s), 0));
	r.size = 4097;
	R("req size 4097", syscall(457, &r, &s, sizeof(s), 0));
	r.size = 40;
	r.tail = 1;
	R("req size 40 tail", syscall(457, &r, &s, sizeof(s), 0));
	r.tail = 0;
	R("req size 40", syscall(457, &r, &s, sizeof(s), 0));
	r.size = 32;
	r.mnt_ns_fd = 999;
	R("bad mnt_ns_fd", syscall(457, &r, &s, sizeof(s), 0));
	r.mnt_ns_fd = open("/proc/self/ns/uts", O_RDONLY);
	R("uts ns fd", syscall(457, &r, &s, sizeof(s), 0));
	close(r.mnt_ns_fd);
	r.mnt_ns_fd = open(".", O_RDONLY);
	R("directory fd", syscall(457, &r, &s, sizeof(s), 0));
	close(r.mnt_ns_fd);
	r.mnt_ns_fd = open("/proc/self/ns/mnt", O_RDONLY);
	R("own ns fd", syscall(457, &r, &s, sizeof(s), 0));
	r.mnt_ns_id = 1;
	R("fd and id", syscall(457, &r, &s, sizeof(s), 0));
	close(r.mnt_ns_fd);
	r.mnt_ns_fd = 0;
	r.mnt_ns_id = ~0ULL;
	R("no such ns id", syscall(457, &r, &s, sizeof(s), 0));
	r.mnt_ns_id = 0;
	r.size = 24;
	r.mnt_ns_id = ~0ULL;
	R("ns id past size 24 ignored", syscall(457, &r, &s, sizeof(s), 0));
}

static int
ascending(const uint64_t *ids, long n, int dir)
{
	for (long i = 1; i < n; i++)
		if (dir > 0 ? ids[i] <= ids[i - 1] : ids[i] >= ids[i - 1])
			return 0;
	return 1;
}

static int
has(const uint64_t *ids, long n, uint64_t id)
{
	for (long i = 0; i < n; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

static void
listing(uint64_t base)
{
	static uint64_t all[4096], part[4096];
	long n = listmount_(LSMT_ROOT_, 0, all, 4096, 0);

	YN("root list: as many as mountinfo", n == mountinfo_lines());
	YN("root list ascending", ascending(all, n, 1));
	YN("root list has base", has(all, n, base));
	long k = listmount_(LSMT_ROOT_, all[0], part, 4096, 0);
	YN("after the first: the rest", k == n - 1 && !memcmp(part, all + 1, k * 8));
	k = listmount_(LSMT_ROOT_, 0, part, 4096, 1);
	YN("reverse: descending", k == n && ascending(part, k, -1) && part[0] == all[n - 1]);
	k = listmount_(LSMT_ROOT_, all[n - 1], part, 4096, 1);
	YN("reverse before the last", k == n - 1 && part[0] == all[n - 2]);
	R("page of 2", listmount_(LSMT_ROOT_, 0, part, 2, 0));
	YN("page of 2 = first two", part[0] == all[0] && part[1] == all[1]);
	k = listmount_(base, 0, part, 4096, 0);
	R("under base", k);
	YN("under base ascending, without base", ascending(part, k, 1) && !has(part, k, base));
	YN("under base: b", has(part, k, unique_id("base/b")));
	YN("under base: b/in (below b)", has(part, k, unique_id("base/b/in")));
	R("under b", listmount_(unique_id("base/b"), 0, part, 4096, 0));
	R("n 0", listmount_(LSMT_ROOT_, 0, part, 0, 0));
	R("n 0 bad flags", listmount_(LSMT_ROOT_, 0, part, 0, 2));
	R("n 0 NULL req", syscall(458, NULL, part, 0, 0));
	R("flags 2", listmount_(LSMT_ROOT_, 0, part, 10, 2));
	R("n 2000000", listmount_(LSMT_ROOT_, 0, part, 2000000, 0));
	R("ids NULL", listmount_(LSMT_ROOT_, 0, NULL, 5, 0));
	R("ids NULL n 0", listmount_(LSMT_ROOT_, 0, NULL, 0, 0));
	R("last 5", listmount_(LSMT_ROOT_, 5, part, 10, 0));
	R("parent 0", listmount_(0, 0, part, 10, 0));
	R("no such parent", listmount_(LSMT_ROOT_ - 1, 0, part, 10, 0));
	R("leaf b/in", listmount_(unique_id("base/b/in"), 0, part, 10, 0));
}

/* propagate_from: a slave whose master's peers are all out of the reader's root shows
 * the nearest group up the chain of masters that has a member in it. */
static void
dominating(void)
{
	static struct sm s;
	int parent, shared, master, xgroup;
	unsigned maj, min;

	mkdir("base/r", 0755);
	mkdir("base/r/x", 0755);
	mkdir("base/r/z", 0755);
	mkdir("base/y", 0755);
	R("tmpfs on r/x", mount("x", "base/r/x", "tmpfs", 0, NULL));
	R("r/x shared", mount(NULL, "base/r/x", NULL, MS_SHARED, NULL));
	R("bind r/x on y", mount("base/r/x", "base/y", NULL, MS_BIND, NULL));
	R("y slave", mount(NULL, "base/y", NULL, MS_SLAVE, NULL));
	R("y shared too", mount(NULL, "base/y", NULL, MS_SHARED, NULL));
	R("bind y on r/z", mount("base/y", "base/r/z", NULL, MS_BIND, NULL));
	R("r/z slave", mount(NULL, "base/r/z", NULL, MS_SLAVE, NULL));
	info_of(old_id("base/r/x"), &parent, &maj, &min, &xgroup, &master);
	uint64_t z = unique_id("base/r/z"), xid = unique_id("base/r/x"), base = unique_id("base");
	fflush(stdout);
	int ready[2], done[2];
	char c = 0, line[2048], path[64];
	if (pipe(ready) || pipe(done))
		return;
	pid_t pid = fork();
	if (pid == 0) {
		R("chroot r", chroot("base/r"));
		R("chdir /", chdir("/"));
		R("statmount z", statmount_(z, 0x6, &s, sizeof(s), 0));
		YN("statmount: propagate_from x's group", s.propagate_from == (uint64_t)xgroup);
		YN("statmount: master is y's group", s.mnt_master && s.mnt_master != (uint64_t)xgroup);
		/* without CAP_SYS_ADMIN only what the root reaches (the root: a directory of
		 * base's mount, whose own root is out of reach) */
		struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
		struct __user_cap_data_struct d[2];
		static uint64_t ids[64];
		syscall(SYS_capget, &h, d);
		d[0].effective &= ~(1U << CAP_SYS_ADMIN);
		R("drop CAP_SYS_ADMIN", syscall(SYS_capset, &h, d));
		long n = listmount_(LSMT_ROOT_, 0, ids, 64, 0);
		R("listmount in the chroot", n);
		YN("listmount in the chroot: x and z", n == 2 && has(ids, n, z) && has(ids, n, xid));
		R("statmount base from the chroot", statmount_(base, 0x2, &s, sizeof(s), 0));
		R("listmount under base from the chroot", listmount_(base, 0, ids, 64, 0));
		R("statmount x from the chroot", statmount_(xid, 0x2, &s, sizeof(s), 0));
		fflush(stdout);
		write(ready[1], &c, 1);
		read(done[0], &c, 1);
		_exit(0);
	}
	read(ready[0], &c, 1);
	/* the child's mountinfo, as its (chrooted) root sees the tree */
	snprintf(path, sizeof(path), "/proc/%d/mountinfo", pid);
	FILE *f = fopen(path, "r");
	int seen = 0;
	while (f && fgets(line, sizeof(line), f)) {
		char *p = strstr(line, " propagate_from:");
		if (strstr(line, " /z ") && p)
			seen = atoi(p + 16);
	}
	if (f)
		fclose(f);
	YN("mountinfo: z propagates from x's group", seen && seen == xgroup);
	write(done[1], &c, 1);
	waitpid(pid, NULL, 0);
	R("statmount z outside", statmount_(z, 0x6, &s, sizeof(s), 0));
	YN("outside: propagate_from is the master", s.propagate_from == s.mnt_master);
}

static void
other_namespace(uint64_t base, uint64_t nsid)
{
	static struct sm s;
	static uint64_t ids[4096];
	int oldfd = open("/proc/self/ns/mnt", O_RDONLY);
	struct req r = { .size = 32, .mnt_id = base, .param = 0x42 };

	R("unshare", unshare(CLONE_NEWNS));
	uint64_t copy = unique_id("base"), newns = 0;
	int nsfd = open("/proc/self/ns/mnt", O_RDONLY);
	R("NS_GET_MNTNS_ID", ioctl(nsfd, NS_GET_MNTNS_ID_, &newns));
	YN("new ns id", newns && newns != nsid);
	YN("the copy has an id of its own", copy && copy != base);
	R("old id here", statmount_(base, 3, &s, sizeof(s), 0));
	r.mnt_ns_id = nsid;
	R("old id by ns id", syscall(457, &r, &s, sizeof(s), 0));
	YN("by ns id: that ns", s.mnt_ns_id == nsid && s.mnt_id == base);
	r.mnt_ns_id = 0;
	r.mnt_ns_fd = oldfd;
	R("old id by ns fd", syscall(457, &r, &s, sizeof(s), 0));
	YN("by ns fd: that ns", s.mnt_ns_id == nsid);
	r.mnt_id = LSMT_ROOT_;
	r.param = 0;
	long n = syscall(458, &r, ids, 4096, 0);
	YN("listmount there has base", n > 0 && has(ids, n, base) && !has(ids, n, copy));
	r.mnt_ns_fd = 0;
	n = syscall(458, &r, ids, 4096, 0);
	YN("listmount here has the copy", n > 0 && has(ids, n, copy) && !has(ids, n, base));
	int uts = open("/proc/self/ns/uts", O_RDONLY);
	R("NS_GET_MNTNS_ID of uts", ioctl(uts, NS_GET_MNTNS_ID_, &newns));
	close(uts);
	close(nsfd);
	close(oldfd);
}

int
main(void)
{
	char cwd[1024];
	uint64_t nsid = 0;

	cf_init();
	if (!cf_own_mounts())
		return 0;
	if (!getcwd(cwd, sizeof(cwd)))
		return 1;
	int nsfd = open("/proc/self/ns/mnt", O_RDONLY);
	R("NS_GET_MNTNS_ID", ioctl(nsfd, NS_GET_MNTNS_ID_, &nsid));
	close(nsfd);
	mkdir("base", 0755);
	R("mount base", mount("src", "base", "tmpfs", 0, "mode=0750"));
	show_tmpfs(cwd, nsid);
	mkdir("base/sub", 0755);
	mkdir("base/sub/in", 0755);
	mkdir("base/b", 0755);
	R("base shared", mount(NULL, "base", NULL, MS_SHARED, NULL));
	R("bind base/sub on base/b", mount("base/sub", "base/b", NULL, MS_BIND, NULL));
	R("b slave", mount(NULL, "base/b", NULL, MS_SLAVE, NULL));
	R("b ro", mount(NULL, "base/b", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID |
			MS_NODEV | MS_NOEXEC | MS_NOATIME, NULL));
	R("tmpfs on base/b/in", mount("x", "base/b/in", "tmpfs", MS_STRICTATIME, NULL));
	static struct sm s;
	int parent, shared, master;
	unsigned maj, min;
	uint64_t b = unique_id("base/b");
	R("statmount b", statmount_(b, ALL_MASK, &s, sizeof(s), 0));
	printf("b: root '%s' attr %#llx propagation %#llx\n", s.str + s.mnt_root,
	       (unsigned long long)s.mnt_attr, (unsigned long long)s.mnt_propagation);
	YN("b: parent is base", s.mnt_parent_id == unique_id("base"));
	info_of(s.mnt_id_old, &parent, &maj, &min, &shared, &master);
	YN("b: master is mountinfo's", s.mnt_master == (uint64_t)master && master);
	YN("b: no peer group", s.mnt_peer_group == 0 && !shared);
	YN("b: propagate_from is base's group", s.propagate_from == (uint64_t)master);
	R("statmount base", statmount_(unique_id("base"), 3, &s, sizeof(s), 0));
	info_of(s.mnt_id_old, &parent, &maj, &min, &shared, &master);
	YN("base: peer group is mountinfo's", s.mnt_peer_group == (uint64_t)shared && shared);
	printf("base: propagation %#llx\n", (unsigned long long)s.mnt_propagation);
	R("statmount b/in", statmount_(unique_id("base/b/in"), 0x3f, &s, sizeof(s), 0));
	printf("b/in: attr %#llx root '%s' fs_type '%s'\n", (unsigned long long)s.mnt_attr,
	       s.str + s.mnt_root, s.str + s.fs_type);
	overflow_rule(unique_id("base"));
	request_errors(unique_id("base"));
	listing(unique_id("base"));
	uint64_t in = unique_id("base/b/in");
	R("umount b/in", umount("base/b/in"));
	R("statmount after umount", statmount_(in, 3, &s, sizeof(s), 0));
	dominating();
	other_namespace(unique_id("base"), nsid);
	return 0;
}
