/*
 * The guest's own seccomp filters (seccomp(2), prctl(PR_SET_SECCOMP)), kept and run by the
 * sentry: classic BPF programs checked as Linux checks them (bpf_check_classic and
 * seccomp_check_filter), attached per thread in a chain shared by fork and clone and kept
 * by execve, and run on each call of the thread before its handler (loop.c), newest first,
 * the result of highest precedence winning.
 *
 * Every call must reach the sentry for that, including those the stub's filter lets run
 * natively (futex, clock_gettime, rt_sigprocmask...): once a process has a filter, its stub
 * gets a second host filter that traces every call but the sentry's injected ones
 * (plat_trace_all), inherited by the host clones that make its children and threads, and
 * installed again in the new stub of an execve.
 *
 * Actions: ALLOW and LOG run the call; ERRNO fails it with the data (at most 4095); TRAP
 * skips it with SIGSYS (SYS_SECCOMP, call address, number, arch; the data in si_errno) and
 * the number in rax, as Linux's rollback leaves it, or kills the process if SIGSYS is
 * blocked or ignored (Linux forces it); KILL_PROCESS, and KILL_THREAD of the last thread,
 * end the process as killed by SIGSYS; TRACE stops the call for a guest tracer that asked
 * for PTRACE_O_TRACESECCOMP (ptrace_seccomp_stop), else fails it with ENOSYS; USER_NOTIF
 * sends the call to the listener of the filter that decided (SECCOMP_FILTER_FLAG_NEW_LISTENER
 * made one: below), or fails it with ENOSYS if it has none (any more).
 * Strict mode allows read, write, exit and rt_sigreturn, and kills with SIGKILL.
 *
 * KILL_THREAD ends the calling thread alone while others run (end_thread), the process when
 * it is the last.
 *
 * Syscall user dispatch (prctl PR_SET_SYSCALL_USER_DISPATCH) is here too: it needs every
 * call of the thread as well, and is checked before the filters, as Linux does.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/syscall.h>

#include "fs/vfs.h"
#include "platform/platform.h"
#include "sentry/filters.h"
#include "sentry/ns.h"
#include "sentry/ptrace.h"
#include "sentry/sentry.h"
#include "sentry/vma.h"
#include "syscalls/syscalls.h"

#ifndef SYS_SECCOMP
#define SYS_SECCOMP 1 /* si_code of a SIGSYS from a filter */
#endif

#define MAX_INSNS_PER_PATH 32768 /* Linux: ((1 << 18) / sizeof(struct sock_filter)) */
#define MEMWORDS 16

struct gfilter {
	int refs;                /* tasks, newer filters and its listener's file */
	bool all_calls;          /* needs every call traced (it may not allow some call the
				  * stub runs natively: needs_all_calls) */
	bool profile;            /* the sandbox's own (seccomp_attach): its refusals are audited */
	unsigned int len;
	struct gfilter *prev;    /* older filters, run too */
	struct seccomp_listener *listener; /* while its file is open */
	struct sock_filter insns[];
};

void
seccomp_put(struct gfilter *f)
{
	while (f && --f->refs == 0) {
		struct gfilter *prev = f->prev;
		free(f);
		f = prev;
	}
	/* only its listener's file holds it now: that polls as hung up */
	if (f && f->refs == 1 && f->listener)
		waitq_wake(seccomp_listener_waitq(f->listener));
}

struct gfilter *
seccomp_get(struct gfilter *f)
{
	if (f)
		f->refs++;
	return f;
}

int
seccomp_count(const struct gfilter *f)
{
	int n = 0;

	for (; f; f = f->prev)
		n++;
	return n;
}

/* ---- checking a program (Linux bpf_check_classic + seccomp_check_filter) ---- */

/* The codes of Linux's classic BPF (chk_code_allowed); a seccomp filter may use those
 * seccomp_check_filter lets through, not MOD, the byte and half-word loads, the indirect
 * loads or LDX MSH, which make sense on packets only. */
static bool
cbpf_code_ok(uint16_t code, bool seccomp)
{
	switch (code) {
	case BPF_LD | BPF_W | BPF_ABS:
	case BPF_LD | BPF_W | BPF_LEN:
	case BPF_LDX | BPF_W | BPF_LEN:
	case BPF_RET | BPF_K:
	case BPF_RET | BPF_A:
	case BPF_ALU | BPF_ADD | BPF_K: case BPF_ALU | BPF_ADD | BPF_X:
	case BPF_ALU | BPF_SUB | BPF_K: case BPF_ALU | BPF_SUB | BPF_X:
	case BPF_ALU | BPF_MUL | BPF_K: case BPF_ALU | BPF_MUL | BPF_X:
	case BPF_ALU | BPF_DIV | BPF_K: case BPF_ALU | BPF_DIV | BPF_X:
	case BPF_ALU | BPF_AND | BPF_K: case BPF_ALU | BPF_AND | BPF_X:
	case BPF_ALU | BPF_OR | BPF_K: case BPF_ALU | BPF_OR | BPF_X:
	case BPF_ALU | BPF_XOR | BPF_K: case BPF_ALU | BPF_XOR | BPF_X:
	case BPF_ALU | BPF_LSH | BPF_K: case BPF_ALU | BPF_LSH | BPF_X:
	case BPF_ALU | BPF_RSH | BPF_K: case BPF_ALU | BPF_RSH | BPF_X:
	case BPF_ALU | BPF_NEG:
	case BPF_LD | BPF_IMM:
	case BPF_LDX | BPF_IMM:
	case BPF_MISC | BPF_TAX:
	case BPF_MISC | BPF_TXA:
	case BPF_LD | BPF_MEM:
	case BPF_LDX | BPF_MEM:
	case BPF_ST:
	case BPF_STX:
	case BPF_JMP | BPF_JA:
	case BPF_JMP | BPF_JEQ | BPF_K: case BPF_JMP | BPF_JEQ | BPF_X:
	case BPF_JMP | BPF_JGE | BPF_K: case BPF_JMP | BPF_JGE | BPF_X:
	case BPF_JMP | BPF_JGT | BPF_K: case BPF_JMP | BPF_JGT | BPF_X:
	case BPF_JMP | BPF_JSET | BPF_K: case BPF_JMP | BPF_JSET | BPF_X:
		return true;
	case BPF_ALU | BPF_MOD | BPF_K: case BPF_ALU | BPF_MOD | BPF_X:
	case BPF_LD | BPF_H | BPF_ABS: case BPF_LD | BPF_B | BPF_ABS:
	case BPF_LD | BPF_W | BPF_IND: case BPF_LD | BPF_H | BPF_IND: case BPF_LD | BPF_B | BPF_IND:
	case BPF_LDX | BPF_B | BPF_MSH:
		return !seccomp;
	default:
		return false;
	}
}

