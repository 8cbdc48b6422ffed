/* User namespaces: a new one maps no ids until uid_map and gid_map are written (getuid
 * gives the overflow id), the creator holds every capability in it but none outside (no
 * sethostname or mount in the namespaces it came from, but in new ones it makes), maps are
 * written once, by the rules for unprivileged writers (one id, their own, setgroups denied
 * first for gid_map) or with CAP_SETUID over the parent; ids go through the maps (stat
 * owners, set*id, chown); copies of the mount tree are locked; setns into another user
 * namespace; nesting stops at level 33 (ENOSPC). Run as root. */
#include "cf.h"
#include <linux/capability.h>
#include <sched.h>
#include <sys/prctl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/msg.h>
#include <sys/wait.h>

static int
write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	int r = (int)write(fd, text, strlen(text));
	int e = errno;
	close(fd);
	errno = e;
	return r < 0 ? -1 : 0;
}

static void
show_file(const char *label, const char *path)
{
	char buf[256];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	buf[n > 0 ? n : 0] = 0;
	if (fd >= 0)
		close(fd);
	printf("%s: [%s]\n", label, buf);
}

static unsigned long long
eff_caps(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	syscall(SYS_capget, &h, d);
	return d[0].effective | (unsigned long long)d[1].effective << 32;
}

/* In a new user namespace as root: maps, capabilities, ids, namespaces made inside. */
static void
as_root(void)
{
	struct stat st;
	char l1[64] = "", l2[64] = "";

	/* a mount of our own with restrictions, made before (natively in a private mount
	 * namespace: nothing reaches the host's) */
	R("unshare CLONE_NEWNS first", unshare(CLONE_NEWNS));
	R("/ private", mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));
	R("tmpfs lk", mount("lk", "lk", "tmpfs", MS_NOSUID | MS_NODEV, NULL));
	readlink("/proc/self/ns/user", l1, sizeof(l1) - 1);
	R("unshare CLONE_NEWUSER", unshare(CLONE_NEWUSER));
	readlink("/proc/self/ns/user", l2, sizeof(l2) - 1);
	YN("new user link", strcmp(l1, l2) != 0);
	printf("unmapped: uid %d euid %d gid %d\n", getuid(), geteuid(), getgid());
	YN("every capability", eff_caps() == (1ULL << (CAP_LAST_CAP + 1)) - 1);
	show_file("uid_map before", "/proc/self/uid_map");
	R("setuid(0) unmapped", setuid(0));
	R("gid_map before setgroups deny", write_file("/proc/self/gid_map", "0 0 1\n"));
	R("setgroups deny", write_file("/proc/self/setgroups", "deny"));
	R("gid_map", write_file("/proc/self/gid_map", "0 0 1\n"));
	R("setgroups deny again after gid_map", write_file("/proc/self/setgroups", "deny"));
	R("uid_map two lines", write_file("/proc/self/uid_map", "0 0 1\n1 1 1\n"));
	R("uid_map bad", write_file("/proc/self/uid_map", "0 x 1\n"));
	R("uid_map", write_file("/proc/self/uid_map", "0 0 1\n"));
	R("uid_map again", write_file("/proc/self/uid_map", "0 0 1\n"));
	R("setgroups allow after deny", write_file("/proc/self/setgroups", "allow"));
	show_file("uid_map", "/proc/self/uid_map");
	show_file("setgroups", "/proc/self/setgroups");
	printf("mapped: uid %d gid %d\n", getuid(), getgid());
	R("stat own file", stat("owned", &st));
	printf("owner %u %u\n", st.st_uid, st.st_gid);
	R("stat other's file", stat("other", &st));
	printf("owner %u %u\n", st.st_uid, st.st_gid);
	R("setuid(5) unmapped", setuid(5));
	int q = msgget(IPC_PRIVATE, 0600);
	struct msqid_ds ds;
	R("IPC_STAT", msgctl(q, IPC_STAT, &ds));
	printf("queue owner %u %u\n", ds.msg_perm.uid, ds.msg_perm.cuid);
	ds.msg_perm.uid = 5;
	R("IPC_SET unmapped owner", msgctl(q, IPC_SET, &ds));
	msgctl(q, IPC_RMID, NULL);
	R("setgroups", setgroups(0, NULL));
	R("chown to unmapped", chown("owned", 7, -1));
	R("sethostname outside", sethostname("userns-x", 8));
	R("mount outside", mount("t", "sub", "tmpfs", 0, NULL));
	R("unshare CLONE_NEWUTS", unshare(CLONE_NEWUTS));
	R("sethostname inside", sethostname("userns-x", 8));
	R("unshare CLONE_NEWNS", unshare(CLONE_NEWNS));
	R("mount inside", mount("t", "sub", "tmpfs", 0, NULL));
	R("umount a copied mount", umount2("/proc", MNT_DETACH));
	R("umount own mount", umount("sub"));
	R("relax a locked mount's flags", mount(NULL, "lk", NULL, MS_REMOUNT | MS_BIND, NULL));
	R("keep them", mount(NULL, "lk", NULL, MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NODEV, NULL));
	R("non-recursive bind over locked mounts", mount(".", "sub", NULL, MS_BIND, NULL));
	R("recursive bind", mount("/dev", "sub", NULL, MS_BIND | MS_REC, NULL));
	R("umount the bind", umount2("sub", MNT_DETACH));
	int n = 1, err = 0;
	while (n < 40 && unshare(CLONE_NEWUSER) == 0) {
		write_file("/proc/self/uid_map", "0 0 1\n");
		write_file("/proc/self/setgroups", "deny\n");
		write_file("/proc/self/gid_map", "0 0 1\n");
		n++;
	}
	err = errno;
	printf("nesting stops after %d more: %s\n", n, en(err));
}

