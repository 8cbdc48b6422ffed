/* FIFOs in a tmpfs-like directory: Linux open rules (a reader waits for a writer and the
 * other way round, O_NONBLOCK, ENXIO, O_RDWR), data through them, POLLHUP only after a
 * writer came, interruption of a waiting open, data dropped when the last end closes. */
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>

#include "cf.h"

static void
on_alarm(int sig)
{
	(void)sig;
}

static void
later_open(const char *path, int flags, const char *data)
{
	if (fork() == 0) {
		usleep(100000);
		int fd = open(path, flags);
		if (data)
			write(fd, data, strlen(data));
		usleep(50000);
		_exit(0);
	}
}

static volatile int usr1_count;

static void
on_usr1(int sig)
{
	(void)sig;
	usr1_count++;
}

int
main(void)
{
	char buf[64];
	struct stat st;
	struct pollfd p;
	int r, w, rw;

	cf_init();
	R("mkfifo", mkfifo("p", 0640));
	R("mkfifo existing", mkfifo("p", 0640));
	R("mknod S_IFIFO", mknod("q", S_IFIFO | 0600, 0));
	stat("p", &st);
	printf("fifo: %s, mode %o, size %ld\n", S_ISFIFO(st.st_mode) ? "yes" : "no",
	       st.st_mode & 07777, (long)st.st_size);

	R("O_WRONLY|O_NONBLOCK without a reader", open("p", O_WRONLY | O_NONBLOCK));
	r = FD("O_RDONLY|O_NONBLOCK", open("p", O_RDONLY | O_NONBLOCK));
	R("read with no writer yet", read(r, buf, sizeof(buf)));
	p = (struct pollfd){ .fd = r, .events = POLLIN };
	R("poll before any writer", poll(&p, 1, 0));
	printf("revents %#x\n", p.revents);
	w = FD("O_WRONLY|O_NONBLOCK with a reader", open("p", O_WRONLY | O_NONBLOCK));
	R("write", write(w, "hello", 5));
	R("read", read(r, buf, sizeof(buf)));
	R("read empty, writer open", read(r, buf, sizeof(buf)));
	R("lseek", lseek(w, 0, SEEK_SET));
	R("pread", pread(r, buf, 1, 0));
	R("F_GETPIPE_SZ", fcntl(w, F_GETPIPE_SZ));
	fstat(w, &st);
	printf("fstat fifo: %s\n", S_ISFIFO(st.st_mode) ? "yes" : "no");
	close(w);
	R("poll after the writer left", poll(&p, 1, 0));
	printf("revents %#x\n", p.revents);
	R("read after the writer left", read(r, buf, sizeof(buf)));
	close(r);

	rw = FD("O_RDWR (never waits)", open("p", O_RDWR));
	R("write through O_RDWR", write(rw, "abc", 3));
	R("read back", read(rw, buf, sizeof(buf)));
	R("write again", write(rw, "lost", 4));
	close(rw);
	rw = open("p", O_RDWR | O_NONBLOCK);
	R("data dropped after the last close", read(rw, buf, sizeof(buf)));
	close(rw);

	later_open("p", O_WRONLY, "from child");
	r = FD("O_RDONLY waits for a writer", open("p", O_RDONLY));
	ssize_t n = read(r, buf, sizeof(buf));
	printf("read: %zd \"%.*s\"\n", n, (int)(n > 0 ? n : 0), buf);
	R("read at EOF after the writer exits", ({ wait(NULL); read(r, buf, sizeof(buf)); }));
	close(r);

	later_open("p", O_RDONLY, NULL);
	w = FD("O_WRONLY waits for a reader", open("p", O_WRONLY));
	wait(NULL);
	R("write with no reader left", ({ signal(SIGPIPE, SIG_IGN); write(w, "x", 1); }));
	close(w);

	struct sigaction sa = { .sa_handler = on_alarm };
	sigaction(SIGALRM, &sa, NULL);
	ualarm(50000, 0);
	R("O_RDONLY interrupted", open("p", O_RDONLY));
	R("O_WRONLY|O_NONBLOCK after that", open("p", O_WRONLY | O_NONBLOCK));
	ualarm(50000, 0);
	R("O_WRONLY interrupted", open("p", O_WRONLY));
	r = open("p", O_RDONLY | O_NONBLOCK);
	p = (struct pollfd){ .fd = r, .events = POLLIN };
	R("no writer counted after that", poll(&p, 1, 0));
	close(r);

	rw = open("q", O_RDWR);
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", rw);
	w = FD("reopen through /proc/self/fd", open(path, O_WRONLY));
	write(w, "via proc", 8);
	R("read it", read(rw, buf, sizeof(buf)));
	unlink("q");
	R("write after unlink", write(w, "z", 1));
	R("read after unlink", read(rw, buf, sizeof(buf)));
	close(w);
	close(rw);
	R("open a socket-type node", ({ mknod("s", S_IFSOCK | 0600, 0); open("s", O_RDONLY); }));

	/* a blocked open is interrupted by a handler without SA_RESTART: the signal comes
	 * from a raw timer_create with SIGEV_THREAD (to the kernel, a signal to the process) */
	struct sigaction su;
	memset(&su, 0, sizeof(su));
	su.sa_handler = on_usr1;
	sigaction(SIGUSR1, &su, NULL);
	struct sigevent sev;
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_THREAD;
	sev.sigev_signo = SIGUSR1;
	int tid = -1;
	R("raw timer_create SIGEV_THREAD", syscall(SYS_timer_create, CLOCK_MONOTONIC, &sev, &tid));
	sev.sigev_signo = 0;
	int tid2 = -1;
	R("raw timer_create SIGEV_THREAD signal 0", syscall(SYS_timer_create, CLOCK_MONOTONIC, &sev, &tid2));
	/* (every 50 ms: under load the first may come before the open blocks) */
	struct itimerspec its = { { 0, 50000000 }, { 0, 50000000 } }, off = { 0 };
	mknod("blk", S_IFIFO | 0600, 0);
	syscall(SYS_timer_settime, tid, 0, &its, NULL);
	R("open blocked, interrupted", open("blk", O_WRONLY));
	syscall(SYS_timer_settime, tid, 0, &off, NULL);
	YN("signals", usr1_count >= 1);
	return 0;
}
