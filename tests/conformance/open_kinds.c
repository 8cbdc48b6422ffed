/* open(2) on each kind of object and with odd flag mixes: access mode 3, O_PATH with other
 * flags, O_TRUNC on directories, FIFOs and devices, sockets (ENXIO), O_EXCL without
 * O_CREAT, O_CREAT|O_EXCL with trailing slashes, O_DIRECTORY|O_CREAT, F_GETFL of each. */
#include <sys/socket.h>
#include <sys/un.h>
#include "cf.h"

static void
op(const char *label, const char *p, int flags)
{
	errno = 0;
	int fd = open(p, flags, 0644);
	if (fd < 0) {
		printf("%s: %s\n", label, en(errno));
		return;
	}
	int fl = fcntl(fd, F_GETFL);
	printf("%s: ok getfl %o\n", label, fl & ~0100000 /* O_LARGEFILE: glibc's static open adds it */);
	close(fd);
}

int
main(void)
{
	cf_init();
	cf_write_file("f", "abc", 3);
	mkdir("d", 0755);
	mkfifo("p", 0644);
	{
		int s = socket(AF_UNIX, SOCK_STREAM, 0);
		struct sockaddr_un a = { .sun_family = AF_UNIX };
		snprintf(a.sun_path, sizeof a.sun_path, "%s/s", cf_dir);
		bind(s, (struct sockaddr *)&a, sizeof a);
	}
	op("accmode 3 file", "f", 3);
	op("accmode 3 dir", "d", 3);
	op("O_PATH|O_RDWR", "f", O_PATH | O_RDWR);
	op("O_PATH|O_CREAT", "new1", O_PATH | O_CREAT);
	YN("new1 created", access("new1", F_OK) == 0);
	op("O_PATH|O_TRUNC", "f", O_PATH | O_TRUNC);
	op("O_PATH|O_APPEND|O_NONBLOCK", "f", O_PATH | O_APPEND | O_NONBLOCK);
	op("O_PATH on fifo", "p", O_PATH);
	op("O_PATH on socket", "s", O_PATH);
	op("O_PATH|O_DIRECTORY on file", "f", O_PATH | O_DIRECTORY);
	op("O_RDONLY|O_TRUNC dir", "d", O_RDONLY | O_TRUNC);
	op("O_DIRECTORY|O_TRUNC dir", "d", O_RDONLY | O_DIRECTORY | O_TRUNC);
	op("O_RDWR|O_NONBLOCK fifo", "p", O_RDWR | O_NONBLOCK);
	op("O_WRONLY|O_NONBLOCK fifo no reader", "p", O_WRONLY | O_NONBLOCK);
	op("O_RDONLY|O_NONBLOCK|O_TRUNC fifo", "p", O_RDONLY | O_NONBLOCK | O_TRUNC);
	op("socket rdonly", "s", O_RDONLY);
	op("socket wronly", "s", O_WRONLY);
	op("/dev/null O_WRONLY|O_TRUNC", "/dev/null", O_WRONLY | O_TRUNC);
	op("/dev/null O_RDONLY|O_CREAT", "/dev/null", O_RDONLY | O_CREAT);
	op("/dev/null O_CREAT|O_EXCL", "/dev/null", O_WRONLY | O_CREAT | O_EXCL);
	op("O_EXCL without O_CREAT", "f", O_RDONLY | O_EXCL);
	op("O_EXCL without O_CREAT, missing", "nope", O_RDONLY | O_EXCL);
	op("O_CREAT|O_EXCL trailing slash new", "n2/", O_WRONLY | O_CREAT | O_EXCL);
	op("O_CREAT|O_EXCL trailing slash dir", "d/", O_WRONLY | O_CREAT | O_EXCL);
	op("O_CREAT dir/.", "d/.", O_WRONLY | O_CREAT);
	op("O_CREAT dir/..", "d/..", O_RDONLY | O_CREAT);
	op("O_CREAT|O_EXCL dir/.", "d/.", O_RDONLY | O_CREAT | O_EXCL);
	op("O_CREAT /", "/", O_RDONLY | O_CREAT);
	op("O_CREAT|O_EXCL /", "/", O_RDONLY | O_CREAT | O_EXCL);
	op("O_SYNC", "f", O_WRONLY | O_SYNC);
	op("O_DSYNC", "f", O_WRONLY | O_DSYNC);
	op("O_ASYNC", "f", O_WRONLY | O_ASYNC);
	op("O_NOCTTY", "f", O_WRONLY | O_NOCTTY);
	op("O_DIRECT", "f", O_RDONLY | O_DIRECT);
	op("O_NOATIME", "f", O_RDONLY | O_NOATIME);
	op("O_CLOEXEC not in getfl", "f", O_RDONLY | O_CLOEXEC);
	op("unknown high bit", "f", O_RDONLY | 0x40000000);
	op("O_TMPFILE|O_WRONLY", ".", O_TMPFILE | O_WRONLY);
	op("O_TMPFILE|O_RDWR|O_EXCL", ".", O_TMPFILE | O_RDWR | O_EXCL);
	op("__O_TMPFILE without O_DIRECTORY", ".", 020000000 | O_RDWR);
	op("O_DIRECTORY on symlink to dir", ({ symlink("d", "ld"); "ld"; }), O_RDONLY | O_DIRECTORY);
	op("O_DIRECTORY|O_NOFOLLOW|O_PATH on symlink", "ld", O_DIRECTORY | O_NOFOLLOW | O_PATH);
	op("O_NOFOLLOW|O_PATH on symlink", "ld", O_NOFOLLOW | O_PATH);
	{
		int fd = open("f", O_WRONLY | O_APPEND);
		R("F_SETFL clears O_APPEND", fcntl(fd, F_SETFL, 0));
		R("F_GETFL after", fcntl(fd, F_GETFL) & O_APPEND);
		R("F_SETFL cannot change accmode", (fcntl(fd, F_SETFL, O_RDWR), fcntl(fd, F_GETFL) & O_ACCMODE));
		R("F_SETFL O_DIRECT", (fcntl(fd, F_SETFL, O_DIRECT), (fcntl(fd, F_GETFL) & O_DIRECT) != 0));
		close(fd);
	}
	return 0;
}