static bool
is_cond_jump(uint16_t code)
{
	return BPF_CLASS(code) == BPF_JMP && BPF_OP(code) != BPF_JA;
}

/* No scratch word is read before every path to it has written it. */
static int
check_memory(const struct sock_filter *f, unsigned int len)
{
	uint16_t *masks = xmalloc(len * sizeof(*masks)), valid = 0;
	int err = 0;

	memset(masks, 0xff, len * sizeof(*masks));
	for (unsigned int pc = 0; pc < len && !err; pc++) {
		valid &= masks[pc];
		uint16_t code = f[pc].code;
		if (code == BPF_ST || code == BPF_STX) {
			valid |= 1U << f[pc].k;
		} else if (code == (BPF_LD | BPF_MEM) || code == (BPF_LDX | BPF_MEM)) {
			if (!(valid & (1U << f[pc].k)))
				err = -EINVAL;
		} else if (code == (BPF_JMP | BPF_JA)) {
			masks[pc + 1 + f[pc].k] &= valid;
			valid = 0xffff;
		} else if (is_cond_jump(code)) {
			masks[pc + 1 + f[pc].jt] &= valid;
			masks[pc + 1 + f[pc].jf] &= valid;
			valid = 0xffff;
		}
	}
	free(masks);
	return err;
}

int
bpf_check_classic(const struct sock_filter *f, unsigned int len, bool seccomp)
{
	if (len == 0 || len > BPF_MAXINSNS)
		return -EINVAL;
	for (unsigned int pc = 0; pc < len; pc++) {
		const struct sock_filter *i = &f[pc];
		if (!cbpf_code_ok(i->code, seccomp))
			return -EINVAL;
		switch (i->code) {
		case BPF_LD | BPF_W | BPF_ABS:
		case BPF_LD | BPF_H | BPF_ABS:
		case BPF_LD | BPF_B | BPF_ABS:
			/* seccomp: a word of struct seccomp_data; packets: an ancillary load
			 * (SKF_AD_OFF + n) must be one Linux has (bpf_anc_helper) */
			if (seccomp && (i->k >= sizeof(struct seccomp_data) || (i->k & 3)))
				return -EINVAL;
			if (!seccomp && i->k >= (uint32_t)SKF_AD_OFF &&
			    ((i->k - (uint32_t)SKF_AD_OFF) % 4 ||
			     i->k - (uint32_t)SKF_AD_OFF >= SKF_AD_MAX))
				return -EINVAL;
			break;
		case BPF_ALU | BPF_DIV | BPF_K:
		case BPF_ALU | BPF_MOD | BPF_K:
			if (i->k == 0)
				return -EINVAL;
			break;
		case BPF_ALU | BPF_LSH | BPF_K:
		case BPF_ALU | BPF_RSH | BPF_K:
			if (i->k >= 32)
				return -EINVAL;
			break;
		case BPF_LD | BPF_MEM:
		case BPF_LDX | BPF_MEM:
		case BPF_ST:
		case BPF_STX:
			if (i->k >= MEMWORDS)
				return -EINVAL;
			break;
		case BPF_JMP | BPF_JA:
			if (i->k >= len - pc - 1)
				return -EINVAL;
			break;
		default:
			if (is_cond_jump(i->code) &&
			    (pc + i->jt + 1 >= len || pc + i->jf + 1 >= len))
				return -EINVAL;
		}
	}
	uint16_t last = f[len - 1].code;
	if (last != (BPF_RET | BPF_K) && last != (BPF_RET | BPF_A))
		return -EINVAL;
	return check_memory(f, len);
}

/* ---- running one ---- */

static uint32_t
run_one(const struct gfilter *g, const struct seccomp_data *d)
{
	uint32_t A = 0, X = 0, M[MEMWORDS] = { 0 };
	const unsigned char *data = (const unsigned char *)d;

	for (unsigned int pc = 0; pc < g->len; pc++) {
		const struct sock_filter *i = &g->insns[pc];
		uint32_t src = BPF_SRC(i->code) == BPF_X ? X : i->k;

		switch (i->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			memcpy(&A, data + i->k, sizeof(A));
			break;
		case BPF_LD | BPF_W | BPF_LEN: A = sizeof(*d); break;
		case BPF_LDX | BPF_W | BPF_LEN: X = sizeof(*d); break;
		case BPF_LD | BPF_IMM: A = i->k; break;
		case BPF_LDX | BPF_IMM: X = i->k; break;
		case BPF_LD | BPF_MEM: A = M[i->k]; break;
		case BPF_LDX | BPF_MEM: X = M[i->k]; break;
		case BPF_ST: M[i->k] = A; break;
		case BPF_STX: M[i->k] = X; break;
		case BPF_MISC | BPF_TAX: X = A; break;
		case BPF_MISC | BPF_TXA: A = X; break;
		case BPF_ALU | BPF_NEG: A = -A; break;
		case BPF_RET | BPF_K: return i->k;
		case BPF_RET | BPF_A: return A;
		case BPF_JMP | BPF_JA: pc += i->k; break;
		default:
			if (BPF_CLASS(i->code) == BPF_ALU) {
				switch (BPF_OP(i->code)) {
				case BPF_ADD: A += src; break;
				case BPF_SUB: A -= src; break;
				case BPF_MUL: A *= src; break;
				case BPF_DIV: A = src ? A / src : 0; break; /* (X = 0: Linux gives 0) */
				case BPF_AND: A &= src; break;
				case BPF_OR: A |= src; break;
				case BPF_XOR: A ^= src; break;
				case BPF_LSH: A = src < 32 ? A << src : 0; break;
				case BPF_RSH: A = src < 32 ? A >> src : 0; break;
				}
			} else {
				bool taken = false;
				switch (BPF_OP(i->code)) {
				case BPF_JEQ: taken = A == src; break;
				case BPF_JGT: taken = A > src; break;
				case BPF_JGE: taken = A >= src; break;
				case BPF_JSET: taken = (A & src) != 0; break;
				}
				pc += taken ? i->jt : i->jf;
			}
		}
	}
	return SECCOMP_RET_KILL_PROCESS; /* (unreachable: checked programs end in a RET) */
}

