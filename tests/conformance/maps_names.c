/*
 * /proc/self/maps names a file mapping by the file's name when it is read, as Linux's
 * d_path of the mapping's file: after a rename (of the file, of a directory above it) the
 * new name, after an unlink the old one with " (deleted)" (even while another link to the
 * file is left: the name is the mapped one's). /proc/PID/exe the same for a running
 * program's file.
 */
#include "cf.h"
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>

/* The part of the maps name of the mapping at addr after the scratch directory. */
static void
name_of(const char *label, void *addr)
{
	char line[1024];
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long a = (unsigned long)addr;
	size_t dl = strlen(cf_dir);

	while (f && fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		if (sscanf(line, "%lx-%lx", &lo, &hi) != 2 || a < lo || a >= hi)
			continue;
		char *name = strchr(line, '/');
		if (name && !strncmp(name, cf_dir, dl))
			printf("%s: ...%s", label, name + dl);
		else
			printf("%s: %s", label, name ? name : "(no name)\n");
	}
	if (f)
		fclose(f);
}

static void *
map_new(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ftruncate(fd, 4096)) {
		printf("%s: %s\n", path, en(errno));
		return NULL;
	}
	void *m = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	return m == MAP_FAILED ? NULL : m;
}

static void
exe_of(const char *label, pid_t pid)
{
	char p[64], t[1024];
	size_t dl = strlen(cf_dir);

	snprintf(p, sizeof(p), "/proc/%d/exe", (int)pid);
	ssize_t n = readlink(p, t, sizeof(t) - 1);
	t[n > 0 ? n : 0] = '\0';
	if (n > 0 && !strncmp(t, cf_dir, dl))
		printf("%s: ...%s\n", label, t + dl);
	else
		printf("%s: %s\n", label, n > 0 ? t : en(errno));
}

/* A copy of this program runs (argument "child": it waits to be killed) while its file is
 * renamed and unlinked. */
static void
running_program(void)
{
	char buf[65536];
	int in = open("/proc/self/exe", O_RDONLY);
	int out = open("prog", O_WRONLY | O_CREAT | O_TRUNC, 0755);
	ssize_t n;

	while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			break;
	close(in);
	close(out);
	pid_t p = fork();
	if (p == 0) {
		execl("./prog", "prog", "child", (char *)NULL);
		_exit(127);
	}
	/* until it runs the copy */
	char link[64], t[1024];
	snprintf(link, sizeof(link), "/proc/%d/exe", (int)p);
	for (int i = 0; i < 500; i++) {
		ssize_t k = readlink(link, t, sizeof(t) - 1);
		if (k > 5 && !memcmp(t + k - 5, "/prog", 5))
			break;
		struct timespec ts = { 0, 10000000 };
		nanosleep(&ts, NULL);
	}
	exe_of("running", p);
	OK("rename prog prog2", rename("prog", "prog2"));
	exe_of("program renamed", p);
	OK("unlink prog2", unlink("prog2"));
	exe_of("program unlinked", p);
	kill(p, SIGKILL);
	waitpid(p, NULL, 0);
}

int
main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "child")) {
		for (;;)
			pause();
	}
	cf_init();
	void *a = map_new("a");
	name_of("mapped", a);
	OK("rename a b", rename("a", "b"));
	name_of("renamed", a);
	void *c = map_new("c");
	OK("unlink c", unlink("c"));
	name_of("unlinked", c);
	mkdir("dir", 0755);
	void *d = map_new("dir/f");
	OK("rename dir moved", rename("dir", "moved"));
	name_of("directory renamed", d);
	void *e = map_new("e");
	OK("link e e2", link("e", "e2"));
	OK("unlink e", unlink("e"));
	name_of("unlinked, another link left", e);
	running_program();
	cf_cleanup();
	return 0;
}
