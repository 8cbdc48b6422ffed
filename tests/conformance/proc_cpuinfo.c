/*
 * /proc/cpuinfo on x86-64: every field Linux's show_cpuinfo prints unconditionally is
 * there, once per processor (values differ between machines: only presence is printed).
 */
#include "cf.h"

static int
count(const char *text, const char *field)
{
	int n = 0;

	for (const char *p = text; (p = strstr(p, field)); p += strlen(field))
		if (p == text || p[-1] == '\n')
			n++;
	return n;
}

int
main(void)
{
	static char buf[1 << 20];
	const char *fields[] = { "processor\t:", "vendor_id\t:", "cpu family\t:", "model\t\t:",
				 "model name\t:", "stepping\t:", "cpu MHz\t\t:", "cache size\t:",
				 "physical id\t:", "siblings\t:", "core id\t\t:", "cpu cores\t:",
				 "apicid\t\t:", "initial apicid\t:", "fpu\t\t:", "fpu_exception\t:",
				 "cpuid level\t:", "wp\t\t:", "flags\t\t:", "bogomips\t:",
				 "clflush size\t:", "cache_alignment\t:", "address sizes\t:",
				 "power management:" };
	int fd = open("/proc/cpuinfo", O_RDONLY);
	size_t len = 0;
	ssize_t r;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while (fd >= 0 && (r = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += r;
	buf[len] = '\0';
	int procs = count(buf, "processor\t:");
	YN("some processors", procs > 0);
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		char name[32];
		snprintf(name, sizeof(name), "%.*s", (int)strcspn(fields[i], "\t:"), fields[i]);
		printf("%s once per processor: %s\n", name, count(buf, fields[i]) == procs ? "yes" : "no");
	}
	return 0;
}
