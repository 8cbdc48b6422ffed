/*
 * reboot(2): without CAP_SYS_BOOT EPERM comes first, whatever the magic numbers; with it,
 * bad magic numbers are EINVAL. In a child pid namespace (the only place a valid call is
 * made here: it never touches the machine) a restart or power-off ends the namespace: its
 * init dies and its parent sees it killed by SIGHUP (restart) or SIGINT (power off), whoever
 * of the namespace called; other commands are EINVAL there.
 */
#include "cf.h"
#include <linux/reboot.h>
#include <sched.h>
#include <stdbool.h>
#include <signal.h>
#include <sys/wait.h>

static long
rb(unsigned int m1, unsigned int m2, unsigned int cmd)
{
	return syscall(SYS_reboot, m1, m2, cmd, 0);
}

/* The namespace's init (pid 1, or nothing valid is tried): a command that is not a
 * restart or power-off, then cmd, by itself or by a child of its. */
static int
ns_init(unsigned int cmd, bool by_child)
{
	if (getpid() != 1)
		_exit(99);
	R("in namespace, bad magic2", rb(LINUX_REBOOT_MAGIC1, 0, cmd));
	R("in namespace, CAD_ON", rb(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
				     LINUX_REBOOT_CMD_CAD_ON));
	if (by_child) {
		if (fork() == 0) {
			rb(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2A, cmd);
			printf("child: reboot returned\n");
			_exit(1);
		}
		for (;;)
			pause();
	}
	rb(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, cmd);
	printf("init: reboot returned\n");
	return 1;
}

static void
in_namespace(const char *what, unsigned int cmd, bool by_child)
{
	int st = 0;
	pid_t pid = (pid_t)syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, 0, 0, 0, 0);

	if (pid == 0)
		_exit(ns_init(cmd, by_child));
	if (pid < 0) {
		printf("%s: clone -1 %s\n", what, en(errno));
		return;
	}
	waitpid(pid, &st, 0);
	cf_show_wait(what, st);
}

int
main(void)
{
	int st = 0;

	setvbuf(stdout, NULL, _IONBF, 0);
	R("bad magic1", rb(0, 0, LINUX_REBOOT_CMD_RESTART));
	R("bad magic2", rb(LINUX_REBOOT_MAGIC1, 0x12345678, LINUX_REBOOT_CMD_POWER_OFF));
	pid_t pid = fork();
	if (pid == 0) {
		if (setresuid(65534, 65534, 65534))
			_exit(2);
		R("unprivileged, bad magic", rb(0, 0, LINUX_REBOOT_CMD_RESTART));
		R("unprivileged, bad magic2", rb(LINUX_REBOOT_MAGIC1, 1, LINUX_REBOOT_CMD_HALT));
		_exit(0);
	}
	waitpid(pid, &st, 0);
	cf_show_wait("unprivileged child", st);
	in_namespace("init powers off", LINUX_REBOOT_CMD_POWER_OFF, false);
	in_namespace("init restarts", LINUX_REBOOT_CMD_RESTART, false);
	in_namespace("child halts", LINUX_REBOOT_CMD_HALT, true);
	in_namespace("child restarts (RESTART2)", LINUX_REBOOT_CMD_RESTART2, true);
	return 0;
}