/* ---- which calls a filter may refuse ---- */

/*
 * A stub runs a few calls natively (platform/stub_rules.c: futex, rt_sigprocmask,
 * clock_gettime...), out of the sentry's sight. A filter that allows each of them whatever
 * their arguments and the caller's address does not need those calls brought to the sentry,
 * which runs the filter on every call it gets anyway: most filters (a container runtime's
 * profile, a service's allowlist) allow them all, and tracing every call would make a
 * futex or a signal mask change a ptrace stop.
 *
 * may_refuse runs the program on the known call number and architecture with everything
 * else unknown: each instruction's state (A, X, the scratch words) is a value or "unknown"
 * (two paths meeting with different values give unknown); a jump on an unknown value takes
 * both ways. Jumps only go forward, so one pass in order covers every path. True if some
 * reachable return may give anything but ALLOW or LOG.
 */
struct aval {
	uint32_t v;
	bool known;
};

struct astate {
	bool reached;
	struct aval A, X, M[MEMWORDS];
};

static void
aval_merge(struct aval *to, struct aval from)
{
	if (!from.known || !to->known || from.v != to->v)
		to->known = false;
}

static void
astate_flow(struct astate *to, const struct astate *from)
{
	if (!to->reached) {
		*to = *from;
		return;
	}
	aval_merge(&to->A, from->A);
	aval_merge(&to->X, from->X);
	for (int i = 0; i < MEMWORDS; i++)
		aval_merge(&to->M[i], from->M[i]);
}

static bool
action_allows(uint32_t ret)
{
	uint32_t action = ret & SECCOMP_RET_ACTION_FULL;

	return action == SECCOMP_RET_ALLOW || action == SECCOMP_RET_LOG;
}

static bool
may_refuse(const struct gfilter *g, int nr)
{
	struct astate *st = xcalloc(g->len, sizeof(*st));
	bool refuse = false;

	st[0].reached = true;
	st[0].A.known = st[0].X.known = true; /* both start at 0 */
	for (unsigned int pc = 0; pc < g->len && !refuse; pc++) {
		struct astate s = st[pc];
		const struct sock_filter *i = &g->insns[pc];

		if (!s.reached)
			continue;
		struct aval src = BPF_SRC(i->code) == BPF_X ? s.X : (struct aval){ i->k, true };
		switch (i->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (i->k == offsetof(struct seccomp_data, nr))
				s.A = (struct aval){ (uint32_t)nr, true };
			else if (i->k == offsetof(struct seccomp_data, arch))
				s.A = (struct aval){ AUDIT_ARCH_X86_64, true };
			else
				s.A.known = false; /* the caller's address, the arguments */
			break;
		case BPF_LD | BPF_W | BPF_LEN: s.A = (struct aval){ sizeof(struct seccomp_data), true }; break;
		case BPF_LDX | BPF_W | BPF_LEN: s.X = (struct aval){ sizeof(struct seccomp_data), true }; break;
		case BPF_LD | BPF_IMM: s.A = (struct aval){ i->k, true }; break;
		case BPF_LDX | BPF_IMM: s.X = (struct aval){ i->k, true }; break;
		case BPF_LD | BPF_MEM: s.A = s.M[i->k]; break;
		case BPF_LDX | BPF_MEM: s.X = s.M[i->k]; break;
		case BPF_ST: s.M[i->k] = s.A; break;
		case BPF_STX: s.M[i->k] = s.X; break;
		case BPF_MISC | BPF_TAX: s.X = s.A; break;
		case BPF_MISC | BPF_TXA: s.A = s.X; break;
		case BPF_ALU | BPF_NEG: s.A.v = -s.A.v; break;
		case BPF_RET | BPF_K:
			refuse = !action_allows(i->k);
			continue;
		case BPF_RET | BPF_A:
			refuse = !s.A.known || !action_allows(s.A.v);
			continue;
		case BPF_JMP | BPF_JA:
			astate_flow(&st[pc + 1 + i->k], &s);
			continue;
		default:
			if (BPF_CLASS(i->code) == BPF_ALU) {
				/* a division by an unknown X may be by 0: the program then returns 0,
				 * KILL_THREAD */
				if (BPF_OP(i->code) == BPF_DIV && (!src.known || src.v == 0)) {
					refuse = true;
					continue;
				}
				if (!src.known) {
					s.A.known = false;
					break;
				}
				uint32_t v = s.A.v;
				switch (BPF_OP(i->code)) {
				case BPF_ADD: v += src.v; break;
				case BPF_SUB: v -= src.v; break;
				case BPF_MUL: v *= src.v; break;
				case BPF_DIV: v /= src.v; break;
				case BPF_AND: v &= src.v; break;
				case BPF_OR: v |= src.v; break;
				case BPF_XOR: v ^= src.v; break;
				case BPF_LSH: v = src.v < 32 ? v << src.v : 0; break;
				case BPF_RSH: v = src.v < 32 ? v >> src.v : 0; break;
				}
				/* (AND with 0 and the like are known even from an unknown A; not needed
				 * for the programs seen, so unknown stays unknown) */
				s.A.v = v;
				break;
			}
			/* a conditional jump */
			if (!s.A.known || !src.known) {
				astate_flow(&st[pc + 1 + i->jt], &s);
				astate_flow(&st[pc + 1 + i->jf], &s);
				continue;
			}
			bool taken = false;
			switch (BPF_OP(i->code)) {
			case BPF_JEQ: taken = s.A.v == src.v; break;
			case BPF_JGT: taken = s.A.v > src.v; break;
			case BPF_JGE: taken = s.A.v >= src.v; break;
			case BPF_JSET: taken = (s.A.v & src.v) != 0; break;
			}
			astate_flow(&st[pc + 1 + (taken ? i->jt : i->jf)], &s);
			continue;
		}
		if (pc + 1 < g->len)
			astate_flow(&st[pc + 1], &s);
	}
	free(st);
	return refuse;
}

