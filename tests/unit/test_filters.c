/*
 * The prebuilt seccomp filters (sentry/filters.h: the sentry's, the gofer's and both variants
 * of the stub's after its head): each is what libseccomp makes of its rules now, and decides every call as the plain linear program of the same rules does
 * (the prebuilt ones are binary trees). The decisions are compared with a small classic-BPF
 * interpreter over every syscall number of three architectures and the arguments the rules
 * look at. TAP output.
 */
#include <asm/prctl.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "platform/internal.h"
#include "platform/platform.h"
#include "sentry/filters.h"
#include "sentry/util.h"
#include "tests/unit/tap.h"

struct prog {
	struct sock_filter insns[BPF_MAXINSNS];
	int len;
};

/* libseccomp 2.5 exports BPF only to an fd: through a temporary file. */
static int
export(scmp_filter_ctx f, struct prog *p)
{
	FILE *tmp = tmpfile();
	long n;

	p->len = 0;
	if (!tmp || seccomp_export_bpf(f, fileno(tmp)) < 0 || fseek(tmp, 0, SEEK_END) < 0)
		return -1;
	n = ftell(tmp);
	rewind(tmp);
	if (n <= 0 || n % sizeof(struct sock_filter) || n > (long)sizeof(p->insns) ||
	    fread(p->insns, 1, n, tmp) != (size_t)n)
		return -1;
	fclose(tmp);
	p->len = (int)(n / sizeof(struct sock_filter));
	return 0;
}

/* The program of the rules as libseccomp makes it now; linear: without the tree. */
static int
build(scmp_filter_ctx (*ctx)(void), int (*rules)(scmp_filter_ctx), bool linear, struct prog *p)
{
	scmp_filter_ctx f = ctx();
	int err = f ? rules(f) : -1;

	if (!err && linear)
		err = seccomp_attr_set(f, SCMP_FLTATR_CTL_OPTIMIZE, 1);
	if (!err)
		err = export(f, p);
	if (f)
		seccomp_release(f);
	return err;
}

/* Runs a classic-BPF seccomp program on d. Unknown instructions, jumps out of the program
 * or loads outside seccomp_data give 0xdead (never a real action). */
#define BAD 0xdeadU
static unsigned
run(const struct sock_filter *f, int len, const struct seccomp_data *d)
{
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = { 0 };
	const unsigned char *data = (const unsigned char *)d;

	for (int pc = 0; pc >= 0 && pc < len; pc++) {
		const struct sock_filter *i = &f[pc];
		uint32_t src = BPF_SRC(i->code) == BPF_X ? x : i->k;

		switch (BPF_CLASS(i->code)) {
		case BPF_LD:
			if (i->code == (BPF_LD | BPF_W | BPF_ABS)) {
				if (i->k % 4 || i->k + 4 > sizeof(*d))
					return BAD;
				memcpy(&a, data + i->k, 4);
			} else if (i->code == (BPF_LD | BPF_IMM)) {
				a = i->k;
			} else if (i->code == (BPF_LD | BPF_MEM) && i->k < BPF_MEMWORDS) {
				a = mem[i->k];
			} else {
				return BAD;
			}
			break;
		case BPF_LDX:
			if (i->code == (BPF_LDX | BPF_IMM))
				x = i->k;
			else if (i->code == (BPF_LDX | BPF_MEM) && i->k < BPF_MEMWORDS)
				x = mem[i->k];
			else
				return BAD;
			break;
		case BPF_ST:
		case BPF_STX:
			if (i->k >= BPF_MEMWORDS)
				return BAD;
			mem[i->k] = BPF_CLASS(i->code) == BPF_ST ? a : x;
			break;
		case BPF_ALU:
			switch (BPF_OP(i->code)) {
			case BPF_ADD: a += src; break;
			case BPF_SUB: a -= src; break;
			case BPF_MUL: a *= src; break;
			case BPF_DIV: if (!src) return BAD; a /= src; break;
			case BPF_AND: a &= src; break;
			case BPF_OR: a |= src; break;
			case BPF_XOR: a ^= src; break;
			case BPF_LSH: a = src < 32 ? a << src : 0; break;
			case BPF_RSH: a = src < 32 ? a >> src : 0; break;
			case BPF_NEG: a = -a; break;
			default: return BAD;
			}
			break;
		case BPF_JMP:
			if (BPF_OP(i->code) == BPF_JA) {
				pc += i->k;
				break;
			}
			bool t;
			switch (BPF_OP(i->code)) {
			case BPF_JEQ: t = a == src; break;
			case BPF_JGT: t = a > src; break;
			case BPF_JGE: t = a >= src; break;
			case BPF_JSET: t = (a & src) != 0; break;
			default: return BAD;
			}
			pc += t ? i->jt : i->jf;
			break;
		case BPF_RET:
			return BPF_RVAL(i->code) == BPF_A ? a : i->k;
		case BPF_MISC:
			if (BPF_MISCOP(i->code) == BPF_TAX)
				x = a;
			else
				a = x;
			break;
		default:
			return BAD;
		}
	}
	return BAD;
}

