/*
 * The line discipline of pseudo-terminals, after Linux's n_tty: input processing
 * (ISTRIP, IUCLC, IGNCR/ICRNL/INLCR, IXON), signals (ISIG: VINTR, VQUIT, VSUSP), canonical
 * editing (VERASE, VKILL, VWERASE, VLNEXT, VREPRINT, VEOF, VEOL, VEOL2), echo (ECHO, ECHOE,
 * ECHOK, ECHOKE, ECHONL, ECHOCTL, ECHOPRT) and output processing (OPOST, ONLCR, OCRNL,
 * ONOCR, ONLRET, OLCUC, XTABS). Echoes go straight into the output queue.
 *
 * The read buffer is linear (4 KiB, shifted on reads); flags mark line ends. In canonical
 * mode rbuf[0, canon_len) holds complete lines and the rest is the line being edited; an
 * end-of-file is kept as a '\0' line end that reads do not return, as Linux does.
 */
#include <ctype.h>
#include <signal.h>
#include <string.h>
#include <termios.h>

#include "fs/internal.h"
#include "fs/ldisc.h"

#define I(t, f) ((t)->tio.c_iflag & (f))
#define O(t, f) ((t)->tio.c_oflag & (f))
#define L(t, f) ((t)->tio.c_lflag & (f))
#define CC(t, i) ((t)->tio.c_cc[i])

/* ---- byte queues ---- */

size_t
bq_push(struct bq *q, const void *p, size_t n, size_t max)
{
	n = MIN(n, max > q->len ? max - q->len : 0);
	if (n == 0)
		return 0;
	if (q->start + q->len + n > q->cap) {
		if (q->start) {
			memmove(q->buf, q->buf + q->start, q->len);
			q->start = 0;
		}
		if (q->len + n > q->cap) {
			size_t cap = MAX(q->cap * 2, 1024);

			while (cap < q->len + n)
				cap *= 2;
			unsigned char *nb = xmalloc(cap);
			if (q->len)
				memcpy(nb, q->buf, q->len);
			free(q->buf);
			q->buf = nb;
			q->cap = cap;
		}
	}
	memcpy(q->buf + q->start + q->len, p, n);
	q->len += n;
	return n;
}

size_t
bq_pop(struct bq *q, void *p, size_t n)
{
	n = MIN(n, q->len);
	if (p && n)
		memcpy(p, q->buf + q->start, n);
	q->start += n;
	q->len -= n;
	if (q->len == 0) {
		q->start = 0;
		if (q->cap > 4 * 1024) { /* give back a buffer that grew */
			free(q->buf);
			q->buf = NULL;
			q->cap = 0;
		}
	}
	return n;
}

void
bq_truncate(struct bq *q, size_t len)
{
	if (len < q->len)
		q->len = len;
}

void
bq_free(struct bq *q)
{
	free(q->buf);
	memset(q, 0, sizeof(*q));
}

/* ---- wakeups ---- */

void
tty_wake_master(struct tty *tty)
{
	waitq_wake(&tty->master_wq);
	if (tty->notify)
		tty->notify(tty->notify_arg);
}

void
tty_wake_slave(struct tty *tty)
{
	waitq_wake(&tty->slave_wq);
}

/* ---- output processing ---- */

static bool
is_continuation(struct tty *tty, unsigned char c)
{
	return I(tty, IUTF8) && (c & 0xc0) == 0x80;
}

static int
put_out(struct tty *tty, const void *p, size_t n, size_t space)
{
	if (n > space)
		return -1;
	bq_push(&tty->out, p, n, SIZE_MAX);
	return (int)n;
}

