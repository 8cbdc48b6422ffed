/*
 * The container's cgroup on the host, as runc's cgroupfs driver makes it: linux.cgroupsPath
 * (an absolute path from each hierarchy's root; a relative one, or none (the container's
 * id), under our own cgroup there) is made in every mounted hierarchy (the cgroup v1 ones
 * and the v2 one: hybrid hosts have both, pure v2 hosts only the second), and
 * linux.resources are written there. The container's process joins it before it starts
 * the gofer and the sentry, so every host process of the container is in it and is
 * counted there (what `docker stats` and `podman stats` read); `update` writes new values,
 * `pause` freezes the v2 one (cgroup.freeze) and `delete` removes what `create` made. The
 * sentry's own accounting (--memory, --pids, the CPUs) stays the first fence.
 *
 * The record of a container's cgroups (state.json's "cgroups") is an array of
 * {"path": DIR, "controllers": "cpu,cpuacct" (v1) or "" (v2), "made": bool}.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sentry/oci.h"
#include "sentry/sentry.h"

#define MAX_HIER 24
/* pids.max on the host is the limit plus room for the sandbox's own tasks, which the
 * container's pids cgroup also counts: the CLI, the start waiter, the gofer, the sentry,
 * the exec listener and one stub of the sentry's beside the guests' (6 before `start`),
 * and as many again to spare. The guests' own limit stays exact: the sentry's --pids. */
#define OCI_CG_PIDS_OWN 12

/* One mounted hierarchy and our own cgroup in it. */
struct hier {
	char mnt[PATH_MAX];
	char ctl[256];          /* /proc/self/cgroup's controller field ("" for v2) */
	char own[PATH_MAX];     /* our cgroup, from the hierarchy's root */
};

static bool
has_item(const char *list, const char *item, char sep)
{
	size_t len = strlen(item);

	for (const char *p = list; (p = strstr(p, item)); p += len)
		if ((p == list || p[-1] == sep) && (p[len] == sep || !p[len]))
			return true;
	return false;
}

/* The cgroup mount of a /proc/self/cgroup line: v2 (ctl "") or the v1 mount whose super
 * options name every controller of ctl. Copies its mount point and root; false if none. */
static bool
find_mount(const char *ctl, char *mnt, char *root)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096];
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		char *sep = strstr(line, " - "), fstype[32], opts[1024], c[256];
		if (!sep || sscanf(sep + 3, "%31s %*s %1023s", fstype, opts) != 2)
			continue;
		if (!*ctl ? strcmp(fstype, "cgroup2") : strcmp(fstype, "cgroup"))
			continue;
		if (sscanf(line, "%*s %*s %*s %4095s %4095s", root, mnt) != 2 || strchr(mnt, '\\'))
			continue;
		found = true;
		snprintf(c, sizeof(c), "%s", ctl);
		for (char *save, *w = strtok_r(c, ",", &save); w && found; w = strtok_r(NULL, ",", &save))
			found = has_item(opts, w, ',');
	}
	fclose(f);
	return found;
}

/* The hierarchies of this host we are in (/proc/self/cgroup, each found in mountinfo). */
static int
hierarchies(struct hier *h, int max)
{
	FILE *f = fopen("/proc/self/cgroup", "re");
	char line[PATH_MAX + 300], root[PATH_MAX];
	int n = 0;

	if (!f)
		return -errno;
	while (n < max && fgets(line, sizeof(line), f)) {
		char *a = strchr(line, ':'), *b = a ? strchr(a + 1, ':') : NULL;
		if (!b)
			continue;
		*b = '\0';
		b[1 + strcspn(b + 1, "\n")] = '\0';
		if (strlen(a + 1) >= sizeof(h[n].ctl) || !find_mount(a + 1, h[n].mnt, root))
			continue;
		snprintf(h[n].ctl, sizeof(h[n].ctl), "%s", a + 1);
		/* our path is from the mount's root when the mount is of a part of the tree */
		size_t rl = strlen(root);
		const char *own = b + 1;
		if (strcmp(root, "/") && !strncmp(own, root, rl) && (!own[rl] || own[rl] == '/'))
			own += rl;
		snprintf(h[n].own, sizeof(h[n].own), "%s", *own ? own : "/");
		n++;
	}
	fclose(f);
	return n;
}