/* Arguments the rules look at: fds, ioctl requests (with bits above 32 too), mmap prots;
 * the stub's: addresses and lengths around its page and the passthrough range, futex ops,
 * arch_prctl codes. */
static const uint64_t arg_values[] = {
	0, 1, 2, 3, 4, 5, 0x100000003ULL, 0xffffffffULL, ~0ULL, 0x80000000ULL, 0x7fffffffULL,
	0xfffffffaULL, 0x1fffffffaULL,
	TCGETS, TCSETS, TCSETSW, TCSETSF, TIOCGWINSZ, TIOCSWINSZ, TIOCGPGRP, TIOCSPGRP,
	FIONREAD, FIONBIO, TIOCSTI, TIOCSCTTY, (1ULL << 32) | TCGETS,
	PROT_READ, PROT_READ | PROT_WRITE, PROT_EXEC, PROT_READ | PROT_EXEC, 1ULL << 34,
	PLAT_STUB_DEFAULT - PLAT_PASS_LEN - 1, PLAT_STUB_DEFAULT - PLAT_PASS_LEN, PLAT_PASS_LEN,
	PLAT_PASS_LEN + 1, PLAT_STUB_DEFAULT, PLAT_STUB_DEFAULT + PLAT_STUB_SIZE - 1,
	PLAT_STUB_DEFAULT + PLAT_STUB_SIZE,
	FUTEX_WAIT | FUTEX_PRIVATE_FLAG, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, FUTEX_PRIVATE_FLAG,
	ARCH_SET_FS, ARCH_SET_GS, ARCH_GET_FS,
};

/* Number of inputs on which a and b decide differently (first one in *why). */
static long
compare(const struct sock_filter *a, int alen, const struct sock_filter *b, int blen,
	char *why, size_t n, long *cases)
{
	static const uint32_t arches[] = { AUDIT_ARCH_X86_64, AUDIT_ARCH_I386, 0x12345678 };
	long diff = 0;

	*cases = 0;
	for (size_t ai = 0; ai < ARRAY_SIZE(arches); ai++) {
		for (long nr = -2; nr < 600; nr++) {
			for (int x32 = 0; x32 < 2; x32++) {
				struct seccomp_data d = { .arch = arches[ai] };
				d.nr = (int)(nr | (x32 ? 0x40000000 : 0));
				d.instruction_pointer = 0x401000;
				/* every argument slot takes every value in turn, the others 0 */
				for (int slot = 0; slot < 6; slot++) {
					for (size_t v = 0; v < ARRAY_SIZE(arg_values); v++) {
						memset(d.args, 0, sizeof(d.args));
						d.args[slot] = arg_values[v];
						unsigned ra = run(a, alen, &d), rb = run(b, blen, &d);
						(*cases)++;
						if (ra != rb || ra == BAD) {
							if (!diff++)
								snprintf(why, n, "arch %#x nr %d arg%d %#llx: "
									 "%#x vs %#x", d.arch, d.nr, slot,
									 (unsigned long long)d.args[slot],
									 ra, rb);
						}
					}
				}
			}
		}
	}
	return diff;
}

