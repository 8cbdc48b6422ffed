/* A zombie not yet reaped is still found by its pid: capget reads its capabilities,
 * get_robust_list answers with no list (Linux clears it at exit) and migrate_pages finds
 * no memory to move (EINVAL, not ESRCH); once reaped, all say ESRCH. */
#include "cf.h"
#include <sys/wait.h>
#include <linux/capability.h>

int
main(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct mine[2], d[2];
	unsigned long nodes = 1;
	void *head;
	size_t len;

	setvbuf(stdout, NULL, _IOLBF, 0);
	syscall(SYS_capget, &h, mine);
	pid_t z = fork();
	if (z == 0)
		_exit(0);
	printf("zombie: %c\n", cf_wait_zombie(z));

	h.pid = z;
	memset(d, 0, sizeof(d));
	R("capget", syscall(SYS_capget, &h, d));
	YN("its sets are the parent's", !memcmp(d, mine, sizeof(d)));
	h.pid = z;
	R("capget no data", syscall(SYS_capget, &h, NULL));
	head = (void *)1, len = 0;
	R("get_robust_list", syscall(SYS_get_robust_list, z, &head, &len));
	YN("no list", head == NULL);
	printf("len: %zu\n", len);
	R("get_robust_list bad head", syscall(SYS_get_robust_list, z, (void *)8, &len));
	R("migrate_pages", syscall(SYS_migrate_pages, z, 64, &nodes, &nodes));

	waitpid(z, NULL, 0);
	h.pid = z;
	R("capget reaped", syscall(SYS_capget, &h, d));
	R("get_robust_list reaped", syscall(SYS_get_robust_list, z, &head, &len));
	R("migrate_pages reaped", syscall(SYS_migrate_pages, z, 64, &nodes, &nodes));
	return 0;
}