/* Whether g may refuse (or trace, or send away) some call a stub runs natively. */
static bool
needs_all_calls(const struct gfilter *g)
{
	int nrs[64];
	size_t n = stub_native_calls(nrs, ARRAY_SIZE(nrs));

	for (size_t i = 0; i < n; i++)
		if (may_refuse(g, nrs[i]))
			return true;
	return false;
}

static bool
chain_needs_all(const struct gfilter *f)
{
	for (; f; f = f->prev)
		if (f->all_calls)
			return true;
	return false;
}

/* Linux's precedence: the lowest action value, read as signed (KILL_PROCESS first); of
 * equal ones the newest filter's. *match: the filter whose result it is. */
static uint32_t
run_chain(struct gfilter *f, const struct seccomp_data *d, struct gfilter **match)
{
	uint32_t ret = SECCOMP_RET_ALLOW;

	*match = NULL;
	for (; f; f = f->prev) {
		uint32_t cur = run_one(f, d);
		if ((int32_t)(cur & SECCOMP_RET_ACTION_FULL) < (int32_t)(ret & SECCOMP_RET_ACTION_FULL)) {
			ret = cur;
			*match = f;
		}
	}
	return ret;
}

/* ---- user notifications: a filter's listener ---- */

/*
 * A call a filter sent to its listener (SECCOMP_RET_USER_NOTIF) waits, its task blocked, in
 * the listener's list until the supervisor answers (NOTIF_SEND, or NOTIF_ADDFD with
 * SECCOMP_ADDFD_FLAG_SEND) or the listener's file closes (ENOSYS). A signal ends the wait
 * as Linux's interruptible one: the call restarts (a new notification) or fails with EINTR
 * per SA_RESTART; the notification goes. With WAIT_KILLABLE_RECV, once received only
 * SIGKILL ends it. The task's exit takes it out too (wait_cancel).
 */
enum { NOTIF_INIT, NOTIF_SENT, NOTIF_REPLIED };

struct unotif {
	struct task *t;
	struct seccomp_listener *l;  /* NULL once the listener closed */
	struct unotif *next;         /* l's list, oldest first */
	uint64_t id;
	int state;
	struct seccomp_data data;
	int64_t val;                 /* the answer */
	int32_t error;
	uint32_t flags;
	struct waitq wq;             /* t waits here */
};

struct seccomp_listener {
	struct gfilter *g;           /* a reference: the file's */
	struct unotif *head;
	uint64_t next_id;
	/* notifications sent less RECVs that took one (Linux's notif->requests): one a signal
	 * took back still lets a RECV through, which then finds none (ENOENT) */
	unsigned long requests;
	bool killable;               /* SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV */
	struct waitq wq;             /* RECV and poll: notifications came, were received or
				      * answered, the filter's last task went */
};

/* the number Linux first gave NOTIF_ID_VALID (the wrong direction), still accepted */
#define NOTIF_ID_VALID_WRONG_DIR SECCOMP_IOR(2, __u64)
#define ADDFD_SIZE_VER0 24 /* SECCOMP_NOTIFY_ADDFD_SIZE_VER0 */
/* the ioctl number without its size (Linux EA_IOCTL): NOTIF_ADDFD takes larger structs */
#define EA_IOCTL(cmd) ((cmd) & ~(_IOC_SIZEMASK << _IOC_SIZESHIFT))

static struct unotif *
notif_find(struct seccomp_listener *l, uint64_t id)
{
	for (struct unotif *n = l->head; n; n = n->next)
		if (n->id == id)
			return n;
	return NULL;
}

static void
notif_unlink(struct unotif *n)
{
	if (!n->l)
		return;
	for (struct unotif **pp = &n->l->head; *pp; pp = &(*pp)->next)
		if (*pp == n) {
			*pp = n->next;
			break;
		}
	waitq_wake(&n->l->wq);
	n->l = NULL;
}

/* wait_cancel of a task whose call waits for an answer: it was interrupted or exits */
static void
notif_cancel(struct task *t)
{
	struct unotif *n = t->unotif;

	t->unotif = NULL;
	if (!n)
		return;
	notif_unlink(n);
	task_unwait(t); /* (its wait is over: off n's queue, which goes now) */
	free(n);
}

static long
notif_send(struct task *t, struct gfilter *match, const struct seccomp_data *d)
{
	struct seccomp_listener *l = match ? match->listener : NULL;

	if (!l)
		return -ENOSYS;
	struct unotif *n = xcalloc(1, sizeof(*n)), **pp = &l->head;
	n->t = t;
	n->l = l;
	n->id = l->next_id++;
	n->state = NOTIF_INIT;
	n->data = *d;
	while (*pp)
		pp = &(*pp)->next;
	*pp = n;
	l->requests++;
	waitq_wake(&l->wq);
	t->unotif = n;
	t->wait_cancel = notif_cancel;
	task_wait_on(t, &n->wq);
	/* a call the host holds as its own notification ends at any signal: the killable
	 * wait needs a ptrace stop, where the sentry decides (task_interrupt_for) */
	struct user_regs_struct r;
	if (l->killable)
		plat_get_regs(t->ctx, &r);
	return SYSRET_BLOCK;
}

bool
seccomp_notif_rerun(struct task *t, long *result)
{
	struct unotif *n = t->unotif;

	if (n->state != NOTIF_REPLIED) {
		task_wait_on(t, &n->wq);
		*result = SYSRET_BLOCK;
		return true;
	}
	bool run = n->flags & SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	/* Linux syscall_set_return_value: the error if any, else the value */
	long r = n->error ? (long)n->error : (long)n->val;
	t->wait_cancel = NULL;
	notif_cancel(t);
	if (run) {
		t->wait_rerun = false; /* the call's handler runs for the first time */
		return false;
	}
	*result = sys_value(t, r);
	return true;
}

