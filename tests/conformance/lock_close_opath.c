/* Closing any descriptor of a file drops the process's POSIX record locks on it, but not
 * closing an O_PATH one (Linux filp_close; glibc io/tst-o_path-locks). Another process
 * probes the lock with F_GETLK. */
#include "cf.h"
#include <sys/wait.h>

static void
probe(const char *label)
{
	pid_t c = fork();

	if (c == 0) {
		int fd = open("f", O_RDWR);
		struct flock fl = { .l_type = F_WRLCK };
		fcntl(fd, F_GETLK, &fl);
		printf("%s: %s\n", label, fl.l_type == F_UNLCK ? "unlocked" : "locked");
		_exit(0);
	}
	waitpid(c, NULL, 0);
}

int
main(void)
{
	struct flock fl = { .l_type = F_WRLCK };

	cf_init();
	int fd = open("f", O_RDWR | O_CREAT, 0600);
	OK("lock", fcntl(fd, F_SETLK, &fl));
	fflush(stdout);
	probe("locked");
	close(open("f", O_RDONLY));
	probe("after closing another descriptor");
	OK("lock again", fcntl(fd, F_SETLK, &fl));
	fflush(stdout);
	close(open("f", O_PATH));
	probe("after closing an O_PATH descriptor");
	return 0;
}
