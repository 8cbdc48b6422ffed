/* execveat relative to a descriptor: the program's name is /dev/fd/N[/PATH] (a script's $0),
 * a memfd still open for writing may be run (a regular file may not: ETXTBSY), a script
 * behind a close-on-exec descriptor is ENOENT, and a running memfd cannot be opened for
 * writing. */
#include "cf.h"
#include <sys/mman.h>
#include <sys/wait.h>

static int
copy_in(int fd, const char *from)
{
	char b[65536];
	ssize_t n;
	int src = open(from, O_RDONLY);

	if (src < 0)
		return -1;
	while ((n = read(src, b, sizeof(b))) > 0)
		if (write(fd, b, n) != n)
			return -1;
	close(src);
	return 0;
}

/* Runs execveat(dirfd, path, flags) in a child whose stdout is a pipe: prints what the
 * child wrote, its exit status, or the errno the exec failed with. */
static void
run(const char *label, int dirfd, const char *path, int flags)
{
	int p[2], st;
	char out[256] = "";

	if (pipe(p) < 0)
		return;
	pid_t c = fork();
	if (c == 0) {
		dup2(p[1], 1);
		char *argv[] = { "prog", NULL }, *envp[] = { NULL };
		syscall(SYS_execveat, dirfd, path, argv, envp, flags);
		printf("errno %s", en(errno));
		fflush(stdout);
		_exit(99);
	}
	close(p[1]);
	ssize_t n = read(p[0], out, sizeof(out) - 1);
	out[n > 0 ? n : 0] = '\0';
	close(p[0]);
	waitpid(c, &st, 0);
	out[strcspn(out, "\n")] = '\0';
	printf("%s: \"%s\" exit %d\n", label, out, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

int
main(void)
{
	const char *script = "#!/bin/sh\necho \"$0\"\n";

	cf_init();
	int fd = memfd_create("script", 0);
	R("write script", write(fd, script, strlen(script)) == (ssize_t)strlen(script) ? 0 : -1);
	run("memfd script", fd, "", AT_EMPTY_PATH);
	run("memfd script without AT_EMPTY_PATH", fd, "", 0);
	close(fd);

	fd = memfd_create("script", MFD_CLOEXEC);
	R("write script", write(fd, script, strlen(script)) == (ssize_t)strlen(script) ? 0 : -1);
	run("close-on-exec memfd script", fd, "", AT_EMPTY_PATH);
	close(fd);

	fd = memfd_create("prog", MFD_CLOEXEC);
	R("copy /bin/true", copy_in(fd, "/bin/true"));
	run("memfd program open for writing", fd, "", AT_EMPTY_PATH);
	close(fd);

	fd = open("prog", O_RDWR | O_CREAT | O_TRUNC, 0755);
	R("copy /bin/true to a file", copy_in(fd, "/bin/true"));
	run("file program open for writing", fd, "", AT_EMPTY_PATH);
	close(fd);

	fd = open("s.sh", O_WRONLY | O_CREAT | O_TRUNC, 0755);
	R("write s.sh", write(fd, script, strlen(script)) == (ssize_t)strlen(script) ? 0 : -1);
	close(fd);
	int dir = open(".", O_RDONLY | O_DIRECTORY);
	run("script by directory fd", dir, "s.sh", 0);
	close(dir);
	dir = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	run("script by close-on-exec directory fd", dir, "s.sh", 0);
	run("program by close-on-exec directory fd", dir, "prog", 0);
	close(dir);

	/* a running memfd program: no new opens for writing */
	fd = memfd_create("sleep", MFD_CLOEXEC);
	R("copy /bin/sleep", copy_in(fd, "/bin/sleep"));
	pid_t c = fork();
	if (c == 0) {
		char *argv[] = { "sleep", "0.5", NULL }, *envp[] = { NULL };
		syscall(SYS_execveat, fd, "", argv, envp, AT_EMPTY_PATH);
		_exit(99);
	}
	char path[64];
	usleep(200000);
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)c);
	R("open its exe for writing", open(path, O_RDWR));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	R("open the memfd again for writing", open(path, O_RDWR));
	int st;
	waitpid(c, &st, 0);
	printf("sleep: exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return 0;
}