bool
seccomp_notif_holds(const struct task *t)
{
	const struct unotif *n = t->unotif;

	return n && n->l && n->l->killable && n->state != NOTIF_INIT;
}

static long
listener_open(struct task *t, struct gfilter *g, bool killable)
{
	struct seccomp_listener *l = xcalloc(1, sizeof(*l));

	l->g = seccomp_get(g);
	l->killable = killable;
	/* ids start at random, as Linux's, so that one is not guessed from another run */
	if (getrandom(&l->next_id, sizeof(l->next_id), GRND_NONBLOCK) != sizeof(l->next_id))
		l->next_id = 1;
	g->listener = l;
	struct file *f = vfs_seccomp_listener(l);
	long fd = fdt_install(t->fdt, f, 0, true);
	file_put(f); /* (an install that failed closes it: the filter is the caller's again) */
	return fd;
}

void
seccomp_listener_release(struct seccomp_listener *l)
{
	struct unotif *n;

	/* the waiting calls fail with ENOSYS; what was answered keeps its answer */
	while ((n = l->head)) {
		l->head = n->next;
		n->l = NULL;
		if (n->state != NOTIF_REPLIED) {
			n->state = NOTIF_REPLIED;
			n->error = -ENOSYS;
			n->val = 0;
			n->flags = 0;
		}
		waitq_wake(&n->wq);
	}
	waitq_wake(&l->wq);
	l->g->listener = NULL;
	seccomp_put(l->g);
	free(l);
}

struct waitq *
seccomp_listener_waitq(struct seccomp_listener *l)
{
	return &l->wq;
}

short
seccomp_listener_poll(struct seccomp_listener *l)
{
	short mask = 0;

	for (const struct unotif *n = l->head; n; n = n->next) {
		if (n->state == NOTIF_INIT)
			mask |= POLLIN | POLLRDNORM;
		else if (n->state == NOTIF_SENT)
			mask |= POLLOUT | POLLWRNORM;
	}
	if (l->g->refs == 1) /* no task uses the filter any more */
		mask |= POLLHUP;
	return mask;
}

/* Is the guest's struct at uarg all zero bytes? 1 / 0 / -EFAULT */
static int
guest_zeroed(struct task *t, unsigned long uarg, size_t len)
{
	unsigned char buf[128];

	BUG_ON(len > sizeof(buf));
	if (copy_from_guest(t, buf, uarg, len))
		return -EFAULT;
	for (size_t i = 0; i < len; i++)
		if (buf[i])
			return 0;
	return 1;
}

/* NOTIF_RECV: the oldest notification not received yet; waits while none was sent since
 * the last RECV (never O_NONBLOCK's EAGAIN, as on Linux) and the filter has tasks. One sent
 * and then taken back by a signal leaves nothing to take: ENOENT (Linux recv_wait_event:
 * a supervisor that saw POLLIN does not block). */
static long
notif_recv(struct task *t, struct seccomp_listener *l, unsigned long uarg)
{
	struct seccomp_notif out;
	int z = guest_zeroed(t, uarg, sizeof(out));

	if (z <= 0)
		return z < 0 ? z : -EINVAL; /* (extensible: the caller zeroes it) */
	if (!l->requests && l->g->refs > 1) { /* (a signal: ERESTARTSYS) */
		task_wait_on(t, &l->wq);
		return sysret(SYSRET_BLOCK);
	}
	if (l->requests)
		l->requests--;
	struct unotif *n = l->head;
	while (n && n->state != NOTIF_INIT)
		n = n->next;
	if (!n)
		return -ENOENT;
	memset(&out, 0, sizeof(out));
	out.id = n->id;
	out.pid = task_vnr(t, n->t->tid); /* (0 if not in the caller's pid namespace) */
	out.data = n->data;
	if (copy_to_guest(t, uarg, &out, sizeof(out))) {
		l->requests++; /* (it stays for the next RECV) */
		return -EFAULT;
	}
	n->state = NOTIF_SENT;
	waitq_wake(&l->wq);
	return 0;
}

static long
notif_answer(struct task *t, struct seccomp_listener *l, unsigned long uarg)
{
	struct seccomp_notif_resp resp;

	if (copy_from_guest(t, &resp, uarg, sizeof(resp)))
		return -EFAULT;
	if (resp.flags & ~SECCOMP_USER_NOTIF_FLAG_CONTINUE)
		return -EINVAL;
	if ((resp.flags & SECCOMP_USER_NOTIF_FLAG_CONTINUE) && (resp.error || resp.val))
		return -EINVAL;
	struct unotif *n = notif_find(l, resp.id);
	if (!n)
		return -ENOENT;
	if (n->state != NOTIF_SENT)
		return -EINPROGRESS; /* one answer, to a received notification */
	n->state = NOTIF_REPLIED;
	n->error = resp.error;
	n->val = resp.val;
	n->flags = resp.flags;
	waitq_wake(&n->wq);
	waitq_wake(&l->wq);
	return 0;
}

static long
notif_id_valid(struct task *t, struct seccomp_listener *l, unsigned long uarg)
{
	uint64_t id;

	if (copy_from_guest(t, &id, uarg, sizeof(id)))
		return -EFAULT;
	struct unotif *n = notif_find(l, id);
	return n && n->state == NOTIF_SENT ? 0 : -ENOENT;
}

/* NOTIF_ADDFD: a descriptor of the supervisor's goes into the waiting task's table (Linux
 * has the task install it itself; the sentry holds both tables), at the lowest free number
 * or at newfd (SECCOMP_ADDFD_FLAG_SETFD, as dup2); with SECCOMP_ADDFD_FLAG_SEND its number
 * is also the call's answer. Returns that number. */
