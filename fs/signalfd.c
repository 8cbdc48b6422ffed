/*
 * signalfd: reading takes pending signals of the file's mask from the queues of the task
 * that reads (its thread's, then its process's), as Linux's signalfd does with current;
 * poll answers for the task that polls. The signals stay in the stub's kernel until then
 * (sentry/signal.c takes them with their siginfo), so a handler, sigtimedwait and a
 * signalfd compete for them as on Linux.
 */
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>

#include "fs/internal.h"
#include "sentry/sentry.h"

struct signalfd {
	unsigned long mask;
};

static struct signalfd *
sfd_of(struct file *f)
{
	return f->inode->priv;
}

/* Linux signalfd_copyinfo: the fields the siginfo's layout (by signal and code) holds. */
static void
to_ssi(const siginfo_t *si, struct signalfd_siginfo *ssi)
{
	int code = si->si_code, sig = si->si_signo;

	memset(ssi, 0, sizeof(*ssi));
	ssi->ssi_signo = sig;
	ssi->ssi_errno = si->si_errno;
	ssi->ssi_code = code;
	if (code == SI_TIMER) {
		ssi->ssi_tid = si->si_timerid;
		ssi->ssi_overrun = si->si_overrun;
		ssi->ssi_ptr = (unsigned long)si->si_ptr;
		ssi->ssi_int = si->si_int;
	} else if (code == SI_SIGIO || (code > 0 && code < SI_KERNEL && sig == SIGPOLL)) {
		ssi->ssi_band = si->si_band;
		ssi->ssi_fd = si->si_fd;
	} else if (code > 0 && code < SI_KERNEL && sig == SIGCHLD) {
		ssi->ssi_pid = si->si_pid;
		ssi->ssi_uid = si->si_uid;
		ssi->ssi_status = si->si_status;
		ssi->ssi_utime = si->si_utime;
		ssi->ssi_stime = si->si_stime;
	} else if (code > 0 && code < SI_KERNEL && sig == SIGSYS) {
		ssi->ssi_call_addr = (unsigned long)si->si_call_addr;
		ssi->ssi_syscall = si->si_syscall;
		ssi->ssi_arch = si->si_arch;
	} else if (code > 0 && code < SI_KERNEL &&
		   (sig == SIGILL || sig == SIGFPE || sig == SIGSEGV || sig == SIGBUS ||
		    sig == SIGTRAP)) {
		ssi->ssi_addr = (unsigned long)si->si_addr;
		if (sig == SIGBUS && (code == BUS_MCEERR_AR || code == BUS_MCEERR_AO))
			ssi->ssi_addr_lsb = si->si_addr_lsb;
	} else if (code < 0) {
		/* SI_QUEUE, SI_TKILL, SI_MESGQ...: pid, uid and the value */
		ssi->ssi_pid = si->si_pid;
		ssi->ssi_uid = si->si_uid;
		ssi->ssi_ptr = (unsigned long)si->si_ptr;
		ssi->ssi_int = si->si_int;
	} else {
		/* SI_USER, SI_KERNEL */
		ssi->ssi_pid = si->si_pid;
		ssi->ssi_uid = si->si_uid;
	}
}

static ssize_t
sfd_read(struct file *f, void *buf, size_t n, off_t *pos)
{
	struct task *t = current_task;
	size_t done = 0;

	if (n < sizeof(struct signalfd_siginfo))
		return -EINVAL;
	if (!t)
		return -EAGAIN;
	while (done + sizeof(struct signalfd_siginfo) <= n) {
		struct signalfd_siginfo ssi;
		siginfo_t si;
		int sig = sig_dequeue(t, sfd_of(f)->mask, &si);
		if (sig <= 0) {
			if (done)
				break;
			return sig < 0 ? sig : -EAGAIN;
		}
		to_ssi(&si, &ssi);
		memcpy((char *)buf + done, &ssi, sizeof(ssi));
		done += sizeof(ssi);
	}
	return (ssize_t)done;
}

static short
sfd_poll(struct file *f, short events)
{
	unsigned long pending = 0;

	if (!current_task || sig_pending(current_task, &pending))
		return 0;
	return (pending & sfd_of(f)->mask) ? POLLIN : 0; /* as Linux: no POLLRDNORM */
}

static void
sfd_poll_wait(struct task *t, struct file *f, short events, int depth)
{
	sig_wait_for_signals(t);
}

static struct waitq *
sfd_waitq(struct file *f)
{
	return sig_sent_waitq();
}

/* Linux signalfd_show_fdinfo: the mask as /proc/PID/status prints a set */
static void
sfd_fdinfo(struct file *f, struct sbuf *b, const struct pid_ns *ns)
{
	sbuf_printf(b, "sigmask:\t%016lx\n", sfd_of(f)->mask);
}

static const struct file_ops sfd_fops = {
	.fdinfo = sfd_fdinfo,
	.read = sfd_read,
	.llseek = noop_llseek,
	.poll = sfd_poll,
	.waitq = sfd_waitq,
	.poll_wait = sfd_poll_wait,
	.read_min = sizeof(struct signalfd_siginfo),
};

static void
sfd_free(struct inode *i)
{
	free(i->priv);
}

struct file *
vfs_signalfd(unsigned long mask, int nonblock)
{
	struct signalfd *s = xcalloc(1, sizeof(*s));

	s->mask = mask;
	return anon_file("[signalfd]", &sfd_fops, s, sfd_free, O_RDWR | (nonblock ? O_NONBLOCK : 0));
}

int
vfs_signalfd_set_mask(struct file *f, unsigned long mask)
{
	if (f->fops != &sfd_fops)
		return -EINVAL;
	sfd_of(f)->mask = mask;
	return 0;
}
