/* getpid/getppid/gettid/getpgid/getsid relations (never absolute values). */
#include <signal.h>
#include "cf.h"

int
main(void)
{
	pid_t pid = getpid();
	YN("getpid>0", pid > 0);
	YN("getpid stable", getpid() == pid);
	YN("raw getpid == getpid", syscall(SYS_getpid) == pid);
	YN("gettid == getpid (single thread)", gettid() == pid);
	pid_t pp = getppid();
	YN("getppid>=0", pp >= 0);
	YN("getppid != getpid", pp != pid);
	YN("getpgid(0) == getpgrp", getpgid(0) == getpgrp());
	YN("getpgid(getpid) == getpgid(0)", getpgid(pid) == getpgid(0));
	YN("getsid(0) >= 0", getsid(0) >= 0);
	YN("getsid(0) == getsid(getpid)", getsid(0) == getsid(pid));
	R("getpgid missing pid", getpgid(999999));
	R("getsid missing pid", getsid(999999));
	R("getpgid negative", getpgid(-1));
	R("kill(getpid, 0)", kill(pid, 0));
	R("kill(missing, 0)", kill(999999, 0));
	R("kill bad signal", kill(pid, 99));
	R("tgkill(pid, tid, 0)", syscall(SYS_tgkill, pid, gettid(), 0));
	R("tgkill wrong tgid", syscall(SYS_tgkill, 999999, gettid(), 0));
	R("set_tid_address returns tid", syscall(SYS_set_tid_address, NULL) == pid);
	return 0;
}
