/* Landlock's three syscalls: the version and errata queries, every error of
 * landlock_create_ruleset, landlock_add_rule and landlock_restrict_self in Linux's order,
 * the ruleset file (close-on-exec, its name, read/write), no_new_privs or CAP_SYS_ADMIN
 * for restrict_self and its log flags, and the limit of 16 stacked layers. ABI 7, errata
 * 1 to 3. */
#include "cf.h"
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#define ACC_EXEC 1ULL
#define ACC_WRITE 2ULL
#define ACC_READ 4ULL
#define ACC_READ_DIR 8ULL
#define ACC_MAKE_DIR (1ULL << 7)
#define FS_ALL5 ((1ULL << 16) - 1)
#define NET_BIND 1ULL
#define NET_CONNECT 2ULL

struct attr {
	uint64_t fs, net, scoped;
};
struct pb {
	uint64_t access;
	int32_t fd;
} __attribute__((packed));
struct port {
	uint64_t access, port;
};

static long
create(const void *a, size_t size, unsigned flags)
{
	return syscall(444, a, size, flags);
}
static long
add(int fd, int type, const void *a, unsigned flags)
{
	return syscall(445, fd, type, a, flags);
}
static long
restrict_self(int fd, unsigned flags)
{
	return syscall(446, fd, flags);
}

static void
create_errors(void)
{
	struct attr a = { ACC_READ, 0, 0 };
	char big[4200] = { 0 };

	R("version", create(NULL, 0, 1));
	R("errata", create(NULL, 0, 2));
	R("version with attr", create(&a, 0, 1));
	R("version with size", create(NULL, 8, 1));
	R("both flags", create(NULL, 0, 3));
	R("unknown flag", create(NULL, 0, 4));
	R("NULL attr", create(NULL, 16, 0));
	R("size 0", create(&a, 0, 0));
	R("size 7", create(&a, 7, 0));
	R("size page+1", create(big, 4097, 0));
	R("bad pointer", create(cf_unmapped(), 16, 0));
	memcpy(big, &a, sizeof(a));
	big[40] = 1;
	R("nonzero tail", create(big, 48, 0));
	big[40] = 0;
	int fd = FD("zero tail", create(big, 48, 0));
	close(fd);
	fd = FD("fs only, size 8", create(&a, 8, 0));
	close(fd);
	struct attr b = { 1ULL << 16, 0, 0 };
	R("unknown fs right", create(&b, sizeof(b), 0));
	b = (struct attr){ ACC_READ, 4, 0 };
	R("unknown net right", create(&b, sizeof(b), 0));
	b = (struct attr){ ACC_READ, 0, 4 };
	R("unknown scope", create(&b, sizeof(b), 0));
	b = (struct attr){ 1ULL << 16, 4, 4 };
	R("all unknown", create(&b, sizeof(b), 0));
	b = (struct attr){ 0, 0, 0 };
	R("empty", create(&b, sizeof(b), 0));
	b = (struct attr){ 0, NET_BIND, 0 };
	fd = FD("net only", create(&b, 16, 0));
	close(fd);
	b = (struct attr){ 0, 0, 3 };
	fd = FD("scopes only", create(&b, sizeof(b), 0));
	close(fd);
	R("scopes past size 16", create(&b, 16, 0));
}

static void
ruleset_file(void)
{
	struct attr a = { FS_ALL5, NET_BIND | NET_CONNECT, 3 };
	int fd = create(&a, sizeof(a), 0);
	char buf[64], path[64];
	ssize_t n;

	R("cloexec", fcntl(fd, F_GETFD) & FD_CLOEXEC);
	R("getfl accmode", fcntl(fd, F_GETFL) & O_ACCMODE);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	printf("link: %s\n", buf);
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	FILE *fi = fopen(path, "r");
	while (fi && fgets(buf, sizeof(buf), fi))
		if (!strncmp(buf, "pos:", 4) || !strncmp(buf, "flags:", 6))
			printf("fdinfo %s", buf);
	if (fi)
		fclose(fi);
	struct stat st;
	fstat(fd, &st);
	printf("mode %o nlink %ld\n", st.st_mode, (long)st.st_nlink);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	OK("reopen", open(path, O_RDONLY));
	int op = open(path, O_PATH);
	struct pb r = { 1, op };
	OK("O_PATH reopen as a rule's parent", add(fd, 1, &r, 0));
	OK("O_PATH reopen as the ruleset", add(op, 1, &r, 0));
	close(op);
	R("read", read(fd, buf, 1));
	R("write", write(fd, buf, 1));
	R("lseek", lseek(fd, 0, SEEK_SET));
	close(fd);
}

