/*
 * runc's command line on top of `sandbox run`, for podman, containerd and docker:
 *
 *   sandbox [--root DIR] [--log FILE] [--log-format text|json] [--systemd-cgroup] [--debug]
 *           create|start|state|kill|delete|run|list|spec|features ...
 *
 * `create` reads BUNDLE/config.json (sentry/oci_config.c), then forks the container's
 * process: a `sandbox run` CLI (the pid callers get), which starts the gofer and the sentry;
 * the sentry loads the program and waits. A helper of that process blocks opening the
 * state directory's exec.fifo for writing; `start` opens it for reading, which lets the
 * helper tell the sentry to run the program (as runc's exec.fifo). State lives in
 * ROOT/ID/state.json between invocations; the status is worked out from the process
 * (gone: stopped) and the fifo (still there: created; else running).
 */
#include <dirent.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sentry/exec_ctl.h"
#include "sentry/monitor.h"
#include "sentry/oci.h"
#include "sentry/sentry.h"

/* ---- options ---- */

struct opt {
	const char *name;       /* long name without "--" */
	char shortname;         /* 0: none */
	bool arg;
	const char **val;       /* where the argument (or "1" for a flag) goes */
};

/* The commands runc has that this runtime answers: each one's synopsis (its usage error,
 * and with what it does its -h / --help). */
/* (what a command runc has and this runtime refuses says) */
#define OCI_UNSUPPORTED "not supported by this runtime"
static const struct oci_command {
	const char *name, *args, *what;
} oci_commands[] = {
	{ "create", "[--bundle DIR] [--pid-file FILE] [--console-socket SOCK] [--preserve-fds N] ID",
	  "create a container from DIR/config.json (default: .); its program waits for start" },
	{ "start", "ID", "run the program of a created container" },
	{ "run", "[--bundle DIR] [--detach] [--pid-file FILE] [--console-socket SOCK] ID",
	  "create and start a container; without --detach wait for it and exit with its status" },
	{ "state", "ID", "print a container's state (JSON)" },
	{ "kill", "[--all] ID [SIGNAL]", "send SIGNAL (default SIGTERM) to a container's program" },
	{ "delete", "[--force] ID", "remove a stopped container (--force: a running one too)" },
	{ "list", "[--format table|json] [--quiet]", "list the containers under --root" },
	{ "ps", "[--format table|json] ID [PS OPTIONS]", "list a container's processes" },
	{ "exec", "[OPTIONS] ID [COMMAND [ARG...]]",
	  "run a process in a running container (--process FILE, --tty, --env, --cwd, --user...)" },
	{ "pause", "ID", "freeze every process of a container" },
	{ "resume", "ID", "thaw a paused container" },
	{ "update", "[-r FILE|-] [--memory N] [--memory-swap N] [--memory-reservation N] "
		    "[--pids-limit N] [--cpu-share N] [--cpu-quota N] [--cpu-period N] "
		    "[--cpuset-cpus L] [--cpuset-mems L] ID", "change a container's resource limits" },
	{ "events", "[--stats] [--interval DURATION] ID",
	  "print a container's events (stats, oom) as JSON lines" },
	{ "spec", "[--bundle DIR] [--rootless]", "write a default config.json" },
	{ "features", "", "print what this runtime supports (JSON)" },
	{ "checkpoint", "[OPTIONS] ID", OCI_UNSUPPORTED },
	{ "restore", "[OPTIONS] ID", OCI_UNSUPPORTED },
};

static const struct oci_command *
command_of(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(oci_commands); i++)
		if (!strcmp(oci_commands[i].name, name))
			return &oci_commands[i];
	return NULL;
}

int
oci_usage(const char *cmd)
{
	const struct oci_command *c = command_of(cmd);

	return oci_err("usage: sandbox %s %s", cmd, c ? c->args : "...");
}

/* CMD -h or --help anywhere among its options: its synopsis and purpose, exit 0. */
void
oci_maybe_help(const char *cmd, int argc, char **argv)
{
	const struct oci_command *c = command_of(cmd);
	/* (ps and exec: what follows the id is the command's own) */
	bool args_follow = !strcmp(cmd, "ps") || !strcmp(cmd, "exec");

	for (int i = 0; c && i < argc && strcmp(argv[i], "--"); i++) {
		if (args_follow && argv[i][0] != '-')
			break;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			printf("usage: sandbox [GLOBAL OPTIONS] %s %s\n\n%c%s.\n", cmd, c->args,
			       toupper((unsigned char)c->what[0]), c->what + 1);
			printf("Global options: --root DIR, --log FILE, --log-format text|json, "
			       "--systemd-cgroup, --debug; `sandbox --help` for `sandbox run`.\n");
			exit(0);
		}
	}
}

/* Parses a command's options and its positional arguments (into pos[]). Options may
 * also follow the positionals, as runc's command line takes them (`update ID --memory
 * N`), up to a "--"; not for ps, whose words after the ID are ps's own. Returns the number
 * of positionals, or -1 (with a message) for an unknown option or a missing argument. */
static int
parse_opts(int argc, char **argv, const char *cmd, struct opt *opts, char **pos, int maxpos)
{
	oci_maybe_help(cmd, argc, argv);
	bool rest = false;  /* from here on, positionals only */
	int npos = 0;

	for (int i = 0; i < argc; i++) {
		char *a = argv[i];
		const char *val = NULL;
		struct opt *o = NULL;

		if (!rest && !strcmp(a, "--")) {
			rest = true;
			continue;
		}
		if (rest || a[0] != '-' || !a[1]) {
			if (npos == maxpos)
				return oci_err("%s: unexpected argument '%.100s'", cmd, a), -1;
			pos[npos++] = a;
			rest = rest || !strcmp(cmd, "ps");
			continue;
		}
		size_t len = strcspn(a + 2, "=");
		for (struct opt *p = opts; p->name; p++) {
			if (a[1] == '-' ? strlen(p->name) == len && !strncmp(a + 2, p->name, len)
					: p->shortname && a[1] == p->shortname && !a[2])
				o = p;
		}
		if (!o)
			return oci_err("%s: unknown or unsupported option '%.100s'", cmd, a), -1;
		if (a[1] == '-' && a[2 + len] == '=')
			val = a + 3 + len;
		if (o->arg && !val) {
			if (++i >= argc)
				return oci_err("%s: option '%s' needs an argument", cmd, a), -1;
			val = argv[i];
		} else if (!o->arg && val) {
			if (strcmp(val, "true") && strcmp(val, "false"))
				return oci_err("%s: option '--%s' takes no argument", cmd, o->name), -1;
			val = strcmp(val, "true") ? NULL : "1";
		} else if (!o->arg) {
			val = "1";
		}
		if (o->val)
			*o->val = val;
	}
	return npos;
}


/* ---- create ---- */

struct create_opts {
	const char *bundle, *pid_file, *console_socket, *preserve_fds, *detach;
	bool foreground;    /* `run` without --detach: the terminal is ours */
};

static int
mkdir_p(const char *path, mode_t mode)
{
	char buf[PATH_MAX];

	if ((size_t)snprintf(buf, sizeof(buf), "%s", path) >= sizeof(buf))
		return -ENAMETOOLONG;
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, mode) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, mode) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

/* A new pseudo-terminal: the master goes to the console socket (as runc does), the slave
 * becomes the container process's stdio. */
