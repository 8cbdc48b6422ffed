/*
 * libFuzzer target for the gofer's request parser (gofer_parse_req in fs/gofer.c).
 * Build (done by `make fuzz`; by hand):
 *   clang -std=gnu11 -g -O1 -D_GNU_SOURCE -I. -fsanitize=fuzzer,address,undefined \
 *         tests/fuzz/fuzz_gofer.c fs/gofer.c -lseccomp -o build/fuzz_gofer
 *   ./build/fuzz_gofer -max_total_time=60
 * Besides "no crash", it checks that every accepted request obeys the protocol rules.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fs/gofer_proto.h"

#define FUZZ_NMOUNTS 3

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_accepted(const struct gofer_parsed *p, size_t size)
{
	size_t i, start = 0;

	if (p->mount >= FUZZ_NMOUNTS || p->path_len > PATH_MAX - 1 ||
	    p->path_len != size - sizeof(struct gofer_req))
		abort();
	if (p->path[p->path_len] != '\0' || strlen(p->path) != p->path_len)
		abort();
	if (p->op != GOFER_OP_LSTAT && p->op != GOFER_OP_OPEN && p->op != GOFER_OP_READLINK)
		abort();
	if (p->op != GOFER_OP_OPEN && (p->flags || p->mode))
		abort();
	if ((p->flags & ~(uint32_t)GOFER_OPEN_FLAGS) || (p->mode & ~07777u))
		abort();
	if (p->path_len == 0)
		return;
	if (p->path[0] == '/')
		abort();
	for (i = 0; i <= p->path_len; i++) {
		if (i < p->path_len && p->path[i] != '/')
			continue;
		if (i == start || (i - start == 2 && !memcmp(p->path + start, "..", 2)))
			abort();
		start = i + 1;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct gofer_parsed p;

	if (gofer_parse_req(data, size, FUZZ_NMOUNTS, &p) == 0)
		check_accepted(&p, size);
	return 0;
}
