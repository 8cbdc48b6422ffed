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
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sentry/oci.h"
#include "sentry/sentry.h"

#define OCI_VERSION "1.0.2"
#define ID_MAX 200

static struct {
	const char *root;
	const char *log;
	bool log_json;
	bool debug;
} g = { .root = "/run/sandbox" };

/* ---- messages: stderr, and the --log file (runc's text or json lines) ---- */

static void
log_line(const char *level, const char *msg)
{
	char when[64];
	struct timespec ts;
	struct tm tm;

	if (!g.log)
		return;
	int fd = open(g.log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (g.log_json) {
		json_t *j = json_pack("{s:s, s:s, s:s}", "level", level, "msg", msg, "time", when);
		char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
		if (text) {
			write_all(fd, text, strlen(text));
			write_all(fd, "\n", 1);
		}
		free(text);
		json_decref(j);
	} else {
		dprintf(fd, "time=\"%s\" level=%s msg=\"%s\"\n", when, level, msg);
	}
	close(fd);
}

static int __attribute__((format(printf, 1, 2)))
oci_err(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "sandbox: %s\n", msg);
	log_line("error", msg);
	return 1;
}

static void
oci_warn(const char *msg)
{
	if (g.debug)
		fprintf(stderr, "sandbox: warning: %s\n", msg);
	log_line("warning", msg);
}

/* ---- options ---- */

struct opt {
	const char *name;       /* long name without "--" */
	char shortname;         /* 0: none */
	bool arg;
	const char **val;       /* where the argument (or "1" for a flag) goes */
};

/* Parses argv[*i...] options of a command (up to the first non-option or "--"), and the
 * positional arguments after them into pos[]. Returns the number of positionals, or -1
 * (with a message) for an unknown option or a missing argument. */
