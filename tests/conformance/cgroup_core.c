/* cgroup v2 core files (natively: cgroup2 mounted again in a private mount namespace, a
 * fresh cgroup below the hierarchy's root or below this process's cgroup): the listing
 * and formats of a new cgroup, moving a process in and out, rmdir EBUSY (populated, with
 * children), cgroup.kill, cgroup.events with poll and inotify, max.depth and
 * max.descendants, and the write errors. Run as root. Not compared: the controllers a host
 * has (cgroup.controllers, cgroup.stat's nr_subsys_ lines) and pressure files (a kernel
 * without psi has none). */
#include "cf.h"
#include "cf_mount.h"
#include "cf_cgroup.h"
#include <dirent.h>
#include <poll.h>
#include <signal.h>
#include <sys/inotify.h>
#include <sys/statfs.h>
#include <sys/wait.h>

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The files of a new cgroup that every kernel with cgroup v2 has. */
static void
listing(void)
{
	DIR *d = opendir(cg);
	struct dirent *e;
	char *names[128];
	int n = 0;

	while (d && (e = readdir(d)) && n < 128) {
		if (strncmp(e->d_name, "cgroup.", 7) && strncmp(e->d_name, "cpu.stat", 8))
			continue;
		if (!strcmp(e->d_name, "cgroup.pressure"))
			continue;
		names[n++] = strdup(e->d_name);
		if (e->d_type != DT_REG)
			printf("%s not DT_REG\n", e->d_name);
	}
	if (d)
		closedir(d);
	qsort(names, n, sizeof(*names), cmp);
	for (int i = 0; i < n; i++) {
		struct stat st;
		char p[700];
		snprintf(p, sizeof(p), "%s/%s", cg, names[i]);
		stat(p, &st);
		printf("file %s %o size %ld\n", names[i], st.st_mode, (long)st.st_size);
	}
}

static bool
lists(const char *file, pid_t pid)
{
	char p[700], line[64];
	snprintf(p, sizeof(p), "%s/%s", cg, file);
	FILE *f = fopen(p, "r");
	bool found = false;
	while (f && fgets(line, sizeof(line), f))
		found |= atoi(line) == pid;
	if (f)
		fclose(f);
	return found;
}

static bool
proc_cgroup_ends(pid_t pid, const char *suffix)
{
	char p[64], line[512];
	snprintf(p, sizeof(p), "/proc/%d/cgroup", pid);
	FILE *f = fopen(p, "r");
	bool found = false;
	while (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		size_t n = strlen(line), s = strlen(suffix);
		if (!strncmp(line, "0::", 3) && n >= s && !strcmp(line + n - s, suffix))
			found = true;
	}
	if (f)
		fclose(f);
	return found;
}

static pid_t
sleeper(int *wfd)
{
	int p[2];
	if (pipe(p) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		close(p[1]);
		read(p[0], &c, 1);
		_exit(0);
	}
	close(p[0]);
	*wfd = p[1];
	return pid;
}

