/*
 * `sandbox`: the command line. `sandbox run [options] -- PROGRAM [ARGS...]` starts the gofer
 * (host side), then the sentry in new user/pid/mount/net/ipc/uts namespaces with an empty
 * root and a seccomp allowlist, which loads PROGRAM into a stub and serves its syscalls.
 */
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <poll.h>
#include <sys/random.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <linux/kcmp.h>
#include <linux/magic.h>
#include <linux/nsfs.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>

#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/common_interface_defs.h>
#endif
#include "fs/gofer.h"
#include "fs/vfs.h"
#include "loader/loader.h"
#include "net/net.h"
#include "platform/platform.h"
#include "sentry/exec_ctl.h"
#include "sentry/export.h"
#include "sentry/mountopt.h"
#include "sentry/oci.h"
#include "sentry/monitor.h"
#include "sentry/ns.h"
#include "sentry/seccomp_profile.h"
#include "sentry/sentry.h"
#include "syscalls/syscalls.h"

struct run_opts {
	const char *audit_path;
	const char *trace_path;
	const char *json_path;
	int json_fd;              /* --json-fd N: the result to the caller's fd N, -1: none */
	bool selftest_forbidden;
	bool selftest_crash;      /* crash the sentry once the guest runs (tests the fatal path) */
	int max_tasks;            /* --pids */
	long max_files;           /* --files: RLIMIT_NOFILE inside, 0 = the caller's */
	long long max_fsize;      /* --fsize: RLIMIT_FSIZE inside, 0 = the caller's */
	double timeout;           /* --timeout seconds, 0 = none */
	long long memory;         /* --memory bytes, 0 = the default (half the host's RAM) */
	double cpu_time;          /* --cpu-time seconds, 0 = none */
	const char *cwd;          /* --cwd: the program's working directory inside */
	const char *hostname;     /* --hostname */
	const char *devpts;       /* --devpts: /dev/pts's options */
	long uid, gid;            /* --uid/--gid inside, -1 = the caller's */
	char **env;               /* the program's environment (host's, edited by --env/--clearenv) */
	int nenv;
	struct mountopt *mounts;  /* --ro, --rw, --tmpfs in command-line order */
	int nmounts;
	struct mount_plan plan;   /* what the gofer and the sentry mount */
	const char *changes_path; /* --changes FILE */
	const char *export_dir;   /* --export DIR */
	int export_fd;            /* the sentry's end of the change stream, -1: none */
	char **argv;            /* PROGRAM ARGS... */
	int tty;                  /* --tty 1, --no-tty 0, -1: when stdin is a terminal */
	int preserve_fds;         /* --preserve-fds N: host fds 3 to 3+N-1 go to the program */
	unsigned tty_fds;         /* std fds that get the guest's terminal (bit N: fd N) */
	int tty_in, tty_out, tty_size; /* the relay's host fds (see setup_tty) */
	bool have_tio;
	struct termios host_tio;  /* the user's terminal settings, restored at the end */
	const struct oci_run *oci; /* an OCI container's additions (sentry/oci.h), or NULL */
	struct net_policy net;    /* --net (net/net.h): the gofer enforces it */
	const char *netns;        /* --netns PATH|new: the CLI's and the gofer's (enter_netns) */
	const char **sysctls;     /* --sysctl KEY=VALUE, applied in the sandbox (apply_sysctls) */
	int nsysctls;
	char **masks, **ro_paths; /* --mask PATH, --ro-path PATH (apply_masks) */
	int nmasks, nro_paths;
	const char *seccomp_path; /* --seccomp FILE: a seccomp profile for the program */
	char **init_argv;         /* --init: {this binary, "__init", "--", argv...} (guest_init.c) */
};

static const char usage_text[] =
	"usage: sandbox run [OPTIONS] -- PROGRAM [ARGS...]\n"
	"       sandbox syscalls     print the syscall support matrix (markdown)\n"
	"       sandbox [--root DIR] [--log FILE] [--log-format text|json] COMMAND ...\n"
	"                            the OCI runtime, runc's command line: spec, create, start,\n"
	"                            state, exec, kill, delete, ps, run --bundle, list, features,\n"
	"                            pause, resume, update, events\n"
	"                            (README)\n"
	"       sandbox --help | --version\n"
	"\n"
	"Runs PROGRAM in a user-space kernel: its system calls are served by the sentry;\n"
	"the host root is visible through a writable in-memory overlay (the host files are\n"
	"never changed), /tmp is in memory, there is no network unless --net says so.\n"
	"\n"
	"Options for run:\n"
	"  --profile FILE the same options from a JSON object, e.g. {\"timeout\": \"30s\",\n"
	"                 \"pids\": 64, \"env\": {\"K\": \"V\"}}; must come first; later options win\n"
	"  --audit FILE   append one JSON line per denied system call to FILE: its name,\n"
	"                 decoded arguments, errno and why (schema: README)\n"
	"  --trace FILE   write every trapped system call with its result to FILE\n"
	"  --json FILE    write the result as JSON: exit code, signal, the limit that ended\n"
	"                 the run, limits reached, times, memory, denials (schema: README)\n"
	"  --json-fd N    the same to the caller's fd N (never the program's)\n"
	"  --ro HOST[:GUEST]   show host directory (or file) HOST at GUEST (default: the\n"
	"                 same path), read-only: writes fail with EROFS (and are audited)\n"
	"  --rw HOST[:GUEST]   show HOST at GUEST writable: changes go to the host, only\n"
	"                 beneath HOST (symlinks never lead out)\n"
	"  --tmpfs GUEST[:SIZE]  an empty in-memory filesystem at GUEST, at most SIZE bytes\n"
	"                 (512K, 64M, 1G; ENOSPC past it); or GUEST:OPTIONS as docker's:\n"
	"                 size=SIZE,nr_inodes=N,mode=1777,uid=N,gid=N,ro,noexec,nosuid\n"
	"                 (always nodev)\n"
	"                 A missing GUEST is created in the overlay (a directory, or an\n"
	"                 empty file for a file HOST).\n"
	"  --changes FILE after the run, write the paths the program created, modified or\n"
	"                 deleted in the overlay as JSON (schema in the README)\n"
	"  --export DIR   after the run, write the files it created or modified beneath DIR\n"
	"                 (which must not exist or be empty), mirroring their paths\n"
	"                 Both happen also after --timeout or when the program is killed.\n"
	"  --net none     no network beyond the sandbox's own loopback (the default)\n"
	"  --net host     TCP and UDP to any host beyond the sandbox (not the host's\n"
	"                 loopback, except port 53 of a local resolver such as 127.0.0.53);\n"
	"                 the sandbox's loopback stays its own\n"
	"  --netns PATH|new  with --net host or allow=: the host sockets are made in the\n"
	"                 network namespace at PATH (/run/netns/NAME, /proc/PID/ns/net), or in\n"
	"                 a new empty one, instead of the caller's; `sandbox` itself joins it\n"
	"                 (the OCI runtime gives a container's this way)\n"
	"  --sysctl KEY=VALUE  set a /proc/sys value of the sandbox (its own, never the host's)\n"
	"                 before the program starts, e.g. net.ipv4.ip_unprivileged_port_start=0\n"
	"  --mask PATH    hide PATH inside: a directory shows empty and read-only, a file\n"
	"                 empty (the null device); e.g. --mask /root/.ssh (OCI maskedPaths)\n"
	"  --ro-path PATH make PATH inside read-only (what is mounted below it keeps its\n"
	"                 own mode); e.g. /proc/sys (OCI readonlyPaths). Both: skipped if absent\n"
	"  --net allow=HOST[:PORT],...  TCP only to these destinations (IP literals, [IPv6],\n"
	"                 domain names resolved at startup); the sandbox answers DNS itself:\n"
	"                 allowed names get those addresses, others NXDOMAIN. Anything else\n"
	"                 fails with EPERM and is audited (a denial in --json)\n"
	"  --pids N       at most N guest tasks (processes and threads); fork and clone past\n"
	"                 it fail with EAGAIN (default 4096)\n"
	"  --timeout T    kill every guest process after T (seconds, or 500ms, 30s, 5m, 1h);\n"
	"                 exit 124\n"
	"  --memory SIZE  guest memory for all processes together (512M, 2G; default: half\n"
	"                 the host's RAM). Mappings past it fail with ENOMEM, in-memory file\n"
	"                 writes with ENOSPC; memory touched past it ends the run (exit 122)\n"
	"  --cpu-time T   CPU time of all guest processes together, live and exited (30s, 2m,\n"
	"                 500ms); past it every guest process is killed (exit 122)\n"
	"  --files N      at most N open files per process (RLIMIT_NOFILE; EMFILE past it)\n"
	"  --fsize SIZE   largest file a process may write (512K, 100M, 2G; RLIMIT_FSIZE:\n"
	"                 EFBIG and SIGXFSZ past it)\n"
	"  --env K=V      set K in the program's environment (repeatable)\n"
	"  --clearenv     start from an empty environment (then --env adds to it)\n"
	"  --cwd DIR      the program's working directory (default: the current one, if visible)\n"
	"  --hostname H   the host name the program sees (default: the host's)\n"
	"  --devpts OPTS  /dev/pts's mount options (mode=620,gid=5: the terminals' mode and\n"
	"                 group; default Linux's mode=600, the opener's group)\n"
	"  --init         run a small init as pid 1 that starts PROGRAM as its child, passes\n"
	"                 signals on to it, reaps orphans and exits as PROGRAM does (docker's\n"
	"                 --init); needs this binary visible inside (the default root is)\n"
	"  --seccomp FILE a seccomp profile for the program: an OCI linux.seccomp object or a\n"
	"                 docker/podman profile (/usr/share/containers/seccomp.json); the calls\n"
	"                 it refuses fail or kill as under runc\n"
	"  --uid N, --gid N  the program's user and group ids inside (default: the caller's)\n"
	"  --tty          give PROGRAM a terminal of its own on stdin, stdout and stderr, relayed\n"
	"                 to the host's stdin and stdout (default when stdin is a terminal: then\n"
	"                 the std fds that are terminals get it, and keys such as ^C go to it)\n"
	"  --no-tty       pass the host's stdin, stdout and stderr as they are\n"
	"  --preserve-fds N  give PROGRAM the caller's fds 3 to 3+N-1 too (as runc's option;\n"
	"                 `3>out.json`: a result channel); others are never passed\n"
	"  --quiet        no warnings from the sandbox itself\n"
	"  --debug        verbose sandbox diagnostics on stderr\n"
	"\n"
	"Exit status: PROGRAM's own status; 128+N if it was killed by signal N;\n"
	"127 PROGRAM not found; 126 not executable or not a valid executable;\n"
	"125 the sandbox failed to set up or failed internally; 124 --timeout expired;\n"
	"123 usage error; 122 --memory or --cpu-time ended the run.\n"
	"SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGCONT, SIGURG,\n"
	"SIGPWR, SIGVTALRM and SIGPROF go to PROGRAM; a run still going 10s after a\n"
	"SIGTERM, or at a second SIGTERM, is ended (exit 143).\n";

static void __attribute__((noreturn))
usage_error(const char *msg)
{
	fprintf(stderr, "sandbox: %s (see 'sandbox --help')\n", msg);
	exit(EXIT_USAGE);
}

static int
open_output(const char *path)
{
	if (!strcmp(path, "-"))
		return dup(STDERR_FILENO);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		die(EXIT_USAGE, "%s: %s", path, strerror(errno));
	return fd;
}

/* "30", "2.5", "500ms", "30s", "5m", "1h": seconds, or -1 (--timeout and --cpu-time). */
static double
parse_seconds(const char *s)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || v <= 0 || v > 1e9)
		return -1;
	if (!strcmp(end, "") || !strcmp(end, "s"))
		return v;
	if (!strcmp(end, "ms"))
		return v / 1000;
	if (!strcmp(end, "m"))
		return v * 60;
	if (!strcmp(end, "h"))
		return v * 3600;
	return -1;
}

