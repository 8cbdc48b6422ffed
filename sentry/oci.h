/* The OCI runtime (sentry/oci.c, sentry/oci_config.c): runc's command line on top of
 * `sandbox run`. CLI side only. */
#pragma once
#include <jansson.h>
#include <linux/filter.h>
#include <stdbool.h>
#include <sys/resource.h>
#include <stdint.h>
#include <sys/types.h>

#define OCI_MAX_GROUPS 256

/* What an OCI container adds to a run (sandbox_run's x; NULL for `sandbox run`). */
/* process.capabilities' five sets, in this order */
enum { OCI_CAP_BND, OCI_CAP_EFF, OCI_CAP_INH, OCI_CAP_PRM, OCI_CAP_AMB, OCI_CAP_SETS };

struct oci_run {
	int ready_fd;            /* the sentry writes one byte here once the program is loaded */
	int hold_fd;             /* ... then reads one byte here before it runs (EOF: it exits) */
	bool have_groups;        /* process.user.additionalGids (else none) */
	int ngroups;
	gid_t groups[OCI_MAX_GROUPS];
	bool have_rlim[RLIM_NLIMITS]; /* process.rlimits */
	struct rlimit rlim[RLIM_NLIMITS];
	mode_t umask;            /* process.user.umask, or (mode_t)-1 */
	int preserve_fds;        /* --preserve-fds N: host fds 3 to 3+N-1 go to the program too */
	bool reraise;            /* a program killed by signal N kills the CLI by N too */
	const char *exec_sock;   /* where `sandbox exec` reaches the container (NULL: nowhere) */
	bool have_caps;          /* process.capabilities for the first program (oci_apply_caps) */
	uint64_t caps[OCI_CAP_SETS];
	pid_t waiter;            /* our child that waits for `start`: reaped once it is done */
	const char *rootfs;      /* the container's root: the CLI's own once it has started
				  * the gofer and the sentry (oci_enter_rootfs) */
	struct sock_fprog seccomp; /* linux.seccomp's filter (len 0: none) */
	bool oom_kill;           /* the container's cgroup limits memory: its OOM killer ends a
				  * guest that touches past the limit, as under runc (the sentry
				  * refuses no mapping; the guests' stubs are the OOM killer's
				  * first choice, the sentry, the gofer and the CLI its last) */
	bool have_oom_adj;       /* process.oomScoreAdj: the first program's oom_score_adj */
	bool oom_adj_min;        /* ... and its lowest, as runc's init's write makes it where
				  * the runtime has CAP_SYS_RESOURCE */
	int oom_adj;
	bool have_cpus;          /* linux.resources.cpu.cpus: the CPUs the container may use */
	unsigned long cpus[16];  /* (a cpu_set_t's words, 1024 CPUs) */
};

/* sentry/oci.c, for the container's CLI once its gofer, sentry and exec listener are
 * started: a mount namespace of its own whose root is the container's rootfs, as runc's
 * init has (hooks acting on /proc/PID/root or its mount namespace act on the container's
 * root, not the host's); the host's /proc stays reachable for the monitor (mon_proc_fd).
 * 0 / -errno (then nothing changed). oci_remove_exec_sock removes the exec socket by the
 * state directory's fd kept from before. */
int oci_enter_rootfs(const struct oci_run *x);
void oci_remove_exec_sock(const struct oci_run *x);

/* what `sandbox --version` says, and the OCI commands' --version */
#define SANDBOX_VERSION "0.1.0"
/* sentry/main.c: `sandbox --help` (0). */
int sandbox_help(void);
/* sentry/main.c: `sandbox run` with argv = {"run", options..., "--", PROGRAM, ARGS...}. */
int sandbox_run(int argc, char **argv, const struct oci_run *x);
/* The same option checks, exiting with a one-line usage error (123) if they fail. */
void sandbox_run_check(int argc, char **argv);

/* sentry/oci_config.c: a process object (config.json's "process", or the file of
 * `sandbox exec --process`), every field checked: what create runs and exec starts. */
