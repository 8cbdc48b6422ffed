/*
 * config.json of an OCI bundle (runtime-spec config.md) into the options of `sandbox run`:
 * process (args, env, cwd, user, terminal, rlimits), root (path, readonly), hostname,
 * mounts, linux.resources (memory, pids), linux.namespaces. The file is untrusted: every
 * field's type and size is checked, and a bad one is a one-line error before anything is
 * created. What is accepted but not applied becomes a warning (the caller logs it).
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <linux/capability.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sentry/mountopt.h"
#include "sentry/oci.h"
#include "sentry/seccomp_profile.h"
#include "sentry/sentry.h"

#define CONFIG_MAX_BYTES (4 << 20)
#define MAX_ARGS 4096
#define MAX_ENV 4096
#define MAX_MOUNTS 256
#define MAX_STRING 65536
#define NR_OPEN_MAX 1048576   /* Linux's default fs.nr_open: RLIMIT_NOFILE past it is EPERM */

struct cfg {
	struct oci_config *c;
	char *err;
	size_t errlen;
	char bundle[PATH_MAX];    /* the resolved bundle directory */
};

static int __attribute__((format(printf, 2, 3)))
fail(struct cfg *g, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(g->err, g->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static void __attribute__((format(printf, 2, 3)))
warn(struct cfg *g, const char *fmt, ...)
{
	struct oci_config *c = g->c;
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	c->warnings = realloc(c->warnings, (c->nwarnings + 1) * sizeof(char *));
	if (!c->warnings)
		die(EXIT_SETUP, "out of memory");
	c->warnings[c->nwarnings++] = xstrdup(msg);
}

static void
push(struct oci_config *c, const char *s)
{
	c->argv = realloc(c->argv, (c->argc + 2) * sizeof(char *));
	if (!c->argv)
		die(EXIT_SETUP, "out of memory");
	c->argv[c->argc++] = xstrdup(s);
	c->argv[c->argc] = NULL;
}

static void
push2(struct oci_config *c, const char *opt, const char *val)
{
	push(c, opt);
	push(c, val);
}

static void
push_num(struct oci_config *c, const char *opt, long long v)
{
	char num[32];

	snprintf(num, sizeof(num), "%lld", v);
	push2(c, opt, num);
}

/* A member of obj that must be of the given kind when present; NULL when absent. */
static int
member(struct cfg *g, json_t *obj, const char *key, const char *where, json_type type,
       json_t **out)
{
	static const char *const names[] = { [JSON_OBJECT] = "an object", [JSON_ARRAY] = "an array",
		[JSON_STRING] = "a string", [JSON_INTEGER] = "an integer", [JSON_REAL] = "a number",
		[JSON_TRUE] = "a boolean", [JSON_FALSE] = "a boolean", [JSON_NULL] = "null" };
	json_t *v = obj ? json_object_get(obj, key) : NULL;

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	bool ok = type == JSON_TRUE ? json_is_boolean(v) : json_typeof(v) == type;
	if (!ok)
		return fail(g, "%s%s: expected %s", where, key, names[type]);
	if (type == JSON_STRING && strlen(json_string_value(v)) > MAX_STRING)
		return fail(g, "%s%s: too long", where, key);
	*out = v;
	return 0;
}

static int
get_string(struct cfg *g, json_t *obj, const char *key, const char *where, const char **out)
{
	json_t *v;

	*out = NULL;
	if (member(g, obj, key, where, JSON_STRING, &v))
		return -1;
	if (v)
		*out = json_string_value(v);
	return 0;
}

/* An integer in [min, max] (absent: *out unchanged, *present false). */
static int
get_int(struct cfg *g, json_t *obj, const char *key, const char *where, long long min,
	long long max, long long *out, bool *present)
{
	json_t *v;

	if (present)
		*present = false;
	if (member(g, obj, key, where, JSON_INTEGER, &v))
		return -1;
	if (!v)
		return 0;
	long long n = json_integer_value(v);
	if (n < min || n > max)
		return fail(g, "%s%s: %lld is out of range (%lld to %lld)", where, key, n, min, max);
	*out = n;
	if (present)
		*present = true;
	return 0;
}

/* path, relative to the bundle unless absolute, resolved; relative ones must stay in it. */
static int
bundle_path(struct cfg *g, const char *what, const char *path, char *out)
{
	char full[PATH_MAX * 2];

	if (!*path)
		return fail(g, "%s: empty path", what);
	if (path[0] == '/')
		snprintf(full, sizeof(full), "%s", path);
	else
		snprintf(full, sizeof(full), "%s/%s", g->bundle, path);
	if (strlen(full) >= PATH_MAX)
		return fail(g, "%s: path too long", what);
	if (!realpath(full, out))
		return fail(g, "%s: %s: %s", what, path, strerror(errno));
	size_t n = strlen(g->bundle);
	if (path[0] != '/' && !(strncmp(out, g->bundle, n) == 0 && (out[n] == '/' || out[n] == '\0')))
		return fail(g, "%s: %s leads out of the bundle", what, path);
	if (strchr(out, ':'))
		return fail(g, "%s: %s: paths with ':' are not supported", what, out);
	return 0;
}

static int
load_root(struct cfg *g, json_t *cfg)
{
	json_t *root, *ro;
	const char *path;
	char resolved[PATH_MAX], spec[PATH_MAX + 4];
	struct stat st;

	if (member(g, cfg, "root", "", JSON_OBJECT, &root))
		return -1;
	if (!root)
		return fail(g, "root: missing");
	if (get_string(g, root, "path", "root.", &path) ||
	    member(g, root, "readonly", "root.", JSON_TRUE, &ro))
		return -1;
	if (!path)
		return fail(g, "root.path: missing");
	if (bundle_path(g, "root.path", path, resolved))
		return -1;
	if (stat(resolved, &st) < 0 || !S_ISDIR(st.st_mode))
		return fail(g, "root.path: %s is not a directory", path);
	if (!strcmp(resolved, "/"))
		return fail(g, "root.path: the host's root cannot be a container's root");
	g->c->rootfs = xstrdup(resolved);
	snprintf(spec, sizeof(spec), "%s:/", resolved);
	/* runc: a read-only root refuses writes (EROFS); a writable one is changed in place */
	push2(g->c, ro && json_is_true(ro) ? "--ro" : "--rw", spec);
	return 0;
}

static int
load_strings(struct cfg *g, json_t *arr, const char *what, size_t max)
{
	size_t i;
	json_t *v;

	if (json_array_size(arr) > max)
		return fail(g, "%s: more than %zu entries", what, max);
	json_array_foreach(arr, i, v) {
		if (!json_is_string(v) || strlen(json_string_value(v)) > MAX_STRING)
			return fail(g, "%s[%zu]: expected a string (at most %d bytes)", what, i,
				    MAX_STRING);
	}
	return 0;
}

static const char *const rlimit_names[RLIM_NLIMITS] = {
	[RLIMIT_CPU] = "RLIMIT_CPU", [RLIMIT_FSIZE] = "RLIMIT_FSIZE", [RLIMIT_DATA] = "RLIMIT_DATA",
	[RLIMIT_STACK] = "RLIMIT_STACK", [RLIMIT_CORE] = "RLIMIT_CORE", [RLIMIT_RSS] = "RLIMIT_RSS",
	[RLIMIT_NPROC] = "RLIMIT_NPROC", [RLIMIT_NOFILE] = "RLIMIT_NOFILE",
	[RLIMIT_MEMLOCK] = "RLIMIT_MEMLOCK", [RLIMIT_AS] = "RLIMIT_AS", [RLIMIT_LOCKS] = "RLIMIT_LOCKS",
	[RLIMIT_SIGPENDING] = "RLIMIT_SIGPENDING", [RLIMIT_MSGQUEUE] = "RLIMIT_MSGQUEUE",
	[RLIMIT_NICE] = "RLIMIT_NICE", [RLIMIT_RTPRIO] = "RLIMIT_RTPRIO", [RLIMIT_RTTIME] = "RLIMIT_RTTIME",
};

/* A limit value: a non-negative integer, or one too big for jansson's integers (a real
 * at least 2^63, e.g. RLIM_INFINITY written as 18446744073709551615) = unlimited. */
static int
rlimit_value(struct cfg *g, json_t *l, const char *key, size_t i, rlim_t *out)
{
	json_t *v = json_object_get(l, key);

	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		*out = (rlim_t)json_integer_value(v);
		return 0;
	}
	if (json_is_real(v) && json_real_value(v) >= 9.2e18) {
		*out = RLIM_INFINITY;
		return 0;
	}
	return fail(g, "process.rlimits[%zu].%s: expected a non-negative integer", i, key);
}

static int
load_rlimits(struct cfg *g, json_t *arr, struct oci_process *p)
{
	size_t i;
	json_t *l;

	if (json_array_size(arr) > 64)
		return fail(g, "process.rlimits: too many entries");
	json_array_foreach(arr, i, l) {
		const char *type = json_string_value(json_object_get(l, "type"));
		struct rlimit rl;
		int r;

		if (!json_is_object(l) || !type)
			return fail(g, "process.rlimits[%zu]: expected {\"type\", \"hard\", \"soft\"}", i);
		for (r = 0; r < RLIM_NLIMITS; r++)
			if (rlimit_names[r] && !strcmp(rlimit_names[r], type))
				break;
		if (r == RLIM_NLIMITS)
			return fail(g, "process.rlimits[%zu]: unknown type '%.64s'", i, type);
		if (rlimit_value(g, l, "hard", i, &rl.rlim_max) ||
		    rlimit_value(g, l, "soft", i, &rl.rlim_cur))
			return -1;
		if (rl.rlim_cur > rl.rlim_max)
			return fail(g, "process.rlimits[%zu]: %s soft limit above the hard one", i, type);
		if (r == RLIMIT_NOFILE && rl.rlim_max > NR_OPEN_MAX)
			return fail(g, "process.rlimits[%zu]: RLIMIT_NOFILE above %d", i, NR_OPEN_MAX);
		p->have_rlim[r] = true;
		p->rlim[r] = rl;
	}
	return 0;
}

static int
load_user(struct cfg *g, json_t *user, struct oci_process *p)
{
	long long uid = 0, gid = 0, umask = -1;
	json_t *groups, *v;
	size_t i;

	if (get_int(g, user, "uid", "process.user.", 0, 0xfffffffe, &uid, NULL) ||
	    get_int(g, user, "gid", "process.user.", 0, 0xfffffffe, &gid, NULL) ||
	    get_int(g, user, "umask", "process.user.", 0, 07777, &umask, NULL) ||
	    member(g, user, "additionalGids", "process.user.", JSON_ARRAY, &groups))
		return -1;
	p->uid = (uid_t)uid;
	p->gid = (gid_t)gid;
	p->umask = umask < 0 ? (mode_t)-1 : (mode_t)umask;
	if (json_array_size(groups) > OCI_MAX_GROUPS)
		return fail(g, "process.user.additionalGids: more than %d", OCI_MAX_GROUPS);
	json_array_foreach(groups, i, v) {
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > 0xfffffffe)
			return fail(g, "process.user.additionalGids[%zu]: expected a group id", i);
		p->groups[p->ngroups++] = (gid_t)json_integer_value(v);
	}
	return 0;
}