static long
notif_addfd(struct task *t, struct seccomp_listener *l, unsigned long uarg, size_t size)
{
	struct seccomp_notif_addfd req;
	unsigned char extra[64];

	if (size < ADDFD_SIZE_VER0 || size >= PAGE_SIZE)
		return -EINVAL;
	memset(&req, 0, sizeof(req));
	if (copy_from_guest(t, &req, uarg, MIN(size, sizeof(req))))
		return -EFAULT;
	/* a larger struct (a newer caller): the part this one does not know must be zeroes */
	for (size_t off = sizeof(req); off < size; off += sizeof(extra)) {
		size_t k = MIN(size - off, sizeof(extra));
		if (copy_from_guest(t, extra, uarg + off, k))
			return -EFAULT;
		for (size_t i = 0; i < k; i++)
			if (extra[i])
				return -E2BIG;
	}
	if (req.newfd_flags & ~O_CLOEXEC)
		return -EINVAL;
	if (req.flags & ~(SECCOMP_ADDFD_FLAG_SETFD | SECCOMP_ADDFD_FLAG_SEND))
		return -EINVAL;
	if (req.newfd && !(req.flags & SECCOMP_ADDFD_FLAG_SETFD))
		return -EINVAL;
	struct file *f = fdt_get(t->fdt, (int)req.srcfd);
	if (!f || (int)req.srcfd < 0)
		return -EBADF;
	struct unotif *n = notif_find(l, req.id);
	if (!n)
		return -ENOENT;
	if (n->state != NOTIF_SENT)
		return -EINPROGRESS;
	struct task *target = n->t;
	if (!target->fdt)
		return -ESRCH;
	bool cloexec = req.newfd_flags & O_CLOEXEC;
	long fd = req.flags & SECCOMP_ADDFD_FLAG_SETFD ?
		fdt_install_at(target->fdt, (int)req.newfd, f, cloexec) :
		fdt_install(target->fdt, f, 0, cloexec);
	if (fd >= 0 && (req.flags & SECCOMP_ADDFD_FLAG_SEND)) {
		n->state = NOTIF_REPLIED;
		n->error = 0;
		n->val = fd;
		n->flags = 0;
		waitq_wake(&n->wq);
		waitq_wake(&l->wq);
	}
	return fd;
}

long
seccomp_listener_ioctl(struct task *t, struct file *f, unsigned int cmd, unsigned long arg)
{
	struct seccomp_listener *l = vfs_seccomp_listener_of(f);

	if (!l)
		return -ENOIOCTLCMD;
	switch (cmd) {
	case SECCOMP_IOCTL_NOTIF_RECV:
		return notif_recv(t, l, arg);
	case SECCOMP_IOCTL_NOTIF_SEND:
		return notif_answer(t, l, arg);
	case SECCOMP_IOCTL_NOTIF_ID_VALID:
	case NOTIF_ID_VALID_WRONG_DIR:
		return notif_id_valid(t, l, arg);
	case SECCOMP_IOCTL_NOTIF_SET_FLAGS:
		/* the flags themselves are the argument; the wakeup on the waker's CPU is a
		 * scheduling hint, nothing to keep here */
		return arg & ~SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP ? -EINVAL : 0;
	default:
		if (EA_IOCTL(cmd) == EA_IOCTL(SECCOMP_IOCTL_NOTIF_ADDFD))
			return notif_addfd(t, l, arg, _IOC_SIZE(cmd));
		return -EINVAL;
	}
}

/* ---- attaching ---- */

#define KNOWN_FLAGS (SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_LOG |                 \
		     SECCOMP_FILTER_FLAG_SPEC_ALLOW | SECCOMP_FILTER_FLAG_NEW_LISTENER |       \
		     SECCOMP_FILTER_FLAG_TSYNC_ESRCH | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV)

/* Every call of the process's stub comes to the sentry from now on. */
static int
trace_all(struct task *t)
{
	if (t->leader->seccomp_stub)
		return 0;
	int err = plat_trace_all(t->ctx);
	if (!err)
		t->leader->seccomp_stub = true;
	return err;
}

static long
set_strict(struct task *t)
{
	if (t->seccomp_mode && t->seccomp_mode != SECCOMP_MODE_STRICT)
		return -EINVAL;
	int err = trace_all(t);
	if (err)
		return err;
	t->seccomp_mode = SECCOMP_MODE_STRICT;
	return 0;
}

static long
set_filter(struct task *t, unsigned int flags, unsigned long uprog)
{
	struct sock_fprog prog;

	if (flags & ~KNOWN_FLAGS)
		return -EINVAL;
	if ((flags & SECCOMP_FILTER_FLAG_TSYNC) && (flags & SECCOMP_FILTER_FLAG_NEW_LISTENER) &&
	    !(flags & SECCOMP_FILTER_FLAG_TSYNC_ESRCH))
		return -EINVAL;
	if ((flags & SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV) &&
	    !(flags & SECCOMP_FILTER_FLAG_NEW_LISTENER))
		return -EINVAL;
	if (copy_from_guest(t, &prog, uprog, sizeof(prog)))
		return -EFAULT;
	if (prog.len == 0 || prog.len > BPF_MAXINSNS)
		return -EINVAL;
	if (!t->no_new_privs && !task_capable(t, CAP_SYS_ADMIN))
		return -EACCES;
	struct gfilter *g = xmalloc(sizeof(*g) + prog.len * sizeof(struct sock_filter));
	g->refs = 1;
	g->len = prog.len;
	g->prev = NULL;
	long err = 0;
	if (copy_from_guest(t, g->insns, (unsigned long)prog.filter,
			    prog.len * sizeof(struct sock_filter)))
		err = -EFAULT;
	if (!err)
		err = bpf_check_classic(g->insns, g->len, true);
	g->listener = NULL;
	/* one listener per chain (Linux has_duplicate_listener: an open one) */
	for (const struct gfilter *f = t->seccomp; f && !err; f = f->prev)
		if ((flags & SECCOMP_FILTER_FLAG_NEW_LISTENER) && f->listener)
			err = -EBUSY;
	if (!err && t->seccomp_mode && t->seccomp_mode != SECCOMP_MODE_FILTER)
		err = -EINVAL;
	if (!err) {
		unsigned long total = g->len;
		for (const struct gfilter *f = t->seccomp; f; f = f->prev)
			total += f->len + 4;
		if (total > MAX_INSNS_PER_PATH)
			err = -ENOMEM;
	}
	/* TSYNC: every other thread's chain must be an ancestor of the caller's */
	struct task *p, *tmp;
	if (!err && (flags & SECCOMP_FILTER_FLAG_TSYNC)) {
		HASH_ITER(hh, sentry.tasks, p, tmp) {
			if (p == t || p->tgid != t->tgid || p->state == TASK_ZOMBIE)
				continue;
			bool ancestor = p->seccomp == NULL && p->seccomp_mode != SECCOMP_MODE_STRICT;
			for (const struct gfilter *f = t->seccomp; f && !ancestor; f = f->prev)
				ancestor = f == p->seccomp;
			if (!ancestor) {
				err = (flags & SECCOMP_FILTER_FLAG_TSYNC_ESRCH) ? -ESRCH : task_vnr(t, p->tid);
				break;
			}
		}
	}
	if (!err) {
		g->all_calls = needs_all_calls(g);
		if (g->all_calls)
			err = trace_all(t);
	}
	long fd = 0;
	if (!err && (flags & SECCOMP_FILTER_FLAG_NEW_LISTENER))
		err = fd = listener_open(t, g, flags & SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV);
	if (err < 0) {
		free(g);
		return err;
	}
	g->prev = t->seccomp;
	t->seccomp = g;
	t->seccomp_mode = SECCOMP_MODE_FILTER;
	if (flags & SECCOMP_FILTER_FLAG_TSYNC) {
		HASH_ITER(hh, sentry.tasks, p, tmp) {
			if (p == t || p->tgid != t->tgid || p->state == TASK_ZOMBIE)
				continue;
			seccomp_put(p->seccomp);
			p->seccomp = seccomp_get(g);
			p->seccomp_mode = SECCOMP_MODE_FILTER;
			if (t->no_new_privs)
				p->no_new_privs = true;
		}
	}
	return fd; /* (NEW_LISTENER: the listener's, else 0) */
}

