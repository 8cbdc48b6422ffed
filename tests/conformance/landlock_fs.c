/* Landlock's filesystem rights on the sandbox's own files: each right allowed beneath a
 * directory and denied elsewhere (execute, write_file, read_file, read_dir, remove_dir,
 * remove_file, make_dir/reg/sym/fifo/sock, truncate by path, by O_TRUNC and by a file
 * opened before or after), refer (EXDEV and EACCES for rename and link across
 * directories, same-directory renames), ioctl on a device, mount, two stacked layers,
 * inheritance by fork and execve (from a thread too), the host's files, /proc and /dev,
 * memfds and SysV shared memory (not governed). Each case runs in a child. */
/* args: main */
#include "cf.h"
#include <stdarg.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/sysmacros.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#define EXEC (1ULL << 0)
#define WRITE (1ULL << 1)
#define READ (1ULL << 2)
#define READ_DIR (1ULL << 3)
#define REMOVE_DIR (1ULL << 4)
#define REMOVE_FILE (1ULL << 5)
#define MAKE_CHAR (1ULL << 6)
#define MAKE_DIR (1ULL << 7)
#define MAKE_REG (1ULL << 8)
#define MAKE_SOCK (1ULL << 9)
#define MAKE_FIFO (1ULL << 10)
#define MAKE_BLOCK (1ULL << 11)
#define MAKE_SYM (1ULL << 12)
#define REFER (1ULL << 13)
#define TRUNCATE (1ULL << 14)
#define IOCTL_DEV (1ULL << 15)
#define ALL ((1ULL << 16) - 1)

struct attr {
	uint64_t fs, net;
};
struct pb {
	uint64_t access;
	int32_t fd;
} __attribute__((packed));

static char self[256];

/* A ruleset handling `handled`, with rules (path, access) until a NULL path. */
static int
ruleset(uint64_t handled, ...)
{
	struct attr a = { handled, 0 };
	int rs = syscall(444, &a, sizeof(a), 0);
	va_list ap;
	const char *p;

	va_start(ap, handled);
	while ((p = va_arg(ap, const char *))) {
		struct pb r = { va_arg(ap, uint64_t), open(p, O_PATH) };

		if (syscall(445, rs, 1, &r, 0))
			printf("add_rule %s: %s\n", p, en(errno));
		close(r.fd);
	}
	va_end(ap);
	return rs;
}

static void
enforce(int rs)
{
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (syscall(446, rs, 0))
		printf("restrict_self: %s\n", en(errno));
	close(rs);
}

static void
setup(void)
{
	mkdir("a", 0755);
	mkdir("a/sub", 0755);
	mkdir("b", 0755);
	mkdir("c", 0755);
	cf_write_file("a/f", "hello", 5);
	cf_write_file("a/sub/f", "hello", 5);
	cf_write_file("b/f", "hello", 5);
	cf_write_file("c/f", "hello", 5);
	mkdir("a/rmme", 0755);
	mkdir("b/rmme", 0755);
	cf_write_file("a/del", "", 0);
	cf_write_file("b/del", "", 0);
}

static void
t_read(void)
{
	enforce(ruleset(READ | READ_DIR, "a", READ | READ_DIR, "b/f", READ, NULL));
	OK("read a/f", open("a/f", O_RDONLY));
	OK("read a/sub/f", open("a/sub/f", O_RDONLY));
	OK("read b/f", open("b/f", O_RDONLY));
	OK("read c/f", open("c/f", O_RDONLY));
	OK("readdir a", open("a", O_RDONLY | O_DIRECTORY));
	OK("readdir b", open("b", O_RDONLY | O_DIRECTORY));
	OK("O_PATH c/f", open("c/f", O_PATH));
	OK("stat c/f", access("c/f", R_OK));
	OK("write c/f (not handled)", open("c/f", O_WRONLY));
	OK("read /proc/self/status", open("/proc/self/status", O_RDONLY));
	OK("read /dev/null", open("/dev/null", O_RDONLY));
	OK("accmode 3 c/f", open("c/f", O_RDONLY | O_WRONLY | O_RDWR));
	OK("chdir c", chdir("c"));
}

