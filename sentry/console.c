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
 *
 * `sandbox exec --tty` gets a console of its own the same way (console_exec): its host fd
 * is the slave of the pty whose master went to the console socket; resizes come as
 * requests from the exec client (console_resize). Such a console ends when either side
 * does: the host terminal hangs up (the guest's does too), or every slave file inside is
 * closed and the output is written out (the host fd is closed, as the slave of a Linux
 * pty is once its last process is gone).
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <unistd.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>

#include "fs/tty.h"
#include "fs/vfs.h"
#include "sentry/sentry.h"

#define RELAY_CHUNK 4096
#define MAX_CONSOLES 33 /* the first program's, and one for each exec process at once */

struct console {
	struct file *master;
	int in_fd, out_fd, size_fd;
	bool exec;                 /* exec's: in_fd and out_fd are ours to close */
	bool used;                 /* (the slot is taken) */
	int refs;                  /* the relay, and the exec process while it runs */
	bool ending;               /* exec's: the relay ends once the pump is done */
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
};
/* A static pool: a watch the loop saw before a console ended never points at freed memory. */
static struct console consoles[MAX_CONSOLES];
static struct console *init_con; /* the first program's */
static volatile sig_atomic_t winch; /* SIGWINCH came: copy the window size */

static void pump(struct console *c);
static void relay_end(struct console *c);

/* Guest output: master -> out_fd, as far as out_fd takes it. */
static void
pump_out(struct console *c)
{
	for (;;) {
		if (c->out_len == 0) {
			ssize_t n = file_read(c->master, c->out_buf, sizeof(c->out_buf));

			/* exec's console: every slave file is closed and the output is out */
			if (n == -EIO && c->exec)
				c->ending = true;
			if (n <= 0)
				break;
			c->out_off = 0;
			c->out_len = n;
		}
		if (c->out_dead) {
			c->out_len = 0;
			continue;
		}
		ssize_t w = write(c->out_fd, c->out_buf + c->out_off, c->out_len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN)
			break;
		if (w <= 0) {
			c->out_dead = true; /* the terminal or pipe is gone */
			continue;
		}
		c->out_off += w;
		c->out_len -= w;
	}
	c->out_w.events = c->out_len && !c->out_dead ? POLLOUT : 0;
}

/* User input: pending bytes into the master, then more from in_fd when it has room. */
static void
pump_in(struct console *c)
{
	while (c->in_len) {
		ssize_t n = file_write(c->master, c->in_buf + c->in_off, c->in_len);

		if (n <= 0)
			break;
		c->in_off += n;
		c->in_len -= n;
	}
	c->in_w.events = !c->in_done && !c->in_len && tty_master_can_write(c->master)
				 ? POLLIN
				 : 0;
}

static void
pump(struct console *c)
{
	if (!c->master)
		return;
	if (c->busy) {
		c->again = true;
		return;
	}
	c->busy = true;
	do {
		c->again = false;
		pump_in(c);
		pump_out(c);
	} while (c->again);
	c->busy = false;
	if (c->ending)
		relay_end(c);
}

/* The master's readiness changed: guest output, or room for input. */
static void
console_notify(void *arg)
{
	pump(arg);
}

/* The guest's terminal goes: hung up (SIGHUP to its session) once no master is left. */
static void
drop_master(struct console *c)
{
	struct file *m = c->master;

	c->master = NULL;
	if (m)
		tty_console_release(m);
}

static void
console_put(struct console *c)
{
	if (--c->refs == 0)
		memset(c, 0, sizeof(*c));
}

/* exec's console: the relay is over; the process may still hold it (console_detach). */
static void
relay_end(struct console *c)
{
	if (c->in_fd < 0)
		return;
	c->ending = false;
	evl_watch_del(&c->in_w);
	evl_watch_del(&c->out_w);
	c->in_w.events = c->out_w.events = 0;
	drop_master(c);
	close(c->in_fd);
	close(c->out_fd);
	c->in_fd = c->out_fd = c->size_fd = -1;
	console_put(c);
}

static void
input_ended(struct console *c)
{
	c->in_done = true;
	if (c->in_tty) {
		/* The user's terminal hung up: so does the guest's (SIGHUP to its session). */
		pump_out(c);
		if (c->exec)
			relay_end(c);
		else
			drop_master(c);
		return;
	}
	tty_master_eof(c->master); /* --tty over a pipe or file: end of input */
}

static void
update_size(struct console *c)
{
	struct winsize ws;

	if (c->master && c->size_fd >= 0 && ioctl(c->size_fd, TIOCGWINSZ, &ws) == 0)
		tty_set_winsize(c->master, &ws);
}

static struct console *
console_of(struct evl_watch *w, bool in)
{
	size_t off = in ? offsetof(struct console, in_w) : offsetof(struct console, out_w);

	return (struct console *)((char *)w - off);
}

/* in_fd may be readable (poll said so, or SIGIO came: revents 0), or SIGWINCH came. */
static void
in_ready(struct evl_watch *w, short revents)
{
	struct console *c = console_of(w, true);
	ssize_t n;

	if (c == init_con && winch) {
		winch = 0;
		update_size(c);
	}
	if (!c->in_w.events)
		return;
	n = read(c->in_fd, c->in_buf, sizeof(c->in_buf));
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		c->in_w.events = 0;
		input_ended(c);
		return;
	}
	c->in_off = 0;
	c->in_len = n;
	pump(c);
}

