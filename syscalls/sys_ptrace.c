/*
 * ptrace(2) requests of guest tracers over guest tracees (Linux kernel/ptrace.c,
 * arch/x86/kernel/ptrace.c). The stops and their reports are sentry/ptrace.c. The guest
 * reaches only guest tasks: pids are virtual, and nothing here touches a host process other
 * than the tracee's own stub (its registers, its memory through the usual copy helpers).
 */
#include <elf.h>
#include <limits.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>

#include "fs/vfs.h"
#include "platform/platform.h"
#include "sentry/ns.h"
#include "sentry/ptrace.h"
#include "sentry/ns.h"
#include "syscalls/internal.h"

#ifndef NT_X86_XSTATE
#define NT_X86_XSTATE 0x202
#endif
/* PTRACE_O_* the sentry implements (Linux PTRACE_O_MASK but SUSPEND_SECCOMP). */
#define PT_O_ALL 0x003000ffUL
#define PT_O_SUSPEND_SECCOMP (1UL << 21)
/* PTRACE_GET_SYSCALL_INFO's ops and its struct (linux/ptrace.h, by layout). */
#define PT_SYSCALL_INFO_NONE 0
#define PT_SYSCALL_INFO_ENTRY 1
#define PT_SYSCALL_INFO_EXIT 2
#define PT_SYSCALL_INFO_SECCOMP 3
struct pt_syscall_info {
	uint8_t op;
	uint8_t pad[3];
	uint32_t arch;
	uint64_t instruction_pointer;
	uint64_t stack_pointer;
	union {
		struct {
			uint64_t nr;
			uint64_t args[6];
		} entry;
		struct {
			int64_t rval;
			uint8_t is_error;
		} exit;
		struct {
			uint64_t nr;
			uint64_t args[6];
			uint32_t ret_data;
		} seccomp;
	};
};
#define AUDIT_ARCH_X86_64_ 0xc000003eU

static struct ptrace_state *
new_link(struct task *c, struct task *tracer)
{
	c->pt = xcalloc(1, sizeof(*c->pt));
	c->pt->tracer = tracer;
	return c->pt;
}

static long
traceme(struct task *t)
{
	struct task *parent = t->ppid ? task_lookup(t->ppid) : NULL;

	if (t->pt || !parent || parent->state == TASK_ZOMBIE)
		return -EPERM;
	/* Landlock (Linux security_ptrace_traceme): the parent's domain must be ours or one
	 * ours was stacked on */
	if (!landlock_ptrace_ok(parent->landlock, t->landlock))
		return -EPERM;
	if (!parent->ctx) {
		/* its leader's thread is gone, the group lives on: another thread traces */
		struct task *p, *tmp;
		HASH_ITER(hh, sentry.tasks, p, tmp)
			if (p->tgid == parent->tgid && p->ctx)
				parent = p;
		if (!parent->ctx)
			return -EPERM;
	}
	new_link(t, parent);
	return 0;
}

static long
attach(struct task *t, int pid, bool seize, unsigned long addr, unsigned long flags)
{
	struct task *c = pid > 0 ? task_lookup_vnr(t, pid) : NULL;

	if (seize) {
		if (addr)
			return -EIO;
		if (flags & PT_O_SUSPEND_SECCOMP)
			return -EPERM; /* the sandbox's seccomp filters stay */
		if (flags & ~PT_O_ALL)
			return -EIO;
	}
	if (!c)
		return -ESRCH;
	if (c->tgid == t->tgid || c->state == TASK_ZOMBIE || !c->ctx || !task_ptrace_may_access(t, c, false))
		return -EPERM;
	if (c->pt)
		return -EPERM;
	struct ptrace_state *pt = new_link(c, t);
	if (seize) {
		pt->seized = true;
		pt->options = flags;
	}
	if (c->stopped && c->leader->group_stopped) {
		/* already in a group stop: it re-traps at once into one its tracer sees (Linux
		 * JOBCTL_TRAP_STOP; a seized one's is PTRACE_EVENT_STOP); ATTACH's SIGSTOP would
		 * change nothing */
		ptrace_group_stop(c, c->leader->stop_sig ? c->leader->stop_sig : SIGSTOP);
		return 0;
	}
	if (seize)
		return 0;
	/* Linux: send_sig_info(SIGSTOP, SEND_SIG_PRIV, task) */
	siginfo_t si;
	sig_info_kernel(&si, SIGSTOP);
	task_send_signal(c, SIGSTOP, &si, false);
	return 0;
}

