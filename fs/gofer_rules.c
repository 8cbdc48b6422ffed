/*
 * The gofer's seccomp allowlist: everything its serve loop may do, nothing else. The BPF
 * program is made from these rules at build time (sentry/filters.h); it names the gofer's
 * socket, which is always GOFER_SOCK_FD.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include "fs/gofer_proto.h"
#include "sentry/filters.h"
#include "sentry/util.h"

enum { ARG_ANY, ARG_FD_SOCK, ARG_FD_STDERR, ARG_NO_EXEC, ARG_ACCEPT, ARG_GETSETFL, ARG_PEERCRED };

static const struct {
	int nr;
	int cond;
} gofer_allow[] = {
	{ SCMP_SYS(openat2), ARG_ANY },
	{ SCMP_SYS(newfstatat), ARG_ANY },
	{ SCMP_SYS(fstat), ARG_ANY },
	{ SCMP_SYS(statx), ARG_ANY },
	{ SCMP_SYS(fstatfs), ARG_ANY },
	{ SCMP_SYS(readlinkat), ARG_ANY },
	{ SCMP_SYS(getdents64), ARG_ANY }, /* the sandbox's threads in /proc (TASK_STATE) */
	/* changes on writable mounts */
	{ SCMP_SYS(mknodat), ARG_ANY },
	{ SCMP_SYS(mkdirat), ARG_ANY },
	{ SCMP_SYS(unlinkat), ARG_ANY },
	{ SCMP_SYS(renameat2), ARG_ANY },
	{ SCMP_SYS(symlinkat), ARG_ANY },
	{ SCMP_SYS(linkat), ARG_ANY },
	{ SCMP_SYS(ftruncate), ARG_ANY },
	{ SCMP_SYS(fallocate), ARG_ANY },
	{ SCMP_SYS(fgetxattr), ARG_ANY },
	{ SCMP_SYS(flistxattr), ARG_ANY },
	{ SCMP_SYS(fsetxattr), ARG_ANY },
	{ SCMP_SYS(fremovexattr), ARG_ANY },
	{ SCMP_SYS(fchmodat), ARG_ANY },
	{ GOFER_SYS_fchmodat2, ARG_ANY },
	{ SCMP_SYS(fchownat), ARG_ANY }, /* a new object's owners (give_owners) */
	{ SCMP_SYS(setfsuid), ARG_ANY }, /* made as its owners (create_as_owner) */
	{ SCMP_SYS(setfsgid), ARG_ANY },
	{ SCMP_SYS(utimensat), ARG_ANY },
	{ SCMP_SYS(recvmsg), ARG_FD_SOCK },
	{ SCMP_SYS(sendmsg), ARG_FD_SOCK },
	{ SCMP_SYS(close), ARG_ANY },
	{ SCMP_SYS(read), ARG_ANY },
	{ SCMP_SYS(write), ARG_FD_STDERR },
	{ SCMP_SYS(exit_group), ARG_ANY },
	{ SCMP_SYS(exit), ARG_ANY },
	{ SCMP_SYS(brk), ARG_ANY },
	{ SCMP_SYS(mmap), ARG_NO_EXEC },
	{ SCMP_SYS(munmap), ARG_ANY },
	{ SCMP_SYS(mremap), ARG_ANY },
	{ SCMP_SYS(rt_sigreturn), ARG_ANY },
	{ SCMP_SYS(rt_sigprocmask), ARG_ANY },
	{ SCMP_SYS(futex), ARG_ANY },
	{ SCMP_SYS(sigaltstack), ARG_ANY }, /* ASan builds tear down their alt stack in _exit */
	/* on a socket the sentry passes: an egress one, or a host socket the guest has as a
	 * std fd (in mode none too); the options are gofer_net_sockopt_ok's */
	{ SCMP_SYS(shutdown), ARG_ANY },
	{ SCMP_SYS(setsockopt), ARG_ANY },
	/* a connection of a listening one (NET_ACCEPT): its flags made non-blocking for the
	 * accept alone, the new socket's name and (unix) its peer's credentials */
	{ SCMP_SYS(accept4), ARG_ACCEPT },
	{ SCMP_SYS(fcntl), ARG_GETSETFL },
	{ SCMP_SYS(getsockname), ARG_ANY },
	{ SCMP_SYS(getsockopt), ARG_PEERCRED },
};

/* With a network mode other than none (net/net.h): the calls that make a host socket for
 * the sentry, IPv4 and IPv6 only (a separate filter: mode none keeps the one above). */
static const int gofer_net_allow[] = {
	SCMP_SYS(connect),
};

/* Arguments are spelled out in full (datum_b included) so clang's -Wextra stays quiet. */
static int
add_rule(scmp_filter_ctx ctx, int nr, int cond)
{
	switch (cond) {
	case ARG_FD_SOCK:
		return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
					SCMP_A0(SCMP_CMP_EQ, GOFER_SOCK_FD, 0));
	case ARG_FD_STDERR:
		return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
					SCMP_A0(SCMP_CMP_EQ, STDERR_FILENO, 0));
	case ARG_NO_EXEC:
		return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
					SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	case ARG_ACCEPT:
		return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
					SCMP_A3(SCMP_CMP_EQ, SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
	case ARG_GETSETFL: {
		int err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
					   SCMP_A1(SCMP_CMP_EQ, F_GETFL, 0));
		return err ? err : seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
						    SCMP_A1(SCMP_CMP_EQ, F_SETFL, 0));
	}
	case ARG_PEERCRED:
		return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 2,
					SCMP_A1(SCMP_CMP_EQ, SOL_SOCKET, 0),
					SCMP_A2(SCMP_CMP_EQ, SO_PEERCRED, 0));
	default:
		return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
	}
}

scmp_filter_ctx
gofer_filter_ctx(void)
{
	return seccomp_init(SCMP_ACT_KILL_PROCESS);
}

static int
rules(scmp_filter_ctx ctx, bool net)
{
	int err = 0;

	for (size_t i = 0; i < ARRAY_SIZE(gofer_allow) && !err; i++)
		err = add_rule(ctx, gofer_allow[i].nr, gofer_allow[i].cond);
	for (size_t i = 0; net && i < ARRAY_SIZE(gofer_net_allow) && !err; i++)
		err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, gofer_net_allow[i], 0);
	if (net && !err)
		err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket), 1,
				       SCMP_A0(SCMP_CMP_EQ, AF_INET, 0));
	if (net && !err)
		err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket), 1,
				       SCMP_A0(SCMP_CMP_EQ, AF_INET6, 0));
	if (!err)
		err = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2); /* as the sentry's */
	return err;
}

int
gofer_filter_rules(scmp_filter_ctx ctx)
{
	return rules(ctx, false);
}

int
gofer_net_filter_rules(scmp_filter_ctx ctx)
{
	return rules(ctx, true);
}
