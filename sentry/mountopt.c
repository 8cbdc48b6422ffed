/*
 * --ro HOST[:GUEST], --rw HOST[:GUEST], --tmpfs GUEST[:SIZE]: parsing and the mount plan
 * of a run (the gofer's mount roots and the sentry's VFS layout). Runs in the CLI, before
 * anything starts; a bad spec is a one-line usage error (exit 123).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fs/gofer.h"
#include "fs/vfs.h"
#include "sentry/mountopt.h"
#include "sentry/sentry.h"

static const char *const opt_name[] = { "--ro", "--rw", "--tmpfs" };

static void __attribute__((noreturn, format(printf, 2, 3)))
bad(enum mountopt_kind kind, const char *fmt, ...)
{
	char msg[PATH_MAX + 128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	die(EXIT_USAGE, "%s: %s (see 'sandbox --help')", opt_name[kind], msg);
}

/* "/a//b/./c/" -> "/a/b/c"; NULL for a relative path or a ".." component. */
char *
mountopt_guest_path(const char *p)
{
	size_t n = strlen(p), len = 0;
	char *out;

	if (p[0] != '/' || n >= PATH_MAX)
		return NULL;
	out = xmalloc(n + 2);
	for (const char *s = p; *s;) {
		size_t c;

		while (*s == '/')
			s++;
		c = strcspn(s, "/");
		if (c == 0 || (c == 1 && s[0] == '.')) {
			s += c;
			continue;
		}
		if (c == 2 && s[0] == '.' && s[1] == '.') {
			free(out);
			return NULL;
		}
		if (c > NAME_MAX) {
			free(out);
			return NULL;
		}
		out[len++] = '/';
		memcpy(out + len, s, c);
		len += c;
		s += c;
	}
	if (len == 0)
		out[len++] = '/';
	out[len] = '\0';
	return out;
}

static bool
under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return !strncmp(path, dir, n) && (path[n] == '\0' || path[n] == '/');
}

/* "64M", "512K", "1G", "4096": bytes, or 0 when malformed. */
static unsigned long long
parse_size(const char *s)
{
	char *end;
	unsigned long long v;
	int shift = 0;

	if (*s < '0' || *s > '9')
		return 0;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return 0;
	if (*end) {
		switch (*end) {
		case 'k': case 'K': shift = 10; break;
		case 'm': case 'M': shift = 20; break;
		case 'g': case 'G': shift = 30; break;
		default: return 0;
		}
		if (end[1])
			return 0;
	}
	if (v > (1ULL << 50) >> shift)
		return 0;
	return v << shift;
}

/* docker's --tmpfs options: the mount flags (ro, rw, noexec, exec, nosuid, suid, nodev)
 * here, the rest tmpfs's own mount data (vfs_tmpfs_options, as mount(2) takes it), but a
 * size of 0 (unlimited there) is refused as a mistake. 0 or -1. */
static int
tmpfs_options(char *s, struct mountopt *out)
{
	size_t cap = strlen(s) + 1, len = 0;
	_cleanup_free_ char *data = xcalloc(1, cap);

	for (char *o = strtok(s, ","); o; o = strtok(NULL, ",")) {
		if (!strcmp(o, "ro") || !strcmp(o, "rw"))
			out->ro = o[1] == 'o';
		else if (!strcmp(o, "noexec") || !strcmp(o, "exec"))
			out->noexec = o[0] == 'n';
		else if (!strcmp(o, "nosuid") || !strcmp(o, "suid"))
			out->nosuid = o[0] == 'n';
		else if (strcmp(o, "nodev")) /* (nodev: always) */
			len += snprintf(data + len, cap - len, "%s%s", len ? "," : "", o);
	}
	mode_t mode = (mode_t)-1;
	unsigned long size = ULONG_MAX, inodes = 0;
	uid_t uid = (uid_t)-1;
	gid_t gid = (gid_t)-1;
	if (vfs_tmpfs_options(data, &mode, &size, &uid, &gid, &inodes) < 0 || size == 0)
		return -1;
	if (size != ULONG_MAX)
		out->size = size;
	if (mode != (mode_t)-1)
		out->mode = mode ? mode : S_IFDIR; /* (0 is a mode too) */
	if (uid != (uid_t)-1)
		out->uid = uid;
	if (gid != (gid_t)-1)
		out->gid = gid;
	out->inodes = inodes;
	return 0;
}