/* A decimal number in [min, max], or a usage error saying what was expected. */
static long
parse_number(const char *s, long min, long max, const char *expected)
{
	char *end;
	long n = strtol(s, &end, 10);

	if (*s == '\0' || *end || n < min || n > max)
		usage_error(expected);
	return n;
}

/* "4096", "512K", "100M", "2G" (powers of 1024): bytes, or -1. */
static long long
parse_bytes(const char *s)
{
	char *end;
	double v = strtod(s, &end);
	double mult = 1;

	if (end == s || v <= 0)
		return -1;
	if (*end && !end[1]) {
		switch (*end) {
		case 'k': case 'K': mult = 1024.0; break;
		case 'm': case 'M': mult = 1024.0 * 1024; break;
		case 'g': case 'G': mult = 1024.0 * 1024 * 1024; break;
		case 't': case 'T': mult = 1024.0 * 1024 * 1024 * 1024; break;
		default: return -1;
		}
	} else if (*end) {
		return -1;
	}
	v *= mult;
	return v >= 1 && v < 9e18 ? (long long)v : -1;
}

/* Sets NAME=VALUE in the program's environment, replacing an earlier NAME. */
static void
env_set(struct run_opts *o, char *kv)
{
	size_t nlen = strchr(kv, '=') - kv + 1;

	for (int i = 0; i < o->nenv; i++) {
		if (!strncmp(o->env[i], kv, nlen)) {
			o->env[i] = kv;
			return;
		}
	}
	o->env = realloc(o->env, (o->nenv + 2) * sizeof(char *));
	if (!o->env)
		die(EXIT_SETUP, "out of memory");
	o->env[o->nenv++] = kv;
	o->env[o->nenv] = NULL;
}

static void
env_init(struct run_opts *o)
{
	extern char **environ;

	o->nenv = 0;
	o->env = xcalloc(1, sizeof(char *));
	for (char **e = environ; *e; e++)
		if (strchr(*e, '='))
			env_set(o, *e);
}

static void
parse_run(int argc, char **argv, struct run_opts *o)
{
	enum { OPT_AUDIT = 1, OPT_TRACE, OPT_NET, OPT_QUIET, OPT_DEBUG, OPT_SELFTEST, OPT_CRASH, OPT_STATS, OPT_PIDS, OPT_TIMEOUT, OPT_ENV, OPT_JSON,
	       OPT_HOSTNAME, OPT_UID, OPT_GID, OPT_FILES, OPT_FSIZE,
	       OPT_CLEARENV, OPT_CWD, OPT_TTY, OPT_NO_TTY,
	       OPT_RO, OPT_RW, OPT_TMPFS, OPT_CHANGES, OPT_EXPORT,
	       OPT_MEMORY, OPT_CPU_TIME, OPT_NETNS, OPT_SYSCTL, OPT_PRESERVE_FDS, OPT_JSON_FD,
	       OPT_DEVPTS, OPT_SECCOMP, OPT_INIT, OPT_MASK, OPT_RO_PATH };
	static const struct option longopts[] = {
		{ "audit", required_argument, NULL, OPT_AUDIT },
		{ "trace", required_argument, NULL, OPT_TRACE },
		{ "json", required_argument, NULL, OPT_JSON },
		{ "json-fd", required_argument, NULL, OPT_JSON_FD },
		{ "net", required_argument, NULL, OPT_NET },
		{ "netns", required_argument, NULL, OPT_NETNS },
		{ "sysctl", required_argument, NULL, OPT_SYSCTL },
		{ "mask", required_argument, NULL, OPT_MASK },
		{ "ro-path", required_argument, NULL, OPT_RO_PATH },
		{ "quiet", no_argument, NULL, OPT_QUIET },
		{ "pids", required_argument, NULL, OPT_PIDS },
		{ "files", required_argument, NULL, OPT_FILES },
		{ "fsize", required_argument, NULL, OPT_FSIZE },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "memory", required_argument, NULL, OPT_MEMORY },
		{ "cpu-time", required_argument, NULL, OPT_CPU_TIME },
		{ "env", required_argument, NULL, OPT_ENV },
		{ "clearenv", no_argument, NULL, OPT_CLEARENV },
		{ "cwd", required_argument, NULL, OPT_CWD },
		{ "ro", required_argument, NULL, OPT_RO },
		{ "rw", required_argument, NULL, OPT_RW },
		{ "tmpfs", required_argument, NULL, OPT_TMPFS },
		{ "changes", required_argument, NULL, OPT_CHANGES },
		{ "export", required_argument, NULL, OPT_EXPORT },
		{ "hostname", required_argument, NULL, OPT_HOSTNAME },
		{ "devpts", required_argument, NULL, OPT_DEVPTS },
		{ "seccomp", required_argument, NULL, OPT_SECCOMP },
		{ "init", no_argument, NULL, OPT_INIT },
		{ "uid", required_argument, NULL, OPT_UID },
		{ "gid", required_argument, NULL, OPT_GID },
		{ "preserve-fds", required_argument, NULL, OPT_PRESERVE_FDS },
		{ "tty", no_argument, NULL, OPT_TTY },
		{ "no-tty", no_argument, NULL, OPT_NO_TTY },
		{ "debug", no_argument, NULL, OPT_DEBUG },
		{ "selftest-forbidden-call", no_argument, NULL, OPT_SELFTEST },
		{ "selftest-crash", no_argument, NULL, OPT_CRASH },
		{ "stats", no_argument, NULL, OPT_STATS },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	opterr = 0;
	optind = 0; /* getopt starts afresh (sandbox_run_check may have parsed these already) */
	o->uid = o->gid = -1;
	o->tty = -1;
	o->json_fd = -1;
	env_init(o);
	while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_AUDIT:
			o->audit_path = optarg;
			break;
		case OPT_TRACE:
			o->trace_path = optarg;
			break;
		case OPT_JSON:
			o->json_path = optarg;
			o->json_fd = -1; /* the later one wins */
			break;
		case OPT_JSON_FD:
			o->json_fd = parse_number(optarg, 0, INT_MAX, "--json-fd: expected an open fd");
			if (fcntl(o->json_fd, F_GETFD) < 0)
				usage_error("--json-fd: that fd is not open");
			o->json_path = NULL;
			break;
		case OPT_NET: {
			char why[256], msg[320];

			net_policy_free(&o->net);
			if (net_policy_parse(optarg, &o->net, why, sizeof(why))) {
				snprintf(msg, sizeof(msg), "--net: %s", why);
				usage_error(msg);
			}
			if (why[0])
				log_warn("--net: %s", why);
			break;
		}
		case OPT_NETNS:
			o->netns = optarg;
			break;
		case OPT_SYSCTL: {
			size_t klen = strcspn(optarg, "=");
			if (!optarg[klen] || !klen || klen > 128 ||
			    strspn(optarg, "abcdefghijklmnopqrstuvwxyz0123456789_.-") != klen ||
			    strstr(optarg, "..") || optarg[0] == '.')
				usage_error("--sysctl: expected KEY=VALUE, such as "
					    "net.ipv4.ip_unprivileged_port_start=0");
			o->sysctls = realloc(o->sysctls, (o->nsysctls + 1) * sizeof(char *));
			if (!o->sysctls)
				die(EXIT_SETUP, "out of memory");
			o->sysctls[o->nsysctls++] = optarg;
			break;
		}
		case OPT_MASK:
		case OPT_RO_PATH: {
			char *path = mountopt_guest_path(optarg);
			char ***list = c == OPT_MASK ? &o->masks : &o->ro_paths;
			int *n = c == OPT_MASK ? &o->nmasks : &o->nro_paths;
			if (!path || !strcmp(path, "/"))
				usage_error(c == OPT_MASK
						    ? "--mask: expected an absolute path inside (not / "
						      "and without '..'), such as /root/.ssh"
						    : "--ro-path: expected an absolute path inside (not / "
						      "and without '..'), such as /proc/sys");
			*list = realloc(*list, (*n + 1) * sizeof(char *));
			if (!*list)
				die(EXIT_SETUP, "out of memory");
			(*list)[(*n)++] = path;
			break;
		}
		case OPT_QUIET:
			log_level = LOG_ERR;
			break;
		case OPT_TIMEOUT:
			o->timeout = parse_seconds(optarg);
			if (o->timeout <= 0)
				usage_error("--timeout: expected a duration such as 30, 2.5, 500ms, 30s, 5m or 1h");
			break;
		case OPT_CPU_TIME:
			o->cpu_time = parse_seconds(optarg);
			if (o->cpu_time <= 0)
				usage_error("--cpu-time: expected a duration such as 30, 2.5, 500ms, 30s or 2m");
			break;
		case OPT_MEMORY:
			o->memory = parse_bytes(optarg);
			if (o->memory < (1 << 20))
				usage_error("--memory: expected a size of at least 1M, such as 64M, 512M or 2G");
			break;
		case OPT_ENV:
			if (!strchr(optarg, '=') || optarg[0] == '=')
				usage_error("--env: expected NAME=VALUE");
			env_set(o, optarg);
			break;
		case OPT_CLEARENV:
			o->nenv = 0;
			o->env[0] = NULL;
			break;
		case OPT_CWD:
			if (optarg[0] != '/')
				usage_error("--cwd: expected an absolute path inside the sandbox");
			o->cwd = optarg;
			break;
		case OPT_RO:
		case OPT_RW:
		case OPT_TMPFS:
			o->mounts = realloc(o->mounts, (o->nmounts + 1) * sizeof(*o->mounts));
			if (!o->mounts)
				die(EXIT_SETUP, "out of memory");
			mountopt_parse(c == OPT_RO ? MOUNTOPT_RO : c == OPT_RW ? MOUNTOPT_RW :
				       MOUNTOPT_TMPFS, optarg, &o->mounts[o->nmounts++]);
			break;
		case OPT_CHANGES:
			o->changes_path = optarg;
			break;
		case OPT_EXPORT:
			if (!*optarg)
				usage_error("--export: expected a directory");
			o->export_dir = optarg;
			break;
		case OPT_INIT:
			o->init_argv = (char **)1; /* (made once PROGRAM is known) */
			break;
		case OPT_SECCOMP:
			if (!*optarg)
				usage_error("--seccomp: expected a profile file");
			o->seccomp_path = optarg;
			break;
		case OPT_DEVPTS:
			if (strlen(optarg) > 256)
				usage_error("--devpts: expected devpts mount options");
			o->devpts = optarg;
			break;
		case OPT_HOSTNAME:
			if (!*optarg || strlen(optarg) > 64)
				usage_error("--hostname: expected 1 to 64 characters");
			o->hostname = optarg;
			break;
		case OPT_UID:
			o->uid = parse_number(optarg, 0, 0xfffffffe, "--uid: expected a user id");
			break;
		case OPT_GID:
			o->gid = parse_number(optarg, 0, 0xfffffffe, "--gid: expected a group id");
			break;
		case OPT_FSIZE:
			o->max_fsize = parse_bytes(optarg);
			if (o->max_fsize <= 0)
				usage_error("--fsize: expected a size such as 4096, 512K, 100M or 2G");
			break;
		case OPT_FILES:
			o->max_files = parse_number(optarg, 3, 65536,
						    "--files: expected a number of open files from 3 to 65536");
			break;
		case OPT_PIDS:
			o->max_tasks = parse_number(optarg, 1, 1000000,
						    "--pids: expected a number of tasks from 1 to 1000000");
			break;
		case OPT_PRESERVE_FDS: {
			char msg[96];
			o->preserve_fds = parse_number(optarg, 0, 1024,
						       "--preserve-fds: expected a number of fds from 0 to 1024");
			/* each must be open now: a closed one would be filled by a descriptor of
			 * ours (a socket of the sandbox's) before the program gets them */
			for (int fd = 3; fd < 3 + o->preserve_fds; fd++)
				if (fcntl(fd, F_GETFD) < 0) {
					snprintf(msg, sizeof(msg), "--preserve-fds %d: fd %d is not open",
						 o->preserve_fds, fd);
					usage_error(msg);
				}
			break;
		}
		case OPT_TTY:
		case OPT_NO_TTY:
			o->tty = c == OPT_TTY;
			break;
		case OPT_DEBUG:
			log_level = LOG_DEBUG;
			break;
		case OPT_SELFTEST:
			o->selftest_forbidden = true;
			break;
		case OPT_CRASH:
			o->selftest_crash = true;
			break;
		case OPT_STATS:
			sentry.opts.stats = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			exit(0);
		default: {
			char msg[128];
			snprintf(msg, sizeof(msg), "run: unknown or incomplete option '%s'",
				 argv[optind - 1]);
			usage_error(msg);
		}
		}
	}
	if (optind >= argc && !o->selftest_forbidden)
		usage_error("run: no program given");
	if (o->netns && o->net.mode == NET_NONE)
		usage_error("--netns: needs --net host or --net allow=... (with none nothing leaves "
			    "the sandbox)");
	o->argv = argv + optind;
}

