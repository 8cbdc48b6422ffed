/* Exit status passes through: prints a line then exits 3 (via exit_group). */
#include <stdio.h>
#include <stdlib.h>

int
main(void)
{
	printf("about to exit 3\n");
	exit(3);
}