static int
parse_opts(int argc, char **argv, const char *cmd, struct opt *opts, char **pos, int maxpos)
{
	int npos = 0;

	for (int i = 0; i < argc; i++) {
		char *a = argv[i];
		const char *val = NULL;
		struct opt *o = NULL;

		if (a[0] != '-' || !a[1] || !strcmp(a, "--")) {
			if (!strcmp(a, "--"))
				i++;
			for (; i < argc; i++) {
				if (npos == maxpos)
					return oci_err("%s: unexpected argument '%.100s'", cmd, argv[i]), -1;
				pos[npos++] = argv[i];
			}
			break;
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

/* ---- the state directory ---- */

struct ctr {
	char id[ID_MAX + 1];
	char dir[PATH_MAX];
	pid_t pid;
	unsigned long long start_time;  /* the pid's start time (clock ticks since boot) */
	char *bundle, *rootfs, *created;
	json_t *annotations;
	json_t *hooks;          /* config.json's hooks (checked by oci_config.c) */
};

static bool
valid_id(const char *id)
{
	size_t n = strlen(id);

	if (!n || n > ID_MAX || !strcmp(id, ".") || !strcmp(id, ".."))
		return false;
	return strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+-.") == n;
}

/* Field 22 of /proc/PID/stat and the state letter; false when there is no such process. */
static bool
proc_stat(pid_t pid, unsigned long long *start, char *state)
{
	char path[64], buf[1024];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || (n = read(fd, buf, sizeof(buf) - 1)) <= 0)
		return false;
	buf[n] = '\0';
	char *p = strrchr(buf, ')');
	if (!p || sscanf(p + 2, "%c %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %llu",
			 state, start) != 2)
		return false;
	return true;
}

static bool
ctr_alive(const struct ctr *c)
{
	unsigned long long start;
	char st;

	if (c->pid <= 0 || !proc_stat(c->pid, &start, &st))
		return false;
	return st != 'Z' && st != 'X' && start == c->start_time;
}

static const char *
ctr_status(const struct ctr *c)
{
	char fifo[PATH_MAX + 16];

	if (!ctr_alive(c))
		return "stopped";
	snprintf(fifo, sizeof(fifo), "%s/exec.fifo", c->dir);
	return access(fifo, F_OK) == 0 ? "created" : "running";
}

static void
ctr_free(struct ctr *c)
{
	free(c->bundle);
	free(c->rootfs);
	free(c->created);
	json_decref(c->annotations);
	json_decref(c->hooks);
}

static int
ctr_path(struct ctr *c, const char *id)
{
	if (!valid_id(id))
		return oci_err("invalid container id '%.64s' (letters, digits, '_', '+', '-', '.')", id);
	snprintf(c->id, sizeof(c->id), "%s", id);
	if ((size_t)snprintf(c->dir, sizeof(c->dir), "%s/%s", g.root, id) >= sizeof(c->dir))
		return oci_err("--root: path too long");
	return 0;
}

/* Loads ROOT/ID/state.json. 0, or 1 with a message. */
static int
ctr_load(struct ctr *c, const char *id, bool quiet)
{
	char path[PATH_MAX + 16];
	json_error_t je;
	json_int_t pid = 0, start = 0;
	const char *bundle = NULL, *rootfs = NULL, *created = NULL;
	json_t *ann = NULL, *hooks = NULL;

	memset(c, 0, sizeof(*c));
	if (ctr_path(c, id))
		return 1;
	snprintf(path, sizeof(path), "%s/state.json", c->dir);
	json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!j)
		return quiet ? 1 : oci_err("container %s does not exist", id);
	if (json_unpack(j, "{s:I, s:I, s:s, s:s, s:s, s?o, s?o}", "pid", &pid, "start_time", &start,
			"bundle", &bundle, "rootfs", &rootfs, "created", &created,
			"annotations", &ann, "hooks", &hooks) || pid <= 0 || pid > INT_MAX) {
		json_decref(j);
		return quiet ? 1 : oci_err("container %s: damaged state file %s", id, path);
	}
	c->pid = (pid_t)pid;
	c->start_time = (unsigned long long)start;
	c->bundle = xstrdup(bundle);
	c->rootfs = xstrdup(rootfs);
	c->created = xstrdup(created);
	c->annotations = json_is_object(ann) ? json_incref(ann) : json_object();
	c->hooks = json_is_object(hooks) ? json_incref(hooks) : json_object();
	json_decref(j);
	return 0;
}

/* Writes PATH atomically (a temporary beside it, then rename). 0 / -errno. */
static int
write_atomic(const char *path, const char *text)
{
	char tmp[PATH_MAX + 32];

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp%d", path, getpid()) >= sizeof(tmp))
		return -ENAMETOOLONG;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	int err = write_all(fd, text, strlen(text));
	if (close(fd) < 0 && !err)
		err = -errno;
	if (!err && rename(tmp, path) < 0)
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}

static int
ctr_save(const struct ctr *c)
{
	char path[PATH_MAX + 16];
	json_t *j = json_pack("{s:s, s:s, s:I, s:I, s:s, s:s, s:s, s:s, s:O, s:O}",
			      "ociVersion", OCI_VERSION, "id", c->id, "pid", (json_int_t)c->pid,
			      "start_time", (json_int_t)c->start_time, "bundle", c->bundle,
			      "rootfs", c->rootfs, "created", c->created, "owner", "",
			      "annotations", c->annotations, "hooks", c->hooks);
	char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
	int err = text ? 0 : -ENOMEM;

	snprintf(path, sizeof(path), "%s/state.json", c->dir);
	if (!err)
		err = write_atomic(path, text);
	free(text);
	json_decref(j);
	return err;
}

static void
ctr_remove_files(const struct ctr *c)
{
	static const char *const files[] = { "exec.fifo", "state.json", "creating" };
	char path[PATH_MAX + 16];

	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		snprintf(path, sizeof(path), "%s/%s", c->dir, files[i]);
		unlink(path);
	}
	rmdir(c->dir);
}

/* A container directory without a state file, left by a `create` that was killed before
 * it finished (its "creating" file names a dead process, or is missing and the directory
 * is older than a minute): removed, so that the id can be used again. True if it was. */
static bool
ctr_clear_stale(const struct ctr *c)
{
	char path[PATH_MAX + 16], buf[32] = "";
	struct stat st;

	snprintf(path, sizeof(path), "%s/state.json", c->dir);
	if (access(path, F_OK) == 0 || stat(c->dir, &st) < 0)
		return false;
	snprintf(path, sizeof(path), "%s/creating", c->dir);
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		ssize_t n = read(fd, buf, sizeof(buf) - 1);
		pid_t pid = n > 0 ? atoi(buf) : 0;
		if (pid > 0 && (kill(pid, 0) == 0 || errno == EPERM))
			return false;
	} else if (time(NULL) - st.st_mtime < 60) {
		return false;
	}
	ctr_remove_files(c);
	return access(c->dir, F_OK) < 0;
}