int
oci_console_open(const char *sock_path, int *slave)
{
	char name[128];
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	if (strlen(sock_path) >= sizeof(sa.sun_path))
		return oci_err("--console-socket: path too long");
	_cleanup_close_ int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0 ||
	    ptsname_r(master, name, sizeof(name)) != 0)
		return oci_err("creating a pseudo-terminal: %s", strerror(errno));
	*slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (*slave < 0)
		return oci_err("opening %s: %s", name, strerror(errno));
	memcpy(sa.sun_path, sock_path, strlen(sock_path) + 1);
	_cleanup_close_ int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0 || connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return oci_err("--console-socket %s: %s", sock_path, strerror(errno));
	if (send_with_fd(s, name, strlen(name), master) < 0)
		return oci_err("--console-socket %s: sending the terminal: %s", sock_path,
			       strerror(errno));
	return 0;
}

/* The helper that waits for `start`: its open of the fifo returns once `start` opens the
 * other end; it then lets the sentry go. It dies with the container's process. */
static void __attribute__((noreturn))
start_waiter(const char *fifo, int hold_w, pid_t parent)
{
	char c = '0';

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
	if (dup2(hold_w, 3) < 0)
		_exit(1);
	close_range(4, ~0U, 0);
	close_range(0, 2, 0); /* the container's stdio is not ours to hold open */
	int fd = open(fifo, O_WRONLY | O_CLOEXEC);
	/* the sentry's byte first: once `start` returns, signals wait for the program */
	if (fd < 0 || write(3, &c, 1) != 1 || write(fd, &c, 1) != 1)
		_exit(1);
	_exit(0);
}

/* The container's process: `sandbox run` with the config's options, whose sentry waits
 * (ready_w, then the hold pipe) for `start`. */
static void __attribute__((noreturn))
container_process(struct oci_config *cfg, json_t *cgroups, const char *fifo, int ready_w,
		  int slave)
{
	int hold[2], err;

	/* into the container's cgroup first: the waiter, the gofer, the sentry and every
	 * guest's stub are born in it */
	if ((err = oci_cg_join(cgroups, getpid())))
		die(EXIT_SETUP, "joining the container's cgroup: %s", strerror(-err));
	/* A memory limit there is the kernel's to enforce, as under runc: past it its OOM
	 * killer ends the guest process with the most memory (exit 137, docker's OOMKilled,
	 * `events`' oom), never one of the sandbox's own (the stubs are its first choice:
	 * plat_set_oom_adj_fd). */
	cfg->run.oom_kill = oci_cg_memory_limit(cgroups) > 0;
	setsid();
	/* linux.resources.cpu.cpus: the container's CPUs, as its cpuset gives them under runc
	 * (sched_getaffinity, nproc); the sentry takes the guests' from ours */
	if (cfg->run.have_cpus) {
		cpu_set_t set;
		_Static_assert(sizeof(set) == sizeof(cfg->run.cpus), "a cpu mask");
		memcpy(&set, cfg->run.cpus, sizeof(set));
		if (sched_setaffinity(0, sizeof(set), &set) < 0)
			die(EXIT_SETUP, "linux.resources.cpu.cpus: %s", strerror(errno));
	}
	if (slave >= 0) {
		for (int fd = 0; fd < 3; fd++)
			dup2(slave, fd);
		ioctl(0, TIOCSCTTY, 0);
		close(slave);
	}
	if (pipe2(hold, O_CLOEXEC) < 0)
		_exit(EXIT_SETUP);
	pid_t self = getpid();
	fflush(NULL);
	pid_t w = fork();
	if (w < 0)
		_exit(EXIT_SETUP);
	if (w == 0)
		start_waiter(fifo, hold[1], self);
	close(hold[1]);
	cfg->run.waiter = w;
	cfg->run.hold_fd = hold[0];
	cfg->run.ready_fd = ready_w;
	cfg->run.reraise = true;
	exit(sandbox_run(cfg->argc, cfg->argv, &cfg->run));
}

static int state_dirfd = -1;

int
oci_enter_rootfs(const struct oci_run *x)
{
	_cleanup_close_ int procfd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	char dir[PATH_MAX];
	int err = 0;

	if (procfd < 0 || !x->rootfs)
		return procfd < 0 ? -errno : -EINVAL;
	snprintf(dir, sizeof(dir), "%s", x->exec_sock ? x->exec_sock : "/");
	*strrchr(dir, '/') = '\0';
	_cleanup_close_ int sfd = open(*dir ? dir : "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (sfd < 0 || unshare(CLONE_NEWNS) < 0) {
		/* (not privileged for it): hooks then see the host's root through our pid */
		err = -errno;
		log_warn("the container's process stays in the host's mount namespace: %s",
			 strerror(-err));
		return err;
	}
	/* as runc's rootfs propagation: the host's later mounts still reach us, ours not it */
	if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0 ||
	    mount(x->rootfs, x->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0 || chdir(x->rootfs) < 0 ||
	    syscall(SYS_pivot_root, ".", ".") < 0 || umount2(".", MNT_DETACH) < 0 || chdir("/") < 0)
		err = -errno;
	if (err)
		die(EXIT_SETUP, "entering the container's rootfs %s: %s", x->rootfs, strerror(-err));
	mon_proc_fd = procfd;
	state_dirfd = sfd;
	procfd = sfd = -1;
	return 0;
}

void
oci_remove_exec_sock(const struct oci_run *x)
{
	const char *name = strrchr(x->exec_sock, '/');

	if (state_dirfd >= 0)
		unlinkat(state_dirfd, name ? name + 1 : x->exec_sock, 0);
	else
		unlink(x->exec_sock);
}

/* Waits for the sentry's "loaded" byte, or for the container process to end first (then
 * "E" and why, when it could say: main.c tell_create_why). */
static int
wait_ready(int ready_r, pid_t pid)
{
	struct pollfd p = { .fd = ready_r, .events = POLLIN };
	char c, why[300];
	int st;

	for (int ms = 0; ms < 120000; ms += 100) {
		int n = poll(&p, 1, 100);
		if (n > 0 && read(ready_r, &c, 1) == 1) {
			if (c != 'E')
				return 0;
			ssize_t len = read(ready_r, why, sizeof(why) - 1);
			why[len > 0 ? len : 0] = '\0';
			for (char *q = why; *q; q++)
				if ((unsigned char)*q < ' ')
					*q = ' ';
			waitpid(pid, &st, 0);
			return oci_err("the container's process failed to start: %s", why);
		}
		pid_t r = waitpid(pid, &st, WNOHANG);
		if (r == pid) {
			if (WIFEXITED(st))
				return oci_err("the container's process failed to start (exit status %d)",
					       WEXITSTATUS(st));
			return oci_err("the container's process died of signal %d while starting",
				       WTERMSIG(st));
		}
		if (n > 0 && (p.revents & (POLLHUP | POLLERR)))
			usleep(10000); /* the sentry closed it: its exit follows */
	}
	return oci_err("the container's process did not get ready in 120s");
}

/* The options of the run: "--tty" or "--no-tty", "--quiet" unless --debug, then the
 * config's. */
