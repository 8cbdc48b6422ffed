/*
 * vmsplice into a pipe with room fills what fits and returns (a blocking one does not
 * wait for the rest): 128 KiB into a 64 KiB pipe, drained and refilled until all went.
 */
#include <sys/uio.h>

#include "cf.h"

static char buf[128 << 10], out[128 << 10];

int
main(void)
{
	int p[2], calls = 0;
	size_t sent = 0, got = 0;
	long first = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (char)(i * 7);
	pipe(p);
	while (sent < sizeof(buf) && calls < 100) {
		struct iovec v = { buf + sent, sizeof(buf) - sent };
		long n = vmsplice(p[1], &v, 1, 0);
		if (n <= 0) {
			printf("vmsplice: %ld %s\n", n, en(errno));
			break;
		}
		if (!calls++)
			first = n;
		sent += n;
		while (got < sent) {
			ssize_t r = read(p[0], out + got, sent - got);
			if (r <= 0)
				break;
			got += r;
		}
	}
	YN("first call partial", first > 0 && first < (long)sizeof(buf));
	printf("read %zu, same: %s\n", got, memcmp(buf, out, got) ? "no" : "yes");
	struct iovec v = { buf, sizeof(buf) };
	vmsplice(p[1], &v, 1, 0);
	R("vmsplice nonblock on a full pipe", vmsplice(p[1], &v, 1, SPLICE_F_NONBLOCK));
	return 0;
}
