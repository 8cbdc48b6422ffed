/*
 * The `sandbox` process watches the sentry it started (runs on the host, unconfined):
 *
 * - --timeout: past it, the sentry is killed; it is pid 1 of the guests' pid namespace, so
 *   every guest goes with it.
 * - The resident-memory fence behind --memory. The sentry charges every mapping when it is
 *   made, but some memory is touched where it cannot see: MAP_NORESERVE mappings and stack
 *   growth. Every MON_SAMPLE_MS the monitor adds up the private resident memory of every
 *   stub (statm: resident - shared) and the memory the sentry holds for guests; past the
 *   limit, the run ends with the memory-limit result.
 * - cgroup v2, where a writable one with the memory controller is delegated to us: the
 *   sentry and its stubs go into a child cgroup with memory.max, and an OOM kill there also
 *   ends the run with the memory-limit result. Elsewhere (cgroup v1, hybrid, no delegation)
 *   a --debug line says why it is skipped; the sentry's accounting holds everywhere.
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>

#include "sentry/monitor.h"
#include "sentry/sentry.h"

#define MON_SAMPLE_MS 100
/* What the fence allows above the limit: the stubs' own pages and page-table noise. */
#define MON_SLACK (8UL << 20)
#define MON_SLACK_PER_STUB (64UL << 10)
/* cgroup memory.max: the limit plus room for the sentry itself and page cache. */
#define MON_CGROUP_SLACK (64UL << 20)

static char cgroup_dir[PATH_MAX];

unsigned long
mon_default_memory(void)
{
	struct sysinfo si;

	if (sysinfo(&si) < 0 || !si.mem_unit)
		return 4UL << 30;
	return PAGE_DOWN((unsigned long)si.totalram * si.mem_unit / 2);
}

int mon_proc_fd = -1;

ssize_t
read_small(const char *path, char *buf, size_t n)
{
	int fd = mon_proc_fd >= 0 && !strncmp(path, "/proc/", 6)
		 ? openat(mon_proc_fd, path + 6, O_RDONLY | O_CLOEXEC)
		 : open(path, O_RDONLY | O_CLOEXEC);
	ssize_t len = 0, r;

	if (fd < 0)
		return -errno;
	while (len < (ssize_t)n - 1 && (r = read(fd, buf + len, n - 1 - len)) > 0)
		len += r;
	close(fd);
	buf[len] = '\0';
	return len;
}

int
write_small(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	int err = write_all(fd, text, strlen(text));
	close(fd);
	return err;
}

/* ---- the resident-memory fence ---- */

/* Private resident bytes of one stub: statm's resident minus shared (file and shmem). */
static unsigned long
stub_private_rss(const char *pid)
{
	char path[64], buf[256];
	unsigned long size, resident, shared;

	snprintf(path, sizeof(path), "/proc/%s/statm", pid);
	if (read_small(path, buf, sizeof(buf)) <= 0 ||
	    sscanf(buf, "%lu %lu %lu", &size, &resident, &shared) != 3 || resident < shared)
		return 0;
	return (resident - shared) * PAGE_SIZE;
}