static void
check(const char *name, const struct prebuilt_filter *pre, scmp_filter_ctx (*ctx)(void),
      int (*rules)(scmp_filter_ctx))
{
	static struct prog now, linear;
	char why[160] = "";
	long cases;

	int err = build(ctx, rules, false, &now);
	ok(!err && now.len == pre->len &&
	   !memcmp(now.insns, pre->insns, now.len * sizeof(struct sock_filter)),
	   "%s: the prebuilt filter is libseccomp's program of the rules (%d instructions)",
	   name, pre->len);
	err = build(ctx, rules, true, &linear);
	ok(!err && linear.len > 0, "%s: libseccomp makes the linear program too (%d instructions)",
	   name, linear.len);
	long diff = compare(pre->insns, pre->len, linear.insns, linear.len, why, sizeof(why),
			    &cases);
	ok(diff == 0, "%s: the prebuilt filter decides %ld calls as the linear one does%s%s",
	   name, cases, diff ? ": first difference " : "", why);
	/* and the comparison sees a change: the first ALLOW of the linear program kills */
	for (int i = 0; i < linear.len; i++) {
		if (linear.insns[i].code == (BPF_RET | BPF_K) &&
		    linear.insns[i].k == SECCOMP_RET_ALLOW) {
			linear.insns[i].k = SECCOMP_RET_KILL_PROCESS;
			break;
		}
	}
	ok(compare(pre->insns, pre->len, linear.insns, linear.len, why, sizeof(why), &cases) > 0,
	   "%s: a changed decision is found (%s)", name, why);
}

static unsigned
decide(const struct prebuilt_filter *p, int nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
	struct seccomp_data d = { .nr = nr, .arch = AUDIT_ARCH_X86_64,
				  .args = { a0, a1, a2 } };

	return run(p->insns, p->len, &d) & SECCOMP_RET_ACTION_FULL;
}

