/* args: alpha "two words" -x= */
/* /proc/self/cmdline matches argv (argv[0] printed as basename). */
#include "cf.h"

int
main(int argc, char **argv)
{
	char buf[4096];

	printf("argc: %d\n", argc);
	int fd = open("/proc/self/cmdline", O_RDONLY);
	YN("open /proc/self/cmdline", fd >= 0);
	ssize_t n = read(fd, buf, sizeof(buf));
	close(fd);
	size_t total = 0;
	for (int i = 0; i < argc; i++)
		total += strlen(argv[i]) + 1;
	YN("length matches argv", n == (ssize_t)total);
	int i = 0;
	for (ssize_t off = 0; off < n; i++) {
		const char *s = buf + off;
		printf("arg %d: %s (matches argv: %s)\n", i, i == 0 ? cf_base(s) : s,
		       i < argc && strcmp(s, argv[i]) == 0 ? "yes" : "no");
		off += strlen(s) + 1;
	}
	/* small reads reassemble the same bytes */
	fd = open("/proc/self/cmdline", O_RDONLY);
	char small[4096];
	ssize_t got = 0, r;
	while ((r = read(fd, small + got, 3)) > 0)
		got += r;
	close(fd);
	YN("3-byte reads give same content", got == n && memcmp(small, buf, n) == 0);
	return 0;
}