/* systemd's slice name to its path: "a-b.slice" is /a.slice/a-b.slice, "-.slice" the root. */
static int
expand_slice(const char *slice, char *out, size_t n)
{
	size_t len = strlen(slice);

	out[0] = '\0';
	if (!strcmp(slice, "-.slice"))
		return 0;
	if (len <= 6 || len > 200 || strcmp(slice + len - 6, ".slice") || strchr(slice, '/') ||
	    slice[0] == '-' || strstr(slice, "--") || slice[len - 7] == '-')
		return -1;
	for (size_t i = 0; i <= len - 6; i++) {
		if (i < len - 6 && slice[i] != '-')
			continue;
		size_t used = strlen(out);
		if ((size_t)snprintf(out + used, n - used, "/%.*s.slice", (int)i, slice) >= n - used)
			return -1;
	}
	return 0;
}

/* The container's path in each hierarchy (absolute: from the root; relative: under our
 * own cgroup), from cgroupsPath as runc reads it. 0, or -1 with a reason. */
static int
inner_path(const char *cgpath, const char *id, char *out, size_t n, char *err, size_t errlen)
{
	char buf[PATH_MAX];

	if (oci_g.systemd_cgroup) {
		/* "slice:prefix:name" (runc's systemd driver), made here as plain directories:
		 * only where systemd is not running, which would own that tree */
		char slice[256] = "system.slice", prefix[128] = "runc", name[256], unit[400];
		snprintf(name, sizeof(name), "%s", id);
		if (cgpath && *cgpath) {
			const char *a = strchr(cgpath, ':'), *b = a ? strchr(a + 1, ':') : NULL;
			if (!b || strchr(b + 1, ':') || a - cgpath >= 256 || b - a > 128 ||
			    strlen(b + 1) >= sizeof(name) || !b[1]) {
				snprintf(err, errlen, "linux.cgroupsPath '%.64s': expected "
					 "slice:prefix:name with --systemd-cgroup", cgpath);
				return -1;
			}
			snprintf(slice, sizeof(slice), "%.*s", (int)(a - cgpath), cgpath);
			snprintf(prefix, sizeof(prefix), "%.*s", (int)(b - a - 1), a + 1);
			snprintf(name, sizeof(name), "%s", b + 1);
			if (!*slice)
				snprintf(slice, sizeof(slice), "system.slice");
		}
		if (access("/run/systemd/system", F_OK) == 0) {
			snprintf(err, errlen, "--systemd-cgroup: systemd runs this host; making its "
				 "units through D-Bus is not supported (use the cgroupfs driver)");
			return -1;
		}
		size_t nl = strlen(name);
		if (nl > 6 && !strcmp(name + nl - 6, ".slice"))
			snprintf(unit, sizeof(unit), "%s", name);
		else
			snprintf(unit, sizeof(unit), "%s%s%s.scope", prefix, *prefix ? "-" : "", name);
		if (expand_slice(slice, buf, sizeof(buf)) < 0 || strchr(unit, '/')) {
			snprintf(err, errlen, "linux.cgroupsPath '%.64s': not a systemd slice and unit",
				 cgpath);
			return -1;
		}
		size_t used = strlen(buf);
		snprintf(buf + used, sizeof(buf) - used, "/%s", unit);
	} else if (snprintf(buf, sizeof(buf), "%s", cgpath && *cgpath ? cgpath : id) >=
		   (int)sizeof(buf) - 1) {
		snprintf(err, errlen, "linux.cgroupsPath: too long");
		return -1;
	}
	/* cleaned: no "." or ".." component (a way out of the tree), no empty one */
	size_t o = 0;
	bool abs = buf[0] == '/';
	for (char *save, *w = strtok_r(buf, "/", &save); w; w = strtok_r(NULL, "/", &save)) {
		if (!strcmp(w, ".") || !strcmp(w, "..") || strchr(w, '\n')) {
			snprintf(err, errlen, "linux.cgroupsPath '%.64s': '.' and '..' are not allowed",
				 cgpath);
			return -1;
		}
		o += snprintf(out + o, n - o, "%s%s", o || abs ? "/" : "", w);
		if (o >= n - 1) {
			snprintf(err, errlen, "linux.cgroupsPath: too long");
			return -1;
		}
	}
	if (!o) {
		snprintf(err, errlen, "linux.cgroupsPath '%.64s': the root cgroup is not a "
			 "container's", cgpath);
		return -1;
	}
	return 0;
}