int
seccomp_attach(struct task *t, const struct sock_filter *insns, unsigned int len)
{
	int err = bpf_check_classic(insns, len, true);

	if (err)
		return err;
	if (t->seccomp_mode == SECCOMP_MODE_STRICT)
		return -EINVAL;
	struct gfilter *g = xcalloc(1, sizeof(*g) + len * sizeof(struct sock_filter));
	g->refs = 1;
	g->len = len;
	memcpy(g->insns, insns, len * sizeof(struct sock_filter));
	g->all_calls = needs_all_calls(g);
	g->profile = true;
	if (g->all_calls && t->ctx)
		err = trace_all(t);
	if (err) {
		free(g);
		return err;
	}
	g->prev = t->seccomp;
	t->seccomp = g;
	t->seccomp_mode = SECCOMP_MODE_FILTER;
	return 0;
}

static const uint32_t known_actions[] = {
	SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_KILL_THREAD, SECCOMP_RET_TRAP, SECCOMP_RET_ERRNO,
	SECCOMP_RET_USER_NOTIF, SECCOMP_RET_TRACE, SECCOMP_RET_LOG, SECCOMP_RET_ALLOW,
};

long
seccomp_syscall(struct task *t, unsigned int op, unsigned int flags, unsigned long uargs)
{
	switch (op) {
	case SECCOMP_SET_MODE_STRICT:
		if (flags || uargs)
			return -EINVAL;
		return set_strict(t);
	case SECCOMP_SET_MODE_FILTER:
		return set_filter(t, flags, uargs);
	case SECCOMP_GET_ACTION_AVAIL: {
		uint32_t action;
		if (flags)
			return -EINVAL;
		if (copy_from_guest(t, &action, uargs, sizeof(action)))
			return -EFAULT;
		for (size_t i = 0; i < ARRAY_SIZE(known_actions); i++)
			if (action == known_actions[i])
				return 0;
		return -EOPNOTSUPP;
	}
	case SECCOMP_GET_NOTIF_SIZES: {
		struct seccomp_notif_sizes sz = {
			.seccomp_notif = sizeof(struct seccomp_notif),
			.seccomp_notif_resp = sizeof(struct seccomp_notif_resp),
			.seccomp_data = sizeof(struct seccomp_data),
		};
		if (flags)
			return -EINVAL;
		return copy_to_guest(t, uargs, &sz, sizeof(sz)) ? -EFAULT : 0;
	}
	default:
		return -EINVAL;
	}
}

int
seccomp_exec(struct task *t)
{
	t->leader->seccomp_stub = false; /* a new stub */
	if (t->seccomp_mode == SECCOMP_MODE_STRICT || chain_needs_all(t->seccomp))
		return trace_all(t);
	return 0;
}

/* ---- each call ---- */

/* KILL_THREAD with other threads running: this thread alone ends (Linux do_exit(SIGSYS)):
 * its call becomes exit(SIGSYS), which the host runs in the stub (as an injected call: a
 * notification is made a stop first); the robust list and clear_child_tid go as for exit.
 * false: the process must go instead. */
static bool
end_thread(struct task *t)
{
	struct user_regs_struct r;

	if (t->leader->live_threads <= 1 || plat_get_regs(t->ctx, &r))
		return false;
	r = *plat_regs(t->ctx); /* the call as the guest made it */
	r.orig_rax = __NR_exit;
	r.rdi = SIGSYS;
	if (plat_set_regs(t->ctx, &r))
		return false;
	futex_exit(t, false);
	return true;
}

/* The process ends as killed by sig (SIGSYS: the exit status is made so in loop.c). */
static long
kill_process(struct task *t, int sig)
{
	t->leader->seccomp_kill_sig = sig;
	plat_kill(t->ctx);
	return SYSRET_EXITED;
}

/* The call is skipped with a SIGSYS to the thread, forced (a blocked or ignored SIGSYS
 * kills, its default action); returns the call's result: rax as Linux's rollback leaves it. */
static long
trap(struct task *t, const struct sysargs *a, int code, int err)
{
	unsigned long mask = 0;
	siginfo_t si;

	if (task_sig_handler(t, SIGSYS) == (unsigned long)SIG_IGN ||
	    (plat_get_sigmask(t->ctx, &mask) == 0 && (mask & SIG_BIT(SIGSYS))))
		return kill_process(t, SIGSYS);
	memset(&si, 0, sizeof(si));
	si.si_signo = SIGSYS;
	si.si_code = code;
	si.si_errno = err;
	si.si_call_addr = (void *)a->rip;
	si.si_syscall = (int)a->nr;
	si.si_arch = AUDIT_ARCH_X86_64;
	task_send_signal(t, SIGSYS, &si, false);
	return a->nr;
}

