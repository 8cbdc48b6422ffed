/*
 * The OCI runtime's state (sentry/oci.c has the commands): ROOT/ID/state.json, the status
 * of a container worked out from its process and its exec.fifo, its host processes, the
 * --log file, and config.json's hooks that run on the host.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sentry/monitor.h"
#include "sentry/oci.h"
#include "sentry/sentry.h"

struct oci_globals oci_g = { .root = "/run/sandbox" };

/* ---- messages: stderr, and the --log file (runc's text or json lines) ---- */

void
oci_log_line(const char *level, const char *msg)
{
	if (!oci_g.log)
		return;
	int fd = open(oci_g.log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	oci_log_write(fd, level, msg);
	close(fd);
}

/* --debug with --log: the debug lines of this command and of the container's sentry go to
 * the log in its format (an fd kept open: the sentry's root has no path to it). */
static int debug_fd = -1;

static void
debug_to_log(const char *msg)
{
	oci_log_write(debug_fd, "debug", msg);
}

void
oci_log_debug_to_file(void)
{
	if (!oci_g.log || debug_fd >= 0)
		return;
	debug_fd = open(oci_g.log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (debug_fd >= 0)
		log_debug_sink = debug_to_log;
}

void
oci_log_write(int fd, const char *level, const char *msg)
{
	char when[64];
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (oci_g.log_json) {
		json_t *j = json_pack("{s:s, s:s, s:s}", "level", level, "msg", msg, "time", when);
		char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
		if (text) {
			write_all(fd, text, strlen(text));
			write_all(fd, "\n", 1);
		}
		free(text);
		json_decref(j);
	} else {
		/* (the message quoted: its quotes and backslashes escaped, its lines joined) */
		char q[2048];
		size_t k = 0;
		for (const char *p = msg; *p && k < sizeof(q) - 3; p++) {
			if (*p == '"' || *p == '\\')
				q[k++] = '\\';
			q[k++] = *p == '\n' ? ' ' : *p;
		}
		q[k] = '\0';
		dprintf(fd, "time=\"%s\" level=%s msg=\"%s\"\n", when, level, q);
	}
}

int __attribute__((format(printf, 1, 2)))
oci_err(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "sandbox: %s\n", msg);
	oci_log_line("error", msg);
	return 1;
}

void
oci_notice(const char *msg)
{
	fprintf(stderr, "sandbox: warning: %s\n", msg);
	oci_log_line("warning", msg);
}

void
oci_warn(const char *msg)
{
	if (oci_g.debug)
		fprintf(stderr, "sandbox: warning: %s\n", msg);
	oci_log_line("warning", msg);
}

/* ---- the state directory ---- */

bool
oci_valid_id(const char *id)
{
	size_t n = strlen(id);

	if (!n || n > ID_MAX || !strcmp(id, ".") || !strcmp(id, ".."))
		return false;
	return strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+-.") == n;
}

/* Field 22 of /proc/PID/stat and the state letter; false when there is no such process. */
bool
oci_proc_stat(pid_t pid, unsigned long long *start, char *state)
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

bool
oci_ctr_alive(const struct oci_ctr *c)
{
	unsigned long long start;
	char st;

	if (c->pid <= 0 || !oci_proc_stat(c->pid, &start, &st))
		return false;
	return st != 'Z' && st != 'X' && start == c->start_time;
}

int
oci_ctr_cgroup(const struct oci_ctr *c, char *out, size_t n)
{
	char path[PATH_MAX + 16];
	ssize_t len;

	snprintf(path, sizeof(path), "%s/cgroup", c->dir);
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	if ((len = read(fd, out, n - 1)) <= 0)
		return len < 0 ? -errno : -ENOENT;
	out[len] = '\0';
	return out[0] == '/' && !strstr(out, "/../") ? 0 : -EINVAL;
}

/* Paused: its cgroup is (being) frozen. */
static bool
frozen(const struct oci_ctr *c)
{
	char dir[PATH_MAX], path[PATH_MAX + 16], v = '0';

	if (oci_ctr_cgroup(c, dir, sizeof(dir)))
		return false;
	snprintf(path, sizeof(path), "%s/cgroup.freeze", dir);
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd >= 0 && read(fd, &v, 1) == 1 && v == '1';
}

const char *
oci_ctr_status(const struct oci_ctr *c)
{
	char fifo[PATH_MAX + 16];

	if (!oci_ctr_alive(c))
		return "stopped";
	if (frozen(c))
		return "paused";
	snprintf(fifo, sizeof(fifo), "%s/exec.fifo", c->dir);
	return access(fifo, F_OK) == 0 ? "created" : "running";
}

void
oci_ctr_free(struct oci_ctr *c)
{
	free(c->bundle);
	free(c->rootfs);
	free(c->created);
	json_decref(c->annotations);
	json_decref(c->hooks);
	json_decref(c->cgroups);
	json_decref(c->resources);
}

int
oci_ctr_path(struct oci_ctr *c, const char *id)
{
	if (!oci_valid_id(id))
		return oci_err("invalid container id '%.64s' (letters, digits, '_', '+', '-', '.')", id);
	snprintf(c->id, sizeof(c->id), "%s", id);
	if ((size_t)snprintf(c->dir, sizeof(c->dir), "%s/%s", oci_g.root, id) >= sizeof(c->dir))
		return oci_err("--root: path too long");
	return 0;
}

/* Loads ROOT/ID/state.json. 0, or 1 with a message. */
int
oci_ctr_load(struct oci_ctr *c, const char *id, bool quiet)
{
	char path[PATH_MAX + 16];
	json_error_t je;
	json_int_t pid = 0, start = 0;
	const char *bundle = NULL, *rootfs = NULL, *created = NULL;
	json_t *ann = NULL, *hooks = NULL, *cgs = NULL, *res = NULL;

	memset(c, 0, sizeof(*c));
	if (oci_ctr_path(c, id))
		return 1;
	snprintf(path, sizeof(path), "%s/state.json", c->dir);
	json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!j)
		return quiet ? 1 : oci_err("container %s does not exist", id);
	if (json_unpack(j, "{s:I, s:I, s:s, s:s, s:s, s?o, s?o, s?o, s?o}", "pid", &pid,
			"start_time", &start, "bundle", &bundle, "rootfs", &rootfs, "created",
			&created, "annotations", &ann, "hooks", &hooks, "cgroups", &cgs,
			"resources", &res) || pid <= 0 || pid > INT_MAX) {
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
	c->cgroups = json_is_array(cgs) ? json_incref(cgs) : json_array();
	c->resources = json_is_object(res) ? json_incref(res) : json_object();
	json_decref(j);
	return 0;
}

/* Writes PATH atomically (a temporary beside it, then rename). 0 / -errno. */
int
oci_write_atomic(const char *path, const char *text)
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

int
oci_ctr_save(const struct oci_ctr *c)
{
	char path[PATH_MAX + 16];
	json_t *j = json_pack("{s:s, s:s, s:I, s:I, s:s, s:s, s:s, s:s, s:O, s:O, s:O*, s:O*}",
			      "ociVersion", OCI_VERSION, "id", c->id, "pid", (json_int_t)c->pid,
			      "start_time", (json_int_t)c->start_time, "bundle", c->bundle,
			      "rootfs", c->rootfs, "created", c->created, "owner", "",
			      "annotations", c->annotations, "hooks", c->hooks,
			      "cgroups", c->cgroups, "resources", c->resources);
	char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
	int err = text ? 0 : -ENOMEM;

	snprintf(path, sizeof(path), "%s/state.json", c->dir);
	if (!err)
		err = oci_write_atomic(path, text);
	free(text);
	json_decref(j);
	return err;
}

void
oci_ctr_remove_files(const struct oci_ctr *c)
{
	static const char *const files[] = { "exec.fifo", "state.json", "creating", "exec.sock",
					     "cgroup" };
	char path[PATH_MAX + 16];

	oci_cg_remove(c->cgroups);
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		snprintf(path, sizeof(path), "%s/%s", c->dir, files[i]);
		unlink(path);
	}
	rmdir(c->dir);
}

