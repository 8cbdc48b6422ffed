/* The pty line discipline and pair: a few exact cases, then random settings and bytes from
 * both sides, checking the buffers stay within their bounds. TAP output. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>

#include "fs/internal.h"
#include "fs/ldisc.h"
#include "fs/vfs.h"
#include "tests/unit/tap.h"

static struct file *m, *s;

static void
pair(struct task *t)
{
	if (m)
		file_put(m);
	if (s)
		file_put(s);
	m = s = NULL;
	if (vfs_openat(t, NULL, "/dev/ptmx", O_RDWR | O_NOCTTY, 0, &m) == 0) {
		file_tty(m)->locked = false;
		pty_open_peer(t, m, O_RDWR | O_NOCTTY, &s);
	}
}

static bool
bounded(struct tty *tty)
{
	return tty->rlen <= TTY_BUF && tty->canon_len <= tty->rlen && tty->in.len <= TTY_IN_MAX &&
	       tty->out.len <= TTY_OUT_MAX + TTY_ECHO_SLACK;
}

int
main(void)
{
	struct vfs_mount_spec spec = { .guest_path = "/" };
	char buf[8192];
	struct task *t;
	ssize_t n;

	printf("1..9\n");
	if (vfs_init(&spec, 1) != 0) {
		ok(0, "vfs_init");
		return 1;
	}
	t = task_new();
	t->fs = vfs_ctx_new();
	t->fdt = fdt_new();
	pair(t);
	ok(m && s && file_tty(m) == file_tty(s), "/dev/ptmx gives a master, TIOCGPTPEER its slave");

	file_write(m, "ab\177c\n", 5);
	n = file_read(s, buf, sizeof(buf));
	ok(n == 3 && !memcmp(buf, "ac\n", 3), "a canonical line with an erase reads \"ac\\n\"");
	n = file_read(m, buf, sizeof(buf));
	ok(n == 8 && !memcmp(buf, "ab\b \bc\r\n", 8), "echo with ECHOE and ONLCR");

	struct tty_termios raw;
	memset(&raw, 0, sizeof(raw));
	raw.c_cflag = CS8 | CREAD;
	raw.c_cc[VMIN] = 1;
	ldisc_set_termios(file_tty(m), &raw);
	size_t total = 0;
	while ((n = file_write(m, buf, sizeof(buf))) > 0)
		total += n;
	ok(n == -EAGAIN && total == TTY_IN_MAX + TTY_BUF - 1,
	   "raw master writes stop at the buffers' room (%zu) with EAGAIN", total);
	total = 0;
	while ((n = file_write(s, buf, sizeof(buf))) > 0)
		total += n;
	ok(n == -EAGAIN && total == TTY_OUT_MAX, "slave writes stop at %zu with EAGAIN", total);

	/* random settings and bytes */
	srand(12345);
	bool fine = true;
	for (int i = 0; i < 3000 && fine; i++) {
		struct tty_termios tio = file_tty(m)->tio;
		unsigned char junk[6000];

		if (i % 7 == 0) {
			tio.c_iflag = rand();
			tio.c_oflag = rand();
			tio.c_lflag = rand();
			for (int c = 0; c < 19; c++)
				tio.c_cc[c] = rand() % 4 ? rand() % 32 : rand();
			tio.c_cc[VTIME] = 0;
			ldisc_set_termios(file_tty(m), &tio);
		}
		size_t len = rand() % sizeof(junk);
		for (size_t k = 0; k < len; k++)
			junk[k] = rand() % 3 ? rand() % 32 : rand();
		file_write(rand() % 2 ? m : s, junk, len);
		file_read(rand() % 2 ? m : s, buf, rand() % sizeof(buf));
		fine = bounded(file_tty(m));
	}
	ok(fine, "3000 rounds of random settings and bytes keep every buffer in bounds");

	/* the master goes: slave reads see end of file, writes EIO */
	struct tty *tty = file_tty(s);
	file_put(m);
	m = NULL;
	ok(tty->hungup, "closing the master hangs the slave up");
	ok(file_read(s, buf, 10) == 0, "a hung-up slave reads end of file");
	ok(file_write(s, "x", 1) == -EIO, "a hung-up slave cannot be written");
	file_put(s);
	return nfail ? 1 : 0;
}
