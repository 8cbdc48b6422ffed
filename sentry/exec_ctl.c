/*
 * `sandbox exec`'s two ends inside a container's run (sentry/exec_ctl.h): the listener on
 * the host side, and the sentry's side that starts the processes and reports on them.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fs/vfs.h"
#include "loader/loader.h"
#include "platform/platform.h"
#include "sentry/exec_ctl.h"
#include "sentry/ns.h"
#include "sentry/oci.h"
#include "sentry/sentry.h"
#include "syscalls/syscalls.h"

#define MAX_FDS (4 + EXEC_MAX_PRESERVED) /* the connection, stdio, preserved ones */

static void
close_fds(const int *fds, int n)
{
	for (int i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

static void
reply(int conn, uint32_t kind, int val, const char *text)
{
	struct exec_msg m = { .kind = kind, .val = val };

	if (text) /* (cut to fit; m.text stays NUL-ended) */
		memcpy(m.text, text, strnlen(text, sizeof(m.text) - 1));
	send_fds(conn, &m, sizeof(m), NULL, 0);
}

/*
 * The request's parts, checked: every count within the bytes that came, every string
 * NUL-ended. 0, or -EINVAL.
 */
struct exec_parts {
	const struct exec_req *h;
	const gid_t *groups;
	const char *cwd;
	char **argv, **envp;    /* NULL-ended, pointing into the request */
};

static int
parse_request(const char *buf, size_t n, struct exec_parts *p)
{
	const struct exec_req *h = (const void *)buf;

	memset(p, 0, sizeof(*p));
	if (n < sizeof(*h) || h->magic != EXEC_MAGIC || h->len != n - sizeof(*h) ||
	    h->ngroups > EXEC_MAX_GROUPS || h->nargs < 1 || h->nargs > EXEC_REQ_MAX / 2 ||
	    h->nenv > EXEC_REQ_MAX / 2 || (h->flags & ~EXEC_TTY) || h->uid < 0 || h->gid < 0 ||
	    h->have_caps > 1 || h->pad)
		return -EINVAL;
	size_t off = sizeof(*h) + h->ngroups * sizeof(gid_t);
	if (off > n)
		return -EINVAL;
	p->h = h;
	p->groups = (const gid_t *)(buf + sizeof(*h));
	size_t nstr = 1 + h->nargs + h->nenv;
	const char **s = xcalloc(nstr + 2, sizeof(char *));
	for (size_t i = 0; i < nstr; i++) {
		const char *end = off < n ? memchr(buf + off, '\0', n - off) : NULL;
		if (!end) {
			free(s);
			return -EINVAL;
		}
		s[i] = buf + off;
		off = (size_t)(end - buf) + 1;
	}
	if (off != n || !s[1][0]) {
		free(s);
		return -EINVAL;
	}
	/* argv and envp as two NULL-ended arrays in one allocation: cwd, args, NULL, env, NULL */
	p->cwd = s[0];
	memmove(s + 1 + h->nargs + 1, s + 1 + h->nargs, h->nenv * sizeof(char *));
	s[1 + h->nargs] = NULL;
	s[nstr + 1] = NULL;
	p->argv = (char **)s + 1;
	p->envp = (char **)s + 2 + h->nargs;
	return 0;
}

/* ---- the listener (host side) ---- */

static bool
limits_ok(const char *buf, size_t n)
{
	const struct exec_limits *l = (const void *)buf;

	return n == sizeof(*l) && (l->mem_limit || l->pids_limit) && l->pids_limit <= 1000000 &&
	       (!l->mem_limit || (l->mem_limit >= (1UL << 20) && l->mem_limit <= (1UL << 50)));
}

/* `update`'s new limits: the memory one into the page the CLI's fence and the sentry read,
 * the pids one on to the sentry (which answers then). NULL when answered or passed on. */
static const char *
set_limits(int c, int fd, const char *buf, size_t n, int nfds)
{
	const struct exec_limits *l = (const void *)buf;

	if (nfds || !limits_ok(buf, n))
		return "a malformed limits message";
	if (l->mem_limit) {
		if (!limit_report)
			return "this container has no memory limit to change";
		limit_report->mem_limit = l->mem_limit;
	}
	if (!l->pids_limit)
		reply(c, EXEC_LIMITS_SET, 0, NULL);
	else if (send_fds(fd, buf, n, &c, 1))
		return "the container did not take the limits";
	return NULL;
}

/* Checks one client's request and passes it on, or answers why not; closes c. */
static void
listener_take(int c, int fd)
{
	static char buf[EXEC_REQ_MAX + 1]; /* (a longer message arrives cut to one byte more) */
	int fds[MAX_FDS + 1] = { c }, nfds;
	ssize_t n = recv_fds(c, buf, sizeof(buf), MSG_DONTWAIT, fds + 1, MAX_FDS, &nfds);
	struct exec_parts p;
	const char *why = NULL;

	if (n >= 4 && ((const struct exec_limits *)buf)->magic == EXEC_LIMITS_MAGIC) {
		if ((why = set_limits(c, fd, buf, (size_t)n, nfds)))
			reply(c, EXEC_FAILED, EINVAL, why);
		close_fds(fds, 1 + (nfds > 0 ? nfds : 0));
		return;
	}
	if (n < 0)
		why = "no request came";
	else if (n > EXEC_REQ_MAX)
		why = "the request is too large";
	else if (nfds < 3 || nfds > 3 + EXEC_MAX_PRESERVED || parse_request(buf, (size_t)n, &p))
		why = "a malformed request";
	if (!why) {
		free((void *)(p.argv - 1));
		int err = send_fds(fd, buf, (size_t)n, fds, 1 + nfds);
		if (err == -EPIPE || err == -ECONNREFUSED)
			_exit(0); /* the sentry is gone: so is the container */
		if (err)
			why = "the container did not take the request";
	}
	if (why)
		reply(c, EXEC_FAILED, EINVAL, why);
	close_fds(fds, 1 + (nfds > 0 ? nfds : 0));
}

/* Up to PENDING clients at once, each given PENDING_MS to send its request: a silent one
 * holds up nobody else. */
#define PENDING 64
#define PENDING_MS 5000

static void __attribute__((noreturn))
listener_loop(int ls, int fd)
{
	struct pollfd p[PENDING + 1];
	long long since[PENDING + 1];
	int n = 1;

	p[0] = (struct pollfd){ .fd = ls, .events = POLLIN };
	for (;;) {
		p[0].events = n <= PENDING ? POLLIN : 0;
		if (poll(p, n, 1000) < 0 && errno != EINTR)
			_exit(1);
		long long now = monotonic_ns() / 1000000;
		for (int i = n - 1; i >= 1; i--) {
			bool late = now - since[i] >= PENDING_MS;
			if (!p[i].revents && !late)
				continue;
			if (late && !p[i].revents)
				reply(p[i].fd, EXEC_FAILED, ETIMEDOUT, "no request came");
			if (p[i].revents)
				listener_take(p[i].fd, fd);
			else
				close(p[i].fd);
			p[i] = p[--n];
			since[i] = since[n];
		}
		if (p[0].revents & POLLIN) {
			int c = accept4(ls, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
			if (c < 0 && errno != EINTR && errno != EAGAIN && errno != ECONNABORTED &&
			    errno != EMFILE && errno != ENFILE && errno != ENOBUFS && errno != ENOMEM)
				_exit(1);
			if (c >= 0) {
				p[n] = (struct pollfd){ .fd = c, .events = POLLIN };
				since[n++] = now;
			}
		}
	}
}

int
exec_sock_addr(const char *path, struct sockaddr_un *sa, int *dirfd)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');

	*dirfd = -1;
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) < sizeof(sa->sun_path)) {
		memcpy(sa->sun_path, path, strlen(path) + 1);
		return 0;
	}
	/* too long for sun_path (a runtime root plus a 64-character id may be): the same file
	 * through an fd of its directory */
	if (!slash || slash == path || (size_t)(slash - path) >= sizeof(dir))
		return -ENAMETOOLONG;
	memcpy(dir, path, slash - path);
	dir[slash - path] = '\0';
	*dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (*dirfd < 0)
		return -errno;
	if ((size_t)snprintf(sa->sun_path, sizeof(sa->sun_path), "/proc/self/fd/%d/%s", *dirfd,
			     slash + 1) >= sizeof(sa->sun_path)) {
		close(*dirfd);
		*dirfd = -1;
		return -ENAMETOOLONG;
	}
	return 0;
}

