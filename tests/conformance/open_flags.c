/* open(2) flags: O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_DIRECTORY, O_NOFOLLOW, access modes. */
#include "cf.h"

int
main(void)
{
	char buf[64];
	int fd;

	cf_init();
	FD("open missing", open("missing", O_RDONLY));
	fd = FD("open O_CREAT", open("f", O_WRONLY | O_CREAT, 0644));
	R("write 5", write(fd, "hello", 5));
	close(fd);
	FD("open O_CREAT existing", open("f", O_WRONLY | O_CREAT, 0644));
	FD("open O_CREAT|O_EXCL existing", open("f", O_WRONLY | O_CREAT | O_EXCL, 0644));
	fd = FD("open O_CREAT|O_EXCL new", open("g", O_WRONLY | O_CREAT | O_EXCL, 0600));
	close(fd);
	struct stat st;
	stat("g", &st);
	printf("g mode: %o\n", st.st_mode & 07777);

	fd = FD("open O_APPEND", open("f", O_WRONLY | O_APPEND));
	lseek(fd, 0, SEEK_SET);
	R("append write", write(fd, "world", 5));
	R("offset after append", lseek(fd, 0, SEEK_CUR));
	close(fd);
	fd = open("f", O_RDONLY);
	memset(buf, 0, sizeof(buf));
	R("read back", read(fd, buf, sizeof(buf) - 1));
	printf("content: %s\n", buf);
	R("write on O_RDONLY", write(fd, "x", 1));
	close(fd);

	fd = FD("open O_TRUNC", open("f", O_RDWR | O_TRUNC));
	fstat(fd, &st);
	R("size after O_TRUNC", st.st_size);
	close(fd);
	fd = open("f", O_WRONLY);
	R("read on O_WRONLY", read(fd, buf, 1));
	close(fd);

	mkdir("d", 0755);
	FD("open dir O_RDONLY", open("d", O_RDONLY));
	FD("open dir O_DIRECTORY", open("d", O_RDONLY | O_DIRECTORY));
	FD("open file O_DIRECTORY", open("f", O_RDONLY | O_DIRECTORY));
	FD("open dir O_WRONLY", open("d", O_WRONLY));
	FD("open dir O_RDWR", open("d", O_RDWR));
	FD("open dir O_CREAT", open("d", O_RDONLY | O_CREAT, 0644));

	symlink("f", "lnk");
	symlink("d", "lnkd");
	FD("open symlink follow", open("lnk", O_RDONLY));
	FD("open symlink O_NOFOLLOW", open("lnk", O_RDONLY | O_NOFOLLOW));
	FD("open symlink-dir O_NOFOLLOW|O_DIRECTORY", open("lnkd", O_RDONLY | O_NOFOLLOW | O_DIRECTORY));
	FD("open via symlink dir O_NOFOLLOW", open("lnkd/../f", O_RDONLY | O_NOFOLLOW));
	symlink("nowhere", "dangling");
	FD("open dangling", open("dangling", O_RDONLY));
	fd = FD("open dangling O_CREAT", open("dangling", O_WRONLY | O_CREAT, 0644));
	close(fd);
	R("target created", access("nowhere", F_OK));
	FD("open dangling O_CREAT|O_EXCL", open("dangling2", O_WRONLY | O_CREAT | O_EXCL, 0644));
	symlink("nowhere2", "dangling3");
	FD("open dangling O_CREAT|O_EXCL symlink", open("dangling3", O_WRONLY | O_CREAT | O_EXCL, 0644));
	FD("open O_CREAT in missing dir", open("nodir/x", O_WRONLY | O_CREAT, 0644));
	FD("open O_CREAT trailing slash", open("newfile/", O_WRONLY | O_CREAT, 0644));
	FD("open bad accmode 3 on file", open("f", 3));

	fd = open("f", O_RDONLY | O_CLOEXEC);
	R("O_CLOEXEC sets FD_CLOEXEC", fcntl(fd, F_GETFD));
	close(fd);
	fd = open("f", O_RDONLY | O_NONBLOCK);
	YN("O_NONBLOCK in F_GETFL", fcntl(fd, F_GETFL) & O_NONBLOCK);
	close(fd);
	return 0;
}
