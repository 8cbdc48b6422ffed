/*
 * deny SYSCALL[,SYSCALL...] -- PROGRAM ARGS...: runs PROGRAM with those host syscalls failing
 * with EPERM (a seccomp filter, as a restrictive container runtime would install), to check
 * that the sandbox explains such a host. SYSCALL@MASK denies only calls whose first argument
 * has a bit of MASK set (clone@0x10000000: clone with CLONE_NEWUSER).
 */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	if (argc < 4 || strcmp(argv[2], "--")) {
		fprintf(stderr, "usage: deny SYSCALL[,SYSCALL...] -- PROGRAM ARGS...\n");
		return 2;
	}
	scmp_filter_ctx f = seccomp_init(SCMP_ACT_ALLOW);
	for (char *name = strtok(argv[1], ","); name; name = strtok(NULL, ",")) {
		char *at = strchr(name, '@');
		unsigned long mask = 0;
		if (at) {
			*at = '\0';
			mask = strtoul(at + 1, NULL, 0);
		}
		int nr = seccomp_syscall_resolve_name(name);
		int err = nr == __NR_SCMP_ERROR;
		if (!err && mask)
			err = seccomp_rule_add(f, SCMP_ACT_ERRNO(EPERM), nr, 1,
					       SCMP_A0(SCMP_CMP_MASKED_EQ, mask, mask));
		else if (!err)
			err = seccomp_rule_add(f, SCMP_ACT_ERRNO(EPERM), nr, 0);
		if (err) {
			fprintf(stderr, "deny: unknown syscall %s\n", name);
			return 2;
		}
	}
	if (seccomp_load(f)) {
		fprintf(stderr, "deny: cannot load the filter\n");
		return 2;
	}
	execvp(argv[3], argv + 3);
	perror(argv[3]);
	return 127;
}