/* ---- linux.resources ---- */

/* What of linux.resources the host cgroup gets (0: not set; -1: unlimited). */
struct res {
	long long mem_limit, mem_swap, mem_reservation;
	long long pids_limit;
	long long cpu_shares, cpu_quota, cpu_period;
	const char *cpus, *mems;
};

static int
res_int(json_t *obj, const char *key, const char *where, long long lo, long long hi,
	long long *out, char *err, size_t errlen)
{
	json_t *v = json_object_get(obj, key);

	*out = 0;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi) {
		snprintf(err, errlen, "linux.resources.%s.%s: expected an integer from %lld to %lld",
			 where, key, lo, hi);
		return -1;
	}
	*out = json_integer_value(v);
	return 0;
}

static int
res_list(json_t *obj, const char *key, const char **out, char *err, size_t errlen)
{
	json_t *v = json_object_get(obj, key);
	const char *s = json_string_value(v);

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!s || strlen(s) > 256 || strspn(s, "0123456789,-") != strlen(s)) {
		snprintf(err, errlen, "linux.resources.cpu.%s: expected a list such as 0-2,5", key);
		return -1;
	}
	*out = *s ? s : NULL;
	return 0;
}

/* Reads (and checks) the parts of a linux.resources object the host cgroup applies. */
static int
res_parse(json_t *r, struct res *out, char *err, size_t errlen)
{
	json_t *mem = json_object_get(r, "memory"), *cpu = json_object_get(r, "cpu");
	json_t *pids = json_object_get(r, "pids");
	const long long big = 1LL << 60;

	memset(out, 0, sizeof(*out));
	if ((r && !json_is_object(r)) || (mem && !json_is_object(mem)) ||
	    (cpu && !json_is_object(cpu)) || (pids && !json_is_object(pids))) {
		snprintf(err, errlen, "linux.resources: memory, cpu and pids must be objects");
		return -1;
	}
	if (res_int(mem, "limit", "memory", -1, big, &out->mem_limit, err, errlen) ||
	    res_int(mem, "swap", "memory", -1, big, &out->mem_swap, err, errlen) ||
	    res_int(mem, "reservation", "memory", -1, big, &out->mem_reservation, err, errlen) ||
	    res_int(pids, "limit", "pids", LLONG_MIN / 2, big, &out->pids_limit, err, errlen) ||
	    res_int(cpu, "shares", "cpu", 0, 1LL << 32, &out->cpu_shares, err, errlen) ||
	    res_int(cpu, "quota", "cpu", -1, big, &out->cpu_quota, err, errlen) ||
	    res_int(cpu, "period", "cpu", 0, big, &out->cpu_period, err, errlen) ||
	    res_list(cpu, "cpus", &out->cpus, err, errlen) ||
	    res_list(cpu, "mems", &out->mems, err, errlen))
		return -1;
	if (out->mem_limit > 0 && out->mem_swap > 0 && out->mem_swap < out->mem_limit) {
		snprintf(err, errlen, "linux.resources.memory.swap (%lld) is below the limit (%lld): "
			 "it counts memory and swap together", out->mem_swap, out->mem_limit);
		return -1;
	}
	return 0;
}

int
oci_cg_check(json_t *resources, char *err, size_t errlen)
{
	struct res r;

	return res_parse(resources, &r, err, errlen);
}

static bool
res_any(const struct res *r)
{
	return r->mem_limit || r->mem_swap || r->mem_reservation || r->pids_limit ||
	       r->cpu_shares || r->cpu_quota || r->cpu_period || r->cpus || r->mems;
}

/* The directory of the hierarchy with controller ctl: a v1 one that has it, else the v2
 * one if its cgroup.controllers lists it. NULL: none here. */
static const char *
ctl_dir(json_t *cgs, const char *ctl)
{
	const char *v2 = NULL, *path, *c;
	char file[PATH_MAX + 32], buf[512];
	size_t i;
	json_t *e;

	json_array_foreach(cgs, i, e) {
		path = json_string_value(json_object_get(e, "path"));
		c = json_string_value(json_object_get(e, "controllers"));
		if (!path || !c)
			continue;
		if (*c && has_item(c, ctl, ','))
			return path;
		if (!*c)
			v2 = path;
	}
	if (!v2)
		return NULL;
	snprintf(file, sizeof(file), "%s/cgroup.controllers", v2);
	return read_small(file, buf, sizeof(buf)) > 0 && has_item(strtok(buf, "\n"), ctl, ' ')
	       ? v2 : NULL;
}

