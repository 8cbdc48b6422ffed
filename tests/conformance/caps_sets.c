/*
 * Capability sets: capget and capset's rules, what a dropped capability refuses
 * (sethostname without CAP_SYS_ADMIN, raising a hard limit without CAP_SYS_RESOURCE,
 * locking memory past RLIMIT_MEMLOCK without CAP_IPC_LOCK, System V IPC without
 * CAP_IPC_OWNER), uid changes with and without PR_SET_KEEPCAPS, and execve. Each part runs
 * in a child; nothing changes on the host (sethostname is given the current name).
 */
#include <linux/capability.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "cf.h"

static struct __user_cap_data_struct d[2];

static int
get_caps(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };

	return syscall(SYS_capget, &h, d);
}

static int
set_caps(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };

	return syscall(SYS_capset, &h, d);
}

static void
show(const char *label)
{
	/* only capabilities every root has here: the host's bounding set may lack others */
	const int caps[] = { CAP_CHOWN, CAP_KILL, CAP_SETUID, CAP_SYS_ADMIN };
	get_caps();
	printf("%s: eff%s perm%s inh%s eff=perm %s;", label,
	       d[0].effective | d[1].effective ? "" : " none",
	       d[0].permitted | d[1].permitted ? "" : " none",
	       d[0].inheritable | d[1].inheritable ? "" : " none",
	       d[0].effective == d[0].permitted && d[1].effective == d[1].permitted ? "yes" : "no");
	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
		printf(" %d:%c%c", caps[i], (d[caps[i] / 32].effective >> (caps[i] % 32)) & 1 ? 'e' : '-',
		       (d[caps[i] / 32].permitted >> (caps[i] % 32)) & 1 ? 'p' : '-');
	printf("\n");
}

static int
drop_eff(int cap)
{
	get_caps();
	d[cap / 32].effective &= ~(1u << (cap % 32));
	return set_caps();
}

static void
child(void (*fn)(void))
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		fn();
		fflush(stdout);
		_exit(0);
	}
	int st;
	waitpid(pid, &st, 0);
}

static void
rules(void)
{
	struct __user_cap_header_struct h = { 0x12345, 0 };

	R("capget bad version", syscall(SYS_capget, &h, d));
	printf("version written back: %x\n", h.version);
	h.version = _LINUX_CAPABILITY_VERSION_3;
	h.pid = 1;
	R("capset other pid", syscall(SYS_capset, &h, d));
	show("start");
	get_caps();
	d[0].effective |= 1; /* already there or not permitted */
	d[0].permitted &= ~1u;
	R("effective beyond permitted", set_caps());
	get_caps();
	d[0].permitted &= ~(1u << CAP_CHOWN);
	d[0].effective &= ~(1u << CAP_CHOWN);
	R("drop chown", set_caps());
	show("after drop");
	get_caps();
	d[0].permitted |= 1u << CAP_CHOWN;
	R("raise chown again", set_caps());
	get_caps();
	d[0].effective &= ~(1u << CAP_KILL);
	R("drop kill effective only", set_caps());
	get_caps();
	d[0].effective |= 1u << CAP_KILL;
	R("raise kill effective from permitted", set_caps());
	show("end");
}

static void
sysadmin(void)
{
	char name[128] = { 0 };

	gethostname(name, sizeof(name) - 1);
	R("drop sys_admin", drop_eff(CAP_SYS_ADMIN));
	R("sethostname", sethostname(name, strlen(name)));
	R("setdomainname", setdomainname("", 0));
}

static void
resource(void)
{
	struct rlimit rl;

	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_max = rl.rlim_cur;
	R("lower nofile hard", setrlimit(RLIMIT_NOFILE, &rl));
	R("drop sys_resource", drop_eff(CAP_SYS_RESOURCE));
	rl.rlim_max++;
	R("raise nofile hard", setrlimit(RLIMIT_NOFILE, &rl));
}

