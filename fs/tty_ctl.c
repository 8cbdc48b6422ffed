/*
 * Terminals and processes: controlling terminals (one per session, acquired by a session
 * leader's open or TIOCSCTTY, dropped by setsid, TIOCNOTTY, hangup and the leader's exit),
 * the foreground process group, job control (SIGTTIN, SIGTTOU) and the terminal ioctls.
 * Reads and writes from a task come here for job control and VMIN/VTIME.
 *
 * Ioctls on a master act on its slave's settings (Linux real_tty): termios, window size,
 * foreground group, TIOCSCTTY. The master itself is never anyone's controlling terminal.
 */
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <termios.h>

#include "fs/internal.h"
#include "fs/ldisc.h"
#include "sentry/ns.h"

#ifndef BOTHER
#define BOTHER 0010000
#endif
#ifndef IBSHIFT
#define IBSHIFT 16
#endif
#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif
#define KERNEL_TERMIOS_SIZE 36  /* struct termios without the speeds */
/* the termios2 calls (the libc headers lack struct termios2) */
#define TCGETS2_ 0x802c542aU
#define TCSETS2_ 0x402c542bU
#define TCSETSW2_ 0x402c542cU
#define TCSETSF2_ 0x402c542dU
#define TERMIO_NCC 8

/* struct termio (TCGETA): 16-bit flags, 8 control characters. */
_Static_assert(sizeof(struct tty_termios) == 44, "struct termios2 layout");

struct termio_k {
	unsigned short c_iflag, c_oflag, c_cflag, c_lflag;
	unsigned char c_line;
	unsigned char c_cc[TERMIO_NCC];
};

static struct task *
proc_of(struct task *t)
{
	return t->leader;
}

static bool
session_leader(struct task *t)
{
	return proc_of(t)->sid == proc_of(t)->tgid;
}

static struct tty *
ctty(struct task *t)
{
	return proc_of(t)->tty;
}

/* ---- controlling terminals ---- */

static void
set_ctty(struct task *t, struct tty *tty)
{
	tty->session = proc_of(t)->sid;
	tty->pgrp = proc_of(t)->pgid;
	proc_of(t)->tty = tty;
}

void
tty_open_ctty(struct task *t, struct tty *tty)
{
	if (session_leader(t) && !ctty(t) && !tty->session)
		set_ctty(t, tty);
}

/* Every process of the session forgets its terminal (Linux session_clear_tty). */
static void
session_clear(int sid)
{
	struct task *p, *tmp;

	HASH_ITER(hh, sentry.tasks, p, tmp)
		if (p->leader == p && p->sid == sid)
			p->tty = NULL;
}

void
tty_hangup_session(struct tty *tty)
{
	struct task *p, *tmp;

	HASH_ITER(hh, sentry.tasks, p, tmp) {
		if (p->leader != p || p->tty != tty)
			continue;
		p->tty = NULL;
		if (p->sid == p->tgid && tty->session == p->sid) {
			task_kill_process(p, SIGHUP, false);
			task_kill_process(p, SIGCONT, false);
		}
	}
	tty->session = 0;
	tty->pgrp = 0;
}

/* The session leader gives up its terminal (Linux disassociate_ctty): the foreground
 * group gets SIGHUP (and SIGCONT unless the leader is exiting). */
static void
disassociate(struct task *t, bool on_exit)
{
	struct tty *tty = ctty(t);

	if (!tty)
		return;
	if (tty->pgrp) {
		task_kill_pgrp(tty->pgrp, SIGHUP, false);
		if (!on_exit)
			task_kill_pgrp(tty->pgrp, SIGCONT, false);
	}
	tty->session = 0;
	tty->pgrp = 0;
	session_clear(proc_of(t)->sid);
}

void
tty_setsid(struct task *t)
{
	proc_of(t)->tty = NULL;
}

void
tty_process_exit(struct task *leader)
{
	if (leader->tty && leader->sid == leader->tgid)
		disassociate(leader, true);
	leader->tty = NULL;
}