/* Linux do_output_char: one byte with OPOST processing; bytes used, or -1 for no room. */
static int
output_char(struct tty *tty, unsigned char c, size_t space)
{
	unsigned int spaces;

	if (!space)
		return -1;
	switch (c) {
	case '\n':
		if (O(tty, ONLRET))
			tty->column = 0;
		if (O(tty, ONLCR)) {
			if (space < 2)
				return -1;
			tty->canon_column = tty->column = 0;
			return put_out(tty, "\r\n", 2, space);
		}
		tty->canon_column = tty->column;
		break;
	case '\r':
		if (O(tty, ONOCR) && tty->column == 0)
			return 0;
		if (O(tty, OCRNL)) {
			c = '\n';
			if (O(tty, ONLRET))
				tty->canon_column = tty->column = 0;
			break;
		}
		tty->canon_column = tty->column = 0;
		break;
	case '\t':
		spaces = 8 - (tty->column & 7);
		if ((tty->tio.c_oflag & TABDLY) == XTABS) {
			if (space < spaces)
				return -1;
			tty->column += spaces;
			return put_out(tty, "        ", spaces, space);
		}
		tty->column += spaces;
		break;
	case '\b':
		if (tty->column > 0)
			tty->column--;
		break;
	default:
		if (!iscntrl(c)) {
			if (O(tty, OLCUC))
				c = toupper(c);
			if (!is_continuation(tty, c))
				tty->column++;
		}
		break;
	}
	return put_out(tty, &c, 1, space);
}

static size_t
out_space(struct tty *tty, size_t max)
{
	return max > tty->out.len ? max - tty->out.len : 0;
}

/* ---- echo ---- */

static void
echo_raw(struct tty *tty, unsigned char c)
{
	size_t space = out_space(tty, TTY_OUT_MAX + TTY_ECHO_SLACK);

	if (O(tty, OPOST))
		output_char(tty, c, space);
	else
		put_out(tty, &c, 1, space);
}

static void
echo_char(struct tty *tty, unsigned char c)
{
	if (L(tty, ECHOCTL) && iscntrl(c) && c != '\t') {
		unsigned char pair[2] = { '^', c ^ 0100 };

		if (put_out(tty, pair, 2, out_space(tty, TTY_OUT_MAX + TTY_ECHO_SLACK)) == 2)
			tty->column += 2;
		return;
	}
	echo_raw(tty, c);
}

static void
finish_erasing(struct tty *tty)
{
	if (tty->erasing) {
		echo_raw(tty, '/');
		tty->erasing = false;
	}
}

static void
echo_set_canon_col(struct tty *tty)
{
	if (tty->canon_len == tty->rlen)
		tty->canon_column = tty->column;
}

/* Backs over a tab: num_chars columns used since the line start or a previous tab. */
static void
echo_erase_tab(struct tty *tty, unsigned int num_chars, bool after_tab)
{
	unsigned int bs;

	num_chars &= 7;
	if (!after_tab)
		num_chars += tty->canon_column;
	bs = 8 - (num_chars & 7);
	while (bs--) {
		unsigned char b = '\b';

		if (put_out(tty, &b, 1, out_space(tty, TTY_OUT_MAX + TTY_ECHO_SLACK)) < 0)
			break;
		if (tty->column > 0)
			tty->column--;
	}
}

/* ---- the read buffer ---- */

static void
put_char(struct tty *tty, unsigned char c, unsigned char flags)
{
	if (tty->rlen >= TTY_BUF)
		return;
	tty->rbuf[tty->rlen] = c;
	tty->rflags[tty->rlen] = flags;
	tty->rlen++;
}

static void
consume(struct tty *tty, size_t n)
{
	memmove(tty->rbuf, tty->rbuf + n, tty->rlen - n);
	memmove(tty->rflags, tty->rflags + n, tty->rlen - n);
	tty->rlen -= n;
	tty->canon_len = tty->canon_len > n ? tty->canon_len - n : 0;
}

static void
handle_newline(struct tty *tty, unsigned char c)
{
	put_char(tty, c, RF_DELIM);
	tty->canon_len = tty->rlen;
	tty_wake_slave(tty);
}

void
ldisc_flush_input(struct tty *tty)
{
	tty->rlen = 0;
	tty->canon_len = 0;
	tty->erasing = false;
	tty->lnext = false;
	tty_wake_master(tty);
}

/* ---- input processing ---- */

static bool
is_cc(struct tty *tty, unsigned char c, int idx)
{
	return c == CC(tty, idx);
}

static void
start_output(struct tty *tty)
{
	if (!tty->stopped || tty->tco_stopped)
		return;
	tty->stopped = false;
	tty_wake_slave(tty);
}

