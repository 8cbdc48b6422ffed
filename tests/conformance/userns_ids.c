/* Ids across user namespaces, as the receiver's or reader's namespace sees them: a child
 * in a new user namespace (uid_map "100 0 1" and "2000 3000 1", the same for gids) reads
 * SO_PEERCRED and SCM_CREDENTIALS of its parent (100), of an unmapped sender (65534),
 * sends SCM_CREDENTIALS with its own ids (the parent reads 0; an unmapped id is EINVAL),
 * gets si_uid of kill, sigqueue, mq_notify and SIGCHLD mapped (and the parent gets its si_uid back
 * as 0), reads IPC_STAT and /proc/sysvipc/msg owners and stat owners (65534 unmapped),
 * and has CAP_DAC_OVERRIDE, CAP_FOWNER (chmod, a sticky directory) and CAP_CHOWN over
 * files whose owner and group are mapped only. Run as root. */
#include "cf.h"
#include <sched.h>
#include <signal.h>
#include <mqueue.h>
#include <sys/msg.h>
#include <sys/socket.h>
#include <sys/wait.h>

static int c2p[2], p2c[2];
static mqd_t mq;

static void
put(int fd, char c)
{
	if (write(fd, &c, 1) != 1)
		exit(3);
}

static void
get(int fd, char want)
{
	char c = 0;

	if (read(fd, &c, 1) != 1 || c != want)
		exit(4);
}

static int
write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	int r;

	if (fd < 0)
		return -1;
	r = (int)write(fd, text, strlen(text));
	close(fd);
	return r < 0 ? -1 : 0;
}

/* recvmsg of one byte with its SCM_CREDENTIALS: "label: 'x' uid U gid G" */
static void
recv_cred(const char *label, int s)
{
	char b = 0, ctl[CMSG_SPACE(sizeof(struct ucred))];
	struct iovec iov = { &b, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
			    .msg_controllen = sizeof(ctl) };
	struct cmsghdr *h;
	struct ucred u;

	if (recvmsg(s, &m, 0) < 0) {
		printf("%s: -1 %s\n", label, en(errno));
		return;
	}
	h = CMSG_FIRSTHDR(&m);
	if (!h || h->cmsg_type != SCM_CREDENTIALS) {
		printf("%s: '%c' no credentials\n", label, b);
		return;
	}
	memcpy(&u, CMSG_DATA(h), sizeof(u));
	printf("%s: '%c' uid %u gid %u\n", label, b, u.uid, u.gid);
}

static ssize_t
send_cred(int s, char b, uid_t uid, gid_t gid)
{
	char ctl[CMSG_SPACE(sizeof(struct ucred))] = { 0 };
	struct iovec iov = { &b, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
			    .msg_controllen = sizeof(ctl) };
	struct cmsghdr *h = CMSG_FIRSTHDR(&m);
	struct ucred u = { getpid(), uid, gid };

	h->cmsg_level = SOL_SOCKET;
	h->cmsg_type = SCM_CREDENTIALS;
	h->cmsg_len = CMSG_LEN(sizeof(u));
	memcpy(CMSG_DATA(h), &u, sizeof(u));
	return sendmsg(s, &m, 0);
}

/* The uid and cuid columns of /proc/sysvipc/msg's line for queue id. */
static void
sysvipc_line(int id)
{
	char line[512];
	FILE *f = fopen("/proc/sysvipc/msg", "r");
	int key, qid;
	unsigned uid, gid, cuid, cgid;

	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%d %d %*o %*u %*u %*u %*u %u %u %u %u", &key, &qid, &uid, &gid,
			   &cuid, &cgid) == 6 && qid == id) {
			printf("/proc/sysvipc/msg: uid %u gid %u cuid %u cgid %u\n", uid, gid, cuid,
			       cgid);
			fclose(f);
			return;
		}
	}
	printf("/proc/sysvipc/msg: no line\n");
	if (f)
		fclose(f);
}

static void
files(void)
{
	const char *names[] = { "own0", "own3000", "own2000" };
	struct stat st;

	for (int i = 0; i < 3; i++) {
		char l[64];

		if (stat(names[i], &st) == 0)
			printf("stat %s: uid %u gid %u\n", names[i], st.st_uid, st.st_gid);
		snprintf(l, sizeof(l), "open %s", names[i]);
		int fd = FD(l, open(names[i], O_RDONLY));
		if (fd >= 0)
			close(fd);
		snprintf(l, sizeof(l), "open %s for writing", names[i]);
		fd = FD(l, open(names[i], O_WRONLY));
		if (fd >= 0)
			close(fd);
	}
	R("chmod own3000 (CAP_FOWNER, mapped)", chmod("own3000", 0640));
	R("chmod own2000 (unmapped)", chmod("own2000", 0640));
	R("chown own3000 (CAP_CHOWN, mapped)", chown("own3000", 2000, 2000));
	R("chown own2000 (unmapped)", chown("own2000", 2000, 2000));
	R("chown own3000 to an unmapped id", chown("own3000", 5, 5));
	R("unlink sticky/f2000 (unmapped)", unlink("sticky/f2000"));
	R("unlink sticky/f3000 (CAP_FOWNER, mapped)", unlink("sticky/f3000"));
}

