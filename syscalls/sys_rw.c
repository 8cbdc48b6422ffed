/*
 * The read/write family: read, write, pread64, pwrite64, readv, writev, preadv(2),
 * pwritev(2), lseek, sendfile, copy_file_range, getdents(64), ioctl.
 * Guest buffers go through one bounded bounce buffer (the sentry is single-threaded).
 */
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <linux/fs.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <netinet/in.h>

#include "fs/tty.h"
#include "fs/vfs.h"
#include "platform/platform.h"
#include "sentry/ns.h"
#include "syscalls/internal.h"

#define RW_CHUNK (64 * 1024)
#define MAX_RW_COUNT ((size_t)(INT_MAX & ~(PAGE_SIZE - 1)))
#define COPY_MAX (16UL << 20) /* sendfile/copy_file_range per call: keeps the loop responsive */
#define USER_TOP 0x7ffffffff000UL /* TASK_SIZE_MAX on x86-64 (4-level paging) */
#define RWF_NOAPPEND_ 0x20  /* Linux 6.9 */
#define RWF_NOSIGNAL_ 0x100 /* Linux 6.15: no SIGPIPE (uapi headers here lack it) */
#define RWF_ATOMIC_ 0x40    /* Linux 6.11: untorn writes, on files that offer them */
#define RWF_DONTCACHE_ 0x80 /* Linux 6.14: drop the pages after, on filesystems that offer it */
#define IOV_LIMIT 1024 /* UIO_MAXIOV */

static char bounce[RW_CHUNK];

/* access_ok(): the range must lie below the top of the user address space. */
static bool
user_range_ok(unsigned long addr, size_t n)
{
	return n <= USER_TOP && addr <= USER_TOP - n;
}

static bool
can_read(struct file *f)
{
	int acc = file_get_flags(f) & O_ACCMODE;

	return acc == O_RDONLY || acc == O_RDWR;
}

static bool
can_write(struct file *f)
{
	int acc = file_get_flags(f) & O_ACCMODE;

	return acc == O_WRONLY || acc == O_RDWR;
}

/* True when f is a blocking file the event loop can wait on: backed by a host fd, or a
 * sentry object with a wait queue (pipes, eventfds). */
static bool
may_block(struct file *f)
{
	return (file_wait_fd(f) >= 0 || file_waitq(f)) && !(file_get_flags(f) & O_NONBLOCK);
}

long
sys_block_on(struct task *t, struct file *f, short ev)
{
	sys_hold_fd(t, f);
	file_poll_wait(t, f, ev);
	return sysret(SYSRET_BLOCK);
}

/* Host-backed files: further chunks are transferred only while the fd stays ready. */
static bool
still_ready(struct file *f, short ev)
{
	return file_wait_fd(f) < 0 || file_poll(f, ev) != 0;
}

/* One guest segment. Returns 0 to go on with the next segment, 1 to stop, or -errno.
 * pos NULL: the file position. */
static long
read_seg(struct task *t, struct file *f, unsigned long addr, size_t n, off_t *pos, size_t *done)
{
	while (n > 0) {
		size_t want = MIN(n, RW_CHUNK), put;
		ssize_t got;

		if (*done > 0 && (!still_ready(f, POLLIN) || plat_call_abandoned(t->ctx)))
			return 1;
		got = pos ? file_pread(f, bounce, want, *pos) : file_read(f, bounce, want);
		if (got <= 0)
			return got < 0 ? got : 1;
		put = copy_to_guest_partial(t, addr, bounce, got);
		if (put < (size_t)got && !pos)
			file_lseek(f, (off_t)put - got, SEEK_CUR); /* best effort: unread */
		if (pos)
			*pos += put;
		*done += put;
		if (put < (size_t)got)
			return -EFAULT;
		addr += got;
		n -= got;
		if ((size_t)got < want)
			return 1;
	}
	return 0;
}

static long
write_seg(struct task *t, struct file *f, unsigned long addr, size_t n, off_t *pos, size_t *done)
{
	while (n > 0) {
		size_t want = MIN(n, RW_CHUNK), have;
		ssize_t put;

		if (*done > 0 && (!still_ready(f, POLLOUT) || plat_call_abandoned(t->ctx)))
			return 1;
		have = copy_from_guest_partial(t, bounce, addr, want);
		/* (the source faults at have: a pipe keeps whole pages of it only) */
		size_t ok = file_pipe_fault_cut(f, want, have);
		if (ok == 0)
			return -EFAULT;
		put = pos ? file_pwrite(f, bounce, ok, *pos) : file_write(f, bounce, ok);
		if (put < 0)
			return put;
		if (pos)
			*pos += put;
		*done += put;
		if ((size_t)put < ok)
			return 1; /* full before the fault: the rest when there is room */
		if (have < want)
			return -EFAULT;
		addr += put;
		n -= put;
		if ((size_t)put < want)
			return 1;
	}
	return 0;
}

/* writev of at most one chunk to a pipe-like file: one file_write, so a write of at most
 * PIPE_BUF bytes stays atomic however it is split into segments. */
static long
write_gathered(struct task *t, struct file *f, const struct iovec *iov, int cnt, size_t *done)
{
	size_t have = 0, total = 0, ok;
	ssize_t put;

	for (int i = 0; i < cnt; i++)
		total += iov[i].iov_len;
	for (int i = 0; i < cnt; i++) {
		size_t n = iov[i].iov_len;
		size_t got = copy_from_guest_partial(t, bounce + have,
						     (unsigned long)iov[i].iov_base, n);

		have += got;
		if (got < n)
			break;
	}
	ok = file_pipe_fault_cut(f, total, have);
	if (ok == 0)
		return -EFAULT;
	put = file_write(f, bounce, ok);
	if (put < 0)
		return put;
	*done = put;
	return 1;
}

/* Drops the first skip bytes of an iovec (in place); returns the new first entry. */
static struct iovec *
iov_advance(struct iovec *iov, int *cnt, size_t skip)
{
	while (*cnt > 0 && skip >= iov->iov_len) {
		skip -= iov->iov_len;
		iov++;
		(*cnt)--;
	}
	if (*cnt > 0) {
		iov->iov_base = (char *)iov->iov_base + skip;
		iov->iov_len -= skip;
	}
	return iov;
}

/* Transfers over a checked iovec; pos NULL means the file position. A blocking write to a
 * sentry pipe writes everything, waiting for room as often as needed (t->wait_written
 * keeps what the earlier runs of the call wrote; a signal ends it with that count). */
