/* Pseudo-terminals: posix_openpt/grantpt/unlockpt/ptsname, devpts entries, openpty and
 * TIOCGPTPEER, isatty/ttyname, termios and window size round trips, readiness, and what
 * each side sees when the other closes. */
#include "cf.h"
#include <dirent.h>
#include <poll.h>
#include <pty.h>
#include <sys/ioctl.h>
#include <sys/sysmacros.h>
#include <termios.h>

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

/* Linux moves bytes between the two sides asynchronously: wait until fd has events. */
static short
settle(int fd, short events)
{
	struct pollfd p = { fd, events, 0 };

	poll(&p, 1, 1000);
	return p.revents;
}

static void
show_termios(const char *label, int fd)
{
	struct termios t;

	if (tcgetattr(fd, &t) < 0) {
		printf("%s: -1 %s\n", label, en(errno));
		return;
	}
	printf("%s: i=%#o o=%#o c=%#o l=%#o ispeed=%u ospeed=%u cc=", label, t.c_iflag,
	       t.c_oflag, t.c_cflag, t.c_lflag, cfgetispeed(&t), cfgetospeed(&t));
	for (int i = 0; i < 17; i++)
		printf("%s%d", i ? "," : "", t.c_cc[i]);
	printf("\n");
}

static int
pts_listed(int n)
{
	char want[16];
	struct dirent *e;
	DIR *d = opendir("/dev/pts");
	int found = 0;

	snprintf(want, sizeof(want), "%d", n);
	while (d && (e = readdir(d)))
		found |= !strcmp(e->d_name, want);
	if (d)
		closedir(d);
	return found;
}