void
tty_signal_fg(struct tty *tty, int sig)
{
	/* The console's input is the user at the host terminal: outside the sandbox. */
	if (tty->pgrp)
		task_kill_pgrp(tty->pgrp, sig, tty->console);
}

/* Linux __tty_check_change: a background process of the terminal's session may not
 * touch it; its group gets sig and the call restarts once it is in the foreground. */
static int
check_change(struct task *t, struct tty *tty, int sig)
{
	int pgrp = proc_of(t)->pgid;

	if (ctty(t) != tty || !tty->pgrp || pgrp == tty->pgrp)
		return 0;
	if (!task_sig_deliverable(t, sig))
		return sig == SIGTTIN ? -EIO : 0;
	if (task_pgrp_orphaned(pgrp))
		return -EIO;
	task_kill_pgrp(pgrp, sig, false);
	return -TTY_ERESTARTSYS;
}

void
tty_task_stat(struct task *t, int *tty_nr, int *tpgid)
{
	struct tty *tty = ctty(t);

	*tty_nr = 0;
	*tpgid = -1;
	if (!tty)
		return;
	unsigned int major = 136 + tty->index / 256, minor = tty->index % 256;

	*tty_nr = (int)((minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12));
	*tpgid = tty->pgrp;
}

/* ---- reads and writes from a task ---- */

#define DECISECOND_NS 100000000LL

/* Non-canonical reads: VMIN bytes, or what came before the VTIME timer ran out. */
static ssize_t
read_noncanon(struct task *t, struct tty *tty, void *buf, size_t n)
{
	unsigned int vmin = tty->tio.c_cc[VMIN], vtime = tty->tio.c_cc[VTIME];
	size_t avail = tty->rlen;
	long long now;

	if (!vmin && !vtime)
		return ldisc_read(tty, buf, n);
	if (avail >= MAX(MIN((size_t)vmin, n), (size_t)1))
		return ldisc_read(tty, buf, n);
	now = monotonic_ns();
	if (!vmin) { /* a timer for the first byte */
		if (!t->wait_rerun || !t->wait_deadline)
			t->wait_deadline = now + vtime * DECISECOND_NS;
		return now >= t->wait_deadline ? 0 : -EAGAIN;
	}
	if (vtime && avail) { /* an inter-byte timer from the last byte */
		long long deadline = tty->last_input_ns + vtime * DECISECOND_NS;

		if (now >= deadline)
			return ldisc_read(tty, buf, n);
		t->wait_deadline = deadline;
	}
	return -EAGAIN;
}

ssize_t
tty_read(struct task *t, struct file *f, void *buf, size_t n)
{
	struct tty *tty = file_tty(f);
	int err;

	if (pty_is_master(f))
		return file_read(f, buf, n);
	if (tty->hungup) /* a read that was waiting when the master closed: EIO */
		return t->wait_rerun ? -EIO : 0;
	err = check_change(t, tty, SIGTTIN);
	if (err)
		return err;
	if (n == 0)
		return 0;
	if ((tty->tio.c_lflag & ICANON) && !(tty->tio.c_lflag & EXTPROC))
		return tty->canon_len ? (ssize_t)ldisc_read(tty, buf, n) : -EAGAIN;
	return read_noncanon(t, tty, buf, n);
}

ssize_t
tty_write(struct task *t, struct file *f, const void *buf, size_t n)
{
	struct tty *tty = file_tty(f);

	if (!pty_is_master(f) && !tty->hungup && (tty->tio.c_lflag & TOSTOP)) {
		int err = check_change(t, tty, SIGTTOU);

		if (err)
			return err;
	}
	return file_write(f, buf, n);
}

/* ---- termios ---- */

static unsigned int
baud_of(unsigned int code, unsigned int other)
{
	static const unsigned int rates[] = {
		0, 50, 75, 110, 134, 150, 200, 300, 600, 1200, 1800, 2400, 4800, 9600, 19200,
		38400, 57600, 115200, 230400, 460800, 500000, 576000, 921600, 1000000, 1152000,
		1500000, 2000000, 2500000, 3000000, 3500000, 4000000,
	};

	if (code == BOTHER)
		return other;
	if (code & CBAUDEX)
		code = (code & ~CBAUDEX) + 15;
	return code < ARRAY_SIZE(rates) ? rates[code] : 0;
}