static long
rw_iov(struct task *t, struct file *f, struct iovec *iov, int cnt, size_t total,
       off_t *pos, bool wr, int rwf)
{
	short ev = wr ? POLLOUT : POLLIN;
	size_t done = 0, skip = 0;
	bool whole = wr && !pos && file_pipe_size(f) > 0 && may_block(f);
	long r = 0;

	if (!pos && file_tty(f))
		return sys_tty_rw(t, f, iov, cnt, total, wr);
	if (!pos && file_is_socket(f))
		return sys_sock_rw(t, f, iov, cnt, total, wr, rwf & RWF_NOSIGNAL_ ? MSG_NOSIGNAL : 0);
	if (wr && file_write_discards(f))
		return pos ? file_pwrite(f, NULL, total, *pos) : file_write(f, NULL, total);
	if (total < file_rw_min(f, wr))
		return -EINVAL; /* Linux's handlers check the size first: no wait, no 0-byte success */
	if (total == 0 && (r = file_rw_able(f, wr)) < 0)
		return r;
	if (total == 0 && wr && file_rw_zero(f, true)) /* (a /proc file's own parser) */
		return pos ? file_pwrite(f, bounce, 0, *pos) : file_write(f, bounce, 0);
	if (total == 0 && !wr && !pos && file_rw_zero(f, false)) {
		/* (Linux hands even 0 bytes to the file: an inotify read of 0 waits for an
		 * event, then finds it does not fit) */
		r = file_read(f, NULL, 0);
		return r == -EAGAIN && may_block(f) ? sys_block_on(t, f, ev) : r;
	}
	if (total == 0)
		return 0;
	if (wr && (r = vfs_file_remove_privs(t, f)) < 0)
		return r;
	if (whole && t->wait_rerun && t->wait_written < total) {
		skip = t->wait_written;
		iov = iov_advance(iov, &cnt, skip);
	}
	/* (a pipe write may still top up the last page of a pipe that polls full) */
	if (!pos && may_block(f) && !(wr && file_pipe_size(f) > 0) && !file_poll(f, ev))
		return sys_block_on(t, f, ev);
	if (wr && !pos && cnt > 1 && total - skip <= RW_CHUNK && file_waitq(f))
		r = write_gathered(t, f, iov, cnt, &done);
	for (int i = 0; i < cnt && r == 0; i++) {
		unsigned long base = (unsigned long)iov[i].iov_base;

		if (wr)
			r = write_seg(t, f, base, iov[i].iov_len, pos, &done);
		else
			r = read_seg(t, f, base, iov[i].iov_len, pos, &done);
	}
	if (r == -EPIPE && wr && !(rwf & RWF_NOSIGNAL_))
		task_signal_self(t, SIGPIPE);
	/* past RLIMIT_FSIZE; past the largest file size alone, EFBIG is all */
	if (r == -EFBIG && wr && done == 0 && skip == 0 &&
	    sentry.rlim[RLIMIT_FSIZE].rlim_cur != RLIM_INFINITY)
		task_signal_self(t, SIGXFSZ);
	done += skip;
	if (whole && done < total && (r >= 0 || r == -EAGAIN)) {
		t->wait_written = done; /* the pipe is full: wait for the reader */
		return sys_block_on(t, f, ev);
	}
	if (done > 0)
		return done;
	if (r == -EAGAIN && !pos && may_block(f))
		return sys_block_on(t, f, ev);
	return r < 0 ? r : 0;
}

static long
rw_check(struct file *f, bool wr)
{
	if (!f)
		return -EBADF;
	if (wr ? !can_write(f) : !can_read(f))
		return -EBADF;
	if (vfs_pidfd_pid(f) >= 0)
		return -EINVAL; /* a pidfd: waitable (its poll), but nothing to read or write */
	return 0;
}

/* A positional call on a file without positions is ESPIPE before anything (Linux
 * FMODE_PREAD / FMODE_PWRITE; a pidfd has them, and then says EINVAL). */
static bool
no_positions(struct file *f, const off_t *pos, bool wr)
{
	return pos && f && !(wr ? file_pwritable(f) : file_seekable(f)) && vfs_pidfd_pid(f) < 0;
}

/* read/write/pread64/pwrite64 on one buffer. */
static long
rw_one(struct task *t, const struct sysargs *a, off_t *pos, bool wr)
{
	struct file *f = sys_fd_io(t, a->a[0]);
	size_t n = a->a[2];
	struct iovec iov;
	long err = no_positions(f, pos, wr) ? -ESPIPE : rw_check(f, wr);

	if (err)
		return err;
	if (!user_range_ok(a->a[1], n))
		return -EFAULT;
	if ((ssize_t)n < 0)
		return -EINVAL;
	n = MIN(n, MAX_RW_COUNT);
	off_t end;
	if (pos && __builtin_add_overflow(*pos, (off_t)n, &end))
		return -EINVAL; /* the position would wrap (without the overflow itself) */
	if (!wr && file_is_dir(f))
		return -EISDIR;
	iov.iov_base = (void *)a->a[1];
	iov.iov_len = n;
	return rw_iov(t, f, &iov, 1, n, pos, wr, 0);
}

SYSCALL(read)
{
	return rw_one(t, a, NULL, false);
}

SYSCALL(write)
{
	return rw_one(t, a, NULL, true);
}

SYSCALL(pread64)
{
	off_t pos = (off_t)a->a[3];

	if (pos < 0)
		return -EINVAL;
	return rw_one(t, a, &pos, false);
}

SYSCALL(pwrite64)
{
	off_t pos = (off_t)a->a[3];

	if (pos < 0)
		return -EINVAL;
	return rw_one(t, a, &pos, true);
}

long
sys_import_iov(struct task *t, unsigned long uvec, unsigned long cnt, struct iovec **out,
	       size_t *total)
{
	_cleanup_free_ struct iovec *iov = NULL;

	*out = NULL;
	*total = 0;
	if (cnt > IOV_LIMIT)
		return -EINVAL;
	if (cnt == 0)
		return 0;
	iov = xcalloc(cnt, sizeof(*iov));
	if (copy_from_guest(t, iov, uvec, cnt * sizeof(*iov)) < 0)
		return -EFAULT;
	for (unsigned long i = 0; i < cnt; i++) {
		if ((ssize_t)iov[i].iov_len < 0)
			return -EINVAL;
		if (iov[i].iov_len > MAX_RW_COUNT - *total)
			iov[i].iov_len = MAX_RW_COUNT - *total;
		if (!user_range_ok((unsigned long)iov[i].iov_base, iov[i].iov_len))
			return -EFAULT;
		*total += iov[i].iov_len;
	}
	*out = steal_ptr(&iov);
	return 0;
}