/* A checked array of strings, copied NULL-ended. */
static char **
copy_strings(json_t *arr, int *n)
{
	char **v = xcalloc(json_array_size(arr) + 1, sizeof(char *));
	size_t i;
	json_t *s;

	json_array_foreach(arr, i, s)
		v[i] = xstrdup(json_string_value(s));
	*n = (int)json_array_size(arr);
	return v;
}

/* process.capabilities: each set an array of "CAP_..." names; a missing set is empty, as
 * runc takes it; a name this kernel ABI does not know is skipped with a warning (runc's
 * way, so configs written for newer kernels still run). */
static int
load_caps(struct cfg *g, json_t *obj, struct oci_process *p)
{
	static const char *const sets[OCI_CAP_SETS] = { "bounding", "effective", "inheritable",
							"permitted", "ambient" };
	json_t *arr, *v;
	size_t i;

	p->have_caps = true;
	for (int s = 0; s < OCI_CAP_SETS; s++) {
		if (member(g, obj, sets[s], "process.capabilities.", JSON_ARRAY, &arr) ||
		    (arr && load_strings(g, arr, "process.capabilities", 64)))
			return -1;
		json_array_foreach(arr, i, v) {
			const char *name = json_string_value(v);
			int c = cap_by_name(name);

			if (c < 0) {
				warn(g, "process.capabilities.%s: unknown capability '%.40s' skipped",
				     sets[s], name);
				continue;
			}
			p->caps[s] |= 1ULL << c;
		}
	}
	return 0;
}

