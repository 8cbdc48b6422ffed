/*
 * Limits the sentry enforces itself: --memory (one budget for every guest mapping and the
 * memory the sentry holds for guests) and --cpu-time (the CPU time of every guest process,
 * live and gone). Counters live in a page shared with the `sandbox` process, which reports
 * them and keeps its own fences (sentry/monitor.c).
 */
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>

#include "platform/platform.h"
#include "sentry/sentry.h"

struct limit_report *limit_report;

/* --cpu-time is checked at least this often, and more often as the end nears. */
#define CPU_CHECK_MAX_NS 100000000LL
#define CPU_CHECK_MIN_NS 2000000LL
static long long next_cpu_check;

void
limits_init(unsigned long mem_limit, unsigned long long cpu_limit_ns)
{
	limit_report = mmap(NULL, sizeof(*limit_report), PROT_READ | PROT_WRITE,
			    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (limit_report == MAP_FAILED)
		die(EXIT_SETUP, "mmap: %m");
	limit_report->mem_limit = mem_limit;
	limit_report->cpu_limit_ns = cpu_limit_ns;
}

bool
mem_fits_credit(unsigned long bytes, unsigned long credit)
{
	const struct limit_report *r = limit_report;

	return !r || !r->mem_limit || r->oom_kill || r->mem_charged + bytes <= r->mem_limit + credit;
}

bool
mem_fits(unsigned long bytes)
{
	return mem_fits_credit(bytes, 0);
}

static void
account(long delta)
{
	struct limit_report *r = limit_report;

	if (!r)
		return;
	if (delta < 0 && (unsigned long)-delta > r->mem_charged)
		delta = -(long)r->mem_charged;
	r->mem_charged += delta;
	r->mem_peak = MAX(r->mem_peak, r->mem_charged);
}

void
mem_map_charge(long delta)
{
	account(delta);
}

void
mem_charge_force(unsigned long bytes)
{
	account(bytes);
	if (limit_report)
		limit_report->mem_held += bytes;
}

int
mem_charge(unsigned long bytes)
{
	const struct limit_report *r = limit_report;

	/* where the cgroup's OOM killer keeps the guests' memory, what the sentry holds keeps
	 * to the limit itself (killing a guest would not give it back) */
	if (r && r->oom_kill ? r->mem_held + bytes > r->mem_limit : !mem_fits(bytes)) {
		limit_refused(LIMIT_MEMORY, "a write to an in-memory file");
		return -ENOMEM;
	}
	mem_charge_force(bytes);
	return 0;
}

unsigned long
mem_room(void)
{
	const struct limit_report *r = limit_report;

	if (!r || !r->mem_limit)
		return ULONG_MAX;
	unsigned long used = r->oom_kill ? r->mem_held : r->mem_charged;
	return r->mem_limit > used ? r->mem_limit - used : 0;
}

void
mem_uncharge(unsigned long bytes)
{
	account(-(long)bytes);
	if (limit_report)
		limit_report->mem_held -= MIN(bytes, limit_report->mem_held);
}

/* "512M", "2G", "1536K" or bytes: how the user would write it. */
static void
format_size(unsigned long n, char *buf, size_t len)
{
	static const char units[] = "KMGT";
	int u = -1;

	while (n && n % 1024 == 0 && u < 3) {
		n /= 1024;
		u++;
	}
	if (u < 0)
		snprintf(buf, len, "%lu bytes", n);
	else
		snprintf(buf, len, "%lu%c", n, units[u]);
}

void
limits_format_memory(char *buf, size_t len)
{
	char size[32];

	format_size(limit_report ? limit_report->mem_limit : 0, size, sizeof(size));
	snprintf(buf, len, "memory limit (%s)", size);
}

void
limit_refused(int limit, const char *what)
{
	struct limit_report *r = limit_report;
	char size[64];

	cgroup_limit_event(limit);
	if (!r || (r->refused & (1U << limit)))
		return;
	r->refused |= 1U << limit;
	if (limit == LIMIT_MEMORY) {
		limits_format_memory(size, sizeof(size));
		log_warn("%s reached: %s refused", size, what);
	}
}

long long
limits_cpu_deadline(void)
{
	if (!limit_report || !limit_report->cpu_limit_ns)
		return 0;
	if (!next_cpu_check)
		next_cpu_check = monotonic_ns() + CPU_CHECK_MIN_NS;
	return next_cpu_check;
}

void
limits_check_cpu(void)
{
	struct limit_report *r = limit_report;

	if (!r || !r->cpu_limit_ns)
		return;
	unsigned long long used = plat_cpu_ns();
	r->guest_cpu_ns = used;
	if (used >= r->cpu_limit_ns)
		limits_end_run(LIMIT_CPU);
	/* Two CPUs can spend at most twice the wall time between checks. */
	long long wait = (long long)(r->cpu_limit_ns - used) / 4;
	next_cpu_check = monotonic_ns() + MAX(MIN(wait, CPU_CHECK_MAX_NS), CPU_CHECK_MIN_NS);
}

void
limits_end_run(int limit)
{
	if (limit_report) {
		limit_report->limit_hit = limit;
		limit_report->guest_cpu_ns = plat_cpu_ns();
	}
	/* The sentry is pid 1 of the guests' pid namespace: this reaches every stub. */
	kill(-1, SIGKILL);
	fflush(NULL);
	_exit(EXIT_LIMIT);
}