/* Lets the tracee go on (PTRACE_CONT and friends): the loop does it (ptrace_run). */
static long
resume(struct task *c, long req, unsigned long data)
{
	struct ptrace_state *pt = c->pt;

	if (data > 64)
		return -EIO;
	pt->sysemu = req == PTRACE_SYSEMU || req == PTRACE_SYSEMU_SINGLESTEP;
	pt->syscall_trace = req == PTRACE_SYSCALL || pt->sysemu;
	pt->step = req == PTRACE_SINGLESTEP || req == PTRACE_SYSEMU_SINGLESTEP;
	pt->resume_sig = (int)data;
	pt->detached = req == PTRACE_DETACH;
	pt->resumed = true;
	pt->listening = false;
	task_wake(c);
	return 0;
}

/* The kernel's struct user (x86-64): glibc's lacks error_code and fault_address. */
#define PT_USER_SIZE 928
/* struct user: the registers, the debug registers (the stub thread's own, which the host
 * arms), and what PEEKUSER reads as 0. */
static long
peekuser(struct task *t, struct task *c, unsigned long addr, unsigned long data)
{
	unsigned long v = 0;

	if ((addr & 7) || addr >= PT_USER_SIZE)
		return -EIO;
	size_t dr = offsetof(struct user, u_debugreg);
	if (addr < sizeof(struct user_regs_struct)) {
		memcpy(&v, (char *)&c->pt->regs + addr, 8);
	} else if (addr >= dr && addr < dr + 8 * 8) {
		/* DR6 as the hardware left it at a hit; the rest as written */
		unsigned n = (unsigned)(addr - dr) / 8;
		v = c->pt->debugreg[n];
		if (n == 6 && c->ctx && plat_debugreg(c->ctx, 6, false, &v))
			v = c->pt->debugreg[n];
	}
	return copy_to_guest(t, data, &v, 8) ? -EFAULT : 0;
}

static long
pokeuser(struct task *c, unsigned long addr, unsigned long data)
{
	if ((addr & 7) || addr >= PT_USER_SIZE)
		return -EIO;
	if (addr < sizeof(struct user_regs_struct)) {
		struct user_regs_struct r = c->pt->regs;
		memcpy((char *)&r + addr, &data, 8);
		return ptrace_set_regs(c, &r);
	}
	size_t dr = offsetof(struct user, u_debugreg);
	if (addr < dr || addr >= dr + 8 * 8)
		return -EIO;
	/* Linux ptrace_set_debugreg, which the host runs on the stub thread: DR0-3 hold user
	 * addresses (not the sandbox's reserved stub region), there is no DR4 or DR5, DR7
	 * arms them (a hit is a SIGTRAP stop for the tracer, DR6 says which). */
	unsigned n = (unsigned)(addr - dr) / 8;
	if (n == 4 || n == 5)
		return -EIO;
	if (n < 4 && mm_range_reserved(data, 8))
		return -EINVAL;
	if (!c->ctx)
		return -ESRCH;
	int err = plat_debugreg(c->ctx, (int)n, true, &data);
	if (err)
		return err;
	c->pt->debugreg[n] = data;
	return 0;
}

static long
peekpoke(struct task *t, struct task *c, long req, unsigned long addr, unsigned long data)
{
	unsigned long v;

	if (mm_range_reserved(addr, 8))
		return -EIO; /* the stub region: never shown, never touched */
	if (req == PTRACE_PEEKTEXT || req == PTRACE_PEEKDATA) {
		if (copy_from_guest(c, &v, addr, 8))
			return -EIO;
		return copy_to_guest(t, data, &v, 8) ? -EFAULT : 0;
	}
	/* writes go through the tracee's stub like the kernel's FOLL_FORCE write, which
	 * reaches read-only text too (breakpoints) */
	if (copy_to_guest(c, addr, &data, 8) == 0)
		return 0;
	return plat_poke_text(c->ctx, addr, data) ? -EIO : 0;
}