static const char *
field(json_t *e, const char *key)
{
	return json_string_value(json_object_get(e, key));
}

static bool
is_v2(json_t *cgs, const char *dir)
{
	size_t i;
	json_t *e;

	json_array_foreach(cgs, i, e)
		if (field(e, "path") && !strcmp(field(e, "path"), dir))
			return field(e, "controllers") && !*field(e, "controllers");
	return false;
}

/* Writes DIR/FILE; on failure a reason in err and -errno. */
static int
knob(const char *dir, const char *file, const char *val, char *err, size_t errlen)
{
	char path[PATH_MAX + 64];
	int e;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if ((e = write_small(path, val)) == 0)
		return 0;
	snprintf(err, errlen, "%s: writing '%s': %s", path, val, strerror(-e));
	return e;
}

static int
knob_num(const char *dir, const char *file, long long v, const char *unlimited, char *err,
	 size_t errlen)
{
	char num[32];

	if (v < 0)
		return knob(dir, file, unlimited, err, errlen);
	snprintf(num, sizeof(num), "%lld", v);
	return knob(dir, file, num, err, errlen);
}

static int
no_ctl(const char *ctl, char *err, size_t errlen)
{
	snprintf(err, errlen, "linux.resources: this host has no %s cgroup controller for the "
		 "container", ctl);
	return -1;
}

/* memory: v1 counts memory and swap together (memsw), v2 swap alone; the two limits are
 * set in the order the kernel accepts (memsw may never be below the memory limit). */
static int
apply_memory(json_t *cgs, const struct res *r, char *err, size_t errlen)
{
	const char *d = ctl_dir(cgs, "memory");
	long long swap = r->mem_swap;
	char path[PATH_MAX + 64], cur[64];

	if (!r->mem_limit && !r->mem_swap && !r->mem_reservation)
		return 0;
	if (!d)
		return no_ctl("memory", err, errlen);
	if (r->mem_limit == -1 && !swap)
		swap = -1; /* runc: no memory limit means no swap limit */
	if (is_v2(cgs, d)) {
		if (r->mem_limit && knob_num(d, "memory.max", r->mem_limit, "max", err, errlen))
			return -1;
		if (swap && r->mem_limit <= 0 && swap != -1) {
			snprintf(err, errlen, "linux.resources.memory.swap needs a memory limit");
			return -1;
		}
		if (swap && knob_num(d, "memory.swap.max", swap < 0 ? -1 : swap - r->mem_limit,
				     "max", err, errlen))
			return -1;
		return r->mem_reservation ? knob_num(d, "memory.low", r->mem_reservation, "max", err,
						     errlen) : 0;
	}
	snprintf(path, sizeof(path), "%s/memory.limit_in_bytes", d);
	long long now = read_small(path, cur, sizeof(cur)) > 0 ? strtoll(cur, NULL, 10) : 0;
	bool swap_first = swap && (swap == -1 || now < swap);
	if (swap_first && knob_num(d, "memory.memsw.limit_in_bytes", swap, "-1", err, errlen))
		return -1;
	if (r->mem_limit && knob_num(d, "memory.limit_in_bytes", r->mem_limit, "-1", err, errlen))
		return -1;
	if (swap && !swap_first &&
	    knob_num(d, "memory.memsw.limit_in_bytes", swap, "-1", err, errlen))
		return -1;
	return r->mem_reservation ? knob_num(d, "memory.soft_limit_in_bytes", r->mem_reservation,
					     "-1", err, errlen) : 0;
}

/* cpu: v1 shares and CFS quota; v2 cpu.weight (runc's mapping of shares 2..262144 onto
 * 1..10000) and cpu.max. */