int
main(void)
{
	cf_init();
	if (!cf_own_mounts())
		return 0;
	cg_setup("cfcg");
	const char *name = strrchr(cg, '/') + 1;
	OK("mkdir", mkdir(cg, 0755));
	OK("mkdir again", mkdir(cg, 0755));
	struct stat st;
	struct statfs sf;
	statfs("cg", &sf);
	printf("f_type %lx\n", (long)sf.f_type);
	stat(cg, &st);
	printf("dir mode %o\n", st.st_mode);
	listing();
	show("type", cg, "cgroup.type");
	show("events", cg, "cgroup.events");
	show("procs", cg, "cgroup.procs");
	show("threads", cg, "cgroup.threads");
	show("subtree_control", cg, "cgroup.subtree_control");
	show("max.depth", cg, "cgroup.max.depth");
	show("max.descendants", cg, "cgroup.max.descendants");
	show("stat.local", cg, "cgroup.stat.local");
	show("kill read", cg, "cgroup.kill");
	char text[512];
	int fd = open(strcat(strcpy(text, cg), "/cgroup.stat"), O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, text, sizeof(text) - 1) : -1;
	text[n > 0 ? n : 0] = 0;
	YN("stat nr_descendants 0", strstr(text, "nr_descendants 0\n") == text);
	YN("stat nr_dying_descendants 0", strstr(text, "\nnr_dying_descendants 0\n") != NULL);
	close(fd);
	fd = open(strcat(strcpy(text, cg), "/cpu.stat"), O_RDONLY);
	n = fd >= 0 ? read(fd, text, sizeof(text) - 1) : -1;
	text[n > 0 ? n : 0] = 0;
	YN("cpu.stat starts usage_usec 0", !strncmp(text, "usage_usec 0\nuser_usec 0\nsystem_usec 0\n", 38));
	close(fd);

	/* errors */
	OK("procs abc", put("cgroup.procs", "abc"));
	OK("procs -1", put("cgroup.procs", "-1"));
	OK("procs 2^31", put("cgroup.procs", "2147483648"));
	OK("procs none", put("cgroup.procs", "99999999"));
	OK("type domain", put("cgroup.type", "domain"));
	OK("type junk", put("cgroup.type", "junk"));
	OK("max.depth -1", put("cgroup.max.depth", "-1"));
	OK("max.depth huge", put("cgroup.max.depth", "99999999999"));
	OK("max.depth abc", put("cgroup.max.depth", "abc"));
	OK("subtree +foo", put("cgroup.subtree_control", "+foo"));
	OK("subtree memory", put("cgroup.subtree_control", "memory"));
	OK("subtree +cpu", put("cgroup.subtree_control", "+cpu"));
	OK("subtree -cpu", put("cgroup.subtree_control", "-cpu"));
	OK("subtree empty", put("cgroup.subtree_control", "\n"));
	OK("kill 2", put("cgroup.kill", "2"));
	OK("kill abc", put("cgroup.kill", "abc"));
	OK("controllers write", put("cgroup.controllers", "x"));
	OK("events write", put("cgroup.events", "x"));
	OK("unlink file", unlink(strcat(strcpy(text, cg), "/cgroup.procs")));
	OK("create file", open(strcat(strcpy(text, cg), "/newfile"), O_CREAT | O_WRONLY, 0644));
	OK("mkdir newline", mkdir(strcat(strcpy(text, cg), "/a\nb"), 0755));

	/* moving a process in: cgroup.procs, /proc/PID/cgroup, populated */
	int wfd;
	pid_t pid = sleeper(&wfd);
	char num[32];
	snprintf(num, sizeof(num), "%d\n", pid);
	int ifd = inotify_init1(IN_NONBLOCK);
	inotify_add_watch(ifd, strcat(strcpy(text, cg), "/cgroup.events"), IN_MODIFY);
	int efd = open(text, O_RDONLY);
	read(efd, text, sizeof(text));
	struct pollfd pfd = { .fd = efd, .events = POLLPRI };
	R("poll before", poll(&pfd, 1, 0));
	OK("move in", put("cgroup.procs", num));
	YN("listed in procs", lists("cgroup.procs", pid));
	YN("listed in threads", lists("cgroup.threads", pid));
	YN("proc cgroup", proc_cgroup_ends(pid, name));
	show("events populated", cg, "cgroup.events");
	pfd.revents = 0;
	R("poll after", poll(&pfd, 1, 0));
	printf("revents %x\n", pfd.revents);
	struct inotify_event ev[8];
	/* (Linux queues inotify's event to a worker: it may come a moment after poll's) */
	struct pollfd ip = { .fd = ifd, .events = POLLIN };
	poll(&ip, 1, 10000);
	YN("inotify IN_MODIFY", read(ifd, ev, sizeof(ev)) > 0 && (ev[0].mask & IN_MODIFY));
	lseek(efd, 0, SEEK_SET);
	read(efd, text, sizeof(text));
	pfd.revents = 0;
	R("poll after read", poll(&pfd, 1, 0));
	OK("move in again", put("cgroup.procs", num));
	OK("threads same cgroup", put("cgroup.threads", num));
	OK("rmdir populated", rmdir(cg));
	/* the opener's credentials decide a move (Linux 5.16: the file's f_cred): opened by
	 * nobody, written by root, with the common ancestor's cgroup.procs root's */
	char parent_procs[700];
	snprintf(parent_procs, sizeof(parent_procs), "%s", cg);
	*strrchr(parent_procs, '/') = 0;
	char sib[700];
	snprintf(sib, sizeof(sib), "%s/cfsib%d", parent_procs, getpid());
	OK("mkdir sibling", mkdir(sib, 0755));
	strcat(sib, "/cgroup.procs");
	OK("chown sibling procs", chown(sib, 65534, -1));
	OK("chown procs", chown(strcat(strcpy(text, cg), "/cgroup.procs"), 65534, -1));
	chmod(cf_dir, 0755); /* (nobody walks to it) */
	OK("seteuid nobody", seteuid(65534));
	int nfd = FD("open as nobody", open(sib, O_WRONLY));
	OK("seteuid root", seteuid(0));
	R("move opened by nobody", write(nfd, num, strlen(num)));
	close(nfd);
	nfd = open(sib, O_WRONLY);
	R("move opened by root", write(nfd, num, strlen(num)) > 0);
	close(nfd);
	OK("move back", put("cgroup.procs", num));
	*strrchr(sib, '/') = 0;
	OK("rmdir sibling", rmdir(sib));

	/* children: EBUSY; max.depth and max.descendants */
	char sub[700];
	snprintf(sub, sizeof(sub), "%s/sub", cg);
	OK("mkdir sub", mkdir(sub, 0755));
	OK("rmdir with child", rmdir(cg));
	OK("threads other cgroup", put("cgroup.threads", num));
	fd = open(strcat(strcpy(text, cg), "/cgroup.stat"), O_RDONLY);
	n = fd >= 0 ? read(fd, text, sizeof(text) - 1) : -1;
	text[n > 0 ? n : 0] = 0;
	YN("stat nr_descendants 1", strstr(text, "nr_descendants 1\n") == text);
	close(fd);
	OK("rmdir sub", rmdir(sub));
	OK("max.depth 0", put("cgroup.max.depth", "0"));
	show("max.depth now", cg, "cgroup.max.depth");
	OK("mkdir past depth", mkdir(sub, 0755));
	OK("max.depth max", put("cgroup.max.depth", "max"));
	OK("max.descendants 1", put("cgroup.max.descendants", " 1\n"));
	OK("mkdir sub", mkdir(sub, 0755));
	OK("mkdir second", mkdir(strcat(strcpy(text, cg), "/sub2"), 0755));
	OK("rmdir sub", rmdir(sub));
	OK("max.descendants 0x10", put("cgroup.max.descendants", "0x10"));
	show("max.descendants now", cg, "cgroup.max.descendants");

	/* cgroup.kill */
	OK("kill 1", put("cgroup.kill", "1"));
	int status;
	R("waitpid", waitpid(pid, &status, 0) == pid);
	YN("killed by SIGKILL", WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	close(wfd);
	show("events after kill", cg, "cgroup.events");
	/* (Linux sends these at most every 10 ms: a later one may come a moment after) */
	pfd.revents = 0;
	R("poll after kill", poll(&pfd, 1, 10000));
	show("procs after kill", cg, "cgroup.procs");

	/* out again: a process moved back to the parent */
	pid = sleeper(&wfd);
	snprintf(num, sizeof(num), "%d", pid);
	OK("move in", put("cgroup.procs", num));
	char parent[700];
	snprintf(parent, sizeof(parent), "%s/cgroup.procs", cg);
	*strrchr(parent, '/') = 0;
	*strrchr(parent, '/') = 0;
	strcat(parent, "/cgroup.procs");
	fd = open(parent, O_WRONLY);
	YN("move out", write(fd, num, strlen(num)) == (ssize_t)strlen(num));
	close(fd);
	YN("gone from procs", !lists("cgroup.procs", pid));
	close(wfd);
	waitpid(pid, &status, 0);
	OK("rmdir", rmdir(cg));
	OK("rmdir again", rmdir(cg));
	close(efd);
	close(ifd);
	OK("umount", umount("cg"));
	return 0;
}
