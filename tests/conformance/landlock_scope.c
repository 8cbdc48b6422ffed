/* Landlock's scopes (ABI 6): abstract unix sockets (stream and seqpacket connect,
 * datagram connect and sendto) made outside the domain are out of reach, those made
 * inside it or by a parent domain's process below are not, pathname sockets are never
 * scoped; signals (kill, tgkill, sig 0, pidfd_send_signal, SIGIO through F_SETOWN) to a
 * process outside the domain are EPERM, to itself, its threads and its children not.
 * Each case runs in a child. */
#include "cf.h"
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#define SC_UNIX 1ULL
#define SC_SIGNAL 2ULL

struct attr {
	uint64_t fs, net, scoped;
};

static void
enforce(uint64_t scoped)
{
	struct attr a = { 0, 0, scoped };
	int rs = syscall(444, &a, sizeof(a), 0);

	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (syscall(446, rs, 0))
		printf("restrict_self: %s\n", en(errno));
	close(rs);
}

static socklen_t
abstract(struct sockaddr_un *sa, const char *name)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	snprintf(sa->sun_path + 1, sizeof(sa->sun_path) - 1, "%.80s-%.20s", cf_dir, name);
	return offsetof(struct sockaddr_un, sun_path) + 1 + strlen(sa->sun_path + 1);
}

static int
server(int type, const char *name)
{
	struct sockaddr_un sa;
	socklen_t len = abstract(&sa, name);
	int s = socket(AF_UNIX, type, 0);

	if (bind(s, (struct sockaddr *)&sa, len))
		printf("bind %s: %s\n", name, en(errno));
	if (type != SOCK_DGRAM)
		listen(s, 8);
	return s;
}

static int
reach(int type, const char *name, bool send)
{
	struct sockaddr_un sa;
	socklen_t len = abstract(&sa, name);
	int s = socket(AF_UNIX, type, 0), r;

	if (send)
		r = sendto(s, "x", 1, 0, (struct sockaddr *)&sa, len);
	else
		r = connect(s, (struct sockaddr *)&sa, len);
	int e = errno;
	close(s);
	errno = e;
	return r;
}

static void
report(const char *what, pid_t c)
{
	int st;

	waitpid(c, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		printf("%s: status %d\n", what, st);
}

#define CHILD(what, body) do { \
	fflush(stdout); \
	pid_t c_ = fork(); \
	if (!c_) { \
		body; \
		fflush(stdout); \
		_exit(0); \
	} \
	report(what, c_); \
} while (0)

static void
t_unix(void)
{
	server(SOCK_STREAM, "st");
	server(SOCK_SEQPACKET, "sp");
	server(SOCK_DGRAM, "dg");
	int ps = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un pa = { AF_UNIX, "path.sock" };
	bind(ps, (struct sockaddr *)&pa, sizeof(pa));
	listen(ps, 8);

	CHILD("unix", {
		OK("before: stream connect", reach(SOCK_STREAM, "st", false));
		enforce(SC_UNIX);
		OK("stream connect outside", reach(SOCK_STREAM, "st", false));
		OK("seqpacket connect outside", reach(SOCK_SEQPACKET, "sp", false));
		OK("dgram connect outside", reach(SOCK_DGRAM, "dg", false));
		OK("dgram sendto outside", reach(SOCK_DGRAM, "dg", true));
		OK("stream connect missing", reach(SOCK_STREAM, "none", false));
		int s = socket(AF_UNIX, SOCK_STREAM, 0);
		OK("pathname connect", connect(s, (struct sockaddr *)&pa, sizeof(pa)));
		server(SOCK_STREAM, "in");
		server(SOCK_DGRAM, "din");
		OK("stream connect inside", reach(SOCK_STREAM, "in", false));
		OK("dgram sendto inside", reach(SOCK_DGRAM, "din", true));
		CHILD("nested", {
			enforce(SC_SIGNAL);
			OK("nested: stream connect to parent domain", reach(SOCK_STREAM, "in", false));
			OK("nested: stream connect outside", reach(SOCK_STREAM, "st", false));
		});
		CHILD("unscoped nested", {
			enforce(SC_UNIX);
			OK("scoped nested: connect to parent domain", reach(SOCK_STREAM, "in", false));
		});
	});
	CHILD("signal scope only", {
		enforce(SC_SIGNAL);
		OK("stream connect outside", reach(SOCK_STREAM, "st", false));
	});
}

static void *
thread_kill(void *arg)
{
	(void)arg;
	enforce(SC_SIGNAL);
	return NULL;
}

static volatile int got;
static void
on_usr1(int sig)
{
	(void)sig;
	got++;
}

static void
t_signal(void)
{
	pid_t parent = getpid();
	sigset_t ss;

	signal(SIGUSR1, on_usr1);
	sigemptyset(&ss);
	sigaddset(&ss, SIGIO);
	sigprocmask(SIG_BLOCK, &ss, NULL);
	CHILD("signal", {
		enforce(SC_SIGNAL);
		OK("kill parent", kill(parent, SIGUSR1));
		OK("kill parent 0", kill(parent, 0));
		OK("tgkill parent", syscall(SYS_tgkill, parent, parent, SIGUSR1));
		int pfd = syscall(SYS_pidfd_open, parent, 0);
		OK("pidfd_send_signal parent", syscall(SYS_pidfd_send_signal, pfd, SIGUSR1, NULL, 0));
		OK("kill self", kill(getpid(), SIGUSR1));
		OK("kill missing", kill(999999, 0));
		pid_t me = getpid();
		CHILD("grandchild", {
			OK("grandchild kills its parent", kill(me, 0));
		});
		pid_t gc = fork();
		if (!gc) {
			pause();
			_exit(0);
		}
		OK("kill own child", kill(gc, SIGKILL));
		waitpid(gc, NULL, 0);
		pthread_t th;
		pthread_create(&th, NULL, thread_kill, NULL);
		pthread_join(th, NULL);
		OK("signal to a thread of a stricter domain", kill(getpid(), 0));
		/* SIGIO through an owner set inside the domain */
		int p[2];
		pipe(p);
		fcntl(p[0], F_SETOWN, parent);
		fcntl(p[0], F_SETFL, O_ASYNC | O_NONBLOCK);
		write(p[1], "x", 1);
		int q[2];
		pipe(q);
		fcntl(q[0], F_SETOWN, getpid());
		fcntl(q[0], F_SETFL, O_ASYNC | O_NONBLOCK);
		write(q[1], "x", 1);
		sigset_t pend;
		sigpending(&pend);
		YN("SIGIO to self", sigismember(&pend, SIGIO));
	});
	sigset_t pend;
	sigpending(&pend);
	YN("parent got SIGIO", sigismember(&pend, SIGIO));
	YN("parent got SIGUSR1", got);
	/* an owner set before the domain: the signal goes */
	int p[2];
	pipe(p);
	fcntl(p[0], F_SETOWN, parent);
	fcntl(p[0], F_SETFL, O_ASYNC | O_NONBLOCK);
	CHILD("owner set outside", {
		enforce(SC_SIGNAL);
		write(p[1], "x", 1);
	});
	sigpending(&pend);
	YN("parent got SIGIO (owner set outside)", sigismember(&pend, SIGIO));
}

int
main(void)
{
	cf_init();
	printf("-- unix\n");
	t_unix();
	printf("-- signal\n");
	t_signal();
	return 0;
}
