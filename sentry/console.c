/*
 * The console: when `sandbox run` has a terminal, the guest gets a pseudo-terminal of its
 * own (fs/pty.c) as controlling terminal, and the sentry relays between its master and
 * the user's terminal: keys typed become master input (so ^C is a byte the guest's line
 * discipline turns into SIGINT for the guest's foreground group), guest output is written
 * out, and SIGWINCH (relayed by the CLI) copies the window size.
 *
 * The host fds are the CLI's own descriptions of the terminal, reopened non-blocking, so
 * the relay never blocks the sentry. The user's terminal goes raw when the guest starts;
 * the CLI, which outlives the sentry, restores it.
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>

#include "fs/tty.h"
#include "fs/vfs.h"
#include "sentry/sentry.h"

#define RELAY_CHUNK 4096

static struct console {
	struct file *master;
	int in_fd, out_fd, size_fd;
	bool in_tty;               /* in_fd is the user's terminal */
	bool in_done;              /* no more input (end of file, or the terminal is gone) */
	bool out_dead;             /* writing failed for good: output is dropped */
	struct termios host_tio;
	bool have_tio;
	char in_buf[RELAY_CHUNK];  /* read from the user, not yet taken by the master */
	size_t in_off, in_len;
	char out_buf[RELAY_CHUNK]; /* read from the master, not yet written out */
	size_t out_off, out_len;
	struct evl_watch in_w, out_w;
	bool busy;                 /* inside pump (the master's notify re-enters) */
	bool again;
} con = { .in_fd = -1, .out_fd = -1, .size_fd = -1 };
static volatile sig_atomic_t winch; /* SIGWINCH came: copy the window size */

static void pump(void);

/* Guest output: master -> out_fd, as far as out_fd takes it. */
static void
pump_out(void)
{
	for (;;) {
		if (con.out_len == 0) {
			ssize_t n = file_read(con.master, con.out_buf, sizeof(con.out_buf));

			if (n <= 0)
				break;
			con.out_off = 0;
			con.out_len = n;
		}
		if (con.out_dead) {
			con.out_len = 0;
			continue;
		}
		ssize_t w = write(con.out_fd, con.out_buf + con.out_off, con.out_len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN)
			break;
		if (w <= 0) {
			con.out_dead = true; /* the terminal or pipe is gone */
			continue;
		}
		con.out_off += w;
		con.out_len -= w;
	}
	con.out_w.events = con.out_len && !con.out_dead ? POLLOUT : 0;
}

/* User input: pending bytes into the master, then more from in_fd when it has room. */
static void
pump_in(void)
{
	while (con.in_len) {
		ssize_t n = file_write(con.master, con.in_buf + con.in_off, con.in_len);

		if (n <= 0)
			break;
		con.in_off += n;
		con.in_len -= n;
	}
	con.in_w.events = !con.in_done && !con.in_len && tty_master_can_write(con.master)
				  ? POLLIN
				  : 0;
}

static void
pump(void)
{
	if (!con.master)
		return;
	if (con.busy) {
		con.again = true;
		return;
	}
	con.busy = true;
	do {
		con.again = false;
		pump_in();
		pump_out();
	} while (con.again);
	con.busy = false;
}

/* The master's readiness changed: guest output, or room for input. */
static void
console_notify(void *arg)
{
	pump();
}

static void
input_ended(void)
{
	con.in_done = true;
	if (con.in_tty) {
		/* The user's terminal hung up: so does the guest's (SIGHUP to its session). */
		struct file *m = con.master;

		pump_out();
		con.master = NULL;
		file_put(m);
		return;
	}
	tty_master_eof(con.master); /* --tty over a pipe or file: end of input */
}

static void
update_size(void)
{
	struct winsize ws;

	winch = 0;
	if (con.master && con.size_fd >= 0 && ioctl(con.size_fd, TIOCGWINSZ, &ws) == 0)
		tty_set_winsize(con.master, &ws);
}

