/* tee (pipe to pipe without taking the data; errors; SPLICE_F_NONBLOCK), vmsplice (into
 * a pipe's write end, out of its read end), sync_file_range's checks, sched_getattr/
 * sched_setattr and ioprio_get/ioprio_set on the caller. */
#include "cf.h"
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/uio.h>

struct sched_attr { /* linux/sched/types.h (it clashes with <sched.h>) */
	uint32_t size, sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime, sched_deadline, sched_period;
	uint32_t sched_util_min, sched_util_max;
};

static long
tee_(int in, int out, size_t len, unsigned flags)
{
	return syscall(SYS_tee, in, out, len, flags);
}

int
main(void)
{
	int a[2], b[2], c[2];
	char buf[64];

	pipe(a);
	pipe(b);
	R("tee empty, nonblock", tee_(a[0], b[1], 10, SPLICE_F_NONBLOCK));
	write(a[1], "hello ", 6);
	write(a[1], "world", 5);
	R("tee", tee_(a[0], b[1], 100, 0));
	memset(buf, 0, sizeof(buf));
	R("  copy read", read(b[0], buf, sizeof(buf)));
	printf("  copy: %s\n", buf);
	R("tee 3 bytes", tee_(a[0], b[1], 3, 0));
	memset(buf, 0, sizeof(buf));
	R("  copy read", read(b[0], buf, sizeof(buf)));
	printf("  copy: %s\n", buf);
	memset(buf, 0, sizeof(buf));
	R("  source still has it", read(a[0], buf, sizeof(buf)));
	printf("  source: %s\n", buf);
	R("tee 0 bytes", tee_(a[0], b[1], 0, 0));
	R("tee bad flags", tee_(a[0], b[1], 1, 64));
	R("tee same pipe", tee_(a[0], a[1], 1, SPLICE_F_NONBLOCK));
	R("tee wrong ends", tee_(a[1], b[0], 1, 0));
	int fd = open("/etc/passwd", O_RDONLY);
	R("tee from a file", tee_(fd, b[1], 1, 0));
	R("tee bad fd", tee_(99, b[1], 1, 0));
	close(a[1]);
	R("tee, no writers", tee_(a[0], b[1], 10, 0));
	pipe(c);
	close(c[0]);
	write(b[1], "x", 1);
	signal(SIGPIPE, SIG_IGN);
	R("tee, no readers", tee_(b[0], c[1], 10, 0));

	/* vmsplice */
	int v[2];
	pipe(v);
	struct iovec iov[2] = { { "abc", 3 }, { "defg", 4 } };
	R("vmsplice to pipe", syscall(SYS_vmsplice, v[1], iov, 2, 0));
	char r1[4] = { 0 }, r2[8] = { 0 };
	struct iovec out[2] = { { r1, 2 }, { r2, 8 } };
	R("vmsplice from pipe", syscall(SYS_vmsplice, v[0], out, 2, 0));
	printf("  got: %s|%s\n", r1, r2);
	R("vmsplice empty, nonblock", syscall(SYS_vmsplice, v[0], out, 2, SPLICE_F_NONBLOCK));
	R("vmsplice bad flags", syscall(SYS_vmsplice, v[1], iov, 2, 64));
	R("vmsplice to a file", syscall(SYS_vmsplice, fd, iov, 2, 0));
	R("vmsplice bad iovec", syscall(SYS_vmsplice, v[1], (void *)8, 2, 0));

	/* sync_file_range */
	R("sync_file_range", sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE));
	R("  bad flags", sync_file_range(fd, 0, 0, 8));
	R("  negative offset", sync_file_range(fd, -1, 0, 0));
	R("  overflow", sync_file_range(fd, 1, 0x7fffffffffffffffLL, 0));
	R("  pipe", sync_file_range(v[0], 0, 0, 0));
	R("  bad fd", sync_file_range(99, 0, 0, 8));
	int dir = open("/", O_RDONLY | O_DIRECTORY);
	R("  directory", sync_file_range(dir, 0, 0, 0));

	/* sched attributes of the caller */
	struct sched_attr at;
	memset(&at, 0, sizeof(at));
	R("sched_getattr", syscall(SYS_sched_getattr, 0, &at, sizeof(at), 0));
	R("  policy", at.sched_policy);
	R("  size", at.size);
	R("  bad size", syscall(SYS_sched_getattr, 0, &at, 8, 0));
	R("  bad flags", syscall(SYS_sched_getattr, 0, &at, sizeof(at), 1));
	R("  missing pid", syscall(SYS_sched_getattr, 999999, &at, sizeof(at), 0));
	at.sched_policy = SCHED_BATCH;
	at.sched_nice = 0;
	R("sched_setattr batch", syscall(SYS_sched_setattr, 0, &at, 0));
	R("  getscheduler", sched_getscheduler(0));
	at.sched_policy = SCHED_OTHER;
	R("  back to other", syscall(SYS_sched_setattr, 0, &at, 0));

	/* ioprio of the caller: IOPRIO_WHO_PROCESS 1; class 2 (best effort) level 5 */
	R("ioprio_set", syscall(SYS_ioprio_set, 1, 0, (2 << 13) | 5));
	R("ioprio_get", syscall(SYS_ioprio_get, 1, 0));
	R("  own pid", syscall(SYS_ioprio_get, 1, getpid()));
	R("  bad which", syscall(SYS_ioprio_get, 9, 0));
	R("  bad class", syscall(SYS_ioprio_set, 1, 0, (7 << 13)));
	R("  missing pid", syscall(SYS_ioprio_get, 1, 999999));
	return 0;
}