/* What TIOCSLCKTRMIOS locked keeps its old value (Linux unset_locked_termios): flag bits set
 * in the lock, the line discipline and control characters whose lock is nonzero, and the
 * speeds when the lock gives one. */
static void
unset_locked(const struct tty *tty, struct tty_termios *tio)
{
	const struct tty_termios *l = &tty->tio_locked, *old = &tty->tio;

	tio->c_iflag = (tio->c_iflag & ~l->c_iflag) | (old->c_iflag & l->c_iflag);
	tio->c_oflag = (tio->c_oflag & ~l->c_oflag) | (old->c_oflag & l->c_oflag);
	tio->c_cflag = (tio->c_cflag & ~l->c_cflag) | (old->c_cflag & l->c_cflag);
	tio->c_lflag = (tio->c_lflag & ~l->c_lflag) | (old->c_lflag & l->c_lflag);
	if (l->c_line)
		tio->c_line = old->c_line;
	for (size_t i = 0; i < sizeof(tio->c_cc); i++)
		if (l->c_cc[i])
			tio->c_cc[i] = old->c_cc[i];
	if (l->c_ispeed)
		tio->c_ispeed = old->c_ispeed;
	if (l->c_ospeed)
		tio->c_ospeed = old->c_ospeed;
}

/* New settings for the slave, as Linux set_termios and pty_set_termios store them. */
static void
set_termios(struct tty *tty, struct tty_termios *tio, bool speeds_given, bool flush)
{
	unsigned int ocode = tio->c_cflag & CBAUD, icode = (tio->c_cflag >> IBSHIFT) & CBAUD;

	if (!speeds_given || ocode != BOTHER)
		tio->c_ospeed = baud_of(ocode, tio->c_ospeed);
	if (icode == 0)
		tio->c_ispeed = tio->c_ospeed;
	else if (!speeds_given || icode != BOTHER)
		tio->c_ispeed = baud_of(icode, tio->c_ispeed);
	tio->c_cflag &= ~(CSIZE | PARENB);
	tio->c_cflag |= CS8 | CREAD;
	unset_locked(tty, tio);
	if (flush) {
		tty->rlen = 0;
		tty->canon_len = 0;
	}
	ldisc_set_termios(tty, tio);
}

static long
termios_ioctl(struct tty *tty, unsigned int cmd, void *arg)
{
	struct tty_termios tio = tty->tio;
	struct termio_k *o = arg;

	switch (cmd) {
	case TCGETS:
		memcpy(arg, &tty->tio, KERNEL_TERMIOS_SIZE);
		return 0;
	case TCGETS2_:
		memcpy(arg, &tty->tio, sizeof(tty->tio));
		return 0;
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		memcpy(&tio, arg, KERNEL_TERMIOS_SIZE);
		set_termios(tty, &tio, false, cmd == TCSETSF);
		return 0;
	case TCSETS2_:
	case TCSETSW2_:
	case TCSETSF2_:
		memcpy(&tio, arg, sizeof(tio));
		set_termios(tty, &tio, true, cmd == TCSETSF2_);
		return 0;
	case TCGETA:
		o->c_iflag = tio.c_iflag;
		o->c_oflag = tio.c_oflag;
		o->c_cflag = tio.c_cflag;
		o->c_lflag = tio.c_lflag;
		o->c_line = tio.c_line;
		memcpy(o->c_cc, tio.c_cc, TERMIO_NCC);
		return 0;
	default: /* TCSETA, TCSETAW, TCSETAF: the low 16 bits of each flag word */
		tio.c_iflag = (tio.c_iflag & ~0xffffu) | o->c_iflag;
		tio.c_oflag = (tio.c_oflag & ~0xffffu) | o->c_oflag;
		tio.c_cflag = (tio.c_cflag & ~0xffffu) | o->c_cflag;
		tio.c_lflag = (tio.c_lflag & ~0xffffu) | o->c_lflag;
		tio.c_line = o->c_line;
		memcpy(tio.c_cc, o->c_cc, TERMIO_NCC);
		set_termios(tty, &tio, false, cmd == TCSETAF);
		return 0;
	}
}

