/* Controlling terminals and job control on a pty: a session leader acquires the slave;
 * /dev/tty; ^C, ^\ and ^Z signal the foreground group; TIOCSWINSZ sends SIGWINCH;
 * background reads get SIGTTIN, background writes SIGTTOU with TOSTOP (and restart once
 * in the foreground); TIOCNOTTY, setsid, TIOCSCTTY; hangups: the master closing, the
 * session leader exiting. Everything runs in a child with its own session. */
#include "cf.h"
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>

static int m, s;
static char name[64];
static volatile sig_atomic_t got[65];

static void on_sig(int sig) { got[sig]++; }

static void
catch(int sig, int flags)
{
	struct sigaction sa = { .sa_handler = on_sig, .sa_flags = flags };
	sigaction(sig, &sa, NULL);
}

static void
status(const char *label, int st)
{
	if (WIFEXITED(st))
		printf("%s: exit %d\n", label, WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		printf("%s: killed by %s\n", label, sigabbrev_np(WTERMSIG(st)));
	else if (WIFSTOPPED(st))
		printf("%s: stopped by %s\n", label, sigabbrev_np(WSTOPSIG(st)));
	else
		printf("%s: ?\n", label);
}

static void
drain_master(const char *label)
{
	char b[256];
	int n = 0, r;
	struct pollfd p = { m, POLLIN, 0 };

	for (int wait = 1000; poll(&p, 1, wait) > 0 && n < (int)sizeof(b) - 1; wait = 100) {
		r = read(m, b + n, sizeof(b) - 1 - n);
		if (r <= 0)
			break;
		n += r;
	}
	for (int i = 0; i < n; i++)
		if (b[i] == '\r' || b[i] == '\n')
			b[i] = '|';
	printf("%s: '%.*s'\n", label, n, b);
}

/* A child in a new process group of its own, started with a pipe it waits on. */
static pid_t
spawn(int go[2])
{
	pipe(go);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		char x;
		setpgid(0, 0);
		signal(SIGTTOU, SIG_DFL);
		signal(SIGTTIN, SIG_DFL);
		close(go[1]);
		read(go[0], &x, 1);
		return 0;
	}
	setpgid(c, c);
	close(go[0]);
	return c;
}

static int ack[2] = { -1, -1 };

/* The child has set itself up (handlers installed). */
static void
ready(void)
{
	write(ack[1], "a", 1);
}

static void
wait_ready(void)
{
	char x;
	read(ack[0], &x, 1);
}

static void
go(int g[2])
{
	write(g[1], "x", 1);
	close(g[1]);
}

static void
fg(pid_t pgrp, const char *label)
{
	errno = 0;
	int r = tcsetpgrp(s, pgrp);
	if (label)
		printf("%s: %d %s\n", label, r, r ? en(errno) : "");
}

