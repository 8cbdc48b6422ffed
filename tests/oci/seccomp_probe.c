/* For tests/oci/seccomp.sh: makes the calls named on its command line and prints what each
 * returned ("NAME: ok" or "NAME: ERRNO"). Built static, put in a container's rootfs. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <unistd.h>

static long
call(const char *name)
{
	struct utsname u;
	struct sysinfo si;

	if (!strcmp(name, "mkdir"))
		return mkdir("/tmp/probe-dir", 0755);
	if (!strcmp(name, "chmod700") || !strcmp(name, "chmod644")) {
		int fd = open("/tmp/probe-file", O_CREAT | O_WRONLY, 0600);
		if (fd >= 0)
			close(fd);
		return syscall(SYS_fchmodat, AT_FDCWD, "/tmp/probe-file",
			       strcmp(name, "chmod700") ? 0644 : 0700);
	}
	if (!strcmp(name, "uname"))
		return uname(&u);
	if (!strcmp(name, "sysinfo"))
		return sysinfo(&si);
	if (!strcmp(name, "syncfs"))
		return syncfs(0);
	if (!strcmp(name, "sync")) {
		sync();
		return 0;
	}
	if (!strcmp(name, "setprio-process"))
		return setpriority(PRIO_PROCESS, 0, getpriority(PRIO_PROCESS, 0));
	if (!strcmp(name, "setprio-user"))
		return setpriority(PRIO_USER, 54321, 0); /* nobody has that uid: ESRCH */
	if (!strcmp(name, "getprio"))
		return getpriority(PRIO_PROCESS, 0) < -20 ? -1 : 0;
	if (!strcmp(name, "sethostname"))
		return sethostname("probe", 5);
	if (!strcmp(name, "personality"))
		return syscall(SYS_personality, 0xffffffffUL) < 0 ? -1 : 0;
	if (!strcmp(name, "clone3"))
		return syscall(435, NULL, 0);
	if (!strcmp(name, "reboot"))
		return syscall(SYS_reboot, 0, 0, 0, NULL); /* bad magic: EINVAL if it runs */
	if (!strncmp(name, "nr", 2)) /* nrN: call N with zero arguments */
		return syscall(atol(name + 2), 0, 0, 0, 0, 0, 0);
	errno = EDOM;
	return -1;
}

int
main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		errno = 0;
		long r = call(argv[i]);
		printf("%s: %s\n", argv[i], r < 0 ? strerrorname_np(errno) : "ok");
		fflush(stdout);
	}
	return 0;
}