/* What the sentry tells the CLI at the end (a shared page mapped before the sentry exists). */
struct run_stats {
	unsigned long denials;
	int finished;            /* the sentry got to the end normally */
	int signal;              /* the first program was killed by this signal (0: it exited) */
	int ptrace_err;          /* the first stub could not be traced: the CLI explains (errno) */
	char fatal[256];         /* the first error line of the sentry or the CLI (note_fatal) */
	int errors_noted_only;   /* OCI: until the program is loaded, errors go to fatal only */
};
static struct run_stats *run_stats;

/* The std fds (bit N: fd N) that were closed when `sandbox` started: they are held by
 * /dev/null so that no socket or pipe of ours lands there, and the guest gets them closed,
 * as a program started with them closed has them natively. */
static unsigned closed_std;

static void
hold_closed_std(void)
{
	for (int fd = 0; fd < 3; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		int n = open("/dev/null", O_RDWR);
		if (n != fd) {
			/* without /dev/null: nothing may take a std fd's place */
			fprintf(stderr, "sandbox: fd %d is closed and /dev/null cannot hold it\n", fd);
			exit(EXIT_SETUP);
		}
		closed_std |= 1u << fd;
	}
}

/* For each fd the program gets from the caller, the lowest one that is the same open file
 * description (`>log 2>&1`, a terminal on all three), else -1: the program's fds share one
 * file then too, so O_NONBLOCK or O_APPEND set through one shows through the others as on
 * Linux. Seen by the CLI before the sentry starts (the confined sentry has no kcmp). */
static int *host_fd_alias;

static void
find_fd_aliases(int n, unsigned skip)
{
	pid_t me = getpid();
	struct stat *st = xcalloc(n, sizeof(*st));

	host_fd_alias = xcalloc(n, sizeof(int));
	for (int fd = 0; fd < n; fd++) {
		host_fd_alias[fd] = -1;
		if ((fd < 3 && (skip & (1u << fd))) || fstat(fd, &st[fd]) < 0) {
			st[fd].st_nlink = (nlink_t)-1; /* matches nothing */
			continue;
		}
		for (int o = 0; o < fd; o++) {
			if (st[o].st_nlink == (nlink_t)-1 || st[o].st_dev != st[fd].st_dev ||
			    st[o].st_ino != st[fd].st_ino)
				continue;
			if (syscall(SYS_kcmp, me, me, KCMP_FILE, o, fd) == 0) {
				host_fd_alias[fd] = o;
				break;
			}
		}
	}
	free(st);
}

/* The filter the sentry attaches to the first program (and to an exec's): the container's
 * linux.seccomp (made by oci_config.c), or --seccomp FILE's, made now, its docker-style
 * capability conditions judged for the program: all for root, none for another user. */
static void
load_seccomp_profile(const struct run_opts *o)
{
	uint64_t caps = (o->uid >= 0 ? o->uid : (long)getuid()) == 0 ? CAPS_ALL : 0;
	char err[512];

	if (o->oci) {
		sentry.profile_filter = o->oci->seccomp;
		return;
	}
	if (o->seccomp_path &&
	    seccomp_profile_load(o->seccomp_path, caps, &sentry.profile_filter, err, sizeof(err)))
		die(EXIT_USAGE, "--seccomp: %s", err);
}

/* --init: the guest's first program is this binary (by its host path, which the default
 * root shows), as `sandbox __init -- PROGRAM ARGS...`. */
static void
make_init_argv(struct run_opts *o)
{
	static char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	size_t argc = 0;

	if (o->oci)
		usage_error("--init: not for a container (its config names its own init)");
	if (n <= 0)
		die(EXIT_SETUP, "--init: cannot find this binary: %s", strerror(errno));
	self[n] = '\0';
	while (o->argv[argc])
		argc++;
	o->init_argv = xcalloc(argc + 4, sizeof(char *));
	o->init_argv[0] = self;
	o->init_argv[1] = "__init";
	o->init_argv[2] = "--";
	memcpy(o->init_argv + 3, o->argv, argc * sizeof(char *));
}

/* ---- inside the sentry ---- */


/*
 * SIGINT, SIGTERM... sent to `sandbox` reach the sentry as the CLI's relay (RELAY_SIGNAL);
 * before the program runs they end the run. Sent to `sandbox` alone, the signal goes to
 * the first program. Sent to its whole process group (`timeout`, ^C on a terminal that is
 * not the sandbox's own), every guest process already has its copy from the host, as
 * natively, and so has the sentry itself (own_copy, which runs before the relay: its mask
 * holds RELAY_SIGNAL back): the relay then adds none (the program would see the signal
 * twice), and the loop only interrupts the calls guests wait in for the sentry.
 */
static volatile unsigned long own_copies;
/* Relayed after an OCI container's `start` but before its program runs: held for it. */
static volatile unsigned long early_signals;
/* The container's hold pipe (oci_hold) while it is held, -1 after; released: its byte read */
static volatile int hold_fd = -1;
static volatile bool released;

/* `start` has let the container go: its byte is in the hold pipe (start_waiter writes it
 * before the fifo's, which `start` waits for), or oci_hold has taken it. */
static bool
started(void)
{
	struct pollfd p = { .fd = hold_fd, .events = POLLIN };
	struct timespec zero = { 0, 0 };

	return released || (p.fd >= 0 && ppoll(&p, 1, &zero, NULL) == 1 && (p.revents & POLLIN));
}

/* The signals `sandbox` passes on to the first program (sentry/util.h; an OCI container's
 * process: `sandbox kill ID SIG` sends them to the CLI). */
static const int relayed[] = { RELAYED_SIGNALS };

static bool
sig_relayed(int sig)
{
	for (size_t i = 0; i < ARRAY_SIZE(relayed); i++)
		if (relayed[i] == sig)
			return true;
	return false;
}

static void
own_copy(int sig)
{
	own_copies |= 1UL << sig;
}

static void
forward_signal(int rsig, siginfo_t *info, void *uc)
{
	int sig = info->si_value.sival_int;

	(void)uc;
	if (rsig != RELAY_SIGNAL || info->si_code != SI_QUEUE || !sig_relayed(sig))
		return;
	if (init_host_pid <= 0) {
		/* Before `start`, a container ends (oci_hold); after it, `start` may have
		 * returned (and `kill` come) before the image runs: what comes meanwhile is
		 * held for it (its init drops what it does not handle, as Linux's). */
		if (!started())
			_exit(128 + sig);
		early_signals |= 1UL << sig;
		return;
	}
	if (own_copies & (1UL << sig)) {
		own_copies &= ~(1UL << sig);
		host_group_signals |= 1UL << sig;
		return;
	}
	kill(init_host_pid, sig);
	/* if the program is blocked in a syscall, the loop interrupts it */
	host_signals_pending |= 1UL << sig;
}

/* Blocks RELAY_SIGNAL (forward_signal) while the state it reads changes; *old to restore. */
static void
block_relay(sigset_t *old)
{
	sigset_t relay;

	sigemptyset(&relay);
	sigaddset(&relay, RELAY_SIGNAL);
	sigprocmask(SIG_BLOCK, &relay, old);
}

/* The first program runs as host process pid: from now on relayed signals go to it, and
 * those held until now go first (RELAY_SIGNAL blocked meanwhile: none lost or doubled). */
static void
start_forwarding(pid_t pid)
{
	sigset_t old;

	block_relay(&old);
	init_host_pid = pid;
	for (int sig = 1; sig < 64; sig++) {
		if (!(early_signals & (1UL << sig)))
			continue;
		kill(pid, sig);
		host_signals_pending |= 1UL << sig;
	}
	early_signals = 0;
	sigprocmask(SIG_SETMASK, &old, NULL);
}

/* EXPORT_STOP_SIGNAL from the CLI (--timeout with --changes/--export): every guest process
 * dies now; the loop sees the first program go and the export follows. The sentry is pid 1
 * of the guests' pid namespace, so kill(-1) reaches exactly them. */
static void
stop_guests(int sig)
{
	kill(-1, SIGKILL);
}

/* After the run (or a failed start): every guest process is killed, so nothing changes any
 * more, then the overlay's changes go to the CLI. */
static void
finish_export(const struct run_opts *o)
{
	if (o->export_fd < 0)
		return;
	kill(-1, SIGKILL);
	int err = export_send(o->export_fd, o->export_dir != NULL);
	if (err)
		log_err_errno(err, "sending the changes");
	close(o->export_fd);
}


static void
install_forwarding(void)
{
	struct sigaction own = { .sa_handler = own_copy };
	struct sigaction relay = { .sa_sigaction = forward_signal, .sa_flags = SA_SIGINFO };

	sigemptyset(&own.sa_mask);
	sigaddset(&own.sa_mask, RELAY_SIGNAL);
	for (size_t i = 0; i < ARRAY_SIZE(relayed); i++)
		sigaction(relayed[i], &own, NULL);
	sigaction(RELAY_SIGNAL, &relay, NULL);
}

/*
 * An empty, read-only root: a fresh tmpfs with nothing in it, the host's tree detached.
 * pivot_root visits every task on the host (Linux chroot_fs_refs: ~0.4 ms on a machine
 * with a few thousand) and the detach waits for an RCU grace period (0.5-3 ms here, almost
 * no CPU), so a child sharing our root and cwd (CLONE_FS) does both while the sentry goes
 * on; root_switch_wait joins it before the first stub is forked (a fork copies the root
 * before it is linked where pivot_root looks, so a stub forked meanwhile could keep the
 * host's). From root_switch_start on, the sentry resolves no host path. Only wait4 for a
 * given pid runs until the join: plat_wait's wait4(-1) would take the child for a stub.
 */
static pid_t root_switcher = -1;

/* A container's exec channel (sentry/exec_ctl.h): [0] the sentry's end, [1] the listener's. */
static int exec_chan[2] = { -1, -1 };

static long
raw_syscall2(long nr, long a, long b)
{
	long r;

	__asm__ volatile("syscall" : "=a"(r) : "a"(nr), "D"(a), "S"(b) : "rcx", "r11", "memory");
	return r;
}

/* The child: it shares our memory (CLONE_VM) but not our thread pointer's errno, so only
 * raw calls; its exit status is the errno of what failed, or 0. */