pid_t
exec_listener_start(const char *path, int fd)
{
	struct sockaddr_un sa;
	int dirfd, r = exec_sock_addr(path, &sa, &dirfd);

	if (r)
		return r;
	int ls = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (ls < 0) {
		r = -errno;
		if (dirfd >= 0)
			close(dirfd);
		return r;
	}
	unlink(path);
	mode_t old = umask(0177);
	r = bind(ls, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (dirfd >= 0)
		close(dirfd);
	if (r < 0 || listen(ls, 16) < 0) {
		r = -errno;
		close(ls);
		return r;
	}
	pid_t parent = getpid();
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		r = -errno;
		close(ls);
		unlink(path);
		return r;
	}
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(0);
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);
		for (int i = 0; i < 3 && null >= 0; i++)
			dup2(null, i);
		signal(SIGPIPE, SIG_IGN);
		sig_ignore_relayed(); /* (the CLI's to relay) */
		listener_loop(ls, fd);
	}
	close(ls);
	return pid;
}

/* ---- the sentry's side ---- */

/* PATH search inside the sandbox for a name without '/', as glibc's execvp: each element
 * in turn (an empty one is the working directory), the first executable regular file wins;
 * one that exists but cannot be run (no execute permission, a directory, a directory on
 * the way that may not be searched) is EACCES, which execvp reports when nothing else is
 * found, else ENOENT (*err). */
