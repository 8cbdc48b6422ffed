# hwloc's view of the machine (sysfs's CPUs, topology, caches, NUMA node and its huge page
# pools; CPUID): the same inside, but for the memory sizes (the sandbox's) and the cgroup
# hwloc finds (a host with cgroup v1 controllers shows a cpuset one the sandbox has not)
lstopo-no-graphics --no-io --of xml | grep -v -e 'local_memory=' -e 'page_type size="4096"' -e LinuxCgroup