/* CPU time (user + system) of one stub process, ns; 0 when unreadable. */
static unsigned long long
stub_cpu_ns(const char *pid)
{
	char path[64], buf[1024], *p;
	unsigned long ut, st;
	static long hz;

	if (!hz)
		hz = sysconf(_SC_CLK_TCK) > 0 ? sysconf(_SC_CLK_TCK) : 100;
	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	if (read_small(path, buf, sizeof(buf)) <= 0 || !(p = strrchr(buf, ')')) ||
	    sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
		return 0;
	return (ut + st) * (1000000000ULL / hz);
}

/* Guest memory as resident now: every stub (a child of the sentry) and what the sentry holds
 * for guests. *nstubs: how many stubs were counted. Also samples their CPU time. */
static unsigned long
sample_guest_memory(pid_t spid, int *nstubs, unsigned long long *cpu_ns)
{
	char path[64], buf[65536];
	unsigned long sum = limit_report ? limit_report->mem_held : 0;

	*nstubs = 0;
	*cpu_ns = 0;
	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", spid, spid);
	if (read_small(path, buf, sizeof(buf)) < 0)
		return sum;
	for (char *save = NULL, *p = strtok_r(buf, " \n", &save); p; p = strtok_r(NULL, " \n", &save)) {
		sum += stub_private_rss(p);
		*cpu_ns += stub_cpu_ns(p);
		(*nstubs)++;
	}
	return sum;
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* The fence: true when guest memory is past the limit (the caller ends the run). */
static bool
fence_check(pid_t spid, struct mon_result *res)
{
	unsigned long limit = limit_report ? limit_report->mem_limit : 0;
	int nstubs;

	if (!limit)
		return false;
	unsigned long used = sample_guest_memory(spid, &nstubs, &res->live_cpu_ns);
	res->rss_peak = MAX(res->rss_peak, used);
	if (used <= limit + MON_SLACK + nstubs * MON_SLACK_PER_STUB)
		return false;
	log_debug("memory fence: %lu bytes resident in %d stubs, limit %lu", used, nstubs, limit);
	return true;
}

/* 1 after a SIGTERM, 2 after another one at least a second later (`timeout` sends two at
 * once: one to its child, one to its process group). */
static volatile sig_atomic_t term_requests;
static long long first_term_ms;

void
mon_note_term(void)
{
	long long now = now_ms();

	if (!term_requests) {
		first_term_ms = now;
		term_requests = 1;
	} else if (now - first_term_ms >= 1000) {
		term_requests = 2;
	}
}

/* Ends the run: at once, or by stop_sig with SIGKILL MON_STOP_GRACE_S later (*kill_at). */
static void
end_run(pid_t spid, int stop_sig, long long now, long long *kill_at)
{
	if (stop_sig) {
		kill(spid, stop_sig);
		*kill_at = now + MON_STOP_GRACE_S * 1000LL;
	} else {
		kill(spid, SIGKILL);
	}
}

static pid_t also_reap = -1;

void
mon_reap_also(pid_t pid)
{
	also_reap = pid;
}

void
mon_wait(pid_t spid, double timeout, int stop_sig, struct mon_result *res)
{
	long long deadline = timeout > 0 ? now_ms() + (long long)(timeout * 1000 + 0.999) : 0;
	long long kill_at = 0;   /* after a stop signal: when SIGKILL follows */
	long long term_at = 0;   /* after a SIGTERM: when the run is ended for it */
	int pidfd = (int)syscall(SYS_pidfd_open, spid, 0);
	bool first = true; /* nothing to sample yet: the guest is only being made */

	memset(res, 0, sizeof(*res));
	for (;; first = false) {
		pid_t r = waitpid(spid, &res->status, WNOHANG);
		if (r == spid)
			break;
		if (also_reap > 0 && waitpid(also_reap, NULL, WNOHANG) == also_reap)
			also_reap = -1;
		if (r < 0 && errno != EINTR)
			die(EXIT_SETUP, "waiting for the sentry: %s", strerror(errno));
		long long now = now_ms(), wait = MON_SAMPLE_MS;
		bool ending = res->limit != LIMIT_NONE || res->terminated;
		int limit = LIMIT_NONE;
		if (term_requests && !term_at)
			term_at = now + MON_TERM_GRACE_S * 1000LL;
		if (deadline && now >= deadline && !ending)
			limit = LIMIT_TIMEOUT;
		else if (!ending && !first && fence_check(spid, res))
			limit = LIMIT_MEMORY;
		if (limit != LIMIT_NONE) {
			res->limit = limit;
			end_run(spid, stop_sig, now, &kill_at);
		} else if (!ending && term_at && (now >= term_at || term_requests > 1)) {
			if (term_requests > 1)
				fprintf(stderr, "sandbox: a second SIGTERM: every guest process "
					"was killed\n");
			else
				fprintf(stderr, "sandbox: the program did not end within %ds of "
					"SIGTERM: every guest process was killed\n",
					MON_TERM_GRACE_S);
			res->terminated = 1;
			end_run(spid, stop_sig, now, &kill_at);
		}
		if (kill_at && now >= kill_at) {
			fprintf(stderr, "sandbox: the sandbox did not finish %ds after it was told to "
				"stop: killing it\n", MON_STOP_GRACE_S);
			kill(spid, SIGKILL);
			kill_at = 0;
		}
		if (deadline && res->limit == LIMIT_NONE)
			wait = MIN(wait, MAX(deadline - now, 1));
		if (term_at && !res->terminated)
			wait = MIN(wait, MAX(term_at - now, 1));
		if (pidfd >= 0) {
			struct pollfd p = { .fd = pidfd, .events = POLLIN };
			poll(&p, 1, (int)wait); /* EINTR: a signal was relayed; look again */
		} else {
			struct timespec ts = { wait / 1000, (wait % 1000) * 1000000 };
			nanosleep(&ts, NULL);
		}
	}
	if (pidfd >= 0)
		close(pidfd);
	if (also_reap > 0) {
		kill(also_reap, SIGKILL);
		waitpid(also_reap, NULL, 0);
		also_reap = -1;
	}
}

/* ---- cgroup v2 ---- */

/* Where the cgroup2 hierarchy is mounted, from mountinfo; 0 / -ENOENT. */
static int
cgroup2_mount(char *out, size_t n)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096];
	int err = -ENOENT;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char mnt[PATH_MAX];
		char *sep = strstr(line, " - ");
		if (!sep || strncmp(sep + 3, "cgroup2 ", 8))
			continue;
		if (sscanf(line, "%*s %*s %*s %*s %4095s", mnt) == 1) {
			snprintf(out, n, "%s", mnt);
			err = 0;
			break;
		}
	}
	fclose(f);
	return err;
}

/* The cgroup v2 directory of pid (0: ours): mount point + the "0::" path of its
 * /proc/PID/cgroup. */