static long
regset(struct task *t, struct task *c, bool set, unsigned long type, unsigned long uiov)
{
	struct iovec iov;
	size_t len;

	if (copy_from_guest(t, &iov, uiov, sizeof(iov)))
		return -EFAULT;
	/* Linux ptrace_regset: a length that is not a whole number of the set's words (8
	 * bytes in each of x86-64's) is EINVAL, before the set is looked at */
	if (iov.iov_len % 8)
		return -EINVAL;
	if (type == NT_PRSTATUS) {
		len = MIN(iov.iov_len, sizeof(struct user_regs_struct));
		if (set) {
			struct user_regs_struct r = c->pt->regs;
			if (copy_from_guest(t, &r, (unsigned long)iov.iov_base, len))
				return -EFAULT;
			long err = ptrace_set_regs(c, &r);
			if (err)
				return err;
		} else if (copy_to_guest(t, (unsigned long)iov.iov_base, &c->pt->regs, len)) {
			return -EFAULT;
		}
	} else if (type == NT_PRFPREG || type == NT_X86_XSTATE) {
		/* an XSTATE set is more than a page where the CPU has AMX; the
		 * host cuts the length to the set's size, and a write reads only that much
		 * (Linux ptrace_regset), so a read first tells it */
		len = MIN(iov.iov_len, PLAT_XSTATE_MAX);
		_cleanup_free_ unsigned char *buf = xmalloc(len ? len : 1);
		int err = set ? plat_regset(c->ctx, false, (int)type, buf, &len) : 0;
		if (err)
			return err;
		if (set && copy_from_guest(t, buf, (unsigned long)iov.iov_base, len))
			return -EFAULT;
		err = plat_regset(c->ctx, set, (int)type, buf, &len);
		if (err)
			return err;
		if (!set && copy_to_guest(t, (unsigned long)iov.iov_base, buf, len))
			return -EFAULT;
	} else {
		return -EINVAL;
	}
	iov.iov_len = len;
	return copy_to_guest(t, uiov, &iov, sizeof(iov)) ? -EFAULT : 0;
}

/* The call's number and arguments at a stop, from its registers. */
static void
call_info(const struct user_regs_struct *r, uint64_t *nr, uint64_t args[6])
{
	*nr = r->orig_rax;
	args[0] = r->rdi;
	args[1] = r->rsi;
	args[2] = r->rdx;
	args[3] = r->r10;
	args[4] = r->r8;
	args[5] = r->r9;
}

static long
syscall_info(struct task *t, struct task *c, unsigned long size, unsigned long data)
{
	struct ptrace_state *pt = c->pt;
	struct pt_syscall_info info;
	size_t n = offsetof(struct pt_syscall_info, entry);

	memset(&info, 0, sizeof(info));
	info.arch = AUDIT_ARCH_X86_64_;
	info.instruction_pointer = pt->regs.rip;
	info.stack_pointer = pt->regs.rsp;
	/* Linux tells the stops apart by their siginfo: SIGTRAP|0x80 only with TRACESYSGOOD */
	bool good = pt->options & PTRACE_O_TRACESYSGOOD;
	bool entry = pt->stop == PT_HOST_SYSCALL && pt->host_entry;
	bool exit = pt->stop == PT_SYSCALL_EXIT || (pt->stop == PT_HOST_SYSCALL && !pt->host_entry);
	if (good && entry) {
		info.op = PT_SYSCALL_INFO_ENTRY;
		call_info(&pt->regs, &info.entry.nr, info.entry.args);
		n = offsetof(struct pt_syscall_info, entry.args) + sizeof(info.entry.args);
	} else if (pt->stop == PT_SECCOMP) { /* (whatever TRACESYSGOOD says) */
		info.op = PT_SYSCALL_INFO_SECCOMP;
		call_info(&pt->regs, &info.seccomp.nr, info.seccomp.args);
		info.seccomp.ret_data = (uint32_t)pt->msg;
		n = offsetof(struct pt_syscall_info, seccomp.ret_data) + sizeof(info.seccomp.ret_data);
	} else if (good && exit) {
		info.op = PT_SYSCALL_INFO_EXIT;
		info.exit.rval = (long)pt->regs.rax;
		info.exit.is_error = (long)pt->regs.rax < 0 && (long)pt->regs.rax >= -4095;
		n = offsetof(struct pt_syscall_info, exit.is_error) + sizeof(info.exit.is_error);
	}
	if (copy_to_guest(t, data, &info, MIN(size, n)))
		return -EFAULT;
	return (long)n;
}

