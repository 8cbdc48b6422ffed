/* System V message queues: msgget, msgsnd/msgrcv by type (0, >0, <0, MSG_EXCEPT),
 * MSG_NOERROR, E2BIG, MSG_COPY, IPC_NOWAIT, blocking on full and empty queues, EIDRM,
 * EINTR, msgctl IPC_STAT/IPC_SET/IPC_RMID, permissions. */
#include "cf.h"
#include <signal.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/wait.h>

#ifndef MSG_COPY
#define MSG_COPY 040000
#endif

struct mb {
	long type;
	char text[64];
};

static int ids[8], nids;

static void
cleanup(void)
{
	for (int i = 0; i < nids; i++)
		msgctl(ids[i], IPC_RMID, NULL);
}

static int
track(int id)
{
	if (id >= 0 && nids < 8)
		ids[nids++] = id;
	return id;
}

static int
snd(int id, long type, const char *s, int flg)
{
	struct mb m = { type, "" };
	strncpy(m.text, s, sizeof(m.text) - 1);
	return msgsnd(id, &m, strlen(s), flg);
}

static void
rcv(const char *label, int id, size_t sz, long type, int flg)
{
	struct mb m;
	memset(&m, 0, sizeof(m));
	errno = 0;
	ssize_t n = msgrcv(id, &m, sz, type, flg);
	if (n < 0)
		printf("%s: -1 %s\n", label, en(errno));
	else
		printf("%s: %zd type %ld \"%.*s\"\n", label, n, m.type, (int)n, m.text);
}

static void
stat_line(const char *label, int id)
{
	struct msqid_ds ds;
	if (msgctl(id, IPC_STAT, &ds) < 0) {
		printf("%s: -1 %s\n", label, en(errno));
		return;
	}
	printf("%s: qnum %lu cbytes %lu qbytes %lu mode %o\n", label, (unsigned long)ds.msg_qnum,
	       (unsigned long)ds.__msg_cbytes, (unsigned long)ds.msg_qbytes, ds.msg_perm.mode);
}

/* Until pid sleeps in its call, and a little longer. */
static void
wait_sleeping(pid_t pid)
{
	cf_wait_sleeping(pid);
	usleep(10000);
}

static void
on_alarm(int s)
{
	(void)s;
}

