/* /proc/self/exe and /proc/self/comm, /proc/self/stat comm field: basenames only. */
#include "cf.h"

int
main(int argc, char **argv)
{
	char b[4096];
	(void)argc;

	ssize_t n = readlink("/proc/self/exe", b, sizeof(b) - 1);
	YN("readlink /proc/self/exe", n > 0);
	if (n > 0) {
		b[n] = 0;
		printf("exe basename: %s\n", cf_base(b));
		YN("exe absolute", b[0] == '/');
		YN("argv[0] basename matches", strcmp(cf_base(b), cf_base(argv[0])) == 0);
		struct stat s1, s2;
		YN("stat exe path == stat /proc/self/exe",
		   stat(b, &s1) == 0 && stat("/proc/self/exe", &s2) == 0 &&
		   s1.st_ino == s2.st_ino && s1.st_size == s2.st_size);
	}
	int fd = open("/proc/self/exe", O_RDONLY);
	char magic[4] = {0};
	read(fd, magic, 4);
	YN("exe content starts with ELF magic", memcmp(magic, "\177ELF", 4) == 0);
	close(fd);
	fd = open("/proc/self/comm", O_RDONLY);
	memset(b, 0, sizeof(b));
	n = read(fd, b, sizeof(b) - 1);
	close(fd);
	printf("comm: %s", b);
	fd = open("/proc/self/stat", O_RDONLY);
	memset(b, 0, sizeof(b));
	n = read(fd, b, sizeof(b) - 1);
	close(fd);
	char *l = strchr(b, '('), *r = strrchr(b, ')');
	if (l && r) {
		*r = 0;
		printf("stat comm: %s state: %c\n", l + 1, r[2]);
	}
	char pidstr[32];
	snprintf(pidstr, sizeof(pidstr), "%d ", getpid());
	YN("stat starts with pid", strncmp(b, pidstr, strlen(pidstr)) == 0);
	n = readlink("/proc/self", b, sizeof(b) - 1);
	if (n > 0) {
		b[n] = 0;
		YN("/proc/self -> getpid", atoi(b) == getpid());
	}
	return 0;
}
