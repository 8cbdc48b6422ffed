/* /proc/self/status has the fields tools look for (ps, top, systemd, python's psutil):
 * each long-standing field is printed as present or not, in file order. */
#include "cf.h"

static const char *const fields[] = {
	"Name", "Umask", "State", "Tgid", "Ngid", "Pid", "PPid", "TracerPid", "Uid", "Gid",
	"FDSize", "Groups", "NStgid", "NSpid", "NSpgid", "NSsid", "VmPeak", "VmSize", "VmLck",
	"VmHWM", "VmRSS", "RssAnon", "VmData", "VmStk", "VmExe", "VmLib", "VmPTE", "VmSwap",
	"CoreDumping", "THP_enabled", "Threads", "SigQ", "SigPnd", "ShdPnd", "SigBlk", "SigIgn",
	"SigCgt", "CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb", "NoNewPrivs", "Seccomp",
	"Speculation_Store_Bypass", "Cpus_allowed", "Cpus_allowed_list", "Mems_allowed",
	"Mems_allowed_list", "voluntary_ctxt_switches", "nonvoluntary_ctxt_switches",
};

int
main(void)
{
	static char buf[16384];
	int fd = open("/proc/self/status", O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	const char *at = buf;

	if (n <= 0) {
		printf("cannot read /proc/self/status\n");
		return 1;
	}
	buf[n] = 0;
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		char key[64];
		snprintf(key, sizeof(key), "\n%s:\t", fields[i]);
		const char *p = strstr(buf, key);
		printf("%s: %s\n", fields[i], !p ? "missing" : p >= at ? "in order" : "out of order");
		if (p)
			at = p;
	}
	return 0;
}
