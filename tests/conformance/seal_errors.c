/*
 * F_ADD_SEALS and F_GET_SEALS on files that are not memfds and on memfds opened without
 * write access: Linux's memfd_add_seals checks write access first (EPERM, for any file),
 * then the seal bits (EINVAL), then whether the file takes seals (EINVAL).
 */
#include "cf.h"
#include <sys/mman.h>

static void
seals(const char *label, int fd)
{
	char l[96];

	snprintf(l, sizeof(l), "%s: add SEAL_SEAL", label);
	R(l, fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL));
	snprintf(l, sizeof(l), "%s: add 0x100", label);
	R(l, fcntl(fd, F_ADD_SEALS, 0x100));
	snprintf(l, sizeof(l), "%s: get", label);
	R(l, fcntl(fd, F_GET_SEALS));
}

int
main(void)
{
	int p[2], m, ro, odd;
	char path[64];

	cf_init();
	seals("exe read-only", open("/proc/self/exe", O_RDONLY));
	seals("/dev/null write-only", open("/dev/null", O_WRONLY));
	odd = open("/dev/null", O_WRONLY | O_RDWR); /* access mode 3: neither read nor write */
	seals("/dev/null mode 3", odd);
	R("pipe", pipe(p));
	seals("pipe read end", p[0]);
	seals("pipe write end", p[1]);
	m = memfd_create("m", MFD_ALLOW_SEALING);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", m);
	ro = open(path, O_RDONLY);
	seals("memfd read-only", ro);
	R("memfd add 0x100", fcntl(m, F_ADD_SEALS, 0x100));
	R("memfd add SEAL_GROW", fcntl(m, F_ADD_SEALS, F_SEAL_GROW));
	R("memfd add SEAL_SEAL", fcntl(m, F_ADD_SEALS, F_SEAL_SEAL));
	R("memfd add SEAL_SHRINK", fcntl(m, F_ADD_SEALS, F_SEAL_SHRINK));
	R("memfd add 0x100 sealed", fcntl(m, F_ADD_SEALS, 0x100));
	R("memfd get", fcntl(m, F_GET_SEALS));
	return 0;
}
