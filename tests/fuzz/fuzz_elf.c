/*
 * libFuzzer target for the ELF loader's plan builder (loader/elf.c): arbitrary bytes as the
 * program file. Besides "no crash", every accepted plan must keep the loader's own rules:
 * segments inside the file, ascending, below the user address limit.
 * Built by `make fuzz` (tests/fuzz.sh) with loader/elf.c alone: the allocation helpers the
 * sentry provides are defined here.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "loader/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		abort();
	return p;
}

void *
xcalloc(size_t n, size_t m)
{
	void *p = calloc(n ? n : 1, m ? m : 1);
	if (!p)
		abort();
	return p;
}

char *
xstrdup(const char *s)
{
	char *p = strdup(s);
	if (!p)
		abort();
	return p;
}

struct mem {
	const uint8_t *data;
	size_t size;
};

static ssize_t
mem_pread(void *ctx, void *buf, size_t n, uint64_t off)
{
	struct mem *m = ctx;

	if (off >= m->size)
		return 0;
	if (n > m->size - off)
		n = m->size - off;
	memcpy(buf, m->data + off, n);
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mem m = { data, size };
	struct elf_src src = { .ctx = &m, .pread = mem_pread, .size = size };
	struct elf_plan plan;
	char err[256];

	if (elf_plan_build(&src, &plan, err, sizeof(err)) != 0)
		return 0;
	/* A file Linux takes and then kills (elf.c: check_load) maps nothing and enters at 0. */
	if (plan.doomed && (plan.nsegs || plan.entry || plan.interp))
		abort();
	/* Otherwise each segment lies in the address space, its file bytes (clamped to the
	 * file) within its memory and congruent with its address; out-of-order or
	 * overlapping segments are allowed (mapped in table order, as Linux does) and
	 * flagged. */
	bool unordered = false;
	for (int i = 0; i < plan.nsegs; i++) {
		const struct elf_seg *s = &plan.segs[i];
		if (!s->memsz || s->filesz > s->memsz || (s->filesz && s->offset + s->filesz > size))
			abort();
		if (s->vaddr + s->memsz < s->vaddr || s->vaddr + s->memsz > 0x7ffffffff000UL)
			abort();
		if (s->filesz && ((s->vaddr ^ s->offset) & 4095))
			abort();
		if (i && s->vaddr < plan.segs[i - 1].vaddr + plan.segs[i - 1].memsz)
			unordered = true;
		if (s->vaddr < plan.lo || s->vaddr + s->memsz > plan.hi)
			abort();
	}
	if (unordered != plan.unordered)
		abort();
	elf_plan_free(&plan);
	return 0;
}
