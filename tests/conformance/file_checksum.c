/* build: dynamic */
/* Writes a file in /tmp in odd-sized chunks, reads it back, prints sizes and a checksum. */
#include <stdint.h>
#include "cf.h"

static uint32_t
fnv(const unsigned char *p, size_t n, uint32_t h)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

int
main(void)
{
	static unsigned char buf[300000], back[300000];
	uint32_t seed = 12345;

	cf_init();
	for (size_t i = 0; i < sizeof(buf); i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = (unsigned char)(seed >> 16);
	}
	int fd = open("data.bin", O_WRONLY | O_CREAT | O_EXCL, 0600);
	size_t off = 0, chunk = 1;
	while (off < sizeof(buf)) {
		size_t n = chunk < sizeof(buf) - off ? chunk : sizeof(buf) - off;
		ssize_t w = write(fd, buf + off, n);
		if (w <= 0) {
			printf("write: %s\n", en(errno));
			return 1;
		}
		off += (size_t)w;
		chunk = chunk * 3 + 7;
		if (chunk > 70000)
			chunk = 13;
	}
	close(fd);
	struct stat st;
	stat("data.bin", &st);
	printf("size: %lld\n", (long long)st.st_size);
	FILE *f = fopen("data.bin", "rb");
	size_t got = fread(back, 1, sizeof(back), f);
	fclose(f);
	printf("read back: %zu\n", got);
	printf("equal: %s\n", memcmp(buf, back, sizeof(buf)) == 0 ? "yes" : "no");
	printf("fnv1a: %08x\n", fnv(back, got, 2166136261u));
	/* line-oriented text through stdio */
	f = fopen("text.txt", "w");
	for (int i = 0; i < 1000; i++)
		fprintf(f, "line %d %s\n", i, i % 3 ? "abc" : "xyz");
	fclose(f);
	f = fopen("text.txt", "r");
	char line[64];
	int lines = 0;
	uint32_t h = 2166136261u;
	while (fgets(line, sizeof(line), f)) {
		lines++;
		h = fnv((unsigned char *)line, strlen(line), h);
	}
	fclose(f);
	printf("lines: %d fnv1a: %08x\n", lines, h);
	return 0;
}