static void
memlock(void)
{
	struct rlimit rl = { 0, 0 };
	char *p = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	getrlimit(RLIMIT_MEMLOCK, &rl);
	R("drop ipc_lock", drop_eff(CAP_IPC_LOCK));
	rl.rlim_cur = 0;
	R("memlock 0", setrlimit(RLIMIT_MEMLOCK, &rl));
	R("mlock", mlock(p, 4096));
	R("mlockall", mlockall(MCL_CURRENT));
	void *m = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
	printf("MAP_LOCKED: %s\n", m == MAP_FAILED ? en(errno) : "ok");
	rl.rlim_cur = 4096;
	R("memlock 1 page", setrlimit(RLIMIT_MEMLOCK, &rl));
	R("mlock 2 pages", mlock(p, 2 * 4096));
	R("mlock 1 page", mlock(p, 4096));
	R("munlock", munlock(p, 4096));
	m = mmap(NULL, 2 * 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
	printf("MAP_LOCKED 2 pages: %s\n", m == MAP_FAILED ? en(errno) : "ok");
	m = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
	printf("MAP_LOCKED 1 page: %s\n", m == MAP_FAILED ? en(errno) : "ok");
	if (m != MAP_FAILED) {
		void *g = mremap(m, 4096, 2 * 4096, MREMAP_MAYMOVE);
		printf("grow locked: %s\n", g == MAP_FAILED ? en(errno) : "ok");
	}
	R("mlock2 bad flags", syscall(SYS_mlock2, p, 4096, 8));
	R("mlockall bad flags", mlockall(0));
}

static void
ipc(void)
{
	int q = msgget(IPC_PRIVATE, 0000);
	struct { long type; char text[8]; } msg = { 1, "hi" };
	struct msqid_ds ds;

	R("drop ipc_owner", drop_eff(CAP_IPC_OWNER));
	R("msgsnd mode 0", msgsnd(q, &msg, 3, 0));
	R("msgctl stat mode 0", msgctl(q, IPC_STAT, &ds));
	R("drop sys_resource", drop_eff(CAP_SYS_RESOURCE));
	msgctl(q, IPC_RMID, NULL);
	q = msgget(IPC_PRIVATE, 0600);
	msgctl(q, IPC_STAT, &ds);
	ds.msg_qbytes = 1 << 20;
	R("qbytes past msgmnb", msgctl(q, IPC_SET, &ds));
	msgctl(q, IPC_RMID, NULL);
}

static void
setuid_plain(void)
{
	R("setuid 1000", setuid(1000));
	show("after setuid");
	get_caps();
	d[0].effective |= 1u << CAP_SYS_ADMIN % 32;
	R("raise after setuid", set_caps());
}

static void
setuid_keep(void)
{
	R("keepcaps", prctl(PR_SET_KEEPCAPS, 1));
	R("setresuid 1000", setresuid(1000, 1000, 1000));
	show("kept");
	get_caps();
	d[CAP_SYS_ADMIN / 32].effective |= 1u << (CAP_SYS_ADMIN % 32);
	R("raise sys_admin from kept", set_caps());
	show("raised");
}

static void
euid_swap(void)
{
	R("seteuid 1000", seteuid(1000));
	show("euid 1000");
	R("seteuid 0", seteuid(0));
	show("euid 0 again");
}

static char *self;

static void
exec_root(void)
{
	R("drop sys_admin", drop_eff(CAP_SYS_ADMIN));
	fflush(stdout);
	execl(self, self, "show", (char *)NULL);
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	self = argv[0];
	if (argc > 1) {
		show("after exec");
		return 0;
	}
	if (geteuid() != 0) {
		printf("not root: nothing to check\n");
		return 0;
	}
	child(rules);
	child(sysadmin);
	child(resource);
	child(memlock);
	child(ipc);
	child(setuid_plain);
	child(setuid_keep);
	child(euid_swap);
	child(exec_root);
	return 0;
}
