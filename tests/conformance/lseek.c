/* lseek: SEEK_SET/CUR/END, beyond EOF, negative results, bad whence, SEEK_DATA/HOLE. */
#include "cf.h"

int
main(void)
{
	cf_init();
	int fd = open("f", O_RDWR | O_CREAT, 0644);
	write(fd, "0123456789", 10);
	R("SEEK_SET 3", lseek(fd, 3, SEEK_SET));
	R("SEEK_CUR +2", lseek(fd, 2, SEEK_CUR));
	R("SEEK_CUR -1", lseek(fd, -1, SEEK_CUR));
	R("SEEK_END 0", lseek(fd, 0, SEEK_END));
	R("SEEK_END -4", lseek(fd, -4, SEEK_END));
	R("SEEK_END +6", lseek(fd, 6, SEEK_END));
	R("SEEK_SET -1", lseek(fd, -1, SEEK_SET));
	R("offset kept after EINVAL", lseek(fd, 0, SEEK_CUR));
	R("SEEK_CUR -100", lseek(fd, -100, SEEK_CUR));
	R("SEEK_END -11", lseek(fd, -11, SEEK_END));
	R("whence 7", lseek(fd, 0, 7));
	R("SEEK_DATA 0", lseek(fd, 0, SEEK_DATA));
	R("SEEK_HOLE 0", lseek(fd, 0, SEEK_HOLE));
	R("SEEK_DATA at size", lseek(fd, 10, SEEK_DATA));
	R("SEEK_HOLE past size", lseek(fd, 11, SEEK_HOLE));
	lseek(fd, 16, SEEK_SET);
	R("write past EOF", write(fd, "x", 1));
	struct stat st;
	fstat(fd, &st);
	R("size", st.st_size);
	close(fd);
	R("lseek closed fd", lseek(fd, 0, SEEK_SET));
	fd = open("/dev/null", O_RDONLY);
	R("lseek /dev/null", lseek(fd, 123, SEEK_SET));
	close(fd);
	mkdir("d", 0755);
	fd = open("d", O_RDONLY);
	R("lseek dir 0", lseek(fd, 0, SEEK_SET));
	close(fd);
	/* proc and sysfs: directories seek as files of size 0, seq files have no SEEK_END */
	fd = open("/proc/self", O_RDONLY);
	R("/proc/self SEEK_CUR", lseek(fd, 0, SEEK_CUR));
	R("/proc/self SEEK_END", lseek(fd, 0, SEEK_END));
	R("/proc/self SEEK_END -1", lseek(fd, -1, SEEK_END));
	close(fd);
	fd = open("/sys/devices", O_RDONLY);
	R("/sys/devices SEEK_END", lseek(fd, 0, SEEK_END));
	close(fd);
	fd = open("/proc/meminfo", O_RDONLY);
	R("/proc/meminfo SEEK_CUR", lseek(fd, 0, SEEK_CUR));
	R("/proc/meminfo SEEK_END", lseek(fd, 0, SEEK_END));
	close(fd);
	fd = open("/proc/stat", O_RDONLY);
	int fd2 = open("/proc/stat", O_RDONLY);
	R("/proc/stat SEEK_END", lseek(fd, 0, SEEK_END));
	R("/proc/stat SEEK_CUR 1000", lseek(fd, 1000, SEEK_CUR));
	R("/proc/stat other open SEEK_CUR", lseek(fd2, 0, SEEK_CUR));
	close(fd);
	close(fd2);
	return 0;
}
