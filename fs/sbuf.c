/* Growable text buffers for generated file contents (procfs, /proc/mounts). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fs/internal.h"

static void
sbuf_reserve(struct sbuf *b, size_t more)
{
	size_t want = b->len + more + 1;

	if (want <= b->cap)
		return;
	b->cap = MAX(want, b->cap * 2);
	b->cap = MAX(b->cap, 256);
	b->buf = realloc(b->buf, b->cap);
	if (!b->buf)
		sentry_fatal("out of memory");
}

void
sbuf_append(struct sbuf *b, const char *s, size_t n)
{
	sbuf_reserve(b, n);
	memcpy(b->buf + b->len, s, n);
	b->len += n;
	b->buf[b->len] = '\0';
}

void
sbuf_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	sbuf_reserve(b, n);
	va_start(ap, fmt);
	vsnprintf(b->buf + b->len, n + 1, fmt, ap);
	va_end(ap);
	b->len += n;
}

int
sbuf_finish(struct sbuf *b, char *buf, size_t n)
{
	int ret = b->len;

	if (b->len + 1 > n)
		ret = -ERANGE;
	else if (b->len)
		memcpy(buf, b->buf, b->len + 1);
	else if (n)
		buf[0] = '\0';
	free(b->buf);
	b->buf = NULL;
	b->len = b->cap = 0;
	return ret;
}

char *
sbuf_steal(struct sbuf *b, size_t *len)
{
	sbuf_reserve(b, 0);
	*len = b->len;
	b->len = b->cap = 0;
	return steal_ptr(&b->buf);
}
