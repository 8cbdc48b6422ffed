/* Large output on stdout through many writes of different sizes (the harness diffs all of it). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
main(void)
{
	static char buf[70000];
	for (int i = 0; i < 2000; i++)
		printf("line %04d %s\n", i, i % 7 ? "some text to make the line longer" : "x");
	fflush(stdout);
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (i % 64 == 63) ? '\n' : (char)('a' + i % 26);
	ssize_t w = write(1, buf, sizeof(buf));
	printf("\nsingle write of %zu: %zd\n", sizeof(buf), w);
	return 0;
}