/* Kills the container's process (the sentry, the gofer and every guest go with it) and
 * waits until it is gone (it is usually not our child). */
static void
ctr_kill_all(const struct ctr *c)
{
	if (!ctr_alive(c))
		return;
	kill(c->pid, SIGKILL);
	for (int i = 0; i < 1000 && ctr_alive(c); i++) {
		waitpid(c->pid, NULL, WNOHANG);
		usleep(5000);
	}
}

static json_t *
ctr_state_json(const struct ctr *c)
{
	const char *status = ctr_status(c);

	return json_pack("{s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:O}", "ociVersion", OCI_VERSION,
			 "id", c->id, "pid", (json_int_t)(strcmp(status, "stopped") ? c->pid : 0),
			 "status", status, "bundle", c->bundle, "rootfs", c->rootfs,
			 "created", c->created, "owner", "", "annotations", c->annotations);
}

static int
print_json(json_t *j)
{
	char *text = j ? json_dumps(j, JSON_INDENT(2)) : NULL;

	if (!text)
		return oci_err("cannot encode JSON");
	puts(text);
	free(text);
	json_decref(j);
	return 0;
}

/* ---- hooks (prestart, createRuntime, poststart, poststop: on the host) ---- */

static char **
string_vector(json_t *arr, const char *first)
{
	size_t i, n = json_array_size(arr);
	char **v = xcalloc(n + 2, sizeof(char *));
	json_t *s;

	json_array_foreach(arr, i, s)
		v[i] = (char *)json_string_value(s);
	if (!n && first)
		v[0] = (char *)first;
	return v;
}

/* One hook with the state on its stdin; its output goes to our stderr. 0, or -1 with the
 * reason in why. */
static int
run_hook(json_t *h, const char *state, char *why, size_t n)
{
	const char *path = json_string_value(json_object_get(h, "path"));
	json_int_t timeout = json_integer_value(json_object_get(h, "timeout"));
	_cleanup_free_ char **argv = string_vector(json_object_get(h, "args"), path);
	_cleanup_free_ char **envp = string_vector(json_object_get(h, "env"), NULL);
	int in[2], st;

	if (pipe2(in, O_CLOEXEC) < 0) {
		snprintf(why, n, "pipe: %s", strerror(errno));
		return -1;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(2, 1);
		close_range(3, ~0U, 0);
		execve(path, argv, envp);
		_exit(127);
	}
	close(in[0]);
	if (pid < 0) {
		close(in[1]);
		snprintf(why, n, "fork: %s", strerror(errno));
		return -1;
	}
	void (*old)(int) = signal(SIGPIPE, SIG_IGN);
	write_all(in[1], state, strlen(state));
	close(in[1]);
	signal(SIGPIPE, old);
	for (long ms = 0;; ms += 10) {
		pid_t r = waitpid(pid, &st, WNOHANG);
		if (r == pid)
			break;
		if (r < 0 && errno != EINTR) {
			snprintf(why, n, "waitpid: %s", strerror(errno));
			return -1;
		}
		if (timeout && ms >= timeout * 1000) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			snprintf(why, n, "timed out after %llds", (long long)timeout);
			return -1;
		}
		usleep(10000);
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	if (WIFEXITED(st))
		snprintf(why, n, "exit status %d", WEXITSTATUS(st));
	else
		snprintf(why, n, "killed by signal %d", WTERMSIG(st));
	return -1;
}

static json_t *ctr_state_json(const struct ctr *c);

/* Runs the hooks of one kind in order; the first that fails stops them: 1 and a message
 * (a warning only when fatal is false, as runtime-spec wants for poststart and poststop). */