/* readv/writev/preadv/pwritev: fd, vec, cnt, pos (pos NULL = file position). */
static long
rw_vec(struct task *t, const struct sysargs *a, off_t *pos, bool wr, int rwf)
{
	struct file *f = sys_fd_io(t, a->a[0]);
	_cleanup_free_ struct iovec *iov = NULL;
	size_t total;
	long err = no_positions(f, pos, wr) ? -ESPIPE : rw_check(f, wr);

	if (err)
		return err;
	err = sys_import_iov(t, a->a[1], a->a[2], &iov, &total);
	if (err)
		return err;
	off_t end;
	if (pos && __builtin_add_overflow(*pos, (off_t)total, &end))
		return -EINVAL;
	if (total == 0) /* (vfs_readv/vfs_writev: no bytes asked, the file is not asked either) */
		return file_rw_able(f, wr);
	if (!wr && file_is_dir(f))
		return -EISDIR;
	return rw_iov(t, f, iov, (int)a->a[2], total, pos, wr, rwf);
}

long
sys_aio_rw(struct task *t, struct file *f, bool wr, bool vec, unsigned long buf, size_t n,
	   off_t pos, long *res)
{
	_cleanup_free_ struct iovec *iov = NULL;
	struct iovec one;
	size_t total;
	off_t end;
	int cnt = 1, fl;
	long err;

	if (wr ? !can_write(f) : !can_read(f))
		return -EBADF;
	if (file_is_dir(f) || vfs_pidfd_pid(f) >= 0 || (file_get_flags(f) & O_PATH))
		return -EINVAL;
	if (vec) {
		if ((err = sys_import_iov(t, buf, n, &iov, &total)))
			return err;
		cnt = (int)n;
	} else {
		if (!user_range_ok(buf, n))
			return -EFAULT;
		total = MIN(n, (size_t)MAX_RW_COUNT);
		one.iov_base = (void *)buf;
		one.iov_len = total;
	}
	if (pos < 0 || __builtin_add_overflow(pos, (off_t)total, &end))
		return -EINVAL;
	/* never wait: a sentry object is asked to answer EAGAIN; a host fd must be ready */
	fl = file_get_flags(f);
	if (file_wait_fd(f) >= 0 && !(fl & O_NONBLOCK) && !file_poll(f, wr ? POLLOUT : POLLIN)) {
		*res = -EAGAIN;
		return 0;
	}
	if (file_wait_fd(f) < 0)
		file_set_flags(f, fl | O_NONBLOCK);
	*res = rw_iov(t, f, vec ? iov : &one, cnt, total, file_seekable(f) ? &pos : NULL, wr, 0);
	if (file_wait_fd(f) < 0)
		file_set_flags(f, fl);
	if (*res == SYSRET_BLOCK) {
		task_wait_done(t);
		*res = -EAGAIN;
	}
	return 0;
}

SYSCALL(readv)
{
	return rw_vec(t, a, NULL, false, 0);
}

SYSCALL(writev)
{
	return rw_vec(t, a, NULL, true, 0);
}

SYSCALL(preadv)
{
	off_t pos = (off_t)a->a[3]; /* pos_l; pos_h is unused on 64-bit */

	if (pos < 0)
		return -EINVAL;
	return rw_vec(t, a, &pos, false, 0);
}

SYSCALL(pwritev)
{
	off_t pos = (off_t)a->a[3];

	if (pos < 0)
		return -EINVAL;
	return rw_vec(t, a, &pos, true, 0);
}

/* preadv2/pwritev2: pos -1 means the file position. RWF_NOWAIT: as O_NONBLOCK for this
 * call (a regular file never waits; writes to one are EOPNOTSUPP, as on ext4); RWF_APPEND /
 * RWF_NOAPPEND: as O_APPEND set / clear for this call (reads ignore them). Flags are
 * checked in Linux kiocb_set_rw_flags's order: unknown ones, APPEND with NOAPPEND, then
 * each; no file here offers RWF_ATOMIC or RWF_DONTCACHE (as tmpfs). */
static long
rw_vec2(struct task *t, const struct sysargs *a, bool wr)
{
	off_t pos = (off_t)a->a[3];
	int flags = (int)a->a[5];
	struct file *f;
	struct stat st;
	int saved = 0, fl;
	long r;

	if (pos < -1)
		return -EINVAL;
	f = sys_fd_io(t, a->a[0]);
	if (!f)
		return -EBADF;
	if (flags & ~(RWF_HIPRI | RWF_DSYNC | RWF_SYNC | RWF_NOWAIT | RWF_APPEND | RWF_NOAPPEND_ |
		      RWF_ATOMIC_ | RWF_DONTCACHE_ | RWF_NOSIGNAL_))
		return -EOPNOTSUPP;
	if ((flags & RWF_APPEND) && (flags & RWF_NOAPPEND_))
		return -EINVAL;
	if ((flags & RWF_NOWAIT) && wr && file_stat(f, &st) == 0 && S_ISREG(st.st_mode))
		return -EOPNOTSUPP;
	if (flags & (RWF_ATOMIC_ | RWF_DONTCACHE_))
		return -EOPNOTSUPP;
	fl = saved = file_get_flags(f);
	if (flags & RWF_NOWAIT)
		fl |= O_NONBLOCK;
	if (wr && (flags & RWF_APPEND))
		fl |= O_APPEND;
	else if (wr && (flags & RWF_NOAPPEND_) && file_append_only(f))
		return -EPERM; /* Linux kiocb_set_rw_flags */
	else if (wr && (flags & RWF_NOAPPEND_))
		fl &= ~O_APPEND;
	if (fl != saved)
		file_set_flags(f, fl);
	r = rw_vec(t, a, pos == -1 ? NULL : &pos, wr, flags);
	if (fl != saved)
		file_set_flags(f, saved);
	if (r > 0 && wr && (flags & (RWF_DSYNC | RWF_SYNC)))
		file_fsync(f);
	return r;
}

SYSCALL(preadv2)
{
	return rw_vec2(t, a, false);
}

SYSCALL(pwritev2)
{
	return rw_vec2(t, a, true);
}

