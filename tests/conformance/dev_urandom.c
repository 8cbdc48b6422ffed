/* /dev/urandom and /dev/random: full-length reads, data not constant. */
#include "cf.h"

static void
check(const char *path)
{
	static unsigned char b[65536];
	char label[64];
	int fd = open(path, O_RDONLY);
	snprintf(label, sizeof(label), "open %s", path);
	YN(label, fd >= 0);
	memset(b, 0, sizeof(b));
	snprintf(label, sizeof(label), "read 16 %s", path);
	R(label, read(fd, b, 16));
	snprintf(label, sizeof(label), "read 65536 %s", path);
	R(label, read(fd, b, sizeof(b)));
	int counts[256] = {0};
	for (size_t i = 0; i < sizeof(b); i++)
		counts[b[i]]++;
	int used = 0, max = 0;
	for (int i = 0; i < 256; i++) {
		used += counts[i] > 0;
		if (counts[i] > max)
			max = counts[i];
	}
	printf("%s: all byte values seen: %s, no value > 2%%: %s\n", path,
	       used == 256 ? "yes" : "no", max < 1311 ? "yes" : "no");
	snprintf(label, sizeof(label), "write %s", path);
	R(label, write(fd, "x", 1));
	close(fd);
}

int
main(void)
{
	check("/dev/urandom");
	check("/dev/random");
	struct stat st;
	stat("/dev/urandom", &st);
	printf("urandom is chr: %s\n", S_ISCHR(st.st_mode) ? "yes" : "no");
	return 0;
}
