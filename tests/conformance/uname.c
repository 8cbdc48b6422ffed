/* uname: stable fields (sysname, machine), others non-empty, EFAULT. */
#include <sys/utsname.h>
#include "cf.h"

int
main(void)
{
	struct utsname u;
	memset(&u, 0, sizeof(u));
	R("uname", uname(&u));
	printf("sysname: %s\n", u.sysname);
	printf("machine: %s\n", u.machine);
	YN("release non-empty", u.release[0] != 0);
	YN("release starts with digit", u.release[0] >= '0' && u.release[0] <= '9');
	YN("version non-empty", u.version[0] != 0);
	YN("nodename non-empty", u.nodename[0] != 0);
	char h[256] = {0};
	R("gethostname", gethostname(h, sizeof(h)));
	YN("gethostname == nodename", strcmp(h, u.nodename) == 0);
	R("gethostname tiny buffer", gethostname(h, 1));
	R("uname bad pointer", syscall(SYS_uname, (void *)1));
	int fd = open("/proc/sys/kernel/ostype", O_RDONLY);
	char b[32] = {0};
	if (fd >= 0)
		read(fd, b, sizeof(b) - 1);
	printf("/proc/sys/kernel/ostype: %s", fd >= 0 ? b : "missing\n");
	return 0;
}
