/* A static hello world through stdio and a raw write(2). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
main(void)
{
	printf("hello, world\n");
	fflush(stdout);
	const char m[] = "hello via write(2)\n";
	write(1, m, strlen(m));
	puts("bye");
	return 0;
}