/* in_fd may be readable (poll said so, or SIGIO came: revents 0), or SIGWINCH came. */
static void
in_ready(struct evl_watch *w, short revents)
{
	ssize_t n;

	if (winch)
		update_size();
	if (!con.in_w.events)
		return;
	n = read(con.in_fd, con.in_buf, sizeof(con.in_buf));
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		input_ended();
		con.in_w.events = 0;
		return;
	}
	con.in_off = 0;
	con.in_len = n;
	pump();
}

static void
out_ready(struct evl_watch *w, short revents)
{
	pump();
}

/* Both only wake the loop (evl_kick): the work happens there. */
static void
on_sigwinch(int sig)
{
	winch = 1;
	evl_kick();
}

static void
termios_from_host(const struct termios *h, struct tty_termios *t)
{
	memset(t, 0, sizeof(*t));
	t->c_iflag = h->c_iflag;
	t->c_oflag = h->c_oflag;
	t->c_cflag = h->c_cflag;
	t->c_lflag = h->c_lflag;
	t->c_line = h->c_line;
	memcpy(t->c_cc, h->c_cc, sizeof(t->c_cc));
	t->c_ispeed = t->c_ospeed = 38400;
}

int
console_setup(struct task *t, unsigned fd_mask, int in_fd, int out_fd, int size_fd,
	      const struct termios *host_tio)
{
	struct tty_termios tio;
	struct winsize ws = { 0 };
	struct file *slave;
	int err;

	con.in_fd = in_fd;
	con.out_fd = out_fd;
	con.size_fd = size_fd;
	con.in_tty = host_tio != NULL;
	if (host_tio) {
		con.host_tio = *host_tio;
		con.have_tio = true;
		termios_from_host(host_tio, &tio);
	}
	if (size_fd >= 0)
		ioctl(size_fd, TIOCGWINSZ, &ws);
	err = tty_console_new(t, host_tio ? &tio : NULL, &ws, console_notify, NULL, &con.master,
			      &slave);
	if (err)
		return err;
	for (int fd = 0; fd < 3; fd++)
		if (fd_mask & (1u << fd))
			fdt_install_at(t->fdt, fd, slave, false);
	file_put(slave);
	return 0;
}

int
console_start(void)
{
	struct sigaction wc = { .sa_handler = on_sigwinch };
	int err;

	if (!con.master)
		return 0;
	if (con.have_tio) {
		struct termios raw = con.host_tio;

		cfmakeraw(&raw);
		raw.c_cc[VMIN] = 1;
		raw.c_cc[VTIME] = 0;
		tcsetattr(con.in_fd, TCSADRAIN, &raw); /* the CLI restores it at the end */
	}
	/* No SA_RESTART: the signal must end the loop's wait for the stubs. */
	sigaction(SIGWINCH, &wc, NULL);
	con.in_w.fd = con.in_fd;
	con.in_w.ready = in_ready;
	/* SIGIO only on a description of our own (the CLI reopened it non-blocking): one
	 * shared with the user's shell must not keep O_ASYNC after us. */
	con.in_w.signals = evl_signal_ready(con.in_fd);
	con.out_w.fd = con.out_fd;
	con.out_w.ready = out_ready;
	err = evl_watch_add(&con.in_w);
	if (!err)
		err = evl_watch_add(&con.out_w);
	pump();
	return err;
}

/* The guest is done: write out what it left, waiting a little for a slow terminal. */
void
console_finish(void)
{
	if (!con.master)
		return;
	pump_out();
	for (int i = 0; i < 100 && con.out_len && !con.out_dead; i++) {
		struct pollfd p = { con.out_fd, POLLOUT, 0 };
		struct timespec ten_ms = { 0, 10000000 };

		if (ppoll(&p, 1, &ten_ms, NULL) > 0)
			pump_out();
	}
}
