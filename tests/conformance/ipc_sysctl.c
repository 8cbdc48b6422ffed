/*
 * The System V IPC values of /proc/sys/kernel: their defaults and modes, writes in and out
 * of range, and what msgget/msgsnd/shmget make of them (msgmni, msgmax, msgmnb, shmmax,
 * shmall, shmmni, and msg/sem/shm_next_id, which name the id of the next object made and
 * go back to -1). Natively this runs in a new IPC namespace (its own values); in the
 * sandbox they are the sandbox's own either way.
 */
#include "cf.h"
#include <grp.h>
#include <sched.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/resource.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/wait.h>

static const char *const names[] = {
	"shmmax", "shmall", "shmmni", "msgmax", "msgmnb", "msgmni", "sem",
	"msg_next_id", "sem_next_id", "shm_next_id",
};

static void
show(const char *name)
{
	char path[96], buf[64] = { 0 };
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "/proc/sys/kernel/%s", name);
	fd = open(path, O_RDONLY);
	if (fd < 0 || read(fd, buf, sizeof(buf) - 1) < 0) {
		printf("%s: %s\n", name, en(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	close(fd);
	stat(path, &st);
	printf("%s: mode %o value %s", name, st.st_mode & 07777, buf);
}

/* Writes text to /proc/sys/kernel/name in one write: "label: N" / "label: -1 ENAME". */
static void
put(const char *name, const char *text)
{
	char path[96], label[160];
	int fd;

	snprintf(path, sizeof(path), "/proc/sys/kernel/%s", name);
	snprintf(label, sizeof(label), "write %s '%s'", name, text);
	fd = open(path, O_WRONLY);
	if (fd < 0) {
		printf("%s: open %s\n", label, en(errno));
		return;
	}
	R(label, write(fd, text, strlen(text)));
	close(fd);
}

static void
next_ids(void)
{
	int a, b, c;

	put("msg_next_id", "98364"); /* index 100, sequence 3 */
	a = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	R("msgget after msg_next_id 98364", a);
	show("msg_next_id");
	put("msg_next_id", "98364"); /* taken: the next free index, same sequence */
	b = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	R("msgget again at 98364", b);
	msgctl(a, IPC_RMID, NULL);
	msgctl(b, IPC_RMID, NULL);
	put("shm_next_id", "65541");
	c = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
	R("shmget after shm_next_id 65541", c);
	show("shm_next_id");
	shmctl(c, IPC_RMID, NULL);
	put("sem_next_id", "7");
	c = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
	R("semget after sem_next_id 7", c);
	show("sem_next_id");
	semctl(c, 0, IPC_RMID);
	put("msg_next_id", "-2");
	put("msg_next_id", "2147483648");
	put("msg_next_id", "-1");
	show("msg_next_id");
}

static void
msg_limits(void)
{
	struct {
		long type;
		char text[256];
	} m = { 1, { 0 } };
	struct msqid_ds ds;
	int q[4], n;

	put("msgmni", "40000");
	put("msgmni", "abc");
	put("msgmni", "3");
	show("msgmni");
	for (n = 0; n < 4; n++) {
		q[n] = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
		printf("msgget %d with msgmni 3: %s\n", n, q[n] < 0 ? en(errno) : "ok");
	}
	for (n = 0; n < 4; n++)
		if (q[n] >= 0)
			msgctl(q[n], IPC_RMID, NULL);
	put("msgmni", "32000");
	put("msgmax", "100");
	put("msgmnb", "250");
	q[0] = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	R("msgsnd 100 bytes with msgmax 100", msgsnd(q[0], &m, 100, IPC_NOWAIT));
	R("msgsnd 101 bytes", msgsnd(q[0], &m, 101, IPC_NOWAIT));
	if (msgctl(q[0], IPC_STAT, &ds) == 0)
		printf("qbytes of a new queue with msgmnb 250: %lu\n", (unsigned long)ds.msg_qbytes);
	R("msgsnd 100 more", msgsnd(q[0], &m, 100, IPC_NOWAIT));
	R("msgsnd past msgmnb", msgsnd(q[0], &m, 100, IPC_NOWAIT));
	msgctl(q[0], IPC_RMID, NULL);
	put("msgmax", "8192");
	put("msgmnb", "16384");
}

static void
shm_limits(void)
{
	int s[3], n;

	put("shmmax", "-1");
	put("shmmax", "8192");
	show("shmmax");
	s[0] = shmget(IPC_PRIVATE, 8193, IPC_CREAT | 0600);
	printf("shmget 8193 with shmmax 8192: %s\n", s[0] < 0 ? en(errno) : "ok");
	s[0] = shmget(IPC_PRIVATE, 8192, IPC_CREAT | 0600);
	printf("shmget 8192: %s\n", s[0] < 0 ? en(errno) : "ok");
	put("shmall", "3");
	s[1] = shmget(IPC_PRIVATE, 8192, IPC_CREAT | 0600);
	printf("shmget 2 pages past shmall 3 with 2 in use: %s\n", s[1] < 0 ? en(errno) : "ok");
	s[1] = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
	printf("shmget 1 page up to shmall: %s\n", s[1] < 0 ? en(errno) : "ok");
	shmctl(s[0], IPC_RMID, NULL);
	shmctl(s[1], IPC_RMID, NULL);
	put("shmall", "18446744073692774399");
	put("shmmni", "32769");
	put("shmmni", "2");
	for (n = 0; n < 3; n++) {
		s[n] = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
		printf("shmget %d with shmmni 2: %s\n", n, s[n] < 0 ? en(errno) : "ok");
	}
	for (n = 0; n < 3; n++)
		if (s[n] >= 0)
			shmctl(s[n], IPC_RMID, NULL);
	put("shmmni", "4096");
	put("shmmax", "18446744073692774399");
	show("shmmax");
}

/* kernel.sem: semmsl (semaphores in a set), semmns (in all), semopm (operations in one
 * semop), semmni (sets); a semmni out of range is refused while the other three stay. */
static void
sem_limits(void)
{
	struct sembuf ops[3] = { { 0, 1, 0 }, { 1, 1, 0 }, { 2, 1, 0 } };
	int s[3], n;

	put("sem", "10 25 2 2");
	show("sem");
	s[0] = semget(IPC_PRIVATE, 11, IPC_CREAT | 0600);
	printf("semget 11 with semmsl 10: %s\n", s[0] < 0 ? en(errno) : "ok");
	s[0] = semget(IPC_PRIVATE, 10, IPC_CREAT | 0600);
	s[1] = semget(IPC_PRIVATE, 10, IPC_CREAT | 0600);
	s[2] = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
	printf("two sets of 10, a third with semmni 2: %s %s %s\n", s[0] < 0 ? en(errno) : "ok",
	       s[1] < 0 ? en(errno) : "ok", s[2] < 0 ? en(errno) : "ok");
	put("sem", "10 25 2 3");
	s[2] = semget(IPC_PRIVATE, 6, IPC_CREAT | 0600);
	printf("6 more past semmns 25: %s\n", s[2] < 0 ? en(errno) : "ok");
	R("semop of 3 with semopm 2", semop(s[0], ops, 3));
	R("semop of 2", semop(s[0], ops, 2));
	for (n = 0; n < 3; n++)
		if (s[n] >= 0)
			semctl(s[n], 0, IPC_RMID);
	put("sem", "1 2 3 40000");
	show("sem");
	put("sem", "32000 1024000000 500 32000");
	show("sem");
}

/* SHM_HUGETLB by a user without CAP_IPC_LOCK, outside group 0, with RLIMIT_MEMLOCK 0:
 * the huge pages cannot be locked for it (EPERM), whether the system has any or not; and
 * with a limit they fit under (stress-ng's shm-sysv): EPERM all the same (Linux 5.x on).
 * A huge page size x86-64 does not have (1 << 63) is EINVAL before that. */
static void
hugetlb_unprivileged(void)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		struct rlimit rl = { 0, 64 << 20 };
		gid_t none[1] = { 65534 };

		setrlimit(RLIMIT_MEMLOCK, &rl);
		if (setgroups(1, none) < 0 || setgid(65534) < 0 || setuid(65534) < 0)
			_exit(3);
		int id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | SHM_HUGETLB | 0600);
		printf("SHM_HUGETLB unprivileged: %s\n", id < 0 ? en(errno) : "ok");
		if (id >= 0)
			shmctl(id, IPC_RMID, NULL);
		id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | SHM_HUGETLB | 63 << 26 /* SHM_HUGE_SHIFT */ | 0600);
		printf("SHM_HUGETLB 1 << 63 pages: %s\n", id < 0 ? en(errno) : "ok");
		rl.rlim_cur = 64 << 20;
		setrlimit(RLIMIT_MEMLOCK, &rl);
		id = shmget(IPC_PRIVATE, 2 << 20, IPC_CREAT | SHM_HUGETLB | 0600);
		printf("SHM_HUGETLB unprivileged, under RLIMIT_MEMLOCK: %s\n", id < 0 ? en(errno) : "ok");
		if (id >= 0)
			shmctl(id, IPC_RMID, NULL);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	printf("child: %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

int
main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (unshare(CLONE_NEWIPC) < 0)
		(void)unshare(CLONE_NEWUSER | CLONE_NEWIPC); /* not root natively */
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		show(names[i]);
	next_ids();
	msg_limits();
	shm_limits();
	sem_limits();
	hugetlb_unprivileged();
	return 0;
}