/* The whole stub filter as a run loads it: its head with the token, then the prebuilt part. */
static void
check_stub(bool notify)
{
	const struct prebuilt_filter *pre = notify ? &stub_notify_filter : &stub_filter;
	const unsigned long token = 0x1234567890abcdefUL, ip = PLAT_STUB_ADDR + 3;
	const char *name = notify ? "stub (notifying)" : "stub";
	struct sock_fprog f = { 0 };
	bool want = notify;

	int err = stub_filter_build(token, &want, &f);
	if (!err && want != notify) {
		for (int i = 0; i < 2; i++)
			ok(1, "# SKIP %s: this kernel has no user notifications", name);
		free(f.filter);
		return;
	}
	ok(!err && f.len > pre->len &&
	   !memcmp(f.filter + f.len - pre->len, pre->insns, pre->len * sizeof(*pre->insns)),
	   "%s: the loaded program is a head of %d instructions, then the prebuilt one", name,
	   err ? 0 : f.len - pre->len);
	struct seccomp_data mmap_ok = { .nr = __NR_mmap, .arch = AUDIT_ARCH_X86_64,
					.instruction_pointer = ip,
					.args = { 0, 4096, PROT_READ, MAP_PRIVATE,
						  (token & ~0xffffffffUL) | 5 } };
	struct seccomp_data mmap_bad = mmap_ok, munmap_ok = { .nr = __NR_munmap,
		.arch = AUDIT_ARCH_X86_64, .instruction_pointer = ip, .args = { 0, 4096, 0, 0, 0,
										  token } };
	struct seccomp_data munmap_guest = munmap_ok, rd = { .nr = __NR_read,
							   .arch = AUDIT_ARCH_X86_64 };
	struct seccomp_data madv = { .nr = __NR_madvise, .arch = AUDIT_ARCH_X86_64,
				     .args = { 0x1000, 0x1000, MADV_DONTNEED } };
	struct seccomp_data madv_fork = madv, i386 = { .nr = 3, .arch = AUDIT_ARCH_I386 };
	mmap_bad.args[4] ^= 1UL << 40;
	munmap_guest.instruction_pointer = 0x401000;
	madv_fork.args[2] = MADV_DONTFORK;
	/* the guest's munmap, brk and rt_sigaction with an action are checked and recorded by
	 * the sentry, then run by the host: notifications in the notifying variant */
	uint32_t trapped = notify ? SECCOMP_RET_USER_NOTIF : SECCOMP_RET_TRACE;
	struct seccomp_data sa_set = { .nr = __NR_rt_sigaction, .arch = AUDIT_ARCH_X86_64,
				       .args = { SIGINT, 0x7000, 0, 8 } };
	struct seccomp_data sa_query = sa_set, brk = { .nr = __NR_brk, .arch = AUDIT_ARCH_X86_64 };
	sa_query.args[1] = 0;
	ok(!err && run(f.filter, f.len, &mmap_ok) == SECCOMP_RET_ALLOW &&
	   run(f.filter, f.len, &mmap_bad) == SECCOMP_RET_TRACE &&
	   run(f.filter, f.len, &munmap_ok) == SECCOMP_RET_ALLOW &&
	   run(f.filter, f.len, &munmap_guest) == trapped &&
	   run(f.filter, f.len, &sa_set) == trapped &&
	   run(f.filter, f.len, &sa_query) == SECCOMP_RET_ALLOW &&
	   run(f.filter, f.len, &brk) == trapped &&
	   run(f.filter, f.len, &madv) == SECCOMP_RET_ALLOW &&
	   run(f.filter, f.len, &madv_fork) == SECCOMP_RET_TRACE &&
	   run(f.filter, f.len, &rd) == (notify ? SECCOMP_RET_USER_NOTIF : SECCOMP_RET_TRACE) &&
	   run(f.filter, f.len, &i386) == SECCOMP_RET_KILL_PROCESS,
	   "%s: injected calls with the token pass, without it or from elsewhere are traced; "
	   "madvise passes but DONTFORK; read, munmap, brk, rt_sigaction setting %s (querying "
	   "passes); i386 kills", name,
	   notify ? "notify" : "are traced");
	/* clocks: ids >= 0 (as an int) run natively, CPU clocks of a pid or tid are traced */
	struct seccomp_data clk = { .nr = __NR_clock_gettime, .arch = AUDIT_ARCH_X86_64,
				    .args = { CLOCK_MONOTONIC } };
	struct seccomp_data clk_cpu = clk, clk_high = clk, clk_sleep = clk, sleep_mono = clk;
	struct seccomp_data nsleep = { .nr = __NR_nanosleep, .arch = AUDIT_ARCH_X86_64 };
	clk_cpu.args[0] = (uint32_t)-14;
	clk_high.args[0] = 1ULL << 32 | CLOCK_MONOTONIC;
	clk_sleep.nr = __NR_clock_nanosleep;
	clk_sleep.args[0] = (uint64_t)(int64_t)-6;
	sleep_mono.nr = __NR_clock_nanosleep;
	ok(!err && run(f.filter, f.len, &clk) == SECCOMP_RET_ALLOW &&
	   run(f.filter, f.len, &clk_high) == SECCOMP_RET_ALLOW &&
	   run(f.filter, f.len, &clk_cpu) == SECCOMP_RET_TRACE &&
	   run(f.filter, f.len, &clk_sleep) == SECCOMP_RET_TRACE &&
	   run(f.filter, f.len, &sleep_mono) == trapped && run(f.filter, f.len, &nsleep) == trapped,
	   "%s: clock ids >= 0 pass, negative ones (CPU clocks) are traced, their sleeps too; "
	   "other sleeps %s", name, notify ? "notify" : "are traced");
	free(f.filter);
}

/* A stub page away from the default (a sandbox inside another): the program is made at
 * start for its address, the head and the rules' ranges both. */
