/*
 * Escape attempts, one per subcommand. Each prints "BLOCKED <how>" or "ESCAPED <what>".
 * Run inside the sandbox by tests/security/escapes.sh; built static, no sanitizers.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <setjmp.h>
#include <ucontext.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/ipc.h>
#include <sys/un.h>
#include <time.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "platform/platform.h" /* PLAT_STUB_DEFAULT: where the stub page is */

/* The stub page attacked: the default's, or ESCAPE_STUB's (hex: a sandbox inside another
 * keeps its own elsewhere, tests/security/nested.sh) */
static unsigned long stub_addr = PLAT_STUB_DEFAULT;
#include <sys/uio.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <stddef.h>
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

/* Runs a syscall from the sandbox's stub page (its syscall instruction at +1, an int3 after
 * it): the SIGTRAP handler takes the result and jumps back. */
static sigjmp_buf stub_jb;
static long stub_rax;

static void
stub_trap(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)si;
	stub_rax = ((ucontext_t *)uc)->uc_mcontext.gregs[REG_RAX];
	siglongjmp(stub_jb, 1);
}

static long
stub_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	struct sigaction sa = { .sa_sigaction = stub_trap, .sa_flags = SA_SIGINFO };

	sigaction(SIGTRAP, &sa, NULL);
	if (sigsetjmp(stub_jb, 1) == 0) {
		register long r10 __asm__("r10") = a3;
		register long r8 __asm__("r8") = a4;
		register long r9 __asm__("r9") = a5;
		__asm__ volatile("call *%%rcx"
				 : "+a"(nr)
				 : "c"(stub_addr + 1), "D"(a0), "S"(a1), "d"(a2), "r"(r10), "r"(r8),
				   "r"(r9)
				 : "memory", "r11");
		return -1; /* not reached: the int3 after the syscall traps */
	}
	return stub_rax;
}

/* Runs one call through the stub page's batch loop (at +4: records at rbx, count in r12,
 * the token from r13, or r14 for mmap's fd); the int3 at its end traps. The record's
 * result, or -1 if it did not run. */
static long
stub_batch(long nr, long a0, long a1, long a2, long a3, long a4, long a5, unsigned long g)
{
	static long rec[8];
	struct sigaction sa = { .sa_sigaction = stub_trap, .sa_flags = SA_SIGINFO };

	rec[0] = nr, rec[1] = a0, rec[2] = a1, rec[3] = a2, rec[4] = a3, rec[5] = a4;
	rec[6] = a5, rec[7] = -1;
	sigaction(SIGTRAP, &sa, NULL);
	if (sigsetjmp(stub_jb, 1) == 0) {
		register long r12 __asm__("r12") = 1;
		register long r13 __asm__("r13") = (long)g;
		register long r14 __asm__("r14") = (long)(g & ~0xffffffffUL);
		__asm__ volatile("push %%rbx; mov %0, %%rbx; call *%%rcx; pop %%rbx"
				 : : "r"(rec), "c"(stub_addr + 4), "r"(r12), "r"(r13), "r"(r14)
				 : "memory", "rax", "rdi", "rsi", "rdx", "r8", "r9", "r10", "r11");
		return -1;
	}
	return rec[7];
}

/* Is [addr, addr+4096) in the sentry's /proc/self/maps? */
static int
in_maps(unsigned long addr)
{
	char line[256];
	FILE *f = fopen("/proc/self/maps", "r");
	int found = 0;

	while (f && fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 && lo <= addr && addr < hi)
			found = 1;
	}
	if (f)
		fclose(f);
	return found;
}

