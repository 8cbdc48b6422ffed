/* pthread_cancel of a thread that is just entering a blocking call (select, read of an
 * empty pipe): SIGCANCEL may come while the call's entry stop waits for the sentry, which
 * must see the signal before it puts the call to sleep, as Linux's signal_pending does
 * (glibc's tst-pthread_cancel-select-loop hung within a few hundred rounds). */
#include "cf.h"
#include <pthread.h>
#include <sys/select.h>

static int p[2];

static void *
in_select(void *a)
{
	(void)a;
	for (;;) {
		fd_set r;
		FD_ZERO(&r);
		FD_SET(p[0], &r);
		select(p[0] + 1, &r, NULL, NULL, NULL);
	}
	return NULL;
}

static void *
in_read(void *a)
{
	char c;

	(void)a;
	for (;;)
		read(p[0], &c, 1);
	return NULL;
}

static void
rounds(const char *name, void *(*fn)(void *))
{
	int bad = 0;

	for (int i = 0; i < 3000; i++) {
		pthread_t th;
		void *res;
		pthread_create(&th, NULL, fn, NULL);
		pthread_cancel(th);
		pthread_join(th, &res);
		bad += res != PTHREAD_CANCELED;
	}
	printf("%s: 3000 rounds, %d not cancelled\n", name, bad);
	fflush(stdout);
}

int
main(void)
{
	/* A lost cancellation hangs pthread_join: the harness's timeout ends it. (No alarm:
	 * a pending one made the old sandbox look at signals and hid the bug.) */
	OK("pipe", pipe(p));
	rounds("select", in_select);
	rounds("read", in_read);
	return 0;
}