/* The process object obj into p: the checks of create and exec alike. */
static int
parse_process(struct cfg *g, json_t *obj, struct oci_process *p)
{
	json_t *args, *env, *user, *term, *size, *rl, *caps, *v;
	const char *cwd;
	size_t i;

	memset(p, 0, sizeof(*p));
	p->umask = (mode_t)-1;
	if (member(g, obj, "args", "process.", JSON_ARRAY, &args) ||
	    member(g, obj, "env", "process.", JSON_ARRAY, &env) ||
	    member(g, obj, "user", "process.", JSON_OBJECT, &user) ||
	    member(g, obj, "terminal", "process.", JSON_TRUE, &term) ||
	    member(g, obj, "consoleSize", "process.", JSON_OBJECT, &size) ||
	    member(g, obj, "rlimits", "process.", JSON_ARRAY, &rl) ||
	    member(g, obj, "capabilities", "process.", JSON_OBJECT, &caps) ||
	    get_string(g, obj, "cwd", "process.", &cwd))
		return -1;
	if (!args || !json_array_size(args))
		return fail(g, "process.args: expected a non-empty array of strings");
	if (load_strings(g, args, "process.args", MAX_ARGS))
		return -1;
	if (!*json_string_value(json_array_get(args, 0)))
		return fail(g, "process.args[0]: empty");
	if (!cwd || cwd[0] != '/')
		return fail(g, "process.cwd: expected an absolute path");
	if (env && load_strings(g, env, "process.env", MAX_ENV))
		return -1;
	long long rows = 0, cols = 0, adj = 0;
	if (get_int(g, size, "height", "process.consoleSize.", 0, 65535, &rows, NULL) ||
	    get_int(g, size, "width", "process.consoleSize.", 0, 65535, &cols, NULL) ||
	    get_int(g, obj, "oomScoreAdj", "process.", -1000, 1000, &adj, &p->have_oom_adj))
		return -1;
	p->oom_adj = (int)adj;
	p->console_rows = (unsigned short)rows;
	p->console_cols = (unsigned short)cols;
	json_array_foreach(env, i, v) {
		const char *kv = json_string_value(v);
		if (!strchr(kv, '=') || kv[0] == '=')
			return fail(g, "process.env[%zu]: expected NAME=VALUE", i);
	}
	if (load_user(g, user, p) || (rl && load_rlimits(g, rl, p)) ||
	    (caps && load_caps(g, caps, p)))
		return -1;
	/* no process.capabilities: no capabilities at all, as runc gives (root included) */
	p->have_caps = true;
	p->terminal = term && json_is_true(term);
	p->args = copy_strings(args, &p->nargs);
	p->env = copy_strings(env, &p->nenv);
	p->cwd = xstrdup(cwd);
	return 0;
}

static int
load_process(struct cfg *g, json_t *cfg)
{
	struct oci_config *c = g->c;
	struct oci_process *p = &c->proc;
	json_t *obj;

	if (member(g, cfg, "process", "", JSON_OBJECT, &obj))
		return -1;
	if (!obj)
		return fail(g, "process: missing (a container needs a process to run)");
	if (parse_process(g, obj, p))
		return -1;
	push(c, "--clearenv");
	for (int i = 0; i < p->nenv; i++)
		push2(c, "--env", p->env[i]);
	push2(c, "--cwd", p->cwd);
	push_num(c, "--uid", p->uid);
	push_num(c, "--gid", p->gid);
	c->run.umask = p->umask;
	c->run.have_oom_adj = p->have_oom_adj;
	c->run.oom_adj = p->oom_adj;
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2] = { 0 };
	c->run.oom_adj_min = syscall(SYS_capget, &h, d) == 0 &&
			     (d[CAP_SYS_RESOURCE / 32].effective >> (CAP_SYS_RESOURCE % 32) & 1);
	c->run.have_groups = true;
	c->run.ngroups = p->ngroups;
	memcpy(c->run.groups, p->groups, sizeof(p->groups));
	memcpy(c->run.have_rlim, p->have_rlim, sizeof(p->have_rlim));
	memcpy(c->run.rlim, p->rlim, sizeof(p->rlim));
	c->run.have_caps = p->have_caps;
	memcpy(c->run.caps, p->caps, sizeof(p->caps));
	if (json_object_get(obj, "apparmorProfile") || json_object_get(obj, "selinuxLabel"))
		warn(g, "process.apparmorProfile, selinuxLabel: not applied (the sentry's own policy "
			"confines the container)");
	/* the first process's arguments come last, after "--" (oci_config_load adds them) */
	return 0;
}

