/* sysinfo: sanity relations only. */
#include <sys/sysinfo.h>
#include "cf.h"

int
main(void)
{
	struct sysinfo si = {0};
	R("sysinfo", sysinfo(&si));
	YN("mem_unit >= 1", si.mem_unit >= 1);
	YN("totalram > 0", si.totalram > 0);
	YN("freeram <= totalram", si.freeram <= si.totalram);
	YN("bufferram <= totalram", si.bufferram <= si.totalram);
	YN("freeswap <= totalswap", si.freeswap <= si.totalswap);
	YN("procs >= 1", si.procs >= 1);
	YN("uptime >= 0", si.uptime >= 0);
	YN("totalram >= 16MiB", (unsigned long long)si.totalram * si.mem_unit >= (16ULL << 20));
	R("sysinfo bad pointer", syscall(SYS_sysinfo, (void *)1));
	YN("nprocs_conf >= 1", get_nprocs_conf() >= 1);
	YN("sysconf PAGESIZE 4096", sysconf(_SC_PAGESIZE) == 4096);
	YN("sysconf CLK_TCK 100", sysconf(_SC_CLK_TCK) == 100);
	return 0;
}
