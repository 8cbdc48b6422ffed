/*
 * `sandbox exec` (runc exec): runs a new process in a running container, through the
 * container's exec.sock (sentry/exec_ctl.h). The process's spec is the container's
 * config.json process (or --process FILE), then the command line's options. The command
 * waits for the process and exits with its status (128+N if signal N killed it), relaying
 * the signals it gets; with --detach a child of ours does the waiting (its pid goes to
 * --pid-file, as runc's does for conmon).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <poll.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "sentry/exec_ctl.h"
#include "sentry/oci.h"
#include "sentry/util.h"

_Static_assert(OCI_MAX_GROUPS == EXEC_MAX_GROUPS, "a process's groups fit a request");

/* --env K=V: replaces K's entry, or is added */
static void
env_put(struct oci_process *s, const char *kv)
{
	size_t klen = strcspn(kv, "=");

	for (int i = 0; i < s->nenv; i++) {
		if (!strncmp(s->env[i], kv, klen) && s->env[i][klen] == '=') {
			free(s->env[i]);
			s->env[i] = xstrdup(kv);
			return;
		}
	}
	char **grown = xcalloc(s->nenv + 2, sizeof(char *));
	if (s->nenv)
		memcpy(grown, s->env, s->nenv * sizeof(char *));
	free(s->env);
	s->env = grown;
	s->env[s->nenv++] = xstrdup(kv);
}

static long
parse_id(const char *s, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > (long)UINT32_MAX - 1) {
		oci_err("exec: %s: expected a number, got '%.64s'", what, s);
		return -1;
	}
	return v;
}

/* The request: header, groups, cwd, args, env. Allocated; NULL (with a message) if too big. */
static char *
build_request(const struct oci_process *s, size_t *len)
{
	size_t n = sizeof(struct exec_req) + s->ngroups * sizeof(gid_t) + strlen(s->cwd) + 1;

	for (int i = 0; i < s->nargs; i++)
		n += strlen(s->args[i]) + 1;
	for (int i = 0; i < s->nenv; i++)
		n += strlen(s->env[i]) + 1;
	if (n > EXEC_REQ_MAX) {
		oci_err("exec: the command and its environment are too large (%zu bytes; at most %d)",
			n, EXEC_REQ_MAX);
		return NULL;
	}
	char *buf = xcalloc(1, n), *p = buf + sizeof(struct exec_req);
	struct exec_req *h = (struct exec_req *)buf;
	*h = (struct exec_req){ .magic = EXEC_MAGIC, .flags = s->terminal ? EXEC_TTY : 0,
				.uid = (int32_t)s->uid, .gid = (int32_t)s->gid,
				.ngroups = (uint32_t)s->ngroups, .nargs = (uint32_t)s->nargs,
				.nenv = (uint32_t)s->nenv, .len = (uint32_t)(n - sizeof(*h)),
				.have_caps = s->have_caps };
	_Static_assert(sizeof(h->caps) == sizeof(s->caps), "capability sets");
	memcpy(h->caps, s->caps, sizeof(h->caps));
	memcpy(p, s->groups, s->ngroups * sizeof(gid_t));
	p += s->ngroups * sizeof(gid_t);
	p = stpcpy(p, s->cwd) + 1;
	for (int i = 0; i < s->nargs; i++)
		p = stpcpy(p, s->args[i]) + 1;
	for (int i = 0; i < s->nenv; i++)
		p = stpcpy(p, s->env[i]) + 1;
	*len = n;
	return buf;
}

static int
send_request(int sock, const char *buf, size_t len, const int *fds, int nfds)
{
	char cbuf[CMSG_SPACE(sizeof(int) * (3 + EXEC_MAX_PRESERVED))] = { 0 };
	struct iovec iov = { (void *)buf, len };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			    .msg_controllen = CMSG_SPACE(sizeof(int) * nfds) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
	memcpy(CMSG_DATA(c), fds, sizeof(int) * nfds);
	return sendmsg(sock, &m, MSG_NOSIGNAL) == (ssize_t)len ? 0 : -errno;
}

/* The next message from the sentry: 1, 0 at EOF, -errno. */
static int
next_msg(int sock, struct exec_msg *m)
{
	for (;;) {
		ssize_t n = recv(sock, m, sizeof(*m), 0);
		if (n < 0 && errno == EINTR)
			return -EINTR;
		if (n < 0)
			return -errno;
		if (n == 0)
			return 0;
		if (n == (ssize_t)sizeof(*m))
			return 1;
	}
}

static int relay_sock = -1;
static bool relay_tty;  /* the process has a terminal: SIGWINCH means a resize */
static bool tty_leader; /* we lead the session of the terminal's host side */