/* A tmpfs mount's options as --tmpfs takes them (size=, nr_inodes=, mode=, uid=, gid=, ro,
 * noexec, nosuid, comma-separated; "" for none); the others are ignored (nodev always
 * holds; a size as a share of memory is not offered). */
static void
tmpfs_options(json_t *opts, char *out, size_t n)
{
	static const char *const flags[] = { "ro", "noexec", "nosuid" };
	static const char *const keyed[] = { "size=", "nr_inodes=", "mode=", "uid=", "gid=" };
	size_t i, len = 0;
	json_t *v;

	*out = '\0';
	json_array_foreach(opts, i, v) {
		const char *o = json_string_value(v);
		bool take = false;

		for (size_t k = 0; o && k < ARRAY_SIZE(flags); k++)
			take |= !strcmp(o, flags[k]);
		for (size_t k = 0; o && k < ARRAY_SIZE(keyed); k++)
			take |= !strncmp(o, keyed[k], strlen(keyed[k])) && o[strlen(keyed[k])] &&
				!strchr(o, '%') && !strchr(o, ',') && !strchr(o, ':');
		if (take && len + strlen(o) + 2 < n)
			len += (size_t)snprintf(out + len, n - len, "%s%s", len ? "," : "", o);
	}
}

static bool
has_option(json_t *opts, const char *name)
{
	size_t i;
	json_t *v;

	json_array_foreach(opts, i, v)
		if (json_is_string(v) && !strcmp(json_string_value(v), name))
			return true;
	return false;
}

static bool
under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return !strncmp(path, dir, n) && (path[n] == '\0' || path[n] == '/');
}

static bool
has_dotdot(const char *path)
{
	for (const char *p = path; *p; p += strcspn(p, "/")) {
		p += strspn(p, "/");
		if (p[0] == '.' && p[1] == '.' && (p[2] == '/' || p[2] == '\0'))
			return true;
	}
	return false;
}

/* The devpts mount's mode=, ptmxmode=, uid=, gid= and max= become the sentry's /dev/pts's
 * (docker's and runc's spec: gid=5,mode=620,ptmxmode=666: terminals of the tty group, as
 * runc's tty tests see them); its flags (nosuid, noexec, newinstance) are the sentry's
 * anyway. */
static int
devpts_options(struct cfg *g, json_t *opts)
{
	static const char *const keys[] = { "mode=", "ptmxmode=", "uid=", "gid=", "max=" };
	char data[256] = "";
	size_t i, n = 0;
	json_t *v;

	json_array_foreach(opts, i, v) {
		const char *o = json_string_value(v);
		for (size_t k = 0; o && k < ARRAY_SIZE(keys); k++) {
			size_t kl = strlen(keys[k]);
			if (strncmp(o, keys[k], kl))
				continue;
			if (!o[kl] || strspn(o + kl, "0123456789") != strlen(o + kl) ||
			    strlen(o + kl) > 10)
				return fail(g, "mounts[]: devpts option '%.64s': expected a number", o);
			if (n + strlen(o) + 2 > sizeof(data))
				return fail(g, "mounts[]: too many devpts options");
			n += (size_t)snprintf(data + n, sizeof(data) - n, "%s%s", n ? "," : "", o);
		}
	}
	if (n)
		push2(g->c, "--devpts", data);
	return 0;
}