/* A container directory without a state file, left by a `create` that was killed before
 * it finished (its "creating" file names a dead process, or is missing and the directory
 * is older than a minute): removed, so that the id can be used again. True if it was. */
bool
oci_ctr_clear_stale(const struct oci_ctr *c)
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
	oci_ctr_remove_files(c);
	return access(c->dir, F_OK) < 0;
}

/* Kills the container's process (the sentry, the gofer and every guest go with it) and
 * waits until it is gone (it is usually not our child). */
void
oci_ctr_kill_all(const struct oci_ctr *c)
{
	if (!oci_ctr_alive(c))
		return;
	kill(c->pid, SIGKILL);
	for (int i = 0; i < 1000 && oci_ctr_alive(c); i++) {
		waitpid(c->pid, NULL, WNOHANG);
		usleep(5000);
	}
}

json_t *
oci_ctr_state_json(const struct oci_ctr *c)
{
	const char *status = oci_ctr_status(c);

	return json_pack("{s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:O}", "ociVersion", OCI_VERSION,
			 "id", c->id, "pid", (json_int_t)(strcmp(status, "stopped") ? c->pid : 0),
			 "status", status, "bundle", c->bundle, "rootfs", c->rootfs,
			 "created", c->created, "owner", "", "annotations", c->annotations);
}

