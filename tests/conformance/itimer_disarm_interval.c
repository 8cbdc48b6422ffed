/* setitimer(ITIMER_REAL) with a zero value and an interval disarms the timer and keeps no
 * interval: the next setitimer or getitimer reads { 0, 0 } (Linux do_setitimer; glibc
 * time/tst-itimer). A running periodic timer gives its interval back. */
#include "cf.h"
#include <sys/time.h>

int
main(void)
{
	struct itimerval it = { .it_interval = { 10, 20 } }, old, zero = { 0 };

	R("setitimer disarmed with an interval", setitimer(ITIMER_REAL, &it, NULL));
	R("getitimer", getitimer(ITIMER_REAL, &old));
	printf("  interval %ld.%06ld value %ld.%06ld\n", (long)old.it_interval.tv_sec,
	       (long)old.it_interval.tv_usec, (long)old.it_value.tv_sec, (long)old.it_value.tv_usec);
	R("setitimer zero", setitimer(ITIMER_REAL, &zero, &old));
	printf("  old interval %ld.%06ld\n", (long)old.it_interval.tv_sec, (long)old.it_interval.tv_usec);
	it.it_value.tv_sec = 30;
	R("setitimer periodic", setitimer(ITIMER_REAL, &it, NULL));
	R("setitimer zero", setitimer(ITIMER_REAL, &zero, &old));
	printf("  old interval %ld.%06ld, value set: %s\n", (long)old.it_interval.tv_sec,
	       (long)old.it_interval.tv_usec, old.it_value.tv_sec > 0 ? "yes" : "no");
	return 0;
}