void
mountopt_parse(enum mountopt_kind kind, const char *arg, struct mountopt *out)
{
	_cleanup_free_ char *spec = xstrdup(arg);
	char *colon, *guest, resolved[PATH_MAX];
	struct stat st = { 0 };

	memset(out, 0, sizeof(*out));
	out->kind = kind;
	if (!*spec)
		bad(kind, "expected %s", kind == MOUNTOPT_TMPFS ? "GUEST[:SIZE]" : "HOST[:GUEST]");
	colon = kind == MOUNTOPT_TMPFS ? strrchr(spec, ':') : strchr(spec, ':');
	if (colon)
		*colon = '\0';
	if (kind == MOUNTOPT_TMPFS) {
		guest = spec;
		if (colon && (out->size = parse_size(colon + 1)) == 0) {
			_cleanup_free_ char *opts = xstrdup(colon + 1);
			if (tmpfs_options(opts, out) < 0)
				bad(kind, "'%s': expected a size such as 4096, 512K, 64M or 1G, or "
					  "options such as size=64M,nr_inodes=N,mode=1777,uid=N,gid=N,ro,noexec,nosuid",
				    colon + 1);
		}
	} else {
		if (spec[0] != '/')
			bad(kind, "'%s': HOST must be an absolute path", spec);
		if (!realpath(spec, resolved))
			bad(kind, "%s: %s", spec, strerror(errno));
		if (stat(resolved, &st) < 0 || !(S_ISDIR(st.st_mode) || S_ISREG(st.st_mode)))
			bad(kind, "%s: not a directory or regular file", spec);
		out->host = xstrdup(resolved);
		guest = colon ? colon + 1 : spec;
	}
	out->guest = mountopt_guest_path(guest);
	if (!out->guest)
		bad(kind, "'%s': GUEST must be an absolute path without '..' components", guest);
	if (under(out->guest, "/proc") || under(out->guest, "/dev") || under(out->guest, "/sys"))
		bad(kind, "'%s': /proc, /dev and /sys are the sandbox's own", out->guest);
	if (kind == MOUNTOPT_TMPFS && !strcmp(out->guest, "/"))
		bad(kind, "an empty tmpfs cannot be the root");
	if (kind != MOUNTOPT_TMPFS && !strcmp(out->guest, "/") && !S_ISDIR(st.st_mode))
		bad(kind, "%s: the root must be a directory", out->host);
}

static int
depth(const char *path)
{
	int n = 0;

	for (; *path; path++)
		n += *path == '/' && path[1];
	return n;
}

void
mountopt_plan(const struct mountopt *opts, int n, bool default_tmp, struct mount_plan *p)
{
	bool have_tmp = !default_tmp;
	int i, d, max = 0;

	p->gofer = xcalloc(n + 1, sizeof(*p->gofer));
	p->specs = xcalloc(n + 2, sizeof(*p->specs));
	/* gofer mount 0: the host root, read-only, seen through the overlay */
	p->gofer[0] = (struct gofer_mount){ .host_path = "/", .writable = false };
	p->ngofer = 1;
	p->specs[0] = (struct vfs_mount_spec){ .guest_path = "/", .host_path = "/",
					       .gofer_mount = 0, .overlay = true };
	p->nspecs = 1;
	for (i = 0; i < n; i++) {
		have_tmp |= !strcmp(opts[i].guest, "/tmp");
		max = MAX(max, depth(opts[i].guest));
	}
	if (!have_tmp)
		p->specs[p->nspecs++] = (struct vfs_mount_spec){ .guest_path = "/tmp" };
	/* parents before children, the command line's order otherwise (later on top) */
	for (d = 0; d <= max; d++) {
		for (i = 0; i < n; i++) {
			const struct mountopt *o = &opts[i];
			struct vfs_mount_spec s = { .guest_path = o->guest, .size = o->size,
						    .mode = o->mode, .uid = o->uid, .gid = o->gid,
						    .inodes = o->inodes,
						    .readonly = o->ro, .noexec = o->noexec,
						    .nosuid = o->nosuid };

			if (depth(o->guest) != d)
				continue;
			bool root = !strcmp(o->guest, "/");

			if (o->kind != MOUNTOPT_TMPFS) {
				/* a new root takes gofer mount 0 too: the host's root is then
				 * not served at all, not even read-only */
				s.gofer_mount = root ? 0 : p->ngofer++;
				p->gofer[s.gofer_mount] = (struct gofer_mount){
					.host_path = o->host, .writable = o->kind == MOUNTOPT_RW };
				s.host_path = o->host;
				s.readonly = o->kind == MOUNTOPT_RO;
			}
			if (root)
				p->specs[0] = s; /* replaces the overlay root */
			else
				p->specs[p->nspecs++] = s;
		}
	}
}
