/*
 * The ambient capability set, the securebits and no_new_privs: PR_CAP_AMBIENT's operations
 * and their checks, the set shrinking with permitted and inheritable, its clearing when
 * root becomes another user, its survival over execve (which makes it permitted and
 * effective) unless a set-id program changes the ids, PR_SET_SECUREBITS' checks, and
 * no_new_privs as the guest's own flag (seccomp filters need it or CAP_SYS_ADMIN; a TSYNC
 * filter gives it to the other threads).
 */
#include "cf.h"
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <stdint.h>
#include <linux/securebits.h>
#include <grp.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#define BIT(c) (1ULL << (c))

static int
caps_get(uint64_t *eff, uint64_t *prm, uint64_t *inh)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d) < 0)
		return -1;
	*eff = d[0].effective | (uint64_t)d[1].effective << 32;
	*prm = d[0].permitted | (uint64_t)d[1].permitted << 32;
	*inh = d[0].inheritable | (uint64_t)d[1].inheritable << 32;
	return 0;
}

static int
caps_set(uint64_t eff, uint64_t prm, uint64_t inh)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = {
		{ (uint32_t)eff, (uint32_t)prm, (uint32_t)inh },
		{ (uint32_t)(eff >> 32), (uint32_t)(prm >> 32), (uint32_t)(inh >> 32) },
	};
	return (int)syscall(SYS_capset, &h, d);
}

static void
show(const char *label, int cap)
{
	uint64_t e = 0, p = 0, i = 0;

	caps_get(&e, &p, &i);
	printf("%s: eff %d prm %d inh %d amb %d\n", label, !!(e & BIT(cap)), !!(p & BIT(cap)),
	       !!(i & BIT(cap)), prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, cap, 0, 0));
}

static void
wait_child(pid_t p)
{
	int st;

	waitpid(p, &st, 0);
	printf("child: %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st));
}

/* A child as real uid 1000, effective 1001 (gid 1000), with CAP_NET_BIND_SERVICE in its
 * ambient set, execs a copy of this program owned by uid:gid with the set-id bits. */
static void
setid_exec(const char *self, const char *label, uid_t uid, gid_t gid, mode_t bits)
{
	uint64_t e, p, i;
	char buf[65536];
	ssize_t n;

	unlink("copy");
	int in = open("/proc/self/exe", O_RDONLY), out = open("copy", O_WRONLY | O_CREAT, 0755);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		write(out, buf, (size_t)n);
	close(in);
	close(out);
	chown("copy", uid, gid);
	chmod("copy", 0755 | bits);
	printf("%s:\n", label);
	pid_t c = fork();
	if (c == 0) {
		prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0);
		caps_get(&e, &p, &i);
		caps_set(e, p, i | BIT(CAP_NET_BIND_SERVICE));
		setresgid(1000, 1000, 1000);
		setgroups(0, NULL);
		setresuid(1000, 1001, 1000);
		R("raise", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_BIND_SERVICE, 0, 0));
		execl("copy", self, "after", (char *)NULL);
		printf("execl: %s\n", en(errno));
		_exit(1);
	}
	wait_child(c);
}

static struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
static struct sock_fprog prog = { 1, &allow };

static void *
tsync_thread(void *arg)
{
	(void)arg;
	R("thread: set no_new_privs", prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
	R("thread: TSYNC filter", syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
					  SECCOMP_FILTER_FLAG_TSYNC, &prog));
	return NULL;
}

