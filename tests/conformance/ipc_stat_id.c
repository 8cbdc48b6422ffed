/* SEM_STAT, MSG_STAT and SHM_STAT (and their _ANY forms) take an index, of which Linux
 * uses only the low bits (ipc_obtain_object_idx): given the object's id, or the id plus
 * IPCMNI, they find it and return its id. (LTP semctl09 passes the id.) */
#include "cf.h"
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

#ifndef SEM_STAT_ANY
#define SEM_STAT_ANY 20
#endif
#ifndef MSG_STAT_ANY
#define MSG_STAT_ANY 13
#endif
#ifndef SHM_STAT_ANY
#define SHM_STAT_ANY 15
#endif
#define IPCMNI 32768

/* The raw call: glibc's semctl does not pass the buffer for SEM_STAT_ANY before 2.33. */
static long
stat_call(int kind, int idx, int cmd, void *buf)
{
	if (kind == 0)
		return syscall(SYS_semctl, idx, 0, cmd, buf);
	if (kind == 1)
		return syscall(SYS_msgctl, idx, cmd, buf);
	return syscall(SYS_shmctl, idx, cmd, buf);
}

static void
check(const char *name, int kind, int id, int stat, int stat_any)
{
	char buf[256], label[96];
	int cmds[2] = { stat, stat_any };

	for (int i = 0; i < 2; i++) {
		const char *c = i ? "_STAT_ANY" : "_STAT";
		long r;

		r = stat_call(kind, id % IPCMNI, cmds[i], buf);
		snprintf(label, sizeof(label), "%s%s(index) is the id", name, c);
		YN(label, r == id);
		r = stat_call(kind, id, cmds[i], buf);
		snprintf(label, sizeof(label), "%s%s(id) is the id", name, c);
		YN(label, r == id);
		r = stat_call(kind, id + IPCMNI, cmds[i], buf);
		snprintf(label, sizeof(label), "%s%s(id+IPCMNI) is the id", name, c);
		YN(label, r == id);
		snprintf(label, sizeof(label), "%s%s(-1)", name, c);
		R(label, stat_call(kind, -1, cmds[i], buf));
	}
}

int
main(void)
{
	cf_init();
	int sem = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
	int msg = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	int shm = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);

	YN("made", sem >= 0 && msg >= 0 && shm >= 0);
	check("SEM", 0, sem, SEM_STAT, SEM_STAT_ANY);
	check("MSG", 1, msg, MSG_STAT, MSG_STAT_ANY);
	check("SHM", 2, shm, SHM_STAT, SHM_STAT_ANY);
	semctl(sem, 0, IPC_RMID);
	msgctl(msg, IPC_RMID, NULL);
	shmctl(shm, IPC_RMID, NULL);
	return 0;
}