int
main(void)
{
	char name[64], buf[256], link[64];
	struct stat st, st2;
	struct winsize ws = { 24, 80, 0, 0 };
	int m, s, n, x;

	cf_init();
	m = FD("posix_openpt", posix_openpt(O_RDWR | O_NOCTTY));
	R("grantpt", grantpt(m));
	YN("ptsname is /dev/pts/N", ptsname(m) && !strncmp(ptsname(m), "/dev/pts/", 9));
	snprintf(name, sizeof(name), "%s", ptsname(m));
	R("open slave while locked", open(name, O_RDWR | O_NOCTTY));
	R("TIOCGPTLCK", ioctl(m, TIOCGPTLCK, &x));
	printf("locked: %d\n", x);
	R("unlockpt", unlockpt(m));
	R("TIOCGPTN", ioctl(m, TIOCGPTN, &n));
	YN("TIOCGPTN matches ptsname", atoi(name + 9) == n);
	YN("listed in /dev/pts", pts_listed(n));
	s = FD("open slave", open(name, O_RDWR | O_NOCTTY));
	printf("isatty master %d slave %d\n", isatty(m), isatty(s));
	YN("ttyname(slave) == ptsname", ttyname(s) && !strcmp(ttyname(s), name));
	snprintf(buf, sizeof(buf), "/proc/self/fd/%d", s);
	n = readlink(buf, link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = 0;
	YN("/proc/self/fd/slave is the pts path", !strcmp(link, name));
	snprintf(buf, sizeof(buf), "/proc/self/fd/%d", m);
	n = readlink(buf, link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = 0;
	printf("/proc/self/fd/master: %s\n", link);
	fstat(s, &st);
	stat(name, &st2);
	printf("slave: chr %d major %d; fstat == stat: %d\n", S_ISCHR(st.st_mode), major(st.st_rdev),
	       st.st_ino == st2.st_ino && st.st_dev == st2.st_dev && st.st_rdev == st2.st_rdev);
	fstat(m, &st);
	printf("master: chr %d rdev %d:%d\n", S_ISCHR(st.st_mode), major(st.st_rdev), minor(st.st_rdev));
	R("TIOCGPTN on slave", ioctl(s, TIOCGPTN, &x));
	R("lseek slave", lseek(s, 0, SEEK_SET));
	R("pread slave", pread(s, buf, 1, 0));

	/* termios */
	show_termios("default slave", s);
	show_termios("via master", m);
	struct termios t;
	tcgetattr(s, &t);
	t.c_lflag &= ~(ECHO | ICANON);
	t.c_iflag |= IGNCR;
	t.c_oflag &= ~ONLCR;
	t.c_cc[VMIN] = 3;
	t.c_cc[VTIME] = 7;
	t.c_cflag |= PARENB | CSTOPB;
	cfsetospeed(&t, B9600);
	cfsetispeed(&t, B9600);
	R("tcsetattr TCSANOW", tcsetattr(s, TCSANOW, &t));
	show_termios("after set", s);
	cfsetispeed(&t, B0);
	cfsetospeed(&t, B115200);
	R("tcsetattr TCSADRAIN via master", tcsetattr(m, TCSADRAIN, &t));
	show_termios("after set via master", s);
	cfmakeraw(&t);
	R("tcsetattr TCSAFLUSH raw", tcsetattr(s, TCSAFLUSH, &t));
	show_termios("raw", s);

	/* window size */
	R("TIOCSWINSZ master", ioctl(m, TIOCSWINSZ, &ws));
	memset(&ws, 0, sizeof(ws));
	R("TIOCGWINSZ slave", ioctl(s, TIOCGWINSZ, &ws));
	printf("winsize %dx%d\n", ws.ws_row, ws.ws_col);

	/* data both ways (raw mode now) */
	struct pollfd pf[2] = { { m, POLLIN | POLLOUT, 0 }, { s, POLLIN | POLLOUT, 0 } };
	poll(pf, 2, 0);
	printf("poll idle: master %#x slave %#x\n", pf[0].revents, pf[1].revents);
	R("write master", write(m, "hello", 5));
	printf("slave events %#x\n", settle(s, POLLIN));
	R("FIONREAD slave", ioctl(s, FIONREAD, &x));
	printf("  = %d\n", x);
	n = read(s, buf, sizeof(buf));
	printf("slave read %d '%.*s'\n", n, n > 0 ? n : 0, buf);
	R("write slave", write(s, "world\n", 6));
	printf("master events %#x\n", settle(m, POLLIN));
	R("FIONREAD master", ioctl(m, FIONREAD, &x));
	printf("  = %d\n", x);
	R("TIOCOUTQ slave", ioctl(s, TIOCOUTQ, &x));
	printf("  = %d\n", x);
	n = read(m, buf, sizeof(buf));
	printf("master read %d '%.*s'\n", n, n > 0 ? n - 1 : 0, buf);
	fcntl(s, F_SETFL, O_NONBLOCK);
	fcntl(m, F_SETFL, O_NONBLOCK);
	R("read empty slave (nonblocking)", read(s, buf, sizeof(buf)));
	R("read empty master (nonblocking)", read(m, buf, sizeof(buf)));

	/* another slave file through TIOCGPTPEER, and openpty */
	int s2 = FD("TIOCGPTPEER", ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY));
	fstat(s2, &st);
	printf("peer is the slave: %d\n", st.st_ino == st2.st_ino && st.st_rdev == st2.st_rdev);
	x = FD("TIOCGPTPEER O_CREAT", ioctl(m, TIOCGPTPEER, O_CREAT | O_NOCTTY));
	close(x);
	R("TIOCGPTPEER on slave", ioctl(s, TIOCGPTPEER, O_RDWR));
	int om, os;
	struct termios ot;
	tcgetattr(s, &ot);
	ot.c_lflag &= ~ECHO;
	ws.ws_row = 50;
	ws.ws_col = 132;
	R("openpty", openpty(&om, &os, link, &ot, &ws));
	memset(&ws, 0, sizeof(ws));
	ioctl(os, TIOCGWINSZ, &ws);
	tcgetattr(os, &t);
	printf("openpty winsize %dx%d echo %d\n", ws.ws_row, ws.ws_col, !!(t.c_lflag & ECHO));
	close(om);
	close(os);

	/* the slave closes: the master reads what is left, then EIO; POLLHUP */
	R("write slave before close", write(s, "bye", 3));
	settle(m, POLLIN);
	close(s);
	close(s2);
	pf[0].revents = 0;
	poll(pf, 1, 0);
	printf("master events after slave close %#x\n", pf[0].revents);
	n = read(m, buf, sizeof(buf));
	printf("master read %d\n", n);
	R("master read again", read(m, buf, sizeof(buf)));
	R("master write", write(m, "x", 1));
	s = FD("reopen slave", open(name, O_RDWR | O_NOCTTY | O_NONBLOCK));
	R("master read after reopen", read(m, buf, sizeof(buf)));

	/* the master closes: the slave is hung up */
	n = atoi(name + 9);
	close(m);
	pf[1].revents = 0;
	poll(&pf[1], 1, 0);
	printf("slave events after master close %#x\n", pf[1].revents);
	R("slave read", read(s, buf, sizeof(buf)));
	R("slave write", write(s, "x", 1));
	R("slave tcgetattr", tcgetattr(s, &t));
	R("slave TIOCSPGRP", ioctl(s, TIOCSPGRP, &x));
	R("open pts after master close", open(name, O_RDWR | O_NOCTTY));
	YN("listed in /dev/pts after close", pts_listed(n));
	close(s);
	m = FD("open /dev/ptmx O_RDONLY", open("/dev/ptmx", O_RDONLY | O_NOCTTY));
	close(m);
	return 0;
}
