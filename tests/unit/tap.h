/* TAP output for the unit tests: ok(cond, "description") prints "ok N - ..." or
 * "not ok N - ..."; ntest and nfail count them. Each test prints its plan and exits
 * 0 when nfail is 0, else 1. */
#pragma once
#include <stdarg.h>
#include <stdio.h>

static int ntest, nfail;

static void ok(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3), unused));

static void
ok(int cond, const char *fmt, ...)
{
	va_list ap;

	ntest++;
	if (!cond)
		nfail++;
	printf("%sok %d - ", cond ? "" : "not ", ntest);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}
