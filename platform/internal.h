/* Private to platform/. */
#pragma once
#include <linux/filter.h>
#include <stdbool.h>

/* Builds the stub's seccomp program (passthrough calls allowed, the rest traced); token:
 * the secret that lets the sentry's injected memory calls run without a trace stop.
 * *notify: send the hot calls as user notifications instead; cleared if that cannot be. */
int stub_filter_build(unsigned long token, bool *notify, struct sock_fprog *out);
/* Is nr one of the calls the stub filter sends as user notifications (when it does)? */
bool stub_notified(long nr);
/* May an injected call nr carry the token in its sixth argument (stub_head)? */
bool stub_token_call(long nr);
