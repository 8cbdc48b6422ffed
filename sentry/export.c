/*
 * Change export, both ends (wire format in sentry/export.h).
 *
 * The sentry walks the overlay (vfs_changes) and writes records to its end of a socket
 * pair. The CLI reads them as untrusted input: every length is bounded, every path must
 * be absolute, without "", "." or ".." components, and each is written beneath DIR only
 * through directory fds opened one component at a time with openat2(RESOLVE_BENEATH |
 * RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV); files are created with
 * O_CREAT | O_EXCL | O_NOFOLLOW, so nothing that already exists (a symlink the stream
 * made earlier, say) is ever followed or overwritten. Symlinks are written as symlinks and
 * never followed; fifos, sockets and devices are only listed.
 */
#include <dirent.h>
#include <fcntl.h>
#include <jansson.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "fs/vfs.h"
#include "sentry/export.h"
#include "sentry/sentry.h"

#define EXPORT_MAX_FILE ((uint64_t)1 << 44)

/* ---- sentry side ---- */

struct tx {
	int fd;
	bool data;
	unsigned long count;
	char *buf;
};

struct extent_ctx {
	struct tx *x;
	const struct vfs_change *c;
};

/* One data range as segments of at most EXPORT_SEG_MAX bytes. */
static int
send_extent(off_t off, off_t len, void *arg)
{
	struct extent_ctx *e = arg;
	struct tx *x = e->x;
	off_t end = MIN(off + len, e->c->size);

	while (off < end) {
		size_t want = (size_t)MIN((off_t)EXPORT_SEG_MAX, end - off);
		ssize_t r = vfs_change_read(e->c, x->buf, want, off);
		struct export_seg seg = { .off = off };
		int err;

		if (r <= 0)
			return 0; /* shorter than it said: the rest reads as a hole */
		seg.len = r;
		err = write_all(x->fd, &seg, sizeof(seg));
		if (!err)
			err = write_all(x->fd, x->buf, r);
		if (err)
			return err;
		off += r;
	}
	return 0;
}

static int
send_file(struct tx *x, const struct vfs_change *c)
{
	struct extent_ctx e = { x, c };
	struct export_seg end = { 0 };
	int err = vfs_change_extents(c, send_extent, &e);

	if (err && err != -EPIPE && err != -ECONNRESET)
		err = 0; /* an unreadable file exports as holes; the stream goes on */
	return err ? err : write_all(x->fd, &end, sizeof(end));
}

static int
send_change(const struct vfs_change *c, void *arg)
{
	struct tx *x = arg;
	size_t tlen = c->target ? strlen(c->target) : 0, llen = c->link ? strlen(c->link) : 0;
	struct export_rec r = {
		.magic = EXPORT_MAGIC,
		.kind = c->kind == VFS_CHANGE_CREATED ? EXPORT_CREATED :
			c->kind == VFS_CHANGE_MODIFIED ? EXPORT_MODIFIED : EXPORT_DELETED,
		.opaque = c->opaque,
		.mode = c->mode,
		.path_len = strlen(c->path),
		.target_len = tlen,
		.link_len = llen,
		.size = c->size > 0 ? (uint64_t)c->size : 0,
		.mtime_sec = c->mtime.tv_sec,
		.mtime_nsec = c->mtime.tv_nsec,
	};
	int err;

	if (x->data && S_ISREG(c->mode) && c->kind != VFS_CHANGE_DELETED)
		r.data = 1;
	err = write_all(x->fd, &r, sizeof(r));
	if (!err)
		err = write_all(x->fd, c->path, r.path_len);
	if (!err && tlen)
		err = write_all(x->fd, c->target, tlen);
	if (!err && llen)
		err = write_all(x->fd, c->link, llen);
	if (!err && r.data)
		err = send_file(x, c);
	x->count++;
	return err;
}

int
export_send(int fd, bool data)
{
	struct tx x = { .fd = fd, .data = data, .buf = xmalloc(EXPORT_SEG_MAX) };
	struct export_rec end = { .magic = EXPORT_MAGIC, .kind = EXPORT_END };
	unsigned long skipped = 0;
	int err = vfs_changes(send_change, &x, &skipped);

	free(x.buf);
	if (err)
		return err;
	end.size = x.count;
	end.skipped = skipped;
	return write_all(fd, &end, sizeof(end));
}

