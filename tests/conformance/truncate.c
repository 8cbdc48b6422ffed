/* truncate/ftruncate: grow (sparse zeros), shrink, errors. */
#include "cf.h"

static long
sz(const char *p)
{
	struct stat st;
	return stat(p, &st) < 0 ? -errno : (long)st.st_size;
}

int
main(void)
{
	unsigned char b[32];

	cf_init();
	cf_write_file("f", "0123456789", 10);
	R("truncate to 4", truncate("f", 4));
	R("size", sz("f"));
	R("truncate to 20", truncate("f", 20));
	R("size", sz("f"));
	int fd = open("f", O_RDWR);
	memset(b, 0xee, sizeof(b));
	R("read", read(fd, b, sizeof(b)));
	for (int i = 0; i < 20; i++)
		printf("%02x", b[i]);
	printf("\n");
	R("ftruncate to 1MiB", ftruncate(fd, 1 << 20));
	R("size", sz("f"));
	memset(b, 0xee, sizeof(b));
	R("sparse pread @512K", pread(fd, b, 8, 512 * 1024));
	YN("sparse bytes are zero", b[0] == 0 && b[7] == 0);
	R("pread at end", pread(fd, b, 8, (1 << 20) - 3));
	R("ftruncate negative", ftruncate(fd, -1));
	R("ftruncate to 0", ftruncate(fd, 0));
	R("offset unchanged", lseek(fd, 0, SEEK_CUR));
	R("read after truncate", read(fd, b, 4));
	close(fd);
	fd = open("f", O_RDONLY);
	R("ftruncate read-only fd", ftruncate(fd, 0));
	close(fd);
	R("ftruncate bad fd", ftruncate(9999, 0));
	mkdir("d", 0755);
	R("truncate dir", truncate("d", 0));
	fd = open("d", O_RDONLY);
	R("ftruncate dir fd", ftruncate(fd, 0));
	close(fd);
	R("truncate missing", truncate("missing", 0));
	R("truncate negative", truncate("f", -5));
	R("truncate f/", truncate("f/", 0));
	symlink("f", "lnk");
	R("truncate via symlink", truncate("lnk", 3));
	R("size", sz("f"));
	fd = open("f", O_WRONLY | O_APPEND);
	R("ftruncate O_APPEND fd", ftruncate(fd, 1));
	close(fd);
	fd = open("/dev/null", O_WRONLY);
	R("ftruncate /dev/null", ftruncate(fd, 0));
	return 0;
}