static int
apply_cpu(json_t *cgs, const struct res *r, char *err, size_t errlen)
{
	const char *d = ctl_dir(cgs, "cpu");
	char val[64];

	if (!r->cpu_shares && !r->cpu_quota && !r->cpu_period)
		return 0;
	if (!d)
		return no_ctl("cpu", err, errlen);
	if (!is_v2(cgs, d)) {
		if (r->cpu_shares && knob_num(d, "cpu.shares", r->cpu_shares, "", err, errlen))
			return -1;
		/* A shorter period under the old quota may pass the parent's ratio (EINVAL):
		 * then the new quota first, and the period again (runc's order too). */
		int e = r->cpu_period ? knob_num(d, "cpu.cfs_period_us", r->cpu_period, "", err,
						  errlen) : 0;
		bool again = e == -EINVAL && r->cpu_quota;
		if (e && !again)
			return -1;
		return (r->cpu_quota && knob_num(d, "cpu.cfs_quota_us", r->cpu_quota, "-1", err, errlen)) ||
		       (again && knob_num(d, "cpu.cfs_period_us", r->cpu_period, "", err, errlen))
		       ? -1 : 0;
	}
	if (r->cpu_shares) {
		long long s = MIN(MAX(r->cpu_shares, 2), 262144);
		if (knob_num(d, "cpu.weight", 1 + ((s - 2) * 9999) / 262142, "", err, errlen))
			return -1;
	}
	if (!r->cpu_quota && !r->cpu_period)
		return 0;
	if (r->cpu_quota > 0)
		snprintf(val, sizeof(val), "%lld %lld", r->cpu_quota, r->cpu_period ? r->cpu_period : 100000);
	else
		snprintf(val, sizeof(val), "max %lld", r->cpu_period ? r->cpu_period : 100000);
	return knob(d, "cpu.max", val, err, errlen);
}

static int
apply_res(json_t *cgs, const struct res *r, char *err, size_t errlen)
{
	const char *d;

	if (apply_memory(cgs, r, err, errlen) || apply_cpu(cgs, r, err, errlen))
		return -1;
	if (r->pids_limit) {
		if (!(d = ctl_dir(cgs, "pids")))
			return no_ctl("pids", err, errlen);
		/* the guests' count is the sentry's (--pids); here its own tasks count too */
		long long max = r->pids_limit > 0 ? r->pids_limit + OCI_CG_PIDS_OWN : -1;
		if (knob_num(d, "pids.max", max, "max", err, errlen))
			return -1;
	}
	if (r->cpus || r->mems) {
		if (!(d = ctl_dir(cgs, "cpuset")))
			return no_ctl("cpuset", err, errlen);
		if ((r->mems && knob(d, "cpuset.mems", r->mems, err, errlen)) ||
		    (r->cpus && knob(d, "cpuset.cpus", r->cpus, err, errlen)))
			return -1;
	}
	return 0;
}

int
oci_cg_apply(json_t *cgs, json_t *resources, char *err, size_t errlen)
{
	struct res r;

	if (res_parse(resources, &r, err, errlen))
		return -1;
	return apply_res(cgs, &r, err, errlen);
}

/* ---- create, join, remove ---- */

/* A new v1 cpuset cgroup has no CPUs and no memory nodes (no task may join it): its
 * parent's, as runc gives it. */
static void
cpuset_inherit(const char *dir)
{
	char parent[PATH_MAX], path[PATH_MAX + 32], val[4096];

	snprintf(parent, sizeof(parent), "%s", dir);
	*strrchr(parent, '/') = '\0';
	for (int i = 0; i < 2; i++) {
		const char *f = i ? "cpuset.mems" : "cpuset.cpus";
		snprintf(path, sizeof(path), "%s/%s", parent, f);
		if (read_small(path, val, sizeof(val)) <= 0)
			continue;
		char own[8];
		snprintf(path, sizeof(path), "%s/%s", dir, f);
		if (read_small(path, own, sizeof(own)) > 0 && own[0] != '\n')
			continue;
		write_small(path, val);
	}
}

/* v2: the controllers of a parent are its children's only once in its subtree_control
 * (runc enables every one it may; a parent with processes of its own refuses, and what
 * needs that controller then fails). */
static void
v2_enable(const char *parent)
{
	char path[PATH_MAX + 32], avail[512], word[40];

	snprintf(path, sizeof(path), "%s/cgroup.controllers", parent);
	if (read_small(path, avail, sizeof(avail)) <= 0)
		return;
	snprintf(path, sizeof(path), "%s/cgroup.subtree_control", parent);
	for (char *save, *w = strtok_r(avail, " \n", &save); w; w = strtok_r(NULL, " \n", &save)) {
		snprintf(word, sizeof(word), "+%s", w);
		write_small(path, word);
	}
}