SYSCALL(lseek)
{
	struct file *f = sys_fd_io(t, a->a[0]);
	unsigned int whence = (unsigned int)a->a[2];

	if (!f)
		return -EBADF;
	if (whence > SEEK_HOLE)
		return -EINVAL;
	return file_lseek(f, (off_t)a->a[1], (int)whence); /* (any offset: see sysret) */
}

/* Writes all of n bytes unless the file takes fewer; returns bytes written or -errno. */
static ssize_t
write_chunk(struct file *out, const char *buf, size_t n, off_t *pos)
{
	size_t done = 0;

	while (done < n) {
		ssize_t w = pos ? file_pwrite(out, buf + done, n - done, *pos)
				: file_write(out, buf + done, n - done);

		if (w <= 0)
			return done ? (ssize_t)done : (w < 0 ? w : 0);
		if (pos)
			*pos += w;
		done += w;
		if (!still_ready(out, POLLOUT))
			break;
	}
	return done;
}

/* In-sentry copy between two files through the bounce buffer (sendfile, copy_file_range). */
static long
copy_files(struct task *t, struct file *in, off_t *in_pos, struct file *out, off_t *out_pos,
	   size_t count)
{
	size_t done = 0;
	long r = 0;

	if (count == 0)
		return 0;
	if (!in_pos && may_block(in) && !file_poll(in, POLLIN))
		return sys_block_on(t, in, POLLIN);
	/* a stream socket takes a send while it has room, which is more than poll's
	 * writable (Linux unix_writable: a quarter of the send buffer in use) */
	if (!out_pos && may_block(out) &&
	    (file_is_socket(out) ? sock_send_room(out) == 0 : !file_poll(out, POLLOUT)))
		return sys_block_on(t, out, POLLOUT);
	while (done < count) {
		size_t want = MIN(count - done, RW_CHUNK);
		ssize_t got, put;

		if (done > 0 && (!still_ready(in, POLLIN) || !still_ready(out, POLLOUT) ||
				 plat_call_abandoned(t->ctx)))
			break;
		/* what a pipe gave cannot go back: take no more than the file may grow by, or
		 * than a stream socket will take */
		if ((r = file_write_room(out, out_pos, &want)) < 0)
			break;
		if (!in_pos && file_is_socket(out))
			want = MIN(want, sock_send_room(out));
		long room = in_pos ? -EBADF : file_pipe_room(out);
		if (room >= 0) /* (a socket's or a pipe's bytes read cannot be given back) */
			want = MIN(want, (size_t)room);
		if (want == 0) {
			if (done == 0)
				return may_block(out) ? sys_block_on(t, out, POLLOUT) : -EAGAIN;
			break;
		}
		got = in_pos ? file_pread(in, bounce, want, *in_pos) : file_read(in, bounce, want);
		if (got <= 0) {
			r = got;
			break;
		}
		put = write_chunk(out, bounce, got, out_pos);
		if (put < got && !in_pos) /* give back what was not written */
			file_lseek(in, (put < 0 ? 0 : put) - got, SEEK_CUR);
		if (put < 0) {
			r = put;
			break;
		}
		if (in_pos)
			*in_pos += put;
		done += put;
		/* a short read is the end for now, but a file that can grow (sendfile of a
		 * file into itself) is read again: only a read of 0 ends it */
		if (put < got || ((size_t)got < want && !(in_pos && file_seekable(in))))
			break;
	}
	if (r == -EPIPE)
		task_signal_self(t, SIGPIPE);
	if (r == -EFBIG && done == 0 && sentry.rlim[RLIMIT_FSIZE].rlim_cur != RLIM_INFINITY)
		task_signal_self(t, SIGXFSZ);
	if (done > 0)
		return done;
	return r < 0 ? r : 0;
}

SYSCALL(sendfile)
{
	struct file *out = sys_fd_io(t, a->a[0]), *in = sys_fd_io(t, a->a[1]);
	unsigned long uoff = a->a[2];
	size_t count = MIN(a->a[3], MAX_RW_COUNT); /* Linux's cap of one call */
	off_t off = 0, end;
	long r;

	if (uoff && copy_from_guest(t, &off, uoff, sizeof(off)) < 0)
		return -EFAULT;
	if (!in || !can_read(in))
		return -EBADF;
	/* Linux's rw_verify_area: a count that is negative as ssize_t, a negative offset
	 * or one the count takes past the largest offset */
	if ((ssize_t)a->a[3] < 0 || (uoff && (off < 0 || __builtin_add_overflow(off, (off_t)a->a[3], &end))))
		return -EINVAL;
	if (!out || !can_write(out))
		return -EBADF;
	if (file_get_flags(out) & O_APPEND)
		return -EINVAL;
	/* a pipe or FIFO: no splice_read (Linux do_splice_read), whatever the count; a
	 * directory (splice_direct_to_actor) only once bytes are asked for */
	if (file_pipe_size(in) > 0 || (count && file_is_dir(in)))
		return -EINVAL;
	r = copy_files(t, in, uoff ? &off : NULL, out, NULL, count);
	if (r > 0)
		vfs_file_remove_privs(t, out);
	if (r >= 0 && uoff && copy_to_guest(t, uoff, &off, sizeof(off)) < 0)
		return -EFAULT;
	return r;
}

#define SPLICE_F_MOVE_ 1U
#define SPLICE_F_NONBLOCK_ 2U
#define SPLICE_F_MORE_ 4U
#define SPLICE_F_GIFT_ 8U

static bool
is_pipe_file(struct file *f)
{
	return file_pipe_size(f) > 0;
}

