/*
 * /proc/config.gz: the running kernel's configuration, gzip-compressed. Inside it is the
 * host kernel's (the sandbox reports the host's release), so both runs see the same file:
 * present or absent alike, mode, a size that is what read gives, the gzip magic and a
 * checksum of the bytes, and its name in a listing of /proc.
 */
#include "cf.h"
#include <dirent.h>

int
main(void)
{
	static unsigned char buf[4 << 20];
	unsigned long sum = 1469598103934665603UL;
	size_t total = 0;
	struct stat st;
	ssize_t n;
	int fd, listed = 0;
	DIR *d;

	setvbuf(stdout, NULL, _IONBF, 0);
	OK("access", access("/proc/config.gz", F_OK));
	fd = open("/proc/config.gz", O_RDONLY);
	if (fd < 0) {
		printf("open: %s\n", en(errno));
	} else {
		fstat(fd, &st);
		printf("mode %o uid %d regular %s\n", st.st_mode & 07777, (int)st.st_uid,
		       S_ISREG(st.st_mode) ? "yes" : "no");
		while ((n = read(fd, buf + total, sizeof(buf) - total)) > 0)
			total += (size_t)n;
		YN("read ends cleanly", n == 0);
		YN("st_size is the bytes read", (size_t)st.st_size == total);
		YN("gzip magic", total > 2 && buf[0] == 0x1f && buf[1] == 0x8b);
		for (size_t i = 0; i < total; i++)
			sum = (sum ^ buf[i]) * 1099511628211UL;
		printf("checksum %016lx\n", sum);
		R("pread at 1", pread(fd, buf, 1, 1));
		printf("byte 1: %02x\n", buf[0]);
		OK("write refused", write(fd, "x", 1));
		close(fd);
	}
	OK("open for writing", open("/proc/config.gz", O_WRONLY));
	d = opendir("/proc");
	for (struct dirent *e; d && (e = readdir(d));)
		listed |= !strcmp(e->d_name, "config.gz");
	if (d)
		closedir(d);
	YN("listed in /proc", listed);
	return 0;
}