static int
finish_argv(struct oci_config *cfg, const struct create_opts *o, int *slave)
{
	const char *tty = "--no-tty";
	char **v;

	*slave = -1;
	if (cfg->proc.terminal) {
		if (o->console_socket) {
			if (oci_console_open(o->console_socket, slave))
				return 1;
			struct winsize ws = { .ws_row = cfg->proc.console_rows,
					      .ws_col = cfg->proc.console_cols };
			if ((ws.ws_row || ws.ws_col) && ioctl(*slave, TIOCSWINSZ, &ws) < 0)
				return oci_err("process.consoleSize: %s", strerror(errno));
		} else if (!o->foreground) {
			return oci_err("process.terminal is true: a detached container needs "
				       "--console-socket");
		}
		tty = "--tty";
	}
	v = xcalloc(cfg->argc + 3, sizeof(char *));
	v[0] = cfg->argv[0];
	v[1] = (char *)tty;
	v[2] = oci_g.debug ? "--debug" : "--quiet";
	memcpy(v + 3, cfg->argv + 1, (cfg->argc - 1) * sizeof(char *));
	cfg->argv = v;
	cfg->argc += 2;
	return 0;
}

static void
now_rfc3339(char *out, size_t n)
{
	struct timespec ts;
	struct tm tm;
	char sec[40];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(sec, sizeof(sec), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, n, "%s.%09ldZ", sec, ts.tv_nsec);
}

int
oci_write_pid_file(const char *path, pid_t pid)
{
	char buf[32], cwd[PATH_MAX], abs[PATH_MAX * 2];

	snprintf(buf, sizeof(buf), "%d", pid);
	if (path[0] != '/') {
		if (!getcwd(cwd, sizeof(cwd)) ||
		    (size_t)snprintf(abs, sizeof(abs), "%s/%s", cwd, path) >= PATH_MAX)
			return -ENAMETOOLONG;
		path = abs;
	}
	return oci_write_atomic(path, buf);
}

/* Creates container ID: on success its process (our child) is loaded and waits for
 * `start`, and *out describes it. 0, or 1 with a message and nothing left behind. */
static int
create_container(const char *id, const struct create_opts *o, struct oci_ctr *out)
{
	static struct oci_config cfg;
	char err[1024], fifo[PATH_MAX + 16], created[64];
	int slave, ready[2], r;

	memset(out, 0, sizeof(*out));
	if (oci_ctr_path(out, id))
		return 1;
	char *end;
	long nfds = o->preserve_fds ? strtol(o->preserve_fds, &end, 10) : 0;
	if (o->preserve_fds && (!*o->preserve_fds || *end || nfds < 0 || nfds > 1024))
		return oci_err("--preserve-fds: expected a number of fds from 0 to 1024");
	if (oci_config_load(o->bundle ? o->bundle : ".", &cfg, err, sizeof(err)))
		return oci_err("%s", err);
	cfg.run.preserve_fds = (int)nfds;
	for (int i = 0; i < cfg.nwarnings; i++)
		oci_warn(cfg.warnings[i]);
	sandbox_run_check(cfg.argc, cfg.argv); /* bad mounts, sizes...: a usage error, exits */
	r = mkdir_p(oci_g.root, 0711);
	if (r)
		return oci_err("--root %s: %s", oci_g.root, strerror(-r));
	if (mkdir(out->dir, 0700) < 0) {
		int e = errno;
		if (e != EEXIST || !oci_ctr_clear_stale(out) || mkdir(out->dir, 0700) < 0)
			return e == EEXIST ? oci_err("container %s already exists", id)
					   : oci_err("%s: %s", out->dir, strerror(e));
	}
	snprintf(fifo, sizeof(fifo), "%s/creating", out->dir);
	snprintf(created, sizeof(created), "%d", (int)getpid());
	if ((r = -oci_write_atomic(fifo, created))) {
		r = oci_err("%s: %s", fifo, strerror(r));
		goto out_remove;
	}
	snprintf(fifo, sizeof(fifo), "%s/exec.fifo", out->dir);
	if (mkfifo(fifo, 0600) < 0) {
		r = oci_err("%s: %s", fifo, strerror(errno));
		goto out_remove;
	}
	if (finish_argv(&cfg, o, &slave)) {
		r = 1;
		goto out_remove;
	}
	if (!(out->cgroups = oci_cg_create(cfg.cgroups_path, id, cfg.resources, err, sizeof(err)))) {
		r = oci_err("%s", err);
		goto out_remove;
	}
	out->resources = cfg.resources ? json_incref(cfg.resources) : json_object();
	const char *v2 = oci_cg_v2_dir(out->cgroups);
	char cgfile[PATH_MAX + 16];
	snprintf(cgfile, sizeof(cgfile), "%s/cgroup", out->dir);
	if (v2 && (r = -oci_write_atomic(cgfile, v2))) {
		r = oci_err("%s: %s", cgfile, strerror(r));
		goto out_remove;
	}
	static char exec_sock[PATH_MAX + 16];
	snprintf(exec_sock, sizeof(exec_sock), "%s/exec.sock", out->dir);
	cfg.run.exec_sock = exec_sock;
	cfg.run.rootfs = cfg.rootfs;
	if (pipe2(ready, O_CLOEXEC) < 0) {
		r = oci_err("pipe: %s", strerror(errno));
		goto out_remove;
	}
	fflush(NULL);
	out->pid = fork();
	if (out->pid < 0) {
		r = oci_err("fork: %s", strerror(errno));
		goto out_remove;
	}
	if (out->pid == 0) {
		close(ready[0]);
		container_process(&cfg, out->cgroups, fifo, ready[1], slave);
	}
	close(ready[1]);
	if (slave >= 0)
		close(slave);
	r = wait_ready(ready[0], out->pid);
	close(ready[0]);
	char state;
	if (!r && !oci_proc_stat(out->pid, &out->start_time, &state))
		r = oci_err("the container's process is gone");
	now_rfc3339(created, sizeof(created));
	out->bundle = xstrdup(realpath(o->bundle ? o->bundle : ".", err) ? err : ".");
	out->rootfs = xstrdup(cfg.rootfs);
	out->created = xstrdup(created);
	out->annotations = json_loads(cfg.json_annotations, 0, NULL);
	if (!out->annotations)
		out->annotations = json_object();
	out->hooks = json_loads(cfg.json_hooks ? cfg.json_hooks : "{}", 0, NULL);
	if (!out->hooks)
		out->hooks = json_object();
	if (!r && (r = -oci_ctr_save(out)))
		r = oci_err("saving the state: %s", strerror(r));
	if (!r && o->pid_file && (r = -oci_write_pid_file(o->pid_file, out->pid)))
		r = oci_err("--pid-file %s: %s", o->pid_file, strerror(r));
	if (!r)
		r = oci_run_hooks(out, "prestart", true);
	if (!r)
		r = oci_run_hooks(out, "createRuntime", true);
	/* (runc runs these in the container's mount namespace before pivot_root, where the host's
	 * files and the rootfs are both at their host paths: the container's mounts are the
	 * sentry's, so the host's namespace is the nearest) */
	if (!r)
		r = oci_run_hooks(out, "createContainer", true);
	if (!r) {
		snprintf(fifo, sizeof(fifo), "%s/creating", out->dir);
		unlink(fifo);
		return 0;
	}
	kill(out->pid, SIGKILL);
	waitpid(out->pid, NULL, 0);
out_remove:
	oci_ctr_remove_files(out);
	return r ? r : 1;
}

static int
cmd_create(int argc, char **argv)
{
	struct create_opts o = { 0 };
	struct opt opts[] = {
		{ "bundle", 'b', true, &o.bundle }, { "pid-file", 0, true, &o.pid_file },
		{ "console-socket", 0, true, &o.console_socket },
		{ "preserve-fds", 0, true, &o.preserve_fds },
		{ "no-pivot", 0, false, NULL }, { "no-new-keyring", 0, false, NULL },
		{ NULL, 0, false, NULL },
	};
	char *pos[1];
	struct oci_ctr c;

	if (parse_opts(argc, argv, "create", opts, pos, 1) != 1)
		return oci_usage("create");
	int r = create_container(pos[0], &o, &c);
	oci_ctr_free(&c);
	return r;
}

