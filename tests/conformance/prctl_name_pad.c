/* PR_GET_NAME writes the name and zeros up to 16 bytes, whatever a longer earlier name
 * left behind (glibc misc/tst-prctl read "thread name\0" + "0\0s\0"). */
#include "cf.h"
#include <sys/prctl.h>

static void
show(const char *label)
{
	unsigned char b[16];

	memset(b, 0xaa, sizeof(b));
	R(label, prctl(PR_GET_NAME, b));
	printf(" ");
	for (size_t i = 0; i < sizeof(b); i++)
		printf(" %02x", b[i]);
	printf("\n");
}

int
main(void)
{
	char longer[32] = "abcdefghijklmnopqrstuvwxyz";

	R("set a 20-byte name", prctl(PR_SET_NAME, longer));
	show("get");
	R("set a short one", prctl(PR_SET_NAME, "thread name"));
	show("get");
	memcpy(longer, "ab\0cdefghijklmnop", 18);
	R("set with bytes after its NUL", prctl(PR_SET_NAME, longer));
	show("get");
	return 0;
}
