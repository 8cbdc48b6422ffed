/*
 * Pids that System V IPC and POSIX record locks report are in the reader's pid namespace
 * (pid_namespaces(7)): a child namespace's init sees its parent's pid as 0 and its own as
 * 1 in shmctl(IPC_STAT) cpid/lpid, msgctl lspid/lrpid, semctl(GETPID) and F_GETLK's l_pid,
 * while the parent sees the child's pid as fork returned it.
 */
#include "cf.h"
#include <sched.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/wait.h>

static int shmid, msqid, semid, lockfd, go[2], done[2];

static const char *
who(long v, long self, long other)
{
	return v == -2 ? "none" : v == 0 ? "0" : v == self ? "self" : v == other ? "other" :
	       v < 0 ? "error" : "?";
}

static long
lock_owner(off_t start)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = start, .l_len = 1 };

	if (fcntl(lockfd, F_GETLK, &fl) < 0)
		return -1;
	return fl.l_type == F_UNLCK ? -2 : fl.l_pid;
}

static void
report(const char *as, long self, long other)
{
	struct shmid_ds sd;
	struct msqid_ds md;

	shmctl(shmid, IPC_STAT, &sd);
	msgctl(msqid, IPC_STAT, &md);
	printf("%s: shm cpid %s lpid %s, msg lspid %s, sem pid %s, lock at 0 %s, at 1 %s\n", as,
	       who(sd.shm_cpid, self, other), who(sd.shm_lpid, self, other),
	       who(md.msg_lspid, self, other), who(semctl(semid, 0, GETPID), self, other),
	       who(lock_owner(0), self, other), who(lock_owner(1), self, other));
}

int
main(void)
{
	cf_init();
	setvbuf(stdout, NULL, _IONBF, 0);
	shmid = shmget(IPC_PRIVATE, 4096, 0600);
	msqid = msgget(IPC_PRIVATE, 0600);
	semid = semget(IPC_PRIVATE, 1, 0600);
	lockfd = open("locks", O_RDWR | O_CREAT, 0600);
	if (shmid < 0 || msqid < 0 || semid < 0 || lockfd < 0 || pipe(go) || pipe(done)) {
		printf("setup: %s\n", en(errno));
		return 1;
	}
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1 };
	fcntl(lockfd, F_SETLK, &fl);
	struct sembuf op = { 0, 1, 0 };
	semop(semid, &op, 1);
	R("unshare pid", unshare(CLONE_NEWPID));
	pid_t c = fork();
	if (c == 0) {
		char b;
		int lfd = open("locks", O_RDWR);
		lockfd = lfd;
		printf("child getpid: %d\n", (int)getpid());
		report("child first", getpid(), -100);
		/* now it acts: attach, send, semop, lock byte 1 */
		void *p = shmat(shmid, NULL, 0);
		shmdt(p);
		struct { long type; char c; } m = { 1, 'x' };
		msgsnd(msqid, &m, 1, 0);
		semop(semid, &op, 1);
		struct flock l1 = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 1, .l_len = 1 };
		fcntl(lfd, F_SETLK, &l1);
		report("child after", getpid(), -100);
		(void)!write(go[1], "g", 1);
		(void)!read(done[0], &b, 1);
		_exit(0);
	}
	char b;
	(void)!read(go[0], &b, 1);
	report("parent", getpid(), c);
	(void)!write(done[1], "d", 1);
	int st;
	waitpid(c, &st, 0);
	printf("child exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	shmctl(shmid, IPC_RMID, NULL);
	msgctl(msqid, IPC_RMID, NULL);
	semctl(semid, 0, IPC_RMID);
	return 0;
}