static int
run_hooks(const struct ctr *c, const char *kind, bool fatal)
{
	json_t *list = json_object_get(c->hooks, kind), *h, *state;
	char why[256];
	size_t i;

	if (!json_array_size(list))
		return 0;
	state = ctr_state_json(c);
	_cleanup_free_ char *text = state ? json_dumps(state, JSON_COMPACT) : NULL;
	json_decref(state);
	if (!text)
		return oci_err("%s hooks: cannot encode the state", kind);
	json_array_foreach(list, i, h) {
		if (run_hook(h, text, why, sizeof(why)) == 0)
			continue;
		if (fatal)
			return oci_err("%s hook %s: %s", kind,
				       json_string_value(json_object_get(h, "path")), why);
		char msg[512];
		snprintf(msg, sizeof(msg), "%s hook %s: %s", kind,
			 json_string_value(json_object_get(h, "path")), why);
		fprintf(stderr, "sandbox: warning: %s\n", msg);
		log_line("warning", msg);
		return 1;
	}
	return 0;
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
static int
console_open(const char *sock_path, int *slave)
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
	if (fd < 0 || write(fd, &c, 1) != 1 || write(3, &c, 1) != 1)
		_exit(1);
	_exit(0);
}

/* The container's process: `sandbox run` with the config's options, whose sentry waits
 * (ready_w, then the hold pipe) for `start`. */
static void __attribute__((noreturn))
container_process(struct oci_config *cfg, const char *fifo, int ready_w, int slave)
{
	int hold[2];

	setsid();
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
	cfg->run.hold_fd = hold[0];
	cfg->run.ready_fd = ready_w;
	cfg->run.reraise = true;
	exit(sandbox_run(cfg->argc, cfg->argv, &cfg->run));
}