static int
load_mount(struct cfg *g, json_t *m, size_t i)
{
	char where[48], spec[PATH_MAX * 2 + 40], src[PATH_MAX], size[256];
	const char *dest, *type, *source;
	json_t *opts;
	struct stat st;

	snprintf(where, sizeof(where), "mounts[%zu].", i);
	if (!json_is_object(m))
		return fail(g, "mounts[%zu]: expected an object", i);
	if (get_string(g, m, "destination", where, &dest) || get_string(g, m, "type", where, &type) ||
	    get_string(g, m, "source", where, &source) ||
	    member(g, m, "options", where, JSON_ARRAY, &opts) ||
	    (opts && load_strings(g, opts, "mounts[].options", 256)))
		return -1;
	if (!dest || dest[0] != '/')
		return fail(g, "%sdestination: expected an absolute path", where);
	if (strlen(dest) >= PATH_MAX || has_dotdot(dest))
		return fail(g, "%sdestination: %.200s: not a plain absolute path", where, dest);
	if (strchr(dest, ':'))
		return fail(g, "%sdestination: paths with ':' are not supported", where);
	type = type ? type : "";
	bool bind = !strcmp(type, "bind") || has_option(opts, "bind") || has_option(opts, "rbind");
	/* /proc, /dev (with pts, shm, mqueue) and /sys are the sentry's own */
	if (!strcmp(dest, "/dev/pts") && !strcmp(type, "devpts") && !bind)
		return devpts_options(g, opts);
	if (under(dest, "/proc") || under(dest, "/dev") || under(dest, "/sys")) {
		/* (runc's "ro /dev mount": the sentry's /dev made read-only) */
		if (!strcmp(dest, "/dev") && !bind && has_option(opts, "ro"))
			push2(g->c, "--ro-path", "/dev");
		if (bind || (strcmp(dest, "/proc") && strcmp(dest, "/dev") && strcmp(dest, "/sys") &&
			     strcmp(dest, "/dev/pts") && strcmp(dest, "/dev/shm") &&
			     strcmp(dest, "/dev/mqueue") && strcmp(dest, "/sys/fs/cgroup")))
			warn(g, "%s %s at %s: not applied (the sandbox's own /proc, /dev and /sys)",
			     where, bind ? "bind mount" : type, dest);
		return 0;
	}
	if (bind) {
		if (!source)
			return fail(g, "%ssource: missing for a bind mount", where);
		if (bundle_path(g, "mounts[].source", source, src))
			return -1;
		if (stat(src, &st) < 0)
			return fail(g, "%ssource: %s: %s", where, source, strerror(errno));
		if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) {
			warn(g, "%s bind mount of %s at %s: not applied (only directories and "
				"regular files)", where, src, dest);
			return 0;
		}
		snprintf(spec, sizeof(spec), "%s:%s", src, dest);
		/* rro (recursively read-only, runc >= 1.1) is read-only too: a --ro is,
		 * submounts of the source included */
		push2(g->c, has_option(opts, "ro") || has_option(opts, "rro") ? "--ro" : "--rw",
		      spec);
		return 0;
	}
	if (!strcmp(type, "tmpfs")) {
		tmpfs_options(opts, size, sizeof(size));
		snprintf(spec, sizeof(spec), "%s%s%s", dest, *size ? ":" : "", size);
		push2(g->c, "--tmpfs", spec);
		return 0;
	}
	warn(g, "%s a mount of type '%.32s' at %s: not applied", where, type, dest);
	return 0;
}

static int
load_mounts(struct cfg *g, json_t *cfg)
{
	json_t *mounts, *m;
	size_t i;

	if (member(g, cfg, "mounts", "", JSON_ARRAY, &mounts))
		return -1;
	if (json_array_size(mounts) > MAX_MOUNTS)
		return fail(g, "mounts: more than %d", MAX_MOUNTS);
	json_array_foreach(mounts, i, m)
		if (load_mount(g, m, i))
			return -1;
	return 0;
}

static int
load_namespaces(struct cfg *g, json_t *lnx)
{
	static const char *const known[] = { "pid", "network", "mount", "ipc", "uts", "user",
					     "cgroup", "time" };
	json_t *nss, *ns;
	size_t i, k;
	bool netns = false;
	const char *netns_path = NULL;

	if (member(g, lnx, "namespaces", "linux.", JSON_ARRAY, &nss))
		return -1;
	if (json_array_size(nss) > 16)
		return fail(g, "linux.namespaces: too many entries");
	json_array_foreach(nss, i, ns) {
		const char *type = json_string_value(json_object_get(ns, "type"));
		const char *path = json_string_value(json_object_get(ns, "path"));

		if (!json_is_object(ns) || !type)
			return fail(g, "linux.namespaces[%zu]: expected {\"type\": ...}", i);
		for (k = 0; k < ARRAY_SIZE(known); k++)
			if (!strcmp(type, known[k]))
				break;
		if (k == ARRAY_SIZE(known))
			return fail(g, "linux.namespaces[%zu]: unknown type '%.32s'", i, type);
		if (path && *path && strcmp(type, "network"))
			return fail(g, "linux.namespaces[%zu]: joining an existing %s namespace is "
				    "not supported", i, type);
		if (!strcmp(type, "network")) {
			netns = true;
			netns_path = path && *path ? path : NULL;
		}
	}
	/* The network: the container's namespace (a path: docker's or podman's; none: a new
	 * one, which engines may set up from a hook through the state's pid) is where the
	 * gofer makes the host sockets of the guest's connections (--net host --netns), so
	 * the container reaches what runc's would; no network namespace at all means the
	 * runtime's own network, as runc shares it. Listening sockets stay inside the sandbox
	 * (its own loopback and addresses) in every case. */
	push2(g->c, "--net", "host");
	if (netns)
		push2(g->c, "--netns", netns_path ? netns_path : "new");
	else
		warn(g, "linux.namespaces: no network namespace: connections out go through the "
			"host's network (as --net host); listening stays inside the sandbox");
	return 0;
}

/* linux.sysctl: --sysctl KEY=VALUE each, set in the sandbox's own /proc/sys (docker's
 * net.ipv4.ip_unprivileged_port_start and ping_group_range); the run refuses a key it does
 * not have or a value Linux would refuse, as runc fails the container. */
static int
load_sysctls(struct cfg *g, json_t *lnx)
{
	json_t *sc, *v;
	const char *key;
	char kv[512];

	if (member(g, lnx, "sysctl", "linux.", JSON_OBJECT, &sc))
		return -1;
	if (json_object_size(sc) > 64)
		return fail(g, "linux.sysctl: more than 64 entries");
	json_object_foreach(sc, key, v) {
		if (!json_is_string(v))
			return fail(g, "linux.sysctl.%.64s: expected a string", key);
		if (snprintf(kv, sizeof(kv), "%s=%s", key, json_string_value(v)) >= (int)sizeof(kv))
			return fail(g, "linux.sysctl.%.64s: too long", key);
		push2(g->c, "--sysctl", kv);
	}
	return 0;
}