static void
t_write(void)
{
	enforce(ruleset(WRITE | TRUNCATE, "a", WRITE | TRUNCATE, NULL));
	OK("write a/f", open("a/f", O_WRONLY));
	OK("rdwr a/f", open("a/f", O_RDWR));
	OK("write b/f", open("b/f", O_WRONLY));
	OK("append b/f", open("b/f", O_WRONLY | O_APPEND));
	OK("read b/f", open("b/f", O_RDONLY));
	OK("trunc a/f", truncate("a/f", 1));
	OK("trunc b/f", truncate("b/f", 1));
	OK("O_TRUNC a/sub/f", open("a/sub/f", O_WRONLY | O_TRUNC));
	OK("write /dev/null", open("/dev/null", O_WRONLY));
}

static void
t_truncate(void)
{
	int before = open("b/f", O_RDWR);

	enforce(ruleset(TRUNCATE, "a", TRUNCATE, NULL));
	int after = open("b/f", O_RDWR), ina = open("a/f", O_RDWR);
	OK("ftruncate opened before", ftruncate(before, 2));
	OK("ftruncate opened after", ftruncate(after, 2));
	OK("ftruncate beneath rule", ftruncate(ina, 2));
	OK("ftruncate -1 after", ftruncate(after, -1));
	OK("truncate b/f", truncate("b/f", 0));
	OK("O_TRUNC b/f", open("b/f", O_WRONLY | O_TRUNC));
	OK("O_CREAT|O_TRUNC new", open("b/new", O_WRONLY | O_CREAT | O_TRUNC, 0600));
	OK("O_RDONLY|O_TRUNC b/f", open("b/f", O_RDONLY | O_TRUNC));
}

static void
t_make(void)
{
	enforce(ruleset(MAKE_DIR | MAKE_REG | MAKE_SYM | MAKE_FIFO | MAKE_SOCK | MAKE_CHAR,
			"a", MAKE_DIR | MAKE_REG | MAKE_SYM | MAKE_FIFO | MAKE_SOCK, NULL));
	OK("mkdir a/d", mkdir("a/d", 0755));
	OK("mkdir b/d", mkdir("b/d", 0755));
	OK("creat a/n", open("a/n", O_CREAT | O_WRONLY, 0600));
	OK("creat b/n", open("b/n", O_CREAT | O_WRONLY, 0600));
	OK("O_CREAT existing b/f", open("b/f", O_CREAT | O_WRONLY, 0600));
	OK("mknod reg b/m", mknod("b/m", S_IFREG | 0600, 0));
	OK("mknod 0 a/m", mknod("a/m", 0600, 0));
	OK("symlink a/s", symlink("x", "a/s"));
	OK("symlink b/s", symlink("x", "b/s"));
	OK("mkfifo a/p", mkfifo("a/p", 0600));
	OK("mkfifo b/p", mkfifo("b/p", 0600));
	OK("mknod chr b/z", mknod("b/z", S_IFCHR | 0600, makedev(1, 3)));
	OK("mkdir existing b", mkdir("b", 0755));
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un sa = { AF_UNIX, "b/sock" };
	OK("bind unix b/sock", bind(s, (struct sockaddr *)&sa, sizeof(sa)));
	strcpy(sa.sun_path, "a/sock");
	OK("bind unix a/sock", bind(s, (struct sockaddr *)&sa, sizeof(sa)));
	OK("O_TMPFILE b", open("b", O_TMPFILE | O_RDWR, 0600));
}

