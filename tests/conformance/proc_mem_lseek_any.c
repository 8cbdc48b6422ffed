/*
 * lseek on /proc/self/mem takes any offset, negative ones too, and returns it as is
 * (Linux mem_lseek). Offsets that would read as the sentry's own internal results
 * (-100001...-100005) come back like any other; a SEEK_CUR after each confirms the position.
 */
#include "cf.h"

int
main(void)
{
	static const long off[] = { -100001, -100002, -100003, -100004, -100005, -100006, -5000,
				    4096 };
	int fd = FD("open /proc/self/mem", open("/proc/self/mem", O_RDONLY));

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (size_t i = 0; i < sizeof(off) / sizeof(off[0]); i++) {
		char label[64];
		long r = syscall(SYS_lseek, fd, off[i], SEEK_SET);
		long cur = syscall(SYS_lseek, fd, 0L, SEEK_CUR);

		snprintf(label, sizeof(label), "SEEK_SET %ld", off[i]);
		printf("%s: %ld, then SEEK_CUR %ld\n", label, r, cur);
	}
	R("SEEK_END", lseek(fd, 0, SEEK_END));
	return 0;
}
