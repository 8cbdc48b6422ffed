/* The OCI runtime (sentry/oci.c, sentry/oci_config.c): runc's command line on top of
 * `sandbox run`. CLI side only. */
#pragma once
#include <stdbool.h>
#include <sys/resource.h>
#include <sys/types.h>

#define OCI_MAX_GROUPS 256

/* What an OCI container adds to a run (sandbox_run's x; NULL for `sandbox run`). */
struct oci_run {
	int ready_fd;            /* the sentry writes one byte here once the program is loaded */
	int hold_fd;             /* ... then reads one byte here before it runs (EOF: it exits) */
	bool have_groups;        /* process.user.additionalGids (else none) */
	int ngroups;
	gid_t groups[OCI_MAX_GROUPS];
	bool have_rlim[RLIM_NLIMITS]; /* process.rlimits */
	struct rlimit rlim[RLIM_NLIMITS];
	mode_t umask;            /* process.user.umask, or (mode_t)-1 */
	bool reraise;            /* a program killed by signal N kills the CLI by N too */
};

/* sentry/main.c: `sandbox run` with argv = {"run", options..., "--", PROGRAM, ARGS...}. */
int sandbox_run(int argc, char **argv, const struct oci_run *x);
/* The same option checks, exiting with a one-line usage error (123) if they fail. */
void sandbox_run_check(int argc, char **argv);

/* sentry/oci_config.c: reads BUNDLE/config.json into the options of a run. Returns 0, or
 * -1 with a one-line reason in err. */
struct oci_config {
	char **argv;             /* {"run", options..., "--", args...} */
	int argc;
	struct oci_run run;
	bool terminal;
	char *rootfs;            /* the resolved root.path */
	char *json_annotations;  /* "annotations" as compact JSON ("{}" if none) */
	char *json_hooks;        /* "hooks" as compact JSON ("{}" if none), checked */
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