static void
check_stub_moved(void)
{
	const unsigned long token = 0x1234567890abcdefUL, at = PLAT_STUB_DEFAULT - PLAT_STUB_STEP;
	struct sock_fprog f = { 0 };
	bool notify = false;

	plat_stub_addr = at;
	int err = stub_filter_build(token, &notify, &f);
	struct seccomp_data munmap_ok = { .nr = __NR_munmap, .arch = AUDIT_ARCH_X86_64,
					  .instruction_pointer = at + 3,
					  .args = { 0, 4096, 0, 0, 0, token } };
	struct seccomp_data munmap_old = munmap_ok, madv = { .nr = __NR_madvise,
		.arch = AUDIT_ARCH_X86_64, .args = { at, 4096, MADV_DONTNEED } };
	struct seccomp_data madv_above = madv, madv_low = madv, madv_near = madv;
	munmap_old.instruction_pointer = PLAT_STUB_DEFAULT + 3;
	madv_above.args[0] = at + PLAT_STUB_SIZE;
	madv_low.args[0] = at - PLAT_PASS_LEN - 4096;
	madv_near.args[0] = at - PLAT_PASS_LEN;
	ok(!err && run(f.filter, f.len, &munmap_ok) == SECCOMP_RET_ALLOW &&
	   run(f.filter, f.len, &munmap_old) == SECCOMP_RET_TRACE &&
	   run(f.filter, f.len, &madv) == SECCOMP_RET_TRACE &&
	   run(f.filter, f.len, &madv_near) == SECCOMP_RET_TRACE &&
	   run(f.filter, f.len, &madv_low) == SECCOMP_RET_ALLOW &&
	   run(f.filter, f.len, &madv_above) == SECCOMP_RET_ALLOW,
	   "stub page moved 2 TiB down: injected calls pass from there only, madvise near it "
	   "is traced, below its pass range and above it passes");
	free(f.filter);
	plat_stub_addr = PLAT_STUB_DEFAULT;
	/* numbers no ABI has go to the sentry (ENOSYS); x32's calls are killed */
	err = stub_filter_build(token, &notify, &f);
	struct seccomp_data big = { .nr = -2, .arch = AUDIT_ARCH_X86_64 }, x32 = big;
	x32.nr = 0x40000000 | __NR_getpid;
	ok(!err && run(f.filter, f.len, &big) == SECCOMP_RET_TRACE &&
	   run(f.filter, f.len, &x32) == SECCOMP_RET_KILL_PROCESS,
	   "stub: call number -2 traced (ENOSYS from the sentry), x32's getpid kills");
	free(f.filter);
}