/* Linux n_tty's char_map: the bytes that need more than storing and echoing. */
static bool
is_special(struct tty *tty, unsigned char c)
{
	if (c == 0)
		return false; /* _POSIX_VDISABLE */
	if (c == '\r' && I(tty, IGNCR | ICRNL))
		return true;
	if (c == '\n' && I(tty, INLCR))
		return true;
	if (L(tty, ICANON)) {
		if (is_cc(tty, c, VERASE) || is_cc(tty, c, VKILL) || is_cc(tty, c, VEOF) ||
		    c == '\n' || is_cc(tty, c, VEOL))
			return true;
		if (L(tty, IEXTEN) && (is_cc(tty, c, VWERASE) || is_cc(tty, c, VLNEXT) ||
				       is_cc(tty, c, VEOL2) ||
				       (L(tty, ECHO) && is_cc(tty, c, VREPRINT))))
			return true;
	}
	if (I(tty, IXON) && (is_cc(tty, c, VSTART) || is_cc(tty, c, VSTOP)))
		return true;
	return L(tty, ISIG) &&
	       (is_cc(tty, c, VINTR) || is_cc(tty, c, VQUIT) || is_cc(tty, c, VSUSP));
}

static void
receive_normal(struct tty *tty, unsigned char c)
{
	if (tty->stopped && !tty->tco_stopped && I(tty, IXON) && I(tty, IXANY))
		start_output(tty);
	if (L(tty, ECHO)) {
		finish_erasing(tty);
		echo_set_canon_col(tty);
		echo_char(tty, c);
	}
	put_char(tty, c, 0);
}

static void
receive_signal(struct tty *tty, int sig, unsigned char c)
{
	if (!L(tty, NOFLSH)) {
		/* Linux drops the echoes of this batch of input, still in its echo buffer,
		 * along with what was typed */
		bq_truncate(&tty->out, tty->out_mark);
		tty->rlen = 0;
		tty->canon_len = 0;
		tty->erasing = false;
		tty->lnext = false;
	}
	tty_signal_fg(tty, sig);
	if (I(tty, IXON))
		start_output(tty);
	if (L(tty, ECHO))
		echo_char(tty, c);
}

/* Erases one character, one word or the line being edited (Linux eraser()). */
static void
eraser(struct tty *tty, unsigned char c)
{
	enum { ERASE, WERASE, KILL } kind;
	int seen_alnums = 0;

	if (tty->rlen == tty->canon_len)
		return;
	if (is_cc(tty, c, VERASE)) {
		kind = ERASE;
	} else if (is_cc(tty, c, VWERASE)) {
		kind = WERASE;
	} else {
		if (!L(tty, ECHO)) {
			tty->rlen = tty->canon_len;
			return;
		}
		if (!L(tty, ECHOK) || !L(tty, ECHOKE) || !L(tty, ECHOE)) {
			tty->rlen = tty->canon_len;
			finish_erasing(tty);
			echo_char(tty, CC(tty, VKILL));
			if (L(tty, ECHOK))
				echo_raw(tty, '\n');
			return;
		}
		kind = KILL;
	}
	while (tty->rlen > tty->canon_len) {
		size_t head = tty->rlen, cnt;

		do {
			head--;
			c = tty->rbuf[head];
		} while (is_continuation(tty, c) && head > tty->canon_len);
		if (is_continuation(tty, c))
			break; /* do not erase part of a character */
		if (kind == WERASE) {
			if (isalnum(c) || c == '_')
				seen_alnums++;
			else if (seen_alnums)
				break;
		}
		cnt = tty->rlen - head;
		tty->rlen = head;
		if (L(tty, ECHO)) {
			if (L(tty, ECHOPRT)) {
				if (!tty->erasing) {
					echo_raw(tty, '\\');
					tty->erasing = true;
				}
				echo_char(tty, c);
				while (--cnt > 0) {
					head++;
					echo_raw(tty, tty->rbuf[head]);
					if (tty->column > 0)
						tty->column--;
				}
			} else if (kind == ERASE && !L(tty, ECHOE)) {
				echo_char(tty, CC(tty, VERASE));
			} else if (c == '\t') {
				unsigned int num_chars = 0;
				bool after_tab = false;

				for (size_t i = tty->rlen; i > tty->canon_len; i--) {
					unsigned char p = tty->rbuf[i - 1];

					if (p == '\t') {
						after_tab = true;
						break;
					} else if (iscntrl(p)) {
						if (L(tty, ECHOCTL))
							num_chars += 2;
					} else if (!is_continuation(tty, p)) {
						num_chars++;
					}
				}
				echo_erase_tab(tty, num_chars, after_tab);
			} else {
				int times = iscntrl(c) && L(tty, ECHOCTL) ? 2 : 1;

				while (times--) {
					echo_raw(tty, '\b');
					echo_raw(tty, ' ');
					echo_raw(tty, '\b');
				}
			}
		}
		if (kind == ERASE)
			break;
	}
	if (tty->rlen == tty->canon_len && L(tty, ECHO))
		finish_erasing(tty);
}

