/*
 * Private to fs/tty.c (the line discipline) and fs/pty.c (pseudo-terminal pairs, devpts,
 * controlling terminals): the terminal object.
 *
 * One struct tty is one pty pair. Bytes the master writes wait in `in` until the line
 * discipline (Linux n_tty) takes them into rbuf, where the slave reads them; input
 * processing (ICRNL, ISIG, canonical editing) and echo happen then. Bytes the slave writes
 * go through output processing (OPOST) into `out`, which the master reads; echoes go there
 * too. The master side has no line discipline of its own: Linux gives it a raw one.
 */
#pragma once
#include <stdbool.h>
#include <sys/ioctl.h>

#include "fs/tty.h"
#include "sentry/sentry.h"

#define TTY_BUF 4096             /* N_TTY_BUF_SIZE: the read buffer of the line discipline */
#define TTY_IN_MAX 16384         /* master writes not yet taken in (Linux's flip buffers) */
#define TTY_OUT_MAX 20480        /* slave output the master has not read yet */
#define TTY_ECHO_SLACK 4096      /* echoes may exceed TTY_OUT_MAX by this much, then drop */

enum { RF_DELIM = 1 };           /* rflags: the byte ends a line (canonical mode) */

/* A bounded byte queue. */
struct bq {
	unsigned char *buf;
	size_t start, len, cap;
};

struct tty {
	int index;                 /* /dev/pts/N, N in its devpts instance */
	struct devpts *pts;        /* that instance */
	struct tty_termios tio;
	struct tty_termios tio_locked; /* TIOCSLCKTRMIOS: nonzero bits and fields keep their value */
	struct winsize ws;
	/* line discipline */
	unsigned char rbuf[TTY_BUF];
	unsigned char rflags[TTY_BUF];
	size_t rlen;               /* bytes in rbuf */
	size_t canon_len;          /* canonical mode: rbuf[0, canon_len) holds complete lines */
	bool lnext;                /* the previous byte was VLNEXT: take this one literally */
	bool erasing;              /* ECHOPRT: inside a "\...", not yet closed with '/' */
	unsigned int column;       /* output column, for tabs and erasing them */
	unsigned int canon_column; /* column where the current canonical line started */
	long long last_input_ns;   /* when bytes last reached rbuf (VTIME's inter-byte timer) */
	bool stopped;              /* output stopped by VSTOP (IXON) or TCOOFF */
	bool tco_stopped;          /* ... by TCOOFF, which only TCOON undoes */
	struct bq in;              /* from the master, not yet through the line discipline */
	struct bq out;             /* for the master to read */
	size_t out_mark;           /* out.len when the current input batch began */
	/* readiness: master_wq when the master's poll may change, slave_wq for the slave's */
	struct waitq master_wq, slave_wq;
	/* pty pair state */
	int refs;                  /* master files, slave inode, the devpts entry */
	int master_files;          /* open master file descriptions */
	int slave_opens;           /* open slave file descriptions (incl. /dev/tty ones) */
	bool slave_closed;         /* slave_opens fell to 0 (Linux TTY_OTHER_CLOSED) */
	bool locked;               /* TIOCSPTLCK: the slave cannot be opened */
	bool packet;               /* TIOCPKT: master reads carry a leading status byte */
	unsigned char pkt_status;  /* TIOCPKT_FLUSHREAD...: not yet read by the master */
	bool hungup;               /* the master is gone: slave files are hung up */
	bool exclusive;            /* TIOCEXCL */
	struct inode *slave_inode; /* /dev/pts/N (the devpts entry holds it) */
	struct dentry *slave_dentry;
	/* controlling terminal: the session it controls and its foreground group (0: none) */
	int session, pgrp;
	bool console;              /* relayed to the user's terminal (sentry/console.c) */
	void (*notify)(void *arg); /* console: master readiness may have changed */
	void *notify_arg;
};

/* tty.c: the line discipline */
void ldisc_init(struct tty *tty);
void ldisc_free(struct tty *tty);
/* Takes pending master input into the line discipline as far as room allows. */
void ldisc_receive(struct tty *tty);
/* Bytes a read could return now (canonical: complete lines) and whether the slave is
 * readable for poll (which honours VMIN). */
size_t ldisc_readable(struct tty *tty);
bool ldisc_poll_in(struct tty *tty);
/* Moves up to n bytes (one line at most in canonical mode) to buf. */
size_t ldisc_read(struct tty *tty, unsigned char *buf, size_t n);
/* Output processing of a slave write into `out`: bytes of buf consumed (0: no room). */
size_t ldisc_write(struct tty *tty, const unsigned char *buf, size_t n);
void ldisc_set_termios(struct tty *tty, const struct tty_termios *tio);
void ldisc_flush_input(struct tty *tty);
size_t ldisc_inq(struct tty *tty);        /* TIOCINQ on the slave */
bool ldisc_out_room(struct tty *tty);     /* the slave may write (POLLOUT) */
void tty_wake_master(struct tty *tty);
void tty_wake_slave(struct tty *tty);

/* byte queues */
size_t bq_push(struct bq *q, const void *p, size_t n, size_t max);
size_t bq_pop(struct bq *q, void *p, size_t n);
void bq_truncate(struct bq *q, size_t len);
void bq_free(struct bq *q);

/* pty.c: pairs, devpts, the files of both sides */
/* A devpts instance as mount(2) makes one (source, options): 0, or -EINVAL. */
int devpts_new(const char *source, const char *data, struct super_block **out);
int pty_ptmx_open(struct task *t, struct file *f);     /* /dev/ptmx, /dev/pts/ptmx */
int pty_devtty_open(struct task *t, struct file *f);   /* /dev/tty */
int pty_open_peer(struct task *t, struct file *master, int flags, struct file **out);
bool pty_is_master(struct file *f);
void tty_set_default_termios(struct tty_termios *tio);

/* tty_ctl.c: controlling terminals and job control */
void tty_signal_fg(struct tty *tty, int sig);   /* ISIG: sig to the foreground group */
/* An open by t without O_NOCTTY: a session leader without one acquires it. */
void tty_open_ctty(struct task *t, struct tty *tty);
/* Hangup: the session loses its terminal, its leader gets SIGHUP and SIGCONT. */
void tty_hangup_session(struct tty *tty);
