/* poll, ppoll, select, pselect6 over pipes, regular files, /dev/null and closed fds:
 * readiness bits, POLLHUP/POLLERR/POLLNVAL, zero and short timeouts, argument errors. */
#include "cf.h"
#include <poll.h>
#include <signal.h>
#include <sys/select.h>
#include <time.h>

static long
ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

static void
show(const char *label, struct pollfd *p, int n, int r)
{
	printf("%s: %d", label, r);
	if (r < 0)
		printf(" %s", en(errno));
	for (int i = 0; i < n; i++)
		printf(" [%#x]", p[i].revents);
	printf("\n");
}

int
main(void)
{
	int p[2], file;
	struct pollfd fds[4];
	struct timespec t0, ts;
	char c;

	cf_init();
	signal(SIGPIPE, SIG_IGN);
	file = open("f", O_RDWR | O_CREAT, 0644);
	R("pipe", pipe(p));

	fds[0] = (struct pollfd){ p[0], POLLIN, 0 };
	fds[1] = (struct pollfd){ p[1], POLLOUT, 0 };
	fds[2] = (struct pollfd){ file, POLLIN | POLLOUT | POLLPRI, 0 };
	fds[3] = (struct pollfd){ -1, POLLIN, 0 };
	show("empty pipe", fds, 4, poll(fds, 4, 0));
	write(p[1], "x", 1);
	show("one byte", fds, 4, poll(fds, 4, 0));
	fds[1].events = 0;
	show("no events asked", fds, 2, poll(fds, 2, 0));
	read(p[0], &c, 1);
	show("read end only, empty", fds, 1, poll(fds, 1, 0));

	clock_gettime(CLOCK_MONOTONIC, &t0);
	R("poll 50ms on empty pipe", poll(fds, 1, 50));
	YN("waited >= 45ms", ms_since(&t0) >= 45);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ts = (struct timespec){ 0, 30 * 1000000 };
	R("ppoll 30ms", ppoll(fds, 1, &ts, NULL));
	YN("waited >= 25ms", ms_since(&t0) >= 25);
	ts = (struct timespec){ 0, 0 };
	R("ppoll zero", ppoll(fds, 1, &ts, NULL));
	ts = (struct timespec){ 0, 1000000000 };
	R("ppoll bad nsec", ppoll(fds, 1, &ts, NULL));
	ts = (struct timespec){ -1, 0 };
	R("ppoll negative", ppoll(fds, 1, &ts, NULL));
	sigset_t ss;
	sigemptyset(&ss);
	ts = (struct timespec){ 0, 1000000 };
	R("ppoll with sigmask", ppoll(fds, 1, &ts, &ss));
	R("ppoll raw bad sigsetsize", syscall(SYS_ppoll, fds, 1, &ts, &ss, 4));
	volatile nfds_t big = 1 << 30;
	R("poll too many fds", poll(fds, big, 0));
	R("poll bad pointer", poll(cf_unmapped(), 1, 0));
	R("poll zero fds", poll(NULL, 0, 0));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	R("poll zero fds 20ms", poll(NULL, 0, 20));
	YN("waited >= 15ms", ms_since(&t0) >= 15);

	/* bad and O_PATH descriptors */
	int opath = open(".", O_PATH);
	struct pollfd bad[2] = { { 1000, POLLIN, 0 }, { opath, POLLIN, 0 } };
	show("closed fd and O_PATH", bad, 2, poll(bad, 2, 0));

	/* hang-ups */
	close(p[1]);
	show("writer closed", fds, 1, poll(fds, 1, 0));
	R("pipe again", pipe(p));
	close(p[0]);
	fds[1] = (struct pollfd){ p[1], POLLOUT, 0 };
	show("reader closed", &fds[1], 1, poll(&fds[1], 1, 0));
	fds[1].events = 0;
	show("reader closed, no events", &fds[1], 1, poll(&fds[1], 1, 0));
	close(p[1]);

	/* select */
	R("pipe 3", pipe(p));
	fd_set rd, wr, ex;
	struct timeval tv;
	int nfds = (p[0] > p[1] ? p[0] : p[1]) + 1;
	nfds = nfds > file + 1 ? nfds : file + 1;
	FD_ZERO(&rd); FD_ZERO(&wr); FD_ZERO(&ex);
	FD_SET(p[0], &rd); FD_SET(p[1], &wr); FD_SET(file, &rd); FD_SET(file, &ex);
	tv = (struct timeval){ 0, 0 };
	R("select", select(nfds, &rd, &wr, &ex, &tv));
	YN("pipe read not set", !FD_ISSET(p[0], &rd));
	YN("pipe write set", FD_ISSET(p[1], &wr));
	YN("file read set", FD_ISSET(file, &rd));
	YN("file except not set", !FD_ISSET(file, &ex));
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	tv = (struct timeval){ 0, 40000 };
	clock_gettime(CLOCK_MONOTONIC, &t0);
	R("select 40ms empty pipe", select(p[0] + 1, &rd, NULL, NULL, &tv));
	YN("waited >= 35ms", ms_since(&t0) >= 35);
	YN("timeval updated to zero", tv.tv_sec == 0 && tv.tv_usec == 0);
	YN("set cleared", !FD_ISSET(p[0], &rd));
	write(p[1], "y", 1);
	FD_SET(p[0], &rd);
	tv = (struct timeval){ 5, 0 };
	R("select with data", select(p[0] + 1, &rd, NULL, NULL, &tv));
	YN("timeval decreased, not zero", tv.tv_sec <= 5 && (tv.tv_sec > 0 || tv.tv_usec > 0));
	FD_ZERO(&rd);
	FD_SET(900, &rd);
	tv = (struct timeval){ 0, 0 };
	R("select closed fd", select(901, &rd, NULL, NULL, &tv));
	R("select negative nfds", select(-1, NULL, NULL, NULL, &tv));
	tv = (struct timeval){ 0, -1 };
	R("select bad timeval", select(0, NULL, NULL, NULL, &tv));
	tv = (struct timeval){ 0, 1500 };
	R("select usec normalised", select(0, NULL, NULL, NULL, &tv));
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	R("select bad set pointer", select(p[0] + 1, cf_unmapped(), NULL, NULL, &tv));

	/* pselect6 */
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	ts = (struct timespec){ 0, 0 };
	R("pselect data", pselect(p[0] + 1, &rd, NULL, NULL, &ts, &ss));
	read(p[0], &c, 1);
	ts = (struct timespec){ 0, 20000000 };
	clock_gettime(CLOCK_MONOTONIC, &t0);
	R("pselect 20ms", pselect(p[0] + 1, &rd, NULL, NULL, &ts, &ss));
	YN("waited >= 15ms", ms_since(&t0) >= 15);
	ts = (struct timespec){ 0, -5 };
	R("pselect bad timespec", pselect(p[0] + 1, &rd, NULL, NULL, &ts, NULL));
	struct { void *ss; size_t len; } sig = { &ss, 4 };
	ts = (struct timespec){ 0, 0 };
	R("pselect6 bad sigsetsize", syscall(SYS_pselect6, p[0] + 1, &rd, NULL, NULL, &ts, &sig));

	/* close on a pipe that has data keeps it for the other end */
	write(p[1], "zz", 2);
	close(p[1]);
	fds[0] = (struct pollfd){ p[0], POLLIN, 0 };
	show("data then writer closed", fds, 1, poll(fds, 1, 0));
	return 0;
}