/* Are two pipe files ends of the same pipe (the same inode)? */
static bool
same_file(struct file *a, struct file *b)
{
	struct stat sa, sb;

	return file_stat(a, &sa) == 0 && file_stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

/* splice: a copy through the sentry between a pipe and a file (or two pipes), with
 * Linux's argument checks; SPLICE_F_NONBLOCK makes the pipe side non-blocking. The pipe
 * buffers are copied, not moved (nothing can tell the difference). */
static bool
splice_capable(struct file *f)
{
	struct stat st;

	if (file_stat(f, &st) < 0)
		return false;
	return S_ISREG(st.st_mode) || S_ISSOCK(st.st_mode) || S_ISCHR(st.st_mode) ||
	       S_ISFIFO(st.st_mode) || S_ISBLK(st.st_mode);
}

SYSCALL(splice)
{
	struct file *in = sys_fd_io(t, a->a[0]), *out = sys_fd_io(t, a->a[2]);
	unsigned long uin = a->a[1], uout = a->a[3];
	size_t len = MIN(a->a[4], COPY_MAX);
	unsigned int flags = (unsigned int)a->a[5];
	off_t pin = 0, pout = 0;
	bool pipe_in, pipe_out;
	long r;

	if (len == 0)
		return 0; /* Linux: before looking at anything, the descriptors and flags too */
	if (!in || !out)
		return -EBADF;
	if (flags & ~(SPLICE_F_MOVE_ | SPLICE_F_NONBLOCK_ | SPLICE_F_MORE_ | SPLICE_F_GIFT_))
		return -EINVAL;
	if (!can_read(in) || !can_write(out))
		return -EBADF;
	pipe_in = is_pipe_file(in);
	pipe_out = is_pipe_file(out);
	if (!pipe_in && !pipe_out)
		return -EINVAL;
	if (pipe_in && pipe_out && same_file(in, out))
		return -EINVAL;
	if ((pipe_in && uin) || (pipe_out && uout))
		return -ESPIPE;
	if (!pipe_out && (file_get_flags(out) & O_APPEND))
		return -EINVAL;
	if ((uin && copy_from_guest(t, &pin, uin, sizeof(pin)) < 0) ||
	    (uout && copy_from_guest(t, &pout, uout, sizeof(pout)) < 0))
		return -EFAULT;
	off_t end;
	/* Linux's rw_verify_area: an offset the length takes past the largest one */
	if ((uin && (pin < 0 || __builtin_add_overflow(pin, (off_t)len, &end))) ||
	    (uout && (pout < 0 || __builtin_add_overflow(pout, (off_t)len, &end))))
		return -EINVAL;
	if (!pipe_in && file_is_dir(in))
		return -EINVAL;
	/* Linux do_splice_from / do_splice_read: the other side needs a splice method,
	 * which anonymous files (epoll, eventfd, timerfd, signalfd, inotify, pidfd...)
	 * have none of: EINVAL before any wait */
	if (!splice_capable(pipe_in ? out : in))
		return -EINVAL;
	if (flags & SPLICE_F_NONBLOCK_) {
		if (pipe_in && !file_poll(in, POLLIN))
			return -EAGAIN;
		if (pipe_out && !file_poll(out, POLLOUT))
			return -EAGAIN;
	}
	r = copy_files(t, in, uin ? &pin : NULL, out, uout ? &pout : NULL, len);
	if (r == -EAGAIN && (flags & SPLICE_F_NONBLOCK_))
		return r;
	if (r > 0 && ((uin && copy_to_guest(t, uin, &pin, sizeof(pin)) < 0) ||
		      (uout && copy_to_guest(t, uout, &pout, sizeof(pout)) < 0)))
		return -EFAULT;
	return r;
}

/* tee: the pipe's unread bytes copied into another pipe. As on Linux, only
 * SPLICE_F_NONBLOCK (not O_NONBLOCK) keeps it from waiting for data or room. */
SYSCALL(tee)
{
	struct file *in = sys_fd_io(t, a->a[0]), *out = sys_fd_io(t, a->a[1]);
	size_t len = MIN(a->a[2], COPY_MAX);
	unsigned int flags = (unsigned int)a->a[3];

	if (flags & ~(SPLICE_F_MOVE_ | SPLICE_F_NONBLOCK_ | SPLICE_F_MORE_ | SPLICE_F_GIFT_))
		return -EINVAL;
	if (len == 0)
		return 0; /* (Linux: the flags, then no bytes, before the descriptors) */
	if (!in || !out)
		return -EBADF;
	if (!can_read(in) || !can_write(out))
		return -EBADF;
	if (!is_pipe_file(in) || !is_pipe_file(out))
		return -EINVAL;
	ssize_t r = file_pipe_tee(in, out, len);
	if (r == -EPIPE)
		task_signal_self(t, SIGPIPE);
	if (r == -EAGAIN && !(flags & SPLICE_F_NONBLOCK_)) {
		bool empty = !(file_poll(in, POLLIN) & POLLIN);
		return sys_block_on(t, empty ? in : out, empty ? POLLIN : POLLOUT);
	}
	return r;
}

/* vmsplice: the guest's iovec into a pipe (its write end) or out of it (a read end), as
 * writev/readv; SPLICE_F_NONBLOCK fails with EAGAIN instead of waiting. */
SYSCALL(vmsplice)
{
	struct file *f = sys_fd_io(t, a->a[0]);
	unsigned int flags = (unsigned int)a->a[3];

	if (flags & ~(SPLICE_F_MOVE_ | SPLICE_F_NONBLOCK_ | SPLICE_F_MORE_ | SPLICE_F_GIFT_))
		return -EINVAL;
	if (!f)
		return -EBADF;
	bool wr = can_write(f);
	if (!wr && !can_read(f))
		return -EBADF;
	if (!is_pipe_file(f)) { /* Linux: the iovec first; no bytes never reach the pipe check */
		_cleanup_free_ struct iovec *iov = NULL;
		size_t total;
		long err = sys_import_iov(t, a->a[1], a->a[2], &iov, &total);

		return err ? err : total ? -EBADF : 0;
	}
	if ((flags & SPLICE_F_NONBLOCK_) && a->a[2] &&
	    !(file_poll(f, wr ? POLLOUT : POLLIN) & (wr ? POLLOUT : POLLIN | POLLHUP)))
		return -EAGAIN;
	/* Linux vmsplice_to_pipe waits for room, then fills what fits and returns: with
	 * room now the write does not wait for the rest (a full pipe waits as a write) */
	if (wr && a->a[2] && (file_poll(f, POLLOUT) & POLLOUT)) {
		int saved = file_get_flags(f);
		if (!(saved & O_NONBLOCK))
			file_set_flags(f, saved | O_NONBLOCK);
		long r = rw_vec(t, a, NULL, wr, 0);
		if (!(saved & O_NONBLOCK))
			file_set_flags(f, saved);
		return r;
	}
	return rw_vec(t, a, NULL, wr, 0);
}

static int
regular_file(struct file *f)
{
	struct stat st;
	int err = file_stat(f, &st);

	if (err)
		return err;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	return S_ISREG(st.st_mode) ? 0 : -EINVAL;
}

SYSCALL(copy_file_range)
{
	struct file *in = sys_fd_io(t, a->a[0]), *out = sys_fd_io(t, a->a[2]);
	unsigned long uin = a->a[1], uout = a->a[3];
	size_t len = MIN(a->a[4], COPY_MAX);
	off_t pin = 0, pout = 0;
	long r;

	if (a->a[5])
		return -EINVAL;
	if (!in || !out)
		return -EBADF;
	if ((uin && copy_from_guest(t, &pin, uin, sizeof(pin)) < 0) ||
	    (uout && copy_from_guest(t, &pout, uout, sizeof(pout)) < 0))
		return -EFAULT;
	if ((r = regular_file(in)) || (r = regular_file(out)))
		return r;
	if (!can_read(in) || !can_write(out) || (file_get_flags(out) & O_APPEND))
		return -EBADF;
	/* Linux 5.19+: no copy between two filesystems (none here has its own method) */
	struct stat sin, sout;
	if (file_stat(in, &sin) == 0 && file_stat(out, &sout) == 0 && sin.st_dev != sout.st_dev)
		return -EXDEV;
	if (!uin)
		pin = file_lseek(in, 0, SEEK_CUR);
	if (!uout)
		pout = file_lseek(out, 0, SEEK_CUR);
	/* Linux generic_copy_file_checks: offsets that wrap, compared unsigned */
	if ((uint64_t)pin + a->a[4] < (uint64_t)pin || (uint64_t)pout + a->a[4] < (uint64_t)pout)
		return -EOVERFLOW;
	off_t ein, eout;
	if (pin < 0 || pout < 0 || __builtin_add_overflow(pin, (off_t)len, &ein) ||
	    __builtin_add_overflow(pout, (off_t)len, &eout))
		return -EINVAL;
	if (in == out && pin < pout + (off_t)len && pout < pin + (off_t)len)
		return -EINVAL;
	r = copy_files(t, in, &pin, out, &pout, len);
	if (r > 0)
		vfs_file_remove_privs(t, out);
	if (r > 0 && !uin)
		file_lseek(in, pin, SEEK_SET);
	if (r > 0 && !uout)
		file_lseek(out, pout, SEEK_SET);
	if (r > 0 && ((uin && copy_to_guest(t, uin, &pin, sizeof(pin)) < 0) ||
		      (uout && copy_to_guest(t, uout, &pout, sizeof(pout)) < 0)))
		return -EFAULT;
	return r;
}

/* The part both getdents calls share: checks, then linux_dirent64 records into bounce. */
static ssize_t
getdents_to_bounce(struct task *t, const struct sysargs *a, off_t *pos)
{
	struct file *f = sys_fd_io(t, a->a[0]);

	if (!f)
		return -EBADF;
	if (!user_range_ok(a->a[1], (unsigned int)a->a[2]))
		return -EFAULT;
	if ((unsigned int)a->a[2] > INT_MAX)
		return -EINVAL; /* Linux keeps the room left in an int: no record fits */
	*pos = file_lseek(f, 0, SEEK_CUR);
	return file_getdents64(f, bounce, MIN((unsigned int)a->a[2], RW_CHUNK));
}

/* Copies the r bytes of records out as Linux's filldir does, one at a time: a fault after
 * the first leaves the directory at the first record not copied and returns the bytes
 * before it; a fault on the first is EFAULT with the position as it was (pos). */
static ssize_t
getdents_copy_out(struct task *t, const struct sysargs *a, ssize_t r, off_t pos)
{
	ssize_t done = 0, last = -1;
	struct file *f;
	int64_t next;

	if (r <= 0 || copy_to_guest(t, a->a[1], bounce, r) == 0)
		return r;
	while (done < r) {
		unsigned short reclen;

		memcpy(&reclen, bounce + done + 16, sizeof(reclen));
		if (!reclen || done + reclen > r ||
		    copy_to_guest(t, a->a[1] + done, bounce + done, reclen) < 0)
			break;
		last = done;
		done += reclen;
	}
	f = sys_fd_io(t, a->a[0]);
	if (last < 0) {
		if (f && pos >= 0)
			file_lseek(f, pos, SEEK_SET);
		return -EFAULT;
	}
	/* the last record copied: its d_off is where the next read starts */
	memcpy(&next, bounce + last + 8, sizeof(next));
	if (f)
		file_lseek(f, next, SEEK_SET);
	return done;
}

SYSCALL(getdents64)
{
	off_t pos = -1;
	ssize_t r = getdents_to_bounce(t, a, &pos);

	return getdents_copy_out(t, a, r, pos);
}

/* Old getdents: struct linux_dirent {ino, off, reclen, name[], pad, type}. Records have
 * the same size as linux_dirent64 ones, so they are converted in place. */
SYSCALL(getdents)
{
	off_t pos = -1;
	ssize_t r = getdents_to_bounce(t, a, &pos);

	for (ssize_t off = 0; r > 0 && off < r;) {
		unsigned short reclen;
		unsigned char type;
		char *rec = bounce + off;

		memcpy(&reclen, rec + 16, sizeof(reclen));
		if (reclen < 20 || off + reclen > r)
			return -EIO;
		type = rec[18];
		memmove(rec + 18, rec + 19, reclen - 20);
		rec[reclen - 2] = 0;
		rec[reclen - 1] = (char)type;
		off += reclen;
	}
	return getdents_copy_out(t, a, r, pos);
}

#define FIBMAP_ 1U
#define FICLONE_ 0x40049409U
#define FICLONERANGE_ 0x4020940dU
#define FIDEDUPERANGE_ 0xc0189436U
#define FS_IOC_FIEMAP_ 0xc020660bU

/* FICLONE and FICLONERANGE, which Linux's do_vfs_ioctl answers for every kind of file
 * (ioctl_file_clone, vfs_clone_file_range): the source descriptor (an int: the upper bits
 * of the argument are dropped), one filesystem for both, two regular files, the source
 * open for reading and the destination for writing, not appending; then no filesystem
 * here shares blocks (as tmpfs and ext4: EOPNOTSUPP). */
static long
clone_ioctl(struct task *t, struct file *dst, unsigned int cmd, unsigned long arg)
{
	unsigned long srcfd = arg;
	struct stat sst, dst_st;
	struct file *src;

	if (cmd == FICLONERANGE_) { /* struct file_clone_range: src_fd, then three u64 */
		uint64_t range[4];

		if (copy_from_guest(t, range, arg, sizeof(range)) < 0)
			return -EFAULT;
		srcfd = range[0];
	}
	src = sys_fd_io(t, (long)(unsigned int)srcfd);
	if (!src)
		return -EBADF;
	if (!file_same_sb(src, dst))
		return -EXDEV;
	if (file_stat(src, &sst) < 0 || file_stat(dst, &dst_st) < 0)
		return -EINVAL;
	if (S_ISDIR(sst.st_mode) || S_ISDIR(dst_st.st_mode))
		return -EISDIR;
	if (!S_ISREG(sst.st_mode) || !S_ISREG(dst_st.st_mode))
		return -EINVAL;
	if (!can_read(src) || !can_write(dst) || (file_get_flags(dst) & O_APPEND))
		return -EBADF;
	return -EOPNOTSUPP;
}

/* The block-mapping and dedupe ioctls of regular files, none of which an in-memory file
 * has (as on tmpfs): dedupe EOPNOTSUPP, FIEMAP EOPNOTSUPP, FIBMAP EINVAL; the checks Linux
 * makes before it finds that out come first (ioctl_fibmap: CAP_SYS_RAWIO, then the block
 * number; ioctl_file_dedupe_range: the request's size, at most a page). */
static long
remap_ioctl(struct task *t, struct file *f, unsigned int cmd, unsigned long arg)
{
	struct stat st;
	int block;
	uint16_t count;

	if (cmd != FIBMAP_ && cmd != FIDEDUPERANGE_ && cmd != FS_IOC_FIEMAP_)
		return -ENOTTY;
	if (file_stat(f, &st) < 0 || !S_ISREG(st.st_mode))
		return -ENOTTY;
	if (cmd == FIBMAP_) {
		if (!task_capable(t, CAP_SYS_RAWIO))
			return -EPERM;
		if (copy_from_guest(t, &block, arg, sizeof(block)) < 0)
			return -EFAULT;
		return -EINVAL; /* a negative block, or no bmap */
	}
	if (cmd == FIDEDUPERANGE_) { /* struct file_dedupe_range: 24 bytes, then 32 per dest */
		static char req[PAGE_SIZE];
		uint16_t reserved1;
		uint32_t reserved2;

		if (copy_from_guest(t, &count, arg + 16, sizeof(count)) < 0)
			return -EFAULT;
		if (24 + 32 * (unsigned long)count > PAGE_SIZE)
			return -ENOMEM;
		if (copy_from_guest(t, req, arg, 24 + 32 * (unsigned long)count) < 0)
			return -EFAULT;
		memcpy(&reserved1, req + 18, sizeof(reserved1));
		memcpy(&reserved2, req + 20, sizeof(reserved2));
		if (!can_read(f) || reserved1 || reserved2)
			return -EINVAL;
	}
	return -EOPNOTSUPP;
}

/* SIOCGIFCONF: the IPv4 addresses of the socket's network namespace, one whole struct
 * ifreq each (lo's only here: none in a new namespace until lo comes up). A NULL buffer
 * asks for the length needed. */
static long
ifconf_ioctl(struct task *t, struct file *f, unsigned long arg)
{
	struct { int len; int pad; unsigned long buf; } ic; /* struct ifconf */
	struct ifreq ifr;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;
	uint32_t addrs[64];
	int n = sock_ifconf_v4(f, addrs, (int)ARRAY_SIZE(addrs)), done = 0;

	if (copy_from_guest(t, &ic, arg, sizeof(ic)) < 0)
		return -EFAULT;
	n = MIN(n, (int)ARRAY_SIZE(addrs));
	if (!ic.buf) {
		ic.len = n * (int)sizeof(ifr);
		return copy_to_guest(t, arg, &ic.len, sizeof(ic.len)) < 0 ? -EFAULT : 0;
	}
	for (int i = 0; i < n && ic.len - done >= (int)sizeof(ifr); i++) {
		memset(&ifr, 0, sizeof(ifr));
		memcpy(ifr.ifr_name, "lo", 3);
		sin->sin_family = AF_INET;
		sin->sin_addr.s_addr = addrs[i];
		if (copy_to_guest(t, ic.buf + (unsigned long)done, &ifr, sizeof(ifr)) < 0)
			return -EFAULT;
		done += (int)sizeof(ifr);
	}
	ic.len = done;
	return copy_to_guest(t, arg, &ic.len, sizeof(ic.len)) < 0 ? -EFAULT : 0;
}

/* SIOCGSKNS (Linux sock_ioctl): a close-on-exec file of the socket's network namespace,
 * for CAP_NET_ADMIN over it. */
#define SIOCGSKNS_ 0x894C
static long
skns_ioctl(struct task *t, struct file *f)
{
	struct ns_common *ns = sock_net_ns(f);

	if (!ns)
		return -ENOTTY;
	if (!task_ns_capable(t, ns_owner(ns), CAP_NET_ADMIN))
		return -EPERM;
	struct file *nf = procfs_ns_file(ns);
	int fd = fdt_install(t->fdt, nf, 0, true);
	file_put(nf);
	return fd;
}

/* SIOCETHTOOL (Linux dev_ethtool) on lo: ETHTOOL_GET_TS_INFO says what loopback's
 * ethtool_op_get_ts_info does (software timestamps, no clock); lo has no other ethtool
 * operation here (EOPNOTSUPP). */
#define ETHTOOL_GET_TS_INFO_ 0x41
static long
ethtool_ioctl(struct task *t, struct file *f, unsigned long arg)
{
	struct ifreq ifr;
	uint32_t ecmd, ts[11] = { 0 }; /* struct ethtool_ts_info */
	unsigned long data;

	if (!file_is_socket(f))
		return -ENOTTY;
	if (copy_from_guest(t, &ifr, arg, sizeof(ifr)) < 0)
		return -EFAULT;
	ifr.ifr_name[IFNAMSIZ - 1] = 0;
	if (strcmp(ifr.ifr_name, "lo"))
		return -ENODEV;
	data = (unsigned long)ifr.ifr_data;
	if (copy_from_guest(t, &ecmd, data, sizeof(ecmd)) < 0)
		return -EFAULT;
	if (ecmd != ETHTOOL_GET_TS_INFO_)
		return -EOPNOTSUPP;
	ts[0] = ecmd;
	ts[1] = (1 << 1) | (1 << 3) | (1 << 4); /* SOF_TIMESTAMPING_{TX,RX}_SOFTWARE, SOFTWARE */
	ts[2] = (uint32_t)-1;                  /* phc_index: none */
	return copy_to_guest(t, data, ts, sizeof(ts)) < 0 ? -EFAULT : 0;
}

/* SIOCDEVPRIVATE..+15 and SIOCWANDEV on any socket (Linux sock_do_ioctl, dev_ioctl): for
 * the driver of the interface the struct ifreq names (up to a colon), and neither lo's nor
 * a tun device's has a handler for them (dev_siocdevprivate, dev_siocwandev). */
static long
devpriv_ioctl(struct task *t, struct file *f, unsigned long arg)
{
	struct ifreq ifr;
	char *colon;

	if (!file_is_socket(f))
		return -ENOTTY;
	if (copy_from_guest(t, &ifr, arg, sizeof(ifr)) < 0)
		return -EFAULT;
	ifr.ifr_name[IFNAMSIZ - 1] = 0;
	if ((colon = strchr(ifr.ifr_name, ':')))
		*colon = 0;
	return sock_has_netdev(f, ifr.ifr_name) ? -EOPNOTSUPP : -ENODEV;
}

/* The owner ioctls of sockets (FIOSETOWN, SIOCSPGRP, FIOGETOWN, SIOCGPGRP) and FIOASYNC
 * of any file; -ENOTTY when cmd is none of them. */
static long
async_ioctl(struct task *t, struct file *f, int fd, unsigned int cmd, unsigned long arg)
{
	int v;

	switch (cmd) {
	case FIOASYNC:
		if (copy_from_guest(t, &v, arg, sizeof(v)) < 0)
			return -EFAULT;
		return file_fioasync(f, fd, v != 0);
	case FIOSETOWN:
	case SIOCSPGRP:
		if (!file_is_socket(f))
			return -ENOTTY;
		if (copy_from_guest(t, &v, arg, sizeof(v)) < 0)
			return -EFAULT;
		return file_fcntl_async(t, f, F_SETOWN, (unsigned long)(long)v);
	case FIOGETOWN:
	case SIOCGPGRP:
		if (!file_is_socket(f))
			return -ENOTTY;
		v = (int)file_fcntl_async(t, f, F_GETOWN, 0);
		return copy_to_guest(t, arg, &v, sizeof(v)) < 0 ? -EFAULT : 0;
	case SIOCGIFCONF:
		if (!file_is_socket(f))
			return -ENOTTY;
		return ifconf_ioctl(t, f, arg);
	case SIOCGSKNS_:
		return skns_ioctl(t, f);
	case SIOCETHTOOL:
		return ethtool_ioctl(t, f, arg);
	}
	return -ENOTTY;
}

SYSCALL(ioctl)
{
	int fd = (int)a->a[0];
	unsigned int cmd = (unsigned int)a->a[1];
	struct file *f = sys_fd_io(t, fd);
	bool out;
	long size, r;

	if (!f)
		return -EBADF;
	r = landlock_ioctl(f, cmd); /* Linux security_file_ioctl: before any command */
	if (r)
		return r;
	if (cmd == FIOCLEX || cmd == FIONCLEX) {
		t->fdt->cloexec[fd] = cmd == FIOCLEX;
		return 0;
	}
	/* FIFREEZE/FITHAW, for every file before its own ioctls (Linux ioctl_fsfreeze and
	 * ioctl_fsthaw; the argument is not read): CAP_SYS_ADMIN first; then no filesystem
	 * here can be frozen (the host's are not the guest's to freeze, the sentry's own have
	 * no freeze_fs), and thawing one that is not frozen is EINVAL */
	if (cmd == FIFREEZE || cmd == FITHAW) {
		if (!task_capable(t, CAP_SYS_ADMIN))
			return -EPERM;
		return cmd == FIFREEZE ? -EOPNOTSUPP : -EINVAL;
	}
	if (cmd == FICLONE_ || cmd == FICLONERANGE_)
		return clone_ioctl(t, f, cmd, a->a[2]);
	/* a terminal's own ioctls come after do_vfs_ioctl's FIGETBSZ (file_ioctl answers it) */
	if (file_tty(f) && cmd != FIGETBSZ)
		return sys_tty_ioctl(t, f, cmd, a->a[2]);
	if (_IOC_TYPE(cmd) == 0xFF && _IOC_NR(cmd) == 11 && vfs_pidfd_pid(f) >= 0)
		return pidfd_get_info(t, f, cmd, a->a[2]); /* PIDFD_GET_INFO, any size */
	if (cmd != FIONBIO && cmd != FIOASYNC &&
	    (r = seccomp_listener_ioctl(t, f, cmd, a->a[2])) != -ENOIOCTLCMD)
		return r;
	if ((r = remap_ioctl(t, f, cmd, a->a[2])) != -ENOTTY)
		return r;
	if ((r = devfs_random_ioctl(t, f, cmd, a->a[2])) != -ENOIOCTLCMD)
		return r;
	if ((r = devfs_tun_ioctl(t, f, cmd, a->a[2])) != -ENOIOCTLCMD)
		return r;
	if ((r = procfs_ioctl(t, f, cmd, a->a[2])) != -ENOIOCTLCMD)
		return r;
	if ((r = procfs_ns_ioctl(t, f, cmd, a->a[2])) != -ENOIOCTLCMD)
		return r;
	if ((cmd >= SIOCDEVPRIVATE && cmd <= SIOCDEVPRIVATE + 15) || cmd == SIOCWANDEV)
		return devpriv_ioctl(t, f, a->a[2]);
	if (cmd == FIOASYNC || cmd == FIOSETOWN || cmd == SIOCSPGRP || cmd == FIOGETOWN ||
	    cmd == SIOCGPGRP || cmd == SIOCGIFCONF || cmd == SIOCETHTOOL || cmd == SIOCGSKNS_)
		return async_ioctl(t, f, fd, cmd, a->a[2]);
	size = file_ioctl_argsize(cmd);
	if (size < 0)
		return size;
	if (size > RW_CHUNK)
		return -EINVAL;
	out = file_ioctl_writes_arg(cmd);
	memset(bounce, 0, size);
	/* socket ioctls (0x89xx: struct ifreq) read the name and write the answer */
	if ((!out || (cmd & ~0xffUL) == 0x8900) && copy_from_guest(t, bounce, a->a[2], size) < 0)
		return -EFAULT;
	r = file_ioctl(f, cmd, bounce);
	if (r >= 0 && out && copy_to_guest(t, a->a[2], bounce, size) < 0)
		return -EFAULT;
	return r;
}
