/* Private to platform/. */
#pragma once
#include <linux/filter.h>

/* Builds the stub's seccomp program (passthrough calls allowed, the rest traced); token:
 * the secret that lets the sentry's injected memory calls run without a trace stop. */
int stub_filter_build(unsigned long token, struct sock_fprog *out);
