/*
 * Signal-driven I/O: O_ASYNC (fcntl F_SETFL, ioctl FIOASYNC) with an owner (F_SETOWN,
 * F_SETOWN_EX, FIOSETOWN) and a signal (F_SETSIG). Like Linux's fasync lists, only pipes,
 * FIFOs, sockets and terminals take part (other files keep the flag and stay silent).
 *
 * A file with O_ASYNC is on one list; waitq_wake calls fasync_wake for every queue it
 * wakes, and each listed file whose queue that is and that is now readable (or newly
 * writable, or newly hung up) sends its owner the signal: SIGIO as from the kernel when
 * F_SETSIG is 0, else the F_SETSIG signal with si_code POLL_IN/POLL_OUT/POLL_HUP, its
 * si_band, and si_fd the descriptor O_ASYNC was turned on through (Linux's fa_fd).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>

#include "fs/internal.h"
#include "fs/tty.h"
#include "sentry/sentry.h"

static struct file *async_files;
static bool in_wake;

static bool
async_capable(struct file *f)
{
	return file_is_socket(f) || file_pipe_size(f) >= 0 || file_tty(f);
}

static void
unlist(struct file *f)
{
	for (struct file **pp = &async_files; *pp; pp = &(*pp)->async_next) {
		if (*pp == f) {
			*pp = f->async_next;
			f->async_next = NULL;
			f->async_listed = false;
			return;
		}
	}
}

void
file_async_sync(struct file *f, int fd)
{
	bool on = (f->flags & O_ASYNC) && async_capable(f);

	if (on == f->async_listed)
		return;
	if (!on) {
		unlist(f);
		return;
	}
	f->async_fd = fd;
	f->async_last = file_poll(f, POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM);
	f->async_next = async_files;
	async_files = f;
	f->async_listed = true;
}

int
file_fioasync(struct file *f, int fd, bool on)
{
	if (!on == !(f->flags & O_ASYNC))
		return 0;
	if (!async_capable(f))
		return -ENOTTY;
	f->flags = on ? (f->flags | O_ASYNC) : (f->flags & ~O_ASYNC);
	file_async_sync(f, fd);
	return 0;
}

void
fasync_file_gone(struct file *f)
{
	if (f->async_listed)
		unlist(f);
}

/* Is there a process or group with that pid (Linux's find_vpid: any task's pid, or a
 * group or session id still in use)? */
bool
vfs_pid_in_use(int pid)
{
	struct task *p = NULL;

	if (pid <= 0)
		return false;
	if (task_lookup(pid))
		return true;
	while ((p = task_next(p)))
		if (p->pgid == pid || p->sid == pid)
			return true;
	return false;
}

static void
send_to(struct file *f, int sig, const siginfo_t *si)
{
	struct task *p = NULL, *t;

	switch (f->owner_type) {
	case F_OWNER_TID:
		if ((t = task_lookup(f->owner)) && landlock_fown_allowed(f, t))
			task_send_signal(t, sig, si, false);
		break;
	case F_OWNER_PID:
		if ((t = task_lookup(f->owner)) && t->leader == t && landlock_fown_allowed(f, t))
			task_send_signal(t, sig, si, true);
		break;
	case F_OWNER_PGRP:
		while ((p = task_next(p)))
			if (p->leader == p && p->pgid == f->owner && landlock_fown_allowed(f, p))
				task_send_signal(p, sig, si, true);
		break;
	}
}

static void
signal_owner_fd(struct file *f, int reason, long band, int fd)
{
	siginfo_t si;
	int sig = f->sig ? f->sig : SIGIO;

	if (f->sig) {
		memset(&si, 0, sizeof(si));
		si.si_signo = sig;
		si.si_code = reason;
		si.si_band = band;
		si.si_fd = fd;
	} else {
		sig_info_kernel(&si, SIGIO);
	}
	send_to(f, sig, &si);
}

static void
signal_owner(struct file *f, int reason, long band)
{
	signal_owner_fd(f, reason, band, f->async_fd);
}

void
fasync_notify(struct file *f, int fd)
{
	if (f->owner)
		signal_owner_fd(f, POLL_MSG, POLLIN | POLLRDNORM | POLLMSG, fd);
}

/* SIGURG goes to the owner whether or not O_ASYNC is on (send_sigurg); an O_ASYNC file's
 * owner also gets its POLL_PRI signal (sk_wake_async's SOCK_WAKE_URG). */
void
fasync_urgent(struct file *f)
{
	siginfo_t si;

	if (!f->owner)
		return;
	sig_info_kernel(&si, SIGURG);
	send_to(f, SIGURG, &si);
	if (f->async_listed)
		signal_owner(f, POLL_PRI, POLLPRI | POLLRDBAND);
}

void
fasync_wake(struct waitq *wq)
{
	struct file *f, *next;

	if (!async_files || in_wake)
		return;
	in_wake = true;
	for (f = async_files; f; f = next) {
		short rev, last;

		next = f->async_next;
		if (!f->owner || !f->fops->waitq || f->fops->waitq(f) != wq)
			continue;
		rev = file_poll(f, POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM);
		last = f->async_last;
		f->async_last = rev;
		if (rev & POLLIN)
			signal_owner(f, POLL_IN, POLLIN | POLLRDNORM);
		else if ((rev & POLLHUP) && !(last & POLLHUP))
			signal_owner(f, POLL_HUP, POLLHUP | POLLERR);
		else if ((rev & POLLOUT) && !(last & POLLOUT))
			signal_owner(f, POLL_OUT, POLLOUT | POLLWRNORM | POLLWRBAND);
	}
	in_wake = false;
}
