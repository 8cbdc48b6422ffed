/* getrandom: lengths, flags, EFAULT/EINVAL, data varies. */
#include <sys/random.h>
#include "cf.h"

int
main(void)
{
	static unsigned char b[1 << 20], c[64];
	R("getrandom 0", getrandom(b, 0, 0));
	R("getrandom 16", getrandom(b, 16, 0));
	R("getrandom 256", getrandom(b, 256, 0));
	R("getrandom 4096 NONBLOCK", getrandom(b, 4096, GRND_NONBLOCK));
	R("getrandom GRND_RANDOM 32", getrandom(b, 32, GRND_RANDOM));
	R("getrandom GRND_INSECURE 32", getrandom(b, 32, GRND_INSECURE));
	long n = getrandom(b, sizeof(b), 0);
	YN("getrandom 1MiB returns > 0", n > 0);
	R("getrandom bad flags", getrandom(b, 16, 0x100));
	R("getrandom RANDOM|INSECURE", getrandom(b, 16, GRND_RANDOM | GRND_INSECURE));
	R("getrandom bad pointer", syscall(SYS_getrandom, (void *)1, 16, 0));
	R("getrandom NULL len 0", syscall(SYS_getrandom, NULL, 0, 0));
	memset(c, 0, sizeof(c));
	getrandom(c, 32, 0);
	getrandom(c + 32, 32, 0);
	YN("two draws differ", memcmp(c, c + 32, 32) != 0);
	int zeros = 0;
	for (int i = 0; i < 64; i++)
		zeros += c[i] == 0;
	YN("not all zero", zeros < 16);
	return 0;
}