static void
relay(int sig, siginfo_t *si, void *uc)
{
	struct exec_msg m = { .kind = EXEC_SIGNAL, .val = sig };

	(void)uc;
	/* The host terminal hung up: the sentry sees that on the terminal itself and hangs up
	 * the process's (SIGHUP to its session), as Linux would. */
	if (tty_leader && (sig == SIGHUP || sig == SIGCONT) && si->si_code == SI_KERNEL)
		return;
	if (relay_tty && sig == SIGWINCH)
		m.kind = EXEC_RESIZE; /* (as runc, which never passes SIGWINCH on) */
	if (relay_sock >= 0)
		send(relay_sock, &m, sizeof(m), MSG_NOSIGNAL | MSG_DONTWAIT);
}

/* From the request on, the signals we get go to the process (those that come before it
 * started, once it has). */
static void
relay_signals(int sock)
{
	static const int sigs[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2,
				    SIGWINCH, SIGCONT, SIGTSTP, SIGTTIN, SIGTTOU, SIGALRM };
	/* no SA_RESTART: next_msg looks again */
	struct sigaction sa = { .sa_sigaction = relay, .sa_flags = SA_SIGINFO };

	relay_sock = sock;
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
}

/* Waits for the process's end: our exit status for it. */
static int
wait_exit(int sock)
{
	struct exec_msg m;

	for (;;) {
		int r = next_msg(sock, &m);
		if (r == -EINTR)
			continue;
		if (r <= 0)
			return 128 + SIGKILL; /* the container ended: so did the process */
		if (m.kind == EXEC_EXITED) {
			int st = m.val;
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
		}
	}
}

/* The waiter's life: in a session of its own (with the terminal's host side as its
 * controlling terminal), it relays signals and ends with the process's status; parent:
 * the exec command it dies with (0: none, --detach). */
static void __attribute__((noreturn))
waiter_run(int sock, int slave, pid_t parent)
{
	if (parent) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(128 + SIGKILL);
	}
	setsid();
	if (slave >= 0) {
		tty_leader = ioctl(slave, TIOCSCTTY, 0) == 0;
		close(slave);
	}
	relay_signals(sock);
	/* a resize before we led the terminal's session came to nobody */
	if (slave >= 0)
		relay(SIGWINCH, &(siginfo_t){ .si_code = SI_KERNEL }, NULL);
	_exit(wait_exit(sock));
}

/* exec --tty in the foreground without a console socket (as runc): a terminal of ours,
 * whose slave is the process's; *master is ours. The size is our stdin's when it is a
 * terminal. */
static int
own_pty(int *master, int *slave)
{
	char name[128];
	struct winsize ws;

	*master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (*master < 0 || grantpt(*master) < 0 || unlockpt(*master) < 0 ||
	    ptsname_r(*master, name, sizeof(name)) != 0)
		return oci_err("exec: creating a pseudo-terminal: %s", strerror(errno));
	*slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (*slave < 0)
		return oci_err("exec: opening %s: %s", name, strerror(errno));
	if (ioctl(0, TIOCGWINSZ, &ws) == 0)
		ioctl(*master, TIOCSWINSZ, &ws);
	return 0;
}

/* Copies our stdin to the terminal and the terminal to our stdout until the process's
 * side is closed (EIO, as the sentry's relay closes it when the process's terminal files
 * are all closed). Our stdin, a terminal, is raw meanwhile; its resizes are passed on. */
static void
copy_pty(int master)
{
	struct termios saved, raw;
	bool tty_in = tcgetattr(0, &saved) == 0;
	struct pollfd p[2] = { { .fd = master, .events = POLLIN }, { .fd = 0, .events = POLLIN } };
	char buf[4096];

	if (tty_in) {
		raw = saved;
		cfmakeraw(&raw);
		tcsetattr(0, TCSANOW, &raw);
	}
	for (;;) {
		int n = poll(p, 2, -1);
		struct winsize ws;
		if (n < 0 && errno == EINTR && tty_in && ioctl(0, TIOCGWINSZ, &ws) == 0)
			ioctl(master, TIOCSWINSZ, &ws); /* a SIGWINCH, maybe */
		if (n < 0)
			continue;
		if (p[0].revents) {
			ssize_t r = read(master, buf, sizeof(buf));
			if (r <= 0)
				break;
			if (write_all(1, buf, (size_t)r) < 0)
				break;
		}
		if (p[1].revents) {
			ssize_t r = read(0, buf, sizeof(buf));
			if (r <= 0 || write_all(master, buf, (size_t)r) < 0)
				p[1].fd = -1; /* our stdin ended: the process's goes on */
		}
	}
	if (tty_in)
		tcsetattr(0, TCSANOW, &saved);
}