/* A cpuset list ("0-2,5"), as the kernel's cpulist: into a mask of 1024 CPUs. */
static int
parse_cpus(struct cfg *g, const char *s, unsigned long *mask)
{
	const char *p = s;

	memset(mask, 0, 16 * sizeof(unsigned long));
	while (*p) {
		char *end;
		unsigned long a = strtoul(p, &end, 10), b = a;

		if (end == p || !(*p >= '0' && *p <= '9'))
			return fail(g, "linux.resources.cpu.cpus: '%.64s': expected a list such as 0-2,5", s);
		p = end;
		if (*p == '-') {
			b = strtoul(p + 1, &end, 10);
			if (end == p + 1)
				return fail(g, "linux.resources.cpu.cpus: '%.64s': a range without its end", s);
			p = end;
		}
		if (a > b || b >= 1024)
			return fail(g, "linux.resources.cpu.cpus: '%.64s': CPUs 0 to 1023, ranges in order", s);
		for (unsigned long c = a; c <= b; c++)
			mask[c / 64] |= 1UL << (c % 64);
		if (*p == ',')
			p++;
		else if (*p)
			return fail(g, "linux.resources.cpu.cpus: '%.64s': expected a list such as 0-2,5", s);
	}
	return 0;
}

static int
load_resources(struct cfg *g, json_t *lnx)
{
	json_t *res, *mem, *pids, *cpu;
	long long limit = 0;
	bool have;

	if (member(g, lnx, "resources", "linux.", JSON_OBJECT, &res) ||
	    member(g, res, "memory", "linux.resources.", JSON_OBJECT, &mem) ||
	    member(g, res, "pids", "linux.resources.", JSON_OBJECT, &pids) ||
	    member(g, res, "cpu", "linux.resources.", JSON_OBJECT, &cpu))
		return -1;
	if (get_int(g, mem, "limit", "linux.resources.memory.", -1, 1LL << 50, &limit, &have))
		return -1;
	if (have && limit > 0) {
		if (limit < (1 << 20))
			return fail(g, "linux.resources.memory.limit: %lld is below 1M", limit);
		push_num(g->c, "--memory", limit);
	}
	if (get_int(g, pids, "limit", "linux.resources.pids.", -1, 1000000, &limit, &have))
		return -1;
	if (have && limit > 0)
		push_num(g->c, "--pids", limit);
	const char *cpus = NULL;
	if (get_string(g, cpu, "cpus", "linux.resources.cpu.", &cpus))
		return -1;
	if (cpus && *cpus && parse_cpus(g, cpus, g->c->run.cpus))
		return -1;
	g->c->run.have_cpus = cpus && *cpus;
	/* the host cgroup gets memory (limit, swap, reservation), pids, cpu (shares, quota,
	 * period, cpus, mems): sentry/oci_cgroup.c */
	if (res && oci_cg_check(res, g->err, g->errlen))
		return -1;
	const char *key;
	json_t *v;
	json_object_foreach(cpu, key, v)
		if (strcmp(key, "shares") && strcmp(key, "quota") && strcmp(key, "period") &&
		    strcmp(key, "cpus") && strcmp(key, "mems"))
			warn(g, "linux.resources.cpu.%.32s: not applied", key);
	json_object_foreach(mem, key, v)
		if (strcmp(key, "limit") && strcmp(key, "swap") && strcmp(key, "reservation"))
			warn(g, "linux.resources.memory.%.32s: not applied", key);
	g->c->resources = res ? json_incref(res) : NULL;
	return 0;
}

/* linux.readonlyPaths and linux.maskedPaths: `sandbox run`'s --ro-path and --mask (applied
 * in the sandbox as runc applies them: sentry/main.c apply_masks). */
static int
load_paths(struct cfg *g, json_t *lnx, const char *key, const char *opt)
{
	json_t *arr, *v;
	size_t i;

	if (member(g, lnx, key, "linux.", JSON_ARRAY, &arr))
		return -1;
	if (arr && load_strings(g, arr, key, 256))
		return -1;
	json_array_foreach(arr, i, v) {
		const char *p = json_string_value(v);
		char *norm = mountopt_guest_path(p);
		if (!norm || !strcmp(norm, "/")) {
			free(norm);
			return fail(g, "linux.%s[%zu]: %.200s: expected an absolute path (not / and "
				       "without '..')", key, i, p);
		}
		free(norm);
		push2(g->c, opt, p);
	}
	return 0;
}

static int
load_linux(struct cfg *g, json_t *cfg)
{
	json_t *lnx;

	if (member(g, cfg, "linux", "", JSON_OBJECT, &lnx))
		return -1;
	if (load_namespaces(g, lnx) || load_resources(g, lnx) ||
	    load_paths(g, lnx, "readonlyPaths", "--ro-path") ||
	    load_paths(g, lnx, "maskedPaths", "--mask"))
		return -1;
	const char *cgpath = NULL;
	if (get_string(g, lnx, "cgroupsPath", "linux.", &cgpath))
		return -1;
	g->c->cgroups_path = cgpath ? xstrdup(cgpath) : NULL;
	json_t *sc = json_object_get(lnx, "seccomp");
	if (sc && !json_is_null(sc)) {
		/* made now (so that create fails with the reason), for the process's bounding
		 * set (load_process came first), and kept for the run */
		char why[400];
		if (seccomp_profile_build(sc, g->c->run.caps[OCI_CAP_BND], &g->c->run.seccomp, why,
					  sizeof(why)))
			return fail(g, "linux.seccomp: %s", why);
	}
	return load_sysctls(g, lnx);
}