/* ---- start, state, kill, delete, list ---- */

static int
start_container(const struct oci_ctr *c)
{
	char fifo[PATH_MAX + 16], byte;
	const char *status = oci_ctr_status(c);

	if (strcmp(status, "created"))
		return oci_err("container %s is %s: only a created container can be started", c->id,
			       status);
	/* before the program goes on, in the container: one that fails ends the container */
	if (oci_run_hooks(c, "startContainer", true)) {
		kill(c->pid, SIGKILL);
		return 1;
	}
	snprintf(fifo, sizeof(fifo), "%s/exec.fifo", c->dir);
	_cleanup_close_ int fd = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return oci_err("container %s: %s: %s", c->id, fifo, strerror(errno));
	struct pollfd p = { .fd = fd, .events = POLLIN };
	for (int ms = 0; ms < 30000; ms += 50) {
		if (poll(&p, 1, 50) > 0 && (p.revents & POLLIN) && read(fd, &byte, 1) == 1) {
			unlink(fifo);
			oci_run_hooks(c, "poststart", false);
			return 0;
		}
		if (!oci_ctr_alive(c))
			break;
	}
	return oci_err("container %s: its process did not answer", c->id);
}

static int
cmd_start(int argc, char **argv)
{
	struct opt opts[] = { { NULL, 0, false, NULL } };
	char *pos[1];
	struct oci_ctr c;

	if (parse_opts(argc, argv, "start", opts, pos, 1) != 1)
		return oci_usage("start");
	if (oci_ctr_load(&c, pos[0], false))
		return 1;
	int r = start_container(&c);
	oci_ctr_free(&c);
	return r;
}

static int
cmd_state(int argc, char **argv)
{
	struct opt opts[] = { { NULL, 0, false, NULL } };
	char *pos[1];
	struct oci_ctr c;

	if (parse_opts(argc, argv, "state", opts, pos, 1) != 1)
		return oci_usage("state");
	if (oci_ctr_load(&c, pos[0], false))
		return 1;
	int r = oci_print_json(oci_ctr_state_json(&c));
	oci_ctr_free(&c);
	return r;
}

static const struct {
	const char *name;
	int sig;
} signames[] = {
	{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT }, { "ILL", SIGILL },
	{ "TRAP", SIGTRAP }, { "ABRT", SIGABRT }, { "IOT", SIGIOT }, { "BUS", SIGBUS },
	{ "FPE", SIGFPE }, { "KILL", SIGKILL }, { "USR1", SIGUSR1 }, { "SEGV", SIGSEGV },
	{ "USR2", SIGUSR2 }, { "PIPE", SIGPIPE }, { "ALRM", SIGALRM }, { "TERM", SIGTERM },
	{ "STKFLT", SIGSTKFLT }, { "CHLD", SIGCHLD }, { "CONT", SIGCONT }, { "STOP", SIGSTOP },
	{ "TSTP", SIGTSTP }, { "TTIN", SIGTTIN }, { "TTOU", SIGTTOU }, { "URG", SIGURG },
	{ "XCPU", SIGXCPU }, { "XFSZ", SIGXFSZ }, { "VTALRM", SIGVTALRM }, { "PROF", SIGPROF },
	{ "WINCH", SIGWINCH }, { "IO", SIGIO }, { "PWR", SIGPWR }, { "SYS", SIGSYS },
};

/* "TERM", "SIGTERM", "sigterm", "15": the number, or -1. 0 is kill(2)'s probe. */
static int
parse_signal(const char *s)
{
	char *end;

	if (*s >= '0' && *s <= '9') {
		long n = strtol(s, &end, 10);
		return *end || n < 0 || n > 64 ? -1 : (int)n;
	}
	if (!strncasecmp(s, "SIG", 3))
		s += 3;
	for (size_t i = 0; i < ARRAY_SIZE(signames); i++)
		if (!strcasecmp(s, signames[i].name))
			return signames[i].sig;
	return -1;
}

static int
cmd_kill(int argc, char **argv)
{
	const char *all = NULL;
	struct opt opts[] = { { "all", 'a', false, &all }, { NULL, 0, false, NULL } };
	char *pos[2];
	struct oci_ctr c;
	int n = parse_opts(argc, argv, "kill", opts, pos, 2), sig = SIGTERM;

	if (n < 1)
		return oci_usage("kill");
	if (n == 2 && (sig = parse_signal(pos[1])) < 0)
		return oci_err("kill: unknown signal '%.32s'", pos[1]);
	if (oci_ctr_load(&c, pos[0], false))
		return 1;
	int r = 0;
	bool alive = oci_ctr_alive(&c);
	/* as runc: --all has nothing to signal in a stopped container, and that is no error */
	if (!alive && !all)
		r = oci_err("container %s is not running", c.id);
	else if (alive && kill(c.pid, sig) < 0)
		r = oci_err("kill: %s", strerror(errno));
	oci_ctr_free(&c);
	return r;
}

static int
delete_container(struct oci_ctr *c, bool force)
{
	const char *status = oci_ctr_status(c);

	if ((!strcmp(status, "running") || !strcmp(status, "paused")) && !force)
		return oci_err("container %s is %s: stop it first, or use delete --force", c->id,
			       status);
	oci_ctr_kill_all(c);
	oci_ctr_remove_files(c);
	oci_run_hooks(c, "poststop", false);
	return 0;
}

static int
cmd_delete(int argc, char **argv)
{
	const char *force = NULL;
	struct opt opts[] = { { "force", 'f', false, &force }, { NULL, 0, false, NULL } };
	char *pos[1];
	struct oci_ctr c;

	if (parse_opts(argc, argv, "delete", opts, pos, 1) != 1)
		return oci_usage("delete");
	if (!oci_valid_id(pos[0]))
		return oci_ctr_load(&c, pos[0], false);
	if (oci_ctr_load(&c, pos[0], true)) {
		/* runc: --force on a container that does not exist is not an error */
		if (force && oci_ctr_path(&c, pos[0]) == 0)
			oci_ctr_clear_stale(&c);
		oci_ctr_free(&c);
		return force ? 0 : oci_err("container %s does not exist", pos[0]);
	}
	int r = delete_container(&c, force != NULL);
	oci_ctr_free(&c);
	return r;
}

/* ---- pause, resume ---- */

/* Writes the cgroup's cgroup.freeze and waits until cgroup.events says it took effect
 * (every task of the sentry and its stubs stopped, or all running again). */