static int __attribute__((no_sanitize_address))
root_switch_child(void *unused)
{
	(void)unused;
	long r = raw_syscall2(SYS_pivot_root, (long)".", (long)".");
	if (r == 0)
		r = raw_syscall2(SYS_umount2, (long)".", MNT_DETACH);
	return r < 0 ? (int)-r : 0;
}

static void
root_switch_start(void)
{
	static char stack[16384] __attribute__((aligned(16)));

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		die(EXIT_SETUP, "making mounts private: %s", strerror(errno));
	/* Any directory but "/" will do to hold it (covered in our own mount namespace only);
	 * a tmpfs on "/" itself cannot become the root (pivot_root: EINVAL), as in a container
	 * whose image has no /tmp. */
	static const char *const holders[] = { "/tmp", "/dev", "/proc", "/sys", "/etc", "/run" };
	const char *dir = "/";
	for (size_t i = 0; i < ARRAY_SIZE(holders) && !strcmp(dir, "/"); i++) {
		struct stat hs;
		if (stat(holders[i], &hs) == 0 && S_ISDIR(hs.st_mode))
			dir = holders[i];
	}
	if (mount("sandbox-root", dir, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  "size=16k,mode=0555") < 0)
		die(EXIT_SETUP, "mounting the empty root: %s", strerror(errno));
	if (chdir(dir) < 0)
		die(EXIT_SETUP, "entering the empty root: %s", strerror(errno));
	root_switcher = clone(root_switch_child, stack + sizeof(stack), CLONE_VM | CLONE_FS | SIGCHLD,
			      NULL);
	if (root_switcher < 0)
		die(EXIT_SETUP, "starting the root switch: %s", strerror(errno));
	/* Mostly waiting in the kernel: anywhere, not in the pinned sentry's way. */
	if (CPU_COUNT((cpu_set_t *)sentry.guest_cpus) > 1)
		sched_setaffinity(root_switcher, sizeof(sentry.guest_cpus), (cpu_set_t *)sentry.guest_cpus);
}

static void
root_switch_wait(void)
{
	int status;
	pid_t r;

	while ((r = waitpid(root_switcher, &status, __WALL)) < 0 && errno == EINTR)
		;
	if (r < 0)
		die(EXIT_SETUP, "waiting for the root switch: %s", strerror(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		die(EXIT_SETUP, "pivot_root into the empty root: %s",
		    WIFEXITED(status) ? strerror(WEXITSTATUS(status)) : "killed");
	root_switcher = -1;
}

/*
 * --netns: the CLI joins the network namespace at spec, or makes a new empty one ("new"),
 * before anything else is started: the gofer, which makes the host sockets of --net host
 * and allow=, inherits it (the sentry has a namespace of its own either way). An OCI
 * container's namespace is so the one of the process its state names, as with runc:
 * engines that set a container's network up through /proc/PID/ns/net from a hook
 * (docker's libnetwork-setkey) set up this one, never the host's.
 */
static void
enter_netns(const char *spec)
{
	struct statfs sf;
	int fd;

	if (!strcmp(spec, "new")) {
		if (unshare(CLONE_NEWNET) < 0)
			die(EXIT_SETUP, "--netns new: %s", strerror(errno));
		return;
	}
	fd = open(spec, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC); /* a FIFO: no wait */
	if (fd < 0)
		die(EXIT_USAGE, "--netns %s: %s", spec, strerror(errno));
	if (fstatfs(fd, &sf) < 0 || sf.f_type != NSFS_MAGIC || ioctl(fd, NS_GET_NSTYPE) != CLONE_NEWNET)
		die(EXIT_USAGE, "--netns %s: not a network namespace (expected new, or a file such "
		    "as /run/netns/NAME or /proc/PID/ns/net)", spec);
	if (setns(fd, CLONE_NEWNET) < 0)
		die(EXIT_SETUP, "--netns %s: joining it: %s", spec, strerror(errno));
	close(fd);
}

/* The gofer, the sentry and the stubs take turns, never run at once: on one CPU each
 * hand-off is a local wakeup instead of a cross-CPU one (2-3x cheaper here). The CLI picks
 * the CPU; the gofer and the export receiver inherit it from the CLI, the stubs from the
 * sentry. While the sentry makes its network namespace (~0.4 ms of kernel work) and readies
 * itself, the CLI maps its ids and starts the gofer on another CPU (side_cpu), then moves
 * the gofer and itself back. cpu < 0: not pinned. */
static bool
pin_off(void)
{
	const char *e = getenv("SANDBOX_PIN");   /* 0: leave it to the scheduler (measuring) */

	return e && !strcmp(e, "0");
}

static bool
pin_task(pid_t pid, int cpu)
{
	cpu_set_t set;

	if (cpu < 0 || pin_off())
		return false;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(pid, sizeof(set), &set) < 0) {
		log_debug("pinning %d to cpu %d: %s", (int)pid, cpu, strerror(errno));
		return false;
	}
	return true;
}

static bool
pin_to_cpu(int cpu)
{
	return pin_task(0, cpu);
}

/*
 * Sandboxes started at once (a grader's parallel jobs) would all stay on the CPU each CLI
 * happened to run on at its start, often the same one, for their whole runs (session 22
 * measured 4 at once: 366 ms pinned against 277 unpinned). Each pinned run holds a slot:
 * an exclusive flock on a file "CPU.LEVEL" in a shared directory, released by the kernel
 * when the run's last process is gone. A new run takes the first free slot of the lowest
 * level, trying the CPU it runs on first: one run per CPU before any CPU gets a second.
 * Any failure leaves the CPU it runs on (the lock is an optimisation, never a fence).
 */
#define CPU_SLOT_DIR "/dev/shm/.sandbox-cpus"
#define CPU_SLOT_LEVELS 64

/* The slot file's fd, opened without following a link; created if missing (0444: others'
 * runs open it too; a file another user made is opened without O_CREAT, which
 * protected_regular would refuse in a sticky directory). */
static int
cpu_slot_open(int dfd, const char *name)
{
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0 && errno == ENOENT) {
		fd = openat(dfd, name, O_RDONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0444);
		if (fd >= 0)
			fchmod(fd, 0444);
		else if (errno == EEXIST)
			fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	}
	return fd;
}

/* The CPU of allowed to pin this run to, cpu (where it runs) unless another CPU has fewer
 * runs; the slot's lock stays with this process and those it forks. */
static int
cpu_slot_take(int cpu, const cpu_set_t *allowed)
{
	int cpus[CPU_SETSIZE], n = 0, dfd;
	struct stat st;

	if (cpu < 0 || pin_off() || !CPU_ISSET(cpu, allowed) ||
	    CPU_COUNT(allowed) < 2)
		return cpu;
	cpus[n++] = cpu;
	for (int i = 0; i < CPU_SETSIZE; i++)
		if (i != cpu && CPU_ISSET(i, allowed))
			cpus[n++] = i;
	dfd = open(CPU_SLOT_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0 && errno == ENOENT) {
		if (mkdir(CPU_SLOT_DIR, 01777) == 0)
			chmod(CPU_SLOT_DIR, 01777); /* (whatever the umask: every user's runs) */
		dfd = open(CPU_SLOT_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	}
	if (dfd < 0)
		return cpu;
	if (fstat(dfd, &st) < 0 || (st.st_mode & 01777) != 01777 ||
	    (st.st_uid != 0 && st.st_uid != geteuid())) {
		close(dfd);
		return cpu;
	}
	for (int level = 0; level < CPU_SLOT_LEVELS; level++) {
		for (int i = 0; i < n; i++) {
			char name[32];
			snprintf(name, sizeof(name), "%d.%d", cpus[i], level);
			int fd = cpu_slot_open(dfd, name);
			if (fd < 0)
				continue;
			if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
				close(dfd);
				log_debug("cpu slot %s", name);
				return cpus[i]; /* (fd stays open: the slot is ours) */
			}
			close(fd);
		}
	}
	close(dfd);
	return cpu;
}

/* A CPU of set other than cpu, or -1. */
static int
side_cpu_of(int cpu, const cpu_set_t *set)
{
	for (int i = 0; cpu >= 0 && i < CPU_SETSIZE; i++)
		if (i != cpu && CPU_ISSET(i, set))
			return i;
	return -1;
}

/* The start message from the CLI to the sentry: once the sentry's ids are mapped (and it is
 * in its cgroup), the CPU to settle on and the gofer's socket. */
struct start_msg {
	int cpu;
};

static int
send_start(int sock, int cpu, int gofer_sock)
{
	struct start_msg m = { .cpu = cpu };

	return send_with_fd(sock, &m, sizeof(m), gofer_sock);
}

/* In the sentry: waits for the start message; the gofer's socket, or -1 when the CLI gave
 * up (it said why). */
static int
recv_start(int sock, int *cpu)
{
	struct start_msg m;
	int fd;

	if (recv_with_fd(sock, &m, sizeof(m), 0, &fd) != (ssize_t)sizeof(m)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*cpu = m.cpu;
	return fd;
}

/* An OCI container that fails before its program is loaded: the first error line, which
 * the CLI hands to `create` (tell_create_why) to say why. Memory only: the confined sentry
 * calls it too. */
static void
note_fatal(const char *msg)
{
	if (!run_stats->fatal[0])
		snprintf(run_stats->fatal, sizeof(run_stats->fatal), "%s", msg);
}

/* The container's process: `create` still waits on the ready pipe when the sentry ended
 * before the program was loaded; "E" and the reason tell it why (SIGPIPE ignored: create
 * may have gone). */
static void
tell_create_why(const struct oci_run *x)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;

	if (!x || x->ready_fd < 0 || !run_stats->fatal[0])
		return;
	sigaction(SIGPIPE, &ign, &old);
	char msg[sizeof(run_stats->fatal) + 1] = "E";
	snprintf(msg + 1, sizeof(msg) - 1, "%s", run_stats->fatal);
	write_all(x->ready_fd, msg, strlen(msg));
	sigaction(SIGPIPE, &old, NULL);
}

static int
exit_code_for(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return EXIT_SETUP;
}

/* Is path (inside) a shell script without its #! line: text that starts as neither an ELF
 * file nor a #! line? (Empty files, binary data, ELF files and bad #! lines keep the
 * loader's clear error: sh would run an empty file as nothing or garbage as commands.) */
static bool
sh_script(struct task *t, const char *path)
{
	unsigned char head[512];
	struct file *f;

	if (vfs_openat(t, NULL, path, O_RDONLY | O_CLOEXEC, 0, &f) < 0)
		return false;
	ssize_t n = file_pread(f, head, sizeof(head), 0);
	file_put(f);
	if (n <= 0 || (n >= 2 && head[0] == '#' && head[1] == '!') ||
	    (n >= 4 && !memcmp(head, "\177ELF", 4)))
		return false;
	for (ssize_t i = 0; i < n; i++)
		if (head[i] == 0 || (head[i] < 0x20 && !strchr("\t\n\v\f\r\033", head[i])))
			return false;
	return true;
}

static void __attribute__((noreturn))
exec_error(const struct run_opts *o, const char *prog, int err, const char *msg)
{
	if (msg && *msg)
		log_fatal_line("%s", msg);
	else
		log_fatal_line("%s: %s", prog, strerror(-err));
	fflush(NULL);
	finish_export(o);
	_exit(err == -ENOENT ? EXIT_NOTFOUND : EXIT_NOEXEC);
}

/* --init's binary could not be run inside (a root that does not show it). */
static void __attribute__((noreturn))
init_missing(const struct run_opts *o, const char *path, int err)
{
	char msg[PATH_MAX + 128];

	snprintf(msg, sizeof(msg), "--init: this sandbox binary (%s) is not visible inside the "
		 "sandbox: %s", path, strerror(-err));
	exec_error(o, path, err, msg);
}

