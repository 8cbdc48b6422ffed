/* Core dumps with core_pattern "core" (Linux's default; this test expects it on the host):
 * a process killed by SIGABRT, SIGQUIT or SIGSEGV with RLIMIT_CORE of a page or more
 * leaves WCOREDUMP (waitid: CLD_DUMPED) and a regular file "core" (mode 0600 less umask,
 * an ELF core) in its working directory, replacing an old one; none with RLIMIT_CORE 0,
 * below a page, when not dumpable, or for SIGKILL/SIGTERM. */
#include "cf.h"
#include <elf.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>

static void
die(int sig, rlim_t limit, int dumpable, const char *dir)
{
	pid_t pid = fork();
	if (pid == 0) {
		struct rlimit r = { limit, RLIM_INFINITY };
		setrlimit(RLIMIT_CORE, &r);
		if (!dumpable)
			prctl(PR_SET_DUMPABLE, 0);
		if (chdir(dir) < 0)
			_exit(3);
		signal(sig, SIG_DFL);
		raise(sig);
		_exit(2);
	}
	siginfo_t si = { 0 };
	waitid(P_PID, pid, &si, WEXITED | WNOWAIT);
	int st;
	waitpid(pid, &st, 0);
	printf("%s limit %lu dumpable %d: signaled %s sig %d core %s, waitid code %s\n",
	       strsignal(sig), (unsigned long)limit, dumpable, WIFSIGNALED(st) ? "yes" : "no",
	       WIFSIGNALED(st) ? WTERMSIG(st) : 0, WCOREDUMP(st) ? "yes" : "no",
	       si.si_code == CLD_DUMPED ? "CLD_DUMPED" : si.si_code == CLD_KILLED ? "CLD_KILLED" : "other");
}

static void
show_core(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0) {
		printf("  %s: none\n", path);
		return;
	}
	Elf64_Ehdr eh = { 0 };
	int fd = open(path, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, &eh, sizeof(eh)) : -1;
	if (fd >= 0)
		close(fd);
	printf("  %s: regular %s mode %o links %lu elf %s core %s\n", path,
	       S_ISREG(st.st_mode) ? "yes" : "no", st.st_mode & 07777, (unsigned long)st.st_nlink,
	       n == sizeof(eh) && !memcmp(eh.e_ident, ELFMAG, SELFMAG) ? "yes" : "no",
	       eh.e_type == ET_CORE ? "yes" : "no");
	unlink(path);
}

int
main(void)
{
	cf_init();
	char pat[64] = "";
	int fd = open("/proc/sys/kernel/core_pattern", O_RDONLY);
	if (fd >= 0) {
		read(fd, pat, sizeof(pat) - 1);
		close(fd);
	}
	printf("core_pattern: %s", pat);
	mkdir("d", 0755);

	die(SIGABRT, RLIM_INFINITY, 1, "d");
	show_core("d/core");
	die(SIGQUIT, 1 << 20, 1, "d");
	show_core("d/core");
	die(SIGSEGV, 4096, 1, "d");
	show_core("d/core");
	die(SIGABRT, 0, 1, "d");
	show_core("d/core");
	die(SIGABRT, 4095, 1, "d");
	show_core("d/core");
	die(SIGABRT, RLIM_INFINITY, 0, "d");
	show_core("d/core");
	die(SIGTERM, RLIM_INFINITY, 1, "d");
	show_core("d/core");
	die(SIGKILL, RLIM_INFINITY, 1, "d");
	show_core("d/core");

	/* an old core is replaced; one that is a directory stops the dump */
	cf_write_file("d/core", "old", 3);
	link("d/core", "d/other");
	die(SIGABRT, RLIM_INFINITY, 1, "d");
	show_core("d/core");
	struct stat st;
	stat("d/other", &st);
	printf("  old link kept: size %ld\n", (long)st.st_size);
	mkdir("d/core", 0755);
	die(SIGABRT, RLIM_INFINITY, 1, "d");
	rmdir("d/core");
	/* a directory it may not write */
	mkdir("ro", 0555);
	pid_t pid = fork();
	if (pid == 0) {
		setgid(65534);
		setuid(65534);
		die(SIGABRT, RLIM_INFINITY, 1, "ro");
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	show_core("ro/core");
	return 0;
}
