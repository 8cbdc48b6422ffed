/* unlink/unlinkat: files, directories (EISDIR), missing, open-unlinked files. */
#include "cf.h"

int
main(void)
{
	struct stat st;
	char buf[16] = {0};

	cf_init();
	cf_write_file("f", "data", 4);
	mkdir("d", 0755);
	symlink("f", "lnk");
	R("unlink missing", unlink("missing"));
	R("unlink dir", unlink("d"));
	R("unlink dir/", unlink("d/"));
	R("unlink file/", unlink("f/"));
	R("unlink empty", unlink(""));
	R("unlink symlink", unlink("lnk"));
	R("target still there", access("f", F_OK));
	int fd = open("f", O_RDWR);
	R("unlink open file", unlink("f"));
	R("access after unlink", access("f", F_OK));
	fstat(fd, &st);
	R("nlink of open unlinked file", st.st_nlink);
	R("read still works", pread(fd, buf, sizeof(buf), 0));
	printf("data: %s\n", buf);
	R("write still works", pwrite(fd, "more", 4, 4));
	fstat(fd, &st);
	R("size", st.st_size);
	close(fd);
	R("unlinkat AT_REMOVEDIR", unlinkat(AT_FDCWD, "d", AT_REMOVEDIR));
	cf_write_file("g", "x", 1);
	R("unlinkat file AT_REMOVEDIR", unlinkat(AT_FDCWD, "g", AT_REMOVEDIR));
	R("unlinkat bad flags", unlinkat(AT_FDCWD, "g", 0x4));
	R("unlinkat ok", unlinkat(AT_FDCWD, "g", 0));
	R("unlinkat bad dirfd", unlinkat(9999, "g", 0));
	R("unlink in missing dir", unlink("nodir/g"));
	return 0;
}
