/*
 * Seccomp profiles (CLI side): `sandbox run --seccomp FILE` and an OCI container's
 * linux.seccomp, made into one classic BPF program with libseccomp, which the sentry
 * attaches to the first program as if it had installed the filter itself (and to the
 * container's `exec` processes): inside, the calls it refuses fail or kill as under runc,
 * /proc/PID/status shows the filter, and a program may add its own on top.
 *
 * The format is the OCI runtime spec's LinuxSeccomp object (defaultAction, defaultErrnoRet,
 * architectures, flags, syscalls: names, action, errnoRet, args) and also the profile files
 * docker and podman read (/usr/share/containers/seccomp.json), whose rules may carry
 * "includes" and "excludes" of capabilities, architectures and kernel versions: those are
 * decided here as those engines decide them, against the program's capability bounding
 * set, amd64, and the host kernel's version.
 *
 * As runc builds it: names libseccomp does not know are skipped (a profile written for a
 * newer kernel still loads), a rule whose action is the default's is left out, conditions
 * on one argument given twice become one rule each, and when the default refuses, a call
 * numbered above every call the profile names fails with ENOSYS (so a C library falls back
 * from a call newer than the profile, e.g. clone3, instead of taking the default's error
 * as final; only when the profile lists x86-64 among its architectures, as runc's rule).
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "sentry/seccomp_profile.h"
#include "sentry/sentry.h"

#define MAX_RULES 4096 /* syscalls entries, and names in one entry */
#define MAX_PROG 4096   /* BPF_MAXINSNS: what seccomp(2) takes */

struct prof {
	char *err;
	size_t errlen;
	uint64_t caps;     /* the program's bounding set ("includes"/"excludes" caps) */
	unsigned kver[3];  /* the host kernel's version (minKernel) */
	int max_nr;        /* the highest call number a rule names */
};