/* hooks: prestart, createRuntime, createContainer, poststart and poststop run on the host,
 * startContainer inside the container (sentry/oci.c); unknown kinds are refused. */
static int
load_hooks(struct cfg *g, json_t *cfg)
{
	static const char *const host_hooks[] = { "prestart", "createRuntime", "createContainer",
						  "startContainer", "poststart", "poststop" };
	json_t *hooks, *list, *h;
	const char *key;
	size_t i, k;

	if (member(g, cfg, "hooks", "", JSON_OBJECT, &hooks))
		return -1;
	json_object_foreach(hooks, key, list) {
		for (k = 0; k < ARRAY_SIZE(host_hooks); k++)
			if (!strcmp(key, host_hooks[k]))
				break;
		if (!json_is_array(list) || json_array_size(list) > 64)
			return fail(g, "hooks.%.32s: expected an array", key);
		if (k == ARRAY_SIZE(host_hooks) && json_array_size(list))
			return fail(g, "hooks.%.32s: not a kind of hook (prestart, createRuntime, "
				    "createContainer, startContainer, poststart, poststop)", key);
		json_array_foreach(list, i, h) {
			json_t *args = json_object_get(h, "args"), *env = json_object_get(h, "env");
			json_t *timeout = json_object_get(h, "timeout");
			const char *path = json_string_value(json_object_get(h, "path"));

			if (!json_is_object(h) || !path || path[0] != '/')
				return fail(g, "hooks.%.32s[%zu].path: expected an absolute path", key, i);
			if ((args && (!json_is_array(args) || load_strings(g, args, "hooks[].args", 4096))) ||
			    (env && (!json_is_array(env) || load_strings(g, env, "hooks[].env", 4096))))
				return fail(g, "hooks.%.32s[%zu]: args and env must be arrays of strings",
					    key, i);
			if (timeout && (!json_is_integer(timeout) || json_integer_value(timeout) <= 0 ||
					json_integer_value(timeout) > 86400))
				return fail(g, "hooks.%.32s[%zu].timeout: expected 1 to 86400 seconds",
					    key, i);
		}
	}
	g->c->json_hooks = hooks ? json_dumps(hooks, JSON_COMPACT) : xstrdup("{}");
	return g->c->json_hooks ? 0 : fail(g, "hooks: cannot encode");
}

static int
load_annotations(struct cfg *g, json_t *cfg)
{
	json_t *ann, *v;
	const char *k;

	if (member(g, cfg, "annotations", "", JSON_OBJECT, &ann))
		return -1;
	json_object_foreach(ann, k, v)
		if (!json_is_string(v))
			return fail(g, "annotations.%.64s: expected a string", k);
	g->c->json_annotations = ann ? json_dumps(ann, JSON_COMPACT) : xstrdup("{}");
	return g->c->json_annotations ? 0 : fail(g, "annotations: cannot encode");
}

/* A JSON object from path (config.json: never through a symbolic link). */
static json_t *
read_json(struct cfg *g, const char *path, bool nofollow)
{
	json_error_t je;
	struct stat st;
	json_t *j;

	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | (nofollow ? O_NOFOLLOW : 0));
	if (fd < 0 || fstat(fd, &st) < 0) {
		fail(g, "%s: %s", path, strerror(errno));
		return NULL;
	}
	/* exec's --process may also be a pipe (runc exec -p /dev/fd/N, a shell's <(...)) */
	bool pipe = !nofollow && S_ISFIFO(st.st_mode);
	if ((!S_ISREG(st.st_mode) && !pipe) || st.st_size > CONFIG_MAX_BYTES) {
		fail(g, "%s: not a regular file of at most %d bytes", path, CONFIG_MAX_BYTES);
		return NULL;
	}
	if (pipe) {
		_cleanup_free_ char *buf = xcalloc(1, CONFIG_MAX_BYTES + 1);
		size_t len = 0;
		ssize_t n = 1;
		while (n > 0 && len <= CONFIG_MAX_BYTES) {
			n = read(fd, buf + len, CONFIG_MAX_BYTES + 1 - len);
			if (n < 0 && errno == EINTR)
				n = 1;
			else if (n > 0)
				len += (size_t)n;
		}
		if (n < 0 || len > CONFIG_MAX_BYTES) {
			if (n < 0)
				fail(g, "%s: %s", path, strerror(errno));
			else
				fail(g, "%s: more than %d bytes", path, CONFIG_MAX_BYTES);
			return NULL;
		}
		j = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	} else {
		j = json_loadfd(fd, JSON_REJECT_DUPLICATES, &je);
	}
	if (!j)
		fail(g, "%s: line %d: %s", path, je.line, je.text);
	else if (!json_is_object(j)) {
		fail(g, "%s: expected a JSON object", path);
		json_decref(j);
		j = NULL;
	}
	return j;
}

int
oci_process_load(const char *path, bool whole, struct oci_process *p, char *err, size_t errlen)
{
	struct cfg g = { .err = err, .errlen = errlen };
	json_t *j = read_json(&g, path, !whole), *obj = j;
	int r = -1;

	memset(p, 0, sizeof(*p));
	if (!j)
		return -1;
	if (!whole && member(&g, j, "process", "", JSON_OBJECT, &obj))
		goto out;
	if (!obj)
		fail(&g, "process: missing (a container needs a process to run)");
	else
		r = parse_process(&g, obj, p);
out:
	json_decref(j);
	return r;
}

