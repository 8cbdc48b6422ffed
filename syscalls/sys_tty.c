/*
 * Terminal files from the syscall layer: read/readv/write/writev go to fs/tty_ctl.c with
 * the calling task (job control, VMIN/VTIME), ioctls are decoded here. TIOCSTI, which
 * would type input into a terminal as if the user had, is refused and audited.
 */
#include <fcntl.h>
#include <linux/capability.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include "fs/tty.h"
#include "fs/vfs.h"
#include "syscalls/internal.h"

#define TTY_CHUNK (64 * 1024)

static char tty_bounce[TTY_CHUNK];

static long
finish(struct task *t, struct file *f, ssize_t r, short ev)
{
	if (r == -EAGAIN && !(file_get_flags(f) & O_NONBLOCK)) {
		file_poll_wait(t, f, ev);
		return sysret(SYSRET_BLOCK);
	}
	if (r == -TTY_ERESTARTSYS)
		return sysret(SYSRET_RESTART);
	return r;
}

long
sys_tty_rw(struct task *t, struct file *f, const struct iovec *iov, int cnt, size_t total,
	   bool wr)
{
	size_t n = MIN(total, (size_t)TTY_CHUNK), have = 0;
	ssize_t r;

	if (wr) {
		for (int i = 0; i < cnt && have < n; i++) {
			size_t want = MIN(iov[i].iov_len, n - have);
			size_t got = copy_from_guest_partial(t, tty_bounce + have,
							     (unsigned long)iov[i].iov_base, want);

			have += got;
			if (got < want) {
				if (have == 0)
					return -EFAULT;
				break;
			}
		}
		return finish(t, f, tty_write(t, f, tty_bounce, have), POLLOUT);
	}
	r = tty_read(t, f, tty_bounce, n);
	if (r <= 0)
		return finish(t, f, r, POLLIN);
	for (int i = 0; i < cnt && have < (size_t)r; i++) {
		size_t want = MIN(iov[i].iov_len, (size_t)r - have);

		if (copy_to_guest_partial(t, (unsigned long)iov[i].iov_base, tty_bounce + have,
					  want) < want)
			return -EFAULT; /* what was read is lost, as on Linux */
		have += want;
	}
	return r;
}

long
sys_tty_ioctl(struct task *t, struct file *f, unsigned int cmd, unsigned long arg)
{
	unsigned char buf[64] = { 0 };
	struct file *newf = NULL;
	bool out;
	long size, r;

	if (cmd == TIOCSTI) {
		char args[64];
		snprintf(args, sizeof(args), "TIOCSTI, %#lx", arg);
		audit_denied(t, __NR_ioctl, "ioctl", EIO, "TIOCSTI: faking terminal input is refused",
			     args);
		return -EIO;
	}
	size = tty_ioctl_argsize(cmd, &out);
	if (size < 0)
		return size;
	if (size > (long)sizeof(buf))
		return -EINVAL;
	if (size && !out && copy_from_guest(t, buf, arg, size) < 0)
		return -EFAULT;
	r = tty_ioctl(t, f, cmd, buf, arg, &newf);
	if (r == -TTY_ERESTARTSYS)
		return sysret(SYSRET_RESTART);
	if (newf) {
		r = fdt_install(t->fdt, newf, 0, arg & O_CLOEXEC);
		file_put(newf);
		return r;
	}
	if (r >= 0 && size && out && copy_to_guest(t, arg, buf, size) < 0)
		return -EFAULT;
	return r;
}

/* vhangup(2): CAP_SYS_TTY_CONFIG, then the caller's controlling terminal is hung up. */
SYSCALL(vhangup)
{
	if (!task_capable(t, CAP_SYS_TTY_CONFIG))
		return -EPERM;
	return tty_vhangup(t);
}