char *
resolve_program(struct task *t, const char *name, char **envp, int *err)
{
	const char *path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	char buf[PATH_MAX];

	*err = -ENOENT;
	if (!*name) /* execvp: an empty name is no file at all (the search would find dirs) */
		return NULL;
	if (strchr(name, '/'))
		return xstrdup(name);
	for (char **e = envp; *e; e++)
		if (!strncmp(*e, "PATH=", 5))
			path = *e + 5;
	for (const char *p = path; ; p = strchr(p, ':') + 1) {
		int len = (int)strcspn(p, ":");
		if ((size_t)snprintf(buf, sizeof(buf), "%.*s%s%s", len, p, len ? "/" : "", name) <
		    sizeof(buf)) {
			struct stat st;
			int r = vfs_statat(t, NULL, buf, 0, &st);
			if (r == 0 && S_ISREG(st.st_mode))
				r = vfs_accessat(t, NULL, buf, X_OK, 0);
			else if (r == 0)
				r = -EACCES;
			if (r == 0)
				return xstrdup(buf);
			if (r == -EACCES)
				*err = -EACCES;
		}
		if (!strchr(p, ':'))
			break;
	}
	return NULL;
}


#define MAX_EXECS 32

static int ctl_fd = -1;
static struct evl_watch ctl_w;
static struct exec_proc {
	int tgid;               /* 0: a free slot */
	int conn;
	struct evl_watch w;     /* the client's signals, while it is connected */
	struct console *con;    /* its terminal (EXEC_TTY), or NULL */
} procs[MAX_EXECS];

/* Readiness by SIGIO (O_ASYNC), so the loop need not poll while no guest waits. */
static bool
watch_by_signal(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl >= 0 && fcntl(fd, F_SETFL, fl | O_NONBLOCK) == 0 && evl_signal_ready(fd);
}

static struct exec_proc *
proc_of_watch(struct evl_watch *w)
{
	return (struct exec_proc *)((char *)w - offsetof(struct exec_proc, w));
}

static void
proc_forget(struct exec_proc *e)
{
	if (e->w.events)
		evl_watch_del(&e->w);
	if (e->con)
		console_detach(e->con);
	close(e->conn);
	memset(e, 0, sizeof(*e));
}

/* A message from the client: a signal for the process, a resize of its terminal, or its
 * end (EOF: the process goes on, as a process runc exec started outlives a killed runc). */
static void
client_ready(struct evl_watch *w, short revents)
{
	struct exec_proc *e = proc_of_watch(w);
	struct exec_msg m;

	(void)revents;
	for (;;) {
		int fds[MAX_FDS], nfds; /* recvmsg: the sentry's filter has no recvfrom */
		ssize_t n = recv_fds(e->conn, &m, sizeof(m), MSG_DONTWAIT, fds, MAX_FDS, &nfds);
		close_fds(fds, nfds);
		if (n == -EAGAIN)
			return;
		if (n <= 0) {
			evl_watch_del(&e->w);
			e->w.events = 0;
			return;
		}
		if (n == (ssize_t)sizeof(m) && m.kind == EXEC_RESIZE && e->con)
			console_resize(e->con);
		struct task *t = task_lookup(e->tgid);
		if (n == (ssize_t)sizeof(m) && m.kind == EXEC_SIGNAL && m.val > 0 && m.val < 65 &&
		    t && t->state != TASK_ZOMBIE) {
			siginfo_t si = { .si_signo = m.val, .si_code = SI_USER }; /* from outside: pid 0 */
			task_send_signal(t, m.val, &si, true);
		}
	}
}