void
tty_set_winsize(struct file *f, const struct winsize *ws)
{
	struct tty *tty = file_tty(f);

	if (!memcmp(ws, &tty->ws, sizeof(*ws)))
		return;
	tty->ws = *ws;
	if (tty->pgrp)
		task_kill_pgrp(tty->pgrp, SIGWINCH, false);
}

/* ---- job-control ioctls ---- */

static long
tiocsctty(struct task *t, struct file *f, struct tty *tty, unsigned long arg)
{
	if (session_leader(t) && tty->session == proc_of(t)->sid)
		return 0;
	if (!session_leader(t) || ctty(t))
		return -EPERM;
	if (tty->session) {
		if ((int)arg != 1 || t->euid != 0)
			return -EPERM;
		session_clear(tty->session); /* root steals it */
	}
	if ((f->flags & O_ACCMODE) == O_WRONLY && t->euid != 0)
		return -EPERM;
	set_ctty(t, tty);
	return 0;
}

/* Linux tiocspgrp: the group must exist in the caller's session. */
static long
tiocspgrp(struct task *t, struct tty *tty, int pgrp)
{
	struct task *p, *tmp, *member = NULL, *owner;
	int err = check_change(t, tty, SIGTTOU);

	if (err == -EIO)
		return -ENOTTY;
	if (err)
		return err;
	if (pgrp < 0)
		return -EINVAL;
	if (ctty(t) != tty || tty->session != proc_of(t)->sid)
		return -ENOTTY;
	HASH_ITER(hh, sentry.tasks, p, tmp) {
		if (p->pgid == pgrp) {
			member = p;
			break;
		}
	}
	owner = member ? member : task_lookup(pgrp);
	if (!owner)
		return -ESRCH;
	if (owner->sid != proc_of(t)->sid)
		return -EPERM;
	tty->pgrp = pgrp;
	return 0;
}

static long
jobctl_ioctl(struct task *t, struct file *f, struct tty *tty, unsigned int cmd, void *arg,
	     unsigned long val)
{
	bool master = pty_is_master(f);

	switch (cmd) {
	case TIOCNOTTY:
		if (master || ctty(t) != tty)
			return -ENOTTY;
		if (session_leader(t))
			disassociate(t, false);
		proc_of(t)->tty = NULL;
		return 0;
	case TIOCSCTTY:
		return tiocsctty(t, f, tty, val);
	case TIOCGPGRP:
		if (!master && ctty(t) != tty)
			return -ENOTTY;
		*(int *)arg = task_vnr(t, tty->pgrp); /* in the caller's pid namespace */
		return 0;
	case TIOCSPGRP: {
		int g = pidns_global(task_pid_ns(t), *(int *)arg);
		return tiocspgrp(t, tty, *(int *)arg < 0 ? *(int *)arg : g > 0 ? g : INT_MAX);
	}
	case TIOCGSID:
		if (!master && ctty(t) != tty)
			return -ENOTTY;
		if (!tty->session)
			return -ENOTTY;
		*(int *)arg = task_vnr(t, tty->session);
		return 0;
	default:
		return -ENOIOCTLCMD;
	}
}

/* ---- the rest ---- */

static long
flush_ioctl(struct tty *tty, bool master, unsigned long arg)
{
	if (arg > TCIOFLUSH)
		return -EINVAL;
	if (arg == TCIFLUSH || arg == TCIOFLUSH) {
		if (master) {
			bq_pop(&tty->out, NULL, tty->out.len);
		} else {
			bq_pop(&tty->in, NULL, tty->in.len);
			tty->rlen = 0;
			tty->canon_len = 0;
		}
	}
	if ((arg == TCOFLUSH || arg == TCIOFLUSH) && master)
		bq_pop(&tty->in, NULL, tty->in.len);
	/* the slave's flushes show in a packet-mode master's status byte */
	if (!master && tty->packet)
		tty->pkt_status |= (arg != TCOFLUSH ? TIOCPKT_FLUSHREAD : 0) |
				   (arg != TCIFLUSH ? TIOCPKT_FLUSHWRITE : 0);
	tty_wake_master(tty);
	tty_wake_slave(tty);
	return 0;
}