/* The siginfo of the stop (Linux last_siginfo): none in a group stop. */
static int
stop_siginfo(struct task *c, siginfo_t *si)
{
	struct ptrace_state *pt = c->pt;

	if (pt->stop == PT_SIGNAL) {
		*si = pt->si;
		return 0;
	}
	if (pt->stop == PT_GROUP && !pt->seized)
		return -EINVAL; /* (a seized tracee's group stop is a PTRACE_EVENT_STOP trap) */
	memset(si, 0, sizeof(*si));
	/* Linux ptrace_do_notify: the group stop's signal (do_jobctl_trap), else SIGTRAP */
	si->si_signo = pt->stop == PT_GROUP ? pt->code & 0x7f : SIGTRAP;
	si->si_code = pt->code;
	si->si_pid = c->tgid;
	si->si_uid = userns_uid_out(c, c->uid);
	return 0;
}

static long
interrupt(struct task *c)
{
	struct ptrace_state *pt = c->pt;

	if (!pt->seized)
		return -EIO;
	if (ptrace_stopped(c) && !pt->listening)
		return 0;
	pt->interrupt = true;
	if (pt->listening) {
		ptrace_retrap(c, false);
		return 0;
	}
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	si.si_signo = SIGSTOP;
	si.si_code = PT_INTERRUPT_CODE;
	task_send_signal(c, SIGSTOP, &si, false);
	return 0;
}

/* PTRACE_ARCH_PRCTL (gdbserver's thread_db finds a thread's TLS with it): Linux
 * do_arch_prctl_64 on the tracee, its FS and GS bases only. */
#define ARCH_SET_GS_ 0x1001
#define ARCH_SET_FS_ 0x1002
#define ARCH_GET_FS_ 0x1003
#define ARCH_GET_GS_ 0x1004
static long
arch_prctl(struct task *t, struct task *c, unsigned long option, unsigned long arg)
{
	struct user_regs_struct r = c->pt->regs;

	switch (option) {
	case ARCH_GET_FS_:
	case ARCH_GET_GS_: {
		unsigned long base = option == ARCH_GET_FS_ ? r.fs_base : r.gs_base;
		return copy_to_guest(t, arg, &base, sizeof(base)) ? -EFAULT : 0;
	}
	case ARCH_SET_FS_:
	case ARCH_SET_GS_:
		if (arg >= (1UL << 47) - PAGE_SIZE) /* TASK_SIZE_MAX */
			return -EPERM;
		if (option == ARCH_SET_FS_)
			r.fs_base = arg;
		else
			r.gs_base = arg;
		return ptrace_set_regs(c, &r);
	default:
		return -EINVAL;
	}
}

