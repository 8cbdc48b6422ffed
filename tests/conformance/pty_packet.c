/* Pseudo-terminal packet mode (TIOCPKT): master reads start with a status byte, 0 before
 * data; the slave's TCFLSH sets FLUSHREAD/FLUSHWRITE for the master (poll: POLLPRI), the
 * master's own flushes do not; a slave cannot set it. */
#include "cf.h"
#include <poll.h>
#include <sys/ioctl.h>
#include <termios.h>

static int
prio_ready(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLPRI };
	int r = poll(&p, 1, 0);
	return r <= 0 ? r : p.revents & (POLLIN | POLLPRI);
}

int
main(void)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY);
	if (m < 0) {
		printf("no ptmx: %s\n", en(errno));
		return 0;
	}
	grantpt(m);
	unlockpt(m);
	int s = open(ptsname(m), O_RDWR | O_NOCTTY);
	int on = 1, got = -1;
	unsigned char buf[16];

	R("TIOCGPKT before", (ioctl(m, TIOCGPKT, &got), got));
	R("TIOCPKT on the slave", ioctl(s, TIOCPKT, &on));
	R("TIOCPKT on", ioctl(m, TIOCPKT, &on));
	R("TIOCGPKT after", (ioctl(m, TIOCGPKT, &got), got));
	write(s, "hi\n", 3);
	struct pollfd p = { .fd = m, .events = POLLIN };
	poll(&p, 1, 5000);
	ssize_t n = read(m, buf, sizeof(buf));
	R("master read", n);
	printf("  bytes:");
	for (ssize_t i = 0; i < n; i++)
		printf(" %02x", buf[i]);
	printf("\n");
	write(m, "yo\n", 3);
	poll(&(struct pollfd){ .fd = s, .events = POLLIN }, 1, 5000);
	R("slave reads no status byte", read(s, buf, sizeof(buf)));

	R("slave TCIFLUSH", ioctl(s, TCFLSH, TCIFLUSH));
	R("  master POLLIN|POLLPRI", prio_ready(m));
	R("  status", read(m, buf, sizeof(buf)) == 1 ? buf[0] : -1);
	R("slave TCOFLUSH", ioctl(s, TCFLSH, TCOFLUSH));
	R("  status", read(m, buf, sizeof(buf)) == 1 ? buf[0] : -1);
	R("slave TCIOFLUSH", ioctl(s, TCFLSH, TCIOFLUSH));
	R("  status", read(m, buf, sizeof(buf)) == 1 ? buf[0] : -1);
	R("master TCIOFLUSH", ioctl(m, TCFLSH, TCIOFLUSH));
	R("  nothing to read", prio_ready(m));

	on = 0;
	R("TIOCPKT off", ioctl(m, TIOCPKT, &on));
	write(s, "ok\n", 3);
	poll(&p, 1, 5000);
	R("plain read", read(m, buf, sizeof(buf)));
	return 0;
}
