/* The `sandbox` process's watch over a running sentry (sentry/monitor.c); main.c only. */
#pragma once
#include <sys/types.h>

struct mon_result {
	int status;              /* the sentry's wait status */
	int limit;               /* LIMIT_TIMEOUT or LIMIT_MEMORY when the monitor ended the
				  * run, else LIMIT_NONE */
	unsigned long rss_peak;  /* the highest guest memory the fence sampled, bytes */
	unsigned long long live_cpu_ns; /* CPU time of the live stubs at the last sample */
	int terminated;          /* a SIGTERM to `sandbox` was not obeyed: the monitor ended
				  * the run (see mon_note_term) */
};

/* Half the host's RAM: the --memory default, so that no run can exhaust the host. */
unsigned long mon_default_memory(void);
/* Before the sentry runs: a cgroup v2 with memory.max around it, where one can be made (a
 * second fence; a --debug line says why not). 0 / -errno (the run goes on without it). */
int mon_cgroup_setup(pid_t sentry_pid, unsigned long mem_limit);
/* Another child of ours that mon_wait reaps when it ends (an OCI container's start
 * waiter: no zombie for the container's whole life), and kills at the end of the run. */
void mon_reap_also(pid_t pid);
/* Waits for the sentry to end while enforcing --timeout (seconds, 0 = none) and the
 * resident-memory fence; fills *res. stop_sig 0: a limit kills the sentry (and with it every
 * guest) at once; otherwise the sentry gets stop_sig (it then kills the guests and sends
 * the change export) and SIGKILL only if it is not done MON_STOP_GRACE_S later. */
#define MON_STOP_GRACE_S 30
void mon_wait(pid_t sentry_pid, double timeout, int stop_sig, struct mon_result *res);
/* `sandbox` got SIGTERM (async-signal-safe; the signal itself went on to the first program).
 * The program may handle it, but a run told to terminate must end: if it is still going
 * MON_TERM_GRACE_S later, or a second SIGTERM comes (a second or more after the first),
 * mon_wait ends it as a limit would. */
#define MON_TERM_GRACE_S 10
void mon_note_term(void);
/* The host's /proc as a directory fd, once an OCI container's CLI has the container's
 * rootfs as its root (sentry/oci.c oci_enter_rootfs); read_small's "/proc/..." paths then
 * go through it. -1: the /proc of our root. */
extern int mon_proc_fd;
/* The cgroup v2 directory of pid (0: ours). 0 / -errno. */
int mon_cgroup_of(pid_t pid, char *out, size_t n);
/* After the run: reads the cgroup's OOM count (a kill there is a memory-limit end) and
 * removes it. */
void mon_cgroup_finish(struct mon_result *res);