static int
pid_cgroup(pid_t pid, char *out, size_t n, const char **why)
{
	char mnt[PATH_MAX], buf[4096], file[64], *p;

	if (cgroup2_mount(mnt, sizeof(mnt)) < 0) {
		*why = "no cgroup2 hierarchy is mounted";
		return -ENOENT;
	}
	snprintf(file, sizeof(file), pid ? "/proc/%d/cgroup" : "/proc/self/cgroup", (int)pid);
	if (read_small(file, buf, sizeof(buf)) < 0 ||
	    !(p = !strncmp(buf, "0::", 3) ? buf : strstr(buf, "\n0::"))) {
		*why = "this process has no cgroup v2 path";
		return -ENOENT;
	}
	p += *p == '\n';
	p += 3;
	p[strcspn(p, "\n")] = '\0';
	if ((size_t)snprintf(out, n, "%s%s", mnt, strcmp(p, "/") ? p : "") >= n)
		return -ENAMETOOLONG;
	return 0;
}

int
mon_cgroup_of(pid_t pid, char *out, size_t n)
{
	const char *why;

	return pid_cgroup(pid, out, n, &why);
}

static bool
has_word(const char *list, const char *word)
{
	size_t len = strlen(word);

	for (const char *p = list; (p = strstr(p, word)); p += len)
		if ((p == list || p[-1] == ' ') && (p[len] == ' ' || p[len] == '\n' || !p[len]))
			return true;
	return false;
}

int
mon_cgroup_setup(pid_t spid, unsigned long mem_limit)
{
	char dir[PATH_MAX], path[PATH_MAX + 64], buf[512];
	const char *why = NULL;
	int err;

	if (!mem_limit)
		return 0;
	err = pid_cgroup(0, dir, sizeof(dir), &why);
	if (!err) {
		snprintf(path, sizeof(path), "%s/cgroup.controllers", dir);
		if (read_small(path, buf, sizeof(buf)) < 0 || !has_word(buf, "memory")) {
			why = "the memory controller is not enabled for cgroup v2 here (cgroup v1 or hybrid)";
			err = -EOPNOTSUPP;
		}
	}
	if (!err) {
		snprintf(path, sizeof(path), "%s/cgroup.subtree_control", dir);
		if (read_small(path, buf, sizeof(buf)) < 0 ||
		    (!has_word(buf, "memory") && write_small(path, "+memory") < 0)) {
			why = "the memory controller is not delegated to this cgroup";
			err = -EACCES;
		}
	}
	if (!err) {
		snprintf(cgroup_dir, sizeof(cgroup_dir), "%.*s/sandbox-%d", PATH_MAX - 32, dir,
			 (int)getpid());
		if (mkdir(cgroup_dir, 0755) < 0) {
			why = "cannot create a child cgroup";
			err = -errno;
			cgroup_dir[0] = '\0';
		}
	}
	if (!err) {
		snprintf(path, sizeof(path), "%s/memory.max", cgroup_dir);
		snprintf(buf, sizeof(buf), "%lu\n", mem_limit + MON_CGROUP_SLACK);
		err = write_small(path, buf);
		snprintf(path, sizeof(path), "%s/memory.swap.max", cgroup_dir);
		write_small(path, "0\n");
		/* an OOM kill takes the sentry and every stub at once: the run ends */
		snprintf(path, sizeof(path), "%s/memory.oom.group", cgroup_dir);
		write_small(path, "1\n");
		snprintf(path, sizeof(path), "%s/cgroup.procs", cgroup_dir);
		snprintf(buf, sizeof(buf), "%d\n", (int)spid);
		if (!err)
			err = write_small(path, buf);
		if (err) {
			why = "cannot set memory.max or move the sentry into the child cgroup";
			rmdir(cgroup_dir);
			cgroup_dir[0] = '\0';
		}
	}
	if (err)
		log_debug("cgroup v2 memory fence skipped: %s (%s); the sentry's own accounting "
			  "still holds", why ? why : "error", strerror(-err));
	else
		log_debug("cgroup v2 memory fence: %s, memory.max %lu", cgroup_dir,
			  mem_limit + MON_CGROUP_SLACK);
	return err;
}

void
mon_cgroup_finish(struct mon_result *res)
{
	char path[PATH_MAX + 32], buf[1024];

	if (!cgroup_dir[0])
		return;
	snprintf(path, sizeof(path), "%s/memory.events", cgroup_dir);
	if (read_small(path, buf, sizeof(buf)) > 0) {
		const char *p = strstr(buf, "oom_kill ");
		if (p && strtoul(p + 9, NULL, 10) > 0 && res->limit == LIMIT_NONE)
			res->limit = LIMIT_MEMORY;
	}
	snprintf(path, sizeof(path), "%s/memory.peak", cgroup_dir);
	if (read_small(path, buf, sizeof(buf)) > 0)
		log_debug("cgroup memory.peak: %s", buf);
	/* The last stubs may still be leaving: give the kernel a moment. */
	for (int i = 0; i < 50 && rmdir(cgroup_dir) < 0 && errno == EBUSY; i++)
		usleep(2000);
	cgroup_dir[0] = '\0';
}
