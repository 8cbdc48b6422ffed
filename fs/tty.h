/*
 * Terminals (fs/tty.c, fs/pty.c): pseudo-terminal pairs (/dev/ptmx, devpts at /dev/pts,
 * /dev/tty) with Linux's line discipline, controlling terminals and job control.
 * The syscall layer routes read, write and ioctl on terminal files here; the console
 * relay (sentry/console.c) keeps the master of the guest's own terminal.
 */
#pragma once
#include <stdbool.h>
#include <sys/types.h>

struct file;
struct task;
struct tty;
struct winsize;

/* -TTY_ERESTARTSYS: a job-control signal went to the caller's process group; the call
 * ends with ERESTARTSYS and runs again once the process is in the foreground. */
#define TTY_ERESTARTSYS 512

/* The kernel's struct termios2; TCGETS and TCSETS use its first 36 bytes. */
struct tty_termios {
	unsigned int c_iflag, c_oflag, c_cflag, c_lflag;
	unsigned char c_line;
	unsigned char c_cc[19];
	unsigned int c_ispeed, c_ospeed;
};

/* The terminal behind f (a pty master or slave, or /dev/tty), or NULL. */
struct tty *file_tty(struct file *f);

/* read(2) and write(2) of a terminal by t: job control (SIGTTIN; SIGTTOU with TOSTOP),
 * canonical lines, VMIN/VTIME. -EAGAIN: wait (file_poll_wait) and run again; a read may
 * have set t->wait_deadline (VTIME). */
ssize_t tty_read(struct task *t, struct file *f, void *buf, size_t n);
ssize_t tty_write(struct task *t, struct file *f, const void *buf, size_t n);

/* ioctl: size of cmd's argument in memory (0: none, or passed by value), and whether
 * tty_ioctl writes it back; -ENOTTY for commands terminals do not know. */
long tty_ioctl_argsize(unsigned int cmd, bool *writes);
/* arg: the sentry's copy of the argument; val: the raw argument (TIOCSCTTY, TCFLSH,
 * TCXONC, TCSBRK, TIOCGPTPEER). TIOCGPTPEER returns 0 and the new file in *newf. */
long tty_ioctl(struct task *t, struct file *f, unsigned int cmd, void *arg, unsigned long val,
	       struct file **newf);

/* Processes: setsid(2) drops the controlling terminal; a process ends (its leader). */
void tty_setsid(struct task *t);
/* vhangup(2) by t (its capability checked by the caller): the open files of its
 * controlling terminal are hung up (reads 0, writes and ioctls EIO), its session loses
 * the terminal and the leader gets SIGHUP and SIGCONT. No terminal: nothing. */
int tty_vhangup(struct task *t);
void tty_process_exit(struct task *leader);
/* /proc/[pid]/stat: tty_nr (encoded device) and tpgid (-1: none). */
void tty_task_stat(struct task *t, int *tty_nr, int *tpgid);

/* The console: a pty pair for the user's terminal. The sentry keeps the master (its
 * notify callback runs when the master's readiness may have changed); the slave becomes
 * t's controlling terminal. */
int tty_console_new(struct task *t, const struct tty_termios *tio, const struct winsize *ws,
		    void (*notify)(void *), void *arg, struct file **master,
		    struct file **slave);
/* The console lets go of its master (the pair hangs up if it was the last); no more
 * notify calls. */
void tty_console_release(struct file *master);
/* TIOCSWINSZ: a new size; SIGWINCH to the foreground group when it changed. */
void tty_set_winsize(struct file *f, const struct winsize *ws);
/* The master would take input / has output to read (console relay flow control). */
bool tty_master_can_write(struct file *master);
/* Input reached its end (a pipe under --tty): an end-of-file to a canonical reader. */
void tty_master_eof(struct file *master);
/* Input the user's terminal took in before the console started (its line discipline
 * already edited and echoed it): the guest reads it as typed, without a second echo. */
void tty_master_typeahead(struct file *master, const void *buf, size_t n);
