/* Installs the sentry's allowlist (sentry/confine_rules.c), built into the binary. */
#include "sentry/filters.h"
#include "sentry/sentry.h"

int
confine_sentry(void)
{
	return prebuilt_filter_load(&sentry_filter);
}