static void
t_remove(void)
{
	enforce(ruleset(REMOVE_DIR | REMOVE_FILE, "a", REMOVE_DIR | REMOVE_FILE, NULL));
	OK("unlink a/del", unlink("a/del"));
	OK("unlink b/del", unlink("b/del"));
	OK("rmdir a/rmme", rmdir("a/rmme"));
	OK("rmdir b/rmme", rmdir("b/rmme"));
	OK("unlink b/missing", unlink("b/missing"));
	OK("rmdir b/f", rmdir("b/f"));
	OK("unlink b/rmme", unlink("b/rmme"));
	OK("rmdir a (itself)", rmdir("a"));
}

static void
t_refer(void)
{
	enforce(ruleset(REFER | MAKE_REG | REMOVE_FILE | READ,
			"a", REFER | MAKE_REG | REMOVE_FILE | READ,
			"b", REFER | MAKE_REG | REMOVE_FILE | READ,
			"c", MAKE_REG | REMOVE_FILE, NULL));
	OK("rename a/f a/g (same dir)", rename("a/f", "a/g"));
	OK("rename c/f c/g (same dir)", rename("c/f", "c/g"));
	OK("rename a/g b/g", rename("a/g", "b/g"));
	OK("rename b/g c/g2 (no refer)", rename("b/g", "c/g2"));
	OK("rename c/g a/x (no refer)", rename("c/g", "a/x"));
	OK("link b/g b/h (same dir)", link("b/g", "b/h"));
	OK("link b/g a/h", link("b/g", "a/h"));
	OK("link b/g c/h", link("b/g", "c/h"));
	OK("rename a/sub b/sub (dir, no make_dir)", rename("a/sub", "b/sub"));
	OK("exchange a/h b/h", syscall(SYS_renameat2, AT_FDCWD, "a/h", AT_FDCWD, "b/h", 2));
	OK("rename missing", rename("a/missing", "b/missing"));
}

static void
t_refer_gain(void)
{
	/* the destination grants READ, the source not: reparenting would widen access */
	enforce(ruleset(REFER | MAKE_REG | REMOVE_FILE | READ,
			".", REFER | MAKE_REG | REMOVE_FILE,
			"b", READ, NULL));
	OK("rename a/f b/f2 (gains read)", rename("a/f", "b/f2"));
	OK("rename b/f a/f2 (loses read)", rename("b/f", "a/f2"));
	OK("link a/del b/del2 (gains read)", link("a/del", "b/del2"));
}

static void
t_exec(void)
{
	enforce(ruleset(EXEC | READ | WRITE, "/", READ, self, EXEC | READ, NULL));
	char *argv[] = { self, "after_exec", NULL };
	pid_t c = fork();
	if (!c) {
		execv(self, argv);
		printf("exec self: %s\n", en(errno));
		_exit(1);
	}
	waitpid(c, NULL, 0);
	cf_write_file("b/x", "#!/bin/sh\n", 10);
	chmod("b/x", 0755);
	char *argv2[] = { "b/x", NULL };
	OK("exec b/x", execv("b/x", argv2));
}

static void
after_exec(void)
{
	/* the domain of t_exec is kept: nothing may be written */
	OK("after exec: read b/f", open("b/f", O_RDONLY));
	OK("after exec: write b/f", open("b/f", O_WRONLY));
}

static void *
thread_exec(void *arg)
{
	char *argv[] = { self, "after_exec", NULL };

	(void)arg;
	enforce(ruleset(READ | WRITE, "/", READ, NULL));
	execv(self, argv);
	printf("exec from thread: %s\n", en(errno));
	return NULL;
}

/* a thread's own domain goes on with the program it runs */
static void
t_thread_exec(void)
{
	pthread_t th;

	OK("main thread: write b/f", open("b/f", O_WRONLY));
	pthread_create(&th, NULL, thread_exec, NULL);
	pthread_join(th, NULL);
}

/* A directory open through a bind mount of a/sub, then moved out of a/sub: walking up
 * from it never meets the bind mount's root (Landlock erratum 3: the walk restarts from
 * that root). Each rule in a child of its own. */
