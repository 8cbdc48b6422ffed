/*
 * Setup failures explained: when the host refuses something the sandbox needs (user
 * namespaces, ptrace, seccomp), say which host setting or container option is the cause and
 * how to change it. Runs in the CLI, or in the sentry before it leaves the host's /proc.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sentry/sentry.h"

/* The first line of a small /proc file as a number; -1 when absent or unreadable. */
static long
read_knob(const char *path)
{
	char buf[32];

	return read_small(path, buf, sizeof(buf)) > 0 ? strtol(buf, NULL, 10) : -1;
}

/* Inside docker, podman, containerd or Kubernetes? Names the kind, or NULL. */
static const char *
container_kind(void)
{
	char buf[4096];

	if (access("/.dockerenv", F_OK) == 0)
		return "docker";
	if (access("/run/.containerenv", F_OK) == 0)
		return "podman";
	if (read_small("/proc/1/cgroup", buf, sizeof(buf)) <= 0)
		return NULL;
	if (strstr(buf, "kubepods"))
		return "kubernetes";
	if (strstr(buf, "docker"))
		return "docker";
	if (strstr(buf, "libpod"))
		return "podman";
	if (strstr(buf, "containerd"))
		return "containerd";
	return NULL;
}

static const char container_fix[] =
	"; inside a container the runtime's seccomp profile or missing capabilities block it: "
	"run the container with --security-opt seccomp=unconfined --security-opt apparmor=unconfined "
	"(docker/podman), or a seccomp profile that allows clone/unshare with CLONE_NEWUSER, ptrace "
	"and seccomp";

const char *
explain_userns_failure(int err, char *buf, size_t n)
{
	const char *ctr = container_kind();
	long max_ns = read_knob("/proc/sys/user/max_user_namespaces");
	long unpriv = read_knob("/proc/sys/kernel/unprivileged_userns_clone");
	long apparmor = read_knob("/proc/sys/kernel/apparmor_restrict_unprivileged_userns");
	bool root = geteuid() == 0;

	if (err == ENOSPC && max_ns == 0)
		snprintf(buf, n, "user namespaces are disabled on this host "
			 "(user.max_user_namespaces = 0): enable them with "
			 "`sysctl -w user.max_user_namespaces=15000`");
	else if (err == ENOSPC)
		snprintf(buf, n, "no user namespace can be created here: the limit is reached, or an "
			 "outer sandbox forbids nested user namespaces (e.g. bwrap --disable-userns, or "
			 "user.max_user_namespaces in its namespace); run sandbox outside it or allow "
			 "nesting");
	else if (err == EUSERS)
		snprintf(buf, n, "user namespaces are nested too deeply (Linux allows 32 levels)");
	else if (err == EPERM && !root && unpriv == 0)
		snprintf(buf, n, "unprivileged user namespaces are disabled "
			 "(kernel.unprivileged_userns_clone = 0): enable them with "
			 "`sysctl -w kernel.unprivileged_userns_clone=1`, or run sandbox as root");
	else if (err == EPERM && !root && apparmor == 1)
		snprintf(buf, n, "AppArmor restricts unprivileged user namespaces "
			 "(kernel.apparmor_restrict_unprivileged_userns = 1): allow them with "
			 "`sysctl -w kernel.apparmor_restrict_unprivileged_userns=0`, or install an "
			 "AppArmor profile for build/sandbox that has the `userns,` rule");
	else if (err == EPERM && ctr)
		snprintf(buf, n, "the %s container does not allow user namespaces%s", ctr,
			 container_fix);
	else if (err == EPERM)
		snprintf(buf, n, "the host refused a new user namespace (a seccomp filter, an LSM, "
			 "or a chroot around this process); sandbox needs clone(CLONE_NEWUSER)");
	else
		snprintf(buf, n, "user namespaces must be available (user.max_user_namespaces > 0%s)",
			 unpriv == 0 ? ", kernel.unprivileged_userns_clone = 1" : "");
	return buf;
}

const char *
explain_ptrace_failure(int err, char *buf, size_t n)
{
	long scope = read_knob("/proc/sys/kernel/yama/ptrace_scope");
	const char *ctr = container_kind();

	if (err != EPERM && err != EACCES)
		snprintf(buf, n, "the ptrace platform could not start its first process");
	else if (scope == 3)
		snprintf(buf, n, "Yama forbids ptrace on this host (kernel.yama.ptrace_scope = 3, "
			 "which only a reboot lowers): boot with ptrace_scope 0-2; the sandbox traces "
			 "only its own children");
	else if (ctr)
		snprintf(buf, n, "the %s container does not allow ptrace%s", ctr, container_fix);
	else
		snprintf(buf, n, "the host refused ptrace of the sandbox's own child (a seccomp filter "
			 "or an LSM policy); sandbox needs ptrace and seccomp");
	return buf;
}

const char *
explain_seccomp_failure(int err, char *buf, size_t n)
{
	if (err == EINVAL)
		snprintf(buf, n, "this kernel has no seccomp filter support (CONFIG_SECCOMP_FILTER)");
	else if (container_kind())
		snprintf(buf, n, "the container refuses seccomp filters%s", container_fix);
	else
		snprintf(buf, n, "the host refused the sandbox's seccomp filter");
	return buf;
}
