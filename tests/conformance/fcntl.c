/* fcntl: F_GETFD/F_SETFD, F_GETFL/F_SETFL, F_DUPFD(_CLOEXEC), bad commands. */
#include "cf.h"

int
main(void)
{
	cf_init();
	int fd = open("f", O_RDWR | O_CREAT, 0644);
	R("F_GETFD", fcntl(fd, F_GETFD));
	R("F_SETFD CLOEXEC", fcntl(fd, F_SETFD, FD_CLOEXEC));
	R("F_GETFD after", fcntl(fd, F_GETFD));
	R("F_SETFD 0", fcntl(fd, F_SETFD, 0));
	R("F_GETFD cleared", fcntl(fd, F_GETFD));
	printf("F_GETFL O_RDWR: %o\n", fcntl(fd, F_GETFL));
	R("F_SETFL O_APPEND|O_NONBLOCK", fcntl(fd, F_SETFL, O_APPEND | O_NONBLOCK));
	printf("F_GETFL after: %o\n", fcntl(fd, F_GETFL));
	R("F_SETFL O_WRONLY ignored", fcntl(fd, F_SETFL, O_WRONLY));
	printf("F_GETFL accmode kept: %o\n", fcntl(fd, F_GETFL) & O_ACCMODE);
	int r = open("f", O_RDONLY);
	printf("F_GETFL O_RDONLY: %o\n", fcntl(r, F_GETFL));
	int w = open("f", O_WRONLY | O_APPEND);
	printf("F_GETFL O_WRONLY|O_APPEND: %o\n", fcntl(w, F_GETFL));
	int d = fcntl(fd, F_DUPFD, 50);
	R("F_DUPFD 50", d);
	R("F_DUPFD 50 again", fcntl(fd, F_DUPFD, 50));
	R("F_DUPFD cloexec clear", fcntl(d, F_GETFD));
	int dc = fcntl(fd, F_DUPFD_CLOEXEC, 60);
	R("F_DUPFD_CLOEXEC 60", dc);
	R("F_DUPFD_CLOEXEC flag", fcntl(dc, F_GETFD));
	R("F_DUPFD negative", fcntl(fd, F_DUPFD, -1));
	R("F_DUPFD huge", fcntl(fd, F_DUPFD, 1 << 30));
	R("F_GETFD bad fd", fcntl(9999, F_GETFD));
	R("bad cmd", fcntl(fd, 9999));
	int flags = fcntl(dc, F_GETFL);
	YN("dup shares status flags", flags == fcntl(fd, F_GETFL));
	close(fd);
	R("F_GETFL closed", fcntl(fd, F_GETFL));
	int nul = open("/dev/null", O_WRONLY);
	printf("F_GETFL /dev/null O_WRONLY: %o\n", fcntl(nul, F_GETFL));
	mkdir("dd", 0755);
	int dir = open("dd", O_RDONLY | O_DIRECTORY);
	printf("F_GETFL dir: %o\n", fcntl(dir, F_GETFL));
	/* dnotify requests (python's test_fcntl uses the 64-bit DN_MULTISHOT) */
	R("F_NOTIFY dir", fcntl(dir, F_NOTIFY, (long)(DN_CREATE | DN_MULTISHOT)));
	R("F_NOTIFY dir, clear", fcntl(dir, F_NOTIFY, 0));
	R("F_NOTIFY file", fcntl(nul, F_NOTIFY, DN_MODIFY));
	return 0;
}