static int disc_fd;

static void
disc_try(const char *rule)
{
	pid_t c = fork();

	if (!c) {
		enforce(ruleset(READ, rule, READ, NULL));
		printf("rule on %s: ", rule);
		OK("read", openat(disc_fd, "f", O_RDONLY));
		fflush(stdout);
		_exit(0);
	}
	waitpid(c, NULL, 0);
}

static void
t_disconnected(void)
{
	cf_private_mounts();
	mkdir("a/sub/d", 0755);
	cf_write_file("a/sub/d/f", "x", 1);
	mount("a/sub", "c", NULL, MS_BIND, NULL);
	disc_fd = open("c/d", O_RDONLY | O_DIRECTORY);
	rename("a/sub/d", "b/d");
	disc_try("c");
	disc_try("a/sub");
	disc_try("b");
	disc_try("a");
	disc_try("/");
	umount2("c", MNT_DETACH);
}

/* memfds and SysV shared memory are not governed (nor may they name a rule) */
static void
t_memfd(void)
{
	int m = memfd_create("x", 0), rs = ruleset(EXEC | READ | WRITE, "/", READ, NULL);
	struct pb r = { READ, m };
	char path[64], *argv[] = { "x", NULL };

	write(m, "abc", 3);
	OK("memfd as a rule's parent", syscall(445, rs, 1, &r, 0));
	enforce(rs);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", m);
	int rw = open(path, O_RDWR), ro = open(path, O_RDONLY);
	OK("reopen memfd rw", rw);
	close(rw);
	close(m); /* (a file open for writing would not run: ETXTBSY) */
	int id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
	OK("shmget", id);
	void *a = shmat(id, NULL, 0);
	OK("shmat", a == (void *)-1 ? -1 : 0);
	OK("shmat rdonly", shmat(id, NULL, SHM_RDONLY) == (void *)-1 ? -1 : 0);
	shmctl(id, IPC_RMID, NULL);
	OK("execveat memfd (not a program)", syscall(SYS_execveat, ro, "", argv, argv, AT_EMPTY_PATH));
}

/* the host's files, through the gofer */
static void
t_host(void)
{
	enforce(ruleset(READ | READ_DIR, "/usr", READ | READ_DIR, NULL));
	OK("readdir /usr/bin", open("/usr/bin", O_RDONLY | O_DIRECTORY));
	OK("readdir /usr", open("/usr", O_RDONLY | O_DIRECTORY));
	OK("read /etc/passwd", open("/etc/passwd", O_RDONLY));
	OK("readdir /", open("/", O_RDONLY | O_DIRECTORY));
	OK("readdir /usr/../etc", open("/usr/../etc", O_RDONLY | O_DIRECTORY));
}

static void
t_proc_dev(void)
{
	enforce(ruleset(READ | WRITE, "/proc", READ, "/dev", WRITE, NULL));
	OK("read /proc/self/status", open("/proc/self/status", O_RDONLY));
	OK("read /proc/self/fd (dir, not handled)", open("/proc/self/fd", O_RDONLY));
	OK("write /dev/null", open("/dev/null", O_WRONLY));
	OK("read /dev/null", open("/dev/null", O_RDONLY));
	OK("write /proc/self/comm", open("/proc/self/comm", O_WRONLY));
}

static void
t_layers(void)
{
	enforce(ruleset(READ | WRITE, "a", READ | WRITE, "b", READ | WRITE, NULL));
	enforce(ruleset(WRITE, "b", WRITE, "c", WRITE, NULL));
	OK("write a/f", open("a/f", O_WRONLY));
	OK("write b/f", open("b/f", O_WRONLY));
	OK("write c/f", open("c/f", O_WRONLY));
	OK("read a/f", open("a/f", O_RDONLY));
	OK("read c/f", open("c/f", O_RDONLY));
	pid_t c = fork();
	if (!c) {
		OK("child write b/f", open("b/f", O_WRONLY));
		OK("child write a/f", open("a/f", O_WRONLY));
		fflush(stdout);
		_exit(0);
	}
	waitpid(c, NULL, 0);
}