/* mkdir -p of mnt + inner, each new level set up; *made: the last one is new. */
static int
make_dirs(const char *mnt, const char *inner, bool v2, bool cpuset, bool *made)
{
	char dir[PATH_MAX];
	size_t len = strlen(mnt);

	if (len + strlen(inner) >= sizeof(dir))
		return -ENAMETOOLONG;
	memcpy(dir, mnt, len);
	memcpy(dir + len, inner, strlen(inner) + 1);
	for (char *p = dir + len + 1;; p++) {
		if ((p = strchr(p, '/')))
			*p = '\0';
		if (v2) {
			char parent[PATH_MAX];
			snprintf(parent, sizeof(parent), "%s", dir);
			*strrchr(parent, '/') = '\0';
			v2_enable(parent);
		}
		*made = mkdir(dir, 0755) == 0;
		if (!*made && errno != EEXIST)
			return -errno;
		/* an empty cpuset (a new one, or a parent made without one, as a pod's
		 * may be) takes its parent's: a task cannot join a cgroup without CPUs */
		if (cpuset)
			cpuset_inherit(dir);
		if (!p)
			break;
		*p = '/';
	}
	return 0;
}

void
oci_cg_remove(json_t *cgs)
{
	size_t i;
	json_t *e;

	json_array_foreach(cgs, i, e) {
		const char *path = json_string_value(json_object_get(e, "path"));
		if (!path || !json_is_true(json_object_get(e, "made")))
			continue;
		/* the container's last processes may still be leaving; one that stayed (it was
		 * made for the container: all in it is the container's) is killed, as runc does,
		 * and the dying get up to 3 s (a loaded machine's exits are slow) */
		for (int k = 0; k < 300 && rmdir(path) < 0 && errno == EBUSY; k++) {
			char procs[PATH_MAX + 16], list[4096];
			snprintf(procs, sizeof(procs), "%s/cgroup.procs", path);
			if (k % 50 == 49 && read_small(procs, list, sizeof(list)) > 0)
				for (char *sv, *w = strtok_r(list, "\n", &sv); w; w = strtok_r(NULL, "\n", &sv))
					if (atoi(w) > 0)
						kill(atoi(w), SIGKILL);
			usleep(10000);
		}
	}
}

/* An existing cgroup the container would join: as runc, a frozen one is refused (the
 * container's processes would stop as they joined it) and one with processes in it is
 * shared, with a warning. */
