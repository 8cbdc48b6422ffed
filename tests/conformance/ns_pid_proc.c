/* Pid namespaces and /proc: a proc mounted inside a new pid namespace lists only its
 * processes, by their numbers there (self, thread-self, status's NS* lines with one
 * number per level, stat); the outer /proc shows both levels; ns_last_pid is per
 * namespace and sets the next number; nsfs NS_GET_PARENT and NS_GET_*_PIDNS translate;
 * setns by pidfd into a child's pid namespace. Run as root. */
#include "cf.h"
#include <dirent.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define NSIO 0xb7
#define NS_GET_PARENT_ _IO(NSIO, 0x2)
#define NS_GET_PID_FROM_PIDNS_ _IOR(NSIO, 0x6, int)
#define NS_GET_PID_IN_PIDNS_ _IOR(NSIO, 0x8, int)

static void
show_line(const char *path, const char *key)
{
	char buf[4096];
	int fd = open(path, O_RDONLY);
	ssize_t r = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	if (fd >= 0)
		close(fd);
	buf[r > 0 ? r : 0] = 0;
	for (char *l = strtok(buf, "\n"); l; l = strtok(NULL, "\n"))
		if (!strncmp(l, key, strlen(key)) && l[strlen(key)] == ':')
			printf("%s: %s\n", path, l);
}

static void
list_pids(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0, first = 0;
	while (d && (e = readdir(d)))
		if (e->d_name[0] >= '1' && e->d_name[0] <= '9') {
			if (!n)
				first = atoi(e->d_name);
			n++;
		}
	if (d)
		closedir(d);
	printf("%s: %d pid entries, first %d\n", dir, n, first);
}

static void
read_int(const char *path)
{
	char buf[32] = { 0 };
	int fd = open(path, O_RDONLY);
	ssize_t r = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	if (fd >= 0)
		close(fd);
	printf("%s: %s", path, r > 0 ? buf : "(none)\n");
}

/* pid 1 of the new namespace, with its own mount namespace and proc at "p". */
static void
inside(int outer_pid_of_parent)
{
	char link[64] = { 0 };

	R("inside: mount proc", mount("proc", "p", "proc", 0, NULL));
	R("inside: readlink p/self", readlink("p/self", link, sizeof(link) - 1));
	printf("inside: p/self -> %s\n", link);
	memset(link, 0, sizeof(link));
	readlink("p/thread-self", link, sizeof(link) - 1);
	printf("inside: p/thread-self -> %s\n", link);
	(void)outer_pid_of_parent;
	R("inside: kill(50, 0)", kill(50, 0));
	R("inside: getppid", getppid());
	int gate[2];
	pipe(gate);
	pid_t k = fork();
	if (k == 0) {
		char c;
		close(gate[1]);
		read(gate[0], &c, 1);
		_exit(0);
	}
	list_pids("p");
	show_line("p/1/status", "Pid");
	show_line("p/1/status", "PPid");
	show_line("p/1/status", "NSpid");
	show_line("p/2/status", "NSpid");
	show_line("p/2/status", "PPid");
	show_line("p/self/status", "NStgid");
	read_int("p/sys/kernel/ns_last_pid");
	int fd = open("p/sys/kernel/ns_last_pid", O_WRONLY);
	R("inside: write ns_last_pid 99", write(fd, "99", 2));
	close(fd);
	read_int("p/sys/kernel/ns_last_pid");
	pid_t k2 = fork();
	if (k2 == 0)
		_exit(0);
	printf("inside: next fork got %d\n", k2);
	waitpid(k2, NULL, 0);
	int nsfd = open("p/self/ns/pid", O_RDONLY);
	R("inside: NS_GET_PARENT of its own", ioctl(nsfd, NS_GET_PARENT_));
	R("inside: NS_GET_PID_FROM_PIDNS 2", ioctl(nsfd, NS_GET_PID_FROM_PIDNS_, 2));
	close(nsfd);
	close(gate[1]);
	waitpid(k, NULL, 0);
	umount("p");
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
	mkdir("p", 0755);
	int me = getpid();
	R("unshare(CLONE_NEWPID | CLONE_NEWNS)", unshare(CLONE_NEWPID | CLONE_NEWNS));
	mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
	int gate[2], back[2];
	pipe(gate);
	pipe(back);
	pid_t k = fork();
	if (k == 0) {
		char c;
		close(gate[1]);
		close(back[0]);
		read(gate[0], &c, 1);
		inside(me);
		write(back[1], "d", 1);
		read(gate[0], &c, 1); /* until the parent looked from outside */
		_exit(0);
	}
	close(gate[0]);
	close(back[1]);
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/status", k);
	char c;
	write(gate[1], "g", 1);
	read(back[0], &c, 1);
	/* from outside: the outer numbers; NSpid has two */
	int nrs = 0;
	{
		char buf[4096];
		int fd = open(path, O_RDONLY);
		ssize_t r = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		buf[r > 0 ? r : 0] = 0;
		char *l = strstr(buf, "NSpid:");
		for (char *q = l; q && *q && *q != '\n'; q++)
			nrs += *q == '\t';
		char *last = l ? strchr(l, '\n') : NULL;
		while (last && last > l && last[-1] != '\t')
			last--;
		printf("outside: NSpid has %d numbers, the last %d\n", nrs, last ? atoi(last) : -1);
	}
	int pfd = syscall(SYS_pidfd_open, k, 0);
	int nsfd = open("/proc/self/ns/pid_for_children", O_RDONLY);
	R("outside: NS_GET_PID_IN_PIDNS of the child", ioctl(nsfd, NS_GET_PID_IN_PIDNS_, k));
	int parent = ioctl(nsfd, NS_GET_PARENT_);
	YN("outside: NS_GET_PARENT of the child's namespace gives a descriptor", parent >= 0);
	if (fork() == 0) {
		R("outside: setns(pidfd, CLONE_NEWPID)", setns(pfd, CLONE_NEWPID));
		pid_t g = fork();
		if (g == 0)
			_exit(getppid() == 0 ? 0 : 1);
		int st;
		waitpid(g, &st, 0);
		printf("outside: a child forked after setns has ppid 0 there: %d\n", WEXITSTATUS(st) == 0);
		_exit(0);
	}
	wait(NULL);
	write(gate[1], "g", 1);
	waitpid(k, NULL, 0);
	return 0;
}
