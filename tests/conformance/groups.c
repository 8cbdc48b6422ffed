/* Supplementary groups: setgroups (as root) keeps them sorted for getgroups, children
 * inherit them, /proc/self/status lists them, and they grant group permissions. Also the
 * SigBlk, SigIgn and SigCgt masks of /proc/self/status. */
#include "cf.h"
#include <grp.h>
#include <signal.h>
#include <sys/wait.h>

static void
status_lines(const char *who)
{
	char buf[8192], *l, *save;
	int fd = open("/proc/self/status", O_RDONLY);
	ssize_t n = read(fd, buf, sizeof(buf) - 1);

	close(fd);
	buf[n > 0 ? n : 0] = 0;
	for (l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(l, "Groups:", 7))
			printf("%s %s\n", who, l);
		/* signals 1-31 only: what the harness leaves ignored above them may differ */
		if (!strncmp(l, "SigBlk:", 7) || !strncmp(l, "SigIgn:", 7) ||
		    !strncmp(l, "SigCgt:", 7))
			printf("%s %.7s %08lx\n", who, l, strtoul(l + 8, NULL, 16) & 0x7fffffffUL);
	}
}

static void
show(const char *label)
{
	gid_t g[64];
	int n = getgroups(64, g);

	printf("%s: %d:", label, n);
	for (int i = 0; i < n; i++)
		printf(" %u", g[i]);
	printf("\n");
}

static void h(int s) { (void)s; }

int
main(void)
{
	gid_t set[] = { 77, 5, 1234, 5 }, g[8];
	int st;

	cf_init();
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (int s = 1; s < 32; s++)
		if (s != SIGKILL && s != SIGSTOP)
			signal(s, SIG_DFL);
	if (geteuid() != 0) {
		R("setgroups as non-root", setgroups(1, set));
		return 0;
	}
	R("setgroups", setgroups(4, set));
	show("getgroups");
	R("getgroups(0)", getgroups(0, NULL));
	R("getgroups too small", getgroups(2, g));
	R("setgroups negative", setgroups(-1, set));
	R("setgroups huge", setgroups(70000, set));
	R("setgroups bad pointer", syscall(SYS_setgroups, 2, (void *)8));
	show("after failures");
	status_lines("parent");
	if (fork() == 0) {
		show("child");
		_exit(0);
	}
	wait(&st);

	/* group permission through a supplementary group only */
	chmod(".", 0755);
	cf_write_file("g1234", "x", 1);
	cf_write_file("g99", "x", 1);
	OK("chown g1234", chown("g1234", 4000, 1234));
	OK("chown g99", chown("g99", 4000, 99));
	chmod("g1234", 0040);
	chmod("g99", 0040);
	OK("seteuid 4321", setresuid(-1, 4321, -1));
	FD("open via supplementary group", open("g1234", O_RDONLY));
	FD("open, group not ours", open("g99", O_RDONLY));
	R("setgroups as euid 4321", setgroups(1, set));
	OK("seteuid 0", setresuid(-1, 0, -1));
	R("setgroups empty", setgroups(0, NULL));
	show("empty");
	status_lines("empty");

	struct sigaction sa = { 0 };
	sa.sa_handler = h;
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGHUP, SIG_IGN);
	sigset_t m;
	sigemptyset(&m);
	sigaddset(&m, SIGUSR2);
	sigprocmask(SIG_BLOCK, &m, NULL);
	status_lines("signals");
	return 0;
}
