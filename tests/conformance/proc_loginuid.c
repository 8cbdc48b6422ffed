/* /proc/PID/loginuid and sessionid: the audit login id a task sets for itself (pam_loginuid
 * does, in sshd, login and cron: its session fails when the write does), inherited by every
 * new task; who may set and change it, the session each setting begins, the number's
 * syntax, and the uid as the writer's user namespace names it. Each step runs in a child
 * so that the test's own ids stay as they came. The sandbox's first program starts with
 * its caller's ids, as a child natively, so both runs begin alike. */
#include "cf.h"
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <sys/wait.h>
#include <linux/capability.h>

#define UNSET 4294967295u

static unsigned
num(const char *path)
{
	char buf[32];

	if (cf_read_text(path, buf, sizeof(buf)) <= 0)
		return 0;
	return (unsigned)strtoul(buf, NULL, 10);
}

/* "label: ok" or the errno name; the write's position given */
static void
put_at(const char *label, const char *path, const char *s, size_t n, off_t pos)
{
	int fd = open(path, O_WRONLY);
	ssize_t r = fd < 0 ? -1 : pwrite(fd, s, n, pos);

	if (r >= 0)
		printf("%s: ok %s\n", label, r == (ssize_t)n ? "(all)" : "(short)");
	else
		printf("%s: %s\n", label, en(errno));
	if (fd >= 0)
		close(fd);
}

static void
put(const char *label, const char *s)
{
	put_at(label, "/proc/self/loginuid", s, strlen(s), 0);
}

static void
show(const char *label)
{
	unsigned l = num("/proc/self/loginuid"), s = num("/proc/self/sessionid");

	printf("%s: loginuid %u, session %s\n", label, l, s == UNSET ? "none" : "set");
}

static void
drop_audit_control(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	syscall(SYS_capget, &h, d);
	d[CAP_AUDIT_CONTROL / 32].effective &= ~(1u << (CAP_AUDIT_CONTROL % 32));
	printf("capset without CAP_AUDIT_CONTROL: %s\n",
	       syscall(SYS_capset, &h, d) == 0 ? "ok" : en(errno));
}

static void
syntax(void)
{
	char big[80];

	put("letters", "abc");
	put("minus one", "-1");
	put("empty", "");
	put("space after", "5 ");
	put("two newlines", "5\n\n");
	put("33 bits", "4294967296");
	put("65 bits", "36893488147419103232");
	memset(big, '0', sizeof(big));
	big[sizeof(big) - 1] = 'x';
	put_at("a letter past byte 34", "/proc/self/loginuid", big, sizeof(big), 0);
	put_at("at position 1", "/proc/self/loginuid", "5", 1, 1);
	show("after bad writes");
}

static void
sessions(void)
{
	unsigned s0, s1, s2;

	show("start");
	if (num("/proc/self/loginuid") != UNSET) {
		printf("loginuid set already: only the changes with CAP_AUDIT_CONTROL\n");
	} else {
		put("set 1000", "1000\n");
		show("set");
	}
	s0 = num("/proc/self/sessionid");
	put("plus sign, 2000", "+2000");
	s1 = num("/proc/self/sessionid");
	printf("new session: %s\n", s1 != s0 && s1 != UNSET ? "yes" : "no");
	show("changed");
	/* a child inherits both */
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		printf("child: loginuid %u, same session %s\n", num("/proc/self/loginuid"),
		       num("/proc/self/sessionid") == s1 ? "yes" : "no");
		fflush(stdout);
		_exit(0);
	}
	waitpid(p, NULL, 0);
	put("same value again", "2000");
	s2 = num("/proc/self/sessionid");
	printf("another session: %s\n", s2 != s1 ? "yes" : "no");
	put("unset", "4294967295");
	show("unset");
	put("set from unset", "3000");
	show("set again");
	drop_audit_control();
	put("change without the capability", "4000");
	put("unset without the capability", "4294967295");
	show("kept");
}

static void
unset_then_drop(void)
{
	put("unset", "4294967295");
	drop_audit_control();
	put("set from unset without the capability", "5000");
	show("set");
}

static void *
thread_write(void *arg)
{
	(void)arg;
	put("thread: /proc/self (its leader's)", "6000");
	char path[64];
	snprintf(path, sizeof(path), "/proc/thread-self/loginuid");
	put_at("thread: /proc/thread-self", path, "6000", 4, 0);
	printf("thread: loginuid %u\n", num("/proc/thread-self/loginuid"));
	return NULL;
}

static void
threads(void)
{
	pthread_t th;

	put("unset", "4294967295");
	pthread_create(&th, NULL, thread_write, NULL);
	pthread_join(th, NULL);
	show("leader");
}

static void
others(void)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/loginuid", (int)getppid());
	put_at("the parent's", path, "7000", 4, 0);
}

static void
userns(void)
{
	char map[64];
	uid_t outer = geteuid();

	put("unset", "4294967295");
	if (unshare(CLONE_NEWUSER) < 0) {
		printf("unshare: %s\n", en(errno));
		return;
	}
	snprintf(map, sizeof(map), "0 %u 1", (unsigned)outer);
	int fd = open("/proc/self/uid_map", O_WRONLY);
	printf("uid_map: %s\n", fd >= 0 && write(fd, map, strlen(map)) > 0 ? "ok" : en(errno));
	if (fd >= 0)
		close(fd);
	put("an unmapped uid", "5");
	put("uid 0 inside", "0");
	printf("seen inside: %u\n", num("/proc/self/loginuid"));
	put("change inside", "0");
}

int
main(void)
{
	cf_in_child("syntax", syntax);
	cf_in_child("sessions", sessions);
	cf_in_child("unset_then_drop", unset_then_drop);
	cf_in_child("threads", threads);
	cf_in_child("others", others);
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		cf_in_child("userns", userns);
		_exit(0);
	}
	waitpid(p, NULL, 0);
	return 0;
}
