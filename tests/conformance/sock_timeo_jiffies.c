/* SO_RCVTIMEO / SO_SNDTIMEO (and their _NEW forms, two 64-bit numbers) are kept in the
 * kernel's jiffies: a timeout is rounded up to a whole tick and read back from the ticks
 * (what one is depends on CONFIG_HZ: the same natively and inside, on one host); none, a
 * negative one, one too long for a tick count; EDOM and EINVAL for bad values. */
#include "cf.h"
#include <limits.h>
#include <sys/socket.h>
#include <sys/time.h>

#ifndef SO_RCVTIMEO_NEW
#define SO_RCVTIMEO_NEW 66
#define SO_SNDTIMEO_NEW 67
#endif

static void
show(int s, int name, long sec, long usec)
{
	struct timeval tv = { sec, usec };
	socklen_t len = sizeof(tv);
	int r = setsockopt(s, SOL_SOCKET, name, &tv, sizeof(tv));

	if (r < 0) {
		printf("%d %ld.%06ld: set %s\n", name, sec, usec, en(errno));
		return;
	}
	tv = (struct timeval){ -1, -1 };
	getsockopt(s, SOL_SOCKET, name, &tv, &len);
	printf("%d %ld.%06ld: reads %ld.%06ld (len %u)\n", name, sec, usec, (long)tv.tv_sec,
	       (long)tv.tv_usec, len);
}

int
main(void)
{
	static const long usecs[] = { 0, 1, 999, 1000, 1001, 3333, 3334, 4000, 4001, 10000,
				      123456, 999999 };
	int s = socket(AF_UNIX, SOCK_STREAM, 0), t = socket(AF_INET, SOCK_DGRAM, 0), v = 5;
	struct timeval tv;
	socklen_t len;

	for (size_t i = 0; i < sizeof(usecs) / sizeof(usecs[0]); i++)
		show(s, SO_RCVTIMEO, 0, usecs[i]);
	show(s, SO_SNDTIMEO, 2, 500001);
	show(t, SO_RCVTIMEO, 1, 1);
	show(t, SO_SNDTIMEO_NEW, 0, 7);
	show(t, SO_RCVTIMEO_NEW, 3, 0);
	show(s, SO_RCVTIMEO, -1, 5);
	show(s, SO_RCVTIMEO, 0, -1);
	show(s, SO_RCVTIMEO, 0, 1000000);
	show(s, SO_SNDTIMEO, LONG_MAX / 100, 0);
	show(s, SO_SNDTIMEO, LONG_MAX / 10000, 0);
	R("set SO_RCVTIMEO an int", setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &v, sizeof(v)));
	R("set SO_RCVTIMEO_NEW an int", setsockopt(s, SOL_SOCKET, SO_RCVTIMEO_NEW, &v, sizeof(v)));
	show(s, SO_RCVTIMEO, 0, 4500);
	len = 8;
	tv = (struct timeval){ -1, -1 };
	R("get SO_RCVTIMEO 8 bytes", getsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, &len));
	printf("  len %u sec %ld usec %ld\n", len, (long)tv.tv_sec, (long)tv.tv_usec);
	return 0;
}