/* Canonical-mode special characters; false when c is an ordinary one after all. */
static bool
receive_canon(struct tty *tty, unsigned char c)
{
	if (is_cc(tty, c, VERASE) || is_cc(tty, c, VKILL) ||
	    (is_cc(tty, c, VWERASE) && L(tty, IEXTEN))) {
		eraser(tty, c);
		return true;
	}
	if (is_cc(tty, c, VLNEXT) && L(tty, IEXTEN)) {
		tty->lnext = true;
		if (L(tty, ECHO)) {
			finish_erasing(tty);
			if (L(tty, ECHOCTL)) {
				echo_raw(tty, '^');
				echo_raw(tty, '\b');
			}
		}
		return true;
	}
	if (is_cc(tty, c, VREPRINT) && L(tty, ECHO) && L(tty, IEXTEN)) {
		finish_erasing(tty);
		echo_char(tty, c);
		echo_raw(tty, '\n');
		for (size_t i = tty->canon_len; i < tty->rlen; i++)
			echo_char(tty, tty->rbuf[i]);
		return true;
	}
	if (c == '\n') {
		if (L(tty, ECHO) || L(tty, ECHONL))
			echo_raw(tty, '\n');
		handle_newline(tty, c);
		return true;
	}
	if (is_cc(tty, c, VEOF)) {
		handle_newline(tty, 0); /* read as the end of the line, never returned */
		return true;
	}
	if (is_cc(tty, c, VEOL) || (is_cc(tty, c, VEOL2) && L(tty, IEXTEN))) {
		if (L(tty, ECHO)) {
			echo_set_canon_col(tty);
			echo_char(tty, c);
		}
		handle_newline(tty, c);
		return true;
	}
	return false;
}

static void
receive_special(struct tty *tty, unsigned char c)
{
	if (I(tty, IXON) && (is_cc(tty, c, VSTART) || is_cc(tty, c, VSTOP))) {
		if (is_cc(tty, c, VSTART)) {
			start_output(tty);
		} else if (!tty->stopped) {
			tty->stopped = true;
		}
		return;
	}
	if (L(tty, ISIG)) {
		int sig = is_cc(tty, c, VINTR) ? SIGINT : is_cc(tty, c, VQUIT) ? SIGQUIT
			: is_cc(tty, c, VSUSP) ? SIGTSTP : 0;

		if (sig) {
			receive_signal(tty, sig, c);
			return;
		}
	}
	if (tty->stopped && !tty->tco_stopped && I(tty, IXON) && I(tty, IXANY))
		start_output(tty);
	if (c == '\r') {
		if (I(tty, IGNCR))
			return;
		if (I(tty, ICRNL))
			c = '\n';
	} else if (c == '\n' && I(tty, INLCR)) {
		c = '\r';
	}
	if (L(tty, ICANON) && receive_canon(tty, c))
		return;
	if (L(tty, ECHO)) {
		finish_erasing(tty);
		if (c == '\n') {
			echo_raw(tty, '\n');
		} else {
			echo_set_canon_col(tty);
			echo_char(tty, c);
		}
	}
	put_char(tty, c, 0);
}

static void
receive_char(struct tty *tty, unsigned char c)
{
	if (I(tty, ISTRIP))
		c &= 0x7f;
	if (I(tty, IUCLC) && L(tty, IEXTEN))
		c = tolower(c);
	if (L(tty, EXTPROC)) {
		put_char(tty, c, 0);
		return;
	}
	if (tty->lnext) {
		tty->lnext = false;
		receive_normal(tty, c);
		return;
	}
	if (is_special(tty, c))
		receive_special(tty, c);
	else
		receive_normal(tty, c);
}

