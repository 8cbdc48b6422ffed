/* TIOCGLCKTRMIOS / TIOCSLCKTRMIOS: a terminal's locked termios (both ends of a pty share the
 * slave's); locked flag bits and control characters keep their value across tcsetattr,
 * setting the lock needs CAP_SYS_ADMIN. */
#include "cf.h"
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>

static int
all_zero(const struct termios *t)
{
	static const struct termios z;
	return t->c_iflag == 0 && t->c_oflag == 0 && t->c_cflag == 0 && t->c_lflag == 0 &&
	       t->c_line == 0 && !memcmp(t->c_cc, z.c_cc, sizeof(z.c_cc));
}

int
main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	int m = posix_openpt(O_RDWR | O_NOCTTY);
	if (m < 0 || grantpt(m) || unlockpt(m)) {
		printf("ptmx: %s\n", en(errno));
		return 1;
	}
	int s = open(ptsname(m), O_RDWR | O_NOCTTY);
	struct termios lk, t;
	memset(&lk, 0, sizeof(lk));
	lk.c_lflag = 0xffff;
	OK("get lock (slave)", ioctl(s, TIOCGLCKTRMIOS, &lk));
	printf("initial lock empty: %d\n", all_zero(&lk));
	memset(&lk, 0, sizeof(lk));
	lk.c_cc[VINTR] = 5;
	OK("get lock (master)", ioctl(m, TIOCGLCKTRMIOS, &lk));
	printf("master's lock empty: %d\n", all_zero(&lk));

	tcgetattr(s, &t);
	t.c_lflag |= ECHO;
	t.c_cc[VINTR] = 3;
	tcsetattr(s, TCSANOW, &t);
	memset(&lk, 0, sizeof(lk));
	lk.c_lflag = ECHO;
	lk.c_cc[VINTR] = 1;
	OK("set lock (master)", ioctl(m, TIOCSLCKTRMIOS, &lk));
	memset(&lk, 0, sizeof(lk));
	ioctl(s, TIOCGLCKTRMIOS, &lk);
	printf("slave sees the lock: lflag ECHO %d, VINTR %d\n", !!(lk.c_lflag & ECHO), lk.c_cc[VINTR]);

	tcgetattr(s, &t);
	t.c_lflag &= ~(ECHO | ICANON);
	t.c_cc[VINTR] = 7;
	t.c_cc[VEOF] = 9;
	OK("tcsetattr", tcsetattr(s, TCSANOW, &t));
	tcgetattr(s, &t);
	printf("after set: ECHO %d ICANON %d VINTR %d VEOF %d\n", !!(t.c_lflag & ECHO),
	       !!(t.c_lflag & ICANON), t.c_cc[VINTR], t.c_cc[VEOF]);

	pid_t pid = fork();
	if (pid == 0) {
		if (setuid(65534) < 0)
			_exit(2);
		struct termios none;
		memset(&none, 0, sizeof(none));
		errno = 0;
		int r = ioctl(s, TIOCSLCKTRMIOS, &none);
		printf("unprivileged set lock: %d %s\n", r, r < 0 ? en(errno) : "");
		r = ioctl(s, TIOCGLCKTRMIOS, &none);
		printf("unprivileged get lock: %d\n", r);
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, NULL, 0);

	memset(&lk, 0, sizeof(lk));
	OK("unlock", ioctl(s, TIOCSLCKTRMIOS, &lk));
	tcgetattr(s, &t);
	t.c_lflag &= ~ECHO;
	t.c_cc[VINTR] = 7;
	tcsetattr(s, TCSANOW, &t);
	tcgetattr(s, &t);
	printf("after unlock: ECHO %d VINTR %d\n", !!(t.c_lflag & ECHO), t.c_cc[VINTR]);
	return 0;
}
