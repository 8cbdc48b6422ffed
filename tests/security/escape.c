/*
 * Escape attempts, one per subcommand. Each prints "BLOCKED <how>" or "ESCAPED <what>".
 * Run inside the sandbox by tests/security/escapes.sh; built static, no sanitizers.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static int
result(long r, const char *what)
{
	if (r < 0)
		printf("BLOCKED %s: %s\n", what, strerrorname_np(errno));
	else
		printf("ESCAPED %s: returned %ld\n", what, r);
	return 0;
}

static int
try_read(const char *path)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return result(-1, path);
	char buf[64];
	long n = read(fd, buf, sizeof(buf));
	/* Reading something is only an escape if it is the host's: callers check content. */
	return result(n < 0 ? -1 : n, path);
}

int
main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "";
	if (!strcmp(c, "int80")) {
		/* 32-bit entry: the filter kills the process (SIGSYS) */
		long r;
		__asm__ volatile("int $0x80" : "=a"(r) : "a"(20) : "memory");
		printf("ESCAPED int80: getpid returned %ld\n", r);
		return 0;
	}
	if (!strcmp(c, "tiocsti") || !strcmp(c, "tiocsti_stdin")) {
		/* typing into a terminal as if the user had: into a new pty's slave (our
		 * controlling terminal after setsid), or into our stdin under --tty */
		int fd = 0;
		char got;
		if (!strcmp(c, "tiocsti")) {
			int m = posix_openpt(O_RDWR | O_NOCTTY);
			if (m < 0 || unlockpt(m) < 0 || (fork() == 0 ? 0 : (wait(NULL), exit(0), 1)))
				return result(-1, "no pty");
			setsid();
			fd = open(ptsname(m), O_RDWR);
		}
		fcntl(fd, F_SETFL, O_NONBLOCK);
		long r = ioctl(fd, TIOCSTI, "i");
		int e = errno;
		if (r == 0 || read(fd, &got, 1) == 1) {
			printf("ESCAPED %s: input injected\n", c);
			return 0;
		}
		errno = e;
		return result(r, c);
	}
	if (!strcmp(c, "x32")) {
		long r = syscall(39 | 0x40000000);
		return result(r, "x32 getpid");
	}
	if (!strcmp(c, "ptrace_host"))
		return result(ptrace(PTRACE_ATTACH, 1, 0, 0), "ptrace attach pid 1");
	if (!strcmp(c, "ptrace_parent"))
		return result(ptrace(PTRACE_ATTACH, getppid() ? getppid() : 2, 0, 0), "ptrace parent");
	if (!strcmp(c, "vm_read")) {
		char buf[8];
		struct iovec l = { buf, 8 }, r = { (void *)0x400000, 8 };
		return result(process_vm_readv(1, &l, 1, &r, 1, 0), "process_vm_readv");
	}
	if (!strcmp(c, "kill_all"))
		return result(kill(-1, SIGKILL), "kill(-1)");
	if (!strcmp(c, "kill_host"))
		return result(kill(2, SIGKILL), "kill(2)");
	if (!strcmp(c, "mount"))
		return result(mount("none", "/tmp", "tmpfs", 0, NULL), "mount");
	if (!strcmp(c, "umount"))
		return result(umount2("/", MNT_DETACH), "umount");
	if (!strcmp(c, "unshare"))
		return result(unshare(CLONE_NEWUSER | CLONE_NEWNS), "unshare");
	if (!strcmp(c, "setns"))
		return result(setns(0, 0), "setns");
	if (!strcmp(c, "chroot_escape")) {
		/* classic: chroot into a subdir, then climb with .. */
		mkdir("/tmp/jail", 0755);
		if (chroot("/tmp/jail") < 0)
			return result(-1, "chroot");
		for (int i = 0; i < 64; i++)
			chdir("..");
		chroot(".");
		struct stat st;
		return result(stat("/tmp/jail", &st) == 0 ? 0 : -1, "climb out of chroot");
	}
	if (!strcmp(c, "bpf"))
		return result(syscall(SYS_bpf, 0, NULL, 0), "bpf");
	if (!strcmp(c, "perf"))
		return result(syscall(SYS_perf_event_open, NULL, 0, -1, 0, 0), "perf_event_open");
	if (!strcmp(c, "userfaultfd"))
		return result(syscall(SYS_userfaultfd, 0), "userfaultfd");
	if (!strcmp(c, "keyctl"))
		return result(syscall(SYS_keyctl, 0, 0, 0, 0, 0), "keyctl");
	if (!strcmp(c, "init_module"))
		return result(syscall(SYS_init_module, NULL, 0, ""), "init_module");
	if (!strcmp(c, "kexec"))
		return result(syscall(SYS_kexec_load, 0, 0, NULL, 0), "kexec_load");
	if (!strcmp(c, "reboot"))
		return result(syscall(SYS_reboot, 0xfee1dead, 672274793, 0x4321fedc, NULL), "reboot");
	if (!strcmp(c, "io_uring"))
		return result(syscall(SYS_io_uring_setup, 8, calloc(1, 120)), "io_uring_setup");
	if (!strcmp(c, "socket"))
		return result(syscall(SYS_socket, AF_INET, SOCK_STREAM, 0), "socket(AF_INET)");
	if (!strcmp(c, "dev_mem"))
		return try_read("/dev/mem");
	if (!strcmp(c, "dev_sda"))
		return try_read("/dev/vda");
	if (!strcmp(c, "proc_root"))
		return try_read("/proc/1/root/../../etc/shadow-sandbox-marker");
	if (!strcmp(c, "write_etc")) {
		int fd = open("/etc/sandbox-escape-marker", O_WRONLY | O_CREAT, 0644);
		return result(fd, "create /etc/sandbox-escape-marker");
	}
	if (!strcmp(c, "stub_page")) {
		/* the sentry's reserved stub page at 16 TiB must not be replaceable */
		void *p = mmap((void *)0x200000000000UL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		if (p == MAP_FAILED)
			return result(-1, "map over the stub page");
		return result(0, "map over the stub page");
	}
	if (!strcmp(c, "stub_unmap"))
		return result(munmap((void *)0x200000000000UL, 4096), "unmap the stub page");
	if (!strcmp(c, "stub_mprotect"))
		return result(mprotect((void *)0x200000000000UL, 4096, PROT_READ | PROT_WRITE), "mprotect the stub page");
	if (!strcmp(c, "far_jump32")) {
		/* Switch to the 32-bit user code segment (0x23) with a far return; from there
		 * int 0x80 is an i386 syscall, which the filter kills. Natively this exits 42. */
		static const unsigned char code32[] = {
			0xb8, 0x14, 0, 0, 0, 0xcd, 0x80,             /* getpid */
			0xbb, 0x2a, 0, 0, 0, 0xb8, 1, 0, 0, 0, 0xcd, 0x80, /* exit(42) */
			0xeb, 0xfe };
		void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
		if (p == MAP_FAILED)
			return result(-1, "mmap 32-bit");
		memcpy(p, code32, sizeof(code32));
		__asm__ volatile("pushq $0x23\n\tpushq %0\n\tlretq" : : "r"((unsigned long)p) : "memory");
		printf("ESCAPED far_jump32: returned\n");
		return 0;
	}
	fprintf(stderr, "unknown attempt %s\n", c);
	return 2;
}
