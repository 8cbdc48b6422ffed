/*
 * Seccomp filters made at build time: tools/mkfilters.c runs the rule functions below with
 * libseccomp and writes the BPF into $(B)/gen/filters.c, so a run loads finished programs
 * instead of building them (libseccomp's rule building and export took ~0.1 ms per filter
 * at every start). The rules stay the single definition; tests/unit/test_filters.c checks
 * that the built programs are what libseccomp makes of them now and that they decide every
 * call as the unoptimized (linear) program does.
 */
#pragma once
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <sys/syscall.h>
#include <unistd.h>

struct prebuilt_filter {
	const struct sock_filter *insns;
	unsigned short len;
};

/* The sentry's allowlist (sentry/confine_rules.c) and the gofer's (fs/gofer_rules.c). */
extern const struct prebuilt_filter sentry_filter, gofer_filter;
/* The gofer's with the network egress calls (a run whose --net is not none). */
extern const struct prebuilt_filter gofer_net_filter;
/* The stub filter's part after its hand-written head (platform/stub_rules.c, platform/filter.c):
 * every call traced, or the hot ones sent as user notifications. */
extern const struct prebuilt_filter stub_filter, stub_notify_filter;
/* Stacked on the stub of a process in a time namespace with offsets: the shifted clocks'
 * clock_gettime is traced (platform/stub_rules.c). */
extern const struct prebuilt_filter stub_timens_filter;
/* Stacked on the stub of a process with locked memory: the advice Linux refuses on locked
 * mappings is traced (platform/stub_rules.c; the list for the sentry's check too). */
extern const struct prebuilt_filter stub_mlock_filter;
extern const int stub_lock_refused_advice[];
extern const size_t stub_lock_refused_advice_len;

/* User-notification names older uapi headers lack (Linux 6.6). */
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif

/* The gofer's socket to the sentry is always this fd (its filter names it). */
#define GOFER_SOCK_FD 3

/* The rules, with every attribute (default and bad-architecture actions, optimization):
 * 0 or a libseccomp -errno. */
int sentry_filter_rules(scmp_filter_ctx f);
int gofer_filter_rules(scmp_filter_ctx f);
int gofer_net_filter_rules(scmp_filter_ctx f);
int stub_filter_rules(scmp_filter_ctx f);
int stub_notify_filter_rules(scmp_filter_ctx f);
int stub_timens_filter_rules(scmp_filter_ctx f);
int stub_mlock_filter_rules(scmp_filter_ctx f);
/* A new libseccomp context with the default action of that filter, or NULL. */
scmp_filter_ctx sentry_filter_ctx(void);
scmp_filter_ctx gofer_filter_ctx(void);
scmp_filter_ctx stub_filter_ctx(void);
scmp_filter_ctx stub_stacked_filter_ctx(void);

/* Installs a prebuilt filter on the calling thread, as seccomp_load does (no flags; the
 * caller has set no_new_privs). 0 or -errno. */
static inline int
prebuilt_filter_load(const struct prebuilt_filter *p)
{
	struct sock_fprog prog = { .len = p->len, .filter = (struct sock_filter *)p->insns };

	if (!p->len)
		return -EINVAL;
	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0 ? -errno : 0;
}