static int
set_frozen(const struct oci_ctr *c, bool freeze)
{
	char dir[PATH_MAX], path[PATH_MAX + 16], ev[256];
	const char *want = freeze ? "frozen 1" : "frozen 0";
	int err = oci_ctr_cgroup(c, dir, sizeof(dir));

	snprintf(path, sizeof(path), "%s/cgroup.freeze", dir);
	if (!err && access(path, F_OK) < 0)
		err = -errno;
	if (err)
		return oci_err("container %s: no cgroup of its own to freeze (cgroup v2 with "
			       "cgroup.freeze is needed): %s", c->id, strerror(-err));
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, freeze ? "1" : "0", 1) != 1) {
		err = errno;
		if (fd >= 0)
			close(fd);
		return oci_err("%s: %s", path, strerror(err));
	}
	close(fd);
	snprintf(path, sizeof(path), "%s/cgroup.events", dir);
	for (int i = 0; i < 2000; i++) {
		_cleanup_close_ int efd = open(path, O_RDONLY | O_CLOEXEC);
		ssize_t n = efd < 0 ? -1 : read(efd, ev, sizeof(ev) - 1);
		if (n <= 0)
			break;
		ev[n] = '\0';
		if (strstr(ev, want))
			return 0;
		if (!oci_ctr_alive(c))
			break;
		usleep(5000);
	}
	return oci_err("container %s: the cgroup did not become %s", c->id,
		       freeze ? "frozen" : "thawed");
}

/* runc pause / resume: the container's processes (its first, the sentry and every guest's
 * stub: its cgroup) stop and go on as a whole through the cgroup v2 freezer, which the
 * guests cannot see: no stop for a parent's wait, no SIGCHLD; their clocks and timers go
 * on meanwhile. */
static int
cmd_pause_resume(int argc, char **argv, bool pause)
{
	const char *cmd = pause ? "pause" : "resume";
	struct opt opts[] = { { NULL, 0, false, NULL } };
	char *pos[1];
	struct oci_ctr c;

	if (parse_opts(argc, argv, cmd, opts, pos, 1) != 1)
		return oci_usage(cmd);
	if (oci_ctr_load(&c, pos[0], false))
		return 1;
	const char *status = oci_ctr_status(&c);
	int r;
	if (pause && strcmp(status, "running") && strcmp(status, "created"))
		r = oci_err("container %s is %s, not running", c.id, status);
	else if (!pause && strcmp(status, "paused"))
		r = oci_err("container %s is %s, not paused", c.id, status);
	else
		r = set_frozen(&c, pause);
	oci_ctr_free(&c);
	return r;
}

/* ---- update (runc's): new linux.resources for the container's host cgroup ---- */

/* A size as runc reads --memory: bytes, or a number with k, m, g, t or p (powers of 1024,
 * then an optional "b" or "ib"); -1 is unlimited. 0 / -1. */
static int
parse_bytes(const char *s, long long *out)
{
	static const char units[] = "kmgtp";
	char *end;
	int shift = 0;

	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (end == s || errno || v < -1 || (v == -1 && *end))
		return -1;
	if (*end && strchr(units, *end | 0x20)) {
		shift = 10 * (int)(strchr(units, *end | 0x20) - units + 1);
		end++;
	}
	if ((*end | 0x20) == 'i' && (end[1] | 0x20) == 'b')
		end += 2;
	else if ((*end | 0x20) == 'b')
		end++;
	if (*end || (v > 0 && v > (LLONG_MAX >> shift)))
		return -1;
	*out = v < 0 ? v : v << shift;
	return 0;
}

/* The command line's values as a linux.resources object. NULL after a message. */
static json_t *
update_flags(const char *const *val)
{
	static const struct {
		const char *sect, *key;
		bool bytes, string;
	} map[] = {
		{ "memory", "limit", true, false }, { "memory", "reservation", true, false },
		{ "memory", "swap", true, false }, { "pids", "limit", false, false },
		{ "cpu", "shares", false, false }, { "cpu", "quota", false, false },
		{ "cpu", "period", false, false }, { "cpu", "cpus", false, true },
		{ "cpu", "mems", false, true },
	};
	json_t *r = json_object();

	for (size_t i = 0; i < ARRAY_SIZE(map); i++) {
		long long v;
		char *end;
		if (!val[i])
			continue;
		json_t *sect = json_object_get(r, map[i].sect);
		if (!sect)
			json_object_set_new(r, map[i].sect, sect = json_object());
		if (map[i].string) {
			json_object_set_new(sect, map[i].key, json_string(val[i]));
			continue;
		}
		errno = 0;
		if (map[i].bytes ? parse_bytes(val[i], &v) < 0
				 : ((v = strtoll(val[i], &end, 10)), !*val[i] || *end || errno)) {
			json_decref(r);
			oci_err("update: %s.%s: '%.64s' is not a %s", map[i].sect, map[i].key, val[i],
				map[i].bytes ? "size (such as 64m, or -1)" : "number");
			return NULL;
		}
		json_object_set_new(sect, map[i].key, json_integer(v));
	}
	return r;
}

/* The new values over the old, section by section (memory, cpu, pids), as runc keeps what
 * an update does not name. */
static void
merge_resources(json_t *cur, json_t *upd)
{
	static const char *const sects[] = { "memory", "cpu", "pids" };

	for (size_t i = 0; i < ARRAY_SIZE(sects); i++) {
		json_t *u = json_object_get(upd, sects[i]), *c = json_object_get(cur, sects[i]);
		const char *key;
		json_t *v;
		if (!json_is_object(u))
			continue;
		if (!json_is_object(c))
			json_object_set_new(cur, sects[i], c = json_object());
		json_object_foreach(u, key, v)
			if (!json_is_null(v))
				json_object_set(c, key, v);
	}
}

/* The sentry's own fences get the new limits (-1: a run's default; 0: unchanged) through
 * the container's exec listener. A paused container takes them at resume, a created one
 * its pids limit at start. 0, or -1 with a message. */