static int
oci_print_json_fmt(json_t *j, size_t flags)
{
	char *text = j ? json_dumps(j, flags) : NULL;

	if (!text)
		return oci_err("cannot encode JSON");
	puts(text);
	free(text);
	json_decref(j);
	return 0;
}

int
oci_print_json(json_t *j)
{
	return oci_print_json_fmt(j, JSON_INDENT(2));
}

int
oci_print_json_line(json_t *j)
{
	return oci_print_json_fmt(j, JSON_COMPACT);
}

/* ---- hooks (on the host; startContainer inside the container, as an exec) ---- */

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

/* `sandbox exec` of a hook in container c (a startContainer hook: its path is the
 * container's): path with args after the first, env added to the container's, in "/";
 * exits with exec's status (128+N: signal N). */
static void __attribute__((noreturn))
exec_hook_inside(const struct oci_ctr *c, const char *path, char **args, char **env)
{
	int n = 0, na = 0, ne = 0;

	while (args[na])
		na++;
	while (env[ne])
		ne++;
	char **v = xcalloc(2 * ne + na + 5, sizeof(char *));
	v[n++] = "--cwd";
	v[n++] = "/";
	for (int i = 0; i < ne; i++) {
		v[n++] = "--env";
		v[n++] = env[i];
	}
	v[n++] = (char *)c->id;
	v[n++] = (char *)path;
	for (int i = 1; i < na; i++)
		v[n++] = args[i];
	exit(oci_cmd_exec(n, v));
}

/* One hook with the state on its stdin; its output goes to our stderr; inside: run in the
 * container c, else on the host. 0, or -1 with the reason in why. */
static int
run_hook(json_t *h, const char *state, const struct oci_ctr *inside, char *why, size_t n)
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
		if (inside)
			exec_hook_inside(inside, path, argv, envp);
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
	/* (an exec inside ends with 128+N for signal N) */
	int sig = !WIFEXITED(st) ? WTERMSIG(st) : inside && WEXITSTATUS(st) > 128 &&
		  WEXITSTATUS(st) < 128 + NSIG ? WEXITSTATUS(st) - 128 : 0;
	if (sig) {
		char name[64];
		snprintf(name, sizeof(name), "%s", strsignal(sig));
		name[0] = (char)tolower((unsigned char)name[0]);
		snprintf(why, n, "killed by signal %d (%s)", sig, name);
	} else {
		snprintf(why, n, "exit status %d", WEXITSTATUS(st));
	}
	return -1;
}

/* Runs the hooks of one kind in order; the first that fails stops them: 1 and a message
 * (a warning only when fatal is false, as runtime-spec wants for poststart and poststop).
 * startContainer hooks run in the container, the others on the host. */
int
oci_run_hooks(const struct oci_ctr *c, const char *kind, bool fatal)
{
	const struct oci_ctr *inside = !strcmp(kind, "startContainer") ? c : NULL;
	json_t *list = json_object_get(c->hooks, kind), *h, *state;
	char why[256];
	size_t i;

	if (!json_array_size(list))
		return 0;
	state = oci_ctr_state_json(c);
	_cleanup_free_ char *text = state ? json_dumps(state, JSON_COMPACT) : NULL;
	json_decref(state);
	if (!text)
		return oci_err("%s hooks: cannot encode the state", kind);
	json_array_foreach(list, i, h) {
		if (run_hook(h, text, inside, why, sizeof(why)) == 0)
			continue;
		if (fatal)
			return oci_err("error running hook: %s %s: %s", kind,
				       json_string_value(json_object_get(h, "path")), why);
		char msg[512];
		snprintf(msg, sizeof(msg), "%s hook %s: %s", kind,
			 json_string_value(json_object_get(h, "path")), why);
		fprintf(stderr, "sandbox: warning: %s\n", msg);
		oci_log_line("warning", msg);
		return 1;
	}
	return 0;
}

/* The host pids of the container: its process and all its descendants (the sentry, the
 * gofer, the stubs), parents first; at most max of them. */
int
oci_ctr_pids(const struct oci_ctr *c, pid_t *out, int max)
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
	if (oci_ctr_alive(c) && max > 0)
		out[count++] = c->pid;
	for (int done = 0; done < count && count < max; done++)
		for (int i = 0; i < m && count < max; i++)
			if (ppid[i] == out[done])
				out[count++] = pid[i];
	free(pid);
	free(ppid);
	return count;
}