int
main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "";
	if (getenv("ESCAPE_STUB"))
		stub_addr = strtoul(getenv("ESCAPE_STUB"), NULL, 16);
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
		/* guests may read each other's memory (as on Linux); any other pid is unknown:
		 * try them all (this program is the sandbox's only process) */
		char buf[8];
		struct iovec l = { buf, 8 }, r = { (void *)0x400000, 8 };
		for (pid_t p = 2; p < 70000; p++) {
			long n = process_vm_readv(p, &l, 1, &r, 1, 0);
			if (n >= 0 || errno != ESRCH)
				return result(n >= 0 ? n : 0, "process_vm_readv of another pid");
		}
		return result(process_vm_readv(getppid() ? getppid() : 99999, &l, 1, &r, 1, 0),
			      "process_vm_readv");
	}
	if (!strcmp(c, "kill_all"))
		return result(kill(-1, SIGKILL), "kill(-1)");
	if (!strcmp(c, "kill_host"))
		return result(kill(2, SIGKILL), "kill(2)");
	if (!strcmp(c, "mount")) /* a host filesystem (in-memory ones stay in the sandbox) */
		return result(mount("/dev/sda", "/tmp", "ext4", 0, NULL), "mount");
	if (!strcmp(c, "umount"))
		return result(umount2("/", MNT_DETACH), "umount");
	if (!strcmp(c, "unshare")) {
		/* every kind of namespace is the sentry's own (see clone_newuser;
		 * pid_namespaces.sh and netns.sh check from outside that the host's stay
		 * untouched): made, then the cgroup v1 release_agent escape (CVE-2022-0492) from
		 * them, a v1 hierarchy mounted as the new namespaces' owner */
		if (unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWTIME) < 0)
			return result(-1, "unshare");
		mkdir("/tmp/cgv1", 0755);
		return result(mount("cgroup", "/tmp/cgv1", "cgroup", 0, "rdma"), "mount cgroup v1");
	}
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
	if (!strcmp(c, "keyctl")) {
		/* the host's keyrings stay out of reach: escapes.sh put a key
		 * "sandbox-host-key" in the host's user keyring; no lookup may find it */
		long r = syscall(SYS_request_key, "user", "sandbox-host-key", NULL, 0);
		if (r >= 0)
			return result(r, "keyctl: request_key found the host's key");
		r = syscall(SYS_keyctl, 10 /* KEYCTL_SEARCH */, -4, "user", "sandbox-host-key", 0);
		if (r >= 0)
			return result(r, "keyctl: the host's key is in the user keyring");
		char buf[65536];
		int fd = open("/proc/keys", O_RDONLY);
		long n = fd < 0 ? 0 : read(fd, buf, sizeof(buf) - 1);
		buf[n > 0 ? n : 0] = 0;
		if (strstr(buf, "sandbox-host-key"))
			return result(1, "keyctl: /proc/keys shows the host's key");
		errno = ENOKEY;
		return result(-1, "keyctl (no host key visible)");
	}
	if (!strcmp(c, "init_module"))
		return result(syscall(SYS_init_module, NULL, 0, ""), "init_module");
	if (!strcmp(c, "kexec"))
		return result(syscall(SYS_kexec_load, 0, 0, NULL, 0), "kexec_load");
	if (!strcmp(c, "reboot"))
		return result(syscall(SYS_reboot, 0xfee1dead, 672274793, 0x4321fedc, NULL), "reboot");
	if (!strcmp(c, "io_uring"))
		return result(syscall(SYS_io_uring_setup, 8, calloc(1, 120)), "io_uring_setup");
	if (!strcmp(c, "socket")) {
		/* TCP exists on loopback inside the sentry only: nothing off it is reachable */
		struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(80) };
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		sin.sin_addr.s_addr = htonl(0x01010101); /* 1.1.1.1 */
		if (fd < 0)
			return result(-1, "socket(AF_INET)");
		return result(connect(fd, (struct sockaddr *)&sin, sizeof(sin)),
			      "connect(AF_INET) off loopback");
	}
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
	if (!strcmp(c, "stub_syscall")) {
		/* Memory calls from the stub's own syscall instruction skip the sentry only with
		 * the run's secret token: guessed tokens must still reach the sentry, which then
		 * records the mapping (it shows in its /proc/self/maps) or its removal. */
		unsigned long guesses[] = { 0, 0xffffffff00000000UL, 0x5a5a5a5a5a5a5a5aUL };
		for (unsigned i = 0; i < sizeof(guesses) / sizeof(guesses[0]); i++) {
			long g = (long)guesses[i];
			long a = stub_syscall(SYS_mmap, 0, 4096, PROT_READ | PROT_WRITE,
					      MAP_PRIVATE | MAP_ANONYMOUS, (long)(0xffffffffUL | (g & ~0xffffffffUL)), 0);
			if (a < 0 && a > -4096) {
				printf("BLOCKED stub mmap refused: %ld\n", a);
				return 0;
			}
			if (!in_maps(a)) {
				printf("ESCAPED stub mmap unseen by the sentry (guess %u)\n", i);
				return 0;
			}
			long r = stub_syscall(SYS_munmap, a, 4096, 0, 0, 0, g);
			if (r != 0 || in_maps(a)) {
				printf("ESCAPED stub munmap unseen by the sentry (guess %u): %ld\n", i, r);
				return 0;
			}
		}
		/* the stub holds a pidfd of the sentry: with pidfd_getfd it could take any of
		 * the sentry's fds; with a guessed token the call must be the sentry's to refuse */
		for (unsigned i = 0; i < sizeof(guesses) / sizeof(guesses[0]); i++)
			for (long pfd = 0; pfd < 16; pfd++)
				for (long fd = 0; fd < 16; fd++) {
					long r = stub_syscall(SYS_pidfd_getfd, pfd, fd, 0, 0, 0, (long)guesses[i]);
					if (r >= 0) {
						printf("ESCAPED pidfd_getfd(%ld, %ld) from the stub page: %ld\n", pfd, fd, r);
						return 0;
					}
				}
		printf("BLOCKED stub syscalls with guessed tokens went to the sentry\n");
		return 0;
	}
	if (!strcmp(c, "stub_batch")) {
		/* the same through the batch loop's syscall instruction */
		unsigned long guesses[] = { 0, 0xffffffff00000000UL, 0x5a5a5a5a5a5a5a5aUL };
		for (unsigned i = 0; i < sizeof(guesses) / sizeof(guesses[0]); i++) {
			unsigned long g = guesses[i];
			long a = stub_batch(SYS_mmap, 0, 4096, PROT_READ | PROT_WRITE,
					    MAP_PRIVATE | MAP_ANONYMOUS, 0xffffffffL, 0, g);
			if (a < 0 && a > -4096) {
				printf("BLOCKED stub batch mmap refused: %ld\n", a);
				return 0;
			}
			if (!in_maps(a)) {
				printf("ESCAPED batch mmap unseen by the sentry (guess %u)\n", i);
				return 0;
			}
			long r = stub_batch(SYS_munmap, a, 4096, 0, 0, 0, 0, g);
			if (r != 0 || in_maps(a)) {
				printf("ESCAPED batch munmap unseen by the sentry (guess %u): %ld\n", i, r);
				return 0;
			}
			for (long pfd = 0; pfd < 16; pfd++)
				for (long fd = 0; fd < 16; fd++) {
					r = stub_batch(SYS_pidfd_getfd, pfd, fd, 0, 0, 0, 0, g);
					if (r >= 0) {
						printf("ESCAPED batch pidfd_getfd(%ld, %ld): %ld\n", pfd, fd, r);
						return 0;
					}
				}
		}
		printf("BLOCKED batch calls with guessed tokens went to the sentry\n");
		return 0;
	}
	if (!strcmp(c, "stub_page")) {
		/* the sentry's reserved stub page at 16 TiB must not be replaceable */
		void *p = mmap((void *)stub_addr, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		if (p == MAP_FAILED)
			return result(-1, "map over the stub page");
		return result(0, "map over the stub page");
	}
	if (!strcmp(c, "stub_unmap"))
		return result(munmap((void *)stub_addr, 4096), "unmap the stub page");
	if (!strcmp(c, "stub_mprotect"))
		return result(mprotect((void *)stub_addr, 4096, PROT_READ | PROT_WRITE), "mprotect the stub page");
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
	if (!strcmp(c, "open_by_handle")) {
		/* "shocker": a handle forged as the host's filesystems encode them (ext4's
		 * FILEID_INO32_GEN: inode 2, the root of a host filesystem, generation 0),
		 * decoded against a mount fd, would reach past the sandbox's view. The sentry
		 * decodes only its own handles, among what its VFS holds. */
		struct { unsigned int bytes; int type; unsigned int h[32]; } fh = {
			.bytes = 8, .type = 1, .h = { 2, 0 } };
		int fd = open("/", O_RDONLY | O_DIRECTORY);
		return result(syscall(SYS_open_by_handle_at, fd, &fh, O_RDONLY), "open_by_handle_at");
	}
	if (!strcmp(c, "modify_ldt")) {
		/* a 32-bit code segment of our own in the LDT, then far jumps into it */
		struct { unsigned int entry, base, limit, flags; } d = { 0, 0, 0xfffff, 0x51 };
		return result(syscall(SYS_modify_ldt, 1, &d, sizeof(d)), "modify_ldt");
	}
	if (!strcmp(c, "iopl"))
		return result(syscall(SYS_iopl, 3), "iopl(3)");
	if (!strcmp(c, "ioperm"))
		return result(syscall(SYS_ioperm, 0x60, 8, 1), "ioperm(keyboard ports)");
	if (!strcmp(c, "settime")) {
		struct timespec ts = { 1, 0 };
		return result(clock_settime(CLOCK_REALTIME, &ts), "clock_settime");
	}
	if (!strcmp(c, "syslog")) {
		/* the sandbox has its own kernel log; the host's must not show */
		static char buf[1 << 17];
		long n = syscall(SYS_syslog, 3, buf, sizeof(buf) - 1);
		if (n >= 0 && (buf[n] = 0, strstr(buf, "(sandbox sentry)"))) {
			printf("BLOCKED syslog read (dmesg): the sandbox's own log\n");
			return 0;
		}
		return result(n, "syslog read (dmesg)");
	}
	if (!strcmp(c, "swapon"))
		return result(syscall(SYS_swapon, "/tmp/swap", 0), "swapon");
	if (!strcmp(c, "pivot_root")) {
		mkdir("/tmp/new", 0755);
		mkdir("/tmp/new/old", 0755);
		return result(syscall(SYS_pivot_root, "/tmp/new", "/tmp/new/old"), "pivot_root");
	}
	if (!strcmp(c, "fsopen")) /* a host filesystem (in-memory ones stay in the sandbox) */
		return result(syscall(SYS_fsopen, "ext4", 0), "fsopen (new mount API) of ext4");
	if (!strcmp(c, "open_tree"))
		return result(syscall(SYS_open_tree, AT_FDCWD, "/", 1 /* OPEN_TREE_CLONE */), "open_tree");
	if (!strcmp(c, "fanotify"))
		return result(syscall(SYS_fanotify_init, 0, O_RDONLY), "fanotify_init");
	if (!strcmp(c, "add_key")) {
		/* keys live in the sentry: escapes.sh checks the host does not see these */
		long r = syscall(SYS_add_key, "user", "sandbox-guest-key", "v", 1, -4 /* user */);
		long s = syscall(SYS_add_key, "user", "sandbox-guest-key", "v", 1, -3 /* session */);
		if (r < 0 || s < 0)
			return result(-1, "add_key (refused)");
		errno = 0;
		printf("BLOCKED add_key: kept in the sandbox\n");
		return 0;
	}
	/* kcmp is the sentry's, over the guest's own tasks: a pid the guest has not (one of
	 * the host's, as the sandbox was started from it) must be unknown to it */
	if (!strcmp(c, "kcmp")) {
		long host_pid = getenv("ESCAPE_HOST_PID") ? atol(getenv("ESCAPE_HOST_PID")) : 4194303;
		return result(syscall(SYS_kcmp, getpid(), host_pid, 1 /* KCMP_VM */, 0, 0),
			      "kcmp with a host pid");
	}
	if (!strcmp(c, "ptrace_traceme"))
		return result(ptrace(PTRACE_TRACEME, 0, 0, 0), "ptrace(TRACEME)");
	if (!strcmp(c, "mknod_blockdev")) {
		/* a block device node of our own for the host's first disk, then read it */
		unlink("/tmp/disk");
		if (mknod("/tmp/disk", S_IFBLK | 0600, makedev(8, 0)) < 0 &&
		    mknod("/tmp/disk", S_IFBLK | 0600, makedev(253, 0)) < 0)
			return result(-1, "mknod block device");
		return try_read("/tmp/disk");
	}
	if (!strcmp(c, "core_pattern")) {
		/* may succeed inside (the sandbox's own core_pattern, which never runs a pipe's
		 * program); then a crash. The script checks the host's pattern and that the
		 * program did not run. */
		static const char pipe[] = "|/bin/touch /tmp/sandbox-core-escape";
		int fd = open("/proc/sys/kernel/core_pattern", O_WRONLY);
		long r = fd < 0 ? -1 : write(fd, pipe, sizeof(pipe) - 1);
		struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
		setrlimit(RLIMIT_CORE, &rl);
		pid_t p = fork();
		if (p == 0) {
			raise(SIGSEGV);
			_exit(0);
		}
		waitpid(p, NULL, 0);
		printf("BLOCKED core_pattern: %s inside; the script checks the host's pattern and "
		       "that no program ran\n", r < 0 ? strerrorname_np(errno) : "written");
		return 0;
	}
	if (!strcmp(c, "uevent_helper")) {
		int fd = open("/sys/kernel/uevent_helper", O_WRONLY);
		if (fd < 0)
			return result(-1, "open uevent_helper for writing");
		return result(write(fd, "/tmp/x", 6), "write uevent_helper");
	}
	if (!strcmp(c, "clone_newuser")) {
		struct { unsigned long flags, pidfd, child_tid, parent_tid, exit_signal, stack,
			 stack_size, tls; } ca = { .flags = CLONE_NEWUSER | CLONE_NEWNS, .exit_signal = SIGCHLD };
		/* the child gets every capability in its new user namespace (the sentry's), with
		 * all ids mapped: still no power over what the sandbox set up. It tries to lift
		 * the read-only flag of the sandbox's /sys and to unmount its /proc (locked). */
		int p[2];
		pipe(p);
		long r = syscall(SYS_clone3, &ca, sizeof(ca));
		if (r == 0) {
			int fd = open("/proc/self/uid_map", O_WRONLY);
			(void)!write(fd, "0 0 4294967295", 14);
			close(fd);
			char res[2] = { mount(NULL, "/sys", NULL, MS_REMOUNT | MS_BIND, NULL) == 0,
					umount2("/proc", MNT_DETACH) == 0 };
			(void)!write(p[1], res, 2);
			_exit(0);
		}
		if (r < 0)
			return result(r, "clone3(CLONE_NEWUSER|CLONE_NEWNS)");
		char res[2] = { 1, 1 };
		(void)!read(p[0], res, 2);
		waitpid((pid_t)r, NULL, 0);
		if (res[0] || res[1]) {
			printf("ESCAPED clone_newuser: %s\n", res[0] ? "remounted /sys read-write"
								 : "unmounted the sandbox's /proc");
			return 0;
		}
		printf("BLOCKED clone_newuser: the sandbox's mounts stay locked in a new user namespace\n");
		return 0;
	}
	if (!strcmp(c, "unix_abstract") && argc > 2) {
		/* connect to a unix socket a host process listens on (abstract name argv[2]) */
		struct sockaddr_un a = { .sun_family = AF_UNIX };
		size_t n = strlen(argv[2]);
		if (n > sizeof(a.sun_path) - 1)
			n = sizeof(a.sun_path) - 1;
		memcpy(a.sun_path + 1, argv[2], n);
		int fd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (fd < 0)
			return result(-1, "socket(AF_UNIX)");
		return result(connect(fd, (struct sockaddr *)&a, offsetof(struct sockaddr_un, sun_path) + 1 + n),
			      "connect to a host abstract socket");
	}
	if (!strcmp(c, "inherited_fd")) {
		/* the caller had fd 3 open on a host file: it must not be reachable inside */
		return result(write(3, "escaped\n", 8), "write to inherited fd 3");
	}
	if (!strcmp(c, "namespaces")) {
		/* new UTS, IPC and mount namespaces are the sentry's: all of this may succeed
		 * inside; escapes.sh checks that the host's name, mounts and IPC objects did not
		 * change (key 0x5e5c4e53, a tmpfs named sandbox-escape-ns) */
		long r = unshare(CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNS);
		sethostname("sandbox-escape", 14);
		mount(NULL, "/", NULL, MS_REC | MS_SHARED, NULL);
		mkdir("/tmp/nsmnt", 0755);
		mount("sandbox-escape-ns", "/tmp/nsmnt", "tmpfs", 0, NULL);
		mount("sandbox-escape-ns", "/mnt", "tmpfs", 0, NULL);
		syscall(SYS_msgget, 0x5e5c4e53, IPC_CREAT | 0600);
		syscall(SYS_shmget, 0x5e5c4e53, 4096, IPC_CREAT | 0600);
		int fd = open("/proc/1/ns/mnt", O_RDONLY);
		long s = setns(fd, CLONE_NEWNS);
		syscall(SYS_msgget, 0x5e5c4e54, IPC_CREAT | 0600);
		printf("BLOCKED namespaces: unshare %s, setns %s inside; the script checks the host\n",
		       r < 0 ? strerrorname_np(errno) : "allowed", s < 0 ? "refused" : "allowed");
		return 0;
	}
	if (!strcmp(c, "sethostname")) {
		/* may succeed inside (its own UTS namespace); the script checks the host's name */
		long r = sethostname("sandbox-escape", 14);
		printf("BLOCKED sethostname: %s inside; the script checks the host's name\n",
		       r < 0 ? strerrorname_np(errno) : "allowed");
		return 0;
	}
	fprintf(stderr, "unknown attempt %s\n", c);
	return 2;
}