static long
flow_ioctl(struct tty *tty, bool master, unsigned long arg)
{
	unsigned char c = tty->tio.c_cc[arg == TCIOFF ? VSTOP : VSTART];

	switch (arg) {
	case TCOOFF:
		if (!master && !tty->tco_stopped) {
			tty->tco_stopped = true;
			tty->stopped = true;
		}
		return 0;
	case TCOON:
		if (!master && tty->tco_stopped) {
			tty->tco_stopped = false;
			tty->stopped = false;
			tty_wake_slave(tty);
		}
		return 0;
	case TCIOFF:
	case TCION:
		/* Sends the STOP or START character to the other side. */
		if (master) {
			bq_push(&tty->in, &c, 1, TTY_IN_MAX);
			ldisc_receive(tty);
		} else {
			bq_push(&tty->out, &c, 1, TTY_OUT_MAX + TTY_ECHO_SLACK);
			tty_wake_master(tty);
		}
		return 0;
	default:
		return -EINVAL;
	}
}

long
tty_ioctl_argsize(unsigned int cmd, bool *writes)
{
	*writes = false;
	switch (cmd) {
	case TCGETS: case TIOCGLCKTRMIOS:
		*writes = true;
		/* fallthrough */
	case TCSETS: case TCSETSW: case TCSETSF: case TIOCSLCKTRMIOS:
		return KERNEL_TERMIOS_SIZE;
	case TCGETS2_:
		*writes = true;
		/* fallthrough */
	case TCSETS2_: case TCSETSW2_: case TCSETSF2_:
		return sizeof(struct tty_termios);
	case TCGETA:
		*writes = true;
		/* fallthrough */
	case TCSETA: case TCSETAW: case TCSETAF:
		return sizeof(struct termio_k);
	case TIOCGWINSZ:
		*writes = true;
		/* fallthrough */
	case TIOCSWINSZ:
		return sizeof(struct winsize);
	case TIOCGPGRP: case TIOCGSID: case FIONREAD: case TIOCOUTQ: case TIOCGPTN:
	case TIOCGPTLCK: case TIOCGEXCL: case TIOCGETD: case TIOCGPKT: case TIOCGDEV:
		*writes = true;
		return sizeof(int);
	case TIOCSPGRP: case TIOCSPTLCK: case TIOCSETD: case FIONBIO: case FIOASYNC:
	case TIOCPKT:
		return sizeof(int);
	case TIOCSTI:
		return 1;
	case TIOCSCTTY: case TIOCNOTTY: case TCFLSH: case TCXONC: case TCSBRK: case TCSBRKP:
	case TIOCSBRK: case TIOCCBRK: case TIOCEXCL: case TIOCNXCL: case TIOCGPTPEER:
	case TIOCSIG: case TIOCVHANGUP:
		return 0;
	default:
		return -ENOTTY;
	}
}

/* Commands only a master knows (pty_unix98_ioctl); a slave says ENOTTY. */
static long
master_ioctl(struct task *t, struct file *f, struct tty *tty, unsigned int cmd, void *arg,
	     unsigned long val, struct file **newf)
{
	switch (cmd) {
	case TIOCGPTN:
		*(int *)arg = tty->index;
		return 0;
	case TIOCSPTLCK:
		tty->locked = *(int *)arg != 0;
		return 0;
	case TIOCGPTLCK:
		*(int *)arg = tty->locked;
		return 0;
	case TIOCGPKT:
		*(int *)arg = tty->packet;
		return 0;
	case TIOCPKT:
		if (*(int *)arg && !tty->packet)
			tty->pkt_status = 0;
		tty->packet = *(int *)arg != 0;
		return 0;
	case TIOCSIG:
		if (val != SIGINT && val != SIGQUIT && val != SIGTSTP)
			return -EINVAL;
		if (tty->pgrp)
			task_kill_pgrp(tty->pgrp, (int)val, false);
		return 0;
	default:
		return -ENOTTY;
	}
}