/* A request for a tracee stopped for its tracer t. */
static long
request(struct task *t, struct task *c, long req, unsigned long addr, unsigned long data)
{
	struct ptrace_state *pt = c->pt;
	siginfo_t si;
	unsigned long msg;

	switch (req) {
	case PTRACE_PEEKTEXT:
	case PTRACE_PEEKDATA:
	case PTRACE_POKETEXT:
	case PTRACE_POKEDATA:
		return peekpoke(t, c, req, addr, data);
	case PTRACE_PEEKUSER:
		return peekuser(t, c, addr, data);
	case PTRACE_POKEUSER:
		return pokeuser(c, addr, data);
	case PTRACE_GETREGS:
		return copy_to_guest(t, data, &pt->regs, sizeof(pt->regs)) ? -EFAULT : 0;
	case PTRACE_SETREGS: {
		struct user_regs_struct r;
		if (copy_from_guest(t, &r, data, sizeof(r)))
			return -EFAULT;
		return ptrace_set_regs(c, &r);
	}
	case PTRACE_GETFPREGS:
	case PTRACE_SETFPREGS: {
		unsigned char fp[sizeof(struct user_fpregs_struct)];
		size_t len = sizeof(fp);
		bool set = req == PTRACE_SETFPREGS;
		if (set && copy_from_guest(t, fp, data, len))
			return -EFAULT;
		int err = plat_regset(c->ctx, set, NT_PRFPREG, fp, &len);
		if (err)
			return err;
		return !set && copy_to_guest(t, data, fp, sizeof(fp)) ? -EFAULT : 0;
	}
	case PTRACE_GETREGSET:
	case PTRACE_SETREGSET:
		return regset(t, c, req == PTRACE_SETREGSET, addr, data);
	case PTRACE_ARCH_PRCTL:
		return arch_prctl(t, c, data, addr);
	case PTRACE_GETSIGINFO: {
		int err = stop_siginfo(c, &si);
		if (err)
			return err;
		return copy_to_guest(t, data, &si, sizeof(si)) ? -EFAULT : 0;
	}
	case PTRACE_SETSIGINFO:
		if (copy_from_guest(t, &si, data, sizeof(si)))
			return -EFAULT;
		if (pt->stop == PT_GROUP && !pt->seized)
			return -EINVAL;
		if (pt->stop == PT_SIGNAL)
			pt->si = si;
		return 0;
	case PTRACE_GETEVENTMSG:
		msg = pt->msg;
		return copy_to_guest(t, data, &msg, sizeof(msg)) ? -EFAULT : 0;
	case PTRACE_SETOPTIONS:
		if (data & PT_O_SUSPEND_SECCOMP)
			return -EPERM;
		if (data & ~PT_O_ALL)
			return -EINVAL;
		pt->options = data;
		return 0;
	case PTRACE_GET_SYSCALL_INFO:
		return syscall_info(t, c, addr, data);
	case PTRACE_GETSIGMASK:
	case PTRACE_SETSIGMASK: {
		unsigned long mask;
		if (addr != sizeof(mask))
			return -EINVAL;
		if (req == PTRACE_GETSIGMASK) {
			int err = plat_get_sigmask(c->ctx, &mask);
			if (err)
				return err;
			return copy_to_guest(t, data, &mask, sizeof(mask)) ? -EFAULT : 0;
		}
		if (copy_from_guest(t, &mask, data, sizeof(mask)))
			return -EFAULT;
		mask &= ~((1UL << (SIGKILL - 1)) | (1UL << (SIGSTOP - 1)));
		return plat_set_sigmask(c->ctx, mask);
	}
	case PTRACE_LISTEN:
		if (!pt->seized || pt->stop != PT_GROUP)
			return -EIO;
		pt->listening = true;
		/* Linux ptrace_listen: a SIGCONT that came since the trap (JOBCTL_TRAP_NOTIFY)
		 * re-traps it at once */
		if (pt->trap_notify) {
			pt->trap_notify = false;
			ptrace_retrap(c, true);
		}
		return 0;
	case PTRACE_CONT:
	case PTRACE_SYSCALL:
	case PTRACE_DETACH:
	case PTRACE_SINGLESTEP:
	case PTRACE_SYSEMU:
	case PTRACE_SYSEMU_SINGLESTEP:
		return resume(c, req, data);
	default:
		return -EIO;
	}
}