static void
add_errors(void)
{
	struct attr a = { ACC_READ | ACC_READ_DIR | ACC_EXEC, NET_BIND, 0 };
	int rs = create(&a, sizeof(a), 0), dir = open(".", O_PATH), file, pipes[2];
	struct pb p = { ACC_READ, dir };
	struct port pt = { NET_BIND, 80 };

	file = open("f", O_CREAT | O_RDWR, 0600);
	pipe(pipes);
	R("flags", add(rs, 1, &p, 1));
	R("flags before fd", add(-1, 1, &p, 1));
	R("bad fd", add(-1, 1, &p, 0));
	R("not a ruleset", add(file, 1, &p, 0));
	R("O_PATH ruleset fd", add(dir, 1, &p, 0));
	R("bad type", add(rs, 3, &p, 0));
	R("type 0", add(rs, 0, &p, 0));
	R("bad pointer", add(rs, 1, cf_unmapped(), 0));
	R("NULL attr", add(rs, 1, NULL, 0));
	p.access = 0;
	R("no access", add(rs, 1, &p, 0));
	p.access = ACC_WRITE;
	R("not handled", add(rs, 1, &p, 0));
	p = (struct pb){ ACC_READ, -1 };
	R("bad parent fd", add(rs, 1, &p, 0));
	p.fd = pipes[0];
	R("pipe parent", add(rs, 1, &p, 0));
	p.fd = rs;
	R("ruleset parent", add(rs, 1, &p, 0));
	p = (struct pb){ ACC_READ_DIR, file };
	R("dir right on file", add(rs, 1, &p, 0));
	p = (struct pb){ ACC_READ | ACC_EXEC, file };
	R("file rights on file", add(rs, 1, &p, 0));
	p = (struct pb){ ACC_READ | ACC_READ_DIR, dir };
	R("dir rule", add(rs, 1, &p, 0));
	R("again", add(rs, 1, &p, 0));
	p.fd = -1;
	p.access = 0;
	R("no access before fd", add(rs, 1, &p, 0));
	R("port", add(rs, 2, &pt, 0));
	pt.port = 65536;
	R("port 65536", add(rs, 2, &pt, 0));
	pt = (struct port){ NET_CONNECT, 80 };
	R("port right not handled", add(rs, 2, &pt, 0));
	pt = (struct port){ 0, 70000 };
	R("port no access", add(rs, 2, &pt, 0));
	R("port bad pointer", add(rs, 2, cf_unmapped(), 0));
	close(rs);
	close(dir);
	close(file);
}

static void
child_report(const char *what, pid_t c)
{
	int st;

	waitpid(c, &st, 0);
	printf("%s: exit %d\n", what, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

static void
restrict_errors(void)
{
	struct attr a = { ACC_MAKE_DIR, 0, 0 };
	pid_t c;

	c = fork();
	if (!c) {
		int rs = create(&a, sizeof(a), 0);

		/* no no_new_privs, no CAP_SYS_ADMIN */
		setresuid(65534, 65534, 65534);
		R("unprivileged", restrict_self(rs, 0));
		R("unprivileged bad fd", restrict_self(-1, 0));
		R("unprivileged flags", restrict_self(rs, 1));
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		R("unknown flag", restrict_self(rs, 8));
		R("log flags alone, fd -1", restrict_self(-1, 4));
		R("other log flag, fd -1", restrict_self(-1, 1));
		R("log flags with fd -1", restrict_self(-1, 5));
		R("bad fd", restrict_self(-1, 0));
		R("not a ruleset", restrict_self(1, 0));
		R("no_new_privs", restrict_self(rs, 0));
		R("with log flags", restrict_self(rs, 7));
		fflush(stdout);
		_exit(0);
	}
	child_report("restrict child", c);
	c = fork();
	if (!c) {
		int rs = create(&a, sizeof(a), 0);
		int i;

		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		for (i = 0; i < 20; i++)
			if (restrict_self(rs, 0) < 0)
				break;
		printf("layers: %d %s\n", i, en(errno));
		R("mkdir", mkdir("d", 0700));
		fflush(stdout);
		_exit(0);
	}
	child_report("stack child", c);
	OK("mkdir in parent", mkdir("d", 0700));
}

int
main(void)
{
	cf_init();
	create_errors();
	ruleset_file();
	add_errors();
	restrict_errors();
	return 0;
}
