/*
 * A read of 0 bytes from an inotify descriptor (inotify(7)) reaches the descriptor as any
 * other read: nothing queued, EAGAIN (non-blocking) or a wait for an event; an event queued,
 * EINVAL (it does not fit), and the event stays for a real read.
 */
#include "cf.h"
#include <sys/inotify.h>
#include <sys/wait.h>

int
main(void)
{
	char buf[256];

	cf_init();
	setvbuf(stdout, NULL, _IONBF, 0);
	int nb = inotify_init1(IN_NONBLOCK);
	R("watch", inotify_add_watch(nb, ".", IN_CREATE) > 0 ? 0 : -1);
	R("empty, non-blocking, 0 bytes", read(nb, buf, 0));
	close(open("a", O_CREAT | O_WRONLY, 0600));
	R("queued, 0 bytes", read(nb, buf, 0));
	R("queued, 4 bytes", read(nb, buf, 4));
	long n = read(nb, buf, sizeof(buf));
	YN("the event is still there for a full read", n >= (long)sizeof(struct inotify_event));
	close(nb);

	/* blocking: the 0-byte read waits until an event comes, then fails with EINVAL */
	int bl = inotify_init1(0);
	inotify_add_watch(bl, ".", IN_CREATE);
	pid_t c = fork();
	if (c == 0) {
		usleep(200 * 1000);
		close(open("b", O_CREAT | O_WRONLY, 0600));
		_exit(0);
	}
	R("blocking, 0 bytes, an event comes later", read(bl, buf, 0));
	int st;
	waitpid(c, &st, 0);
	n = read(bl, buf, sizeof(buf));
	YN("then a full read gets it", n >= (long)sizeof(struct inotify_event));
	close(bl);
	return 0;
}