/* Waits for the sentry's "loaded" byte, or for the container process to end first. */
static int
wait_ready(int ready_r, pid_t pid)
{
	struct pollfd p = { .fd = ready_r, .events = POLLIN };
	char c;
	int st;

	for (int ms = 0; ms < 120000; ms += 100) {
		int n = poll(&p, 1, 100);
		if (n > 0 && read(ready_r, &c, 1) == 1)
			return 0;
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
	if (cfg->terminal) {
		if (o->console_socket) {
			if (console_open(o->console_socket, slave))
				return 1;
		} else if (!o->foreground) {
			return oci_err("process.terminal is true: a detached container needs "
				       "--console-socket");
		}
		tty = "--tty";
	}
	v = xcalloc(cfg->argc + 3, sizeof(char *));
	v[0] = cfg->argv[0];
	v[1] = (char *)tty;
	v[2] = g.debug ? "--debug" : "--quiet";
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

static int
write_pid_file(const char *path, pid_t pid)
{
	char buf[32], cwd[PATH_MAX], abs[PATH_MAX * 2];

	snprintf(buf, sizeof(buf), "%d", pid);
	if (path[0] != '/') {
		if (!getcwd(cwd, sizeof(cwd)) ||
		    (size_t)snprintf(abs, sizeof(abs), "%s/%s", cwd, path) >= PATH_MAX)
			return -ENAMETOOLONG;
		path = abs;
	}
	return write_atomic(path, buf);
}

/* Creates container ID: on success its process (our child) is loaded and waits for
 * `start`, and *out describes it. 0, or 1 with a message and nothing left behind. */
static int
create_container(const char *id, const struct create_opts *o, struct ctr *out)
{
	static struct oci_config cfg;
	char err[1024], fifo[PATH_MAX + 16], created[64];
	int slave, ready[2], r;

	memset(out, 0, sizeof(*out));
	if (ctr_path(out, id))
		return 1;
	if (o->preserve_fds && strcmp(o->preserve_fds, "0"))
		return oci_err("--preserve-fds: passing extra fds is not supported");
	if (oci_config_load(o->bundle ? o->bundle : ".", &cfg, err, sizeof(err)))
		return oci_err("%s", err);
	for (int i = 0; i < cfg.nwarnings; i++)
		oci_warn(cfg.warnings[i]);
	sandbox_run_check(cfg.argc, cfg.argv); /* bad mounts, sizes...: a usage error, exits */
	r = mkdir_p(g.root, 0711);
	if (r)
		return oci_err("--root %s: %s", g.root, strerror(-r));
	if (mkdir(out->dir, 0700) < 0 && !(errno == EEXIST && ctr_clear_stale(out) &&
					   mkdir(out->dir, 0700) == 0))
		return errno == EEXIST ? oci_err("container %s already exists", id)
				       : oci_err("%s: %s", out->dir, strerror(errno));
	snprintf(fifo, sizeof(fifo), "%s/creating", out->dir);
	snprintf(created, sizeof(created), "%d", (int)getpid());
	if ((r = -write_atomic(fifo, created))) {
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
		container_process(&cfg, fifo, ready[1], slave);
	}
	close(ready[1]);
	if (slave >= 0)
		close(slave);
	r = wait_ready(ready[0], out->pid);
	close(ready[0]);
	char state;
	if (!r && !proc_stat(out->pid, &out->start_time, &state))
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
	if (!r && (r = -ctr_save(out)))
		r = oci_err("saving the state: %s", strerror(r));
	if (!r && o->pid_file && (r = -write_pid_file(o->pid_file, out->pid)))
		r = oci_err("--pid-file %s: %s", o->pid_file, strerror(r));
	if (!r)
		r = run_hooks(out, "prestart", true);
	if (!r)
		r = run_hooks(out, "createRuntime", true);
	if (!r) {
		snprintf(fifo, sizeof(fifo), "%s/creating", out->dir);
		unlink(fifo);
		return 0;
	}
	kill(out->pid, SIGKILL);
	waitpid(out->pid, NULL, 0);
out_remove:
	ctr_remove_files(out);
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
	struct ctr c;

	if (parse_opts(argc, argv, "create", opts, pos, 1) != 1)
		return oci_err("usage: sandbox create [--bundle DIR] [--pid-file FILE] "
			       "[--console-socket SOCK] ID");
	int r = create_container(pos[0], &o, &c);
	ctr_free(&c);
	return r;
}

/* ---- start, state, kill, delete, list ---- */

static int
start_container(const struct ctr *c)
{
	char fifo[PATH_MAX + 16], byte;
	const char *status = ctr_status(c);

	if (strcmp(status, "created"))
		return oci_err("container %s is %s: only a created container can be started", c->id,
			       status);
	snprintf(fifo, sizeof(fifo), "%s/exec.fifo", c->dir);
	_cleanup_close_ int fd = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return oci_err("container %s: %s: %s", c->id, fifo, strerror(errno));
	struct pollfd p = { .fd = fd, .events = POLLIN };
	for (int ms = 0; ms < 30000; ms += 50) {
		if (poll(&p, 1, 50) > 0 && (p.revents & POLLIN) && read(fd, &byte, 1) == 1) {
			unlink(fifo);
			run_hooks(c, "poststart", false);
			return 0;
		}
		if (!ctr_alive(c))
			break;
	}
	return oci_err("container %s: its process did not answer", c->id);
}

static int
cmd_start(int argc, char **argv)
{
	struct opt opts[] = { { NULL, 0, false, NULL } };
	char *pos[1];
	struct ctr c;

	if (parse_opts(argc, argv, "start", opts, pos, 1) != 1)
		return oci_err("usage: sandbox start ID");
	if (ctr_load(&c, pos[0], false))
		return 1;
	int r = start_container(&c);
	ctr_free(&c);
	return r;
}

static int
cmd_state(int argc, char **argv)
{
	struct opt opts[] = { { NULL, 0, false, NULL } };
	char *pos[1];
	struct ctr c;

	if (parse_opts(argc, argv, "state", opts, pos, 1) != 1)
		return oci_err("usage: sandbox state ID");
	if (ctr_load(&c, pos[0], false))
		return 1;
	int r = print_json(ctr_state_json(&c));
	ctr_free(&c);
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

/* "TERM", "SIGTERM", "sigterm", "15": the number, or -1. */
static int
parse_signal(const char *s)
{
	char *end;

	if (*s >= '0' && *s <= '9') {
		long n = strtol(s, &end, 10);
		return *end || n < 1 || n > 64 ? -1 : (int)n;
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
	struct ctr c;
	int n = parse_opts(argc, argv, "kill", opts, pos, 2), sig = SIGTERM;

	if (n < 1)
		return oci_err("usage: sandbox kill [--all] ID [SIGNAL]");
	if (n == 2 && (sig = parse_signal(pos[1])) < 0)
		return oci_err("kill: unknown signal '%.32s'", pos[1]);
	if (ctr_load(&c, pos[0], false))
		return 1;
	int r = 0;
	if (!ctr_alive(&c))
		r = oci_err("container %s is not running", c.id);
	else if (kill(c.pid, sig) < 0)
		r = oci_err("kill: %s", strerror(errno));
	ctr_free(&c);
	return r;
}

static int
delete_container(struct ctr *c, bool force)
{
	const char *status = ctr_status(c);

	if (!strcmp(status, "running") && !force)
		return oci_err("container %s is running: stop it first, or use delete --force", c->id);
	ctr_kill_all(c);
	ctr_remove_files(c);
	run_hooks(c, "poststop", false);
	return 0;
}

static int
cmd_delete(int argc, char **argv)
{
	const char *force = NULL;
	struct opt opts[] = { { "force", 'f', false, &force }, { NULL, 0, false, NULL } };
	char *pos[1];
	struct ctr c;

	if (parse_opts(argc, argv, "delete", opts, pos, 1) != 1)
		return oci_err("usage: sandbox delete [--force] ID");
	if (!valid_id(pos[0]))
		return ctr_load(&c, pos[0], false);
	if (ctr_load(&c, pos[0], true)) {
		/* runc: --force on a container that does not exist is not an error */
		if (force && ctr_path(&c, pos[0]) == 0)
			ctr_clear_stale(&c);
		ctr_free(&c);
		return force ? 0 : oci_err("container %s does not exist", pos[0]);
	}
	int r = delete_container(&c, force != NULL);
	ctr_free(&c);
	return r;
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
	int n = scandir(g.root, &names, NULL, alphasort);
	if (!json && !quiet)
		printf("%-20s %-8s %-10s %-40s %-32s %s\n", "ID", "PID", "STATUS", "BUNDLE", "CREATED",
		       "OWNER");
	for (int i = 0; i < n; i++) {
		struct ctr c;

		if (names[i]->d_name[0] != '.' && !ctr_load(&c, names[i]->d_name, true)) {
			json_t *s = ctr_state_json(&c);
			json_object_del(s, "annotations");
			if (quiet)
				printf("%s\n", c.id);
			else if (!json)
				printf("%-20s %-8lld %-10s %-40s %-32s %s\n", c.id,
				       (long long)json_integer_value(json_object_get(s, "pid")),
				       json_string_value(json_object_get(s, "status")), c.bundle,
				       c.created, "");
			json_array_append_new(arr, s);
			ctr_free(&c);
		}
		free(names[i]);
	}
	free(names);
	if (json && !quiet)
		return print_json(arr);
	json_decref(arr);
	return 0;
}

/* The host pids of the container: its process and all its descendants (the sentry, the
 * gofer, the stubs), parents first; at most max of them. */
static int
ctr_pids(const struct ctr *c, pid_t *out, int max)
{
	struct dirent **names = NULL;
	int n = scandir("/proc", &names, NULL, NULL), count = 0;
	pid_t *pid = xcalloc(n > 0 ? n : 1, sizeof(pid_t)), *ppid = xcalloc(n > 0 ? n : 1, sizeof(pid_t));
	int m = 0;

	for (int i = 0; i < n; i++) {
		char path[300], buf[512];
		ssize_t len;

		if (names[i]->d_name[0] >= '1' && names[i]->d_name[0] <= '9') {
			snprintf(path, sizeof(path), "/proc/%s/stat", names[i]->d_name);
			_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
			char *p;
			if (fd >= 0 && (len = read(fd, buf, sizeof(buf) - 1)) > 0) {
				buf[len] = '\0';
				if ((p = strrchr(buf, ')')) && sscanf(p + 2, "%*c %d", &ppid[m]) == 1)
					pid[m++] = atoi(names[i]->d_name);
			}
		}
		free(names[i]);
	}
	free(names);
	if (ctr_alive(c) && max > 0)
		out[count++] = c->pid;
	for (int done = 0; done < count && count < max; done++)
		for (int i = 0; i < m && count < max; i++)
			if (ppid[i] == out[done])
				out[count++] = pid[i];
	free(pid);
	free(ppid);
	return count;
}

static int
cmd_ps(int argc, char **argv)
{
	const char *format = NULL;
	struct opt opts[] = { { "format", 'f', true, &format }, { NULL, 0, false, NULL } };
	char *pos[64], list[4096];
	pid_t pids[256];
	struct ctr c;
	int n = parse_opts(argc, argv, "ps", opts, pos, ARRAY_SIZE(pos));

	if (n < 1)
		return oci_err("usage: sandbox ps [--format table|json] ID [PS OPTIONS]");
	if (format && strcmp(format, "json") && strcmp(format, "table"))
		return oci_err("ps: --format must be table or json");
	if (ctr_load(&c, pos[0], false))
		return 1;
	int np = ctr_pids(&c, pids, ARRAY_SIZE(pids));
	ctr_free(&c);
	if (format && !strcmp(format, "json")) {
		json_t *arr = json_array();
		for (int i = 0; i < np; i++)
			json_array_append_new(arr, json_integer(pids[i]));
		return print_json(arr);
	}
	if (!np)
		return oci_err("container %s is not running", pos[0]);
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
	execvp("ps", v);
	return oci_err("ps: %s", strerror(errno));
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
	struct ctr c;
	int st;

	if (parse_opts(argc, argv, "run", opts, pos, 1) != 1)
		return oci_err("usage: sandbox run [--bundle DIR] [--detach] [--pid-file FILE] ID");
	o.foreground = !o.detach;
	if (create_container(pos[0], &o, &c)) {
		ctr_free(&c);
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
		ctr_free(&c);
		return 1;
	}
	if (o.detach) {
		ctr_free(&c);
		return 0;
	}
	while (waitpid(c.pid, &st, 0) < 0)
		if (errno != EINTR) {
			st = EXIT_SETUP << 8;
			break;
		}
	if (!keep)
		delete_container(&c, true);
	ctr_free(&c);
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
		"s:{s:b}, s:{s:b}, s:{s:b}, s:{s:b}}, s:{s:s, s:s}}",
		"ociVersionMin", "1.0.0", "ociVersionMax", "1.1.0", "hooks",
		"mountOptions", "bind", "rbind", "ro", "rw", "size", "nosuid", "nodev",
		"linux", "namespaces", "cgroup", "ipc", "mount", "network", "pid", "time", "user",
		"uts", "capabilities", "cgroup", "v1", 0, "seccomp", "enabled", 0,
		"apparmor", "enabled", 0, "selinux", "enabled", 0,
		"annotations", "org.sandbox.runtime", "user-space kernel (sentry)",
		"org.sandbox.version", "0.1.0");
	return print_json(j);
}

static int
cmd_unsupported(const char *cmd)
{
	return oci_err("'%s' is not supported by this runtime", cmd);
}

/* ---- dispatch ---- */

static const char *const oci_commands[] = { "create", "start", "state", "kill", "delete",
					    "list", "spec", "features", "ps" };
static const char *const unsupported[] = { "exec", "pause", "resume", "events",
					   "update", "checkpoint", "restore" };
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

	if (in_list(a, oci_commands, ARRAY_SIZE(oci_commands), false) ||
	    in_list(a, unsupported, ARRAY_SIZE(unsupported), false) ||
	    in_list(a, global_opts, ARRAY_SIZE(global_opts), true))
		return true;
	if (strcmp(a, "run"))
		return false;
	for (int i = 2; i < argc && strcmp(argv[i], "--"); i++)
		if (in_list(argv[i], oci_run_opts, ARRAY_SIZE(oci_run_opts), true))
			return true;
	return false;
}

int
oci_main(int argc, char **argv)
{
	const char *root = NULL, *logfmt = NULL, *debug = NULL;
	struct opt globals[] = {
		{ "root", 0, true, &root }, { "log", 0, true, &g.log },
		{ "log-format", 0, true, &logfmt }, { "systemd-cgroup", 0, false, NULL },
		{ "debug", 0, false, &debug }, { "rootless", 0, true, NULL },
		{ "criu", 0, true, NULL }, { NULL, 0, false, NULL },
	};
	int i = 1;

	/* the global options, up to the command */
	while (i < argc && argv[i][0] == '-' && strcmp(argv[i], "--version") && strcmp(argv[i], "-v")) {
		int end = i + 1;
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
		g.root = root;
	}
	if (logfmt && strcmp(logfmt, "text") && strcmp(logfmt, "json"))
		return oci_err("--log-format must be text or json");
	g.log_json = logfmt && !strcmp(logfmt, "json");
	g.debug = debug != NULL;
	if (g.debug)
		log_level = LOG_DEBUG;
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
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "-v")) {
		printf("sandbox %s\nspec: 1.1.0\n", "0.1.0");
		return 0;
	}
	if (in_list(cmd, unsupported, ARRAY_SIZE(unsupported), false))
		return cmd_unsupported(cmd);
	return oci_err("unknown command '%.64s' (see 'sandbox --help')", cmd);
}