static void __attribute__((noreturn))
selftest_forbidden(void)
{
	/* After confinement a host open must be refused: prints the errno name it got. */
	long r = syscall(SYS_openat, AT_FDCWD, "/", O_RDONLY);
	printf("openat: %s\n", r < 0 ? strerrorname_np(errno) : "ALLOWED");
	r = syscall(SYS_socket, AF_UNIX, SOCK_STREAM, 0);
	printf("socket: %s\n", r < 0 ? strerrorname_np(errno) : "ALLOWED");
	r = syscall(SYS_execve, "/bin/true", NULL, NULL);
	printf("execve: %s\n", r < 0 ? strerrorname_np(errno) : "ALLOWED");
	fflush(stdout);
	_exit(0);
}

/* An OCI container's program is loaded: `sandbox create` hears so, and `sandbox start`
 * lets it run (a byte on hold_fd; EOF means the container was deleted first). Meanwhile
 * the loop runs, so `exec` works in a created container as under runc. Signals from the
 * host before `start` end the sentry, after it they wait for the program
 * (forward_signal). */
static struct evl_watch hold_watch;

static void
oci_loaded(const struct oci_run *x)
{
	char c = 1;

	if (x->ready_fd >= 0) {
		run_stats->errors_noted_only = 0; /* from now on the container's stderr hears */
		write_all(x->ready_fd, &c, 1);
		close(x->ready_fd);
	}
}

/* `start`'s byte (or EOF) is there. Relayed signals are let in until then (they end the
 * container); the byte is taken with them blocked, so that no signal finds it neither in
 * the pipe nor taken, and from then on they are held for the program (started). */
static void
oci_release(struct evl_watch *w, short revents)
{
	sigset_t old;
	char c;

	(void)revents;
	block_relay(&old);
	ssize_t n = read(w->fd, &c, 1);
	if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		return;
	}
	released = n == 1;
	hold_fd = -1;
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (n != 1)
		_exit(EXIT_SETUP);
	evl_watch_del(w);
	close(w->fd);
	int err = plat_resume(sentry.init->ctx, 0);
	if (err)
		die(EXIT_SETUP, "starting the guest: %s", strerror(-err));
	start_forwarding(plat_host_pid(sentry.init->ctx));
	log_debug("program started");
}

/* Up to n integers of a host sysctl into v: how many (before confinement only). */
static int
read_sysctl_ints(const char *path, int *v, int n)
{
	char buf[96], *s = buf, *end;
	int fd = open(path, O_RDONLY | O_CLOEXEC), got = 0;
	ssize_t len;

	if (fd < 0)
		return 0;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return 0;
	buf[len] = 0;
	while (got < n) {
		long x = strtol(s, &end, 10);
		if (end == s || x < INT_MIN || x > INT_MAX)
			break;
		v[got++] = (int)x;
		s = end;
	}
	return got;
}

/* The host kernel's CONFIG_HZ, as its sockets show it: a timeout of 1 us is kept as one
 * jiffy, which reads back as USEC_PER_SEC / HZ microseconds (0 if that cannot be done). */
static int
measure_hz(void)
{
	struct timeval tv = { .tv_usec = 1 };
	socklen_t len = sizeof(tv);
	int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0), ok;

	if (s < 0)
		return 0;
	ok = setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == 0 &&
	     getsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, &len) == 0;
	close(s);
	if (!ok || tv.tv_sec || tv.tv_usec <= 0)
		return 0;
	return (int)((1000000 + tv.tv_usec / 2) / tv.tv_usec);
}

/* A host sysctl's integer, -1 if it cannot be read (before confinement only). */
static int
read_sysctl_int(const char *path)
{
	int v;

	return read_sysctl_ints(path, &v, 1) == 1 ? v : -1;
}

