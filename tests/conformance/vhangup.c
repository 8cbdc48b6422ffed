/*
 * vhangup(2): refused without CAP_SYS_TTY_CONFIG (EPERM), nothing to do without a
 * controlling terminal, and with one (a pty slave acquired by a session leader) its open
 * descriptors hung up: read gives 0, write and ioctls EIO (TIOCSPGRP ENOTTY), poll says
 * everything; the process has no controlling terminal any more, and the terminal itself
 * can be opened again by name.
 */
#include "cf.h"
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>

static void
in_child(void (*fn)(void))
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		fn();
		_exit(0);
	}
	waitpid(pid, &st, 0);
	printf("child exit: %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st));
}

static void
no_tty(void)
{
	setsid();
	R("vhangup without a terminal", syscall(SYS_vhangup));
}

static void
unprivileged(void)
{
	setsid();
	if (setuid(65534) < 0)
		_exit(3);
	R("vhangup unprivileged", syscall(SYS_vhangup));
}

static volatile int hups;

static void
on_hup(int sig)
{
	(void)sig;
	hups++;
}

static void
with_tty(void)
{
	char name[64], c;
	struct winsize ws;
	struct pollfd p;
	int m, s, s2, s3;
	pid_t pg;

	setsid();
	signal(SIGHUP, on_hup);
	m = posix_openpt(O_RDWR | O_NOCTTY);
	if (m < 0 || grantpt(m) < 0 || unlockpt(m) < 0 || ptsname_r(m, name, sizeof(name)))
		_exit(4);
	s = open(name, O_RDWR); /* a session leader's first terminal: its controlling one */
	s2 = dup(s);
	R("write before", write(s, "a", 1));
	R("vhangup", syscall(SYS_vhangup));
	printf("SIGHUP: %d\n", hups);
	R("read after", read(s, &c, 1));
	R("write after", write(s2, "b", 1));
	R("TIOCGWINSZ after", ioctl(s, TIOCGWINSZ, &ws));
	pg = getpgrp();
	R("TIOCSPGRP after", ioctl(s, TIOCSPGRP, &pg));
	p.fd = s;
	p.events = POLLIN | POLLOUT;
	R("poll after", poll(&p, 1, 0));
	printf("revents %#x\n", p.revents);
	FD("open /dev/tty after", open("/dev/tty", O_RDWR));
	s3 = FD("open the terminal again", open(name, O_RDWR | O_NOCTTY));
	R("write to the new descriptor", write(s3, "c", 1));
	R("master still writes", write(m, "d\n", 2));
	R("vhangup again (no terminal now)", syscall(SYS_vhangup));
}

int
main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	in_child(no_tty);
	in_child(unprivileged);
	in_child(with_tty);
	return 0;
}
