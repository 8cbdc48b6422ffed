/* The syscall table and the sentry's host allowlist: structural checks. TAP output. */
#include <asm/unistd.h>
#include <stdio.h>
#include <string.h>

#include "platform/platform.h"
#include "tests/unit/tap.h"
#include "sentry/sentry.h"
#include "syscalls/syscalls.h"

int
main(void)
{
	int rows = 0, bad = 0;
	const char *first_bad = "";

	printf("1..9\n");
	for (long nr = 0; nr < SYS_MAX; nr++) {
		const struct sysent *e = sys_lookup(nr);
		if (!e)
			continue;
		rows++;
		bool good = e->name && *e->name &&
			    (e->disp == SYS_DENY ? e->err > 0 && !e->handler : e->handler != NULL);
		if (!good && !bad++)
			first_bad = e->name ? e->name : "(null)";
	}
	ok(rows > 150, "the table has %s rows", rows > 150 ? "over 150" : "too few");
	ok(bad == 0, "every row has a name and a handler or an errno (first bad: %s)", first_bad);
	ok(sys_lookup(-1) == NULL && sys_lookup(SYS_MAX) == NULL && sys_lookup(1L << 40) == NULL,
	   "out-of-range numbers have no row");
	ok(sys_lookup(__NR_kexec_load) && sys_lookup(__NR_kexec_load)->disp == SYS_DENY,
	   "%s is denied", "kexec_load");
	ok(sys_lookup(__NR_io_uring_setup) && sys_lookup(__NR_io_uring_setup)->disp == SYS_DENY,
	   "%s is denied", "io_uring_setup");
	ok(sys_lookup(__NR_openat) && sys_lookup(__NR_openat)->disp != SYS_PASSTHROUGH,
	   "%s is emulated, never passthrough", "openat");

	/* The allowlist's single definition: at most 60 host syscalls, no duplicates. */
	char count[32];
	snprintf(count, sizeof(count), "%zu", sentry_host_syscalls_len);
	ok(sentry_host_syscalls_len > 0 && sentry_host_syscalls_len <= 60,
	   "the sentry allowlist has %s host syscalls (<= 60)", count);
	int dups = 0;
	for (size_t i = 0; i < sentry_host_syscalls_len; i++)
		for (size_t j = i + 1; j < sentry_host_syscalls_len; j++)
			dups += sentry_host_syscalls[i] == sentry_host_syscalls[j];
	ok(dups == 0, "the allowlist has no duplicates");
	bool forbidden = true;
	static const int never[] = { __NR_open, __NR_openat, __NR_execve, __NR_connect, __NR_socket,
				     __NR_mount, __NR_unshare, __NR_setns, __NR_bpf };
	for (size_t i = 0; i < sentry_host_syscalls_len; i++)
		for (size_t j = 0; j < ARRAY_SIZE(never); j++)
			if (sentry_host_syscalls[i] == never[j])
				forbidden = false;
	ok(forbidden, "open/execve/connect/socket/mount/unshare/setns/bpf are not allowed");
	return nfail ? 1 : 0;
}
