/* uid/gid getters: consistency between getuid/geteuid/getresuid, groups, setuid to self. */
#include <grp.h>
#include "cf.h"

int
main(void)
{
	uid_t r = 1, e = 2, s = 3;
	gid_t gr = 1, ge = 2, gs = 3;
	R("getresuid", getresuid(&r, &e, &s));
	YN("getuid == ruid", getuid() == r);
	YN("geteuid == euid", geteuid() == e);
	YN("ruid == euid == suid", r == e && e == s);
	R("getresgid", getresgid(&gr, &ge, &gs));
	YN("getgid == rgid", getgid() == gr);
	YN("getegid == egid", getegid() == ge);
	YN("rgid == egid == sgid", gr == ge && ge == gs);
	YN("raw getuid == getuid", syscall(SYS_getuid) == getuid());
	int n = getgroups(0, NULL);
	YN("getgroups count >= 0", n >= 0);
	gid_t g[256];
	int m = getgroups(256, g);
	YN("getgroups consistent", m == n);
	R("getgroups negative", getgroups(-1, g));
	R("setuid(getuid())", setuid(getuid()));
	R("setgid(getgid())", setgid(getgid()));
	R("setreuid(-1,-1)", setreuid(-1, -1));
	R("setresuid(-1,-1,-1)", setresuid(-1, -1, -1));
	R("getresuid bad pointer", syscall(SYS_getresuid, (void *)1, &e, &s));
	R("getresgid bad pointer", syscall(SYS_getresgid, &gr, (void *)1, &gs));
	return 0;
}