static void
isig_tests(void)
{
	int g[2], st;
	pid_t c;

	printf("-- signals from the keyboard\n");
	c = spawn(g);
	if (c == 0) { /* blocks reading; ^C kills it */
		char b[8];
		read(s, b, sizeof(b));
		_exit(0);
	}
	fg(c, "tcsetpgrp to the child");
	printf("tcgetpgrp is the child: %d\n", tcgetpgrp(s) == c);
	go(g);
	usleep(50000);
	write(m, "abc\003", 4);
	waitpid(c, &st, 0);
	status("child after ^C", st);
	drain_master("echo");

	c = spawn(g);
	if (c == 0) {
		struct rlimit no = { 0, 0 };
		setrlimit(RLIMIT_CORE, &no);
		pause();
		_exit(0);
	}
	fg(c, NULL);
	go(g);
	write(m, "\034", 1);
	waitpid(c, &st, 0);
	status("child after ^\\", st);
	drain_master("echo");

	c = spawn(g);
	if (c == 0) {
		pause();
		_exit(0);
	}
	fg(c, NULL);
	go(g);
	write(m, "\032", 1);
	waitpid(c, &st, WUNTRACED);
	status("child after ^Z", st);
	kill(c, SIGKILL);
	waitpid(c, &st, 0);
	drain_master("echo");

	/* a handler: the read ends with EINTR; the partial line was flushed */
	c = spawn(g);
	if (c == 0) {
		char b[32];
		catch(SIGINT, 0);
		got[SIGINT] = 0;
		ready();
		int n = read(s, b, sizeof(b));
		printf("  child: read %d %s, SIGINT seen %d\n", n, n < 0 ? en(errno) : "", got[SIGINT]);
		n = read(s, b, sizeof(b));
		printf("  child: then read '%.*s'\n", n > 0 ? n - 1 : 0, b);
		_exit(0);
	}
	fg(c, NULL);
	go(g);
	wait_ready();
	usleep(100000);
	write(m, "lost\003", 5);
	usleep(50000);
	write(m, "kept\n", 5);
	waitpid(c, &st, 0);
	status("child with a SIGINT handler", st);
	drain_master("echo");

	/* SIGWINCH goes to the foreground group when the size changes */
	c = spawn(g);
	if (c == 0) {
		catch(SIGWINCH, 0);
		ready();
		for (int i = 0; i < 50 && !got[SIGWINCH]; i++)
			usleep(20000);
		printf("  child: SIGWINCH %d\n", got[SIGWINCH]);
		_exit(0);
	}
	fg(c, NULL);
	go(g);
	wait_ready();
	struct winsize ws = { 30, 100, 0, 0 };
	ioctl(m, TIOCSWINSZ, &ws);
	waitpid(c, &st, 0);
	status("child after TIOCSWINSZ", st);
	c = spawn(g);
	if (c == 0) {
		catch(SIGWINCH, 0);
		ready();
		usleep(300000);
		printf("  child: SIGWINCH for the same size %d\n", got[SIGWINCH]);
		_exit(0);
	}
	fg(c, NULL);
	go(g);
	wait_ready();
	ioctl(m, TIOCSWINSZ, &ws);
	waitpid(c, &st, 0);
	fg(getpgrp(), NULL);
}

static void
background_tests(void)
{
	int g[2], st;
	pid_t c;
	struct termios t;

	printf("-- background processes\n");
	printf("foreground is us: %d\n", tcgetpgrp(s) == getpgrp());
	c = spawn(g);
	if (c == 0) {
		char b[32];
		int n = read(s, b, sizeof(b));
		printf("  child: read '%.*s'\n", n > 0 ? n - 1 : 0, b);
		_exit(0);
	}
	go(g);
	waitpid(c, &st, WUNTRACED);
	status("background read", st);
	write(m, "line\n", 5);
	fg(c, NULL);
	kill(c, SIGCONT);
	waitpid(c, &st, 0);
	status("after fg and SIGCONT", st);
	fg(getpgrp(), NULL);
	drain_master("echo");

	c = spawn(g);
	if (c == 0) {
		char b[8];
		signal(SIGTTIN, SIG_IGN);
		R("  child: background read, SIGTTIN ignored", read(s, b, sizeof(b)));
		_exit(0);
	}
	go(g);
	waitpid(c, &st, 0);

	c = spawn(g);
	if (c == 0) {
		R("  child: background write, no TOSTOP", write(s, "bg1\n", 4));
		_exit(0);
	}
	go(g);
	waitpid(c, &st, 0);
	drain_master("master got");

	tcgetattr(s, &t);
	t.c_lflag |= TOSTOP;
	tcsetattr(s, TCSANOW, &t);
	c = spawn(g);
	if (c == 0) {
		R("  child: write with TOSTOP", write(s, "bg2\n", 4));
		_exit(0);
	}
	go(g);
	waitpid(c, &st, WUNTRACED);
	status("background write with TOSTOP", st);
	kill(c, SIGCONT);
	waitpid(c, &st, WUNTRACED);
	status("continued in the background", st);
	fg(c, NULL);
	kill(c, SIGCONT);
	waitpid(c, &st, 0);
	status("in the foreground", st);
	fg(getpgrp(), NULL);
	drain_master("master got");

	c = spawn(g);
	if (c == 0) {
		signal(SIGTTOU, SIG_IGN);
		R("  child: write with TOSTOP, SIGTTOU ignored", write(s, "bg3\n", 4));
		_exit(0);
	}
	go(g);
	waitpid(c, &st, 0);
	drain_master("master got");
	t.c_lflag &= ~TOSTOP;
	tcsetattr(s, TCSANOW, &t);

	c = spawn(g);
	if (c == 0) {
		struct termios u;
		tcgetattr(s, &u);
		R("  child: tcsetattr", tcsetattr(s, TCSANOW, &u));
		_exit(0);
	}
	go(g);
	waitpid(c, &st, WUNTRACED);
	status("background tcsetattr", st);
	kill(c, SIGKILL);
	waitpid(c, &st, 0);
}