SYSCALL(ptrace)
{
	long req = (long)a->a[0];
	int pid = (int)a->a[1];
	unsigned long addr = a->a[2], data = a->a[3];

	if (req == PTRACE_TRACEME)
		return traceme(t);
	if (req == PTRACE_ATTACH || req == PTRACE_SEIZE)
		return attach(t, pid, req == PTRACE_SEIZE, addr, data);
	/* Linux ptrace_check_attach: a tracee of the caller, stopped for it (KILL and
	 * INTERRUPT: in any state) */
	struct task *c = pid > 0 ? task_lookup_vnr(t, pid) : NULL;
	if (!c || !c->pt || !c->pt->tracer || c->pt->tracer->tgid != t->tgid ||
	    c->state == TASK_ZOMBIE || !c->ctx)
		return -ESRCH;
	if (req == PTRACE_KILL) {
		task_signal(c, SIGKILL);
		return 0;
	}
	if (req == PTRACE_INTERRUPT)
		return interrupt(c);
	if (!ptrace_stopped(c) || c->pt->listening)
		return -ESRCH;
	return request(t, c, req, addr, data);
}

/* ---- process_vm_readv / process_vm_writev between guest tasks ---- */

/* Reads n iovecs from the guest: 0, -EFAULT, or -EINVAL when their lengths overflow. */
static int
iov_in(struct task *t, unsigned long addr, unsigned long n, struct iovec *v, size_t *total)
{
	*total = 0;
	if (copy_from_guest(t, v, addr, n * sizeof(*v)))
		return -EFAULT;
	for (unsigned long i = 0; i < n; i++) {
		if (v[i].iov_len > (size_t)SSIZE_MAX - *total)
			return -EINVAL;
		*total += v[i].iov_len;
	}
	return 0;
}

/* Linux process_vm_rw: local iovecs first (nothing to move: 0 whatever the pid), then the
 * remote ones, the target (the ptrace attach check), then the copy, which stops at the
 * first fault on either side: the bytes moved, or -EFAULT if none. */
static long
vm_rw(struct task *t, const struct sysargs *a, bool write)
{
	unsigned long lcnt = a->a[2], rcnt = a->a[4];
	size_t ltotal, rtotal;
	int err;

	if (a->a[5])
		return -EINVAL;
	if (lcnt > IOV_MAX || rcnt > IOV_MAX)
		return -EINVAL;
	_cleanup_free_ struct iovec *l = xcalloc(lcnt + 1, sizeof(*l));
	_cleanup_free_ struct iovec *r = xcalloc(rcnt + 1, sizeof(*r));
	if ((err = iov_in(t, a->a[1], lcnt, l, &ltotal)))
		return err;
	if (ltotal == 0)
		return 0;
	if ((err = iov_in(t, a->a[3], rcnt, r, &rtotal)))
		return err;
	int pid = (int)a->a[0];
	struct task *c = pid > 0 ? task_lookup_vnr(t, pid) : NULL;
	if (!c || c->state == TASK_ZOMBIE || !c->ctx || !c->mm)
		return -ESRCH;
	if (c->tgid != t->tgid && !task_ptrace_may_access(t, c, false))
		return -EPERM;
	_cleanup_free_ char *buf = xmalloc(65536);
	size_t done = 0, loff = 0, roff = 0;
	unsigned long li = 0, ri = 0;
	while (li < lcnt && ri < rcnt) {
		if (loff == l[li].iov_len) {
			li++, loff = 0;
			continue;
		}
		if (roff == r[ri].iov_len) {
			ri++, roff = 0;
			continue;
		}
		size_t n = MIN(MIN(l[li].iov_len - loff, r[ri].iov_len - roff), (size_t)65536);
		unsigned long la = (unsigned long)l[li].iov_base + loff;
		unsigned long ra = (unsigned long)r[ri].iov_base + roff;
		size_t got;
		if (mm_range_reserved(ra, n)) {
			got = 0; /* the stub region: as unmapped */
		} else if (write) {
			got = copy_from_guest_partial(t, buf, la, n);
			got = copy_to_guest_partial(c, ra, buf, got);
		} else {
			got = copy_from_guest_partial(c, buf, ra, n);
			got = copy_to_guest_partial(t, la, buf, got);
		}
		done += got;
		if (got < n)
			break;
		loff += n;
		roff += n;
	}
	return done ? (long)done : (li < lcnt && ri < rcnt ? -EFAULT : 0);
}

SYSCALL(process_vm_readv)
{
	return vm_rw(t, a, false);
}

SYSCALL(process_vm_writev)
{
	return vm_rw(t, a, true);
}