int
main(int argc, char **argv)
{
	uint64_t e, p, i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1) {
		printf("after execve: euid %d egid %d\n", (int)geteuid(), (int)getegid()); /* after execve */
		show("after execve", CAP_NET_BIND_SERVICE);
		show("after execve (another)", CAP_NET_RAW);
		return 0;
	}
	cf_init();
	chmod(cf_dir, 0755); /* the copies run as uid 1000 */
	R("no_new_privs at start", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
	R("PR_GET_NO_NEW_PRIVS with an argument", prctl(PR_GET_NO_NEW_PRIVS, 1, 0, 0, 0));
	R("PR_SET_NO_NEW_PRIVS 2", prctl(PR_SET_NO_NEW_PRIVS, 2, 0, 0, 0));
	if (getuid() != 0 || prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 0) {
		printf("not root or no_new_privs already set: the rest needs a fresh root\n");
		return 0;
	}

	pid_t c = fork();
	if (c == 0) {
		caps_get(&e, &p, &i);
		caps_set(e & ~BIT(CAP_SYS_ADMIN), p, i);
		R("filter without no_new_privs or CAP_SYS_ADMIN",
		  prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0));
		pthread_t th;
		pthread_create(&th, NULL, tsync_thread, NULL);
		pthread_join(th, NULL);
		R("main thread: seccomp mode", prctl(PR_GET_SECCOMP, 0, 0, 0, 0));
		R("main thread: no_new_privs", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
		_exit(0);
	}
	wait_child(c);

	c = fork();
	if (c == 0) {
		R("clear all", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0));
		R("clear all with a cap", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 1, 0, 0));
		R("raise, not inheritable",
		  prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_BIND_SERVICE, 0, 0));
		R("is_set of cap 99", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, 99, 0, 0));
		R("unknown op", prctl(PR_CAP_AMBIENT, 99, CAP_NET_RAW, 0, 0));
		R("raise with a fourth argument",
		  prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_RAW, 1, 0));
		caps_get(&e, &p, &i);
		caps_set(e, p, i | BIT(CAP_NET_BIND_SERVICE) | BIT(CAP_NET_RAW));
		R("raise", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_BIND_SERVICE, 0, 0));
		R("raise another", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_RAW, 0, 0));
		show("raised", CAP_NET_BIND_SERVICE);
		R("lower", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_LOWER, CAP_NET_BIND_SERVICE, 0, 0));
		show("lowered", CAP_NET_BIND_SERVICE);
		caps_get(&e, &p, &i);
		caps_set(e, p, i & ~BIT(CAP_NET_RAW));
		show("inheritable dropped", CAP_NET_RAW);
		caps_set(e, p, i);
		R("raise again", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_RAW, 0, 0));
		caps_set(e & ~BIT(CAP_NET_RAW), p & ~BIT(CAP_NET_RAW), i);
		show("permitted dropped", CAP_NET_RAW);

		R("get securebits", prctl(PR_GET_SECUREBITS, 0, 0, 0, 0));
		R("unknown securebit", prctl(PR_SET_SECUREBITS, 1UL << 30, 0, 0, 0));
		R("set keep caps bit", prctl(PR_SET_SECUREBITS, SECBIT_KEEP_CAPS, 0, 0, 0));
		R("keepcaps", prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0));
		R("raise after", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_BIND_SERVICE,
					0, 0));
		R("setuid 1000", setuid(1000));
		show("after setuid with keep caps", CAP_NET_BIND_SERVICE);
		R("get securebits", prctl(PR_GET_SECUREBITS, 0, 0, 0, 0));
		R("set securebits without CAP_SETPCAP", prctl(PR_SET_SECUREBITS, 0, 0, 0, 0));
		R("raise as 1000",
		  prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_BIND_SERVICE, 0, 0));
		show("as 1000", CAP_NET_BIND_SERVICE);
		execl("/proc/self/exe", argv[0], "after", (char *)NULL);
		printf("execl: %s\n", en(errno));
		_exit(1);
	}
	wait_child(c);

	c = fork();
	if (c == 0) {
		caps_get(&e, &p, &i);
		caps_set(e, p, i | BIT(CAP_NET_BIND_SERVICE));
		prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_BIND_SERVICE, 0, 0);
		R("setuid 1000 without keep caps", setuid(1000));
		show("after", CAP_NET_BIND_SERVICE);
		_exit(0);
	}
	wait_child(c);

	/* Which execs cancel the ambient set: one that changes the effective uid, or gives
	 * an effective gid outside the caller's groups (a set-id program); not a plain
	 * program run with an effective uid other than the real one. */
	setid_exec(argv[0], "plain program, real 1000 effective 1001", 0, 0, 0);
	setid_exec(argv[0], "set-user-ID 1001", 1001, 0, S_ISUID);
	setid_exec(argv[0], "set-user-ID 1002", 1002, 0, S_ISUID);
	setid_exec(argv[0], "set-group-ID 1000 (the caller's)", 0, 1000, S_ISGID);
	setid_exec(argv[0], "set-group-ID 1003", 0, 1003, S_ISGID);
	return 0;
}