static int
tell_sentry(const struct oci_ctr *c, long long mem, long long pids)
{
	struct exec_limits l = { .magic = EXEC_LIMITS_MAGIC };
	char path[PATH_MAX + 16];
	struct sockaddr_un sa;
	struct exec_msg m;
	int dirfd, err;

	l.mem_limit = mem > 0 ? (uint64_t)mem : mem < 0 ? mon_default_memory() : 0;
	l.pids_limit = pids > 0 ? (uint32_t)pids : pids < 0 ? SANDBOX_DEFAULT_TASKS : 0;
	snprintf(path, sizeof(path), "%s/exec.sock", c->dir);
	if ((err = exec_sock_addr(path, &sa, &dirfd))) {
		oci_err("update: %s: %s", path, strerror(-err));
		return -1;
	}
	_cleanup_close_ int sock = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	err = sock < 0 || connect(sock, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	      send(sock, &l, sizeof(l), MSG_NOSIGNAL) != sizeof(l) ? errno : 0;
	if (dirfd >= 0)
		close(dirfd);
	if (err) {
		oci_err("update: container %s does not answer (%s)", c->id, strerror(err));
		return -1;
	}
	const char *status = oci_ctr_status(c);
	if (!strcmp(status, "paused") || (pids && !strcmp(status, "created")))
		return 0;
	struct pollfd p = { .fd = sock, .events = POLLIN };
	m.kind = 0;
	if (poll(&p, 1, 5000) <= 0 || recv(sock, &m, sizeof(m), 0) != sizeof(m) ||
	    m.kind != EXEC_LIMITS_SET) {
		m.text[sizeof(m.text) - 1] = '\0';
		oci_err("update: the sentry's limits: %s",
			m.kind == EXEC_FAILED ? m.text : "no answer");
		return -1;
	}
	return 0;
}

static int
update_container(struct oci_ctr *c, json_t *upd)
{
	char err[1024];
	json_t *old = json_deep_copy(c->resources);

	if (!strcmp(oci_ctr_status(c), "stopped")) {
		json_decref(old);
		return oci_err("container %s is stopped: nothing to update", c->id);
	}
	if (!json_array_size(c->cgroups)) {
		json_decref(old);
		return oci_err("container %s has no cgroup of its own to update", c->id);
	}
	json_t *lim = json_object_get(json_object_get(upd, "memory"), "limit");
	if (json_integer_value(lim) > 0 && json_integer_value(lim) < (1 << 20)) {
		json_decref(old);
		return oci_err("update: memory.limit %lld is below 1M",
			       (long long)json_integer_value(lim));
	}
	if (json_integer_value(json_object_get(json_object_get(upd, "pids"), "limit")) > 1000000) {
		json_decref(old);
		return oci_err("update: pids.limit above 1000000");
	}
	merge_resources(c->resources, upd);
	int r = oci_cg_apply(c->cgroups, c->resources, err, sizeof(err));
	if (r) {
		/* as runc: the old values back, and the error */
		char ignored[1024];
		oci_cg_apply(c->cgroups, old, ignored, sizeof(ignored));
		json_decref(old);
		return oci_err("update: %s", err);
	}
	json_decref(old);
	r = oci_ctr_save(c);
	if (r)
		return oci_err("saving the state: %s", strerror(-r));
	json_int_t pids = json_integer_value(json_object_get(json_object_get(upd, "pids"), "limit"));
	if ((json_integer_value(lim) || pids) && tell_sentry(c, json_integer_value(lim), pids))
		return 1;
	return 0;
}

static int
cmd_update(int argc, char **argv)
{
	const char *val[9] = { 0 }, *file = NULL, *unsup = NULL;
	struct opt opts[] = {
		{ "memory", 'm', true, &val[0] }, { "memory-reservation", 0, true, &val[1] },
		{ "memory-swap", 0, true, &val[2] }, { "pids-limit", 0, true, &val[3] },
		{ "cpu-share", 0, true, &val[4] }, { "cpu-quota", 0, true, &val[5] },
		{ "cpu-period", 0, true, &val[6] }, { "cpuset-cpus", 0, true, &val[7] },
		{ "cpuset-mems", 0, true, &val[8] }, { "resources", 'r', true, &file },
		{ "blkio-weight", 0, true, &unsup }, { "cpu-rt-period", 0, true, &unsup },
		{ "cpu-rt-runtime", 0, true, &unsup }, { "kernel-memory", 0, true, &unsup },
		{ "kernel-memory-tcp", 0, true, &unsup }, { "l3-cache-schema", 0, true, &unsup },
		{ "mem-bw-schema", 0, true, &unsup }, { NULL, 0, false, NULL },
	};
	char *pos[1], err[512];
	struct oci_ctr c;
	json_t *upd;

	if (parse_opts(argc, argv, "update", opts, pos, 1) != 1)
		return oci_usage("update");
	if (unsup)
		return oci_err("update: blkio, realtime, kernel memory and RDT values are not "
			       "applied by this runtime");
	if (file) {
		/* runc: the file (or stdin) is the whole update; the flags are then unused */
		json_error_t je;
		upd = !strcmp(file, "-") ? json_loadf(stdin, 0, &je) : json_load_file(file, 0, &je);
		if (!json_is_object(upd)) {
			json_decref(upd);
			return oci_err("update: %s: not a JSON object (line %d: %s)", file, je.line,
				       je.text);
		}
	} else if (!(upd = update_flags(val))) {
		return 1;
	}
	if (oci_cg_check(upd, err, sizeof(err))) {
		json_decref(upd);
		return oci_err("update: %s", err);
	}
	if (oci_ctr_load(&c, pos[0], false)) {
		json_decref(upd);
		return 1;
	}
	int r = update_container(&c, upd);
	json_decref(upd);
	oci_ctr_free(&c);
	return r;
}

/* A Go duration ("100ms", "1.5s", "5m", "1h", "300us", "10ns"): nanoseconds, or -1. */
static long long
go_duration(const char *s)
{
	static const struct { const char *unit; double ns; } units[] = {
		{ "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 }, { "m", 60e9 }, { "h", 3600e9 },
	};
	char *end;
	double v, total = 0;

	if (!*s)
		return -1;
	while (*s) {
		errno = 0;
		v = strtod(s, &end);
		if (end == s || errno || v < 0 || *s == '+' || *s == '-' || isspace((unsigned char)*s))
			return -1;
		size_t k, len = strspn(end, "numsh");
		for (k = 0; k < ARRAY_SIZE(units); k++)
			if (strlen(units[k].unit) == len && !strncmp(end, units[k].unit, len))
				break;
		if (k == ARRAY_SIZE(units))
			return -1;
		total += v * units[k].ns;
		s = end + len;
	}
	return total > 9e18 ? -1 : (long long)total;
}

/* One event as runc's json.Encoder writes it: a compact line. */
static void
put_event(const char *type, const char *id, json_t *data)
{
	json_t *e = json_pack("{s:s, s:s}", "type", type, "id", id);

	if (data)
		json_object_set_new(e, "data", data);
	char *text = json_dumps(e, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(e);
	if (!text)
		return;
	char num[32];
	const char *p = text, *at;
	int len = snprintf(num, sizeof(num), "%lld", OCI_CG_UNLIMITED);
	while ((at = strstr(p, num))) {
		fwrite(p, 1, (size_t)(at - p), stdout);
		fputs(OCI_CG_UNLIMITED_TEXT, stdout);
		p = at + len;
	}
	printf("%s\n", p);
	fflush(stdout);
	free(text);
}

/*
 * events [--stats] [--interval D] ID, as runc's: with --stats, one "stats" event and done;
 * otherwise a "stats" event every interval (5s) and an "oom" event when the OOM killer ends
 * a process in the container's cgroup, until the container stops or is deleted. The
 * figures are the host cgroup's (oci_cgroup.c), where every host process of the container
 * is counted.
 */
static int
cmd_events(int argc, char **argv)
{
	const char *stats = NULL, *interval = NULL;
	struct opt opts[] = { { "stats", 0, false, &stats }, { "interval", 0, true, &interval },
			      { NULL, 0, false, NULL } };
	char *pos[2];
	struct oci_ctr c;
	int n = parse_opts(argc, argv, "events", opts, pos, ARRAY_SIZE(pos));

	if (n != 1)
		return oci_usage("events");
	long long every = interval ? go_duration(interval) : 5000000000LL;
	if (every <= 0)
		return oci_err("duration interval must be greater than 0");
	if (oci_ctr_load(&c, pos[0], false))
		return 1;
	if (!strcmp(oci_ctr_status(&c), "stopped")) {
		oci_ctr_free(&c);
		return oci_err("container with id %s is not running", pos[0]);
	}
	if (stats) {
		put_event("stats", c.id, oci_cg_stats(c.cgroups));
		oci_ctr_free(&c);
		return 0;
	}
	long long ooms = oci_cg_oom_kills(c.cgroups), next = every, step = MIN(every, 100000000LL);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* woken at once by an OOM event: the killed process may be the last, and a delete
	 * right after it takes the cgroup (and its count) away */
	_cleanup_close_ int oomfd = oci_cg_oom_notify_fd(c.cgroups);
	for (;;) {
		struct pollfd p = { .fd = oomfd, .events = POLLIN };
		char drain[4096];
		bool woken = poll(&p, 1, (int)(step / 1000000)) > 0 &&
			     read(oomfd, drain, sizeof(drain)) > 0;
		/* an OOM kill first: the killed process may have been the last one (v1 tells
		 * of the OOM before its kill is counted: a moment for it) */
		long long k = oci_cg_oom_kills(c.cgroups);
		for (int i = 0; woken && ooms >= 0 && k <= ooms && i < 40; i++) {
			usleep(5000);
			k = oci_cg_oom_kills(c.cgroups);
		}
		if (k > ooms && ooms >= 0)
			put_event("oom", c.id, NULL);
		ooms = k;
		/* a deleted container (state gone) or a stopped one ends the stream */
		struct oci_ctr now;
		if (oci_ctr_load(&now, pos[0], true))
			break;
		bool stopped = !strcmp(oci_ctr_status(&now), "stopped");
		oci_ctr_free(&now);
		if (stopped)
			break;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if ((t1.tv_sec - t0.tv_sec) * 1000000000LL + t1.tv_nsec - t0.tv_nsec >= next) {
			put_event("stats", c.id, oci_cg_stats(c.cgroups));
			next += every;
		}
	}
	oci_ctr_free(&c);
	return 0;
}

static int
cmd_list(int argc, char **argv)
{
	const char *format = NULL, *quiet = NULL;
	struct opt opts[] = { { "format", 'f', true, &format }, { "quiet", 'q', false, &quiet },
			      { NULL, 0, false, NULL } };
	char *pos[1];
	struct dirent **names = NULL;

	if (parse_opts(argc, argv, "list", opts, pos, 0) != 0)
		return 1;
	if (format && strcmp(format, "json") && strcmp(format, "table"))
		return oci_err("list: --format must be table or json");
	bool json = format && !strcmp(format, "json");
	json_t *arr = json_array();
	int n = scandir(oci_g.root, &names, NULL, alphasort);
	if (!json && !quiet)
		printf("%-20s %-8s %-10s %-40s %-32s %s\n", "ID", "PID", "STATUS", "BUNDLE", "CREATED",
		       "OWNER");
	for (int i = 0; i < n; i++) {
		struct oci_ctr c;

		if (names[i]->d_name[0] != '.' && !oci_ctr_load(&c, names[i]->d_name, true)) {
			json_t *s = oci_ctr_state_json(&c);
			json_object_del(s, "annotations");
			if (quiet)
				printf("%s\n", c.id);
			else if (!json)
				printf("%-20s %-8lld %-10s %-40s %-32s %s\n", c.id,
				       (long long)json_integer_value(json_object_get(s, "pid")),
				       json_string_value(json_object_get(s, "status")), c.bundle,
				       c.created, "");
			json_array_append_new(arr, s);
			oci_ctr_free(&c);
		}
		free(names[i]);
	}
	free(names);
	if (json && !quiet)
		return oci_print_json_line(arr);
	json_decref(arr);
	return 0;
}


static int
cmd_ps(int argc, char **argv)
{
	const char *format = NULL;
	struct opt opts[] = { { "format", 'f', true, &format }, { NULL, 0, false, NULL } };
	char *pos[64], list[4096];
	pid_t pids[256];
	struct oci_ctr c;
	int n = parse_opts(argc, argv, "ps", opts, pos, ARRAY_SIZE(pos));

	if (n < 1)
		return oci_usage("ps");
	if (format && strcmp(format, "json") && strcmp(format, "table"))
		return oci_err("ps: --format must be table or json");
	if (oci_ctr_load(&c, pos[0], false))
		return 1;
	int np = oci_ctr_pids(&c, pids, ARRAY_SIZE(pids));
	oci_ctr_free(&c);
	if (format && !strcmp(format, "json")) {
		json_t *arr = json_array();
		for (int i = 0; i < np; i++)
			json_array_append_new(arr, json_integer(pids[i]));
		return oci_print_json_line(arr);
	}
	/* a stopped container has no processes: ps's header alone, as runc prints it */
	if (!np)
		snprintf(list, sizeof(list), "4194304"); /* above any pid_max */
	size_t len = 0;
	for (int i = 0; i < np && len < sizeof(list) - 16; i++)
		len += snprintf(list + len, sizeof(list) - len, "%s%d", i ? "," : "", pids[i]);
	char **v = xcalloc(n + 4, sizeof(char *));
	int k = 0;
	v[k++] = "ps";
	for (int i = 1; i < n; i++)
		v[k++] = pos[i];
	if (n == 1)
		v[k++] = "-f";
	v[k++] = "-p";
	v[k++] = list;
	fflush(NULL);
	if (np) {
		execvp("ps", v);
		return oci_err("ps: %s", strerror(errno));
	}
	pid_t child = fork();
	if (child == 0) {
		execvp("ps", v);
		_exit(127);
	}
	int st;
	while (child > 0 && waitpid(child, &st, 0) < 0 && errno == EINTR)
		;
	free(v);
	return child < 0 ? oci_err("ps: fork: %s", strerror(errno)) : 0;
}

/* ---- run, spec, features ---- */

static pid_t run_child;

static void
run_relay(int sig)
{
	if (run_child > 0)
		kill(run_child, sig);
}

static int
cmd_run_oci(int argc, char **argv)
{
	struct create_opts o = { 0 };
	const char *keep = NULL;
	struct opt opts[] = {
		{ "bundle", 'b', true, &o.bundle }, { "pid-file", 0, true, &o.pid_file },
		{ "console-socket", 0, true, &o.console_socket },
		{ "preserve-fds", 0, true, &o.preserve_fds }, { "detach", 'd', false, &o.detach },
		{ "keep", 0, false, &keep }, { "no-pivot", 0, false, NULL },
		{ "no-new-keyring", 0, false, NULL }, { "no-subreaper", 0, false, NULL },
		{ NULL, 0, false, NULL },
	};
	char *pos[1];
	struct oci_ctr c;
	int st;

	if (parse_opts(argc, argv, "run", opts, pos, 1) != 1)
		return oci_usage("run");
	o.foreground = !o.detach;
	if (create_container(pos[0], &o, &c)) {
		oci_ctr_free(&c);
		return 1;
	}
	if (!o.detach) {
		static const int relay[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2,
					     SIGWINCH, SIGALRM, SIGCONT, SIGURG, SIGPWR };
		struct sigaction sa = { .sa_handler = run_relay };
		run_child = c.pid;
		for (size_t i = 0; i < ARRAY_SIZE(relay); i++)
			sigaction(relay[i], &sa, NULL);
	}
	if (start_container(&c)) {
		delete_container(&c, true);
		oci_ctr_free(&c);
		return 1;
	}
	if (o.detach) {
		oci_ctr_free(&c);
		return 0;
	}
	while (waitpid(c.pid, &st, 0) < 0)
		if (errno != EINTR) {
			st = EXIT_SETUP << 8;
			break;
		}
	if (!keep)
		delete_container(&c, true);
	oci_ctr_free(&c);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int
cmd_spec(int argc, char **argv)
{
	const char *bundle = NULL, *rootless = NULL;
	struct opt opts[] = { { "bundle", 'b', true, &bundle }, { "rootless", 0, false, &rootless },
			      { NULL, 0, false, NULL } };
	char *pos[1], path[PATH_MAX];

	if (parse_opts(argc, argv, "spec", opts, pos, 0) != 0)
		return 1;
	if ((size_t)snprintf(path, sizeof(path), "%s/config.json", bundle ? bundle : ".") >= sizeof(path))
		return oci_err("spec: path too long");
	char *text = oci_default_spec(rootless != NULL);
	if (!text)
		return oci_err("spec: cannot encode the default config");
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	int r = 0;
	if (fd < 0)
		r = oci_err("spec: %s: %s", path, errno == EEXIST ? "already exists" : strerror(errno));
	else if (write_all(fd, text, strlen(text)) < 0 || write_all(fd, "\n", 1) < 0)
		r = oci_err("spec: writing %s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	free(text);
	return r;
}

static int
cmd_features(int argc, char **argv)
{
	struct opt opts[] = { { NULL, 0, false, NULL } };
	char *pos[1];

	if (parse_opts(argc, argv, "features", opts, pos, 0) != 0)
		return 1;
	json_t *j = json_pack(
		"{s:s, s:s, s:[], s:[s, s, s, s, s, s, s], s:{s:[s, s, s, s, s, s, s, s], s:[], "
		"s:{s:b, s:b, s:b}, s:{s:b, s:[s, s, s, s, s, s, s, s], s:[s, s, s, s, s, s, s], "
		"s:[s], s:[s, s, s, s], s:[s, s, s, s]}, s:{s:b}, s:{s:b}}, s:{s:s, s:s}}",
		"ociVersionMin", "1.0.0", "ociVersionMax", "1.1.0", "hooks",
		"mountOptions", "bind", "rbind", "ro", "rw", "size", "nosuid", "nodev",
		"linux", "namespaces", "cgroup", "ipc", "mount", "network", "pid", "time", "user",
		"uts", "capabilities", "cgroup", "v1", 1, "v2", 1, "systemd", 0, "seccomp", "enabled", 1,
		"actions", "SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS",
		"SCMP_ACT_KILL_THREAD", "SCMP_ACT_LOG", "SCMP_ACT_TRACE", "SCMP_ACT_TRAP",
		"operators", "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_LE", "SCMP_CMP_LT",
		"SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE", "archs", "SCMP_ARCH_X86_64",
		"knownFlags", "SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
		"SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
		"supportedFlags", "SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
		"SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
		"apparmor", "enabled", 0, "selinux", "enabled", 0,
		"annotations", "org.sandbox.runtime", "user-space kernel (sentry)",
		"org.sandbox.version", "0.1.0");
	return oci_print_json(j);
}

static int
cmd_unsupported(const char *cmd)
{
	return oci_err("'%s' is " OCI_UNSUPPORTED, cmd);
}

/* ---- dispatch ---- */

static const char *const global_opts[] = { "--root", "--log", "--log-format",
					   "--systemd-cgroup", "--debug", "--rootless", "--criu" };
/* options only runc's `run` has: `sandbox run` with one of them is the OCI command */
static const char *const oci_run_opts[] = { "--bundle", "-b", "--detach", "-d", "--pid-file",
					    "--console-socket", "--keep", "--no-subreaper",
					    "--no-pivot", "--no-new-keyring", "--preserve-fds" };

static bool
in_list(const char *a, const char *const *list, size_t n, bool prefix)
{
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(list[i]);
		if (!strcmp(a, list[i]) || (prefix && !strncmp(a, list[i], len) && a[len] == '='))
			return true;
	}
	return false;
}

bool
oci_is_command(int argc, char **argv)
{
	const char *a = argv[1];

	if ((command_of(a) && strcmp(a, "run")) || in_list(a, global_opts, ARRAY_SIZE(global_opts), true))
		return true;
	if (strcmp(a, "run"))
		return false;
	/* up to the first word that is not an option: `sandbox run ls -d` is not ours */
	bool preserve = false;
	for (int i = 2; i < argc && argv[i][0] == '-' && strcmp(argv[i], "--"); i++) {
		if (in_list(argv[i], (const char *const[]){ "--preserve-fds" }, 1, true))
			preserve = true; /* sandbox run has it too: decided below */
		else if (in_list(argv[i], oci_run_opts, ARRAY_SIZE(oci_run_opts), true))
			return true;
	}
	/* runc's `run [--preserve-fds N] ID` has no "--"; `sandbox run ... -- PROGRAM` does */
	for (int i = 2; preserve && i < argc; i++)
		if (!strcmp(argv[i], "--"))
			return false;
	return preserve;
}

int
oci_main(int argc, char **argv)
{
	const char *root = NULL, *logfmt = NULL, *debug = NULL, *systemd = NULL;
	struct opt globals[] = {
		{ "root", 0, true, &root }, { "log", 0, true, &oci_g.log },
		{ "log-format", 0, true, &logfmt }, { "systemd-cgroup", 0, false, &systemd },
		{ "debug", 0, false, &debug }, { "rootless", 0, true, NULL },
		{ "criu", 0, true, NULL }, { NULL, 0, false, NULL },
	};
	int i = 1;

	/* the global options, up to the command */
	while (i < argc && argv[i][0] == '-' && strcmp(argv[i], "--version") && strcmp(argv[i], "-v")) {
		int end = i + 1;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return sandbox_help();
		if (!strchr(argv[i], '=') && end < argc &&
		    in_list(argv[i], (const char *const[]){ "--root", "--log", "--log-format",
							    "--rootless", "--criu" }, 5, false))
			end++;
		if (parse_opts(end - i, argv + i, "sandbox", globals, NULL, 0) < 0)
			return 1;
		i = end;
	}
	if (root) {
		if (!*root)
			return oci_err("--root: empty path");
		oci_g.root = root;
	}
	if (logfmt && strcmp(logfmt, "text") && strcmp(logfmt, "json"))
		return oci_err("--log-format must be text or json");
	oci_g.log_json = logfmt && !strcmp(logfmt, "json");
	oci_g.debug = debug != NULL;
	oci_g.systemd_cgroup = systemd != NULL;
	if (oci_g.debug) {
		log_level = LOG_DEBUG;
		oci_log_debug_to_file();
	}
	if (i >= argc)
		return oci_err("no command given (see 'sandbox --help')");
	const char *cmd = argv[i];
	int n = argc - i - 1;
	char **rest = argv + i + 1;

	if (!strcmp(cmd, "create"))
		return cmd_create(n, rest);
	if (!strcmp(cmd, "start"))
		return cmd_start(n, rest);
	if (!strcmp(cmd, "state"))
		return cmd_state(n, rest);
	if (!strcmp(cmd, "kill"))
		return cmd_kill(n, rest);
	if (!strcmp(cmd, "delete"))
		return cmd_delete(n, rest);
	if (!strcmp(cmd, "run"))
		return cmd_run_oci(n, rest);
	if (!strcmp(cmd, "list"))
		return cmd_list(n, rest);
	if (!strcmp(cmd, "spec"))
		return cmd_spec(n, rest);
	if (!strcmp(cmd, "features"))
		return cmd_features(n, rest);
	if (!strcmp(cmd, "ps"))
		return cmd_ps(n, rest);
	if (!strcmp(cmd, "exec"))
		return oci_cmd_exec(n, rest);
	if (!strcmp(cmd, "update"))
		return cmd_update(n, rest);
	if (!strcmp(cmd, "events"))
		return cmd_events(n, rest);
	if (!strcmp(cmd, "pause") || !strcmp(cmd, "resume"))
		return cmd_pause_resume(n, rest, !strcmp(cmd, "pause"));
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "-v")) {
		printf("sandbox %s\nspec: 1.1.0\n", SANDBOX_VERSION);
		return 0;
	}
	if (command_of(cmd) && !strcmp(command_of(cmd)->what, OCI_UNSUPPORTED)) {
		oci_maybe_help(cmd, n, rest);
		return cmd_unsupported(cmd);
	}
	return oci_err("unknown command '%.64s' (see 'sandbox --help')", cmd);
}