void
oci_process_free(struct oci_process *p)
{
	for (int i = 0; p->args && i < p->nargs; i++)
		free(p->args[i]);
	for (int i = 0; p->env && i < p->nenv; i++)
		free(p->env[i]);
	free(p->args);
	free(p->env);
	free(p->cwd);
	memset(p, 0, sizeof(*p));
}

int
oci_config_load(const char *bundle, struct oci_config *c, char *err, size_t errlen)
{
	struct cfg g = { .c = c, .err = err, .errlen = errlen };
	const char *version, *hostname;
	int r = -1;

	memset(c, 0, sizeof(*c));
	c->run.ready_fd = c->run.hold_fd = -1;
	c->run.umask = (mode_t)-1;
	if (!realpath(bundle, g.bundle))
		return fail(&g, "bundle %s: %s", bundle, strerror(errno));
	char path[PATH_MAX + 16];
	snprintf(path, sizeof(path), "%s/config.json", g.bundle);
	json_t *cfg = read_json(&g, path, true);
	if (!cfg)
		return -1;
	push(c, "run");
	if (get_string(&g, cfg, "ociVersion", "", &version) ||
	    get_string(&g, cfg, "hostname", "", &hostname))
		goto out;
	if (!version || strncmp(version, "1.", 2))
		fail(&g, "ociVersion: expected a 1.x version");
	else if (hostname && (strlen(hostname) > 64))
		fail(&g, "hostname: longer than 64 characters");
	else if (!load_root(&g, cfg) && !load_process(&g, cfg) && !load_mounts(&g, cfg) &&
		 !load_linux(&g, cfg) && !load_annotations(&g, cfg) && !load_hooks(&g, cfg))
		r = 0;
	if (!r && hostname && *hostname)
		push2(c, "--hostname", hostname);
	if (!r) {
		push(c, "--");
		for (int i = 0; i < c->proc.nargs; i++)
			push(c, c->proc.args[i]);
	}
out:
	json_decref(cfg);
	return r;
}

char *
oci_default_spec(bool rootless)
{
	const char *masked[] = { "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
				 "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
				 "/proc/sched_debug", "/sys/firmware", "/proc/scsi" };
	const char *ro[] = { "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger" };
	json_t *m = json_array(), *r = json_array(), *caps = json_object();

	/* runc spec's capabilities: these three, in all but the inheritable set */
	static const char *const sets[] = { "bounding", "effective", "permitted", "ambient" };
	for (size_t i = 0; i < ARRAY_SIZE(sets); i++)
		json_object_set_new(caps, sets[i], json_pack("[s, s, s]", "CAP_AUDIT_WRITE",
							      "CAP_KILL", "CAP_NET_BIND_SERVICE"));
	for (size_t i = 0; i < ARRAY_SIZE(masked); i++)
		json_array_append_new(m, json_string(masked[i]));
	for (size_t i = 0; i < ARRAY_SIZE(ro); i++)
		json_array_append_new(r, json_string(ro[i]));
	json_t *spec = json_pack(
		"{s:s, s:{s:b, s:{s:i, s:i}, s:[s], s:[s, s], s:s, s:o, s:[{s:s, s:i, s:i}], s:b},"
		" s:{s:s, s:b}, s:s,"
		" s:[{s:s, s:s, s:s}, {s:s, s:s, s:s, s:[s, s, s, s]},"
		"    {s:s, s:s, s:s, s:[s, s, s, s, s, s]}, {s:s, s:s, s:s, s:[s, s, s, s, s]},"
		"    {s:s, s:s, s:s, s:[s, s, s, s]}],"
		" s:{s:[{s:s}, {s:s}, {s:s}, {s:s}, {s:s}], s:o, s:o}}",
		"ociVersion", "1.0.2",
		"process", "terminal", 1, "user", "uid", 0, "gid", 0, "args", "sh",
		"env", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm",
		"cwd", "/", "capabilities", caps, "rlimits", "type", "RLIMIT_NOFILE", "hard", 1024, "soft", 1024,
		"noNewPrivileges", 1,
		"root", "path", "rootfs", "readonly", 1,
		"hostname", "sandbox",
		"mounts",
		"destination", "/proc", "type", "proc", "source", "proc",
		"destination", "/dev", "type", "tmpfs", "source", "tmpfs",
		"options", "nosuid", "strictatime", "mode=755", "size=65536k",
		"destination", "/dev/pts", "type", "devpts", "source", "devpts",
		"options", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5",
		"destination", "/dev/shm", "type", "tmpfs", "source", "shm",
		"options", "nosuid", "noexec", "nodev", "mode=1777", "size=65536k",
		"destination", "/sys", "type", "sysfs", "source", "sysfs",
		"options", "nosuid", "noexec", "nodev", "ro",
		"linux", "namespaces", "type", "pid", "type", "network", "type", "ipc", "type", "uts",
		"type", "mount", "maskedPaths", m, "readonlyPaths", r);
	if (!spec)
		return NULL;
	/* runc's: every device denied (the sentry's /dev is fixed anyway); a tool that edits
	 * the spec's resources finds the object there */
	json_object_set_new(json_object_get(spec, "linux"), "resources",
			    json_pack("{s:[{s:b, s:s}]}", "devices", "allow", 0, "access", "rwm"));
	if (rootless) {
		json_t *ns = json_object_get(json_object_get(spec, "linux"), "namespaces");
		json_array_append_new(ns, json_pack("{s:s}", "type", "user"));
	}
	char *text = json_dumps(spec, JSON_INDENT(8));
	json_decref(spec);
	return text;
}
