/* malloc of large blocks (mmap threshold), calloc zeroing, realloc growth keeps data. */
#include <stdint.h>
#include "cf.h"

int
main(void)
{
	size_t sizes[] = { 1 << 10, 1 << 17, 1 << 20, 16 << 20, 64 << 20, 256 << 20 };
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		unsigned char *p = malloc(sizes[i]);
		if (!p) {
			printf("malloc %zu: NULL\n", sizes[i]);
			continue;
		}
		for (size_t j = 0; j < sizes[i]; j += 4096)
			p[j] = (unsigned char)j;
		uint64_t sum = 0;
		for (size_t j = 0; j < sizes[i]; j += 4096)
			sum += p[j];
		printf("malloc %zu: ok sum=%llu\n", sizes[i], (unsigned long long)sum);
		free(p);
	}
	unsigned char *c = calloc(1 << 20, 8);
	int nz = 0;
	for (size_t j = 0; j < (8u << 20); j += 512)
		nz += c[j] != 0;
	printf("calloc 8MiB nonzero: %d\n", nz);
	free(c);
	char *r = malloc(100);
	strcpy(r, "keep me");
	for (size_t n = 1000; n < (64u << 20); n *= 4) {
		r = realloc(r, n);
		if (!r) {
			printf("realloc NULL\n");
			return 1;
		}
	}
	printf("realloc kept: %s\n", r);
	free(r);
	void *huge = malloc((size_t)1 << 50);
	printf("malloc 2^50: %s\n", huge ? "non-null" : "NULL");
	printf("errno: %s\n", huge ? "" : en(errno));
	void *many[1000];
	for (int i = 0; i < 1000; i++)
		many[i] = malloc(1000 + i);
	for (int i = 0; i < 1000; i += 2)
		free(many[i]);
	for (int i = 1; i < 1000; i += 2)
		free(many[i]);
	printf("many small: ok\n");
	return 0;
}
