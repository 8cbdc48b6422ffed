/*
 * hello [SECONDS]: the static hello world of the startup benchmark. With SECONDS it then
 * sleeps (nanosleep, a passthrough call) so that the memory probe can look at the process tree.
 */
#include <errno.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	static const char msg[] = "hello\n";

	if (write(STDOUT_FILENO, msg, sizeof(msg) - 1) != sizeof(msg) - 1)
		return 1;
	if (argc > 1) {
		double s = atof(argv[1]);
		struct timespec ts = { .tv_sec = (time_t)s, .tv_nsec = (long)((s - (time_t)s) * 1e9) };

		while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
			;
	}
	return 0;
}