/* A /proc file's unsigned 32-bit number, or -1 (UINT32_MAX) */
static uint32_t
read_proc_u32(const char *path)
{
	char buf[24], *end;

	if (read_small(path, buf, sizeof(buf)) <= 0)
		return UINT32_MAX;
	errno = 0;
	unsigned long v = strtoul(buf, &end, 10);
	return end == buf || errno || v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

/* The first task acting as the sandbox's root for a setup step (whatever --uid the
 * program gets), and back. */
struct as_root {
	struct task *was;
	uid_t euid, fsuid;
	gid_t egid, fsgid;
	uint64_t eff;
};

static void
as_root_enter(struct task *t, struct as_root *s)
{
	*s = (struct as_root){ current_task, t->euid, t->fsuid, t->egid, t->fsgid, t->cap_eff };
	current_task = t;
	t->euid = t->fsuid = 0;
	t->egid = t->fsgid = 0;
	t->cap_eff = t->cap_bnd;
}

static void
as_root_leave(struct task *t, const struct as_root *s)
{
	t->euid = s->euid, t->fsuid = s->fsuid, t->egid = s->egid, t->fsgid = s->fsgid;
	t->cap_eff = s->eff;
	current_task = s->was;
}

/* --ro-path and --mask (an OCI config's readonlyPaths and maskedPaths), as runc applies
 * them, before the program's cwd is entered: a read-only path is bound onto itself (with
 * what is mounted below it) and that mount made read-only (a mount's root is made
 * read-only in place: an OCI /dev with "ro"); then a masked directory gets an
 * empty read-only tmpfs over it and a masked file the null device bound over it. A path
 * that is not there is skipped; any other failure ends the run. Guest mounts like any
 * other: a program with CAP_SYS_ADMIN may unmount them, as under runc. */
static void
apply_masks(struct task *t, const struct run_opts *o)
{
	struct as_root s;

	if (!o->nro_paths && !o->nmasks)
		return;
	as_root_enter(t, &s);
	for (int i = 0; i < o->nro_paths; i++) {
		const char *p = o->ro_paths[i];
		/* a mount's root (/dev, /tmp) is made read-only itself */
		int err = vfs_mount_setattr(t, NULL, p, 0, MOUNT_ATTR_RDONLY, 0, 0, false);
		if (err == -EINVAL)
			err = vfs_mount(t, p, p, NULL, MS_BIND | MS_REC, NULL);
		if (!err)
			err = vfs_mount_setattr(t, NULL, p, 0, MOUNT_ATTR_RDONLY, 0, 0, false);
		if (err && err != -ENOENT)
			die(EXIT_SETUP, "--ro-path %s: %s", p, strerror(-err));
	}
	for (int i = 0; i < o->nmasks; i++) {
		const char *p = o->masks[i];
		struct stat st;
		int err = vfs_statat(t, NULL, p, 0, &st);
		if (!err)
			err = S_ISDIR(st.st_mode) ? vfs_mount(t, "tmpfs", p, "tmpfs", MS_RDONLY, NULL)
						  : vfs_mount(t, "/dev/null", p, NULL, MS_BIND, NULL);
		if (err && err != -ENOENT)
			die(EXIT_SETUP, "--mask %s: %s", p, strerror(-err));
	}
	as_root_leave(t, &s);
}

/* --sysctl: each KEY=VALUE written to /proc/sys/KEY (dots are slashes) in the first
 * task's namespaces, as the sandbox's root would write it (whatever --uid the program
 * gets): the sandbox's own values (its initial network, IPC... namespaces), with Linux's
 * checks; one that cannot be set ends the run. */
static void
apply_sysctls(struct task *t, const struct run_opts *o)
{
	struct as_root s;

	if (!o->nsysctls)
		return;
	as_root_enter(t, &s);
	for (int i = 0; i < o->nsysctls; i++) {
		const char *kv = o->sysctls[i], *val = strchr(kv, '=') + 1;
		char path[256];
		struct file *f;
		ssize_t n;

		snprintf(path, sizeof(path), "/proc/sys/%.*s", (int)(val - 1 - kv), kv);
		for (char *p = path + 10; *p; p++)
			if (*p == '.')
				*p = '/';
		int err = vfs_openat(t, NULL, path, O_WRONLY, 0, &f);
		if (!err) {
			n = file_write(f, val, strlen(val));
			err = n < 0 ? (int)n : 0;
			file_put(f);
		}
		if (err)
			die(EXIT_USAGE, "--sysctl %s: %s", kv, strerror(-err));
	}
	as_root_leave(t, &s);
}

static void __attribute__((noreturn))
sentry_main(const struct run_opts *o, int start_sock, const char *cwd)
{
	struct ld_result res;
	struct utsname un;
	int err, cpu = -1;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	install_forwarding(); /* first: the CLI relays from the clone on */
	net_set_mode(o->net.mode);
	/* The network namespace is the slow one to make (~0.5 ms): made here, it overlaps the
	 * CLI's mapping of our ids and its start of the gofer. Same namespace, same owner (our
	 * user namespace) as when the clone makes it. */
	if (unshare(CLONE_NEWNET) < 0) {
		int e = errno;
		char why[512];
		die(EXIT_SETUP, "cannot create the sandbox's network namespace (%s): %s", strerror(e),
		    explain_userns_failure(e, why, sizeof(why)));
	}
	/* The guest gets fd 2 itself; our messages keep going to the caller's stderr. */
	log_fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
#ifdef __SANITIZE_ADDRESS__
	/* and so do the sanitizers' reports (the ASan build) */
	__sanitizer_set_report_fd((void *)(intptr_t)fcntl(log_fd, F_DUPFD_CLOEXEC, 3)); /* its own: it may close it */
#endif
	/* With a terminal relay the sentry and its stubs leave the user's session, so the
	 * terminal's signals (SIGWINCH...) reach the CLI alone, which relays them. */
	if (o->tty_fds)
		setsid();
	if (o->export_fd >= 0) {
		struct sigaction sa = { .sa_handler = stop_guests };
		sigaction(EXPORT_STOP_SIGNAL, &sa, NULL);
	}
	log_install_crash_handlers();
	log_debug("sentry started");
	err = plat_init();
	if (err) {
		char why[512];
		die(EXIT_SETUP, "platform setup failed (%s): %s", strerror(-err),
		    explain_ptrace_failure(-err, why, sizeof(why)));
	}
	plat_exit_hook = futex_exit_stop; /* (robust lists of threads a signal kills) */
	for (int i = 0; i < RLIM_NLIMITS; i++)
		getrlimit(i, &sentry.rlim[i]);
	sentry.host_stack = sentry.rlim[RLIMIT_STACK];
	struct rlimit nofile = sentry.rlim[RLIMIT_NOFILE];
	if (o->max_fsize) {
		sentry.rlim[RLIMIT_FSIZE].rlim_cur = o->max_fsize;
		sentry.rlim[RLIMIT_FSIZE].rlim_max = o->max_fsize;
	}
	if (o->max_files) {
		sentry.rlim[RLIMIT_NOFILE].rlim_cur = o->max_files;
		sentry.rlim[RLIMIT_NOFILE].rlim_max = o->max_files;
	}
	sentry.init_unkillable = o->oci != NULL;
	for (int i = 0; o->oci && i < RLIM_NLIMITS; i++)
		if (o->oci->have_rlim[i])
			sentry.rlim[i] = o->oci->rlim[i];
	fdt_set_max_fds(sentry.rlim[RLIMIT_NOFILE].rlim_cur);
	nofile.rlim_cur = nofile.rlim_max;
	setrlimit(RLIMIT_NOFILE, &nofile);
	if (uname(&un) < 0)
		die(EXIT_SETUP, "uname: %s", strerror(errno));
	sentry.uts = un;
	snprintf(sentry.hostname, sizeof(sentry.hostname), "%s", o->hostname ? o->hostname : un.nodename);
	sethostname(sentry.hostname, strlen(sentry.hostname));
	log_debug("platform ready");
	/* Socket buffer sizes as a new network namespace on this host has them. */
	sock_set_buf_limits(read_sysctl_int("/proc/sys/net/core/wmem_default"),
			    read_sysctl_int("/proc/sys/net/core/rmem_default"),
			    read_sysctl_int("/proc/sys/net/core/wmem_max"),
			    read_sysctl_int("/proc/sys/net/core/rmem_max"));
	{
		int r[3], w[3];

		if (read_sysctl_ints("/proc/sys/net/ipv4/tcp_rmem", r, 3) == 3 &&
		    read_sysctl_ints("/proc/sys/net/ipv4/tcp_wmem", w, 3) == 3)
			sock_set_tcp_mem(r, w);
	}
	sock_set_hz(measure_hz());
	/* Linux copies both into every new task: the sandbox's tasks descend from its caller */
	sentry.host_loginuid = read_proc_u32("/proc/self/loginuid");
	sentry.host_sessionid = read_proc_u32("/proc/self/sessionid");
	sentry.audit_sessions = sentry.host_sessionid == UINT32_MAX ? 0 : sentry.host_sessionid;
	/* An OCI container whose cgroup's OOM killer keeps its memory: the stubs the sentry
	 * forks are its first choice, through the sentry's own file. */
	if (o->oci && o->oci->oom_kill) {
		int fd = open("/proc/self/oom_score_adj", O_RDWR | O_CLOEXEC);
		if (fd >= 0)
			plat_set_oom_adj_fd(fd);
	}
	/* the machine's O_CREAT protections in sticky directories, as on the host */
	vfs_set_protected_creat(read_sysctl_int("/proc/sys/fs/protected_fifos"),
				read_sysctl_int("/proc/sys/fs/protected_regular"));
	root_switch_start();
	sentry.host_nnp = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1; /* the caller's */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		die(EXIT_SETUP, "no_new_privs: %s", strerror(errno));
	err = confine_sentry();
	if (err) {
		char why[512];
		die(EXIT_SETUP, "installing the sentry's seccomp filter (%s): %s", strerror(-err),
		    explain_seccomp_failure(-err, why, sizeof(why)));
	}
	log_debug("confined");
	/* All of the above needs neither our id maps, nor our cgroup, nor the gofer: it runs
	 * beside the CLI's work. From here on the sentry waits for them (every stub is made
	 * later, so it is in the cgroup and inherits all of the above). */
	int gofer_sock = recv_start(start_sock, &cpu);
	if (gofer_sock < 0)
		_exit(EXIT_SETUP);
	close(start_sock);
	if (pin_to_cpu(cpu))
		plat_set_home_cpu(cpu);
	log_debug("started");
	if (o->selftest_forbidden)
		selftest_forbidden();
	if (o->max_tasks)
		sentry.max_tasks = o->max_tasks;
	if (o->cpu_time > 0) {
		/* A fence behind the sentry's own check: no one stub may pass the whole budget. */
		unsigned long fence = (unsigned long)o->cpu_time + 2;
		plat_stub_rlimit(RLIMIT_CPU, fence, fence);
	}

	gofer_client_init(gofer_sock);
	vfs_devpts_data = o->devpts;
	err = vfs_init(o->plan.specs, o->plan.nspecs);
	if (err) {
		/* vfs_init said which mount failed and why */
		fflush(NULL);
		_exit(EXIT_SETUP);
	}

	log_debug("filesystem ready");
	struct task *t = task_new();
	sentry.init = t;
	t->uid = t->euid = t->suid = o->uid >= 0 ? (uid_t)o->uid : sentry.host_uid;
	t->gid = t->egid = t->sgid = o->gid >= 0 ? (gid_t)o->gid : sentry.host_gid;
	t->fsuid = t->euid, t->fsgid = t->egid;
	t->timer_slack = t->timer_slack_dfl = 50000; /* Linux's default, 50 us */
	task_caps_init(t);
	/* Without a terminal the first program is no session or group leader: like one that
	 * unshare --fork or a container runtime started in a new pid namespace, its session
	 * and group are outside, 0 as seen from inside (so it may setsid or join a child's
	 * group). With one it leads the session that terminal belongs to. */
	if (!o->tty_fds)
		t->pgid = t->sid = 0;
	if (o->oci && o->oci->have_groups && o->oci->ngroups > 0) {
		t->ngroups = o->oci->ngroups;
		t->groups = xcalloc(t->ngroups, sizeof(gid_t));
		memcpy(t->groups, o->oci->groups, t->ngroups * sizeof(gid_t));
	} else if (o->gid < 0 && sentry.host_ngroups > 0) { /* the caller's; --gid: none */
		t->ngroups = sentry.host_ngroups;
		t->groups = xcalloc(t->ngroups, sizeof(gid_t));
		memcpy(t->groups, sentry.host_groups, t->ngroups * sizeof(gid_t));
	}
	t->nice = sentry.host_nice;
	t->no_new_privs = sentry.host_nnp;
	memcpy(t->rlim, sentry.rlim, sizeof(t->rlim));
	for (int sig = 1; sig <= 64; sig++)
		if (sentry.host_ignored & (1UL << (sig - 1)))
			t->sig_handlers[sig - 1] = (unsigned long)SIG_IGN;
	t->ppid = 0;
	t->mm = mm_new();
	t->fdt = fdt_new();
	t->fs = vfs_ctx_new();
	ns_init_task(t);
	if (o->oci && o->oci->have_oom_adj) {
		t->oom_score_adj = o->oci->oom_adj;
		if (o->oci->oom_adj_min)
			t->oom_score_adj_min = o->oci->oom_adj;
	}
	if (o->oci && o->oci->umask != (mode_t)-1)
		vfs_umask(t->fs, o->oci->umask & 0777);
	for (int fd = 0; fd < 3 + (o->oci ? o->oci->preserve_fds : o->preserve_fds); fd++) {
		if (fd < 3 && ((o->tty_fds | closed_std) & (1u << fd)))
			continue;
		struct file *f;
		int same = host_fd_alias ? host_fd_alias[fd] : -1;
		if (same >= 0 && (f = fdt_get(t->fdt, same))) {
			fdt_install_at(t->fdt, fd, f, false);
			close(fd); /* the sentry's copy: no guest file holds it */
			continue;
		}
		f = file_from_host_stdio(fd);
		if (f) {
			fdt_install_at(t->fdt, fd, f, false);
			file_put(f);
		}
	}
	if (o->tty_fds) {
		err = console_setup(t, o->tty_fds, o->tty_in, o->tty_out, o->tty_size,
				    o->have_tio ? &o->host_tio : NULL);
		if (err)
			die(EXIT_SETUP, "setting up the terminal: %s", strerror(-err));
	}
	/* runc's order: sysctls, read-only and masked paths, then the cwd */
	sock_set_ping_groups(t, sentry.host_ping_groups[0], sentry.host_ping_groups[1]);
	apply_sysctls(t, o);
	apply_masks(t, o);
	if (o->cwd) {
		err = o->oci ? oci_chdir(t, o->cwd) : vfs_chdir(t, NULL, o->cwd);
		if (err)
			die(EXIT_USAGE, "--cwd %s: %s", o->cwd, strerror(-err));
	} else if (cwd && vfs_chdir(t, NULL, cwd) < 0) {
		vfs_chdir(t, NULL, "/");
	}
	if (o->oci && o->oci->have_caps)
		oci_apply_caps(t, o->oci->caps); /* after the sysctls, which root sets */
	char **argv = o->argv;
	if (o->init_argv) {
		/* PROGRAM must be there, as without --init; the init runs it */
		char *p = resolve_program(t, o->argv[0], o->env, &err);
		if (!p)
			exec_error(o, o->argv[0], err, NULL);
		free(p);
		argv = o->init_argv;
	}
	char *prog = resolve_program(t, argv[0], o->env, &err);
	if (!prog && o->init_argv)
		init_missing(o, argv[0], err);
	if (!prog)
		exec_error(o, o->argv[0], err, NULL);
	log_debug("program resolved");
	root_switch_wait(); /* before the first stub is forked */
	err = plat_new_as(&t->ctx);
	if (err) {
		/* The CLI still sees the host's /proc to explain it; the sentry no longer does. */
		run_stats->ptrace_err = -err;
		_exit(EXIT_SETUP);
	}
	plat_set_owner(t->ctx, t);
	log_debug("stub ready");
	memset(&res, 0, sizeof(res));
	err = ld_exec(t, prog, argv, o->env, &res);
	char **sh_args = NULL;
	if (err == -ENOEXEC && !o->oci && !o->init_argv && sh_script(t, prog)) {
		/* as execvp (env, timeout, nohup) runs a script without its #! line: /bin/sh
		 * reads it, argv[0] replaced by the shell's (glibc's script fallback) */
		size_t n = 0;
		while (o->argv[n])
			n++;
		sh_args = xcalloc(n + 2, sizeof(*sh_args));
		sh_args[0] = "/bin/sh";
		sh_args[1] = prog;
		for (size_t i = 1; i < n; i++)
			sh_args[i + 1] = o->argv[i];
		memset(&res, 0, sizeof(res));
		err = ld_exec(t, "/bin/sh", sh_args, o->env, &res);
		prog = err ? prog : "/bin/sh";
	}
	if (err && o->init_argv && err != -ENOMEM)
		init_missing(o, argv[0], err);
	if (err == -ENOMEM && (limit_report->refused & (1U << LIMIT_MEMORY))) {
		fprintf(stderr, "sandbox: %s\n", res.errmsg);
		limits_end_run(LIMIT_MEMORY); /* --memory is too small to load the program */
	}
	if (err)
		exec_error(o, o->argv[0], err, res.errmsg);
	task_set_comm(t, prog);
	t->did_exec = true; /* (a program started as execve starts one: not PF_FORKNOEXEC) */
	free(sh_args);
	exec_signals_brk(t, 0, &res);
	if (sentry.profile_filter.len &&
	    (err = seccomp_attach(t, sentry.profile_filter.filter, sentry.profile_filter.len)))
		die(EXIT_SETUP, "attaching the seccomp profile: %s", strerror(-err));
	err = plat_set_regs(t->ctx, &res.regs);
	if (!err && o->oci)
		oci_loaded(o->oci);
	bool hold = !err && o->oci && o->oci->hold_fd >= 0;
	if (hold) {
		hold_fd = o->oci->hold_fd;
		hold_watch = (struct evl_watch){ .fd = hold_fd, .events = POLLIN,
						 .ready = oci_release };
		err = evl_watch_add(&hold_watch);
	} else if (!err) {
		err = plat_resume(t->ctx, 0);
	}
	if (err)
		die(EXIT_SETUP, "starting the guest: %s", strerror(-err));
	if (!hold)
		start_forwarding(plat_host_pid(t->ctx));
	log_debug("program loaded%s", hold ? ", held until start" : " and started");
	if (exec_chan[0] >= 0)
		exec_ctl_init(exec_chan[0]);
	if (o->tty_fds && console_start() < 0)
		log_warn("the terminal relay could not watch all its fds");
	if (o->selftest_crash) {
		/* 0.3 s, whatever signals (SIGCHLD of the stubs' stops) cut the sleep short */
		struct timespec left = { 0, 300000000 };
		while (nanosleep(&left, &left) < 0 && errno == EINTR)
			;
		int *volatile bad = (int *)(uintptr_t)o->selftest_crash;
		*bad = 0; /* SIGSEGV at address 1: the crash handler runs */
	}

	int status = sentry_loop();
	console_finish();
	log_debug("program exited");
	finish_export(o);
	if (sentry.opts.stats) {
		sys_print_stats();
		plat_print_stats();
	}
	run_stats->denials = sentry.denials;
	run_stats->signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	run_stats->finished = 1;
	/* _exit: atexit work such as LeakSanitizer's cannot run under the sentry's filter. */
	fflush(NULL);
	_exit(exit_code_for(status));
}

/* ---- on the host ---- */

static pid_t sentry_pid;
/* An OCI container's process: a SIGTERM is only relayed. runc leaves a container whose
 * init ignores it running (podman's stop sends SIGKILL after its own timeout, which the
 * 10 s grace of `sandbox run` would race: the container ended just then, and podman's
 * `kill ID KILL` found it stopped and failed the stop). */
static bool term_only_relayed;

static void
relay_signal(int sig)
{
	union sigval v = { .sival_int = sig };

	if (sentry_pid > 0) {
		if (sig_relayed(sig))
			sigqueue(sentry_pid, RELAY_SIGNAL, v);
		else
			kill(sentry_pid, sig); /* (SIGWINCH: the terminal's size) */
	}
	if (sig == SIGTERM && !term_only_relayed)
		mon_note_term();
}

/* ---- the terminal (--tty) ---- */

static struct termios saved_tio;
static bool restore_tio;

/* Puts the user's terminal back as it was (the sentry made it raw), on every way out. */
static void
restore_terminal(void)
{
	sigset_t ttou, old;

	if (!restore_tio)
		return;
	restore_tio = false;
	sigemptyset(&ttou);
	sigaddset(&ttou, SIGTTOU); /* allowed from the background too */
	sigprocmask(SIG_BLOCK, &ttou, &old);
	tcsetattr(STDIN_FILENO, TCSADRAIN, &saved_tio);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

static void
fatal_restore(int sig)
{
	restore_terminal();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* A description of our std fd of the sentry's own, non-blocking unless it is a regular
 * file (a new one would lose the offset), which never blocks anyway. */
static int
relay_fd(int fd, int acc)
{
	struct stat st;
	char path[32];
	int r;

	if (fstat(fd, &st) < 0)
		return -1;
	if (!S_ISREG(st.st_mode)) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		r = open(path, acc | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
		if (r >= 0)
			return r;
	}
	return fcntl(fd, F_DUPFD_CLOEXEC, 3);
}

/* Decides whether the guest gets a terminal and prepares the relay's fds: by default when
 * stdin is the terminal we are in the foreground of; the std fds that are terminals get
 * the guest's, whose output goes to the first of them. --tty: all three, relayed to stdin
 * and stdout whatever they are. */
static void
setup_tty(struct run_opts *o)
{
	bool in_tty = isatty(STDIN_FILENO);
	int out = STDOUT_FILENO;

	o->tty_in = o->tty_out = o->tty_size = -1;
	if (o->tty == 0)
		return;
	if (o->tty < 0) {
		if (!in_tty || tcgetpgrp(STDIN_FILENO) != getpgrp())
			return;
		o->tty_fds = 1;
		for (int fd = 2; fd >= 1; fd--) {
			if (isatty(fd)) {
				o->tty_fds |= 1u << fd;
				out = fd;
			}
		}
		if (!(o->tty_fds & 6))
			out = STDIN_FILENO; /* echoes go to the terminal the keys come from */
	} else {
		o->tty_fds = 7;
	}
	o->tty_in = relay_fd(STDIN_FILENO, O_RDONLY);
	o->tty_out = relay_fd(out, O_WRONLY);
	if (o->tty_in < 0 || o->tty_out < 0)
		die(EXIT_SETUP, "--tty: cannot use the standard fds: %s", strerror(errno));
	o->tty_size = isatty(o->tty_in) ? o->tty_in : isatty(o->tty_out) ? o->tty_out : -1;
	if (in_tty && tcgetattr(STDIN_FILENO, &o->host_tio) == 0) {
		static const int fatal[] = { SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL };
		struct sigaction sa = { .sa_handler = relay_signal };

		o->have_tio = true;
		saved_tio = o->host_tio;
		restore_tio = true;
		atexit(restore_terminal);
		for (size_t i = 0; i < ARRAY_SIZE(fatal); i++)
			signal(fatal[i], fatal_restore);
		sigaction(SIGWINCH, &sa, NULL);
	} else if (isatty(o->tty_out)) {
		struct sigaction sa = { .sa_handler = relay_signal };

		sigaction(SIGWINCH, &sa, NULL);
	}
}

static void
export_no_hook(bool interrupted)
{
}

/* The export receiver: a child that writes the change list and the exported files (the
 * stream is untrusted: sentry/export.c checks every record). Its exit status: 0 all
 * exported, 1 some records could not be, 2 the change list could not be written. */
static pid_t
start_export_receiver(int sock, int changes_fd, const char *dir)
{
	fflush(NULL);
	pid_t pid = fork();

	if (pid < 0)
		die(EXIT_SETUP, "fork: %s", strerror(errno));
	if (pid > 0)
		return pid;
	/* signals for the run are the parent's to relay */
	sig_ignore_relayed();
	signal(SIGWINCH, SIG_IGN);
	int errors = export_receive(sock, changes_fd, dir, export_no_hook);
	fflush(NULL);
	_exit(errors < 0 ? 2 : errors > 0 ? 1 : 0);
}

/* Waits for the receiver (the sentry is gone, so its stream has ended): -1 when the change
 * list could not be written, else the number of records not exported (0 or 1 = some). */
static int
finish_export_receiver(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (!WIFEXITED(st) || WEXITSTATUS(st) == 2)
		return -1;
	return WEXITSTATUS(st);
}

static void
write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write_all(fd, text, strlen(text)) < 0)
		die(EXIT_SETUP, "writing %s: %s", path, strerror(errno));
	close(fd);
}

static void
map_ids(pid_t pid)
{
	char path[64], map[64];
	uid_t uid = getuid();
	gid_t gid = getgid();

	/* Root maps the sentry to nobody on the host; others to themselves. */
	snprintf(path, sizeof(path), "/proc/%d/uid_map", pid);
	snprintf(map, sizeof(map), "0 %u 1\n", uid == 0 ? 65534 : uid);
	write_file(path, map);
	snprintf(path, sizeof(path), "/proc/%d/setgroups", pid);
	write_file(path, "deny\n");
	snprintf(path, sizeof(path), "/proc/%d/gid_map", pid);
	snprintf(map, sizeof(map), "0 %u 1\n", uid == 0 ? 65534 : gid);
	write_file(path, map);
}

static void write_result(int fd, int code, int limit, unsigned long peak, unsigned long long guest_cpu_ns,
			 const struct timespec *t0);

void
sandbox_run_check(int argc, char **argv)
{
	static struct run_opts o;

	parse_run(argc, argv, &o);
	mountopt_plan(o.mounts, o.nmounts, true, &o.plan);
}

static int
cmd_run(int argc, char **argv)
{
	return sandbox_run(argc, argv, NULL);
}

int
sandbox_run(int argc, char **argv, const struct oci_run *x)
{
	static struct run_opts o; /* static: what it points to stays reachable (LeakSanitizer) */
	char cwd[PATH_MAX];
	int start_sock[2], gofer_sock, status;
	pid_t gofer_pid;

	/* --profile FILE comes first: its options, then the command line's (which win). */
	if (argc > 2 && !strcmp(argv[1], "--profile")) {
		int n;
		static char **pv, **all;
		pv = profile_options(argv[2], &n);
		all = xcalloc(n + argc, sizeof(char *));
		memcpy(all, pv, n * sizeof(char *));
		memcpy(all + n, argv + 3, (argc - 3) * sizeof(char *));
		argv = all;
		argc = n + argc - 3;
	}
	parse_run(argc, argv, &o);
	o.oci = x;
	log_debug("cli start");
	load_seccomp_profile(&o);
	if (o.init_argv)
		make_init_argv(&o);
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int json_fd = o.json_path ? open_output(o.json_path) : o.json_fd;
	int changes_fd = o.changes_path ? open_output(o.changes_path) : -1;
	int export_sock[2] = { -1, -1 };
	if (o.export_dir)
		export_check_dir(o.export_dir);
	if ((o.changes_path || o.export_dir) &&
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, export_sock) < 0)
		die(EXIT_SETUP, "socketpair: %s", strerror(errno));
	o.export_fd = export_sock[1];
	limits_init(o.memory ? (unsigned long)o.memory : mon_default_memory(),
		    (unsigned long long)(o.cpu_time * 1e9));
	limit_report->oom_kill = x && x->oom_kill;
	run_stats = mmap(NULL, sizeof(*run_stats), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
			 -1, 0);
	if (run_stats == MAP_FAILED)
		die(EXIT_SETUP, "mmap: %s", strerror(errno));
	if (x && x->ready_fd >= 0) {
		log_error_note = note_fatal; /* the sentry's too: the page is shared */
		run_stats->errors_noted_only = 1;
		log_errors_noted_only = &run_stats->errors_noted_only;
	}
	sentry.denials_shared = &run_stats->denials;
	if (o.audit_path)
		sentry.opts.audit_fd = open_output(o.audit_path);
	if (o.trace_path)
		sentry.opts.trace_fd = open_output(o.trace_path);
	sentry.host_uid = getuid();
	sentry.host_gid = getgid();
	int ng = getgroups(0, NULL);
	if (ng > 0) {
		sentry.host_groups = xcalloc(ng, sizeof(gid_t));
		ng = getgroups(ng, sentry.host_groups);
	}
	sentry.host_ngroups = MAX(ng, 0);
	/* The host's ping_group_range is the sandbox's network's (a new namespace's would
	 * be Linux's default, no group), so ICMP echo sockets are the caller's to use inside
	 * exactly when they are outside (systemd and docker open them to every group). A
	 * container (OCI) starts from the default, as runc's new namespace. */
	char pg[64] = "1 0";
	if (!x) {
		int fd = open("/proc/sys/net/ipv4/ping_group_range", O_RDONLY | O_CLOEXEC);
		ssize_t n = fd >= 0 ? read(fd, pg, sizeof(pg) - 1) : -1;

		if (fd >= 0)
			close(fd);
		if (n > 0)
			pg[n] = 0;
	}
	if (sscanf(pg, "%d %d", &sentry.host_ping_groups[0], &sentry.host_ping_groups[1]) != 2)
		sentry.host_ping_groups[0] = 1, sentry.host_ping_groups[1] = 0;
	errno = 0;
	sentry.host_nice = getpriority(PRIO_PROCESS, 0);
	if (errno)
		sentry.host_nice = 0;
	/* Ignored signals are inherited through fork and exec: under nohup, or as a shell's
	 * background job, the first program starts with them ignored too. */
	for (int sig = 1; sig <= 64; sig++) {
		struct sigaction sa;
		if (sig != SIGKILL && sig != SIGSTOP && sigaction(sig, NULL, &sa) == 0 &&
		    sa.sa_handler == SIG_IGN)
			sentry.host_ignored |= 1UL << (sig - 1);
	}
	if (!getcwd(cwd, sizeof(cwd)))
		snprintf(cwd, sizeof(cwd), "/");

	int cpu = sched_getcpu();
	mountopt_plan(o.mounts, o.nmounts, !x, &o.plan);
	setup_tty(&o);
	find_fd_aliases(3 + (x ? x->preserve_fds : o.preserve_fds), o.tty_fds | closed_std);
	/* sockets among the fds the program gets: their names, seen now (the sentry may not) */
	for (int fd = 0; fd < 3 + (x ? x->preserve_fds : o.preserve_fds); fd++)
		if ((fd >= 3 || !((o.tty_fds | closed_std) & (1u << fd))) && host_fd_alias[fd] < 0)
			hostsock_snapshot(fd);
	/* The sentry first (it makes its network namespace meanwhile), then its id maps and
	 * cgroup and the gofer; then the start message lets it go on. */
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, start_sock) < 0)
		die(EXIT_SETUP, "socketpair: %s", strerror(errno));
	if (x && x->exec_sock && socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, exec_chan) < 0)
		die(EXIT_SETUP, "socketpair: %s", strerror(errno));
	fflush(NULL);
	/* The CPUs the guest may use (its sched_getaffinity), before anything is pinned. */
	if (sched_getaffinity(0, sizeof(sentry.guest_cpus), (cpu_set_t *)sentry.guest_cpus) < 0)
		memset(sentry.guest_cpus, 0, sizeof(sentry.guest_cpus));
	cpu = cpu_slot_take(cpu, (const cpu_set_t *)sentry.guest_cpus);
	int side_cpu = side_cpu_of(cpu, (const cpu_set_t *)sentry.guest_cpus);
	if (o.netns)
		enter_netns(o.netns);
	pin_to_cpu(cpu);        /* the sentry starts there and stays */
	sentry_pid = syscall(SYS_clone, CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS |
					CLONE_NEWIPC | CLONE_NEWUTS | SIGCHLD,
			     NULL, NULL, NULL, 0);
	if (sentry_pid < 0) {
		int e = errno;
		char why[512];
		die(EXIT_SETUP, "cannot create the sandbox's namespaces (%s): %s", strerror(e),
		    explain_userns_failure(e, why, sizeof(why)));
	}
	if (sentry_pid == 0) {
		close(start_sock[0]);
		if (exec_chan[1] >= 0)
			close(exec_chan[1]);
		sentry_main(&o, start_sock[1], cwd);
	}
	close(start_sock[1]);
	/* From here on, signals to `sandbox` go to the sentry, which passes them on (or ends
	 * the run before the program is loaded): none may end the CLI alone meanwhile. */
	struct sigaction sa = { .sa_handler = relay_signal };
	term_only_relayed = x != NULL;
	for (size_t i = 0; i < ARRAY_SIZE(relayed); i++)
		sigaction(relayed[i], &sa, NULL);
	pid_t exec_listener = -1;
	if (exec_chan[0] >= 0) {
		close(exec_chan[0]);
		exec_listener = exec_listener_start(x->exec_sock, exec_chan[1]);
		if (exec_listener < 0)
			log_warn("exec: cannot listen on %s (%s): `exec` will not reach this container",
				 x->exec_sock, strerror(-exec_listener));
		close(exec_chan[1]);
	}
	if (export_sock[1] >= 0)
		close(export_sock[1]);

	if (x && x->hold_fd >= 0)
		close(x->hold_fd);
	if (!pin_to_cpu(side_cpu))
		side_cpu = -1;
	map_ids(sentry_pid);
	mon_cgroup_setup(sentry_pid, limit_report->mem_limit);
	gofer_set_net_policy(&o.net);

	gofer_set_sandbox_pid(sentry_pid);
	int err = gofer_start(o.plan.gofer, o.plan.ngofer, &gofer_sock, &gofer_pid);
	if (err)
		die(EXIT_SETUP, "starting the gofer: %s", strerror(-err));
	log_debug("gofer started");
	/* The gofer (waiting for its first request, so this is cheap) joins the sentry. */
	if (side_cpu >= 0)
		pin_task(gofer_pid, cpu);
	/* An OCI container's process takes the container's rootfs as its root before the
	 * sentry goes on to load the program (so before `create` runs the hooks). */
	if (x && x->rootfs)
		oci_enter_rootfs(x);
	/* A sentry already gone (it said why) leaves its status to the wait below. */
	err = send_start(start_sock[0], cpu, gofer_sock);
	if (err)
		log_debug("starting the sentry: %s", strerror(-err));
	if (side_cpu >= 0)
		pin_to_cpu(cpu);
	close(start_sock[0]);
	close(gofer_sock);
	log_debug("sentry created and mapped");

	/* --changes/--export: a child of ours receives the stream while we watch the run
	 * (the sentry sends it at the end and must not block on a full socket meanwhile). */
	pid_t receiver = -1;
	if (export_sock[0] >= 0) {
		receiver = start_export_receiver(export_sock[0], changes_fd, o.export_dir);
		close(export_sock[0]);
		if (changes_fd >= 0)
			close(changes_fd);
	}
	/* --timeout and the memory fence: the sentry is pid 1 of the guests' pid namespace,
	 * so killing it kills them all; with an export it is told to stop instead, so that
	 * what the guests wrote is still sent. */
	struct mon_result mon;
	if (x && x->waiter > 0)
		mon_reap_also(x->waiter);
	mon_wait(sentry_pid, o.timeout, receiver > 0 ? EXPORT_STOP_SIGNAL : 0, &mon);
	status = mon.status;
	tell_create_why(x);
	log_debug("sentry reaped");
	mon_cgroup_finish(&mon);
	int export_errors = receiver > 0 ? finish_export_receiver(receiver) : 0;
	kill(gofer_pid, SIGKILL);
	waitpid(gofer_pid, NULL, 0);
	log_debug("gofer reaped");
	if (exec_listener > 0) {
		kill(exec_listener, SIGKILL);
		waitpid(exec_listener, NULL, 0);
		oci_remove_exec_sock(x);
	}
	restore_terminal();
	int code, limit = mon.limit;
	if (limit == LIMIT_NONE && WIFEXITED(status) && WEXITSTATUS(status) == EXIT_LIMIT &&
	    limit_report->limit_hit)
		limit = limit_report->limit_hit;
	if (limit == LIMIT_TIMEOUT) {
		fprintf(stderr, "sandbox: timed out after %gs: every guest process was killed\n",
			o.timeout);
		code = EXIT_TIMEOUT;
	} else if (limit == LIMIT_MEMORY || limit == LIMIT_CPU) {
		char what[64];
		if (limit == LIMIT_MEMORY)
			limits_format_memory(what, sizeof(what));
		else
			snprintf(what, sizeof(what), "CPU time limit (%gs)", o.cpu_time);
		fprintf(stderr, "sandbox: %s reached: every guest process was killed\n", what);
		code = EXIT_LIMIT;
	} else if (mon.terminated) {
		/* as if the first program had died of the SIGTERM (also in --json) */
		run_stats->finished = 1;
		run_stats->signal = SIGTERM;
		code = 128 + SIGTERM;
	} else if (run_stats->ptrace_err) {
		char why[512];
		int e = run_stats->ptrace_err;
		/* ENOTSUP: the stub's own seccomp filter was refused (platform/ptrace) */
		fprintf(stderr, "sandbox: creating the guest process (%s): %s\n",
			e == ENOTSUP ? "seccomp filter refused" : strerror(e),
			e == ENOTSUP ? explain_seccomp_failure(EPERM, why, sizeof(why))
				     : explain_ptrace_failure(e, why, sizeof(why)));
		code = EXIT_SETUP;
	} else if (WIFSIGNALED(status)) {
		fprintf(stderr, "sandbox: internal error: the sentry died of signal %d (%s)\n",
			WTERMSIG(status), strsignal(WTERMSIG(status)));
		code = EXIT_SETUP;
	} else {
		code = WEXITSTATUS(status);
	}
	if (export_errors < 0 && code == 0)
		code = EXIT_SETUP; /* the change list the caller asked for could not be written */
	if (json_fd >= 0)
		write_result(json_fd, code, limit, mon.rss_peak,
			     limit_report->guest_cpu_ns ? limit_report->guest_cpu_ns
							: limit_report->guest_cpu_gone_ns + mon.live_cpu_ns,
			     &t0);
	log_debug("done");
	if (x && x->reraise && limit == LIMIT_NONE && run_stats->finished && run_stats->signal)
		die_of_signal(run_stats->signal);
	return code;
}