static int
check_existing(const char *dir, bool v2, const char *ctl, char *err, size_t errlen)
{
	char path[PATH_MAX * 4], buf[64];
	static bool warned;

	snprintf(path, sizeof(path), "%s/%s", dir, v2 ? "cgroup.freeze" : "freezer.state");
	if ((v2 || has_item(ctl, "freezer", ',')) && read_small(path, buf, sizeof(buf)) > 0 &&
	    (v2 ? buf[0] == '1' : strncmp(buf, "THAWED", 6) != 0)) {
		snprintf(err, errlen, "container's cgroup unexpectedly frozen (%s)", dir);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	if (!warned && read_small(path, buf, sizeof(buf)) > 0 && buf[0] >= '0' && buf[0] <= '9') {
		char msg[PATH_MAX * 4];
		snprintf(msg, sizeof(msg), "container's cgroup is not empty (%s): it is shared", dir);
		oci_notice(msg);
		warned = true;
	}
	return 0;
}

json_t *
oci_cg_create(const char *cgpath, const char *id, json_t *resources, char *err, size_t errlen)
{
	struct hier h[MAX_HIER];
	char inner[PATH_MAX], dir[PATH_MAX * 2 + 2];
	struct res r;
	json_t *cgs = json_array();
	int n;

	if (res_parse(resources, &r, err, errlen) ||
	    inner_path(cgpath, id, inner, sizeof(inner), err, errlen))
		goto fail;
	bool needed = (cgpath && *cgpath) || res_any(&r);
	if ((n = hierarchies(h, MAX_HIER)) <= 0) {
		snprintf(err, errlen, "no cgroup hierarchy is mounted here");
		goto fail_soft;
	}
	for (int i = 0; i < n; i++) {
		bool made = false;
		bool v2 = !h[i].ctl[0];
		if (inner[0] == '/')
			snprintf(dir, sizeof(dir), "%s", inner);
		else
			snprintf(dir, sizeof(dir), "%s/%s", strcmp(h[i].own, "/") ? h[i].own : "", inner);
		int e = make_dirs(h[i].mnt, dir, v2, has_item(h[i].ctl, "cpuset", ','), &made);
		if (e) {
			snprintf(err, errlen, "cgroup %s%s: %s", h[i].mnt, dir, strerror(-e));
			goto fail_soft;
		}
		char full[sizeof(dir) + PATH_MAX];
		snprintf(full, sizeof(full), "%s%s", h[i].mnt, dir);
		if (!made && check_existing(full, v2, h[i].ctl, err, errlen)) {
			oci_cg_remove(cgs);
			goto fail;
		}
		json_array_append_new(cgs, json_pack("{s:s, s:s, s:b}", "path", full,
						     "controllers", h[i].ctl, "made", made));
	}
	if (apply_res(cgs, &r, err, errlen))
		goto fail_soft;
	return cgs;
fail_soft:
	oci_cg_remove(cgs);
	if (!needed) {
		/* nothing asked for one (no path, no resources): the container goes on in ours */
		char msg[1200];
		snprintf(msg, sizeof(msg), "no cgroup of its own for the container: %s", err);
		oci_warn(msg);
		json_array_clear(cgs);
		return cgs;
	}
fail:
	json_decref(cgs);
	return NULL;
}

int
oci_cg_join(json_t *cgs, pid_t pid)
{
	char path[PATH_MAX + 32], num[32];
	size_t i;
	json_t *e;

	snprintf(num, sizeof(num), "%d", (int)pid);
	json_array_foreach(cgs, i, e) {
		const char *dir = json_string_value(json_object_get(e, "path"));
		if (!dir)
			return -EINVAL;
		snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
		int err = write_small(path, num);
		if (err)
			return err;
	}
	return 0;
}

const char *
oci_cg_v2_dir(json_t *cgs)
{
	size_t i;
	json_t *e;

	json_array_foreach(cgs, i, e)
		if (field(e, "controllers") && !*field(e, "controllers"))
			return field(e, "path");
	return NULL;
}

/* ---- events: the cgroups' figures as runc's `events` gives them ---- */

/* The number DIR/FILE holds ("max": max), or -1. */
static long long
num_file(const char *dir, const char *file, long long max)
{
	char path[PATH_MAX + 64], buf[64];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (read_small(path, buf, sizeof(buf)) <= 0)
		return -1;
	if (!strncmp(buf, "max", 3))
		return max;
	return strtoll(buf, NULL, 10);
}

/* The value of KEY in a "key value" file (cpu.stat, memory.events...), or -1. */
static long long
keyed_file(const char *dir, const char *file, const char *key)
{
	char path[PATH_MAX + 64], buf[4096];
	size_t len = strlen(key);

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (read_small(path, buf, sizeof(buf)) <= 0)
		return -1;
	for (char *l = strtok(buf, "\n"); l; l = strtok(NULL, "\n"))
		if (!strncmp(l, key, len) && l[len] == ' ')
			return strtoll(l + len + 1, NULL, 10);
	return -1;
}

static void
put_num(json_t *o, const char *key, long long v, bool omit_zero)
{
	if (v > 0 || (!omit_zero && v == 0))
		json_object_set_new(o, key, json_integer(v));
}

json_t *
oci_cg_stats(json_t *cgs)
{
	const long long unlimited = OCI_CG_UNLIMITED;
	const char *cpu = ctl_dir(cgs, "cpuacct"), *mem = ctl_dir(cgs, "memory");
	const char *pids = ctl_dir(cgs, "pids"), *v2 = oci_cg_v2_dir(cgs);
	json_t *data = json_object(), *c = json_object(), *usage = json_object();
	json_t *m = json_object(), *mu = json_object(), *p = json_object();
	long long total = -1, user = -1, sys = -1;

	if (cpu && !is_v2(cgs, cpu)) {
		long hz = sysconf(_SC_CLK_TCK);
		total = num_file(cpu, "cpuacct.usage", 0);
		user = keyed_file(cpu, "cpuacct.stat", "user");
		sys = keyed_file(cpu, "cpuacct.stat", "system");
		user = user < 0 ? -1 : user * (1000000000LL / (hz > 0 ? hz : 100));
		sys = sys < 0 ? -1 : sys * (1000000000LL / (hz > 0 ? hz : 100));
	} else if (v2) { /* cpu.stat is a core file in v2 */
		total = keyed_file(v2, "cpu.stat", "usage_usec");
		user = keyed_file(v2, "cpu.stat", "user_usec");
		sys = keyed_file(v2, "cpu.stat", "system_usec");
		total = total < 0 ? -1 : total * 1000;
		user = user < 0 ? -1 : user * 1000;
		sys = sys < 0 ? -1 : sys * 1000;
	}
	put_num(usage, "total", total, true);
	put_num(usage, "kernel", sys < 0 ? 0 : sys, false);
	put_num(usage, "user", user < 0 ? 0 : user, false);
	json_object_set_new(c, "usage", usage);
	json_object_set_new(c, "throttling", json_object());
	if (mem && !is_v2(cgs, mem)) {
		put_num(mu, "limit", num_file(mem, "memory.limit_in_bytes", unlimited), false);
		put_num(mu, "usage", num_file(mem, "memory.usage_in_bytes", 0), true);
		put_num(mu, "max", num_file(mem, "memory.max_usage_in_bytes", 0), true);
		put_num(mu, "failcnt", num_file(mem, "memory.failcnt", 0), false);
	} else if (mem) {
		long long lim = num_file(mem, "memory.max", unlimited), ev = keyed_file(mem, "memory.events", "max");
		if (lim == unlimited)
			json_object_set_new(mu, "limit", json_integer(unlimited));
		else
			put_num(mu, "limit", lim, false);
		put_num(mu, "usage", num_file(mem, "memory.current", 0), true);
		put_num(mu, "max", num_file(mem, "memory.peak", 0), true);
		put_num(mu, "failcnt", ev < 0 ? 0 : ev, false);
	}
	if (json_object_size(mu))
		json_object_set_new(m, "usage", mu);
	else
		json_decref(mu);
	if (pids) {
		put_num(p, "current", num_file(pids, "pids.current", 0), true);
		put_num(p, "limit", num_file(pids, "pids.max", 0), true);
	}
	json_object_set_new(data, "cpu", c);
	json_object_set_new(data, "cpuset", json_object());
	json_object_set_new(data, "memory", m);
	json_object_set_new(data, "pids", p);
	json_object_set_new(data, "blkio", json_object());
	json_object_set_new(data, "hugetlb", json_object());
	json_object_set_new(data, "intel_rdt", json_object());
	json_object_set_new(data, "network_interfaces", json_null());
	return data;
}

long long
oci_cg_memory_limit(json_t *cgs)
{
	const char *mem = ctl_dir(cgs, "memory");

	if (!mem)
		return -1;
	long long v = is_v2(cgs, mem) ? num_file(mem, "memory.max", -1)
				      : num_file(mem, "memory.limit_in_bytes", -1);
	/* v1's "unlimited" is the largest page multiple of a long */
	return v > 0 && v < (1LL << 60) ? v : -1;
}

int
oci_cg_oom_notify_fd(json_t *cgs)
{
	const char *mem = ctl_dir(cgs, "memory");
	char path[PATH_MAX + 64];

	if (!mem)
		return -1;
	if (is_v2(cgs, mem)) {
		/* v2: memory.events is modified at every event it counts */
		int fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
		snprintf(path, sizeof(path), "%s/memory.events", mem);
		if (fd >= 0 && inotify_add_watch(fd, path, IN_MODIFY) < 0) {
			close(fd);
			fd = -1;
		}
		return fd;
	}
	/* v1: an eventfd registered for memory.oom_control through cgroup.event_control */
	int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	snprintf(path, sizeof(path), "%s/memory.oom_control", mem);
	_cleanup_close_ int ofd = open(path, O_RDONLY | O_CLOEXEC);
	snprintf(path, sizeof(path), "%s/cgroup.event_control", mem);
	_cleanup_close_ int cfd = open(path, O_WRONLY | O_CLOEXEC);
	char line[32];
	int n = snprintf(line, sizeof(line), "%d %d", efd, ofd);
	if (efd >= 0 && (ofd < 0 || cfd < 0 || write(cfd, line, n) != n)) {
		close(efd);
		efd = -1;
	}
	return efd;
}

long long
oci_cg_oom_kills(json_t *cgs)
{
	const char *mem = ctl_dir(cgs, "memory");

	if (!mem)
		return -1;
	return is_v2(cgs, mem) ? keyed_file(mem, "memory.events", "oom_kill")
			       : keyed_file(mem, "memory.oom_control", "oom_kill");
}