struct oci_process {
	char **args, **env;      /* NULL-ended (env: NAME=VALUE entries) */
	int nargs, nenv;
	char *cwd;               /* absolute */
	uid_t uid;
	gid_t gid;
	mode_t umask;            /* process.user.umask, or (mode_t)-1 */
	int ngroups;             /* process.user.additionalGids */
	gid_t groups[OCI_MAX_GROUPS];
	bool have_rlim[RLIM_NLIMITS]; /* process.rlimits */
	struct rlimit rlim[RLIM_NLIMITS];
	bool terminal;
	unsigned short console_rows, console_cols; /* process.consoleSize (0: none) */
	bool have_oom_adj;       /* process.oomScoreAdj */
	int oom_adj;
	bool have_caps;          /* process.capabilities (else the sandbox's default for the uid) */
	uint64_t caps[OCI_CAP_SETS]; /* bounding, effective, inheritable, permitted, ambient */
};
/* Reads the process of the config.json at path (whole: the file is the process object
 * itself). Returns 0, or -1 with a one-line reason in err. */
int oci_process_load(const char *path, bool whole, struct oci_process *p, char *err,
		     size_t errlen);
void oci_process_free(struct oci_process *p);
/* The capability sets of an OCI process onto task t (its first program's, an exec's), as
 * runc leaves them: bounding, then permitted, inheritable, effective (within permitted)
 * and ambient (within both). */
struct task;
void oci_apply_caps(struct task *t, const uint64_t caps[OCI_CAP_SETS]);
/* The process's working directory, entered as runc's init enters it: as the container's
 * root with every capability, else (EACCES, EPERM) as the process itself. 0 / -errno. */
int oci_chdir(struct task *t, const char *cwd);

/* sentry/oci_config.c: reads BUNDLE/config.json into the options of a run. Returns 0, or
 * -1 with a one-line reason in err. */
struct oci_config {
	char **argv;             /* {"run", options..., "--", args...} */
	int argc;
	struct oci_run run;
	struct oci_process proc; /* process, as parsed (its fields are also in argv and run) */
	char *rootfs;            /* the resolved root.path */
	char *json_annotations;  /* "annotations" as compact JSON ("{}" if none) */
	char *json_hooks;        /* "hooks" as compact JSON ("{}" if none), checked */
	char *cgroups_path;      /* linux.cgroupsPath, or NULL */
	json_t *resources;       /* linux.resources (checked), or NULL */
	char **warnings;         /* things accepted but not applied (logged) */
	int nwarnings;
};
int oci_config_load(const char *bundle, struct oci_config *c, char *err, size_t errlen);
/* The default config.json of `sandbox spec` (a JSON text to free). */
char *oci_default_spec(bool rootless);

/* sentry/oci.c: runc's command line. argv[0] is the program. */
int oci_main(int argc, char **argv);
/* Whether `sandbox ARGS` is an OCI command rather than `sandbox run -- PROGRAM`. */
bool oci_is_command(int argc, char **argv);

/* ---- between sentry/oci.c and sentry/oci_state.c (the CLI's own) ---- */
#include <jansson.h>
#include <limits.h>

#define OCI_VERSION "1.0.2"
#define ID_MAX 200

struct oci_globals {
	const char *root;       /* --root: the state directory */
	const char *log;        /* --log FILE, or NULL */
	bool log_json;          /* --log-format json */
	bool debug;
	bool systemd_cgroup;    /* --systemd-cgroup: cgroupsPath is slice:prefix:name */
};
extern struct oci_globals oci_g;

/* One container's state (ROOT/ID/state.json). */
struct oci_ctr {
	char id[ID_MAX + 1];
	char dir[PATH_MAX];
	pid_t pid;
	unsigned long long start_time;  /* the pid's start time (clock ticks since boot) */
	char *bundle, *rootfs, *created;
	json_t *annotations;
	json_t *hooks;          /* config.json's hooks (checked by oci_config.c) */
	json_t *cgroups;        /* its host cgroups (sentry/oci_cgroup.c), or NULL */
	json_t *resources;      /* linux.resources as applied there (create, then update) */
};

/* Messages: stderr and the --log file. oci_err returns 1 (a command's exit status). */
int oci_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* cmd's -h / --help among argv (its options): prints its synopsis and exits 0.
 * oci_usage: "usage: sandbox CMD SYNOPSIS" on stderr, 1 (a usage error). */
void oci_maybe_help(const char *cmd, int argc, char **argv);
int oci_usage(const char *cmd);
void oci_warn(const char *msg);         /* in the log; on stderr with --debug */
void oci_notice(const char *msg);       /* a warning on stderr too */
void oci_log_line(const char *level, const char *msg);
/* One such line to fd; oci_log_debug_to_file: with --log, debug lines go there too (and
 * not to stderr), from this process and the container's sentry. */
