/* IPC namespaces: after unshare(CLONE_NEWIPC) the caller's System V message queues,
 * semaphores and shared memory and its POSIX message queues are those of an empty
 * namespace (keys and names free again, /proc/sysvipc lists only its own, ids start
 * over), a segment attached before stays mapped; setns back finds the old objects;
 * clone(CLONE_NEWIPC | CLONE_SYSVSEM) is EINVAL. Run as root. */
#include "cf.h"
#include <mqueue.h>
#include <sched.h>
#include <signal.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/wait.h>

#define KEY 0x4e53c0de

/* Lines of /proc/sysvipc/NAME after the header. */
static int
proc_lines(const char *name)
{
	char path[64], line[512];
	int n = -1;

	snprintf(path, sizeof(path), "/proc/sysvipc/%s", name);
	FILE *f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		n++;
	if (f)
		fclose(f);
	return n;
}

static int
has_key(const char *name, int key)
{
	char path[64], line[512];
	int found = 0;

	snprintf(path, sizeof(path), "/proc/sysvipc/%s", name);
	FILE *f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		found |= atoi(line) == key;
	if (f)
		fclose(f);
	return found;
}

int
main(void)
{
	int st;

	cf_init();
	setvbuf(stdout, NULL, _IONBF, 0);
	if (geteuid() != 0) {
		printf("not root: nothing to check\n");
		return 0;
	}
	/* our objects in the namespace we start in (removed at the end) */
	int mq = msgget(KEY, IPC_CREAT | 0600);
	int sem = semget(KEY, 2, IPC_CREAT | 0600);
	int shm = shmget(KEY, 4096, IPC_CREAT | 0600);
	YN("made all three", mq >= 0 && sem >= 0 && shm >= 0);
	char *mem = shmat(shm, NULL, 0);
	strcpy(mem, "shared before");
	mq_unlink("/ns_ipc_test");
	mqd_t pq = mq_open("/ns_ipc_test", O_CREAT | O_RDWR, 0600, NULL);
	YN("mq_open", pq != (mqd_t)-1);
	YN("our queue listed", has_key("msg", KEY));
	int oldfd = open("/proc/self/ns/ipc", O_RDONLY);
	struct stat a, b;
	fstat(oldfd, &a);

	int r = unshare(CLONE_NEWIPC);
	R("unshare CLONE_NEWIPC", r);
	if (r < 0)
		goto out;
	stat("/proc/self/ns/ipc", &b);
	YN("new ns st_ino", a.st_ino != b.st_ino);
	R("msgget old key", msgget(KEY, 0));
	R("semget old key", semget(KEY, 0, 0));
	R("shmget old key", shmget(KEY, 0, 0));
	R("msgctl old id", msgctl(mq, IPC_STAT, &(struct msqid_ds){ 0 }));
	R("mq_open old name", mq_open("/ns_ipc_test", O_RDWR));
	printf("sysvipc lines: msg %d sem %d shm %d\n", proc_lines("msg"), proc_lines("sem"),
	       proc_lines("shm"));
	printf("attached before: %s\n", mem);
	struct msqid_ds mi;
	R("MSG_INFO max index", msgctl(0, MSG_INFO, &mi));
	int mq2 = msgget(KEY, IPC_CREAT | IPC_EXCL | 0600);
	YN("same key again", mq2 >= 0);
	R("its id", mq2);
	struct { long type; char text[8]; } m = { 1, "inner" };
	R("msgsnd", msgsnd(mq2, &m, 6, 0));
	int sem2 = semget(KEY, 1, IPC_CREAT | IPC_EXCL | 0600);
	YN("sem key again", sem2 >= 0);
	mqd_t pq2 = mq_open("/ns_ipc_test", O_CREAT | O_EXCL | O_RDWR, 0600, NULL);
	YN("mq name again", pq2 != (mqd_t)-1);
	YN("listed", has_key("msg", KEY));

	/* a child made now shares the new namespace; one made with CLONE_NEWIPC does not */
	pid_t c = fork();
	if (c == 0) {
		_exit(msgget(KEY, 0) == mq2 ? 0 : 1);
	}
	waitpid(c, &st, 0);
	YN("child sees the new queue", WIFEXITED(st) && WEXITSTATUS(st) == 0);
	c = syscall(SYS_clone, CLONE_NEWIPC | SIGCHLD, 0, 0, 0, 0);
	if (c == 0) {
		_exit(msgget(KEY, 0) < 0 && errno == ENOENT ? 0 : 1);
	}
	waitpid(c, &st, 0);
	YN("CLONE_NEWIPC child sees none", WIFEXITED(st) && WEXITSTATUS(st) == 0);
	R("clone CLONE_NEWIPC|CLONE_SYSVSEM",
	  syscall(SYS_clone, CLONE_NEWIPC | CLONE_SYSVSEM | SIGCHLD, 0, 0, 0, 0));

	R("setns back", setns(oldfd, CLONE_NEWIPC));
	YN("old queue again", msgget(KEY, 0) == mq);
	YN("old set again", semget(KEY, 0, 0) == sem);
	YN("old segment again", shmget(KEY, 0, 0) == shm);
	YN("inner queue not listed here", proc_lines("msg") >= 1);
	mqd_t pq3 = mq_open("/ns_ipc_test", O_RDWR);
	YN("old mq again", pq3 != (mqd_t)-1);
	struct mq_attr at;
	mq_getattr(pq2, &at);
	printf("inner mq descriptor still works: curmsgs %ld\n", at.mq_curmsgs);
	mq_close(pq2);
	mq_close(pq3);
out:
	msgctl(mq, IPC_RMID, NULL);
	semctl(sem, 0, IPC_RMID);
	shmdt(mem);
	shmctl(shm, IPC_RMID, NULL);
	mq_close(pq);
	mq_unlink("/ns_ipc_test");
	return 0;
}
