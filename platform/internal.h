/* Private to platform/. */
#pragma once
#include <linux/filter.h>

/* Builds the stub's seccomp program (passthrough calls allowed, the rest traced). */
int stub_filter_build(struct sock_fprog *out);