static void
t_ioctl(void)
{
	int before = open("/dev/null", O_RDONLY), n;

	enforce(ruleset(IOCTL_DEV | READ, "/", READ, "/dev/zero", IOCTL_DEV, NULL));
	int null = open("/dev/null", O_RDONLY), zero = open("/dev/zero", O_RDONLY);
	int reg = open("a/f", O_RDONLY);
	OK("FIONREAD /dev/null", ioctl(null, FIONREAD, &n));
	OK("FIONREAD /dev/null opened before", ioctl(before, FIONREAD, &n));
	OK("FIONREAD /dev/zero", ioctl(zero, FIONREAD, &n));
	OK("FIONREAD a/f", ioctl(reg, FIONREAD, &n));
	OK("FIOCLEX /dev/null", ioctl(null, FIOCLEX));
	OK("FIONBIO /dev/null", ioctl(null, FIONBIO, &n));
	OK("TCGETS /dev/null", ioctl(null, 0x5401, &n));
}

static void
t_mount(void)
{
	cf_private_mounts();
	/* a tmpfs reached through its mount point, one lazily unmounted: cut from "/" */
	mount("none", "a", "tmpfs", 0, NULL);
	cf_write_file("a/f", "x", 1);
	mount("none", "b", "tmpfs", 0, NULL);
	cf_write_file("b/f", "x", 1);
	int cut = open("b", O_RDONLY | O_DIRECTORY);
	umount2("b", MNT_DETACH);
	enforce(ruleset(READ, "/", READ, NULL));
	OK("read a/f (a mount below the rule)", open("a/f", O_RDONLY));
	OK("read f of a detached mount", openat(cut, "f", O_RDONLY));
	int r = mount("none", "c", "tmpfs", 0, NULL);

	printf("mount tmpfs: %s\n", r ? en(errno) : "ok");
	if (!r)
		umount("c");
	OK("umount c (not a mount)", umount("c"));
	OK("pivot_root missing", syscall(SYS_pivot_root, "missing", "c"));
	OK("pivot_root", syscall(SYS_pivot_root, "c", "c"));
}

static void
t_unhandled(void)
{
	struct attr a = { 0, 1 };
	int rs = syscall(444, &a, sizeof(a), 0);

	cf_private_mounts();
	enforce(rs);
	OK("net-only: rename across dirs", rename("a/f", "b/moved"));
	OK("net-only: mount tmpfs", mount("none", "c", "tmpfs", 0, NULL));
	OK("net-only: umount c", umount("c"));
}

int
main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "after_exec")) {
		setvbuf(stdout, NULL, _IOLBF, 0);
		after_exec();
		return 0;
	}
	if (readlink("/proc/self/exe", self, sizeof(self) - 1) < 0)
		return 1;
	cf_init();
	struct {
		const char *name;
		void (*fn)(void);
	} cases[] = {
		{ "read", t_read }, { "write", t_write }, { "truncate", t_truncate },
		{ "make", t_make }, { "remove", t_remove }, { "refer", t_refer },
		{ "refer gain", t_refer_gain }, { "exec", t_exec }, { "layers", t_layers },
		{ "ioctl", t_ioctl }, { "mount", t_mount }, { "unhandled fs", t_unhandled },
		{ "exec from a thread", t_thread_exec }, { "/proc and /dev", t_proc_dev },
		{ "host files", t_host }, { "disconnected directory", t_disconnected },
		{ "memfd and shm", t_memfd },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		setup();
		printf("-- %s\n", cases[i].name);
		cf_in_child(cases[i].name, cases[i].fn);
		system("rm -rf a b c");
	}
	return 0;
}
