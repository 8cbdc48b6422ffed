/* System V shared memory: shmget sizes and flags, shmat/shmdt, sharing across fork,
 * nattch over fork/exec/exit, IPC_STAT/IPC_SET/IPC_RMID (SHM_DEST), permissions, maps. */
#include "cf.h"
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/wait.h>

static int ids[8], nids;

static void
cleanup(void)
{
	for (int i = 0; i < nids; i++)
		shmctl(ids[i], IPC_RMID, NULL);
}

static int
track(int id)
{
	if (id >= 0 && nids < 8)
		ids[nids++] = id;
	return id;
}

static long
nattch(int id)
{
	struct shmid_ds ds;
	if (shmctl(id, IPC_STAT, &ds) < 0)
		return -errno;
	return (long)ds.shm_nattch;
}

/* The /proc/self/maps line of the mapping at p: its permissions and name. */
static key_t the_key;

static void
maps_line(const char *label, void *p)
{
	char line[512], want[32];
	FILE *f = fopen("/proc/self/maps", "r");
	snprintf(want, sizeof(want), "%lx-", (unsigned long)p);
	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, want, strlen(want)))
			continue;
		char perms[8], name[256] = "";
		sscanf(line, "%*s %7s %*s %*s %*s %255[^\n]", perms, name);
		char keyname[64];
		snprintf(keyname, sizeof(keyname), "/SYSV%08x (deleted)", (unsigned)the_key);
		printf("%s: %s %s\n", label, perms, !strcmp(name, keyname) ? "/SYSV<key> (deleted)" : name);
		fclose(f);
		return;
	}
	printf("%s: none\n", label);
	if (f)
		fclose(f);
}

