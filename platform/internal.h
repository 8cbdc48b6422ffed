/* Private to platform/. */
#pragma once
#include <linux/filter.h>
#include <stdbool.h>

/* Builds the stub's seccomp program (passthrough calls allowed, the rest traced); token:
 * the secret that lets the sentry's injected memory calls run without a trace stop.
 * *notify: send the hot calls as user notifications instead; cleared if that cannot be. */
int stub_filter_build(unsigned long token, bool *notify, struct sock_fprog *out);
/* The second filter of a stub whose guest has seccomp filters: every call but the sentry's
 * injected ones (the token) is traced, so the sentry sees them all. */
int stub_trace_all_build(unsigned long token, struct sock_fprog *out);
/* Is nr one of the calls the stub filter sends as user notifications (when it does)? */
bool stub_notified(long nr);
/* May an injected call nr carry the token in its sixth argument (stub_head)? */
bool stub_token_call(long nr);
/* Where the stub's injected calls come from: right after the syscall instruction of the
 * single call (PLAT_STUB_ADDR + 1) and of the batch loop (ptrace.c: stub_code). */
#define STUB_SINGLE_IP (PLAT_STUB_ADDR + 3)
#define STUB_BATCH_IP (PLAT_STUB_ADDR + 0x37)
