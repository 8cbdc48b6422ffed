/*
 * The keys of the auxiliary vector in the order exec gives them (LD_SHOW_AUXV and gdb's
 * "info auxv" list them so), and the rseq ones (Linux 6.3: AT_RSEQ_FEATURE_SIZE,
 * AT_RSEQ_ALIGN), whose values are the host kernel's rseq's.
 */
#include "cf.h"

#include <sys/auxv.h>

#ifndef AT_RSEQ_FEATURE_SIZE
#define AT_RSEQ_FEATURE_SIZE 27
#define AT_RSEQ_ALIGN 28
#endif

int
main(void)
{
	unsigned long v[128];
	int fd = open("/proc/self/auxv", O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, v, sizeof(v)) : -1;

	if (n <= 0) {
		printf("auxv unreadable\n");
		return 1;
	}
	printf("keys:");
	for (ssize_t i = 0; i + 1 < n / (ssize_t)sizeof(long); i += 2)
		printf(" %lu", v[i]);
	printf("\n");
	printf("rseq feature size %lu align %lu\n", getauxval(AT_RSEQ_FEATURE_SIZE),
	       getauxval(AT_RSEQ_ALIGN));
	return 0;
}
