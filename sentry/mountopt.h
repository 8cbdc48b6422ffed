/* Mount options of `sandbox run` (sentry/mountopt.c): --ro, --rw, --tmpfs. CLI side only. */
#pragma once
#include <stdbool.h>

struct gofer_mount;
struct vfs_mount_spec;

enum mountopt_kind { MOUNTOPT_RO, MOUNTOPT_RW, MOUNTOPT_TMPFS };

struct mountopt {
	enum mountopt_kind kind;
	char *host;                /* RO, RW: the resolved host directory */
	char *guest;               /* normalized absolute guest path */
	unsigned long long size;   /* TMPFS: bytes, 0 = unlimited */
	/* TMPFS options: the root's mode (0: 01777; S_IFDIR alone: 0) and owner; ro, noexec,
	 * nosuid */
	mode_t mode;
	long uid, gid;
	unsigned long inodes;      /* TMPFS: nr_inodes (0: no limit) */
	bool ro, noexec, nosuid;
};

/* Parses one option argument (HOST[:GUEST], or GUEST[:SIZE] or GUEST:OPTIONS for a tmpfs,
 * OPTIONS as docker's --tmpfs takes them: size=SIZE,nr_inodes=N,mode=OCTAL,uid=N,gid=N,ro,
 * rw,noexec,exec,nosuid,suid,nodev); a bad spec (relative paths, "..", a HOST that is missing or not
 * a directory, a bad SIZE or option, a GUEST under /proc, /dev or /sys) exits with a
 * one-line usage error (123). GUEST defaults to HOST. */
void mountopt_parse(enum mountopt_kind kind, const char *arg, struct mountopt *out);
/* "/a//b/./c/" -> "/a/b/c" (malloc'd); NULL for a relative path, a ".." component or a
 * name or path too long. */
char *mountopt_guest_path(const char *p);

/* The run's mounts: gofer mount 0 is the host root (read-only), seen through the overlay
 * at "/" unless a mount replaces "/"; /tmp is a tmpfs unless a mount replaces it or
 * default_tmp is false (an OCI container keeps its root's /tmp); then the options,
 * parents before children (the command line's order otherwise). */
struct mount_plan {
	struct gofer_mount *gofer;
	int ngofer;
	struct vfs_mount_spec *specs;
	int nspecs;
};
void mountopt_plan(const struct mountopt *opts, int n, bool default_tmp, struct mount_plan *p);