static void
session_tests(void)
{
	int g[2], st, m2, s2;
	pid_t c;

	printf("-- sessions\n");
	fflush(stdout);
	c = fork();
	if (c == 0) {
		R("  setsid", setsid() > 0);
		R("  open /dev/tty without a terminal", open("/dev/tty", O_RDWR));
		R("  tcgetpgrp of the old terminal", tcgetpgrp(s));
		int fd = open(name, O_RDWR);
		R("  tcgetsid of a terminal of another session", tcgetsid(fd));
		R("  TIOCSCTTY of it", ioctl(fd, TIOCSCTTY, 0));
		openpty(&m2, &s2, NULL, NULL, NULL);
		R("  TIOCSCTTY of a new pty", ioctl(s2, TIOCSCTTY, 0));
		printf("  tcgetsid is ours: %d\n", tcgetsid(s2) == getsid(0));
		R("  TIOCSCTTY again", ioctl(s2, TIOCSCTTY, 0));
		R("  TIOCSCTTY of another", ioctl(fd, TIOCSCTTY, 0));
		R("  tcsetpgrp to a missing group", tcsetpgrp(s2, 99999));
		R("  tcsetpgrp to a group of another session", tcsetpgrp(s2, getppid()));
		R("  TIOCSPGRP negative", ioctl(s2, TIOCSPGRP, &(int){ -5 }));
		_exit(0);
	}
	waitpid(c, &st, 0);
	status("setsid child", st);

	/* TIOCNOTTY by the session leader: SIGHUP and SIGCONT to the foreground group */
	c = spawn(g);
	if (c == 0) {
		catch(SIGHUP, 0);
		catch(SIGCONT, 0);
		ready();
		for (int i = 0; i < 50 && !got[SIGHUP]; i++)
			usleep(20000);
		printf("  child: SIGHUP %d SIGCONT %d\n", got[SIGHUP], got[SIGCONT]);
		_exit(0);
	}
	fg(c, NULL);
	go(g);
	wait_ready();
	signal(SIGHUP, SIG_IGN);
	errno = 0;
	int r = ioctl(s, TIOCNOTTY), e = errno;
	waitpid(c, &st, 0);
	printf("TIOCNOTTY: %d %s\n", r, r ? en(e) : "");
	R("open /dev/tty after TIOCNOTTY", open("/dev/tty", O_RDWR));
	R("tcgetpgrp after TIOCNOTTY", tcgetpgrp(s));
	R("TIOCNOTTY again", ioctl(s, TIOCNOTTY));
	R("TIOCNOTTY on the master", ioctl(m, TIOCNOTTY));
	R("TIOCSCTTY to get it back", ioctl(s, TIOCSCTTY, 0));
}

