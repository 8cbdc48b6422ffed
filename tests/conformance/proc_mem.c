/*
 * /proc/PID/mem: reads and writes at the file position (an address), page by page (a
 * fault part-way gives what was done, at once EIO), lseek without SEEK_END, another
 * process's memory, what is left after it exits (nothing), and who may open it.
 */
#include <sys/mman.h>
#include <sys/wait.h>

#include "cf.h"

int
main(void)
{
	char input[] = "hello-world", output[sizeof(input)] = { 0 };
	int st;

	setvbuf(stdout, NULL, _IOLBF, 0);
	int fd = FD("open rdwr", open("/proc/self/mem", O_RDWR));
	R("pread", pread(fd, output, sizeof(output), (off_t)input));
	printf("read back: %s\n", output);
	char other[sizeof(input)] = { 0 };
	R("pwrite", pwrite(fd, input, sizeof(input), (off_t)other));
	printf("written: %s\n", other);
	YN("lseek set", lseek(fd, (off_t)input, SEEK_SET) == (off_t)input);
	memset(output, 0, sizeof(output));
	R("read 5", read(fd, output, 5));
	R("read 6", read(fd, output + 5, 6));
	printf("sequential: %s\n", output);
	YN("lseek cur", lseek(fd, -11, SEEK_CUR) == (off_t)input);
	R("lseek end", lseek(fd, 0, SEEK_END));

	char *p = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(p, 'x', 4096);
	munmap(p + 4096, 4096);
	char big[4096];
	R("read across into a hole", pread(fd, big, sizeof(big), (off_t)(p + 4095)));
	R("read in the hole", pread(fd, big, 1, (off_t)(p + 4096)));
	R("write in the hole", pwrite(fd, "y", 1, (off_t)(p + 4096)));
	char *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	R("read read-only page", pread(fd, big, 16, (off_t)ro));
	/* writes reach read-only private pages too (Linux's FOLL_FORCE, a debugger's poke) */
	R("write read-only page", pwrite(fd, "forced", 6, (off_t)ro + 5));
	printf("read-only page now: %.6s\n", ro + 5);

	int pfd[2], qfd[2];
	pipe(pfd);
	pipe(qfd);
	static char secret[16] = "child-secret";
	pid_t pid = fork();
	if (pid == 0) {
		strcpy(secret, "child-changed");
		write(pfd[1], "r", 1);
		char c;
		read(qfd[0], &c, 1);
		_exit(0);
	}
	char c;
	read(pfd[0], &c, 1);
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/mem", pid);
	int cfd = FD("open child mem", open(path, O_RDONLY));
	char got[32] = { 0 };
	R("read child", pread(cfd, got, 13, (off_t)secret));
	printf("child has: %s, we have: %s\n", got, secret);
	write(qfd[1], "q", 1);
	waitpid(pid, &st, 0);
	R("read after exit", pread(cfd, got, 13, (off_t)secret));
	close(cfd);
	R("open after exit", open(path, O_RDONLY));

	if (geteuid() == 0) {
		pid = fork();
		if (pid == 0) {
			char ppath[64];
			snprintf(ppath, sizeof(ppath), "/proc/%d/mem", getppid());
			setresuid(1000, 1000, 1000);
			R("other user opens root's mem", open(ppath, O_RDONLY));
			R("own mem after setuid", open("/proc/self/mem", O_RDONLY) >= 0);
			_exit(0);
		}
		waitpid(pid, &st, 0);
	}
	return 0;
}