static void
fail(int conn, int err, const char *what)
{
	char text[200];

	snprintf(text, sizeof(text), "%s: %s", what, strerror(err));
	reply(conn, EXEC_FAILED, err, text);
}

/* Starts the request's process; fds: the connection, the three stdio fds and those it
 * keeps as fds 3 and up, nfds in all (taken). */
static void
spawn(const struct exec_parts *p, int *fds, int nfds)
{
	struct task *init = sentry.init, *t;
	struct exec_proc *slot = NULL;
	struct console *con = NULL;
	struct ld_result res;
	int conn = fds[0], err;
	char *prog = NULL;

	for (int i = 0; i < MAX_EXECS && !slot; i++)
		if (!procs[i].tgid)
			slot = &procs[i];
	if (!slot || init->state == TASK_ZOMBIE) {
		fail(conn, slot ? ESRCH : EAGAIN, slot ? "the container is ending"
						  : "too many processes started by exec");
		close_fds(fds, nfds);
		return;
	}
	t = task_new();
	t->uid = t->euid = t->suid = t->fsuid = (uid_t)p->h->uid;
	t->gid = t->egid = t->sgid = t->fsgid = (gid_t)p->h->gid;
	task_caps_init(t);
	if (p->h->have_caps)
		oci_apply_caps(t, p->h->caps);
	if (p->h->ngroups) {
		t->ngroups = (int)p->h->ngroups;
		t->groups = xcalloc(t->ngroups, sizeof(gid_t));
		memcpy(t->groups, p->groups, t->ngroups * sizeof(gid_t));
	}
	t->timer_slack = t->timer_slack_dfl = 50000;
	t->nice = sentry.host_nice;
	t->no_new_privs = sentry.host_nnp;
	memcpy(t->rlim, sentry.rlim, sizeof(t->rlim));
	t->ppid = 0; /* its parent is outside the container, as the first program's */
	t->mm = mm_new();
	t->fdt = fdt_new();
	t->fs = vfs_ctx_new();
	err = ns_fork(init, t, 0);
	if (!err)
		err = pidns_attach(t, (struct pid_ns *)ns_of(t, NS_PID));
	if (err) {
		fail(conn, -err, "joining the container's namespaces");
		goto out_discard;
	}
	if (p->h->flags & EXEC_TTY) {
		/* a terminal of the sandbox's own, relayed to the client's stdin and stdout
		 * (for runc's console socket, one description on all three fds) */
		err = console_exec(t, fds[1], fds[2], &con);
		fds[1] = fds[2] = -1;
		if (err) {
			fail(conn, -err, "the process's terminal");
			goto out_discard;
		}
	}
	/* stdio (unless the terminal is), then --preserve-fds' fds as 3 and up */
	for (int fd = con ? 3 : 0; fd < nfds - 1; fd++) {
		struct file *f = file_from_host_stdio(fds[1 + fd]);
		if (!f)
			continue;
		fds[1 + fd] = -1; /* the file owns it now */
		fdt_install_at(t->fdt, fd, f, false);
		file_put(f);
	}
	if (p->cwd[0] && (err = oci_chdir(t, p->cwd))) {
		fail(conn, -err, "the working directory");
		goto out_discard;
	}
	prog = resolve_program(t, p->argv[0], p->envp, &err);
	if (!prog) {
		fail(conn, -err, p->argv[0]);
		goto out_discard;
	}
	err = plat_new_as(&t->ctx);
	if (err) {
		fail(conn, -err, "creating the process");
		goto out_discard;
	}
	plat_set_owner(t->ctx, t);
	if (timens_fork(t)) {
		fail(conn, EIO, "the time namespace's clocks");
		goto out_discard;
	}
	task_apply_cpus(t);
	memset(&res, 0, sizeof(res));
	err = ld_exec(t, prog, p->argv, p->envp, &res);
	if (err) {
		if (res.errmsg[0])
			reply(conn, EXEC_FAILED, -err, res.errmsg);
		else
			fail(conn, -err, prog);
		goto out_discard;
	}
	task_set_comm(t, prog);
	t->did_exec = true; /* (a program started as execve starts one: not PF_FORKNOEXEC) */
	exec_signals_brk(t, 0, &res);
	task_apply_rlimits_new_stub(t);
	/* the container's seccomp profile, as runc gives an exec's process */
	if (sentry.profile_filter.len &&
	    (err = seccomp_attach(t, sentry.profile_filter.filter, sentry.profile_filter.len))) {
		fail(conn, -err, "the seccomp profile");
		goto out_discard;
	}
	err = plat_set_regs(t->ctx, &res.regs);
	if (!err)
		err = plat_resume(t->ctx, 0);
	if (err) {
		fail(conn, -err, "starting the process");
		goto out_discard;
	}
	free(prog);
	close_fds(fds + 1, nfds - 1);
	slot->tgid = t->tgid;
	slot->conn = conn;
	slot->con = con;
	reply(conn, EXEC_STARTED, task_vnr(init, t->tgid), NULL);
	slot->w.fd = conn;
	slot->w.events = POLLIN;
	slot->w.ready = client_ready;
	slot->w.signals = watch_by_signal(conn);
	if (evl_watch_add(&slot->w))
		slot->w.events = 0; /* no signals from this client: the process still runs */
	else
		client_ready(&slot->w, 0); /* signals the client sent before the process was */
	return;
out_discard:
	free(prog);
	task_discard(t); /* (its stub, if made, is killed and released with it) */
	if (con)
		console_detach(con);
	close_fds(fds, nfds);
}