/* ---- CLI side ---- */

struct rx {
	int fd;
	void (*hook)(bool);
	int dirfd;                /* -1: no --export */
	json_t *changes;
	unsigned long errors;
	struct out_dir {
		char *rel;
		mode_t mode;
		struct timespec mtime;
	} *dirs;                  /* directories to give their mode and time at the end */
	size_t ndirs;
};

/* Reads exactly n bytes: 0, or -EPIPE at the end of the stream. */
static int
rx_read(struct rx *r, void *buf, size_t n)
{
	size_t done = 0;

	while (done < n) {
		ssize_t got = read(r->fd, (char *)buf + done, n - done);

		if (got < 0 && errno == EINTR) {
			r->hook(true);
			continue;
		}
		if (got < 0)
			return -errno;
		if (got == 0)
			return -EPIPE;
		done += got;
		r->hook(false);
	}
	return 0;
}

/* Reads a file's segments (data set in h), writing each at its offset in fd when fd >= 0.
 * 0 at the end segment, -EPROTO for a segment out of order or out of the file, or the
 * stream's error; *werr gets the first write error. */
static int
rx_segments(struct rx *r, const struct export_rec *h, int fd, char *buf, int *werr)
{
	uint64_t next = 0;

	if (!h->data)
		return 0;
	for (;;) {
		struct export_seg seg;
		int err = rx_read(r, &seg, sizeof(seg));

		if (err)
			return err;
		if (seg.len == 0)
			return seg.off ? -EPROTO : 0;
		if (seg.len > EXPORT_SEG_MAX || seg.off < next || seg.off > h->size ||
		    seg.len > h->size - seg.off)
			return -EPROTO;
		err = rx_read(r, buf, seg.len);
		if (err)
			return err;
		if (fd >= 0 && !*werr) {
			ssize_t w = pwrite(fd, buf, seg.len, (off_t)seg.off);

			if (w != (ssize_t)seg.len)
				*werr = w < 0 ? -errno : -EIO;
		}
		next = seg.off + seg.len;
	}
}

static int
rx_skip(struct rx *r, const struct export_rec *h, char *buf)
{
	int werr = 0;

	return rx_segments(r, h, -1, buf, &werr);
}

/* An absolute guest path of len bytes: no NUL, no "", "." or ".." component. */
static bool
path_ok(const char *p, size_t len)
{
	size_t start = 1;

	if (len < 2 || len >= PATH_MAX || p[0] != '/' || memchr(p, '\0', len))
		return false;
	for (size_t i = 1; i <= len; i++) {
		size_t c;

		if (i < len && p[i] != '/')
			continue;
		c = i - start;
		if (c == 0 || c > NAME_MAX || (c == 1 && p[start] == '.') ||
		    (c == 2 && p[start] == '.' && p[start + 1] == '.'))
			return false;
		start = i + 1;
	}
	return true;
}

static int
beneath(int dirfd, const char *name, int flags)
{
	struct open_how how = {
		.flags = flags | O_NOFOLLOW | O_CLOEXEC,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS |
			   RESOLVE_NO_XDEV,
	};
	long fd = syscall(SYS_openat2, dirfd, name, &how, sizeof(how));

	return fd < 0 ? -errno : (int)fd;
}

/* The directory holding rel's last component beneath r->dirfd, made as needed (0755);
 * *name is that component. An O_PATH fd, or -errno. */
static int
open_parent(struct rx *r, char *rel, const char **name)
{
	int cur = dup(r->dirfd);
	char *comp = rel, *slash;

	if (cur < 0)
		return -errno;
	while ((slash = strchr(comp, '/'))) {
		int next;

		*slash = '\0';
		next = beneath(cur, comp, O_PATH | O_DIRECTORY);
		if (next == -ENOENT && mkdirat(cur, comp, 0755) == 0)
			next = beneath(cur, comp, O_PATH | O_DIRECTORY);
		*slash = '/';
		close(cur);
		if (next < 0)
			return next;
		cur = next;
		comp = slash + 1;
	}
	*name = comp;
	return cur;
}