static int __attribute__((format(printf, 2, 3)))
fail(struct prof *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->err, p->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* An action name with its errno (errnoRet, or EPERM as runc gives ERRNO and TRACE without
 * one); *act gets libseccomp's value. */
static int
parse_action(struct prof *p, const char *name, json_t *errno_ret, const char *where,
	     uint32_t *act)
{
	json_int_t e = EPERM;

	if (errno_ret) {
		if (!json_is_integer(errno_ret) || json_integer_value(errno_ret) < 0 ||
		    json_integer_value(errno_ret) > 0xffff)
			return fail(p, "%s: errnoRet: expected a number from 0 to 65535", where);
		e = json_integer_value(errno_ret);
	}
	if (!name)
		return fail(p, "%s: expected an action name", where);
	if (!strcmp(name, "SCMP_ACT_ALLOW"))
		*act = SCMP_ACT_ALLOW;
	else if (!strcmp(name, "SCMP_ACT_ERRNO"))
		*act = SCMP_ACT_ERRNO((uint32_t)e);
	else if (!strcmp(name, "SCMP_ACT_KILL") || !strcmp(name, "SCMP_ACT_KILL_THREAD"))
		*act = SCMP_ACT_KILL_THREAD;
	else if (!strcmp(name, "SCMP_ACT_KILL_PROCESS"))
		*act = SCMP_ACT_KILL_PROCESS;
	else if (!strcmp(name, "SCMP_ACT_TRAP"))
		*act = SCMP_ACT_TRAP;
	else if (!strcmp(name, "SCMP_ACT_TRACE"))
		*act = SCMP_ACT_TRACE((uint32_t)e);
	else if (!strcmp(name, "SCMP_ACT_LOG"))
		*act = SCMP_ACT_LOG;
	else if (!strcmp(name, "SCMP_ACT_NOTIFY"))
		return fail(p, "%s: SCMP_ACT_NOTIFY needs a seccomp agent (listenerPath), "
			    "which this runtime does not support", where);
	else
		return fail(p, "%s: unknown action '%.40s'", where, name);
	return 0;
}

/* "4.8" against the host's version: true if the host is at least that. */
static int
kernel_at_least(struct prof *p, json_t *v, const char *where, bool *yes)
{
	const char *s = json_string_value(v);
	unsigned want[3] = { 0, 0, 0 };

	if (!s || sscanf(s, "%u.%u.%u", &want[0], &want[1], &want[2]) < 2)
		return fail(p, "%s: minKernel: expected a version such as \"4.8\"", where);
	*yes = true;
	for (int i = 0; i < 3; i++)
		if (p->kver[i] != want[i]) {
			*yes = p->kver[i] > want[i];
			break;
		}
	return 0;
}

static bool
string_in(json_t *arr, const char *s)
{
	size_t i;
	json_t *v;

	json_array_foreach(arr, i, v)
		if (json_is_string(v) && !strcmp(json_string_value(v), s))
			return true;
	return false;
}

/* A docker profile's "includes" (include: all must hold) or "excludes" (any excludes) of
 * one rule; *applies becomes false if the rule is not for this program. */
static int
judge(struct prof *p, json_t *obj, bool include, const char *where, bool *applies)
{
	json_t *arches, *caps, *mk, *v;
	size_t i;

	if (!obj)
		return 0;
	if (!json_is_object(obj))
		return fail(p, "%s: expected an object", where);
	arches = json_object_get(obj, "arches");
	caps = json_object_get(obj, "caps");
	mk = json_object_get(obj, "minKernel");
	if ((arches && !json_is_array(arches)) || (caps && !json_is_array(caps)))
		return fail(p, "%s: arches and caps are arrays of strings", where);
	if (arches && json_array_size(arches)) {
		bool ours = string_in(arches, "amd64") || string_in(arches, "x86_64");
		if (include ? !ours : ours)
			*applies = false;
	}
	json_array_foreach(caps, i, v) {
		int c = json_is_string(v) ? cap_by_name(json_string_value(v)) : -1;
		bool have = c >= 0 && (p->caps >> c) & 1;
		if (include ? !have : have)
			*applies = false;
	}
	if (mk && !json_is_null(mk)) {
		bool at_least;
		if (kernel_at_least(p, mk, where, &at_least))
			return -1;
		if (include ? !at_least : at_least)
			*applies = false;
	}
	return 0;
}

static int
parse_cond(struct prof *p, json_t *a, const char *where, struct scmp_arg_cmp *c)
{
	static const struct { const char *name; enum scmp_compare op; } ops[] = {
		{ "SCMP_CMP_NE", SCMP_CMP_NE }, { "SCMP_CMP_LT", SCMP_CMP_LT },
		{ "SCMP_CMP_LE", SCMP_CMP_LE }, { "SCMP_CMP_EQ", SCMP_CMP_EQ },
		{ "SCMP_CMP_GE", SCMP_CMP_GE }, { "SCMP_CMP_GT", SCMP_CMP_GT },
		{ "SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ },
	};
	json_t *idx = json_object_get(a, "index"), *val = json_object_get(a, "value");
	json_t *val2 = json_object_get(a, "valueTwo");
	const char *op = json_string_value(json_object_get(a, "op"));
	size_t k;

	if (!json_is_object(a) || !json_is_integer(idx) || json_integer_value(idx) < 0 ||
	    json_integer_value(idx) > 5)
		return fail(p, "%s: args: index must be 0 to 5", where);
	if ((val && !json_is_integer(val)) || (val2 && !json_is_integer(val2)))
		return fail(p, "%s: args: value and valueTwo are numbers", where);
	for (k = 0; k < ARRAY_SIZE(ops); k++)
		if (op && !strcmp(op, ops[k].name))
			break;
	if (k == ARRAY_SIZE(ops))
		return fail(p, "%s: args: unknown op '%.40s'", where, op ? op : "");
	c->arg = (unsigned)json_integer_value(idx);
	c->op = ops[k].op;
	c->datum_a = (scmp_datum_t)(val ? json_integer_value(val) : 0);
	c->datum_b = (scmp_datum_t)(val2 ? json_integer_value(val2) : 0);
	return 0;
}

/* One entry of "syscalls" into ctx. */
static int
add_entry(struct prof *p, scmp_filter_ctx ctx, uint32_t def, json_t *e, size_t n)
{
	char where[48];
	json_t *names, *args, *v;
	struct scmp_arg_cmp conds[6];
	unsigned nconds = 0, per_arg[6] = { 0 };
	bool applies = true, split = false;
	uint32_t act;
	size_t i;

	snprintf(where, sizeof(where), "syscalls[%zu]", n);
	if (!json_is_object(e))
		return fail(p, "%s: expected an object", where);
	names = json_object_get(e, "names");
	if (!names && json_is_string(json_object_get(e, "name"))) /* docker's older form */
		names = json_object_get(e, "name");
	if (!names || (!json_is_array(names) && !json_is_string(names)) ||
	    (json_is_array(names) && json_array_size(names) > MAX_RULES))
		return fail(p, "%s: names: expected an array of system call names", where);
	if (judge(p, json_object_get(e, "includes"), true, where, &applies) ||
	    judge(p, json_object_get(e, "excludes"), false, where, &applies))
		return -1;
	if (parse_action(p, json_string_value(json_object_get(e, "action")),
			 json_object_get(e, "errnoRet"), where, &act))
		return -1;
	args = json_object_get(e, "args");
	if (args && !json_is_null(args)) {
		if (!json_is_array(args) || json_array_size(args) > 6)
			return fail(p, "%s: args: at most 6 conditions", where);
		json_array_foreach(args, i, v) {
			if (parse_cond(p, v, where, &conds[nconds]))
				return -1;
			if (++per_arg[conds[nconds].arg] > 1)
				split = true;
			nconds++;
		}
	}
	if (!applies || act == def)
		return 0;
	json_t *list = json_is_array(names) ? names : NULL;
	size_t count = list ? json_array_size(list) : 1;
	for (i = 0; i < count; i++) {
		json_t *nm = list ? json_array_get(list, i) : names;
		if (!json_is_string(nm))
			return fail(p, "%s: names: expected strings", where);
		int nr = seccomp_syscall_resolve_name(json_string_value(nm));
		if (nr == __NR_SCMP_ERROR || nr < 0)
			continue; /* unknown here, or not a call of x86-64 */
		if (nr > p->max_nr)
			p->max_nr = nr;
		int err = 0;
		if (split) /* runc's rule: conditions on one argument twice are each a rule */
			for (unsigned c = 0; c < nconds && !err; c++)
				err = seccomp_rule_add_array(ctx, act, nr, 1, &conds[c]);
		else
			err = seccomp_rule_add_array(ctx, act, nr, nconds, conds);
		if (err)
			return fail(p, "%s: %s: %s", where, json_string_value(nm), strerror(-err));
	}
	return 0;
}

static int
check_flags(struct prof *p, json_t *flags)
{
	static const char *const known[] = {
		"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
		"SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
	};
	size_t i, k;
	json_t *v;

	if (!flags || json_is_null(flags))
		return 0;
	if (!json_is_array(flags))
		return fail(p, "flags: expected an array");
	json_array_foreach(flags, i, v) {
		for (k = 0; k < ARRAY_SIZE(known); k++)
			if (json_is_string(v) && !strcmp(json_string_value(v), known[k]))
				break;
		if (k == ARRAY_SIZE(known))
			return fail(p, "flags: unknown flag %.60s",
				    json_is_string(v) ? json_string_value(v) : "(not a string)");
	}
	return 0;
}

/* The program libseccomp made for ctx, read back from a memory file. */
static int
export(struct prof *p, scmp_filter_ctx ctx, struct sock_fprog *out)
{
	int fd = memfd_create("seccomp-profile", MFD_CLOEXEC), err;
	off_t size;

	if (fd < 0)
		return fail(p, "memfd_create: %s", strerror(errno));
	err = seccomp_export_bpf(ctx, fd);
	size = lseek(fd, 0, SEEK_END);
	if (err || size <= 0 || size % sizeof(struct sock_filter)) {
		close(fd);
		return fail(p, "making the filter failed: %s", strerror(err ? -err : EINVAL));
	}
	size_t n = (size_t)size / sizeof(struct sock_filter);
	/* room for the ENOSYS head (below) */
	struct sock_filter *f = xcalloc(n + 5, sizeof(*f));
	if (pread(fd, f + 5, (size_t)size, 0) != size) {
		close(fd);
		free(f);
		return fail(p, "reading the filter back: %s", strerror(errno));
	}
	close(fd);
	if (n + 5 > MAX_PROG) {
		free(f);
		return fail(p, "the profile makes a filter of %zu instructions, more than "
			    "the kernel's %d", n, MAX_PROG);
	}
	out->filter = f;
	out->len = (unsigned short)(n + 5);
	return 0;
}

/* Whether the profile names x86-64 among its architectures (runc adds the ENOSYS rule for
 * those only): "architectures", or a docker profile's "archMap". */
static bool
lists_x86_64(json_t *j)
{
	json_t *arches = json_object_get(j, "architectures"), *m;
	size_t i;

	if (string_in(arches, "SCMP_ARCH_X86_64") || string_in(arches, "SCMP_ARCH_NATIVE"))
		return true;
	json_array_foreach(json_object_get(j, "archMap"), i, m)
		if (json_is_object(m) &&
		    json_is_string(json_object_get(m, "architecture")) &&
		    !strcmp(json_string_value(json_object_get(m, "architecture")), "SCMP_ARCH_X86_64"))
			return true;
	return false;
}

int
seccomp_profile_build(json_t *j, uint64_t caps, struct sock_fprog *prog, char *err,
		      size_t errlen)
{
	struct prof p = { .err = err, .errlen = errlen, .caps = caps, .max_nr = -1 };
	struct utsname un;
	uint32_t def;
	json_t *calls, *e, *arches;
	size_t i;

	memset(prog, 0, sizeof(*prog));
	if (!json_is_object(j))
		return fail(&p, "expected a JSON object");
	if (uname(&un) == 0)
		sscanf(un.release, "%u.%u.%u", &p.kver[0], &p.kver[1], &p.kver[2]);
	if (json_is_string(json_object_get(j, "listenerPath")) &&
	    json_string_length(json_object_get(j, "listenerPath")))
		return fail(&p, "listenerPath: seccomp agents are not supported");
	if (parse_action(&p, json_string_value(json_object_get(j, "defaultAction")),
			 json_object_get(j, "defaultErrnoRet"), "defaultAction", &def))
		return -1;
	arches = json_object_get(j, "architectures");
	if (arches && !json_is_null(arches) && !json_is_array(arches))
		return fail(&p, "architectures: expected an array");
	if (check_flags(&p, json_object_get(j, "flags")))
		return -1;
	calls = json_object_get(j, "syscalls");
	if (calls && !json_is_null(calls) &&
	    (!json_is_array(calls) || json_array_size(calls) > MAX_RULES))
		return fail(&p, "syscalls: expected an array (at most %d entries)", MAX_RULES);

	scmp_filter_ctx ctx = seccomp_init(def);
	if (!ctx)
		return fail(&p, "defaultAction: not accepted by libseccomp");
	int r = 0;
	json_array_foreach(calls, i, e)
		if ((r = add_entry(&p, ctx, def, e, i)))
			break;
	if (!r)
		r = export(&p, ctx, prog);
	seccomp_release(ctx);
	if (r)
		return -1;

	/* The ENOSYS head: calls above the profile's highest, when the default refuses. Else
	 * the head only jumps over itself. */
	struct sock_filter *h = prog->filter;
	bool refuses = def != SCMP_ACT_ALLOW && def != SCMP_ACT_LOG &&
		       def != SCMP_ACT_ERRNO(ENOSYS) && p.max_nr >= 0 && lists_x86_64(j);
	h[0] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
	h[1] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 3);
	h[2] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	h[3] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K,
					    refuses ? (uint32_t)p.max_nr : 0xffffffffU, 0, 1);
	h[4] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
	return 0;
}

int
seccomp_profile_load(const char *path, uint64_t caps, struct sock_fprog *prog, char *err,
		     size_t errlen)
{
	json_error_t je;
	json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &je);

	if (!j) {
		snprintf(err, errlen, "%s: %s (line %d)", path, je.text, je.line);
		return -1;
	}
	int r = seccomp_profile_build(j, caps, prog, err, errlen);
	json_decref(j);
	return r;
}
