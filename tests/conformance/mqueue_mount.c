/* The mqueue filesystem (natively in private mount and IPC namespaces): queues appear as
 * files in every mount of it, stat as regular files, read as their status line, list in
 * getdents, open(O_CREAT) makes one, and unlink(2) removes the queue (mq_unlink then ENOENT);
 * directories, links and renames are EPERM there. Run as root. */
#include "cf.h"
#include <dirent.h>
#include <mqueue.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/statfs.h>

static void
list(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.') {
			printf("  %s entry: %s type %s\n", dir, e->d_name,
			       e->d_type == DT_REG ? "reg" : "other");
			n++;
		}
	if (d)
		closedir(d);
	printf("  %s entries: %d\n", dir, n);
}

int
main(void)
{
	struct mq_attr attr = { .mq_maxmsg = 4, .mq_msgsize = 16 };
	struct statfs sfs;
	struct stat st;
	char buf[128];

	cf_init();
	if (geteuid() != 0) {
		printf("not root: nothing to check\n");
		return 0;
	}
	if (unshare(CLONE_NEWNS | CLONE_NEWIPC) == 0)
		mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
	mkdir("m1", 0755);
	mkdir("m2", 0755);
	mqd_t q = mq_open("/cfq", O_RDWR | O_CREAT | O_EXCL, 0640, &attr);
	YN("mq_open", q != (mqd_t)-1);
	mq_send(q, "hello", 5, 1);
	R("mount m1", mount("none", "m1", "mqueue", 0, ""));
	R("mount m2", mount("none", "m2", "mqueue", 0, ""));
	R("statfs", statfs("m1", &sfs));
	printf("  magic %#lx\n", (unsigned long)sfs.f_type);
	R("stat root", stat("m1", &st));
	printf("  root mode %o\n", st.st_mode);
	R("stat m1/cfq", stat("m1/cfq", &st));
	printf("  mode %o\n", st.st_mode);
	R("stat m2/cfq", stat("m2/cfq", &st));
	R("stat m1/none", stat("m1/none", &st));
	list("m1");
	int fd = FD("open m1/cfq", open("m1/cfq", O_RDONLY));
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	printf("  read %zd: %s", n, buf);
	close(fd);
	/* a queue made by open(O_CREAT) in the directory; nothing else can be made there */
	fd = FD("open O_CREAT m1/made", open("m1/made", O_CREAT | O_RDWR, 0600));
	R("mq_unlink made", mq_unlink("/made"));
	close(fd);
	R("mkdir m1/dir", mkdir("m1/dir", 0700));
	R("symlink m1/sym", symlink("x", "m1/sym"));
	R("link m1/cfq", link("m1/cfq", "m1/other"));
	R("rename m1/cfq", rename("m1/cfq", "m1/other"));
	R("chmod m1/cfq", chmod("m1/cfq", 0600));
	R("truncate m1/cfq", truncate("m1/cfq", 0));
	R("stat m1/cfq again", stat("m1/cfq", &st));
	printf("  mode %o size %lld\n", st.st_mode, (long long)st.st_size);
	fd = open("m1/cfq", O_RDONLY);
	YN("mmap a queue fails with ENODEV",
	   mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED && errno == ENODEV);
	close(fd);
	R("unlink m2/cfq", unlink("m2/cfq"));
	R("stat m1/cfq after", stat("m1/cfq", &st));
	R("mq_unlink after", mq_unlink("/cfq"));
	list("m2");
	char got[16];
	R("receive from the open queue", mq_receive(q, got, sizeof(got), NULL));
	mq_close(q);
	R("umount m1", umount("m1"));
	R("umount m2", umount("m2"));
	return 0;
}
