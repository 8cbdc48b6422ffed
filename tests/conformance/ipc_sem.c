/* System V semaphores: semget limits, atomic semop, IPC_NOWAIT, blocking waits woken by
 * other processes, GETNCNT/GETZCNT, semtimedop timeouts, EINTR, EIDRM, SEM_UNDO at exit
 * (not inherited by fork), semctl commands, ERANGE, permissions. */
#include "cf.h"
#include <signal.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/wait.h>
#include <time.h>

union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
	struct seminfo *__buf;
};

static int ids[8], nids;

static void
cleanup(void)
{
	for (int i = 0; i < nids; i++)
		semctl(ids[i], 0, IPC_RMID);
}

static int
track(int id)
{
	if (id >= 0 && nids < 8)
		ids[nids++] = id;
	return id;
}

static int
op(int id, int num, int o, int flg)
{
	struct sembuf b = { (unsigned short)num, (short)o, (short)flg };
	return semop(id, &b, 1);
}

static void
vals(const char *label, int id, int n)
{
	unsigned short v[8];
	union semun u = { .array = v };
	semctl(id, 0, GETALL, u);
	printf("%s:", label);
	for (int i = 0; i < n; i++)
		printf(" %u", v[i]);
	printf("\n");
}

/* Waits until semnum of id has n waiters of the kind (GETNCNT/GETZCNT). */
static void
wait_count(int id, int num, int cmd, int n)
{
	for (int i = 0; i < 5000 && semctl(id, num, cmd) != n; i++)
		usleep(1000);
}

static void
on_alarm(int s)
{
	(void)s;
}

