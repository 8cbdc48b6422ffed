/* For gdb_gcore.sh: waits in pause() until killed. */
#include <unistd.h>

int
main(void)
{
	pause();
	return 0;
}
