/* Seccomp profiles (sentry/seccomp_profile.c, CLI side): an OCI LinuxSeccomp object or a
 * docker/podman profile made into a BPF program for the sentry to attach (seccomp_attach).
 * caps: the program's capability bounding set, which docker profiles' "includes" and
 * "excludes" name. 0 with *prog (free prog->filter), or -1 with a one-line reason in err. */
#pragma once
#include <jansson.h>
#include <linux/filter.h>
#include <stdint.h>

int seccomp_profile_build(json_t *j, uint64_t caps, struct sock_fprog *prog, char *err,
			  size_t errlen);
int seccomp_profile_load(const char *path, uint64_t caps, struct sock_fprog *prog, char *err,
			 size_t errlen);