void oci_log_write(int fd, const char *level, const char *msg);
void oci_log_debug_to_file(void);
int oci_print_json(json_t *j);           /* prints and frees j; 0, or 1 */
int oci_print_json_line(json_t *j);      /* the same on one line (runc's list and ps) */

bool oci_valid_id(const char *id);
int oci_ctr_path(struct oci_ctr *c, const char *id);     /* 0, or 1 with a message */
int oci_ctr_load(struct oci_ctr *c, const char *id, bool quiet);
int oci_ctr_save(const struct oci_ctr *c);               /* 0 / -errno */
void oci_ctr_free(struct oci_ctr *c);
bool oci_proc_stat(pid_t pid, unsigned long long *start, char *state);
bool oci_ctr_alive(const struct oci_ctr *c);
const char *oci_ctr_status(const struct oci_ctr *c);     /* created, running, paused, stopped */
/* The container's cgroup v2 (the one pause freezes), recorded by create in ROOT/ID/cgroup:
 * 0, or -errno. */
int oci_ctr_cgroup(const struct oci_ctr *c, char *out, size_t n);
json_t *oci_ctr_state_json(const struct oci_ctr *c);
void oci_ctr_remove_files(const struct oci_ctr *c);
bool oci_ctr_clear_stale(const struct oci_ctr *c);
void oci_ctr_kill_all(const struct oci_ctr *c);
int oci_ctr_pids(const struct oci_ctr *c, pid_t *out, int max);
int oci_write_atomic(const char *path, const char *text); /* 0 / -errno */
/* Runs config.json's hooks of one kind; 0, or 1 (an error if fatal, else a warning). */
int oci_run_hooks(const struct oci_ctr *c, const char *kind, bool fatal);
/* sentry/oci.c: a pseudo-terminal whose master goes to the console socket (*slave: ours,
 * for the process's stdio); and a pid file written atomically. 0, or 1 / -errno. */
int oci_console_open(const char *sock_path, int *slave);
int oci_write_pid_file(const char *path, pid_t pid);
/* sentry/oci_cgroup.c: the container's cgroup on the host. oci_cg_create makes it at
 * cgroupsPath (NULL: the id) in every hierarchy and writes resources (linux.resources):
 * the record (a JSON array, see there; empty when none was asked for and none could be
 * made), or NULL with a reason in err. oci_cg_join moves pid into it (0 / -errno);
 * oci_cg_apply writes resources again (update); oci_cg_check only checks them;
 * oci_cg_remove removes what create made; oci_cg_v2_dir is the cgroup v2 one (the
 * freezer's) or NULL. */
json_t *oci_cg_create(const char *cgpath, const char *id, json_t *resources, char *err,
		      size_t errlen);
int oci_cg_join(json_t *cgs, pid_t pid);
int oci_cg_apply(json_t *cgs, json_t *resources, char *err, size_t errlen);
int oci_cg_check(json_t *resources, char *err, size_t errlen);
void oci_cg_remove(json_t *cgs);
const char *oci_cg_v2_dir(json_t *cgs);
/* `events`: the cgroups' figures as runc's stats object (cpu, memory, pids...; the empty
 * ones as runc leaves them), and how many processes the OOM killer ended there (-1:
 * unknown). */
json_t *oci_cg_stats(json_t *cgs);
/* (an unlimited figure: runc gives 2^64-1, beyond a JSON integer of jansson's, so the text
 * gets it in place of this number) */
#define OCI_CG_UNLIMITED (-4242424242424242421LL)
#define OCI_CG_UNLIMITED_TEXT "18446744073709551615"
long long oci_cg_oom_kills(json_t *cgs);
/* An fd that becomes readable when the container's memory cgroup has an OOM event (v2:
 * inotify on memory.events, v1: an eventfd through cgroup.event_control), or -1. */
int oci_cg_oom_notify_fd(json_t *cgs);
/* The memory limit the container's cgroup enforces (bytes), or -1: none or no controller. */
long long oci_cg_memory_limit(json_t *cgs);
/* sentry/oci_exec.c: `sandbox exec` */
int oci_cmd_exec(int argc, char **argv);