static void
out_ready(struct evl_watch *w, short revents)
{
	pump(console_of(w, false));
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

/* A free console for a pty pair whose slave t gets on the std fds in fd_mask, as its
 * controlling terminal when t leads a session without one. */
static int
console_new(struct task *t, unsigned fd_mask, int in_fd, int out_fd, int size_fd,
	    const struct termios *host_tio, struct console **out)
{
	struct tty_termios tio;
	struct winsize ws = { 0 };
	struct console *c = NULL;
	struct file *slave;
	int err;

	for (int i = 0; i < MAX_CONSOLES && !c; i++)
		if (!consoles[i].used)
			c = &consoles[i];
	if (!c)
		return -EAGAIN;
	memset(c, 0, sizeof(*c));
	c->in_fd = in_fd;
	c->out_fd = out_fd;
	c->size_fd = size_fd;
	c->in_tty = host_tio != NULL;
	if (host_tio) {
		c->host_tio = *host_tio;
		c->have_tio = true;
		termios_from_host(host_tio, &tio);
	}
	if (size_fd >= 0)
		ioctl(size_fd, TIOCGWINSZ, &ws);
	err = tty_console_new(t, host_tio ? &tio : NULL, &ws, console_notify, c, &c->master,
			      &slave);
	if (err)
		return err;
	c->used = true;
	c->refs = 1;
	for (int fd = 0; fd < 3; fd++)
		if (fd_mask & (1u << fd))
			fdt_install_at(t->fdt, fd, slave, false);
	file_put(slave);
	*out = c;
	return 0;
}

int
console_setup(struct task *t, unsigned fd_mask, int in_fd, int out_fd, int size_fd,
	      const struct termios *host_tio)
{
	return console_new(t, fd_mask, in_fd, out_fd, size_fd, host_tio, &init_con);
}

static bool
ends_line(const struct termios *tio, unsigned char ch)
{
	return ch == '\n' || (ch && (ch == tio->c_cc[VEOL] || ch == tio->c_cc[VEOL2]));
}

/* What the user typed before the terminal goes raw is in its line discipline as lines:
 * read as lines they keep their end-of-file characters, which raw reads would give as
 * NUL bytes (a `cat` fed "text\n^D" by a pty harness waited for ever). The guest's
 * terminal gets them unechoed, the user's having echoed them. Hung up: left to the relay. */
static void
take_typeahead(struct console *c)
{
	const struct termios *tio = &c->host_tio;
	char buf[RELAY_CHUNK];
	size_t len = 0;

	if (!(tio->c_lflag & ICANON))
		return;
	while (len + 1 < sizeof(buf)) {
		struct pollfd p = { c->in_fd, POLLIN, 0 };
		size_t room = sizeof(buf) - 1 - len; /* (and one for an end-of-file) */
		ssize_t n;

		if (ppoll(&p, 1, &(struct timespec){ 0 }, NULL) != 1 || p.revents != POLLIN)
			break;
		n = read(c->in_fd, buf + len, room);
		if (n < 0)
			break;
		len += n;
		if ((size_t)n == room) /* a longer line: the rest comes raw */
			break;
		/* A line read without its end was ended by VEOF; none read at all is one. */
		if ((n == 0 || !ends_line(tio, buf[len - 1])) && tio->c_cc[VEOF])
			buf[len++] = tio->c_cc[VEOF];
	}
	if (len)
		tty_master_typeahead(c->master, buf, len);
}

/* The user's terminal goes raw and the relay starts watching its fds. */
static int
relay_start(struct console *c)
{
	if (c->have_tio) {
		struct termios raw = c->host_tio;

		take_typeahead(c);
		cfmakeraw(&raw);
		raw.c_cc[VMIN] = 1;
		raw.c_cc[VTIME] = 0;
		tcsetattr(c->in_fd, TCSADRAIN, &raw); /* the CLI restores it at the end */
	}
	c->in_w.fd = c->in_fd;
	c->in_w.ready = in_ready;
	/* SIGIO only on a description of our own (the CLI reopened it non-blocking): one
	 * shared with the user's shell must not keep O_ASYNC after us. */
	c->in_w.signals = evl_signal_ready(c->in_fd);
	c->out_w.fd = c->out_fd;
	c->out_w.ready = out_ready;
	c->out_w.signals = c->exec && evl_signal_ready(c->out_fd); /* (exec's: ours) */
	int err = evl_watch_add(&c->in_w);
	if (!err)
		err = evl_watch_add(&c->out_w);
	pump(c);
	return err;
}

int
console_start(void)
{
	struct sigaction wc = { .sa_handler = on_sigwinch };

	if (!init_con || !init_con->master)
		return 0;
	/* No SA_RESTART: the signal must end the loop's wait for the stubs. */
	sigaction(SIGWINCH, &wc, NULL);
	return relay_start(init_con);
}

/* The guest is done: write out what it left, waiting a little for a slow terminal. */
void
console_finish(void)
{
	struct console *c = init_con;

	if (!c || !c->master)
		return;
	pump_out(c);
	for (int i = 0; i < 100 && c->out_len && !c->out_dead; i++) {
		struct pollfd p = { c->out_fd, POLLOUT, 0 };
		struct timespec ten_ms = { 0, 10000000 };

		if (ppoll(&p, 1, &ten_ms, NULL) > 0)
			pump_out(c);
	}
}

static int
set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0 ? -errno : 0;
}

int
console_exec(struct task *t, int in_fd, int out_fd, struct console **out)
{
	struct termios tio;
	struct console *c;
	/* The description is the exec client's too, which only holds it as its terminal. */
	int err = set_nonblock(in_fd);

	if (!err)
		err = set_nonblock(out_fd);
	bool in_tty = !err && tcgetattr(in_fd, &tio) == 0;
	int size_fd = in_tty ? in_fd : isatty(out_fd) ? out_fd : -1;
	if (!err)
		err = console_new(t, 7, in_fd, out_fd, size_fd, in_tty ? &tio : NULL, &c);
	if (err) {
		close(in_fd);
		close(out_fd);
		return err;
	}
	c->exec = true;
	c->refs = 2; /* the relay, and the process */
	if (relay_start(c) < 0) {
		relay_end(c);
		console_put(c);
		return -EAGAIN;
	}
	*out = c;
	return 0;
}

void
console_resize(struct console *c)
{
	update_size(c);
}

void
console_detach(struct console *c)
{
	pump(c); /* what it wrote last, as far as the host terminal takes it now */
	console_put(c);
}