int
main(void)
{
	struct msqid_ds ds;
	int st;

	cf_init();
	atexit(cleanup);
	cf_write_file("keyfile", "k", 1);
	key_t key = ftok("keyfile", 'Q');
	R("msgget missing", msgget(key, 0600));
	int id = track(msgget(key, IPC_CREAT | IPC_EXCL | 0600));
	YN("create", id >= 0);
	R("EXCL again", msgget(key, IPC_CREAT | IPC_EXCL | 0600));
	YN("same id", msgget(key, 0) == id);
	stat_line("empty", id);
	msgctl(id, IPC_STAT, &ds);
	YN("stime 0 ctime set", ds.msg_stime == 0 && ds.msg_ctime != 0);

	R("send type 0", snd(id, 0, "x", 0));
	R("send too big", msgsnd(id, &(struct mb){ 1, "" }, 8193, 0));
	R("send efault", msgsnd(id, (void *)8, 1, 0));
	R("send bad id", snd(-1, 1, "x", 0));
	R("send 1 a", snd(id, 1, "a", 0));
	R("send 3 ccc", snd(id, 3, "ccc", 0));
	R("send 2 bb", snd(id, 2, "bb", 0));
	R("send 1 a2", snd(id, 1, "a2", 0));
	stat_line("four", id);
	msgctl(id, IPC_STAT, &ds);
	YN("lspid me", ds.msg_lspid == getpid() && ds.msg_stime != 0);
	rcv("copy 0", id, 64, 0, MSG_COPY | IPC_NOWAIT);
	rcv("copy 2", id, 64, 2, MSG_COPY | IPC_NOWAIT);
	rcv("copy 9", id, 64, 9, MSG_COPY | IPC_NOWAIT);
	rcv("copy blocking", id, 64, 0, MSG_COPY);
	rcv("copy except", id, 64, 0, MSG_COPY | MSG_EXCEPT | IPC_NOWAIT);
	rcv("copy short", id, 1, 1, MSG_COPY | IPC_NOWAIT);
	rcv("copy short noerror", id, 1, 1, MSG_COPY | IPC_NOWAIT | MSG_NOERROR);
	rcv("type 2", id, 64, 2, 0);
	rcv("E2BIG", id, 1, 3, 0);
	rcv("NOERROR", id, 1, 3, MSG_NOERROR);
	rcv("except 1", id, 64, 1, MSG_EXCEPT | IPC_NOWAIT);
	R("send 5", snd(id, 5, "five", 0));
	R("send 4", snd(id, 4, "four", 0));
	rcv("lowest <= 4", id, 64, -4, 0);
	rcv("lowest <= 4 again", id, 64, -4, 0);
	rcv("any", id, 64, 0, 0);
	rcv("type 9 nowait", id, 64, 9, IPC_NOWAIT);
	rcv("negative size", id, -1, 0, IPC_NOWAIT);
	rcv("last", id, 64, 0, IPC_NOWAIT);
	rcv("empty nowait", id, 64, 0, IPC_NOWAIT);
	stat_line("drained", id);
	msgctl(id, IPC_STAT, &ds);
	YN("lrpid me", ds.msg_lrpid == getpid() && ds.msg_rtime != 0);

	/* a receiver blocks until a matching message comes */
	pid_t c = fork();
	if (c == 0) {
		struct mb m;
		ssize_t n = msgrcv(id, &m, 64, 7, 0);
		_exit(n == 3 && !memcmp(m.text, "sev", 3) ? 10 : 11);
	}
	wait_sleeping(c);
	snd(id, 6, "six", 0);
	snd(id, 7, "sev", 0);
	waitpid(c, &st, 0);
	printf("receiver: %d\n", WEXITSTATUS(st));
	rcv("six left", id, 64, 0, IPC_NOWAIT);

	/* a full queue: IPC_NOWAIT gives EAGAIN, a blocking sender waits for room */
	msgctl(id, IPC_STAT, &ds);
	ds.msg_qbytes = 10;
	OK("IPC_SET qbytes", msgctl(id, IPC_SET, &ds));
	stat_line("small", id);
	R("fill", snd(id, 1, "12345678", 0));
	R("full nowait", snd(id, 1, "abc", IPC_NOWAIT));
	c = fork();
	if (c == 0)
		_exit(snd(id, 2, "abc", 0) == 0 ? 10 : 11);
	wait_sleeping(c);
	rcv("make room", id, 64, 1, 0);
	waitpid(c, &st, 0);
	printf("sender: %d\n", WEXITSTATUS(st));
	rcv("sent after wait", id, 64, 0, IPC_NOWAIT);

	/* a signal: EINTR even with SA_RESTART */
	struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = SA_RESTART };
	sigaction(SIGALRM, &sa, NULL);
	ualarm(30000, 0);
	rcv("EINTR", id, 64, 0, 0);

	struct msqid_ds ds2;
	YN("MSG_STAT by index", msgctl(id % 32768, MSG_STAT, &ds2) == id && ds2.msg_qbytes == 10);
	YN("MSG_STAT_ANY by index", msgctl(id % 32768, MSG_STAT_ANY, &ds2) == id);
	struct msginfo mi0;
	YN("MSG_INFO max index", msgctl(0, MSG_INFO, (struct msqid_ds *)&mi0) >= id % 32768);

	/* a stop and continue restart a waiting msgrcv (no handler ran) */
	c = fork();
	if (c == 0) {
		struct mb m;
		_exit(msgrcv(id, &m, 64, 0, 0) == 4 ? 10 : errno);
	}
	cf_stop_cont(c);
	snd(id, 1, "cont", 0);
	waitpid(c, &st, 0);
	printf("msgrcv after stop/cont: %d\n", WEXITSTATUS(st));

	/* permissions */
	c = fork();
	if (c == 0) {
		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			_exit(3);
		R("other send", snd(id, 1, "x", IPC_NOWAIT));
		rcv("other rcv", id, 64, 0, IPC_NOWAIT);
		R("other stat", msgctl(id, IPC_STAT, &ds));
		R("other rmid", msgctl(id, IPC_RMID, NULL));
		_exit(0);
	}
	waitpid(c, &st, 0);
	msgctl(id, IPC_STAT, &ds);
	ds.msg_qbytes = 1 << 30;
	c = fork();
	if (c == 0) {
		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			_exit(3);
		R("other IPC_SET", msgctl(id, IPC_SET, &ds));
		_exit(0);
	}
	waitpid(c, &st, 0);

	/* removal: a blocked receiver gets EIDRM */
	c = fork();
	if (c == 0) {
		struct mb m;
		_exit(msgrcv(id, &m, 64, 0, 0) < 0 ? errno : 0);
	}
	wait_sleeping(c);
	OK("IPC_RMID", msgctl(id, IPC_RMID, NULL));
	waitpid(c, &st, 0);
	printf("blocked receiver: %s\n", en(WEXITSTATUS(st)));
	stat_line("gone", id);
	R("key gone", msgget(key, 0));
	R("bad cmd", msgctl(0, 999, &ds));
	R("IPC_SET efault before the lookup", msgctl(0x7ffe0000, IPC_SET, (void *)8));

	int p = track(msgget(IPC_PRIVATE, 0600));
	YN("private", p >= 0 && p != id);
	struct msginfo mi;
	YN("IPC_INFO", msgctl(0, IPC_INFO, (struct msqid_ds *)&mi) >= 0);
	printf("msgmax %d\n", mi.msgmax);
	return 0;
}