void
ldisc_receive(struct tty *tty)
{
	size_t before_in = tty->in.len;
	size_t before_out = tty->out.len;

	tty->out_mark = tty->out.len;
	while (tty->in.len) {
		unsigned char c;

		if (tty->rlen + 1 >= TTY_BUF) {
			/* Full. A canonical line with no end yet keeps taking bytes, each
			 * replacing the last, so a newline or an erase can still get in. */
			if (!L(tty, ICANON) || tty->canon_len)
				break;
			if (tty->rlen >= TTY_BUF)
				tty->rlen--;
		}
		bq_pop(&tty->in, &c, 1);
		receive_char(tty, c);
	}
	if (tty->in.len == before_in)
		return;
	tty->last_input_ns = monotonic_ns();
	tty_wake_slave(tty);
	if (tty->out.len != before_out || tty->in.len < TTY_IN_MAX)
		tty_wake_master(tty);
}

/* ---- reading and writing ---- */

size_t
ldisc_readable(struct tty *tty)
{
	return L(tty, ICANON) && !L(tty, EXTPROC) ? tty->canon_len : tty->rlen;
}

bool
ldisc_poll_in(struct tty *tty)
{
	size_t amt = 1;

	if (L(tty, ICANON) && !L(tty, EXTPROC))
		return tty->canon_len > 0;
	if (!CC(tty, VTIME) && CC(tty, VMIN))
		amt = CC(tty, VMIN);
	return tty->rlen >= amt;
}

size_t
ldisc_read(struct tty *tty, unsigned char *buf, size_t n)
{
	size_t take, copy;

	if (L(tty, ICANON) && !L(tty, EXTPROC)) {
		size_t avail = MIN(n, tty->canon_len), e;

		for (e = 0; e < avail && !(tty->rflags[e] & RF_DELIM); e++)
			;
		if (e < avail) { /* the line ends within what the caller wants */
			take = e + 1;
			copy = tty->rbuf[e] == 0 ? e : e + 1; /* an end-of-file is not data */
		} else {
			take = copy = avail;
		}
	} else {
		take = copy = MIN(n, tty->rlen);
	}
	memcpy(buf, tty->rbuf, copy);
	consume(tty, take);
	if (take) {
		ldisc_receive(tty);
		tty_wake_master(tty);
		tty_wake_slave(tty);
	}
	return copy;
}

size_t
ldisc_inq(struct tty *tty)
{
	size_t n = 0;

	if (!L(tty, ICANON) || L(tty, EXTPROC))
		return tty->rlen;
	for (size_t i = 0; i < tty->canon_len; i++)
		if (!((tty->rflags[i] & RF_DELIM) && tty->rbuf[i] == 0))
			n++;
	return n;
}

bool
ldisc_out_room(struct tty *tty)
{
	return !tty->stopped && tty->out.len < TTY_OUT_MAX;
}

size_t
ldisc_write(struct tty *tty, const unsigned char *buf, size_t n)
{
	size_t done = 0;

	if (tty->stopped)
		return 0;
	if (!O(tty, OPOST)) {
		done = bq_push(&tty->out, buf, n, TTY_OUT_MAX);
	} else {
		while (done < n && output_char(tty, buf[done], out_space(tty, TTY_OUT_MAX)) >= 0)
			done++;
	}
	if (done)
		tty_wake_master(tty);
	return done;
}

void
ldisc_set_termios(struct tty *tty, const struct tty_termios *tio)
{
	struct tty_termios old = tty->tio;

	tty->tio = *tio;
	if ((old.c_lflag ^ tio->c_lflag) & (ICANON | EXTPROC)) {
		memset(tty->rflags, 0, tty->rlen);
		if (!L(tty, ICANON) || !tty->rlen) {
			tty->canon_len = 0;
		} else { /* what was typed becomes one line */
			tty->rflags[tty->rlen - 1] |= RF_DELIM;
			tty->canon_len = tty->rlen;
		}
		tty->erasing = false;
		tty->lnext = false;
	}
	if (!I(tty, IXON) && (old.c_iflag & IXON) && !tty->tco_stopped)
		start_output(tty);
	ldisc_receive(tty);
	tty_wake_slave(tty);
	tty_wake_master(tty);
}

void
ldisc_init(struct tty *tty)
{
	tty_set_default_termios(&tty->tio);
	tty->last_input_ns = monotonic_ns();
}

void
ldisc_free(struct tty *tty)
{
	bq_free(&tty->in);
	bq_free(&tty->out);
}