/* As uid 1000: the writer's own id only, gid_map after setgroups deny. */
static void
as_user(void)
{
	setgroups(0, NULL);
	setresgid(1000, 1000, 1000);
	setresuid(1000, 1000, 1000);
	prctl(PR_SET_DUMPABLE, 1); /* (else /proc/self is root's after the id change) */
	R("unprivileged unshare CLONE_NEWUSER", unshare(CLONE_NEWUSER));
	R("map another id", write_file("/proc/self/uid_map", "0 0 1\n"));
	R("map a range", write_file("/proc/self/uid_map", "0 1000 2\n"));
	R("map own id", write_file("/proc/self/uid_map", "0 1000 1\n"));
	R("gid_map while setgroups allowed", write_file("/proc/self/gid_map", "0 1000 1\n"));
	R("setgroups deny", write_file("/proc/self/setgroups", "deny\n"));
	R("gid_map", write_file("/proc/self/gid_map", "0 1000 1\n"));
	printf("ids %d %d %d %d\n", getuid(), geteuid(), getgid(), getegid());
	R("setgroups denied", setgroups(0, NULL));
	R("stat /", access("/", R_OK));
	R("write the root's file", open("/etc/passwd", O_WRONLY));
}

static int
sleeper(void *arg)
{
	int *p = arg;
	char c;
	write(p[1], "r", 1);
	read(p[2], &c, 1);
	return 0;
}

static void
run(const char *name, void (*fn)(void))
{
	int st;
	pid_t p = fork();
	if (p == 0) {
		fn();
		fflush(stdout);
		_exit(0);
	}
	waitpid(p, &st, 0);
	printf("%s: exit %d\n", name, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

/* A child in a new user namespace: the parent writes its maps and joins it. */
static void
join(void)
{
	static char stack[65536];
	int p[4], q[3], st;
	char buf[64];

	pipe(p);
	pipe(p + 2);
	q[0] = p[0], q[1] = p[1], q[2] = p[2];
	pid_t c = clone(sleeper, stack + sizeof(stack), CLONE_NEWUSER | SIGCHLD, q);
	read(p[0], buf, 1);
	snprintf(buf, sizeof(buf), "/proc/%d/uid_map", c);
	R("parent writes a range", write_file(buf, "0 0 100\n"));
	snprintf(buf, sizeof(buf), "/proc/%d/gid_map", c);
	R("parent writes gid_map", write_file(buf, "0 0 100\n"));
	show_file("child's uid_map", buf);
	int self = open("/proc/self/ns/user", O_RDONLY);
	R("setns own user ns", setns(self, CLONE_NEWUSER));
	snprintf(buf, sizeof(buf), "/proc/%d/ns/user", c);
	int fd = open(buf, O_RDONLY);
	R("setns child's user ns", setns(fd, CLONE_NEWUSER));
	printf("joined: uid %d, every capability %s\n", getuid(),
	       eff_caps() == (1ULL << (CAP_LAST_CAP + 1)) - 1 ? "yes" : "no");
	R("sethostname after joining", sethostname("x", 1));
	write(p[3], "x", 1);
	waitpid(c, &st, 0);
}

int
main(void)
{
	cf_init();
	setvbuf(stdout, NULL, _IONBF, 0);
	if (geteuid() != 0) {
		printf("not root: nothing to check\n");
		return 0;
	}
	cf_write_file("owned", "x", 1);
	cf_write_file("other", "x", 1);
	chown("other", 4321, 4321);
	mkdir("sub", 0755);
	mkdir("lk", 0755);
	run("root", as_root);
	run("user", as_user);
	run("join", join);
	return 0;
}
