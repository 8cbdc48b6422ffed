/*
 * personality(2) takes and returns the persona as an unsigned 32-bit value: any value is
 * kept (stress-ng's personality stressor sets random ones), and the raw call returns the
 * old one zero-extended, never as an error. Values chosen so that, sign-extended, they
 * would read as an errno or as the sentry's own internal results (-100001...-100005).
 */
#include "cf.h"

static void
set_and_read(unsigned long v)
{
	char label[64], buf[32] = { 0 };
	int fd;

	syscall(SYS_personality, v);
	errno = 0;
	long r = syscall(SYS_personality, 0xffffffffUL);
	snprintf(label, sizeof(label), "persona %#lx reads back", v);
	printf("%s: %#lx %s\n", label, (unsigned long)r, errno ? en(errno) : "");
	fd = open("/proc/self/personality", O_RDONLY);
	if (fd >= 0 && read(fd, buf, sizeof(buf) - 1) > 0)
		printf("  /proc/self/personality: %s", buf);
	close(fd);
}

int
main(void)
{
	static const unsigned long v[] = {
		0x80000000, 0xffffffffUL - 1, 0xfffffdb6 /* -586 */, 0xfffff001 /* -4095 */,
		0xfffe795f /* -100001 */, 0xfffe795d /* -100003 */, 0xfffe795c /* -100004 */,
		0xfffe795b /* -100005 */, 0xfffe795e /* -100002 */,
	};

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		set_and_read(v[i]);
	R("back to PER_LINUX, old", syscall(SYS_personality, 0UL));
	R("now", syscall(SYS_personality, 0xffffffffUL));
	return 0;
}