long
tty_ioctl(struct task *t, struct file *f, unsigned int cmd, void *arg, unsigned long val,
	  struct file **newf)
{
	struct tty *tty = file_tty(f);
	bool master = pty_is_master(f);
	long r;

	*newf = NULL;
	if (cmd == FIONBIO || cmd == FIOASYNC) {
		int flag = cmd == FIONBIO ? O_NONBLOCK : O_ASYNC;

		file_set_flags(f, *(int *)arg ? (file_get_flags(f) | flag)
					      : (file_get_flags(f) & ~flag));
		return 0;
	}
	if (!master && tty->hungup)
		return cmd == TIOCSPGRP ? -ENOTTY : -EIO;
	switch (cmd) {
	case TIOCGWINSZ:
		*(struct winsize *)arg = tty->ws;
		return 0;
	case TIOCSWINSZ:
		tty_set_winsize(f, arg);
		return 0;
	case TIOCEXCL: case TIOCNXCL:
		if (!master)
			tty->exclusive = cmd == TIOCEXCL;
		return 0;
	case TIOCGEXCL:
		*(int *)arg = !master && tty->exclusive;
		return 0;
	case TIOCGETD:
		*(int *)arg = N_TTY;
		return 0;
	case TIOCSETD:
		return *(int *)arg == N_TTY ? 0 : -EINVAL;
	case TIOCGDEV:
		*(int *)arg = (int)((tty->index & 0xff) | ((136 + tty->index / 256) << 8));
		return 0;
	case TIOCSBRK: case TIOCCBRK:
		return 0;
	case TIOCVHANGUP:
		return -EPERM; /* not offered inside the sandbox */
	case TIOCGPTPEER:
		return master ? pty_open_peer(t, f, (int)val, newf) : -EIO;
	}
	r = jobctl_ioctl(t, f, tty, cmd, arg, val);
	if (r != -ENOIOCTLCMD)
		return r;
	if (master) {
		r = master_ioctl(t, f, tty, cmd, arg, val, newf);
		if (r != -ENOTTY)
			return r;
	}
	switch (cmd) {
	case FIONREAD:
		*(int *)arg = (int)MIN(master ? tty->out.len : ldisc_inq(tty), (size_t)INT_MAX);
		return 0;
	case TIOCOUTQ:
		*(int *)arg = 0; /* the pty driver keeps nothing back */
		return 0;
	case TCGETS: case TCGETS2_: case TCGETA:
		return termios_ioctl(tty, cmd, arg);
	case TIOCGLCKTRMIOS:
		memcpy(arg, &tty->tio_locked, KERNEL_TERMIOS_SIZE);
		return 0;
	case TIOCSLCKTRMIOS:
		if (!task_capable(t, CAP_SYS_ADMIN))
			return -EPERM;
		memcpy(&tty->tio_locked, arg, KERNEL_TERMIOS_SIZE);
		return 0;
	case TCSETS: case TCSETSW: case TCSETSF: case TCSETS2_: case TCSETSW2_: case TCSETSF2_:
	case TCSETA: case TCSETAW: case TCSETAF:
		r = check_change(t, tty, SIGTTOU);
		return r ? r : termios_ioctl(tty, cmd, arg);
	/* these act on the master's own side, which is nobody's controlling terminal */
	case TCFLSH:
		r = master ? 0 : check_change(t, tty, SIGTTOU);
		return r ? r : flush_ioctl(tty, master, val);
	case TCXONC:
		r = master ? 0 : check_change(t, tty, SIGTTOU);
		return r ? r : flow_ioctl(tty, master, val);
	case TCSBRK: case TCSBRKP:
		return master ? 0 : check_change(t, tty, SIGTTOU);
	default:
		return -ENOTTY;
	}
}
