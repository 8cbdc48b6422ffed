/* Directory iteration: telldir/seekdir and lseek on directories, entries added and removed
 * while a listing is under way, rewinddir, ino of "." and "..", d_type of each kind,
 * getdents64 after the directory is removed, /proc/self/fd listing. */
#include <dirent.h>
#include <sys/socket.h>
#include <sys/un.h>
#include "cf.h"

static int
scmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
list(const char *label, const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char *names[256];
	int n = 0;

	if (!d) {
		printf("%s: %s\n", label, en(errno));
		return;
	}
	while ((e = readdir(d)) && n < 256) {
		char b[300];
		snprintf(b, sizeof b, "%s/%d", e->d_name, e->d_type);
		names[n++] = strdup(b);
	}
	closedir(d);
	qsort(names, n, sizeof(char *), scmp);
	printf("%s:", label);
	for (int i = 0; i < n; i++) {
		printf(" %s", names[i]);
		free(names[i]);
	}
	printf("\n");
}

int
main(void)
{
	struct stat st, st2;
	char name[64];

	cf_init();
	mkdir("d", 0755);
	for (int i = 0; i < 50; i++) {
		snprintf(name, sizeof name, "d/e%02d", i);
		cf_write_file(name, "x", 1);
	}
	/* telldir/seekdir: remember position after 10 entries, read 5, seek back, read 5 again */
	DIR *dp = opendir("d");
	for (int i = 0; i < 10; i++)
		readdir(dp);
	long pos = telldir(dp);
	char first[5][300], again[5][300];
	for (int i = 0; i < 5; i++)
		strcpy(first[i], readdir(dp)->d_name);
	seekdir(dp, pos);
	for (int i = 0; i < 5; i++)
		strcpy(again[i], readdir(dp)->d_name);
	int same = 1;
	for (int i = 0; i < 5; i++)
		same &= !strcmp(first[i], again[i]);
	YN("seekdir repeats", same);
	rewinddir(dp);
	int n = 0;
	while (readdir(dp))
		n++;
	printf("entries after rewind: %d\n", n);
	/* removal during iteration: every entry not removed is seen exactly once */
	rewinddir(dp);
	int seen[50] = {0}, dots = 0;
	struct dirent *e;
	int k = 0;
	while ((e = readdir(dp))) {
		if (e->d_name[0] == '.') {
			dots++;
			continue;
		}
		if (e->d_name[0] != 'e')
			continue; /* the new ones may or may not show (POSIX leaves it open) */
		int idx = atoi(e->d_name + 1);
		seen[idx]++;
		if (k++ == 5) {
			/* remove the odd ones (some already read, some not) and add new ones */
			for (int i = 1; i < 50; i += 2) {
				snprintf(name, sizeof name, "d/e%02d", i);
				unlink(name);
			}
			for (int i = 0; i < 5; i++) {
				snprintf(name, sizeof name, "d/new%d", i);
				cf_write_file(name, "y", 1);
			}
		}
	}
	int even_once = 1, twice = 0;
	for (int i = 0; i < 50; i += 2)
		even_once &= seen[i] == 1;
	for (int i = 0; i < 50; i++)
		twice |= seen[i] > 1;
	YN("every kept entry seen once", even_once);
	YN("no entry twice", twice == 0);
	printf("dots: %d\n", dots);
	closedir(dp);
	/* lseek on a directory fd */
	int fd = open("d", O_RDONLY | O_DIRECTORY);
	char buf[4096];
	long r1 = syscall(SYS_getdents64, fd, buf, sizeof buf);
	YN("getdents64 > 0", r1 > 0);
	R("lseek dir SEEK_SET 0", lseek(fd, 0, SEEK_SET));
	long r2 = syscall(SYS_getdents64, fd, buf, sizeof buf);
	YN("same size after rewind", r1 == r2);
	R("lseek dir negative", lseek(fd, -1, SEEK_SET));
	R("getdents64 tiny buf", syscall(SYS_getdents64, (lseek(fd, 0, SEEK_SET), fd), buf, 10));
	R("getdents64 0 buf", syscall(SYS_getdents64, fd, buf, 0));
	R("getdents64 bad buf", syscall(SYS_getdents64, fd, cf_unmapped(), 4096));
	R("getdents64 on file", ({ int f2 = open("d/e00", O_RDONLY); long r = syscall(SYS_getdents64, f2, buf, 4096); close(f2); r; }));
	R("getdents64 bad fd", syscall(SYS_getdents64, 999, buf, 4096));
	R("getdents64 O_PATH", ({ int f2 = open("d", O_PATH); long r = syscall(SYS_getdents64, f2, buf, 4096); close(f2); r; }));
	close(fd);
	/* d_type of each kind */
	mkdir("k", 0755);
	cf_write_file("k/reg", "", 0);
	mkdir("k/dir", 0755);
	symlink("reg", "k/lnk");
	mkfifo("k/fifo", 0644);
	{
		int s = socket(AF_UNIX, SOCK_STREAM, 0);
		struct sockaddr_un a = { .sun_family = AF_UNIX };
		snprintf(a.sun_path, sizeof a.sun_path, "%s/k/sock", cf_dir);
		bind(s, (struct sockaddr *)&a, sizeof a);
		close(s);
	}
	list("kinds", "k");
	/* . and .. inode numbers */
	fd = open("k", O_RDONLY);
	stat("k", &st);
	stat(".", &st2);
	int dot_ok = 0, dotdot_ok = 0;
	while ((r1 = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0) {
		for (long o = 0; o < r1;) {
			struct { unsigned long long ino; long long off; unsigned short reclen; unsigned char type; char name[]; } *de = (void *)(buf + o);
			if (!strcmp(de->name, "."))
				dot_ok = de->ino == st.st_ino && de->type == DT_DIR;
			if (!strcmp(de->name, ".."))
				dotdot_ok = de->ino == st2.st_ino && de->type == DT_DIR;
			o += de->reclen;
		}
	}
	close(fd);
	YN(". ino and type", dot_ok);
	YN(".. ino and type", dotdot_ok);
	/* listing a removed directory */
	mkdir("gone", 0755);
	fd = open("gone", O_RDONLY);
	rmdir("gone");
	R("getdents64 removed dir", syscall(SYS_getdents64, fd, buf, sizeof buf));
	R("fstat removed dir nlink", (fstat(fd, &st), (long)st.st_nlink));
	R("openat in removed dir", openat(fd, "x", O_CREAT | O_WRONLY, 0644));
	R("mkdirat in removed dir", mkdirat(fd, "x", 0755));
	R("fchdir removed", fchdir(fd));
	R("getcwd in removed", getcwd(buf, sizeof buf) ? 0 : -1);
	R("stat . in removed", stat(".", &st));
	R("stat .. in removed", stat("..", &st));
	R("open . in removed", ({ int f2 = open(".", O_RDONLY); if (f2 >= 0) close(f2); f2 >= 0 ? 0 : -1; }));
	chdir(cf_dir);
	close(fd);
	/* /proc/self/fd */
	int a = open("d/e00", O_RDONLY), b = dup(a);
	DIR *pd = opendir("/proc/self/fd");
	int fds = 0, has_a = 0, has_b = 0, lnk = 1;
	while ((e = readdir(pd))) {
		if (e->d_name[0] == '.') {
			lnk &= e->d_type == DT_DIR;
			continue;
		}
		fds++;
		lnk &= e->d_type == DT_LNK;
		has_a |= atoi(e->d_name) == a;
		has_b |= atoi(e->d_name) == b;
	}
	closedir(pd);
	YN("proc fd lists a and b", has_a && has_b);
	YN("proc fd types", lnk);
	return 0;
}
