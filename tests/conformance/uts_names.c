/* sethostname/setdomainname and what uname then says (in a UTS namespace of its own when
 * run natively, so the host's names never change; the sandbox is one). */
#include "cf.h"
#include <sched.h>
#include <sys/utsname.h>

int
main(void)
{
	struct utsname u;

	if (unshare(CLONE_NEWUTS) < 0 && errno != EPERM) {
		printf("unshare: %s\n", en(errno));
		return 1;
	}
	R("sethostname", sethostname("cfhost", 6));
	R("setdomainname", setdomainname("cf.example", 10));
	R("uname", uname(&u));
	printf("  nodename %s domainname %s\n", u.nodename, u.domainname);
	R("setdomainname too long", syscall(SYS_setdomainname, "x", 65));
	R("setdomainname bad pointer", syscall(SYS_setdomainname, 8, 4));
	R("setdomainname empty", setdomainname("", 0));
	uname(&u);
	printf("  domainname '%s'\n", u.domainname);
	return 0;
}
