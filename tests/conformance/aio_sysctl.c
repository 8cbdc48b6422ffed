/* /proc/sys/fs/aio-max-nr and aio-nr: their modes, the default limit, io_setup over the
 * limit (EAGAIN), and aio-nr counting the events io_setup reserved until io_destroy.
 * Nothing is written to them: natively they are the host's. (LTP io_setup01/02 read
 * aio-max-nr.) */
#include "cf.h"
#include <linux/aio_abi.h>

static long
num(const char *name)
{
	char path[64], buf[32] = { 0 };
	int fd;

	snprintf(path, sizeof(path), "/proc/sys/fs/%s", name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	if (read(fd, buf, sizeof(buf) - 1) < 0)
		buf[0] = 0;
	close(fd);
	return buf[0] ? strtol(buf, NULL, 10) : -1;
}

static void
mode(const char *name)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/sys/fs/%s", name);
	if (stat(path, &st) < 0)
		printf("%s: %s\n", name, en(errno));
	else
		printf("%s: mode %o\n", name, st.st_mode & 07777);
}

int
main(void)
{
	aio_context_t ctx = 0, ctx2 = 0;
	long max, before;

	cf_init();
	mode("aio-max-nr");
	mode("aio-nr");
	max = num("aio-max-nr");
	printf("aio-max-nr: %ld\n", max);
	before = num("aio-nr");
	YN("aio-nr read", before >= 0);
	R("io_setup(max+1)", syscall(SYS_io_setup, (unsigned)max + 1, &ctx));
	R("io_setup(7)", syscall(SYS_io_setup, 7, &ctx));
	printf("aio-nr grew by %ld\n", num("aio-nr") - before);
	R("io_setup(max-6)", syscall(SYS_io_setup, (unsigned)max - 6, &ctx2));
	R("io_setup(max-7)", syscall(SYS_io_setup, (unsigned)max - 7 - before, &ctx2));
	printf("aio-nr grew by %ld\n", num("aio-nr") - before);
	R("io_destroy", syscall(SYS_io_destroy, ctx));
	printf("aio-nr grew by %ld\n", num("aio-nr") - before);
	R("io_destroy 2", syscall(SYS_io_destroy, ctx2));
	printf("aio-nr grew by %ld\n", num("aio-nr") - before);
	R("write aio-nr", open("/proc/sys/fs/aio-nr", O_WRONLY) < 0 ? -1 : 0);
	return 0;
}