static void
ctl_ready(struct evl_watch *w, short revents)
{
	static char buf[EXEC_REQ_MAX];

	(void)w;
	(void)revents;
	for (;;) {
		int fds[MAX_FDS], nfds;
		ssize_t n = recv_fds(ctl_fd, buf, sizeof(buf), MSG_DONTWAIT, fds, MAX_FDS, &nfds);
		if (n == -EAGAIN)
			return;
		if (n <= 0) {
			evl_watch_del(&ctl_w); /* the listener is gone */
			close_fds(fds, nfds);
			return;
		}
		if (n >= 4 && ((const struct exec_limits *)buf)->magic == EXEC_LIMITS_MAGIC) {
			/* update's pids limit (the listener checked it, and set the memory one) */
			const struct exec_limits *l = (const void *)buf;
			bool ok = nfds == 1 && limits_ok(buf, (size_t)n) && l->pids_limit;
			if (ok)
				sentry.max_tasks = (int)l->pids_limit;
			if (nfds > 0)
				reply(fds[0], ok ? EXEC_LIMITS_SET : EXEC_FAILED, ok ? 0 : EINVAL,
				      ok ? NULL : "a malformed limits message");
			close_fds(fds, nfds);
			continue;
		}
		struct exec_parts p;
		if (nfds < 4 || parse_request(buf, (size_t)n, &p)) {
			if (nfds > 0)
				reply(fds[0], EXEC_FAILED, EINVAL, "a malformed request");
			close_fds(fds, nfds);
			continue;
		}
		spawn(&p, fds, nfds);
		free((void *)(p.argv - 1));
	}
}

void
exec_ctl_init(int fd)
{
	ctl_fd = fd;
	ctl_w.fd = fd;
	ctl_w.events = POLLIN;
	ctl_w.ready = ctl_ready;
	ctl_w.signals = watch_by_signal(fd);
	if (evl_watch_add(&ctl_w))
		log_warn("exec: no room to watch the exec channel");
	ctl_ready(&ctl_w, 0); /* what came before */
}

bool
exec_ctl_process_died(struct task *leader)
{
	for (int i = 0; i < MAX_EXECS; i++) {
		struct exec_proc *e = &procs[i];
		if (e->tgid != leader->tgid)
			continue;
		if (e->con) /* its last output before its status, as far as it goes now */
			console_detach(e->con);
		e->con = NULL;
		reply(e->conn, EXEC_EXITED, leader->exit_status, NULL);
		proc_forget(e);
		task_reap(leader); /* nobody inside waits for it */
		return true;
	}
	return false;
}
