/* A seccomp user notification that a signal takes away before the supervisor received
 * it: poll no longer shows it, but the RECV that poll's earlier POLLIN promised does not
 * wait, it fails with ENOENT (Linux counts each notification sent and each RECV that
 * took one; the interrupted one stays counted). Once without SA_RESTART (the call fails
 * with EINTR) and once with it (the call comes back as a new notification, which RECV
 * takes; the next RECV then finds the count's stale one: ENOENT). A supervisor that waits
 * for POLLIN and then RECVs (another sandbox inside this one) must not block there. */
#include "cf.h"
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/wait.h>

static int rep[2], go[2];

static void
on_usr1(int sig)
{
	(void)sig;
	write(rep[1], "handled\n", 8);
}

static void
on_alrm(int sig)
{
	(void)sig;
}

/* The child's line: "getpgid(N): r" or "... -1 ENAME". */
static void
call(long n)
{
	char line[64];
	long r = syscall(SYS_getpgid, n);
	int len = r < 0 ? snprintf(line, sizeof(line), "getpgid(%ld): -1 %s\n", n, en(errno))
			: snprintf(line, sizeof(line), "getpgid(%ld): %ld\n", n, r);
	write(rep[1], line, len);
}

static void
relay(void)
{
	char c;

	fputs("  child ", stdout);
	while (read(rep[0], &c, 1) == 1 && putchar(c) != '\n')
		;
}

static const char *
pollin(int l, int ms)
{
	struct pollfd p = { .fd = l, .events = POLLIN };
	int r = poll(&p, 1, ms);
	return r < 0 ? "error" : r == 0 ? "nothing" : (p.revents & POLLIN) ? "POLLIN" : "other";
}

/* A RECV that would wait ends after 2 s (EINTR: the old sandbox blocked here). */
static long
recv_notif(int l, struct seccomp_notif *req)
{
	memset(req, 0, sizeof(*req));
	alarm(2);
	long r = ioctl(l, SECCOMP_IOCTL_NOTIF_RECV, req);
	int e = errno;
	alarm(0);
	errno = e;
	return r;
}

static long
answer(int l, uint64_t id, long val)
{
	struct seccomp_notif_resp resp = { .id = id, .val = val };
	return ioctl(l, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

int
main(void)
{
	struct sock_filter prog[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_getpgid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog fp = { .len = sizeof(prog) / sizeof(prog[0]), .filter = prog };
	struct sigaction sa = { .sa_handler = on_alrm };
	struct seccomp_notif req;
	char b;

	setvbuf(stdout, NULL, _IONBF, 0);
	sigaction(SIGALRM, &sa, NULL);
	if (pipe(rep) < 0 || pipe(go) < 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return 1;
	/* (the parent never calls getpgid: only its child's calls go to the listener) */
	int l = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			     SECCOMP_FILTER_FLAG_NEW_LISTENER, &fp);
	if (l < 0) {
		printf("listener: -1 %s\n", en(errno));
		return 1;
	}
	pid_t c = fork();
	if (c == 0) {
		struct sigaction su = { .sa_handler = on_usr1 };
		sigaction(SIGUSR1, &su, NULL);
		call(7);
		read(go[0], &b, 1);
		call(8);
		su.sa_flags = SA_RESTART;
		sigaction(SIGUSR1, &su, NULL);
		read(go[0], &b, 1);
		call(9);
		_exit(0);
	}

	printf("-- without SA_RESTART\n");
	printf("poll: %s\n", pollin(l, 5000));
	kill(c, SIGUSR1);
	relay();
	relay();
	printf("poll after the signal: %s\n", pollin(l, 0));
	R("RECV", recv_notif(l, &req));
	write(go[1], "g", 1);
	R("RECV getpgid(8)", recv_notif(l, &req));
	YN("  arg 8", req.data.args[0] == 8);
	R("SEND 42", answer(l, req.id, 42));
	relay();

	printf("-- with SA_RESTART\n");
	write(go[1], "g", 1);
	printf("poll: %s\n", pollin(l, 5000));
	uint64_t first = 0;
	kill(c, SIGUSR1);
	relay();
	printf("poll after the handler: %s\n", pollin(l, 5000));
	R("RECV the restarted call", recv_notif(l, &req));
	YN("  arg 9", req.data.args[0] == 9);
	first = req.id;
	R("SEND 43", answer(l, req.id, 43));
	relay();
	R("RECV again", recv_notif(l, &req));
	YN("  no new id", req.id == 0 || req.id == first);
	int st;
	waitpid(c, &st, 0);
	printf("child exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return 0;
}