/* Writes the file's segments into a new file name in dirfd (they are consumed even when
 * the file cannot be made; holes stay holes). Returns 0 or -errno for the file, or sets
 * *stream_err. */
static int
write_file(struct rx *r, int pfd, const char *name, const struct export_rec *h, char *buf,
	   int *stream_err)
{
	_cleanup_close_ int fd = -1;
	int err = 0;

	fd = openat(pfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		err = -errno;
	*stream_err = rx_segments(r, h, fd, buf, &err);
	if (*stream_err)
		return 0;
	if (!err && ftruncate(fd, (off_t)h->size) < 0)
		err = -errno;
	if (!err) {
		struct timespec ts[2] = { { 0, UTIME_OMIT }, { h->mtime_sec, h->mtime_nsec } };

		if (fchmod(fd, h->mode & 0777) < 0 || futimens(fd, ts) < 0)
			err = -errno;
	}
	return err;
}

static int
export_one(struct rx *r, const struct export_rec *h, const char *path, const char *target,
	   const char *link, char *buf, int *stream_err)
{
	_cleanup_free_ char *rel = xstrdup(path + 1);
	_cleanup_close_ int pfd = -1, lfd = -1;
	const char *name, *lname;
	mode_t type = h->mode & S_IFMT;
	struct stat st;

	*stream_err = 0;
	pfd = open_parent(r, rel, &name);
	if (pfd < 0) {
		*stream_err = rx_skip(r, h, buf);
		return pfd;
	}
	if (type == S_IFREG && link) {
		_cleanup_free_ char *lrel = xstrdup(link + 1);

		lfd = open_parent(r, lrel, &lname);
		if (lfd >= 0 && linkat(lfd, lname, pfd, name, 0) == 0) {
			*stream_err = rx_skip(r, h, buf);
			return 0;
		}
	}
	if (type == S_IFREG)
		return write_file(r, pfd, name, h, buf, stream_err);
	if (type == S_IFLNK)
		return symlinkat(target, pfd, name) < 0 ? -errno : 0;
	if (type != S_IFDIR)
		return -EOPNOTSUPP; /* fifos, sockets, devices: listed only */
	if (mkdirat(pfd, name, 0700) < 0) {
		if (errno != EEXIST)
			return -errno;
		if (fstatat(pfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			return -errno;
		if (!S_ISDIR(st.st_mode))
			return -EEXIST;
	}
	r->dirs = realloc(r->dirs, (r->ndirs + 1) * sizeof(*r->dirs));
	if (!r->dirs)
		die(EXIT_SETUP, "out of memory");
	r->dirs[r->ndirs++] = (struct out_dir){ xstrdup(path + 1), h->mode & 0777,
						{ h->mtime_sec, h->mtime_nsec } };
	return 0;
}

/* Directories get their mode and time last, deepest first (a read-only one must not stop
 * what goes inside it). */
static void
finish_dirs(struct rx *r)
{
	for (size_t i = r->ndirs; i-- > 0;) {
		struct out_dir *d = &r->dirs[i];
		struct timespec ts[2] = { { 0, UTIME_OMIT }, d->mtime };
		int fd = beneath(r->dirfd, d->rel, O_RDONLY | O_DIRECTORY);

		if (fd >= 0) {
			if (fchmod(fd, d->mode) < 0 || futimens(fd, ts) < 0)
				r->errors++;
			close(fd);
		}
		free(d->rel);
	}
	free(r->dirs);
}

static const char *
type_name(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: return "file";
	case S_IFDIR: return "dir";
	case S_IFLNK: return "symlink";
	case S_IFIFO: return "fifo";
	case S_IFSOCK: return "socket";
	case S_IFCHR: return "chardev";
	case S_IFBLK: return "blockdev";
	default: return "unknown";
	}
}

/* A JSON string for bytes that may not be UTF-8: invalid bytes become U+FFFD, and then
 * *lossy is set (the caller adds the bytes in hex). */
static json_t *
json_bytes(const char *s, size_t len, bool *lossy)
{
	json_t *j = json_stringn(s, len);
	_cleanup_free_ char *fixed = NULL;
	size_t n = 0;

	if (j)
		return j;
	*lossy = true;
	fixed = xmalloc(len * 3 + 1);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (c < 0x80 && c) {
			fixed[n++] = c;
		} else {
			memcpy(fixed + n, "\xef\xbf\xbd", 3);
			n += 3;
		}
	}
	return json_stringn(fixed, n);
}

static json_t *
json_hex(const char *s, size_t len)
{
	_cleanup_free_ char *hex = xmalloc(len * 2 + 1);

	for (size_t i = 0; i < len; i++)
		snprintf(hex + 2 * i, 3, "%02x", (unsigned char)s[i]);
	return json_stringn(hex, len * 2);
}

static void
add_record(struct rx *r, const struct export_rec *h, const char *path, const char *target,
	   const char *link, int err)
{
	static const char *const kinds[] = { NULL, "created", "modified", "deleted" };
	json_t *o = json_object();
	bool lossy = false;
	char mode[8];

	json_object_set_new(o, "path", json_bytes(path, h->path_len, &lossy));
	if (lossy)
		json_object_set_new(o, "path_hex", json_hex(path, h->path_len));
	json_object_set_new(o, "change", json_string(kinds[h->kind]));
	if (h->mode) {
		json_object_set_new(o, "type", json_string(type_name(h->mode)));
		snprintf(mode, sizeof(mode), "%04o", h->mode & 07777);
		json_object_set_new(o, "mode", json_string(mode));
	}
	if (h->mode && !S_ISDIR(h->mode))
		json_object_set_new(o, "size", json_integer((json_int_t)MIN(h->size, (uint64_t)INT64_MAX)));
	if (h->kind != EXPORT_DELETED)
		json_object_set_new(o, "mtime", json_integer(h->mtime_sec));
	if (target) {
		lossy = false;
		json_object_set_new(o, "target", json_bytes(target, h->target_len, &lossy));
		if (lossy)
			json_object_set_new(o, "target_hex", json_hex(target, h->target_len));
	}
	if (link)
		json_object_set_new(o, "link", json_bytes(link, h->link_len, &lossy));
	if (h->opaque)
		json_object_set_new(o, "opaque", json_true());
	if (err)
		json_object_set_new(o, "error", json_string(strerror(-err)));
	json_array_append_new(r->changes, o);
}

static bool
header_ok(const struct export_rec *h, bool want_data)
{
	if (h->magic != EXPORT_MAGIC || h->pad)
		return false;
	if (h->kind == EXPORT_END)
		return true;
	if (h->kind < EXPORT_CREATED || h->kind > EXPORT_DELETED)
		return false;
	if (h->path_len >= PATH_MAX || h->target_len >= PATH_MAX || h->link_len >= PATH_MAX)
		return false;
	if (h->target_len && (!S_ISLNK(h->mode) || h->kind == EXPORT_DELETED))
		return false;
	if (h->link_len && !S_ISREG(h->mode))
		return false;
	if (h->data > 1 || h->pad2 || h->skipped ||
	    (h->data && (!want_data || !S_ISREG(h->mode) || h->kind == EXPORT_DELETED)))
		return false;
	return h->size <= EXPORT_MAX_FILE && h->mtime_nsec >= 0 && h->mtime_nsec < 1000000000;
}

/* One record after its header. 1 at the end record, 0 to go on, -errno for a broken
 * stream. */
static int
receive_one(struct rx *r, const struct export_rec *h, char *buf)
{
	char path[PATH_MAX], target[PATH_MAX], link[PATH_MAX];
	bool has_target = h->target_len, has_link = h->link_len;
	int err, serr = 0;

	if (h->kind == EXPORT_END)
		return 1;
	err = rx_read(r, path, h->path_len);
	if (!err && has_target)
		err = rx_read(r, target, h->target_len);
	if (!err && has_link)
		err = rx_read(r, link, h->link_len);
	if (err)
		return err;
	path[h->path_len] = target[h->target_len] = link[h->link_len] = '\0';
	if (!path_ok(path, h->path_len) || (has_link && !path_ok(link, h->link_len)) ||
	    (has_target && memchr(target, '\0', h->target_len)))
		return -EPROTO;
	err = 0;
	if (r->dirfd >= 0 && h->kind != EXPORT_DELETED) {
		err = export_one(r, h, path, has_target ? target : NULL, has_link ? link : NULL,
				 buf, &serr);
		if (serr)
			return serr;
		if (err && err != -EOPNOTSUPP)
			r->errors++;
		if (err == -EOPNOTSUPP)
			err = 0;
	} else if (h->data) {
		err = rx_skip(r, h, buf);
		if (err)
			return err;
	}
	add_record(r, h, path, has_target ? target : NULL, has_link ? link : NULL, err);
	return 0;
}

void
export_check_dir(const char *dir)
{
	struct stat st;
	DIR *d;
	struct dirent *de;

	if (lstat(dir, &st) < 0) {
		if (errno == ENOENT)
			return;
		die(EXIT_USAGE, "--export %s: %s", dir, strerror(errno));
	}
	if (!S_ISDIR(st.st_mode))
		die(EXIT_USAGE, "--export %s: exists and is not a directory", dir);
	d = opendir(dir);
	if (!d)
		die(EXIT_USAGE, "--export %s: %s", dir, strerror(errno));
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			die(EXIT_USAGE, "--export %s: the directory is not empty", dir);
	closedir(d);
}

static int
open_export_dir(const char *dir)
{
	int fd;

	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -errno;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int
export_receive(int fd, int changes_fd, const char *export_dir, void (*wait_hook)(bool))
{
	struct rx r = { .fd = fd, .hook = wait_hook, .dirfd = -1, .changes = json_array() };
	_cleanup_free_ char *buf = xmalloc(EXPORT_SEG_MAX);
	struct export_rec h, end = { 0 };
	bool complete = false;
	json_t *doc;
	int err = 0;

	if (export_dir) {
		r.dirfd = open_export_dir(export_dir);
		if (r.dirfd < 0) {
			fprintf(stderr, "sandbox: --export %s: %s\n", export_dir, strerror(-r.dirfd));
			err = r.dirfd;
		}
	}
	for (;;) {
		int rc = rx_read(&r, &h, sizeof(h));

		if (rc)
			break;
		if (!header_ok(&h, r.dirfd >= 0 || export_dir)) {
			fprintf(stderr, "sandbox: the change stream is malformed; it was cut short\n");
			break;
		}
		rc = receive_one(&r, &h, buf);
		if (rc == 1) {
			complete = true;
			end = h;
			break;
		}
		if (rc < 0) {
			if (rc != -EPIPE)
				fprintf(stderr, "sandbox: the change stream is malformed; it was cut short\n");
			break;
		}
	}
	if (r.dirfd >= 0) {
		finish_dirs(&r);
		close(r.dirfd);
	}
	if (!complete)
		fprintf(stderr, "sandbox: the list of changes is incomplete (the sandbox ended "
			"before sending all of it)\n");
	if (r.errors)
		fprintf(stderr, "sandbox: --export: %lu changes could not be written (see "
			"their \"error\")\n", r.errors);
	doc = json_pack("{s:b, s:o, s:I}", "complete", complete, "changes", r.changes,
			"skipped", (json_int_t)MIN(end.skipped, (uint64_t)INT64_MAX));
	if (changes_fd >= 0) {
		char *text = doc ? json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER) : NULL;

		if (!text || write_all(changes_fd, text, strlen(text)) < 0 ||
		    write_all(changes_fd, "\n", 1) < 0) {
			fprintf(stderr, "sandbox: --changes: could not write the document\n");
			err = -EIO;
		}
		free(text);
		close(changes_fd);
	}
	json_decref(doc);
	return err ? err : (int)MIN(r.errors, (unsigned long)INT32_MAX);
}
