/* poll, select, pselect6 and ppoll when a signal ends their wait: a stop and SIGCONT (no
 * handler runs) restart them (Linux ERESTARTNOHAND / ERESTART_RESTARTBLOCK), epoll_wait
 * fails with EINTR (signal(7)); a handler makes them all fail with EINTR, and select and
 * pselect6 then hold the time they had left (poll_select_finish), unless the timeout
 * cannot be written. */
#include "cf.h"
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <time.h>

static void
on_alarm(int sig)
{
	(void)sig;
}

static long
wait_in(int kind)
{
	struct timeval tv = { 1, 500000 };
	struct timespec ts = { 1, 500000000 };
	struct epoll_event ev;

	switch (kind) {
	case 0:
		return poll(NULL, 0, 1500);
	case 1:
		return select(0, NULL, NULL, NULL, &tv);
	case 2:
		return syscall(SYS_pselect6, 0, NULL, NULL, NULL, &ts, NULL);
	case 3:
		return syscall(SYS_ppoll, NULL, 0, &ts, NULL, 8);
	default:
		return epoll_wait(epoll_create1(0), &ev, 1, 1500);
	}
}

static const char *names[] = { "poll", "select", "pselect6", "ppoll", "epoll_wait" };

/* Stops pid once it sleeps in its call, and lets it go on once it is stopped. */
static void
stop_and_continue(pid_t pid)
{
	cf_await_state(pid, 'S', 500);
	usleep(20000);
	kill(pid, SIGSTOP);
	cf_await_state(pid, 'T', 500);
	kill(pid, SIGCONT);
}

int
main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	for (int k = 0; k < 5; k++) {
		pid_t c = fork();
		if (c == 0) {
			char label[64];
			snprintf(label, sizeof(label), "%s across a stop", names[k]);
			R(label, wait_in(k));
			_exit(0);
		}
		stop_and_continue(c);
		waitpid(c, NULL, 0);
	}

	struct sigaction sa = { .sa_handler = on_alarm };
	sigaction(SIGALRM, &sa, NULL);
	struct timeval tv = { 5, 0 };
	ualarm(200000, 0);
	R("select with a handler", select(0, NULL, NULL, NULL, &tv));
	YN("  time left written", tv.tv_sec < 5 && (tv.tv_sec > 0 || tv.tv_usec > 0));
	struct timespec ts = { 5, 0 };
	ualarm(200000, 0);
	R("pselect6 with a handler", syscall(SYS_pselect6, 0, NULL, NULL, NULL, &ts, NULL));
	YN("  time left written", ts.tv_sec < 5 && (ts.tv_sec > 0 || ts.tv_nsec > 0));
	ts = (struct timespec){ 5, 0 };
	ualarm(200000, 0);
	R("ppoll with a handler", syscall(SYS_ppoll, NULL, 0, &ts, NULL, 8));
	YN("  time left written", ts.tv_sec < 5 && (ts.tv_sec > 0 || ts.tv_nsec > 0));
	ualarm(200000, 0);
	R("poll with a handler", poll(NULL, 0, 5000));

	/* a timeout in read-only memory: EINTR however the signal ends it */
	struct timeval *ro = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
				  -1, 0);
	ro->tv_sec = 1;
	ro->tv_usec = 500000;
	mprotect(ro, 4096, PROT_READ);
	pid_t c = fork();
	if (c == 0) {
		/* (glibc's select writes the timeout itself: the call as it is) */
		R("select, read-only timeout, across a stop",
		  syscall(SYS_select, 0, NULL, NULL, NULL, ro));
		_exit(0);
	}
	stop_and_continue(c);
	int st;
	waitpid(c, &st, 0);
	printf("child: %s %d\n", WIFEXITED(st) ? "exit" : "signal",
	       WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
	return 0;
}
