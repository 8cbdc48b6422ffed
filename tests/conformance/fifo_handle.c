/* A FIFO opened by handle (open_by_handle_at) that waits for its writer completes once the
 * writer has opened it, even if the writer has already written and closed by the time the
 * reader runs again: 200 rounds of a child that opens, writes and closes at once while the
 * parent opens by handle and reads. (The sandbox opened such a FIFO afresh when the wait
 * ended, and then waited for a writer that had come and gone: a hang within a few hundred
 * rounds.) Each end's count is right afterwards: a writer's O_NONBLOCK open finds no reader. */
#include "cf.h"
#include <sys/stat.h>
#include <sys/wait.h>

int
main(void)
{
	struct file_handle *h = malloc(sizeof(*h) + 128);
	int mnt, good = 0, rounds = 200;

	cf_init();
	alarm(30); /* a hang ends the program: the outputs differ */
	if (mkfifo("fifo", 0600) < 0) {
		printf("mkfifo: %s\n", en(errno));
		return 0;
	}
	h->handle_bytes = 128;
	if (name_to_handle_at(AT_FDCWD, "fifo", h, &mnt, 0) < 0) {
		printf("name_to_handle_at: %s\n", en(errno));
		return 0;
	}
	for (int round = 0; round < rounds; round++) {
		char buf[3] = "";
		pid_t c = fork();
		if (c == 0) {
			int w = open("fifo", O_WRONLY);
			write(w, "hi", 2);
			_exit(0);
		}
		int fd = open_by_handle_at(AT_FDCWD, h, O_RDONLY);
		if (fd >= 0 && read(fd, buf, 2) == 2 && !strcmp(buf, "hi"))
			good++;
		else
			printf("round %d: fd %d (%s), read '%s'\n", round, fd, en(errno), buf);
		if (fd >= 0)
			close(fd);
		waitpid(c, NULL, 0);
	}
	printf("rounds with the writer's data: %d of %d\n", good, rounds);
	int w = FD("writer's O_NONBLOCK open with no reader left", open("fifo", O_WRONLY | O_NONBLOCK));
	if (w >= 0)
		close(w);
	return 0;
}