int
main(int argc, char **argv)
{
	struct shmid_ds ds;
	int st;

	if (argc == 3 && !strcmp(argv[1], "exec")) { /* the exec'd child: no attaches left */
		printf("after exec nattch: %ld\n", nattch(atoi(argv[2])));
		return 0;
	}
	cf_init();
	atexit(cleanup);
	R("shmget size 0", shmget(IPC_PRIVATE, 0, 0600));
	R("shmget huge", shmget(IPC_PRIVATE, (size_t)-1, 0600));
	cf_write_file("keyfile", "k", 1);
	key_t key = ftok("keyfile", 'S');
	the_key = key;
	R("shmget missing key", shmget(key, 4096, 0600));
	int id = track(shmget(key, 10000, IPC_CREAT | IPC_EXCL | 0640));
	YN("create", id >= 0);
	R("create again EXCL", shmget(key, 10000, IPC_CREAT | IPC_EXCL | 0640));
	YN("same id", shmget(key, 4096, 0) == id);
	YN("same id CREAT", shmget(key, 10000, IPC_CREAT | 0600) == id);
	R("bigger than segment", shmget(key, 20000, 0));
	OK("IPC_STAT", shmctl(id, IPC_STAT, &ds));
	printf("segsz %zu mode %o nattch %lu\n", ds.shm_segsz, ds.shm_perm.mode,
	       (unsigned long)ds.shm_nattch);
	YN("cpid is me", ds.shm_cpid == getpid());
	YN("lpid 0", ds.shm_lpid == 0);
	YN("uid/cuid", ds.shm_perm.uid == geteuid() && ds.shm_perm.cuid == geteuid());
	YN("key", ds.shm_perm.__key == key);
	YN("atime 0", ds.shm_atime == 0 && ds.shm_ctime != 0);

	char *p = shmat(id, NULL, 0);
	YN("shmat", p != (void *)-1);
	YN("zeroed", p[0] == 0 && p[9999] == 0);
	strcpy(p, "hello");
	printf("nattch %ld\n", nattch(id));
	shmctl(id, IPC_STAT, &ds);
	YN("lpid is me", ds.shm_lpid == getpid());
	YN("atime set", ds.shm_atime != 0);
	maps_line("maps", p);

	/* shared with a child for real; the child's inherited attach counts */
	pid_t c = fork();
	if (c == 0) {
		printf("child nattch %ld sees %s\n", nattch(id), p);
		strcpy(p, "from child");
		char *q = shmat(id, NULL, SHM_RDONLY);
		printf("child second attach %s nattch %ld\n", q, nattch(id));
		maps_line("child ro maps", q);
		R("mprotect ro attach writable", mprotect(q, 4096, PROT_READ | PROT_WRITE));
		R("mprotect rw attach", mprotect(p, 4096, PROT_READ));
		R("mprotect rw attach back", mprotect(p, 4096, PROT_READ | PROT_WRITE));
		_exit(0);
	}
	waitpid(c, &st, 0);
	printf("parent sees %s nattch %ld\n", p, nattch(id));
	shmctl(id, IPC_STAT, &ds);
	YN("lpid is the exited child", ds.shm_lpid == c);
	YN("dtime set", ds.shm_dtime != 0);

	/* exec drops attaches */
	c = fork();
	if (c == 0) {
		char buf[16];
		snprintf(buf, sizeof(buf), "%d", id);
		execl("/proc/self/exe", argv[0], "exec", buf, (char *)NULL);
		_exit(1);
	}
	waitpid(c, &st, 0);
	printf("after exec child nattch %ld\n", nattch(id));
	shmctl(id, IPC_STAT, &ds);
	YN("lpid is the exec'd child", ds.shm_lpid == c);

	/* addresses */
	R("shmdt unaligned", shmdt(p + 1));
	R("shmdt inside", shmdt(p + 4096));
	OK("shmdt", shmdt(p));
	R("shmdt again", shmdt(p));
	printf("nattch %ld\n", nattch(id));
	YN("shmat unaligned EINVAL", shmat(id, p + 1, 0) == (void *)-1 && errno == EINVAL);
	YN("shmat SHM_RND", shmat(id, p + 1, SHM_RND) == p);
	YN("shmat over it EINVAL", shmat(id, p, 0) == (void *)-1 && errno == EINVAL);
	YN("shmat SHM_REMAP", shmat(id, p, SHM_REMAP) == p);
	YN("SHM_REMAP without addr", shmat(id, NULL, SHM_REMAP) == (void *)-1 && errno == EINVAL);
	printf("data %s nattch %ld\n", p, nattch(id));
	OK("shmdt", shmdt(p));
	printf("nattch %ld\n", nattch(id));
	R("shmat bad id", (long)shmat(-1, NULL, 0));
	R("shmctl bad cmd", shmctl(id, 12345, &ds));
	R("shmctl bad id", shmctl(-1, IPC_STAT, &ds));
	R("IPC_STAT efault", shmctl(id, IPC_STAT, (void *)8));
	R("IPC_SET efault before the lookup", shmctl(0x7ffe0000, IPC_SET, (void *)8));

	/* by index: SHM_STAT gives the id; IPC_INFO the highest index in use */
	struct shmid_ds ds2;
	YN("SHM_STAT by index", shmctl(id % 32768, SHM_STAT, &ds2) == id && ds2.shm_segsz == 10000);
	YN("SHM_STAT_ANY by index", shmctl(id % 32768, SHM_STAT_ANY, &ds2) == id);
	struct shminfo si0;
	YN("IPC_INFO max index", shmctl(0, IPC_INFO, (struct shmid_ds *)&si0) >= id % 32768);
	OK("SHM_LOCK", shmctl(id, SHM_LOCK, NULL));
	shmctl(id, IPC_STAT, &ds2);
	printf("locked mode %o\n", ds2.shm_perm.mode);
	OK("SHM_UNLOCK", shmctl(id, SHM_UNLOCK, NULL));
	shmctl(id, IPC_STAT, &ds2);
	printf("unlocked mode %o\n", ds2.shm_perm.mode);

	/* IPC_SET */
	shmctl(id, IPC_STAT, &ds);
	ds.shm_perm.mode = 0604;
	OK("IPC_SET", shmctl(id, IPC_SET, &ds));
	shmctl(id, IPC_STAT, &ds);
	printf("mode %o\n", ds.shm_perm.mode);

	/* permissions as another user */
	ds.shm_perm.mode = 0600;
	shmctl(id, IPC_SET, &ds);
	c = fork();
	if (c == 0) {
		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			_exit(3);
		R("other shmget 0", shmget(key, 0, 0) >= 0);
		R("other shmget read", shmget(key, 0, 0400));
		YN("other shmat EACCES", shmat(id, NULL, 0) == (void *)-1 && errno == EACCES);
		R("other IPC_STAT", shmctl(id, IPC_STAT, &ds));
		R("other IPC_RMID", shmctl(id, IPC_RMID, NULL));
		_exit(0);
	}
	waitpid(c, &st, 0);
	printf("other exit %d\n", WEXITSTATUS(st));

	/* IPC_RMID while attached: the key goes, the segment stays until the last detach */
	p = shmat(id, NULL, 0);
	OK("IPC_RMID", shmctl(id, IPC_RMID, NULL));
	OK("IPC_STAT after RMID", shmctl(id, IPC_STAT, &ds));
	printf("mode %o dest %d key %d\n", ds.shm_perm.mode & 0777,
	       !!(ds.shm_perm.mode & SHM_DEST), ds.shm_perm.__key);
	R("key gone", shmget(key, 0, 0));
	printf("still %s\n", p);
	OK("shmdt", shmdt(p));
	R("gone after detach", shmctl(id, IPC_STAT, &ds));

	/* IPC_PRIVATE: always new; removal without attaches is at once */
	int a1 = track(shmget(IPC_PRIVATE, 4096, 0600));
	int a2 = track(shmget(IPC_PRIVATE, 4096, 0600));
	YN("private distinct", a1 >= 0 && a2 >= 0 && a1 != a2);
	char *x = shmat(a1, NULL, 0);
	the_key = 0;
	maps_line("private maps", x);
	shmdt(x);
	OK("rmid a1", shmctl(a1, IPC_RMID, NULL));
	R("a1 gone", shmctl(a1, IPC_STAT, &ds));
	OK("rmid a2", shmctl(a2, IPC_RMID, NULL));

	/* attaches split by munmap, mprotect and mremap: nattch counts the mappings, shmdt
	 * takes the parts at their offsets from the address */
	int sp = track(shmget(IPC_PRIVATE, 3 * 4096, 0600));
	char *b = shmat(sp, NULL, 0);
	printf("split attached %ld\n", nattch(sp));
	munmap(b + 4096, 4096);
	printf("after middle munmap %ld\n", nattch(sp));
	mprotect(b, 4096, PROT_READ);
	printf("after mprotect %ld\n", nattch(sp));
	char *spot = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *moved = mremap(b + 8192, 4096, 4096, MREMAP_MAYMOVE | MREMAP_FIXED, spot);
	printf("mremap %s nattch %ld\n", moved == spot ? "moved" : "failed", nattch(sp));
	R("shmdt split", shmdt(b));
	printf("nattch %ld\n", nattch(sp));
	R("shmdt moved part", shmdt(moved));
	munmap(moved, 4096);
	printf("nattch %ld\n", nattch(sp));
	shmctl(sp, IPC_RMID, NULL);

	struct shminfo info;
	YN("IPC_INFO", shmctl(0, IPC_INFO, (struct shmid_ds *)&info) >= 0);
	printf("shmmin %lu\n", info.shmmin);
	struct shm_info sinfo;
	YN("SHM_INFO", shmctl(0, SHM_INFO, (struct shmid_ds *)&sinfo) >= 0);
	R("SHM_STAT bad index", shmctl(32767, SHM_STAT, &ds));
	return 0;
}
