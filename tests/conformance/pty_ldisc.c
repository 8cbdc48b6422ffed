/* The pty line discipline: canonical editing (erase, kill, word erase, literal next,
 * reprint, EOF, EOL), echo flavours, input and output processing, flow control,
 * non-canonical VMIN/VTIME, flushing, and a full canonical buffer. Prints what the slave
 * reads and what the master sees echoed or written. */
#include "cf.h"
#include <poll.h>
#include <pty.h>
#include <sys/ioctl.h>
#include <termios.h>

static int m, s;

static void
show(const char *label, const char *b, int n)
{
	printf("%s: %d '", label, n);
	for (int i = 0; i < n; i++) {
		unsigned char c = b[i];
		if (c == '\n')
			printf("\\n");
		else if (c == '\r')
			printf("\\r");
		else if (c == '\b')
			printf("\\b");
		else if (c == '\t')
			printf("\\t");
		else if (c == '\\')
			printf("\\\\");
		else if (c < 32 || c >= 127)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
	printf("'\n");
}

/* Everything the master has to read, once Linux's asynchronous pushes have settled. */
static void
echo_of(const char *label)
{
	char b[8192];
	int n = 0, r;
	struct pollfd p = { m, POLLIN, 0 };

	for (int wait = 1000; poll(&p, 1, wait) > 0 && n < (int)sizeof(b); wait = 50) {
		r = read(m, b + n, sizeof(b) - n);
		if (r <= 0)
			break;
		n += r;
	}
	show(label, b, n);
}

static void
feed(const char *bytes)
{
	write(m, bytes, strlen(bytes));
}

/* One read from the slave, after waiting for it to become readable. */
static void
slave_read(const char *label, size_t want)
{
	char b[8192];
	struct pollfd p = { s, POLLIN, 0 };

	poll(&p, 1, 1000);
	errno = 0;
	int n = read(s, b, want);
	if (n < 0)
		printf("%s: -1 %s\n", label, en(errno));
	else
		show(label, b, n);
}

static void
readable(const char *label)
{
	struct pollfd p = { s, POLLIN, 0 };
	int x = -1;

	poll(&p, 1, 100);
	ioctl(s, FIONREAD, &x);
	printf("%s: readable %d FIONREAD %d\n", label, !!(p.revents & POLLIN), x);
}

static void
mode(tcflag_t iset, tcflag_t iclr, tcflag_t oset, tcflag_t oclr, tcflag_t lset, tcflag_t lclr)
{
	struct termios t;

	tcgetattr(s, &t);
	t.c_iflag = (t.c_iflag | iset) & ~iclr;
	t.c_oflag = (t.c_oflag | oset) & ~oclr;
	t.c_lflag = (t.c_lflag | lset) & ~lclr;
	if (tcsetattr(s, TCSANOW, &t) < 0)
		printf("tcsetattr: %s\n", en(errno));
}

static void
set_cc(int idx, int v)
{
	struct termios t;

	tcgetattr(s, &t);
	t.c_cc[idx] = v;
	tcsetattr(s, TCSANOW, &t);
}

static void
fresh(void)
{
	close(m);
	close(s);
	if (openpty(&m, &s, NULL, NULL, NULL) < 0)
		printf("openpty: %s\n", en(errno));
}

static void
slave_write(const char *label, const char *bytes)
{
	R(label, write(s, bytes, strlen(bytes)));
	echo_of("  master got");
}

int
main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (openpty(&m, &s, NULL, NULL, NULL) < 0)
		return 1;

	printf("-- canonical with echo (defaults)\n");
	feed("abc\177d\n");
	echo_of("echo");
	slave_read("read", 100);
	feed("hello\025bye\n");
	echo_of("kill echo (ECHOKE)");
	slave_read("read", 100);
	feed("one two\027three\n");
	echo_of("werase echo");
	slave_read("read", 100);
	feed("x\001y\n");
	echo_of("control char echo (ECHOCTL)");
	slave_read("read", 100);
	feed("\026\177\026\003z\n");
	echo_of("literal next echo");
	slave_read("read", 100);
	feed("ab\022c\n");
	echo_of("reprint echo");
	slave_read("read", 100);
	feed("a\tb\177\177\177\n");
	echo_of("tab erase echo");
	slave_read("read", 100);
	feed("\303\251\177\n");
	echo_of("utf-8 erase without IUTF8");
	slave_read("read", 100);
	mode(IUTF8, 0, 0, 0, 0, 0);
	feed("\303\251\177!\n");
	echo_of("utf-8 erase with IUTF8");
	slave_read("read", 100);
	feed("\177\177q\n");
	echo_of("erase at line start");
	slave_read("read", 100);

	printf("-- echo flags\n");
	mode(0, 0, 0, 0, 0, ECHOKE);
	feed("zzz\025k\n");
	echo_of("kill echo (ECHOK, no ECHOKE)");
	slave_read("read", 100);
	mode(0, 0, 0, 0, 0, ECHOE);
	feed("ab\177c\n");
	echo_of("erase echo without ECHOE");
	slave_read("read", 100);
	mode(0, 0, 0, 0, ECHOPRT, 0);
	feed("abc\177\177x\n");
	echo_of("erase echo with ECHOPRT");
	slave_read("read", 100);
	mode(0, 0, 0, 0, ECHOE | ECHOKE, ECHOPRT | ECHO);
	feed("quiet\n");
	echo_of("no ECHO");
	slave_read("read", 100);
	mode(0, 0, 0, 0, ECHONL, 0);
	feed("nl\n");
	echo_of("ECHONL without ECHO");
	slave_read("read", 100);
	mode(0, 0, 0, 0, ECHO, ECHONL | ECHOCTL);
	feed("c\001\n");
	echo_of("no ECHOCTL");
	slave_read("read", 100);

	printf("-- line ends\n");
	fresh();
	mode(0, 0, 0, 0, 0, ECHO);
	feed("\004");
	slave_read("EOF at line start", 100);
	feed("xy\004");
	readable("partial line + EOF");
	slave_read("read", 100);
	feed("pq\004\004");
	slave_read("read", 100);
	slave_read("read", 100);
	set_cc(VEOL, ';');
	feed("ab;cd\n");
	slave_read("VEOL read 1", 100);
	slave_read("VEOL read 2", 100);
	feed("hello\n");
	slave_read("small read 1", 2);
	slave_read("small read 2", 2);
	slave_read("small read 3", 2);
	feed("half");
	readable("a partial line");
	feed("\n\004");
	readable("a line and an EOF");
	slave_read("read", 100);
	slave_read("read", 100);

	printf("-- input processing\n");
	feed("cr\r");
	slave_read("ICRNL", 100);
	mode(IGNCR, 0, 0, 0, 0, 0);
	feed("ig\r\n");
	slave_read("IGNCR", 100);
	mode(INLCR, IGNCR | ICRNL, 0, 0, 0, ICANON);
	feed("n\n");
	slave_read("INLCR", 100);
	mode(ISTRIP | ICRNL, INLCR, 0, 0, ICANON, 0);
	feed("\341b\n");
	slave_read("ISTRIP", 100);
	mode(0, ISTRIP, 0, 0, 0, ISIG);
	feed("\003\034\032\n");
	slave_read("no ISIG", 100);
	mode(0, 0, 0, 0, ISIG | ECHO, 0);

	printf("-- flow control\n");
	fresh();
	fcntl(s, F_SETFL, O_NONBLOCK);
	feed("\023");
	echo_of("^S echo");
	R("write while stopped", write(s, "x", 1));
	feed("\021");
	echo_of("^Q echo");
	slave_write("write after ^Q", "y");
	R("tcflow TCOOFF", tcflow(s, TCOOFF));
	R("write after TCOOFF", write(s, "x", 1));
	feed("\021");
	R("write after ^Q (TCOOFF holds)", write(s, "x", 1));
	R("tcflow TCOON", tcflow(s, TCOON));
	slave_write("write after TCOON", "z");
	R("tcflow TCIOFF", tcflow(s, TCIOFF));
	echo_of("master got");
	R("tcflow bad", tcflow(s, 9));
	fcntl(s, F_SETFL, 0);

	printf("-- output processing\n");
	slave_write("ONLCR", "a\nb\r\tc\n");
	mode(0, 0, OCRNL, ONLCR, 0, 0);
	slave_write("OCRNL", "a\rb\n");
	mode(0, 0, ONLRET | ONOCR, OCRNL, 0, 0);
	slave_write("ONOCR ONLRET", "\rx\ry\n\r");
	mode(0, 0, OLCUC | XTABS, ONLRET | ONOCR, 0, 0);
	slave_write("OLCUC XTABS", "ab\tcd\te\n");
	mode(0, 0, 0, OPOST, 0, 0);
	slave_write("no OPOST", "r\naw\t\n");
	mode(0, 0, OPOST | ONLCR, OLCUC | XTABS, 0, 0);
	feed("te\tx\n");
	echo_of("tab echo");
	slave_read("read", 100);

	printf("-- switching modes\n");
	feed("par");
	echo_of("echo");
	mode(0, 0, 0, 0, 0, ICANON);
	slave_read("after leaving canonical mode", 100);
	feed("qr");
	readable("in non-canonical mode");
	mode(0, 0, 0, 0, ICANON, 0);
	readable("back in canonical mode");
	slave_read("read", 100);
	echo_of("echo");

	printf("-- non-canonical VMIN/VTIME\n");
	mode(0, 0, 0, 0, 0, ICANON | ECHO);
	set_cc(VMIN, 0);
	set_cc(VTIME, 0);
	R("MIN 0 TIME 0, nothing", read(s, (char[8]){0}, 8));
	set_cc(VMIN, 2);
	feed("1");
	readable("MIN 2, one byte");
	feed("2");
	readable("MIN 2, two bytes");
	slave_read("read", 100);
	feed("abc");
	slave_read("MIN 2, read 1 of 3", 1);
	slave_read("rest", 100);
	set_cc(VMIN, 0);
	set_cc(VTIME, 2);
	R("MIN 0 TIME 2, nothing", read(s, (char[8]){0}, 8));
	feed("t");
	slave_read("MIN 0 TIME 2, a byte", 100);
	set_cc(VMIN, 3);
	set_cc(VTIME, 1);
	feed("u");
	slave_read("MIN 3 TIME 1, one byte", 100);
	set_cc(VTIME, 0);
	set_cc(VMIN, 1);

	printf("-- flushing\n");
	mode(0, 0, 0, 0, ICANON, 0);
	feed("junk\n");
	readable("before TCIFLUSH");
	R("tcflush TCIFLUSH", tcflush(s, TCIFLUSH));
	readable("after TCIFLUSH");
	feed("keep\n");
	slave_read("read", 100);
	slave_write("write", "out\n");
	R("tcflush bad", tcflush(s, 7));

	printf("-- a full canonical buffer\n");
	static char big[5000];
	memset(big, 'a', sizeof(big));
	write(m, big, sizeof(big));
	readable("5000 bytes, no newline");
	feed("\n");
	static char rb[8192];
	struct pollfd p = { s, POLLIN, 0 };
	poll(&p, 1, 1000);
	int n = read(s, rb, sizeof(rb));
	printf("read %d, last byte %d, a's %d\n", n, n > 0 ? rb[n - 1] : -1,
	       (int)(n > 0 ? strspn(rb, "a") : 0));
	feed("after\n");
	slave_read("next line", 100);
	return 0;
}
