/* _exit with an out-of-range status: only the low 8 bits survive (300 -> 44). */
#include <stdio.h>
#include <unistd.h>

int
main(void)
{
	printf("exiting with 300\n");
	fflush(stdout);
	_exit(300);
}