int
main(int argc, char **argv)
{
	union semun u;
	struct semid_ds ds;
	int st;

	if (argc == 3 && !strcmp(argv[1], "exec")) { /* the exec'd child: its adjustment is kept */
		printf("after exec %d\n", semctl(atoi(argv[2]), 2, GETVAL));
		return 0;
	}
	cf_init();
	atexit(cleanup);
	R("semget nsems -1", semget(IPC_PRIVATE, -1, 0600));
	R("semget nsems 0 private", semget(IPC_PRIVATE, 0, 0600));
	R("semget too many", semget(IPC_PRIVATE, 100000, 0600));
	cf_write_file("keyfile", "k", 1);
	key_t key = ftok("keyfile", 'M');
	R("semget missing", semget(key, 1, 0600));
	int id = track(semget(key, 3, IPC_CREAT | IPC_EXCL | 0600));
	YN("create", id >= 0);
	R("EXCL again", semget(key, 3, IPC_CREAT | IPC_EXCL | 0600));
	YN("nsems 0 finds it", semget(key, 0, 0) == id);
	R("more sems than set", semget(key, 4, 0));
	OK("IPC_STAT", semctl(id, 0, IPC_STAT, (union semun){ .buf = &ds }));
	printf("nsems %lu mode %o otime %ld\n", (unsigned long)ds.sem_nsems, ds.sem_perm.mode,
	       (long)ds.sem_otime);
	vals("initial", id, 3);

	/* atomicity: the second op fails, the first is not applied */
	struct sembuf two[2] = { { 0, 1, 0 }, { 1, -1, IPC_NOWAIT } };
	R("semop all-or-none", semop(id, two, 2));
	vals("unchanged", id, 3);
	two[1].sem_op = 0;
	R("semop both", semop(id, two, 2));
	vals("applied", id, 3);
	R("GETPID is me", semctl(id, 0, GETPID) == getpid());
	R("nsops 0", semop(id, two, 0));
	R("nsops 501", semop(id, two, 501));
	struct sembuf big = { 7, 1, 0 };
	R("sem_num too big", semop(id, &big, 1));
	R("semop efault", semop(id, (void *)8, 1));
	R("semop bad id", semop(-1, two, 1));
	R("zero wait nowait", op(id, 0, 0, IPC_NOWAIT));
	R("ERANGE", op(id, 0, 32767, 0));
	R("SETVAL", semctl(id, 2, SETVAL, (union semun){ .val = 5 }));
	R("SETVAL ERANGE", semctl(id, 2, SETVAL, (union semun){ .val = 32768 }));
	R("SETVAL negative", semctl(id, 2, SETVAL, (union semun){ .val = -1 }));
	R("SETVAL bad semnum", semctl(id, 3, SETVAL, (union semun){ .val = 1 }));
	R("GETVAL", semctl(id, 2, GETVAL));
	R("GETVAL bad semnum", semctl(id, -1, GETVAL));
	unsigned short all[3] = { 1, 2, 3 };
	R("SETALL", semctl(id, 0, SETALL, (union semun){ .array = all }));
	vals("setall", id, 3);
	all[1] = 40000;
	R("SETALL ERANGE", semctl(id, 0, SETALL, (union semun){ .array = all }));
	R("bad cmd", semctl(id, 0, 999));
	R("IPC_SET efault before the lookup", semctl(0x7ffe0000, 0, IPC_SET, (union semun){ .buf = (void *)8 }));

	/* blocking: a child waits for a decrement, the parent sees GETNCNT, then posts */
	semctl(id, 0, SETVAL, (union semun){ .val = 0 });
	pid_t c = fork();
	if (c == 0) {
		int r = op(id, 0, -2, 0);
		_exit(r == 0 && semctl(id, 0, GETVAL) == 0 ? 10 : 11);
	}
	wait_count(id, 0, GETNCNT, 1);
	R("GETNCNT", semctl(id, 0, GETNCNT));
	R("GETZCNT", semctl(id, 0, GETZCNT));
	R("post 1", op(id, 0, 1, 0));
	usleep(20000);
	R("still waiting", semctl(id, 0, GETNCNT));
	R("post 1 more", op(id, 0, 1, 0));
	waitpid(c, &st, 0);
	printf("child woke: %d\n", WEXITSTATUS(st));
	R("after", semctl(id, 0, GETVAL));

	/* wait-for-zero */
	semctl(id, 1, SETVAL, (union semun){ .val = 1 });
	c = fork();
	if (c == 0) {
		printf("zero wait %d\n", op(id, 1, 0, 0));
		_exit(0);
	}
	wait_count(id, 1, GETZCNT, 1);
	R("GETZCNT", semctl(id, 1, GETZCNT));
	op(id, 1, -1, 0);
	waitpid(c, &st, 0);

	/* semtimedop times out with EAGAIN; a bad timeout is EINVAL */
	struct timespec ts = { 0, 30 * 1000 * 1000 };
	struct sembuf dec = { 0, -1, 0 };
	R("semtimedop timeout", semtimedop(id, &dec, 1, &ts));
	ts.tv_nsec = 2000000000L;
	R("semtimedop bad ts", semtimedop(id, &dec, 1, &ts));
	ts.tv_nsec = 0;
	R("semtimedop zero ts", semtimedop(id, &dec, 1, &ts));

	/* a signal ends the wait with EINTR, even with SA_RESTART */
	struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = SA_RESTART };
	sigaction(SIGALRM, &sa, NULL);
	ualarm(30000, 0);
	R("semop EINTR", op(id, 0, -1, 0));

	/* a stop and continue end a waiting semop with EINTR (Linux never restarts it) */
	semctl(id, 0, SETVAL, (union semun){ .val = 0 });
	c = fork();
	if (c == 0)
		_exit(op(id, 0, -1, 0) == 0 ? 10 : errno);
	cf_stop_cont(c);
	op(id, 0, 1, 0);
	waitpid(c, &st, 0);
	printf("semop after stop/cont: %s\n", WEXITSTATUS(st) == 10 ? "done" : en(WEXITSTATUS(st)));
	semctl(id, 0, SETVAL, (union semun){ .val = 0 });

	/* SEM_UNDO: undone when the process ends; not inherited by fork */
	semctl(id, 2, SETVAL, (union semun){ .val = 0 });
	c = fork();
	if (c == 0) {
		op(id, 2, 3, SEM_UNDO);
		printf("child set %d\n", semctl(id, 2, GETVAL));
		pid_t g = fork();
		if (g == 0)
			_exit(0); /* no adjustments of its own */
		waitpid(g, NULL, 0);
		printf("grandchild gone %d\n", semctl(id, 2, GETVAL));
		op(id, 2, -1, SEM_UNDO);
		_exit(0);
	}
	waitpid(c, &st, 0);
	R("undone at exit", semctl(id, 2, GETVAL));
	c = fork();
	if (c == 0) { /* kept over execve, undone when the new image exits */
		char buf[16];
		op(id, 2, 4, SEM_UNDO);
		snprintf(buf, sizeof(buf), "%d", id);
		execl("/proc/self/exe", argv[0], "exec", buf, (char *)NULL);
		_exit(1);
	}
	waitpid(c, &st, 0);
	R("undone after exec and exit", semctl(id, 2, GETVAL));
	c = fork();
	if (c == 0) {
		op(id, 2, 2, SEM_UNDO);
		semctl(id, 2, SETVAL, (union semun){ .val = 7 }); /* clears the adjustment */
		_exit(0);
	}
	waitpid(c, &st, 0);
	R("SETVAL cleared undo", semctl(id, 2, GETVAL));

	struct semid_ds ds2;
	YN("SEM_STAT by index", semctl(id % 32768, 0, SEM_STAT, (union semun){ .buf = &ds2 }) == id && ds2.sem_nsems == 3);
	YN("SEM_STAT_ANY by index", semctl(id % 32768, 0, SEM_STAT_ANY, (union semun){ .buf = &ds2 }) == id);
	struct seminfo si0;
	YN("SEM_INFO max index", semctl(0, 0, SEM_INFO, (union semun){ .__buf = &si0 }) >= id % 32768);

	/* permissions */
	c = fork();
	if (c == 0) {
		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			_exit(3);
		R("other GETVAL", semctl(id, 0, GETVAL));
		R("other semop", op(id, 0, 1, IPC_NOWAIT));
		R("other IPC_RMID", semctl(id, 0, IPC_RMID));
		R("other semget read", semget(key, 0, 0400));
		_exit(0);
	}
	waitpid(c, &st, 0);
	semctl(id, 0, IPC_STAT, (union semun){ .buf = &ds });
	ds.sem_perm.mode = 0644;
	OK("IPC_SET", semctl(id, 0, IPC_SET, (union semun){ .buf = &ds }));
	semctl(id, 0, IPC_STAT, (union semun){ .buf = &ds });
	printf("mode %o otime set %d\n", ds.sem_perm.mode, ds.sem_otime != 0);
	c = fork();
	if (c == 0) {
		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			_exit(3);
		R("other GETVAL now", semctl(id, 0, GETVAL) >= 0);
		R("other semop now", op(id, 0, 1, IPC_NOWAIT));
		_exit(0);
	}
	waitpid(c, &st, 0);

	/* removal wakes waiters with EIDRM */
	semctl(id, 0, SETVAL, (union semun){ .val = 0 });
	c = fork();
	if (c == 0) {
		int r = op(id, 0, -1, 0);
		_exit(r < 0 ? errno : 0);
	}
	wait_count(id, 0, GETNCNT, 1);
	OK("IPC_RMID", semctl(id, 0, IPC_RMID));
	waitpid(c, &st, 0);
	printf("waiter: %s\n", en(WEXITSTATUS(st)));
	R("gone", semctl(id, 0, GETVAL));
	R("semop gone", op(id, 0, 1, 0));
	R("key gone", semget(key, 1, 0));

	struct seminfo si;
	R("IPC_INFO", semctl(0, 0, IPC_INFO, (union semun){ .__buf = &si }) >= 0);
	printf("semmsl %d semopm %d semvmx %d\n", si.semmsl, si.semopm, si.semvmx);
	R("SEM_STAT bad", semctl(32767, 0, SEM_STAT, (union semun){ .buf = &ds }));
	return 0;
}
