/* Directory sizes on a tmpfs (/dev/shm), as Linux shmem reports them: 40 bytes empty, 20
 * more per entry of any type, less on unlink, rmdir and rename out, none for hard links'
 * targets or an exchange; st_blocks 0. */
#include "cf.h"
#include <linux/magic.h>
#include <stdio.h>
#include <sys/vfs.h>

static char base[64];

static void
sz(const char *label, const char *rel)
{
	char p[128];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s", base, rel);
	if (stat(p, &st) < 0)
		printf("%s: %s\n", label, en(errno));
	else
		printf("%s: size %ld blocks %ld\n", label, (long)st.st_size, (long)st.st_blocks);
}

static void
at(char *buf, size_t n, const char *rel)
{
	snprintf(buf, n, "%s/%s", base, rel);
}

int
main(void)
{
	struct statfs fs;
	char a[128], b[128];

	if (statfs("/dev/shm", &fs) < 0 || fs.f_type != TMPFS_MAGIC) {
		printf("no tmpfs at /dev/shm\n");
		return 0;
	}
	snprintf(base, sizeof(base), "/dev/shm/cf-dirsize-%d", getpid());
	mkdir(base, 0755);
	sz("empty", ".");
	at(a, sizeof(a), "d");
	mkdir(a, 0755);
	sz("one subdirectory", ".");
	sz("the subdirectory", "d");
	at(a, sizeof(a), "d/f");
	close(open(a, O_CREAT | O_WRONLY, 0644));
	at(b, sizeof(b), "d/hard");
	link(a, b);
	at(b, sizeof(b), "d/sym");
	symlink("f", b);
	at(b, sizeof(b), "d/fifo");
	mkfifo(b, 0600);
	sz("file, link, symlink, fifo", "d");
	at(b, sizeof(b), "moved");
	rename(a, b);
	sz("after rename out: d", "d");
	sz("after rename out: top", ".");
	at(a, sizeof(a), "d/hard");
	rename(b, a); /* two names of one file: nothing happens */
	sz("rename onto a hard link: d", "d");
	sz("rename onto a hard link: top", ".");
	at(a, sizeof(a), "d/over");
	close(open(a, O_CREAT | O_WRONLY, 0644));
	rename(b, a); /* over another file's name */
	sz("rename over a name: d", "d");
	sz("rename over a name: top", ".");
	unlink(a);
	at(a, sizeof(a), "d/sym");
	at(b, sizeof(b), "d/fifo");
	syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, 2 /* RENAME_EXCHANGE */);
	sz("exchange", "d");
	unlink(a);
	unlink(b);
	at(a, sizeof(a), "d/hard");
	unlink(a);
	sz("emptied", "d");
	at(a, sizeof(a), "d");
	rmdir(a);
	sz("after rmdir", ".");
	rmdir(base);
	return 0;
}