/* The master closes: the session leader gets SIGHUP, its reads see end of file. */
static void
hangup_tests(void)
{
	int p[2], st, m2, s2;
	char nm[64], x;
	pid_t c;

	printf("-- hangups\n");
	openpty(&m2, &s2, nm, NULL, NULL);
	close(s2);
	pipe(p);
	fflush(stdout);
	c = fork();
	if (c == 0) {
		char b[8];
		close(m2);
		setsid();
		s2 = open(nm, O_RDWR);
		catch(SIGHUP, SA_RESTART);
		catch(SIGCONT, SA_RESTART);
		write(p[1], "r", 1);
		errno = 0;
		int n = read(s2, b, sizeof(b));
		printf("  leader: read %d %s, SIGHUP %d SIGCONT %d\n", n, en(errno), got[SIGHUP],
		       got[SIGCONT]);
		R("  leader: read again", read(s2, b, sizeof(b)));
		R("  leader: open /dev/tty", open("/dev/tty", O_RDWR));
		_exit(0);
	}
	read(p[0], &x, 1);
	usleep(50000);
	close(m2);
	waitpid(c, &st, 0);
	status("session leader after the master closed", st);

	/* The session leader exits: its foreground group gets SIGHUP. */
	int q[2];
	openpty(&m2, &s2, nm, NULL, NULL);
	close(s2);
	pipe(q);
	fflush(stdout);
	c = fork();
	if (c == 0) {
		close(m2);
		close(q[0]);
		setsid();
		s2 = open(nm, O_RDWR);
		int g[2];
		pipe(g);
		pid_t f = fork();
		if (f == 0) {
			setpgid(0, 0);
			catch(SIGHUP, 0);
			write(g[1], "r", 1); /* the leader exits only now */
			for (int i = 0; i < 50 && !got[SIGHUP]; i++)
				usleep(20000);
			printf("  foreground child: SIGHUP %d\n", got[SIGHUP]);
			_exit(0); /* closes q[1]: the parent's read sees end of file */
		}
		setpgid(f, f);
		tcsetpgrp(s2, f);
		read(g[0], &x, 1);
		_exit(0);
	}
	close(q[1]);
	waitpid(c, &st, 0);
	while (read(q[0], &x, 1) > 0)
		;
	status("session leader", st);
	close(q[0]);
	close(m2);
}

int
main(void)
{
	int st;

	setvbuf(stdout, NULL, _IOLBF, 0);
	cf_init();
	if (openpty(&m, &s, name, NULL, NULL) < 0 || pipe(ack) < 0)
		return 1;
	close(s);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		struct stat sb;
		char b[512];
		int fd, tty_nr = -1, tpgid = -2;

		R("setsid", setsid() > 0);
		s = open(name, O_RDWR);
		printf("tcgetpgrp is our group: %d\n", tcgetpgrp(s) == getpgrp());
		printf("tcgetsid is our session: %d\n", tcgetsid(s) == getsid(0));
		fstat(s, &sb);
		fd = open("/proc/self/stat", O_RDONLY);
		b[read(fd, b, sizeof(b) - 1)] = 0;
		close(fd);
		sscanf(strrchr(b, ')') + 2, "%*c %*d %*d %*d %d %d", &tty_nr, &tpgid);
		printf("/proc/self/stat tty_nr matches: %d tpgid matches: %d\n",
		       major(sb.st_rdev) == (unsigned)((tty_nr >> 8) & 0xfff) &&
			       minor(sb.st_rdev) == (unsigned)((tty_nr & 0xff) | ((tty_nr >> 12) & 0xfff00)),
		       tpgid == getpgrp());
		fd = FD("open /dev/tty", open("/dev/tty", O_RDWR));
		fstat(fd, &sb);
		printf("/dev/tty rdev %d:%d isatty %d\n", major(sb.st_rdev), minor(sb.st_rdev), isatty(fd));
		R("write /dev/tty", write(fd, "via dev tty\n", 12));
		drain_master("master got");
		close(fd);
		R("tcsetpgrp to our own group", tcsetpgrp(s, getpgrp()));
		signal(SIGTTOU, SIG_IGN); /* as a shell does, to take the terminal back */
		isig_tests();
		printf("-- taking the terminal back\n");
		int g[2];
		pid_t bg = spawn(g);
		if (bg == 0) {
			pause();
			_exit(0);
		}
		fg(bg, NULL);
		signal(SIGTTOU, SIG_DFL);
		R("tcsetpgrp from the background (orphaned group)", tcsetpgrp(s, getpgrp()));
		signal(SIGTTOU, SIG_IGN);
		R("tcsetpgrp with SIGTTOU ignored", tcsetpgrp(s, getpgrp()));
		kill(bg, SIGKILL);
		waitpid(bg, NULL, 0);
		background_tests();
		session_tests();
		hangup_tests();
		_exit(0);
	}
	waitpid(c, &st, 0);
	status("test child", st);
	return 0;
}
