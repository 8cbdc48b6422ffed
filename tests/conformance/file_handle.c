/* name_to_handle_at and open_by_handle_at: a handle's size asked with a short buffer
 * (EOVERFLOW), files, directories and symlinks opened again by handle, the argument
 * errors of both calls in Linux's order, /proc (only an identifier: AT_HANDLE_FID, which
 * no mount decodes), a handle of a removed file (ESTALE), and one kept by a second link;
 * a FIFO opened by handle waits for its other end as open does. */
#include "cf.h"
#include <sys/mman.h>
#include <sys/wait.h>

#define AT_HANDLE_FID_ 0x200
#define AT_HANDLE_CONNECTABLE_ 0x002

static struct file_handle *
new_handle(unsigned bytes)
{
	struct file_handle *h = calloc(1, sizeof(*h) + 128);
	h->handle_bytes = bytes;
	return h;
}

/* A handle of path (flags as name_to_handle_at's), or NULL. */
static struct file_handle *
handle_of(int dfd, const char *path, int flags)
{
	struct file_handle *h = new_handle(128);
	int mnt;
	if (name_to_handle_at(dfd, path, h, &mnt, flags) < 0) {
		free(h);
		return NULL;
	}
	return h;
}

static void
open_read(const char *label, int mfd, struct file_handle *h, int flags)
{
	errno = 0;
	int fd = open_by_handle_at(mfd, h, flags);
	if (fd < 0) {
		printf("%s: -1 %s\n", label, en(errno));
		return;
	}
	char buf[32] = "";
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	struct stat st;
	fstat(fd, &st);
	printf("%s: ok, read %zd \"%s\" type %s fl %o\n", label, n, n > 0 ? buf : "",
	       S_ISDIR(st.st_mode) ? "dir" : S_ISLNK(st.st_mode) ? "link" : "file",
	       fcntl(fd, F_GETFL) & (O_ACCMODE | O_PATH));
	close(fd);
}

/* The reader opens by handle (waiting for a writer, if it comes first), a child writes. */
static void
fifo_by_handle(void)
{
	struct file_handle *h;
	char buf[4] = { 0 };

	mkfifo("fifo", 0600);
	h = handle_of(AT_FDCWD, "fifo", 0);
	if (fork() == 0) {
		int w = open("fifo", O_WRONLY);

		write(w, "hi", 2);
		_exit(0);
	}
	int fd = FD("FIFO by handle", h ? open_by_handle_at(AT_FDCWD, h, O_RDONLY) : -1);
	R("its read", fd >= 0 ? read(fd, buf, 2) : -1);
	printf("read '%s'\n", buf);
	wait(NULL);
	free(h);
}

