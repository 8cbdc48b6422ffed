/*
 * treerss PROGRAM [ARGS...]: runs PROGRAM (stdout to /dev/null) and, every 50 ms until it exits,
 * walks /proc for its whole process tree and records each process's VmHWM/VmRSS, name, depth
 * and pid-namespace nesting. PROGRAM should stay alive for a while (hello 1). Prints one
 * `proc` line per process and then a summary:
 *   treerss: procs=4 guest_hwm_kb=N tool_hwm_max_kb=N tool_rss_sum_kb=N sentry_hwm_kb=N status=0
 * guest = the deepest process(es) of the tree (the program itself); tool = everything else.
 * sentry = a non-root process that is pid 1 of a new pid namespace (last NSpid field is 1),
 * -1 if there is none.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_PROCS 64

struct proc {
	int pid, ppid, depth, nspid_last, nspid_levels;
	long hwm_kb, rss_kb;
	char name[32];
};

static struct proc procs[MAX_PROCS];
static int nprocs;

static struct proc *
find_proc(int pid)
{
	for (int i = 0; i < nprocs; i++)
		if (procs[i].pid == pid)
			return &procs[i];
	return NULL;
}

/* Reads /proc/PID/status into p (keeps the largest VmHWM seen). Returns 0 or -1. */
static int
read_status(int pid, struct proc *p)
{
	char path[64], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		long v;
		if (!strncmp(line, "Name:\t", 6)) {
			line[strcspn(line, "\n")] = 0;
			snprintf(p->name, sizeof(p->name), "%.31s", line + 6);
		} else if (!strncmp(line, "PPid:", 5)) {
			p->ppid = atoi(line + 5);
		} else if (sscanf(line, "VmHWM: %ld", &v) == 1) {
			if (v > p->hwm_kb)
				p->hwm_kb = v;
		} else if (sscanf(line, "VmRSS: %ld", &v) == 1) {
			p->rss_kb = v;
		} else if (!strncmp(line, "NSpid:", 6)) {
			char *s = line + 6, *end;
			p->nspid_levels = 0;
			for (long x = strtol(s, &end, 10); end != s; x = strtol(s, &end, 10)) {
				p->nspid_last = (int)x;
				p->nspid_levels++;
				s = end;
			}
		}
	}
	fclose(f);
	return 0;
}

/* One pass over /proc: records every live descendant of root (and root itself). */
static void
sample(int root)
{
	int added;

	do {
		DIR *d = opendir("/proc");
		struct dirent *de;

		added = 0;
		if (!d)
			return;
		while ((de = readdir(d))) {
			int pid = atoi(de->d_name), ppid = 0;
			char path[64], buf[512], *rp;
			FILE *f;
			if (pid <= 0)
				continue;
			snprintf(path, sizeof(path), "/proc/%d/stat", pid);
			f = fopen(path, "re");
			if (!f)
				continue;
			if (fgets(buf, sizeof(buf), f) && (rp = strrchr(buf, ')')))
				sscanf(rp + 1, " %*c %d", &ppid);
			fclose(f);
			struct proc *parent = find_proc(ppid), *p = find_proc(pid);
			if (pid != root && !parent)
				continue;
			if (!p) {
				if (nprocs == MAX_PROCS)
					continue;
				p = &procs[nprocs++];
				memset(p, 0, sizeof(*p));
				p->pid = pid;
				p->depth = parent ? parent->depth + 1 : 0;
				added = 1;
			}
			read_status(pid, p);
		}
		closedir(d);
	} while (added);        /* a child listed before its parent is picked up next pass */
}

int
main(int argc, char **argv)
{
	int status = 0, maxdepth = 0, nchild_of[MAX_PROCS] = { 0 };
	long guest_hwm = 0, tool_hwm_max = 0, tool_rss_sum = 0, sentry_hwm = -1;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: treerss PROGRAM [ARGS...]\n");
		return 2;
	}
	pid = fork();
	if (pid < 0)
		return 125;
	if (pid == 0) {
		int fd = open("/dev/null", O_RDWR);
		if (fd >= 0)
			dup2(fd, STDOUT_FILENO);
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	for (;;) {
		struct timespec ts = { 0, 50 * 1000 * 1000 };
		nanosleep(&ts, NULL);
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		sample(pid);
	}
	for (int i = 0; i < nprocs; i++) {
		if (procs[i].depth > maxdepth)
			maxdepth = procs[i].depth;
		for (int j = 0; j < nprocs; j++)
			if (procs[j].ppid == procs[i].pid)
				nchild_of[i]++;
	}
	for (int i = 0; i < nprocs; i++) {
		struct proc *p = &procs[i];
		int guest = p->depth == maxdepth;
		printf("proc pid=%d ppid=%d depth=%d name=%s children=%d nspid_levels=%d nspid=%d "
		       "hwm_kb=%ld rss_kb=%ld role=%s\n", p->pid, p->ppid, p->depth, p->name,
		       nchild_of[i], p->nspid_levels, p->nspid_last, p->hwm_kb, p->rss_kb,
		       guest ? "guest" : "tool");
		if (guest) {
			if (p->hwm_kb > guest_hwm)
				guest_hwm = p->hwm_kb;
			continue;
		}
		if (p->hwm_kb > tool_hwm_max)
			tool_hwm_max = p->hwm_kb;
		tool_rss_sum += p->rss_kb;
		if (p->depth > 0 && p->nspid_levels > 1 && p->nspid_last == 1)
			sentry_hwm = p->hwm_kb;
	}
	printf("treerss: procs=%d guest_hwm_kb=%ld tool_hwm_max_kb=%ld tool_rss_sum_kb=%ld "
	       "sentry_hwm_kb=%ld status=%d\n", nprocs, guest_hwm, tool_hwm_max, tool_rss_sum,
	       sentry_hwm, WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return 0;
}
