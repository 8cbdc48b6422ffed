/* Permissions as another user (a child that setresuid()s away from root): search permission,
 * sticky directories, setgid directories, suid/sgid bits cleared by write/truncate/chown,
 * chmod/chown rules for non-owners, utimensat permission rules, O_NOATIME, access() with
 * real vs effective ids, umask. */
#include <grp.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include "cf.h"

static void
mode(const char *label, const char *p)
{
	struct stat st;
	if (lstat(p, &st) < 0)
		printf("%s: %s\n", label, en(errno));
	else
		printf("%s: %o uid %u gid %u\n", label, st.st_mode & 07777, st.st_uid, st.st_gid);
}

int
main(void)
{
	cf_init();
	chmod(".", 0755);
	/* fixtures made by root */
	mkdir("sticky", 01777);
	mkdir("sticky/rootdir", 0777);
	cf_write_file("sticky/rootfile", "r", 1);
	chmod("sticky/rootfile", 0666);
	mkdir("noexec", 0766);
	cf_write_file("noexec/f", "x", 1);
	mkdir("noread", 0311);
	cf_write_file("noread/f", "x", 1);
	mkdir("sgid", 02777);
	chown("sgid", 0, 4242);
	cf_write_file("suid", "abc", 3);
	chown("suid", 1000, 4242);
	chmod("suid", 06777);
	cf_write_file("sgidnx", "abc", 3);
	chown("sgidnx", 1000, 4242);
	chmod("sgidnx", 02666);
	cf_write_file("rootonly", "x", 1);
	chmod("rootonly", 0644);
	cf_write_file("mine", "x", 1);
	chown("mine", 1000, 1000);
	chmod("mine", 0644);
	cf_write_file("other", "x", 1);
	chown("other", 1001, 1001);
	chmod("other", 0666);
	mkdir("owned", 0755);
	chown("owned", 1000, 1000);
	/* (mkdir applies the umask) */
	chmod("sticky", 01777);
	chmod("sticky/rootdir", 0777);
	chmod("noexec", 0766);
	chmod("noread", 0311);
	chmod("sgid", 02777);

	pid_t pid = fork();
	if (pid == 0) {
		gid_t groups[1] = { 1000 };
		setgroups(1, groups);
		setresgid(1000, 1000, 1000);
		setresuid(1000, 1000, 1000);
		umask(022);
		struct stat st;
		char buf[8];
		/* search permission */
		R("stat through dir without x", stat("noexec/f", &st));
		R("readdir-less open of dir without r", open("noread", O_RDONLY));
		R("stat through dir with x only", stat("noread/f", &st));
		R("create in dir without w", open("noread/new", O_CREAT | O_WRONLY, 0644));
		R("open dir without x for create", open("noexec/new", O_CREAT | O_WRONLY, 0644));
		R("chdir dir without x", chdir("noexec"));
		/* sticky */
		int fd = open("sticky/mine", O_CREAT | O_WRONLY, 0644);
		close(fd);
		R("unlink own file in sticky", unlink("sticky/mine"));
		R("unlink root's file in sticky", unlink("sticky/rootfile"));
		R("rename root's file in sticky", rename("sticky/rootfile", "sticky/x"));
		R("rmdir root's dir in sticky", rmdir("sticky/rootdir"));
		R("rename over root's file in sticky", (cf_write_file("sticky/m2", "m", 1), rename("sticky/m2", "sticky/rootfile")));
		R("write root's 0666 file in sticky", open("sticky/rootfile", O_WRONLY));
	
		unlink("sticky/m2");
		/* setgid dir */
		fd = open("sgid/new", O_CREAT | O_WRONLY, 02755);
		close(fd);
		mode("file in sgid dir", "sgid/new");
		mkdir("sgid/sub", 0755);
		mode("dir in sgid dir", "sgid/sub");
		/* chmod/chown as non-owner and owner */
		R("chmod other's file", chmod("other", 0600));
		R("chmod own file", chmod("mine", 0600));
		R("chmod own file setgid, not in group", (chown("mine", -1, -1), chmod("mine", 02644)));
		mode("mine after chmod 02644", "mine");
		R("chown own file to other uid", chown("mine", 1001, -1));
		R("chown own file to own group", chown("mine", -1, 1000));
		R("chown own file to other group", chown("mine", -1, 4242));
		R("chown own file -1 -1", chown("mine", -1, -1));
		R("chown other's file -1 -1", chown("other", -1, -1));
		/* utimensat */
		R("utimensat NULL on other's writable file", utimensat(AT_FDCWD, "other", NULL, 0));
		R("utimensat NULL on root's readonly file", utimensat(AT_FDCWD, "rootonly", NULL, 0));
		struct timespec ts[2] = { { 1, 0 }, { 2, 0 } };
		R("utimensat explicit on other's writable", utimensat(AT_FDCWD, "other", ts, 0));
		R("utimensat explicit on own", utimensat(AT_FDCWD, "mine", ts, 0));
		struct timespec now[2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };
		R("utimensat UTIME_NOW both on other's writable", utimensat(AT_FDCWD, "other", now, 0));
		struct timespec omit[2] = { { 0, UTIME_OMIT }, { 0, UTIME_OMIT } };
		R("utimensat OMIT both on root's", utimensat(AT_FDCWD, "rootonly", omit, 0));
		/* O_NOATIME */
		R("O_NOATIME on other's file", open("other", O_RDONLY | O_NOATIME));
		R("O_NOATIME on own file", ({ int f2 = open("mine", O_RDONLY | O_NOATIME); if (f2 >= 0) close(f2); f2 < 0 ? -1 : 0; }));
		R("F_SETFL O_NOATIME on other's", ({ int f2 = open("other", O_RDONLY); long r = fcntl(f2, F_SETFL, O_NOATIME); close(f2); r; }));
		/* writes clear suid/sgid */
		fd = open("suid", O_WRONLY);
		R("open suid file", fd >= 0 ? 0 : -1);
		R("write suid file", write(fd, "z", 1));
		close(fd);
		mode("suid after write by non-root", "suid");
		R("truncate sgidnx", truncate("sgidnx", 1));
		mode("sgid non-exec after truncate", "sgidnx");
		/* access with real/effective ids */
		R("access rootonly W_OK", access("rootonly", W_OK));
		R("access rootonly R_OK", access("rootonly", R_OK));
		R("faccessat2 AT_EACCESS W_OK", syscall(SYS_faccessat2, AT_FDCWD, "rootonly", W_OK, AT_EACCESS));
		/* link to a file we cannot write (protected_hardlinks) */
		R("link root's file", link("rootonly", "owned/hl"));
		/* xattrs */
		R("setxattr user on other's 0666", setxattr("other", "user.x", "1", 1, 0));
		R("setxattr user on rootonly", setxattr("rootonly", "user.x", "1", 1, 0));
		R("setxattr trusted", setxattr("mine", "trusted.x", "1", 1, 0));
		/* rename a dir we own out of a dir we can write, needing w on the dir itself for .. */
		mkdir("owned/d", 0555);
		R("rename own 0555 dir to other parent", rename("owned/d", "sticky/d"));
		/* mknod/mkfifo */
		R("mkfifo", mkfifo("owned/fifo", 0644));
		R("chroot", chroot("owned"));
		_exit(0);
	}
	int st;
	waitpid(pid, &st, 0);
	mode("suid after", "suid");
	/* root: writes by root also clear suid? (no: root keeps... Linux clears unless CAP_FSETID) */
	chmod("suid", 06777);
	int fd = open("suid", O_WRONLY);
	write(fd, "q", 1);
	close(fd);
	mode("suid after write by root", "suid");
	chown("suid", 1000, 4242);
	mode("suid after chown by root", "suid");
	chmod("suid", 06755);
	chown("suid", -1, -1);
	mode("suid after chown -1 -1", "suid");
	chmod("suid", 06755);
	chown("suid", 0, 0);
	mode("suid after chown root", "suid");
	chmod("mine", 04755);
	chown("mine", 1000, -1);
	mode("mine suid chown same uid", "mine");
	chmod("noread", 0755); /* so that the scratch directory can go, whoever runs this */
	chmod("noexec", 0755);
	return 0;
}