/* A call the sandbox's --seccomp profile (or linux.seccomp) refused: a denial like the
 * sandbox's own, in --audit and the count. */
static void
audit_profile(struct task *t, const struct sysargs *a, uint32_t ret)
{
	static const struct { uint32_t action; const char *name; } names[] = {
		{ SECCOMP_RET_KILL_PROCESS, "SCMP_ACT_KILL_PROCESS" },
		{ SECCOMP_RET_KILL_THREAD, "SCMP_ACT_KILL_THREAD" },
		{ SECCOMP_RET_TRAP, "SCMP_ACT_TRAP" }, { SECCOMP_RET_ERRNO, "SCMP_ACT_ERRNO" },
		{ SECCOMP_RET_TRACE, "SCMP_ACT_TRACE" }, { SECCOMP_RET_USER_NOTIF, "SCMP_ACT_NOTIFY" },
	};
	const struct sysent *e = sys_lookup(a->nr);
	const char *action = "an unknown action";
	char why[96];
	int err = 0;

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if ((ret & SECCOMP_RET_ACTION_FULL) == names[i].action)
			action = names[i].name;
	if ((ret & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ERRNO)
		err = (int)MIN(ret & SECCOMP_RET_DATA, 4095U);
	else if ((ret & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_TRACE)
		err = ENOSYS;
	snprintf(why, sizeof(why), "seccomp profile: %s", action);
	audit_call(t, a, e && e->name ? e->name : NULL, err, why);
}

bool
seccomp_filter_call(struct task *t, const struct sysargs *a, long *result)
{
	if (t->seccomp_mode == SECCOMP_MODE_STRICT) {
		if (a->nr == __NR_read || a->nr == __NR_write || a->nr == __NR_exit ||
		    a->nr == __NR_rt_sigreturn)
			return false;
		*result = kill_process(t, SIGKILL);
		return true;
	}
	if (!t->seccomp)
		return false;
	struct seccomp_data d = {
		.nr = (int)a->nr,
		.arch = AUDIT_ARCH_X86_64,
		.instruction_pointer = a->rip,
	};
	memcpy(d.args, a->a, sizeof(d.args));
	struct gfilter *match;
	uint32_t ret = run_chain(t->seccomp, &d, &match);
	uint32_t data = ret & SECCOMP_RET_DATA;

	if (match && match->profile && !action_allows(ret))
		audit_profile(t, a, ret);

	switch (ret & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_ALLOW:
	case SECCOMP_RET_LOG:
		return false;
	case SECCOMP_RET_ERRNO:
		*result = -(long)MIN(data, 4095U);
		return true;
	case SECCOMP_RET_TRACE:
		/* the second run after its tracer's stop lets it run; a tracer that takes
		 * seccomp stops holds it before the call (the caller sees the stop) */
		if (t->pt && t->pt->seccomp_recheck)
			return false;
		*result = -ENOSYS; /* what it gives without such a tracer */
		ptrace_seccomp_stop(t, data);
		return true;
	case SECCOMP_RET_USER_NOTIF:
		*result = notif_send(t, match, &d);
		return true;
	case SECCOMP_RET_TRAP:
		*result = trap(t, a, SYS_SECCOMP, (int)data);
		return true;
	case SECCOMP_RET_KILL_THREAD:
		if (end_thread(t)) {
			*result = SYSRET_NATIVE;
			return true;
		}
		/* the last thread: the process goes, as Linux's core dump path does */
		/* fallthrough */
	default: /* KILL_PROCESS and unknown actions */
		*result = kill_process(t, SIGSYS);
		return true;
	}
}

/* ---- syscall user dispatch ---- */

#ifndef PR_SYS_DISPATCH_EXCLUSIVE_ON
#define PR_SYS_DISPATCH_EXCLUSIVE_ON 1 /* (PR_SYS_DISPATCH_ON) */
#define PR_SYS_DISPATCH_INCLUSIVE_ON 2 /* the region is where calls are dispatched */
#endif
#ifndef SYS_USER_DISPATCH
#define SYS_USER_DISPATCH 2 /* si_code of its SIGSYS */
#endif
#define SUD_ALLOW 0 /* SYSCALL_DISPATCH_FILTER_ALLOW, _BLOCK */
#define SUD_BLOCK 1

long
sud_set(struct task *t, unsigned long mode, unsigned long off, unsigned long len,
	unsigned long sel)
{
	switch (mode) {
	case PR_SYS_DISPATCH_OFF:
		if (off || len || sel)
			return -EINVAL;
		t->sud_on = false;
		return 0;
	case PR_SYS_DISPATCH_EXCLUSIVE_ON:
		if (off && off + len <= off)
			return -EINVAL;
		break;
	case PR_SYS_DISPATCH_INCLUSIVE_ON:
		if (len == 0 || off + len <= off)
			return -EINVAL;
		off += len; /* the complement, which wraps around (the test in sud_call) */
		len = -len;
		break;
	default:
		return -EINVAL;
	}
	/* Linux's access_ok at the prctl; an unmapped selector is found at the first call */
	if (sel >= VMA_TASK_SIZE)
		return -EFAULT;
	int err = trace_all(t);
	if (err)
		return err;
	t->sud_on = true;
	t->sud_off = off;
	t->sud_len = len;
	t->sud_sel = sel;
	return 0;
}

bool
sud_call(struct task *t, const struct sysargs *a, long *result)
{
	char state;

	/* a->rip is past the syscall instruction, as Linux's instruction_pointer there */
	if (a->rip - t->sud_off < t->sud_len)
		return false;
	if (t->sud_sel) {
		if (copy_from_guest(t, &state, t->sud_sel, 1)) {
			*result = kill_process(t, SIGSEGV);
			return true;
		}
		if (state == SUD_ALLOW)
			return false;
		if (state != SUD_BLOCK) {
			*result = kill_process(t, SIGSYS);
			return true;
		}
	}
	*result = trap(t, a, SYS_USER_DISPATCH, 0);
	return true;
}