static const char *const limit_names[LIMIT_COUNT] = {
	[LIMIT_MEMORY] = "memory", [LIMIT_CPU] = "cpu-time", [LIMIT_PIDS] = "pids",
	[LIMIT_FILES] = "files", [LIMIT_FSIZE] = "fsize", [LIMIT_TIMEOUT] = "timeout",
};

/* --json: the result of the run for programs (schema in the README). */
static void
write_result(int fd, int code, int limit, unsigned long peak, unsigned long long guest_cpu_ns,
	     const struct timespec *t0)
{
	bool timed_out = limit == LIMIT_TIMEOUT;
	json_t *reached = json_array();
	struct timespec t1;
	struct rusage ru;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	getrusage(RUSAGE_CHILDREN, &ru);
	double user = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6;
	double sys = ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
	bool sandbox_error = limit == LIMIT_NONE && !run_stats->finished;
	bool signaled = limit == LIMIT_NONE && !sandbox_error && run_stats->signal;
	for (int l = 1; l < LIMIT_COUNT; l++)
		if (l == limit || (limit_report->refused & (1U << l)))
			json_array_append_new(reached, json_string(limit_names[l]));
	peak = MAX(peak, limit_report->mem_peak);
	json_t *j = json_pack("{s:i, s:o, s:b, s:o, s:o, s:b, s:f, s:f, s:f, s:f, s:f, s:I, s:I, s:I}",
			      "exit_code", code,
			      "signal", signaled ? json_integer(run_stats->signal) : json_null(),
			      "timed_out", timed_out,
			      "limit_hit", limit ? json_string(limit_names[limit]) : json_null(),
			      "limits_reached", reached,
			      "sandbox_error", sandbox_error,
			      "wall_time_s", (t1.tv_sec - t0->tv_sec) + (t1.tv_nsec - t0->tv_nsec) / 1e9,
			      "cpu_time_s", user + sys,
			      "user_time_s", user,
			      "system_time_s", sys,
			      "guest_cpu_time_s", guest_cpu_ns / 1e9,
			      "peak_memory_bytes", (json_int_t)peak,
			      "memory_limit_bytes", (json_int_t)limit_report->mem_limit,
			      "denials", (json_int_t)run_stats->denials);
	char *text = j ? json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(6)) : NULL;
	if (text) {
		write_all(fd, text, strlen(text));
		write_all(fd, "\n", 1);
	} else {
		fprintf(stderr, "sandbox: --json: could not encode the result\n");
	}
	free(text);
	json_decref(j);
	close(fd);
}