static void
child(int s, int qid)
{
	struct ucred pc;
	socklen_t len = sizeof(pc);
	struct msqid_ds ds;
	sigset_t set;
	siginfo_t si;
	int on = 1;

	R("unshare CLONE_NEWUSER", unshare(CLONE_NEWUSER));
	put(c2p[1], 'U');
	get(p2c[0], 'M');
	printf("ids: uid %d gid %d\n", getuid(), getgid());
	R("SO_PEERCRED", getsockopt(s, SOL_SOCKET, SO_PEERCRED, &pc, &len));
	printf("  uid %u gid %u pid is parent's %d\n", pc.uid, pc.gid, pc.pid == getppid());
	files();
	R("IPC_STAT", msgctl(qid, IPC_STAT, &ds));
	printf("  uid %u gid %u cuid %u cgid %u\n", ds.msg_perm.uid, ds.msg_perm.gid,
	       ds.msg_perm.cuid, ds.msg_perm.cgid);
	sysvipc_line(qid);

	R("SO_PASSCRED", setsockopt(s, SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)));
	put(c2p[1], 'S');
	get(p2c[0], 'D');
	recv_cred("from parent", s);
	recv_cred("from uid 3000", s);
	recv_cred("from uid 2000", s);
	R("send own ids", send_cred(s, 'c', 100, 100));
	R("send unmapped ids", send_cred(s, 'd', 0, 0));
	put(c2p[1], 'E');
	get(p2c[0], 'K');

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGRTMIN + 1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	{
		struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGRTMIN + 1 };

		R("mq_notify", mq_notify(mq, &ev));
	}
	put(c2p[1], 'G');
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	if (sigwaitinfo(&set, &si) == SIGUSR1)
		printf("kill: code SI_USER %d uid %u\n", si.si_code == SI_USER, si.si_uid);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	if (sigwaitinfo(&set, &si) == SIGUSR2)
		printf("sigqueue: code SI_QUEUE %d uid %u\n", si.si_code == SI_QUEUE, si.si_uid);

	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN + 1);
	if (sigwaitinfo(&set, &si) == SIGRTMIN + 1)
		printf("mq_notify: code SI_MESGQ %d uid %u\n", si.si_code == SI_MESGQ, si.si_uid);

	pid_t g = fork();
	if (g == 0)
		_exit(0);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	if (sigwaitinfo(&set, &si) == SIGCHLD)
		printf("SIGCHLD: code CLD_EXITED %d uid %u\n", si.si_code == CLD_EXITED, si.si_uid);
	memset(&si, 0, sizeof(si));
	R("waitid", waitid(P_PID, g, &si, WEXITED));
	printf("  uid %u\n", si.si_uid);
	R("kill parent", kill(getppid(), SIGRTMIN));
	fflush(stdout);
	_exit(0);
}

int
main(void)
{
	int sp[2], qid, on = 1;
	sigset_t set, chld;
	siginfo_t si;
	char path[64];
	pid_t c;

	cf_init();
	cf_write_file("own0", "x", 1);
	cf_write_file("own3000", "x", 1);
	cf_write_file("own2000", "x", 1);
	chmod("own0", 0600);
	chmod("own3000", 0600);
	chmod("own2000", 0600);
	chown("own3000", 3000, 3000);
	chown("own2000", 2000, 2000);
	chmod(".", 0755);
	mkdir("sticky", 01777);
	chmod("sticky", 01777);
	chown("sticky", 3000, 3000);
	cf_write_file("sticky/f3000", "x", 1);
	cf_write_file("sticky/f2000", "x", 1);
	chown("sticky/f3000", 3000, 3000);
	chown("sticky/f2000", 2000, 2000);
	qid = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	mq_unlink("/cf_userns_ids");
	mq = mq_open("/cf_userns_ids", O_RDWR | O_CREAT, 0600, NULL);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp) || pipe(c2p) || pipe(p2c) || qid < 0) {
		printf("setup: %s\n", en(errno));
		return 1;
	}
	setsockopt(sp[0], SOL_SOCKET, SO_PASSCRED, &on, sizeof(on));
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &set, NULL);
	c = fork();
	if (c == 0) {
		close(sp[0]);
		child(sp[1], qid);
	}
	close(sp[1]);
	get(c2p[0], 'U');
	snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)c);
	R("uid_map", write_file(path, "100 0 1\n2000 3000 1\n"));
	snprintf(path, sizeof(path), "/proc/%d/gid_map", (int)c);
	R("gid_map", write_file(path, "100 0 1\n2000 3000 1\n"));
	put(p2c[1], 'M');

	get(c2p[0], 'S');
	send(sp[0], "a", 1, 0);
	for (int id = 3000; id >= 2000; id -= 1000) {
		pid_t h = fork();

		if (h == 0) {
			if (setresgid(id, id, id) || setresuid(id, id, id))
				_exit(1);
			send(sp[0], id == 3000 ? "b" : "e", 1, 0);
			_exit(0);
		}
		waitpid(h, NULL, 0);
	}
	while (sigtimedwait(&chld, NULL, &(struct timespec){ 0, 0 }) > 0)
		; /* the helpers' SIGCHLD */
	put(p2c[1], 'D');
	get(c2p[0], 'E');
	recv_cred("parent got", sp[0]);
	put(p2c[1], 'K');

	get(c2p[0], 'G');
	kill(c, SIGUSR1);
	sigqueue(c, SIGUSR2, (union sigval){ .sival_int = 7 });
	mq_send(mq, "m", 1, 0);
	waitpid(c, NULL, 0);
	memset(&si, 0, sizeof(si));
	if (sigwaitinfo(&set, &si) == SIGRTMIN)
		printf("from child: code SI_USER %d uid %u\n", si.si_code == SI_USER, si.si_uid);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	memset(&si, 0, sizeof(si));
	/* (Linux maps the uid into the parent's namespace, then again from the child's) */
	if (sigwaitinfo(&set, &si) == SIGCHLD)
		printf("SIGCHLD from the child: code CLD_EXITED %d uid %u\n", si.si_code == CLD_EXITED,
		       si.si_uid);
	msgctl(qid, IPC_RMID, NULL);
	mq_unlink("/cf_userns_ids");
	return 0;
}