/* Without --detach: the waiter's status is ours (signals we get still go to the process). */
static int
wait_waiter(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return oci_err("exec: waitpid: %s", strerror(errno));
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* The exec itself: an error is 1 (with its message); once the process started, *ran and
 * its status. */
static int
do_exec(int argc, char **argv, bool *ran)
{
	static const struct option lopts[] = {
		{ "console-socket", 1, NULL, 's' }, { "cwd", 1, NULL, 'w' },
		{ "env", 1, NULL, 'e' }, { "tty", 0, NULL, 't' }, { "user", 1, NULL, 'u' },
		{ "additional-gids", 1, NULL, 'g' }, { "process", 1, NULL, 'p' },
		{ "detach", 0, NULL, 'd' }, { "pid-file", 1, NULL, 'P' },
		{ "process-label", 1, NULL, 'L' }, { "apparmor", 1, NULL, 'A' },
		{ "no-new-privs", 0, NULL, 'N' }, { "cap", 1, NULL, 'c' },
		{ "preserve-fds", 1, NULL, 'f' }, { "cgroup", 1, NULL, 'C' },
		{ "ignore-paused", 0, NULL, 'I' }, { NULL, 0, NULL, 0 },
	};
	const char *console = NULL, *cwd = NULL, *user = NULL, *process = NULL, *pid_file = NULL;
	/* static: what they hold stays reachable until exit (LeakSanitizer) */
	static char **envs, **gids, **v;
	static struct oci_process s;
	int nenvs = 0, ngids = 0, c, npreserve = 0;
	bool tty = false, detach = false, ignore_paused = false;

	oci_maybe_help("exec", argc, argv);
	envs = xcalloc(argc + 1, sizeof(char *));
	gids = xcalloc(argc + 1, sizeof(char *));
	v = xcalloc(argc + 2, sizeof(char *));

	v[0] = "exec";
	memcpy(v + 1, argv, argc * sizeof(char *));
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc + 1, v, "+e:tu:g:p:dc:", lopts, NULL)) != -1) {
		switch (c) {
		case 's': console = optarg; break;
		case 'w': cwd = optarg; break;
		case 'e': envs[nenvs++] = optarg; break;
		case 't': tty = true; break;
		case 'u': user = optarg; break;
		case 'g': gids[ngids++] = optarg; break;
		case 'p': process = optarg; break;
		case 'd': detach = true; break;
		case 'P': pid_file = optarg; break;
		case 'f': {
			char *end;
			long n = strtol(optarg, &end, 10);
			if (!*optarg || *end || n < 0 || n > EXEC_MAX_PRESERVED)
				return oci_err("exec: --preserve-fds: expected a number of fds from 0 "
					       "to %d", EXEC_MAX_PRESERVED);
			npreserve = (int)n;
			break;
		}
		case 'I': ignore_paused = true; break;
		case 'L': case 'A': case 'N': case 'c': case 'C':
			break; /* the sentry's own policy applies (as for create) */
		default:
			return oci_err("exec: unknown option or missing argument: '%.64s'",
				       v[optind - 1]);
		}
	}
	if (optind >= argc + 1)
		return oci_usage("exec");
	const char *id = v[optind++];
	int ncmd = argc + 1 - optind;
	char **cmd = v + optind;

	static struct oci_ctr ctr; /* (static: reachable on the error paths' early exits) */
	if (oci_ctr_load(&ctr, id, false))
		return 1;
	const char *status = oci_ctr_status(&ctr);
	/* as runc: the process would not run until resume */
	if (!strcmp(status, "paused") && !ignore_paused) {
		oci_ctr_free(&ctr);
		return oci_err("exec: cannot exec in a paused container (use --ignore-paused to "
			       "override)");
	}
	/* (a created one too: its program waits for start, the sentry serves) */
	if (strcmp(status, "running") && strcmp(status, "paused") && strcmp(status, "created")) {
		oci_ctr_free(&ctr);
		return oci_err("exec: container %s is %s, not running", id, status);
	}
	char path[PATH_MAX + 32], msg[1024];
	int err;
	/* the container's process (checked by create), or --process's, checked the same way */
	snprintf(path, sizeof(path), "%s/config.json", ctr.bundle);
	if (oci_process_load(process ? process : path, process != NULL, &s, msg, sizeof(msg)))
		return oci_err("%s", msg);
	if (ncmd) { /* the command line's command */
		for (int i = 0; i < s.nargs; i++)
			free(s.args[i]);
		free(s.args);
		s.args = cmd;
		s.nargs = ncmd;
	} else if (!process) {
		return oci_err("exec: no command given");
	}
	if (!s.args[0][0])
		return oci_err("exec: the process has no args");
	for (int i = 0; i < nenvs; i++) {
		if (!strchr(envs[i], '='))
			return oci_err("exec: --env %.64s: expected KEY=VALUE", envs[i]);
		env_put(&s, envs[i]);
	}
	if (cwd) {
		if (cwd[0] != '/')
			return oci_err("exec: the working directory must be absolute: '%.64s'", cwd);
		free(s.cwd);
		s.cwd = xstrdup(cwd);
	}
	if (user) {
		char u[64];
		snprintf(u, sizeof(u), "%s", user);
		char *colon = strchr(u, ':');
		if (colon)
			*colon = '\0';
		long uid = parse_id(u, "--user"), gid = 0;
		if (uid < 0 || (colon && (gid = parse_id(colon + 1, "--user")) < 0))
			return 1;
		s.uid = (uid_t)uid;
		if (colon)
			s.gid = (gid_t)gid;
	}
	for (int i = 0; i < ngids; i++) {
		long g = parse_id(gids[i], "--additional-gids");
		if (g < 0)
			return 1;
		if (s.ngroups == EXEC_MAX_GROUPS)
			return oci_err("exec: too many additional gids");
		s.groups[s.ngroups++] = (gid_t)g;
	}
	/* as runc: a terminal when --tty asks for one, or the --process file does (the
	 * container's own process.terminal is its first process's, not exec's) */
	s.terminal = process ? s.terminal || tty : tty;
	/* stdio, then --preserve-fds's: ours from 3 on, which must be open */
	int fds[3 + EXEC_MAX_PRESERVED], slave = -1;
	for (int i = 0; i < 3 + npreserve; i++) {
		fds[i] = i;
		if (i >= 3 && fcntl(i, F_GETFD) < 0)
			return oci_err("exec: --preserve-fds %d: fd %d is not open", npreserve, i);
	}
	int master = -1;
	if (s.terminal) {
		if (!console && detach)
			return oci_err("exec: a detached terminal needs --console-socket");
		if (!console ? own_pty(&master, &slave) : oci_console_open(console, &slave))
			return 1;
		struct winsize ws = { .ws_row = s.console_rows, .ws_col = s.console_cols };
		if ((ws.ws_row || ws.ws_col) && ioctl(slave, TIOCSWINSZ, &ws) < 0)
			return oci_err("exec: process.consoleSize: %s", strerror(errno));
		fds[0] = fds[1] = fds[2] = slave;
		relay_tty = true;
	}
	size_t len;
	char *req = build_request(&s, &len);
	if (!req)
		return 1;

	struct sockaddr_un sa;
	int dirfd;
	snprintf(path, sizeof(path), "%s/exec.sock", ctr.dir);
	if ((err = exec_sock_addr(path, &sa, &dirfd)))
		return oci_err("exec: %s: %s", path, strerror(-err));
	int sock = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (sock < 0 || connect(sock, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return oci_err("exec: container %s does not answer (%s)", id, strerror(errno));
	if (dirfd >= 0)
		close(dirfd);
	if (!detach)
		relay_signals(sock);
	err = send_request(sock, req, len, fds, 3 + npreserve);
	free(req);
	if (err)
		return oci_err("exec: sending the request: %s", strerror(-err));
	struct exec_msg m;
	int r;
	while ((r = next_msg(sock, &m)) == -EINTR)
		;
	if (r <= 0)
		return oci_err("exec: container %s ended before the process started", id);
	if (m.kind == EXEC_FAILED) {
		m.text[sizeof(m.text) - 1] = '\0';
		return oci_err("exec failed: %s", m.text);
	}
	if (m.kind != EXEC_STARTED)
		return oci_err("exec: unexpected answer from the container");
	oci_ctr_free(&ctr);
	*ran = true;
	pid_t self = getpid(), waiter = self;
	/* With a terminal, a waiter leads the session of its host side, as the process does
	 * under runc: resizes (SIGWINCH) reach it and are passed on. */
	if (detach || slave >= 0) {
		fflush(NULL);
		waiter = fork();
		if (waiter < 0)
			return oci_err("exec: fork: %s", strerror(errno));
		if (waiter == 0)
			waiter_run(sock, slave, detach ? 0 : self);
	}
	if (slave >= 0)
		close(slave);
	if (pid_file && (err = oci_write_pid_file(pid_file, detach ? waiter : self))) {
		/* as runc: the process is killed, the exec failed */
		struct exec_msg k = { .kind = EXEC_SIGNAL, .val = SIGKILL };
		send(sock, &k, sizeof(k), MSG_NOSIGNAL);
		*ran = false;
		return oci_err("exec: --pid-file %s: %s", pid_file, strerror(-err));
	}
	if (detach)
		return 0;
	if (master >= 0)
		copy_pty(master);
	return waiter == self ? wait_exit(sock) : wait_waiter(waiter);
}

int
oci_cmd_exec(int argc, char **argv)
{
	bool ran = false;
	int r = do_exec(argc, argv, &ran);

	/* runc exec's own failures are 255, apart from any status of the process */
	return ran || !r ? r : 255;
}