static int
cmd_syscalls(void)
{
	static const char *const disp[] = { "unsupported", "passthrough", "emulated", "partial", "deny" };
	int counts[5] = { 0 };

	printf("# Syscall support matrix\n\n| nr | name | disposition | note |\n|---|---|---|---|\n");
	for (long nr = 0; nr < SYS_MAX; nr++) {
		const struct sysent *e = sys_lookup(nr);
		if (!e)
			continue;
		counts[e->disp]++;
		printf("| %ld | %s | %s", nr, e->name, disp[e->disp]);
		if (e->disp == SYS_DENY)
			printf(" (%s)", strerrorname_np(e->err));
		printf(" | %s |\n", e->note ? e->note : "");
	}
	printf("\n%d passthrough, %d emulated, %d partial, %d denied; every other number: ENOSYS "
	       "with an audit record.\n", counts[1], counts[2], counts[3], counts[4]);
	return 0;
}

int
sandbox_help(void)
{
	fputs(usage_text, stdout);
	return 0;
}

int
main(int argc, char **argv)
{
	hold_closed_std(); /* before anything of ours opens a descriptor */
	/* jansson's hash seed from one getrandom, not its own open/read/close of /dev/urandom
	 * (it would do that at the first object: every --json run paid for it) */
	uint32_t seed = 0;
	if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) == sizeof(seed))
		json_object_seed(seed ? seed : 1);
	/* inside the sandbox, as the init of `sandbox run --init` (sentry/guest_init.c) */
	if (argc >= 2 && !strcmp(argv[1], "__init"))
		return guest_init_main(argc, argv);
	if (argc < 2)
		usage_error("no command given");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help"))
		return sandbox_help();
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-v")) {
		printf("sandbox %s\nspec: 1.1.0\n", SANDBOX_VERSION);
		return 0;
	}
	if (oci_is_command(argc, argv))
		return oci_main(argc, argv);
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(argv[1], "syscalls"))
		return cmd_syscalls();
	char msg[160];
	snprintf(msg, sizeof(msg), "unknown command '%.100s'", argv[1]);
	usage_error(msg);
}
