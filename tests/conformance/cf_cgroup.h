/* For the cgroup conformance programs (include after cf.h): cg is the cgroup under test;
 * put writes text to one of its files in one write (0 / -1 with errno), show prints a
 * file of directory dir whole, its newlines as '|'. */
#pragma once
#include <fcntl.h>

static char cg[600];

static __attribute__((unused)) int
put(const char *file, const char *text)
{
	char p[700];
	snprintf(p, sizeof(p), "%s/%s", cg, file);
	int fd = open(p, O_WRONLY);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, text, strlen(text));
	int e = errno;
	close(fd);
	errno = e;
	return n < 0 ? -1 : 0;
}

static __attribute__((unused)) void
show(const char *label, const char *dir, const char *file)
{
	char p[700], buf[512];
	snprintf(p, sizeof(p), "%s/%s", dir, file);
	int fd = open(p, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (n < 0) {
		printf("%s: -1 %s\n", label, en(errno));
	} else {
		buf[n] = 0;
		for (char *c = buf; *c; c++)
			if (*c == '\n')
				*c = '|';
		printf("%s: [%s]\n", label, buf);
	}
	if (fd >= 0)
		close(fd);
}
