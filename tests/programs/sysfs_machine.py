# What a Python program learns of the machine (os.cpu_count, affinity, sysconf, libnuma
# through ctypes, sysfs attributes): the same natively and inside. Memory sizes differ
# (the sandbox's limit), so only their relations are printed.
import ctypes
import ctypes.util
import os

print("cpu_count", os.cpu_count(), "affinity", sorted(os.sched_getaffinity(0)))
for name in sorted(os.sysconf_names):
    if any(w in name for w in ("NPROC", "CACHE", "PAGESIZE", "PAGE_SIZE")):
        try:
            print(name, os.sysconf(name))
        except OSError as e:
            print(name, "error", e.errno)
print("phys pages > avphys > 0",
      os.sysconf("SC_PHYS_PAGES") >= os.sysconf("SC_AVPHYS_PAGES") > 0)

vulns = "/sys/devices/system/cpu/vulnerabilities"
for name in sorted(os.listdir(vulns)):
    with open(os.path.join(vulns, name)) as f:
        print("vulnerability", name, f.read().strip())
for name in ("enabled", "defrag", "hpage_pmd_size", "shmem_enabled"):
    path = "/sys/kernel/mm/transparent_hugepage/" + name
    with open(path) as f:
        print("thp", name, f.read().strip(), "size", os.stat(path).st_size)
print("lo listed", "lo" in os.listdir("/sys/class/net"))
for name in ("address", "mtu", "operstate", "type", "ifindex", "flags", "tx_queue_len"):
    with open("/sys/class/net/lo/" + name) as f:
        print("lo", name, f.read().strip())

lib = ctypes.util.find_library("numa")
if not lib:
    print("no libnuma")
else:
    numa = ctypes.CDLL(lib)
    numa.numa_node_size64.restype = ctypes.c_longlong
    print("numa available", numa.numa_available())
    print("numa max node", numa.numa_max_node(), "possible", numa.numa_max_possible_node())
    print("numa configured nodes", numa.numa_num_configured_nodes(),
          "cpus", numa.numa_num_configured_cpus())
    print("numa task cpus", numa.numa_num_task_cpus(), "nodes", numa.numa_num_task_nodes())
    free = ctypes.c_longlong()
    size = numa.numa_node_size64(0, ctypes.byref(free))
    print("numa node0 size > free > 0", size > free.value > 0)
    print("numa distance", numa.numa_distance(0, 0))
    print("numa node of cpus", [numa.numa_node_of_cpu(c) for c in range(os.cpu_count())])