int
main(void)
{
	cf_init();
	struct file_handle *h = new_handle(0), *bad = new_handle(0);
	int mnt = -1, mnt2 = -2;

	cf_write_file("f", "hello", 5);
	mkdir("d", 0755);
	symlink("f", "l");
	cf_write_file("d/g", "in d", 4);

	/* the size a handle needs */
	R("size query", name_to_handle_at(AT_FDCWD, "f", h, &mnt, 0));
	YN("size query: a size", h->handle_bytes > 0 && h->handle_bytes <= 128);
	unsigned need = h->handle_bytes;
	h->handle_bytes = need - 1;
	R("one byte short", name_to_handle_at(AT_FDCWD, "f", h, &mnt, 0));
	h->handle_bytes = need;
	R("exact size", name_to_handle_at(AT_FDCWD, "f", h, &mnt, 0));
	R("same dir, mount id", name_to_handle_at(AT_FDCWD, "d/g", bad = new_handle(128), &mnt2, 0));
	YN("same mount id", mnt == mnt2);
	open_read("open file rdonly", AT_FDCWD, h, O_RDONLY);
	open_read("open file rdwr", AT_FDCWD, h, O_RDWR);
	open_read("open file O_PATH", AT_FDCWD, h, O_PATH);
	open_read("open file O_DIRECTORY", AT_FDCWD, h, O_RDONLY | O_DIRECTORY);
	int dfd = open("d", O_RDONLY | O_DIRECTORY);
	open_read("open file, mount fd a directory", dfd, h, O_RDONLY);
	int ffd = open("f", O_RDONLY);
	open_read("open file, mount fd a file", ffd, h, O_RDONLY);

	/* directories and symlinks */
	struct file_handle *hd = handle_of(dfd, "", AT_EMPTY_PATH);
	YN("dir handle by fd", hd != NULL);
	if (hd) {
		open_read("open dir rdonly", AT_FDCWD, hd, O_RDONLY);
		open_read("open dir rdwr", AT_FDCWD, hd, O_RDWR);
	}
	struct file_handle *hl = handle_of(AT_FDCWD, "l", 0);
	YN("symlink handle", hl != NULL);
	if (hl) {
		open_read("open symlink rdonly", AT_FDCWD, hl, O_RDONLY);
		open_read("open symlink O_PATH", AT_FDCWD, hl, O_PATH);
	}
	struct file_handle *hf = handle_of(AT_FDCWD, "l", AT_SYMLINK_FOLLOW);
	if (hf)
		open_read("open followed symlink", AT_FDCWD, hf, O_RDONLY);
	struct file_handle *he = handle_of(ffd, "", AT_EMPTY_PATH);
	if (he)
		open_read("open handle of an fd", AT_FDCWD, he, O_RDONLY);
	struct file_handle *hc = handle_of(AT_FDCWD, "f", AT_HANDLE_CONNECTABLE_);
	YN("connectable handle", hc != NULL);
	if (hc)
		open_read("open connectable", AT_FDCWD, hc, O_RDONLY);
	struct file_handle *hfid = handle_of(AT_FDCWD, "f", AT_HANDLE_FID_);
	YN("fid handle of a file", hfid != NULL);

	/* name_to_handle_at's errors */
	struct file_handle *big = new_handle(129);
	void *nomem = cf_unmapped();
	OK("bad flags", name_to_handle_at(AT_FDCWD, "f", big, &mnt, 0x4000));
	OK("fid and connectable", name_to_handle_at(AT_FDCWD, "f", big, &mnt,
						     AT_HANDLE_FID_ | AT_HANDLE_CONNECTABLE_));
	OK("bad dirfd", name_to_handle_at(-1, "f", big, &mnt, 0));
	OK("file as dirfd", name_to_handle_at(ffd, "x", big, &mnt, 0));
	OK("bad path", name_to_handle_at(AT_FDCWD, nomem, big, &mnt, 0));
	OK("empty path", name_to_handle_at(AT_FDCWD, "", big, &mnt, 0));
	OK("missing", name_to_handle_at(AT_FDCWD, "nope", big, &mnt, 0));
	OK("bad handle", name_to_handle_at(AT_FDCWD, "f", nomem, &mnt, 0));
	OK("handle too big", name_to_handle_at(AT_FDCWD, "f", big, &mnt, 0));
	OK("bad mount id", name_to_handle_at(AT_FDCWD, "f", new_handle(128), nomem, 0));

	/* /proc: an identifier only */
	OK("proc file", name_to_handle_at(AT_FDCWD, "/proc/filesystems", new_handle(128), &mnt, 0));
	OK("proc file, fid", name_to_handle_at(AT_FDCWD, "/proc/filesystems",
						bad = new_handle(128), &mnt, AT_HANDLE_FID_));
	int pfd = open("/proc", O_RDONLY | O_DIRECTORY);
	open_read("open proc fid", pfd, bad, O_RDONLY);
	open_read("tmp handle, proc mount fd", pfd, h, O_RDONLY);

	/* open_by_handle_at's errors */
	open_read("bad mount fd", -1, h, O_RDONLY);
	open_read("bad handle pointer", AT_FDCWD, nomem, O_RDONLY);
	open_read("zero size", AT_FDCWD, new_handle(0), O_RDONLY);
	open_read("size 129", AT_FDCWD, big, O_RDONLY);
	struct file_handle *neg = new_handle(need);
	memcpy(neg->f_handle, h->f_handle, need);
	neg->handle_type = -1;
	open_read("negative type", AT_FDCWD, neg, O_RDONLY);
	neg->handle_type = h->handle_type | 0x40000;
	open_read("unknown type flag", AT_FDCWD, neg, O_RDONLY);

	/* links and removal */
	link("f", "f2");
	unlink("f");
	open_read("after unlink, a second link", AT_FDCWD, h, O_RDONLY);
	close(ffd);
	unlink("f2");
	open_read("after the last unlink", AT_FDCWD, h, O_RDONLY);
	fifo_by_handle();
	return 0;
}