int
main(void)
{
	printf("1..44\n");
	if (seccomp_api_get() < 5)
		seccomp_api_set(5); /* as tools/mkfilters does, for SCMP_ACT_NOTIFY */
	check("sentry", &sentry_filter, sentry_filter_ctx, sentry_filter_rules);
	check("gofer", &gofer_filter, gofer_filter_ctx, gofer_filter_rules);
	check("gofer (network)", &gofer_net_filter, gofer_filter_ctx, gofer_net_filter_rules);
	check("stub", &stub_filter, stub_filter_ctx, stub_filter_rules);
	check("stub (notifying)", &stub_notify_filter, stub_filter_ctx, stub_notify_filter_rules);
	check("stub (time namespace)", &stub_timens_filter, stub_stacked_filter_ctx,
	      stub_timens_filter_rules);
	check("stub (locked memory)", &stub_mlock_filter, stub_stacked_filter_ctx,
	      stub_mlock_filter_rules);
	check_stub(false);
	check_stub(true);
	check_stub_moved();

	/* A few decisions spelled out, so the interpreter itself is checked too. */
	ok(decide(&sentry_filter, SCMP_SYS(read), 0, 0, 0) == SECCOMP_RET_ALLOW &&
	   decide(&sentry_filter, SCMP_SYS(openat), 0, 0, 0) == SECCOMP_RET_TRACE &&
	   decide(&sentry_filter, SCMP_SYS(execve), 0, 0, 0) == SECCOMP_RET_TRACE,
	   "sentry: read allowed, openat and execve refused (TRACE)");
	ok(decide(&sentry_filter, SCMP_SYS(ioctl), 0, TCGETS, 0) == SECCOMP_RET_ALLOW &&
	   decide(&sentry_filter, SCMP_SYS(ioctl), 0, TIOCSTI, 0) == SECCOMP_RET_TRACE &&
	   decide(&sentry_filter, SCMP_SYS(ioctl), 0, (1ULL << 32) | TCGETS, 0) ==
		   SECCOMP_RET_TRACE,
	   "sentry: ioctl TCGETS allowed, TIOCSTI and TCGETS with high bits refused");
	struct seccomp_data i386 = { .nr = 3, .arch = AUDIT_ARCH_I386 };
	ok(run(sentry_filter.insns, sentry_filter.len, &i386) == SECCOMP_RET_KILL_PROCESS,
	   "sentry: a foreign architecture kills the process");
	ok(decide(&gofer_filter, SCMP_SYS(recvmsg), GOFER_SOCK_FD, 0, 0) == SECCOMP_RET_ALLOW &&
	   decide(&gofer_filter, SCMP_SYS(recvmsg), GOFER_SOCK_FD + 1, 0, 0) ==
		   SECCOMP_RET_KILL_PROCESS &&
	   decide(&gofer_filter, SCMP_SYS(write), STDERR_FILENO, 0, 0) == SECCOMP_RET_ALLOW &&
	   decide(&gofer_filter, SCMP_SYS(write), STDOUT_FILENO, 0, 0) ==
		   SECCOMP_RET_KILL_PROCESS,
	   "gofer: recvmsg only on its socket, write only to stderr");
	ok(decide(&gofer_filter, SCMP_SYS(mmap), 0, 4096, PROT_READ) == SECCOMP_RET_ALLOW &&
	   decide(&gofer_filter, SCMP_SYS(mmap), 0, 4096, PROT_READ | PROT_EXEC) ==
		   SECCOMP_RET_KILL_PROCESS &&
	   decide(&gofer_filter, SCMP_SYS(execve), 0, 0, 0) == SECCOMP_RET_KILL_PROCESS &&
	   decide(&gofer_filter, SCMP_SYS(openat), 0, 0, 0) == SECCOMP_RET_KILL_PROCESS,
	   "gofer: no executable mappings, no execve, no openat (only openat2)");
	ok(decide(&gofer_filter, SCMP_SYS(socket), AF_INET, SOCK_STREAM, 0) ==
		   SECCOMP_RET_KILL_PROCESS &&
	   decide(&gofer_filter, SCMP_SYS(connect), 0, 0, 0) == SECCOMP_RET_KILL_PROCESS &&
	   decide(&gofer_net_filter, SCMP_SYS(socket), AF_INET, SOCK_STREAM, 0) ==
		   SECCOMP_RET_ALLOW &&
	   decide(&gofer_net_filter, SCMP_SYS(socket), AF_INET6, SOCK_DGRAM, 0) ==
		   SECCOMP_RET_ALLOW &&
	   decide(&gofer_net_filter, SCMP_SYS(socket), AF_UNIX, SOCK_STREAM, 0) ==
		   SECCOMP_RET_KILL_PROCESS &&
	   decide(&gofer_net_filter, SCMP_SYS(socket), AF_NETLINK, SOCK_RAW, 0) ==
		   SECCOMP_RET_KILL_PROCESS,
	   "gofer: no sockets in mode none; with a network mode inet ones only");
	ok(decide(&gofer_filter, SCMP_SYS(accept4), 3, 0, 0) == SECCOMP_RET_KILL_PROCESS &&
	   decide(&gofer_filter, SCMP_SYS(fcntl), 3, F_GETFL, 0) == SECCOMP_RET_ALLOW &&
	   decide(&gofer_filter, SCMP_SYS(fcntl), 3, F_SETFL, O_NONBLOCK) == SECCOMP_RET_ALLOW &&
	   decide(&gofer_filter, SCMP_SYS(fcntl), 3, F_DUPFD, 0) == SECCOMP_RET_KILL_PROCESS &&
	   decide(&gofer_filter, SCMP_SYS(getsockopt), 3, SOL_SOCKET, SO_PEERCRED) ==
		   SECCOMP_RET_ALLOW &&
	   decide(&gofer_filter, SCMP_SYS(getsockopt), 3, SOL_SOCKET, SO_ERROR) ==
		   SECCOMP_RET_KILL_PROCESS,
	   "gofer: accept4 only non-blocking (NET_ACCEPT), fcntl only F_GETFL/F_SETFL, "
	   "getsockopt only SO_PEERCRED");
	ok(decide(&stub_mlock_filter, SCMP_SYS(madvise), 0, 4096, MADV_DONTNEED) ==
		   SECCOMP_RET_TRACE &&
	   decide(&stub_mlock_filter, SCMP_SYS(madvise), 0, 4096, (1ULL << 32) | MADV_FREE) ==
		   SECCOMP_RET_TRACE &&
	   decide(&stub_mlock_filter, SCMP_SYS(madvise), 0, 4096, MADV_WILLNEED) ==
		   SECCOMP_RET_ALLOW &&
	   decide(&stub_mlock_filter, SCMP_SYS(mmap), 0, 4096, MADV_DONTNEED) == SECCOMP_RET_ALLOW,
	   "stub (locked memory): the advice locks refuse is traced (the low 32 bits), the rest allowed");
	return nfail ? 1 : 0;
}
